"""The session as CSV tables: one row per frame (every metric), per rep and per hold, for a spreadsheet."""

from __future__ import annotations

import csv
import math
from pathlib import Path

from coach.analysis.report import Report
from coach.analysis.series import STATES, Series
from coach.errors import OutputError


def write_csv(prefix: str | Path, report: Report, series: Series) -> list[Path]:
    """``PREFIX.frames.csv`` (one row per frame, every metric), ``PREFIX.reps.csv`` and ``PREFIX.holds.csv``."""
    prefix = str(prefix).removesuffix(".csv")
    frames_path, reps_path = Path(f"{prefix}.frames.csv"), Path(f"{prefix}.reps.csv")
    holds_path = Path(f"{prefix}.holds.csv")
    try:
        with open(frames_path, "w", newline="", encoding="utf-8") as fh:
            out = csv.writer(fh)
            out.writerow(["t_s", "state", "reps", "hold_s", "hold_in_form_s", "warning_shown", *series.names])
            for i in range(len(series)):
                row = [f"{series.t[i]:.3f}", STATES[series.state[i]], series.reps[i], f"{series.hold_s[i]:.2f}",
                       f"{series.in_form_s[i]:.2f}", series.warned[i]]
                row += ["" if math.isnan(series.values[n][i]) else f"{series.values[n][i]:.2f}" for n in series.names]
                out.writerow(row)
        with open(reps_path, "w", newline="", encoding="utf-8") as fh:
            out = csv.writer(fh)
            out.writerow(["index", "side", "start_s", "end_s", "complete", "peak", "rise", "hold_s", "held", "down_s",
                          "lowered_slowly", "top_seen", "top_spread", "score", "warnings"])
            for r in report.reps.items:
                rep = r.as_dict()
                out.writerow([rep["index"], rep["side"] or "", rep["start_s"], rep["end_s"], rep["complete"],
                              rep["peak"], "" if rep["rise"] is None else rep["rise"], rep["hold_s"],
                              "" if rep["held"] is None else rep["held"],
                              "" if rep["down_s"] is None else rep["down_s"],
                              "" if rep["lowered_slowly"] is None else rep["lowered_slowly"], rep["top_seen"],
                              "" if rep["top_spread"] is None else rep["top_spread"],
                              f"{rep['score']['passed']}/{rep['score']['of']}", " ".join(rep["warnings"])])
        with open(holds_path, "w", newline="", encoding="utf-8") as fh:
            out = csv.writer(fh)
            out.writerow(["index", "side", "start_s", "end_s", "seconds", "in_form_s"])
            for i, h in enumerate(report.hold.items, 1):
                out.writerow([i, h.side or "", h.start_s, h.end_s, round(h.end_s - h.start_s, 2), h.in_form_s])
    except OSError as exc:
        raise OutputError(f"cannot write CSV next to {prefix}: {exc}") from None
    return [frames_path, reps_path, holds_path]


def write_rows_csv(path: Path, columns: list[str], rows: list[dict[str, object]]) -> None:
    """A table of rows (dicts by column) as CSV, e.g. many videos' summary."""
    try:
        with open(path, "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None

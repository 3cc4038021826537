"""Many videos in one run: a report per video, a summary table, the videos spread over the cores.

``coach analyze DIR_OR_FILES... -e ID --out DIR`` gives each video to a worker
process (its own pose model, the sequential analysis of :mod:`coach.app.batch`),
writes ``DIR/NAME.json`` and ``DIR/NAME.html`` for each, and a summary:
``DIR/summary.csv`` and ``DIR/index.html`` with each video's reps, holds, form
cues and a link to its report. A video that cannot be read is an error row;
the others go on.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from coach.app.one_video import Outcome, analyze_one
from coach.errors import CoachError, OutputError
from coach.io.parallel import take_own_core
from coach.output.html import write_index_html
from coach.output.table import write_rows_csv

VIDEO_SUFFIXES = (".mp4", ".mov", ".avi", ".mkv", ".webm", ".m4v", ".gif")


def collect(paths: list[str]) -> list[Path]:
    """The videos named, and those inside the folders named (not their subfolders), sorted."""
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix.lower() in VIDEO_SUFFIXES and p.is_file())
        else:
            found.append(path)
    if not found:
        raise CoachError(f"no videos found in {', '.join(paths)} (looked for {', '.join(VIDEO_SUFFIXES)})")
    return found


def _quiet_worker(started: Any, workers: int) -> None:
    # Ctrl-C reaches every process of the terminal: the main process stops the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    take_own_core(started, workers)


def save(outcome: Outcome, out_dir: Path) -> None:
    """A video's JSON report and HTML page (made by ``write_outputs`` where it was analysed) into ``out_dir``."""
    for suffix, text in outcome.files.items():
        path = out_dir / f"{outcome.video.stem}{suffix}"
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None


def analyze_many(videos: list[Path], exercise: str, out_dir: Path, workers: int, model: str | None = None,
                 people: int = 3, done: Callable[[Outcome, int, int], None] | None = None,
                 cluster: str | None = None) -> list[Outcome]:
    """Every video, ``workers`` at a time here or on a Dask cluster (``cluster``: its scheduler's
    address, or "local" to start one on this machine); each report is saved into ``out_dir`` as it
    arrives. Outcomes come back in the order of ``videos``; ``done`` hears of each."""
    names = [v.stem for v in videos]
    if len(set(names)) != len(names):
        twice = sorted({n for n in names if names.count(n) > 1})
        raise CoachError(f"two videos would write the same report name: {', '.join(twice)}")
    outcomes: dict[Path, Outcome] = {}

    def arrived(outcome: Outcome) -> None:
        save(outcome, out_dir)
        outcomes[outcome.video] = outcome
        if done:
            done(outcome, len(outcomes), len(videos))

    if cluster:
        from coach.app.cluster import run_on_cluster

        for outcome in run_on_cluster(cluster, videos, exercise, model, people, workers):
            arrived(outcome)
    elif workers <= 1:
        for video in videos:
            arrived(analyze_one(str(video), exercise, model, people))
    else:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_quiet_worker,
                                 initargs=(context.Value("i", 0), workers)) as pool:
            futures = [pool.submit(analyze_one, str(v), exercise, model, people) for v in videos]
            for future in as_completed(futures):
                arrived(future.result())
    return [outcomes[v] for v in videos]


def _row(outcome: Outcome) -> dict[str, Any]:
    report = outcome.report
    if report is None:
        return {"video": outcome.video.name, "status": "error", "error": outcome.error}
    cues: dict[str, int] = {}
    for w in report.warnings:
        cues[w.cue or w.id] = cues.get(w.cue or w.id, 0) + 1
    return {"video": outcome.video.name, "status": "interrupted" if report.interrupted else "ok",
            "exercise": report.exercise, "duration_s": report.video.duration_s if report.video else "",
            "reps": report.reps.count, "partial_reps": report.reps.partial,
            "holds": report.hold.count, "hold_s": report.hold.total_s, "in_form_s": report.hold.in_form_s,
            "form_cues": "; ".join(f"{cue} ({n})" for cue, n in cues.items()),
            "report": f"{outcome.video.stem}.html", "error": ""}


COLUMNS = ["video", "status", "exercise", "duration_s", "reps", "partial_reps", "holds", "hold_s", "in_form_s",
           "form_cues", "report", "error"]


def write_summary(outcomes: list[Outcome], out_dir: Path) -> None:
    """``summary.csv`` and ``index.html`` in ``out_dir``: a row per video, errors included."""
    rows = [_row(o) for o in outcomes]
    write_rows_csv(out_dir / "summary.csv", COLUMNS, rows)
    write_index_html(out_dir / "index.html", "Videos analysed", [c for c in COLUMNS if c != "report"], rows,
                     link=("video", "report"))

"""Many videos in one run: a report per video, a summary table, the videos spread over the cores.

``coach analyze DIR_OR_FILES... -e ID --out DIR`` gives each video to a worker
process (its own pose model, the sequential analysis of :mod:`coach.app.batch`),
writes ``DIR/NAME.json`` and ``DIR/NAME.html`` for each, and a summary:
``DIR/summary.csv`` and ``DIR/index.html`` with each video's reps, holds, form
cues and a link to its report. A video that cannot be read is an error row;
the others go on.
"""

from __future__ import annotations

import csv
import html
import multiprocessing
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coach.analysis.report import Report
from coach.app.parallel import take_own_core
from coach.errors import CoachError, OutputError
from coach.output.write import Outputs, write_outputs

VIDEO_SUFFIXES = (".mp4", ".mov", ".avi", ".mkv", ".webm", ".m4v", ".gif")


@dataclass(frozen=True)
class Outcome:
    """One video's result: its report, or the error that stopped it."""

    video: Path
    report: Report | None
    error: str = ""
    exit_code: int = 0
    files: dict[str, str] = field(default_factory=dict)   # suffix -> text, written into --out by the main process


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


def analyze_one(video: str, exercise: str, model: str | None = None, people: int = 3) -> Outcome:
    """Analyse one video in this process (a local worker, or a cluster's): its report and HTML page
    come back to the caller, so the workers need to share only the videos, not the output folder."""
    import tempfile

    from coach.app.batch import analyze_video
    from coach.io.pose import create_estimator
    from coach.specs.reader import find_spec

    path = Path(video)
    try:
        spec = find_spec(exercise)
        estimator = create_estimator(model, people=people)
        try:
            with tempfile.TemporaryDirectory() as tmp:
                done = analyze_video(path, spec, estimator, pictures=True)
                made = {suffix: Path(tmp) / f"report{suffix}" for suffix in (".json", ".html")}
                write_outputs(done, Outputs(json=made[".json"], html=made[".html"]))
                return Outcome(path, done.report, files={s: f.read_text(encoding="utf-8") for s, f in made.items()})
        finally:
            estimator.close()
    except CoachError as exc:
        return Outcome(path, None, str(exc), exc.exit_code)


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
    try:
        with open(out_dir / "summary.csv", "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
        cells = "".join(
            "<tr>" + "".join(
                f"<td><a href='{html.escape(str(row['report']))}'>{html.escape(str(row['video']))}</a></td>"
                if key == "video" and row.get("report") else f"<td>{html.escape(str(row.get(key, '')))}</td>"
                for key in COLUMNS if key != "report") + "</tr>" for row in rows)
        head = "".join(f"<th>{key.replace('_', ' ')}</th>" for key in COLUMNS if key != "report")
        (out_dir / "index.html").write_text(
            "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>coach: videos analysed</title>"
            "<style>body{font-family:sans-serif;margin:2em}td,th{border-bottom:1px solid #ddd;padding:4px 8px;"
            "text-align:left}</style></head><body><h1>Videos analysed</h1>"
            f"<table><tr>{head}</tr>{cells}</table></body></html>", encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write the summary in {out_dir}: {exc}") from None

"""One video of many, analysed where it is given (a local worker process, or a cluster's): its
report and HTML page come back as text, so the workers share only the videos, not the output folder.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from coach.analysis.report import Report
from coach.errors import CoachError
from coach.output.write import Outputs, write_outputs


@dataclass(frozen=True)
class Outcome:
    """One video's result: its report, or the error that stopped it."""

    video: Path
    report: Report | None
    error: str = ""
    exit_code: int = 0
    files: dict[str, str] = field(default_factory=dict)   # suffix -> text, written into --out by the main process


def analyze_one(video: str, exercise: str, model: str | None = None, people: int = 3) -> Outcome:
    """Analyse one video in this process (a local worker, or a cluster's): its report and HTML page
    come back to the caller, so the workers need to share only the videos, not the output folder."""
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

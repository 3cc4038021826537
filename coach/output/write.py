"""The one place a finished session's files are written: JSON, HTML, CSV and the history.

``coach analyze`` (one video or many), ``coach live`` and ``coach routine`` all end here, so a
report looks the same whichever way it was made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from coach.analysis.report import Report
from coach.analysis.series import Series
from coach.errors import CoachError
from coach.output.moments import Moment
from coach.specs.model import ExerciseSpec


@dataclass
class Finished:
    """What a session leaves: its report, its per-frame series and its worst-form pictures."""

    report: Report
    series: Series
    spec: ExerciseSpec
    moments: list[Moment] = field(default_factory=list)


@dataclass(frozen=True)
class Outputs:
    """Where a finished session goes; each left None is not written.

    ``csv`` is a prefix (``PREFIX.frames.csv``, ``.reps.csv``, ``.holds.csv``); ``history`` is the
    SQLite file the session is added to (as ``mode``: video, live or routine), whose last days of
    the exercise are also drawn on the HTML page.
    """

    json: str | Path | None = None
    html: str | Path | None = None
    csv: str | Path | None = None
    history: Path | None = None
    mode: str = "video"
    keep_earlier: bool = False      # a recording analysed again: keep its earlier session in the history too


def write_outputs(session: Finished, to: Outputs) -> list[str]:
    """Write every output asked for; returns warnings (a damaged or locked history is one, never a
    failure: the session's own files are written first and kept)."""
    from coach.output.html import write_html
    from coach.output.sinks import write_json_atomic
    from coach.output.table import write_csv

    warnings: list[str] = []
    if to.json:
        write_json_atomic(to.json, session.report.to_dict())
    if to.csv:
        write_csv(to.csv, session.report, session.series)
    if to.html:
        days, problem = _recent_days(to.history, session.spec.id)
        warnings += problem
        write_html(to.html, session.report, session.series, session.spec, session.moments, days)
    if to.history:
        warnings += record_history(to.history, [(session.report, to.json)], to.mode, to.keep_earlier)
    return warnings


def record_history(path: Path, sessions: list[tuple[Report, str | Path | None]], mode: str,
                   keep_earlier: bool = False) -> list[str]:
    """Add sessions (each a report and where it was written) to the history; returns what a person
    should know: a session not kept and why, an earlier session of the same recording replaced, or
    the history that could not be written."""
    from coach.output.history import History

    notes = []
    try:
        history = History(path)
        try:
            for report, report_path in sessions:
                added = history.add(report, mode, report_path=str(report_path) if report_path else None,
                                    keep_earlier=keep_earlier)
                name = report.video.name if report.video else report.exercise_name
                if not added.stored:
                    notes.append(f"{name}: not added to the history ({added.why_not})")
                elif added.replaced:
                    notes.append(f"{name} was analysed before as {report.exercise_name}: its earlier session in "
                                 "the history is replaced by this one (--keep-both keeps both)")
        finally:
            history.close()
    except CoachError as exc:
        return notes + [f"session not added to the history: {exc}"]
    return notes


def _recent_days(path: Path | None, exercise: str, days: int = 7) -> tuple[list, list[str]]:
    """The history's last ``days`` days with sessions of ``exercise`` (none without a history)."""
    from coach.output.history import History

    if path is None or not path.exists():
        return [], []
    try:
        history = History(path)
        try:
            return history.days(exercise)[-days:], []
        finally:
            history.close()
    except CoachError as exc:
        return [], [f"history not read: {exc}"]

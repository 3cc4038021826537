"""``coach history``: the sessions kept, read back for a person (text, plot, progress page) or a program (JSON)."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from coach.output.history import History, SessionRow
from coach.output.progress import history_json, history_lines, plot_progress, write_progress_html
from coach.output.sinks import check_writable
from coach.specs.reader import builtin_spec_paths


@dataclass(frozen=True)
class HistoryAsk:
    """What ``coach history`` was asked: which sessions, and which of its forms to make."""

    path: Path
    exercise: str | None = None
    days: int | None = None
    plot: str | None = None
    html: str | None = None
    as_json: bool = False


def show_history(ask: HistoryAsk) -> list[str]:
    """The lines to print: the text view (or the JSON), and where the plot and the page went."""
    if not ask.path.exists():
        return [json.dumps(history_json([], ask.path))] if ask.as_json else \
            [f"no sessions yet (the history will be kept in {ask.path})"]
    for target in (ask.plot, ask.html):
        check_writable(target)
    since = (datetime.now() - timedelta(days=ask.days)).date().isoformat() if ask.days else None
    history = History(ask.path)
    try:
        sessions = history.sessions(ask.exercise, since)
        days = history.days(ask.exercise, since)
        known = {row.exercise for row in history.sessions()}
    finally:
        history.close()
    if ask.as_json:
        return [json.dumps(history_json(sessions, ask.path), indent=2)]
    if not sessions:
        return ["no sessions match" + _exercise_hint(ask.exercise, known)]
    lines = history_lines(days)
    if ask.plot:
        plot_progress(sessions, ask.plot)
        lines.append(f"trend plot: {ask.plot}")
    if ask.html:
        write_progress_html(ask.html, sessions, _scope(ask, sessions))
        lines.append(f"progress page: {ask.html}")
    return lines


def _scope(ask: HistoryAsk, sessions: list[SessionRow]) -> str:
    which = sessions[0].exercise_name if ask.exercise else "every exercise"
    when = f"the last {ask.days} days" if ask.days else f"since {sessions[0].day}"
    return f"{which}, {when}"


def _exercise_hint(exercise: str | None, known: set[str]) -> str:
    """ " (did you mean 'bridge'?)" for a misspelt exercise id: the history's own or the built-in ones."""
    if not exercise:
        return ""
    close = difflib.get_close_matches(exercise, sorted(known | set(builtin_spec_paths())), n=1)
    return f" (no sessions of '{exercise}'; did you mean '{close[0]}'?)" if close and close[0] != exercise else ""

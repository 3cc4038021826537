"""The history as a physiotherapist reads it: the progress page, the trend plot and the JSON."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

import pytest

from coach.analysis.report import FormWarning, Hold, HoldItem, Report, Reps, Video
from coach.app.history_view import HistoryAsk, show_history
from coach.output.history import History
from coach.specs.model import Targets
from coach.types import RepItem

FIRST_DAY = datetime(2026, 11, 9, 9, 0)


def bridge(reps: int, good: int, judged: bool = True) -> Report:
    items = [RepItem(index=i + 1, side=None, start_s=2.0 * i, end_s=2.0 * i + 1.5, complete=True, peak=5.0,
                     hold_s=9.5, warnings=() if i < good else ("hips_low",), held=True) for i in range(reps)]
    return Report(exercise="bridge", exercise_name="Glute bridge", kind="reps", targets=Targets(reps=5, hold_s=10.0),
                  video=Video(source="camera 0", name="camera 0", duration_s=60.0, frames=900),
                  reps=Reps(count=reps, items=items), judged=judged,
                  judged_note=None if judged else "Nothing was judged: you were seen from the front.",
                  warnings=[FormWarning("hips_low", "Lift your hips higher", "Lift your hips", 1.0, 2.0)
                            for _ in range(reps - good)])


def plank(seconds: float) -> Report:
    return Report(exercise="plank", exercise_name="Plank", kind="hold",
                  targets=Targets(holds=3, hold_s=10.0),
                  video=Video(source="camera 0", name="camera 0", duration_s=60.0, frames=900),
                  hold=Hold(count=3, total_s=seconds, in_form_s=seconds * 0.8, longest_s=seconds / 3,
                            items=[HoldItem(0.0, seconds / 3, seconds / 3 * 0.8, None)] * 3))


@pytest.fixture
def three_weeks(tmp_path):
    """Three weeks of sessions: bridges getting better, planks getting longer, one session not judged."""
    path = tmp_path / "h.sqlite"
    history = History(path)
    for week in range(3):
        for day in (0, 2, 4):
            when = FIRST_DAY + timedelta(days=7 * week + day)
            history.add(bridge(3 + week, 1 + week, judged=(week, day) != (1, 2)), "live", started_at=when)
            history.add(plank(15.0 + 5 * week + day), "live", started_at=when + timedelta(minutes=10))
    history.close()
    return path


def _text(page: str) -> str:
    page = re.sub(r"<(style|img)[^>]*>.*?(</style>)?", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def test_the_progress_page_shows_each_exercise_over_the_weeks_in_words(three_weeks, tmp_path):
    page_path = tmp_path / "progress.html"
    lines = show_history(HistoryAsk(three_weeks, html=str(page_path), plot=str(tmp_path / "trend.png")))
    assert f"progress page: {page_path}" in lines and (tmp_path / "trend.png").stat().st_size > 10_000
    page = page_path.read_text()
    text = _text(page)
    assert page.count("data:image/png;base64,") == 2                 # a plot per exercise
    assert "Glute bridge" in text and "Plank" in text
    assert "9 sessions on 9 days, 2026-11-09 to 2026-11-27" in text
    assert "Lift your hips" in text and "hips_low" not in page       # words, not ids
    assert "could not be judged" in text                             # the session seen from the front
    for figure in ("good form", "full range", "held as asked", "rep score", "not judged"):
        assert f"<dt>{figure}</dt>" in page                          # every figure explained once
    assert "<th>rep score</th>" in page and "78 %" in text           # week 1: 3 reps, 2 cued: 7 of 9 checks
    assert page.count("<tr>") == 2 * (1 + 9)                         # a header and a row per session
    assert "3 x 10 s" in text and "5 reps" in text                   # the targets
    assert "@media print" in page


def test_the_json_is_for_programs_ids_and_figures(three_weeks):
    [out] = show_history(HistoryAsk(three_weeks, exercise="plank", as_json=True))
    data = json.loads(out)
    assert len(data["sessions"]) == 9 and {s["exercise"] for s in data["sessions"]} == {"plank"}
    first = data["sessions"][0]
    assert first["day"] == "2026-11-09" and first["hold_s"] == 15.0 and first["target_hold_s"] == 10.0


def test_the_plot_ends_the_day_after_the_last_session_and_names_what_it_draws(three_weeks):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates
    import matplotlib.pyplot as plt

    from coach.output.progress import draw_exercise

    sessions = History(three_weeks).sessions("bridge")
    fig, (top, bottom) = plt.subplots(2, 1)
    draw_exercise(top, bottom, sessions)
    right = matplotlib.dates.num2date(bottom.get_xlim()[1]).replace(tzinfo=None)
    last = datetime.fromisoformat(sessions[-1].started_at)
    assert timedelta(hours=12) < right - last < timedelta(days=2)    # not a week past the last session
    assert {"reps per session", "target (5 reps)", "not judged"} <= set(top.get_legend_handles_labels()[1])
    assert {"% good form", "% full range", "% held as asked"} == set(bottom.get_legend_handles_labels()[1])
    plt.close(fig)


def test_nothing_kept_yet_says_where_it_will_be(tmp_path):
    assert show_history(HistoryAsk(tmp_path / "none.sqlite")) == [
        f"no sessions yet (the history will be kept in {tmp_path / 'none.sqlite'})"]

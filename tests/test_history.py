"""The session history: aggregation, schema upgrades, and damaged or locked databases."""

from __future__ import annotations

import sqlite3
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from coach.analysis.report import FormWarning, Hold, Report, Reps, StartedAt, Video
from coach.errors import HistoryError
from coach.output.history import SCHEMA_VERSION, History
from coach.output.progress import history_lines, plot_progress
from coach.specs.model import Targets
from coach.types import RepItem

CUES = {"hips_low": "Lift your hips", "back_arched": "Lower your hips a little"}


def report(exercise="bridge", kind="reps", reps=(True, True, False), warnings=("hips_low",), hold=(0.0, 0.0),
           sha256=None, frames=900, started=None):
    items = [RepItem(index=i + 1, side=None, start_s=i, end_s=i + 1, complete=c, peak=0.0, hold_s=0.0,
                     warnings=tuple(warnings) if i == 0 else ()) for i, c in enumerate(reps)]
    return Report(exercise=exercise, exercise_name=exercise.capitalize() + " (name)", kind=kind,
                  targets=Targets(None, None, None, False),
                  video=Video(source="x.mp4", name="x.mp4", duration_s=30.0, frames=frames, sha256=sha256),
                  started_at=StartedAt(started, "file time") if started else None,
                  reps=Reps(count=sum(reps), items=items),
                  hold=Hold(count=1 if hold[0] else 0, total_s=hold[0], in_form_s=hold[1]),
                  warnings=[FormWarning(w, "", CUES.get(w, ""), 0.0) for w in warnings])


def test_sessions_add_up_per_exercise_and_day(tmp_path):
    history = History(tmp_path / "h.sqlite")
    day = datetime(2026, 11, 20, 9, 0)
    history.add(report(), "video", started_at=day)
    history.add(report(warnings=("back_arched", "back_arched")), "live", started_at=day.replace(hour=18))
    history.add(report("plank", "hold", reps=(), warnings=(), hold=(40.0, 30.0)), "live", started_at=day)
    rows = {(r.exercise, r.day): r for r in history.days()}
    bridge = rows[("bridge", "2026-11-20")]
    assert (bridge.sessions, bridge.reps) == (2, 4)
    assert bridge.good_share == pytest.approx(1 / 3)          # of three reps, one clean and complete
    assert rows[("plank", "2026-11-20")].good_share == pytest.approx(0.75)
    assert bridge.top_warning in ("hips_low", "back_arched")
    # Each rep's score (full range, no cue: no hold or pace asked here): 1/2, 2/2, 1/2 -> 4 of 6; the
    # second session's cued first rep the same.
    assert bridge.score_share == pytest.approx(4 / 6)
    assert rows[("plank", "2026-11-20")].score_share is None
    plot_progress(history.sessions(), tmp_path / "trend.png")
    assert (tmp_path / "trend.png").stat().st_size > 5000


def test_a_recording_analysed_again_replaces_its_session_unless_both_are_kept(tmp_path):
    history = History(tmp_path / "h.sqlite")
    first = history.add(report(sha256="ab" * 32, started="2026-11-01T08:00:00+01:00"), "video", report_path="a.json")
    again = history.add(report(sha256="ab" * 32, started="2026-11-01T08:00:00+01:00"), "video", report_path="b.json")
    assert (first.replaced, again.replaced) == (0, 1)
    [kept] = history.sessions()
    assert kept.day == "2026-11-01" and kept.started_at == "2026-11-01T08:00:00"   # the recording's own time
    assert kept.report_path == str(Path("b.json").resolve())                  # absolute: found from anywhere
    history.add(report("plank", sha256="ab" * 32), "video")                  # another exercise: its own session
    history.add(report(sha256="ab" * 32), "video", keep_earlier=True)        # asked to keep both
    history.add(report(sha256="cd" * 32), "video")                           # other content: its own
    assert [s.exercise for s in history.sessions()].count("bridge") == 3


def test_a_session_that_read_no_frame_is_not_stored(tmp_path):
    history = History(tmp_path / "h.sqlite")
    added = history.add(report(frames=0, reps=(), warnings=()), "video")
    assert not added.stored and "no frame" in (added.why_not or "")
    assert history.sessions() == []


def test_people_read_names_and_cue_words_programs_read_ids(tmp_path):
    history = History(tmp_path / "h.sqlite")
    history.add(report(warnings=("hips_low", "hips_low")), "video", started_at=datetime(2026, 11, 20, 9, 0))
    text = "\n".join(history_lines(history.days()))
    assert "Bridge (name)" in text and "Lift your hips" in text
    assert "hips_low" not in text and "\nbridge" not in text
    [row] = history.sessions()
    assert (row.top_warning, row.top_cue, row.exercise_name) == ("hips_low", "Lift your hips", "Bridge (name)")


def test_an_older_database_is_upgraded_and_kept(tmp_path):
    path = tmp_path / "h.sqlite"
    sqlite3.connect(path).close()                              # version 0: before the first schema
    History(path).add(report(), "video")
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert len(History(path).days()) == 1                      # reopening keeps the rows


def test_a_version_1_history_gains_the_judged_columns_and_keeps_its_rows(tmp_path):
    """Sessions stored before the coach said what it could judge read as judged, as they were shown."""
    from coach.output.history import MIGRATIONS

    path = tmp_path / "h.sqlite"
    db = sqlite3.connect(path)
    for statement in MIGRATIONS[1]:
        db.execute(statement)
    db.execute("INSERT INTO sessions (started_at, exercise, kind, mode, reps, holds, hold_s, in_form_s, warnings, "
               "interrupted) VALUES ('2026-11-01T09:00:00', 'bridge', 'reps', 'video', 3, 0, 0, 0, 0, 0)")
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    history = History(path)
    unjudged = replace(report(reps=(), warnings=()), judged=False,
                       judged_note="Nothing was judged: you were seen from the wrong side.")
    history.add(unjudged, "live", started_at=datetime(2026, 11, 1, 18, 0))
    day = history.days()[0]
    assert (day.sessions, day.reps, day.not_judged) == (2, 3, 1)
    assert day.good_share is None and day.held_share is None   # neither says how much was in good form
    plank = replace(report("plank", "hold", reps=(), warnings=(), hold=(39.0, 38.0)),
                    hold_note="For 39 s of the hold your feet were out of the picture: ...")
    history.add(plank, "video", started_at=datetime(2026, 11, 2, 9, 0))
    assert history.sessions("plank")[0].hold_note == plank.hold_note      # kept, and on the progress page


def test_a_newer_database_is_refused_not_altered(tmp_path):
    path = tmp_path / "h.sqlite"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(HistoryError, match="newer coach"):
        History(path)


def test_a_damaged_database_says_what_to_do(tmp_path):
    path = tmp_path / "h.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(HistoryError, match="damaged.*move it away"):
        History(path)


def test_a_locked_database_fails_fast(tmp_path):
    path = tmp_path / "h.sqlite"
    History(path).close()
    other = sqlite3.connect(path)
    other.execute("BEGIN EXCLUSIVE")
    started = time.monotonic()
    with pytest.raises(HistoryError, match="locked"):
        History(path, busy_timeout_s=0.2).add(report(), "live")
    assert time.monotonic() - started < 2.0
    other.rollback()


def test_a_file_dated_without_a_time_of_day_is_a_recording_of_that_day(tmp_path):
    """`touch -d 2026-11-01` (midnight) less the clip's length would file it on 31 Oct; a real file
    time (the end of the recording) less the length is when it began."""
    import os

    from coach.app.batch import recorded_at

    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"x")
    midnight = datetime(2026, 11, 1).timestamp()
    os.utime(clip, (midnight, midnight))
    dated = recorded_at(clip, 30.0)
    assert dated.at.startswith("2026-11-01T00:00:00") and dated.known_from == "file date"
    evening = datetime(2026, 11, 1, 18, 30, 30).timestamp()
    os.utime(clip, (evening, evening))
    timed = recorded_at(clip, 30.0)
    assert timed.at.startswith("2026-11-01T18:30:00") and timed.known_from == "file time"


def test_a_report_is_frozen_once_built_and_its_json_names_every_field():
    """Changes make a new report (``dataclasses.replace``); the JSON order lists every field once."""
    import dataclasses

    from coach.analysis import report as module

    built = report()
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.message = "changed"
    names = [f.name for f in dataclasses.fields(module.Report)]
    assert sorted(module._JSON_ORDER) == sorted(names)

"""Routines: the shipped sequences, their validation, and the player on exact landmarks."""

from __future__ import annotations

import pytest

from coach.app.recovery import recover_sessions, unfinished
from coach.app.routine_player import RoutinePlayer
from coach.errors import SpecError
from coach.lab.synth.cli import TIMELINES
from coach.lab.synth.exact import exact_poses
from coach.lab.synth.timeline import load_timeline
from coach.specs.routine import builtin_routine_paths, find_routine, load_routine


def test_the_articles_sequences_are_shipped():
    assert {"ten_back_exercises", "flexibility_then_core", "breathing_stretches_strength", "core_short"} <= set(builtin_routine_paths())
    ten = [item.spec.id for item in find_routine("ten_back_exercises").items]
    assert ten == ["cat_cow", "bird_dog", "back_extension", "downward_dog", "hip_flexor_stretch", "bridge",
                   "childs_pose", "superman", "hamstring_stretch", "spinal_twist"]
    assert len(find_routine("flexibility_then_core").items) == 9


def test_routine_targets_override_the_spec():
    items = {i.spec.id: i for i in find_routine("ten_back_exercises").items}
    assert items["childs_pose"].spec.targets.hold_s == 60
    assert items["bridge"].spec.targets.reps == 5            # the spec's own


@pytest.mark.parametrize("text, expected", [
    ('id = "x"\nname = "x"\n[[exercise]]\nid = "brigde"\n', "exercise[0].id: unknown exercise 'brigde' (did you mean 'bridge'?)"),
    ('id = "x"\nname = "x"\n[[exercise]]\nid = "plank"\nreps = 0\n', "exercise[0].reps: expected a whole number of at least 1"),
    ('id = "x"\nname = "x"\n', "exercise: missing required field"),
    ('id = "x"\nname = "x"\nrest = 5\n[[exercise]]\nid = "plank"\n', "rest: unknown key (did you mean 'rest_s'?)"),
    ('id = "x"\nname = "x"\n[[exercise]]\nid = "plank"\nhold_s = -1\n', "exercise[0].hold_s: expected a number greater than 0"),
    ('id = "x"\nname = "x"\n[[exercise]]\nid = "side_plank"\nreps = 2\n',
     "exercise[0].reps: Side plank is counted in holds: expected holds, found reps"),
    ('id = "x"\nname = "x"\n[[exercise]]\nid = "bridge"\nholds = 2\n',
     "exercise[0].holds: Glute bridge is counted in reps: expected reps, found holds"),
])
def test_a_broken_routine_names_file_and_field(tmp_path, text, expected):
    path = tmp_path / "mine.toml"
    path.write_text(text)
    with pytest.raises(SpecError) as err:
        load_routine(path)
    assert "mine.toml" in str(err.value) and expected in str(err.value)


def _feed(player: RoutinePlayer, timeline_name: str, t0: float) -> float:
    """Exact landmarks of a timeline, with time continuing from ``t0``; returns the end time."""
    t = t0
    for dt, pose in exact_poses(load_timeline(TIMELINES / f"{timeline_name}.toml")):
        t = t0 + dt
        player.step(pose, t)
    return t


def test_player_moves_on_when_the_target_is_reached(tmp_path):
    path = tmp_path / "two.toml"
    path.write_text('id = "two"\nname = "Two"\nrest_s = 30\n'
                    '[[exercise]]\nid = "bridge"\nreps = 1\n'
                    '[[exercise]]\nid = "plank"\nhold_s = 3\n')
    player = RoutinePlayer(load_routine(path), tmp_path / "events")
    assert player.notice(0.0)[0].startswith("1/2 Glute bridge: 1 reps")
    t = _feed(player, "bridge_demo", 0.0)
    assert player.phase == "rest" and player.index == 0          # one rep done: resting
    assert player.between(player.rest_until - 12.0) == ("REST", "REST 12 s", "Next: Plank, 1 x 3 s")
    player.step(None, t + 30.0)                                  # rest over
    assert player.phase == "exercise" and player.spec.id == "plank" and player.between(t + 30.0) is None
    _feed(player, "plank_demo", t + 30.5)
    assert player.finished
    report = player.close()
    bridge, plank = report.exercises
    assert bridge.report.reps.count >= 1 and plank.report is not None
    assert plank.report.hold.in_form_s >= 2.7
    # The routine's lock goes with it: an ended routine leaves only its logs.
    assert sorted(p.name for p in (tmp_path / "events").iterdir()) == ["01-bridge.events.jsonl",
                                                                       "02-plank.events.jsonl"]


def test_next_skips_and_back_counts_afresh(tmp_path):
    routine = find_routine("core_short")
    player = RoutinePlayer(routine)
    player.next(1.0)                                             # skip the bridge: straight to the bird dog
    assert player.phase == "exercise" and player.spec.id == "bird_dog"
    player.back(2.0)                                             # back to the bridge, counted afresh
    assert player.spec.id == "bridge"
    report = player.close()
    assert [e.skipped for e in report.exercises] == [False, True, True, True, True]


def test_a_routine_cut_off_has_each_exercise_done_rebuilt_and_one_that_ended_or_runs_is_left(tmp_path):
    """Each exercise's event log starts with a header naming its report; the routine holds a lock
    while it runs (in its rests no log is open) and writes its own report when it ends."""
    sessions = tmp_path / "sessions"
    report = sessions / "routine-two.json"
    path = tmp_path / "two.toml"
    path.write_text('id = "two"\nname = "Two"\nrest_s = 30\n[[exercise]]\nid = "bridge"\nreps = 1\n'
                    '[[exercise]]\nid = "plank"\nholds = 1\nhold_s = 3\n')
    header = {"source": "0", "name": "camera 0", "started_at": {"at": "2026-12-05T10:00:00+00:00", "from": "clock"},
              "routine_report": str(report)}
    player = RoutinePlayer(load_routine(path), report.with_suffix(".events"), header)
    _feed(player, "bridge_demo", 0.0)
    assert player.phase == "rest"                                  # the bridge's log is closed
    assert unfinished(sessions) == []                              # but the routine runs
    player._lock.release()                                         # cut off: the process is gone
    [(log, found)] = unfinished(sessions)
    assert log.name == "01-bridge.events.jsonl" and found["report"].endswith("01-bridge.json")
    [(written, rebuilt)] = recover_sessions(sessions)
    assert written.name == "01-bridge.json" and rebuilt.recovered and rebuilt.reps.count >= 1
    assert unfinished(sessions) == []                              # once only
    written.unlink()
    report.write_text("{}")                                        # a routine that ended: nothing to rebuild
    assert unfinished(sessions) == []


def test_a_live_session_reporting_elsewhere_is_rebuilt_where_its_report_was_asked_for(tmp_path):
    """The log beside a report outside the sessions folder is found through a link there; cut off,
    its report and its HTML page land where the report was asked for, and the link goes."""
    from coach.analysis.recorder import Recorder
    from coach.app.recovery import link_into
    from coach.output.sinks import EventLog
    from coach.specs.reader import find_spec

    sessions, elsewhere = tmp_path / "sessions", tmp_path / "mine"
    elsewhere.mkdir()
    report = elsewhere / "monday.json"
    log = elsewhere / "monday.events.jsonl"
    header = {"source": "0", "name": "camera 0", "exercise": "bridge", "report": str(report),
              "started_at": {"at": "2026-12-05T10:00:00+00:00", "from": "clock"}}
    link = link_into(sessions, log)
    assert link is not None and link.parent == sessions
    assert unfinished(sessions) == []                              # nothing written yet: a link to nothing
    recorder = Recorder(find_spec("bridge"), EventLog(log, header))
    for t, pose in exact_poses(load_timeline(TIMELINES / "bridge_demo.toml")):
        recorder.step(pose, t)
    recorder.log.close()                                           # cut off: no report written
    [(written, rebuilt)] = recover_sessions(sessions)
    assert written == report and report.is_file() and report.with_suffix(".html").is_file()
    assert "rebuilt from the event log" in report.with_suffix(".html").read_text()
    assert rebuilt.reps.count >= 1 and not link.is_symlink()
    assert unfinished(sessions) == []

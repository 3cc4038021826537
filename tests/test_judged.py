"""What the coach says it judged: never praise, time or cue what it could not see from the right view."""

from __future__ import annotations

import bodies2d as b
import numpy as np
import pytest
from test_session import analyse, bridge_rep, sequence

from coach.analysis.report import Report
from coach.output.text import HOLD_NOTE_SHORT, end_screen_lines, summary_lines


def turned_plank(across: float, sag: float = 0.0):
    """A plank whose far shoulder and hip are drawn ``across`` torso lengths from the near ones:
    0.1 from the side, 0.3-0.55 with the camera 30-45 deg off it, beyond that from the front."""
    def shape(_: float):
        pose = b.plank(sag)
        xy = pose.xy.copy()
        torso = float(np.linalg.norm(xy[11] - xy[23]))
        for near, far in ((11, 12), (23, 24)):      # left/right shoulder, left/right hip
            xy[far] = xy[near] + np.array([0.0, -across * torso])
        return b.make_pose_from(pose, xy)
    return shape


def cues(report: Report) -> set[str]:
    return {w.id for w in report.warnings}


def test_a_plank_seen_from_the_side_is_judged():
    report = analyse("plank", sequence((lambda v: b.lying(), 0, 0, 1.5), (lambda v: b.plank(), 0, 0, 8.0)))
    assert report.judged and report.judged_note is None
    assert report.judged_s > 8.0                      # in position: lying on the mat is the plank's position too
    assert "No form cues: well done" in end_screen_lines(report, {})


@pytest.mark.parametrize("across, why", [(0.8, "wrong side"), (0.42, "at an angle")])
def test_a_plank_seen_from_the_wrong_view_is_not_judged_and_not_praised(across, why):
    report = analyse("plank", sequence((turned_plank(across, sag=20), 0, 0, 10.0)))
    assert not report.judged and why in report.judged_note
    assert cues(report) == set()                      # a sagging plank seen so gets no cue: not seen, not said
    screen = end_screen_lines(report, {})
    assert screen == [report.judged_note] and not any("well done" in line for line in screen)
    assert report.judged_note in summary_lines(report)
    assert "form cues: none" not in summary_lines(report)   # "none" would claim it looked
    assert Report.from_dict(report.to_dict()).judged is False


def test_half_a_plank_at_an_angle_is_judged_for_the_rest_and_says_so():
    report = analyse("plank", sequence((lambda v: b.lying(), 0, 0, 1.5), (lambda v: b.plank(), 0, 0, 6.0),
                                       (turned_plank(0.42), 0, 0, 6.0)))
    assert report.judged
    assert report.judged_note.startswith("Not judged for") and "at an angle" in report.judged_note


def test_never_in_position_is_not_judged():
    report = analyse("bridge", sequence((lambda v: b.standing(320), 0, 0, 10.0)))
    assert not report.judged and "not in the exercise's position" in report.judged_note
    assert not any("well done" in line for line in end_screen_lines(report, {}))


def test_a_cue_ends_where_the_person_was_last_seen():
    report = analyse("plank", sequence((lambda v: b.lying(), 0, 0, 1.5), (lambda v: b.plank(20), 0, 0, 5.0),
                                       (None, 0, 0, 4.0)))
    assert cues(report) == {"hips_sagging"}
    assert report.warnings[0].end_s == pytest.approx(6.5, abs=0.1)     # not the video's end at 10.5 s


def test_reps_of_a_near_exercise_have_no_side_and_alternating_ones_do():
    bridge = analyse("bridge", sequence((b.bridge, -45, -45, 1), *bridge_rep(0) * 2))
    assert bridge.reps.count == 2 and {r.side for r in bridge.reps.items} == {None}
    assert bridge.hold.items and {h.side for h in bridge.hold.items} == {None}


def test_reps_held_shorter_than_asked_are_not_praised():
    """The bridge asks 10 s at the top; reps held 2 s count, but are not held as asked."""
    report = analyse("bridge", sequence((b.bridge, -45, -45, 1), *bridge_rep(0, 2.0) * 2))
    assert report.reps.count == 2 and [r.held for r in report.reps.items] == [False, False]
    screen = end_screen_lines(report, {})
    assert "Held 10 s at the top: 0 of 2 reps" in screen and "In good form: 2 of 2 reps" in screen
    assert not any("well done" in line for line in screen)
    assert any("held 10 s as asked: 0 of 2 reps" in line for line in summary_lines(report))


def test_reps_held_as_asked_are():
    report = analyse("bridge", sequence((b.bridge, -45, -45, 1), *bridge_rep(0, 10.5)))
    assert report.reps.count == 1 and report.reps.items[0].held is True
    assert report.reps.items[0].top_spread < 6.0          # held still: the top moved a few degrees at most
    assert "No form cues: well done" in end_screen_lines(report, {})


def test_a_session_cut_off_hard_keeps_the_hold_it_was_in(tmp_path):
    """A live session's log notes the hold in progress every second: killed at 7.5 s into a plank
    (no close, no report), the rebuilt report still has the hold as far as it came."""
    from coach.analysis.recorder import Recorder
    from coach.app.recovery import rebuild_report
    from coach.output.sinks import EventLog
    from coach.specs.reader import find_spec

    log_path = tmp_path / "plank.events.jsonl"
    recorder = Recorder(find_spec("plank"), EventLog(log_path, header={"exercise": "plank"}))
    for pose, t in sequence((lambda v: b.lying(), 0, 0, 1.5), (lambda v: b.plank(), 0, 0, 6.0)):
        recorder.step(pose, t)
    recorder.log.close()                          # what a kill -9 leaves: the lines flushed so far
    rebuilt = rebuild_report(log_path, {"exercise": "plank"})
    assert rebuilt.hold.count == 1 and rebuilt.hold.total_s == pytest.approx(6.0, abs=1.2)
    assert rebuilt.hold.items[0].side is None


def test_a_cue_says_what_it_rests_on():
    """The report keeps the metric, the limit it passed and the median reading while it showed; the
    summary says it in words."""
    report = analyse("plank", sequence((lambda v: b.lying(), 0, 0, 1.5), (lambda v: b.plank(20), 0, 0, 6.0)))
    [cue] = report.warnings
    assert (cue.id, cue.metric, cue.limit, cue.unit) == ("hips_sagging", "hip_line", -10.0, "deg")
    assert cue.value == pytest.approx(-20.0, abs=2.0)
    assert Report.from_dict(report.to_dict()).warnings[0].value == cue.value
    line = next(line for line in summary_lines(report) if line.startswith("form cues"))
    assert "hip line -20 deg against a limit of -10, for 4." in line


def test_a_rep_dropped_from_its_top_is_not_lowered_slowly():
    """The bridge asks the hips lowered slowly (0.5 s or more from the top): a 1 s way down is, a
    0.2 s drop is not, and the end screen and the summary say how many were."""
    slow = [(b.bridge, -45, 0, 1.0), (b.bridge, 0, 0, 10.5), (b.bridge, 0, -45, 1.0), (b.bridge, -45, -45, 1.0)]
    dropped = [(b.bridge, -45, 0, 1.0), (b.bridge, 0, 0, 10.5), (b.bridge, 0, -45, 0.2), (b.bridge, -45, -45, 1.0)]
    report = analyse("bridge", sequence((b.bridge, -45, -45, 1), *slow, *dropped))
    assert report.reps.count == 2
    assert [r.lowered_slowly for r in report.reps.items] == [True, False]
    assert [r.held for r in report.reps.items] == [True, True]
    screen = end_screen_lines(report, {})
    assert "Lowered slowly: 1 of 2 reps" in screen and not any("well done" in line for line in screen)
    assert any("lowered slowly: 1 of 2 reps" in line for line in summary_lines(report))


def test_a_rep_read_on_a_faint_far_limb_counts_but_its_range_is_not_claimed():
    """The raised leg on the far side at visibility 0.4: counted (the spec asks 0.3), but its top
    was not seen clearly enough to say how far it went."""
    faint = lambda v: b.bird_dog(v, far_visibility=0.4)  # noqa: E731
    clear = lambda v: b.bird_dog(v, far_visibility=0.9)  # noqa: E731
    for shape, seen in ((faint, False), (clear, True)):
        report = analyse("bird_dog", sequence((shape, -85, -85, 1.0), (shape, -85, 0, 1.0), (shape, 0, 0, 2.0),
                                              (shape, 0, -85, 1.0), (shape, -85, -85, 1.0)))
        assert report.reps.count == 1 and report.reps.items[0].top_seen is seen


def test_each_rep_has_a_short_score_of_what_it_was_judged_by():
    """A bridge rep held as asked and lowered slowly scores 4 of 4; one dropped after 2 s at the
    top scores 2 of 4 and says what it missed, in the report, the summary and the screen's line."""
    from coach.output.text import rep_score_line

    good = [(b.bridge, -45, 0, 1.0), (b.bridge, 0, 0, 10.5), (b.bridge, 0, -45, 1.0), (b.bridge, -45, -45, 1.0)]
    short = [(b.bridge, -45, 0, 1.0), (b.bridge, 0, 0, 2.0), (b.bridge, 0, -45, 0.2), (b.bridge, -45, -45, 1.0)]
    report = analyse("bridge", sequence((b.bridge, -45, -45, 1), *good, *short))
    first, second = report.reps.items
    assert [name for name, _ in first.checks] == ["range", "held", "lowered_slowly", "form"]
    assert (first.score, second.score) == ((4, 4), (2, 4))
    assert rep_score_line(first, {}) == "Rep 1: 4 of 4, all good"
    assert rep_score_line(second, {}) == "Rep 2: 2 of 4, top too short, came down fast"
    assert report.to_dict()["reps"]["items"][1]["score"] == {"passed": 2, "of": 4,
                                                            "missed": ["held", "lowered_slowly"]}
    assert Report.from_dict(report.to_dict()).reps.items[1].score == (2, 4)
    assert "each rep's score (full range, held as asked, lowered slowly, no cue): 4/4 2/4" in summary_lines(report)


def test_a_partial_rep_is_scored_on_range_and_form_only():
    """Its hold and pace are not judged (it never reached the top), so they are not in its score."""
    from coach.types import RepItem

    partial = RepItem(index=1, side=None, start_s=0.0, end_s=2.0, complete=False, peak=5.0, hold_s=0.0)
    assert partial.checks == (("range", False), ("form", True)) and partial.score == (1, 2)
    unseen = RepItem(index=2, side="left", start_s=0.0, end_s=2.0, complete=True, peak=5.0, hold_s=1.0,
                     top_seen=False, warnings=("leg_not_level",))
    assert unseen.checks == (("range", None), ("form", False)) and unseen.score == (0, 1)


def _feet_hidden(pose):
    from coach.lab.disturb import FEET
    from coach.types import Pose

    visibility = pose.visibility.copy()
    visibility[FEET] = 0.0
    return Pose(xy=pose.xy, visibility=visibility, depth=pose.depth, image_size=pose.image_size)


def test_a_plank_timed_with_the_feet_out_of_sight_says_what_it_could_not_tell():
    """Without the feet the plank's straight legs and knees off the floor are stood in for by the
    thigh in line with the body, which kneeling and lying on the forearms pass too: the time counts,
    and the report, the summary and the end screen say what it may include."""
    seen = analyse("plank", sequence((lambda v: b.lying(), 0, 0, 1.5), (lambda v: b.plank(), 0, 0, 6.0)))
    hidden = analyse("plank", sequence((lambda v: _feet_hidden(b.lying()), 0, 0, 1.5),
                                       (lambda v: _feet_hidden(b.plank()), 0, 0, 6.0)))
    assert seen.hold_note is None
    assert hidden.hold.total_s == pytest.approx(seen.hold.total_s, abs=0.5)
    assert hidden.hold_note is not None and " s of the hold your feet were out of the picture" in hidden.hold_note
    assert abs(int(hidden.hold_note.split()[1]) - hidden.hold.total_s) <= 1.0      # "For 5 s of the hold ..."
    assert hidden.hold_note.count("kneeling") == 1                 # two stand-ins, the same words: said once
    assert hidden.hold_note in summary_lines(hidden) and HOLD_NOTE_SHORT in end_screen_lines(hidden, {})
    assert Report.from_dict(hidden.to_dict()).hold_note == hidden.hold_note


def test_moments_on_stand_ins_too_short_to_be_a_hold_are_not_called_one():
    """A plank held 1.5 s with the feet unseen is no hold (the plank asks 2 s at least): no hold,
    and no note of what a hold's time may include."""
    report = analyse("plank", sequence((lambda v: _feet_hidden(b.lying()), 0, 0, 1.5),
                                       (lambda v: _feet_hidden(b.plank()), 0, 0, 1.5),
                                       (lambda v: _feet_hidden(b.lying()), 0, 0, 2.0)))
    assert report.hold.total_s == 0.0 and report.hold_note is None

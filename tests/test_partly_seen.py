"""A body partly out of the picture: judged on the parts in view, and the report says what was not seen."""

from __future__ import annotations

import pytest

from coach.analysis.recorder import Recorder
from coach.lab.synth.cli import TIMELINES
from coach.lab.synth.exact import exact_poses
from coach.lab.synth.timeline import load_timeline
from coach.specs.reader import find_spec


def _report(timeline: str, spec_id: str, camera: dict) -> dict:
    tl = load_timeline(TIMELINES / f"{timeline}.toml")
    tl.camera.update(camera)
    recorder = Recorder(find_spec(spec_id))
    for t, pose in exact_poses(tl):
        recorder.step(pose, t)
    return recorder.close()


def test_a_plank_with_its_feet_out_of_the_picture_is_judged_on_the_knees():
    """The camera 0.8 m too far toward the head: the ankles and feet are out of the frame for the
    whole plank. The hold is timed and the sag is warned about as with the whole body in view."""
    whole = _report("plank_demo", "plank", {})
    cut = _report("plank_demo", "plank", {"crop_shift_m": -0.8})
    assert whole.not_seen == {} and cut.not_seen == {"ankles": 1.0, "feet": 1.0}
    assert cut.hold.total_s == pytest.approx(whole.hold.total_s, abs=0.2)
    assert cut.hold.in_form_s == pytest.approx(whole.hold.in_form_s, abs=0.3)
    assert [w.id for w in cut.warnings] == [w.id for w in whole.warnings] == ["hips_sagging"]


@pytest.mark.parametrize("shift, not_seen", [
    (0.6, {"wrists": 1.0}),      # the camera toward the feet: the reaching hands cut off
    (-0.8, {"ankles": 1.0}),     # toward the head: the feet cut off
])
def test_a_superman_with_its_hands_or_feet_cut_off_counts_on_the_elbows_or_knees(shift, not_seen):
    """Arms and legs are measured to the elbows and knees when the wrists or ankles are out of
    the picture, and the arms' reach past the head (not their lift) tells a superman from a push-up."""
    whole = _report("superman_demo", "superman", {})
    cut = _report("superman_demo", "superman", {"crop_shift_m": shift})
    assert cut.not_seen == not_seen
    assert (cut.reps.count, cut.reps.partial) == (whole.reps.count, whole.reps.partial) == (1, 1)


def test_a_curl_up_with_its_feet_out_of_the_picture_is_judged_on_the_knees_above_the_hips():
    """The camera 0.95 m toward the head: the ankles are out of the frame all along, so the knee
    angle that says "knees bent" cannot be measured; the knees standing above the hips say it
    instead, and the three curl-ups count as with the whole body (none did before)."""
    whole = _report("partial_curl_demo", "partial_curl", {})
    cut = _report("partial_curl_demo", "partial_curl", {"crop_shift_m": 0.95})
    assert whole.not_seen == {} and cut.not_seen == {"ankles": 1.0}
    assert (cut.reps.count, cut.reps.partial) == (whole.reps.count, whole.reps.partial) == (3, 0)


def test_a_seated_hamstring_stretch_with_the_bent_knee_hidden_is_timed_on_the_straight_leg():
    """The bent knee hidden all along (behind the straight leg, as MediaPipe read one synthetic clip
    from 0.89 m up): "sitting" is confirmed by the straight leg's thigh lying level instead of the bent
    one's, and the stretch is timed as with both knees seen (it was never timed before)."""
    from coach import landmarks
    from coach.analysis.recorder import run_poses
    from coach.lab.disturb import unseen

    spec = find_spec("hamstring_stretch_seated")
    frames = [(pose, t) for t, pose in exact_poses(load_timeline(TIMELINES / "hamstring_stretch_seated_demo.toml"))]
    whole_report = run_poses(spec, frames)
    cut_report = run_poses(spec, unseen([landmarks.INDEX["right_knee"]])(frames))   # the demo stretches the left leg
    assert cut_report.not_seen == {"knees": 1.0}
    assert whole_report.hold.total_s > 5.0
    assert cut_report.hold.total_s == pytest.approx(whole_report.hold.total_s, abs=0.2)

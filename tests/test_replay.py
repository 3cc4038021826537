"""The engine on landmarks recorded once from real clips (tools/record_traces.py).

These traces are real human motion with MediaPipe's own jitter, dropouts,
cuts and title cards. Expected values come from ../shared/videos/labels.json;
where a label is approximate the bound says how far it is trusted.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.analysis.recorder import run_poses
from coach.io.replay import Trace
from coach.lab.disturb import FEET, cut_start, rolled, unseen
from coach.specs.reader import find_spec

TRACES = Path(__file__).resolve().parent / "data" / "traces"


def replay(name: str, exercise: str) -> dict:
    return run_poses(find_spec(exercise), Trace(TRACES / f"{name}.npz").poses())


@pytest.mark.parametrize("name, label_s, tolerance_s", [
    ("gymnai_forearm_plank", 8.0, 1.0),         # high confidence, whole clip
    ("kaiakol_plank_correct_005", 6.5, 1.0),    # high confidence, whole clip
])
def test_plank_holds_match_labels(name, label_s, tolerance_s):
    report = replay(name, "plank")
    assert report.hold.total_s == pytest.approx(label_s, abs=tolerance_s)
    assert report.hold.in_form_s == pytest.approx(report.hold.total_s, abs=0.2)  # labelled good form
    assert report.warnings == []


def test_piked_plank_is_warned():
    report = replay("kaiakol_plank_correct_006", "plank")   # label: piked hips (~147 deg)
    assert {w.id for w in report.warnings} == {"hips_piked"}
    assert report.hold.in_form_s < report.hold.total_s / 2


@pytest.mark.parametrize("name, low, high", [
    ("malik_butt_bridge_tutorial", 7, 9),   # ~8 reps, two demonstrators
    ("pal_frog_pump", 7, 9),                # ~8 frog pumps
])
def test_bridge_rep_counts(name, low, high):
    report = replay(name, "bridge")
    assert low <= report.reps.count <= high
    assert "back_arched" not in {w.id for w in report.warnings}   # labelled good form


def test_bird_dog_one_rep_with_hold():
    report = replay("gymnai_bird_dog_overlay", "bird_dog")   # 1 rep, ~4 s hold
    assert report.reps.count == 1
    assert 2.5 <= report.reps.items[0].hold_s <= 5.0


@pytest.mark.parametrize("name", ["mrpose_pushup_with_trainer", "nikan_squat_side"])
@pytest.mark.parametrize("exercise", ["bridge", "bird_dog"])
def test_controls_give_no_reps(name, exercise):
    report = replay(name, exercise)
    assert report.reps.count == 0 and report.reps.partial == 0
    assert report.hold.total_s == 0.0


@pytest.mark.parametrize("name", ["mrpose_pushup_with_trainer", "nikan_squat_side"])
def test_controls_give_no_plank_hold(name):
    # The push-up's top is a straight-arm plank for 1.3-1.6 s at a time:
    # passing through, not holding (the hold needs the arms still for 2 s).
    assert replay(name, "plank").hold.total_s == 0.0


def test_other_exercises_do_not_count_as_bridges():
    for name in ("gymnai_forearm_plank", "gymnai_bird_dog_overlay", "malik_plank_tutorial"):
        report = replay(name, "bridge")
        assert report.reps.count == 0, name


@pytest.mark.parametrize("name", ["pal_frog_pump", "malik_butt_bridge_tutorial", "tobefrank_glute_bridge",
                                  "pal_child_pose_rock"])
def test_bridges_and_childs_pose_are_no_supermen(name):
    """A superman reaches forward past the head with the legs stretched out behind: a bridge's
    arms lie by its sides (it used to count 1-8 supermen) and child's pose folds the legs under."""
    report = replay(name, "superman")
    assert (report.reps.count, report.reps.partial) == (0, 0)


def test_a_lift_found_while_settling_in_counts_and_a_foreshortened_neck_is_not_judged():
    """MediaPipe on one of our synthetic clips (superman_demo, seed 13: camera 0.95 m up, 10 deg
    off the side; recorded with `coach eval --landmarks`). The body is found only 0.5 s before
    the lift, so the lift is near its top by the time the position has settled; and from that
    height the face-down head puts the nose on the shoulder, where the neck's angle swings
    between -80 and +85 deg. Truth: one rep, head in line."""
    report = replay("synth_superman_high_camera", "superman")
    assert report.reps.count == 1
    assert report.warnings == []


# --- The whole labelled dev table (coach/lab/real_labels.toml) on the recorded traces -------------------

def _real_labels() -> dict:
    import tomllib

    from coach.lab.evaluate import REAL_LABELS_FILE

    return tomllib.loads(REAL_LABELS_FILE.read_text())


#: Clips still scored wrong, each with why. A new miss fails; a listed one that is fixed fails too,
#: so the list shrinks with the code. "form": the cues given differ from the labelled errors.
KNOWN_MISSES = {
    # Timed from the first straight-legged frame (19.8 s) to the fade-out (35.8 s): the label's
    # ~20.8-35.3 s is a second shorter.
    "piranavie_plank_from_quadruped": {"hold"},
    # Up-dog press-ups from a high plank: never lying first, so no rep; the low up dog lifts the
    # hips 0.3-0.5 torso lengths, above the spec's 0.25 for "hips stay down".
    "fitbod_up_dog": {"count", "form"},
    # A tutorial from several camera angles: a lift pauses half-way up for 2 s (29.7-31.6 s), which
    # reads as a low top (hips_low) before it goes on up.
    "malik_butt_bridge_tutorial": {"form"},
}
KNOWN_CONTROL_MISSES: set[tuple[str, str]] = set()


@pytest.mark.parametrize("clip", _real_labels()["clip"], ids=lambda c: Path(c["file"]).stem)
def test_labelled_real_clip(clip):
    """Counts, holds and form cues on every labelled dev clip's recorded landmarks."""
    name = Path(clip["file"]).stem
    report = replay(name, clip["spec"])
    counted = report.hold.count if report.kind == "hold" else report.reps.count
    results = {
        "count": "reps" not in clip or counted == clip["reps"],
        "hold": "hold_s" not in clip or
        abs(report.hold.total_s - clip["hold_s"]) <= max(1.0, 0.1 * clip["hold_s"]),
        "form": "warnings" not in clip or {w.id for w in report.warnings} == set(clip["warnings"]),
    }
    wrong = {what for what, ok in results.items() if not ok}
    assert wrong == KNOWN_MISSES.get(name, set())


@pytest.mark.parametrize("control", _real_labels()["control"], ids=lambda c: Path(c["file"]).stem)
def test_controls_give_nothing_under_any_spec(control):
    from coach.specs.reader import builtin_spec_paths

    name = Path(control["file"]).stem
    active = set()
    for exercise in builtin_spec_paths():
        report = replay(name, exercise)
        if report.reps.count or report.reps.partial or report.hold.total_s:
            active.add((name, exercise))
    assert active == {miss for miss in KNOWN_CONTROL_MISSES if miss[0] == name}


def test_a_five_fps_crunch_counts_every_pulse():
    """The real table-top crunch (7 quick pulses, 24 fps) read at 5 fps, as from a GIF: every fifth
    frame misses the bottom between pulses, so most start 4-9 deg above the person's rest. Measured
    from where each started, two rose less than two thirds of the person's range and read partial;
    measured from the rest, like the full reps that give that range, all seven count."""
    frames = list(Trace(TRACES / "slayer_tabletop_crunch.npz").poses())[::5]
    report = run_poses(find_spec("partial_curl"), frames)
    assert (report.reps.count, report.reps.partial) == (7, 0)


@pytest.mark.parametrize("cut_s, reps", [(1.0, 7), (2.5, 6), (5.0, 4)])
def test_a_crunch_begun_while_the_position_settles_counts(cut_s, reps):
    """The real table-top crunch with its start cut just before a rep (as a clip that opens on
    someone already moving): the position takes half a second to confirm, and the rep rose past
    the start level within it. It began when it rose, not when the position was confirmed (from
    then it read 0.42 s, too short for a rep), and its top may have been before it too."""
    frames = cut_start(cut_s)(list(Trace(TRACES / "slayer_tabletop_crunch.npz").poses()))
    report = run_poses(find_spec("partial_curl"), frames)
    assert report.reps.count == reps


def _feet_hidden(name: str) -> list:
    """A recorded trace with the ankles, heels and feet not seen in any frame (cut by the picture's edge)."""
    return unseen(FEET)(list(Trace(TRACES / f"{name}.npz").poses()))


@pytest.mark.parametrize("name, exercise, reps", [
    ("pal_frog_pump", "bridge", 8),
    ("tobefrank_glute_bridge", "bridge", 1),
    ("slayer_tabletop_crunch", "partial_curl", 7),
    ("atc_dead_bug_cutout", "dead_bug", 7),     # the leg's stretch read at the hip instead of the knee
])
def test_feet_out_of_the_picture_bridges_curl_ups_and_dead_bugs_still_count(name, exercise, reps):
    report = run_poses(find_spec(exercise), _feet_hidden(name))
    assert report.reps.count == reps
    assert report.not_seen.get("ankles") == 1.0


@pytest.mark.parametrize("name", ["nikan_squat_side", "kratika_squat_front", "myoxyn_pushups_outdoor",
                                  "mrpose_pushup_with_trainer", "tobefrank_reverse_lunge"])
@pytest.mark.parametrize("exercise", ["bridge", "partial_curl", "dead_bug"])
def test_feet_out_of_the_picture_controls_are_still_no_bridge_curl_up_or_dead_bug(name, exercise):
    report = run_poses(find_spec(exercise), _feet_hidden(name))
    assert (report.reps.count, report.reps.partial, report.hold.total_s) == (0, 0, 0.0)


# --- A camera not level (benchmarks/real_robustness.py, rows "rolled") ----------------------------------

def _rolled(name: str, degrees: float) -> list:
    return rolled(degrees)(list(Trace(TRACES / f"{name}.npz").poses()))


@pytest.mark.parametrize("degrees", [3, -3, 5, -5])
def test_a_squat_is_no_hip_flexor_stretch_from_a_camera_not_level(degrees):
    """The bottom of a squat passes for a half-kneeling stretch on the thighs and torso; only its
    time (under the 2 s a hold needs) told them apart, and with the picture turned 3 deg it held
    2.2 s. The kneeling shin tells them apart by shape: along the floor (real -1 to +1 deg),
    slanting back in a deep lunge, steep in a squat (-63 to -89)."""
    report = run_poses(find_spec("hip_flexor_stretch"), _rolled("nikan_squat_side", degrees))
    assert (report.hold.count, report.hold.total_s) == (0, 0.0)


def test_a_half_kneeling_stretch_with_the_back_foot_out_of_the_picture_is_still_timed():
    """With the kneeling shin unseen, its condition stands in as the kneeling thigh pointing down."""
    whole = replay("tobefrank_half_kneeling_hip_flexor", "hip_flexor_stretch")
    cut = run_poses(find_spec("hip_flexor_stretch"), _feet_hidden("tobefrank_half_kneeling_hip_flexor"))
    assert cut.hold.total_s == pytest.approx(whole.hold.total_s, abs=0.1) and whole.hold.total_s > 2.0


@pytest.mark.parametrize("degrees", [5, -5])
def test_an_alternating_superman_from_a_camera_not_level_counts_every_lift(degrees):
    """The lifted near leg tips the ankle-to-shoulder line to -15 deg; turned 5 deg more, the lifts
    of one side read as out of position (6 of 8)."""
    report = run_poses(find_spec("superman"), _rolled("slayer_superman_alternating", degrees))
    assert report.reps.count == 8

"""Each spec end to end on synthetic landmark sequences: reps, holds, warnings, dropouts."""

from __future__ import annotations

import math
from collections.abc import Callable

import bodies2d as b
import numpy as np
import pytest

from coach.analysis.recorder import run_poses
from coach.specs.reader import find_spec
from coach.types import Pose

FPS = 30.0
Shape = Callable[[float], Pose]


def sequence(*segments: tuple[Shape | None, float, float, float], noise_px: float = 1.5, seed: int = 0):
    """(builder, start value, end value, seconds) ramps -> (pose, t) pairs with jitter.

    A None builder is nobody in view for that many seconds.
    """
    rng = np.random.default_rng(seed)
    out: list[tuple[Pose | None, float]] = []
    for shape, start, end, seconds in segments:
        for v in np.linspace(start, end, int(seconds * FPS), endpoint=False):
            t = len(out) / FPS
            out.append((None if shape is None else b.jitter(shape(v), rng, noise_px), t))
    return out


def analyse(exercise: str, frames):
    return run_poses(find_spec(exercise), frames)


def warning_ids(report) -> set[str]:
    return {w.id for w in report.warnings}


# ---------------------------------------------------------------- bridge
def bridge_rep(top: float, hold_s: float = 2.0):
    return [(b.bridge, -45, top, 1.0), (b.bridge, top, top, hold_s), (b.bridge, top, -45, 1.0), (b.bridge, -45, -45, 1.0)]


@pytest.mark.parametrize("name, segments, reps, partial, warnings", [
    ("two clean reps", [(b.bridge, -45, -45, 1)] + bridge_rep(0) * 2, 2, 0, set()),
    ("hips not high enough", [(b.bridge, -45, -45, 1)] + bridge_rep(-16, 3), 0, 1, {"hips_low"}),
    ("back arched", [(b.bridge, -45, -45, 1)] + bridge_rep(22, 3), 1, 0, {"back_arched"}),
    ("lying still", [(b.bridge, -45, -45, 6)], 0, 0, set()),
    ("walks past, lies down, one rep, gets up",
     [(lambda v: b.standing(v), 100, 500, 2), (b.bridge, -45, -45, 1)] + bridge_rep(0)
     + [(lambda v: b.standing(320), 0, 0, 2)], 1, 0, set()),
])
def test_bridge(name, segments, reps, partial, warnings):
    report = analyse("bridge", sequence(*segments))
    assert (report.reps.count, report.reps.partial) == (reps, partial), name
    assert warning_ids(report) == warnings, name


def test_bridge_jitter_at_the_start_threshold_makes_no_rep():
    report = analyse("bridge", sequence((b.bridge, -45, -45, 1), (b.bridge, -22, -22, 6), noise_px=3.0))
    assert report.reps.count == 0 and report.reps.partial == 0


def test_bridge_rep_hold_time_is_measured():
    report = analyse("bridge", sequence((b.bridge, -45, -45, 1), *bridge_rep(0, hold_s=5.0)))
    item = report.reps.items[0]
    assert item.complete and item.hold_s == pytest.approx(5.5, abs=0.6)
    assert report.hold.total_s == pytest.approx(item.hold_s, abs=0.3)


def test_bridge_dropout_mid_rep_still_counts_and_long_absence_does_not():
    short = sequence((b.bridge, -45, -45, 1), (b.bridge, -45, 0, 1), (b.bridge, 0, 0, 1), (None, 0, 0, 0.4),
                     (b.bridge, 0, 0, 1), (b.bridge, 0, -45, 1), (b.bridge, -45, -45, 1))
    assert analyse("bridge", short).reps.count == 1
    long = sequence((b.bridge, -45, -45, 1), (b.bridge, -45, 0, 1), (b.bridge, 0, 0, 1), (None, 0, 0, 4),
                    (b.bridge, 0, 0, 1), (b.bridge, 0, -45, 1), (b.bridge, -45, -45, 1))
    assert analyse("bridge", long).reps.count == 0


def test_hidden_knee_pauses_and_names_it():
    from coach.analysis.session import Session

    session = Session(find_spec("bridge"))
    pose = b.make_pose({"shoulder": np.array([150.0, 400.0]), "hip": np.array([290.0, 380.0]),
                        "knee": np.array([420.0, 290.0]), "ankle": np.array([450.0, 405.0])},
                       hidden=("left_knee", "right_knee"))
    snapshot = session.update(pose, 0.0)
    assert snapshot.state == "cant_see"
    assert "knees" in snapshot.message


# ---------------------------------------------------------------- plank
@pytest.mark.parametrize("name, sag, elbow, hold, in_form, warnings", [
    ("straight plank", 0, 0, 8.0, 8.0, set()),
    ("sagging hips", 20, 0, 8.0, 1.0, {"hips_sagging"}),      # the hips' cues wait 1 s (the way in and out)
    ("piked hips", -20, 0, 8.0, 1.0, {"hips_piked"}),
    ("elbows ahead of shoulders", 0, 75, 8.0, 0.0, {"elbows_not_under_shoulders"}),
])
def test_plank(name, sag, elbow, hold, in_form, warnings):
    report = analyse("plank", sequence((lambda v: b.lying(), 0, 0, 1.5), (lambda v: b.plank(sag, elbow), 0, 0, 8.5),
                                       (lambda v: b.lying(), 0, 0, 1.5)))
    assert report.hold.total_s == pytest.approx(hold, abs=0.7), name
    assert report.hold.in_form_s == pytest.approx(in_form, abs=0.9), name
    assert warning_ids(report) == warnings, name


def test_plank_sag_midway_splits_in_form_time():
    report = analyse("plank", sequence((lambda v: b.plank(0), 0, 0, 4), (lambda v: b.plank(20), 0, 0, 4),
                                       (lambda v: b.plank(0), 0, 0, 4)))
    assert report.hold.total_s == pytest.approx(11.5, abs=0.7)
    assert report.hold.in_form_s == pytest.approx(7.5, abs=1.0)
    assert [w.id for w in report.warnings] == ["hips_sagging"]


def test_plank_faced_from_the_right_reads_the_same():
    report = analyse("plank", sequence((lambda v: b.plank(20, near="right"), 0, 0, 6)))
    assert warning_ids(report) == {"hips_sagging"}


def test_nobody_in_view_gives_nothing():
    report = analyse("plank", sequence((None, 0, 0, 5)))
    assert report.pose_coverage == 0.0 and report.hold.total_s == 0.0 and report.message


def test_dropout_inside_a_plank_hold_is_bridged():
    report = analyse("plank", sequence((lambda v: b.plank(0), 0, 0, 4), (None, 0, 0, 0.3),
                                       (lambda v: b.plank(0), 0, 0, 4)))
    assert report.hold.longest_s == pytest.approx(report.hold.total_s, abs=0.01)


# ---------------------------------------------------------------- bird dog
def bird_rep(lift: float = 0.0, hold: float = 2.0, **form):
    shape = lambda v: b.bird_dog(v, **form)  # noqa: E731
    return [(shape, -85, lift, 1.0), (shape, lift, lift, hold), (shape, lift, -85, 1.0),
            (lambda v: b.bird_dog(-85), 0, 0, 1.0)]


@pytest.mark.parametrize("name, segments, reps, warnings", [
    ("two clean reps", bird_rep() * 2, 2, set()),
    ("leg kicked too high", bird_rep(0.0, 3.0, leg_line=30), 1, {"leg_not_level"}),
    ("arm hanging low", bird_rep(0.0, 3.0, arm_lift=-40), 1, {"arm_not_level"}),
    ("back sagging", bird_rep(0.0, 3.0, back_bend=-30), 1, {"back_not_flat"}),
])
def test_bird_dog(name, segments, reps, warnings):
    report = analyse("bird_dog", sequence((lambda v: b.bird_dog(-85), 0, 0, 1.0), *segments))
    assert report.reps.count == reps, name
    assert warning_ids(report) == warnings, name
    if reps:
        assert report.reps.by_side == {"left": 0, "right": reps}


def test_bird_dog_counts_on_a_faint_far_side_but_does_not_warn_on_it():
    """Far limbs at visibility 0.4: enough to count (the spec asks 0.3), too faint to judge form."""
    shape = lambda v: b.bird_dog(v, arm_lift=-40, far_visibility=0.4)  # noqa: E731
    rest = lambda v: b.bird_dog(-85, far_visibility=0.4)  # noqa: E731
    report = analyse("bird_dog", sequence((rest, 0, 0, 1.0), (shape, -85, 0, 1.0), (shape, 0, 0, 3.0),
                                          (shape, 0, -85, 1.0), (rest, 0, 0, 1.0)))
    assert report.reps.count == 1
    assert warning_ids(report) == set()


def test_bird_dog_half_raised_leg_is_a_partial_rep():
    report = analyse("bird_dog", sequence((lambda v: b.bird_dog(-85), 0, 0, 1.0), *bird_rep(-30, 3.0)))
    assert report.reps.partial == 1 and report.reps.count == 0
    assert {"leg_low", "arm_not_level"} <= warning_ids(report)


# ---------------------------------------------------------------- superman
def swimmer(leg_up: float) -> Pose:
    """Lying face down, arms forward: the near leg lifted ``leg_up`` deg with the far arm (the
    alternating superman from the side), the far leg and near arm on the floor."""
    pose = b.lying()
    hip, shoulder = pose.xy[23], pose.xy[11]          # left (near) hip and shoulder
    far_leg = {"hip": pose.xy[24], "knee": pose.xy[26], "ankle": pose.xy[28]}
    raised = {"knee": hip + 85.0 * np.array([-np.cos(np.radians(leg_up)), -np.sin(np.radians(leg_up))]),
              "ankle": hip + 170.0 * np.array([-np.cos(np.radians(leg_up)), -np.sin(np.radians(leg_up))])}
    arm = {"elbow": shoulder + 50.0 * np.array([np.cos(np.radians(leg_up / 3)), -np.sin(np.radians(leg_up / 3))]),
           "wrist": shoulder + 110.0 * np.array([np.cos(np.radians(leg_up / 3)), -np.sin(np.radians(leg_up / 3))])}
    near = {"shoulder": shoulder, "hip": hip, "elbow": pose.xy[13], "wrist": pose.xy[15], **raised,
            "head": pose.xy[0]}
    return b.make_pose(near, far_joints={**far_leg, "shoulder": pose.xy[12], **arm})


def test_a_superman_is_still_lying_with_one_leg_lifted_high():
    """Filmed 45 deg off the side, a real alternating superman's lifted leg tips its own
    ankle-shoulder line to -36 (the one on the floor reads -17): lying is read along the leg that
    stays down, so the lift counts instead of taking the person out of the position."""
    lift = lambda v: swimmer(v)  # noqa: E731
    report = analyse("superman", sequence((lift, 0, 0, 1.5), (lift, 0, 65, 0.6), (lift, 65, 65, 1.0),
                                          (lift, 65, 0, 0.6), (lift, 0, 0, 1.5)))
    assert report.reps.count == 1


# ---------------------------------------------------------------- position metrics out of sight
def test_a_position_metric_out_of_sight_does_not_end_a_rep(tmp_path):
    """Lifting the chest hides the elbow beside it; the arms-by-the-sides check then cannot be
    read, which is not being out of position: the lift goes on counting."""
    from coach.specs.reader import load_spec

    path = tmp_path / "lift.toml"
    path.write_text('''
id = "lift"
name = "Chest lift"
kind = "reps"
view = "side"
camera = "side"
instructions = "lift"
key_metrics = ["chest"]
[metrics.chest]
kind = "inclination"
points = ["hip", "shoulder"]
[metrics.upper_arm]
kind = "inclination"
points = ["elbow", "shoulder"]
[[position]]
metric = "upper_arm"
max = 30
[reps]
metric = "chest"
start_above = 5
full_at = 12
rest_below = 3
min_rep_s = 1.0
''')
    spec = load_spec(path)

    def prone(lift_deg: float, elbow_hidden: bool) -> Pose:
        hip = np.array([300.0, 385.0])
        rad = np.radians(lift_deg)
        shoulder = hip + 170.0 * np.array([np.cos(rad), -np.sin(rad)])
        return b.make_pose({"shoulder": shoulder, "hip": hip, "knee": np.array([210.0, 388.0]),
                            "ankle": np.array([130.0, 390.0]), "elbow": np.array([250.0, 380.0]),
                            "wrist": np.array([200.0, 385.0])},
                           hidden=("left_elbow", "right_elbow") if elbow_hidden else ())

    frames = []
    for lift, hidden, seconds in ((0, False, 1), (20, True, 3), (0, False, 1)):
        for _ in range(int(seconds * FPS)):
            frames.append((prone(lift, hidden), len(frames) / FPS))
    report = run_poses(spec, frames)
    assert report.reps.count == 1


# ---------------------------------------------------------------- how far off the side the camera is
def test_spread_tells_a_side_view_from_a_turned_one_and_gates_cat_cows_placement_rules():
    from coach.analysis.holds import conditions_hold
    from coach.analysis.metrics import MetricComputer

    spec = find_spec("cat_cow")
    near = {"shoulder": np.array([420.0, 250.0]), "hip": np.array([260.0, 255.0]),
            "knee": np.array([255.0, 360.0]), "ankle": np.array([130.0, 365.0]),
            "elbow": np.array([450.0, 305.0]), "wrist": np.array([480.0, 360.0])}    # hands ahead of the shoulder
    side = b.make_pose(near)                                                         # far side right behind
    turned = b.make_pose(near, far_joints={k: v + np.array([-25.0, -55.0]) for k, v in near.items()})
    computer = MetricComputer(spec)
    from_side, _ = computer.compute(side, "left")
    off_side, _ = computer.compute(turned, "left")
    assert from_side.get("off_side") < 0.1 and 0.3 < off_side.get("off_side") < 0.45
    rule = next(w for w in spec.warnings if w.id == "hands_not_under_shoulders")
    assert rule.violated(from_side.get("arm")) and rule.violated(off_side.get("arm"))
    assert conditions_hold(rule.only_if, from_side) is True          # judged from the side
    assert conditions_hold(rule.only_if, off_side) is False          # not from 35-45 deg off it


# ---------------------------------------------------------------- "any of" over the limbs in view
def test_a_twist_holds_on_whichever_knee_is_drawn_bent_and_a_plank_on_neither():
    """The spinal twist's knees_bent is the lower knee angle of those in view (lowest_seen):
    a near knee drawn straight does not hide a bent far one, and a hidden far knee does not
    make the metric unknown, as "lowest" (all of them) would."""
    from coach.analysis.metrics import MetricComputer

    spec = find_spec("spinal_twist")
    computer = MetricComputer(spec)

    def knee_at(angle: float) -> dict[str, np.ndarray]:
        hip, knee = np.array([300.0, 300.0]), np.array([420.0, 300.0])
        turn = math.radians(180.0 - angle)
        return {"shoulder": np.array([140.0, 300.0]), "hip": hip, "knee": knee,
                "ankle": knee + 110.0 * np.array([math.cos(turn), math.sin(turn)])}

    def knees_bent(near: float, far: float, far_visibility: float = 0.6) -> float | None:
        pose = b.make_pose(knee_at(near), far_joints=knee_at(far), far_visibility=far_visibility)
        metrics, _ = computer.compute(pose, "left")
        return metrics.get("knees_bent")

    assert knees_bent(155.0, 127.0) == pytest.approx(127.0, abs=0.5)     # the near knee drawn straight
    assert knees_bent(127.0, 155.0) == pytest.approx(127.0, abs=0.5)
    assert knees_bent(155.0, 127.0, far_visibility=0.1) == pytest.approx(155.0, abs=0.5)   # far knee hidden
    assert knees_bent(175.0, 170.0) > 150.0                                # a plank: no knee bent


def test_the_glute_stretchs_feet_are_judged_on_the_foot_in_view_when_the_far_one_is_hidden():
    from coach.analysis.metrics import MetricComputer

    spec = find_spec("glute_stretch")
    joints = {"shoulder": np.array([140.0, 300.0]), "hip": np.array([300.0, 300.0]),
              "knee": np.array([330.0, 200.0]), "ankle": np.array([420.0, 240.0])}    # foot off the floor
    computer = MetricComputer(spec)
    seen, _ = computer.compute(b.make_pose(joints, far_visibility=0.6), "left")
    hidden, _ = computer.compute(b.make_pose(joints, far_visibility=0.1), "left")
    assert seen.get("feet") == pytest.approx(hidden.get("feet")) and hidden.get("feet") > 20


def test_the_report_says_which_parts_were_not_seen():
    """A plank whose feet leave the picture for a third of the time: the report says so."""
    from coach.landmarks import INDEX
    from coach.types import Pose

    def feet_out(pose: Pose) -> Pose:
        visibility = pose.visibility.copy()
        for name in ("left_ankle", "right_ankle", "left_foot_index", "right_foot_index", "left_heel", "right_heel"):
            visibility[INDEX[name]] = 0.05
        return Pose(xy=pose.xy, visibility=visibility, depth=pose.depth, image_size=pose.image_size)

    frames = [(b.plank(0.0) if i % 3 else feet_out(b.plank(0.0)), i / 15) for i in range(150)]
    report = run_poses(find_spec("plank"), frames)
    assert set(report.not_seen) == {"ankles", "feet"}      # the hip line's ankles, the hip height's toes
    assert report.not_seen["ankles"] == pytest.approx(1 / 3, abs=0.02)
    assert run_poses(find_spec("plank"), ((b.plank(0.0), i / 15) for i in range(150))).not_seen == {}

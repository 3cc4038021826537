"""Every exercise spec of the catalogue on exact synthetic landmark sequences.

Each spec's demo timeline (coach/lab/synth/timelines/ID_demo.toml) is posed
frame by frame and its joints projected through the timeline's camera
(coach.lab.synth.exact): a perfect pose model. The session must count the reps
(or holds), give them to the right side, time the holds and raise exactly
the warnings the timeline injects. Then each warning is provoked on its own:
a fault is written into the correct-form sequence (a pose parameter changed,
or a landmark moved the way the fault moves it) and only that warning may
appear. What a real pose model adds is measured on rendered clips
(tests/test_corpus.py, benchmarks/eval_synth.py).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pytest

from coach import landmarks
from coach.analysis.report import ReportBuilder
from coach.analysis.session import Session
from coach.lab.evaluate import counted, counted_by_side
from coach.lab.synth.cli import TIMELINES
from coach.lab.synth.exact import exact_poses
from coach.lab.synth.timeline import Timeline, load_timeline
from coach.specs.model import PER_SIDE_MODES
from coach.specs.reader import builtin_spec_paths, find_spec
from coach.types import Pose

#: The catalogue's ids, fixed by issue 4.
CATALOGUE = (
    "bridge", "bird_dog", "plank", "side_plank", "cat_cow", "superman", "dead_bug", "childs_pose",
    "back_extension", "prone_chest_lift", "downward_dog", "hip_flexor_stretch", "hamstring_stretch",
    "hamstring_stretch_seated", "hamstring_stretch_standing", "glute_stretch", "spinal_twist",
    "pelvic_tilt", "partial_curl", "table_top_press", "breathing_90_90",
)
#: Where the coach knowingly reports something else than the timeline's truth, and why.
DIFFERENT_BY_DESIGN = {
    # The tilt itself is a few degrees under the skin: the spec times lying
    # still in position, so the two tilts and the rest between are one hold.
    "pelvic_tilt": "count",
}


def run(timeline: Timeline, spec_id: str, edit: Callable[[dict, Pose], Pose] | None = None) -> dict:
    """The report of a session fed the timeline's exact landmarks (``edit`` may alter each pose)."""
    session = Session(find_spec(spec_id))
    builder = ReportBuilder(session)
    t = 0.0
    for frame, (t, pose) in zip(timeline.frames(), exact_poses(timeline)):
        builder.add(session.update(edit(frame, pose) if edit else pose, t))
    builder.add_events(session.finish(t))
    return builder.build()


def demo(spec_id: str) -> Timeline:
    return load_timeline(TIMELINES / f"{spec_id}_demo.toml")


def test_the_catalogue_is_complete() -> None:
    assert set(builtin_spec_paths()) == set(CATALOGUE)


@pytest.mark.parametrize("spec_id", CATALOGUE)
def test_every_spec_says_where_it_comes_from_and_how_to_film_it(spec_id: str) -> None:
    spec = find_spec(spec_id)
    assert spec.sources and all(s.split()[0].endswith(".txt") for s in spec.sources)
    assert spec.camera and spec.instructions and spec.view in ("side", "front")
    assert spec.targets.hold_s or spec.targets.reps
    if spec.sides in PER_SIDE_MODES:
        assert spec.targets.per_side


@pytest.mark.parametrize("spec_id", CATALOGUE)
def test_demo_in_correct_form(spec_id: str) -> None:
    """Counts, sides, hold time and warnings of the demo timeline, with exact landmarks."""
    timeline = demo(spec_id)
    truth = timeline.expected()
    spec = find_spec(spec_id)
    report = run(timeline, spec_id)
    if DIFFERENT_BY_DESIGN.get(spec_id) != "count":
        want = truth["reps"] if spec.kind == "reps" else truth["holds"]
        assert counted(report) == want
        if truth["by_side"] and spec.sides in PER_SIDE_MODES:
            assert counted_by_side(report) == truth["by_side"]
    got_hold = report.hold.total_s
    if spec.kind == "hold":
        # Seconds in the target position. The timeline's moves into and out
        # of it pass through the target band part of the way: up to 70 % of
        # them may count, none of the hold may be lost.
        ramps = sum(s.seconds for s in timeline.steps if s.phase in ("up", "down"))
        assert truth["hold_s"] - 1.0 <= got_hold
        if DIFFERENT_BY_DESIGN.get(spec_id) != "count":
            # The clip's frames run a frame or two past its steps (152 frames for a 10 s side
            # plank at 15 fps), and a hold held from the first frame is timed to the last.
            assert got_hold <= truth["hold_s"] + 0.7 * ramps + 2.0 / timeline.fps
    assert sorted({w.id for w in report.warnings}) == sorted({w["id"] for w in truth["warnings"]})


# -- faults ---------------------------------------------------------------------------------------

def _xy(pose: Pose, name: str) -> np.ndarray:
    return pose.xy[landmarks.INDEX[name]]


@dataclass
class Move:
    """Move landmarks ``parts`` by ``by`` torso lengths along a direction.

    The direction is ``(dx, dy)`` in the picture when ``along`` is None, or
    from landmark ``along[0]`` to ``along[1]``.
    """

    parts: tuple[str, ...]
    by: float
    along: tuple[str, str] | None = None
    direction: tuple[float, float] = (0.0, -1.0)

    def __call__(self, pose: Pose) -> Pose:
        xy = pose.xy.copy()
        torso = float(np.linalg.norm(_xy(pose, "left_shoulder") - _xy(pose, "left_hip")))
        if self.along:
            d = _xy(pose, self.along[1]) - _xy(pose, self.along[0])
        else:
            d = np.array(self.direction, float)
        d = d / np.linalg.norm(d)
        for part in self.parts:
            xy[landmarks.INDEX[part]] += d * self.by * torso
        return pose.replace_xy(xy)


@dataclass
class Fault:
    """A fault written into a demo timeline: step parameters and/or moved landmarks."""

    spec_id: str
    warning: str
    steps: dict[int, dict[str, float]] = field(default_factory=dict)   # step index -> pose parameters
    moves: tuple[Move, ...] = ()
    in_steps: tuple[int, ...] = ()                                      # where the moves apply

    def timeline(self) -> Timeline:
        timeline = copy.deepcopy(demo(self.spec_id))
        for i, values in self.steps.items():
            timeline.steps[i].values.update(values)
        return timeline

    def edit(self, timeline: Timeline) -> Callable[[dict, Pose], Pose] | None:
        if not self.moves:
            return None
        spans, t = [], 0.0
        for step in timeline.steps:
            spans.append((t, t + step.seconds))
            t += step.seconds
        windows = [spans[i] for i in self.in_steps]

        def apply(frame: dict, pose: Pose) -> Pose:
            if any(a < frame["t"] <= b for a, b in windows):
                for move in self.moves:
                    pose = move(pose)
            return pose
        return apply


BOTH = ("left", "right")


def both(part: str) -> tuple[str, ...]:
    return tuple(f"{s}_{part}" for s in BOTH)


FAULTS = [
    Fault("side_plank", "hips_piked", moves=(Move(both("hip"), 0.35),), in_steps=(2,)),
    Fault("cat_cow", "hands_not_under_shoulders", moves=(Move(both("wrist"), 0.8, ("left_hip", "left_shoulder")),),
          in_steps=tuple(range(10))),
    Fault("cat_cow", "knees_not_under_hips", moves=(Move(both("knee"), 0.8, ("left_shoulder", "left_hip")),),
          in_steps=tuple(range(10))),
    Fault("superman", "too_high", moves=(Move(both("shoulder") + both("elbow") + both("wrist") + ("nose",), 0.9),),
          in_steps=(2,)),
    Fault("superman", "head_up", moves=(Move(("nose",), 0.7),), in_steps=(2,)),
    Fault("dead_bug", "other_knee_dropping", moves=(Move(("left_knee",), 0.9, ("left_hip", "left_shoulder")),),
          in_steps=(2,)),
    Fault("dead_bug", "leg_too_high", moves=(Move(("right_knee",), 0.7), Move(("right_ankle",), 1.4)), in_steps=(2,)),
    # Hips slid forward off the heels, toward the head (on the left in this timeline's picture).
    Fault("childs_pose", "hips_off_heels", moves=(Move(both("hip"), 0.5, direction=(-1.0, 0.0)),), in_steps=(2,)),
    Fault("back_extension", "hips_lifted", moves=(Move(both("hip"), 0.4),), in_steps=(2,)),
    Fault("prone_chest_lift", "feet_lifting", moves=(Move(both("ankle"), 0.5),), in_steps=(2,)),
    Fault("prone_chest_lift", "chin_up", moves=(Move(("nose",), 0.6),), in_steps=(2,)),
    Fault("downward_dog", "knees_very_bent", steps={1: {"shin_L": -40, "shin_R": -40}}),
    Fault("downward_dog", "arms_bent", steps={1: {"forearm_L": -110, "forearm_R": -110}}),
    Fault("hip_flexor_stretch", "leaning_forward", steps={1: {"torso": 55, "chest": 55}}),
    Fault("hip_flexor_stretch", "knee_past_ankle", steps={1: {"shin_L": -40}}),
    Fault("hamstring_stretch", "knee_bent", steps={1: {"shin_L": 20}}),
    Fault("hamstring_stretch", "other_leg_lifting", steps={1: {"thigh_R": 35, "shin_R": 35}}),
    Fault("hamstring_stretch_seated", "knee_bent", steps={1: {"shin_L": -70}}),
    Fault("hamstring_stretch_standing", "knee_bent", steps={2: {"shin_L": -30}}),
    Fault("glute_stretch", "shoulders_lifting", moves=(Move(both("shoulder") + ("nose",), 0.5),), in_steps=(2,)),
    Fault("pelvic_tilt", "hips_lifting", moves=(Move(both("hip"), 0.35),), in_steps=(2,)),
    Fault("partial_curl", "too_high", steps={1: {"torso": 135, "chest": 130}}),
    Fault("table_top_press", "knees_not_over_hips", steps={1: {"thigh_L": 58, "thigh_R": 58}}),
    Fault("table_top_press", "knees_not_at_right_angle", steps={1: {"shin_L": 40, "shin_R": 40}}),
    Fault("breathing_90_90", "knees_not_at_right_angle", steps={1: {"shin_L": 50, "shin_R": 50}}),
]


def test_every_warning_has_a_fault() -> None:
    demos_warn = {(s, w["id"]) for s in CATALOGUE for w in demo(s).expected()["warnings"]}
    faulted = {(f.spec_id, f.warning) for f in FAULTS}
    for spec_id in CATALOGUE:
        for warning in find_spec(spec_id).warnings:
            assert (spec_id, warning.id) in demos_warn | faulted | set(OTHER_TESTS), (spec_id, warning.id)


#: Warnings provoked by other tests (the original three specs' error timelines).
OTHER_TESTS = {
    ("bridge", "hips_low"): "bridge_demo", ("bridge", "back_arched"): "bridge_arched",
    ("plank", "hips_piked"): "plank_pike", ("plank", "elbows_not_under_shoulders"): "tests/test_session.py",
    ("bird_dog", "leg_not_level"): "bird_dog_errors", ("bird_dog", "arm_not_level"): "bird_dog_errors",
    ("bird_dog", "back_not_flat"): "tests/test_session.py", ("bird_dog", "leg_low"): "tests/test_session.py",
}


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f"{f.spec_id}-{f.warning}")
def test_each_warning_alone(fault: Fault) -> None:
    clean = {w["id"] for w in demo(fault.spec_id).expected()["warnings"]}
    timeline = fault.timeline()
    report = run(timeline, fault.spec_id, fault.edit(timeline))
    got = {w.id for w in report.warnings}
    assert fault.warning in got
    assert got - clean <= {fault.warning}


def test_a_bridge_skeleton_with_the_hips_past_the_shoulders_is_not_in_position() -> None:
    """Turned 40-44 deg off the side, MediaPipe drew such skeletons (hip line -180 to -100) for seconds.

    Counted as lying in position, they taught the rep counter a rest of
    -150 that the real first bridge never came back down to.
    """
    session = Session(find_spec("bridge"))
    folded = Move(both("knee"), 1.0, ("left_hip", "left_shoulder"))     # knees drawn past the hips
    seen = {}
    for t, pose in exact_poses(demo("bridge")):
        snap = session.update(folded(pose), t)
        seen[snap.state] = snap.metrics.get("hip_line") if snap.metrics else None
    assert set(seen) == {"not_in_position"}
    assert seen["not_in_position"] < -100


@pytest.mark.parametrize("yaw_deg,height_m", [(-41, 0.7), (-41, 1.0), (-35, 1.0), (41, 1.0)])
def test_dead_bug_is_in_position_from_a_camera_turned_off_the_side(yaw_deg: float, height_m: float) -> None:
    """Lying flat reads a torso incline of up to 29 deg from there, even on exact joints.

    The position once allowed 25 deg, so the first stretch (or all of the
    session) went uncounted from a camera 41 deg off the side.
    """
    timeline = copy.deepcopy(demo("dead_bug"))
    timeline.camera.update(yaw_deg=yaw_deg, height_m=height_m)
    report = run(timeline, "dead_bug")
    assert counted(report) == 2
    assert counted_by_side(report) == {"left": 1, "right": 1}


def test_glute_stretch_holds_stay_apart_when_the_crossed_thigh_reads_upright() -> None:
    """Between sides one foot is on the floor, whatever the thighs read.

    MediaPipe read a crossed thigh 15-20 deg too upright from the side
    (synthetic clips), so the highest thigh never dropped below the hold's
    75 deg between the two sides and both holds ran into one. Here both
    knees are drawn 0.8 torso lengths higher in every frame: the thighs
    alone read as pulled in all along (a rule on the thighs alone gives one
    hold of 15 s).
    """
    timeline = demo("glute_stretch")
    lift = Move(both("knee"), 0.8)
    report = run(timeline, "glute_stretch", lambda frame, pose: lift(pose))
    assert counted(report) == 2
    assert counted_by_side(report) == {"left": 1, "right": 1}


# -- the view the spec needs ----------------------------------------------------------------------

def _states(timeline: Timeline, spec_id: str) -> dict[str, str]:
    session = Session(find_spec(spec_id))
    seen: dict[str, str] = {}
    for t, pose in exact_poses(timeline):
        snap = session.update(pose, t)
        seen.setdefault(snap.state, snap.message)
    return seen


def test_side_view_exercise_filmed_from_the_front_gets_advice_not_judgement() -> None:
    timeline = copy.deepcopy(demo("plank"))
    timeline.camera["yaw_deg"] = 90.0            # the camera looks at the head, not the side
    seen = _states(timeline, "plank")
    assert "active" not in seen
    assert "Turn so that your side faces the camera" in seen["wrong_view"]
    assert "wrong_view" not in _states(demo("plank"), "plank")


def test_front_view_exercise_seen_from_the_side_gets_advice() -> None:
    """A front-view spec given an upright side view (the shoulders overlap) says how to turn, after 2 s.

    Lying down it cannot tell: a side plank seen from the front has its
    shoulders stacked, and MediaPipe draws them on top of each other.
    """
    import dataclasses

    import bodies2d

    spec = dataclasses.replace(find_spec("plank"), view="front", position=())
    session = Session(spec)
    states = [session.update(bodies2d.standing(), i / 10).state for i in range(40)]
    assert states[5] != "wrong_view" and states[-1] == "wrong_view"
    assert "Face the camera" in session.message
    lying = Session(spec)
    assert all(lying.update(bodies2d.plank(0.0), i / 10).state != "wrong_view" for i in range(40))
    assert "wrong_view" not in _states(demo("side_plank"), "side_plank")


def test_real_tutorial_front_segment_is_not_judged_as_a_plank() -> None:
    """The real plank tutorial turns to a front view at about 18-30 s (trace of ../shared/videos)."""
    from conftest import TESTS

    from coach.io.replay import Trace

    trace = Trace(TESTS / "data" / "traces" / "malik_plank_tutorial.npz")
    session = Session(find_spec("plank"))
    wrong = [t for pose, t in trace.poses() if session.update(pose, t).state == "wrong_view"]
    assert wrong and 18.0 <= min(wrong) and max(wrong) <= 33.0   # 2 s to notice and to clear


# -- partial reps ---------------------------------------------------------------------------------

def _first_rep_partial(timeline: Timeline, share: float) -> Timeline:
    """The first rep's way up and hold reach only ``share`` of their movement (a partial rep)."""
    from coach.lab.synth.timeline import PARAMS

    out = copy.deepcopy(timeline)
    current = dict(PARAMS[out.exercise]) | out.steps[0].values
    first = next(s.rep for s in out.steps if s.rep is not None)
    for step in out.steps:
        if step.rep == first and step.phase in ("up", "hold"):
            step.values = {k: current[k] + (v - current[k]) * share for k, v in step.values.items()}
            step.partial = True
        else:
            current = {k: step.values.get(k, current[k]) for k in current}
    return out


# cat_cow is left out: its rep is a cow-cat cycle, not a way up and back.
@pytest.mark.parametrize("spec_id, share", [
    ("bridge", 0.6), ("bird_dog", 0.6), ("dead_bug", 0.6), ("back_extension", 0.6), ("prone_chest_lift", 0.6),
    ("partial_curl", 0.6), ("superman", 0.5),
    # The superman's lift is either arm-and-opposite-leg pair (so the alternating superman
    # counts): from the demo's camera the far leg reads 0.8 deg above the near one, and at 60 %
    # the far leg's pair rises 10.1 deg from rest, just past full_rise (10). Known, not fixed.
    pytest.param("superman", 0.6, marks=pytest.mark.xfail(strict=True, reason="far leg's pair reads at full_rise")),
])
def test_a_rep_that_stops_short_is_partial_not_counted(spec_id: str, share: float) -> None:
    timeline = _first_rep_partial(demo(spec_id), share)
    truth = timeline.expected()
    report = run(timeline, spec_id)
    assert report.reps.count == truth["reps"]
    assert report.reps.partial >= 1
    assert not report.reps.items[0].complete

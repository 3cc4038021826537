"""Exercise timelines as data: steps that move the pose, and the labels they imply.

A timeline is a TOML file::

    exercise = "bridge"          # which pose builder: a key of PARAMS
    fps = 15
    body = "average_male"        # a body in coach/lab/synth/bodies
    [camera]                     # coach.lab.synth.draw.Camera fields
    height_m = 0.35
    [[step]]                     # each step moves linearly from the previous values to its own
    phase = "up"                 # rest, setup, up, hold, down, pause
    seconds = 1.0
    rep = 1                      # the rep this step belongs to (optional)
    hip_line = 0                 # pose parameters of the exercise (PARAMS)
    error = "hips_low"           # an injected form error during this step (optional)
    [[person]]                   # someone else in the picture, not exercising (optional)
    pose = "standing"            # standing or sitting (on the floor, legs out)
    body = "lean_tall_male"
    at = [0.8, 2.0]              # floor position in metres (x toward the camera, y along the mat)
    to = [0.8, -2.0]             # walks here, at an even pace, while in the picture (optional)
    seconds = [2.0, 6.0]         # in the picture from, until (optional: the whole clip)

The expected report (reps, per side, hold seconds, warnings) is derived from
the steps, so the truth is written once; other people change none of it.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from coach.errors import CoachError

#: Pose parameters of each exercise and their starting values (see coach.lab.synth.exercises).
PARAMS = {
    "bridge": {"hip_line": -60.0, "sit": 0.0},
    "plank": {"sag": 0.0, "elbow_forward": 0.0, "drop": 0.0},
    "bird_dog": {"leg_lift": -90.0, "arm_lift": -90.0},
    "side_plank": {"hip_drop": 0.0, "top_arm_up": 0.0},
    "superman": {"arm_lift": 0.0, "leg_lift": 0.0},
    "dead_bug": {"extend": 0.0},
    "childs_pose": {"fold": 0.0},
    "cat_cow": {"flex": 0.0},
    "glute_stretch": {"pull": 0.0},
    # Any pose by its sagittal segment angles (degrees, 0 = toward the head end
    # of the mat, 90 = up), plus "roll" (the whole body turned about its long
    # axis), "legs_roll" (the legs tipped sideways, as in a lying twist) and
    # "hands_on_thighs" (0-1: the straight arms swung until the hands rest on the thighs).
    "pose": {"torso": 90.0, "chest": 90.0, "thigh_L": -90.0, "shin_L": -90.0, "thigh_R": -90.0,
             "shin_R": -90.0, "upperarm_L": -90.0, "forearm_L": -90.0, "upperarm_R": -90.0,
             "forearm_R": -90.0, "roll": 0.0, "legs_roll": 0.0, "hands_on_thighs": 0.0},
}
STEP_KEYS = {"phase", "seconds", "rep", "side", "error", "partial"}
TOP_KEYS = {"exercise", "label", "fps", "body", "camera", "look", "step", "jpeg_quality", "person"}
PERSON_KEYS = {"pose", "body", "at", "to", "seconds"}
#: The postures of other people, as segment angles of the generic "pose" builder.
BYSTANDER_POSES = {
    "standing": {"torso": 90.0, "chest": 90.0, "thigh_L": -90.0, "shin_L": -90.0, "thigh_R": -88.0,
                 "shin_R": -92.0, "upperarm_L": -95.0, "forearm_L": -85.0, "upperarm_R": -85.0,
                 "forearm_R": -95.0},
    "sitting": {"torso": 85.0, "chest": 88.0, "thigh_L": 0.0, "shin_L": 0.0, "thigh_R": 0.0, "shin_R": 0.0,
                "upperarm_L": -100.0, "forearm_L": -60.0, "upperarm_R": -100.0, "forearm_R": -60.0},
}


@dataclass(frozen=True)
class Person:
    """Someone else in the picture: a posture, a body, and where they are when."""

    pose: str
    body: str
    at: tuple[float, float]
    to: tuple[float, float] | None = None
    seconds: tuple[float, float] | None = None

    def where(self, t: float) -> tuple[float, float] | None:
        """Floor position at time ``t``, or None while out of the picture."""
        start, end = self.seconds if self.seconds else (0.0, float("inf"))
        if not start <= t <= end:
            return None
        if self.to is None or not math.isfinite(end):
            return self.at
        a = (t - start) / (end - start) if end > start else 1.0
        return (self.at[0] + a * (self.to[0] - self.at[0]), self.at[1] + a * (self.to[1] - self.at[1]))


@dataclass
class Step:
    phase: str
    seconds: float
    values: dict[str, float]
    rep: int | None = None
    side: str | None = None
    error: str | None = None
    partial: bool = False


@dataclass
class Timeline:
    """A parsed timeline; ``label`` is the catalogue id written in the labels
    (the pose builder's name unless a generic ``pose`` timeline names it)."""

    name: str
    exercise: str
    label: str
    fps: float
    body: str
    camera: dict[str, Any]
    look: dict[str, Any]
    steps: list[Step] = field(default_factory=list)
    jpeg_quality: int = 100
    people: list[Person] = field(default_factory=list)

    def frames(self) -> list[dict[str, Any]]:
        """Per frame: time, phase, rep, side, error and pose parameters."""
        out: list[dict[str, Any]] = []
        # The clip opens in the first step's pose (the person is already
        # there); later steps move from the previous step's values.
        current = dict(PARAMS[self.exercise]) | self.steps[0].values
        for step in self.steps:
            count = max(1, int(round(step.seconds * self.fps)))
            start = dict(current)
            for i in range(count):
                a = (i + 1) / count
                values = {k: start[k] + (step.values.get(k, start[k]) - start[k]) * a for k in start}
                out.append({"t": round(len(out) / self.fps, 4), "phase": step.phase, "rep": step.rep,
                            "side": step.side, "error": step.error, "params": values})
            current = {k: step.values.get(k, current[k]) for k in current}
        return out

    def _holds_only(self) -> bool:
        return _spec_kind(self.label) == "hold"

    def expected(self) -> dict[str, Any]:
        """The report a perfect coach would write for this clip.

        ``hold_s`` counts the "hold" steps of complete reps (and of hold
        exercises): a partial rep never reaches the target position.
        """
        reps: dict[int, dict[str, Any]] = {}
        hold_s = 0.0
        holds = 0              # runs of consecutive "hold" steps: the holds a hold exercise counts
        previous = None
        warnings: dict[str, list[float]] = {}
        t = 0.0
        for step in self.steps:
            if step.rep is not None:
                rep = reps.setdefault(step.rep, {"side": step.side, "complete": True})
                rep["complete"] = rep["complete"] and not step.partial
            if step.phase == "hold" and not step.partial:
                hold_s += step.seconds
                holds += previous != "hold"
            previous = step.phase if not step.partial else None
            if step.error:
                warnings.setdefault(step.error, [t, t + step.seconds])[1] = t + step.seconds
            t += step.seconds
        complete = [r for r in reps.values() if r["complete"]]
        by_side = None
        if any(r["side"] for r in reps.values()):
            by_side = {s: sum(1 for r in complete if r["side"] == s) for s in ("left", "right")}
        if self._holds_only():
            # A hold exercise's steps are numbered to give each hold its side; they are holds, not reps.
            complete, reps = [], {}
        return {
            "reps": len(complete), "partial_reps": len(reps) - len(complete), "by_side": by_side, "holds": holds,
            "hold_s": round(hold_s, 3),
            "warnings": [{"id": k, "start_s": round(v[0], 3), "end_s": round(v[1], 3)} for k, v in warnings.items()],
            "duration_s": round(t, 3),
        }


def _spec_kind(exercise: str) -> str | None:
    """The built-in spec's kind (reps or hold) of a timeline's exercise, None where there is no spec."""
    from coach.specs.reader import find_spec

    try:
        return find_spec(exercise).kind
    except CoachError:
        return None


def load_timeline(path: str | Path) -> Timeline:
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CoachError(f"timeline not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise CoachError(f"{path.name}: not valid TOML: {exc}") from None
    unknown = set(raw) - TOP_KEYS
    if unknown:
        raise CoachError(f"{path.name}: unknown keys {sorted(unknown)}; allowed: {sorted(TOP_KEYS)}")
    exercise = raw.get("exercise")
    if exercise not in PARAMS:
        raise CoachError(f"{path.name}: exercise: expected one of {', '.join(PARAMS)}, found {exercise!r}")
    steps = []
    for i, item in enumerate(raw.get("step", [])):
        unknown = set(item) - STEP_KEYS - set(PARAMS[exercise])
        if unknown:
            raise CoachError(f"{path.name}: step[{i}]: unknown keys {sorted(unknown)}; "
                             f"pose parameters of {exercise}: {sorted(PARAMS[exercise])}")
        seconds = item.get("seconds")
        if not isinstance(seconds, (int, float)) or not seconds > 0:
            raise CoachError(f"{path.name}: step[{i}].seconds: expected a number above 0, found {seconds!r}")
        steps.append(Step(
            phase=str(item.get("phase", "rest")), seconds=float(seconds),
            values={k: float(item[k]) for k in PARAMS[exercise] if k in item},
            rep=item.get("rep"), side=item.get("side"), error=item.get("error"), partial=bool(item.get("partial", False)),
        ))
    if not steps:
        raise CoachError(f"{path.name}: step: a timeline needs at least one [[step]]")
    people = [_person(path.name, i, item) for i, item in enumerate(raw.get("person", []))]
    return Timeline(name=path.stem, exercise=exercise, label=str(raw.get("label", exercise)),
                    fps=float(raw.get("fps", 15)),
                    body=str(raw.get("body", "average_male")), camera=dict(raw.get("camera", {})),
                    look=dict(raw.get("look", {})), steps=steps, jpeg_quality=int(raw.get("jpeg_quality", 100)),
                    people=people)


def _person(file: str, i: int, item: dict[str, Any]) -> Person:
    where = f"{file}: person[{i}]"
    unknown = set(item) - PERSON_KEYS
    if unknown:
        raise CoachError(f"{where}: unknown keys {sorted(unknown)}; allowed: {sorted(PERSON_KEYS)}")
    if item.get("pose") not in BYSTANDER_POSES:
        raise CoachError(f"{where}.pose: expected one of {', '.join(BYSTANDER_POSES)}, found {item.get('pose')!r}")

    def pair(key: str) -> tuple[float, float] | None:
        value = item.get(key)
        if value is None and key != "at":
            return None
        if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, (int, float)) for v in value)):
            raise CoachError(f"{where}.{key}: expected two numbers, found {value!r}")
        return (float(value[0]), float(value[1]))

    at = pair("at")
    assert at is not None
    return Person(pose=item["pose"], body=str(item.get("body", "lean_tall_male")), at=at, to=pair("to"),
                  seconds=pair("seconds"))


def frame_rng(seed: int, index: int) -> np.random.Generator:
    return np.random.default_rng([seed, index])

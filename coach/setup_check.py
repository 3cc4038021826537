"""The camera set-up check before a live exercise: in the picture, the right view,
the camera low and near enough, then a short countdown.

Each check says what to change, in the order a person fixes them: be seen at
all, get the whole body in, turn to the view the exercise needs, then move
the camera. All checks must pass for ``ok_for_s`` before the countdown runs;
leaving the picture during the countdown starts it over.
"""

from __future__ import annotations

import math

from coach import landmarks
from coach.analysis.view import ADVICE, camera_tilt_deg, clearly_wrong
from coach.specs import ExerciseSpec
from coach.types import Pose

BODY = ("shoulder", "hip", "knee", "ankle")
MARGIN = 0.02                 # a landmark this close to the edge (share of the frame) is "at the edge"
MIN_TORSO_SHARE = 0.07        # shoulder-to-hip length against the frame's long side: 2-3 m away with a
                              # laptop camera reads 0.12-0.2; 7 m reads 0.06
MAX_TILT_DEG = 18.0           # how far the camera may look down on a body on the floor: a low step reads
                              # about 2-7, real tripod clips 11-16 (they still work), a laptop on a table 20+


def problems(spec: ExerciseSpec, pose: Pose | None) -> list[str]:
    """What is wrong with the set-up now, most urgent first (empty: all fine)."""
    if pose is None:
        return ["Step into the picture so the camera can see you"]
    width, height = pose.image_size
    out_of_frame: set[str] = set()
    for part in BODY:
        # The far side is often half hidden behind the near one: one side seen
        # is enough, but every side that is seen must be inside the frame.
        seen = [landmarks.INDEX[f"{s}_{part}"] for s in ("left", "right")
                if pose.visibility[landmarks.INDEX[f"{s}_{part}"]] >= 0.3]
        for i in seen or [landmarks.INDEX[f"left_{part}"]]:
            x, y = pose.xy[i]
            inside = MARGIN * width <= x <= (1 - MARGIN) * width and MARGIN * height <= y <= (1 - MARGIN) * height
            if not inside or not seen:
                out_of_frame.add(landmarks.part_label(i))
    if out_of_frame:
        return [f"The camera can't see your {' and '.join(sorted(out_of_frame))}: move it back or turn it"]
    issues = []
    if clearly_wrong(spec.view, pose):
        issues.append(ADVICE[spec.view])
    torso = max(math.dist(pose.xy[landmarks.INDEX[f"{s}_shoulder"]], pose.xy[landmarks.INDEX[f"{s}_hip"]])
                for s in ("left", "right"))
    if torso < MIN_TORSO_SHARE * max(width, height):
        issues.append("You look small in the picture: bring the camera closer (2 to 3 m)")
    tilt = camera_tilt_deg(pose) if spec.view == "side" else None
    if tilt is not None and tilt > MAX_TILT_DEG:
        issues.append(f"The camera looks down on you (about {tilt:.0f} deg): put it at floor level or on a low step")
    return issues


class SetupCheck:
    """Feed it poses; ``done`` turns True after the checks pass and the countdown ends."""

    def __init__(self, spec: ExerciseSpec, ok_for_s: float = 1.5, countdown_s: float = 3.0) -> None:
        self.spec = spec
        self.ok_for_s = ok_for_s
        self.countdown_s = countdown_s
        self.done = False
        self._ok_since: float | None = None

    def update(self, pose: Pose | None, t: float) -> list[str]:
        """The lines to show now."""
        if self.done:
            return []
        issues = problems(self.spec, pose)
        if issues:
            self._ok_since = None
            return ["Camera set-up", *issues]
        if self._ok_since is None:
            self._ok_since = t
        waited = t - self._ok_since
        if waited < self.ok_for_s:
            return ["Camera set-up", "Good: hold still there"]
        left = self.ok_for_s + self.countdown_s - waited
        if left <= 0:
            self.done = True
            return []
        return ["Camera set-up: all good", f"Starting {self.spec.name} in {math.ceil(left)}"]

"""The camera set-up check before a live exercise: in the picture, the right view,
the camera low and near enough, then a short countdown. It helps and never traps.

Each check says what to change, in the order a person fixes them: be seen at
all, get the whole body in, turn to the view the exercise needs, then move
the camera. It judges placement only, never stillness: a person may already
be exercising. Estimates from a moving body flicker, so a problem must last
``grace_s`` to undo a good placement, and the advice shown is the one seen
most over the last second. When placement is right for ``ok_for_s`` the
countdown runs; if it is still not right after ``give_up_s`` the session
starts anyway, and what was left is kept (:meth:`SetupCheck.result`) to be
shown once, spoken and written in the report.
"""

from __future__ import annotations

import math
from collections import Counter, deque

from coach import landmarks
from coach.analysis.report import Setup
from coach.analysis.view import ADVICE, AT_AN_ANGLE, at_an_angle, camera_tilt_deg, clearly_wrong
from coach.output.screen import SetupView
from coach.specs.model import ExerciseSpec
from coach.types import Pose

BODY = ("shoulder", "hip", "knee", "ankle")
MARGIN = 0.02                 # a landmark this close to the edge (share of the frame) is "at the edge"
MIN_TORSO_SHARE = 0.07        # shoulder-to-hip length against the frame's long side: 2-3 m away with a
                              # laptop camera reads 0.12-0.2; 7 m reads 0.06
MAX_TILT_DEG = 18.0           # how far the camera may look down on a body on the floor: a low step reads
                              # about 2-7, real tripod clips 11-16 (they still work), a laptop on a table 20+
NOBODY = "Step into the picture so the camera can see you"


def problems(spec: ExerciseSpec, pose: Pose | None) -> list[str]:
    """What is wrong with the set-up now, most urgent first (empty: all fine)."""
    if pose is None:
        return [NOBODY]
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
    elif at_an_angle(spec.view, pose):
        issues.append(AT_AN_ANGLE)
    torso = max(math.dist(pose.xy[landmarks.INDEX[f"{s}_shoulder"]], pose.xy[landmarks.INDEX[f"{s}_hip"]])
                for s in ("left", "right"))
    if torso < MIN_TORSO_SHARE * max(width, height):
        issues.append("You look small in the picture: bring the camera closer (2 to 3 m)")
    tilt = camera_tilt_deg(pose) if spec.view == "side" else None
    if tilt is not None and tilt > MAX_TILT_DEG:
        issues.append(f"The camera looks down on you (about {tilt:.0f} deg): put it at floor level or on a low step")
    return issues


class SetupCheck:
    """Feed it poses; ``done`` turns True when the countdown ends or after ``give_up_s``."""

    def __init__(self, spec: ExerciseSpec, ok_for_s: float = 1.5, countdown_s: float = 3.0,
                 give_up_s: float = 10.0, grace_s: float = 0.5) -> None:
        self.spec = spec
        self.ok_for_s = ok_for_s
        self.countdown_s = countdown_s
        self.give_up_s = give_up_s
        self.grace_s = grace_s
        self.done = False
        self.passed = False
        self._start: float | None = None
        self._end: float | None = None
        self._ok_since: float | None = None
        self._bad_since: float | None = None
        self._countdown_from: float | None = None
        self._recent: deque[tuple[float, tuple[str, ...]]] = deque()

    def update(self, pose: Pose | None, t: float) -> SetupView | None:
        """Advance to ``t``; what to show now, or None once the check is over."""
        if self.done:
            return None
        if self._start is None:
            self._start = t
        issues = tuple(problems(self.spec, pose))
        self._remember(issues, t)
        if issues:
            self._bad_since = t if self._bad_since is None else self._bad_since
            if t - self._bad_since >= self.grace_s:
                self._ok_since = None
                if pose is None:                      # left the picture: the countdown starts over
                    self._countdown_from = None
        else:
            self._bad_since = None
            self._ok_since = t if self._ok_since is None else self._ok_since
        if self._countdown_from is None and self._ok_since is not None and t - self._ok_since >= self.ok_for_s:
            self._countdown_from = t
        if self._countdown_from is not None:
            left = self.countdown_s - (t - self._countdown_from)
            if left <= 0:
                self._finish(t, passed=True)
                return None
            return SetupView("GET READY", f"Starting {self.spec.name}", math.ceil(left))
        if t - self._start >= self.give_up_s:
            self._finish(t, passed=False)
            return None
        advice = self.advice() if self._ok_since is None else ""
        return SetupView("CAMERA SET-UP", advice or "Good: stay there")

    def advice(self) -> str:
        """The problem seen most over the last second ("" if none)."""
        counts = Counter(issue for _, issues in self._recent for issue in issues[:1])
        return counts.most_common(1)[0][0] if counts else ""

    def result(self, t: float | None = None) -> Setup:
        """For the report: did placement pass, what was left to change, and how long the check took."""
        end = self._end if self._end is not None else t
        seconds = (end - self._start) if (end is not None and self._start is not None) else 0.0
        advice = [] if self.passed else [a for a in [self.advice()] if a]
        return Setup(passed=self.passed, completed=self.done, advice=advice, seconds=round(seconds, 1))

    def _remember(self, issues: tuple[str, ...], t: float) -> None:
        self._recent.append((t, issues))
        while self._recent and self._recent[0][0] < t - 1.0:
            self._recent.popleft()

    def _finish(self, t: float, passed: bool) -> None:
        self.done, self.passed, self._end = True, passed, t

"""Which way the camera sees the body: from the side, or from the front (or back).

From the side, the left and right shoulders (and hips) nearly overlap in the
picture; from the front they are a shoulder-width apart. ``across`` is their
separation divided by the torso length, which holds lying, kneeling or
standing, and does not depend on the frame's size or the person's distance.
An exercise judged from the wrong view gives wrong angles, so the session
says how to turn instead of judging form (see :class:`ViewCheck`).
"""

from __future__ import annotations

import math

from coach import landmarks
from coach.types import Pose

_PAIRS = [(landmarks.INDEX[f"left_{p}"], landmarks.INDEX[f"right_{p}"]) for p in ("shoulder", "hip")]
_TORSO = [(landmarks.INDEX[f"{s}_shoulder"], landmarks.INDEX[f"{s}_hip"]) for s in ("left", "right")]

#: ``across`` above this reads as a front view, below ``SIDE_BELOW`` as a side
#: view; in between (a camera 30-45 degrees off) either view is accepted.
FRONT_ABOVE = 0.55
SIDE_BELOW = 0.3

ADVICE = {
    "side": "Turn so that your side faces the camera (or move the camera to your side)",
    "front": "Face the camera with your chest or back (or move the camera in front of you)",
}


def across(pose: Pose) -> float | None:
    """Left-right separation of shoulders and hips, in torso lengths (None if unseen)."""
    torso = [math.dist(pose.xy[a], pose.xy[b]) for a, b in _TORSO]
    if min(pose.visibility[[i for pair in _TORSO for i in pair]]) < 0.2 or max(torso) <= 1e-6:
        return None
    sep = [math.dist(pose.xy[a], pose.xy[b]) for a, b in _PAIRS]
    return sum(sep) / len(sep) / max(torso)


class ViewCheck:
    """Says when the person has been seen from the wrong view for ``after_s`` seconds.

    A few frames of a turn (rolling onto the mat, a side plank's set-up) never
    trigger it; once shown, the right view must hold for ``after_s`` to clear.
    """

    def __init__(self, view: str, after_s: float = 2.0) -> None:
        self.view = view
        self.after_s = after_s
        self.wrong = False
        self._since: float | None = None

    def update(self, pose: Pose | None, t: float) -> bool:
        value = across(pose) if pose is not None else None
        if value is None:
            self._since = None
            return self.wrong
        if self.view == "side":
            now_wrong = value > FRONT_ABOVE if not self.wrong else value > SIDE_BELOW
        else:
            now_wrong = value < SIDE_BELOW if not self.wrong else value < FRONT_ABOVE
        if now_wrong == self.wrong:
            self._since = None
        elif self._since is None:
            self._since = t
        elif t - self._since >= self.after_s:
            self.wrong = now_wrong
            self._since = None
        return self.wrong

    def reset(self) -> None:
        self.wrong = False
        self._since = None

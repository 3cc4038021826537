"""Which side of the body faces the camera, without flipping frame to frame."""

from __future__ import annotations

import numpy as np

from coach import landmarks
from coach.types import Pose

_PARTS = ("shoulder", "hip", "knee", "ankle")
_LEFT = [landmarks.INDEX[f"left_{p}"] for p in _PARTS]
_RIGHT = [landmarks.INDEX[f"right_{p}"] for p in _PARTS]


def nearness(pose: Pose) -> float:
    """Positive when the left side is nearer the camera, negative for the right.

    Combines MediaPipe's visibility (the far side is often occluded) with its
    relative depth (smaller z is nearer).
    """
    vis = float(np.mean(pose.visibility[_LEFT]) - np.mean(pose.visibility[_RIGHT]))
    depth = float(np.mean(pose.depth[_RIGHT]) - np.mean(pose.depth[_LEFT]))
    return vis + 2.0 * depth


class SideChooser:
    """Tracks the near side with hysteresis in time.

    The first pose decides at once; afterwards the other side must be clearly
    nearer (by ``margin``) for ``switch_after_s`` seconds before the choice
    flips, so a noisy frame never swaps the metrics to the hidden side.
    """

    def __init__(self, switch_after_s: float = 1.0, margin: float = 0.1) -> None:
        self.switch_after_s = switch_after_s
        self.margin = margin
        self.side: str | None = None
        self._other_since: float | None = None

    def update(self, pose: Pose, t: float) -> str:
        score = nearness(pose)
        preferred = "left" if score > 0 else "right"
        if self.side is None:
            self.side = preferred
            return self.side
        if preferred != self.side and abs(score) > self.margin:
            if self._other_since is None:
                self._other_since = t
            elif t - self._other_since >= self.switch_after_s:
                self.side = preferred
                self._other_since = None
        else:
            self._other_since = None
        return self.side

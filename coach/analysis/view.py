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
import statistics
from collections import deque

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
#: A side exercise seen between the side and the front view: the camera is about 30-45 deg off the
#: side, where the coach's counts are measured less reliable (docs/measurements: the wide corpus).
AT_AN_ANGLE = "The camera sees you at an angle: move it level with your side"
TURNED_NOTE = ("The camera saw you at an angle (about 30 deg or more off your side) most of the time: "
               "counts and form cues are measured reliable within 30 deg of the side.")


def at_an_angle(view: str, pose: Pose) -> bool:
    """A side exercise seen turned between the side and the front view (30-45 deg off the side)."""
    return view == "side" and _between_views(across(pose))


def _between_views(value: float | None) -> bool:
    return value is not None and SIDE_BELOW <= value <= FRONT_ABOVE


def across(pose: Pose) -> float | None:
    """Left-right separation of shoulders and hips, in torso lengths (None if unseen)."""
    torso = [math.dist(pose.xy[a], pose.xy[b]) for a, b in _TORSO]
    if min(pose.visibility[[i for pair in _TORSO for i in pair]]) < 0.2 or max(torso) <= 1e-6:
        return None
    sep = [math.dist(pose.xy[a], pose.xy[b]) for a, b in _PAIRS]
    return sum(sep) / len(sep) / max(torso)


def camera_tilt_deg(pose: Pose) -> float | None:
    """How far the camera looks down on a body lying or kneeling side-on, in degrees.

    From floor level the left and right hips (and shoulders) are at the same
    height in the picture; from above, the far one appears higher by about
    hip width x sin(tilt). Hip and shoulder joint widths average about 0.55
    torso lengths (our four synthetic bodies: 0.4 and 0.7).
    """
    idx = landmarks.INDEX
    torso = math.dist(pose.xy[idx["left_shoulder"]], pose.xy[idx["left_hip"]])
    if torso <= 0:
        return None
    lying = abs(pose.xy[idx["left_shoulder"]][1] - pose.xy[idx["left_hip"]][1]) < 0.7 * torso
    if not lying:
        return None
    # The far side (deeper, by the pose model's relative depth) shows higher
    # when the camera looks down; a camera below the body sees it lower.
    seps = []
    for p in ("hip", "shoulder"):
        left, right = idx[f"left_{p}"], idx[f"right_{p}"]
        near, far = (left, right) if pose.depth[left] <= pose.depth[right] else (right, left)
        seps.append(pose.xy[near][1] - pose.xy[far][1])
    return math.degrees(math.asin(max(0.0, min(1.0, (sum(seps) / 2) / (0.55 * torso)))))


class TiltEstimate:
    """The camera's downward tilt, as the median of the last ``window_s`` seconds of readings.

    One frame's reading wobbles with the pose model's far-side landmarks; the
    camera itself does not move during a session, so a median over seconds
    is both steadier and right. None until ``min_samples`` readings exist.
    """

    def __init__(self, window_s: float = 5.0, min_samples: int = 10) -> None:
        self.window_s = window_s
        self.min_samples = min_samples
        self._readings: deque[tuple[float, float]] = deque()
        self._computed_t = -1e9
        self.value: float | None = None

    def update(self, pose: Pose, t: float) -> float | None:
        tilt = camera_tilt_deg(pose)
        if tilt is not None:
            self._readings.append((t, tilt))
            while self._readings and t - self._readings[0][0] > self.window_s:
                self._readings.popleft()
            # The camera stands still: a fresh median twice a second is plenty.
            if len(self._readings) >= self.min_samples and t - self._computed_t >= 0.5:
                values = sorted(v for _, v in self._readings)
                self.value = values[len(values) // 2]
                self._computed_t = t
        return self.value


def clearly_wrong(view: str, pose: Pose) -> bool:
    """This pose is clearly seen from another view than ``view`` (no hysteresis)."""
    value = across(pose)
    if value is None:
        return False
    if view == "side":
        return value > FRONT_ABOVE
    return _upright(pose) and value < SIDE_BELOW


def _upright(pose: Pose) -> bool:
    """Shoulders well above the hips (standing, sitting, kneeling up)."""
    i = landmarks.INDEX
    shoulder = (pose.xy[i["left_shoulder"]] + pose.xy[i["right_shoulder"]]) / 2
    hip = (pose.xy[i["left_hip"]] + pose.xy[i["right_hip"]]) / 2
    return bool((hip[1] - shoulder[1]) > 0.7 * math.dist(shoulder, hip))


class ViewCheck:
    """Says when the person has been seen from the wrong view for ``after_s`` seconds.

    A few frames of a turn (rolling onto the mat, a side plank's set-up) never
    trigger it; once shown, the right view must hold for ``after_s`` to clear.
    """

    def __init__(self, view: str, after_s: float = 2.0) -> None:
        self.view = view
        self.after_s = after_s
        self.wrong = False
        self.angled = False     # the last pose: a side exercise seen at an angle (see at_an_angle)
        self._since: float | None = None
        self._recent: deque[tuple[float, float]] = deque()     # (t, across) of the last second

    @property
    def steadily_angled(self) -> bool:
        """A side exercise seen at an angle over the last second (the median ``across``): form is not judged.

        The median, not the last frame: a body seen about 30 deg off the side reads on both sides
        of the band's edge frame by frame, and judging one frame in two would make a cue of glimpses.
        """
        if self.view != "side" or not self._recent:
            return False
        return _between_views(statistics.median(v for _, v in self._recent))

    def update(self, pose: Pose | None, t: float) -> bool:
        value = across(pose) if pose is not None else None
        self.angled = self.view == "side" and _between_views(value)
        if value is not None:
            self._recent.append((t, value))
        while self._recent and t - self._recent[0][0] > 1.0:
            self._recent.popleft()
        if self.view == "front" and pose is not None and value is not None and not _upright(pose):
            # A body lying on its side seen from the front has its shoulders
            # stacked one above the other, and the pose model often draws them
            # on top of each other (our synthetic side plank: across below 0.3):
            # lying down, a front view cannot be told from a side view.
            value = None
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

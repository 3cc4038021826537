"""Which of the people in view is the one exercising.

The pose model is asked for up to three people, so that a physiotherapist
standing beside the mat or someone walking through the picture can be seen
for what they are instead of being mistaken for the person exercising.
:class:`PersonFollower` picks one person per frame:

* **follow**: once someone is followed, the person nearest to where they were
  (within ``FOLLOW_RADIUS_TORSOS`` of their own torso length) is taken, so a
  passer-by never takes over, however tall or central they are;
* **choose**: when nobody is followed yet, or the followed person has been
  out of sight for ``LOST_AFTER_S``, the person lowest in the picture is
  taken, and of people as low, the one lying rather than upright: the
  exercises are done on the floor (or, standing, alone), and people standing
  or walking about have their hips higher up.

No cv2 or mediapipe here: the rule is tested on landmark lists.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from coach.landmarks import INDEX
from coach.types import Pose

# People the model looks out for (coach.io.pose.LookoutForOthers): a person alone
# costs a look every second; while others are in view, about 1.6 times the
# time per frame (the Tasks API then runs its person detector on every frame).
MAX_PEOPLE = 3
FOLLOW_RADIUS_TORSOS = 1.0
LOST_AFTER_S = 1.0
_SHOULDERS = [INDEX["left_shoulder"], INDEX["right_shoulder"]]
_HIPS = [INDEX["left_hip"], INDEX["right_hip"]]


@dataclass(frozen=True)
class Placement:
    """Where a person is: torso centre, hip centre and torso length, in pixels."""

    centre: np.ndarray
    hips: np.ndarray
    torso: float
    lying: float  # 1 for a horizontal torso, 0 for an upright one

    @staticmethod
    def of(pose: Pose) -> Placement:
        """The placement of ``pose`` in the picture (where it lies, how much of it is seen)."""
        shoulders = pose.xy[_SHOULDERS].mean(axis=0)
        hips = pose.xy[_HIPS].mean(axis=0)
        axis = shoulders - hips
        torso = float(np.hypot(*axis))
        lying = abs(float(axis[0])) / torso if torso > 0 else 0.0
        return Placement(centre=(shoulders + hips) / 2, hips=hips, torso=max(torso, 1.0), lying=lying)


def choose_exerciser(people: list[Pose]) -> int:
    """The index of the person lowest in the picture, lying before upright."""
    def floor_score(pose: Pose) -> float:
        """How much this looks like the person on the mat: low in the picture, lying, large."""
        place = Placement.of(pose)
        height = pose.image_size[1]
        # Hips' height in the picture (0 top, 1 bottom), plus a quarter of the
        # picture for a lying torso: a person sitting or kneeling up right
        # beside someone lying at the same height does not win.
        return float(place.hips[1]) / height + 0.25 * place.lying

    return max(range(len(people)), key=lambda i: floor_score(people[i]))


class PersonFollower:
    """Picks the person exercising from each frame's people, and counts who was seen."""

    def __init__(self) -> None:
        self._place: Placement | None = None
        self._last_seen_t = -np.inf
        self.most_people = 0

    def pick(self, people: list[Pose], t: float) -> Pose | None:
        """The followed person in this frame, or None when they are not in it."""
        self.most_people = max(self.most_people, len(people))
        if not people:
            return None
        if self._place is not None and t - self._last_seen_t <= LOST_AFTER_S:
            index = self._nearest(people)
            if index is None:
                return None
        else:
            index = choose_exerciser(people)
        chosen = people[index]
        self._place = Placement.of(chosen)
        self._last_seen_t = t
        return chosen

    def _nearest(self, people: list[Pose]) -> int | None:
        assert self._place is not None
        distances = [float(np.hypot(*(Placement.of(p).centre - self._place.centre))) for p in people]
        best = int(np.argmin(distances))
        return best if distances[best] <= FOLLOW_RADIUS_TORSOS * self._place.torso else None

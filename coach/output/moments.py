"""The worst-form moments of a session, kept as small annotated pictures for the report.

For every warning episode the frame where the warning appeared is kept,
drawn with the skeleton; the report shows the episodes furthest past their
limits. Only those frames are drawn and encoded, so a session pays for a
handful of pictures, not for every frame.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from coach.specs.model import ExerciseSpec
from coach.types import Snapshot, WarningStarted

THUMB_WIDTH = 640          # large enough to read the screen drawn on it


@dataclass
class Moment:
    t: float
    warning: str
    message: str
    excess: float          # how far past the limit, in the metric's units
    jpeg: bytes


class WorstMoments:
    """A picture of the moment each warning appeared; ``best()`` gives the worst few.

    The picture is taken when the warning shows (the fault has then lasted
    its ``show_after_s``), not later: on the way out of a rep the metric
    drifts further past the limit, but that is leaving the exercise, not the
    fault. Episodes are ranked by how far past its limit the metric was.
    """

    def __init__(self, spec: ExerciseSpec, keep: int = 6) -> None:
        self.rules = {w.id: w for w in spec.warnings}
        self.keep = keep
        self.moments: list[Moment] = []

    def update(self, snapshot: Snapshot, draw: Callable[[], np.ndarray]) -> None:
        """Note this frame; ``draw()`` makes its annotated picture, called only when a warning starts."""
        for event in snapshot.events:
            if not isinstance(event, WarningStarted):
                continue
            rule = self.rules.get(event.id)
            value = snapshot.metrics.get(rule.metric) if (rule and snapshot.metrics is not None) else None
            if rule is None or value is None:
                continue
            excess = max((rule.below - value) if rule.below is not None else -np.inf,
                         (value - rule.above) if rule.above is not None else -np.inf)
            image = draw()
            height = int(image.shape[0] * THUMB_WIDTH / image.shape[1])
            small = cv2.resize(image, (THUMB_WIDTH, height), interpolation=cv2.INTER_AREA)
            ok, data = cv2.imencode(".jpg", small, [cv2.IMWRITE_JPEG_QUALITY, 80])
            if ok:
                self.moments.append(Moment(t=snapshot.t, warning=event.id, message=event.message,
                                           excess=float(excess), jpeg=data.tobytes()))

    def best(self) -> list[Moment]:
        return sorted(sorted(self.moments, key=lambda m: -m.excess)[: self.keep], key=lambda m: m.t)

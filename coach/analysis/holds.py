"""Hold timing: seconds in the target position, and of those, seconds in good form."""

from __future__ import annotations

import statistics
from collections import deque

from coach.specs.model import Condition
from coach.types import Event, HoldInProgress, HoldSegment, Metrics

#: Seconds out of a hold's target that are a misread limb, not the person leaving it: a few frames.
GLITCH_S = 0.15
#: Seconds of values the rate of change of a ``max_rate`` condition is fitted over.
RATE_WINDOW_S = 0.5
#: Seconds a ``max_of_rest`` metric must stay still outside the hold to be learnt as the rest.
REST_WINDOW_S = 1.0
#: "Still" for that: the values of the window spread at most this fraction of their median.
REST_SPREAD = 0.1


def _slope(points: deque[tuple[float, float]]) -> float:
    """Absolute least-squares slope of (t, value) points per second (0 with fewer than 3)."""
    n = len(points)
    if n < 3:
        return 0.0
    mean_t = sum(p[0] for p in points) / n
    mean_v = sum(p[1] for p in points) / n
    var_t = sum((p[0] - mean_t) ** 2 for p in points)
    if var_t <= 0.0:
        return 0.0
    return abs(sum((p[0] - mean_t) * (p[1] - mean_v) for p in points) / var_t)


def conditions_hold(conditions: tuple[Condition, ...], metrics: Metrics | None,
                    rests: dict[str, float] | None = None) -> bool | None:
    """True/False when every metric is known, None when one of them is not.

    A metric that is not known is stood in for by its condition's ``if_unseen`` ones, if any.
    ``rests``: learnt resting values per metric, for ``max_of_rest`` conditions.
    """
    if metrics is None:
        return None
    for c in conditions:
        value = metrics.get(c.metric)
        if value is None and c.if_unseen:
            stood_in = conditions_hold(c.if_unseen, metrics, rests)
            if stood_in is not True:
                return stood_in
            continue
        if value is None:
            return None
        if not c.holds(value, rests.get(c.metric) if rests else None):
            return False
    return True


class HoldTimer:
    """Accumulates time in the target position, with a grace period for dropouts.

    A dropout (landmarks unknown) or a brief exit shorter than
    ``dropout_grace_s`` does not split a hold; unknown time inside the grace
    still counts, since the person was most likely still holding. Segments
    with less than ``min_hold_s`` in the position are passing through it (a
    push-up's top is a straight-arm plank for half a second) and are not
    counted; the time of a brief exit from the exercise's whole position
    (``seen_out``) is part of a hold's length but not of that minimum: two
    glimpses of 0.8 and 1.1 s glued by a 0.4 s exit are not a 2 s stretch.

    Per frame the session calls :meth:`observe` (the rates' windows), then
    :meth:`in_target` (a check: it changes nothing), then :meth:`learn_rest`
    (so what a frame teaches counts from the next one), and :meth:`advance`
    with the answer.

    Example:
        >>> from coach.specs.model import Condition
        >>> from coach.types import Metrics
        >>> timer = HoldTimer((Condition("line", min=-10, max=10),), min_hold_s=1.0)
        >>> for i in range(31):
        ...     metrics = Metrics({"line": 0.0}, "left")
        ...     timer.observe(metrics, i * 0.1)
        ...     _ = timer.advance(timer.in_target(metrics), "left", i * 0.1, in_form=True)
        >>> round(timer.total_s, 1)
        3.0
    """

    def __init__(self, conditions: tuple[Condition, ...], dropout_grace_s: float = 0.5,
                 min_hold_s: float = 1.0, in_turn: bool = False) -> None:
        self.conditions = conditions
        self.dropout_grace_s = dropout_grace_s
        self.min_hold_s = min_hold_s
        self.in_turn = in_turn
        self.segments: list[HoldSegment] = []
        self._open = False
        self._start = 0.0
        self._last_in = 0.0
        self._last_t: float | None = None
        self._seg_total = 0.0
        self._seg_held = 0.0          # of it, time not seen out of the position: what min_hold_s asks
        self._seg_form = 0.0
        self._pending = 0.0
        self._pending_out = 0.0
        self._pending_form = 0.0
        self._side: str | None = None
        self._rated = [c for c in conditions if c.max_rate is not None]
        self._recent: dict[str, deque[tuple[float, float]]] = {c.metric: deque() for c in self._rated}
        self._rate_side: str | None = None
        self._relative = [c for c in conditions if c.max_of_rest is not None]
        self._rest_window: dict[str, deque[tuple[float, float]]] = {c.metric: deque() for c in self._relative}
        self.rest: dict[str, float] = {}       # the person's own resting value per metric, once learnt

    @property
    def total_s(self) -> float:
        return sum(s.duration_s for s in self.segments) + (self.current_s if self._long_enough() else 0.0)

    @property
    def in_form_s(self) -> float:
        current = self._seg_form if self._long_enough() else 0.0
        return sum(s.in_form_s for s in self.segments) + current

    @property
    def current_in_form_s(self) -> float:
        """Seconds of the hold in progress spent in good form (0 when none)."""
        return self._seg_form if self._open else 0.0

    @property
    def current_side(self) -> str | None:
        """The side of the hold in progress (None when none)."""
        return self._side if self._open else None

    @property
    def count(self) -> int:
        """Holds so far, the one in progress included once it is long enough."""
        return len(self.segments) + (1 if self._long_enough() else 0)

    def _long_enough(self) -> bool:
        """The hold in progress has been in the position ``min_hold_s``."""
        return self._open and self._seg_held >= self.min_hold_s

    def turn_side(self) -> str:
        """With ``in_turn``: left for the 1st, 3rd... hold, right for the 2nd, 4th..."""
        if self._open and self._side:
            return self._side
        return ("left", "right")[len(self.segments) % 2]

    def by_side(self) -> dict[str, dict[str, float]]:
        """Holds, seconds and seconds in good form per side (finished holds)."""
        out = {s: {"holds": 0, "total_s": 0.0, "in_form_s": 0.0} for s in ("left", "right")}
        for seg in self.segments:
            if seg.side in out:
                out[seg.side]["holds"] += 1
                out[seg.side]["total_s"] = round(out[seg.side]["total_s"] + seg.duration_s, 2)
                out[seg.side]["in_form_s"] = round(out[seg.side]["in_form_s"] + seg.in_form_s, 2)
        return out

    @property
    def longest_s(self) -> float:
        return max([s.duration_s for s in self.segments] + [self.current_s if self._open else 0.0])

    @property
    def current_s(self) -> float:
        """Length of the hold in progress (0 when none)."""
        return self._seg_total if self._open else 0.0

    def in_progress(self, t: float) -> HoldInProgress | None:
        """The hold open now, once it is long enough to count (None otherwise)."""
        if not self._long_enough():
            return None
        return HoldInProgress(t=t, start_s=self._start, end_s=self._start + self._seg_total,
                              in_form_s=self._seg_form, side=self._side)

    def observe(self, metrics: Metrics | None, t: float) -> None:
        """Keep the last :data:`RATE_WINDOW_S` of each ``max_rate`` metric, afresh when the side changes
        (another side's limb is not the same limb moving)."""
        side = metrics.side if metrics is not None else None
        if side != self._rate_side:
            for recent in self._recent.values():
                recent.clear()
            self._rate_side = side
        for condition in self._rated:
            value = metrics.get(condition.metric) if metrics is not None else None
            recent = self._recent[condition.metric]
            if value is not None:
                recent.append((t, value))
            while recent and t - recent[0][0] > RATE_WINDOW_S:
                recent.popleft()

    def in_target(self, metrics: Metrics | None) -> bool | None:
        """Whether the target position is held (None: cannot tell), on what :meth:`observe` kept.

        Conditions with ``max_rate`` also need the metric's rate of change to
        stay below it: the slope of a straight line fitted to the last
        :data:`RATE_WINDOW_S` of values. A fitted slope follows a real
        movement (a push-up sweeps the upper arm at 100-200 deg/s) but not
        the pose model's frame-to-frame jitter, which an average of frame
        differences reads as speed (an elbow jittering 5 deg at 15 fps is
        75 deg/s frame to frame).
        """
        state = conditions_hold(self.conditions, metrics, self.rest)
        if not state:
            return state
        return not any(c.max_rate is not None and _slope(self._recent[c.metric]) > c.max_rate for c in self._rated)

    def learn_rest(self, metrics: Metrics | None, t: float) -> None:
        """Learn the resting value of ``max_of_rest`` metrics: the highest still second above the hold's level.

        Above the level, so a hold itself is not taken for the rest; the
        highest, so a hold that reads barely below the rest (knees lowered
        away from the camera read 0.74-0.79 of it) cannot lower the level it
        is judged by, once it has been read as still above it.
        """
        for c in self._relative:
            window = self._rest_window[c.metric]
            value = metrics.get(c.metric) if metrics is not None else None
            if value is None or c.holds(value, self.rest.get(c.metric)):
                window.clear()
                continue
            window.append((t, value))
            while t - window[0][0] > REST_WINDOW_S:
                window.popleft()
            if t - window[0][0] < 0.8 * REST_WINDOW_S:
                continue
            values = [v for _, v in window]
            middle = statistics.median(values)
            if middle > 0 and max(values) - min(values) <= REST_SPREAD * middle:
                self.rest[c.metric] = max(middle, self.rest.get(c.metric, middle))

    def advance(self, state: bool | None, side: str | None, t: float, in_form: bool = True,
                seen_out: bool = False, since: float | None = None) -> list[Event]:
        """Advance to ``t`` with the position held (True), left (False) or unknown (None);
        ``side`` is the side the metrics show, ``in_form`` False while a form warning is shown,
        ``seen_out`` True for an unknown that is the person seen out of the exercise's position;
        ``since``: a hold that opens now was held from then already (seen while its position settled)."""
        dt = 0.0 if self._last_t is None else max(0.0, t - self._last_t)
        self._last_t = t
        if state:
            if not self._open:
                self._side = self.turn_side() if self.in_turn else side
                self._open = True
                self._start = t if since is None else min(since, t)
                self._seg_total = self._seg_held = t - self._start
                self._seg_form = self._seg_total if in_form else 0.0
            else:
                # Time since the last in-target update, including a short dropout or exit.
                self._seg_total += self._pending + dt
                self._seg_held += self._pending - self._pending_out + dt
                self._seg_form += self._pending_form + (dt if in_form else 0.0)
            self._pending = self._pending_form = self._pending_out = 0.0
            self._last_in = t
            return []
        if not self._open:
            return []
        if state is None and t - self._last_in <= self.dropout_grace_s:
            self._pending += dt
            self._pending_out += dt if seen_out else 0.0
            self._pending_form += dt if in_form else 0.0
            return []
        if state is False and t - self._last_in <= self.dropout_grace_s:
            # Out of the target, not for long: the same hold if it resumes. A stretch out of it of
            # GLITCH_S or less is a limb misread (a far arm drawn hanging for a frame or two) and its
            # time is the hold's; a longer one is the person out of it, and its time is not.
            if t - self._last_in <= GLITCH_S:
                self._pending += dt
                self._pending_out += dt
                self._pending_form += dt if in_form else 0.0
            else:
                self._pending = self._pending_out = self._pending_form = 0.0
            return []
        return self.close(t)

    def close(self, t: float) -> list[Event]:
        """End the hold in progress (the person left the position)."""
        if not self._open:
            return []
        long_enough = self._long_enough()
        self._open = False
        self._pending = self._pending_form = self._pending_out = 0.0
        self._last_t = None
        if not long_enough:
            return []
        segment = HoldSegment(t=t, start_s=self._start, end_s=self._start + self._seg_total,
                              in_form_s=self._seg_form, side=self._side)
        self.segments.append(segment)
        return [segment]

"""Hold timing: seconds in the target position, and of those, seconds in good form, as a state machine.

The timer is in one :class:`HoldState` at a time, and every change of state is one of the named
:data:`TRANSITIONS`, taken in ``HoldTimer._go`` only. What a frame shows (the position held or
not, or not known) is read first (:meth:`HoldTimer.read`: the form check needs it too), then
:meth:`HoldTimer.update` moves the timer on with it.
"""

from __future__ import annotations

import statistics
from collections import deque
from dataclasses import dataclass
from enum import Enum

from coach.analysis.states import Transition, take, transition
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


def stood_in_for(conditions: tuple[Condition, ...], metrics: Metrics | None) -> tuple[str, ...]:
    """What the stand-ins deciding ``conditions`` this reading cannot tell apart: the
    ``cannot_tell`` words of each ``if_unseen`` condition used because its metric is not known."""
    if metrics is None:
        return ()
    return tuple(dict.fromkeys(s.cannot_tell for c in conditions if c.if_unseen and metrics.get(c.metric) is None
                               for s in c.if_unseen if s.cannot_tell))      # each said once


class HoldState(Enum):
    OUT = "not holding"
    HOLDING = "holding"                  # in the position at the last reading
    BRIDGING = "holding through a gap"   # not seen, or briefly out, within the grace: the same hold if it resumes


_H = HoldState
#: Every change of state the timer makes, by its reason.
TRANSITIONS: dict[str, Transition] = dict((
    transition("in the position", {_H.OUT}, _H.HOLDING),
    transition("not seen, within the grace", {_H.HOLDING, _H.BRIDGING}, _H.BRIDGING),
    transition("out of the position, within the grace", {_H.HOLDING, _H.BRIDGING}, _H.BRIDGING),
    transition("back in the position", {_H.BRIDGING}, _H.HOLDING),
    transition("ended (out past the grace, left, session ended)", {_H.HOLDING, _H.BRIDGING}, _H.OUT),
))
ENDED = "ended (out past the grace, left, session ended)"


@dataclass
class OpenHold:
    """The hold in progress: its numbers, changed through its own methods."""

    start: float
    side: str | None
    last_in: float
    total: float = 0.0
    held: float = 0.0           # of the total, the time not seen out of the position: what min_hold_s asks
    form: float = 0.0
    pending: float = 0.0        # time since the last reading in the position, counted if it resumes
    pending_out: float = 0.0    # of it, time seen out of the position
    pending_form: float = 0.0

    @classmethod
    def opened(cls, t: float, since: float | None, side: str | None, in_form: bool) -> OpenHold:
        """A hold opening at ``t``, held from ``since`` already (seen while its position settled)."""
        start = t if since is None else min(since, t)
        return cls(start=start, side=side, last_in=t, total=t - start, held=t - start,
                   form=(t - start) if in_form else 0.0)

    def resume(self, t: float, dt: float, in_form: bool) -> None:
        """In the position again: the time since the last reading in it is the hold's, a short gap included."""
        self.total += self.pending + dt
        self.held += self.pending - self.pending_out + dt
        self.form += self.pending_form + (dt if in_form else 0.0)
        self.pending = self.pending_out = self.pending_form = 0.0
        self.last_in = t

    def bridge(self, dt: float, out: bool, in_form: bool) -> None:
        """A stretch not known (or a glitch out), counted if the hold resumes."""
        self.pending += dt
        self.pending_out += dt if out else 0.0
        self.pending_form += dt if in_form else 0.0

    def forget_gap(self) -> None:
        """Out of the position for longer than a glitch: that time is not the hold's."""
        self.pending = self.pending_out = self.pending_form = 0.0

    def segment(self, t: float) -> HoldSegment:
        return HoldSegment(t=t, start_s=self.start, end_s=self.start + self.total, in_form_s=self.form, side=self.side)


class PositionReader:
    """What a frame shows of the hold's position: held, not held, or not known (None).

    Keeps the last :data:`RATE_WINDOW_S` of each ``max_rate`` metric (afresh when the side
    changes: another side's limb is not the same limb moving) and learns the resting value of
    ``max_of_rest`` metrics, after the frame is judged, so what it teaches counts from the next.
    """

    def __init__(self, conditions: tuple[Condition, ...]) -> None:
        self.conditions = conditions
        self._rated = [c for c in conditions if c.max_rate is not None]
        self._recent: dict[str, deque[tuple[float, float]]] = {c.metric: deque() for c in self._rated}
        self._rate_side: str | None = None
        self._relative = [c for c in conditions if c.max_of_rest is not None]
        self._rest_window: dict[str, deque[tuple[float, float]]] = {c.metric: deque() for c in self._relative}
        self.rest: dict[str, float] = {}       # the person's own resting value per metric, once learnt

    def read(self, metrics: Metrics | None, t: float) -> bool | None:
        self._observe(metrics, t)
        held = self._in_target(metrics)
        self._learn_rest(metrics, t)
        return held

    def _observe(self, metrics: Metrics | None, t: float) -> None:
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

    def _in_target(self, metrics: Metrics | None) -> bool | None:
        """Whether the target position is held (None: cannot tell), on what :meth:`_observe` kept.

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

    def _learn_rest(self, metrics: Metrics | None, t: float) -> None:
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

    Per frame: ``held = timer.read(metrics, t)``, then ``timer.update(held, side, t, ...)``.

    Example:
        >>> from coach.specs.model import Condition
        >>> from coach.types import Metrics
        >>> timer = HoldTimer((Condition("line", min=-10, max=10),), min_hold_s=1.0)
        >>> for i in range(31):
        ...     metrics = Metrics({"line": 0.0}, "left")
        ...     _ = timer.update(timer.read(metrics, i * 0.1), "left", i * 0.1, in_form=True)
        >>> round(timer.total_s, 1)
        3.0
    """

    def __init__(self, conditions: tuple[Condition, ...], dropout_grace_s: float = 0.5,
                 min_hold_s: float = 1.0, in_turn: bool = False) -> None:
        self.dropout_grace_s = dropout_grace_s
        self.min_hold_s = min_hold_s
        self.in_turn = in_turn
        self.state = HoldState.OUT
        self.taken: set[str] = set()       # the transitions taken (what the diagram's test reads)
        self.segments: list[HoldSegment] = []
        self.open: OpenHold | None = None
        self.reader = PositionReader(conditions)
        self._last_t: float | None = None

    def _go(self, name: str) -> None:
        """Take the transition ``name``: the one place the state changes."""
        self.state = HoldState(take(TRANSITIONS, self.state, name, "hold timer").value)
        self.taken.add(name)

    @property
    def rest(self) -> dict[str, float]:
        """The person's own resting value per ``max_of_rest`` metric, once learnt."""
        return self.reader.rest

    def read(self, metrics: Metrics | None, t: float) -> bool | None:
        """Whether this frame shows the position held (None: cannot tell); call once per frame."""
        return self.reader.read(metrics, t)

    @property
    def total_s(self) -> float:
        return sum(s.duration_s for s in self.segments) + (self.current_s if self._long_enough() else 0.0)

    @property
    def in_form_s(self) -> float:
        current = self.open.form if self.open is not None and self._long_enough() else 0.0
        return sum(s.in_form_s for s in self.segments) + current

    @property
    def current_in_form_s(self) -> float:
        """Seconds of the hold in progress spent in good form (0 when none)."""
        return self.open.form if self.open is not None else 0.0

    @property
    def current_side(self) -> str | None:
        """The side of the hold in progress (None when none)."""
        return self.open.side if self.open is not None else None

    @property
    def count(self) -> int:
        """Holds so far, the one in progress included once it is long enough."""
        return len(self.segments) + (1 if self._long_enough() else 0)

    def _long_enough(self) -> bool:
        """The hold in progress has been in the position ``min_hold_s``."""
        return self.open is not None and self.open.held >= self.min_hold_s

    def turn_side(self) -> str:
        """With ``in_turn``: left for the 1st, 3rd... hold, right for the 2nd, 4th..."""
        if self.open is not None and self.open.side:
            return self.open.side
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
        return max([s.duration_s for s in self.segments] + [self.current_s])

    @property
    def current_s(self) -> float:
        """Length of the hold in progress (0 when none)."""
        return self.open.total if self.open is not None else 0.0

    def in_progress(self, t: float) -> HoldInProgress | None:
        """The hold open now, once it is long enough to count (None otherwise)."""
        if self.open is None or not self._long_enough():
            return None
        hold = self.open
        return HoldInProgress(t=t, start_s=hold.start, end_s=hold.start + hold.total, in_form_s=hold.form,
                              side=hold.side)

    def update(self, state: bool | None, side: str | None, t: float, in_form: bool = True,
               seen_out: bool = False, since: float | None = None) -> list[Event]:
        """Move to ``t`` with the position held (True), left (False) or unknown (None), as :meth:`read` said;
        ``side`` is the side the metrics show, ``in_form`` False while a form warning is shown,
        ``seen_out`` True for an unknown that is the person seen out of the exercise's position;
        ``since``: a hold that opens now was held from then already (seen while its position settled)."""
        dt = 0.0 if self._last_t is None else max(0.0, t - self._last_t)
        self._last_t = t
        hold = self.open
        if state:
            if hold is None:
                self.open = OpenHold.opened(t, since, self.turn_side() if self.in_turn else side, in_form)
                self._go("in the position")
                return []
            hold.resume(t, dt, in_form)
            if self.state is HoldState.BRIDGING:
                self._go("back in the position")
            return []
        if hold is None:
            return []
        if state is None and t - hold.last_in <= self.dropout_grace_s:
            hold.bridge(dt, seen_out, in_form)
            self._go("not seen, within the grace")
            return []
        if state is False and t - hold.last_in <= self.dropout_grace_s:
            # Out of the target, not for long: the same hold if it resumes. A stretch out of it of
            # GLITCH_S or less is a limb misread (a far arm drawn hanging for a frame or two) and its
            # time is the hold's; a longer one is the person out of it, and its time is not.
            if t - hold.last_in <= GLITCH_S:
                hold.bridge(dt, True, in_form)
            else:
                hold.forget_gap()
            self._go("out of the position, within the grace")
            return []
        return self.close(t)

    def close(self, t: float) -> list[Event]:
        """End the hold in progress (the person left the position)."""
        hold = self.open
        if hold is None:
            return []
        long_enough = self._long_enough()
        self.open = None
        self._last_t = None
        self._go(ENDED)
        if not long_enough:
            return []
        segment = hold.segment(t)
        self.segments.append(segment)
        return [segment]

"""Rep counting with hysteresis, a minimum duration and dropout handling."""

from __future__ import annotations

import statistics
from collections import deque

from coach.specs.model import RepSpec
from coach.types import Event, Metrics, RepAborted, RepFinished, RepItem, RepStarted

#: How far below its peak so far a rep still counts as "at the top" (metric units, degrees).
PEAK_TOLERANCE = 8.0
#: Seconds a rep must read as over (back at rest) before it ends: three frames at 15 fps.
REST_CONFIRM_S = 0.1
#: Seconds after a first reading in which a further rise shows a lift under way.
FIRST_RISE_S = 1.0
#: A rep that rises this share of the person's own recent full rises is complete even
#: short of the spec's ``full_at``: people move in their own range (a real table-top
#: crunch peaked at 11-15 deg against a full level of 14), and a rep they repeat at
#: their range is a rep. A rep clearly short of it stays partial: the partial reps of
#: the synthetic timelines stop at a quarter (superman) to a half (bridge) of the way.
OWN_RANGE_SHARE = 2 / 3
#: How many full reps the person's own range is learnt from (the latest ones), and
#: how many it needs before it counts.
OWN_RANGE_REPS = 3
OWN_RANGE_MIN_REPS = 2


class RepCounter:
    """Counts reps on one metric of a spec.

    ``update(metrics, t)`` returns the events of that instant. ``metrics`` is
    None while the person is not tracked; a rep in progress survives such a gap
    up to ``lost_reset_s`` and is then dropped, never counted, so someone
    walking out of view cannot produce a phantom rep. A rep can only start
    after the metric has been seen at rest, so someone who comes back already
    at the top is not counted for it. The one exception is a first reading
    (of the session, or after the person was lost or left the position):
    MediaPipe often finds a person lying face down only once
    they lift (a flat body on a mat is hard to see), or the first second
    is too short to learn a rest that reads high. A first reading above the
    rest level that goes on rising by the hysteresis band within
    :data:`FIRST_RISE_S` is a lift under way: it counts once it comes back
    down (to rest, or to that first reading), never at the session's end. A
    first reading that stays put is someone resting where the camera reads
    high, and is learnt as such.

    Example:
        >>> from coach.types import Metrics
        >>> counter = RepCounter(RepSpec("lift", start_above=10, full_at=30, rest_below=5, min_rep_s=0.5))
        >>> for i, v in enumerate([0, 20, 35, 35, 20, 0, 0]):   # over once back at rest for 0.1 s
        ...     events = counter.update(Metrics({"lift": v}, "left"), i * 0.3)
        >>> counter.count, counter.items[0].complete
        (1, True)
    """

    def __init__(self, spec: RepSpec, lost_reset_s: float = 1.5, in_turn: bool = False,
                 must_rise: tuple[str, ...] = ()) -> None:
        self.spec = spec
        # A rep metric that is the lowest of several (a back extension: chest up AND hips left on
        # the floor) can rise while one part falls: from the top of a push-up, lowering the chest
        # straightens the hips. A rep is the movement only if each part is higher at the rep's
        # peak than when it started.
        self.must_rise = must_rise
        self._parts_at_start: dict[str, float | None] = {}
        self._parts_at_peak: dict[str, float | None] = {}
        self.in_turn = in_turn     # sides given left, right, left... by order, not seen
        self.lost_reset_s = lost_reset_s
        self.items: list[RepItem] = []
        self.up = False
        self._start_t = 0.0
        self._peak = 0.0
        self._full = spec.full_at      # the peak that makes this rep complete, fixed when it starts
        self._side: str | None = None
        self._hold_s = 0.0
        self._last_t: float | None = None
        self._last_known_t = 0.0
        self._warnings: dict[str, None] = {}
        self._armed = False
        self._rest_samples: deque[tuple[float, float]] = deque()   # (t, value) at rest, last second
        self._rest_low: float | None = None   # median of those: the person's own resting value
        self._recent: deque[tuple[float, float]] = deque()         # (t, value) while not up, last second
        self._first_reading = True     # no value seen yet (this session, or since the last abort)
        self._first: tuple[float, float] | None = None   # (t, value) of a first reading above the rest level
        self._from_first: float | None = None   # the first reading's value the rep in progress rose from
        self._settling: tuple[float, float] | None = None   # (t, value): earliest reading while settling in
        self._settled: deque[tuple[float, float]] = deque()   # readings of the last second settling in
        self._down_since: float | None = None   # when the rep in progress first read as over
        self._base = 0.0               # the lowest reading in the second before the rep in progress rose
        self._full_rises: deque[float] = deque(maxlen=OWN_RANGE_REPS)   # rises of the latest full reps

    def _level(self, absolute: float, rise: float | None) -> float:
        """A threshold: ``absolute``, or ``rise`` above the person's own rest where the spec allows it.

        A rest that reads below the absolute scale can only lower the
        threshold (a camera reading the whole movement lower), never to
        within half the rise of that rest: a prone chest lift learnt resting
        at 2.9 against an absolute rest level of 3 read 3.0-3.5 lying between
        two lifts, which never ended the first. A rest that reads above
        ``rest_below`` (a camera reading it higher) leaves only the relative level.
        """
        if rise is None or self._rest_low is None:
            return absolute
        if self._rest_low >= self.spec.rest_below:
            return self._rest_low + rise
        return max(min(absolute, self._rest_low + rise), self._rest_low + rise / 2)

    def _start_level(self) -> float:
        return self._level(self.spec.start_above, self.spec.start_rise)

    def _rest_level(self) -> float:
        return self._level(self.spec.rest_below, self.spec.rest_rise)

    def _full_level(self) -> float:
        """The peak of a complete rep: ``full_at``, or ``full_rise`` above the rest."""
        return self._level(self.spec.full_at, self.spec.full_rise)

    def _still_low(self, value: float, t: float) -> bool:
        """Lying still short of full range, wherever that reads (specs with ``rest_rise``).

        A camera above the person or turned off the side can read the resting
        value above ``rest_below`` (a prone chest lift lying flat reads +5 to
        +6 from 0.6 m and 37 deg). A second in which the metric moves less
        than ``rest_rise`` and stays below ``full_at`` is rest too, so the
        person's own rest is learnt and the thresholds follow it.
        """
        recent = self._recent
        recent.append((t, value))
        while recent and t - recent[0][0] > 1.0:
            recent.popleft()
        if self.spec.rest_rise is None or value >= self.spec.full_at or t - recent[0][0] < 0.8:
            return False
        values = [v for _, v in recent]
        return max(values) - min(values) <= self.spec.rest_rise

    def _lift_under_way(self, value: float, t: float) -> bool:
        """The first reading was not at rest and has risen a band since."""
        if self._first_reading:
            self._first_reading = False
            first = self._settling or (t, value)
            self._settling = None
            settled, self._settled = list(self._settled), deque()
            # Past the top by more than a rep's own way from start to top is not this exercise
            # (a bird dog's hips read a bridge's hip line of +60 to +110).
            beyond = self._full_level() + (self._full_level() - self._start_level())
            if self._rest_level() <= first[1] <= beyond:
                self._first = first
            elif first[1] < self._rest_level():
                self._armed = True      # seen at rest while settling in: the lift since is a rep,
                for t_rest, v_rest in settled:   # measured from the rest seen then
                    if v_rest < self.spec.rest_below:
                        self._note_rest(v_rest, t_rest)
            return False
        if self._first is None:
            return False
        band = self.spec.start_rise if self.spec.start_rise is not None else self.spec.start_above - self.spec.rest_below
        since = t - self._first[0]
        rise = value - self._first[1]
        if since > FIRST_RISE_S:
            self._first = None
            return False
        return rise >= band

    def _note_rest(self, value: float, t: float) -> None:
        """Track the median resting value over the last second (robust to a glitch frame).

        From three samples on: the median of two is their mean, and one far
        wrist drawn hanging for a frame (-78 deg) would drag it half-way.
        """
        self._rest_samples.append((t, value))
        while self._rest_samples and t - self._rest_samples[0][0] > 1.0:
            self._rest_samples.popleft()
        if len(self._rest_samples) >= 3:
            self._rest_low = statistics.median(v for _, v in self._rest_samples)

    def _forget_rest(self) -> None:
        self._rest_samples.clear()
        self._recent.clear()
        self._rest_low = None

    @property
    def count(self) -> int:
        """Complete reps (partial reps are listed in ``items`` but not counted)."""
        return sum(1 for r in self.items if r.complete)

    @property
    def partial(self) -> int:
        return sum(1 for r in self.items if not r.complete)

    @property
    def side(self) -> str | None:
        """The side of the rep in progress, if any."""
        return self._side if self.up else None

    def at_top(self, value: float | None, tolerance: float = PEAK_TOLERANCE) -> bool:
        """A rep is up and the metric is at (or near) the highest point it reached so far.

        Form rules about the top of a rep apply only then: not on the way
        down, where every bridge passes below the line.
        """
        return self.up and value is not None and value >= self._peak - tolerance

    def at_full(self, value: float | None) -> bool:
        """A rep is up and at full range (an unknown value does not end that: the hold's grace decides)."""
        return self.up and (value is None or value >= self._full)

    def phase(self, value: float | None) -> str:
        """``rest``, ``up`` (rising, not yet full) or ``top`` (at or past full range)."""
        if not self.up:
            return "rest"
        return "top" if value is not None and value >= self._full else "up"

    def count_by_side(self) -> dict[str, int]:
        out = {"left": 0, "right": 0}
        for r in self.items:
            if r.complete and r.side in out:
                out[r.side] += 1
        return out

    def settling(self, metrics: Metrics | None, t: float) -> None:
        """A reading while the person settles into position, before the session counts.

        The position must hold for the spec's ``settle_s`` before any reading
        reaches :meth:`update`, and a lift that MediaPipe only finds as it
        starts (a prone body) can be half-way up by then. The earliest reading
        of the settling stretch is taken as the first reading instead, and
        when that was at rest, the rest readings of the last second are learnt
        as the person's rest, so a lift that began while the position was
        being confirmed is measured from them and counts (a real alternating
        superman lifted 0.5 s after it was first seen). None (out of position,
        unseen) forgets them.
        """
        value = metrics.get(self.spec.metric) if metrics is not None else None
        if value is None:
            self._settling = None
            self._settled.clear()
            return
        if self._settling is None:
            self._settling = (t, value)
        self._settled.append((t, value))
        while t - self._settled[0][0] > 1.0:
            self._settled.popleft()

    def note_warning(self, warning_id: str) -> None:
        """Record that a warning was shown during the rep in progress."""
        if self.up:
            self._warnings[warning_id] = None

    def abort(self, t: float, reason: str) -> list[Event]:
        """Drop the rep in progress without counting it; the next reading is a first one again."""
        self._last_t = None
        self._armed = False
        self._first_reading = True
        self._first = None
        self._forget_rest()
        self._down_since = None
        if not self.up:
            return []
        self.up = False
        return [RepAborted(t=t, reason=reason)]

    def finish(self, t: float) -> list[Event]:
        """End of the session: a rep that already reached full range counts.

        Someone who stops the camera (or whose video ends) while still up at
        the top of a bridge has done the lift; only the way down is missing,
        so half the minimum rep time is asked of it. A rep that had not
        reached full range, or was shorter, is dropped.
        """
        if self.up and self._down_since is not None and self._down_since - self._start_t >= self.spec.min_rep_s:
            events = self._end_rep(self._down_since)
            self.abort(t, "session ended")
            return events
        if self.up and self._peak >= self._full and t - self._start_t >= self.spec.min_rep_s / 2 \
                and self._from_first is None:
            events = self._end_rep(t)
            self.abort(t, "session ended")
            return events
        return self.abort(t, "session ended")

    def _parts(self, metrics: Metrics | None) -> dict[str, float | None]:
        return {name: metrics.get(name) if metrics is not None else None for name in self.must_rise}

    def _reached_own_range(self) -> bool:
        """The rep rose at least :data:`OWN_RANGE_SHARE` of the person's recent full rises."""
        if len(self._full_rises) < OWN_RANGE_MIN_REPS:
            return False
        return self._peak - self._base >= OWN_RANGE_SHARE * statistics.median(self._full_rises)

    def _end_rep(self, t: float) -> list[Event]:
        full = self._peak >= self._full
        if full:
            self._full_rises.append(self._peak - self._base)
        item = RepItem(
            index=len(self.items) + 1, side=self._side, start_s=self._start_t, end_s=t,
            complete=full or self._reached_own_range(), peak=self._peak, hold_s=self._hold_s,
            warnings=tuple(self._warnings),
        )
        self.items.append(item)
        self.up = False
        return [RepFinished(t=t, rep=item)]

    def update(self, metrics: Metrics | None, t: float) -> list[Event]:
        value = metrics.get(self.spec.metric) if metrics is not None else None
        dt = 0.0 if self._last_t is None else max(0.0, t - self._last_t)
        self._last_t = t
        if metrics is None or value is None:
            if self.up and t - self._last_known_t > self.lost_reset_s:
                return self.abort(t, "lost from view")
            return []
        self._last_known_t = t
        if not self.up:
            return self._while_resting(value, metrics, t)
        return self._while_up(value, metrics, t, dt)

    def _while_resting(self, value: float, metrics: Metrics, t: float) -> list[Event]:
        """Not in a rep: learn the rest, or start a rep."""
        still = self._still_low(value, t)
        under_way = self._lift_under_way(value, t)
        if value < self._rest_level() or still:
            self._armed = True
            self._first = None
            self._note_rest(value, t)
        elif value > self._start_level() and (self._armed or under_way):
            self._from_first = None
            self._start_t = t
            if under_way and not self._armed and self._first is not None:
                self._start_t, self._from_first = self._first
            self.up = True
            self._full = self._full_level()
            self._first = None
            self._peak = value
            self._parts_at_start = self._parts(metrics)
            self._parts_at_peak = dict(self._parts_at_start)
            self._base = min([v for _, v in self._recent] + [value])
            self._side = ("left", "right")[self.count % 2] if self.in_turn else metrics.side
            self._hold_s = 0.0
            self._warnings = {}
            self._recent.clear()
            return [RepStarted(t=t, side=self._side)]
        return []

    def _while_up(self, value: float, metrics: Metrics, t: float, dt: float) -> list[Event]:
        """In a rep: follow its peak and time at the top, and end it once it is over."""
        if value > self._peak:
            self._peak = value
            self._parts_at_peak = self._parts(metrics)
        if value >= self._full:
            self._hold_s += dt
        fallen = self.spec.rest_fall is not None and value < self._peak - self.spec.rest_fall
        # A lift that started at the first reading rose from there: back down to it, it is over
        # (with relative levels, that reading may have been the person's own rest, reading
        # above the absolute ones).
        back = self._from_first is not None and self.spec.rest_rise is not None and \
            value < self._from_first + self.spec.rest_rise
        # Come down from the top (by a start's rise) to lie still below the absolute rest level:
        # the rep is over even if a rest learnt lower than that (from a few misread frames
        # before a gap) is never reached. A partial rep held still is not lying down.
        settled = (self.spec.start_rise is not None and value < self.spec.rest_below
                   and self._peak - value >= self.spec.start_rise and self._still_low(value, t))
        if not (value < self._rest_level() or fallen or back or settled):
            self._down_since = None
        else:
            # Down for a frame or two is the pose model losing the limb (a bird dog's leg
            # raised too high read as both thighs down for two frames, twice in 0.3 s):
            # the rep ends once it has read as over for REST_CONFIRM_S, at the first such reading.
            if self._down_since is None:
                self._down_since = t
            if t - self._down_since < REST_CONFIRM_S:
                return []
            t = self._down_since
            self._down_since = None
            self.up = False
            # The next rep needs the metric at rest again: after a rep ended
            # by falling from its peak, a wobble must not start another.
            self._armed = value < self._rest_level()
            if back and not self._armed:
                # Back where it was first seen: that was the person's rest.
                self._armed = True
                self._rest_low = self._from_first
            if settled and not self._armed:
                self._armed = True
                self._rest_samples.clear()
                self._rest_low = None          # learnt afresh from this rest
            # The learnt rest stays until the next rest samples replace it
            # (they are over a second newer): between reps the levels keep
            # following the person, not jumping back to the absolute scale.
            self._recent.clear()
            if t - self._start_t < self.spec.min_rep_s:
                return [RepAborted(t=t, reason="too short to be a rep")]
            fell = [n for n in self.must_rise if not _rose(self._parts_at_start.get(n), self._parts_at_peak.get(n))]
            if fell:
                return [RepAborted(t=t, reason=f"not the exercise's movement: {', '.join(fell)} fell")]
            return self._end_rep(t)
        return []


def _rose(start: float | None, peak: float | None) -> bool:
    """Higher at the peak than at the start (unknown either way: given the benefit of the doubt)."""
    return start is None or peak is None or peak > start

"""Rep counting with hysteresis, a minimum duration and dropout handling."""

from __future__ import annotations

import statistics
from collections import deque
from dataclasses import dataclass, field, replace

from coach.specs.model import RepSpec
from coach.types import Event, Metrics, RepAborted, RepFinished, RepItem, RepRecounted, RepStarted

#: How far below its peak so far a rep still counts as "at the top" (metric units, degrees).
PEAK_TOLERANCE = 8.0
#: Seconds a rep must read as over (back at rest) before it ends: three frames at 15 fps.
REST_CONFIRM_S = 0.1
#: Seconds after a first reading in which a further rise shows a lift under way.
FIRST_RISE_S = 1.0
#: A rep that rises this share of the person's own range is complete even short of the
#: spec's ``full_at``: people move in their own range (a real table-top crunch peaked at
#: 11-15 deg against a full level of 14; a dead bug's leg straightens to 150-160 deg
#: against 160), and a rep they repeat at their range is a rep. A rep clearly short of it
#: stays partial: the partial reps of the synthetic timelines stop at a quarter
#: (superman) to a half (bridge) of the way.
OWN_RANGE_SHARE = 2 / 3
#: The person's own range: the median rise, from their rest, of their latest full reps (those
#: that reached the spec's level, so surely the exercise), once there are two. One is not
#: enough: a first lift found near its top reads as a small rise (a synthetic superman's
#: 8 deg), and the partial rep after it would count. Partial reps from before the range
#: is known are judged again once it is.
OWN_RANGE_REPS = 3
OWN_RANGE_MIN_REPS = 2
#: A rep that reaches full range may be this share of ``min_rep_s`` short: a pulse up to the
#: full range and back is the exercise, however quick (the real table-top crunch done 1.5
#: times faster reads 0.45-0.55 s), while a flicker short of it is most often the pose
#: model (two partial "reps" of 0.33 and 0.40 s in the synthetic corpus, at 0.4 s for all).
FULL_REP_MIN_SHARE = 0.8
#: A rep is also over when it turns back up from a low point this share of its own rise
#: (base to peak) below its peak: people repeating curl-ups or bridges often stop short of
#: the floor between reps, and the next rise from there is the next rep, not more of a hold.
RETURN_SHARE = 0.5
#: Seconds a rep must read as back down that far before a turn back up ends it: a limb
#: misread for a few frames (a bird dog's raised thigh swapped for the one on the floor)
#: reads as down for up to 0.2 s, and a curl-up stopped half-way stays down longer.
RETURN_HOLD_S = 0.3
#: Or the way down to that low point took this long from near the top (within a quarter of the
#: rise of the peak), seen all the way: a movement, where a misread limb drops in a frame (or
#: comes back misread after a few frames unseen). Quick curl-ups that stop well short of the
#: floor spend under 0.3 s below the half-way line between reps.
RETURN_DESCENT_S = 0.25



class LearntRest:
    """The person's own resting value, learnt while they lie at rest or still.

    Two windows of the last second: rest samples (their median is the rest,
    robust to a glitch frame) and every reading while not in a rep (to see
    stillness). Writing happens in :meth:`note` and :meth:`observe` only; the
    checks (:meth:`still`, :meth:`level`, :meth:`lowest_recent`) change nothing.
    """

    def __init__(self) -> None:
        self.value: float | None = None                            # the rest learnt, if any
        self._samples: deque[tuple[float, float]] = deque()         # (t, value) at rest, last second
        self._recent: deque[tuple[float, float]] = deque()          # (t, value) while not up, last second

    def note(self, value: float, t: float) -> None:
        """A reading at rest; from three samples on, the rest is their median.

        The median of two is their mean, and one far wrist drawn hanging for a
        frame (-78 deg) would drag it half-way.
        """
        _keep_last_second(self._samples, value, t)
        if len(self._samples) >= 3:
            self.value = statistics.median(v for _, v in self._samples)

    def observe(self, value: float, t: float) -> None:
        """A reading while not in a rep (or coming down from one), for :meth:`still`."""
        _keep_last_second(self._recent, value, t)

    def relearn(self) -> None:
        """Learn the rest afresh from the next samples."""
        self._samples.clear()
        self.value = None

    def assume(self, value: float) -> None:
        """The rest is ``value`` (known another way); the samples stay until newer ones replace it."""
        self.value = value

    def forget(self) -> None:
        self._samples.clear()
        self._recent.clear()
        self.value = None

    def clear_recent(self) -> None:
        self._recent.clear()

    def lowest_recent(self, value: float) -> float:
        """The lowest reading of the last second, or ``value``: a rep's base."""
        return min([v for _, v in self._recent] + [value])

    def still(self, value: float, t: float, spec: RepSpec) -> bool:
        """Lying still short of full range, wherever that reads (specs with ``rest_rise``).

        A camera above the person or turned off the side can read the resting
        value above ``rest_below`` (a prone chest lift lying flat reads +5 to
        +6 from 0.6 m and 37 deg). A second in which the metric moves less
        than ``rest_rise`` and stays below ``full_at`` is rest too, so the
        person's own rest is learnt and the thresholds follow it.
        """
        if spec.rest_rise is None or value >= spec.full_at or not self._recent or t - self._recent[0][0] < 0.8:
            return False
        values = [v for _, v in self._recent]
        return max(values) - min(values) <= spec.rest_rise

    def level(self, absolute: float, rise: float | None, rest_below: float) -> float:
        """A threshold: ``absolute``, or ``rise`` above the person's own rest where the spec allows it.

        A rest that reads below the absolute scale can only lower the
        threshold (a camera reading the whole movement lower), never to
        within half the rise of that rest: a prone chest lift learnt resting
        at 2.9 against an absolute rest level of 3 read 3.0-3.5 lying between
        two lifts, which never ended the first. A rest that reads above
        ``rest_below`` (a camera reading it higher) leaves only the relative level.
        """
        if rise is None or self.value is None:
            return absolute
        if self.value >= rest_below:
            return self.value + rise
        return max(min(absolute, self.value + rise), self.value + rise / 2)


class FirstReading:
    """The first reading of a session (or since the person was lost): rest, or a lift under way?

    MediaPipe often finds a person lying face down only once they lift, and
    the position must hold for ``settle_s`` before the counter sees anything,
    so the first value may be half-way up a rep. :meth:`settle` keeps the
    readings of that settling stretch; :meth:`take` hands the earliest one
    over as the first reading (once); a first reading above the rest becomes
    the :attr:`candidate`, and :meth:`rising` tells whether the readings since
    rose a band within :data:`FIRST_RISE_S` (a check: it changes nothing;
    :meth:`expire` drops a candidate too old to be a lift).
    """

    def __init__(self) -> None:
        self.pending = True                                   # no reading taken yet
        self.candidate: tuple[float, float] | None = None     # (t, value) of a first reading above rest
        self._earliest: tuple[float, float] | None = None     # (t, value): earliest reading while settling in
        self._settled: deque[tuple[float, float]] = deque()   # readings of the last second settling in

    def settle(self, value: float | None, t: float) -> None:
        """A reading while the person settles into position; None (out of position) forgets them."""
        if value is None:
            self._earliest = None
            self._settled.clear()
            return
        if self._earliest is None:
            self._earliest = (t, value)
        _keep_last_second(self._settled, value, t)

    def take(self, value: float, t: float) -> tuple[tuple[float, float], list[tuple[float, float]]]:
        """The first reading (the earliest while settling in, or this one) and the settling readings."""
        first = self._earliest or (t, value)
        settled = list(self._settled)
        self.pending = False
        self._earliest = None
        self._settled.clear()
        return first, settled

    def expire(self, t: float) -> None:
        if self.candidate is not None and t - self.candidate[0] > FIRST_RISE_S:
            self.candidate = None

    def rising(self, value: float, band: float) -> bool:
        """The candidate has risen by ``band`` since it was read."""
        return self.candidate is not None and value - self.candidate[1] >= band

    def reset(self) -> None:
        """Lost or out of position: the next reading is a first one again."""
        self.pending = True
        self.candidate = None


@dataclass
class RepInProgress:
    """A rep from its start to its end: where it rose from, how high it went, how long at the top."""

    start_t: float
    peak: float
    full: float                     # the peak that makes this rep complete, fixed when it starts
    base: float                     # the lowest reading in the second before it rose
    side: str | None
    from_first: float | None = None     # the first reading's value it rose from, if it was under way then
    hold_s: float = 0.0
    warnings: dict[str, None] = field(default_factory=dict)
    parts_at_start: dict[str, float | None] = field(default_factory=dict)
    parts_at_peak: dict[str, float | None] = field(default_factory=dict)
    down_since: float | None = None     # when it first read as over
    low: tuple[float, float] | None = None  # (t, value): the lowest reading of the stretch back down
    back_s: float = 0.0                 # seconds of that stretch, back down RETURN_SHARE of the rise
    near_top_t: float | None = None     # the latest reading within a quarter of the rise of the peak
    full_until: float | None = None     # the latest reading at full range: the way down starts after it
    peak_seen: bool = True              # the peak was read on landmarks seen clearly (Metrics.firm)
    top_low: float | None = None        # the lowest reading while at full range: how steady the top was
    descent_s: float = 0.0              # how long the way down to that stretch's low point took


def _keep_last_second(window: deque[tuple[float, float]], value: float, t: float) -> None:
    window.append((t, value))
    while window and t - window[0][0] > 1.0:
        window.popleft()


class RepCounter:
    """Counts reps on one metric of a spec.

    ``update(metrics, t)`` returns the events of that instant. ``metrics`` is
    None while the person is not tracked; a rep in progress survives such a gap
    up to ``lost_reset_s`` and is then dropped, never counted, so someone
    walking out of view cannot produce a phantom rep. A rep can only start
    after the metric has been seen at rest (the counter is *armed*), so someone
    who comes back already at the top is not counted for it. The one exception
    is a first reading (:class:`FirstReading`) above the rest level that goes
    on rising by the hysteresis band within :data:`FIRST_RISE_S`: a lift under
    way, which counts once it comes back down (to rest, or to that first
    reading), never at the session's end. A first reading that stays put is
    someone resting where the camera reads high, and is learnt as such
    (:class:`LearntRest`).

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
        self.in_turn = in_turn     # sides given left, right, left... by order, not seen
        self.lost_reset_s = lost_reset_s
        self.items: list[RepItem] = []
        self.rep: RepInProgress | None = None
        self.rest = LearntRest()
        self.first = FirstReading()
        self._armed = False            # seen at rest: a rise from here is a rep
        self._last_t: float | None = None
        self._last_known_t = 0.0
        self._frame_s = 0.0            # the latest interval between readings
        self._full_rises: deque[float] = deque(maxlen=OWN_RANGE_REPS)   # rises from rest of the latest full reps
        self._partial_rises: dict[int, float] = {}   # index -> rise of each partial rep before the range is known

    @property
    def up(self) -> bool:
        """A rep is in progress."""
        return self.rep is not None

    def _start_level(self) -> float:
        return self.rest.level(self.spec.start_above, self.spec.start_rise, self.spec.rest_below)

    def _rest_level(self) -> float:
        return self.rest.level(self.spec.rest_below, self.spec.rest_rise, self.spec.rest_below)

    def _full_level(self) -> float:
        """The peak of a complete rep: ``full_at``, or ``full_rise`` above the rest."""
        return self.rest.level(self.spec.full_at, self.spec.full_rise, self.spec.rest_below)

    def _band(self) -> float:
        """How far a lift rises from its start to count as started: the hysteresis band."""
        spec = self.spec
        return spec.start_rise if spec.start_rise is not None else spec.start_above - spec.rest_below

    def _take_first_reading(self, value: float, t: float) -> tuple[float, float] | None:
        """The first reading: a lift under way (a candidate), rest seen while settling in, or neither.

        Past the top by more than a rep's own way from start to top is not this exercise
        (a bird dog's hips read a bridge's hip line of +60 to +110).

        Returns when a lift that began while settling in rose past the start level, and its
        highest reading since, if one did: the rep began then, not when the position was
        confirmed (a real crunch 0.75 s long, begun 0.33 s into the half second of settling,
        read as 0.42 s: too short for a rep), and may have peaked before it.
        """
        first, settled = self.first.take(value, t)
        beyond = self._full_level() + (self._full_level() - self._start_level())
        if self._rest_level() <= first[1] <= beyond:
            self.first.candidate = first
        elif first[1] < self._rest_level():
            self._armed = True           # seen at rest while settling in: the lift since is a rep,
            for t_rest, v_rest in settled:   # measured from the rest seen then
                if v_rest < self.spec.rest_below:
                    self.rest.note(v_rest, t_rest)
            return _rose_past(settled, self._start_level())
        return None

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
        return self.rep.side if self.rep else None

    def at_top(self, value: float | None, tolerance: float = PEAK_TOLERANCE) -> bool:
        """A rep is up and the metric is at (or near) the highest point it reached so far.

        Form rules about the top of a rep apply only then: not on the way
        down, where every bridge passes below the line.
        """
        return self.rep is not None and value is not None and value >= self.rep.peak - tolerance

    def at_full(self, value: float | None) -> bool:
        """A rep is up and at full range (an unknown value does not end that: the hold's grace decides)."""
        return self.rep is not None and (value is None or value >= self.rep.full)

    def phase(self, value: float | None) -> str:
        """``rest``, ``up`` (rising, not yet full) or ``top`` (at or past full range)."""
        if self.rep is None:
            return "rest"
        return "top" if value is not None and value >= self.rep.full else "up"

    def count_by_side(self) -> dict[str, int]:
        out = {"left": 0, "right": 0}
        for r in self.items:
            if r.complete and r.side in out:
                out[r.side] += 1
        return out

    def settling(self, metrics: Metrics | None, t: float) -> None:
        """A reading while the person settles into position, before the session counts.

        The earliest reading of the settling stretch becomes the first reading,
        and when that was at rest, the rest readings of the last second are
        learnt as the person's rest, so a lift that began while the position
        was being confirmed is measured from them and counts (a real
        alternating superman lifted 0.5 s after it was first seen).
        """
        self.first.settle(metrics.get(self.spec.metric) if metrics is not None else None, t)

    def note_warning(self, warning_id: str) -> None:
        """Record that a warning was shown during the rep in progress."""
        if self.rep is not None:
            self.rep.warnings[warning_id] = None

    def abort(self, t: float, reason: str) -> list[Event]:
        """Drop the rep in progress without counting it; the next reading is a first one again."""
        self._last_t = None
        self._armed = False
        self.first.reset()
        self.rest.forget()
        rep, self.rep = self.rep, None
        return [RepAborted(t=t, reason=reason)] if rep is not None else []

    def finish(self, t: float) -> list[Event]:
        """End of the session: a rep that already reached full range counts.

        Someone who stops the camera (or whose video ends) while still up at
        the top of a bridge has done the lift; only the way down is missing,
        so half the minimum rep time is asked of it. A rep that had not
        reached full range, or was shorter, is dropped. So is a lift that was
        under way at the first reading and never came down.
        """
        rep = self.rep
        ended_at = None
        if rep is not None and rep.down_since is not None and self._long_enough(rep, rep.down_since):
            ended_at = rep.down_since
        elif rep is not None and rep.peak >= rep.full and t - rep.start_t >= self.spec.min_rep_s / 2 \
                and rep.from_first is None:
            ended_at = t
        if rep is None or ended_at is None:
            return self.abort(t, "session ended")
        events = self._end_rep(rep, ended_at)
        self.abort(t, "session ended")
        return events

    def _parts(self, metrics: Metrics | None) -> dict[str, float | None]:
        return {name: metrics.get(name) if metrics is not None else None for name in self.must_rise}

    def _reached_own_range(self, rep: RepInProgress) -> bool:
        """The rep rose at least :data:`OWN_RANGE_SHARE` of the person's own range, once it is known."""
        return self._range_known() and self._rise(rep) >= OWN_RANGE_SHARE * statistics.median(self._full_rises)

    def _range_known(self) -> bool:
        return len(self._full_rises) >= OWN_RANGE_MIN_REPS

    def _rise(self, rep: RepInProgress) -> float:
        """How far the rep rose from the person's rest (or from below it, where it started lower).

        From the rest, not only from where it started: a rep that begins before the last
        one is quite down (quick pulses, or a low frame rate that misses the bottom: at 5 fps
        a real crunch's pulses started 4-9 deg above the person's rest) is measured against
        the same floor as the others.
        """
        floor = rep.base if self.rest.value is None else min(rep.base, self.rest.value)
        return rep.peak - floor

    def _long_enough(self, rep: RepInProgress, end_t: float) -> bool:
        """The rep may have lasted ``min_rep_s`` (less if complete): its ends were each seen up to a frame late.

        It rose past the start level somewhere in the frame interval before ``start_t`` and came
        down in the one before ``end_t``, so it lasted up to an interval longer or shorter than
        seen. At 30 fps that is 0.03 s; at 5 fps (a GIF) 0.2 s, and a real 0.75 s crunch pulse
        was seen as 0.5 s from its start to its end.
        """
        shortest = self.spec.min_rep_s * (FULL_REP_MIN_SHARE if self._complete(rep) else 1.0)
        return end_t - rep.start_t + self._frame_s >= shortest

    def _complete(self, rep: RepInProgress) -> bool:
        return rep.peak >= rep.full or self._reached_own_range(rep)

    def _end_rep(self, rep: RepInProgress, t: float) -> list[Event]:
        item = RepItem(
            index=len(self.items) + 1, side=rep.side, start_s=rep.start_t, end_s=t,
            complete=self._complete(rep), peak=rep.peak, hold_s=rep.hold_s,
            warnings=tuple(rep.warnings), rise=self._rise(rep),
            down_s=t - rep.full_until if rep.full_until is not None and t > rep.full_until else None,
            top_seen=rep.peak_seen,
            top_spread=rep.peak - rep.top_low if rep.top_low is not None else None,
        )
        self.items.append(item)
        self.rep = None
        events: list[Event] = [RepFinished(t=t, rep=item)]
        if rep.peak >= rep.full:
            self._full_rises.append(self._rise(rep))
        elif not self._range_known():
            self._partial_rises[item.index] = self._rise(rep)
        if self._range_known() and self._partial_rises:
            events += self._judge_again(t)
        return events

    def _judge_again(self, t: float) -> list[Event]:
        """The partial reps from before the person's range was known count if they rose that far.

        They were judged on the spec's level alone (the live count goes up by them now).
        """
        events: list[Event] = []
        range_ = statistics.median(self._full_rises)
        for index, rise in self._partial_rises.items():
            if rise >= OWN_RANGE_SHARE * range_:
                self.items[index - 1] = replace(self.items[index - 1], complete=True)
                events.append(RepRecounted(t=t, rep=self.items[index - 1]))
        self._partial_rises.clear()
        return events

    def update(self, metrics: Metrics | None, t: float) -> list[Event]:
        value = metrics.get(self.spec.metric) if metrics is not None else None
        dt = 0.0 if self._last_t is None else max(0.0, t - self._last_t)
        self._last_t = t
        if dt > 0:
            self._frame_s = dt
        if metrics is None or value is None:
            if self.rep is not None:
                self.rep.near_top_t = None      # a way down not seen is no sign of a movement
                if t - self._last_known_t > self.lost_reset_s:
                    return self.abort(t, "lost from view")
            return []
        self._last_known_t = t
        if self.rep is None:
            return self._while_resting(value, metrics, t)
        return self._while_up(self.rep, value, metrics, t, dt)

    def _while_resting(self, value: float, metrics: Metrics, t: float) -> list[Event]:
        """Not in a rep: learn the rest, or start a rep."""
        self.rest.observe(value, t)
        still = self.rest.still(value, t, self.spec)
        rose_at = None
        if self.first.pending:
            rose_at = self._take_first_reading(value, t)
            under_way = False
        else:
            self.first.expire(t)
            under_way = self.first.rising(value, self._band())
        if value < self._rest_level() or still:
            self._armed = True
            self.first.candidate = None
            self.rest.note(value, t)
        elif value > self._start_level() and (self._armed or under_way):
            events = self._start_rep(value, metrics, t, under_way, since=rose_at[0] if rose_at else None)
            if rose_at is not None and self.rep is not None:
                self.rep.peak = max(self.rep.peak, rose_at[1])
            return events
        return []

    def _start_rep(self, value: float, metrics: Metrics, t: float, under_way: bool,
                   since: float | None = None) -> list[Event]:
        """A rise past the start level: a rep begins (at the first reading, for a lift under way, or ``since``)."""
        start_t, from_first = (since if since is not None else t), None
        if under_way and not self._armed and self.first.candidate is not None:
            start_t, from_first = self.first.candidate
        self.first.candidate = None
        parts = self._parts(metrics)
        side = ("left", "right")[self.count % 2] if self.in_turn else metrics.side
        self.rep = RepInProgress(start_t=start_t, peak=value, full=self._full_level(),
                                 peak_seen=metrics.firm(self.spec.metric) is not None,
                                 base=self.rest.lowest_recent(value), side=side, from_first=from_first,
                                 parts_at_start=parts, parts_at_peak=dict(parts))
        self.rest.clear_recent()
        return [RepStarted(t=t, side=side)]

    def _while_up(self, rep: RepInProgress, value: float, metrics: Metrics, t: float, dt: float) -> list[Event]:
        """In a rep: follow its peak and time at the top, and end it once it is over."""
        if value > rep.peak:
            rep.peak = value
            rep.parts_at_peak = self._parts(metrics)
            rep.peak_seen = metrics.firm(self.spec.metric) is not None
        if value >= rep.peak - (rep.peak - rep.base) / 4:
            rep.near_top_t = t
        back_down = value <= self._return_line(rep)
        if back_down:
            rep.back_s += dt
            if rep.low is None or value < rep.low[1]:
                rep.low = (t, value)
                rep.descent_s = t - (rep.near_top_t if rep.near_top_t is not None else t)
        if rep.low is not None and self._turned_back_up(rep, rep.low[1], value):
            return self._next_from_low(rep, rep.low, value, metrics, t)
        if not back_down and not self._dipped(rep):
            rep.low, rep.back_s = None, 0.0     # one stretch back down, not glitches added up
        if value >= rep.full:
            rep.hold_s += dt
            rep.full_until = t
            rep.top_low = value if rep.top_low is None else min(rep.top_low, value)
        coming_down = self._coming_down(rep, value)
        if coming_down:
            self.rest.observe(value, t)        # the last second coming down, to see the person lie still
        over = self._over(rep, value, t, coming_down)
        if not over:
            rep.down_since = None
            return []
        # Down for a frame or two is the pose model losing the limb (a bird dog's leg
        # raised too high read as both thighs down for two frames, twice in 0.3 s):
        # the rep ends once it has read as over for REST_CONFIRM_S, at the first such reading.
        if rep.down_since is None:
            rep.down_since = t
        if t - rep.down_since < REST_CONFIRM_S:
            return []
        return self._rep_over(rep, value, rep.down_since, over)

    def _return_line(self, rep: RepInProgress) -> float:
        """Back down :data:`RETURN_SHARE` of the rep's rise, and at least the band, from its peak."""
        return rep.peak - max(RETURN_SHARE * (rep.peak - rep.base), self._band())

    def _turned_back_up(self, rep: RepInProgress, low: float, value: float) -> bool:
        """A stretch back below the return line that was a movement (:meth:`_dipped`), and up the band again."""
        return self._dipped(rep) and value - low >= self._band()

    @staticmethod
    def _dipped(rep: RepInProgress) -> bool:
        """The stretch back down was a movement: long enough, or a way down that took time."""
        return rep.low is not None and (rep.back_s >= RETURN_HOLD_S or rep.descent_s >= RETURN_DESCENT_S)

    def _next_from_low(self, rep: RepInProgress, low: tuple[float, float], value: float, metrics: Metrics,
                       t: float) -> list[Event]:
        """The rep ended at its low point, and the rise since is the next rep, measured from there."""
        low_t, low_value = low
        events = self._rep_over(rep, low_value, low_t, frozenset({"returned"}))
        self.rest.observe(low_value, low_t)
        return events + self._start_rep(value, metrics, t, under_way=False, since=low_t)

    def _coming_down(self, rep: RepInProgress, value: float) -> bool:
        """Down from the top by a start's rise, below the absolute rest level (relative specs)."""
        spec = self.spec
        return spec.start_rise is not None and value < spec.rest_below and rep.peak - value >= spec.start_rise

    def _over(self, rep: RepInProgress, value: float, t: float, coming_down: bool) -> frozenset[str]:
        """Why the rep reads as over now, if it does (none: not over).

        - ``rest``: below the rest level;
        - ``fallen``: fallen from its peak by the spec's ``rest_fall``;
        - ``back``: a lift that started at the first reading rose from there, and is back down to
          it (with relative levels, that reading may have been the person's own rest, reading
          above the absolute ones);
        - ``settled``: come down from the top to lie still below the absolute rest level: over
          even if a rest learnt lower than that (from a few misread frames before a gap) is never
          reached. A partial rep held still is not lying down.
        """
        spec = self.spec
        reasons = {
            "rest": value < self._rest_level(),
            "fallen": spec.rest_fall is not None and value < rep.peak - spec.rest_fall,
            "back": rep.from_first is not None and spec.rest_rise is not None
            and value < rep.from_first + spec.rest_rise,
            "settled": coming_down and self.rest.still(value, t, spec),
        }
        return frozenset(name for name, yes in reasons.items() if yes)

    def _rep_over(self, rep: RepInProgress, value: float, t: float, why: frozenset[str]) -> list[Event]:
        """The rep has read as over since ``t``: count it, or say why not."""
        self.rep = None
        # The next rep needs the metric at rest again: after a rep ended
        # by falling from its peak, a wobble must not start another.
        self._armed = value < self._rest_level()
        if "back" in why and not self._armed and rep.from_first is not None:
            self._armed = True              # back where it was first seen: that was the person's rest
            self.rest.assume(rep.from_first)
        if "settled" in why and not self._armed:
            self._armed = True
            self.rest.relearn()             # learnt afresh from this rest
        # The learnt rest stays until the next rest samples replace it
        # (they are over a second newer): between reps the levels keep
        # following the person, not jumping back to the absolute scale.
        self.rest.clear_recent()
        if not self._long_enough(rep, t):
            return [RepAborted(t=t, reason="too short to be a rep")]
        fell = [n for n in self.must_rise if not _rose(rep.parts_at_start.get(n), rep.parts_at_peak.get(n))]
        if fell:
            return [RepAborted(t=t, reason=f"not the exercise's movement: {', '.join(fell)} fell")]
        return self._end_rep(rep, t)


def _rose_past(readings: list[tuple[float, float]], level: float) -> tuple[float, float] | None:
    """When the readings, (t, value) in order, last rose past ``level`` and their highest since,
    if they end above it."""
    since: tuple[float, float] | None = None
    for t, value in readings:
        if value <= level:
            since = None
        elif since is None:
            since = (t, value)
        else:
            since = (since[0], max(since[1], value))
    return since


def _rose(start: float | None, peak: float | None) -> bool:
    """Higher at the peak than at the start (unknown either way: given the benefit of the doubt)."""
    return start is None or peak is None or peak > start

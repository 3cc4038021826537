"""Rep counting with hysteresis, a minimum duration and dropout handling, as a state machine.

The counter is in one :class:`RepState` at a time; every change of state is one of the named
:data:`TRANSITIONS` (the reason it happens), taken through ``RepCounter._go`` and nowhere else.
``docs/state-machines.md`` draws them (made by :func:`state_diagram`, and tested against it).
"""

from __future__ import annotations

from dataclasses import replace
from enum import Enum

from coach.analysis.rep_parts import RETURN_SHARE, FirstReading, LearntRest, OwnRange, RepInProgress, rose, rose_past
from coach.analysis.states import Transition, take, transition
from coach.specs.model import RepSpec
from coach.types import Event, Metrics, RepAborted, RepFinished, RepItem, RepRecounted, RepStarted

#: How far below its peak so far a rep still counts as "at the top" (metric units, degrees).
PEAK_TOLERANCE = 8.0
#: Seconds a rep must read as over (back at rest) before it ends: three frames at 15 fps.
REST_CONFIRM_S = 0.1
#: A rep that reaches full range may be this share of ``min_rep_s`` short: a pulse up to the
#: full range and back is the exercise, however quick (the real table-top crunch done 1.5
#: times faster reads 0.45-0.55 s), while a flicker short of it is most often the pose
#: model (two partial "reps" of 0.33 and 0.40 s in the synthetic corpus, at 0.4 s for all).
FULL_REP_MIN_SHARE = 0.8
class RepState(Enum):
    """Where the counter is, between the person's readings."""

    WAITING_FIRST = "waiting for a first reading"      # at the start, and after losing the person
    SEEN = "seen, not yet at rest"                      # a rise from here is not a rep
    FIRST_ABOVE_REST = "first reading above rest"       # perhaps a lift under way: does it go on rising?
    AT_REST = "at rest"                                 # armed: a rise past the start level is a rep
    UP = "in a rep"
    ENDING = "in a rep that reads as over"              # for REST_CONFIRM_S before it ends


_S = RepState
#: Every change of state the counter makes, by its reason.
TRANSITIONS: dict[str, Transition] = dict((
    transition("first reading at rest", {_S.WAITING_FIRST}, _S.AT_REST),
    transition("first reading above rest", {_S.WAITING_FIRST}, _S.FIRST_ABOVE_REST),
    transition("first reading past the top", {_S.WAITING_FIRST}, _S.SEEN),
    transition("no lift under way", {_S.FIRST_ABOVE_REST}, _S.SEEN),
    transition("at rest", {_S.SEEN, _S.FIRST_ABOVE_REST}, _S.AT_REST),
    transition("rose past the start level", {_S.AT_REST}, _S.UP),
    transition("the lift under way rose on", {_S.FIRST_ABOVE_REST}, _S.UP),
    transition("reads as over", {_S.UP}, _S.ENDING),
    transition("back up", {_S.ENDING}, _S.UP),
    transition("turned back up: the next rep", {_S.UP, _S.ENDING}, _S.UP),
    transition("over: back at rest", {_S.ENDING}, _S.AT_REST),
    transition("over: back to the first reading", {_S.ENDING}, _S.AT_REST),
    transition("over: lying still", {_S.ENDING}, _S.AT_REST),
    transition("over: short of rest", {_S.ENDING}, _S.SEEN),
    transition("dropped (lost, out of position, session ended)", set(RepState), _S.WAITING_FIRST),
))
DROPPED = "dropped (lost, out of position, session ended)"


class RepCounter:
    """Counts reps on one metric of a spec.

    ``update(metrics, t)`` returns the events of that instant. ``metrics`` is
    None while the person is not tracked; a rep in progress survives such a gap
    up to ``lost_reset_s`` and is then dropped, never counted, so someone
    walking out of view cannot produce a phantom rep. A rep starts from
    ``AT_REST`` only, so someone who comes back already at the top is not
    counted for it; or from ``FIRST_ABOVE_REST``, a first reading that goes on
    rising: a lift under way (see :class:`FirstReading`, :class:`LearntRest`).

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
        self.state = RepState.WAITING_FIRST
        self.taken: set[str] = set()   # the transitions taken (what the diagram's test reads)
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
        self._last_t: float | None = None
        self._last_known_t = 0.0
        self._frame_s = 0.0            # the latest interval between readings
        self.own_range = OwnRange()

    def _go(self, name: str) -> None:
        """Take the transition ``name``: the one place the state changes."""
        self.state = RepState(take(TRANSITIONS, self.state, name, "rep counter").value)
        self.taken.add(name)

    @property
    def up(self) -> bool:
        """A rep is in progress."""
        return self.state in (RepState.UP, RepState.ENDING)

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
            self.first.propose(first)
            self._go("first reading above rest")
        elif first[1] < self._rest_level():
            self._go("first reading at rest")   # seen at rest while settling in: the lift since is a rep,
            for t_rest, v_rest in settled:      # measured from the rest seen then
                if v_rest < self.spec.rest_below:
                    self.rest.note(v_rest, t_rest)
            return rose_past(settled, self._start_level())
        else:
            self._go("first reading past the top")
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
            self.rep.note_warning(warning_id)

    def abort(self, t: float, reason: str) -> list[Event]:
        """Drop the rep in progress without counting it; the next reading is a first one again."""
        self._last_t = None
        self.first.reset()
        self.rest.forget()
        rep, self.rep = self.rep, None
        self._go(DROPPED)
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
        return rep.peak >= rep.full or self.own_range.reached(self._rise(rep))

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
            self.own_range.full(self._rise(rep))
        else:
            self.own_range.partial(item.index, self._rise(rep))
        for index in self.own_range.recount():
            # The partial reps from before the person's range was known count if they rose that far
            # (they were judged on the spec's level alone: the live count goes up by them now).
            self.items[index - 1] = replace(self.items[index - 1], complete=True)
            events.append(RepRecounted(t=t, rep=self.items[index - 1]))
        return events

    def update(self, metrics: Metrics | None, t: float) -> list[Event]:
        value = metrics.get(self.spec.metric) if metrics is not None else None
        dt = 0.0 if self._last_t is None else max(0.0, t - self._last_t)
        self._last_t = t
        if dt > 0:
            self._frame_s = dt
        if metrics is None or value is None:
            if self.rep is not None:
                self.rep.unseen()
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
        if self.state is RepState.WAITING_FIRST:
            rose_at = self._take_first_reading(value, t)
            under_way = False
        else:
            if self.state is RepState.FIRST_ABOVE_REST and self.first.expired(t):
                self.first.drop()
                self._go("no lift under way")
            under_way = self.first.rising(value, self._band())
        if value < self._rest_level() or still:
            if self.state is not RepState.AT_REST:
                self.first.drop()
                self._go("at rest")
            self.rest.note(value, t)
        elif value > self._start_level() and (self.state is RepState.AT_REST or under_way):
            return self._start_rep(value, metrics, t, under_way, since=rose_at[0] if rose_at else None,
                                   peak=max(value, rose_at[1]) if rose_at else value)
        return []

    def _start_rep(self, value: float, metrics: Metrics, t: float, under_way: bool,
                   since: float | None = None, peak: float | None = None) -> list[Event]:
        """A rise past the start level: a rep begins (at the first reading, for a lift under way, or ``since``)."""
        start_t, from_first = (since if since is not None else t), None
        if under_way and self.state is RepState.FIRST_ABOVE_REST and self.first.candidate is not None:
            start_t, from_first = self.first.candidate
            self._go("the lift under way rose on")
        elif self.state is RepState.AT_REST:
            self._go("rose past the start level")
        self.first.drop()
        parts = self._parts(metrics)
        side = ("left", "right")[self.count % 2] if self.in_turn else metrics.side
        self.rep = RepInProgress(start_t=start_t, peak=value if peak is None else peak, full=self._full_level(),
                                 peak_seen=metrics.firm(self.spec.metric) is not None,
                                 base=self.rest.lowest_recent(value), side=side, from_first=from_first,
                                 parts_at_start=parts, parts_at_peak=dict(parts))
        self.rest.clear_recent()
        return [RepStarted(t=t, side=side)]

    def _while_up(self, rep: RepInProgress, value: float, metrics: Metrics, t: float, dt: float) -> list[Event]:
        """In a rep: follow its peak and time at the top, and end it once it is over."""
        if value > rep.peak:
            rep.new_peak(value, self._parts(metrics), metrics.firm(self.spec.metric) is not None)
        back_down = rep.follow(value, t, dt, self._return_line(rep))
        if rep.low is not None and rep.dipped() and value - rep.low[1] >= self._band():
            return self._next_from_low(rep, rep.low, value, metrics, t)   # a movement back down, and up again
        rep.end_stretch(back_down)
        if value >= rep.full:
            rep.at_full(value, t, dt)
        coming_down = self._coming_down(rep, value)
        if coming_down:
            self.rest.observe(value, t)        # the last second coming down, to see the person lie still
        over = self._over(rep, value, t, coming_down)
        if not over:
            if self.state is RepState.ENDING:
                self._go("back up")
            rep.confirm_over(None)
            return []
        # Down for a frame or two is the pose model losing the limb (a bird dog's leg
        # raised too high read as both thighs down for two frames, twice in 0.3 s):
        # the rep ends once it has read as over for REST_CONFIRM_S, at the first such reading.
        since = rep.down_since
        if since is None:
            since = t
            rep.confirm_over(t)
            self._go("reads as over")
        if t - since < REST_CONFIRM_S:
            return []
        return self._rep_over(rep, value, since, over)

    def _return_line(self, rep: RepInProgress) -> float:
        """Back down :data:`RETURN_SHARE` of the rep's rise, and at least the band, from its peak."""
        return rep.peak - max(RETURN_SHARE * (rep.peak - rep.base), self._band())

    def _next_from_low(self, rep: RepInProgress, low: tuple[float, float], value: float, metrics: Metrics,
                       t: float) -> list[Event]:
        """The rep ended at its low point, and the rise since is the next rep, measured from there."""
        low_t, low_value = low
        events = self._rep_over(rep, low_value, low_t, frozenset({"returned"}))
        self._go("turned back up: the next rep")
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

    def _after_rep(self, rep: RepInProgress, value: float, why: frozenset[str]) -> str:
        """How a rep that is over leaves the counter. The next rep needs the metric at rest again:
        after a rep ended by falling from its peak, a wobble must not start another."""
        if value < self._rest_level():
            return "over: back at rest"
        if "back" in why and rep.from_first is not None:
            self.rest.assume(rep.from_first)   # back where it was first seen: that was the person's rest
            return "over: back to the first reading"
        if "settled" in why:
            self.rest.relearn()                # learnt afresh from this rest
            return "over: lying still"
        return "over: short of rest"

    def _rep_over(self, rep: RepInProgress, value: float, t: float, why: frozenset[str]) -> list[Event]:
        """The rep has read as over since ``t``: count it, or say why not."""
        self.rep = None
        if "returned" not in why:           # turned back up: the next rep follows (_next_from_low)
            self._go(self._after_rep(rep, value, why))
        # The learnt rest stays until the next rest samples replace it
        # (they are over a second newer): between reps the levels keep
        # following the person, not jumping back to the absolute scale.
        self.rest.clear_recent()
        if not self._long_enough(rep, t):
            return [RepAborted(t=t, reason="too short to be a rep")]
        fell = [n for n in self.must_rise if not rose(rep.parts_at_start.get(n), rep.parts_at_peak.get(n))]
        if fell:
            return [RepAborted(t=t, reason=f"not the exercise's movement: {', '.join(fell)} fell")]
        return self._end_rep(rep, t)

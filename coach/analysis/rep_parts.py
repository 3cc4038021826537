"""The rep counter's parts: what it learns of the person, and the rep in progress.

Each is changed only through its own methods: :class:`LearntRest` (the resting value, learnt
while the person lies at rest or still), :class:`FirstReading` (the first reading of a session,
or since the person was lost: rest, or a lift under way?), :class:`OwnRange` (how far the
person's full reps rise) and :class:`RepInProgress` (a rep from its start to its end).
"""

from __future__ import annotations

import statistics
from collections import deque
from dataclasses import dataclass, field

from coach.specs.model import RepSpec

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


#: Seconds after a first reading in which a further rise shows a lift under way.
FIRST_RISE_S = 1.0


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
    over as the first reading; a first reading above the rest becomes the
    :attr:`candidate` (:meth:`propose`), and :meth:`rising` tells whether the
    readings since rose a band within :data:`FIRST_RISE_S` (a check: it
    changes nothing; :meth:`expired` says a candidate is too old to be a lift).
    Whether a reading is the first one is the counter's state, not this object's.
    """

    def __init__(self) -> None:
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
        self._earliest = None
        self._settled.clear()
        return first, settled

    def propose(self, first: tuple[float, float]) -> None:
        """A first reading above the rest: a lift under way if it goes on rising."""
        self.candidate = first

    def drop(self) -> None:
        """No lift under way (at rest, or the lift began)."""
        self.candidate = None

    def expired(self, t: float) -> bool:
        """The candidate is older than :data:`FIRST_RISE_S` (a check)."""
        return self.candidate is not None and t - self.candidate[0] > FIRST_RISE_S

    def rising(self, value: float, band: float) -> bool:
        """The candidate has risen by ``band`` since it was read."""
        return self.candidate is not None and value - self.candidate[1] >= band

    def reset(self) -> None:
        """Lost or out of position: the settling readings and the candidate are forgotten."""
        self.candidate = None


def _keep_last_second(window: deque[tuple[float, float]], value: float, t: float) -> None:
    window.append((t, value))
    while window and t - window[0][0] > 1.0:
        window.popleft()


class OwnRange:
    """How far the person's full reps rise from their rest: a rep that rises most of that is full.

    :meth:`full` and :meth:`partial` hear of each rep as it ends; :meth:`reached` asks of a rise;
    :meth:`recount` gives the partial reps from before the range was known that reached it.
    """

    def __init__(self) -> None:
        self._full: deque[float] = deque(maxlen=OWN_RANGE_REPS)   # rises from rest of the latest full reps
        self._partial: dict[int, float] = {}   # rep index -> rise of each partial rep before the range is known

    def known(self) -> bool:
        return len(self._full) >= OWN_RANGE_MIN_REPS

    def reached(self, rise: float) -> bool:
        """The rise is at least :data:`OWN_RANGE_SHARE` of the person's own range, once it is known."""
        return self.known() and rise >= OWN_RANGE_SHARE * statistics.median(self._full)

    def full(self, rise: float) -> None:
        self._full.append(rise)

    def partial(self, index: int, rise: float) -> None:
        if not self.known():
            self._partial[index] = rise

    def recount(self) -> list[int]:
        """Once the range is known, the partial reps (by index) that rose that far; asked once each."""
        if not self.known() or not self._partial:
            return []
        range_ = statistics.median(self._full)
        found = [index for index, rise in self._partial.items() if rise >= OWN_RANGE_SHARE * range_]
        self._partial.clear()
        return found


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

    def new_peak(self, value: float, parts: dict[str, float | None], seen: bool) -> None:
        self.peak, self.parts_at_peak, self.peak_seen = value, parts, seen

    def follow(self, value: float, t: float, dt: float, return_line: float) -> bool:
        """Note a reading of the way down; True when it is back below ``return_line``."""
        if value >= self.peak - (self.peak - self.base) / 4:
            self.near_top_t = t
        back_down = value <= return_line
        if back_down:
            self.back_s += dt
            if self.low is None or value < self.low[1]:
                self.low = (t, value)
                self.descent_s = t - (self.near_top_t if self.near_top_t is not None else t)
        return back_down

    def dipped(self) -> bool:
        """The stretch back down was a movement: long enough, or a way down that took time."""
        return self.low is not None and (self.back_s >= RETURN_HOLD_S or self.descent_s >= RETURN_DESCENT_S)

    def end_stretch(self, back_down: bool) -> None:
        """Above the return line again after no movement down: one stretch back down, not glitches added up."""
        if not back_down and not self.dipped():
            self.low, self.back_s = None, 0.0

    def at_full(self, value: float, t: float, dt: float) -> None:
        """A reading at full range: time at the top, and how steady it was."""
        self.hold_s += dt
        self.full_until = t
        self.top_low = value if self.top_low is None else min(self.top_low, value)

    def unseen(self) -> None:
        """A reading missed: a way down not seen is no sign of a movement."""
        self.near_top_t = None

    def confirm_over(self, since: float | None) -> None:
        """It reads as over since ``since`` (None: not over after all)."""
        self.down_since = since

    def note_warning(self, warning_id: str) -> None:
        self.warnings[warning_id] = None


def rose_past(readings: list[tuple[float, float]], level: float) -> tuple[float, float] | None:
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


def rose(start: float | None, peak: float | None) -> bool:
    """Higher at the peak than at the start (unknown either way: given the benefit of the doubt)."""
    return start is None or peak is None or peak > start

"""Every special case of the rep counter and the hold timer, one named row each.

The names are the ones the code uses (``coach/analysis/reps.py``, ``holds.py``), so a rule
and its test are found together. Traces are metric values at 30 fps (no poses involved).
"""

from __future__ import annotations

import copy
from dataclasses import replace

import numpy as np
import pytest

from coach.analysis.holds import HoldTimer
from coach.analysis.rep_parts import FirstReading, LearntRest
from coach.analysis.reps import RepCounter
from coach.app.recovery import rebuild_report
from coach.output.sinks import EventLog
from coach.specs.model import Condition, RepSpec
from coach.types import Metrics, RepAborted, RepFinished, RepRecounted

FPS = 30.0
#: Absolute levels: a rep starts above 10, is full at 30, is over below 5.
ABSOLUTE = RepSpec("lift", start_above=10.0, full_at=30.0, rest_below=5.0, min_rep_s=0.8)
#: Relative levels too: a rep starts 6 above the person's own rest, is over 3 above it.
RELATIVE = RepSpec("lift", start_above=12.0, full_at=14.0, rest_below=8.0, min_rep_s=1.0,
                   start_rise=6.0, rest_rise=3.0, full_rise=11.0)
FALLING = replace(ABSOLUTE, rest_fall=10.0)


def ramps(*segments: tuple[float | None, float | None, float]) -> list[float | None]:
    """Linear ramps (start, end, seconds) at 30 fps; (None, None, s) is s seconds unseen."""
    out: list[float | None] = []
    for start, end, seconds in segments:
        n = max(1, int(round(seconds * FPS)))
        out += [None] * n if start is None or end is None else list(np.linspace(start, end, n, endpoint=False))
    return out


ONE_REP = ramps((0, 0, 1), (0, 40, 1), (40, 40, 1), (40, 0, 1), (0, 0, 1))


def run(spec: RepSpec, values, settling=(), finish: bool = True, must_rise=()):
    counter = RepCounter(spec, must_rise=must_rise)
    for i, v in enumerate(settling):
        counter.settling(None if v is None else Metrics({"lift": v}, "left"), i / FPS)
    t0 = len(settling) / FPS
    events = []
    for i, v in enumerate(values):
        events += counter.update(None if v is None else Metrics({"lift": v}, "left"), t0 + i / FPS)
    if finish:
        events += counter.finish(t0 + len(values) / FPS)
    aborted = sorted({e.reason for e in events if isinstance(e, RepAborted) and e.reason != "session ended"})
    return counter, aborted


@pytest.mark.parametrize("rule, spec, values, settling, counted, partial, aborted", [
    ("a full rep: rises past full, back below rest", ABSOLUTE, ONE_REP, (), 1, 0, []),
    ("a partial rep: short of full", ABSOLUTE, ramps((0, 0, 1), (0, 20, 1), (20, 0, 1), (0, 0, 1)), (), 0, 1, []),
    ("too short to be a rep", ABSOLUTE, ramps((0, 0, 1), (0, 40, 0.2), (40, 0, 0.2), (0, 0, 1)), (), 0, 0,
     ["too short to be a rep"]),
    ("a dip shorter than REST_CONFIRM_S does not end a rep", ABSOLUTE,
     ramps((0, 0, 1), (0, 40, 1), (40, 40, 1), (0, 0, 2 / FPS), (40, 40, 1), (40, 0, 1), (0, 0, 1)), (), 1, 0, []),
    ("a gap shorter than lost_reset_s keeps the rep", ABSOLUTE,
     ramps((0, 0, 1), (0, 40, 1), (None, None, 1.0), (40, 40, 1), (40, 0, 1), (0, 0, 1)), (), 1, 0, []),
    ("lost from view: a longer gap drops it", ABSOLUTE,
     ramps((0, 0, 1), (0, 40, 1), (None, None, 2.0), (40, 40, 1), (40, 0, 1), (0, 0, 1)), (), 0, 0,
     ["lost from view"]),
    ("fallen: rest_fall below the peak ends it, and a wobble is no new rep", FALLING,
     ramps((0, 0, 1), (0, 40, 1), (40, 40, 1), (40, 25, 0.5), (25, 32, 0.5), (32, 25, 0.5), (25, 0, 1), (0, 0, 1)),
     (), 1, 0, []),
    ("back: a lift from the first reading ends back at it", RELATIVE,
     ramps((13.4, 13.4, 0.4), *[(13.4, 28, 0.9), (28, 28, 2), (28, 13.4, 1), (13.4, 13.4, 1)] * 2), (), 2, 0, []),
    ("settled: lying still below rest_below ends it, though a lower rest was learnt", replace(
        RELATIVE, start_above=10.0, full_at=18.0, rest_below=6.0, start_rise=8.0, rest_rise=4.0, full_rise=None),
     ramps((-11, -11, 0.1), (None, None, 1.0), (16, 26, 0.5), (26, 26, 3), (26, 2, 1), (2, 2, 2)), (), 1, 0, []),
    ("returned: a way down of 0.3 s to past half-way, and up again, is the next rep", ABSOLUTE,
     ramps((0, 0, 1), (0, 40, 1), (40, 15, 0.5), (15, 40, 0.5), (40, 40, 0.5), (40, 0, 1), (0, 0, 1)), (), 2, 0, []),
    ("returned: a sudden drop past half-way for 0.15 s is a misread limb, not a turn", ABSOLUTE,
     ramps((0, 0, 1), (0, 40, 1), (40, 40, 0.5), (12, 12, 0.15), (40, 40, 0.5), (40, 0, 1), (0, 0, 1)), (), 1, 0, []),
    ("returned: unseen for 0.3 s, then misread past half-way for 0.2 s, is no way down seen", ABSOLUTE,
     ramps((0, 0, 1), (0, 40, 1), (40, 40, 0.5), (None, None, 0.3), (12, 12, 0.2), (40, 40, 0.5), (40, 0, 1),
           (0, 0, 1)), (), 1, 0, []),
    ("first reading at the top that stays put is not a rep", ABSOLUTE,
     ramps((35, 35, 2), (35, 0, 1), (0, 0, 1)), (), 0, 0, []),
    ("first reading under way: still rising, it counts once it comes down", ABSOLUTE,
     ramps((15, 40, 0.5), (40, 40, 1), (40, 0, 1), (0, 0, 1)), (), 1, 0, []),
    ("first reading beyond the top is not this exercise", ABSOLUTE,
     ramps((80, 100, 0.5), (100, 100, 1), (100, 0, 1), (0, 0, 1)), (), 0, 0, []),
    ("rest seen while settling in: the lift since is measured from it", ABSOLUTE,
     ramps((20, 40, 0.5), (40, 40, 1), (40, 0, 1), (0, 0, 1)), ramps((0, 0, 0.5), (0, 20, 0.3)), 1, 0, []),
    ("rest seen while settling in, and a quick lift past the start within it: it began then", ABSOLUTE,
     ramps((40, 40, 0.2), (40, 0, 0.4), (0, 0, 1)), ramps((0, 0, 0.3), (0, 40, 0.2)), 1, 0, []),
    ("rest seen while settling in, and the lift's top within it: the top counts", ABSOLUTE,
     ramps((20, 0, 0.6), (0, 0, 1)), ramps((0, 0, 0.2), (0, 40, 0.2), (40, 20, 0.1)), 1, 0, []),
    ("the session ends at the top of a full rep: it counts", ABSOLUTE,
     ramps((0, 0, 1), (0, 40, 1), (40, 40, 1)), (), 1, 0, []),
    ("the session ends at the top of a lift under way from the first reading: it does not", ABSOLUTE,
     ramps((15, 40, 0.5), (40, 40, 1)), (), 0, 0, []),
    ("the session ends while the rep reads as over: it counts from then", ABSOLUTE,
     ramps((0, 0, 1), (0, 40, 1), (40, 40, 1), (40, 0, 0.5), (0, 0, 2 / FPS)), (), 1, 0, []),
    ("the session ends mid-way up: dropped", ABSOLUTE, ramps((0, 0, 1), (0, 20, 1)), (), 0, 0, []),
])
def test_each_rep_rule(rule, spec, values, settling, counted, partial, aborted):
    counter, why = run(spec, values, settling)
    assert (counter.count, counter.partial, why) == (counted, partial, aborted), rule


@pytest.mark.parametrize("rule, rises, counted, partial", [
    # The spec's full level is 30; these reps rise 34-36 from rest.
    ("own range: after two full reps, a rep at 2/3 of their rise is complete", [36, 34, 25], 3, 0),
    ("own range: half way is still partial", [36, 34, 17], 2, 1),
    ("own range: a rep from before it was known is judged again once it is", [25, 36, 34], 3, 0),
    ("own range: judged again, half way is still partial", [17, 36, 34], 2, 1),
    ("own range: not from one full rep", [36, 25], 1, 1),
])
def test_the_persons_own_range(rule, rises, counted, partial):
    values = ramps((0, 0, 1), *[seg for top in rises for seg in ((0, top, 1.0), (top, 0, 1.0), (0, 0, 0.5))])
    counter, _ = run(ABSOLUTE, values)
    assert (counter.count, counter.partial) == (counted, partial), rule


def test_a_rep_judged_again_is_announced_and_its_log_rebuilds_the_same_count(tmp_path):
    """The first rep (25, short of the spec's 30) counts once two full reps give the person's range:
    a ``RepRecounted`` event says so when the third rep ends, and a report rebuilt from the event
    log of a session cut off then counts it too."""
    values = ramps((0, 0, 1), *[seg for top in (25, 36, 34) for seg in ((0, top, 1.0), (top, 0, 1.0), (0, 0, 0.5))])
    counter = RepCounter(ABSOLUTE)
    log = EventLog(tmp_path / "bridge.jsonl", header={"exercise": "bridge"})
    recounted = []
    for i, v in enumerate(values):
        events = counter.update(Metrics({"lift": v}, "left"), i / FPS)
        log.write(events)
        recounted += [(e.rep.index, e.rep.complete, any(isinstance(f, RepFinished) for f in events))
                      for e in events if isinstance(e, RepRecounted)]
    log.close()
    assert recounted == [(1, True, True)]           # with the third rep's end
    assert [r.complete for r in counter.items] == [True, True, True]
    rebuilt = rebuild_report(tmp_path / "bridge.jsonl", {"exercise": "bridge"})
    assert (rebuilt.reps.count, rebuilt.reps.partial, [r.index for r in rebuilt.reps.items]) == (3, 0, [1, 2, 3])


def test_must_rise_each_part_of_a_lowest_of_several():
    """The lift is the lowest of chest and hips; lowering from a push-up raises it while the chest falls."""
    counter = RepCounter(ABSOLUTE, must_rise=("chest", "hips"))
    events = []
    for i, k in enumerate(np.linspace(0, 1, 60)):
        chest, hips = 40 - 20 * k, -10 + 35 * k
        events += counter.update(Metrics({"lift": min(chest, hips), "chest": chest, "hips": hips}, "left"), i / FPS)
    for i in range(60, 120):
        events += counter.update(Metrics({"lift": 0.0, "chest": 0.0, "hips": 0.0}, "left"), i / FPS)
    reasons = [e.reason for e in events if isinstance(e, RepAborted)]
    assert counter.count == 0 and reasons == ["not the exercise's movement: chest fell"]


def test_the_checks_change_nothing():
    """``still``, ``level``, ``lowest_recent``, ``rising`` and the counter's ``_over`` are questions."""
    rest = LearntRest()
    for i in range(30):
        rest.observe(2.0 + 0.1 * (i % 2), i / FPS)
        rest.note(2.0, i / FPS)
    first = FirstReading()
    first.propose((0.0, 15.0))
    counter, _ = run(ABSOLUTE, ramps((0, 0, 1), (0, 40, 1)), finish=False)
    def state():
        return copy.deepcopy((vars(rest), vars(first), counter.rep, counter.state, vars(counter.rest),
                              vars(counter.first), counter.items))

    before = state()
    for _ in range(3):
        assert rest.still(2.0, 1.0, RELATIVE) is True
        assert rest.level(12.0, 6.0, 8.0) == pytest.approx(8.0)       # the rest (2) + 6
        assert rest.lowest_recent(5.0) == pytest.approx(2.0)
        assert first.rising(25.0, 5.0) is True and first.rising(17.0, 5.0) is False
        assert counter._over(counter.rep, 40.0, 2.0, coming_down=False) == frozenset()
        assert counter._over(counter.rep, 0.0, 2.0, coming_down=False) == {"rest"}
    assert state() == before


HOLD = (Condition("line", min=-10.0, max=10.0),)


def hold_run(values, conditions=HOLD, sides=None, **kwargs):
    timer = HoldTimer(conditions, **{"dropout_grace_s": 0.5, "min_hold_s": 1.0, **kwargs})
    events = []
    for i, v in enumerate(values):
        side = sides(i) if sides else "left"
        metrics = None if v is None else Metrics({"line": v}, side)
        events += timer.update(timer.read(metrics, i / FPS), side if metrics else None, i / FPS)
    events += timer.close(len(values) / FPS)
    return timer


@pytest.mark.parametrize("rule, values, kwargs, holds, total_s", [
    ("a hold: time in the position", ramps((30, 30, 1), (0, 0, 5), (30, 30, 1)), {}, 1, 5.0),
    ("shorter than min_hold_s: passing through", ramps((30, 30, 1), (0, 0, 0.6), (30, 30, 1)), {}, 0, 0.0),
    ("unseen within dropout_grace_s: still the same hold, the time counts",
     ramps((0, 0, 2), (None, None, 0.4), (0, 0, 2)), {}, 1, 4.4),
    ("out of the position within dropout_grace_s: the same hold, that time does not count",
     ramps((0, 0, 2), (30, 30, 0.4), (0, 0, 2)), {}, 1, 4.0),
    ("out of it for a frame or two (a limb misread): the same hold, and its time counts",
     ramps((0, 0, 2), (30, 30, 0.1), (0, 0, 2)), {}, 1, 4.1),
    ("out for longer than dropout_grace_s: two holds", ramps((0, 0, 2), (30, 30, 1), (0, 0, 2)), {}, 2, 4.0),
    ("in_turn: sides given left, right by order", ramps((0, 0, 2), (30, 30, 1), (0, 0, 2)), {"in_turn": True},
     2, 4.0),
])
def test_each_hold_rule(rule, values, kwargs, holds, total_s):
    timer = hold_run(values, **kwargs)
    assert timer.count == holds and timer.total_s == pytest.approx(total_s, abs=0.1), rule
    if kwargs.get("in_turn"):
        assert [s.side for s in timer.segments] == ["left", "right"]


def test_max_rate_a_moving_metric_is_not_a_hold_and_a_side_change_starts_its_window_afresh():
    slow = (Condition("line", min=-90.0, max=90.0, max_rate=10.0),)
    sweep = [float(v) for v in np.linspace(-60, 60, 90)]         # 40 deg/s through the range
    assert hold_run(sweep, slow).total_s == 0.0
    # Left and right limbs read alternately 40 deg apart: not a movement, once the window restarts.
    alternating = [(-20.0 if (i // 15) % 2 else 20.0) for i in range(150)]
    timer = hold_run(alternating, slow, sides=lambda i: "right" if (i // 15) % 2 else "left")
    assert timer.total_s > 0.0


def test_max_of_rest_the_level_follows_the_persons_own_rest():
    knees = (Condition("line", max=0.48, max_of_rest=0.8),)
    lowered_lean = ramps((0.69, 0.69, 2), (0.69, 0.5, 0.5), (0.5, 0.5, 4), (0.5, 0.69, 0.5))  # 0.72 of the rest
    assert hold_run(lowered_lean, knees).total_s == pytest.approx(4.0, abs=0.3)
    assert hold_run(ramps((0.5, 0.5, 4)), knees).total_s == 0.0                  # no rest seen: 0.48 stands

"""Form warnings, debounced in seconds so a glitch never flashes a message."""

from __future__ import annotations

from coach.analysis.holds import conditions_hold
from coach.specs.model import WarningSpec
from coach.types import Event, Metrics, WarningEnded, WarningStarted

#: A fault (or its end) pending while its metric cannot be read for longer than this starts
#: its wait over: show_after_s is seconds of the fault seen, not two glitches far apart.
UNSEEN_RESET_S = 0.5


class _Rule:
    def __init__(self, spec: WarningSpec) -> None:
        self.spec = spec
        self.shown = False
        self.since: float | None = None  # when the condition last changed towards the other state
        self.seen_t: float | None = None  # when the metric was last read


class FormChecker:
    """Evaluates a spec's warnings; ``update`` returns start and end events.

    ``phases`` says which of ``rep_top``, ``hold`` and ``active`` apply now;
    a rule outside its phase is cleared at once, and one pending is frozen. A fault must persist
    ``show_after_s`` before it is shown and be gone ``clear_after_s`` before it
    clears. Unknown metrics freeze a rule as it is, neither raising nor
    clearing it; a change pending across more than :data:`UNSEEN_RESET_S` of
    them starts its wait again (a far-side ankle read wrongly for a frame
    every second or two is not a fault that persisted).
    """

    def __init__(self, warnings: tuple[WarningSpec, ...]) -> None:
        self.rules = [_Rule(w) for w in warnings]

    @property
    def active(self) -> list[WarningSpec]:
        return [r.spec for r in self.rules if r.shown]

    def update(self, metrics: Metrics | None, t: float, phases: set[str]) -> list[Event]:
        events: list[Event] = []
        for rule in self.rules:
            if rule.spec.during not in phases or conditions_hold(rule.spec.only_if, metrics) is False:
                if rule.shown:
                    events += self._set(rule, False, t)
                    rule.since = None
                # A fault still pending is frozen, as when its metric is unread: a frame or two
                # out of the phase (a jumpy far-side knee at the top of a bird dog) does not
                # restart its wait, a longer spell does (UNSEEN_RESET_S).
                continue
            value = metrics.firm(rule.spec.metric) if metrics is not None else None
            if value is None:
                continue
            if rule.since is not None and rule.seen_t is not None and t - rule.seen_t > UNSEEN_RESET_S:
                rule.since = t
            rule.seen_t = t
            bad = rule.spec.violated(value)
            if bad == rule.shown:
                rule.since = None
                continue
            if rule.since is None:
                rule.since = t
            wait = rule.spec.show_after_s if bad else rule.spec.clear_after_s
            if t - rule.since >= wait:
                events += self._set(rule, bad, t)
                rule.since = None
        return events

    def clear(self, t: float) -> list[Event]:
        """Drop every shown warning (the session paused)."""
        events: list[Event] = []
        for rule in self.rules:
            events += self._set(rule, False, t)
            rule.since = None
        return events

    @staticmethod
    def _set(rule: _Rule, shown: bool, t: float) -> list[Event]:
        if rule.shown == shown:
            return []
        rule.shown = shown
        if shown:
            return [WarningStarted(t=t, id=rule.spec.id, message=rule.spec.message, cue=rule.spec.cue)]
        return [WarningEnded(t=t, id=rule.spec.id)]

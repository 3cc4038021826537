"""Per-frame history of a session: time, state and every metric, kept compactly.

The JSON report holds what happened (reps, holds, warnings); the series holds
how it happened, frame by frame, for the plots of the HTML report and the
per-frame CSV. Columns are ``array('d')`` (8 bytes a value, NaN = unknown),
so an hour at 30 fps with a dozen metrics stays under 10 MB.
"""

from __future__ import annotations

import math
from array import array

from coach.specs.model import ExerciseSpec
from coach.types import SessionState, Snapshot

STATES = tuple(SessionState)


class Series:
    """Appends one row per snapshot."""

    def __init__(self, spec: ExerciseSpec) -> None:
        self.spec = spec
        self.names = list(spec.metrics)
        self.t = array("d")
        self.state = array("b")            # index into STATES
        self.reps = array("l")
        self.hold_s = array("d")
        self.in_form_s = array("d")
        self.warned = array("b")           # 1 while any warning shows
        self.values = {name: array("d") for name in self.names}

    def add(self, s: Snapshot) -> None:
        self.t.append(s.t)
        self.state.append(STATES.index(s.state) if s.state in STATES else 0)
        self.reps.append(s.reps)
        self.hold_s.append(s.hold_s)
        self.in_form_s.append(s.hold_in_form_s)
        self.warned.append(1 if s.warnings else 0)
        for name in self.names:
            value = s.metrics.get(name) if s.metrics is not None else None
            self.values[name].append(math.nan if value is None else value)

    def __len__(self) -> int:
        return len(self.t)

    def plotted_metrics(self) -> list[str]:
        """The metrics the report plots: the rep metric and every metric a warning is about, or the
        first hold condition's when there are none (at most three)."""
        spec = self.spec
        names = ([spec.reps.metric] if spec.reps is not None else []) + [w.metric for w in spec.warnings]
        if not names:
            names = [spec.hold[0].metric] if spec.hold else self.names[:1]
        return list(dict.fromkeys(names))[:3]

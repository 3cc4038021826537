"""The counters' state machines: named transitions, and their diagram.

The rep counter (``coach.analysis.reps``) and the hold timer (``coach.analysis.holds``) each
keep their states in an ``Enum`` and every change between them in a table of
:class:`Transition`, named for why it happens; ``docs/state-machines.md`` holds the diagrams
:func:`state_diagram` draws from those tables (``tests/test_state_machines.py`` checks both).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True)
class Transition:
    """A named change of state: from any of ``sources`` to ``target``."""

    name: str
    sources: frozenset[Enum]
    target: Enum


def transition(name: str, sources: Iterable[Enum], target: Enum) -> tuple[str, Transition]:
    """A table entry: ``dict((transition(...), ...))`` names each transition by its reason."""
    return name, Transition(name, frozenset(sources), target)


def state_diagram(transitions: dict[str, Transition], first: Enum) -> str:
    """The transitions as a Mermaid state diagram (one line per source and transition)."""
    lines = ["stateDiagram-v2", f"    [*] --> {first.name}"]
    for item in transitions.values():
        lines += [f"    {source.name} --> {item.target.name}: {item.name}"
                  for source in sorted(item.sources, key=_order)]
    return "\n".join(lines)


def _order(state: Enum) -> int:
    """A state's place in its Enum, for a diagram drawn in the order the states are declared."""
    return [s.name for s in type(state)].index(state.name)


def take(transitions: dict[str, Transition], state: Enum, name: str, machine: str) -> Enum:
    """The state after transition ``name`` from ``state``; a transition that does not start there
    is a bug in ``machine`` and raises."""
    move = transitions[name]
    if state not in move.sources:
        raise AssertionError(f"{machine}: '{name}' from {state.name}")
    return move.target

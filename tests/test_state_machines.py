"""The counters as state machines: the diagrams in docs/ are the code's, and every transition happens."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from coach.analysis import holds, reps
from coach.analysis.reps import RepCounter, RepState
from coach.analysis.session import Session
from coach.analysis.states import state_diagram
from coach.io.replay import Trace
from coach.specs.model import RepSpec
from coach.specs.reader import find_spec
from coach.types import Metrics

ROOT = Path(__file__).resolve().parent.parent
TRACES = ROOT / "tests" / "data" / "traces"


def test_the_docs_draw_the_machines_the_code_has():
    page = (ROOT / "docs" / "state-machines.md").read_text()
    assert f"```mermaid\n{state_diagram(reps.TRANSITIONS, RepState.WAITING_FIRST)}\n```" in page
    assert f"```mermaid\n{state_diagram(holds.TRANSITIONS, holds.HoldState.OUT)}\n```" in page


def test_a_transition_from_a_state_it_does_not_start_from_is_refused():
    counter = RepCounter(RepSpec("lift", start_above=10, full_at=30, rest_below=5, min_rep_s=0.5))
    with pytest.raises(AssertionError, match="rose past the start level"):
        counter._go("rose past the start level")        # from WAITING_FIRST: no rest seen yet


def _labelled_traces() -> list[tuple[Path, str]]:
    """Each recorded real trace under the exercise it is labelled with."""
    labels = tomllib.loads((ROOT / "coach" / "lab" / "real_labels.toml").read_text())
    found = []
    for clip in labels["clip"]:
        path = TRACES / f"{Path(clip['file']).stem}.npz"
        if path.exists():
            found.append((path, clip["spec"]))
    assert len(found) >= 30
    return found


def test_every_transition_happens_on_real_landmarks_or_a_falling_rep():
    """Real people through every transition of both machines; one rule (a rep over once it has
    fallen ``rest_fall`` from its peak, short of rest: the cat-cow's) on a ramp of its own."""
    rep_taken: set[str] = set()
    hold_taken: set[str] = set()
    # Beside the labelled clips: a lift under way at the first reading, found back at it, is
    # what a bird dog's moving limbs read as under the partial curl; the Douyin bridge clip's
    # reps turn back up short of rest; the swimmer's lifts come back up before they end.
    more = [(TRACES / "atc_bird_dog_cutout.npz", "partial_curl"), (TRACES / "douyin_bridge_right_wrong.npz", "bridge"),
            (TRACES / "malik_swimmer_superman.npz", "superman")]
    for path, exercise in _labelled_traces() + more:
        session = Session(find_spec(exercise))
        t = 0.0
        for pose, t in Trace(path).poses():
            session.update(pose, t)
        session.finish(t)
        rep_taken |= session.reps.taken if session.reps else set()
        hold_taken |= session.hold.taken
    counter = RepCounter(RepSpec("lift", start_above=10, full_at=30, rest_below=5, min_rep_s=0.5, rest_fall=10))
    for i, value in enumerate([0, 0, 0, 0, 20, 35, 35, 20, 20, 20, 20]):
        counter.update(Metrics({"lift": value}, "left"), i * 0.2)
    rep_taken |= counter.taken
    assert set(reps.TRANSITIONS) == rep_taken
    assert set(holds.TRANSITIONS) == hold_taken

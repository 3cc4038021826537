"""Routines: a sequence of exercises with targets and rests, guided in the live window.

A routine is a small TOML file (built-in ones in ``exercise_specs/routines/``)::

    id = "core_short"
    name = "Short core routine"
    source = "which article it follows"
    rest_s = 20                    # rest between exercises, seconds
    [[exercise]]
    id = "bridge"                  # a built-in spec id, or a spec file path
    reps = 3                       # optional: overrides the spec's targets
    hold_s = 10
    rest_s = 30                    # optional: rest after this one

:class:`RoutinePlayer` runs it over a stream of poses, one exercise at a time:
the exercise goes on until its target is reached (or the person presses
"next"), then a rest counts down and the next one starts. It holds no video
or window code, so the live loop and the tests drive it the same way.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coach.analysis.session import Session
from coach.engine import Recorder
from coach.errors import SpecError
from coach.series import Series
from coach.specs import SPEC_DIR, ExerciseSpec, FieldReader, Targets, builtin_spec_paths, find_spec, read_toml
from coach.types import Pose, Snapshot

ROUTINE_DIR = SPEC_DIR / "routines"
TOP_KEYS = {"id", "name", "source", "rest_s", "exercise"}
ITEM_KEYS = {"id", "reps", "hold_s", "rest_s", "note"}


@dataclass(frozen=True)
class RoutineItem:
    spec: ExerciseSpec          # with the routine's targets applied
    rest_s: float


@dataclass(frozen=True)
class Routine:
    id: str
    name: str
    source: str
    items: tuple[RoutineItem, ...]
    path: Path


def builtin_routine_paths() -> dict[str, Path]:
    return {p.stem: p for p in sorted(ROUTINE_DIR.glob("*.toml"))}


def find_routine(name: str) -> Routine:
    """A built-in routine by id, or a routine file by path (ending in .toml)."""
    if name.endswith(".toml"):
        return load_routine(name)
    paths = builtin_routine_paths()
    if name not in paths:
        import difflib

        close = difflib.get_close_matches(name, list(paths), n=1)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        raise SpecError(f"unknown routine '{name}'.{hint} Known: {', '.join(paths)} (or pass a routine file path)")
    return load_routine(paths[name])


def load_routine(path: str | Path) -> Routine:
    """Read and check a routine file; every problem is named with its field."""
    path = Path(path)
    raw = read_toml(path, "routine")
    r = FieldReader(path)
    r.table(raw, "", TOP_KEYS, {"id", "name", "exercise"})
    rest = r.number(raw, "rest_s", "", default=20.0)
    if rest is not None and rest < 0:
        r.error("rest_s", f"expected 0 or more seconds, found {rest:g}")
    known = builtin_spec_paths()
    items: list[RoutineItem] = []
    exercises = raw.get("exercise", [])
    if not isinstance(exercises, list) or not exercises:
        r.error("exercise", "expected at least one [[exercise]] table")
        exercises = []
    for i, item in enumerate(exercises):
        where = f"exercise[{i}]"
        item = r.table(item, where, ITEM_KEYS, {"id"})
        spec_id = r.string(item, "id", where)
        if not spec_id:
            continue
        if not spec_id.endswith(".toml") and spec_id not in known:
            import difflib

            close = difflib.get_close_matches(spec_id, list(known), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            r.error(f"{where}.id", f"unknown exercise '{spec_id}'{hint}")
            continue
        reps = item.get("reps")
        if reps is not None and (isinstance(reps, bool) or not isinstance(reps, int) or reps < 1):
            r.error(f"{where}.reps", f"expected a whole number of at least 1, found {reps!r}")
            reps = None
        hold = r.number(item, "hold_s", where, positive=True)
        item_rest = r.number(item, "rest_s", where, default=rest)
        if r.errors:
            continue
        spec = find_spec(spec_id)
        targets = Targets(reps=reps if reps is not None else spec.targets.reps,
                          hold_s=hold if hold is not None else spec.targets.hold_s,
                          per_side=spec.targets.per_side)
        items.append(RoutineItem(spec=dataclasses.replace(spec, targets=targets), rest_s=item_rest or 0.0))
    if r.errors:
        raise SpecError("invalid routine:\n  " + "\n  ".join(r.errors))
    return Routine(id=r.string(raw, "id", ""), name=r.string(raw, "name", ""),
                   source=str(raw.get("source", "")), items=tuple(items), path=path)


def target_met(session: Session) -> bool:
    """Whether the exercise's target is reached: reps (per side), or holds in good form.

    A hold counts toward the target once its seconds in good form reach the
    target hold. An exercise without a target never ends by itself.
    """
    spec = session.spec
    targets = spec.targets
    sides = ("left", "right") if targets.per_side else (None,)
    if spec.kind == "reps":
        if not targets.reps or session.reps is None:
            return False
        by_side = session.reps.count_by_side()
        return all((by_side[s] if s else session.reps.count) >= targets.reps for s in sides)
    if not targets.hold_s:
        return False
    needed = targets.reps or 1
    hold = session.hold
    good = [seg.side for seg in hold.segments if seg.in_form_s >= targets.hold_s]
    if hold.current_in_form_s >= targets.hold_s:       # the hold in progress has made it
        good.append(hold.current_side)
    return all(sum(1 for side in good if s is None or side == s) >= needed for s in sides)


def describe_target(spec: ExerciseSpec) -> str:
    t = spec.targets
    per = " per side" if t.per_side else ""
    if spec.kind == "reps":
        text = f"{t.reps} reps{per}" if t.reps else "reps"
        return text + (f", hold {t.hold_s:g} s at the top" if t.hold_s else "")
    holds = t.reps or 1
    return f"{holds} x {t.hold_s:g} s{per}" if t.hold_s else "hold"


class RoutinePlayer:
    """Runs a routine over ``step(pose, t)`` calls; ``next``/``back`` skip around.

    ``events_dir`` (optional) gets one event log per exercise, so nothing is
    lost if the session is interrupted.
    """

    def __init__(self, routine: Routine, events_dir: Path | None = None) -> None:
        self.routine = routine
        self.events_dir = events_dir
        self.index = 0
        self.phase = "exercise"           # exercise, rest, done
        self.rest_until = 0.0
        self.t = 0.0
        self.reports: dict[int, dict[str, Any]] = {}
        self.series: dict[int, Series] = {}
        self.recorder = self._recorder(0)

    @property
    def spec(self) -> ExerciseSpec:
        return self.routine.items[min(self.index, len(self.routine.items) - 1)].spec

    @property
    def finished(self) -> bool:
        return self.phase == "done"

    def _recorder(self, index: int) -> Recorder:
        events = None
        if self.events_dir is not None:
            events = self.events_dir / f"{index + 1:02d}-{self.routine.items[index].spec.id}.events.jsonl"
        return Recorder(self.routine.items[index].spec, events)

    def step(self, pose: Pose | None, t: float) -> Snapshot | None:
        """Advance to ``t``; returns the exercise's snapshot, or None while resting or done."""
        self.t = t
        if self.phase == "rest":
            if t >= self.rest_until:
                self._start(self.index + 1)
            else:
                return None
        if self.phase == "done":
            return None
        snapshot = self.recorder.step(pose, t)
        if target_met(self.recorder.session):
            self._end_exercise(t, rest=True)
        return snapshot

    def next(self, t: float) -> None:
        """Skip the rest, or end the exercise now and go on."""
        if self.phase == "rest":
            self._start(self.index + 1)
        elif self.phase == "exercise":
            self._end_exercise(t, rest=False)
            if self.phase == "rest":
                self._start(self.index + 1)

    def back(self, t: float) -> None:
        """Go back to the previous exercise (or restart this one), counting it afresh."""
        if self.phase == "exercise":
            self.recorder.close()
            target = max(0, self.index - 1)
        else:
            target = min(self.index, len(self.routine.items) - 1)
        self.reports.pop(target, None)
        self._start(target)

    def _end_exercise(self, t: float, rest: bool) -> None:
        self.reports[self.index] = self.recorder.close()
        self.series[self.index] = self.recorder.series
        if self.index + 1 >= len(self.routine.items):
            self.phase = "done"
            return
        self.phase = "rest"
        self.rest_until = t + (self.routine.items[self.index].rest_s if rest else 0.0)

    def _start(self, index: int) -> None:
        if index >= len(self.routine.items):
            self.phase = "done"
            return
        self.index = index
        self.phase = "exercise"
        self.recorder = self._recorder(index)

    def notice(self, t: float) -> list[str]:
        """What the screen says about the routine right now."""
        items = self.routine.items
        if self.phase == "done":
            return [f"{self.routine.name}: done. Well done!"]
        if self.phase == "rest":
            return ["n: start now   b: back"]
        spec = items[self.index].spec
        line = f"{self.index + 1}/{len(items)} {spec.name}: {describe_target(spec)}"
        return [line, "n: next   b: back"]

    def between(self, t: float) -> tuple[str, str] | None:
        """During a rest: its seconds left, and what comes next."""
        if self.phase != "rest":
            return None
        nxt = self.routine.items[self.index + 1].spec
        return f"REST {max(0.0, self.rest_until - t):.0f} s", f"Next: {nxt.name}, {describe_target(nxt)}"

    def close(self, **context: Any) -> dict[str, Any]:
        """The routine's report: one entry per exercise, skipped ones marked; ``context`` (the
        video, backend, people seen, set-up) is kept at the top."""
        if self.phase == "exercise" and self.index not in self.reports:
            self.reports[self.index] = self.recorder.close()
            self.series[self.index] = self.recorder.series
        out = []
        for i, item in enumerate(self.routine.items):
            report = self.reports.get(i)
            out.append({"exercise": item.spec.id, "exercise_name": item.spec.name, "skipped": report is None,
                        "report": report})
        return {"routine": self.routine.id, "routine_name": self.routine.name, "exercises": out, **context}

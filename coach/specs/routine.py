"""Routines: a sequence of exercises with targets and rests, guided in the live window.

A routine is a small TOML file (built-in ones in ``exercise_specs/routines/``)::

    id = "core_short"
    name = "Short core routine"
    source = "which article it follows"
    rest_s = 20                    # rest between exercises, seconds
    [[exercise]]
    id = "bridge"                  # a built-in spec id, or a spec file path
    reps = 3                       # optional: overrides the spec's targets (holds = N for a hold exercise)
    hold_s = 10
    rest_s = 30                    # optional: rest after this one

:class:`coach.app.routine_player.RoutinePlayer` runs it, one exercise at a time.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from coach.errors import SpecError
from coach.specs.model import ExerciseSpec, Targets
from coach.specs.reader import SPEC_DIR, FieldReader, builtin_spec_paths, find_spec, read_count, read_toml, resolve

ROUTINE_DIR = SPEC_DIR / "routines"
TOP_KEYS = {"id", "name", "source", "rest_s", "exercise"}
ITEM_KEYS = {"id", "reps", "holds", "hold_s", "rest_s", "note"}


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
    return load_routine(resolve(name, builtin_routine_paths(), "routine"))


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
        reps = read_count(r, item, "reps", where)
        holds = read_count(r, item, "holds", where)
        hold = r.number(item, "hold_s", where, positive=True)
        item_rest = r.number(item, "rest_s", where, default=rest)
        if r.errors:
            continue
        spec = find_spec(spec_id)
        wrong = "holds" if spec.kind == "reps" and holds is not None else "reps" if spec.kind == "hold" and reps else None
        if wrong:
            right = "reps" if wrong == "holds" else "holds"
            r.error(f"{where}.{wrong}", f"{spec.name} is counted in {right}: expected {right}, found {wrong}")
            continue
        targets = Targets(reps=reps if reps is not None else spec.targets.reps,
                          holds=holds if holds is not None else spec.targets.holds,
                          hold_s=hold if hold is not None else spec.targets.hold_s,
                          per_side=spec.targets.per_side, lower_s=spec.targets.lower_s)
        items.append(RoutineItem(spec=dataclasses.replace(spec, targets=targets), rest_s=item_rest or 0.0))
    if r.errors:
        raise SpecError("invalid routine:\n  " + "\n  ".join(r.errors))
    return Routine(id=r.string(raw, "id", ""), name=r.string(raw, "name", ""),
                   source=str(raw.get("source", "")), items=tuple(items), path=path)


def describe_target(spec: ExerciseSpec) -> str:
    t = spec.targets
    per = " per side" if t.per_side else ""
    if spec.kind == "reps":
        text = f"{t.reps} reps{per}" if t.reps else "reps"
        return text + (f", hold {t.hold_s:g} s at the top" if t.hold_s else "")
    holds = t.holds or 1
    return f"{holds} x {t.hold_s:g} s{per}" if t.hold_s else "hold"



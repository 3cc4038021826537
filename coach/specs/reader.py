"""Exercise specs, the reader: one commented TOML file per exercise, validated on load.

A spec is data, read with :mod:`tomllib` and checked field by field; nothing
in it is ever evaluated as code. Every problem is reported with the file, the
field, what was expected and what was found, and a misspelt landmark gets the
nearest valid name suggested. All problems of a file are reported at once.

Built-in specs live in the top-level ``exercise_specs/`` folder; a user's own
spec file goes through the same :func:`load_spec`.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Set
from pathlib import Path
from typing import Any

from coach import landmarks
from coach.errors import SpecError
from coach.specs.model import (
    DERIVED_KINDS,
    DISTANCE_AXES,
    MAX_CUE_CHARS,
    METRIC_KINDS,
    PHASES,
    SIDE_MODES,
    VIEWS,
    Condition,
    ExerciseSpec,
    MetricSpec,
    RepSpec,
    Targets,
    Timing,
    WarningSpec,
)


def _builtin_spec_dir() -> Path:
    """The built-in specs: the repository's top-level ``exercise_specs/``, installed
    as the package ``coach.exercise_specs`` (see pyproject.toml)."""
    import importlib.util

    found = importlib.util.find_spec("coach.exercise_specs")  # a folder of data: a namespace package
    if found is not None and found.submodule_search_locations:
        return Path(next(iter(found.submodule_search_locations)))
    return Path(__file__).resolve().parents[2] / "exercise_specs"  # a source tree never installed


SPEC_DIR = _builtin_spec_dir()


class FieldReader:
    """Walks a parsed TOML table and records every problem with its field path."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.errors: list[str] = []

    def error(self, where: str, message: str) -> None:
        self.errors.append(f"{self.path.name}: {where}: {message}")

    def table(self, data: Any, where: str, allowed: Set[str], required: Set[str] = frozenset()) -> dict[str, Any]:
        if not isinstance(data, dict):
            self.error(where, f"expected a table, found {type(data).__name__}")
            return {}
        for key in sorted(set(data) - allowed):
            close = _closest(key, allowed)
            hint = f" (did you mean '{close}'?)" if close else f"; allowed: {', '.join(sorted(allowed))}"
            self.error(f"{where}.{key}" if where else key, f"unknown key{hint}")
        for key in sorted(required - set(data)):
            self.error(f"{where}.{key}" if where else key, "missing required field")
        return data

    def string(self, data: dict[str, Any], key: str, where: str, default: str | None = None, choices: tuple[str, ...] = ()) -> str:
        value = data.get(key, default)
        name = f"{where}.{key}" if where else key
        if value is None:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.error(name, f"expected a non-empty string, found {value!r}")
            return ""
        if choices and value not in choices:
            self.error(name, f"expected one of {', '.join(choices)}, found '{value}'")
        return value

    def number(self, data: dict[str, Any], key: str, where: str, default: float | None = None,
               positive: bool = False) -> float | None:
        value = data.get(key, default)
        name = f"{where}.{key}" if where else key
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.error(name, f"expected a number, found {value!r}")
            return None
        if not math.isfinite(value):
            self.error(name, f"expected a finite number, found {value!r}")
            return None
        if positive and value <= 0:
            self.error(name, f"expected a number greater than 0, found {value!r}")
            return None
        return float(value)

    def strings(self, data: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
        value = data.get(key, [])
        name = f"{where}.{key}" if where else key
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error(name, f"expected a list of strings, found {value!r}")
            return ()
        return tuple(value)


def _closest(word: str, options: Set[str] | list[str]) -> str | None:
    import difflib

    found = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return found[0] if found else None


#: Every key a spec file may hold, per TOML table: the one list the reader checks against,
#: and the one ``docs/specs.md`` is tested against (``tests/test_spec_reference.py``).
SPEC_KEYS: dict[str, frozenset[str]] = {
    "": frozenset({"id", "name", "kind", "sides", "view", "camera", "instructions", "sources", "metrics",
                   "key_metrics", "position", "reps", "hold", "warnings", "targets", "timing",
                   "visibility_min", "display", "side_by", "side_pick"}),
    "metrics.NAME": frozenset({"kind", "points", "axis", "of", "note", "invert"}),
    "position": frozenset({"metric", "min", "max", "if_unseen", "note"}),
    "position.if_unseen": frozenset({"metric", "min", "max", "note"}),
    "hold": frozenset({"metric", "min", "max", "max_rate", "max_of_rest", "if_unseen", "note"}),
    "hold.if_unseen": frozenset({"metric", "min", "max", "cannot_tell", "note"}),
    "reps": frozenset({"metric", "start_above", "full_at", "rest_below", "min_rep_s", "start_rise",
                       "rest_rise", "full_rise", "rest_fall", "note"}),
    "warnings": frozenset({"id", "metric", "message", "cue", "below", "above", "during", "show_after_s",
                           "clear_after_s", "only_if", "note"}),
    "warnings.only_if": frozenset({"metric", "min", "max", "note"}),
    "targets": frozenset({"reps", "holds", "hold_s", "per_side", "lower_s"}),
    "timing": frozenset({"settle_s", "leave_after_s", "dropout_grace_s", "lost_reset_s", "side_switch_s",
                         "min_hold_s"}),
}


def _read_metric(r: FieldReader, name: str, data: Any) -> MetricSpec | None:
    where = f"metrics.{name}"
    data = r.table(data, where, SPEC_KEYS["metrics.NAME"], {"kind"})
    if not data:
        return None
    kind = r.string(data, "kind", where, choices=tuple(METRIC_KINDS))
    if kind not in METRIC_KINDS:
        return None
    points = r.strings(data, "points", where)
    count = METRIC_KINDS[kind]
    if count and len(points) != count:
        r.error(f"{where}.points", f"a {kind} metric needs {count} landmarks, found {len(points)}")
    if kind == "spread" and points:
        r.error(f"{where}.points", f"a spread metric takes no points (it uses both shoulders and hips), "
                                   f"found {len(points)}")
    for i, point in enumerate(points):
        if not landmarks.is_valid_spec_name(point):
            close = landmarks.suggest(point)
            hint = f" (did you mean '{close}'?)" if close else ""
            r.error(f"{where}.points[{i}]", f"unknown landmark '{point}'{hint}")
    axis = r.string(data, "axis", where, default="euclidean", choices=DISTANCE_AXES)
    of = r.strings(data, "of", where)
    if kind in DERIVED_KINDS and len(of) < 2:
        r.error(f"{where}.of", f"a {kind} metric needs at least 2 metric names, found {len(of)}")
    if kind not in DERIVED_KINDS and of:
        r.error(f"{where}.of", "only lowest, lowest_seen, first_seen and highest metrics take 'of'")
    invert = data.get("invert", False)
    if not isinstance(invert, bool):
        r.error(f"{where}.invert", f"expected true or false, found {invert!r}")
        invert = False
    return MetricSpec(name=name, kind=kind, points=points, axis=axis, of=of, invert=invert)


def _read_conditions(r: FieldReader, data: Any, where: str, metrics: dict[str, MetricSpec],
                     allow_rate: bool = False, table: str = "position") -> tuple[Condition, ...]:
    if not isinstance(data, list):
        r.error(where, f"expected a list of tables, found {type(data).__name__}")
        return ()
    out = []
    keys = SPEC_KEYS[table]
    for i, item in enumerate(data):
        here = f"{where}[{i}]"
        item = r.table(item, here, keys, {"metric"})
        metric = r.string(item, "metric", here)
        _check_metric_ref(r, metric, f"{here}.metric", metrics)
        lo = r.number(item, "min", here)
        hi = r.number(item, "max", here)
        rate = r.number(item, "max_rate", here, positive=True)
        of_rest = r.number(item, "max_of_rest", here, positive=True)
        if of_rest is not None and (hi is None or of_rest >= 1.0):
            r.error(f"{here}.max_of_rest", f"expected a fraction below 1 beside a 'max', found {of_rest:g}"
                    + ("" if hi is not None else " without 'max'"))
        if lo is None and hi is None and rate is None and item:
            r.error(here, "expected at least one of " + ("min, max, max_rate" if allow_rate else "min, max"))
        if lo is not None and hi is not None and lo >= hi:
            r.error(here, f"min must be lower than max (got {lo:g} >= {hi:g})")
        stand_in: tuple[Condition, ...] = ()
        if "if_unseen" in keys and "if_unseen" in item:
            stand_in = _read_conditions(r, item["if_unseen"], f"{here}.if_unseen", metrics,
                                        table=f"{table}.if_unseen")
        out.append(Condition(metric=metric, min=lo, max=hi, max_rate=rate, max_of_rest=of_rest,
                             if_unseen=stand_in, cannot_tell=r.string(item, "cannot_tell", here)))
    return tuple(out)


def _check_metric_ref(r: FieldReader, name: str, where: str, metrics: dict[str, MetricSpec]) -> None:
    if name and name not in metrics:
        close = _closest(name, list(metrics))
        hint = f" (did you mean '{close}'?)" if close else f"; defined: {', '.join(metrics) or 'none'}"
        r.error(where, f"unknown metric '{name}'{hint}")


def _read_reps(r: FieldReader, data: Any, metrics: dict[str, MetricSpec]) -> RepSpec | None:
    data = r.table(data, "reps", SPEC_KEYS["reps"], {"metric", "start_above", "full_at", "rest_below"})
    if not data:
        return None
    metric = r.string(data, "metric", "reps")
    _check_metric_ref(r, metric, "reps.metric", metrics)
    start = r.number(data, "start_above", "reps")
    full = r.number(data, "full_at", "reps")
    rest = r.number(data, "rest_below", "reps")
    min_rep = r.number(data, "min_rep_s", "reps", default=RepSpec.min_rep_s, positive=True)
    if start is None or full is None or rest is None or min_rep is None:
        return None
    if not rest < start:
        r.error("reps.rest_below", f"must be lower than reps.start_above (got {rest:g} >= {start:g})")
    if not start <= full:
        r.error("reps.full_at", f"must be at least reps.start_above (got {full:g} < {start:g})")
    start_rise = r.number(data, "start_rise", "reps", positive=True)
    rest_rise = r.number(data, "rest_rise", "reps", positive=True)
    if (start_rise is None) != (rest_rise is None):
        r.error("reps.start_rise" if start_rise is None else "reps.rest_rise",
                "start_rise and rest_rise go together: give both or neither")
    elif start_rise is not None and rest_rise is not None and not rest_rise < start_rise:
        r.error("reps.rest_rise", f"must be lower than reps.start_rise (got {rest_rise:g} >= {start_rise:g})")
    full_rise = r.number(data, "full_rise", "reps", positive=True)
    if full_rise is not None:
        if start_rise is None:
            r.error("reps.full_rise", "needs start_rise and rest_rise (the resting value it is measured from)")
        elif full_rise < start_rise:
            r.error("reps.full_rise", f"must be at least reps.start_rise (got {full_rise:g} < {start_rise:g})")
    rest_fall = r.number(data, "rest_fall", "reps", positive=True)
    return RepSpec(metric=metric, start_above=start, full_at=full, rest_below=rest, min_rep_s=min_rep,
                   start_rise=start_rise, rest_rise=rest_rise, rest_fall=rest_fall, full_rise=full_rise)


def _read_warning(r: FieldReader, i: int, data: Any, metrics: dict[str, MetricSpec]) -> WarningSpec | None:
    where = f"warnings[{i}]"
    data = r.table(data, where, SPEC_KEYS["warnings"], {"id", "metric", "message"})
    if not data:
        return None
    wid = r.string(data, "id", where)
    metric = r.string(data, "metric", where)
    _check_metric_ref(r, metric, f"{where}.metric", metrics)
    message = r.string(data, "message", where)
    cue = r.string(data, "cue", where, default=message.split(":")[0])
    if "cue" in data and len(cue) > MAX_CUE_CHARS:
        r.error(f"{where}.cue", f"expected at most {MAX_CUE_CHARS} characters (a few words read from the mat), "
                                f"found {len(cue)}: '{cue}'")
    below = r.number(data, "below", where)
    above = r.number(data, "above", where)
    if below is None and above is None and ("below" not in data and "above" not in data):
        r.error(where, "expected at least one of below, above")
    if below is not None and above is not None and below >= above:
        r.error(where, f"below must be lower than above, or the warning is always on (got {below:g} >= {above:g})")
    during = r.string(data, "during", where, default="hold", choices=PHASES)
    show = r.number(data, "show_after_s", where, default=WarningSpec.show_after_s, positive=True)
    clear = r.number(data, "clear_after_s", where, default=WarningSpec.clear_after_s, positive=True)
    only_if = _read_conditions(r, data.get("only_if", []), f"{where}.only_if", metrics, table="warnings.only_if")
    return WarningSpec(id=wid, metric=metric, message=message, cue=cue, below=below, above=above, during=during,
                       only_if=only_if,
                       show_after_s=show or WarningSpec.show_after_s, clear_after_s=clear or WarningSpec.clear_after_s)


def read_toml(path: Path, what: str) -> dict[str, Any]:
    """Parse a TOML file (a spec, a routine); a missing, unreadable or broken one is a :class:`SpecError`."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SpecError(f"{path}: {what} file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError(f"{path}: cannot read {what} file ({exc})") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(f"{path.name}: not valid TOML: {exc}") from None


def load_spec(path: str | Path) -> ExerciseSpec:
    """Read and validate one spec file; raise :class:`SpecError` listing every problem."""
    path = Path(path)
    return parse_spec(read_toml(path, "spec"), path)


def parse_spec(raw: dict[str, Any], path: Path) -> ExerciseSpec:
    """Validate an already parsed spec table (``path`` names it in errors)."""
    r = FieldReader(path)
    r.table(raw, "", SPEC_KEYS[""], {"id", "name", "kind", "view", "metrics", "instructions", "camera"})
    spec_id = r.string(raw, "id", "")
    kind = r.string(raw, "kind", "", choices=("reps", "hold"))
    sides = r.string(raw, "sides", "", default="near", choices=SIDE_MODES)
    metrics: dict[str, MetricSpec] = {}
    raw_metrics = raw.get("metrics", {})
    metric_table = r.table(raw_metrics, "metrics", set(raw_metrics) if isinstance(raw_metrics, dict) else set())
    for name, data in metric_table.items():
        metric = _read_metric(r, name, data)
        if metric:
            metrics[name] = metric
    for metric in metrics.values():
        for j, sub in enumerate(metric.of):
            if sub == metric.name:
                r.error(f"metrics.{metric.name}.of[{j}]", "a metric cannot refer to itself")
            else:
                _check_metric_ref(r, sub, f"metrics.{metric.name}.of[{j}]", metrics)
    position = _read_conditions(r, raw.get("position", []), "position", metrics)
    reps = _read_reps(r, raw["reps"], metrics) if "reps" in raw else None
    if reps is not None and kind == "hold":
        r.error("reps", "a spec of kind 'hold' takes no [reps] table")
    hold = _read_conditions(r, raw.get("hold", []), "hold", metrics, allow_rate=True, table="hold")
    if kind == "reps" and "reps" not in raw:
        r.error("reps", "missing: a spec of kind 'reps' needs a [reps] table")
    if kind == "hold" and not hold:
        r.error("hold", "missing: a spec of kind 'hold' needs at least one [[hold]] condition")
    warnings = _read_warnings(r, raw.get("warnings", []), metrics, kind)
    targets = _read_targets(r, raw.get("targets", {}), kind)
    tm_raw = r.table(raw.get("timing", {}), "timing", SPEC_KEYS["timing"])
    timing = Timing(**{k: r.number(tm_raw, k, "timing", default=getattr(Timing, k), positive=True) or getattr(Timing, k)
                       for k in Timing.__dataclass_fields__})
    visibility = r.number(raw, "visibility_min", "", default=0.5)
    if visibility is not None and not 0.0 <= visibility < 1.0:
        r.error("visibility_min", f"expected a number from 0 to below 1, found {visibility:g}")
    key_metrics = r.strings(raw, "key_metrics", "")
    for i, name in enumerate(key_metrics):
        _check_metric_ref(r, name, f"key_metrics[{i}]", metrics)
    display = r.strings(raw, "display", "")
    for i, name in enumerate(display):
        _check_metric_ref(r, name, f"display[{i}]", metrics)
    side_by = r.string(raw, "side_by", "") or None
    if side_by:
        _check_metric_ref(r, side_by, "side_by", metrics)
        if sides != "alternating":
            r.error("side_by", "only a spec with sides = \"alternating\" chooses its side by a metric")
    side_pick = r.string(raw, "side_pick", "", default="higher", choices=("higher", "lower"))
    name = r.string(raw, "name", "")
    view = r.string(raw, "view", "", choices=VIEWS)
    camera = r.string(raw, "camera", "")
    instructions = r.string(raw, "instructions", "")
    sources = r.strings(raw, "sources", "")
    if r.errors:
        raise SpecError("invalid exercise spec:\n  " + "\n  ".join(dict.fromkeys(r.errors)))
    if not key_metrics:
        used = [c.metric for c in position] + [c.metric for c in hold] + ([reps.metric] if reps else [])
        key_metrics = tuple(dict.fromkeys(used))
    return ExerciseSpec(
        id=spec_id, name=name, kind=kind, sides=sides, view=view, camera=camera.strip(),
        instructions=instructions.strip(), sources=sources, metrics=metrics, key_metrics=key_metrics,
        position=position, reps=reps, hold=hold, warnings=warnings, targets=targets,
        timing=timing, visibility_min=visibility if visibility is not None else 0.5,
        display=display or key_metrics, side_by=side_by, side_pick=side_pick or "higher", path=path,
    )


def _read_warnings(r: FieldReader, data: Any, metrics: dict[str, MetricSpec], kind: str) -> tuple[WarningSpec, ...]:
    warnings: list[WarningSpec] = []
    if not isinstance(data, list):
        r.error("warnings", "expected a list of [[warnings]] tables")
        return ()
    for i, item in enumerate(data):
        w = _read_warning(r, i, item, metrics)
        if w:
            if w.id in {x.id for x in warnings}:
                r.error(f"warnings[{i}].id", f"duplicate warning id '{w.id}'")
            if w.during == "rep_top" and kind != "reps":
                r.error(f"warnings[{i}].during", "'rep_top' needs a spec of kind 'reps'")
            warnings.append(w)
    return tuple(warnings)


def _read_targets(r: FieldReader, data: Any, kind: str) -> Targets:
    t_raw = r.table(data, "targets", SPEC_KEYS["targets"])
    count_key = "reps" if kind == "reps" else "holds"
    other = "holds" if kind == "reps" else "reps"
    if other in t_raw:
        r.error(f"targets.{other}", f"a {kind} exercise counts {count_key}: expected targets.{count_key}, found {other}")
    count = read_count(r, t_raw, count_key, "targets")
    per_side = t_raw.get("per_side", False)
    if not isinstance(per_side, bool):
        r.error("targets.per_side", f"expected true or false, found {per_side!r}")
        per_side = False
    hold_s = r.number(t_raw, "hold_s", "targets", positive=True)
    lower_s = r.number(t_raw, "lower_s", "targets", positive=True)
    if lower_s is not None and kind != "reps":
        r.error("targets.lower_s", f"the way down of a rep: expected it only on a reps exercise, found a {kind} one")
    return Targets(reps=count if kind == "reps" else None, holds=count if kind == "hold" else None,
                   hold_s=hold_s, per_side=per_side, lower_s=lower_s)


def read_count(r: FieldReader, data: dict[str, Any], key: str, where: str) -> int | None:
    """A number of reps or holds: a whole number of at least 1."""
    value = data.get(key)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        r.error(f"{where}.{key}", f"expected a whole number of at least 1, found {value!r}")
        return None
    return value


def article_title(file: str) -> str | None:
    """The title of a source article cited by its file name (``coach/specs/articles.toml``), if known."""
    import tomllib

    path = Path(__file__).resolve().parent / "articles.toml"
    try:
        title = tomllib.loads(path.read_text(encoding="utf-8"))["articles"].get(file)
        return str(title) if title is not None else None
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return None


def sources_in_words(text: str) -> str:
    """A source as people read it: each article cited by its file name or number ("003", "000_46...txt")
    named by its title instead."""
    import re
    import tomllib

    path = Path(__file__).resolve().parent / "articles.toml"
    try:
        titles = tomllib.loads(path.read_text(encoding="utf-8"))["articles"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return text
    by_number = {name[:3]: title for name, title in titles.items()}

    def title(match: re.Match[str]) -> str:
        found = by_number.get(match.group(1))
        return f"\u201c{found}\u201d" if found else match.group(0)
    return re.sub(r"\b(\d{3})(?:_[0-9a-f]+\.txt)?\b", title, text)


def builtin_spec_paths() -> dict[str, Path]:
    """Exercise id -> spec file, for every spec shipped in ``exercise_specs/``."""
    if not SPEC_DIR.is_dir():
        raise SpecError(f"built-in specs not found at {SPEC_DIR}; reinstall coach (pip install .)")
    return {p.stem: p for p in sorted(SPEC_DIR.glob("*.toml"))}


def resolve(name: str, builtin: dict[str, Path], what: str) -> Path:
    """A name to its file: a path ending in .toml as it is, else a built-in by id (``builtin``:
    id -> file), with the nearest id suggested for a misspelt one. The one lookup of specs and routines."""
    if name.endswith(".toml"):
        return Path(name)
    if name not in builtin:
        close = _closest(name, list(builtin))
        hint = f" Did you mean '{close}'?" if close else ""
        raise SpecError(f"unknown {what} '{name}'.{hint} Known: {', '.join(builtin)} (or pass a {what} file path)")
    return builtin[name]


def find_spec(exercise: str) -> ExerciseSpec:
    """Load a built-in spec by id, or a user spec by path (ending in .toml)."""
    paths = builtin_spec_paths()
    spec = load_spec(resolve(exercise, paths, "exercise"))
    if exercise in paths and spec.id != exercise:
        raise SpecError(f"{paths[exercise].name}: id: expected '{exercise}' (the file name), found '{spec.id}'")
    return spec

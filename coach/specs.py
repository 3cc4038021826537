"""Exercise specs: one commented TOML file per exercise, validated on load.

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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coach import landmarks
from coach.errors import SpecError


def _builtin_spec_dir() -> Path:
    """The built-in specs: the repository's top-level ``exercise_specs/``, installed
    as the package ``coach.exercise_specs`` (see pyproject.toml)."""
    import importlib.util

    found = importlib.util.find_spec("coach.exercise_specs")  # a folder of data: a namespace package
    if found is not None and found.submodule_search_locations:
        return Path(next(iter(found.submodule_search_locations)))
    return Path(__file__).resolve().parent.parent / "exercise_specs"  # a source tree never installed


SPEC_DIR = _builtin_spec_dir()

METRIC_KINDS = {
    "joint_angle": 3,   # angle at the middle point, 0-180
    "bend": 3,          # signed deviation of the middle point from the line through the others
    "inclination": 2,   # elevation of the second point above the first, -90..90
    "distance": 2,      # distance in torso lengths
    "height": 3,        # signed distance of the 3rd point above the line through the first two, in torso lengths
    "lowest": 0,        # the lowest of other metrics (``of``): "all of", e.g. arm and leg both raised
    "highest": 0,       # the highest of those that can be seen: "any of", e.g. whichever leg is raised
    "lowest_seen": 0,   # the lowest of those that can be seen: "any of", e.g. whichever knee is bent
    "first_seen": 0,    # the first of them that can be seen: a stand-in when a part is out of the picture,
                        # e.g. the shoulder-hip-knee line when the feet are cut off
    "spread": 0,        # left-right separation of shoulders and hips, in torso lengths: how far off the side
                        # the camera sees the body (coach.analysis.view.across); takes no points
}
DERIVED_KINDS = ("lowest", "highest", "lowest_seen", "first_seen")
DISTANCE_AXES = ("horizontal", "vertical", "euclidean")
PHASES = ("rep_top", "hold", "active")
MAX_CUE_CHARS = 32            # a warning's cue is read from the mat, big: a few words
VIEWS = ("side", "front")
#: near: the side facing the camera is measured; alternating: each rep or hold
#: belongs to the side the metrics show working; in_turn: one camera cannot
#: tell the sides apart, so holds and reps are given to left and right in turn,
#: left first (and the report says so).
SIDE_MODES = ("near", "alternating", "in_turn")
PER_SIDE_MODES = ("alternating", "in_turn")


@dataclass(frozen=True)
class MetricSpec:
    """One named measurement, computed per frame (see :mod:`coach.geometry`)."""

    name: str
    kind: str
    points: tuple[str, ...] = ()
    axis: str = "euclidean"
    of: tuple[str, ...] = ()
    invert: bool = False       # report minus the value: lets a metric that falls count reps as it rises


@dataclass(frozen=True)
class Condition:
    """``min <= metric <= max``; either bound may be absent.

    ``max_rate`` (degrees or units per second, hold conditions only) also
    asks the metric to be steady: a hold is staying still, and passing
    through the position (the top of a push-up) is not holding it. The rate
    is the slope of a line fitted to the last half second, so the pose
    model's jitter does not count as movement.

    ``max_of_rest`` (hold conditions with ``max`` only) also accepts values up
    to that fraction of the person's own resting value, learnt from a still
    second outside the hold (see :class:`coach.analysis.holds.HoldTimer`):
    a knee lowered into a twist reads 0.29 torso lengths on one body and 0.55
    on a leaner one, but about 0.6 of where each started on all of them.
    """

    metric: str
    min: float | None = None
    max: float | None = None
    max_rate: float | None = None
    max_of_rest: float | None = None

    def holds(self, value: float, rest: float | None = None) -> bool:
        """Within the bounds; ``rest`` (the learnt resting value) can only raise ``max``."""
        top = self.max
        if top is not None and rest is not None and self.max_of_rest is not None:
            top = max(top, self.max_of_rest * rest)
        return (self.min is None or value >= self.min) and (top is None or value <= top)


@dataclass(frozen=True)
class RepSpec:
    """Rep counting on one metric with hysteresis.

    A rep starts when the metric rises above ``start_above``, is complete when
    its peak reaches ``full_at`` (otherwise it is a partial rep), and ends when
    the metric falls below ``rest_below``. The gap between ``rest_below`` and
    ``start_above`` is the hysteresis band that absorbs jitter; ``min_rep_s``
    drops blips too short to be a movement.

    ``start_rise`` and ``rest_rise`` (optional, together) make both levels
    relative to the person's own resting value (the median over the last
    second at rest): when that is lower, a rep also starts once the metric
    rises ``start_rise`` above it, and ends only below ``rest_rise`` above it;
    when it reads above ``rest_below`` (a second of lying still that moves
    less than ``rest_rise``, short of ``full_at``), only the relative levels
    apply. Pose models read the same body several degrees differently from
    one camera to the next; a rise from rest does not depend on that offset,
    so a clearly partial rep is still seen as a rep.

    ``full_rise`` (optional, with them) makes ``full_at`` relative the same
    way: a rep is also complete once its peak is ``full_rise`` above the
    resting value. A camera at laptop height reads small lifts (a superman, a
    back extension, a partial curl) smaller than they are, all of them, so a
    full lift from the floor is judged by how far it rose.

    ``rest_fall`` (optional) also ends a rep once the metric has fallen that
    far below the rep's peak: for movements that swing through a neutral
    position rather than rest at one end (cat-cow), whose neutral reads
    differently from person to person.
    """

    metric: str
    start_above: float
    full_at: float
    rest_below: float
    #: Shorter "reps" are the pose model losing a limb for a few frames (2-5 frames, up to
    #: 0.3 s); people pulse a curl-up or a superman in 0.6-0.9 s (a real table-top crunch:
    #: 0.7-0.8 s from start to rest), which must count.
    min_rep_s: float = 0.5
    start_rise: float | None = None
    rest_rise: float | None = None
    rest_fall: float | None = None
    full_rise: float | None = None


@dataclass(frozen=True)
class WarningSpec:
    """A form warning: shown when the metric is below ``below`` or above ``above``.

    ``during`` says when the rule applies: ``rep_top`` (a rep is up and at
    the highest point it has reached, within 8 deg: not on the way down),
    ``hold`` (in the target position) or ``active`` (any time in position). The fault
    must persist ``show_after_s`` before it shows and be gone ``clear_after_s``
    before it clears, so a one-frame glitch never flashes a warning.
    ``only_if`` conditions must all hold for the rule to apply at all: a rule
    whose metric another fault distorts waits until that fault is corrected,
    so a person gets one cue, about the cause.
    """

    id: str
    metric: str
    message: str
    #: The few words shown big on the live screen and spoken ("Lift your hips");
    #: ``message`` is the full explanation for the report and the details view.
    cue: str = ""
    below: float | None = None
    above: float | None = None
    during: str = "hold"
    show_after_s: float = 0.5
    clear_after_s: float = 0.5
    only_if: tuple[Condition, ...] = ()

    def violated(self, value: float) -> bool:
        return (self.below is not None and value < self.below) or (
            self.above is not None and value > self.above
        )


@dataclass(frozen=True)
class Timing:
    """Debounce and grace periods of the session, all in seconds."""

    settle_s: float = 0.5          # in position this long before anything counts
    leave_after_s: float = 0.4     # out of position this long before the session pauses
    dropout_grace_s: float = 0.5   # landmarks lost this long do not break a hold
    lost_reset_s: float = 1.5      # landmarks lost this long drop a rep in progress
    side_switch_s: float = 1.0     # the other side must face the camera this long to switch
    min_hold_s: float = 1.0        # shorter stays in the target position are passing through it


@dataclass(frozen=True)
class Targets:
    reps: int | None = None
    hold_s: float | None = None
    per_side: bool = False


@dataclass(frozen=True)
class ExerciseSpec:
    """A validated exercise spec."""

    id: str
    name: str
    kind: str
    sides: str
    view: str
    camera: str
    instructions: str
    sources: tuple[str, ...]
    metrics: dict[str, MetricSpec]
    key_metrics: tuple[str, ...]
    position: tuple[Condition, ...]
    reps: RepSpec | None
    hold: tuple[Condition, ...]
    warnings: tuple[WarningSpec, ...]
    targets: Targets
    timing: Timing
    visibility_min: float
    display: tuple[str, ...]
    side_by: str | None = None
    side_pick: str = "higher"
    path: Path = field(default=Path("."), compare=False)


class FieldReader:
    """Walks a parsed TOML table and records every problem with its field path."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.errors: list[str] = []

    def error(self, where: str, message: str) -> None:
        self.errors.append(f"{self.path.name}: {where}: {message}")

    def table(self, data: Any, where: str, allowed: Set[str], required: Set[str] = frozenset()) -> dict:
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

    def string(self, data: dict, key: str, where: str, default: str | None = None, choices: tuple[str, ...] = ()) -> str:
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

    def number(self, data: dict, key: str, where: str, default: float | None = None,
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

    def strings(self, data: dict, key: str, where: str) -> tuple[str, ...]:
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
    "position": frozenset({"metric", "min", "max", "note"}),
    "hold": frozenset({"metric", "min", "max", "max_rate", "max_of_rest", "note"}),
    "reps": frozenset({"metric", "start_above", "full_at", "rest_below", "min_rep_s", "start_rise",
                       "rest_rise", "full_rise", "rest_fall", "note"}),
    "warnings": frozenset({"id", "metric", "message", "cue", "below", "above", "during", "show_after_s",
                           "clear_after_s", "only_if", "note"}),
    "warnings.only_if": frozenset({"metric", "min", "max", "note"}),
    "targets": frozenset({"reps", "hold_s", "per_side"}),
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
        out.append(Condition(metric=metric, min=lo, max=hi, max_rate=rate, max_of_rest=of_rest))
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


def read_toml(path: Path, what: str) -> dict:
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


def parse_spec(raw: dict, path: Path) -> ExerciseSpec:
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
    targets = _read_targets(r, raw.get("targets", {}))
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


def _read_targets(r: FieldReader, data: Any) -> Targets:
    t_raw = r.table(data, "targets", SPEC_KEYS["targets"])
    reps_target = t_raw.get("reps")
    if reps_target is not None and (isinstance(reps_target, bool) or not isinstance(reps_target, int) or reps_target < 1):
        r.error("targets.reps", f"expected a whole number of at least 1, found {reps_target!r}")
        reps_target = None
    per_side = t_raw.get("per_side", False)
    if not isinstance(per_side, bool):
        r.error("targets.per_side", f"expected true or false, found {per_side!r}")
        per_side = False
    return Targets(reps=reps_target, hold_s=r.number(t_raw, "hold_s", "targets", positive=True), per_side=per_side)


def metric_unit(spec: ExerciseSpec, name: str) -> str:
    """The unit a metric reads in: degrees, or torso lengths (shoulder to hip)."""
    metric = spec.metrics.get(name)
    if metric is None:
        return ""
    if metric.kind in DERIVED_KINDS:
        return metric_unit(spec, metric.of[0]) if metric.of else ""
    return "torso lengths" if metric.kind in ("distance", "height", "spread") else "deg"


def article_title(file: str) -> str | None:
    """The title of a source article cited by its file name (``coach/articles.toml``), if known."""
    import tomllib

    path = Path(__file__).resolve().parent / "articles.toml"
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))["articles"].get(file)
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return None


def builtin_spec_paths() -> dict[str, Path]:
    """Exercise id -> spec file, for every spec shipped in ``exercise_specs/``."""
    if not SPEC_DIR.is_dir():
        raise SpecError(f"built-in specs not found at {SPEC_DIR}; reinstall coach (pip install .)")
    return {p.stem: p for p in sorted(SPEC_DIR.glob("*.toml"))}


def find_spec(exercise: str) -> ExerciseSpec:
    """Load a built-in spec by id, or a user spec by path (ending in .toml)."""
    if exercise.endswith(".toml"):
        return load_spec(exercise)
    paths = builtin_spec_paths()
    if exercise not in paths:
        close = _closest(exercise, list(paths))
        hint = f" Did you mean '{close}'?" if close else ""
        raise SpecError(f"unknown exercise '{exercise}'.{hint} Known: {', '.join(paths)} (or pass a spec file path)")
    spec = load_spec(paths[exercise])
    if spec.id != exercise:
        raise SpecError(f"{paths[exercise].name}: id: expected '{exercise}' (the file name), found '{spec.id}'")
    return spec

"""Exercise specs, the model: what a validated spec holds, as frozen dataclasses.

A spec file is read and checked by :mod:`coach.specs.reader`; everything after
that sees only these types. Nothing in a spec is ever evaluated as code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

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

    ``if_unseen`` (position and hold conditions): checked instead when this
    metric cannot be measured because a part is out of the picture. A bridge
    needs its knees bent, which takes the ankles; with the feet cut off by
    the picture's edge, the knees standing above the hips say the same.

    ``cannot_tell`` (a stand-in's words): what the stand-in cannot tell apart, where it is weaker
    than the condition it stands in for ("a plank from kneeling or lying on your forearms"); the
    report says so for the time it decided a hold.
    """

    metric: str
    min: float | None = None
    max: float | None = None
    max_rate: float | None = None
    max_of_rest: float | None = None
    if_unseen: tuple[Condition, ...] = ()
    cannot_tell: str = ""

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
    """What the person aims for: ``reps`` of a rep exercise, or ``holds`` of ``hold_s`` seconds of a hold one."""

    reps: int | None = None
    holds: int | None = None
    hold_s: float | None = None
    per_side: bool = False
    #: A rep's way down from its top should take at least this long (the articles' "lower slowly").
    lower_s: float | None = None

    def count(self, kind: str) -> int | None:
        """How many reps or holds the exercise asks for."""
        return self.reps if kind == "reps" else self.holds


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



def metric_unit(spec: ExerciseSpec, name: str) -> str:
    """The unit a metric reads in: degrees, or torso lengths (shoulder to hip)."""
    metric = spec.metrics.get(name)
    if metric is None:
        return ""
    if metric.kind in DERIVED_KINDS:
        return metric_unit(spec, metric.of[0]) if metric.of else ""
    return "torso lengths" if metric.kind in ("distance", "height", "spread") else "deg"




def _part(point: str) -> str:
    """A landmark name as a person says it: mid_hip -> hips, foot_index -> toes."""
    if point.startswith("mid_"):
        return point.removeprefix("mid_").replace("_", " ") + "s"
    return {"foot_index": "toes", "nose": "head"}.get(point, point.replace("_", " "))


_BASE = {
    "joint_angle": "the angle at the {1} between the {0} and the {2}, in degrees (180 = straight)",
    "bend": "how far the {1} {v1} off the straight line from the {0} to the {2}, in degrees (+ above the line, "
            "- below it)",
    "inclination": "how steeply the line from the {0} to the {1} rises, in degrees (0 = level with the floor, "
                   "90 = straight up, negative = falling)",
    "distance": "the distance from the {0} to the {1}, in torso lengths (shoulder to hip)",
    "height": "how far the {2} {v2} above the line from the {0} to the {1}, in torso lengths (shoulder to hip)",
    "spread": "how far apart the left and right shoulders and hips look in the picture, in torso lengths "
              "(0 = seen exactly from the side)",
}
_AXES = {"horizontal": " along the floor", "vertical": " up and down"}
_COMBINED = {"lowest": "the lower", "highest": "the higher", "lowest_seen": "the lower (of those in view)"}


def describe_metric(spec: ExerciseSpec, name: str) -> str:
    """A metric in plain words with its unit, from what it measures (its kind and points), for the
    people who read the reports: "how far the hips are off the straight line from ..."."""
    metric = spec.metrics.get(name)
    if metric is None:
        return name.replace("_", " ")
    if metric.kind == "first_seen":
        first = describe_metric(spec, metric.of[0]) if metric.of else ""
        return first + ("; when those are out of the picture, the same measured on the parts in view"
                        if len(metric.of) > 1 else "")
    if metric.kind in _COMBINED:
        first = describe_metric(spec, metric.of[0]) if metric.of else ""
        return f"{_COMBINED[metric.kind]} of {len(metric.of)} readings of the kind: {first}"
    parts = [_part(p) for p in metric.points] + [""] * 3
    verbs = {f"v{i}": "are" if part.endswith("s") else "is" for i, part in enumerate(parts)}
    text = _BASE.get(metric.kind, metric.kind.replace("_", " ")).format(*parts, **verbs)
    if metric.kind == "distance":
        text = text.replace("the distance", "the distance" + _AXES.get(metric.axis, ""), 1)
    one_side = metric.points and not any(p.startswith(("mid_", "left_", "right_")) for p in metric.points)
    return text + (" (on the side nearer the camera)" if one_side else "")

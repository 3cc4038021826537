"""Turn a pose into the named metrics a spec declares, for one side."""

from __future__ import annotations

import math

import numpy as np

from coach import geometry, landmarks
from coach.analysis.view import across
from coach.specs.model import DERIVED_KINDS, ExerciseSpec, MetricSpec
from coach.types import Metrics, Pose

#: Form warnings judge only landmarks at least this visible (MediaPipe's own
#: "visible"), even where a spec counts with fainter ones: a far-side wrist at
#: 0.05-0.5 is often drawn hanging down when it is raised, and a wrong warning
#: costs the user more than a missed one.
WARN_VISIBILITY = 0.5

#: An inclination between two points closer than this (in torso lengths) is
#: counted but not warned about: its direction is mostly the pose model's
#: jitter. Seen from the side, nose and shoulder are 0.3-0.55 torso lengths
#: apart; a face-down head seen from 0.95 m up puts the nose on the shoulder
#: (0.02-0.16 apart) and the neck's angle then swings between -80 and +85 deg.
SHORT_SEGMENT = 0.2


class MetricComputer:
    """Computes a spec's metrics from a pose, treating hidden landmarks as unknown.

    A metric whose landmarks are below the spec's visibility threshold is None
    rather than a guess, and the hidden landmarks are reported so the session
    can say what it cannot see. A metric measured on landmarks below
    :data:`WARN_VISIBILITY`, or derived from a part that is unknown or so
    measured, is marked doubtful: counted, not warned about.
    """

    def __init__(self, spec: ExerciseSpec) -> None:
        self.spec = spec
        base = [m for m in spec.metrics.values() if m.kind not in DERIVED_KINDS]
        derived = [m for m in spec.metrics.values() if m.kind in DERIVED_KINDS]
        self._order: list[MetricSpec] = base + _topological(derived)
        self._stand_ins = _stand_ins(spec)

    def compute(self, pose: Pose, side: str) -> tuple[Metrics, set[int]]:
        """Metric values for ``side`` and the indices of landmarks too hidden to use."""
        values: dict[str, float | None] = {}
        hidden: set[int] = set()
        doubtful: set[str] = set()
        torso: float | None = None      # this side's shoulder-hip length, once an inclination needs it
        vis_min = self.spec.visibility_min
        for metric in self._order:
            if metric.kind in DERIVED_KINDS:
                # "lowest" means all of them (unknown if any is unknown);
                # "highest" and "lowest_seen" mean any of them, over those
                # that can be seen, so a hidden far-side limb does not hide
                # the one in view.
                parts = [values.get(name) for name in metric.of]
                seen = [v for v in parts if v is not None]
                if metric.kind == "first_seen":
                    # A stand-in measure, not a choice among equals: doubtful only if the one used is.
                    used = next((name for name in metric.of if values.get(name) is not None), None)
                    values[metric.name] = values[used] if used is not None else None
                    if used is None or used in doubtful:
                        doubtful.add(metric.name)
                    continue
                if metric.kind == "lowest":
                    values[metric.name] = min(seen) if len(seen) == len(parts) else None
                elif metric.kind == "lowest_seen":
                    values[metric.name] = min(seen) if seen else None
                else:
                    values[metric.name] = max(seen) if seen else None
                # The hidden or faint part may be the one that is really highest (or lowest).
                if len(seen) < len(parts) or any(name in doubtful for name in metric.of):
                    doubtful.add(metric.name)
                continue
            # A mid_ point is seen when either side is: the pose model still
            # places the other (the far side in a side view), and switching
            # between the midpoint and one side would make the value jump.
            groups = [landmarks.indices(p, side) for p in metric.points]
            vis = pose.visibility
            blocked = [max(g, key=lambda i: vis[i]) for g in groups if max(vis[i] for i in g) < vis_min]
            if blocked:
                if metric.name not in self._stand_ins:
                    hidden.update(blocked)
                values[metric.name] = None
                continue
            if vis_min < WARN_VISIBILITY and any(max(vis[i] for i in g) < WARN_VISIBILITY for g in groups):
                doubtful.add(metric.name)
            # Plain indexing: numpy's fancy indexing and mean() cost microseconds
            # each, and this runs for every point of every metric of every frame.
            pts = [pose.xy[g[0]] if len(g) == 1 else (pose.xy[g[0]] + pose.xy[g[1]]) * 0.5 for g in groups]
            value = _finite(_measure(metric, pts, pose, side))
            if metric.kind == "inclination" and value is not None:
                if torso is None:
                    s, h = pose.xy[landmarks.resolve("shoulder", side)], pose.xy[landmarks.resolve("hip", side)]
                    torso = math.hypot(s[0] - h[0], s[1] - h[1])
                a, b = pts
                if math.hypot(a[0] - b[0], a[1] - b[1]) < SHORT_SEGMENT * torso:
                    doubtful.add(metric.name)
            values[metric.name] = -value if (value is not None and metric.invert) else value
        return Metrics(values=values, side=side, doubtful=frozenset(doubtful)), hidden


def _stand_ins(spec: ExerciseSpec) -> frozenset[str]:
    """Metrics read only as a ``first_seen`` metric's later choice, whose hidden parts are not reported.

    A superman's arm measured to the elbow stands in for the hand cut off by the picture's edge:
    what the report and the screen say is not seen is the hand, the part the exercise asks for.
    """
    later = {name for m in spec.metrics.values() if m.kind == "first_seen" for name in m.of[1:]}
    direct = {c.metric for c in (*spec.position, *spec.hold)} | {w.metric for w in spec.warnings}
    direct |= set(spec.key_metrics) | set(spec.display) | {spec.reps.metric if spec.reps else "", spec.side_by or ""}
    direct |= {name for m in spec.metrics.values() if m.kind in DERIVED_KINDS
               for name in (m.of[:1] if m.kind == "first_seen" else m.of)}
    return frozenset(later - direct)


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _measure(metric: MetricSpec, pts: list[np.ndarray], pose: Pose, side: str) -> float:
    if metric.kind == "spread":
        value = across(pose)
        return float("nan") if value is None else value
    if metric.kind == "joint_angle":
        return geometry.joint_angle(*pts)
    if metric.kind == "bend":
        return geometry.bend(*pts)
    if metric.kind == "inclination":
        return geometry.inclination(*pts)
    shoulder = pose.xy[landmarks.resolve("shoulder", side)]
    hip = pose.xy[landmarks.resolve("hip", side)]
    torso = float(math.hypot(*(shoulder - hip)))
    if metric.kind == "height":
        return geometry.height(pts[0], pts[1], pts[2], torso)
    return geometry.distance(pts[0], pts[1], metric.axis, torso)


def _topological(derived: list[MetricSpec]) -> list[MetricSpec]:
    """Order derived metrics so each comes after the derived metrics it uses."""
    by_name = {m.name: m for m in derived}
    done: list[MetricSpec] = []
    seen: set[str] = set()

    def visit(m: MetricSpec, stack: tuple[str, ...]) -> None:
        if m.name in seen or m.name in stack:
            return
        for sub in m.of:
            if sub in by_name:
                visit(by_name[sub], (*stack, m.name))
        seen.add(m.name)
        done.append(m)

    for m in derived:
        visit(m, ())
    return done

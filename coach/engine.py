"""Run a session over a stream of poses and build its report (no video involved)."""

from __future__ import annotations

from typing import Any, Callable, Iterable

from coach.analysis.session import Session
from coach.report import ReportBuilder
from coach.specs import ExerciseSpec
from coach.types import Pose, Snapshot


def run_poses(spec: ExerciseSpec, poses: Iterable[tuple[Pose | None, float]],
              on_snapshot: Callable[[Snapshot], None] | None = None,
              video: dict[str, Any] | None = None) -> dict[str, Any]:
    """Feed ``(pose, t)`` pairs through a fresh session and return the report."""
    session = Session(spec)
    builder = ReportBuilder(session)
    t = 0.0
    for pose, t in poses:
        snapshot = session.update(pose, t)
        builder.add(snapshot)
        if on_snapshot is not None:
            on_snapshot(snapshot)
    builder.add_events(session.finish(t))
    return builder.build(video=video)

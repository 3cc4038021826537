"""Run a session over poses: the per-frame step every loop shares (file, camera, replay)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol

from coach.analysis.report import Report, ReportBuilder, Video
from coach.analysis.series import Series
from coach.analysis.session import Session
from coach.specs.model import ExerciseSpec
from coach.types import Event, Pose, Snapshot

#: Seconds between the event log's notes of the hold in progress (what a hard cut-off can lose).
HOLD_CHECKPOINT_S = 1.0


class EventWriter(Protocol):
    """Where a session's events go as they happen (``coach.output.sinks.EventLog``: a file)."""

    def write(self, events: Sequence[Event]) -> None: ...

    def close(self) -> None: ...


class Recorder:
    """A session with its report builder, its per-frame series and, optionally,
    an append-only event log.

    ``step`` advances the session by one frame and records what happened;
    ``close`` ends what is still open and returns the report.
    """

    def __init__(self, spec: ExerciseSpec, log: EventWriter | None = None) -> None:
        self.spec = spec
        self.session = Session(spec)
        self.builder = ReportBuilder(self.session)
        self.log = log
        self.series = Series(spec)
        self.t = 0.0
        self._checkpoint_t = -HOLD_CHECKPOINT_S

    def step(self, pose: Pose | None, t: float) -> Snapshot:
        snapshot = self.session.update(pose, t)
        self.builder.add(snapshot)
        self.series.add(snapshot)
        if self.log is not None:
            self.log.write(snapshot.events)
            if t - self._checkpoint_t >= HOLD_CHECKPOINT_S:
                self._checkpoint_t = t
                held = self.session.hold.in_progress(t)
                if held is not None:
                    self.log.write([held])
        self.t = t
        return snapshot

    def restart(self) -> None:
        """Start the counts again (the live window's r key); the event log goes on."""
        self._finish()
        self.session = Session(self.spec)
        self.builder = ReportBuilder(self.session)

    def _finish(self) -> None:
        final = self.session.finish(self.t)
        self.builder.add_events(final)
        if self.log is not None:
            self.log.write(final)

    def close(self, **build: Any) -> Report:
        """Close what is open and return the report (``build`` goes to ReportBuilder.build)."""
        self._finish()
        if self.log is not None:
            self.log.close()
        return self.builder.build(**build)


def run_poses(spec: ExerciseSpec, poses: Iterable[tuple[Pose | None, float]],
              on_snapshot: Callable[[Snapshot], None] | None = None,
              video: Video | None = None) -> Report:
    """Feed ``(pose, t)`` pairs through a fresh session and return the report."""
    recorder = Recorder(spec)
    for pose, t in poses:
        snapshot = recorder.step(pose, t)
        if on_snapshot is not None:
            on_snapshot(snapshot)
    return recorder.close(video=video)

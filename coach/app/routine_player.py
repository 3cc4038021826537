"""The routine player: a routine's exercises one after another, with rests between, over a stream of poses.

The exercise goes on until its target is reached (or the person presses "next"),
then a rest counts down and the next one starts. It holds no video or window code,
so the live loop and the tests drive it the same way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from coach.analysis.recorder import Recorder
from coach.analysis.report import Report, RoutineEntry, RoutineReport, SessionContext
from coach.analysis.series import Series
from coach.output.sinks import SESSION_LOCK, EventLog, SessionLock
from coach.output.text import end_screen_lines
from coach.output.write import Finished
from coach.specs.model import ExerciseSpec
from coach.specs.routine import Routine, describe_target
from coach.types import Pose, Snapshot


class RoutinePlayer:
    """Runs a routine over ``step(pose, t)`` calls; ``next``/``back`` skip around.

    ``events_dir`` (optional) gets one event log per exercise, each starting
    with ``header`` (the camera, the start, the routine's report), so nothing is
    lost if the session is cut off: ``coach.app.recovery`` rebuilds the report
    of each exercise from its log.
    """

    def __init__(self, routine: Routine, events_dir: Path | None = None,
                 header: dict[str, Any] | None = None) -> None:
        self.routine = routine
        self.events_dir = events_dir
        self.header = header or {}
        self._lock = SessionLock(events_dir / SESSION_LOCK) if events_dir is not None else None
        self.index = 0
        self.phase = "exercise"           # exercise, rest, done
        self.rest_until = 0.0
        self.t = 0.0
        self.reports: dict[int, Report] = {}
        self.series: dict[int, Series] = {}
        self.recorder = self._recorder(0)

    @property
    def spec(self) -> ExerciseSpec:
        return self.routine.items[min(self.index, len(self.routine.items) - 1)].spec

    @property
    def finished(self) -> bool:
        return self.phase == "done"

    def file_stem(self, index: int) -> str:
        """The name an exercise's files share in ``events_dir``: its place and id, ``02-plank``."""
        return f"{index + 1:02d}-{self.routine.items[index].spec.id}"

    def _recorder(self, index: int) -> Recorder:
        spec = self.routine.items[index].spec
        if self.events_dir is None:
            return Recorder(spec)
        stem = self.events_dir / self.file_stem(index)
        header = {**self.header, "exercise": str(spec.path.resolve()), "report": str(stem) + ".json"}
        return Recorder(spec, EventLog(f"{stem}.events.jsonl", header))

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
        if self.recorder.session.target_met():
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

    def between(self, t: float) -> tuple[str, str, str] | None:
        """During a rest: its seconds left, and what comes next."""
        if self.phase != "rest":
            return None
        nxt = self.routine.items[self.index + 1].spec
        return "REST", f"REST {max(0.0, self.rest_until - t):.0f} s", f"Next: {nxt.name}, {describe_target(nxt)}"

    def close(self, context: SessionContext | None = None) -> RoutineReport:
        """The routine's report: one entry per exercise (None for one skipped); ``context``
        (``coach.analysis.report.SessionContext``: video, backend, set-up, how it ended) goes at the top."""
        if self.phase == "exercise" and self.index not in self.reports:
            self.reports[self.index] = self.recorder.close()
            self.series[self.index] = self.recorder.series
        if self._lock is not None:
            self._lock.release()
        entries = [RoutineEntry(item.spec.id, item.spec.name, self.reports.get(i))
                   for i, item in enumerate(self.routine.items)]
        return RoutineReport(routine=self.routine.id, routine_name=self.routine.name, exercises=entries,
                             **(context.context() if context is not None else {}))

    def exercises(self) -> dict[int, Finished]:
        return {i: Finished(report, self.series[i], self.routine.items[i].spec) for i, report in self.reports.items()}

    def ending(self) -> tuple[str, list[str]]:
        """One line per exercise: its count or hold, or skipped."""
        lines = []
        for i, item in enumerate(self.routine.items):
            report = self.reports.get(i)
            name = item.spec.name
            lines.append(f"{name}: " + end_screen_lines(report, {})[0].lower() if report else f"{name}: skipped")
        return self.routine.name, lines

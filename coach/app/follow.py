"""Follow me: a live session that recognises the exercise being done and coaches it.

Every recognisable spec watches each frame (their recorders run side by side; the engine is
cheap next to the pose model). The exercise being done is, of the specs that counted a complete
rep or a hold in the last :data:`RECENT_S`, the one whose posture the frames of that stretch fit
best (``coach.analysis.recognize``'s rule, on the recent past); until one has, the screen says
it is not sure. ``n`` says "not this one": the next best is followed instead (for the stretch it
was said about: later, that exercise may be recognised again). At the end the
session is split into its exercises as a recorded workout is (``find_parts``, given the reports the
recorders already made), each exercise with its report.
"""

from __future__ import annotations

from collections import deque
from dataclasses import replace

import numpy as np

from coach.analysis.posture import PostureModel, posture_features
from coach.analysis.recognize import find_parts
from coach.analysis.recorder import Recorder
from coach.analysis.report import SessionContext, WorkoutReport
from coach.output.text import part_line
from coach.output.write import Finished
from coach.specs.model import ExerciseSpec
from coach.types import Pose, RepFinished, Snapshot

#: Seconds of the recent past an exercise is recognised from.
RECENT_S = 20.0
#: An exercise is followed after this many complete reps in the recent past (or a hold): one rep
#: alone may be another exercise's movement passing through.
MIN_SPANS = 2
#: Live, an exercise is followed only on a posture this close to its own (stricter than a recording's
#: FIT_MAX): a wrong exercise coached is worse than "not sure yet". On the real dev clips the right
#: exercise fits at 0.2-3.9 on 32 of 36; a few fit worse (a side plank from an odd angle, 4.9; the full
#: sit-ups, 7.8) and are "not sure" live.
FOLLOW_FIT_MAX = 4.0
#: How often the choice is made again (seconds).
DECIDE_EVERY_S = 0.5
#: Seconds of readings before and after an exercise drawn on its page.
PLOT_MARGIN_S = 3.0
NOT_SURE = ("FOLLOWING YOU", "NOT SURE YET", "Start your exercise: the coach finds which it is")


class FollowMe:
    """The live program of ``coach live`` without ``-e``."""

    finished = False

    def __init__(self, specs: list[ExerciseSpec], model: PostureModel | None = None) -> None:
        self.model = model or PostureModel.load()
        self.specs = [s for s in specs if s.id in self.model.exercises]
        self.recorders = {s.id: Recorder(s) for s in self.specs}
        self.current: str | None = None
        self.rejected: dict[str, float] = {}     # exercise -> when the person said "not this one"
        self.frames: list[tuple[Pose | None, float]] = []
        self._features: deque[tuple[float, np.ndarray]] = deque()
        self._evidence: dict[str, deque[tuple[float, float]]] = {s.id: deque() for s in self.specs}
        self._decided_t = -1.0
        self.report: WorkoutReport | None = None
        self._finished: dict[int, Finished] = {}

    @property
    def spec(self) -> ExerciseSpec:
        """The exercise followed now (the first one known while not sure: only its name is unused)."""
        return next((s for s in self.specs if s.id == self.current), self.specs[0])

    @property
    def index(self) -> int:
        return [s.id for s in self.specs].index(self.spec.id)

    def step(self, pose: Pose | None, t: float) -> Snapshot | None:
        self.frames.append((pose, t))
        features = posture_features(pose) if pose is not None else None
        if features is not None:
            self._features.append((t, features))
        while self._features and t - self._features[0][0] > RECENT_S:
            self._features.popleft()
        snapshots = {exercise: recorder.step(pose, t) for exercise, recorder in self.recorders.items()}
        for exercise, snapshot in snapshots.items():
            self._note_evidence(exercise, snapshot, t)
        if t - self._decided_t >= DECIDE_EVERY_S:
            self._decided_t = t
            self._decide()
        return snapshots[self.current] if self.current is not None else None

    def _note_evidence(self, exercise: str, snapshot: Snapshot, t: float) -> None:
        """Where this spec counted lately: its complete reps, and its holds (the one in progress as
        soon as it is long enough to count: a plank is followed while it is held, not after)."""
        spans = self._evidence[exercise]
        for event in snapshot.events:
            if isinstance(event, RepFinished) and event.rep.complete:
                spans.append((event.rep.start_s, event.rep.end_s))
        recorder = self.recorders[exercise]
        held = recorder.session.hold.in_progress(t) if recorder.spec.kind == "hold" else None
        if held is not None:
            if spans and spans[-1][0] == held.start_s:
                spans.pop()
            spans.append((held.start_s, held.end_s))
        while spans and t - spans[0][1] > RECENT_S:
            spans.popleft()

    def fits(self) -> dict[str, float]:
        """Each exercise with recent evidence, and how well the frames of its stretch fit its posture."""
        found = {}
        for exercise, spans in self._evidence.items():
            if len(spans) < (1 if self.recorders[exercise].spec.kind == "hold" else MIN_SPANS):
                continue                          # one rep alone may be a passing movement; one hold is a hold
            if exercise in self.rejected and self._decided_t - self.rejected[exercise] < RECENT_S:
                continue                          # "not this one" holds for the stretch it was said about
            start = min(a for a, _ in spans)
            rows = [f for t, f in self._features if t >= start]
            if rows:
                found[exercise] = self.model.fit(np.array(rows))[exercise]
        return {e: f for e, f in found.items() if f <= FOLLOW_FIT_MAX}

    def _decide(self) -> None:
        fits = self.fits()
        best = min(fits, key=lambda e: fits[e]) if fits else None
        if best is not None and best != self.current:
            self.current = best

    def notice(self, t: float) -> list[str]:
        if self.current is None:
            return []
        return [f"Following: {self.spec.name} (n: not this exercise)"]

    def between(self, t: float) -> tuple[str, str, str] | None:
        return NOT_SURE if self.current is None else None

    def next(self, t: float) -> None:
        """Not this exercise: follow the next best, or none until another is recognised."""
        if self.current is not None:
            self.rejected[self.current] = t
            self.current = None
            self._decide()

    def back(self, t: float) -> None:
        """Forget what was rejected: everything may be recognised again."""
        self.rejected.clear()
        self._decide()

    def close(self, context: SessionContext | None = None) -> WorkoutReport:
        # Every spec has watched the whole session already: its report is not made again.
        parts = find_parts(self.frames, self.specs, self.model,
                           {exercise: recorder.close() for exercise, recorder in self.recorders.items()})
        self.report = WorkoutReport(parts=parts, **(context.context() if context is not None else {}))
        by_id = {s.id: s for s in self.specs}
        for part in parts:        # each exercise's files, with its readings around it for the page's plot
            recorder = Recorder(by_id[part.exercise])
            for pose, t in self.frames:
                if part.start_s - PLOT_MARGIN_S <= t <= part.end_s + PLOT_MARGIN_S:
                    recorder.step(pose, t)
            report = replace(part.report, **context.context()) if context is not None else part.report
            self._finished[self.specs.index(by_id[part.exercise])] = Finished(report, recorder.series,
                                                                              by_id[part.exercise])
        return self.report

    def exercises(self) -> dict[int, Finished]:
        return self._finished

    def ending(self) -> tuple[str, list[str]]:
        if self.report is None or not self.report.parts:
            return "Session ended", ["No exercise of the catalogue was recognised"]
        return "Workout: done", [part_line(p) for p in self.report.parts]

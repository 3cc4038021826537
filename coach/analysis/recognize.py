"""Which exercises a recording shows, and when: a whole workout in one video.

Every catalogue spec watches the whole recording (the engine is cheap next to the pose model):
a spec that counts complete reps or a hold somewhere is a candidate there, over the stretch of
its reps and holds (those closer than :data:`MERGE_GAP_S` joined). Several specs often count the
same stretch (a bridge's rising hips read as a curl's; a plank passes a side plank's position),
so the candidates are told apart by posture (:mod:`coach.analysis.posture`): of candidates that
overlap, the one whose exercise's posture the frames fit best is kept. Time no spec counts in
(getting up, rest, an empty picture, a push-up or a squat) belongs to no segment. Each segment
is then analysed alone with its exercise, from the end of the one before to the start of the
next, so its report reads as if the video held only that part.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from coach.analysis.posture import PostureModel, posture_features
from coach.analysis.recorder import run_poses
from coach.analysis.report import Report, WorkoutPart
from coach.specs.model import ExerciseSpec
from coach.types import Pose

#: Reps or holds of one exercise closer than this are one segment (a rest between sets).
MERGE_GAP_S = 8.0
#: Two candidates sharing more than this share of the shorter one's time are two readings of the same
#: movement (only one is kept); sharing less, they are two exercises meeting at a boundary.
OVERLAP_SHARE = 0.5
#: A candidate whose frames fit its exercise's posture worse than this (mean squared spreads) is
#: another exercise the spec happens to count: not a segment.
FIT_MAX = 9.0

Frames = Sequence[tuple[Pose | None, float]]


@dataclass(frozen=True)
class Candidate:
    """A stretch where one spec counted reps or holds, and how well its posture fits there."""

    exercise: str
    start_s: float
    end_s: float
    fit: float

    def overlaps(self, other: Candidate) -> bool:
        return self.start_s < other.end_s and other.start_s < self.end_s


def _merged(spans: list[tuple[float, float]], gap_s: float) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for start, end in sorted(spans):
        if out and start - out[-1][1] <= gap_s:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _evidence(report: Report) -> list[tuple[float, float]]:
    """Where a spec counted: its complete reps and its holds, with the partial reps beside them (a
    set of bridges with one short of the top is still a set of bridges), never partial reps alone."""
    counted = ([(r.start_s, r.end_s) for r in report.reps.items if r.complete]
               + [(h.start_s, h.end_s) for h in report.hold.items])
    partial = [(r.start_s, r.end_s) for r in report.reps.items if not r.complete]
    return [(start, end) for start, end in _merged(counted + partial, MERGE_GAP_S)
            if any(start <= a and b <= end for a, b in counted)]


def candidates(frames: Frames, specs: Sequence[ExerciseSpec], model: PostureModel,
               reports: Mapping[str, Report] | None = None) -> list[Candidate]:
    """Every stretch some spec counted in, with its posture fit (specs without a posture model
    cannot be told from the others and are not candidates). ``reports``: each spec's report over
    these frames where already made (a live session's), so they are not made again."""
    times = np.array([t for _, t in frames])
    features = [posture_features(p) if p is not None else None for p, _ in frames]
    found = []
    for spec in specs:
        if spec.id not in model.exercises:
            continue
        report = reports[spec.id] if reports is not None and spec.id in reports else run_poses(spec, frames)
        for start, end in _evidence(report):
            inside = np.flatnonzero((times >= start) & (times <= end))
            rows = [features[i] for i in inside if features[i] is not None]
            if rows:
                found.append(Candidate(spec.id, start, end, model.fit(np.array(rows))[spec.id]))
    return found


def _shared_s(a: Candidate, b: Candidate) -> float:
    return max(0.0, min(a.end_s, b.end_s) - max(a.start_s, b.start_s))


def _trimmed(candidate: Candidate, chosen: Sequence[Candidate]) -> Candidate | None:
    """The candidate beside those chosen: cut back where it only touches one (two exercises done one
    after the other meet at a boundary), None where it is mostly the same time as one."""
    for other in chosen:
        shared = _shared_s(candidate, other)
        if shared <= 0:
            continue
        if shared > OVERLAP_SHARE * min(candidate.end_s - candidate.start_s, other.end_s - other.start_s):
            return None
        if candidate.start_s < other.start_s:
            candidate = replace(candidate, end_s=other.start_s)
        else:
            candidate = replace(candidate, start_s=other.end_s)
    return candidate


def choose(found: Sequence[Candidate]) -> list[Candidate]:
    """Best-fitting posture first; a candidate mostly over the time of one already chosen is another
    reading of the same movement and is dropped, as are those that fit no posture well."""
    chosen: list[Candidate] = []
    for candidate in sorted(found, key=lambda c: c.fit):
        kept = _trimmed(candidate, chosen) if candidate.fit <= FIT_MAX else None
        if kept is not None and kept.end_s > kept.start_s:
            chosen.append(kept)
    return sorted(chosen, key=lambda c: c.start_s)


def find_parts(frames: Frames, specs: Sequence[ExerciseSpec], model: PostureModel | None = None,
               reports: Mapping[str, Report] | None = None) -> list[WorkoutPart]:
    """The exercises the frames show, in order, each with its own report."""
    model = model or PostureModel.load()
    by_id = {spec.id: spec for spec in specs}
    chosen = choose(candidates(frames, specs, model, reports))
    segments = []
    for i, part in enumerate(chosen):
        # Its own stretch of the recording: from half-way after the one before to half-way to the next,
        # so the settling into position and the way out belong to it.
        begin = (chosen[i - 1].end_s + part.start_s) / 2 if i else -1.0
        finish = (part.end_s + chosen[i + 1].start_s) / 2 if i + 1 < len(chosen) else float("inf")
        own = [(pose, t) for pose, t in frames if begin <= t < finish]
        spec = by_id[part.exercise]
        report = run_poses(spec, own)
        if report.reps.count or report.hold.count:     # a part that, alone, counts nothing is no part
            segments.append(WorkoutPart(spec.id, spec.name, part.start_s, part.end_s, report))
    return segments

"""Robustness of the decisions: every spec's demo timeline under disturbances, scored like `coach eval`.

    python benchmarks/robustness.py

The exact landmark sequences of coach.lab.synth.exact (a perfect pose model) are
disturbed the ways issue 5 lists, one at a time, and each spec's report is
scored against the timeline's own truth:

* ``jitter 1%`` / ``jitter 3%``: Gaussian noise on every landmark, sigma 1 % and 3 % of the
  torso length per frame (MediaPipe's own frame-to-frame jitter on a clean real plank clip:
  about 0.3 %);
* ``fps 24`` / ``30`` / ``60`` (the timelines, and so ``clean``, are 15 fps);
* ``portrait``: the camera turned to a 360x480 picture;
* ``leave 1.5 s``: nobody in view for 1.5 s in a rest between reps;
* ``pause 3 s``: the first rest between reps held 3 s longer;
* ``far side hidden``: the far side's visibility 0.1 instead of 0.6.

Scores: exact count rate (reps, or holds for hold exercises), per-side count rate,
hold error against the undisturbed body's time in the spec's position (so ``clean``
is 0 by construction and each other row is what its disturbance costs), and warning
precision/recall over all warning ids.
"""

from __future__ import annotations

import copy
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach import landmarks  # noqa: E402
from coach.analysis.recorder import run_poses  # noqa: E402
from coach.analysis.report import ReportBuilder  # noqa: E402
from coach.analysis.session import Session  # noqa: E402
from coach.lab.evaluate import Case, score  # noqa: E402
from coach.lab.synth import exact  # noqa: E402
from coach.lab.synth.cli import TIMELINES  # noqa: E402
from coach.lab.synth.timeline import Timeline, load_timeline  # noqa: E402
from coach.specs.reader import builtin_spec_paths, find_spec  # noqa: E402
from coach.types import Pose  # noqa: E402

Poses = Iterator[tuple[float, Pose | None]]


def _torso(pose: Pose) -> float:
    i = landmarks.INDEX
    return float(np.linalg.norm(pose.xy[i["left_shoulder"]] - pose.xy[i["left_hip"]]))


def jitter(share: float) -> Callable[[Timeline], Poses]:
    def run(timeline: Timeline) -> Poses:
        rng = np.random.default_rng(5)
        for t, pose in exact.exact_poses(timeline):
            noise = rng.normal(0.0, share * _torso(pose), size=pose.xy.shape)
            yield t, pose.replace_xy(pose.xy + noise)
    return run


def with_fps(fps: float) -> Callable[[Timeline], Poses]:
    def run(timeline: Timeline) -> Poses:
        timeline.fps = fps
        yield from exact.exact_poses(timeline)
    return run


def portrait(timeline: Timeline) -> Poses:
    timeline.camera["width"], timeline.camera["height"] = 360, 480
    yield from exact.exact_poses(timeline)


def leave(timeline: Timeline) -> Poses:
    """The person walks out for 1.5 s during a rest (the first rest after a rep, made 3 s longer)."""
    start = _lengthen_first_rest(timeline, 3.0)
    for time_s, pose in exact.exact_poses(timeline):
        yield time_s, None if start + 0.75 <= time_s < start + 2.25 else pose


def _lengthen_first_rest(timeline: Timeline, extra_s: float) -> float:
    """Add ``extra_s`` to the first rest after a rep (or the last step); return where the extra time starts."""
    seen_rep, t = False, 0.0
    for step in timeline.steps:
        seen_rep = seen_rep or step.rep is not None
        if seen_rep and step.phase in ("rest", "setup") and step.rep is None:
            step.seconds += extra_s
            return t + step.seconds - extra_s
        t += step.seconds
    timeline.steps[-1].seconds += extra_s
    return t


def pause(timeline: Timeline) -> Poses:
    """The first rest after a rep lasts 3 s longer (the truth moves with it)."""
    _lengthen_first_rest(timeline, 3.0)
    yield from exact.exact_poses(timeline)


def far_hidden(timeline: Timeline) -> Poses:
    old = exact.FAR_VISIBILITY
    exact.FAR_VISIBILITY = 0.1
    try:
        yield from exact.exact_poses(timeline)
    finally:
        exact.FAR_VISIBILITY = old


def clean(timeline: Timeline) -> Poses:
    yield from exact.exact_poses(timeline)


CONDITIONS: dict[str, Callable[[Timeline], Poses]] = {
    "clean": clean, "jitter 1%": jitter(0.01), "jitter 3%": jitter(0.03), "fps 24": with_fps(24),
    "fps 30": with_fps(30), "fps 60": with_fps(60), "portrait": portrait, "leave 1.5 s": leave,
    "pause 3 s": pause, "far side hidden": far_hidden,
}


def evaluate(condition: Callable[[Timeline], Poses]) -> dict:
    cases, reports = [], []
    for spec_id in builtin_spec_paths():
        timeline = copy.deepcopy(load_timeline(TIMELINES / f"{spec_id}_demo.toml"))
        spec = find_spec(spec_id)
        session = Session(spec)
        builder = ReportBuilder(session)
        t = 0.0
        for t, pose in condition(timeline):
            builder.add(session.update(pose, t))
        builder.add_events(session.finish(t))
        truth = timeline.expected()
        # Hold truth: the undisturbed body's time in the spec's position (the
        # timeline as the condition changed it: fps, picture, longer pause).
        exact_hold = run_poses(spec, ((p, t) for t, p in exact.exact_poses(timeline))).hold.total_s
        cases.append(Case(name=spec_id, video=Path(spec_id), exercise=spec_id,
                          reps=truth["reps"] if spec.kind == "reps" else truth["holds"],
                          by_side=truth["by_side"], hold_s=exact_hold if spec.kind == "hold" else None,
                          warnings=truth["warnings"]))
        reports.append(builder.build())
    return score(cases, reports)


def main() -> None:
    print("| condition | exact count | per-side counts | hold error s | warnings precision | recall |")
    print("|---|---|---|---|---|---|")
    for name, condition in CONDITIONS.items():
        s = evaluate(condition)
        tp, fp, fn = (s["warnings"]["all (micro)"][k] for k in ("tp", "fp", "fn"))
        precision = tp / (tp + fp) if tp + fp else float("nan")
        recall = tp / (tp + fn) if tp + fn else float("nan")
        print(f"| {name} | {s['exact_count_rate'] * 100:.0f} % of {s['count_clips']} | "
              f"{s['side_exact_rate'] * 100:.0f} % of {s['side_clips']} | {s['hold_mean_abs_error_s']:.2f} | "
              f"{precision:.2f} ({fp} false) | {recall:.2f} ({fn} missed) |", flush=True)


if __name__ == "__main__":
    main()

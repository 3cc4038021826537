"""How the decisions on real people stand up when their clips are disturbed.

    python benchmarks/real_robustness.py [--labels ../shared/videos/labels.json] [--traces tests/data/traces]

The recorded landmark traces of the scored real clips (``coach eval``'s cases) are replayed
through the engine, each disturbed one way at a time, the ways an unseen camera and person
differ from the development clips:

* ``fps 15`` / ``fps 10`` / ``fps 5``: every n-th frame, as near that rate as whole steps
  allow (the clips are 24-30 fps): a cheap webcam, a GIF;
* ``faster 1.5x`` / ``slower 2x``: the same movement at another speed (not scored on holds,
  whose length is their label, nor the controls under hold specs: the top of a push-up done
  at half speed is a plank held for a second or more);
* ``mirrored``: filmed from the other side (the picture flipped, left and right swapped);
* ``jitter 1%``: Gaussian noise of 1 % of the torso on every landmark (about three times
  MediaPipe's own on a clean real plank);
* ``start cut 1.5 s``: the first 1.5 s missing, so a rep may be under way in the first
  frame (not scored on holds). The truth is a range: at least the reps the undisturbed clip
  counts starting after the cut, at most those ending after it;
* ``hands unseen`` / ``feet unseen``: the wrists and hands (or the ankles and feet) not seen
  in any frame, as when the picture's edge cuts a body stretched out along it (not scored on
  holds; reps against the full count: the elbows and knees are still there to count on);
* ``rolled +3``, ``-3``, ``+5``, ``-5``: the camera not level, its picture turned that many degrees
  about its centre (+: clockwise), as a laptop on a cushion or a propped-up phone. Every
  inclination in a spec reads that much higher or lower; joint angles do not change. Nothing
  corrects for it: these rows measure how much the specs' margins allow.

Each row scores every rep clip (exact, within one), every hold (within max(1 s, 10 %)) and
the control clips under all 21 specs, disturbed the same way (any rep or hold is a phantom). The traces are
recorded once by ``coach eval LABELS --landmarks DIR``; nothing is tuned here.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.analysis.recorder import run_poses  # noqa: E402
from coach.analysis.report import Report  # noqa: E402
from coach.lab.disturb import (  # noqa: E402
    FEET,
    HANDS,
    START_CUT_S,
    Frames,
    at_fps,
    jitter,
    mirrored,
    recorded_real_clips,
    rolled,
    speed,
    start_cut,
    unseen,
)
from coach.lab.evaluate import Case, counted  # noqa: E402
from coach.specs.reader import find_spec  # noqa: E402


@dataclass(frozen=True)
class Disturbance:
    name: str
    change: Callable[[Frames], Frames]
    holds: bool = True          # False: not scored on the labelled holds
    retimed: bool = False       # the movement's speed changed: no hold or hold-spec control is scored


DISTURBANCES = [
    Disturbance("as recorded", lambda frames: frames),
    Disturbance("fps 15", at_fps(15)), Disturbance("fps 10", at_fps(10)), Disturbance("fps 5", at_fps(5)),
    Disturbance("faster 1.5x", speed(1.5), holds=False, retimed=True),
    Disturbance("slower 2x", speed(0.5), holds=False, retimed=True),
    Disturbance("mirrored", mirrored), Disturbance("jitter 1%", jitter(0.01)),
    Disturbance("start cut 1.5 s", start_cut, holds=False),
    Disturbance("hands unseen", unseen(HANDS), holds=False), Disturbance("feet unseen", unseen(FEET), holds=False),
    *(Disturbance(f"rolled {degrees:+d}", rolled(degrees)) for degrees in (3, -3, 5, -5)),
]


def rep_range(case: Case, name: str, undisturbed: Report) -> tuple[int, int]:
    """The counts that are right for a rep clip under a disturbance."""
    truth = case.reps or 0
    if name == "start cut 1.5 s":
        items = undisturbed.reps.items
        return (sum(1 for r in items if r.start_s >= START_CUT_S), sum(1 for r in items if r.end_s > START_CUT_S))
    return truth, truth


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--labels", type=Path, default=ROOT.parent / "shared" / "videos" / "labels.json")
    parser.add_argument("--traces", type=Path, default=ROOT / "tests" / "data" / "traces")
    parser.add_argument("--only", nargs="*", help="disturbance names to run (default: all)")
    parser.add_argument("--verbose", action="store_true", help="print every clip that is wrong")
    args = parser.parse_args()
    if not args.labels.is_file():
        print(f"skipped: {args.labels} not found (the real clips' labels)")
        return 0
    cases, frames = recorded_real_clips(args.labels, args.traces)
    undisturbed = {c.video.stem: run_poses(find_spec(c.exercise), frames[c.video.stem])
                   for c in cases if c.reps and not c.control}
    print("| disturbance | rep clips exact | within one | holds within max(1 s, 10 %) | controls with a rep or hold |")
    print("|---|---|---|---|---|")
    for disturbance in DISTURBANCES:
        if args.only and disturbance.name not in args.only:
            continue
        exact = near = reps_n = holds_ok = holds_n = phantoms = controls_n = 0
        wrong: list[str] = []
        for case in cases:
            if not disturbance.holds and case.hold_s is not None and not case.control:
                continue
            if disturbance.retimed and case.control and find_spec(case.exercise).kind == "hold":
                continue
            report = run_poses(find_spec(case.exercise), disturbance.change(frames[case.video.stem]))
            if case.control:
                controls_n += 1
                busy = counted(report) or report.reps.partial or report.hold.total_s > 0
                phantoms += bool(busy)
                if busy:
                    wrong.append(f"{case.name} under {case.exercise}: {counted(report)} counted, "
                                 f"{report.reps.partial} partial, {report.hold.total_s:.1f} s held")
            elif case.hold_s is not None:
                holds_n += 1
                ok = abs(report.hold.total_s - case.hold_s) <= max(1.0, 0.1 * case.hold_s)
                holds_ok += ok
                if not ok:
                    wrong.append(f"{case.name}: held {report.hold.total_s:.1f} s of {case.hold_s:.1f}")
            elif case.reps:
                reps_n += 1
                low, high = rep_range(case, disturbance.name, undisturbed[case.video.stem])
                got = counted(report)
                exact += low <= got <= high
                near += low - 1 <= got <= high + 1
                if not low <= got <= high:
                    wrong.append(f"{case.name}: {got} reps, right is {low}" + (f"-{high}" if high != low else ""))
        holds = f"{holds_ok} of {holds_n}" if holds_n else "-"
        print(f"| {disturbance.name} | {exact} of {reps_n} | {near} of {reps_n} | {holds} | "
              f"{phantoms} of {controls_n} |", flush=True)
        if args.verbose:
            for line in wrong:
                print(f"    {line}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

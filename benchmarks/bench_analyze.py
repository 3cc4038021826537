"""Throughput of `coach analyze` against a bare decode + MediaPipe loop, same clips, same run.

    python benchmarks/bench_analyze.py [CLIP ...]      (default: real clips from ../shared/videos)

The bare loop is what any MediaPipe program must do at least: decode each
frame, convert it to RGB and run the built-in BlazePose full model. The
coach's own per-frame work (smoothing, metrics, analysers, report) must cost
little beside it: the target is at least 90 % of the bare loop's frames per
second. Each clip is measured twice, alternating, and the better run kept.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import cv2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.batch import analyze_video  # noqa: E402
from coach.pose import _quiet_native_stderr, create_estimator  # noqa: E402
from coach.specs import find_spec  # noqa: E402

DEFAULT = [
    ("plank/gymnai_forearm_plank.mp4", "plank"),
    ("glute_bridge/pal_frog_pump.mp4", "bridge"),
    ("bird_dog/gymnai_bird_dog_overlay.mp4", "bird_dog"),
    ("side_plank/pal_side_plank_straight_arm.mp4", "plank"),
]


def bare_loop(path: Path) -> tuple[int, float]:
    import mediapipe as mp

    with _quiet_native_stderr():
        pose = mp.solutions.pose.Pose(static_image_mode=False, model_complexity=1, smooth_landmarks=False)
    cap = cv2.VideoCapture(str(path))
    frames = 0
    start = time.perf_counter()
    while True:
        ok, image = cap.read()
        if not ok:
            break
        pose.process(cv2.cvtColor(image, cv2.COLOR_BGR2RGB))
        frames += 1
    elapsed = time.perf_counter() - start
    cap.release()
    pose.close()
    return frames, elapsed


def coach_loop(path: Path, exercise: str) -> tuple[int, float]:
    estimator = create_estimator()
    spec = find_spec(exercise)
    start = time.perf_counter()
    report = analyze_video(path, spec, estimator)
    elapsed = time.perf_counter() - start
    estimator.close()
    return report["video"]["frames"], elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clips", nargs="*", help="CLIP:EXERCISE pairs (default: four real clips)")
    args = parser.parse_args()
    videos = ROOT.parent / "shared" / "videos"
    pairs = [(Path(c.split(":")[0]), c.split(":")[1]) for c in args.clips] or [(videos / c, e) for c, e in DEFAULT]
    print(f"{'clip':44} {'size':>9} {'frames':>6} {'bare fps':>9} {'coach fps':>9} {'ratio':>6}")
    ratios = []
    for path, exercise in pairs:
        if not path.is_file():
            print(f"{path}: missing, skipped")
            continue
        cap = cv2.VideoCapture(str(path))
        size = f"{int(cap.get(cv2.CAP_PROP_FRAME_WIDTH))}x{int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT))}"
        cap.release()
        bare, ours = [], []
        for _ in range(2):
            n, t = bare_loop(path)
            bare.append(n / t)
            n, t = coach_loop(path, exercise)
            ours.append(n / t)
        ratio = max(ours) / max(bare)
        ratios.append(ratio)
        print(f"{path.name:44} {size:>9} {n:6d} {max(bare):9.1f} {max(ours):9.1f} {ratio:6.1%}")
    if ratios:
        print(f"mean ratio coach/bare: {sum(ratios) / len(ratios):.1%} (target >= 90%)")


if __name__ == "__main__":
    main()

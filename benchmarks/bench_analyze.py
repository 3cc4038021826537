"""Throughput of `coach analyze` against a bare decode + MediaPipe loop, same clips, same run.

    python benchmarks/bench_analyze.py [CLIP ...]      (default: real clips from ../shared/videos)

The bare loop is what any MediaPipe program must do at least: decode each
frame, convert it to RGB and run the Tasks-API PoseLandmarker on the same
bundle, for one person (the ratio is against this) and for ``--people``
people on every frame (what looking for several costs when done plainly). The
coach's own per-frame work (smoothing, metrics, analysers, report) must cost
little beside it: the target is at least 90 % of the bare loop's frames per
second. Each clip is measured twice, alternating, and the better run kept.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from pathlib import Path

import cv2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.app.batch import analyze_video  # noqa: E402
from coach.io.models import default_model  # noqa: E402
from coach.io.people import MAX_PEOPLE  # noqa: E402
from coach.io.pose import DETECTION_CONFIDENCE, TRACKING_CONFIDENCE, create_estimator, native_chatter_filtered  # noqa: E402
from coach.specs.reader import find_spec  # noqa: E402

DEFAULT = [
    ("plank/gymnai_forearm_plank.mp4", "plank"),
    ("glute_bridge/pal_frog_pump.mp4", "bridge"),
    ("bird_dog/gymnai_bird_dog_overlay.mp4", "bird_dog"),
    ("side_plank/pal_side_plank_straight_arm.mp4", "plank"),
]


def bare_loop(path: Path, people: int) -> tuple[int, float]:
    import mediapipe as mp
    from mediapipe.tasks.python import BaseOptions
    from mediapipe.tasks.python.vision import PoseLandmarker, PoseLandmarkerOptions, RunningMode

    options = PoseLandmarkerOptions(base_options=BaseOptions(model_asset_path=str(default_model())),
                                    running_mode=RunningMode.VIDEO, num_poses=people,
                                    min_pose_detection_confidence=DETECTION_CONFIDENCE,
                                    min_tracking_confidence=TRACKING_CONFIDENCE)
    with native_chatter_filtered():
        landmarker = PoseLandmarker.create_from_options(options)
    cap = cv2.VideoCapture(str(path))
    fps = cap.get(cv2.CAP_PROP_FPS) or 30.0
    frames = 0
    start = time.perf_counter()
    while True:
        ok, image = cap.read()
        if not ok:
            break
        rgb = mp.Image(image_format=mp.ImageFormat.SRGB, data=cv2.cvtColor(image, cv2.COLOR_BGR2RGB))
        with native_chatter_filtered() if frames < 2 else contextlib.nullcontext():
            landmarker.detect_for_video(rgb, int(frames * 1000 / fps))
        frames += 1
    elapsed = time.perf_counter() - start
    cap.release()
    with native_chatter_filtered():
        landmarker.close()
    return frames, elapsed


def coach_loop(path: Path, exercise: str, people: int) -> tuple[int, float, int]:
    estimator = create_estimator(people=people)
    spec = find_spec(exercise)
    start = time.perf_counter()
    report = analyze_video(path, spec, estimator).report
    elapsed = time.perf_counter() - start
    estimator.close()
    return report.video.frames or 0, elapsed, report.people_seen or 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clips", nargs="*", help="CLIP:EXERCISE pairs (default: four real clips)")
    parser.add_argument("--people", type=int, default=MAX_PEOPLE, help="people to look for, in both loops")
    args = parser.parse_args()
    videos = ROOT.parent / "shared" / "videos"
    pairs = [(Path(c.split(":")[0]), c.split(":")[1]) for c in args.clips] or [(videos / c, e) for c, e in DEFAULT]
    print(f"{'clip':44} {'size':>9} {'frames':>6} {'bare 1':>7} {'bare ' + str(args.people):>7} "
          f"{'coach':>6} {'seen':>4} {'coach/bare 1':>12}")
    ratios = []
    for path, exercise in pairs:
        if not path.is_file():
            print(f"{path}: missing, skipped")
            continue
        cap = cv2.VideoCapture(str(path))
        size = f"{int(cap.get(cv2.CAP_PROP_FRAME_WIDTH))}x{int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT))}"
        cap.release()
        bare, bare_many, ours = [], [], []
        for _ in range(2):
            n, t = bare_loop(path, 1)
            bare.append(n / t)
            n, t = bare_loop(path, args.people)
            bare_many.append(n / t)
            n, t, seen = coach_loop(path, exercise, args.people)
            ours.append(n / t)
        ratio = max(ours) / max(bare)
        ratios.append(ratio)
        print(f"{path.name:44} {size:>9} {n:6d} {max(bare):7.1f} {max(bare_many):7.1f} {max(ours):6.1f} {seen:4d} "
              f"{ratio:12.1%}")
    if ratios:
        print(f"mean ratio coach/bare one-person loop: {sum(ratios) / len(ratios):.1%} (target >= 90%)")


if __name__ == "__main__":
    main()

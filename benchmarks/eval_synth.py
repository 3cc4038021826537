"""Synthetic corpus evaluation: detection, angle error against exact truth, and the coach's decisions.

    python benchmarks/eval_synth.py --generate 3 --variety wide --out /tmp/corpus
    python benchmarks/eval_synth.py --corpus /tmp/corpus

For every clip (rendered by `coach synth`, labels beside it) MediaPipe runs on
every frame. Per exercise and camera height it prints:

* the detection rate;
* the error of the exercise's key angle measured on MediaPipe's landmarks,
  against the true angle in the body's own plane ("sagittal") and against the
  same joints projected into the image ("2D"): the first is what the coach
  must judge, the gap between the two is what the camera's viewpoint costs;
* for exercises with a spec, the report against the clip's expected one,
  scored as `coach eval` scores it (one MediaPipe pass serves both).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach import geometry, landmarks  # noqa: E402
from coach.analysis.recorder import run_poses  # noqa: E402
from coach.io.pose import create_estimator  # noqa: E402
from coach.io.sources import VideoFile  # noqa: E402
from coach.lab.evaluate import markdown, score, synthetic_cases  # noqa: E402
from coach.specs.reader import builtin_spec_paths, find_spec  # noqa: E402

BASE = ["bridge_demo", "plank_demo", "bird_dog_demo", "side_plank_demo", "superman_demo", "dead_bug_demo",
        "childs_pose_demo", "cat_cow_demo", "bridge_arched", "plank_pike", "bird_dog_errors", "bridge_setup",
        "plank_setup", "back_extension_demo", "prone_chest_lift_demo", "downward_dog_demo", "hip_flexor_stretch_demo",
        "hamstring_stretch_demo", "hamstring_stretch_standing_demo", "partial_curl_demo", "pelvic_tilt_demo",
        "table_top_press_demo", "breathing_90_90_demo", "spinal_twist_demo", "glute_stretch_demo",
        "hamstring_stretch_seated_demo"]


def key_angle(exercise: str, point) -> tuple[str, float | None]:
    """The exercise's key angle from a function name -> (x, y) image point (None if unavailable)."""
    try:
        if exercise == "side_plank":
            mid = lambda a: (np.array(point(f"left_{a}")) + np.array(point(f"right_{a}"))) / 2  # noqa: E731
            return "hip_line", geometry.bend(mid("shoulder"), mid("hip"), mid("ankle"))
        if exercise == "bird_dog":
            return "raised_thigh", max(geometry.inclination(np.array(point(f"{s}_hip")), np.array(point(f"{s}_knee")))
                                       for s in ("left", "right"))
        if exercise == "childs_pose":
            # Folded at the hip, the shoulder-hip-knee bend sits near 180 and flips
            # sign; the torso's slope is the angle that describes the pose.
            return "torso_incline", geometry.inclination(np.array(point("left_hip")), np.array(point("left_shoulder")))
        end = "ankle" if exercise == "plank" else "knee"
        return "hip_line", geometry.bend(np.array(point("left_shoulder")), np.array(point("left_hip")),
                                         np.array(point(f"left_{end}")))
    except KeyError:
        return "", None


def true_key(exercise: str, true: dict) -> float:
    if exercise == "bird_dog":
        return max(true["thigh_left"], true["thigh_right"])
    if exercise == "childs_pose":
        return true["torso_incline"]
    return true["hip_line"]


def band(height: float) -> str:
    return "floor (<0.45 m)" if height < 0.45 else ("low (0.45-0.8 m)" if height < 0.8 else "laptop (>0.8 m)")


def evaluate(clip: Path) -> dict:
    labels = json.loads(clip.with_suffix(".json").read_text())
    exercise = labels["exercise"]
    estimator = create_estimator()
    poses, errors_true, errors_2d, gaps = [], [], [], []
    detected = 0
    with VideoFile(clip) as source:
        for frame in source.frames():
            pose = estimator.detect(frame.image, frame.t)
            poses.append((pose, frame.t))
            label = labels["frames"][frame.index]
            if pose is None:
                continue
            detected += 1
            _, measured = key_angle(exercise, lambda n, pose=pose: pose.xy[landmarks.INDEX[n]])
            _, two_d = key_angle(exercise, lambda n, label=label: label["image_joints"][n])
            truth = true_key(exercise, label["true"])
            if measured is not None and two_d is not None:
                errors_true.append(measured - truth)
                errors_2d.append(measured - two_d)
                gaps.append(two_d - truth)
    estimator.close()
    result = {
        "clip": clip.name, "exercise": exercise, "height": labels["scene"]["camera"].get("height_m", 0.35),
        "frames": len(labels["frames"]), "detected": detected, "err_true": errors_true, "err_2d": errors_2d,
        "gap": gaps, "crop": labels["scene"]["crop"], "expected": labels["expected"],
    }
    if exercise in builtin_spec_paths():
        report = run_poses(find_spec(exercise), poses)
        result["report"] = report
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, help="folder of clips made by coach synth")
    parser.add_argument("--generate", type=int, default=0, help="first render N variants of each base timeline")
    parser.add_argument("--variety", default="wide", choices=("advised", "wide"))
    parser.add_argument("--out", type=Path, default=Path("/tmp/coach-corpus"))
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    corpus = args.corpus or args.out
    if args.generate:
        corpus.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        subprocess.run([sys.executable, "-m", "coach", "synth", *BASE, "--variants", str(args.generate),
                        "--variety", args.variety, "--out", str(corpus), "--seed", str(args.seed)], check=True)
        print(f"rendered in {time.monotonic() - started:.0f} s")
    clips = sorted(corpus.glob("*.mp4"))
    size_mb = sum(c.stat().st_size + c.with_suffix(".json").stat().st_size for c in clips) / 1e6
    print(f"\n{len(clips)} clips, {sum(1 for _ in clips)} files of video, {size_mb:.1f} MB with labels\n")
    started = time.monotonic()
    results = [evaluate(c) for c in clips]
    print(f"evaluated in {time.monotonic() - started:.0f} s\n")
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in results:
        groups[(r["exercise"], band(r["height"]))].append(r)
    print("| exercise | camera | clips | detected | MP - true, mean (mean abs) | MP - 2D, mean abs | 2D - true, mean |")
    print("|---|---|---|---|---|---|---|")
    for (exercise, cam), rs in sorted(groups.items()):
        det = sum(r["detected"] for r in rs) / sum(r["frames"] for r in rs)
        et = np.concatenate([r["err_true"] for r in rs]) if any(r["err_true"] for r in rs) else np.array([np.nan])
        e2 = np.concatenate([r["err_2d"] for r in rs]) if any(r["err_2d"] for r in rs) else np.array([np.nan])
        gp = np.concatenate([r["gap"] for r in rs]) if any(r["gap"] for r in rs) else np.array([np.nan])
        print(f"| {exercise} | {cam} | {len(rs)} | {det:.1%} | {et.mean():+.1f} ({np.abs(et).mean():.1f}) | "
              f"{np.abs(e2).mean():.1f} | {gp.mean():+.1f} |")
    reports = {r["clip"]: r["report"] for r in results if "report" in r}
    cases = [c for c in synthetic_cases(corpus) if c.name in reports]
    if cases:
        ordered = [reports[c.name] for c in cases]
        print("\n" + markdown(cases, ordered, score(cases, ordered)))


if __name__ == "__main__":
    main()

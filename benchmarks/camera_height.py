"""How the camera's height and angle bias the key angles, and what the midline correction leaves.

    python benchmarks/camera_height.py [--heights 0.2 0.45 0.7 0.95 1.2] [--yaws 0 30] [--out /tmp/coach-heights]

Renders the bridge and plank demo timelines from cameras at several heights
and turned several degrees off the side (same distance, 2.6-2.8 m), runs
MediaPipe on every frame and prints, per exercise, height and angle, over the
frames where the position is held:

* the camera's true downward angle at the body and the coach's estimate of it
  (coach.analysis.view.camera_tilt_deg);
* the hip line's error against the exact truth, measured the naive way (the
  near side's shoulder-hip-knee, or -ankle for the plank) and the way the
  spec measures it (the midline of both sides), for the straight frames;
* for the bent frames (the plank's 20 deg sag, the bridge's low first rep):
  how many degrees the bend really is, and how many each way reads.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach import geometry, landmarks  # noqa: E402
from coach.analysis.metrics import MetricComputer  # noqa: E402
from coach.analysis.side import SideChooser  # noqa: E402
from coach.analysis.view import camera_tilt_deg  # noqa: E402
from coach.io.pose import create_estimator  # noqa: E402
from coach.io.sources import VideoFile  # noqa: E402
from coach.lab.synth.cli import TIMELINES  # noqa: E402
from coach.lab.synth.generate import camera_for, generate  # noqa: E402
from coach.lab.synth.timeline import load_timeline  # noqa: E402
from coach.specs.reader import find_spec  # noqa: E402

CASES = (("bridge_demo", "bridge", "hip_line"), ("plank_demo", "plank", "hip_line"))


def _near_line(pose, side: str, end: str) -> float | None:
    i = landmarks.INDEX
    try:
        return geometry.bend(pose.xy[i[f"{side}_shoulder"]], pose.xy[i[f"{side}_hip"]], pose.xy[i[f"{side}_{end}"]])
    except KeyError:
        return None


def measure(timeline_name: str, spec_id: str, metric: str, height: float, yaw: float, out: Path) -> dict:
    timeline = load_timeline(TIMELINES / f"{timeline_name}.toml")
    timeline.camera["height_m"] = height
    timeline.camera["yaw_deg"] = yaw
    cam = camera_for(timeline)
    eye, rot = cam.basis()
    true_tilt = math.degrees(math.asin(max(-1.0, min(1.0, -rot[2][2])))) if rot.shape == (3, 3) else float("nan")
    clip = out / f"{timeline_name}_h{height:.2f}" f"{f'_y{yaw:g}' if yaw else ''}.mp4"
    labels = generate(timeline, clip)     # always rendered afresh: clips left from an older render misled once
    spec = find_spec(spec_id)
    computer = MetricComputer(spec)
    sides = SideChooser()
    estimator = create_estimator()
    end = "ankle" if spec_id == "plank" else "knee"
    tilts: list[float] = []
    straight: dict[str, list[float]] = {"near": [], "spec": []}
    bent: dict[str, list[float]] = {"truth": [], "near": [], "spec": []}
    with VideoFile(clip) as source:
        for frame, label in zip(source.frames(), labels["frames"]):
            pose = estimator.detect(frame.image, frame.t)
            if pose is None:
                continue
            tilt = camera_tilt_deg(pose)
            if tilt is not None:
                tilts.append(tilt)
            truth = label["true"].get(metric)
            if label["phase"] != "hold" or truth is None:
                continue
            side = sides.update(pose, frame.t)
            metrics, _ = computer.compute(pose, side)
            value, near = metrics.get(metric), _near_line(pose, side, end)
            if value is None or near is None:
                continue
            if abs(truth) < 5:
                straight["near"].append(near - truth)
                straight["spec"].append(value - truth)
            elif abs(truth) >= 10:
                bent["truth"].append(truth)
                bent["near"].append(near)
                bent["spec"].append(value)
    estimator.close()
    median = lambda xs: float(np.median(xs)) if xs else float("nan")  # noqa: E731
    return {"height": height, "yaw": yaw, "true_tilt": true_tilt, "est_tilt": median(tilts),
            "straight_near": median(straight["near"]), "straight_spec": median(straight["spec"]),
            "bent_truth": median(bent["truth"]), "bent_near": median(bent["near"]), "bent_spec": median(bent["spec"])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--heights", type=float, nargs="+", default=[0.2, 0.45, 0.7, 0.95, 1.2])
    parser.add_argument("--yaws", type=float, nargs="+", default=[0.0, 30.0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/coach-heights"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for timeline_name, spec_id, metric in CASES:
        print(f"\n{spec_id} {metric}, held frames (deg):")
        print("| camera height m | turned deg | true tilt | estimated tilt | straight: error near side | "
              "straight: error midline (spec) | bent: truth | bent: near side reads | bent: midline reads |")
        print("|---|---|---|---|---|---|---|---|---|")
        for yaw in args.yaws:
            for h in args.heights:
                r = measure(timeline_name, spec_id, metric, h, yaw, args.out)
                print(f"| {r['height']:.2f} | {r['yaw']:g} | {r['true_tilt']:.1f} | {r['est_tilt']:.1f} | "
                      f"{r['straight_near']:+.1f} | {r['straight_spec']:+.1f} | {r['bent_truth']:+.1f} | "
                      f"{r['bent_near']:+.1f} | {r['bent_spec']:+.1f} |", flush=True)


if __name__ == "__main__":
    main()

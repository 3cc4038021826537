"""How the camera's height biases the key angles, and how well the coach estimates the tilt.

    python benchmarks/camera_height.py [--heights 0.2 0.45 0.7 0.95 1.2] [--out /tmp/heights]

Renders the bridge and plank demo timelines from cameras at several heights
(same distance, 2.6-2.8 m), runs MediaPipe on every frame and prints, per
exercise and height: the camera's true downward angle at the body, the
coach's estimate of it from the landmarks (coach.setup_check.camera_tilt_deg),
and the key angle's error against the exact truth in the frames where the
exercise is held, raw and after the spec's tilt correction. It ends with the
least-squares slope of raw error against the estimated tilt, which is what a
spec's ``tilt_bias`` is set from.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.analysis.metrics import MetricComputer  # noqa: E402
from coach.analysis.side import SideChooser  # noqa: E402
from coach.pose import LegacyBlazePose  # noqa: E402
from coach.analysis.view import camera_tilt_deg  # noqa: E402
from coach.sources import VideoFile  # noqa: E402
from coach.specs import find_spec  # noqa: E402
from coach.synth.cli import TIMELINES  # noqa: E402
from coach.synth.generate import camera_for, generate  # noqa: E402
from coach.synth.timeline import load_timeline  # noqa: E402

CASES = (("bridge_demo", "bridge", "hip_line"), ("plank_demo", "plank", "hip_line"))


def measure(timeline_name: str, spec_id: str, metric: str, height: float, out: Path) -> dict:
    timeline = load_timeline(TIMELINES / f"{timeline_name}.toml")
    timeline.camera["height_m"] = height
    cam = camera_for(timeline)
    eye, rot = cam.basis()
    true_tilt = math.degrees(math.asin(max(-1.0, min(1.0, -rot[2][2])))) if rot.shape == (3, 3) else float("nan")
    clip = out / f"{timeline_name}_h{height:.2f}.mp4"
    labels = json.loads(clip.with_suffix(".json").read_text()) if clip.with_suffix(".json").is_file() \
        else generate(timeline, clip)
    spec = find_spec(spec_id)
    computer = MetricComputer(spec)
    sides = SideChooser()
    estimator = LegacyBlazePose()
    errors, tilts, raw_values = [], [], []
    with VideoFile(clip) as source:
        for frame, label in zip(source.frames(), labels["frames"]):
            pose = estimator.detect(frame.image, frame.t)
            if pose is None:
                continue
            tilt = camera_tilt_deg(pose)
            if tilt is not None:
                tilts.append(tilt)
            if label["phase"] != "hold":
                continue
            metrics, _ = computer.compute(pose, sides.update(pose, frame.t))
            value = metrics.get(metric)
            truth = label["true"].get(metric)
            if value is not None and truth is not None:
                errors.append(value - truth)
                raw_values.append(value)
    estimator.close()
    return {"height": height, "true_tilt": true_tilt, "est_tilt": float(np.median(tilts)) if tilts else float("nan"),
            "error": float(np.median(errors)) if errors else float("nan"), "n": len(errors)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--heights", type=float, nargs="+", default=[0.2, 0.45, 0.7, 0.95, 1.2])
    parser.add_argument("--out", type=Path, default=Path("/tmp/coach-heights"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for timeline_name, spec_id, metric in CASES:
        rows = [measure(timeline_name, spec_id, metric, h, args.out) for h in args.heights]
        print(f"\n{spec_id} {metric} (held frames):")
        print("| camera height m | true tilt deg | estimated tilt deg | error (MediaPipe - truth) deg |")
        print("|---|---|---|---|")
        for r in rows:
            print(f"| {r['height']:.2f} | {r['true_tilt']:.1f} | {r['est_tilt']:.1f} | {r['error']:+.1f} |")
        ok = [r for r in rows if not math.isnan(r["est_tilt"]) and not math.isnan(r["error"])]
        if len(ok) >= 2:
            x = np.array([r["est_tilt"] for r in ok])
            y = np.array([r["error"] for r in ok])
            slope, intercept = np.polyfit(x, y, 1)
            print(f"fit: error = {slope:.2f} x estimated tilt {intercept:+.1f}")


if __name__ == "__main__":
    main()

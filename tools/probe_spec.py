"""Print a spec's metrics phase by phase on a synthetic timeline: the tool for
setting a spec's thresholds.

    python tools/probe_spec.py SPEC TIMELINE [--video]

Without ``--video`` the timeline's exact landmarks are used (a perfect pose
model); with it, the timeline is rendered and MediaPipe reads the picture, as
in real use. For each phase of the timeline (rest, up, hold, ...) the script
prints every metric's median and range, then the report the session wrote and
the one the timeline expects.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
from collections import defaultdict
from pathlib import Path

from coach.analysis.report import ReportBuilder
from coach.analysis.session import Session
from coach.lab.synth.timeline import load_timeline
from coach.specs.reader import find_spec


def _poses(timeline, video: bool):
    if not video:
        from coach.lab.synth.exact import exact_poses

        yield from exact_poses(timeline)
        return
    from coach.io.pose import create_estimator
    from coach.io.sources import VideoFile
    from coach.lab.synth.generate import generate

    out = Path(tempfile.mkdtemp()) / f"{timeline.name}.mp4"
    generate(timeline, out)
    estimator = create_estimator()
    with VideoFile(out) as source:
        for frame in source.frames():
            yield frame.t, estimator.detect(frame.image, frame.t)
    estimator.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("spec")
    parser.add_argument("timeline", type=Path)
    parser.add_argument("--video", action="store_true", help="render and read with MediaPipe")
    parser.add_argument("--metrics", default=None, help="comma-separated metrics to print (default: all)")
    args = parser.parse_args()
    spec = find_spec(args.spec)
    timeline = load_timeline(args.timeline)
    frames = timeline.frames()
    session = Session(spec)
    builder = ReportBuilder(session)
    by_phase: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    states: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    t = 0.0
    step, last = 0, None
    for frame, (t, pose) in zip(frames, _poses(timeline, args.video)):
        snap = session.update(pose, t)
        builder.add(snap)
        here = (frame["phase"], frame["rep"], frame["side"], frame["error"])
        if here != last:
            step, last = step + 1, here
        key = f"{step:02d} {frame['phase']} rep {frame['rep']} {frame['side'] or ''} {frame['error'] or ''}"
        states[key][snap.state] += 1
        if snap.metrics is not None:
            for name, value in snap.metrics.values.items():
                if value is not None:
                    by_phase[key][name].append(value)
    builder.add_events(session.finish(t))
    for phase, metrics in by_phase.items():
        print(f"== {phase}  states {dict(states[phase])}")
        for name, values in metrics.items():
            if args.metrics and name not in args.metrics.split(","):
                continue
            print(f"   {name:18s} median {statistics.median(values):7.2f}  range {min(values):7.2f} .. {max(values):7.2f}")
    report = builder.build()
    print("got     ", json.dumps({"reps": report["reps"]["count"], "partial": report["reps"]["partial"],
                                  "by_side": report["reps"]["by_side"], "hold": report["hold"],
                                  "warnings": [(w["id"], w["start_s"], w["end_s"]) for w in report["warnings"]]}))
    print("expected", json.dumps(timeline.expected()))


if __name__ == "__main__":
    main()

"""Record raw MediaPipe landmarks from the real clips in ../shared/videos once.

The traces (pixel xy, visibility, depth per frame; NaN where nobody was
found) are the replay fixtures of ``tests/test_replay.py``: the engine runs on
them in milliseconds, without mediapipe or the clips themselves, so CI tests
real human motion even where ``../shared`` is absent. Clips are never copied.

    python tools/record_traces.py [--videos ../shared/videos] [--only plank] [--again]

Clips whose trace exists are left as they are unless ``--again`` is given, so
new clips in labels.json are recorded without changing the replays of the old.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from coach.app.batch import record_trace
from coach.io.pose import create_estimator

ROOT = Path(__file__).resolve().parent.parent


def record(video: Path, out: Path) -> None:
    estimator = create_estimator()
    try:
        trace = record_trace(video, estimator, out)
    finally:
        estimator.close()
    print(f"{out.name}: {len(trace)} frames")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--videos", type=Path, default=ROOT.parent / "shared" / "videos")
    parser.add_argument("--out", type=Path, default=ROOT / "tests" / "data" / "traces")
    parser.add_argument("--only", default=None, help="record only clips of this exercise folder")
    parser.add_argument("--again", action="store_true", help="record clips whose trace exists too")
    args = parser.parse_args()
    labels = json.loads((args.videos / "labels.json").read_text())["videos"]
    args.out.mkdir(parents=True, exist_ok=True)
    for entry in labels:
        folder = entry["file"].split("/")[0]
        if args.only and folder != args.only:
            continue
        out = args.out / (Path(entry["file"]).stem + ".npz")
        if out.exists() and not args.again:
            continue
        record(args.videos / entry["file"], out)


if __name__ == "__main__":
    main()

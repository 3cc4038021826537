"""One long video on every core: `coach analyze --workers N` against the bare one-process loop.

    python benchmarks/bench_parallel.py [--clip CLIP] [--seconds 80] [--workers 1 2 3 4] [--people 1 3]

The clip (default: the real frog-pump clip of ../shared/videos, else the bridge
sample) is looped into a video of about ``--seconds`` in a temporary folder.
On it, in one run: the bare decode + MediaPipe loop in one process (what any
program must at least do, as in bench_analyze.py), then the whole `coach
analyze` command (model loading, workers, engine, report) with each number of
workers. The speed-up is against the bare loop; its wall time includes the
model loading of every worker, as a user waits for it. More workers than cores
show what oversubscription costs, not what more cores would give.

The bare loop follows one person. `coach analyze --people 1` does the same
work per frame, so its rows show what the processes give; with the coach's
default of 3 it also looks for others once a second (about 5 % more time a
frame, in one process or many).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import cv2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_analyze import bare_loop  # noqa: E402

from coach.io.sources import VideoFile  # noqa: E402

REAL = ROOT.parent / "shared" / "videos" / "glute_bridge" / "pal_frog_pump.mp4"


def looped(clip: Path, seconds: float, out: Path) -> tuple[int, float]:
    """``clip`` repeated into ``out`` until it lasts ``seconds``; returns (frames, fps)."""
    with VideoFile(clip) as video:
        fps, frames = video.info.fps, [frame.image for frame in video.frames()]
    height, width = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(out), cv2.VideoWriter.fourcc(*"mp4v"), fps, (width, height))
    total = int(seconds * fps)
    for i in range(total):
        writer.write(frames[i % len(frames)])
    writer.release()
    return total, fps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clip", type=Path, default=REAL if REAL.is_file() else ROOT / "sample_videos" / "bridge_demo.mp4")
    parser.add_argument("--exercise", default="bridge")
    parser.add_argument("--seconds", type=float, default=80.0)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 3, 4])
    parser.add_argument("--people", type=int, nargs="+", default=[1, 3], help="coach analyze --people N")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        video = Path(tmp) / "long.mp4"
        frames, fps = looped(args.clip, args.seconds, video)
        print(f"{args.clip.name} looped to {frames / fps:.0f} s ({frames} frames), {os.cpu_count()} cores")
        n, bare_s = bare_loop(video, 1)
        print(f"bare one-process loop: {bare_s:.1f} s ({n / bare_s:.1f} fps)\n")
        print("| --people | workers | wall s | fps | speed-up against the bare loop | reps |")
        print("|---|---|---|---|---|---|")
        for people in args.people:
            for workers in args.workers:
                report = Path(tmp) / f"r{people}-{workers}.json"
                start = time.perf_counter()
                subprocess.run([sys.executable, "-m", "coach", "analyze", str(video), "-e", args.exercise,
                                "--workers", str(workers), "--people", str(people), "--no-history", "-q",
                                "--report", str(report)], check=True, stdout=subprocess.DEVNULL)
                wall = time.perf_counter() - start
                reps = json.loads(report.read_text())["reps"]["count"]
                print(f"| {people} | {workers} | {wall:.1f} | {frames / wall:.1f} | {bare_s / wall:.2f}x | {reps} |",
                      flush=True)


if __name__ == "__main__":
    main()

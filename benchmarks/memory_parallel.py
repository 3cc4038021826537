"""Memory of `coach analyze --workers 2` on a long video: the whole process tree's resident size.

    python benchmarks/memory_parallel.py [--minutes 1.5 10]

Loops the bridge sample (or --clip) into videos of each length in a temporary folder, runs
`coach analyze` on each with two workers and samples the resident memory of the command and
all its worker processes twice a second; prints the peak for each length. Flat means the peak
does not grow with the video.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_parallel import REAL, looped  # noqa: E402


def peak_rss_mb(args: list[str]) -> tuple[float, float]:
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    top = 0.0
    start = time.perf_counter()
    parent = psutil.Process(proc.pid)
    while proc.poll() is None:
        try:
            tree = [parent, *parent.children(recursive=True)]
            top = max(top, sum(p.memory_info().rss for p in tree if p.is_running()) / 1e6)
        except psutil.Error:
            pass
        time.sleep(0.5)
    return top, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clip", type=Path, default=REAL if REAL.is_file() else ROOT / "sample_videos" / "bridge_demo.mp4")
    parser.add_argument("--minutes", type=float, nargs="+", default=[1.5, 10.0])
    args = parser.parse_args()
    print("| video | peak resident memory, all processes | wall s |")
    print("|---|---|---|")
    for minutes in args.minutes:
        with tempfile.TemporaryDirectory() as tmp:
            video = Path(tmp) / "long.mp4"
            looped(args.clip, minutes * 60, video)
            mb, wall = peak_rss_mb([sys.executable, "-m", "coach", "analyze", str(video), "-e", "bridge", "--workers",
                                    "2", "--no-history", "-q", "--report", str(Path(tmp) / "r.json")])
            print(f"| {minutes:g} min | {mb:.0f} MB | {wall:.0f} |", flush=True)


if __name__ == "__main__":
    main()

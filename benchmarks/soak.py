"""A long session on replayed landmarks: memory must stay flat and per-frame time stable.

    python benchmarks/soak.py [--minutes 60] [--exercise plank]

Loops the recorded real-clip landmarks (tests/data/traces) at 30 fps of
session time for the given length, through the same per-frame step as
`coach live` (session, report builder, append-only event log), and prints,
every 10 minutes of session time, the Python heap in use (tracemalloc), the
process's resident memory and the mean time per frame.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.analysis.recorder import Recorder  # noqa: E402
from coach.io.replay import Trace  # noqa: E402
from coach.output.sinks import EventLog
from coach.specs.reader import find_spec  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--exercise", default="plank")
    args = parser.parse_args()
    poses = [p for path in sorted((ROOT / "tests" / "data" / "traces").glob("*.npz")) for p, _ in Trace(path).poses()]
    frames = int(args.minutes * 60 * 30)
    with tempfile.TemporaryDirectory() as tmp:
        recorder = Recorder(find_spec(args.exercise), EventLog(Path(tmp) / "events.jsonl"))
        tracemalloc.start()
        start_heap = tracemalloc.get_traced_memory()[0] / 1e6
        start_rss = rss_mb()
        print(f"{'session min':>11} {'heap MB':>8} {'RSS MB':>7} {'us/frame':>9} {'events KB':>9}")
        block = time.perf_counter()
        for i in range(frames):
            recorder.step(poses[i % len(poses)], i / 30.0)
            if (i + 1) % (30 * 600) == 0:
                elapsed = time.perf_counter() - block
                heap = tracemalloc.get_traced_memory()[0] / 1e6
                size = (Path(tmp) / "events.jsonl").stat().st_size / 1e3
                print(f"{(i + 1) / 1800:11.0f} {heap:8.2f} {rss_mb():7.1f} {elapsed / (30 * 600) * 1e6:9.1f} {size:9.0f}")
                block = time.perf_counter()
        report = recorder.close()
        end_heap = tracemalloc.get_traced_memory()[0] / 1e6
    print(f"heap growth {end_heap - start_heap:+.2f} MB, RSS growth {rss_mb() - start_rss:+.1f} MB over "
          f"{args.minutes:g} min; report: {report['hold']['total_s']:.0f} s held, {len(report['warnings'])} warnings")


if __name__ == "__main__":
    main()

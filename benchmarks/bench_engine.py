"""Cost of the engine alone (smoothing, metrics, analysers, report) per frame, on recorded landmarks.

    python benchmarks/bench_engine.py

Runs each spec over every landmark trace in tests/data/traces (real clips)
and prints microseconds per frame. Beside MediaPipe's ~15-20 ms per frame,
this is the coach's own share of the per-frame budget.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.analysis.recorder import run_poses  # noqa: E402
from coach.io.replay import Trace  # noqa: E402
from coach.specs.reader import find_spec  # noqa: E402


def main() -> None:
    traces = [Trace(p) for p in sorted((ROOT / "tests" / "data" / "traces").glob("*.npz"))]
    frames = sum(len(t) for t in traces)
    for exercise in ("bridge", "bird_dog", "plank"):
        spec = find_spec(exercise)
        start = time.perf_counter()
        for trace in traces:
            run_poses(spec, trace.poses())
        elapsed = time.perf_counter() - start
        print(f"{exercise:9} {frames} frames  {elapsed / frames * 1e6:7.1f} us/frame")


if __name__ == "__main__":
    main()

"""Print a spec's metrics over time on a recorded real-clip trace: what the coach read, frame by
frame, where a cue fired or did not.

    python tools/probe_trace.py SPEC TRACE [--every 0.25] [--metrics hip_line,body_incline]

Every ``--every`` seconds it prints the session's state, the rep phase, the hold's seconds, the
chosen metrics and the warnings shown, then every warning and rep of the report. The traces
are those of ``tests/data/traces`` (``tools/record_traces.py``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from coach.analysis.recorder import Recorder
from coach.io.replay import Trace
from coach.specs.reader import find_spec


def _fmt(value: float | None) -> str:
    return "   -  " if value is None else f"{value:6.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("spec")
    parser.add_argument("trace", type=Path)
    parser.add_argument("--every", type=float, default=0.25, help="seconds between printed lines")
    parser.add_argument("--metrics", default=None, help="comma-separated metrics (default: the spec's display)")
    args = parser.parse_args()
    spec = find_spec(args.spec)
    names = args.metrics.split(",") if args.metrics else list(spec.display)
    recorder = Recorder(spec)
    print("    t  state            phase  hold  " + " ".join(f"{n[:14]:>14}" for n in names) + "  warnings")
    next_t = 0.0
    for pose, t in Trace(args.trace).poses():
        snap = recorder.step(pose, t)
        if t + 1e-9 < next_t:
            continue
        next_t = t + args.every
        values = [snap.metrics.get(n) if snap.metrics is not None else None for n in names]
        print(f"{t:5.2f}  {snap.state:16} {snap.rep_phase:5} {snap.hold_s:5.1f}  "
              + " ".join(f"{_fmt(v):>14}" for v in values) + "  " + ",".join(w for w, _ in snap.warnings))
    report = recorder.close()
    for w in report.warnings:
        print(f"warning {w.id}: {w.start_s:.2f}-{w.end_s:.2f} s")
    for r in report.reps.items:
        print(f"rep {r.index}: {r.side} {r.start_s:.2f}-{r.end_s:.2f} s peak {r.peak:.1f} rise {r.rise or 0:.1f} "
              f"{'full' if r.complete else 'partial'} top {r.hold_s:.2f} s {list(r.warnings)}")
    print(f"reps {report.reps.count} (+{report.reps.partial} partial), hold {report.hold.total_s:.1f} s "
          f"in {report.hold.count}, in form {report.hold.in_form_s:.1f} s")


if __name__ == "__main__":
    main()

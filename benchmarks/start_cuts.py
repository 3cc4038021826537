"""Clips that open in the middle of things: every real clip cut at many points near its start.

    python benchmarks/start_cuts.py [--labels ../shared/videos/labels.json] [--traces tests/data/traces]

Each scored real rep clip is replayed from its recorded trace with its first seconds cut, at
every 0.25 s from 0.25 to 6 s: a clip, or a camera switched on, that opens on someone already
moving. The right count is a range: at least the reps of the whole clip that began after the
cut, at most those that ended after it (a rep under way at the first frame counts when its end
is seen). Each control clip is replayed under every spec with its start cut at every 0.5 s to
5 s: any rep or hold is a phantom. Nothing is tuned here.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.analysis.recorder import run_poses  # noqa: E402
from coach.lab.disturb import cut_start, recorded_real_clips  # noqa: E402
from coach.lab.evaluate import counted  # noqa: E402
from coach.specs.reader import builtin_spec_paths, find_spec  # noqa: E402

REP_CUTS_S = [0.25 * k for k in range(1, 25)]
CONTROL_CUTS_S = [0.5 * k for k in range(1, 11)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--labels", type=Path, default=ROOT.parent / "shared" / "videos" / "labels.json")
    parser.add_argument("--traces", type=Path, default=ROOT / "tests" / "data" / "traces")
    args = parser.parse_args()
    if not args.labels.is_file():
        print(f"skipped: {args.labels} not found (the real clips' labels)")
        return 0
    cases, frames = recorded_real_clips(args.labels, args.traces)
    runs = in_range = all_ended = 0
    for case in (c for c in cases if c.reps and not c.control):
        spec = find_spec(case.exercise)
        whole = [r for r in run_poses(spec, frames[case.video.stem]).reps.items if r.complete]
        for seconds in REP_CUTS_S:
            got = counted(run_poses(spec, cut_start(seconds)(frames[case.video.stem])))
            low = sum(1 for r in whole if r.start_s >= seconds)
            high = sum(1 for r in whole if r.end_s > seconds)
            runs += 1
            in_range += low <= got <= high
            all_ended += got == high
            if not low <= got <= high:
                print(f"    {case.video.stem} cut at {seconds:.2f} s: {got} reps, right is {low}-{high}")
    print(f"rep clips: {in_range} of {runs} runs within the range; {all_ended} count every rep that ended after the cut")
    controls = sorted({c.video.stem for c in cases if c.control})
    busy = control_runs = 0
    for name in controls:
        for spec_id in builtin_spec_paths():
            spec = find_spec(spec_id)
            for seconds in CONTROL_CUTS_S:
                report = run_poses(spec, cut_start(seconds)(frames[name]))
                control_runs += 1
                if counted(report) or report.reps.partial or report.hold.total_s:
                    busy += 1
                    print(f"    {name} under {spec_id}, cut at {seconds:.1f} s: {counted(report)} counted, "
                          f"{report.reps.partial} partial, {report.hold.total_s:.1f} s held")
    print(f"controls: {busy} of {control_runs} runs with a rep or hold")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How long the live set-up check takes on real people: still, already moving, filmed badly.

    python3 benchmarks/setup_check.py [--traces tests/data/traces] [--labels ../shared/videos/labels.json]

Replays the landmarks recorded from every scored real clip (``tests/data/traces``,
no video or model needed) through :class:`coach.app.setup_check.SetupCheck` under
the clip's own spec, as if the clip were the camera, and prints per clip when
the check handed over (``passed`` after the countdown, ``gave up`` after 10 s
with its advice) and when the clip's first rep or hold began, so a check that
keeps a moving person waiting shows.
"""

from __future__ import annotations

import argparse
import tomllib
from pathlib import Path

from coach.app.setup_check import SetupCheck
from coach.io.replay import Trace
from coach.lab.evaluate import REAL_LABELS_FILE
from coach.specs.reader import find_spec

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--traces", type=Path, default=ROOT / "tests" / "data" / "traces")
    args = parser.parse_args()
    table = tomllib.loads(REAL_LABELS_FILE.read_text(encoding="utf-8"))
    print("| clip | spec | set-up check | seconds | advice left |")
    print("|---|---|---|---|---|")
    for clip in table.get("clip", []):
        trace_path = args.traces / f"{Path(clip['file']).stem}.npz"
        if not trace_path.is_file():
            continue
        check = SetupCheck(find_spec(clip["spec"]))
        t = 0.0
        for pose, t in Trace(trace_path).poses():
            if check.update(pose, t) is None:
                break
        result = check.result(t)
        outcome = "passed" if result.passed else ("gave up" if result.completed else "clip ended")
        print(f"| {Path(clip['file']).stem} | {clip['spec']} | {outcome} | {result.seconds:.1f} | "
              f"{'; '.join(result.advice) or '-'} |")


if __name__ == "__main__":
    main()

"""Which specs count something on a clip of another exercise: the ground for recognising the exercise.

Every labelled real trace (``coach/lab/real_labels.toml``, landmarks in ``tests/data/traces``) and
every control is replayed under every built-in spec; a spec "counts" a clip when it finds a
complete rep or a hold there. Printed: per clip, its own spec's count and every other spec that
counts, then the pairs most often confused.

    python3 tools/spec_confusions.py
"""

from __future__ import annotations

import sys
import tomllib
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRACES = ROOT / "tests" / "data" / "traces"


def counts(path: Path) -> tuple[str, dict[str, tuple[int, float]]]:
    """(clip, spec -> (complete reps, seconds held)) under every built-in spec."""
    from coach.analysis.recorder import run_poses
    from coach.io.replay import Trace
    from coach.specs.reader import builtin_spec_paths, find_spec

    frames = list(Trace(path).poses())
    found = {}
    for exercise in sorted(builtin_spec_paths()):
        report = run_poses(find_spec(exercise), frames)
        found[exercise] = (report.reps.count, round(report.hold.total_s, 1))
    return path.stem, found


def main() -> int:
    labels = tomllib.loads((ROOT / "coach" / "lab" / "real_labels.toml").read_text())
    clips = {Path(c["file"]).stem: c["spec"] for c in labels["clip"]}
    controls = [Path(c["file"]).stem for c in labels.get("control", [])]
    paths = [TRACES / f"{name}.npz" for name in [*clips, *controls] if (TRACES / f"{name}.npz").exists()]
    with ProcessPoolExecutor(2) as pool:
        table = dict(pool.map(counts, paths))
    pairs: Counter[tuple[str, str]] = Counter()
    alone = 0
    for clip, own in clips.items():
        if clip not in table:
            continue
        others = {s: v for s, v in table[clip].items() if s != own and (v[0] or v[1])}
        pairs.update((own, s) for s in others)
        alone += not others
        print(f"{clip:40} {own:16} own {table[clip][own]}  others: "
              + (", ".join(f"{s} {v[0]} reps {v[1]} s" for s, v in others.items()) or "none"))
    for clip in controls:
        if clip in table:
            hits = {s: v for s, v in table[clip].items() if v[0] or v[1]}
            print(f"{clip:40} (control)        {hits or 'nothing counted'}")
    print(f"\n{alone} of {sum(1 for c in clips if c in table)} clips counted by their own spec alone; "
          "pairs most often confused (clip's spec, other spec: clips):")
    for (own, other), n in pairs.most_common(12):
        print(f"  {own} / {other}: {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

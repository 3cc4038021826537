"""Every report the engine writes from recorded landmarks, one JSON line each, to compare two versions.

A change meant to keep behaviour (a refactoring) is proved by running this before and after
and comparing: the real traces of ``tests/data/traces`` under every built-in spec, and the wide
synthetic corpus's traces (``benchmarks/wide_corpus.py DIR`` keeps them in ``DIR/traces``)
under their own spec. Each line holds the report and a digest of every frame's snapshot (state,
reps, hold time, cues), so a difference that cancels out by the end is seen too.

    python3 tools/report_equality.py /tmp/before.jsonl --wide /tmp/wide/traces
    (change the code)
    python3 tools/report_equality.py /tmp/after.jsonl --wide /tmp/wide/traces
    python3 tools/report_equality.py --compare /tmp/before.jsonl /tmp/after.jsonl
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Fields that say which code wrote a report, not what it found.
IGNORED = {"report_version"}


def _one(job: tuple[str, str]) -> str:
    from coach.analysis.recorder import run_poses
    from coach.io.replay import Trace
    from coach.specs.reader import find_spec

    path, exercise = job
    digest = hashlib.sha256()

    def note(s) -> None:
        digest.update(f"{s.t:.4f} {s.state} {s.reps} {s.hold_s:.3f} {sorted(s.warnings)} {s.partial_reps} {s.current_hold_s:.3f} {s.hold_in_form_s:.3f}\n".encode())
    report = run_poses(find_spec(exercise), Trace(path).poses(), on_snapshot=note).to_dict()
    for key in IGNORED:
        report.pop(key, None)
    return json.dumps({"trace": Path(path).name, "exercise": exercise, "frames": digest.hexdigest(),
                       "report": report}, sort_keys=True)


def jobs(wide: Path | None) -> list[tuple[str, str]]:
    from coach.specs.reader import builtin_spec_paths

    specs = sorted(builtin_spec_paths())
    out = [(str(t), s) for t in sorted((ROOT / "tests" / "data" / "traces").glob("*.npz")) for s in specs]
    if wide is not None:      # each clip's own exercise, from its label beside the video (DIR/seedN/NAME.json)
        labels = {p.stem: p for p in wide.parent.glob("seed*/*.json")}
        out += [(str(t), json.loads(labels[t.stem].read_text())["exercise"]) for t in sorted(wide.glob("*.npz"))]
    return out


def compare(a: Path, b: Path) -> int:
    def read(path: Path) -> dict[tuple[str, str], dict]:
        return {(d["trace"], d["exercise"]): d for d in map(json.loads, path.read_text().splitlines())}
    before, after = read(a), read(b)
    differ = [key for key in before if key in after and before[key] != after[key]]
    missing = sorted(set(before) ^ set(after))
    for key in differ[:20]:
        fields = sorted(k for k in before[key]["report"] if before[key]["report"].get(k) != after[key]["report"].get(k))
        print(f"differs: {key[0]} under {key[1]}: report fields {fields}, "
              f"frames {'differ' if before[key]['frames'] != after[key]['frames'] else 'same'}")
    print(f"{len(before)} reports before, {len(after)} after; {len(differ)} differ; {len(missing)} in one only")
    return 1 if differ or missing else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", nargs="?", help="the JSON lines to write")
    parser.add_argument("--wide", type=Path, help="the wide corpus's traces folder (DIR/traces)")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if args.compare:
        return compare(*args.compare)
    if not args.out:
        parser.error("give the file to write, or --compare BEFORE AFTER")
    todo = jobs(args.wide)
    with ProcessPoolExecutor(args.workers) as pool, open(args.out, "w") as out:
        for i, line in enumerate(pool.map(_one, todo, chunksize=8), 1):
            out.write(line + "\n")
            if i % 100 == 0:
                print(f"{i}/{len(todo)}", file=sys.stderr)
    print(f"{len(todo)} reports in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

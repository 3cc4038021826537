"""The wide synthetic corpus behind README's accuracy figures: render it, read it, score it.

    python3 benchmarks/wide_corpus.py /tmp/wide             # as filmed
    python3 benchmarks/wide_corpus.py /tmp/wide --mirror    # every person lying the other way round

Five sets rendered by ``coach synth --variety wide`` (random bodies, clothes,
light, camera height 0.15-1.15 m, turned up to 45 deg, some cropped or
portrait), one folder per seed under DIR. A set is rendered only when its
folder does not hold all its clips yet: about 35 minutes for the 206 clips on
2 cores, two sets at a time. A seed renders the same clips on every run, so the
figures can be checked anywhere.

MediaPipe's landmarks are kept in DIR/traces (DIR/traces-mirrored with
``--mirror``): the first run reads every clip (about 10 minutes), later runs
re-score in about 2 minutes, so a spec change is measured on all 206 clips
quickly. The tables go to stdout and to DIR/eval.md (eval-mirrored.md).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

#: The ten timelines the first set was tuned on.
FIRST_TEN = ("bridge_demo", "plank_demo", "bird_dog_demo", "side_plank_demo", "superman_demo", "dead_bug_demo",
             "childs_pose_demo", "cat_cow_demo", "bridge_arched", "plank_pike")
#: The 22 timelines the other sets render: every demo and error timeline with something to count (the
#: pelvic tilt and 90-90 breathing, still holds, and the set-up timelines are left out).
ALL = FIRST_TEN + ("bird_dog_errors", "back_extension_demo", "prone_chest_lift_demo", "downward_dog_demo",
                   "hip_flexor_stretch_demo", "hamstring_stretch_demo", "hamstring_stretch_standing_demo",
                   "partial_curl_demo", "table_top_press_demo", "spinal_twist_demo", "glute_stretch_demo",
                   "hamstring_stretch_seated_demo")
#: seed -> (timelines, variants of each)
SETS: dict[int, tuple[tuple[str, ...], int]] = {7: (FIRST_TEN, 3), 11: (ALL, 2), 13: (ALL, 2), 17: (ALL, 2),
                                                19: (ALL, 2)}


def coach(*args: str) -> list[str]:
    return [sys.executable, "-m", "coach", *args]


def run_parallel(commands: list[list[str]], jobs: int, log: Path) -> None:
    """Run commands, ``jobs`` at a time; their output goes to ``log``; stop on the first failure."""
    with open(log, "a") as out:
        pending = list(commands)
        running: list[subprocess.Popen] = []
        while pending or running:
            while pending and len(running) < jobs:
                running.append(subprocess.Popen(pending.pop(0), stdout=out, stderr=subprocess.STDOUT))
            done = running.pop(0)
            if done.wait() != 0:
                for proc in running:
                    proc.kill()
                sys.exit(f"failed: {' '.join(map(str, done.args))} (see {log})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dir", type=Path, help="where the sets, their landmarks and the tables go")
    parser.add_argument("--mirror", action="store_true", help="read every frame mirrored (coach eval --mirror)")
    parser.add_argument("--jobs", type=int, default=2, help="sets rendered or read at a time (default 2)")
    args = parser.parse_args()

    folders = {seed: args.dir / f"seed{seed}" for seed in SETS}
    log = args.dir / "wide_corpus.log"
    args.dir.mkdir(parents=True, exist_ok=True)
    to_render = []
    for seed, (timelines, variants) in SETS.items():
        folder = folders[seed]
        if len(list(folder.glob("*.mp4"))) < len(timelines) * variants:
            folder.mkdir(exist_ok=True)
            to_render.append(coach("synth", *timelines, "--variants", str(variants), "--variety", "wide",
                                   "--seed", str(seed), "--out", str(folder)))
    if to_render:
        print(f"rendering {len(to_render)} set(s) into {args.dir} (log: {log})", flush=True)
        run_parallel(to_render, args.jobs, log)

    mirror = ["--mirror"] if args.mirror else []
    suffix = "-mirrored" if args.mirror else ""
    traces = args.dir / f"traces{suffix}"
    # Read each set once, in parallel, to keep its landmarks; the scoring pass below then replays them.
    unread = [f for f in folders.values() if any(not (traces / f"{v.stem}.npz").is_file() for v in f.glob("*.mp4"))]
    if unread:
        print(f"reading {len(unread)} set(s) with MediaPipe (log: {log})", flush=True)
        run_parallel([coach("eval", str(f), "--landmarks", str(traces), *mirror) for f in unread], args.jobs, log)
    result = subprocess.run(coach("eval", *map(str, folders.values()), "--landmarks", str(traces), *mirror,
                                  "--markdown", str(args.dir / f"eval{suffix}.md")))
    sys.exit(result.returncode)


if __name__ == "__main__":
    main()

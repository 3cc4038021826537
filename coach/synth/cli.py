"""``coach synth``: render synthetic exercise clips with exact labels."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any, Callable

TIMELINES = Path(__file__).resolve().parent / "timelines"


def add_synth_parser(sub: Any, handler: Callable[[argparse.Namespace], int]) -> None:
    p = sub.add_parser("synth", help="render a synthetic exercise clip with exact ground truth",
                       description="Render a timeline (TOML) to an mp4 plus a JSON file of per-frame labels. "
                                   f"Built-in timelines: {TIMELINES}")
    p.add_argument("timeline", nargs="+", help="timeline .toml file(s), or built-in names like bridge_demo")
    p.add_argument("--out", default=".", help="output folder (default: here)")
    p.add_argument("--seed", type=int, default=0, help="noise seed")
    p.add_argument("--workers", type=int, default=None, help="processes rendering frames (default: 2)")
    p.set_defaults(func=handler)


def run_synth(args: argparse.Namespace) -> int:
    from coach.errors import OutputError
    from coach.synth.generate import generate
    from coach.synth.timeline import load_timeline

    out_dir = Path(args.out)
    if not out_dir.is_dir():
        raise OutputError(f"output folder {out_dir} does not exist")
    for name in args.timeline:
        path = Path(name) if name.endswith(".toml") else TIMELINES / f"{name}.toml"
        timeline = load_timeline(path)
        target = out_dir / f"{timeline.name}.mp4"
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            if done == total or done % 15 == 0:
                print(f"\r{timeline.name}: {done}/{total} frames", end="", flush=True)

        data = generate(timeline, target, seed=args.seed, workers=args.workers, progress=progress)
        elapsed = time.monotonic() - started
        print(f"\r{target} ({len(data['frames'])} frames, {elapsed:.1f} s) + {target.with_suffix('.json').name}")
    return 0

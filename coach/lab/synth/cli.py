"""``coach synth``: render synthetic exercise clips with exact labels."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

TIMELINES = Path(__file__).resolve().parent / "timelines"


def add_synth_parser(sub: Any, handler: Callable[[argparse.Namespace], int]) -> None:
    p = sub.add_parser("synth", allow_abbrev=False, help="render a synthetic exercise clip with exact ground truth",
                       description="Render a timeline (TOML) to an mp4 plus a JSON file of per-frame labels. "
                                   f"Built-in timelines: {TIMELINES}")
    p.add_argument("timeline", nargs="+", help="timeline .toml file(s), or built-in names like bridge_demo")
    p.add_argument("--out", default=".", help="output folder (default: here)")
    p.add_argument("--seed", type=int, default=0, help="noise seed")
    p.add_argument("--workers", type=int, default=None, help="processes rendering frames (default: 2)")
    p.add_argument("--variants", type=int, default=0,
                   help="instead of the timeline's own scene, render N random scenes of it (NAME_vK.mp4)")
    p.add_argument("--variety", choices=("advised", "wide"), default="advised",
                   help="advised: camera where the specs say; wide: also laptop height, 45 deg, cropped")
    p.add_argument("--fps", type=float, default=None, help="frame rate instead of the timeline's own (15)")
    p.set_defaults(func=handler)


def run_synth(args: argparse.Namespace) -> int:
    import numpy as np

    from coach.errors import OutputError
    from coach.lab.synth.generate import generate
    from coach.lab.synth.scene import vary
    from coach.lab.synth.timeline import load_timeline

    out_dir = Path(args.out)
    if not out_dir.is_dir():
        raise OutputError(f"output folder {out_dir} does not exist")
    jobs = []
    for name in args.timeline:
        path = Path(name) if name.endswith(".toml") else TIMELINES / f"{name}.toml"
        timeline = load_timeline(path)
        if args.fps:
            if not 1 <= args.fps <= 240:
                raise OutputError(f"--fps: expected 1 to 240 frames per second, found {args.fps:g}")
            timeline.fps = args.fps
        if args.variants:
            rng = np.random.default_rng([args.seed, sum(map(ord, timeline.name))])
            for k in range(args.variants):
                variant = vary(timeline, rng, args.variety)
                variant.name = f"{timeline.name}_{args.variety[0]}{args.seed}_{k}"
                jobs.append(variant)
        else:
            jobs.append(timeline)
    tty = sys.stdout.isatty()
    for timeline in jobs:
        target = out_dir / f"{timeline.name}.mp4"
        started = time.monotonic()

        def progress(done: int, total: int, timeline=timeline) -> None:
            if tty:
                bar = "#" * int(30 * done / total)
                print(f"\r{timeline.name} [{bar:<30}] {done}/{total} frames", end="", flush=True)

        data = generate(timeline, target, seed=args.seed, workers=args.workers, progress=progress)
        elapsed = time.monotonic() - started
        end = "\r" if tty else ""
        print(f"{end}{target} ({len(data['frames'])} frames, {elapsed:.1f} s, "
              f"{elapsed / len(data['frames']) * 1000:.0f} ms/frame) + {target.with_suffix('.json').name}" + " " * 10)
    return 0

"""Recognising the exercise (``coach analyze VIDEO`` without ``-e``): figures, not a test.

1. Every labelled real dev clip (its recorded landmarks): the exercise of its longest part against
   its label, and every part found; the controls: any part is an error.
2. A workout joined from three real clips with 3 s of an empty picture between (landmarks): its
   parts in order, with reps and seconds held.
3. With ``--video``: the same workout made as a real video (``/tmp``, never in the project) and
   analysed end to end, with the time against ``-e`` for one exercise (the pose model reads the
   video in both; recognising runs every spec over the landmarks besides).
4. With ``--wide DIR``: the wide synthetic corpus's clips (the posture model's training data:
   this shows fit, not generalisation).

    python3 benchmarks/recognition.py [--video] [--wide /tmp/wide]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRACES = ROOT / "tests" / "data" / "traces"
SHARED = ROOT.parent / "shared" / "videos"
WORKOUT = ("glute_bridge/pal_frog_pump.mp4", "plank/kratika_spotebi_forearm_plank.mp4", "dead_bug/atc_dead_bug_cutout.mp4")
GAP_S = 3.0


def _specs():
    from coach.specs.reader import builtin_spec_paths, find_spec

    return [find_spec(e) for e in builtin_spec_paths()]


def _parts(frames):
    from coach.analysis.recognize import find_parts

    return find_parts(frames, _specs())


def real_clips() -> None:
    from coach.io.replay import Trace
    from coach.output.text import part_line

    labels = tomllib.loads((ROOT / "coach" / "lab" / "real_labels.toml").read_text())
    right = total = 0
    print("| clip | label | recognised (longest part) | parts |\n|---|---|---|---|")
    for clip in labels["clip"]:
        trace = TRACES / f"{Path(clip['file']).stem}.npz"
        if not trace.exists():
            continue
        parts = _parts(list(Trace(trace).poses()))
        longest = max(parts, key=lambda p: p.end_s - p.start_s).exercise if parts else "none"
        total += 1
        right += longest == clip["spec"]
        print(f"| {trace.stem} | {clip['spec']} | {longest}{'' if longest == clip['spec'] else ' (wrong)'} | "
              + "; ".join(part_line(p) for p in parts) + " |")
    print(f"\nreal dev clips: the exercise recognised on {right} of {total}")
    wrong = 0
    for control in labels.get("control", []):
        trace = TRACES / f"{Path(control['file']).stem}.npz"
        if trace.exists():
            parts = _parts(list(Trace(trace).poses()))
            wrong += bool(parts)
            print(f"control {trace.stem}: {len(parts)} parts" + (f" ({parts[0].exercise})" if parts else ""))
    print(f"controls with any part: {wrong}")


def joined_traces() -> None:
    from coach.io.replay import Trace
    from coach.output.text import part_line

    frames, t0 = [], 0.0
    for clip in WORKOUT:
        poses = list(Trace(TRACES / f"{Path(clip).stem}.npz").poses())
        step = poses[1][1] - poses[0][1]
        frames += [(pose, t0 + t) for pose, t in poses]
        end = frames[-1][1]
        frames += [(None, end + (i + 1) * step) for i in range(int(GAP_S / step))]
        t0 = frames[-1][1] + step
    started = time.perf_counter()
    parts = _parts(frames)
    took = time.perf_counter() - started
    print(f"\njoined workout (landmarks, {len(frames)} frames, {frames[-1][1]:.0f} s): recognised in {took:.1f} s")
    for part in parts:
        print(f"  {part_line(part)}")


def joined_video(out: Path) -> None:
    """The workout as one real video (640x360, 30 fps, black between), then analysed both ways."""
    import av
    import cv2
    import numpy as np

    from coach.app.batch import analyze_video, analyze_workout
    from coach.io.pose import create_estimator
    from coach.io.sources import VideoFile
    from coach.output.text import part_line
    from coach.specs.reader import find_spec

    size, fps = (640, 360), 30
    with av.open(str(out), "w") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = size[0], size[1], "yuv420p"
        for clip in WORKOUT:
            with VideoFile(SHARED / clip) as video:
                clip_fps, images = video.info.fps, [frame.image for frame in video.frames()]
            for i in range(int(len(images) / clip_fps * fps)):
                image = images[min(len(images) - 1, int(i * clip_fps / fps))]
                scale = min(size[0] / image.shape[1], size[1] / image.shape[0])
                small = cv2.resize(image, (int(image.shape[1] * scale), int(image.shape[0] * scale)))
                canvas = np.zeros((size[1], size[0], 3), np.uint8)
                y, x = (size[1] - small.shape[0]) // 2, (size[0] - small.shape[1]) // 2
                canvas[y:y + small.shape[0], x:x + small.shape[1]] = small
                container.mux(stream.encode(av.VideoFrame.from_ndarray(canvas, format="bgr24")))
            for _ in range(int(GAP_S * fps)):
                container.mux(stream.encode(av.VideoFrame.from_ndarray(np.zeros((size[1], size[0], 3), np.uint8),
                                                                       format="bgr24")))
        container.mux(stream.encode(None))
    estimator = create_estimator()
    try:
        started = time.perf_counter()
        workout = analyze_workout(out, _specs(), estimator)
        whole = time.perf_counter() - started
    finally:
        estimator.close()
    estimator = create_estimator()
    try:
        started = time.perf_counter()
        analyze_video(out, find_spec("bridge"), estimator)
        one = time.perf_counter() - started
    finally:
        estimator.close()
    print(f"\njoined workout as a video ({out}): {whole:.1f} s without -e, {one:.1f} s with -e bridge "
          f"({100 * (whole / one - 1):+.0f} %)")
    for part in workout.parts:
        print(f"  {part_line(part)}")


def wide(corpus: Path) -> None:
    from coach.io.replay import Trace

    labels = {p.stem: json.loads(p.read_text())["exercise"] for p in corpus.glob("seed*/*.json")}
    right = total = none = 0
    missed: dict[str, int] = {}
    for trace in sorted((corpus / "traces").glob("*.npz")):
        label = labels.get(trace.stem)
        if label is None:
            continue
        parts = _parts(list(Trace(trace).poses()))
        longest = max(parts, key=lambda p: p.end_s - p.start_s).exercise if parts else None
        total += 1
        right += longest == label
        none += longest is None
        if longest != label:
            missed[f"{label} -> {longest}"] = missed.get(f"{label} -> {longest}", 0) + 1
    print(f"\nwide synthetic corpus (training data): recognised {right} of {total}, nothing found on {none}")
    for pair, n in sorted(missed.items(), key=lambda kv: -kv[1]):
        print(f"  {pair}: {n}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--video", action="store_true", help="also make the workout as a video and time it")
    parser.add_argument("--wide", type=Path, help="the wide corpus folder (with traces/ and seedN/)")
    args = parser.parse_args()
    real_clips()
    joined_traces()
    if args.video:
        if not SHARED.is_dir():
            print(f"skipped the video: {SHARED} is not here")
        else:
            joined_video(Path("/tmp/coach_joined_workout.mp4"))
    if args.wide:
        wide(args.wide)
    return 0


if __name__ == "__main__":
    sys.exit(main())

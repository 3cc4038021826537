"""Counts, holds and warnings on the real clips in ../shared/videos against their labels.

    python benchmarks/eval_real_clips.py [--traces]

Runs `coach analyze`'s engine on every bridge, bird-dog and plank clip and on
the two negative controls (push-ups and squats, analysed with each of the
three specs: they must give no reps and no hold). Labels in labels.json are
free text; the numbers below are read from them by hand where they are clear
(None where they are not). ``--traces`` replays the recorded landmarks in
tests/data/traces instead of running MediaPipe (same numbers, seconds
instead of minutes).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.specs import find_spec  # noqa: E402

VIDEOS = ROOT.parent / "shared" / "videos"

#: clip -> (spec, label confidence, expected reps, expected hold s, expected warnings or None)
CASES = {
    "plank/gymnai_forearm_plank.mp4": ("plank", "high", None, 8.0, set()),
    "plank/kaiakol_plank_correct_005.mp4": ("plank", "high", None, 6.5, set()),
    "plank/kaiakol_plank_correct_006.mp4": ("plank", "medium", None, 3.3, {"hips_piked"}),
    "plank/malik_plank_tutorial.mp4": ("plank", "medium", None, 38.0, None),
    "plank/wahoo_elbow_plank_pike.mp4": ("plank", "low", None, None, {"hips_piked"}),
    "glute_bridge/malik_butt_bridge_tutorial.mp4": ("bridge", "medium", 8, None, set()),
    "glute_bridge/pal_frog_pump.mp4": ("bridge", "medium", 8, None, set()),
    "glute_bridge/douyin_bridge_right_wrong.mp4": ("bridge", "medium", None, None, None),
    "bird_dog/gymnai_bird_dog_overlay.mp4": ("bird_dog", "medium", 1, 4.0, set()),
}
CONTROLS = ["pushup_control/mrpose_pushup_with_trainer.mp4", "squat_control/nikan_squat_side.mp4"]


def analyse(clip: str, exercise: str, use_traces: bool) -> dict:
    if use_traces:
        from coach.engine import run_poses
        from coach.replay import Trace

        return run_poses(find_spec(exercise), Trace(ROOT / "tests" / "data" / "traces" / (Path(clip).stem + ".npz")).poses())
    from coach.batch import analyze_video
    from coach.pose import LegacyBlazePose

    estimator = LegacyBlazePose()
    try:
        return analyze_video(VIDEOS / clip, find_spec(exercise), estimator)
    finally:
        estimator.close()


def fmt(value) -> str:
    return "-" if value is None else (f"{value:g}" if isinstance(value, (int, float)) else str(value))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--traces", action="store_true", help="replay recorded landmarks instead of video")
    args = parser.parse_args()
    if not VIDEOS.is_dir() and not args.traces:
        sys.exit(f"{VIDEOS} is absent: nothing to evaluate (try --traces)")
    print("| clip | spec | conf. | reps label | reps | hold label s | hold s (in form) | warnings label | warnings |")
    print("|---|---|---|---|---|---|---|---|---|")
    for clip, (exercise, conf, reps, hold, warns) in CASES.items():
        r = analyse(clip, exercise, args.traces)
        got_reps = r["reps"]["count"]
        partial = f" +{r['reps']['partial']}p" if r["reps"]["partial"] else ""
        by_side = r["reps"]["by_side"]
        side = f" (L{by_side['left']} R{by_side['right']})" if by_side else ""
        got_w = sorted({w["id"] for w in r["warnings"]})
        print(f"| {Path(clip).name} | {exercise} | {conf} | {fmt(reps)} | {got_reps}{partial}{side} | {fmt(hold)} | "
              f"{r['hold']['total_s']:.1f} ({r['hold']['in_form_s']:.1f}) | "
              f"{', '.join(sorted(warns)) if warns else ('none' if warns == set() else '-')} | {', '.join(got_w) or 'none'} |")
    for clip in CONTROLS:
        for exercise in ("bridge", "bird_dog", "plank"):
            r = analyse(clip, exercise, args.traces)
            print(f"| {Path(clip).name} (control) | {exercise} | medium | 0 | {r['reps']['count']}"
                  f"{' +' + str(r['reps']['partial']) + 'p' if r['reps']['partial'] else ''} | 0 | "
                  f"{r['hold']['total_s']:.1f} | none | {', '.join(sorted({w['id'] for w in r['warnings']})) or 'none'} |")


if __name__ == "__main__":
    main()

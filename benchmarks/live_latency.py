"""The live loop's latency: a video played as the camera, with and without the window.

    python benchmarks/live_latency.py [--clip CLIP] [--exercise bridge] [--seconds 20]

Runs `coach live` on a clip played at its own pace as if it were a camera
(default: the 30 fps real frog-pump clip of ../shared/videos, else the bridge
sample), once without a window and once with the window on a virtual screen
(Xvfb, started here when there is no DISPLAY), and prints what the session's
report measured: per frame, the time from the camera's capture of the frame
until it was on the screen (or analysed, without a window) as p50, p95 and
max; the frames the camera sent that the loop skipped because it was busy
(the reader keeps only the newest frame, so there is never a backlog); and
the frames a second the loop showed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from virtual_screen import start_xvfb  # noqa: E402

REAL = ROOT.parent / "shared" / "videos" / "glute_bridge" / "pal_frog_pump.mp4"


def run(clip: Path, exercise: str, seconds: float, window: bool, env: dict[str, str]) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "live.json"
        args = [sys.executable, "-m", "coach", "live", "-e", exercise, "--camera", str(clip), "--no-voice",
                "--no-setup-check", "--max-seconds", str(seconds), "--report", str(report), "--no-mirror"]
        if not window:
            args.append("--no-display")
        proc = subprocess.Popen(args, cwd=ROOT, env={**env, "XDG_DATA_HOME": tmp, "COACH_HISTORY": f"{tmp}/h.sqlite"},
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # The window's end screen stays until a key: once the report is written, the measurement is done.
        deadline = time.monotonic() + seconds + 120
        while proc.poll() is None and not report.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(0.5)
        if proc.poll() is None:
            proc.terminate()
        proc.wait(timeout=30)
        return json.loads(report.read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clip", type=Path, default=REAL if REAL.is_file() else ROOT / "sample_videos" / "bridge_demo.mp4")
    parser.add_argument("--exercise", default="bridge")
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    env = dict(os.environ)
    xvfb = None
    if not env.get("DISPLAY") and shutil.which("Xvfb"):
        xvfb, env["DISPLAY"] = start_xvfb()
    try:
        print(f"{args.clip.name} played as the camera for {args.seconds:g} s\n")
        print("| window | latency p50 ms | p95 ms | max ms | frames dropped | fps shown |")
        print("|---|---|---|---|---|---|")
        for window in (False, True):
            if window and not env.get("DISPLAY"):
                print("| on screen | (no DISPLAY and no Xvfb) | | | | |")
                continue
            report = run(args.clip, args.exercise, args.seconds, window, env)
            lat = report.get("latency_ms", {})
            print(f"| {'on screen (Xvfb)' if window else 'none'} | {lat.get('p50')} | {lat.get('p95')} | "
                  f"{lat.get('max')} | {report.get('frames_dropped')} | {report.get('live_fps')} |")
    finally:
        if xvfb is not None:
            xvfb.terminate()


if __name__ == "__main__":
    main()

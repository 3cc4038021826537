"""The live loop: camera -> pose -> session -> overlay window, until q, Ctrl-C or camera loss.

Everything stateful runs on this one thread; the camera's reader thread only
keeps the newest frame. On every exit the summary is printed by the CLI and
the report saved; the event log is written as the session goes.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2

from coach.engine import Recorder
from coach.errors import CameraError, CoachError
from coach.pose import PoseEstimator
from coach.render import OverlayRenderer
from coach.sources import Camera
from coach.specs import ExerciseSpec

WINDOW = "coach"
DISPLAY_WIDTH = 960


@dataclass
class LiveResult:
    report: dict[str, Any]
    ended_by: str
    frames: int = 0
    fps: float = 0.0


def run_live(spec: ExerciseSpec, camera: int | str, estimator: PoseEstimator, *, display: bool = True,
             events: str | Path | None = None, mirror: bool = True, max_seconds: float | None = None,
             screenshot: str | Path | None = None, frame_timeout_s: float = 3.0) -> LiveResult:
    """Run a live session and return its report and why it ended.

    ``camera`` is an index or a video file played at real-time pace.
    ``screenshot`` saves the last shown window image (for checking the view).
    """
    if display and not os.environ.get("DISPLAY") and os.name != "nt":
        raise CoachError("no screen to show the window on (DISPLAY is not set); use --no-display")
    recorder = Recorder(spec, events)
    renderer = OverlayRenderer(spec, mirror=mirror)
    ended_by = "end of video"
    frames = 0
    started = time.monotonic()
    fps = 0.0
    paused = False
    last_image = None
    t = 0.0
    try:
        with Camera(camera) as cam:
            window_ready = False
            while True:
                if max_seconds is not None and time.monotonic() - started >= max_seconds:
                    ended_by = "time limit"
                    break
                frame = cam.read(timeout_s=frame_timeout_s)
                if frame is None:
                    break
                t = frame.t
                if not paused:
                    snapshot = recorder.step(estimator.detect(frame.image, frame.t), frame.t)
                    frames += 1
                    elapsed = time.monotonic() - started
                    fps = frames / elapsed if elapsed > 0 else 0.0
                    if display or screenshot is not None:
                        # Small cameras are shown enlarged so the text stays readable.
                        zoom = max(1.0, DISPLAY_WIDTH / frame.image.shape[1]) if display else 1.0
                        last_image = renderer.annotate(frame.image, snapshot, fps=fps, zoom=zoom)
                if display and last_image is not None:
                    if not window_ready:
                        cv2.namedWindow(WINDOW, cv2.WINDOW_NORMAL | cv2.WINDOW_KEEPRATIO | cv2.WINDOW_GUI_NORMAL)
                        cv2.resizeWindow(WINDOW, last_image.shape[1], last_image.shape[0])
                        window_ready = True
                    cv2.imshow(WINDOW, last_image)
                    key = cv2.waitKey(1) & 0xFF
                    if key in (ord("q"), 27):
                        ended_by = "quit"
                        break
                    if key == ord(" "):
                        paused = not paused
                    elif key == ord("r"):
                        recorder.restart()
                    if cv2.getWindowProperty(WINDOW, cv2.WND_PROP_VISIBLE) < 1:
                        ended_by = "window closed"
                        break
    except KeyboardInterrupt:
        ended_by = "interrupted"
    except CameraError as exc:
        if frames == 0:
            raise
        ended_by = f"camera lost: {exc}"
    finally:
        if screenshot is not None and last_image is not None:
            cv2.imwrite(str(screenshot), last_image)
        if display:
            cv2.destroyAllWindows()
    report = recorder.close(video={"source": str(camera), "frames": frames, "duration_s": round(t, 3)},
                            interrupted=ended_by not in ("quit", "end of video", "time limit", "window closed"),
                            backend=estimator.name)
    report["ended_by"] = ended_by
    report["live_fps"] = round(fps, 1)
    return LiveResult(report=report, ended_by=ended_by, frames=frames, fps=fps)

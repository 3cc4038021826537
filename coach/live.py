"""The live loop: camera -> pose -> session -> overlay window, until q, Ctrl-C or camera loss.

One exercise (:class:`SingleExercise`) or a routine
(:class:`~coach.routines.RoutinePlayer`) runs in the same loop; keys: q quit,
space pause, r restart the counts, n next and b back in a routine, m mute.

Everything stateful runs on this one thread; the camera's reader thread only
keeps the newest frame. On every exit the summary is printed by the CLI and
the report saved; the event log is written as the session goes.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2

from coach.engine import Recorder
from coach.errors import CameraError, CoachError
from coach.moments import WorstMoments
from coach.pose import PoseEstimator
from coach.render import OverlayRenderer, message_view
from coach.routines import RoutinePlayer
from coach.safety import SAFETY_SHORT, SHOW_FOR_S
from coach.setup_check import SetupCheck
from coach.sources import Camera
from coach.specs import ExerciseSpec
from coach.types import Pose, Snapshot
from coach.voice import Voice

WINDOW = "coach"
DISPLAY_WIDTH = 960


@dataclass
class LiveResult:
    report: dict[str, Any]
    ended_by: str
    frames: int = 0
    fps: float = 0.0
    moments: dict[int, WorstMoments] = field(default_factory=dict)   # per exercise index


class SingleExercise:
    """One exercise as a live program (a routine of one, without rests)."""

    def __init__(self, spec: ExerciseSpec, events: str | Path | None = None) -> None:
        self.spec = spec
        self.recorder = Recorder(spec, events)
        self.finished = False

    def step(self, pose: Pose | None, t: float) -> Snapshot | None:
        return self.recorder.step(pose, t)

    def notice(self, t: float) -> list[str]:
        return []

    def next(self, t: float) -> None:
        """No next exercise: n does nothing here."""

    def back(self, t: float) -> None:
        self.recorder.restart()

    def close(self) -> dict[str, Any]:
        return self.recorder.close()


def _renderer(cache: dict[str, OverlayRenderer], spec: ExerciseSpec, mirror: bool) -> OverlayRenderer:
    """One renderer per exercise of the session, made once."""
    if spec.id not in cache:
        cache[spec.id] = OverlayRenderer(spec, mirror=mirror)
    return cache[spec.id]


def run_live(program: SingleExercise | RoutinePlayer, camera: int | str, estimator: PoseEstimator, *,
             display: bool = True, mirror: bool = True, max_seconds: float | None = None,
             screenshot: str | Path | None = None, frame_timeout_s: float = 3.0,
             setup_check: bool = False, voice: Voice | None = None) -> LiveResult:
    """Run a live session (one exercise or a routine) and return its report and why it ended.

    ``camera`` is an index or a video file played at real-time pace.
    ``screenshot`` saves the last shown window image (for checking the view).
    The safety advice is on screen for the first seconds. ``setup_check``
    first checks the camera's placement (see :mod:`coach.setup_check`) and
    counts down; ``voice`` speaks cues (m mutes it).
    """
    if display and not os.environ.get("DISPLAY") and os.name != "nt":
        raise CoachError("no screen to show the window on (DISPLAY is not set); use --no-display")
    renderers: dict[str, OverlayRenderer] = {}
    moments: dict[int, WorstMoments] = {}
    ended_by = "end of video"
    frames = 0
    started = time.monotonic()
    fps = 0.0
    paused = False
    last_image = None
    t = 0.0
    first_t: float | None = None
    setup = SetupCheck(program.spec) if setup_check else None
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
                first_t = t if first_t is None else first_t
                if not paused:
                    pose = estimator.detect(frame.image, frame.t)
                    setup_lines = setup.update(pose, frame.t) if setup is not None else []
                    snapshot = None if setup_lines else program.step(pose, frame.t)
                    if voice is not None and snapshot is not None:
                        voice.on_snapshot(snapshot)
                    frames += 1
                    elapsed = time.monotonic() - started
                    fps = frames / elapsed if elapsed > 0 else 0.0
                    if snapshot is not None and snapshot.warnings:
                        renderer = _renderer(renderers, program.spec, mirror)
                        index = getattr(program, "index", 0)
                        if index not in moments:
                            moments[index] = WorstMoments(program.spec)
                        moments[index].update(snapshot, lambda: renderer.annotate(frame.image, snapshot))
                    if display or screenshot is not None:
                        # Small cameras are shown enlarged so the text stays readable.
                        zoom = max(1.0, DISPLAY_WIDTH / frame.image.shape[1]) if display else 1.0
                        notice = setup_lines or program.notice(t)
                        if t - first_t < SHOW_FOR_S:
                            notice = [*notice, SAFETY_SHORT]
                        if snapshot is None:
                            last_image = message_view(frame.image, notice, zoom=zoom, mirror=mirror,
                                                      pose=pose if setup_lines else None)
                        else:
                            renderer = _renderer(renderers, program.spec, mirror)
                            last_image = renderer.annotate(frame.image, snapshot, fps=fps, zoom=zoom, notice=notice)
                    if program.finished:
                        ended_by = "routine done"
                        break
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
                    elif key in (ord("r"), ord("b")):
                        program.back(t)
                    elif key == ord("n"):
                        program.next(t)
                    elif key == ord("m") and voice is not None:
                        voice.toggle_mute()
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
        if voice is not None:
            voice.close()
    report = program.close()
    if isinstance(program, SingleExercise):
        # Re-built with the session's context (the recorder's own report has none).
        report.update(video={"source": str(camera), "frames": frames, "duration_s": round(t, 3)},
                      pose_backend=estimator.name, people_seen=estimator.most_people)
    report["interrupted"] = ended_by not in ("quit", "end of video", "time limit", "window closed", "routine done")
    report["ended_by"] = ended_by
    report["live_fps"] = round(fps, 1)
    return LiveResult(report=report, ended_by=ended_by, frames=frames, fps=fps, moments=moments)

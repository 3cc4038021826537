"""The live loop: camera -> pose -> session -> screen, until q, Ctrl-C or camera loss.

One exercise (:class:`SingleExercise`) or a routine
(:class:`~coach.app.routine_player.RoutinePlayer`) runs in the same loop through the
:class:`LiveProgram` interface. Keys (:data:`KEYS`): q quit, space pause,
r restart the counts, n next and b back in a routine, m mute, d details,
f full screen on or off, Esc out of full screen (in a window: stop).

Everything stateful runs on this one thread; the camera's reader thread only
keeps the newest frame. The event log is written as the session goes; on
every exit the report is built, handed to ``save`` (the CLI writes it) and,
with a window, summed up on an end screen.
"""

from __future__ import annotations

import os
import time
import webbrowser
from array import array
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any, Protocol

import cv2
import numpy as np

from coach.analysis.recorder import Recorder
from coach.analysis.report import Latency, Report, RoutineReport, SessionContext, StartedAt, Video, WorkoutReport
from coach.app.setup_check import SetupCheck
from coach.errors import CameraError, CoachError
from coach.io.pose import PoseEstimator
from coach.io.sources import Camera
from coach.output.moments import WorstMoments
from coach.output.overlay import OverlayRenderer, summary_view
from coach.output.screen import LiveScreen, SetupView, paused_view
from coach.output.sinks import EventLog
from coach.output.text import end_screen_lines
from coach.output.voice import Voice
from coach.output.write import Finished
from coach.specs.model import ExerciseSpec
from coach.types import Frame, Pose, Snapshot

WINDOW = "coach"
RESET_SHOWN_S = 1.5
START_ADVICE_SHOWN_S = 6.0
#: The end screen stays until a key is pressed; this long at most, when nobody is there to.
END_SCREEN_S = 600.0

#: Pictures read a second, over the last SLOW_WINDOW_S, below which SLOW_NOTICE shows. Skipping some of a
#: 30 fps camera's frames costs nothing (counts and holds stay exact at 5-15 fps on the real clips,
#: benchmarks/real_robustness.py); only a rate this low is worth telling the person about.
SLOW_FPS = 8.0
SLOW_WINDOW_S = 3.0
#: Poses of the set-up check kept to count once it hands over: 60 s at 30 fps, far more than the
#: check's own limit, so nothing done while it ran is lost.
SETUP_POSES_KEPT = 1800

KEYS = {ord("q"): "quit", 27: "escape", ord(" "): "pause", ord("r"): "back", ord("b"): "back", ord("n"): "next",
        ord("m"): "mute", ord("d"): "details", ord("f"): "fullscreen"}


class LiveProgram(Protocol):
    """What the live loop runs: one exercise or a routine."""

    @property
    def spec(self) -> ExerciseSpec: ...          # the exercise now

    @property
    def index(self) -> int: ...                  # its place in the routine (0 for one exercise)

    @property
    def finished(self) -> bool: ...

    def step(self, pose: Pose | None, t: float) -> Snapshot | None:
        """Advance to ``t``; None while there is no exercise to show (a routine's rest)."""

    def notice(self, t: float) -> list[str]: ...

    def between(self, t: float) -> tuple[str, str, str] | None:
        """What the screen says instead of an exercise, if that is now: a title, big words and a line
        ("REST", "REST 12 s", "Next: Plank, 3 x 10 s")."""

    def next(self, t: float) -> None: ...

    def back(self, t: float) -> None: ...

    def close(self, context: SessionContext | None = None) -> Report | RoutineReport | WorkoutReport:
        """End and return the report, with the session's ``context`` (if given) in it."""

    def exercises(self) -> dict[int, Finished]:
        """After ``close``: each exercise done (by its place in the routine), for its files."""

    def ending(self) -> tuple[str, list[str]]:
        """After ``close``: the end screen's title and its few lines."""


@dataclass
class LiveResult:
    report: Report | RoutineReport | WorkoutReport
    ended_by: str
    frames: int = 0
    fps: float = 0.0
    exercises: dict[int, Finished] = field(default_factory=dict)   # per place in the routine, with pictures


class SingleExercise:
    """One exercise as a live program: r starts the counts again, n does nothing."""

    index = 0

    def __init__(self, spec: ExerciseSpec, events: str | Path | None = None,
                 header: dict[str, Any] | None = None) -> None:
        self.spec = spec
        self.recorder = Recorder(spec, EventLog(events, header) if events else None)
        self.finished = False
        self.report: Report | None = None

    def step(self, pose: Pose | None, t: float) -> Snapshot | None:
        return self.recorder.step(pose, t)

    def notice(self, t: float) -> list[str]:
        return []

    def between(self, t: float) -> tuple[str, str, str] | None:
        return None

    def next(self, t: float) -> None:
        """No next exercise."""

    def back(self, t: float) -> None:
        self.recorder.restart()

    def close(self, context: SessionContext | None = None) -> Report:
        report = self.recorder.close()
        if context is not None:
            report = replace(report, **context.context())
        if context is not None and context.setup is not None and not context.setup.completed:
            why = "; ".join(context.setup.advice) or "the session ended during the countdown"
            report = replace(report, message=f"Set-up not completed: {why}")
        self.report = report
        return report

    def exercises(self) -> dict[int, Finished]:
        return {0: Finished(self.report, self.recorder.series, self.spec)} if self.report else {}

    def ending(self) -> tuple[str, list[str]]:
        cues = {w.id: w.cue for w in self.spec.warnings}
        return f"{self.spec.name}: done", end_screen_lines(self.report, cues) if self.report else []


@dataclass
class _Session:
    """One live session's running state: :meth:`step` per camera frame, :meth:`on_key` per key."""

    program: LiveProgram
    estimator: PoseEstimator
    screen: LiveScreen
    setup: SetupCheck | None
    voice: Voice | None
    draw: bool
    started: float = field(default_factory=time.monotonic)
    started_at: str = field(default_factory=lambda: datetime.now().astimezone().isoformat(timespec="seconds"))
    frames: int = 0
    fps: float = 0.0
    t: float = 0.0
    first_t: float | None = None
    paused: bool = False
    shown: np.ndarray | None = None
    last_exercise_screen: np.ndarray | None = None
    moments: dict[int, WorstMoments] = field(default_factory=dict)
    _picture_renderers: dict[str, OverlayRenderer] = field(default_factory=dict)   # worst-moment pictures
    size: tuple[int, int] | None = None     # the camera's picture, width and height
    dropped: int = 0
    latencies: array = field(default_factory=lambda: array("d"))    # capture to shown, seconds
    _recent_t: deque = field(default_factory=deque)     # the times of the frames of the last SLOW_WINDOW_S
    # Poses seen while the set-up check runs (it gives up after about 10 s, so this stays small).
    _during_setup: deque = field(default_factory=lambda: deque(maxlen=SETUP_POSES_KEPT))

    def step(self, frame: Frame) -> None:
        """Pose, set-up check or exercise, voice, worst moments and the screen, for one frame."""
        self.t = frame.t
        self.size = (frame.image.shape[1], frame.image.shape[0])
        self.first_t = frame.t if self.first_t is None else self.first_t
        self.dropped += frame.dropped
        self._recent_t.append(frame.t)
        while frame.t - self._recent_t[0] > SLOW_WINDOW_S:
            self._recent_t.popleft()
        span = frame.t - self._recent_t[0]
        self.screen.slow = span >= SLOW_WINDOW_S * 0.9 and (len(self._recent_t) - 1) / span < SLOW_FPS
        if self.paused:
            return
        program = self.program
        pose = self.estimator.detect(frame.image, frame.t)
        view = _setup_step(self.setup, pose, frame.t, self.screen, self.voice)
        if view is not None:
            # The set-up check watches; what the person did meanwhile counts once it hands over,
            # as in an analysis of the same video (people start before the countdown ends).
            self._during_setup.append((pose, frame.t))
            snapshot = None
        else:
            for early_pose, early_t in self._during_setup:
                program.step(early_pose, early_t)
            self._during_setup.clear()
            snapshot = program.step(pose, frame.t)
        if self.voice is not None and snapshot is not None:
            self.voice.on_snapshot(snapshot)
        self.frames += 1
        elapsed = time.monotonic() - self.started
        self.fps = self.frames / elapsed if elapsed > 0 else 0.0
        if snapshot is not None and snapshot.warnings:
            if program.spec.id not in self._picture_renderers:
                self._picture_renderers[program.spec.id] = OverlayRenderer(program.spec)
            renderer = self._picture_renderers[program.spec.id]
            self.moments.setdefault(program.index, WorstMoments(program.spec)).update(
                snapshot, partial(renderer.annotate, frame.image, snapshot))
        if self.draw:
            self.shown = self.screen.draw(frame.image, program.spec, list(program.notice(frame.t)),
                                          program.between(frame.t), pose, snapshot, view, frame.t, self.first_t,
                                          self.fps)
            if snapshot is not None:
                self.last_exercise_screen = self.shown

    def note_latency(self, frame: Frame) -> None:
        if frame.captured is not None:
            self.latencies.append(time.monotonic() - frame.captured)

    def on_key(self, action: str | None, window: _Window) -> str | None:
        """Do what a key asks; returns why the session ends, if it does."""
        if action == "quit":
            return "quit"
        if action == "pause":
            self.paused = not self.paused
        elif action == "back":
            self.program.back(self.t)
            self.screen.reset_until = self.t + RESET_SHOWN_S
        elif action == "next":
            self.program.next(self.t)
        elif action == "mute" and self.voice is not None:
            self.voice.toggle_mute()
        elif action == "details":
            self.screen.details = not self.screen.details
        elif action == "fullscreen":
            window.toggle_fullscreen()
        elif action == "escape":
            # Esc leaves full screen, as everywhere; in a window it stops, as it always did.
            if not window.full:
                return "quit"
            window.toggle_fullscreen()
        return "window closed" if window.closed() else None

    def result(self, camera: int | str, ended_by: str) -> LiveResult:
        """Close the program and build the report with the session's context."""
        name = Path(camera).name if isinstance(camera, str) else f"camera {camera}"
        latency = None
        if self.latencies:
            ms = sorted(1000.0 * v for v in self.latencies)
            latency = Latency(p50=round(ms[len(ms) // 2], 1), p95=round(ms[int(0.95 * (len(ms) - 1))], 1),
                              max=round(ms[-1], 1))
        context = SessionContext(
            interrupted=ended_by not in NORMAL_ENDS, video=Video(source=str(camera), name=name, frames=self.frames, duration_s=round(self.t, 3),
                        width=self.size[0] if self.size else None, height=self.size[1] if self.size else None),
            started_at=StartedAt(self.started_at, "clock"), pose_backend=self.estimator.name,
            people_seen=self.estimator.most_people, setup=self.setup.result(self.t) if self.setup else None,
            ended_by=ended_by, live_fps=round(self.fps, 1), frames_dropped=self.dropped, latency_ms=latency)
        report = self.program.close(context)
        exercises = self.program.exercises()
        for index, done in exercises.items():
            done.moments = self.moments[index].best() if index in self.moments else []
        return LiveResult(report=report, ended_by=ended_by, frames=self.frames, fps=self.fps, exercises=exercises)


#: Ways a session ends that are not an interruption.
NORMAL_ENDS = ("quit", "end of video", "time limit", "window closed", "routine done")


def run_live(program: LiveProgram, camera: int | str, estimator: PoseEstimator, *,
             display: bool = True, mirror: bool | None = None, max_seconds: float | None = None,
             screenshot: str | Path | None = None, frame_timeout_s: float = 3.0,
             setup_check: bool = False, voice: Voice | None = None,
             save: Callable[[LiveResult], str] | None = None, end_screen_s: float = END_SCREEN_S,
             full_screen: bool = True) -> LiveResult:
    """Run a live session (one exercise or a routine) and return its report and why it ended.

    ``camera`` is an index or a video file played at real-time pace; ``mirror``
    (default: a camera yes, a video file no) shows the picture like a mirror.
    ``screenshot`` saves the last exercise screen (for checking the view).
    ``setup_check`` first checks the camera's placement (see
    :mod:`coach.app.setup_check`) and counts down; ``voice`` speaks cues (m mutes
    it). ``save`` is called with the result before the end screen and returns
    where the report went, which the end screen shows. ``full_screen`` (the default: a person
    on the mat cannot reach the keyboard, and the words must be read from 2-3 m) starts the window
    full screen; f toggles it, Esc leaves it.
    """
    if display:
        require_display()
    session = _Session(program, estimator, LiveScreen(mirror=shown_mirrored(camera, mirror)),
                       SetupCheck(program.spec) if setup_check else None, voice,
                       draw=display or screenshot is not None)
    window = _Window(full_screen) if display else None
    ended_by = "end of video"
    try:
        with Camera(camera) as cam:
            while True:
                if max_seconds is not None and time.monotonic() - session.started >= max_seconds:
                    ended_by = "time limit"
                    break
                frame = cam.read(timeout_s=frame_timeout_s)
                if frame is None:
                    break
                session.step(frame)
                if program.finished:
                    ended_by = "routine done"
                    break
                if window is not None and session.shown is not None:
                    window.show(paused_view(session.shown) if session.paused else session.shown)
                    action = KEYS.get(window.key())
                    session.note_latency(frame)                          # captured -> on the screen
                    ended = session.on_key(action, window)
                    if ended:
                        ended_by = ended
                        break
                elif not session.paused:
                    session.note_latency(frame)                          # captured -> analysed
    except KeyboardInterrupt:
        ended_by = "interrupted"
    except CameraError as exc:
        if session.frames == 0:
            if window is not None:
                window.close()
            raise
        ended_by = f"camera lost: {exc}"
    finally:
        last = session.last_exercise_screen if session.last_exercise_screen is not None else session.shown
        if screenshot is not None and last is not None:
            cv2.imwrite(str(screenshot), last)
        if voice is not None:
            voice.close()
    result = session.result(camera, ended_by)
    saved = save(result) if save is not None else ""
    if window is not None:
        if session.shown is not None and ended_by not in ("window closed", "interrupted"):
            window.end_screen(_end_screen(session.shown, program, saved), end_screen_s,
                              saved if saved.endswith(".html") else "")
        window.close()
    return result


def require_display() -> None:
    """Fail at once, before the model loads, when there is no screen for the window."""
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY") and os.name != "nt":
        raise CoachError("no screen to show the window on (DISPLAY is not set); use --no-display")


def shown_mirrored(camera: int | str, mirror: bool | None) -> bool:
    """A camera is shown like a mirror (what people expect of a webcam), a video file as filmed,
    unless ``mirror`` says otherwise."""
    return (not isinstance(camera, str)) if mirror is None else mirror


def _setup_step(setup: SetupCheck | None, pose: Pose | None, t: float, screen: LiveScreen,
                voice: Voice | None) -> SetupView | None:
    """The set-up check's view this frame; when it gives up, its advice is shown (and said) once."""
    if setup is None or setup.done:
        return None
    view = setup.update(pose, t)
    if view is not None and view.countdown is not None and view.countdown != screen.said_count:
        screen.said_count = view.countdown
        if voice is not None:
            voice.say(str(view.countdown))
    if setup.done and not setup.passed:
        advice = setup.advice()
        if advice:
            screen.advice, screen.advice_until = f"Starting anyway. {advice}", t + START_ADVICE_SHOWN_S
            if voice is not None:
                voice.say(advice.split(":")[0])
    return view


def _end_screen(last: np.ndarray, program: LiveProgram, saved: str) -> np.ndarray:
    title, lines = program.ending()
    footer = (f"Report: {saved}   (o opens it in the browser, any other key closes)" if saved
              else "(any key closes)")
    return summary_view(last, title, lines, footer).image


class _Window:
    """The OpenCV window: made on the first frame, full screen on f, closed once."""

    def __init__(self, full_screen: bool = True) -> None:
        self._made = False
        self._seen_open = False
        self._full = full_screen

    def show(self, image: np.ndarray) -> None:
        if not self._made:
            cv2.namedWindow(WINDOW, cv2.WINDOW_NORMAL | cv2.WINDOW_KEEPRATIO | cv2.WINDOW_GUI_NORMAL)
            cv2.resizeWindow(WINDOW, image.shape[1], image.shape[0])
            self._made = True
            if self._full:
                cv2.setWindowProperty(WINDOW, cv2.WND_PROP_FULLSCREEN, cv2.WINDOW_FULLSCREEN)
        cv2.imshow(WINDOW, image)

    def key(self, wait_ms: int = 1) -> int:
        return cv2.waitKey(wait_ms) & 0xFF

    @property
    def full(self) -> bool:
        return self._full

    def toggle_fullscreen(self) -> None:
        self._full = not self._full
        cv2.setWindowProperty(WINDOW, cv2.WND_PROP_FULLSCREEN,
                              cv2.WINDOW_FULLSCREEN if self._full else cv2.WINDOW_NORMAL)

    def closed(self) -> bool:
        """The person closed the window: it was seen open and is no longer. A window the window
        system has not shown yet (a slow or busy display) is not a closed one."""
        if not self._made:
            return False
        try:
            visible = cv2.getWindowProperty(WINDOW, cv2.WND_PROP_VISIBLE) >= 1
        except cv2.error:
            # Qt's backend drops the window when its close button (or alt+F4) closes it, and then
            # fails to read it ("NULL guiReceiver"): a window that is gone is closed.
            return self._seen_open
        self._seen_open = self._seen_open or visible
        return self._seen_open and not visible

    def end_screen(self, image: np.ndarray, seconds: float, report: str = "") -> None:
        """Show the summary until a key is pressed (o opens ``report`` in the browser first), the
        window is closed, or ``seconds`` pass (nobody there to press one)."""
        self.show(image)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not self.closed():
            key = self.key(100)
            if key == ord("o") and report:
                webbrowser.open(Path(report).resolve().as_uri())
            elif key != 255:
                return

    def close(self) -> None:
        if self._made:
            cv2.destroyAllWindows()
            self._made = self._seen_open = False

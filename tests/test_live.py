"""The live loop with a fake camera and pose model: every way a session ends saves its report."""

from __future__ import annotations

import json

import bodies2d as b
import numpy as np
import pytest

from coach.app import live
from coach.errors import CameraError
from coach.types import Frame


class FakeCamera:
    """Delivers frames at 30 fps of fake time, then fails as an unplugged camera would."""

    def __init__(self, source, frames: int = 90, fail: bool = True) -> None:
        self.frames, self.fail, self.index = frames, fail, 0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None

    def read(self, timeout_s: float = 2.0):
        if self.index >= self.frames:
            if self.fail:
                raise CameraError("no new frame from camera 0 for 3 s (frozen or disconnected)")
            return None
        self.index += 1
        return Frame(np.zeros((480, 640, 3), np.uint8), self.index - 1, self.index / 30.0)


class PlankEstimator:
    """Pretends to find a person holding a straight plank."""

    name = "fake"
    most_people = 1

    def detect(self, image, t):
        return b.plank(0.0)

    def close(self):
        pass


def test_camera_lost_mid_session_keeps_the_report(monkeypatch, tmp_path):
    monkeypatch.setattr(live, "Camera", lambda source: FakeCamera(source, frames=120))
    events = tmp_path / "e.jsonl"
    result = live.run_live(live.SingleExercise(live_spec(), events), 0, PlankEstimator(), display=False)
    assert result.ended_by.startswith("camera lost")
    assert result.report.interrupted is True
    assert result.report.hold.total_s == pytest.approx(3.5, abs=0.5)
    assert any(json.loads(line)["event"] == "HoldSegment" for line in events.read_text().splitlines())


def test_camera_that_never_sends_a_frame_is_an_error(monkeypatch):
    monkeypatch.setattr(live, "Camera", lambda source: FakeCamera(source, frames=0))
    with pytest.raises(CameraError):
        live.run_live(live.SingleExercise(live_spec()), 0, PlankEstimator(), display=False)


def test_ctrl_c_ends_the_session_with_a_report(monkeypatch):
    class Interrupting(FakeCamera):
        def read(self, timeout_s=2.0):
            if self.index == 60:
                raise KeyboardInterrupt
            return super().read(timeout_s)

    monkeypatch.setattr(live, "Camera", lambda source: Interrupting(source, frames=200))
    result = live.run_live(live.SingleExercise(live_spec()), 0, PlankEstimator(), display=False)
    assert result.ended_by == "interrupted" and result.report.interrupted is True
    assert result.frames == 60


def test_no_screen_is_a_clear_error(monkeypatch):
    from coach.errors import CoachError

    monkeypatch.delenv("DISPLAY", raising=False)
    with pytest.raises(CoachError, match="no screen"):
        live.run_live(live.SingleExercise(live_spec()), 0, PlankEstimator(), display=True)


class SlowWindowSystem:
    """Stands in for OpenCV's window calls: the window becomes visible only after ``shown_after``
    frames (a busy display) and the person closes it at frame ``closed_at``, if ever."""

    WND_PROP_VISIBLE = WND_PROP_FULLSCREEN = WINDOW_FULLSCREEN = WINDOW_NORMAL = 0
    WINDOW_KEEPRATIO = WINDOW_GUI_NORMAL = 0

    def __init__(self, shown_after: int, closed_at: int | None = None) -> None:
        self.shown_after, self.closed_at, self.frames = shown_after, closed_at, 0

    def imshow(self, name, image):
        self.frames += 1

    def getWindowProperty(self, name, prop):
        closed = self.closed_at is not None and self.frames >= self.closed_at
        return 1.0 if self.shown_after <= self.frames and not closed else 0.0

    def waitKey(self, ms):
        return 255

    def namedWindow(self, *args):
        pass

    resizeWindow = setWindowProperty = destroyAllWindows = imwrite = namedWindow


@pytest.mark.parametrize(("closed_at", "frames_seen", "ended_by"), [
    (None, 120, "end of video"),     # shown after 10 frames, never closed: the whole video runs
    (50, 50, "window closed"),       # closed by the person at frame 50: the session ends there
])
def test_a_window_shown_late_is_not_taken_for_a_closed_one(monkeypatch, tmp_path, closed_at, frames_seen, ended_by):
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(live, "cv2", SlowWindowSystem(shown_after=10, closed_at=closed_at))
    monkeypatch.setattr(live, "Camera", lambda source: FakeCamera(source, frames=120, fail=False))
    result = live.run_live(live.SingleExercise(live_spec()), "clip.mp4", PlankEstimator(), display=True,
                           end_screen_s=0.0)
    assert (result.ended_by, result.frames) == (ended_by, frames_seen)


def live_spec():
    from coach.specs.reader import find_spec

    return find_spec("plank")


def test_routine_runs_in_the_live_loop_to_its_end(monkeypatch, tmp_path):
    """A two-hold routine played through the live loop ends by itself, with a report per exercise."""
    from coach.app.routine_player import RoutinePlayer
    from coach.specs.routine import load_routine

    path = tmp_path / "planks.toml"
    path.write_text('id = "planks"\nname = "Planks"\nrest_s = 1\n'
                    '[[exercise]]\nid = "plank"\nhold_s = 2\n[[exercise]]\nid = "plank"\nhold_s = 2\n')
    monkeypatch.setattr(live, "Camera", lambda source: FakeCamera(source, frames=600, fail=False))
    shot = tmp_path / "last.png"
    result = live.run_live(RoutinePlayer(load_routine(path), tmp_path / "ev"), 0, PlankEstimator(),
                           display=False, screenshot=shot)
    assert result.ended_by == "routine done" and result.report.interrupted is False
    assert [e.report is None for e in result.report.exercises] == [False, False]
    assert all(e.report.hold.in_form_s >= 1.8 for e in result.report.exercises)
    assert result.frames < 400 and shot.is_file()


class NobodyEstimator(PlankEstimator):
    def detect(self, image, t):
        return None


def test_a_session_ended_during_the_setup_check_says_so(monkeypatch):
    """Not "no person found": the report says the set-up was not completed, and why."""
    monkeypatch.setattr(live, "Camera", lambda source: FakeCamera(source, frames=60, fail=False))
    result = live.run_live(live.SingleExercise(live_spec()), 0, NobodyEstimator(), display=False, setup_check=True)
    setup = result.report.setup
    assert setup.completed is False and setup.passed is False and setup.seconds == pytest.approx(2.0, abs=0.1)
    assert result.report.message.startswith("Set-up not completed: Step into the picture")


def test_a_setup_that_never_passes_starts_the_session_anyway(monkeypatch):
    """Placement never right (the person far away, small in the picture): after 10 s it starts
    anyway, with the advice kept for the report."""
    class FarAway(PlankEstimator):
        def detect(self, image, t):
            pose = b.plank(0.0)
            pose.xy[:] = pose.xy * 0.15 + 100.0
            return pose

    monkeypatch.setattr(live, "Camera", lambda source: FakeCamera(source, frames=600, fail=False))
    result = live.run_live(live.SingleExercise(live_spec()), 0, FarAway(), display=False, setup_check=True)
    setup = result.report.setup
    assert (setup.passed, setup.completed, setup.seconds) == (False, True, 10.0)
    assert "bring the camera closer" in setup.advice[0] and result.report.message is None


@pytest.mark.parametrize("camera, mirror, shown_mirrored", [
    (0, None, True), ("clip.mp4", None, False), (0, False, False), ("clip.mp4", True, True)])
def test_a_camera_is_shown_as_a_mirror_and_a_video_file_as_filmed(camera, mirror, shown_mirrored):
    assert live.shown_mirrored(camera, mirror) is shown_mirrored

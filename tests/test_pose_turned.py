"""TurnedWhenLost: frames where the pose model finds nobody are tried again turned a quarter."""

from __future__ import annotations

import numpy as np

from coach.io.pose import LookoutForOthers, TurnedWhenLost
from coach.landmarks import COUNT
from coach.types import Pose


class BrightestPoint:
    """A stand-in pose model that 'finds' a person (every landmark on the brightest pixel)
    only in portrait images, as BlazePose finds people upright more easily than lying."""

    def __init__(self, log: list[str]) -> None:
        self.log = log
        self.name = "fake"

    def detect_all(self, image_bgr: np.ndarray, t: float) -> list[Pose]:
        height, width = image_bgr.shape[:2]
        self.log.append("portrait" if height > width else "landscape")
        if width > height or image_bgr.max() == 0:
            return []
        y, x = np.unravel_index(int(np.argmax(image_bgr[:, :, 0])), (height, width))
        xy = np.tile([x + 0.5, y + 0.5], (COUNT, 1))
        return [Pose(xy=xy, visibility=np.ones(COUNT), depth=np.zeros(COUNT), image_size=(width, height))]

    def close(self) -> None:
        pass


def frame_with_dot(x: int, y: int) -> np.ndarray:
    image = np.zeros((360, 480, 3), np.uint8)
    image[y, x] = 255
    return image


def test_a_person_found_only_turned_is_reported_where_they_are_in_the_frame():
    log: list[str] = []
    estimator = TurnedWhenLost(lambda: BrightestPoint(log))
    [pose] = estimator.detect_all(frame_with_dot(100, 50), 0.0)
    assert pose.image_size == (480, 360)
    assert np.allclose(pose.xy[0], (100.5, 50.5))
    assert log == ["landscape", "portrait"]


def test_the_turned_model_tracks_on_until_it_loses_the_person():
    log: list[str] = []
    estimator = TurnedWhenLost(lambda: BrightestPoint(log))
    for i in range(3):
        assert len(estimator.detect_all(frame_with_dot(200 + i, 300), i / 15)) == 1
    assert log == ["landscape", "portrait", "portrait", "portrait"]       # no upright try while tracking
    log.clear()
    assert estimator.detect_all(np.zeros((360, 480, 3), np.uint8), 0.2) == []   # nobody: both tried
    assert log == ["portrait", "landscape", "portrait"]


class Scripted:
    """A stand-in pose model that finds ``people(t)`` people and logs the times it was asked."""

    def __init__(self, name: str, people, log: list[tuple[str, float]]) -> None:
        self.name, self._people, self.log = name, people, log

    def detect_all(self, image_bgr: np.ndarray, t: float) -> list[Pose]:
        self.log.append((self.name, t))
        pose = Pose(xy=np.zeros((COUNT, 2)), visibility=np.ones(COUNT), depth=np.zeros(COUNT), image_size=(4, 4))
        return [pose] * self._people(t)

    def close(self) -> None:
        pass


def test_alone_one_person_is_tracked_and_others_are_looked_for_every_second():
    log: list[tuple[str, float]] = []
    lookout = LookoutForOthers(lambda n: Scripted("solo" if n == 1 else "crowd", lambda t: 1, log), 3)
    for i in range(60):
        assert len(lookout.detect_all(np.zeros((4, 4, 3), np.uint8), i / 30)) == 1
    assert [t for name, t in log if name == "crowd"] == [0.0, 1.0]
    assert [name for name, _ in log].count("solo") == 60


def test_while_others_are_in_view_everyone_is_tracked_on_every_frame():
    log: list[tuple[str, float]] = []
    visitor = lambda t: 2 if 1.0 <= t < 2.0 else 1       # noqa: E731 - a second person from 1 s to 2 s
    lookout = LookoutForOthers(lambda n: Scripted("solo" if n == 1 else "crowd", visitor, log), 3)
    seen = [len(lookout.detect_all(np.zeros((4, 4, 3), np.uint8), i / 8)) for i in range(48)]   # 8 fps
    assert seen[8:16] == [2] * 8                            # found at the look at 1.0 s, then every frame
    crowd = [t for name, t in log if name == "crowd"]
    # every frame until 2 s after the visitor was last seen (1.875 s), then a look every second
    assert crowd == [0.0] + [i / 8 for i in range(8, 31)] + [4.75, 5.75]
    assert [name for name, t in log if t == 3.875] == ["solo"]

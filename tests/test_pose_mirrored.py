"""MirroredView: each frame read mirrored left-right, the landmarks mapped back to the frame."""

from __future__ import annotations

import numpy as np

from coach.io.pose import MirroredView
from coach.landmarks import COUNT, INDEX, MIRRORED, NAMES
from coach.types import Pose


class WristsOnDots:
    """A stand-in pose model that puts the left wrist on the red pixel and the right wrist on
    the green one of whatever image it is given (more sure of the left), the rest at (0, 0)."""

    name = "fake"

    def __init__(self) -> None:
        self.seen: list[np.ndarray] = []

    def detect_all(self, image_bgr: np.ndarray, t: float) -> list[Pose]:
        self.seen.append(image_bgr)
        height, width = image_bgr.shape[:2]
        xy = np.zeros((COUNT, 2))
        visibility = np.full(COUNT, 0.5)
        for name, channel, sure in (("left_wrist", 2, 0.9), ("right_wrist", 1, 0.3)):
            y, x = np.unravel_index(int(np.argmax(image_bgr[:, :, channel])), (height, width))
            xy[INDEX[name]] = (x + 0.5, y + 0.5)
            visibility[INDEX[name]] = sure
        return [Pose(xy=xy, visibility=visibility, depth=np.zeros(COUNT), image_size=(width, height))]

    def close(self) -> None:
        pass


def test_every_landmark_has_one_counterpart_on_the_other_side():
    assert all(MIRRORED[MIRRORED[i]] == i for i in range(COUNT))
    assert NAMES[MIRRORED[INDEX["nose"]]] == "nose"
    assert NAMES[MIRRORED[INDEX["mouth_left"]]] == "mouth_right"
    assert NAMES[MIRRORED[INDEX["left_foot_index"]]] == "right_foot_index"


def test_landmarks_come_back_where_they_are_in_the_frame_with_their_sides_swapped():
    image = np.zeros((360, 480, 3), np.uint8)
    image[50, 100] = (0, 0, 255)        # red
    image[200, 400] = (0, 255, 0)       # green
    inner = WristsOnDots()
    [pose] = MirroredView(inner).detect_all(image, 0.0)
    assert inner.seen[0][50, 479 - 100, 2] == 255            # the model was given the mirrored frame
    assert pose.image_size == (480, 360)
    # What the model called the left wrist in the mirrored frame is the person's right wrist here.
    assert np.allclose(pose.xy[INDEX["right_wrist"]], (100.5, 50.5))
    assert np.allclose(pose.xy[INDEX["left_wrist"]], (400.5, 200.5))
    assert pose.visibility[INDEX["right_wrist"]] == 0.9 and pose.visibility[INDEX["left_wrist"]] == 0.3


def test_nobody_found_stays_nobody():
    class Nobody(WristsOnDots):
        def detect_all(self, image_bgr, t):
            return []

    assert MirroredView(Nobody()).detect_all(np.zeros((10, 20, 3), np.uint8), 0.0) == []

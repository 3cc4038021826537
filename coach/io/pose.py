"""Pose estimation: MediaPipe in, our :class:`~coach.types.Pose` out.

This is the only module that imports mediapipe. One backend: the Tasks-API
``PoseLandmarker`` in VIDEO (tracking) mode, on the BlazePose *full* bundle
shipped in :mod:`coach.io.models` or on a user's own ``.task`` (``--model``: lite,
full or heavy). Its own smoothing is not used: landmarks are smoothed once, by
:mod:`coach.smoothing`.

The estimators compose: :class:`PoseLandmarker` finds people in a frame,
:class:`LookoutForOthers` tracks one and looks out for more,
:class:`TurnedWhenLost` tries the frame turned a quarter when it finds nobody,
:class:`MirroredView` reads it mirrored (for evaluation), and
:class:`FollowedPerson` (outermost) picks the person exercising
(:mod:`coach.io.people`).
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol

import cv2
import numpy as np

from coach.errors import ModelError
from coach.io.models import default_model
from coach.io.people import MAX_PEOPLE, PersonFollower
from coach.io.sources import VideoFile
from coach.landmarks import MIRRORED
from coach.types import Frame, Pose


class PeopleEstimator(Protocol):
    """Anything that finds the people in a BGR image, each as 33 landmarks."""

    name: str

    def detect_all(self, image_bgr: np.ndarray, t: float) -> list[Pose]:
        """Every person found in the BGR image at time ``t`` (seconds), most prominent first."""

    def close(self) -> None:
        """Release the model (and any worker it runs)."""


class PoseEstimator(Protocol):
    """Anything that finds the one person exercising in a BGR image."""

    name: str

    @property
    def most_people(self) -> int:
        """The most people seen in one frame so far."""

    def detect(self, image_bgr: np.ndarray, t: float) -> Pose | None:
        """The person exercising in the BGR image at time ``t`` (seconds), or None."""

    def poses_of(self, source: VideoFile, pictures: bool) -> Iterator[tuple[Frame | None, float, Pose | None]]:
        """Every frame of ``source`` with its time and landmarks; the frame is None where no picture
        is needed (``pictures`` False) and the estimator does not need it either."""
        ...

    def close(self) -> None:
        """Release the model (and any worker it runs)."""


def detect_each(estimator: PoseEstimator, source: VideoFile) -> Iterator[tuple[Frame | None, float, Pose | None]]:
    """Decode every frame and find its landmarks: how an estimator that reads pictures goes through a video."""
    for frame in source.frames():
        yield frame, frame.t, estimator.detect(frame.image, frame.t)


# The person detector's score needed to start tracking someone. MediaPipe's
# default, 0.5, found people lying in portrait frames or cut by the frame's edge
# late or never (a cropped plank, two prone chest lifts, a superman from 0.95 m
# in the wide synthetic clips). At 0.2 those are read and counted, and what the
# detector then proposes still has to pass the landmark model's own presence
# check (``TRACKING_CONFIDENCE``), so an empty room stays empty.
DETECTION_CONFIDENCE = 0.2
TRACKING_CONFIDENCE = 0.5

# What TFLite, LiteRT and glog print on stderr while a model loads and first runs:
# INFO and WARNING lines ("Created TensorFlow Lite XNNPACK delegate", "Sparsity
# tensors may not yet be fully supported", "W0000 ... inference_feedback_manager").
# Errors (glog's E and F lines, "ERROR: ...") and anything else pass through.
_CHATTER = re.compile(r"^(INFO|WARNING): |^[IW]\d{4} ")


@contextlib.contextmanager
def native_chatter_filtered() -> Iterator[None]:
    """Hold back native libraries' informational stderr lines; pass the rest on.

    MediaPipe's C++ side writes to file descriptor 2 directly, so Python's
    ``sys.stderr`` cannot filter it: fd 2 goes to a temporary file for the
    duration, and what is not chatter is written to the real stderr after.
    """
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    with tempfile.TemporaryFile() as capture:
        sys.stderr.flush()
        os.dup2(capture.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            capture.seek(0)
            kept = [line for line in capture.read().decode("utf-8", "replace").splitlines(keepends=True)
                    if not _CHATTER.match(line)]
            if kept:
                sys.stderr.write("".join(kept))
                sys.stderr.flush()


def _to_pose(landmark_list, width: int, height: int) -> Pose:
    arr = np.array([(lm.x, lm.y, lm.z, lm.visibility) for lm in landmark_list], dtype=float)
    xy = arr[:, :2] * np.array([width, height], dtype=float)
    return Pose(xy=xy, visibility=np.clip(arr[:, 3], 0.0, 1.0), depth=arr[:, 2], image_size=(width, height))


class PoseLandmarker:
    """MediaPipe's Tasks-API PoseLandmarker in VIDEO mode: everyone it finds in a frame."""

    # Native chatter comes at creation and with the first inferences.
    _QUIET_FRAMES = 2

    def __init__(self, model_path: str | Path | None = None, people: int = MAX_PEOPLE,
                 min_detection_confidence: float = DETECTION_CONFIDENCE,
                 min_tracking_confidence: float = TRACKING_CONFIDENCE) -> None:
        path = Path(model_path) if model_path else default_model()
        if not path.is_file():
            raise ModelError(f"pose model file not found: {path} (expected a pose_landmarker_*.task bundle)")
        try:
            with native_chatter_filtered():
                import mediapipe as mp
                from mediapipe.tasks.python import BaseOptions
                from mediapipe.tasks.python.vision import (
                    PoseLandmarker as MpPoseLandmarker,
                )
                from mediapipe.tasks.python.vision import (
                    PoseLandmarkerOptions,
                    RunningMode,
                )
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ModelError(f"mediapipe is not installed ({exc}); run: pip install .") from None
        options = PoseLandmarkerOptions(
            base_options=BaseOptions(model_asset_path=str(path)), running_mode=RunningMode.VIDEO,
            num_poses=people, min_pose_detection_confidence=min_detection_confidence,
            min_tracking_confidence=min_tracking_confidence,
        )
        try:
            with native_chatter_filtered():
                self._landmarker = MpPoseLandmarker.create_from_options(options)
        except Exception as exc:  # mediapipe raises plain RuntimeError/ValueError
            first = (str(exc).splitlines() or [type(exc).__name__])[0]
            raise ModelError(f"{path}: not a usable pose landmarker .task bundle ({first})") from None
        self._mp = mp
        self._last_ms = -1
        self._frames = 0
        self.name = f"mediapipe-tasks:{path.name}"

    def detect_all(self, image_bgr: np.ndarray, t: float) -> list[Pose]:
        """Every person found in the BGR image at time ``t`` (seconds), most prominent first."""
        height, width = image_bgr.shape[:2]
        # VIDEO mode needs strictly increasing integer milliseconds.
        ms = max(int(round(t * 1000.0)), self._last_ms + 1)
        self._last_ms = ms
        image = self._mp.Image(image_format=self._mp.ImageFormat.SRGB,
                               data=np.ascontiguousarray(cv2.cvtColor(image_bgr, cv2.COLOR_BGR2RGB)))
        if self._frames < self._QUIET_FRAMES:
            with native_chatter_filtered():
                result = self._landmarker.detect_for_video(image, ms)
        else:
            result = self._landmarker.detect_for_video(image, ms)
        self._frames += 1
        return [_to_pose(landmarks, width, height) for landmarks in result.pose_landmarks]

    def close(self) -> None:
        """Release the model (and any worker it runs)."""
        with native_chatter_filtered():
            self._landmarker.close()


class LookoutForOthers:
    """One person tracked cheaply, with a look for others every ``LOOKOUT_S`` (about 5 % more time per frame).

    Asked for several people, MediaPipe runs its person detector on every
    frame while it tracks fewer than that: a person alone was read at 31-35
    instead of 50-55 fps, and their landmarks came out a little differently
    from frame to frame. So one landmarker follows a single person (detector
    only when it loses them), and a second one, asked for ``people``, looks
    at a frame every ``LOOKOUT_S``. When it sees more than one person it
    takes over on every frame, until it has seen only one for ``STAY_S``; the
    choice of whom to follow is :class:`FollowedPerson`'s.
    """

    LOOKOUT_S = 1.0
    STAY_S = 2.0

    def __init__(self, make: Callable[[int], PeopleEstimator], people: int) -> None:
        self._make = make
        self._people = people
        self._solo = make(1)
        self._crowd: PeopleEstimator | None = None
        self._next_look = -float("inf")
        self._crowd_until = -float("inf")
        self.name = self._solo.name

    def detect_all(self, image_bgr: np.ndarray, t: float) -> list[Pose]:
        """Every person found in the BGR image at time ``t`` (seconds), most prominent first."""
        if self._people <= 1:
            return self._solo.detect_all(image_bgr, t)
        if t < self._crowd_until or t >= self._next_look:
            self._next_look = t + self.LOOKOUT_S
            if self._crowd is None:
                self._crowd = self._make(self._people)
            people = self._crowd.detect_all(image_bgr, t)
            if len(people) > 1:
                self._crowd_until = t + self.STAY_S
            if t < self._crowd_until:
                return people
        return self._solo.detect_all(image_bgr, t)

    def close(self) -> None:
        """Release the model (and any worker it runs)."""
        self._solo.close()
        if self._crowd is not None:
            self._crowd.close()


class TurnedWhenLost:
    """Tries a frame turned a quarter when the upright one finds nobody.

    BlazePose's person detector misses people lying flat, mostly from a
    camera above them: on a synthetic superman filmed from 0.95 m it found
    nobody for the first 1.3 s and then took the head for the feet, while the
    same frames turned 90 deg (the person upright) were read from the first
    one, head where it is. Once the turned frames find someone, the turned
    model tracks on (its region of interest follows the body at any angle)
    until it loses them; then the upright one takes over again. Frames where
    the upright model finds someone cost nothing more.
    """

    def __init__(self, make: Callable[[], PeopleEstimator]) -> None:
        self._make = make
        self._upright = make()
        self._turned: PeopleEstimator | None = None
        self._on_turned = False
        self.name = self._upright.name

    def detect_all(self, image_bgr: np.ndarray, t: float) -> list[Pose]:
        """Every person found in the BGR image at time ``t`` (seconds), most prominent first."""
        if self._on_turned:
            people = self._detect_turned(image_bgr, t)
            if people:
                return people
            self._on_turned = False
        people = self._upright.detect_all(image_bgr, t)
        if people:
            return people
        people = self._detect_turned(image_bgr, t)
        self._on_turned = bool(people)
        return people

    def _detect_turned(self, image_bgr: np.ndarray, t: float) -> list[Pose]:
        if self._turned is None:
            self._turned = self._make()
        people = self._turned.detect_all(cv2.rotate(image_bgr, cv2.ROTATE_90_CLOCKWISE), t)
        height, width = image_bgr.shape[:2]
        # Turned clockwise, the point (x, y) went to (height - y, x).
        return [Pose(xy=np.stack([pose.xy[:, 1], height - pose.xy[:, 0]], axis=1), visibility=pose.visibility,
                     depth=pose.depth, image_size=(width, height)) for pose in people]

    def close(self) -> None:
        """Release the model (and any worker it runs)."""
        self._upright.close()
        if self._turned is not None:
            self._turned.close()


class MirroredView:
    """Reads every frame mirrored left-right: the people as if facing the other way.

    BlazePose is not mirror-symmetric. On the 206 wide synthetic clips, all
    filmed with the head at the same end of the frame, reading the mirrored
    frames counted a different set of clips right (a portrait chest lift found
    late one way, a child's pose's knees drawn at the soles the other), so
    ``coach eval --mirror`` scores both facings of one corpus. The landmarks
    are mirrored back and their sides swapped, so they describe the original
    frame and a clip's labels (a left leg lifted) stand.
    """

    def __init__(self, inner: PeopleEstimator) -> None:
        self._inner = inner
        self._order = np.array(MIRRORED)
        self.name = f"{inner.name} (mirrored)"

    def detect_all(self, image_bgr: np.ndarray, t: float) -> list[Pose]:
        """Every person found in the BGR image at time ``t`` (seconds), most prominent first."""
        people = self._inner.detect_all(np.ascontiguousarray(image_bgr[:, ::-1]), t)
        return [self._back(pose, image_bgr.shape[1]) for pose in people]

    def _back(self, pose: Pose, width: int) -> Pose:
        xy = pose.xy[self._order]                    # fancy indexing copies
        xy[:, 0] = width - xy[:, 0]                  # landmark x is continuous: pixel column c spans [c, c + 1)
        return Pose(xy=xy, visibility=pose.visibility[self._order], depth=pose.depth[self._order],
                    image_size=pose.image_size)

    def close(self) -> None:
        """Release the model (and any worker it runs)."""
        self._inner.close()


class FollowedPerson:
    """The person exercising, of everyone an estimator finds (:class:`coach.io.people.PersonFollower`)."""

    def __init__(self, inner: PeopleEstimator) -> None:
        self._inner = inner
        self._follower = PersonFollower()
        self.name = inner.name

    @property
    def most_people(self) -> int:
        """The most people seen in one frame so far."""
        return self._follower.most_people

    def detect(self, image_bgr: np.ndarray, t: float) -> Pose | None:
        """The person exercising in the BGR image at time ``t`` (seconds), or None."""
        return self._follower.pick(self._inner.detect_all(image_bgr, t), t)

    def poses_of(self, source: VideoFile, pictures: bool) -> Iterator[tuple[Frame | None, float, Pose | None]]:
        """Every frame of ``source``, decoded, with its landmarks."""
        return detect_each(self, source)

    def close(self) -> None:
        """Release the model (and any worker it runs)."""
        self._inner.close()


def create_estimator(model: str | Path | None = None, mirrored: bool = False,
                     people: int = MAX_PEOPLE) -> PoseEstimator:
    """The shipped model, or the ``.task`` bundle at ``model``, looking out for up to
    ``people`` people (:class:`LookoutForOthers`) and following the one exercising; frames where it finds
    nobody are tried turned a quarter (:class:`TurnedWhenLost`); ``mirrored``
    reads each frame mirrored (:class:`MirroredView`, for evaluation)."""
    if people < 1:
        raise ModelError(f"--people must be at least 1, got {people}")
    found: PeopleEstimator = TurnedWhenLost(
        lambda: LookoutForOthers(lambda n: PoseLandmarker(model, people=n), people))
    if mirrored:
        found = MirroredView(found)
    return FollowedPerson(found)

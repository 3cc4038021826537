"""Pose estimation: MediaPipe in, our :class:`~coach.types.Pose` out.

This is the only module that imports mediapipe. Two backends:

* the default, BlazePose *full* shipped inside the ``mediapipe==0.10.21``
  wheel (``mp.solutions.pose``), which works offline;
* ``--model path.task``: the Tasks-API ``PoseLandmarker`` on a user's own
  ``.task`` bundle (lite, full or heavy), in VIDEO mode.

Both run in tracking (video) mode with their own smoothing off: landmarks are
smoothed once, by :mod:`coach.smoothing`, whatever the backend.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Callable, Iterator, Protocol

import cv2
import numpy as np

from coach.errors import ModelError
from coach.landmarks import MIRRORED
from coach.types import Pose


class PoseEstimator(Protocol):
    """Anything that finds one person's landmarks in a BGR image."""

    name: str

    def detect(self, image_bgr: np.ndarray, t: float) -> Pose | None: ...

    def close(self) -> None: ...


# The person detector's score needed to start tracking someone. MediaPipe's
# default, 0.5, found people lying in portrait frames or cut by the frame's edge
# late or never (a cropped plank, two prone chest lifts, a superman from 0.95 m
# in the wide synthetic clips). At 0.2 those are read and counted, and what the
# detector then proposes still has to pass the landmark model's own presence
# check (``TRACKING_CONFIDENCE``), so an empty room stays empty.
DETECTION_CONFIDENCE = 0.2
TRACKING_CONFIDENCE = 0.5


def _to_pose(landmark_list, width: int, height: int) -> Pose:
    arr = np.array([(lm.x, lm.y, lm.z, lm.visibility) for lm in landmark_list], dtype=float)
    xy = arr[:, :2] * np.array([width, height], dtype=float)
    return Pose(xy=xy, visibility=np.clip(arr[:, 3], 0.0, 1.0), depth=arr[:, 2], image_size=(width, height))


@contextlib.contextmanager
def _quiet_native_stderr() -> Iterator[None]:
    """Silence MediaPipe's native start-up chatter (it writes to fd 2 directly)."""
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def _import_mediapipe():
    # MediaPipe's C++ side logs model-loading chatter to stderr; keep errors only.
    os.environ.setdefault("GLOG_minloglevel", "2")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        import mediapipe as mp
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ModelError(f"mediapipe is not installed ({exc}); run: pip install -e .") from None
    return mp


class LegacyBlazePose:
    """BlazePose full from the mediapipe 0.10.21 wheel (offline)."""

    name = "mediapipe-legacy-full"

    def __init__(self, min_detection_confidence: float = DETECTION_CONFIDENCE,
                 min_tracking_confidence: float = TRACKING_CONFIDENCE) -> None:
        mp = _import_mediapipe()
        solutions = getattr(mp, "solutions", None)
        if solutions is None:
            raise ModelError(
                "this mediapipe has no built-in pose model (mp.solutions was removed in 0.10.30); "
                "install mediapipe==0.10.21 or pass --model path/to/pose_landmarker.task"
            )
        self._warmed = False
        try:
            with _quiet_native_stderr():
                self._pose = solutions.pose.Pose(
                    static_image_mode=False, model_complexity=1, smooth_landmarks=False,
                    enable_segmentation=False, min_detection_confidence=min_detection_confidence,
                    min_tracking_confidence=min_tracking_confidence,
                )
        except Exception as exc:  # mediapipe raises plain RuntimeError/ValueError
            raise ModelError(f"cannot start the built-in pose model: {exc}") from None

    def detect(self, image_bgr: np.ndarray, t: float) -> Pose | None:
        height, width = image_bgr.shape[:2]
        rgb = cv2.cvtColor(image_bgr, cv2.COLOR_BGR2RGB)
        if self._warmed:
            result = self._pose.process(rgb)
        else:
            with _quiet_native_stderr():
                result = self._pose.process(rgb)
            self._warmed = True
        if result.pose_landmarks is None:
            return None
        return _to_pose(result.pose_landmarks.landmark, width, height)

    def close(self) -> None:
        self._pose.close()


class TasksPoseLandmarker:
    """The Tasks-API PoseLandmarker on a user-supplied ``.task`` file, VIDEO mode."""

    name = "mediapipe-tasks"

    def __init__(self, model_path: str | Path, min_detection_confidence: float = DETECTION_CONFIDENCE,
                 min_tracking_confidence: float = TRACKING_CONFIDENCE) -> None:
        path = Path(model_path)
        if not path.is_file():
            raise ModelError(f"pose model file not found: {path} (expected a pose_landmarker_*.task bundle)")
        mp = _import_mediapipe()
        from mediapipe.tasks.python import BaseOptions
        from mediapipe.tasks.python.vision import PoseLandmarker, PoseLandmarkerOptions, RunningMode

        options = PoseLandmarkerOptions(
            base_options=BaseOptions(model_asset_path=str(path)), running_mode=RunningMode.VIDEO,
            num_poses=1, min_pose_detection_confidence=min_detection_confidence,
            min_tracking_confidence=min_tracking_confidence,
        )
        try:
            with _quiet_native_stderr():
                self._landmarker = PoseLandmarker.create_from_options(options)
        except Exception as exc:
            raise ModelError(f"{path}: not a usable pose landmarker .task bundle ({str(exc).splitlines()[0]})") from None
        self._mp = mp
        self._last_ms = -1
        self.name = f"mediapipe-tasks:{path.name}"

    def detect(self, image_bgr: np.ndarray, t: float) -> Pose | None:
        height, width = image_bgr.shape[:2]
        # VIDEO mode needs strictly increasing integer milliseconds.
        ms = max(int(round(t * 1000.0)), self._last_ms + 1)
        self._last_ms = ms
        image = self._mp.Image(image_format=self._mp.ImageFormat.SRGB,
                               data=np.ascontiguousarray(cv2.cvtColor(image_bgr, cv2.COLOR_BGR2RGB)))
        result = self._landmarker.detect_for_video(image, ms)
        if not result.pose_landmarks:
            return None
        return _to_pose(result.pose_landmarks[0], width, height)

    def close(self) -> None:
        self._landmarker.close()


class TurnedWhenLost:
    """An estimator that tries a frame turned a quarter when the upright one finds nobody.

    BlazePose's person detector misses people lying flat, mostly from a
    camera above them: on a synthetic superman filmed from 0.95 m it found
    nobody for the first 1.3 s and then took the head for the feet, while the
    same frames turned 90 deg (the person upright) were read from the first
    one, head where it is. Once the turned frames find the person, the turned
    model tracks on (its region of interest follows the body at any angle)
    until it loses them; then the upright one takes over again. Frames where
    the upright model finds the person cost nothing more.
    """

    def __init__(self, make: Callable[[], PoseEstimator]) -> None:
        self._make = make
        self._upright = make()
        self._turned: PoseEstimator | None = None
        self._on_turned = False
        self.name = self._upright.name

    def detect(self, image_bgr: np.ndarray, t: float) -> Pose | None:
        if self._on_turned:
            pose = self._detect_turned(image_bgr, t)
            if pose is not None:
                return pose
            self._on_turned = False
        pose = self._upright.detect(image_bgr, t)
        if pose is not None:
            return pose
        pose = self._detect_turned(image_bgr, t)
        self._on_turned = pose is not None
        return pose

    def _detect_turned(self, image_bgr: np.ndarray, t: float) -> Pose | None:
        if self._turned is None:
            self._turned = self._make()
        pose = self._turned.detect(cv2.rotate(image_bgr, cv2.ROTATE_90_CLOCKWISE), t)
        if pose is None:
            return None
        height, width = image_bgr.shape[:2]
        # Turned clockwise, the point (x, y) went to (height - y, x).
        xy = np.stack([pose.xy[:, 1], height - pose.xy[:, 0]], axis=1)
        return Pose(xy=xy, visibility=pose.visibility, depth=pose.depth, image_size=(width, height))

    def close(self) -> None:
        self._upright.close()
        if self._turned is not None:
            self._turned.close()


class MirroredView:
    """An estimator that reads every frame mirrored left-right: the person as if facing the other way.

    BlazePose is not mirror-symmetric. On the 206 wide synthetic clips, all
    filmed with the head at the same end of the frame, reading the mirrored
    frames counted a different set of clips right (a portrait chest lift found
    late one way, a child's pose's knees drawn at the soles the other), so
    ``coach eval --mirror`` scores both facings of one corpus. The landmarks
    are mirrored back and their sides swapped, so they describe the original
    frame and a clip's labels (a left leg lifted) stand.
    """

    def __init__(self, inner: PoseEstimator) -> None:
        self._inner = inner
        self._order = np.array(MIRRORED)
        self.name = f"{inner.name} (mirrored)"

    def detect(self, image_bgr: np.ndarray, t: float) -> Pose | None:
        pose = self._inner.detect(np.ascontiguousarray(image_bgr[:, ::-1]), t)
        if pose is None:
            return None
        xy = pose.xy[self._order]                    # fancy indexing copies
        xy[:, 0] = image_bgr.shape[1] - xy[:, 0]     # landmark x is continuous: pixel column c spans [c, c + 1)
        return Pose(xy=xy, visibility=pose.visibility[self._order], depth=pose.depth[self._order],
                    image_size=pose.image_size)

    def close(self) -> None:
        self._inner.close()


def create_estimator(model: str | Path | None = None, mirrored: bool = False) -> PoseEstimator:
    """The built-in model, or the Tasks API on ``model`` when a path is given (either
    one trying frames turned a quarter when it finds nobody: :class:`TurnedWhenLost`);
    ``mirrored`` reads each frame mirrored (:class:`MirroredView`, for evaluation)."""
    estimator = TurnedWhenLost(lambda: TasksPoseLandmarker(model) if model else LegacyBlazePose())
    return MirroredView(estimator) if mirrored else estimator

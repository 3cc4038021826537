"""Frame sources: video files (every frame, deterministic) and cameras (newest frame only).

This module and :mod:`coach.io.pose`, :mod:`coach.output.overlay`, :mod:`coach.output.sinks`
are the only ones that import cv2.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from coach.errors import CameraError, VideoError
from coach.types import Frame

FALLBACK_FPS = 30.0


@dataclass(frozen=True)
class VideoInfo:
    path: str
    fps: float
    frames: int
    width: int
    height: int
    fps_guessed: bool

    @property
    def duration_s(self) -> float:
        """The video's length in seconds (frames over frame rate)."""
        return self.frames / self.fps if self.fps else 0.0


def _upright(cap: cv2.VideoCapture) -> None:
    """Apply the file's rotation metadata (phones record portrait that way).

    This OpenCV build leaves it off by default, and a video analysed on its
    side would read every angle 90 degrees wrong.
    """
    cap.set(cv2.CAP_PROP_ORIENTATION_AUTO, 1)


def _sane_fps(fps: float) -> bool:
    return math.isfinite(fps) and 1.0 <= fps <= 240.0


class VideoFile:
    """Every frame of a video file, timed by frame index / fps.

    Opening checks what can be checked up front (missing path, a folder, an
    empty or undecodable file) so the error comes before any work starts.
    An absent or absurd frame rate is replaced by 30 fps and flagged in
    :attr:`info`.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if not self.path.exists():
            raise VideoError(f"video not found: {self.path}")
        if self.path.is_dir():
            raise VideoError(f"{self.path} is a folder, not a video file")
        if self.path.stat().st_size == 0:
            raise VideoError(f"{self.path} is empty (0 bytes)")
        self._cap = cv2.VideoCapture(str(self.path))
        if not self._cap.isOpened():
            raise VideoError(f"cannot open {self.path} as a video (unknown format or corrupt file)")
        _upright(self._cap)
        ok, first = self._cap.read()
        if not ok or first is None:
            self._cap.release()
            raise VideoError(f"{self.path} has no decodable video frames (corrupt, truncated or audio only?)")
        self._first: np.ndarray | None = first
        self._next = 0                      # the index of the next frame frames() gives
        fps = float(self._cap.get(cv2.CAP_PROP_FPS) or 0.0)
        guessed = not _sane_fps(fps)
        count = int(self._cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
        self.info = VideoInfo(
            path=str(self.path), fps=FALLBACK_FPS if guessed else fps, frames=max(count, 1),
            width=first.shape[1], height=first.shape[0], fps_guessed=guessed,
        )

    def __enter__(self) -> VideoFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the file or camera."""
        self._cap.release()

    def frames(self, start: int = 0) -> Iterator[Frame]:
        """The frames from where the file was left on; those before ``start`` are passed over without
        being decoded into pictures (a worker of ``coach.io.parallel`` starting mid-file)."""
        fps = self.info.fps
        while True:
            index = self._next
            if self._first is not None:
                image: np.ndarray | None = self._first
                self._first = None
            elif index < start:
                image = None
                if not self._cap.grab():
                    return
            else:
                ok, image = self._cap.read()
                if not ok or image is None:
                    return
            self._next += 1
            if image is not None and index >= start:
                yield Frame(image, index, index / fps)


class Camera:
    """A live source: a camera index, or a video file played at real-time pace.

    A reader thread overwrites a single slot with the newest frame, so a slow
    consumer skips frames instead of building a backlog. :meth:`read` waits
    at most ``timeout_s`` for a frame it has not seen yet.
    """

    def __init__(self, source: int | str, first_frame_timeout_s: float = 5.0) -> None:
        self.source = source
        self._is_file = isinstance(source, str) and not source.isdigit()
        if self._is_file:
            path = Path(str(source))
            if not path.is_file():
                raise CameraError(f"--camera {source}: no such camera index or video file")
            self._cap = cv2.VideoCapture(str(path))
            _upright(self._cap)
            fps = float(self._cap.get(cv2.CAP_PROP_FPS) or 0.0)
            self._file_fps = fps if _sane_fps(fps) else FALLBACK_FPS
        else:
            index = int(source)
            self._cap = cv2.VideoCapture(index)
            self._cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)
            self._file_fps = 0.0
        if not self._cap.isOpened():
            self._cap.release()
            raise CameraError(self._unavailable())
        self._lock = threading.Condition()
        self._frame: np.ndarray | None = None
        self._frame_t = 0.0                # when the newest frame was captured, on the session's clock
        self._seq = 0
        self._seen = 0
        self._ended = False
        self._failed: str | None = None
        self._stop = threading.Event()
        self._t0 = time.monotonic()
        self._thread = threading.Thread(target=self._reader, name="camera-reader", daemon=True)
        self._thread.start()
        with self._lock:
            if not self._lock.wait_for(lambda: self._seq > 0 or self._ended, timeout=first_frame_timeout_s):
                self.close()
                raise CameraError(f"camera {source} opened but sent no frame within {first_frame_timeout_s:g} s "
                                  "(in use by another program, or no permission?)")
        if self._seq == 0:
            self.close()
            raise CameraError(self._unavailable())

    def _unavailable(self) -> str:
        if self._is_file:
            return f"cannot open {self.source} as a video"
        return (f"no camera at index {self.source}. Try another --camera N (see `coach cameras`), "
                "check that no other program uses it, and that this program may use the camera")

    def _reader(self) -> None:
        period = 1.0 / self._file_fps if self._is_file else 0.0
        next_due = time.monotonic()
        failures = 0
        while not self._stop.is_set():
            ok, image = self._cap.read()
            if not ok or image is None:
                if self._is_file:
                    break
                failures += 1
                if failures > 50:
                    self._failed = "the camera stopped sending frames (unplugged?)"
                    break
                time.sleep(0.02)
                continue
            failures = 0
            if period:
                next_due += period
                delay = next_due - time.monotonic()
                if delay > 0:
                    self._stop.wait(delay)
            captured = time.monotonic() - self._t0
            with self._lock:
                self._frame = image
                self._frame_t = captured
                self._seq += 1
                self._lock.notify_all()
        with self._lock:
            self._ended = True
            self._lock.notify_all()

    def read(self, timeout_s: float = 2.0) -> Frame | None:
        """The newest unseen frame; None when a file source has ended.

        Raises :class:`CameraError` when a camera sends nothing new for ``timeout_s``.
        """
        with self._lock:
            ready = self._lock.wait_for(lambda: self._seq > self._seen or self._ended, timeout=timeout_s)
            if self._seq > self._seen and self._frame is not None:
                dropped = self._seq - self._seen - 1
                self._seen = self._seq
                return Frame(self._frame, self._seq - 1, self._frame_t, dropped, self._t0 + self._frame_t)
        if self._failed:
            raise CameraError(self._failed)
        if self._ended:
            if self._is_file:
                return None
            raise CameraError("the camera stopped sending frames")
        if not ready:
            raise CameraError(f"no new frame from camera {self.source} for {timeout_s:g} s (frozen or disconnected)")
        return None

    def close(self) -> None:
        """Release the file or camera."""
        self._stop.set()
        if hasattr(self, "_thread") and self._thread.is_alive():
            self._thread.join(timeout=2.0)
        self._cap.release()

    def __enter__(self) -> Camera:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def probe_cameras(max_index: int = 5) -> list[int]:
    """Camera indices that open and deliver a frame."""
    found = []
    for index in range(max_index + 1):
        cap = cv2.VideoCapture(index)
        try:
            if cap.isOpened() and cap.read()[0]:
                found.append(index)
        finally:
            cap.release()
    return found

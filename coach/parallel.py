"""One long video on every core: the pose model runs on segments in worker processes.

The pose model is nearly all of the time an analysis takes, and it runs on one
core. :class:`ParallelPoses` splits the video into one contiguous segment per
worker. The first segment is read in this process, frame by frame, exactly as
a sequential analysis reads it; each other one goes to a worker process, which
reads it (starting ``warmup_s`` early, so that MediaPipe's tracker and filter
have settled when the segment's own frames begin, and throwing those frames'
landmarks away) and returns its landmarks as one compact array. (Giving the
first segment more frames, or fewer, to make up for a worker's start was
measured: no faster within the noise.) The engine runs once, in
order, in this process: :class:`ParallelPoses` is an estimator whose ``detect``
reads a frame of the first segment or hands out the next computed landmarks,
so the report, the annotated video, the HTML pictures and Ctrl-C behave as
they always do.
"""

from __future__ import annotations

import multiprocessing
import signal
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

import numpy as np

from coach.types import Pose

#: Seconds read before a segment begins and then dropped: MediaPipe's landmark filter and
#: tracker settle within about half a second.
WARMUP_S = 1.5
#: Segments shorter than this are not worth a process of their own (each loads the model: 1-2 s).
MIN_SEGMENT_S = 20.0


def _quiet_worker() -> None:
    # Ctrl-C reaches every process of the terminal: the main process stops the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def read_segment(path: str, start: int, end: int | None, warmup: int, model: str | None,
                 people: int) -> tuple[np.ndarray, tuple[int, int], int]:
    """Landmarks of frames ``start`` to ``end`` (None: to the end) as an (n, 33, 4) float32 array
    of x, y, visibility, depth (NaN: nobody found), the frame size, and the most people seen."""
    from coach.pose import create_estimator
    from coach.sources import VideoFile

    estimator = create_estimator(model, people=people)
    rows: list[np.ndarray] = []
    size = (0, 0)
    try:
        with VideoFile(path) as video:
            size = (video.info.width, video.info.height)
            for frame in video.frames():
                if end is not None and frame.index >= end:
                    break
                if frame.index < start - warmup:
                    continue                          # decoded only: cheap next to the pose model
                pose = estimator.detect(frame.image, frame.t)
                if frame.index >= start:
                    rows.append(_row(pose))
                    if pose is not None:
                        size = pose.image_size
        return (np.stack(rows) if rows else np.zeros((0, 33, 4), np.float32)), size, estimator.most_people
    finally:
        estimator.close()


def _row(pose: Pose | None) -> np.ndarray:
    if pose is None:
        return np.full((33, 4), np.nan, np.float32)
    return np.column_stack([pose.xy, pose.visibility, pose.depth]).astype(np.float32)


def _pose(row: np.ndarray, size: tuple[int, int]) -> Pose | None:
    if np.isnan(row[0, 0]):
        return None
    data = row.astype(float)
    return Pose(xy=data[:, :2].copy(), visibility=data[:, 2].copy(), depth=data[:, 3].copy(), image_size=size)


def plan_segments(frames: int, fps: float, workers: int, min_segment_s: float = MIN_SEGMENT_S) -> list[int]:
    """The first frame of each segment: as many as workers, none shorter than ``min_segment_s``."""
    count = max(1, min(workers, int(frames / max(fps * min_segment_s, 1.0))))
    return [round(i * frames / count) for i in range(count)]


class ParallelPoses:
    """The first segment's landmarks read here, the others' computed ahead by worker processes.

    ``detect`` is called for every frame in order: in the first segment it
    runs this process's estimator on the picture; after it, it returns the next
    computed frame's landmarks, waiting for its segment's worker if it must.
    """

    def __init__(self, path: str | Path, frames: int, fps: float, workers: int, model: str | None = None,
                 people: int = 3, min_segment_s: float = MIN_SEGMENT_S, warmup_s: float = WARMUP_S) -> None:
        from coach.pose import create_estimator

        starts = plan_segments(frames, fps, workers, min_segment_s)
        self.workers = len(starts)
        self._pool = ProcessPoolExecutor(max_workers=max(1, self.workers - 1),
                                         mp_context=multiprocessing.get_context("spawn"), initializer=_quiet_worker)
        ends: list[int | None] = [*starts[1:], None]
        warmup = int(round(warmup_s * fps))
        self._futures: list[Future] = [
            self._pool.submit(read_segment, str(path), start, end, warmup, str(model) if model else None, people)
            for start, end in list(zip(starts, ends))[1:]]
        self._local = create_estimator(model, people=people)
        self.name = self._local.name
        self._first_end = starts[1] if len(starts) > 1 else None
        self._frame = 0
        self._segment = -1
        self._rows = np.zeros((0, 33, 4), np.float32)
        self._size = (0, 0)
        self._next = 0
        self._most_people = 0

    @property
    def most_people(self) -> int:
        return max(self._most_people, self._local.most_people)

    def detect(self, image_bgr: np.ndarray, t: float) -> Pose | None:
        self._frame += 1
        if self._first_end is None or self._frame <= self._first_end:
            return self._local.detect(image_bgr, t)
        while self._next >= len(self._rows):
            if self._segment + 1 >= len(self._futures):
                return None                               # more frames than the workers read
            self._segment += 1
            self._rows, self._size, people = self._futures[self._segment].result()
            self._most_people = max(self._most_people, people)
            self._next = 0
        row = self._rows[self._next]
        self._next += 1
        return _pose(row, self._size)

    def close(self) -> None:
        """Stop the workers (at once if the analysis was cut short)."""
        self._local.close()
        processes = list((getattr(self._pool, "_processes", None) or {}).values())
        self._pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.terminate()

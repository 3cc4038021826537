"""One long video on every core: the pose model runs on chunks of it in worker processes.

The pose model is nearly all of the time an analysis takes, and it runs on one
core. :class:`ParallelPoses` cuts the video into chunks of about ``CHUNK_S``
seconds and hands them, in order, to a pool of worker processes. Each worker
keeps one pose model and one open video for the whole run: it reads on through
the file (decoding only the frames that are not its own), starts the model
``WARMUP_S`` before each chunk it is given, so that MediaPipe's tracker and
filter have settled when the chunk's own frames begin, and throws those
frames' landmarks away. It returns the chunk's landmarks as one compact array.

The engine runs once, in order, in the main process, on :meth:`ParallelPoses.poses`:
every frame's landmarks in order. The main process decodes the video itself only
when it needs the pictures (an annotated video, the HTML report's moments):
then ``detect`` hands out the next frame's landmarks beside each picture. The
report and Ctrl-C behave as they always do. Only the chunks being read or
waiting to be used are in memory, whatever the video's length.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from coach.io.pose import detect_each
from coach.io.sources import VideoFile
from coach.types import Frame, Pose

#: Seconds read before a chunk begins and then dropped: MediaPipe's landmark filter and
#: tracker settle within about half a second.
WARMUP_S = 1.5
#: About this long a chunk: long beside the warm-up (2.5 % more frames), short enough that
#: memory does not grow with the video.
CHUNK_S = 60.0
#: Videos shorter than this are not worth more processes (each loads the model: 1-2 s).
MIN_PARALLEL_S = 40.0

# The worker's own state, kept between the chunks it is given: its model and where it is in the file.
_worker: dict[str, Any] = {}


def _start_worker(path: str, model: str | None, people: int, started: Any, workers: int) -> None:
    # Ctrl-C reaches every process of the terminal: the main process stops the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    take_own_core(started, workers)
    _worker.update(path=path, model=model, people=people)


def take_own_core(started: Any, workers: int) -> None:
    """Keep this worker on a core of its own (``started``: a shared count of the workers started
    so far, ``multiprocessing.Value("i")``), where the system allows it and there are as many
    cores as ``workers`` (more workers than cores share them all: three kept on two cores took 32 s
    for what three sharing them did in 26).

    MediaPipe runs each frame through two threads of its graph that hand it on to each other;
    with two workers on two cores those four threads woke on whichever core was free, and each
    worker read its frames about 3 % slower than one kept on its own core (80 s on two workers, six
    alternating pairs: 23.4-23.7 s against 23.8-24.7 s, each pair quicker kept).
    """
    with started.get_lock():
        index = started.value
        started.value += 1
    if not hasattr(os, "sched_setaffinity"):
        return
    cores = sorted(os.sched_getaffinity(0))
    if workers <= len(cores):
        os.sched_setaffinity(0, {cores[index % len(cores)]})


def read_chunk(start: int, end: int | None, warmup: int) -> tuple[np.ndarray, tuple[int, int], int]:
    """Landmarks of frames ``start`` to ``end`` (None: the end of the file, which may hold more or
    fewer frames than its header said) as an (n, 33, 4) float32 array of x, y, visibility and depth
    (NaN: nobody found), the frame size, and the most people seen so far."""
    if "video" not in _worker:
        from coach.io.pose import create_estimator
        from coach.io.sources import VideoFile

        video = VideoFile(_worker["path"])
        _worker.update(video=video, size=(video.info.width, video.info.height),
                       estimator=create_estimator(_worker["model"], people=_worker["people"]))
    estimator = _worker["estimator"]
    rows: list[np.ndarray] = []
    for frame in _worker["video"].frames(start=start - warmup):    # the frames before: passed over
        pose = estimator.detect(frame.image, frame.t)
        if frame.index >= start:
            rows.append(_row(pose))
        if end is not None and frame.index >= end - 1:
            break
    array = np.stack(rows) if rows else np.zeros((0, 33, 4), np.float32)
    return array, _worker["size"], estimator.most_people


def _row(pose: Pose | None) -> np.ndarray:
    if pose is None:
        return np.full((33, 4), np.nan, np.float32)
    return np.column_stack([pose.xy, pose.visibility, pose.depth]).astype(np.float32)


def _pose(row: np.ndarray, size: tuple[int, int]) -> Pose | None:
    if np.isnan(row[0, 0]):
        return None
    data = row.astype(float)
    return Pose(xy=data[:, :2].copy(), visibility=data[:, 2].copy(), depth=data[:, 3].copy(), image_size=size)


def worth_it(frames: int, fps: float, workers: int, min_parallel_s: float = MIN_PARALLEL_S) -> bool:
    """Several workers for a video this long?"""
    return workers > 1 and frames >= min_parallel_s * fps


def plan_chunks(frames: int, fps: float, workers: int, chunk_s: float = CHUNK_S) -> list[tuple[int, int]]:
    """(first frame, end) of each chunk: about ``chunk_s`` long, as many for each worker.

    Equal chunks: shortening the later ones by their warm-up was measured and gained nothing (the
    workers' start dominates), and it moved a boundary next to a hold of exactly the minimum length
    in the real frog-pump clip, which then read a frame short.
    """
    # A whole number of rounds: chunks are handed out in order, and a last round with fewer chunks
    # than workers leaves the others idle (160 s in three chunks on two workers: 1.39x, not 1.7x).
    count = workers * max(1, round(frames / max(chunk_s * fps * workers, 1.0)))
    bounds = [round(i * frames / count) for i in range(count + 1)]
    return [(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]


class ParallelPoses:
    """An estimator whose landmarks are read ahead, chunk by chunk, by worker processes.

    :meth:`poses` gives every frame's landmarks in order, waiting for a chunk
    if it must; ``detect`` ignores the picture and returns the next of them. At
    most ``2 * workers`` chunks are asked for ahead of the one in use.
    ``to_the_end``: the last chunk runs to the end of the file, not to
    ``frames`` (a header's frame count can be an estimate); False when only the
    first ``frames`` are wanted.
    """

    def __init__(self, path: str | Path, frames: int, fps: float, workers: int, model: str | None = None,
                 people: int = 3, chunk_s: float = CHUNK_S, warmup_s: float = WARMUP_S,
                 to_the_end: bool = True) -> None:
        self.workers = workers
        self.name = "mediapipe-tasks (parallel)"
        self._chunks: list[tuple[int, int | None]] = list(plan_chunks(frames, fps, workers, chunk_s))
        if to_the_end and self._chunks:
            self._chunks[-1] = (self._chunks[-1][0], None)
        self._warmup = int(round(warmup_s * fps))
        context = multiprocessing.get_context("spawn")
        self._pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_start_worker,
                                         initargs=(str(path), str(model) if model else None, people,
                                                   context.Value("i", 0), workers))
        self._asked: list[Future] = []
        self._chunk = -1
        self._ask_ahead()
        self._most_people = 0
        self._handed_out = self._in_order()

    def _ask_ahead(self) -> None:
        while len(self._asked) < len(self._chunks) and len(self._asked) <= self._chunk + 2 * self.workers:
            start, end = self._chunks[len(self._asked)]
            self._asked.append(self._pool.submit(read_chunk, start, end, self._warmup if start else 0))

    @property
    def most_people(self) -> int:
        """The most people the workers saw in one frame so far."""
        return self._most_people

    def poses(self) -> Iterator[Pose | None]:
        """Every frame's landmarks, in order, as the workers deliver them (the ones ``detect`` has
        not handed out yet)."""
        return self._handed_out

    def _in_order(self) -> Iterator[Pose | None]:
        while self._chunk + 1 < len(self._chunks):
            self._chunk += 1
            self._ask_ahead()
            rows, size, people = self._asked[self._chunk].result()
            self._asked[self._chunk] = Future()           # its landmarks are in use: let the result go
            self._most_people = max(self._most_people, people)
            for row in rows:
                yield _pose(row, size)

    def detect(self, image_bgr: np.ndarray, t: float) -> Pose | None:
        """The next frame's landmarks (None also past the last frame the workers read)."""
        return next(self._handed_out, None)

    def poses_of(self, source: VideoFile, pictures: bool) -> Iterator[tuple[Frame | None, float, Pose | None]]:
        """Every frame's landmarks as the workers read them; the video is decoded here only when its
        pictures are wanted (decoding it a second time only for the times took a core's 5 % from the workers)."""
        if pictures:
            return detect_each(self, source)
        return ((None, index / source.info.fps, pose) for index, pose in enumerate(self.poses()))

    def close(self) -> None:
        """Stop the workers (at once if the analysis was cut short)."""
        processes = list((getattr(self._pool, "_processes", None) or {}).values())
        self._pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.terminate()

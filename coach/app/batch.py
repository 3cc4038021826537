"""Analyse a recorded video: every frame, deterministic, same engine as live."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, time, timedelta
from functools import partial
from pathlib import Path

from coach.analysis.recognize import find_parts
from coach.analysis.recorder import Recorder
from coach.analysis.report import StartedAt, Video, WorkoutReport
from coach.io.pose import PoseEstimator
from coach.io.replay import Trace
from coach.io.sources import VideoFile
from coach.output.moments import WorstMoments
from coach.output.overlay import OverlayRenderer
from coach.output.sinks import EventLog, VideoSink, highlight_spans, write_highlights
from coach.output.write import Finished
from coach.specs.model import ExerciseSpec
from coach.types import Pose

Progress = Callable[[int, int], None]


def analyze_video(path: str | Path, spec: ExerciseSpec, estimator: PoseEstimator,
                  annotated: str | Path | None = None, events: str | Path | None = None,
                  progress: Progress | None = None, max_frames: int | None = None,
                  pictures: bool = False, highlights: str | Path | None = None) -> Finished:
    """Run the exercise spec over every frame of a video: its report, series and, with
    ``pictures``, the worst-form moments for the HTML page (``coach.output.write`` writes them).

    Besides: the ``annotated`` video and the ``events`` log, written as the frames go, and the
    ``highlights`` (the annotated reps, holds and cues only), cut from the annotated video at the end.

    Time is frame index / fps, so the result does not depend on how fast the
    machine is. Ctrl-C (or SIGTERM turned into KeyboardInterrupt by the CLI)
    stops early and returns the partial report with ``interrupted`` set.
    """
    if highlights and not annotated:       # the highlights are cut from an annotated video made on the side
        with _scratch_video(highlights) as scratch:
            done = analyze_video(path, spec, estimator, scratch, events, progress, max_frames, pictures)
            write_highlights(scratch, highlights, highlight_spans(done.report))
        return done
    with VideoFile(path) as source:
        info = source.info
        recorder = Recorder(spec, EventLog(events) if events else None)
        renderer = OverlayRenderer(spec) if (annotated or pictures) else None
        sink = VideoSink(annotated, info.fps, (info.width, info.height)) if annotated else None
        moments = WorstMoments(spec) if pictures else None
        interrupted = False
        frames = 0
        try:
            for frame, t, pose in estimator.poses_of(source, pictures=renderer is not None):
                if max_frames is not None and frames >= max_frames:
                    break
                snapshot = recorder.step(pose, t)
                if frame is not None and sink is not None and renderer is not None:
                    sink.write(renderer.annotate(frame.image, snapshot))
                if frame is not None and moments is not None and renderer is not None and snapshot.warnings:
                    moments.update(snapshot, partial(renderer.annotate, frame.image, snapshot))
                frames += 1
                if progress is not None:
                    progress(frames, info.frames)
        except KeyboardInterrupt:
            interrupted = True
        finally:
            if sink is not None:
                sink.close()
    video = Video(source=str(path), name=Path(path).name, fps=round(info.fps, 3), frames=frames,
                  duration_s=round(frames / info.fps, 3), width=info.width, height=info.height,
                  fps_note="the file has no usable frame rate; 30 fps assumed" if info.fps_guessed else None,
                  sha256=file_sha256(path))
    report = recorder.close(video=video, interrupted=interrupted, backend=estimator.name,
                            people_seen=estimator.most_people, started_at=recorded_at(path, info.duration_s))
    if interrupted:
        read = f"{frames / info.fps:.1f} s of the video's {info.duration_s:.1f} s" if frames else "no frame"
        report = replace(report, message=f"Interrupted after {read}: the counts, holds and cues cover only that."
                         + (f" {report.message}" if report.message else ""))
    if highlights and annotated:
        write_highlights(annotated, highlights, highlight_spans(report))
    return Finished(report, recorder.series, spec, moments.best() if moments else [])


@contextmanager
def _scratch_video(beside: str | Path) -> Iterator[Path]:
    """A temporary annotated video in the folder of ``beside`` (same disk), removed afterwards."""
    fd, name = tempfile.mkstemp(prefix=".coach-", suffix=".mp4", dir=str(Path(beside).parent))
    os.close(fd)
    try:
        yield Path(name)
    finally:
        Path(name).unlink(missing_ok=True)


def analyze_workout(path: str | Path, specs: list[ExerciseSpec], estimator: PoseEstimator,
                    progress: Progress | None = None, max_frames: int | None = None) -> WorkoutReport:
    """A recording analysed without naming the exercise: the exercises it shows, in order, each
    analysed alone (``coach.analysis.recognize``). The pose model reads the video once."""
    frames: list[tuple[Pose | None, float]] = []
    interrupted = False
    with VideoFile(path) as source:
        info = source.info
        try:
            for _, t, pose in estimator.poses_of(source, pictures=False):
                if max_frames is not None and len(frames) >= max_frames:
                    break
                frames.append((pose, t))
                if progress is not None:
                    progress(len(frames), info.frames)
        except KeyboardInterrupt:
            interrupted = True
    video = Video(source=str(path), name=Path(path).name, fps=round(info.fps, 3), frames=len(frames),
                  duration_s=round(len(frames) / info.fps, 3), width=info.width, height=info.height,
                  sha256=file_sha256(path))
    return WorkoutReport(parts=find_parts(frames, specs), video=video, interrupted=interrupted,
                         started_at=recorded_at(path, info.duration_s), pose_backend=estimator.name,
                         people_seen=estimator.most_people)


def recorded_at(path: str | Path, duration_s: float) -> StartedAt:
    """When a recording began, as well as a file can tell: its last change (the end of the recording,
    for a camera's own file) less its duration; ISO 8601 with the local time zone.

    A file time of exactly midnight was given as a date without a time of day (``touch -d``, a copy
    that kept only the date): the recording is of that day, not of the evening before.
    """
    ended = datetime.fromtimestamp(Path(path).stat().st_mtime).astimezone()
    if ended.time() == time(0, 0):
        return StartedAt(ended.isoformat(timespec="seconds"), "file date")
    return StartedAt((ended - timedelta(seconds=duration_s)).isoformat(timespec="seconds"), "file time")


def file_sha256(path: str | Path, chunk: int = 1 << 20) -> str:
    """The SHA-256 of a file's content: the same recording under any name or date is the same session."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def record_trace(path: str | Path, estimator: PoseEstimator, out: str | Path,
                 progress: Progress | None = None) -> Trace:
    """Run the pose model over every frame once and keep its landmarks in ``out`` (.npz).

    Replaying the trace (:class:`coach.io.replay.Trace`) gives the same analysis
    without the model, so a spec can be re-scored on many clips in seconds.
    """
    with VideoFile(path) as source:
        info = source.info
        poses = []
        for frame in source.frames():
            poses.append(estimator.detect(frame.image, frame.t))
            if progress is not None:
                progress(len(poses), info.frames)
    return Trace.save(out, poses, info.fps, (info.width, info.height), source=Path(path).name)

"""Analyse a recorded video: every frame, deterministic, same engine as live."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from coach.engine import Recorder
from coach.html_report import write_csv, write_html
from coach.moments import WorstMoments
from coach.pose import PoseEstimator
from coach.render import OverlayRenderer
from coach.replay import Trace
from coach.sinks import VideoSink
from coach.sources import VideoFile
from coach.specs import ExerciseSpec

Progress = Callable[[int, int], None]


def analyze_video(path: str | Path, spec: ExerciseSpec, estimator: PoseEstimator,
                  annotated: str | Path | None = None, events: str | Path | None = None,
                  progress: Progress | None = None, max_frames: int | None = None,
                  html: str | Path | None = None, csv: str | Path | None = None,
                  progress_days: Sequence[Any] = ()) -> dict[str, Any]:
    """Run the exercise spec over every frame of a video and return the report.

    Besides the report: ``annotated`` video, ``events`` log, ``html`` report
    with plots and the worst-form pictures, ``csv`` prefix for the per-frame,
    per-rep and per-hold tables.

    Time is frame index / fps, so the result does not depend on how fast the
    machine is. Ctrl-C (or SIGTERM turned into KeyboardInterrupt by the CLI)
    stops early and returns the partial report with ``"interrupted": true``.
    """
    with VideoFile(path) as source:
        info = source.info
        recorder = Recorder(spec, events)
        renderer = OverlayRenderer(spec) if (annotated or html) else None
        sink = VideoSink(annotated, info.fps, (info.width, info.height)) if annotated else None
        moments = WorstMoments(spec) if html else None
        interrupted = False
        frames = 0
        try:
            for frame in source.frames():
                if max_frames is not None and frames >= max_frames:
                    break
                snapshot = recorder.step(estimator.detect(frame.image, frame.t), frame.t)
                if sink is not None and renderer is not None:
                    sink.write(renderer.annotate(frame.image, snapshot))
                if moments is not None and renderer is not None and snapshot.warnings:
                    moments.update(snapshot, partial(renderer.annotate, frame.image, snapshot))
                frames += 1
                if progress is not None:
                    progress(frames, info.frames)
        except KeyboardInterrupt:
            interrupted = True
        finally:
            if sink is not None:
                sink.close()
    video = {
        "source": str(path), "name": Path(path).name, "fps": round(info.fps, 3), "frames": frames,
        "duration_s": round(frames / info.fps, 3), "width": info.width, "height": info.height,
    }
    if info.fps_guessed:
        video["fps_note"] = "the file has no usable frame rate; 30 fps assumed"
    report = recorder.close(video=video, interrupted=interrupted, backend=estimator.name,
                             people_seen=estimator.most_people, started_at=recorded_at(path, info.duration_s))
    if html:
        write_html(html, report, recorder.series, spec, moments.best() if moments else [], progress_days)
    if csv:
        write_csv(csv, report, recorder.series)
    return report


def recorded_at(path: str | Path, duration_s: float) -> dict[str, str]:
    """When a recording began, as well as a file can tell: its last change (the end of the recording,
    for a camera's own file) less its duration; ISO 8601 with the local time zone."""
    ended = datetime.fromtimestamp(Path(path).stat().st_mtime).astimezone()
    return {"at": (ended - timedelta(seconds=duration_s)).isoformat(timespec="seconds"), "from": "file time"}


def record_trace(path: str | Path, estimator: PoseEstimator, out: str | Path,
                 progress: Progress | None = None) -> Trace:
    """Run the pose model over every frame once and keep its landmarks in ``out`` (.npz).

    Replaying the trace (:class:`coach.replay.Trace`) gives the same analysis
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

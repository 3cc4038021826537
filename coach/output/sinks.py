"""Outputs: annotated video, an append-only event log, atomically written reports."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import asdict
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from coach.analysis.report import Report
from coach.errors import OutputError
from coach.types import Event, RepFinished, RepRecounted


def check_writable(path: str | Path | None) -> None:
    """Fail before any work starts if ``path`` cannot be written."""
    if path is None:
        return
    target = Path(path)
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"cannot write {target}: folder {parent} does not exist")
    longest = _name_max(parent)
    if len(target.name.encode()) > longest:
        raise OutputError(f"cannot write {target.name[:40]}...: the name is {len(target.name.encode())} bytes long, "
                          f"longer than the {longest} this folder allows")
    if target.is_dir():
        raise OutputError(f"{target} is a folder; give a file name")
    if target.exists() and not os.access(target, os.W_OK):
        raise OutputError(f"cannot write {target}: permission denied")
    # Permissions do not tell everything (a read-only or special file system such as /proc):
    # try to make a file there.
    try:
        fd, probe = tempfile.mkstemp(prefix=".coach-", dir=str(parent))
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None


def _name_max(folder: Path) -> int:
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):
        return 255


def write_json_atomic(path: str | Path, data: Any) -> None:
    """Write JSON via a temporary file and a rename, so a crash never leaves half a report."""
    target = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=".coach-", suffix=".tmp", dir=str(target.parent or "."))
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=2)
            fh.write("\n")
        os.chmod(tmp, 0o666 & ~_umask())          # as any file written here (mkstemp makes it private)
        os.replace(tmp, target)
    except OSError as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise OutputError(f"cannot write {target}: {exc}") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no lock; coach.app.recovery waits for a log to age instead
    fcntl = None  # type: ignore[assignment]

#: The first line of a live session's event log: what coach.app.recovery needs to rebuild its report.
SESSION_STARTED = "SessionStarted"
#: The file a running routine holds locked in its folder of event logs.
SESSION_LOCK = "routine.lock"


class SessionLock:
    """A file held locked while a routine runs: between its exercises (and in its rests) no event
    log is open, and this tells ``coach.app.recovery`` the routine is not over."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fh: Any = open(self.path, "a", encoding="utf-8")
            if fcntl is not None:
                fcntl.flock(self._fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            raise OutputError(f"cannot lock {self.path}: {exc}") from None

    def release(self) -> None:
        """Unlock and remove the file: a routine that ended leaves no lock behind."""
        self.path.unlink(missing_ok=True)
        self._fh.close()


class EventLog:
    """Appends one JSON line per event and flushes it, so a crash loses at most the last event.

    ``header`` (a live session's: exercise, start, where the report goes) is written first, and
    the file is locked while the log is open, so :mod:`coach.app.recovery` can tell a session cut off
    from one still running.
    """

    def __init__(self, path: str | Path, header: dict[str, Any] | None = None) -> None:
        self.path = Path(path)
        self.header = header
        self._fh: Any = None             # opened with the first event: a start that fails leaves no file

    def write(self, events: Sequence[Event]) -> None:
        if events and self._fh is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._fh = open(self.path, "a", encoding="utf-8")
                if fcntl is not None:
                    fcntl.flock(self._fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                raise OutputError(f"cannot write event log {self.path}: {exc}") from None
            if self.header is not None:
                self._fh.write(json.dumps({"event": SESSION_STARTED, **self.header}) + "\n")
        for event in events:
            data = asdict(event)
            if isinstance(event, (RepFinished, RepRecounted)):
                data["rep"] = event.rep.as_dict()
            self._fh.write(json.dumps({"event": type(event).__name__, **data}, default=str) + "\n")
        if events:
            self._fh.flush()

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()


class VideoSink:
    """Writes annotated frames to an MP4 file in H.264, which browsers and phones play.

    PyAV's FFmpeg (with libx264) encodes it: OpenCV's own writer has only MPEG-4 Part 2 here. The
    picture is cropped to even sides (H.264 in yuv420p needs them) and the index moved to the front
    of the file, so a browser starts playing before it has the whole file.
    """

    def __init__(self, path: str | Path, fps: float, size: tuple[int, int]) -> None:
        import av  # only here: reports and logs are written without it

        self.path = Path(path)
        self.size = (size[0] - size[0] % 2, size[1] - size[1] % 2)
        try:
            self._container = av.open(str(self.path), mode="w", options={"movflags": "+faststart"})
            self._stream = self._container.add_stream("libx264", rate=Fraction(fps).limit_denominator(1001),
                                                      options={"crf": "23", "preset": "veryfast"})
        except (av.FFmpegError, OSError, ValueError) as exc:
            raise OutputError(f"cannot write video {self.path}: {exc}") from None
        self._stream.width, self._stream.height = self.size
        self._stream.pix_fmt = "yuv420p"
        self._frame_type = av.VideoFrame

    def write(self, image: np.ndarray) -> None:
        width, height = self.size
        frame = self._frame_type.from_ndarray(np.ascontiguousarray(image[:height, :width]), format="bgr24")
        self._container.mux(self._stream.encode(frame))

    def close(self) -> None:
        self._container.mux(self._stream.encode(None))     # what the encoder still holds
        self._container.close()


def highlight_spans(report: Report, margin_s: float = 1.0) -> list[tuple[float, float]]:
    """The stretches a physiotherapist wants to see: each rep, hold and form cue, with ``margin_s``
    before and after, overlapping ones merged (seconds, in order)."""
    spans = [(r.start_s, r.end_s) for r in report.reps.items]
    spans += [(h.start_s, h.end_s) for h in report.hold.items]
    spans += [(w.start_s, w.end_s if w.end_s is not None else w.start_s) for w in report.warnings]
    merged: list[tuple[float, float]] = []
    for start, end in sorted((max(0.0, a - margin_s), b + margin_s) for a, b in spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def write_highlights(annotated: str | Path, out: str | Path, spans: Sequence[tuple[float, float]]) -> float:
    """Copy the frames of ``annotated`` inside ``spans`` into ``out`` (H.264), each stamped with its
    time in the full recording; returns the seconds written."""
    import av
    import cv2

    with av.open(str(annotated)) as source:
        stream = source.streams.video[0]
        fps = float(stream.average_rate or 30)
        sink = VideoSink(out, fps, (stream.width, stream.height))
        written = 0
        try:
            for index, frame in enumerate(source.decode(stream)):
                t = index / fps
                if not any(a <= t <= b for a, b in spans):
                    continue
                image = frame.to_ndarray(format="bgr24")
                scale = image.shape[0] / 360           # readable on a phone: 1/20 of the height
                cv2.putText(image, f"{t:.1f} s", (int(8 * scale), image.shape[0] - int(8 * scale)),
                            cv2.FONT_HERSHEY_SIMPLEX, 0.6 * scale, (255, 255, 255), max(1, round(1.5 * scale)),
                            cv2.LINE_AA)
                sink.write(image)
                written += 1
        finally:
            sink.close()
    return written / fps

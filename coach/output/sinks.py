"""Outputs: annotated video, an append-only event log, atomically written reports."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

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
        os.replace(tmp, target)
    except OSError as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise OutputError(f"cannot write {target}: {exc}") from None


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
    """Writes annotated frames to an mp4 file."""

    def __init__(self, path: str | Path, fps: float, size: tuple[int, int]) -> None:
        import cv2  # only here: the event log and reports are written without OpenCV

        self.path = Path(path)
        self._writer = cv2.VideoWriter(str(self.path), cv2.VideoWriter.fourcc(*"mp4v"), fps, size)
        if not self._writer.isOpened():
            raise OutputError(f"cannot write video {self.path}")

    def write(self, image: np.ndarray) -> None:
        self._writer.write(image)

    def close(self) -> None:
        self._writer.release()

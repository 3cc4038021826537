"""One exception family for the whole package.

Library code raises these; only :mod:`coach.cli` turns them into a one-line
message and an exit code, so that every entry point reports problems the same
way and tests can assert on the exception type instead of parsing text.
"""

from __future__ import annotations


class CoachError(Exception):
    """Base class of every error the coach reports to a person."""

    exit_code = 1


class SpecError(CoachError):
    """An exercise spec file is missing, unreadable or invalid."""

    exit_code = 3


class VideoError(CoachError):
    """A video file cannot be opened or decoded."""

    exit_code = 4


class CameraError(CoachError):
    """No usable camera: absent, busy, denied or lost mid-session."""

    exit_code = 5


class ModelError(CoachError):
    """The pose model cannot be loaded (missing package or `.task` file)."""

    exit_code = 6


class OutputError(CoachError):
    """An output path cannot be written; checked before any work starts."""

    exit_code = 7


class HistoryError(CoachError):
    """The session history database cannot be opened, read or written."""

    exit_code = 8

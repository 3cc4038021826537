"""Small frozen dataclasses that the pipeline stages hand to each other.

source -> :class:`Frame` -> pose -> :class:`Pose` -> session -> :class:`Snapshot`
(+ events) -> render and sinks. None of these import cv2 or mediapipe, so the
engine can be tested on synthetic landmark sequences.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Frame:
    """One decoded image and when it was taken.

    ``t`` is seconds: frame index / fps for files, a monotonic clock for cameras,
    read when the frame was captured (not when the loop took it). ``dropped`` is
    how many newer frames a camera had to skip before this one, because the loop
    was still busy.
    """

    image: np.ndarray
    index: int
    t: float
    dropped: int = 0
    captured: float | None = None      # time.monotonic() at capture, for a camera: how late the loop is


@dataclass(frozen=True, eq=False)
class Pose:
    """One person's 33 landmarks in pixel coordinates of the analysed image.

    ``xy`` is (33, 2) pixels, ``visibility`` (33,) in [0, 1], ``depth`` (33,)
    MediaPipe's relative z (smaller is nearer the camera) in the same scale
    as x. Angles are always computed from ``xy`` in pixels, never from
    normalised coordinates, so a non-square frame does not skew them.
    """

    xy: np.ndarray
    visibility: np.ndarray
    depth: np.ndarray
    image_size: tuple[int, int]

    def replace_xy(self, xy: np.ndarray) -> Pose:
        """A copy with new coordinates (the smoother's output)."""
        return Pose(xy=xy, visibility=self.visibility, depth=self.depth, image_size=self.image_size)


@dataclass(frozen=True)
class Metrics:
    """Named metric values for one instant, on the side being watched.

    A value is None when a landmark it needs is not visible.
    """

    values: Mapping[str, float | None]
    side: str
    #: Metrics measured on landmarks too faint to warn about (see MetricComputer).
    doubtful: frozenset[str] = frozenset()

    def get(self, name: str) -> float | None:
        return self.values.get(name)

    def firm(self, name: str) -> float | None:
        """The value if it is certain enough to judge form on, else None."""
        return None if name in self.doubtful else self.values.get(name)


@dataclass(frozen=True)
class RepItem:
    """A finished repetition, as it appears in the report."""

    index: int
    side: str | None
    start_s: float
    end_s: float
    complete: bool
    peak: float
    hold_s: float
    warnings: tuple[str, ...] = ()
    #: Held at the top as long as the spec's target asks (None: no target, or a partial rep).
    held: bool | None = None
    #: How far the rep rose from the person's rest (metric units): ``peak`` is where it got to on
    #: the picture's scale, which a camera above the mat or a body's own rest shifts (a real superman
    #: resting at -12 deg peaks at +2 after a 14 deg lift); the rise compares rep with rep.
    rise: float | None = None
    #: Seconds from the last moment at full range to the rep's end: its way down.
    down_s: float | None = None
    #: Came down as slowly as the spec asks (None: no pace asked, or a partial rep).
    lowered_slowly: bool | None = None
    #: The top was read on landmarks seen clearly (visibility 0.5 or more): its range is judged. A top
    #: read on a faint far-side limb counts, but how far it went is not claimed.
    top_seen: bool = True
    #: Steadiness at the top: how far the metric moved while at full range (peak less lowest), in its unit.
    top_spread: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "index": self.index, "side": self.side,
            "start_s": round(self.start_s, 3), "end_s": round(self.end_s, 3),
            "complete": self.complete, "peak": round(self.peak, 1),
            "hold_s": round(self.hold_s, 2), "warnings": list(self.warnings), "held": self.held,
            "rise": None if self.rise is None else round(self.rise, 1),
            "down_s": None if self.down_s is None else round(self.down_s, 2), "lowered_slowly": self.lowered_slowly,
            "top_seen": self.top_seen, "top_spread": None if self.top_spread is None else round(self.top_spread, 1),
            "score": {"passed": self.score[0], "of": self.score[1],
                      "missed": [name for name, passed in self.checks if passed is False]},
        }

    @property
    def checks(self) -> tuple[tuple[str, bool | None], ...]:
        """What each rep is judged by, in the order a patient reads them: ``range`` (through full
        range; None when its top was read on faint landmarks), ``held`` (the top held as asked),
        ``lowered_slowly`` (the way down as slow as asked), ``form`` (no cue). A check the spec does
        not ask for, or cannot judge (a partial rep's hold and pace), is left out; None: not judged. Steadiness is reported
        (``top_spread``), not judged: no measured threshold separates steady from not."""
        items: list[tuple[str, bool | None]] = [("range", None if not self.top_seen else self.complete)]
        if self.held is not None:
            items.append(("held", self.held))
        if self.lowered_slowly is not None:
            items.append(("lowered_slowly", self.lowered_slowly))
        items.append(("form", not self.warnings))
        return tuple(items)

    @property
    def score(self) -> tuple[int, int]:
        """(checks passed, checks judged): the rep's short score, "3 of 4"."""
        judged = [passed for _, passed in self.checks if passed is not None]
        return sum(judged), len(judged)

    @property
    def good(self) -> bool:
        """A complete rep with no form cue (how long its top was held is ``held``)."""
        return self.complete and not self.warnings


@dataclass(frozen=True)
class RepStarted:
    t: float
    side: str | None


@dataclass(frozen=True)
class RepFinished:
    """A rep ended; ``rep.complete`` is False for a partial rep."""

    t: float
    rep: RepItem


@dataclass(frozen=True)
class RepRecounted:
    """An earlier partial rep counts after all: the person's own range, known since, says it was a rep."""

    t: float
    rep: RepItem


@dataclass(frozen=True)
class RepAborted:
    """A rep in progress was dropped (person left, lost from view)."""

    t: float
    reason: str


@dataclass(frozen=True)
class HoldSegment:
    """A stretch of time in the target position, ended at ``end_s``."""

    t: float
    start_s: float
    end_s: float
    in_form_s: float
    side: str | None

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


@dataclass(frozen=True)
class HoldInProgress:
    """The hold still open at ``t``, as far as it has come: written to a live session's event log
    once a second, so a session cut off hard (a crash, a power cut) keeps the hold it was in."""

    t: float
    start_s: float
    end_s: float
    in_form_s: float
    side: str | None


@dataclass(frozen=True)
class WarningStarted:
    t: float
    id: str
    message: str
    cue: str = ""          # the few words said and shown big ("Lift your hips")


@dataclass(frozen=True)
class WarningEnded:
    t: float
    id: str


class SessionState(StrEnum):
    """Whether the session can count and judge now (see :mod:`coach.analysis.session`); its value is
    the word in event logs and reports."""

    NO_PERSON = "no_person"               # nobody detected
    WRONG_VIEW = "wrong_view"             # seen from the wrong side for a while
    CANT_SEE = "cant_see"                 # landmarks the exercise needs are hidden
    NOT_IN_POSITION = "not_in_position"   # visible, not in the exercise's position
    ACTIVE = "active"                     # counting, timing and checking form


@dataclass(frozen=True)
class StateChanged:
    """The session's tracking state changed (see :mod:`coach.analysis.session`)."""

    t: float
    state: SessionState
    message: str


Event = (RepStarted | RepFinished | RepRecounted | RepAborted | HoldSegment | HoldInProgress | WarningStarted
         | WarningEnded | StateChanged)


@dataclass(frozen=True)
class Snapshot:
    """What the session knows after one frame: everything the overlay draws."""

    t: float
    state: SessionState
    message: str
    side: str | None
    metrics: Metrics | None
    pose: Pose | None
    reps: int
    reps_by_side: Mapping[str, int] | None
    partial_reps: int
    rep_phase: str
    hold_s: float
    current_hold_s: float
    hold_in_form_s: float
    current_in_form_s: float
    warnings: tuple[tuple[str, str], ...]
    events: tuple[Event, ...] = field(default=())
    #: Body parts the exercise measures that the pose model could not see in this frame.
    hidden_parts: tuple[str, ...] = ()

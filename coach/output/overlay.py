"""The screen: what a person on a mat 2-3 m from the laptop sees, and the annotated video.

Every size is a share of the picture's height, so the screen reads the same
in a 640x480 window and full screen at 1920x1080. From 2.5 m, one arc-minute
is about 4 pixels of a 15.6-inch 1080p screen, and text needs 5 or more
arc-minutes to be read at a glance: the count or the timer is 14 % of the
height tall (about 150 px at 1080), the cue 7 %, the state word 5.5 %; the
angles, the fps and the long explanation are small and only shown with
details on (``d``). At most one form cue shows at a time, in a banner, and the
body segments it is about are drawn thick in red on the skeleton.

Drawing goes through a :class:`Canvas`, which fits each text inside the
picture (shrinking or wrapping it) and keeps a :class:`TextBox` per text, so
tests can measure what a person sees. Left and right in the analysis never
change; ``mirror`` only flips the picture and the skeleton, like a mirror.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import cv2
import numpy as np

from coach import landmarks
from coach.specs.model import ExerciseSpec, metric_unit
from coach.types import Pose, SessionState, Snapshot

GREEN = (80, 200, 80)
#: Words in green on the dark bands: light enough to stand out as much as white does from 2-3 m.
LIGHT_GREEN = (150, 255, 150)
RED = (40, 40, 230)
AMBER = (0, 180, 255)
WHITE = (255, 255, 255)
GREY = (170, 170, 170)
DARK = (25, 25, 25)
CUE_BAND = (20, 20, 150)
ADVICE_BAND = (10, 70, 120)

FONT = cv2.FONT_HERSHEY_DUPLEX

# Text heights (of a capital or a digit) as shares of the picture's height.
COUNT_H = 0.14
COUNTDOWN_H = 0.30
CUE_H = 0.07
STATE_H = 0.07
LINE_H = 0.045
#: Notices (the safety advice, a routine's progress): read from the mat like the rest, a line's size.
NOTICE_H = LINE_H
DETAIL_H = 0.028
MARGIN = 0.03

#: What the state word says for each state of the session (see coach.analysis.session).
STATE_WORDS = {SessionState.NO_PERSON: "STEP INTO VIEW", SessionState.WRONG_VIEW: "TURN",
               SessionState.CANT_SEE: "MOVE INTO VIEW", SessionState.NOT_IN_POSITION: "GET INTO POSITION"}


@dataclass(frozen=True)
class TextBox:
    """One text as drawn: ``cap_px`` is the height of its capitals and digits in pixels."""

    role: str
    text: str
    x0: int
    y0: int
    x1: int
    y1: int
    cap_px: int


def _size(text: str, scale: float, thickness: int) -> tuple[int, int, int]:
    (w, h), baseline = cv2.getTextSize(text, FONT, scale, thickness)
    return w, h, baseline


def _scale_for(cap_px: float) -> float:
    """The font scale whose capitals are ``cap_px`` tall."""
    return max(0.1, cap_px / _size("H", 1.0, 1)[1])


def _thickness(cap_px: float) -> int:
    return max(1, int(round(cap_px / 14)))


@dataclass
class Canvas:
    """A picture to draw on, remembering every text drawn and where."""

    image: np.ndarray
    boxes: list[TextBox] = field(default_factory=list)

    @property
    def height(self) -> int:
        return self.image.shape[0]

    @property
    def width(self) -> int:
        return self.image.shape[1]

    @property
    def margin(self) -> int:
        return int(MARGIN * self.height)

    def px(self, share: float) -> float:
        return share * self.height

    def measure(self, text: str, cap_px: float) -> tuple[int, int]:
        """Width and height (capitals to the lowest descender) of ``text`` at ``cap_px``."""
        w, h, base = _size(text, _scale_for(cap_px), _thickness(cap_px))
        return w, h + base

    def text(self, role: str, text: str, x: int, top: int, cap_px: float, color: tuple[int, int, int],
             max_width: int | None = None, align: str = "left", outline: bool = True) -> TextBox:
        """Draw one line with its capitals' top at ``top``; shrunk to ``max_width`` (default: to the
        right margin) and kept inside the picture. ``align`` is left, center or right of ``x``.
        ``outline`` (for text straight on the picture) rings it in black; text on a band needs none."""
        room = max_width if max_width is not None else self.width - self.margin - (x if align == "left" else 0)
        room = max(1, min(room, self.width - 2 * self.margin))
        thickness = _thickness(cap_px)
        scale = _scale_for(cap_px)
        w, h, base = _size(text, scale, thickness)
        if w > room:
            scale *= room / w
            thickness = _thickness(cap_px * room / w)
            w, h, base = _size(text, scale, thickness)
        left = x if align == "left" else (x - w // 2 if align == "center" else x - w)
        left = min(max(left, self.margin // 2), self.width - w - self.margin // 2)
        top = min(max(top, 0), self.height - h - base)
        baseline_y = top + h
        # The outline is the text itself, shifted: a thicker stroke would be laid out wider.
        reach = max(1, int(round(h / 22))) if outline else 0
        for dx, dy in () if not outline else ((-reach, 0), (reach, 0), (0, -reach), (0, reach), (-reach, -reach), (reach, reach),
                       (-reach, reach), (reach, -reach)):
            cv2.putText(self.image, text, (left + dx, baseline_y + dy), FONT, scale, (0, 0, 0), thickness, cv2.LINE_AA)
        cv2.putText(self.image, text, (left, baseline_y), FONT, scale, color, thickness, cv2.LINE_AA)
        box = TextBox(role, text, left, top, left + w, baseline_y + base, h)
        self.boxes.append(box)
        return box

    def wrapped(self, role: str, text: str, x: int, top: int, cap_px: float, color: tuple[int, int, int],
                max_width: int, align: str = "left", max_lines: int = 2, outline: bool = True) -> list[TextBox]:
        """Draw ``text`` on as few lines as fit ``max_width`` at ``cap_px`` (at most ``max_lines``; all
        of them smaller if it must); return the boxes, top to bottom."""
        lines, cap_px = fit_lines(text, max_width, cap_px, max_lines)
        boxes = []
        for line in lines:
            box = self.text(role, line, x, top, cap_px, color, max_width=max_width, align=align, outline=outline)
            boxes.append(box)
            top = box.y1 + int(cap_px * 0.45)
        return boxes

    def band(self, y0: int, y1: int, color: tuple[int, int, int], alpha: float = 0.75,
             x0: int = 0, x1: int | None = None) -> None:
        """A half-transparent box behind text, so it reads on any picture."""
        x1 = self.width if x1 is None else x1
        y0, y1 = max(0, y0), min(self.height, y1)
        if y1 <= y0:
            return
        region = self.image[y0:y1, x0:x1]
        region[:] = (region * (1 - alpha) + np.array(color, dtype=float) * alpha).astype(np.uint8)

    def bar(self, x: int, y: int, width: int, height: int, share: float, color: tuple[int, int, int]) -> None:
        """A progress bar, ``share`` (0-1) of it filled."""
        cv2.rectangle(self.image, (x, y), (x + width, y + height), (60, 60, 60), -1)
        filled = int(width * min(1.0, max(0.0, share)))
        if filled > 0:
            cv2.rectangle(self.image, (x, y), (x + filled, y + height), color, -1)
        cv2.rectangle(self.image, (x, y), (x + width, y + height), WHITE, max(1, height // 8))


def _wrap(text: str, max_width: int, cap_px: float) -> list[str]:
    """Words to lines no wider than ``max_width`` at ``cap_px`` (a single word may be wider)."""
    scale, thickness = _scale_for(cap_px), _thickness(cap_px)
    lines: list[str] = []
    for word in text.split():
        if lines and _size(f"{lines[-1]} {word}", scale, thickness)[0] <= max_width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def fit_lines(text: str, max_width: int, cap_px: float, max_lines: int) -> tuple[list[str], float]:
    """``text`` wrapped into at most ``max_lines`` lines of ``max_width``: at ``cap_px`` if it can,
    else at the largest size (in steps of a tenth) where it does; returns the lines and the size."""
    while True:
        lines = _wrap(text, max_width, cap_px)
        scale, thickness = _scale_for(cap_px), _thickness(cap_px)
        fits = len(lines) <= max_lines and all(_size(line, scale, thickness)[0] <= max_width for line in lines)
        if fits or cap_px < 6:
            return lines[:max_lines] if fits else [" ".join(lines)], cap_px
        cap_px *= 0.9


def _fmt(value: float) -> str:
    """Angles in whole degrees; small values (torso lengths) with one decimal."""
    return f"{value:.0f}" if abs(value) >= 10 else f"{value:.1f}"


def _metric_points(spec: ExerciseSpec, name: str) -> tuple[str, ...]:
    """The landmark names a metric is measured between (through the metrics it is made of)."""
    return tuple(p for leaf in _leaf_metrics(spec, name) for p in spec.metrics[leaf].points)


def _metric_anchor(spec: ExerciseSpec, name: str, side: str) -> int | None:
    points = _metric_points(spec, name)
    if not points:
        return None
    middle = points[len(points) // 2] if len(points) == 3 else points[-1]
    return landmarks.indices(middle, side)[0]


def _leaf_metrics(spec: ExerciseSpec, name: str, seen: frozenset[str] = frozenset()) -> list[str]:
    """The measured metrics a metric is made of (itself, if it is measured on points)."""
    metric = spec.metrics.get(name)
    if metric is None or name in seen:
        return []
    if metric.points:
        return [name]
    return [leaf for part in metric.of for leaf in _leaf_metrics(spec, part, seen | {name})]


def _segments(spec: ExerciseSpec, warning_id: str, side: str) -> list[tuple[int, int]]:
    """The body segments a warning is about: each measured metric's landmarks, joined in order."""
    rule = next((w for w in spec.warnings if w.id == warning_id), None)
    if rule is None:
        return []
    segments: list[tuple[int, int]] = []
    for leaf in _leaf_metrics(spec, rule.metric):
        points = [landmarks.indices(p, side)[0] for p in spec.metrics[leaf].points]
        segments += [pair for pair in zip(points, points[1:]) if pair not in segments]
    return segments


def draw_skeleton(out: np.ndarray, pose: Pose, zoom: float, mirror: bool, color: tuple[int, int, int],
                  visibility_min: float = 0.3, highlight: Sequence[tuple[int, int]] = (),
                  offset_x: int = 0) -> list[tuple[int, int]]:
    """Draw the landmarks seen well enough on ``out`` (already zoomed, padded by ``offset_x`` on
    each side and mirrored), the ``highlight`` segments thick and red; return every landmark's pixel."""
    width = out.shape[1]
    xy = pose.xy * zoom
    xy[:, 0] += offset_x
    if mirror:
        xy[:, 0] = width - 1 - xy[:, 0]
    thick = max(2, int(out.shape[0] / 240))
    pts = [(int(p[0]), int(p[1])) for p in xy]
    seen = pose.visibility >= visibility_min
    for a, b in _EDGES:
        if seen[a] and seen[b]:
            cv2.line(out, pts[a], pts[b], color, thick, cv2.LINE_AA)
    for a, b in highlight:
        cv2.line(out, pts[a], pts[b], RED, thick * 3, cv2.LINE_AA)
    for i, p in enumerate(pts):
        if seen[i]:
            cv2.circle(out, p, thick + 1, WHITE, -1, cv2.LINE_AA)
    return pts


_EDGES = [(landmarks.INDEX[a], landmarks.INDEX[b]) for a, b in landmarks.EDGES]


def _picture(image: np.ndarray, zoom: float, mirror: bool, min_aspect: float | None = None) -> tuple[np.ndarray, int]:
    """The picture to draw on: enlarged, padded with black on both sides to ``min_aspect`` (width
    over height; a portrait camera leaves room for the text), mirrored; and the padding's width."""
    out = cv2.resize(image, None, fx=zoom, fy=zoom, interpolation=cv2.INTER_LINEAR) if zoom != 1.0 else image.copy()
    pad = 0
    if min_aspect is not None and out.shape[1] < min_aspect * out.shape[0]:
        pad = int(round((min_aspect * out.shape[0] - out.shape[1]) / 2))
        out = cv2.copyMakeBorder(out, 0, 0, pad, pad, cv2.BORDER_CONSTANT, value=(0, 0, 0))
    return (cv2.flip(out, 1) if mirror else out), pad


class OverlayRenderer:
    """The exercise screen for one spec: the count or timer, the state, one cue, the skeleton.

    ``details`` adds the angles beside the joints, the time in position, the
    fps and the full explanation of the cue, in small text (the annotated video
    and the report's pictures have them; the live screen toggles them with d).
    """

    def __init__(self, spec: ExerciseSpec, mirror: bool = False, visibility_min: float = 0.3,
                 details: bool = True, min_aspect: float | None = None) -> None:
        self.spec = spec
        self.mirror = mirror
        self.min_aspect = min_aspect
        self.visibility_min = visibility_min
        self.details = details
        self.last_boxes: list[TextBox] = []

    def annotate(self, image: np.ndarray, snapshot: Snapshot, fps: float | None = None,
                 zoom: float = 1.0, notice: Sequence[str] = (), banner: str = "") -> np.ndarray:
        """Return a new image with the screen drawn on ``image`` (enlarged ``zoom`` times first).
        ``notice`` lines (a routine's progress, the safety advice) are shown small, under the count;
        ``banner`` is advice shown at the bottom when there is no form cue."""
        picture, pad = _picture(image, zoom, self.mirror, self.min_aspect)
        canvas = Canvas(picture)
        s = snapshot
        cue = self._cue(s)
        if s.pose is not None:
            color = GREEN if s.state is SessionState.ACTIVE else GREY
            side = s.metrics.side if s.metrics is not None else "left"
            highlight = _segments(self.spec, s.warnings[0][0], side) if s.warnings else []
            pts = draw_skeleton(canvas.image, s.pose, zoom, self.mirror, color, self.visibility_min, highlight, pad)
            if self.details and s.metrics is not None:
                self._angles(canvas, s, pts)
        top = self._state_line(canvas, s)
        top = self._count(canvas, s, top)
        for line in notice:
            top = _notice(canvas, line, top, int(canvas.width * 0.6))
        if self.details:
            self._detail_lines(canvas, s, fps)
        if cue:
            bottom_banner(canvas, "cue", cue, CUE_BAND)
        elif banner:
            bottom_banner(canvas, "advice", banner, ADVICE_BAND)
        elif s.state is not SessionState.ACTIVE and s.message:
            bottom_banner(canvas, "advice", s.message, ADVICE_BAND)
        self.last_boxes = canvas.boxes
        return canvas.image

    def _cue(self, s: Snapshot) -> str:
        if not s.warnings:
            return ""
        wid = s.warnings[0][0]
        rule = next((w for w in self.spec.warnings if w.id == wid), None)
        return rule.cue if rule is not None and rule.cue else s.warnings[0][1]

    def _state_line(self, canvas: Canvas, s: Snapshot) -> int:
        """The state word (top left) and the exercise's name (top right); returns the y below them."""
        m = canvas.margin
        if s.state is SessionState.ACTIVE:
            word, color = ("HOLD", LIGHT_GREEN) if self.spec.kind == "hold" or s.current_hold_s > 0 \
                else ("GO", LIGHT_GREEN)
            asked = self.spec.targets.hold_s
            if self.spec.kind == "reps" and asked and s.current_hold_s > 0:
                # At the top of a rep the articles ask to hold: count the seconds down, then lower.
                left = math.ceil(asked - s.current_hold_s)
                word = f"HOLD {left}" if left > 0 else "LOWER SLOWLY"
        else:
            word, color = STATE_WORDS.get(s.state, s.state.replace("_", " ").upper()), AMBER
        cap = canvas.px(STATE_H)
        canvas.band(0, int(m * 2 + cap * 1.3), DARK, 0.85)     # dark: the state word reads over a bright room
        state = canvas.text("state", word, m, m, cap, color, max_width=int(canvas.width * 0.55), outline=False)
        name_room = canvas.width - state.x1 - 3 * m
        canvas.text("title", self.spec.name, canvas.width - m, m, cap * 0.8, WHITE, max_width=name_room,
                    align="right", outline=False)
        return int(m * 2 + cap * 1.3) + m

    def _count(self, canvas: Canvas, s: Snapshot, top: int) -> int:
        """The count against the target (reps) or the seconds held in good form against the target,
        with a progress bar; returns the y below them."""
        spec, m = self.spec, canvas.margin
        cap = canvas.px(COUNT_H)
        target = spec.targets
        if spec.kind == "reps":
            count = s.reps_by_side[s.side] if (s.reps_by_side and s.side is not None and s.side in s.reps_by_side) \
                else s.reps
            text = f"{count} / {target.reps}" if target.reps else f"{count}"
            role, share = "count", (count / target.reps if target.reps else 0.0)
        else:
            held = s.current_in_form_s
            text = f"{held:.0f} / {target.hold_s:g} s" if target.hold_s else f"{held:.0f} s"
            role, share = "timer", (held / target.hold_s if target.hold_s else 0.0)
        width, height = canvas.measure(text, cap)
        width = min(width, int(canvas.width * 0.6))
        bar_h = max(6, int(canvas.px(0.022)))
        bar_w = max(width, int(canvas.width * 0.3))
        canvas.band(top - m // 2, top + height + m + bar_h + m // 2, DARK, 0.7, x0=m // 2, x1=m + bar_w + m // 2)
        box = canvas.text(role, text, m, top, cap, WHITE, max_width=int(canvas.width * 0.6), outline=False)
        canvas.bar(m, box.y1 + m // 2, bar_w, bar_h, share, GREEN)
        top = box.y1 + m // 2 + bar_h + m // 2
        small = canvas.px(LINE_H)
        if s.reps_by_side and spec.kind == "reps":
            per = f" / {target.reps}" if target.reps else ""
            text = "   ".join(f"{side} {s.reps_by_side[side]}{per}" for side in ("left", "right"))
            top = canvas.text("sides", text, m, top, small, WHITE, max_width=int(canvas.width * 0.6)).y1 + m // 2
        if s.partial_reps and spec.kind == "reps":
            top = canvas.text("partial", f"+ {s.partial_reps} partial", m, top, small, AMBER,
                              max_width=int(canvas.width * 0.6)).y1 + m // 2
        return top

    def _angles(self, canvas: Canvas, s: Snapshot, pts: list[tuple[int, int]]) -> None:
        assert s.metrics is not None
        cap = canvas.px(DETAIL_H)
        for name in self.spec.display:
            value = s.metrics.get(name)
            anchor = _metric_anchor(self.spec, name, s.metrics.side)
            if value is None or anchor is None:
                continue
            x, y = pts[anchor]
            canvas.text("angle", _fmt(value), x + int(cap), y - int(2 * cap), cap, AMBER)

    def _detail_lines(self, canvas: Canvas, s: Snapshot, fps: float | None) -> None:
        """Small white lines on a dark box at the top right: for the physiotherapist, not the mat."""
        # A hold: this hold's seconds and all of them in good form; a rep exercise: the time at the
        # top of the rep in progress (its "hold" is the top of each rep).
        lines = ([f"this hold {s.current_hold_s:.0f} s; {s.hold_in_form_s:.0f} s in good form in all"]
                 if self.spec.kind == "hold" else
                 [f"at the top {s.current_hold_s:.1f} s" if s.current_hold_s > 0 else "not at the top"])
        if s.metrics is not None:
            shown = [(n, s.metrics.get(n)) for n in self.spec.display]
            lines += [f"{n.replace('_', ' ')} {_fmt(v)} {metric_unit(self.spec, n)}".rstrip() for n, v in shown
                      if v is not None]
        if s.warnings:
            lines.append(s.warnings[0][1])
        if fps is not None:
            lines.append(f"{fps:.0f} fps")
        m, cap = canvas.margin, canvas.px(DETAIL_H)
        width = int(canvas.width * 0.42)
        wrapped = [part for line in lines for part in fit_lines(line, width, cap, 3)[0]]
        step = int(cap * 1.6)
        x0 = canvas.width - width - 2 * m
        top = int(m * 2 + canvas.px(STATE_H) * 1.3) + m
        canvas.band(top - m // 2, top + step * len(wrapped) + m // 2, DARK, 0.6, x0=x0 - m // 2,
                    x1=canvas.width - m // 2)
        for line in wrapped:
            canvas.text("detail", line, x0, top, cap, WHITE, max_width=width, outline=False)
            top += step


def _notice(canvas: Canvas, text: str, top: int, width: int) -> int:
    """A notice line at the left, wrapped to ``width``, on a dark band so it reads over any picture;
    returns the y below it."""
    m = canvas.margin
    lines, cap = fit_lines(text, width, canvas.px(NOTICE_H), 3)
    height = int(len(lines) * cap * 1.45 + m // 2)
    canvas.band(top - m // 4, top + height, DARK, 0.6, x0=m // 2, x1=m + width + m // 2)
    for line in lines:
        top = canvas.text("notice", line, m, top, cap, WHITE, max_width=width, outline=False).y1 + int(cap * 0.45)
    return top + m // 3


def bottom_banner(canvas: Canvas, role: str, text: str, color: tuple[int, int, int], cap_share: float = CUE_H,
                  max_lines: int = 3) -> None:
    """A full-width band at the bottom with ``text`` big on it (wrapped, and smaller only if it must)."""
    m = canvas.margin
    lines, cap = fit_lines(text, canvas.width - 2 * m, canvas.px(cap_share), max_lines)
    height = int(len(lines) * cap * 1.45 + cap * 0.45 + 2 * m)
    top = canvas.height - height
    canvas.band(top, canvas.height, color, 0.8)
    canvas.wrapped(role, text, canvas.width // 2, top + m, cap, WHITE, canvas.width - 2 * m, align="center",
                   max_lines=max_lines, outline=False)


def centre_banner(canvas: Canvas, role: str, text: str, sub: str = "", cap_share: float = COUNT_H) -> None:
    """Big text across the middle (PAUSED, RESET, REST 12 s, a countdown), ``sub`` under it."""
    m, cap = canvas.margin, canvas.px(cap_share)
    sub_cap = canvas.px(CUE_H)
    height = int(cap * 1.5 + (sub_cap * 1.6 if sub else 0) + 2 * m)
    top = (canvas.height - height) // 2
    canvas.band(top, top + height, DARK, 0.7)
    box = canvas.text(role, text, canvas.width // 2, top + m, cap, WHITE, max_width=canvas.width - 2 * m,
                      align="center", outline=False)
    if sub:
        canvas.wrapped(f"{role}_sub", sub, canvas.width // 2, box.y1 + int(sub_cap * 0.6), sub_cap, WHITE,
                       canvas.width - 2 * m, align="center", max_lines=1, outline=False)


def message_view(image: np.ndarray, title: str, advice: str = "", big: str = "", zoom: float = 1.0,
                 mirror: bool = False, pose: Pose | None = None, small: Sequence[str] = (),
                 min_aspect: float | None = None, sub: str = "") -> Canvas:
    """The camera picture with a screen of words: the set-up check, a countdown, a routine's rest.

    ``title`` is the state word, ``big`` a number or word in the middle (the
    countdown), ``advice`` a banner at the bottom, ``small`` lines under the
    title; the skeleton is drawn in grey when a pose is given, so the person
    sees what the camera finds; ``sub`` goes under ``big``.
    """
    picture, pad = _picture(image, zoom, mirror, min_aspect)
    canvas = Canvas(picture)
    if pose is not None:
        draw_skeleton(canvas.image, pose, zoom, mirror, GREY, offset_x=pad)
    m, cap = canvas.margin, canvas.px(STATE_H)
    canvas.band(0, int(m * 2 + cap * 1.3), DARK, 0.85)     # dark: the state word reads over a bright room
    top = canvas.text("state", title, m, m, cap, AMBER, outline=False).y1 + 2 * m
    if big:
        centre_banner(canvas, "big", big, sub, cap_share=COUNTDOWN_H if big.isdigit() else COUNT_H)
    for line in small:                      # over the banner: the safety line must stay readable
        top = _notice(canvas, line, top, canvas.width - 2 * m)
    if advice:
        bottom_banner(canvas, "advice", advice, ADVICE_BAND)
    return canvas


def summary_view(image: np.ndarray, title: str, lines: Sequence[str], footer: str = "") -> Canvas:
    """The end of a session, over its last picture darkened: ``lines`` big enough to read from the mat."""
    canvas = Canvas(image.copy())
    canvas.band(0, canvas.height, DARK, 0.85)
    m = canvas.margin
    width = canvas.width - 4 * m
    top = canvas.text("summary_title", title, m * 2, m * 2, canvas.px(STATE_H * 1.3), LIGHT_GREEN,
                      outline=False).y1 + 2 * m
    bottom = canvas.height - m
    if footer:
        # The report's full path, wrapped: a person must be able to find it, not only its name.
        cap = canvas.px(DETAIL_H * 1.2)
        footer_lines, cap = fit_lines(footer, width, cap, 3)
        bottom = y = canvas.height - 2 * m - int(len(footer_lines) * cap * 1.45)
        for line in footer_lines:
            y = canvas.text("footer", line, m * 2, y, cap, GREY, max_width=width, outline=False).y1 + int(cap * 0.45)
    # The lines at full size while they fit above the footer (the results come first); the notes
    # after them (what was not judged, what a hold may include) smaller if they must, never over
    # the report's path.
    full = canvas.px(LINE_H * 1.2)

    def height(line: str, cap: float) -> float:
        return sum(canvas.measure(part, cap)[1] + int(m * 0.8) for part in fit_lines(line, width, cap, 3)[0]) + m // 2

    def fits(big: int, small: float) -> bool:
        return top + sum(height(line, full if i < big else small) for i, line in enumerate(lines)) <= bottom - m

    def smaller_sizes() -> Iterator[float]:
        size = full
        while size >= canvas.px(DETAIL_H):
            yield size
            size *= 0.92

    # As many lines at full size as can be, the rest at the largest size that fits beside them.
    big, small = next(((b, size) for b in range(len(lines), -1, -1) for size in smaller_sizes() if fits(b, size)),
                      (0, canvas.px(DETAIL_H)))
    for i, line in enumerate(lines):
        cap = full if i < big else small
        for part in fit_lines(line, width, cap, 3)[0]:
            top = canvas.text("summary", part, m * 2, top, cap, WHITE, max_width=width, outline=False).y1 + int(m * 0.8)
        top += m // 2
    return canvas

"""Overlay drawing: skeleton, the exercise's angles, counters and warnings.

Annotators only read a :class:`~coach.types.Snapshot`; they hold no state of
the exercise. ``mirror=True`` flips the picture like a mirror (what people
expect from a webcam) while left and right in the analysis stay correct.
"""

from __future__ import annotations

import cv2
import numpy as np

from coach import landmarks
from coach.specs import ExerciseSpec
from coach.types import Pose, Snapshot

GREEN = (80, 200, 80)
RED = (40, 40, 230)
AMBER = (0, 180, 255)
WHITE = (255, 255, 255)
GREY = (170, 170, 170)
PANEL = (30, 30, 30)

_EDGES = [(landmarks.INDEX[a], landmarks.INDEX[b]) for a, b in landmarks.EDGES]


def _text(img: np.ndarray, text: str, org: tuple[int, int], scale: float, color: tuple[int, int, int],
          thickness: int = 1) -> None:
    cv2.putText(img, text, org, cv2.FONT_HERSHEY_SIMPLEX, scale, (0, 0, 0), thickness + 2, cv2.LINE_AA)
    cv2.putText(img, text, org, cv2.FONT_HERSHEY_SIMPLEX, scale, color, thickness, cv2.LINE_AA)


def _fmt(value: float) -> str:
    """Angles in whole degrees; small values (torso lengths) with one decimal."""
    return f"{value:.0f}" if abs(value) >= 10 else f"{value:.1f}"


def _metric_anchor(spec: ExerciseSpec, name: str, side: str) -> int | None:
    metric = spec.metrics.get(name)
    if metric is None or not metric.points:
        return None
    middle = metric.points[len(metric.points) // 2] if len(metric.points) == 3 else metric.points[-1]
    return landmarks.indices(middle, side)[0]


class OverlayRenderer:
    """Draws the live/annotated view for one exercise spec."""

    def __init__(self, spec: ExerciseSpec, mirror: bool = False, visibility_min: float = 0.3) -> None:
        self.spec = spec
        self.mirror = mirror
        self.visibility_min = visibility_min

    def annotate(self, image: np.ndarray, snapshot: Snapshot, fps: float | None = None,
                 zoom: float = 1.0, notice: tuple[str, ...] | list[str] = ()) -> np.ndarray:
        """Return a new image with the overlay drawn on ``image``.

        ``zoom`` > 1 enlarges a small camera image before drawing, so that the
        text of the live window stays readable. ``notice`` lines (a routine's
        progress, the safety advice) are shown under the counters.
        """
        if zoom != 1.0:
            out = cv2.resize(image, None, fx=zoom, fy=zoom, interpolation=cv2.INTER_LINEAR)
        else:
            out = image.copy()
        height, width = out.shape[:2]
        scale = max(0.45, min(1.2, height / 720.0))
        pose = snapshot.pose
        warned = bool(snapshot.warnings)
        if self.mirror:
            out = cv2.flip(out, 1)
        if pose is not None:
            line = RED if warned else (GREEN if snapshot.state == "active" else GREY)
            pts = draw_skeleton(out, pose, zoom, self.mirror, line, self.visibility_min)
            if snapshot.metrics is not None:
                for name in self.spec.display:
                    value = snapshot.metrics.get(name)
                    anchor = _metric_anchor(self.spec, name, snapshot.metrics.side)
                    if value is None or anchor is None:
                        continue
                    x, y = pts[anchor]
                    _text(out, _fmt(value), (x + 8, y - 8), 0.6 * scale, AMBER, 1)
        self._panel(out, snapshot, scale, fps, notice)
        return out

    def _panel(self, out: np.ndarray, s: Snapshot, scale: float, fps: float | None,
               notice: tuple[str, ...] | list[str] = ()) -> None:
        spec = self.spec
        lines: list[tuple[str, tuple[int, int, int], float]] = [(spec.name, WHITE, 0.8)]
        if spec.kind == "reps":
            target = f" / {spec.targets.reps}" if spec.targets.reps else ""
            reps = f"Reps {s.reps}{target}"
            if s.reps_by_side:
                reps += f"  (L {s.reps_by_side['left']}  R {s.reps_by_side['right']})"
            if s.partial_reps:
                reps += f"  partial {s.partial_reps}"
            lines.append((reps, WHITE, 0.75))
        # Only seconds in good form count toward the target; time in the
        # position with a warning showing is given beside it.
        hold_target = f" / {spec.targets.hold_s:g} s" if spec.targets.hold_s else ""
        lines.append((f"Hold {s.current_in_form_s:4.1f} s{hold_target} in good form"
                      f" (in position {s.current_hold_s:.0f} s)   total {s.hold_in_form_s:.0f} s", WHITE, 0.65))
        if s.metrics is not None:
            shown = [(n, s.metrics.get(n)) for n in spec.display]
            text = "   ".join(f"{n.replace('_', ' ')} {_fmt(v)}" for n, v in shown if v is not None)
            if text:
                lines.append((text, AMBER, 0.55))
        if s.state != "active":
            lines.append((s.message, AMBER, 0.65))
        for _, message in s.warnings:
            lines.append((message, RED, 0.65))
        lines += [(text, WHITE, 0.55) for text in notice]
        if fps is not None:
            lines.append((f"{fps:4.1f} fps", GREY, 0.5))
        draw_panel(out, lines, scale)


def draw_skeleton(out: np.ndarray, pose: Pose, zoom: float, mirror: bool, color: tuple[int, int, int],
                  visibility_min: float = 0.3) -> list[tuple[int, int]]:
    """Draw the landmarks seen well enough on ``out`` (already zoomed and mirrored); return their pixels."""
    width = out.shape[1]
    scale = max(0.45, min(1.2, out.shape[0] / 720.0))
    xy = pose.xy * zoom
    if mirror:
        xy[:, 0] = width - 1 - xy[:, 0]
    thick = max(2, int(3 * scale))
    pts = [tuple(int(v) for v in p) for p in xy]
    for a, b in _EDGES:
        if pose.visibility[a] >= visibility_min and pose.visibility[b] >= visibility_min:
            cv2.line(out, pts[a], pts[b], color, thick, cv2.LINE_AA)
    for i, p in enumerate(pts):
        if pose.visibility[i] >= visibility_min:
            cv2.circle(out, p, thick + 1, WHITE, -1, cv2.LINE_AA)
    return pts


def message_view(image: np.ndarray, lines: list[str], zoom: float = 1.0, mirror: bool = False,
                 pose: Pose | None = None) -> np.ndarray:
    """The camera picture with a panel of text (the set-up check, a routine's rest, its end),
    and the skeleton in grey when a pose is given, so the person sees what the camera finds."""
    out = cv2.resize(image, None, fx=zoom, fy=zoom) if zoom != 1.0 else image.copy()
    if mirror:
        out = cv2.flip(out, 1)
    if pose is not None:
        draw_skeleton(out, pose, zoom, mirror, GREY)
    scale = max(0.45, min(1.2, out.shape[0] / 720.0))
    draw_panel(out, [(text, WHITE if i else AMBER, 0.75 if i == 0 else 0.6) for i, text in enumerate(lines)], scale)
    return out


def draw_panel(out: np.ndarray, lines: list[tuple[str, tuple[int, int, int], float]], scale: float) -> None:
    """Lines of text on a half-transparent dark box in the top-left corner."""
    pad = int(10 * scale)
    y = pad
    heights = [int(32 * scale * size / 0.65) for _, _, size in lines]
    box_h = sum(heights) + pad
    box_w = int(min(out.shape[1] - 2 * pad, max(
        cv2.getTextSize(t, cv2.FONT_HERSHEY_SIMPLEX, size * scale, 1)[0][0] for t, _, size in lines) + 2 * pad))
    overlay = out.copy()
    cv2.rectangle(overlay, (pad, pad), (pad + box_w, pad + box_h), PANEL, -1)
    cv2.addWeighted(overlay, 0.6, out, 0.4, 0, dst=out)
    for (text, color, size), h in zip(lines, heights):
        y += h
        _text(out, text, (2 * pad, y), size * scale, color, 2 if size >= 0.75 else 1)

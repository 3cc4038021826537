"""The live window's picture, frame by frame: the set-up check, the rests, the exercise with its
overlay, the pause. The app's loop (``coach.app.live``) says what happens; this draws it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from coach.analysis.report import judge_tempo
from coach.output.overlay import Canvas, OverlayRenderer, centre_banner, message_view
from coach.output.safety import SAFETY_SHORT, SHOW_FOR_S
from coach.output.text import rep_score_line
from coach.specs.model import ExerciseSpec
from coach.types import Pose, RepFinished, RepRecounted, Snapshot

#: The height the camera picture is drawn at: the window (or full screen) scales it, and every
#: size on the screen is a share of the height, so only sharpness depends on this.
DISPLAY_HEIGHT = 720
#: The screen is never narrower than 4:3: a portrait camera picture is padded so the text fits.
MIN_ASPECT = 4 / 3
SLOW_NOTICE = "This computer is too slow for the camera: quick moves may be missed"
#: How long a finished rep's score stays under the count: read in the rest before the next rep.
REP_SCORE_S = 4.0


@dataclass(frozen=True)
class SetupView:
    """What the screen shows during the set-up check: a title, what to change, and the countdown's number."""

    title: str
    advice: str = ""
    countdown: int | None = None


@dataclass
class LiveScreen:
    """What the window shows, frame by frame; keeps the on-screen state the keys change."""

    mirror: bool
    details: bool = False
    renderers: dict[str, OverlayRenderer] = field(default_factory=dict)
    reset_until: float = -1.0
    advice_until: float = -1.0
    advice: str = ""
    said_count: int | None = None
    slow: bool = False            # the camera sends faster than the loop keeps up: frames are skipped
    rep_score: str = ""           # the last finished rep's score ("Rep 3: 3 of 4, top too short")
    rep_score_until: float = -1.0

    def renderer(self, spec: ExerciseSpec) -> OverlayRenderer:
        if spec.id not in self.renderers:
            self.renderers[spec.id] = OverlayRenderer(spec, mirror=self.mirror, details=self.details,
                                                      min_aspect=MIN_ASPECT)
        renderer = self.renderers[spec.id]
        renderer.details = self.details
        return renderer

    def draw(self, image: np.ndarray, spec: ExerciseSpec, notice: list[str], between: tuple[str, str, str] | None,
             pose: Pose | None, snapshot: Snapshot | None, setup: SetupView | None, t: float, first_t: float,
             fps: float) -> np.ndarray:
        """The frame as the window shows it: the set-up check, a rest between exercises or another
        message instead of one (``between``: its title, big words and line), or the exercise with its overlay; ``notice``: the program's
        small lines (the safety line and the slow-camera warning are added here)."""
        zoom = DISPLAY_HEIGHT / image.shape[0]
        if t - first_t < SHOW_FOR_S:
            notice.append(SAFETY_SHORT)
        if self.slow:
            notice.append(SLOW_NOTICE)
        if setup is not None:
            big = str(setup.countdown) if setup.countdown is not None else ""
            return message_view(image, setup.title, advice="" if big else setup.advice, big=big, sub=setup.advice if big else "",
                                zoom=zoom, mirror=self.mirror, pose=pose, small=notice, min_aspect=MIN_ASPECT).image
        if snapshot is None:
            title, big, sub = between or (spec.name, "", "")
            return message_view(image, title, big=big, sub=sub, zoom=zoom,
                                mirror=self.mirror, small=notice, min_aspect=MIN_ASPECT).image
        self._note_reps(spec, snapshot, t)
        if t < self.rep_score_until:
            notice.append(self.rep_score)
        banner = self.advice if t < self.advice_until else ""
        out = self.renderer(spec).annotate(image, snapshot, fps=fps if self.details else None, zoom=zoom,
                                                   notice=notice, banner=banner)
        if t < self.reset_until:
            canvas = Canvas(out)
            centre_banner(canvas, "banner", "RESET", "The counts start again")
        return out


    def _note_reps(self, spec: ExerciseSpec, snapshot: Snapshot, t: float) -> None:
        """Keep the score of a rep that finished this frame, judged by the spec's pace."""
        for event in snapshot.events:
            if isinstance(event, (RepFinished, RepRecounted)):
                rep = judge_tempo([event.rep], spec.targets)[0]
                self.rep_score = rep_score_line(rep, {w.id: w.cue for w in spec.warnings})
                self.rep_score_until = t + REP_SCORE_S


def paused_view(image: np.ndarray) -> np.ndarray:
    canvas = Canvas(image.copy())
    centre_banner(canvas, "banner", "PAUSED", "Space to go on, q to stop")
    return canvas.image

"""Ways an unseen camera and person differ from a recorded clip, as changes to its landmark frames.

Each takes the frames of a recorded trace (``(pose or None, t)`` pairs) and returns them changed:
another frame rate or speed, mirrored, noisier, cut at the start, parts out of the picture, or
the camera not level. ``benchmarks/real_robustness.py`` scores the real clips under each; the
replay tests pin the cases that once failed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from coach import landmarks
from coach.io.replay import Trace
from coach.lab.evaluate import Case, real_cases
from coach.types import Pose

Frames = list[tuple[Pose | None, float]]
HANDS = [landmarks.INDEX[f"{side}_{part}"] for side in ("left", "right") for part in ("wrist", "pinky", "index",
                                                                                    "thumb")]
FEET = [landmarks.INDEX[f"{side}_{part}"] for side in ("left", "right") for part in ("ankle", "heel", "foot_index")]
START_CUT_S = 1.5


def at_fps(fps: float) -> Callable[[Frames], Frames]:
    """Every n-th frame, n the whole number nearest the clip's rate over ``fps``."""
    def change(frames: Frames) -> Frames:
        clip_fps = (len(frames) - 1) / frames[-1][1]
        return frames[::max(1, round(clip_fps / fps))]
    return change


def speed(factor: float) -> Callable[[Frames], Frames]:
    """The same movement ``factor`` times faster (times divided by it)."""
    return lambda frames: [(pose, t / factor) for pose, t in frames]


def _each_pose(frames: Frames, change: Callable[[Pose], Pose]) -> Frames:
    """``change`` applied to every pose; frames without a person stay as they are."""
    return [(None if pose is None else change(pose), t) for pose, t in frames]


def mirrored(frames: Frames) -> Frames:
    """Filmed from the other side: the picture flipped, left and right landmarks swapped."""
    order = list(landmarks.MIRRORED)

    def flip(pose: Pose) -> Pose:
        xy = pose.xy[order].copy()
        xy[:, 0] = pose.image_size[0] - xy[:, 0]
        return Pose(xy=xy, visibility=pose.visibility[order], depth=pose.depth[order], image_size=pose.image_size)
    return _each_pose(frames, flip)


def jitter(share: float) -> Callable[[Frames], Frames]:
    """Gaussian noise of ``share`` of the torso on every landmark (a fixed seed: the same every run)."""
    i = landmarks.INDEX

    def change(frames: Frames) -> Frames:
        rng = np.random.default_rng(5)

        def shake(pose: Pose) -> Pose:
            torso = float(np.linalg.norm(pose.xy[i["left_shoulder"]] - pose.xy[i["left_hip"]]))
            return pose.replace_xy(pose.xy + rng.normal(0.0, share * torso, pose.xy.shape))
        return _each_pose(frames, shake)
    return change


def unseen(parts: list[int]) -> Callable[[Frames], Frames]:
    """The landmarks ``parts`` not seen in any frame (visibility 0), as when the picture's edge cuts them."""
    def hide(pose: Pose) -> Pose:
        visibility = pose.visibility.astype(float).copy()
        visibility[parts] = 0.0
        return Pose(xy=pose.xy, visibility=visibility, depth=pose.depth, image_size=pose.image_size)
    return lambda frames: _each_pose(frames, hide)


def rolled(degrees: float) -> Callable[[Frames], Frames]:
    """The picture turned ``degrees`` clockwise about its centre (image y points down)."""
    turn = np.radians(degrees)
    rotation = np.array([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]])

    def turn_pose(pose: Pose) -> Pose:
        centre = np.asarray(pose.image_size, dtype=float) / 2
        return pose.replace_xy(centre + (pose.xy - centre) @ rotation.T)
    return lambda frames: _each_pose(frames, turn_pose)


def cut_start(seconds: float) -> Callable[[Frames], Frames]:
    """The first ``seconds`` missing: the clip may open in the middle of a rep."""
    return lambda frames: [(pose, t - seconds) for pose, t in frames if t >= seconds]


start_cut = cut_start(START_CUT_S)


def recorded_real_clips(labels: Path, traces: Path) -> tuple[list[Case], dict[str, Frames]]:
    """The scored real clips (``coach eval``'s cases) whose landmark traces are in ``traces``, and their frames."""
    cases = [c for c in real_cases(labels) if (traces / f"{c.video.stem}.npz").is_file()]
    return cases, {c.video.stem: list(Trace(traces / f"{c.video.stem}.npz").poses()) for c in cases}

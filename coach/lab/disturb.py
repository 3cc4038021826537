"""Ways an unseen camera and person differ from a recorded clip, as changes to its landmark frames.

Each takes the frames of a recorded trace (``(pose or None, t)`` pairs) and returns them changed:
another frame rate or speed, mirrored, noisier, cut at the start, parts out of the picture, or
the camera not level. ``benchmarks/real_robustness.py`` scores the real clips under each; the
replay tests pin the cases that once failed.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from coach import landmarks
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


def mirrored(frames: Frames) -> Frames:
    """Filmed from the other side: the picture flipped, left and right landmarks swapped."""
    order = list(landmarks.MIRRORED)
    out: Frames = []
    for pose, t in frames:
        if pose is None:
            out.append((None, t))
            continue
        xy = pose.xy[order].copy()
        xy[:, 0] = pose.image_size[0] - xy[:, 0]
        out.append((Pose(xy=xy, visibility=pose.visibility[order], depth=pose.depth[order],
                         image_size=pose.image_size), t))
    return out


def jitter(share: float) -> Callable[[Frames], Frames]:
    """Gaussian noise of ``share`` of the torso on every landmark (a fixed seed: the same every run)."""
    def change(frames: Frames) -> Frames:
        rng = np.random.default_rng(5)
        i = landmarks.INDEX
        out: Frames = []
        for pose, t in frames:
            if pose is None:
                out.append((None, t))
                continue
            torso = float(np.linalg.norm(pose.xy[i["left_shoulder"]] - pose.xy[i["left_hip"]]))
            out.append((pose.replace_xy(pose.xy + rng.normal(0.0, share * torso, pose.xy.shape)), t))
        return out
    return change


def unseen(parts: list[int]) -> Callable[[Frames], Frames]:
    """The landmarks ``parts`` not seen in any frame (visibility 0), as when the picture's edge cuts them."""
    def change(frames: Frames) -> Frames:
        out: Frames = []
        for pose, t in frames:
            if pose is None:
                out.append((None, t))
                continue
            visibility = pose.visibility.astype(float).copy()
            visibility[parts] = 0.0
            out.append((Pose(xy=pose.xy, visibility=visibility, depth=pose.depth, image_size=pose.image_size), t))
        return out
    return change


def rolled(degrees: float) -> Callable[[Frames], Frames]:
    """The picture turned ``degrees`` clockwise about its centre (image y points down)."""
    turn = np.radians(degrees)
    rotation = np.array([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]])

    def change(frames: Frames) -> Frames:
        out: Frames = []
        for pose, t in frames:
            if pose is None:
                out.append((None, t))
                continue
            centre = np.asarray(pose.image_size, dtype=float) / 2
            out.append((pose.replace_xy(centre + (pose.xy - centre) @ rotation.T), t))
        return out
    return change


def start_cut(frames: Frames) -> Frames:
    """The first :data:`START_CUT_S` seconds missing: the clip may open in the middle of a rep."""
    return [(pose, t - START_CUT_S) for pose, t in frames if t >= START_CUT_S]

"""What the body's posture looks like, as numbers, and which exercise's posture it is most like.

Used to tell apart exercises whose specs all count the same movement (a bridge's hips rising reads
as a curl's; a plank passes a side plank's position): each frame's landmarks become a few
posture features that do not depend on where the person is in the picture, how big, or which way
they face (left or right) or which limb MediaPipe calls left; :class:`PostureModel` holds, per
exercise, their mean and spread over the project's synthetic clips of that exercise
(``tools/train_posture.py``, shipped as ``posture_model.npz``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from coach.landmarks import INDEX
from coach.types import Pose

MODEL_PATH = Path(__file__).resolve().parent / "posture_model.npz"
#: Landmarks seen at least this well count; a frame missing its torso gives no features.
VISIBLE = 0.3
#: Pairs of limbs whose middle and spread describe the posture (left and right pooled: the pose
#: model swaps far limbs' labels).
PAIRS = (("left_elbow", "right_elbow"), ("left_wrist", "right_wrist"), ("left_knee", "right_knee"),
         ("left_ankle", "right_ankle"))
FEATURES = ("head_x", "head_y", "torso_x", "torso_y", "shoulders_apart", "hips_apart",
            *(f"{a.split('_')[1]}_{c}" for a, _ in PAIRS for c in ("x", "y")),
            *(f"{a.split('_')[1]}_spread" for a, _ in PAIRS))
#: The least spread a feature is given in a model (torso lengths): no feature decides alone.
MIN_SPREAD = 0.12


def _point(pose: Pose, name: str) -> np.ndarray:
    return np.asarray(pose.xy[INDEX[name]], dtype=float)


def _seen(pose: Pose, *names: str) -> bool:
    return all(pose.visibility[INDEX[n]] >= VISIBLE for n in names)


def posture_features(pose: Pose) -> np.ndarray | None:
    """The frame's posture, in torso lengths from the middle of the hips, with the head to the
    right (None without a torso seen). Limbs out of sight read as NaN."""
    if not _seen(pose, "left_shoulder", "right_shoulder", "left_hip", "right_hip"):
        return None
    shoulders = (_point(pose, "left_shoulder") + _point(pose, "right_shoulder")) / 2
    hips = (_point(pose, "left_hip") + _point(pose, "right_hip")) / 2
    torso = math.dist(shoulders, hips)
    if torso <= 1e-6:
        return None
    flip = -1.0 if shoulders[0] < hips[0] else 1.0     # the head to the right, whichever way they lie

    def rel(p: np.ndarray) -> tuple[float, float]:
        # Image y grows downward: up is positive here.
        return flip * (p[0] - hips[0]) / torso, -(p[1] - hips[1]) / torso
    values = [*(rel(_point(pose, "nose")) if _seen(pose, "nose") else (math.nan, math.nan)), *rel(shoulders),
              math.dist(_point(pose, "left_shoulder"), _point(pose, "right_shoulder")) / torso,
              math.dist(_point(pose, "left_hip"), _point(pose, "right_hip")) / torso]
    middles: list[float] = []
    spreads: list[float] = []
    for a, b in PAIRS:
        if _seen(pose, a, b):
            pa, pb = _point(pose, a), _point(pose, b)
            middles += rel((pa + pb) / 2)
            spreads.append(math.dist(pa, pb) / torso)
        else:
            middles += [math.nan, math.nan]
            spreads.append(math.nan)
    return np.array(values + middles + spreads, dtype=float)


@dataclass(frozen=True)
class PostureModel:
    """Per exercise, the mean and spread of each posture feature over its synthetic clips."""

    exercises: tuple[str, ...]
    means: np.ndarray       # exercises x features
    spreads: np.ndarray

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> PostureModel:
        data = np.load(path)
        return cls(tuple(str(e) for e in data["exercises"]), data["means"], data["spreads"])

    def save(self, path: Path = MODEL_PATH) -> None:
        np.savez(path, exercises=np.array(self.exercises), means=self.means, spreads=self.spreads)

    def fit(self, features: np.ndarray) -> dict[str, float]:
        """How well the frames' features (frames x features) fit each exercise's posture: the mean,
        over frames and the features seen, of the squared distance in spreads (lower fits better)."""
        if len(features) == 0:
            return {}
        z = (features[:, None, :] - self.means[None, :, :]) / self.spreads[None, :, :]
        per_frame = np.nanmean(np.minimum(z ** 2, 25.0), axis=2)          # a wild limb counts at most 5 spreads
        scores = np.nanmean(per_frame, axis=0)
        return {e: float(s) for e, s in zip(self.exercises, scores)}

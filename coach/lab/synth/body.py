"""A skinned body from an exported ``.npz``: posing by segment angles and linear blend skinning.

Axes of the exported bodies: x is the body's left, -y its front, z up, metres.
Posing rotates whole segments in the sagittal plane (about x), which is what
floor exercises seen from the side need; the spine is one rigid segment.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

BODY_DIR = Path(__file__).resolve().parent / "bodies"

#: Segment -> (first bone, bone whose head ends the segment). The spine is two
#: segments, lumbar ("torso": pelvis to mid-back) and thoracic ("chest": mid-back
#: to neck, with the head), so cat-cow can round and hollow the back.
SEGMENTS = {
    "torso": ("root", "spine02"),
    "chest": ("spine02", "neck01"),
    "thigh_L": ("upperleg01.L", "lowerleg01.L"), "shin_L": ("lowerleg01.L", "foot.L"),
    "thigh_R": ("upperleg01.R", "lowerleg01.R"), "shin_R": ("lowerleg01.R", "foot.R"),
    "upperarm_L": ("upperarm01.L", "lowerarm01.L"), "forearm_L": ("lowerarm01.L", "wrist.L"),
    "upperarm_R": ("upperarm01.R", "lowerarm01.R"), "forearm_R": ("lowerarm01.R", "wrist.R"),
    "foot_L": ("foot.L", "toe2-3.L"), "foot_R": ("foot.R", "toe2-3.R"),
    "hand_L": ("wrist.L", "finger3-1.L"), "hand_R": ("wrist.R", "finger3-1.R"),
}
#: Feet and hands keep their rest angle to the shin or forearm (toes tucked
#: under a kneeling or planking body, fingers along the forearm) unless posed
#: by an angle of their own: pointed feet, a hand flat on the mat.
FOLLOWS = {"foot_L": "shin_L", "foot_R": "shin_R", "hand_L": "forearm_L", "hand_R": "forearm_R"}
#: Segments posed in the plane through their shoulder (see :meth:`Body.pose`).
ARM_SEGMENTS = ("upperarm_L", "forearm_L", "upperarm_R", "forearm_R", "hand_L", "hand_R")
#: Ground-truth joints (MediaPipe names, left/right) -> bone whose head is that joint.
JOINT_BONES = {
    "shoulder": "upperarm01", "elbow": "lowerarm01", "wrist": "wrist",
    "hip": "upperleg01", "knee": "lowerleg01", "ankle": "foot",
}


def sagittal_angle(direction: np.ndarray) -> float:
    """Angle in degrees of a direction in the (front = -y, up = z) plane."""
    return math.degrees(math.atan2(direction[2], -direction[1]))


def rotation_between(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The smallest rotation taking direction ``a`` to direction ``b`` (Rodrigues)."""
    a = a / np.linalg.norm(a)
    b = b / np.linalg.norm(b)
    v = np.cross(a, b)
    c = float(np.dot(a, b))
    if c < -0.999999:   # opposite: half a turn about any axis perpendicular to a
        axis = np.cross(a, [1.0, 0.0, 0.0])
        if np.linalg.norm(axis) < 1e-6:
            axis = np.cross(a, [0.0, 1.0, 0.0])
        axis /= np.linalg.norm(axis)
        return 2.0 * np.outer(axis, axis) - np.eye(3)
    k = np.array([[0.0, -v[2], v[1]], [v[2], 0.0, -v[0]], [-v[1], v[0], 0.0]])
    return np.eye(3) + k + k @ k / (1.0 + c)


def rot_y(deg: float) -> np.ndarray:
    """Rotation about y (the body's front axis): tilts the body sideways."""
    a = math.radians(deg)
    c, s = math.cos(a), math.sin(a)
    return np.array([[c, 0.0, s], [0.0, 1.0, 0.0], [-s, 0.0, c]])


def rot_x_for(delta_deg: float) -> np.ndarray:
    """Rotation about x that raises a sagittal direction's angle by ``delta_deg``."""
    a = math.radians(-delta_deg)
    c, s = math.cos(a), math.sin(a)
    return np.array([[1.0, 0.0, 0.0], [0.0, c, -s], [0.0, s, c]])


def skin(rest_vertices: np.ndarray, weights: np.ndarray, indices: np.ndarray, transforms: np.ndarray) -> np.ndarray:
    """Linear blend skinning: ``transforms`` (J, 4, 4) map rest space to posed space."""
    blended = np.einsum("vk,vkij->vij", weights, transforms[indices][:, :, :3, :])
    return np.einsum("vij,vj->vi", blended[:, :, :3], rest_vertices) + blended[:, :, 3]


@dataclass
class PosedBody:
    vertices: np.ndarray            # (V, 3)
    joints: dict[str, np.ndarray]   # "left_knee" -> (3,)


class Body:
    """One exported body shape."""

    def __init__(self, path: Path) -> None:
        data = np.load(path)
        self.name = path.stem
        self.rest_vertices = data["rest_vertices"].astype(float)
        self.faces = data["faces"].astype(np.int32)
        self.weights = data["weights"].astype(float)
        self.indices = data["bone_indices"].astype(np.int64)
        self.rest_poses = data["rest_bone_poses"].astype(float)
        self.labels = [str(x) for x in data["bone_labels"]]
        self.parents = data["bone_parents"].astype(int)
        self.heads = self.rest_poses[:, :3, 3]
        self._index = {name: i for i, name in enumerate(self.labels)}
        self.bone_segment = self._assign_segments()
        self.rest_angles = {seg: sagittal_angle(self.heads[self._index[b]] - self.heads[self._index[a]])
                            for seg, (a, b) in SEGMENTS.items()}
        main = self.indices[np.arange(len(self.indices)), self.weights.argmax(axis=1)]
        self.vertex_bone = np.array([self.labels[i] for i in main])

    def bone(self, name: str) -> int:
        return self._index[name]

    def _assign_segments(self) -> list[str]:
        firsts = {self._index[a]: seg for seg, (a, _) in SEGMENTS.items()}
        out: list[str] = []
        for i, parent in enumerate(self.parents):
            if i in firsts:
                out.append(firsts[i])
            elif parent < 0:
                out.append("torso")
            else:
                out.append(out[parent])
        return out

    def segment_direction(self, segment: str) -> np.ndarray:
        a, b = SEGMENTS[segment]
        d = self.heads[self._index[b]] - self.heads[self._index[a]]
        return d / np.linalg.norm(d)

    def pose(self, angles: dict[str, float], directions: dict[str, np.ndarray] | None = None,
             root: np.ndarray | None = None, with_vertices: bool = True) -> PosedBody:
        """Pose by absolute sagittal segment angles (degrees; 0 = front, 90 = up).

        ``directions`` sets a segment by a 3D direction instead (for moves out
        of the sagittal plane, like the side plank's supporting arm); ``root``
        then turns the whole body (lying it on its side). The chest follows
        the lumbar segment rigidly unless given its own angle. Without
        ``with_vertices`` only the joints are computed (for pose solvers).
        """
        angles = dict(angles)
        if "torso" in angles and "chest" not in angles:
            angles["chest"] = angles["torso"] + self.rest_angles["chest"] - self.rest_angles["torso"]
        rot = {seg: rot_x_for(angles.get(seg, self.rest_angles[seg]) - self.rest_angles[seg])
               for seg in SEGMENTS if seg not in ARM_SEGMENTS and seg not in FOLLOWS}
        for seg in ARM_SEGMENTS:
            if seg in FOLLOWS and seg not in angles:
                continue
            # The exported rest pose holds the arms 40-45 deg out to the side;
            # turning that about x kept them splayed in every pose (elbows wide
            # of a plank's shoulders, hands beside rather than on the thighs),
            # which a camera turned off the side shows. Arms posed by an angle
            # move in the plane through their shoulder, as people's arms do.
            a = math.radians(angles.get(seg, self.rest_angles[seg]))
            rot[seg] = rotation_between(self.segment_direction(seg), np.array([0.0, -math.cos(a), math.sin(a)]))
        for seg, direction in (directions or {}).items():
            rot[seg] = rotation_between(self.segment_direction(seg), np.asarray(direction, float))
        for seg, parent in FOLLOWS.items():
            if seg not in angles:
                rot[seg] = rot[parent]
            elif seg not in ARM_SEGMENTS:
                rot[seg] = rot_x_for(angles[seg] - self.rest_angles[seg])
        if root is not None:
            rot = {seg: root @ r for seg, r in rot.items()}
        count = len(self.labels)
        transforms = np.zeros((count, 4, 4))
        posed_heads = np.zeros((count, 3))
        for i in range(count):
            parent = self.parents[i]
            r = rot[self.bone_segment[i]]
            if parent < 0:
                posed_heads[i] = self.heads[i]
            else:
                pt = transforms[parent]
                posed_heads[i] = pt[:3, :3] @ self.heads[i] + pt[:3, 3]
            transforms[i, :3, :3] = r
            transforms[i, :3, 3] = posed_heads[i] - r @ self.heads[i]
            transforms[i, 3, 3] = 1.0
        vertices = skin(self.rest_vertices, self.weights, self.indices, transforms) if with_vertices else np.zeros((0, 3))
        joints = {}
        for joint, bone in JOINT_BONES.items():
            joints[f"left_{joint}"] = posed_heads[self._index[f"{bone}.L"]]
            joints[f"right_{joint}"] = posed_heads[self._index[f"{bone}.R"]]
        joints["nose"] = posed_heads[self._index["head"]]
        for side, tag in (("left", "L"), ("right", "R")):
            joints[f"{side}_foot_index"] = posed_heads[self._index[f"toe2-3.{tag}"]]
            joints[f"{side}_eye"] = posed_heads[self._index[f"eye.{tag}"]]
        return PosedBody(vertices=vertices, joints=joints)


@lru_cache(maxsize=8)
def load_body(name: str) -> Body:
    path = BODY_DIR / f"{name}.npz"
    if not path.is_file():
        from coach.errors import CoachError

        known = ", ".join(sorted(p.stem for p in BODY_DIR.glob("*.npz")))
        raise CoachError(f"unknown body '{name}'; known: {known}")
    return Body(path)


def body_names() -> list[str]:
    return sorted(p.stem for p in BODY_DIR.glob("*.npz"))

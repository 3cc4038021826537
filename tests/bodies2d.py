"""Synthetic 2D landmark poses with known angles, for engine tests.

Each builder places the named joints of a side view in pixels (y down) and
returns a full 33-landmark :class:`~coach.types.Pose`: the near side (left
unless ``near="right"``) fully visible, the far side a few pixels behind it,
half visible and deeper. Angles are exact by construction, so a test can
ask for "a plank with 20 degrees of sag" and know what the engine must say.
"""

from __future__ import annotations

import math

import numpy as np

from coach import landmarks
from coach.types import Pose

SIZE = (640, 480)


def _polar(origin: np.ndarray, length: float, degrees_up: float, forward: int = 1) -> np.ndarray:
    """A point ``length`` px from origin at ``degrees_up`` above horizontal, forward = +x."""
    a = math.radians(degrees_up)
    return origin + np.array([forward * length * math.cos(a), -length * math.sin(a)])


def _bent_middle(a: np.ndarray, c: np.ndarray, bend_deg: float) -> np.ndarray:
    """The point between a and c that makes bend(a, m, c) == bend_deg (+ = above the line)."""
    mid = (a + c) / 2.0
    half = np.linalg.norm(c - a) / 2.0
    line = (c - a) / np.linalg.norm(c - a)
    up = np.array([line[1], -line[0]])
    if up[1] > 0:
        up = -up
    return mid + up * half * math.tan(math.radians(bend_deg) / 2.0)


def make_pose(joints: dict[str, np.ndarray], near: str = "left", far_joints: dict[str, np.ndarray] | None = None,
              far_visibility: float = 0.6, hidden: tuple[str, ...] = ()) -> Pose:
    """Build a Pose from near-side joints (unsided names) and optional far-side ones."""
    far = "right" if near == "left" else "left"
    xy = np.zeros((landmarks.COUNT, 2))
    vis = np.full(landmarks.COUNT, 0.9)
    depth = np.zeros(landmarks.COUNT)
    head = joints.get("head", joints["shoulder"] + np.array([40.0, -10.0]))
    for name in landmarks.NAMES:
        if not (name.startswith("left_") or name.startswith("right_")):
            xy[landmarks.INDEX[name]] = head
    for part in landmarks.SIDED_PARTS:
        base = {"pinky": "wrist", "index": "wrist", "thumb": "wrist", "heel": "ankle", "foot_index": "ankle",
                "ear": "head", "eye": "head", "eye_inner": "head", "eye_outer": "head"}.get(part, part)
        src = joints.get(part, joints.get(base, head))
        near_i = landmarks.INDEX[f"{near}_{part}"]
        far_i = landmarks.INDEX[f"{far}_{part}"]
        xy[near_i] = src
        far_src = (far_joints or {}).get(part, (far_joints or {}).get(base, src + np.array([4.0, -3.0])))
        xy[far_i] = far_src
        vis[far_i] = far_visibility
        depth[near_i] = -0.1
        depth[far_i] = 0.1
    for name in hidden:
        vis[landmarks.INDEX[name]] = 0.05
    return Pose(xy=xy, visibility=vis, depth=depth, image_size=SIZE)


def plank(sag: float = 0.0, elbow_forward: float = 0.0, near: str = "left") -> Pose:
    """Forearm plank (elbows and toes on the floor at y=400); ``sag`` > 0 drops the hips
    (hip_line = -sag), < 0 pikes them."""
    shoulder = np.array([470.0, 290.0])
    ankle = np.array([130.0, 375.0])
    hip = _bent_middle(shoulder, ankle, -sag)
    elbow = np.array([470.0 + elbow_forward, 400.0])
    return make_pose({
        "shoulder": shoulder, "hip": hip, "ankle": ankle, "knee": (hip + ankle) / 2,
        "foot_index": np.array([120.0, 400.0]),
        "elbow": elbow, "wrist": elbow + np.array([70.0, 0.0]), "head": shoulder + np.array([50.0, -5.0]),
    }, near=near)


def lying(near: str = "left") -> Pose:
    """Lying face down, flat on the floor."""
    return make_pose({
        "shoulder": np.array([470.0, 380.0]), "hip": np.array([300.0, 385.0]), "knee": np.array([210.0, 388.0]),
        "ankle": np.array([130.0, 390.0]), "elbow": np.array([520.0, 385.0]), "wrist": np.array([580.0, 385.0]),
        "head": np.array([530.0, 372.0]),
    }, near=near)


def standing(x: float = 320.0, near: str = "left") -> Pose:
    """Standing upright (walking past the camera)."""
    return make_pose({
        "shoulder": np.array([x, 150.0]), "hip": np.array([x, 280.0]), "knee": np.array([x + 5, 360.0]),
        "ankle": np.array([x, 440.0]), "elbow": np.array([x, 215.0]), "wrist": np.array([x + 5, 275.0]),
        "head": np.array([x + 5, 110.0]),
    }, near=near)


def bridge(hip_line: float, near: str = "left") -> Pose:
    """Lying on the back, knees bent; ``hip_line`` is the signed shoulder-hip-knee bend."""
    shoulder = np.array([150.0, 400.0])
    knee = np.array([420.0, 290.0])
    hip = _bent_middle(shoulder, knee, hip_line)
    return make_pose({
        "shoulder": shoulder, "hip": hip, "knee": knee, "ankle": np.array([450.0, 405.0]),
        "elbow": np.array([210.0, 405.0]), "wrist": np.array([260.0, 405.0]), "head": np.array([100.0, 395.0]),
    }, near=near)


def bird_dog(thigh_lift: float, leg_line: float | None = None, arm_lift: float | None = None,
             back_bend: float = 0.0, far_visibility: float = 0.7) -> Pose:
    """On all fours seen from the left; the far (right) leg and near (left) arm rise.

    ``thigh_lift`` and ``leg_line`` are the raised leg's thigh and hip-ankle
    inclinations; ``arm_lift`` the raised arm's (None: follows the leg);
    ``back_bend`` lowers the raised-leg hip below the shoulder-knee line (< 0).
    """
    leg_line = thigh_lift if leg_line is None else leg_line
    arm_lift = thigh_lift if arm_lift is None else arm_lift
    shoulder = np.array([420.0, 250.0])
    hip = np.array([220.0, 255.0])
    support_knee = np.array([220.0, 400.0])
    raised_knee = _polar(hip, 110.0, thigh_lift, forward=-1)
    raised_ankle = _polar(hip, 210.0, leg_line, forward=-1)
    raised_hip = hip
    if back_bend:
        raised_hip = _bent_middle(shoulder, raised_knee, back_bend)
    raised_wrist = _polar(shoulder, 150.0, arm_lift, forward=1)
    near = {
        "shoulder": shoulder, "hip": hip, "knee": support_knee, "ankle": np.array([80.0, 400.0]),
        "elbow": (shoulder + raised_wrist) / 2, "wrist": raised_wrist, "head": np.array([470.0, 235.0]),
    }
    far = {
        "shoulder": shoulder + np.array([3.0, -3.0]), "hip": raised_hip + np.array([0.0, -1.0]),
        "knee": raised_knee, "ankle": raised_ankle,
        "elbow": shoulder + np.array([3.0, 75.0]), "wrist": np.array([423.0, 400.0]),
    }
    return make_pose(near, near="left", far_joints=far, far_visibility=far_visibility)


def jitter(pose: Pose, rng: np.random.Generator, px: float = 2.0) -> Pose:
    """The same pose with Gaussian pixel noise, like MediaPipe's frame-to-frame jitter."""
    return pose.replace_xy(pose.xy + rng.normal(0.0, px, pose.xy.shape))


def make_pose_from(pose: Pose, xy: np.ndarray) -> Pose:
    """The same pose with other pixel positions (visibility and depth kept)."""
    return Pose(xy=xy, visibility=pose.visibility, depth=pose.depth, image_size=pose.image_size)

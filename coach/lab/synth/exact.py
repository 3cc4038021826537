"""Exact landmark sequences from a timeline: the posed body's joints projected
through the timeline's camera, without rendering or a pose model.

These are the "perfect pose model" inputs of the engine tests: every spec is
checked on them for correct form, each warning, partial reps and per-side
counting, with the truth the timeline derives from its own steps. They take
milliseconds per frame, so a whole catalogue runs in seconds. What a real
pose model adds (jitter, bias, swapped far-side limbs) is measured on the
rendered clips instead.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from coach import landmarks
from coach.lab.synth.generate import camera_for, pose_for
from coach.lab.synth.timeline import Timeline
from coach.types import Pose

#: Visibility given to the side of the body turned away from the camera; the
#: near side gets 0.95. MediaPipe reports 0.3-0.9 for far limbs in side views.
FAR_VISIBILITY = 0.6
STAND_INS = {"pinky": "wrist", "index": "wrist", "thumb": "wrist", "heel": "ankle"}


def exact_poses(timeline: Timeline) -> Iterator[tuple[float, Pose]]:
    """(time in seconds, Pose) for every frame of the timeline."""
    cam = camera_for(timeline)
    size = (cam.width, cam.height)
    for frame in timeline.frames():
        posed = pose_for(timeline.exercise, timeline.body, frame["params"], frame["side"])
        yield frame["t"], _to_pose(posed.joints, cam, size)


def _to_pose(joints: dict[str, np.ndarray], cam, size: tuple[int, int]) -> Pose:
    names = list(joints)
    px, z = cam.project(np.array([joints[n] for n in names]))
    xy = np.zeros((landmarks.COUNT, 2))
    vis = np.zeros(landmarks.COUNT)
    depth = np.zeros(landmarks.COUNT)
    mean_z = float(np.mean(z))
    focal = 0.5 * cam.width / np.tan(np.radians(cam.fov_deg) / 2)
    near_left = np.mean([z[names.index(f"left_{p}")] for p in ("shoulder", "hip")]) <= \
        np.mean([z[names.index(f"right_{p}")] for p in ("shoulder", "hip")])
    for name, p, d in zip(names, px, z):
        i = landmarks.INDEX[name]
        xy[i] = p
        depth[i] = (d - mean_z) * focal / mean_z / cam.width
        far = (name.startswith("right_") and near_left) or (name.startswith("left_") and not near_left)
        inside = 0 <= p[0] < size[0] and 0 <= p[1] < size[1]
        vis[i] = (FAR_VISIBILITY if far else 0.95) if inside else 0.05
    # Landmarks the body model has no joint for (hands, heels, ears, mouth)
    # sit on the nearest one it has, hidden, so no metric uses them by accident.
    for name in landmarks.NAMES:
        if name in joints:
            continue
        part = name.removeprefix("left_").removeprefix("right_")
        side = name[: len(name) - len(part)]
        stand_in = side + STAND_INS[part] if part in STAND_INS else "nose"
        xy[landmarks.INDEX[name]] = xy[landmarks.INDEX[stand_in]]
        depth[landmarks.INDEX[name]] = depth[landmarks.INDEX[stand_in]]
    return Pose(xy=xy, visibility=vis, depth=depth, image_size=size)

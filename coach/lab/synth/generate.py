"""Render a timeline to an mp4 and its JSON labels, frames in parallel."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from coach.lab.synth import exercises
from coach.lab.synth.body import PosedBody, load_body
from coach.lab.synth.draw import Camera, Look, render, vertex_colours
from coach.lab.synth.timeline import BYSTANDER_POSES, PARAMS, Timeline, frame_rng

LANDMARK_JOINTS = ("shoulder", "elbow", "wrist", "hip", "knee", "ankle")


def pose_for(exercise: str, body_name: str, params: dict[str, float], side: str | None) -> PosedBody:
    """Pose a body for one frame; ``side`` is the working leg's side for one-sided moves."""
    body = load_body(body_name)
    leg = "L" if side == "left" else "R"
    if exercise == "plank":
        return exercises.plank(body, params["sag"], params["elbow_forward"], params["drop"])
    if exercise == "bridge":
        return exercises.bridge(body, params["hip_line"], params["sit"])
    if exercise == "bird_dog":
        return exercises.bird_dog(body, params["leg_lift"], params["arm_lift"], leg_side=leg)
    if exercise == "side_plank":
        return exercises.side_plank(body, params["hip_drop"], top_arm_up=params["top_arm_up"] > 0.5)
    if exercise == "superman":
        return exercises.superman(body, params["arm_lift"], params["leg_lift"])
    if exercise == "dead_bug":
        return exercises.dead_bug(body, params["extend"], leg_side=leg)
    if exercise == "childs_pose":
        return exercises.childs_pose(body, params["fold"])
    if exercise == "pose":
        return exercises.free_pose(body, params)
    if exercise == "glute_stretch":
        return exercises.glute_stretch(body, params["pull"], leg_side=leg)
    return exercises.cat_cow(body, params["flex"])


#: Where each exercise's camera looks by default: (target point, yaw). The
#: side plank is filmed from the front (yaw -90), the rest from the side.
CAMERA_DEFAULTS: dict[str, tuple[tuple[float, float, float], float]] = {
    "bridge": ((0.0, 0.0, 0.2), 0.0), "plank": ((0.0, 0.15, 0.3), 0.0), "bird_dog": ((0.0, 0.1, 0.35), 0.0),
    "side_plank": ((-0.3, 0.0, 0.4), -90.0), "superman": ((0.0, 0.1, 0.2), 0.0),
    "dead_bug": ((0.0, 0.0, 0.3), 0.0), "childs_pose": ((0.0, 0.1, 0.3), 0.0), "cat_cow": ((0.0, 0.1, 0.4), 0.0),
    "pose": ((0.0, 0.1, 0.35), 0.0), "glute_stretch": ((0.0, 0.0, 0.3), 0.0),
}


def camera_for(timeline: Timeline) -> Camera:
    """The timeline's camera: its own settings over the exercise's default aim."""
    target, yaw = CAMERA_DEFAULTS[timeline.exercise]
    settings = dict(timeline.camera)
    settings.setdefault("target", target)
    # A shift along the body's long axis pushes part of it out of the picture.
    shift = settings.pop("crop_shift_m", 0.0)
    axis = 0 if timeline.exercise == "side_plank" else 1
    moved = list(settings["target"])
    moved[axis] += shift
    settings["target"] = tuple(moved)
    settings["yaw_deg"] = settings.get("yaw_deg", 0.0) + yaw
    return Camera(**settings)


def _render_frame(args: tuple[Timeline, dict[str, Any], int, int]) -> tuple[np.ndarray, dict[str, Any]]:
    timeline, frame, index, seed = args
    body = load_body(timeline.body)
    settings: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in timeline.look.items()}
    look = Look(**settings)
    cam = camera_for(timeline)
    posed = pose_for(timeline.exercise, timeline.body, frame["params"], frame["side"])
    image = render(body, posed.vertices, cam, look, vertex_colours(body, look), frame_rng(seed, index),
                   others=_others(timeline, frame["t"], look))
    if timeline.jpeg_quality < 100:
        ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, int(timeline.jpeg_quality)])
        decoded = cv2.imdecode(data, cv2.IMREAD_COLOR)
        image = decoded if decoded is not None else image
    names = [f"{s}_{j}" for s in ("left", "right") for j in LANDMARK_JOINTS]
    pts, _ = cam.project(np.array([posed.joints[n] for n in names]))
    label = dict(frame)
    label["true"] = {k: round(v, 2) for k, v in exercises.true_angles(timeline.exercise, posed.joints).items()}
    label["image_joints"] = {n: [round(float(x), 1), round(float(y), 1)] for n, (x, y) in zip(names, pts)}
    return image, label


#: Other people wear other clothes than the person exercising.
_OTHERS_CLOTHES = [((40, 40, 160), (90, 60, 30)), ((60, 140, 60), (140, 140, 140)), ((30, 30, 30), (30, 30, 90))]


def _others(timeline: Timeline, t: float, look: Look) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray], ...]:
    """The meshes of the timeline's other people in the picture at time ``t``."""
    meshes = []
    for i, person in enumerate(timeline.people):
        where = person.where(t)
        if where is None:
            continue
        body = load_body(person.body)
        posed = exercises.free_pose(body, dict(PARAMS["pose"]) | BYSTANDER_POSES[person.pose])
        vertices = posed.vertices + np.array([where[0], where[1], 0.0])
        shirt, shorts = _OTHERS_CLOTHES[i % len(_OTHERS_CLOTHES)]
        meshes.append((body.faces, vertices, vertex_colours(body, replace(look, shirt=shirt, shorts=shorts))))
    return tuple(meshes)


def generate(timeline: Timeline, out: Path, seed: int = 0, workers: int | None = None,
             progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Write ``out`` (.mp4) and ``out`` with .json labels; return the labels."""
    frames = timeline.frames()
    cam = camera_for(timeline)
    writer = cv2.VideoWriter(str(out), cv2.VideoWriter.fourcc(*"mp4v"), timeline.fps, (cam.width, cam.height))
    labels: list[dict[str, Any]] = []
    jobs = [(timeline, f, i, seed) for i, f in enumerate(frames)]
    workers = workers or min(2, os.cpu_count() or 1)
    try:
        if workers > 1:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                for i, (image, label) in enumerate(pool.map(_render_frame, jobs, chunksize=4)):
                    writer.write(image)
                    labels.append(label)
                    if progress:
                        progress(i + 1, len(jobs))
        else:
            for i, job in enumerate(jobs):
                image, label = _render_frame(job)
                writer.write(image)
                labels.append(label)
                if progress:
                    progress(i + 1, len(jobs))
    finally:
        writer.release()
    data = {
        "generator": "coach.lab.synth", "timeline": timeline.name, "exercise": timeline.label,
        "pose_builder": timeline.exercise,
        "scene": {"camera": dict(timeline.camera), "crop": bool(timeline.camera.get("crop_shift_m"))},
        "fps": timeline.fps, "body": timeline.body, "camera": cam.__dict__ | {"target": list(cam.target)},
        "look": timeline.look, "jpeg_quality": timeline.jpeg_quality,
        "seed": seed, "expected": timeline.expected(), "frames": labels,
    }
    out.with_suffix(".json").write_text(json.dumps(data, indent=1))
    return data

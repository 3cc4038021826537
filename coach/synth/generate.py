"""Render a timeline to an mp4 and its JSON labels, frames in parallel."""

from __future__ import annotations

import json
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, Callable

import cv2
import numpy as np

from coach.synth import exercises
from coach.synth.body import PosedBody, load_body
from coach.synth.render import Camera, Look, render, vertex_colours
from coach.synth.timeline import Timeline, frame_rng

LANDMARK_JOINTS = ("shoulder", "elbow", "wrist", "hip", "knee", "ankle")


def pose_for(timeline: Timeline, params: dict[str, float], leg_side: str | None) -> PosedBody:
    body = load_body(timeline.body)
    if timeline.exercise == "plank":
        return exercises.plank(body, params["sag"], params["elbow_forward"])
    if timeline.exercise == "bridge":
        return exercises.bridge(body, params["raise"])
    return exercises.bird_dog(body, params["leg_lift"], params["arm_lift"],
                              leg_side="R" if (leg_side or "right") == "right" else "L")


def _camera(timeline: Timeline) -> Camera:
    defaults = {"bridge": (0.0, 0.0, 0.2), "plank": (0.0, 0.15, 0.3), "bird_dog": (0.0, 0.1, 0.35)}
    settings = dict(timeline.camera)
    settings.setdefault("target", defaults[timeline.exercise])
    settings["target"] = tuple(settings["target"])
    return Camera(**settings)


def _render_frame(args: tuple[Timeline, dict[str, Any], int, int]) -> tuple[np.ndarray, dict[str, Any]]:
    timeline, frame, index, seed = args
    body = load_body(timeline.body)
    look = Look(**{k: tuple(v) if isinstance(v, list) else v for k, v in timeline.look.items()})
    cam = _camera(timeline)
    posed = pose_for(timeline, frame["params"], frame["side"])
    image = render(body, posed.vertices, cam, look, vertex_colours(body, look), frame_rng(seed, index))
    names = [f"{s}_{j}" for s in ("left", "right") for j in LANDMARK_JOINTS]
    pts, _ = cam.project(np.array([posed.joints[n] for n in names]))
    label = dict(frame)
    label["true"] = exercises.true_angles(timeline.exercise, posed.joints)
    label["image_joints"] = {n: [round(float(x), 1), round(float(y), 1)] for n, (x, y) in zip(names, pts)}
    return image, label


def generate(timeline: Timeline, out: Path, seed: int = 0, workers: int | None = None,
             progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Write ``out`` (.mp4) and ``out`` with .json labels; return the labels."""
    frames = timeline.frames()
    cam = _camera(timeline)
    writer = cv2.VideoWriter(str(out), cv2.VideoWriter_fourcc(*"mp4v"), timeline.fps, (cam.width, cam.height))
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
        "generator": "coach.synth", "timeline": timeline.name, "exercise": timeline.exercise,
        "fps": timeline.fps, "body": timeline.body, "camera": cam.__dict__ | {"target": list(cam.target)},
        "seed": seed, "expected": timeline.expected(), "frames": labels,
    }
    out.with_suffix(".json").write_text(json.dumps(data, indent=1))
    return data

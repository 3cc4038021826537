"""The pose backend: MediaPipe's Tasks API on the shipped BlazePose bundle, or on one given with --model."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from coach.errors import ModelError
from coach.io.models import BUNDLE_SHA256, default_model
from coach.io.pose import PoseLandmarker, TurnedWhenLost, create_estimator
from coach.io.sources import VideoFile
from coach.landmarks import INDEX

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
CLIP = ROOT / "sample_videos" / "plank_demo.mp4"


def landmarks(estimator, frames: int = 30) -> np.ndarray:
    out = []
    with VideoFile(CLIP) as source:
        for frame in source.frames():
            if frame.index >= frames:
                break
            pose = estimator.detect(frame.image, frame.t)
            assert pose is not None
            out.append(pose.xy)
    estimator.close()
    return np.array(out)


def test_the_shipped_model_is_the_recorded_bundle():
    digest = hashlib.sha256(default_model().read_bytes()).hexdigest()
    assert digest == BUNDLE_SHA256          # tools/build_pose_model.py rebuilds exactly these bytes


def test_the_shipped_model_finds_the_person_where_they_are():
    xy = landmarks(create_estimator())
    truth = json.loads(CLIP.with_suffix(".json").read_text())["frames"]
    joints = ["left_shoulder", "left_hip", "left_knee", "right_shoulder", "right_hip", "right_knee"]
    errors = [np.hypot(*(xy[i, INDEX[name]] - truth[i]["image_joints"][name])) for i in range(30) for name in joints]
    assert np.median(errors) < 12                # pixels in a 480x360 frame


def test_analyze_with_model_flag(tmp_path):
    own = tmp_path / "my_pose_landmarker.task"
    shutil.copyfile(default_model(), own)
    result = subprocess.run([sys.executable, "-m", "coach", "analyze", str(CLIP), "-e", "plank", "--model",
                             str(own), "--json", "--no-history"], capture_output=True, text=True, timeout=300,
                            cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["pose_backend"] == "mediapipe-tasks:my_pose_landmarker.task"
    assert report["people_seen"] == 1


def test_the_model_says_nothing_on_the_terminal():
    """TFLite's and glog's start-up lines (XNNPACK, sparsity, inference_feedback_manager) stay hidden."""
    code = ("from coach.io.pose import create_estimator\n"
            "from coach.io.sources import VideoFile\n"
            "e = create_estimator()\n"
            f"with VideoFile({str(CLIP)!r}) as s:\n"
            "    for f in s.frames():\n"
            "        e.detect(f.image, f.t)\n"
            "e.close()\n"
            "print('done')\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0
    assert result.stdout == "done\n"
    assert result.stderr == ""


def test_a_file_that_is_not_a_task_bundle(tmp_path):
    bad = tmp_path / "broken.task"
    bad.write_bytes(b"not a model")
    with pytest.raises(ModelError, match="broken.task: not a usable pose landmarker"):
        PoseLandmarker(bad)


# Frame 90 of a synthetic prone chest lift (seed 13, portrait 360x480, camera 0.33 m
# high, 6 deg off the side) and its body's exact shoulders, hips and knees there.
PRONE_PORTRAIT = ROOT / "tests" / "data" / "prone_portrait_frame.png"
PRONE_PORTRAIT_JOINTS = {"left_shoulder": (111.0, 263.1), "right_shoulder": (122.8, 260.7),
                         "left_hip": (168.2, 268.5), "right_hip": (171.7, 266.6),
                         "left_knee": (230.7, 274.7), "right_knee": (228.7, 271.2)}


def test_a_person_lying_small_in_a_portrait_frame_is_found():
    image = cv2.imread(str(PRONE_PORTRAIT))
    strict = TurnedWhenLost(lambda: PoseLandmarker(min_detection_confidence=0.5))
    assert strict.detect_all(image, 0.0) == []          # MediaPipe's default threshold finds nobody, turned or not...
    strict.close()
    estimator = create_estimator()
    pose = estimator.detect(image, 0.0)                  # ...ours finds the person, where they are
    estimator.close()
    assert pose is not None
    for name, truth in PRONE_PORTRAIT_JOINTS.items():
        assert np.hypot(*(pose.xy[INDEX[name]] - truth)) < 20, name


def test_the_mirrored_read_lands_on_the_same_joints():
    plain = landmarks(create_estimator())
    mirrored = landmarks(create_estimator(mirrored=True))
    key = [INDEX[f"{side}_{part}"] for side in ("left", "right") for part in ("shoulder", "hip", "knee", "ankle")]
    assert np.abs(plain[:, key] - mirrored[:, key]).mean() < 4.0   # pixels, 480x360 frames (measured 1.5)

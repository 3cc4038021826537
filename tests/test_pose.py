"""Both pose backends: the built-in model and the Tasks API on a .task bundle built offline."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from coach.errors import ModelError
from coach.landmarks import INDEX
from coach.pose import LegacyBlazePose, TasksPoseLandmarker, TurnedWhenLost, create_estimator
from coach.sources import VideoFile

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
CLIP = ROOT / "sample_videos" / "plank_demo.mp4"


@pytest.fixture(scope="module")
def task_file(tmp_path_factory) -> Path:
    from task_bundle import build_bundle

    return build_bundle(tmp_path_factory.mktemp("model") / "pose_landmarker_full.task")


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


def test_tasks_api_agrees_with_the_builtin_model(task_file):
    legacy = landmarks(LegacyBlazePose())
    tasks = landmarks(create_estimator(task_file))
    key = [11, 12, 23, 24, 25, 26, 27, 28]          # shoulders, hips, knees, ankles
    assert np.abs(legacy[:, key] - tasks[:, key]).mean() < 3.0   # pixels, 480x360 frames


def test_analyze_with_model_flag(task_file, tmp_path):
    result = subprocess.run([sys.executable, "-m", "coach", "analyze", str(CLIP), "-e", "plank", "--model",
                             str(task_file), "--json"], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert '"pose_backend": "mediapipe-tasks:pose_landmarker_full.task"' in result.stdout


def test_a_file_that_is_not_a_task_bundle(tmp_path):
    bad = tmp_path / "broken.task"
    bad.write_bytes(b"not a model")
    with pytest.raises(ModelError, match="broken.task: not a usable pose landmarker"):
        TasksPoseLandmarker(bad)


# Frame 90 of a synthetic prone chest lift (seed 13, portrait 360x480, camera 0.33 m
# high, 6 deg off the side) and its body's exact shoulders, hips and knees there.
PRONE_PORTRAIT = ROOT / "tests" / "data" / "prone_portrait_frame.png"
PRONE_PORTRAIT_JOINTS = {"left_shoulder": (111.0, 263.1), "right_shoulder": (122.8, 260.7),
                         "left_hip": (168.2, 268.5), "right_hip": (171.7, 266.6),
                         "left_knee": (230.7, 274.7), "right_knee": (228.7, 271.2)}


def test_a_person_lying_small_in_a_portrait_frame_is_found():
    image = cv2.imread(str(PRONE_PORTRAIT))
    strict = TurnedWhenLost(lambda: LegacyBlazePose(min_detection_confidence=0.5))
    assert strict.detect(image, 0.0) is None            # MediaPipe's default threshold finds nobody, turned or not...
    strict.close()
    estimator = create_estimator()
    pose = estimator.detect(image, 0.0)                  # ...ours finds the person, where they are
    estimator.close()
    assert pose is not None
    for name, truth in PRONE_PORTRAIT_JOINTS.items():
        assert np.hypot(*(pose.xy[INDEX[name]] - truth)) < 20, name


def test_the_mirrored_read_lands_on_the_same_joints():
    plain = landmarks(LegacyBlazePose())
    mirrored = landmarks(create_estimator(mirrored=True))
    key = [INDEX[f"{side}_{part}"] for side in ("left", "right") for part in ("shoulder", "hip", "knee", "ankle")]
    assert np.abs(plain[:, key] - mirrored[:, key]).mean() < 4.0   # pixels, 480x360 frames (measured 1.5)

"""Build a Tasks-API ``pose_landmarker.task`` from the models inside the mediapipe 0.10.21 wheel.

Real ``.task`` files are downloaded from the web, which these machines cannot
do. The wheel's own BlazePose detector and full landmark model work as the
two halves of a bundle once they carry image-normalisation metadata (written
with mediapipe's own MetadataWriter), so the ``--model`` path is tested
offline on the same network the default backend runs.

    python tests/task_bundle.py out.task
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path


def _with_metadata(model: Path, name: str, mean: float, std: float, outputs: int) -> bytes:
    from mediapipe.tasks.python.metadata.metadata_writers import metadata_writer

    writer = metadata_writer.MetadataWriter.create(bytearray(model.read_bytes()))
    writer.add_general_info(name, "BlazePose from the mediapipe 0.10.21 wheel")
    writer.add_image_input(norm_mean=[mean], norm_std=[std])
    for _ in range(outputs):
        writer.add_feature_output()
    content, _ = writer.populate()
    return bytes(content)


def build_bundle(out: Path) -> Path:
    import mediapipe

    root = Path(mediapipe.__file__).parent / "modules"
    detector = _with_metadata(root / "pose_detection" / "pose_detection.tflite", "pose_detector", 127.5, 127.5, 2)
    landmarks = _with_metadata(root / "pose_landmark" / "pose_landmark_full.tflite", "pose_landmarks_detector",
                               0.0, 255.0, 5)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as bundle:
        bundle.writestr("pose_detector.tflite", detector)
        bundle.writestr("pose_landmarks_detector.tflite", landmarks)
    return out


if __name__ == "__main__":
    print(build_bundle(Path(sys.argv[1] if len(sys.argv) > 1 else "pose_landmarker_full.task")))

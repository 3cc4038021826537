"""Rebuild ``coach/io/models/pose_landmarker_full.task``, the pose model the coach ships.

MediaPipe 1.x wheels carry no pose model and the Tasks API wants a ``.task``
bundle, which is published only as a web download. The same BlazePose networks
(person detector and *full* landmark model, Apache-2.0, by Google) are inside
the ``mediapipe==0.10.21`` wheel on PyPI. This script takes the two ``.tflite``
files from that release, checks them against the checksums recorded below, adds
the image-normalisation metadata the Tasks API reads (with that release's own
``MetadataWriter``: 1.2's cannot run, its native half is not in the wheel), and
zips them as a bundle with fixed timestamps, so the same inputs give the same
bytes (checked against ``BUNDLE_SHA256``).

    python3 tools/build_pose_model.py [--out x.task]

It makes a throw-away virtual environment with ``mediapipe==0.10.21`` (which
needs Python 3.9-3.12: pass ``--python python3.12`` from a newer one) and runs
itself there. Run once by a developer; nothing is downloaded when the coach runs.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))   # the build venv has no coach installed

from coach.io.models import BUNDLE_SHA256  # noqa: E402  (the one recorded checksum)

OUT = ROOT / "coach" / "io" / "models" / "pose_landmarker_full.task"
SOURCE_RELEASE = "mediapipe==0.10.21"
# file in the release -> (name in the bundle, its sha256, input mean, input std, outputs)
NETWORKS = {
    "mediapipe/modules/pose_detection/pose_detection.tflite":
        ("pose_detector.tflite", "9ba9dd3d42efaaba86b4ff0122b06f29c4122e756b329d89dca1e297fd8f866c", 127.5, 127.5, 2),
    "mediapipe/modules/pose_landmark/pose_landmark_full.tflite":
        ("pose_landmarks_detector.tflite", "e9a5c5cb17f736fafd4c2ec1da3b3d331d6edbe8a0d32395855aeb2cdfd64b9f",
         0.0, 255.0, 5),
}
FIXED_TIME = (2025, 1, 31, 0, 0, 0)   # the source wheel's date: no build time leaks into the bytes


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def in_build_env(python: str, argv: list[str]) -> None:
    """Run this script again in a fresh venv with the source release installed."""
    with tempfile.TemporaryDirectory() as tmp:
        venv = Path(tmp) / "venv"
        subprocess.run([python, "-m", "venv", str(venv)], check=True, timeout=300)
        subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", SOURCE_RELEASE],
                       check=True, timeout=1800)
        subprocess.run([str(venv / "bin" / "python"), __file__, *argv], check=True, timeout=600)


def with_metadata(model: bytes, name: str, mean: float, std: float, outputs: int) -> bytes:
    """The network with the metadata the Tasks API needs to feed it images."""
    from mediapipe.tasks.python.metadata.metadata_writers import metadata_writer

    writer = metadata_writer.MetadataWriter.create(bytearray(model))
    writer.add_general_info(name, f"BlazePose from the {SOURCE_RELEASE} wheel")
    writer.add_image_input(norm_mean=[mean], norm_std=[std])
    for _ in range(outputs):
        writer.add_feature_output()
    content, _ = writer.populate()
    return bytes(content)


def build(out: Path) -> str:
    """Write the bundle to ``out`` from the installed source release; return its sha256."""
    import mediapipe

    members = {}
    for member, (name, expected, mean, std, outputs) in NETWORKS.items():
        data = (Path(mediapipe.__file__).parent.parent / member).read_bytes()
        if sha256(data) != expected:
            raise SystemExit(f"{member} has sha256 {sha256(data)}, expected {expected}")
        members[name] = with_metadata(data, name.removesuffix(".tflite"), mean, std, outputs)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as bundle:
        for name, data in members.items():
            bundle.writestr(zipfile.ZipInfo(name, date_time=FIXED_TIME), data)
    return sha256(out.read_bytes())


def source_release_installed() -> bool:
    try:
        from importlib.metadata import version

        return version("mediapipe") == SOURCE_RELEASE.split("==")[1]
    except Exception:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"where to write the bundle (default: {OUT})")
    parser.add_argument("--python", default=sys.executable,
                        help="a Python 3.9-3.12 for the build environment (default: this one)")
    args = parser.parse_args()
    if not source_release_installed():
        in_build_env(args.python, ["--out", str(args.out.resolve())])
        return
    digest = build(args.out)
    verdict = "matches the recorded checksum" if digest == BUNDLE_SHA256 else f"DIFFERS from {BUNDLE_SHA256}"
    print(f"{args.out}: sha256 {digest} ({verdict})")


if __name__ == "__main__":
    main()

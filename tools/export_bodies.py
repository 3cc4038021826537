"""One-time export of anny body shapes to small numpy files (dev tool).

The synthetic-video generator (:mod:`coach.lab.synth`) runs on numpy and OpenCV
alone; this script is the only place that needs torch and anny. It writes,
per body shape, the rest-pose mesh, triangle faces, sparse skinning weights
and the rest bone frames to ``coach/lab/synth/bodies/NAME.npz``, and one posed
reference (anny's own bone poses and skinned vertices for a random pose) to
``tests/data/anny_reference.npz`` so the tests can check that our numpy
skinning reproduces anny's.

Set-up (once, in a separate virtual environment, it is ~2.4 GB)::

    pip install -e '.[export]'        # torch==2.13.0 (CPU build on these machines) + anny
    python tools/export_bodies.py

anny's code is Apache-2.0 and the MakeHuman body assets it ships are CC0.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent

#: name -> anny phenotype parameters (each in [0, 1]; gender 0 = female, 1 = male).
BODIES: dict[str, dict[str, float]] = {
    "average_male": {"gender": 1.0, "age": 0.5, "weight": 0.5, "height": 0.5, "muscle": 0.5},
    "heavy_female": {"gender": 0.0, "age": 0.55, "weight": 0.85, "height": 0.4, "muscle": 0.4},
    "lean_tall_male": {"gender": 1.0, "age": 0.45, "weight": 0.25, "height": 0.9, "muscle": 0.7},
    "older_female": {"gender": 0.0, "age": 0.9, "weight": 0.6, "height": 0.35, "muscle": 0.3},
}


def _export_body(model, name: str, phenotype: dict[str, float], out_dir: Path) -> dict:
    import torch

    with torch.no_grad():
        output = model(phenotype_kwargs=phenotype)
    rest_vertices = output["rest_vertices"][0].double().cpu().numpy()
    rest_bone_poses = output["rest_bone_poses"][0].double().cpu().numpy()
    faces = model.get_triangular_faces().cpu().numpy().astype(np.int32)
    weights = model.vertex_bone_weights.double().cpu().numpy()
    indices = model.vertex_bone_indices.cpu().numpy().astype(np.int16)
    np.savez_compressed(
        out_dir / f"{name}.npz",
        rest_vertices=rest_vertices.astype(np.float32),
        faces=faces,
        weights=weights.astype(np.float32),
        bone_indices=indices,
        rest_bone_poses=rest_bone_poses.astype(np.float32),
        bone_labels=np.array(model.bone_labels),
        bone_parents=np.array(model.bone_parents, dtype=np.int16),
        phenotype=np.array([f"{k}={v}" for k, v in phenotype.items()]),
    )
    return output


def _export_reference(model, phenotype: dict[str, float], path: Path) -> None:
    """anny's own posed output for a random pose, to test our skinning against."""
    import roma
    import torch

    generator = torch.Generator().manual_seed(7)
    count = model.bone_count
    rotvecs = (torch.rand(1, count, 3, generator=generator, dtype=torch.float64) - 0.5) * 0.8
    pose = torch.eye(4, dtype=torch.float64).repeat(1, count, 1, 1)
    pose[..., :3, :3] = roma.rotvec_to_rotmat(rotvecs)
    with torch.no_grad():
        output = model(pose_parameters=pose.to(model.dtype), phenotype_kwargs=phenotype)
    np.savez_compressed(
        path,
        body="average_male",
        bone_poses=output["bone_poses"][0].double().cpu().numpy(),
        vertices=output["vertices"][0].double().cpu().numpy().astype(np.float32),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "coach" / "lab" / "synth" / "bodies")
    args = parser.parse_args()
    import anny

    model = anny.Anny()
    model.set_skinning_method("lbs")
    args.out.mkdir(parents=True, exist_ok=True)
    for name, phenotype in BODIES.items():
        _export_body(model, name, phenotype, args.out)
        print(f"wrote {args.out / (name + '.npz')}")
    reference = ROOT / "tests" / "data" / "anny_reference.npz"
    reference.parent.mkdir(parents=True, exist_ok=True)
    _export_reference(model, BODIES["average_male"], reference)
    print(f"wrote {reference}")


if __name__ == "__main__":
    main()

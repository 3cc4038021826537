"""The pose model shipped with the package (see README.md in this folder)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

BUNDLE_SHA256 = "a00906669d7cb9687a5c9753ccc7dd5d89b814ab712db8554eada6b3038201e4"


def default_model() -> Path:
    """The shipped ``pose_landmarker_full.task``, as a file path the Tasks API can open."""
    return Path(str(resources.files(__name__) / "pose_landmarker_full.task"))

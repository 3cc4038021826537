"""Shared test helpers; ``bodies2d`` builds synthetic landmark poses."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
SHARED_VIDEOS = ROOT.parent / "shared" / "videos"
sys.path.insert(0, str(TESTS))


@pytest.fixture
def shared_videos() -> Path:
    """../shared/videos, or skip with a message when this checkout has none."""
    if not (SHARED_VIDEOS / "labels.json").is_file():
        pytest.skip(f"real clips not available: {SHARED_VIDEOS} is absent")
    return SHARED_VIDEOS

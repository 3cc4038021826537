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


@pytest.fixture(autouse=True, scope="session")
def _private_history(tmp_path_factory):
    """Sessions analysed by the tests go to a throw-away history, not the user's."""
    import os

    os.environ["COACH_HISTORY"] = str(tmp_path_factory.mktemp("history") / "history.sqlite")
    yield

"""A folder of videos: a report each, a summary with error rows, and the same results on a cluster."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from coach.app.many import analyze_many, collect

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_videos"

pytestmark = pytest.mark.slow


@pytest.fixture
def folder(tmp_path):
    videos = tmp_path / "videos"
    videos.mkdir()
    for name in ("bridge_demo", "plank_demo"):
        shutil.copy(SAMPLES / f"{name}.mp4", videos / f"{name}.mp4")
    (videos / "broken.mp4").write_text("not a video")
    return videos


def test_a_folder_gives_a_report_each_a_summary_and_an_error_row(folder, tmp_path):
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "coach", "analyze", str(folder), "-e", "plank", "--out", str(out),
                             "--workers", "2", "--no-history"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 4                          # one video could not be read
    rows = {row["video"]: row for row in csv.DictReader((out / "summary.csv").open())}
    assert rows["broken.mp4"]["status"] == "error" and "cannot open" in rows["broken.mp4"]["error"]
    assert rows["plank_demo.mp4"]["status"] == "ok" and float(rows["plank_demo.mp4"]["hold_s"]) > 9
    assert json.loads((out / "plank_demo.json").read_text())["hold"]["count"] == 1
    index = (out / "index.html").read_text()
    assert "href='plank_demo.html'" in index and (out / "plank_demo.html").is_file()


def test_a_local_dask_cluster_of_two_workers_gives_the_plain_results(folder, tmp_path):
    pytest.importorskip("distributed", reason="pip install '.[cluster]' for the Dask scheduler")
    videos = [v for v in collect([str(folder)]) if v.name != "broken.mp4"]
    (tmp_path / "plain").mkdir()
    (tmp_path / "cluster").mkdir()
    plain = analyze_many(videos, "bridge", tmp_path / "plain", workers=1)
    clustered = analyze_many(videos, "bridge", tmp_path / "cluster", workers=2, cluster="local")
    assert [o.video for o in clustered] == videos
    for a, b in zip(plain, clustered, strict=True):
        assert a.report is not None and b.report is not None
        assert a.report.reps == b.report.reps and a.report.hold == b.report.hold
        assert a.report.warnings == b.report.warnings
        assert (tmp_path / "cluster" / f"{a.video.stem}.json").is_file()

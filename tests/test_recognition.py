"""Recognising the exercise: a workout joined from real clips, controls, the posture features."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from coach.analysis.posture import FEATURES, PostureModel, posture_features
from coach.analysis.recognize import find_parts
from coach.io.replay import Trace
from coach.specs.reader import builtin_spec_paths, find_spec
from coach.types import Pose

ROOT = Path(__file__).resolve().parent.parent
TRACES = ROOT / "tests" / "data" / "traces"
SPECS = [find_spec(e) for e in builtin_spec_paths()]


def joined(*names: str, gap_s: float = 3.0) -> list[tuple[Pose | None, float]]:
    """Recorded real clips one after another, with ``gap_s`` of an empty picture between."""
    frames: list[tuple[Pose | None, float]] = []
    t0 = 0.0
    for name in names:
        poses = list(Trace(TRACES / f"{name}.npz").poses())
        step = poses[1][1] - poses[0][1]
        frames += [(pose, t0 + t) for pose, t in poses]
        frames += [(None, frames[-1][1] + (i + 1) * step) for i in range(int(gap_s / step))]
        t0 = frames[-1][1] + step
    return frames


def test_a_workout_of_three_real_clips_is_three_parts_in_order_each_counted_as_alone():
    parts = find_parts(joined("pal_frog_pump", "kratika_spotebi_forearm_plank", "atc_dead_bug_cutout"), SPECS)
    assert [p.exercise for p in parts] == ["bridge", "plank", "dead_bug"]
    bridge, plank, dead_bug = (p.report for p in parts)
    assert abs(bridge.reps.count - 8) <= 1 and abs(dead_bug.reps.count - 7) <= 1
    assert plank.hold.total_s == pytest.approx(16.2, abs=2.0)
    assert parts[0].end_s < parts[1].start_s and parts[1].end_s < parts[2].start_s


@pytest.mark.parametrize("control", ["nikan_squat_side", "myoxyn_pushups_outdoor", "venkat_gym_jumping_jacks"])
def test_movements_that_are_no_exercise_of_the_catalogue_are_no_part(control):
    assert find_parts(list(Trace(TRACES / f"{control}.npz").poses()), SPECS) == []


def test_the_posture_does_not_depend_on_facing_size_or_place():
    pose = next(p for p, _ in Trace(TRACES / "kratika_spotebi_forearm_plank.npz").poses() if p is not None)
    features = posture_features(pose)
    assert features is not None and len(features) == len(FEATURES)
    width = 640.0
    mirrored = pose.replace_xy(np.column_stack([width - pose.xy[:, 0], pose.xy[:, 1]]))
    moved = pose.replace_xy(pose.xy * 0.5 + 40.0)
    assert np.allclose(posture_features(mirrored), features, equal_nan=True, atol=1e-6)
    assert np.allclose(posture_features(moved), features, equal_nan=True, atol=1e-6)


def test_the_shipped_posture_model_knows_the_exercises_of_the_synthetic_clips():
    model = PostureModel.load()
    assert {"bridge", "plank", "side_plank", "dead_bug", "bird_dog", "partial_curl"} <= set(model.exercises)
    assert model.means.shape == model.spreads.shape == (len(model.exercises), len(FEATURES))
    assert np.all(model.spreads > 0)


def test_without_the_exercise_the_outputs_that_need_it_are_refused():
    result = subprocess.run([sys.executable, "-m", "coach", "analyze", str(ROOT / "sample_videos" / "bridge_demo.mp4"),
                             "--annotated", "/tmp/x.mp4"], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert result.returncode == 1 and "--annotated need the exercise (-e ID)" in result.stderr


@pytest.mark.slow
def test_analyze_without_the_exercise_finds_it(tmp_path):
    result = subprocess.run([sys.executable, "-m", "coach", "analyze", str(ROOT / "sample_videos" / "bridge_demo.mp4"),
                             "-q", "--no-history", "--report", str(tmp_path / "w.json"), "--html",
                             str(tmp_path / "w.html")], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "Glute bridge: 1 rep (+ 1 partial)" in result.stdout
    report = json.loads((tmp_path / "w.json").read_text())
    assert report["kind"] == "workout" and [s["exercise"] for s in report["segments"]] == ["bridge"]
    assert "Workout: the exercises recognised" in (tmp_path / "w.html").read_text()


def test_follow_me_coaches_what_is_being_done_and_moves_on_when_it_changes():
    from coach.app.follow import FollowMe

    program = FollowMe(SPECS)
    followed = []
    for pose, t in joined("pal_frog_pump", "kratika_spotebi_forearm_plank", "atc_dead_bug_cutout"):
        snapshot = program.step(pose, t)
        if program.current and (not followed or followed[-1] != program.current):
            followed.append(program.current)
        assert (snapshot is None) == (program.current is None)
    assert followed == ["bridge", "plank", "dead_bug"]
    assert program.notice(0.0) == ["Following: Dead bug (n: not this exercise)"]
    program.next(70.0)                       # "not this one": the next best, or not sure
    assert program.current != "dead_bug"
    report = program.close()
    assert [p.exercise for p in report.parts] == ["bridge", "plank", "dead_bug"]
    assert {f.spec.id for f in program.exercises().values()} == {"bridge", "plank", "dead_bug"}
    title, lines = program.ending()
    assert title == "Workout: done" and len(lines) == 3 and "Glute bridge: 8 reps" in lines[0]


def test_follow_me_is_not_sure_before_anything_is_done():
    from coach.app.follow import NOT_SURE, FollowMe

    program = FollowMe(SPECS)
    for pose, t in list(Trace(TRACES / "nikan_squat_side.npz").poses()):
        assert program.step(pose, t) is None
    assert program.between(t) == NOT_SURE and program.notice(t) == []


@pytest.mark.slow
def test_live_without_the_exercise_follows_it_and_reports_each(tmp_path):
    result = subprocess.run([sys.executable, "-m", "coach", "live", "--camera", str(ROOT / "sample_videos" / "bridge_demo.mp4"),
                             "--no-display", "--no-voice", "--no-history", "--report", str(tmp_path / "live.json")],
                            capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "Following you" in result.stdout and "Glute bridge: 1 rep" in result.stdout
    report = json.loads((tmp_path / "live.json").read_text())
    assert report["kind"] == "workout" and [s["exercise"] for s in report["segments"]] == ["bridge"]
    assert (tmp_path / "live.bridge.json").is_file() and (tmp_path / "live.html").is_file()

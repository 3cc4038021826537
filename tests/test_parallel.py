"""One video on several cores gives the report one core gives: same reps, holds within a frame, same cues."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest

from coach.app.batch import analyze_video
from coach.io.parallel import ParallelPoses, plan_chunks, take_own_core, worth_it
from coach.io.pose import create_estimator
from coach.io.sources import VideoFile
from coach.specs.reader import find_spec

ROOT = Path(__file__).resolve().parent.parent
FROG_PUMPS = ROOT.parent / "shared" / "videos" / "glute_bridge" / "pal_frog_pump.mp4"


@pytest.mark.parametrize("frames, fps, workers, chunks", [
    (2400, 30.0, 2, [(0, 1200), (1200, 2400)]),               # 80 s: at least one chunk per worker
    (10800, 30.0, 2, [(i * 1800, (i + 1) * 1800) for i in range(6)]),   # 6 min: a chunk a minute
    (2400, 30.0, 4, [(0, 600), (600, 1200), (1200, 1800), (1800, 2400)]),
    (4800, 30.0, 2, [(0, 2400), (2400, 4800)]),               # 160 s: two, not three with one worker idle
    (10800, 30.0, 4, [(i * 1350, (i + 1) * 1350) for i in range(8)]),   # as many rounds for every worker
])
def test_chunks(frames, fps, workers, chunks):
    assert plan_chunks(frames, fps, workers) == chunks


@pytest.mark.parametrize("frames, fps, workers, parallel", [
    (1199, 30.0, 2, False),              # under 40 s: one process is quicker than loading the model twice
    (1200, 30.0, 2, True),
    (2400, 30.0, 1, False),
])
def test_when_it_is_worth_several_processes(frames, fps, workers, parallel):
    assert worth_it(frames, fps, workers) is parallel


def _both(clip: Path, exercise: str) -> tuple[dict, dict]:
    spec = find_spec(exercise)
    one = create_estimator()
    try:
        sequential = analyze_video(clip, spec, one).report.to_dict()
    finally:
        one.close()
    with VideoFile(clip) as video:
        info = video.info
    many = ParallelPoses(clip, info.frames, info.fps, workers=2, chunk_s=3.0)   # 4 or more chunks
    try:
        parallel = analyze_video(clip, spec, many).report.to_dict()
    finally:
        many.close()
    return sequential, parallel


def _same(sequential: dict, parallel: dict, frame_s: float) -> None:
    for key in ("count", "partial", "by_side"):
        assert parallel["reps"][key] == sequential["reps"][key], key
    for a, b in zip(sequential["reps"]["items"], parallel["reps"]["items"], strict=True):
        # within one frame (times are rounded to the millisecond)
        assert abs(a["start_s"] - b["start_s"]) <= frame_s + 0.001 and abs(a["end_s"] - b["end_s"]) <= frame_s + 0.001
    assert abs(parallel["hold"]["total_s"] - sequential["hold"]["total_s"]) <= frame_s + 0.011
    assert [w["id"] for w in parallel["warnings"]] == [w["id"] for w in sequential["warnings"]]


@pytest.mark.slow
@pytest.mark.parametrize("clip, exercise", [("bridge_demo", "bridge"), ("plank_demo", "plank"),
                                            ("dead_bug_demo", "dead_bug")])
def test_a_synthetic_clip_in_chunks_reads_as_in_one(clip, exercise):
    sequential, parallel = _both(ROOT / "sample_videos" / f"{clip}.mp4", exercise)
    _same(sequential, parallel, frame_s=1 / 15)


@pytest.mark.slow
def test_a_real_clip_in_chunks_reads_as_in_one():
    if not FROG_PUMPS.is_file():
        pytest.skip(f"real clip not found: {FROG_PUMPS} (../shared/videos is not part of the repository)")
    sequential, parallel = _both(FROG_PUMPS, "bridge")
    _same(sequential, parallel, frame_s=1 / 30)


def test_a_worker_reads_on_from_where_it_was_and_passes_over_frames_before_its_chunk():
    """``VideoFile.frames(start)``: the frames before ``start`` are not given (nor decoded), the
    indices and times stay the file's, and a later call goes on from where the last one stopped."""
    clip = ROOT / "sample_videos" / "plank_demo.mp4"
    with VideoFile(clip) as video:
        everything = [(f.index, f.t, f.image.sum()) for f in video.frames()]
    with VideoFile(clip) as video:
        first = []
        for frame in video.frames(start=10):
            first.append((frame.index, frame.t, frame.image.sum()))
            if frame.index == 19:
                break
        later = [(f.index, f.t, f.image.sum()) for f in video.frames(start=40)]
    assert first == everything[10:20]
    assert later == everything[40:]


@pytest.mark.slow
@pytest.mark.parametrize("to_the_end", [True, False])
def test_the_last_chunk_reads_to_the_end_of_the_file_unless_only_the_first_frames_are_wanted(to_the_end):
    """A header's frame count can be an estimate: told of 20 frames fewer than there are, the
    workers still read every frame, or exactly the frames asked for."""
    clip = ROOT / "sample_videos" / "plank_demo.mp4"
    with VideoFile(clip) as video:
        info = video.info
    many = ParallelPoses(clip, info.frames - 20, info.fps, workers=2, chunk_s=3.0, to_the_end=to_the_end)
    try:
        poses = list(many.poses())
    finally:
        many.close()
    assert len(poses) == (info.frames if to_the_end else info.frames - 20)
    assert many.detect(None, 0.0) is None                   # past the last frame read


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="no CPU affinity on this system")
def test_a_worker_keeps_a_core_of_its_own_only_when_there_is_one_for_every_worker():
    before = os.sched_getaffinity(0)
    cores = sorted(before)
    started = multiprocessing.Value("i", 0)
    try:
        take_own_core(started, workers=len(cores) + 1)            # more workers than cores: they share
        assert os.sched_getaffinity(0) == before
        take_own_core(started, workers=len(cores))                # the second worker started
        assert os.sched_getaffinity(0) == {cores[1 % len(cores)]}
        assert started.value == 2
    finally:
        os.sched_setaffinity(0, before)

"""The kinds of misses seen on real clips the coach had never seen (issue 21), rebuilt on exact
synthetic bodies: quick superman pulses with the hands cut off by the picture's edge, curl-ups
that stop well short of the floor between reps, quick alternating dead-bug extensions, and a rep
already under way in the first second, each at the timeline's 15 fps and at 5 fps (a GIF)."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.analysis.recorder import Recorder
from coach.lab.synth.cli import TIMELINES
from coach.lab.synth.exact import exact_poses
from coach.lab.synth.timeline import load_timeline
from coach.specs.reader import find_spec


def _step(**keys: object) -> str:
    return "[[step]]\n" + "".join(f"{k} = {v!r}\n".replace("'", '"') for k, v in keys.items())


def _header(demo: str) -> str:
    """A demo timeline's exercise, body and camera, without its steps."""
    return (TIMELINES / f"{demo}.toml").read_text().split("[[step]]")[0]


def superman_pulses() -> str:
    """Eight lifts of about a second each: legs 20 deg, arms 12 deg, no pause at the top."""
    steps = [_step(phase="rest", seconds=1.5)]
    for rep in range(1, 9):
        steps += [_step(phase="up", seconds=0.4, rep=rep, arm_lift=12, leg_lift=20),
                  _step(phase="down", seconds=0.4, rep=rep, arm_lift=0, leg_lift=0),
                  _step(phase="rest", seconds=0.2)]
    return _header("superman_demo") + "".join(steps) + _step(phase="rest", seconds=1.0)


#: A curl-up's poses by sagittal segment angles: lying on the back with the knees bent, and the
#: chest (with the arms reaching along the thighs) curled up by ``180 - chest`` degrees.
LYING = dict(torso=180, chest=180, thigh_L=50, shin_L=-55, thigh_R=50, shin_R=-55,
             upperarm_L=0, forearm_L=0, upperarm_R=0, forearm_R=0)


def curled(chest: float, arms: float) -> dict:
    return dict(chest=chest, upperarm_L=arms, forearm_L=arms, upperarm_R=arms, forearm_R=arms)


def curl_ups_short_of_the_floor() -> str:
    """Ten curl-ups of 1.2 s whose shoulders come back down only two thirds of the way between reps."""
    steps = [_step(phase="rest", seconds=1.0, **LYING)]
    for rep in range(1, 11):
        steps += [_step(phase="up", seconds=0.6, rep=rep, **curled(150, 18)),
                  _step(phase="down", seconds=0.6, rep=rep, **curled(172, 6))]
    return _header("partial_curl_demo") + "".join(steps) + _step(phase="down", seconds=0.6, **curled(180, 0)) \
        + _step(phase="rest", seconds=1.0)


def curl_ups_from_the_first_frame() -> str:
    """Five quick curl-ups (0.35 s up, 0.35 s down), the first begun 0.1 s into the clip: it rises
    while the position is still being confirmed (half a second), and peaks before it is."""
    steps = [_step(phase="rest", seconds=0.1, **LYING)]
    for rep in range(1, 6):
        steps += [_step(phase="up", seconds=0.35, rep=rep, **curled(140, 18)),
                  _step(phase="down", seconds=0.35, rep=rep, **curled(180, 0)), _step(phase="rest", seconds=0.4)]
    return _header("partial_curl_demo") + "".join(steps) + _step(phase="rest", seconds=1.0)


def quick_dead_bugs() -> str:
    """Seven extensions, sides in turn, 0.8 s out and 0.8 s back, with no pause."""
    steps = [_step(phase="rest", seconds=1.0)]
    for rep in range(1, 8):
        side = ("right", "left")[(rep - 1) % 2]
        steps += [_step(phase="up", seconds=0.8, rep=rep, side=side, extend=1),
                  _step(phase="down", seconds=0.8, rep=rep, side=side, extend=0)]
    return _header("dead_bug_demo") + "".join(steps) + _step(phase="rest", seconds=1.0)


@pytest.mark.parametrize("fps", [15, 5])
@pytest.mark.parametrize("name, timeline, spec_id, camera, count, not_seen", [
    ("superman pulses, hands cut off", superman_pulses, "superman", {"crop_shift_m": 0.6}, 8, {"wrists": 1.0}),
    ("curl-ups short of the floor", curl_ups_short_of_the_floor, "partial_curl", {}, 10, {}),
    ("quick alternating dead bugs", quick_dead_bugs, "dead_bug", {}, 7, {}),
    ("curl-ups from the first frame", curl_ups_from_the_first_frame, "partial_curl", {}, 5, {}),
])
def test_a_shape_missed_on_unseen_clips_counts(tmp_path, fps, name, timeline, spec_id, camera, count, not_seen):
    path = tmp_path / "timeline.toml"
    path.write_text(timeline())
    tl = load_timeline(Path(path))
    tl.camera.update(camera)
    tl.fps = fps
    recorder = Recorder(find_spec(spec_id))
    for t, pose in exact_poses(tl):
        recorder.step(pose, t)
    report = recorder.close()
    assert (report.reps.count, report.reps.partial, report.not_seen) == (count, 0, not_seen), name

"""The coach on a synthetic corpus rendered here, compared with its exact labels.

Clips are rendered at test time (`coach synth --variants`, fixed seed): random
bodies, clothes, light, noise, JPEG compression and camera positions within
what the exercise specs advise (floor level to a low step, 2-3 m, turned up
to 20 deg; 18-32 deg toward the head for the bird dog). Wider scenes, with a
laptop-height camera, are measured by benchmarks/eval_synth.py instead:
the camera-height correction they need is not built yet.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from coach.analysis.report import Report
from coach.app.batch import analyze_video
from coach.io.pose import create_estimator
from coach.specs.reader import find_spec

pytestmark = pytest.mark.slow
EXERCISES = ("bridge", "plank", "bird_dog")

#: Failures measured on this corpus and understood, each with its reason. A new
#: failure fails the test; a listed one that disappears is reported so the
#: list can shrink.
KNOWN_FAILURES = {
    # Since the arms are posed in the plane of their shoulder (hands under the
    # shoulders, not 45 deg out): MediaPipe reads the leg raised 30 deg too high
    # as -10 to -23 deg (level or a little low) for most of the hold, so the
    # "leg too high" warning and its 2.7 s of the 5.4 s in target are lost.
    # The first rep so ends 1.5 s early, and the raised leg, found again as it
    # comes down, reads above the start line for 0.6 s: a second rep (with the
    # detection threshold of 0.5 it read there 0.47 s, under the 0.6 s minimum).
    "bird_dog_errors.mp4: warnings", "bird_dog_errors.mp4: hold",
    "bird_dog_errors.mp4: reps", "bird_dog_errors.mp4: by side",
    # Camera 31 deg toward the head at 0.28 m: the far leg recedes from the
    # camera and MediaPipe loses its knee mid-hold (thigh reads -20, then the
    # kneeling leg's -70), so only 2.3 s of the 4 s held are in the target.
    "bird_dog_demo_a11_1.mp4: hold",
    # Since MediaPipe 1.2's Tasks API (2026-12-05; the legacy mp.solutions graph counted both):
    # in both clips (camera 22 and 31 deg toward the head, 0.37 and 0.28 m) the first rep, the
    # right leg's, is not read high enough to start a rep, so one rep of two is counted, on the
    # left, and only the second hold is timed. Measured, not yet explained: the same networks
    # read through the Tasks API lag by about two frames on slow small lifts (see
    # docs/measurements-2026-12-05.md, synthetic wide corpus).
    "bird_dog_demo_a11_0.mp4: reps", "bird_dog_demo_a11_0.mp4: by side", "bird_dog_demo_a11_0.mp4: hold",
    "bird_dog_demo_a11_1.mp4: reps", "bird_dog_demo_a11_1.mp4: by side",
    # The label counts the 3 s "hold" steps; the coach counts every second at
    # or above the line, and a bridge pushed 20 deg past it is above the line
    # for most of the way up and down too (7.9 s). Definitions differ, not the count.
    "bridge_arched.mp4: hold",
    # Resting on the forearms with the legs down, between two planks, reads
    # like a plank sagging 21-24 deg (the true hip line of that rest is -24):
    # the coach times it as a plank and warns about sagging hips. The hip and
    # knee heights above the elbow-toe line did not separate the two reliably.
    "plank_setup.mp4: hold",
    "plank_setup.mp4: warnings",
}
ERROR_TIMELINES = ("bridge_arched", "plank_pike", "bird_dog_errors", "bridge_setup", "plank_setup")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[Path]:
    out = tmp_path_factory.mktemp("corpus")
    subprocess.run([sys.executable, "-m", "coach", "synth", *(f"{e}_demo" for e in EXERCISES),
                    "--variants", "2", "--variety", "advised", "--seed", "11", "--out", str(out)],
                   check=True, capture_output=True, timeout=600)
    return sorted(out.glob("*.mp4"))


@pytest.fixture(scope="module")
def error_clips(tmp_path_factory) -> list[Path]:
    out = tmp_path_factory.mktemp("errors")
    subprocess.run([sys.executable, "-m", "coach", "synth", *ERROR_TIMELINES, "--out", str(out)],
                   check=True, capture_output=True, timeout=600)
    return sorted(out.glob("*.mp4"))


def analyse(clip: Path, exercise: str) -> Report:
    estimator = create_estimator()
    try:
        return analyze_video(clip, find_spec(exercise), estimator).report
    finally:
        estimator.close()


def test_corpus_reports_match_labels(corpus):
    assert len(corpus) == 2 * len(EXERCISES)
    check_against_labels(corpus)


def test_injected_form_errors_are_reported(error_clips):
    """Leg too high, arm low, a hold too short, a pause, piked hips, an arched bridge,
    lying down for and sitting up after bridges, getting into and out of a plank."""
    assert len(error_clips) == len(ERROR_TIMELINES)
    check_against_labels(error_clips)


def check_against_labels(clips: list[Path]) -> None:
    failures = []
    for clip in clips:
        labels = json.loads(clip.with_suffix(".json").read_text())
        expected, exercise = labels["expected"], labels["exercise"]
        report = analyse(clip, exercise)
        got_warnings = {w.id for w in report.warnings}
        want_warnings = {w["id"] for w in expected["warnings"]}
        if exercise == "bird_dog" and "arm_not_level" not in want_warnings:
            # Known limit of one side camera, in every scene: when the far arm
            # reaches forward behind the head, MediaPipe puts its wrist on the
            # floor and the coach says the arm is low (2 of 6 advised scenes
            # measured with benchmarks/eval_synth.py).
            got_warnings.discard("arm_not_level")
        checks = {
            "pose found": report.pose_coverage > 0.95,
            "reps": report.reps.count == expected["reps"],
            "partial reps": report.reps.partial == expected["partial_reps"],
            "by side": report.reps.by_side == expected["by_side"],
            "hold": abs(report.hold.total_s - expected["hold_s"]) <= max(0.7, 0.1 * expected["hold_s"]),
            "warnings": got_warnings == want_warnings,
        }
        failures += [f"{clip.name}: {name}" for name, ok in checks.items() if not ok]
    names = {c.name for c in clips}
    fixed = {k for k in KNOWN_FAILURES if k.split(":")[0] in names} - set(failures)
    if fixed:
        print(f"known failures that no longer happen (remove them from KNOWN_FAILURES): {sorted(fixed)}")
    assert sorted(set(failures) - KNOWN_FAILURES) == []


#: The rest of the catalogue: each spec's demo timeline in its own scene (camera where the
#: spec says), rendered at 10 fps to keep CI short, read by MediaPipe.
CATALOGUE_DEMOS = ("side_plank", "cat_cow", "superman", "dead_bug", "childs_pose", "back_extension",
                   "prone_chest_lift", "downward_dog", "hip_flexor_stretch", "hamstring_stretch",
                   "hamstring_stretch_seated", "hamstring_stretch_standing", "glute_stretch", "spinal_twist",
                   "pelvic_tilt", "partial_curl", "table_top_press", "breathing_90_90")
#: The pelvic tilt's two tilts and the rest between them are one still hold by design:
#: the tilt itself is not visible, lying still in position is what is timed.
CATALOGUE_KNOWN = {"pelvic_tilt_demo.mp4: count", "pelvic_tilt_demo.mp4: hold"}


@pytest.fixture(scope="module")
def catalogue_clips(tmp_path_factory) -> list[Path]:
    out = tmp_path_factory.mktemp("catalogue")
    subprocess.run([sys.executable, "-m", "coach", "synth", *(f"{e}_demo" for e in CATALOGUE_DEMOS),
                    "--fps", "10", "--out", str(out)], check=True, capture_output=True, timeout=900)
    return sorted(out.glob("*.mp4"))


def test_catalogue_demos_read_by_mediapipe(catalogue_clips):
    """Counts (holds for hold exercises), sides, warnings and holds of every catalogue demo."""
    from coach.lab.evaluate import counted, counted_by_side
    from coach.lab.synth.cli import TIMELINES
    from coach.lab.synth.timeline import load_timeline

    assert len(catalogue_clips) == len(CATALOGUE_DEMOS)
    failures = []
    for clip in catalogue_clips:
        labels = json.loads(clip.with_suffix(".json").read_text())
        expected, exercise = labels["expected"], labels["exercise"]
        spec = find_spec(exercise)
        report = analyse(clip, exercise)
        want = expected["reps"] if spec.kind == "reps" else expected["holds"]
        ramps = sum(s.seconds for s in load_timeline(TIMELINES / f"{labels['timeline']}.toml").steps
                    if s.phase in ("up", "down"))
        checks = {
            "count": counted(report) == want,
            "sides": not expected["by_side"] or counted_by_side(report) in (None, expected["by_side"]),
            "warnings": {w.id for w in report.warnings} == {w["id"] for w in expected["warnings"]},
            # As on exact landmarks (tests/test_catalogue.py), plus a second for the pose model.
            "hold": spec.kind == "reps" or
            expected["hold_s"] - 1.5 <= report.hold.total_s <= expected["hold_s"] + 0.7 * ramps + 1.0,
        }
        failures += [f"{clip.name}: {name}" for name, ok in checks.items() if not ok]
    assert sorted(set(failures) - CATALOGUE_KNOWN) == []

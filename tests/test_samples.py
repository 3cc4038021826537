"""Every sample clip, analysed end to end, reads as its labels say (within the known limits)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coach.app.batch import analyze_video
from coach.io.pose import create_estimator
from coach.lab.evaluate import counted, counted_by_side, exact_hold_s
from coach.specs.reader import find_spec

SAMPLES = Path(__file__).resolve().parent.parent / "sample_videos"
#: clip -> why its partial rep is not seen (the reading is otherwise right)
PARTIAL_MISSED = {"superman_demo": "a lift barely off the floor: the Tasks backend's landmarks lag on it"}


@pytest.mark.slow
@pytest.mark.parametrize("clip", sorted(SAMPLES.glob("*.mp4")), ids=lambda p: p.stem)
def test_a_sample_clip_reads_as_labelled(clip):
    labels = json.loads(clip.with_suffix(".json").read_text())
    expected = labels["expected"]
    estimator = create_estimator()
    try:
        report = analyze_video(clip, find_spec(labels["exercise"]), estimator).report
    finally:
        estimator.close()
    assert counted(report) == (expected["holds"] if report.kind == "hold" else expected["reps"])
    if expected["by_side"]:
        assert counted_by_side(report) == expected["by_side"]
    if clip.stem not in PARTIAL_MISSED:
        assert report.reps.partial == expected["partial_reps"]
    # The seconds in position (a hold's, or a rep's at full range) against the same rule run on the
    # clip's exact joints: the timeline's "hold" steps leave out the last of each way in and out,
    # where the body is already in position (a dead bug's leg past 160 deg on its way out).
    truth = exact_hold_s(labels, find_spec(labels["exercise"]))
    assert truth is not None
    assert abs(report.hold.total_s - truth) <= 0.5
    assert {w.id for w in report.warnings} == {w["id"] for w in expected["warnings"]}

"""The synthetic-video generator: skinning against anny, posing truth, timelines, rendering."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from coach.lab.synth import exercises
from coach.lab.synth.body import body_names, load_body, skin
from coach.lab.synth.draw import Camera, Look, render, vertex_colours
from coach.lab.synth.timeline import load_timeline

DATA = Path(__file__).resolve().parent / "data"
TIMELINES = Path(__file__).resolve().parent.parent / "coach" / "lab" / "synth" / "timelines"


def test_numpy_skinning_matches_anny_reference():
    """anny's own posed vertices for a random pose (tools/export_bodies.py) are reproduced."""
    reference = np.load(DATA / "anny_reference.npz")
    body = load_body(str(reference["body"]))
    transforms = reference["bone_poses"] @ np.linalg.inv(body.rest_poses)
    vertices = skin(body.rest_vertices, body.weights, body.indices, transforms)
    assert np.abs(vertices - reference["vertices"]).max() < 1e-5      # metres


def test_bodies_are_distinct_shapes():
    heights = {}
    for name in body_names():
        body = load_body(name)
        heights[name] = np.ptp(body.rest_vertices[:, 2])
        assert body.faces.max() < len(body.rest_vertices)
    assert len(heights) >= 4
    assert max(heights.values()) - min(heights.values()) > 0.1


@pytest.mark.parametrize("sag", [-15.0, 0.0, 15.0])
def test_plank_sag_is_posed_as_asked(sag):
    posed = exercises.plank(load_body("average_male"), sag)
    truth = exercises.true_angles("plank", posed.joints)["hip_line"]
    # Joint centres are off the segment axes, so the truth is measured, not assumed: within 3 deg.
    assert truth == pytest.approx(-sag, abs=3.0)
    assert posed.vertices[:, 2].min() == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize("body", ["average_male", "heavy_female"])
@pytest.mark.parametrize("hip_line", [-60.0, -20.0, 0.0, 12.0])
def test_bridge_hip_line_is_posed_exactly_for_every_body(body, hip_line):
    posed = exercises.bridge(load_body(body), hip_line)
    assert exercises.true_angles("bridge", posed.joints)["hip_line"] == pytest.approx(hip_line, abs=0.05)


@pytest.mark.parametrize("hip_drop", [0.0, 15.0])
def test_side_plank_lies_on_the_forearm_and_feet(hip_drop):
    posed = exercises.side_plank(load_body("older_female"), hip_drop)
    j = posed.joints
    assert j["right_elbow"][2] < 0.12 and min(j["right_ankle"][2], j["left_ankle"][2]) < 0.15
    assert j["left_shoulder"][2] > j["right_shoulder"][2] + 0.15          # lying on the right side
    truth = exercises.true_angles("side_plank", j)["hip_line"]
    assert truth == pytest.approx(-hip_drop, abs=4.0)                      # hips below the line


@pytest.mark.parametrize("body", body_names())
def test_arms_posed_by_angle_stay_in_the_plane_through_the_shoulder(body):
    """The exported rest pose holds the arms ~45 deg out to the side; a plank's elbows must
    still end under the shoulders, or a camera turned off the side sees them wide."""
    j = exercises.plank(load_body(body)).joints
    for side in ("left", "right"):
        for joint in ("elbow", "wrist"):
            assert j[f"{side}_{joint}"][0] == pytest.approx(j[f"{side}_shoulder"][0], abs=0.005)
        assert j[f"{side}_elbow"][2] < j[f"{side}_shoulder"][2] - 0.15          # still under it


@pytest.mark.parametrize("body", body_names())
def test_hands_on_thighs_puts_the_wrists_on_the_thighs(body):
    params = {"torso": 180.0, "chest": 180.0, "thigh_L": 90.0, "shin_L": 0.0, "thigh_R": 90.0,
              "shin_R": 0.0, "upperarm_L": 0.0, "forearm_L": 0.0, "upperarm_R": 0.0, "forearm_R": 0.0}
    down = exercises.free_pose(load_body(body), params).joints
    j = exercises.free_pose(load_body(body), params | {"hands_on_thighs": 1.0}).joints
    for side in ("left", "right"):
        hip, knee, wrist = (exercises.sagittal(j[f"{side}_{p}"]) for p in ("hip", "knee", "wrist"))
        thigh = knee - hip
        along = float(np.dot(wrist - hip, thigh) / np.dot(thigh, thigh))
        unit, rel = thigh / np.linalg.norm(thigh), wrist - hip
        off = abs(float(unit[0] * rel[1] - unit[1] * rel[0]))                   # distance from the thigh's line
        assert 0.33 <= along <= 1.0 and off < 0.10                              # on the thigh, metres
        assert np.linalg.norm(exercises.sagittal(down[f"{side}_wrist"]) - knee) > 0.3   # arms down: far


def test_posing_keeps_bone_lengths():
    body = load_body("lean_tall_male")
    rest = {k: v for k, v in body.pose({}).joints.items()}
    posed = exercises.bird_dog(body, leg_lift=0.0, arm_lift=0.0).joints
    for a, b in (("left_hip", "left_knee"), ("right_knee", "right_ankle"), ("left_shoulder", "left_elbow")):
        assert np.linalg.norm(posed[a] - posed[b]) == pytest.approx(np.linalg.norm(rest[a] - rest[b]), abs=1e-9)


def test_timeline_expected_report_is_derived_from_steps():
    timeline = load_timeline(TIMELINES / "bridge_demo.toml")
    expected = timeline.expected()
    assert expected["reps"] == 1 and expected["partial_reps"] == 1
    assert expected["hold_s"] == 3.0                       # the partial rep never reaches the target
    assert [w["id"] for w in expected["warnings"]] == ["hips_low"]
    frames = timeline.frames()
    assert len(frames) == round(expected["duration_s"] * timeline.fps)
    assert {f["rep"] for f in frames} == {None, 1, 2}


@pytest.mark.parametrize("path", sorted(TIMELINES.glob("*.toml")), ids=lambda p: p.stem)
def test_every_builtin_timeline_poses(path):
    from coach.lab.synth.generate import pose_for

    timeline = load_timeline(path)
    frames = timeline.frames()
    for frame in (frames[0], frames[len(frames) // 2], frames[-1]):
        posed = pose_for(timeline.exercise, timeline.body, frame["params"], frame["side"])
        assert posed.vertices[:, 2].min() == pytest.approx(0.0, abs=1e-9)
        assert exercises.true_angles(timeline.exercise, posed.joints)


def test_bad_timeline_is_reported(tmp_path):
    from coach.errors import CoachError

    path = tmp_path / "t.toml"
    path.write_text('exercise = "bridge"\n[[step]]\nseconds = 1\nhip_lin = 3\n')
    with pytest.raises(CoachError, match=r"step\[0\]: unknown keys \['hip_lin'\]"):
        load_timeline(path)


def test_render_draws_a_body_on_the_scene():
    body = load_body("average_male")
    look = Look(noise=0.0)
    cam = Camera(width=160, height=120)
    empty = render(body, body.rest_vertices + 100.0, cam, look, vertex_colours(body, look))
    image = render(body, exercises.plank(body).vertices, cam, look, vertex_colours(body, look))
    assert image.shape == (120, 160, 3)
    changed = np.abs(image.astype(int) - empty.astype(int)).sum(axis=2) > 30
    assert 0.02 < changed.mean() < 0.5                     # a body-sized region, not nothing, not everything


@pytest.mark.slow
def test_synth_command_writes_clip_and_labels(tmp_path):
    import subprocess
    import sys

    timeline = tmp_path / "short.toml"
    timeline.write_text('exercise = "plank"\nfps = 10\n[camera]\nwidth = 160\nheight = 120\n'
                        '[[step]]\nphase = "hold"\nseconds = 1.0\nsag = 10\nerror = "hips_sagging"\n')
    result = subprocess.run([sys.executable, "-m", "coach", "synth", str(timeline), "--out", str(tmp_path)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    labels = json.loads((tmp_path / "short.json").read_text())
    assert len(labels["frames"]) == 10 and labels["expected"]["hold_s"] == 1.0
    assert labels["frames"][-1]["true"]["hip_line"] == pytest.approx(-10.0, abs=3.0)
    import cv2

    cap = cv2.VideoCapture(str(tmp_path / "short.mp4"))
    assert int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) == 10


PRONE = {"torso": 0.0, "chest": 0.0, "thigh_L": 180.0, "shin_L": 180.0, "thigh_R": 180.0, "shin_R": 180.0,
         "upperarm_L": 180.0, "forearm_L": 180.0, "upperarm_R": 180.0, "forearm_R": 180.0}
ON_THE_MAT = {
    "bird dog, kneeling": lambda b: exercises.bird_dog(b),
    "cat-cow, level": lambda b: exercises.cat_cow(b, 0.0),
    "cat, rounded": lambda b: exercises.cat_cow(b, 1.0),
    "child's pose, folded": lambda b: exercises.childs_pose(b, 1.0),
    "superman, lying": lambda b: exercises.superman(b),
    "lying face down": lambda b: exercises.free_pose(b, PRONE),
}


@pytest.mark.parametrize("body", body_names())
@pytest.mark.parametrize("pose", list(ON_THE_MAT), ids=list(ON_THE_MAT))
def test_kneeling_and_prone_bodies_rest_their_knees_and_feet_on_the_mat(pose, body):
    """Feet at their rest angle propped kneeling and prone bodies on their toes, knees
    18-34 cm up; people kneel and lie on the tops of their feet, knees on the mat."""
    j = ON_THE_MAT[pose](load_body(body)).joints
    for side in ("left", "right"):
        assert j[f"{side}_knee"][2] < 0.10                                      # joint centre, metres
        ankle, toe = exercises.sagittal(j[f"{side}_ankle"]), exercises.sagittal(j[f"{side}_foot_index"])
        back = toe - ankle                                                      # front, up
        assert abs(np.degrees(np.arctan2(back[1], -back[0]))) < 30              # pointed back along the mat


@pytest.mark.parametrize("body", body_names())
def test_hands_on_all_fours_lie_flat_under_the_shoulders(body):
    j = exercises.cat_cow(load_body(body), 0.0).joints
    for side in ("left", "right"):
        assert j[f"{side}_wrist"][2] < 0.10
        hand = exercises.sagittal(j[f"{side}_wrist"]) - exercises.sagittal(j[f"{side}_shoulder"])
        assert abs(hand[0]) < 0.1                                               # arm upright


#: Low cobra (the back extension demo's hold): chest up on the forearms, hips and legs down.
COBRA = {**PRONE, "torso": 14.0, "chest": 40.0, "upperarm_L": -120.0, "forearm_L": -20.0,
         "upperarm_R": -120.0, "forearm_R": -20.0}


@pytest.mark.parametrize("body", body_names())
@pytest.mark.parametrize("pose", [PRONE, COBRA], ids=["lying", "cobra"])
def test_a_body_lying_face_down_rests_on_its_pelvis(pose, body):
    """A rigid mesh's belly and chest held prone hips 16-23 cm up, and arms given a
    press-up's angles propped the whole body up off its hips (7-16 cm of air under the
    pelvis); people lie on the pelvis, the soft front flattened, hands on the mat."""
    posed = exercises.free_pose(load_body(body), pose)
    z = posed.vertices[:, 2]
    assert z.min() >= 0.0
    for side in ("left", "right"):
        assert 0.07 < posed.joints[f"{side}_hip"][2] < 0.16                      # joint centre, metres
        assert posed.joints[f"{side}_knee"][2] < 0.10
        if pose is COBRA:
            assert posed.joints[f"{side}_wrist"][2] < 0.10                       # hands on the mat

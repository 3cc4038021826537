"""The live screen, read from the mat: sizes measured on rendered pictures, every text inside.

Snapshots come from the synthetic timelines' exact landmarks run through the
session, so the screen shows what it would show live: a plank with its hips
sagging (timer and cue), a bridge mid-set (count), a bird dog (per side).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from coach.analysis.recorder import Recorder
from coach.app.live import SingleExercise
from coach.lab.synth.cli import TIMELINES
from coach.lab.synth.exact import exact_poses
from coach.lab.synth.timeline import load_timeline
from coach.output.overlay import COUNT_H, Canvas, OverlayRenderer, TextBox, bottom_banner, message_view, summary_view
from coach.output.screen import DISPLAY_HEIGHT, LiveScreen, paused_view
from coach.specs.reader import find_spec
from coach.types import Pose, Snapshot

WINDOWS = [(640, 480), (1280, 720), (1920, 1080)]


def _snapshot(timeline: str, spec_id: str, at_s: float) -> Snapshot:
    recorder = Recorder(find_spec(spec_id))
    snapshot = None
    for t, pose in exact_poses(load_timeline(TIMELINES / f"{timeline}.toml")):
        snapshot = recorder.step(pose, t)
        if t >= at_s:
            break
    assert snapshot is not None
    return snapshot


@pytest.fixture(scope="module")
def plank_sagging() -> Snapshot:
    snapshot = _snapshot("plank_demo", "plank", 7.0)
    assert snapshot.warnings and snapshot.warnings[0][0] == "hips_sagging"
    return snapshot


@pytest.fixture(scope="module")
def bridge_mid_set() -> Snapshot:
    return _snapshot("bridge_demo", "bridge", 8.0)


def _fitted(snapshot: Snapshot, width: int, height: int) -> Snapshot:
    """The snapshot's pose stretched onto a window of this size."""
    pose = snapshot.pose
    assert pose is not None
    sx, sy = width / pose.image_size[0], height / pose.image_size[1]
    return dataclasses.replace(snapshot, pose=Pose(xy=pose.xy * [sx, sy], visibility=pose.visibility,
                                                   depth=pose.depth, image_size=(width, height)))


def _inside(box: TextBox, width: int, height: int) -> bool:
    return 0 <= box.x0 < box.x1 <= width and 0 <= box.y0 < box.y1 <= height


def _drawn_height(image: np.ndarray, box: TextBox) -> int:
    """Rows of the box that hold white text pixels, first to last: the text's height as drawn."""
    region = image[box.y0:box.y1, box.x0:box.x1]
    rows = np.flatnonzero((region.min(axis=2) > 230).any(axis=1))
    return int(rows[-1] - rows[0] + 1) if rows.size else 0


def _role(boxes: list[TextBox], role: str) -> TextBox:
    found = [b for b in boxes if b.role == role]
    assert found, f"nothing drawn as {role}: {[b.role for b in boxes]}"
    return found[0]


@pytest.mark.parametrize("width, height", WINDOWS)
@pytest.mark.parametrize("details", [False, True])
def test_timer_and_cue_are_big_and_every_text_stays_in_the_window(plank_sagging, width, height, details):
    renderer = OverlayRenderer(find_spec("plank"), details=details)
    blank = np.zeros((height, width, 3), np.uint8)
    renderer.annotate(blank, _fitted(plank_sagging, width, height), fps=30.0,
                      notice=["Stop if you feel sharp pain. Numb or tingling legs: see a professional first."])
    boxes = renderer.last_boxes
    assert all(_inside(b, width, height) for b in boxes), [b for b in boxes if not _inside(b, width, height)]
    timer, cue = _role(boxes, "timer"), _role(boxes, "cue")
    assert timer.text.endswith("/ 10 s") and cue.text == "Lift your hips"
    assert timer.cap_px >= 0.10 * height and cue.cap_px >= 0.06 * height
    assert ("detail" in {b.role for b in boxes}) == details


@pytest.mark.parametrize("width, height", WINDOWS)
def test_measured_on_the_picture_the_count_is_a_tenth_of_the_window(bridge_mid_set, width, height):
    """Drawn without the skeleton, the white pixels of the count span at least 10 % of the height."""
    renderer = OverlayRenderer(find_spec("bridge"), details=False)
    snapshot = dataclasses.replace(bridge_mid_set, pose=None)
    out = renderer.annotate(np.zeros((height, width, 3), np.uint8), snapshot)
    count = _role(renderer.last_boxes, "count")
    assert count.text.endswith(f"/ {find_spec('bridge').targets.reps}")
    assert _drawn_height(out, count) >= 0.10 * height


def test_per_side_exercises_show_both_sides():
    snapshot = _snapshot("bird_dog_demo", "bird_dog", 20.0)
    renderer = OverlayRenderer(find_spec("bird_dog"), details=False)
    renderer.annotate(np.zeros((720, 1280, 3), np.uint8), _fitted(snapshot, 1280, 720))
    sides = _role(renderer.last_boxes, "sides")
    assert sides.text.startswith("left ") and "right " in sides.text


@pytest.mark.parametrize("width, height", WINDOWS)
def test_a_long_advice_wraps_and_stays_in_the_window(width, height):
    canvas = Canvas(np.zeros((height, width, 3), np.uint8))
    advice = "The camera looks down on you (about 18 deg): put it at floor level or on a low step"
    bottom_banner(canvas, "advice", advice, (0, 0, 0))
    lines = [b for b in canvas.boxes if b.role == "advice"]
    assert 2 <= len(lines) <= 3 and " ".join(b.text for b in lines) == advice
    assert all(_inside(b, width, height) for b in lines)
    if height >= 1080:
        assert min(b.cap_px for b in lines) >= 0.06 * height


def test_a_portrait_camera_is_padded_so_the_screen_fits(plank_sagging):
    """A 480x854 portrait camera frame: the screen is drawn 720 high and at least 4:3 wide."""
    spec = find_spec("plank")
    screen = LiveScreen(mirror=True)
    program = SingleExercise(spec)
    portrait = _fitted(plank_sagging, 480, 854)
    out = screen.draw(np.zeros((854, 480, 3), np.uint8), program.spec, list(program.notice(5.0)), program.between(5.0),
                      portrait.pose, portrait, None, 5.0, 0.0, 30.0)
    assert out.shape[0] == DISPLAY_HEIGHT and out.shape[1] >= 4 / 3 * DISPLAY_HEIGHT - 2
    boxes = screen.renderers["plank"].last_boxes
    assert all(_inside(b, out.shape[1], out.shape[0]) for b in boxes)
    assert _role(boxes, "timer").cap_px >= 0.10 * DISPLAY_HEIGHT
    program.close()


@pytest.mark.parametrize("width, height", WINDOWS + [(540, 960)])
def test_countdown_rest_pause_and_end_screens_fit(width, height):
    blank = np.zeros((height, width, 3), np.uint8)
    countdown = message_view(blank, "GET READY", big="3", sub="Starting Plank")
    assert _role(countdown.boxes, "big").cap_px >= 0.25 * height
    rest = message_view(blank, "REST", big="REST 12 s", sub="Next: Side plank, 2 x 20 s per side")
    assert _role(rest.boxes, "big").cap_px >= COUNT_H * 0.99 * height or width < height
    summary = summary_view(blank, "Glute bridge: done", ["Reps: 8 of 10 (+ 1 partial)", "In good form: 7 of 8 reps",
                                                          "Most frequent cue: Lift your hips (2x)"],
                           "Report: bridge-20261205-101500.html   (any key closes)")
    for canvas in (countdown, rest, summary):
        assert all(_inside(b, width, height) for b in canvas.boxes), canvas.boxes
    if width > height:          # the live screen is never narrower than 4:3; a narrower one only shrinks
        assert min(b.cap_px for b in summary.boxes if b.role == "summary") >= 0.045 * height
    paused = paused_view(blank)
    assert paused.shape == blank.shape and paused.any()


def test_the_cue_is_one_at_a_time_and_its_body_segments_are_red(plank_sagging):
    renderer = OverlayRenderer(find_spec("plank"), details=False)
    snapshot = dataclasses.replace(plank_sagging, warnings=(*plank_sagging.warnings,
                                                            ("elbows_not_under_shoulders", "Place your elbows")))
    out = renderer.annotate(np.zeros((720, 1280, 3), np.uint8), _fitted(snapshot, 1280, 720))
    assert [b.text for b in renderer.last_boxes if b.role == "cue"] == ["Lift your hips"]
    red = (out[:, :, 2] > 200) & (out[:, :, 1] < 80) & (out[:, :, 0] < 80)
    assert red[:400].sum() > 500           # the shoulder-hip-knee line, thick and red, above the banner


def test_mirroring_flips_the_picture_only(plank_sagging):
    picture = np.zeros((720, 1280, 3), np.uint8)
    picture[:, :100] = 255                   # a white stripe on the left of the camera's picture
    snapshot = dataclasses.replace(_fitted(plank_sagging, 1280, 720), warnings=())
    mirrored = OverlayRenderer(find_spec("plank"), mirror=True, details=False).annotate(picture, snapshot)
    as_filmed = OverlayRenderer(find_spec("plank"), mirror=False, details=False).annotate(picture, snapshot)
    row = 360
    assert mirrored[row, -50].min() > 200 and as_filmed[row, 50].min() > 200
    assert snapshot.metrics is not None and snapshot.metrics.side in ("left", "right")


def test_a_finished_rep_shows_its_score_under_the_count_for_a_few_seconds():
    """The bridge's first rep of the demo ends while the set goes on: the screen says how it scored
    (held 3 s of the 10 asked), then the line goes after REP_SCORE_S."""
    from coach.output.screen import REP_SCORE_S
    from coach.types import RepFinished

    spec = find_spec("bridge")
    recorder = Recorder(spec)
    finished = None
    for t, pose in exact_poses(load_timeline(TIMELINES / "bridge_demo.toml")):
        snapshot = recorder.step(pose, t)
        if any(isinstance(e, RepFinished) and e.rep.complete for e in snapshot.events):
            finished = snapshot
            break
    assert finished is not None
    screen = LiveScreen(mirror=False)
    image = np.zeros((360, 480, 3), np.uint8)
    screen.draw(image, spec, [], None, finished.pose, finished, None, finished.t, -100.0, 15.0)
    notices = [box.text for box in screen.renderer(spec).last_boxes if box.role == "notice"]
    assert notices == ["Rep 1: 3 of 4, top too short"]
    later = dataclasses.replace(finished, events=(), t=finished.t + REP_SCORE_S + 0.1)
    screen.draw(image, spec, [], None, later.pose, later, None, later.t, -100.0, 15.0)
    assert not [box for box in screen.renderer(spec).last_boxes if box.role == "notice"]


@pytest.mark.parametrize("width, height", WINDOWS)
def test_long_notes_on_the_end_screen_never_run_into_the_report_path(width, height):
    """The results first, big; the notes after them (not judged for a while, a hold timed partly out
    of the picture) smaller where they must be, all above the report's path."""
    from coach.output.text import HOLD_NOTE_SHORT

    lines = ["Held 38 s in good form of 10 s", "In good form: 96 % of the time in position",
             "Most frequent cue: Lift your hips (once)",
             "Not judged for 4 s: the camera saw you at an angle (30-45 deg off your side).", HOLD_NOTE_SHORT]
    canvas = summary_view(np.zeros((height, width, 3), np.uint8), "Plank: done", lines,
                          "Report: /root/.local/share/coach/sessions/plank-20261206-101500.html "
                          "(o opens it in the browser, any other key closes)")
    summary = [b for b in canvas.boxes if b.role == "summary"]
    footer = [b for b in canvas.boxes if b.role == "footer"]
    assert all(_inside(b, width, height) for b in canvas.boxes)
    assert max(b.y1 for b in summary) < min(b.y0 for b in footer)
    assert {b.text for b in summary} >= {"Held 38 s in good form of 10 s"}
    if width > height:
        assert summary[0].cap_px >= 0.045 * height          # the result stays big

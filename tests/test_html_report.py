"""The HTML session report and the CSV tables: contents, and rendering in headless Chromium."""

from __future__ import annotations

import csv
import shutil
import subprocess

import numpy as np
import pytest

from coach.analysis.recorder import Recorder
from coach.analysis.report import StartedAt, Video
from coach.lab.synth.cli import TIMELINES
from coach.lab.synth.exact import exact_poses
from coach.lab.synth.timeline import load_timeline
from coach.output.html import write_html
from coach.output.moments import WorstMoments
from coach.output.table import write_csv
from coach.specs.reader import find_spec

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def bridge_session():
    """The bridge demo on exact landmarks: one full rep, one low rep with hips_low."""
    spec = find_spec("bridge")
    recorder = Recorder(spec)
    moments = WorstMoments(spec)
    drawn = []
    for t, pose in exact_poses(load_timeline(TIMELINES / "bridge_demo.toml")):
        snapshot = recorder.step(pose, t)
        if snapshot.warnings:
            def draw(t=t):
                drawn.append(t)
                return np.full((360, 480, 3), 128, np.uint8)
            moments.update(snapshot, draw)
    report = recorder.close()
    return spec, report, recorder.series, moments, drawn


def test_the_moment_the_warning_appeared_is_pictured(bridge_session):
    spec, report, series, moments, drawn = bridge_session
    best = moments.best()
    assert [m.warning for m in best] == ["hips_low"]
    start = report.warnings[0].start_s
    assert drawn == [pytest.approx(start, abs=0.001)] and best[0].t == pytest.approx(start, abs=0.001)
    i = list(series.t).index(best[0].t)
    limit = next(w.below for w in spec.warnings if w.id == "hips_low")
    assert best[0].excess == pytest.approx(limit - series.values["hip_line"][i], abs=0.01)   # how far below it


def test_html_holds_summary_plot_table_and_pictures(bridge_session, tmp_path):
    spec, report, series, moments, _ = bridge_session
    path = tmp_path / "report.html"
    write_html(path, report, series, spec, moments.best())
    text = path.read_text()
    assert "Glute bridge: session report" in text
    assert "reps: 1 / target 5" in text and "Lift your hips" in text
    assert "hips_low" not in text                                   # the cue's words, never its id
    assert "<dt>hip line</dt><dd>how far the hips are off the straight line from the shoulders to the knees, " \
           "in degrees" in text                                       # each reading explained once, with its unit
    assert "Red dashes: where a form cue starts" not in text         # the dashes are the limits
    assert text.count("data:image/png;base64,") == 1                   # the metric plot
    assert text.count("data:image/jpeg;base64,") == 1                  # one worst-form picture
    assert "<td class='warn'>partial</td>" in text
    scores = [f"{r.score[0]} of {r.score[1]}" for r in report.reps.items]
    assert all(f">{score}</td>" in text for score in scores) and "<dt>score</dt>" in text
    assert "http" not in text.replace("http-equiv", "")                 # self-contained: nothing fetched


def test_a_session_without_warnings_has_a_report_too(tmp_path):
    spec = find_spec("plank")
    recorder = Recorder(spec)
    timeline = load_timeline(TIMELINES / "plank_demo.toml")
    timeline.steps = [s for s in timeline.steps if not s.error]          # a clean plank only
    for t, pose in exact_poses(timeline):
        recorder.step(pose, t)
    report = recorder.close()
    assert report.warnings == []
    write_html(tmp_path / "r.html", report, recorder.series, spec, [])
    text = (tmp_path / "r.html").read_text()
    assert "form cues: none" in text and "No form warnings in this session." in text
    assert text.count("data:image/png;base64,") == 1                   # the plot was drawn


def test_csv_has_a_row_per_frame_and_per_rep(bridge_session, tmp_path):
    spec, report, series, _, _ = bridge_session
    frames, reps, holds = write_csv(tmp_path / "s", report, series)
    rows = list(csv.DictReader(frames.open()))
    assert len(rows) == len(series) and set(spec.metrics) <= set(rows[0])
    assert rows[-1]["state"] in ("active", "not_in_position")
    rep_rows = list(csv.DictReader(reps.open()))
    assert [r["complete"] for r in rep_rows] == ["True", "False"]
    assert [r["score"] for r in rep_rows] == [f"{r.score[0]}/{r.score[1]}" for r in report.reps.items]
    assert len(list(csv.DictReader(holds.open()))) == len(report.hold.items)


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium not installed (apt-get install chromium); .ci/run installs it")
def test_report_renders_in_headless_chromium(bridge_session, tmp_path):
    import cv2

    spec, report, series, moments, _ = bridge_session
    path = tmp_path / "report.html"
    write_html(path, report, series, spec, moments.best())
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([CHROMIUM, *flags, "--dump-dom", path.as_uri()], capture_output=True, text=True, timeout=120)
    assert "Worst-form moments" in dom.stdout and dom.stdout.count("<img") == 2
    shot = tmp_path / "page.png"
    subprocess.run([CHROMIUM, *flags, "--window-size=1100,1600", f"--screenshot={shot}", path.as_uri()],
                   capture_output=True, timeout=120)
    image = cv2.imread(str(shot))
    assert image is not None and image.shape[:2] == (1600, 1100)
    assert image.std() > 20                                            # text, plot and picture, not a blank page


def test_the_report_says_when_the_session_was_and_names_the_file_not_its_path(tmp_path):
    spec = find_spec("plank")
    recorder = Recorder(spec)
    for t, pose in exact_poses(load_timeline(TIMELINES / "plank_demo.toml")):
        recorder.step(pose, t)
    report = recorder.close(video=Video(source="/home/someone/videos/plank.mp4", name="plank.mp4", duration_s=72.4),
                            started_at=StartedAt("2026-12-05T07:40:12+01:00", "clock"))
    write_html(tmp_path / "r.html", report, recorder.series, spec, [])
    text = (tmp_path / "r.html").read_text()
    assert "05 Dec 2026, 07:40 UTC+01:00, 1 min 12 s" in text
    assert "plank.mp4" in text and "/home/someone" not in text
    assert "Lift your hips" in text                                      # the cue's words, not its id


def test_the_page_shows_the_last_days_from_the_history_and_one_meaning_of_hold(bridge_session, tmp_path):
    from coach.output.history import DayRow

    spec, report, series = bridge_session[:3]
    days = [DayRow("bridge", "2026-12-03", 1, 6, 0.0, 0.0, 0.8, None),
            DayRow("bridge", "2026-12-04", 2, 14, 0.0, 0.0, 0.9, "hips_low")]
    write_html(tmp_path / "r.html", report, series, spec, [], days)
    text = (tmp_path / "r.html").read_text()
    assert "The last days" in text and "<td>2026-12-04</td><td>2</td><td>14</td><td>90 %</td>" in text
    # For reps, the summary's time held is the time at the top of each rep, as in the reps table.
    assert "at the top:" in text and "hold: " not in text


def test_a_routine_has_one_page_linking_each_exercise(tmp_path, bridge_session):
    """The routine's page: each exercise in order with what it came to, a link to its own page,
    and a skipped one said to be skipped."""
    from coach.analysis.report import RoutineEntry, RoutineReport
    from coach.output.html import write_routine_html

    _, report, *_ = bridge_session
    routine = RoutineReport(routine="mine", routine_name="My routine", started_at=StartedAt("2026-12-06T08:00:00+01:00", "clock"),
                            exercises=[RoutineEntry("bridge", "Glute bridge", report), RoutineEntry("plank", "Plank")],
                            ended_by="routine done")
    page = tmp_path / "routine.html"
    write_routine_html(page, routine, {0: "routine.events/01-bridge.html"})
    text = page.read_text()
    assert "My routine: routine report" in text
    assert "<a href='routine.events/01-bridge.html'>session report</a>" in text
    assert "Reps: 1 of 5" in text and "Plank</td><td class='warn'>skipped" in text

"""The command line as a person uses it: real processes, real files, bad input."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_videos"


def coach(*args: str, timeout: float = 300, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "coach", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT, env={**os.environ, **(env or {})})


def test_help_on_every_command():
    for args in ([], ["analyze"], ["live"], ["routine"], ["exercises"], ["cameras"], ["synth"], ["eval"],
                 ["history"]):
        result = coach(*args, "--help")
        assert result.returncode == 0, args
        assert "usage:" in result.stdout


def test_exercises_list_and_show():
    listing = coach("exercises")
    assert {"bridge", "bird_dog", "plank"} <= {line.split()[0] for line in listing.stdout.splitlines()}
    shown = coach("exercises", "show", "plank")
    assert shown.returncode == 0 and "Camera" in shown.stdout and '("Exercises for Back Pain")' in shown.stdout
    assert "Hips are sagging: tighten your belly and lift them into line" in shown.stdout
    assert "hips_sagging" not in shown.stdout                      # words for people, ids for programs


@pytest.mark.parametrize("args, usage, hint", [
    (["analyze", "x.mp4", "-e", "bridge", "--anotated", "a.mp4"], "usage: coach analyze", "did you mean --annotated?"),
    (["analyze", "x.mp4", "-e", "bridge", "--htm", "r.html"], "usage: coach analyze", "did you mean --html?"),
    (["live", "-e", "bridge", "--no-mirorr"], "usage: coach live", "did you mean --no-mirror?"),
])
def test_a_misspelt_or_shortened_option_gets_the_commands_usage_and_a_suggestion(args, usage, hint):
    result = coach(*args)
    assert result.returncode == 2
    assert usage in result.stderr and hint in result.stderr and "unrecognized arguments" in result.stderr


@pytest.mark.parametrize("report", [
    lambda d: str(d / ("r" * 300 + ".json")),           # a name longer than the file system allows
    lambda d: "/proc/r.json",                           # a special file system
    lambda d: str(d / "missing" / "r.json"),            # no such folder
])
def test_an_output_path_that_cannot_be_written_fails_before_any_work(tmp_path, report):
    result = coach("analyze", str(SAMPLES / "bridge_demo.mp4"), "-e", "bridge", "--report", report(tmp_path),
                   "--no-history")
    assert result.returncode == 7, result.stderr
    assert "Traceback" not in result.stderr and "cannot write" in result.stderr
    assert "frames" not in result.stderr                  # no progress: nothing was analysed


def test_live_without_a_screen_fails_before_the_model_loads_and_leaves_no_files(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    result = subprocess.run([sys.executable, "-m", "coach", "live", "-e", "plank", "--report",
                             str(tmp_path / "live.json")], capture_output=True, text=True, timeout=60, cwd=ROOT,
                            env=env)
    assert result.returncode == 1 and "no screen" in result.stderr
    assert "Safety" not in result.stdout                  # it stopped before the session's start
    assert list(tmp_path.iterdir()) == []


def test_history_suggests_the_exercise_meant(tmp_path):
    history = tmp_path / "h.sqlite"
    from coach.analysis.report import Report
    from coach.output.history import History

    h = History(history)
    h.add(Report.from_dict({"exercise": "bridge", "exercise_name": "Bridge", "kind": "reps",
                            "targets": {"reps": 10, "holds": None, "hold_s": None, "per_side": False},
                            "video": {"source": "x.mp4", "name": "x.mp4", "duration_s": 30.0},
                            "reps": {"count": 3, "partial": 0, "items": []}, "hold": {"items": []}, "warnings": []}),
          "analyze")
    h.close()
    result = coach("history", "-e", "brdge", env={"COACH_HISTORY": str(history)})
    assert result.returncode == 0 and "did you mean 'bridge'?" in result.stdout


def test_exercises_check_says_ok_or_what_is_wrong(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('id = "x"\nname = "X"\nkind = "hold"\nview = "side"\ncamera = "c"\ninstructions = "i"\n'
                   '[metrics.a]\nkind = "bendd"\npoints = ["hip"]\n')
    good = ROOT / "exercise_specs" / "plank.toml"
    routine = ROOT / "exercise_specs" / "routines" / "core_short.toml"
    result = coach("exercises", "check", str(good), str(routine), str(bad))
    assert result.returncode == 3
    lines = result.stdout.splitlines()
    assert lines[0].endswith("plank.toml: ok (exercise spec)") and lines[1].endswith("core_short.toml: ok (routine)")
    assert "metrics.a.kind: expected one of" in result.stdout and "found 'bendd'" in result.stdout


def test_a_reader_that_stops_early_gets_no_traceback():
    proc = subprocess.Popen([sys.executable, "-m", "coach", "exercises", "show", "plank"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()                       # gone before the first line, as `| head -0` would
    _, err = proc.communicate(timeout=60)
    assert b"Traceback" not in err


@pytest.mark.parametrize("make, code, message", [
    (lambda d: d / "missing.mp4", 4, "video not found"),
    (lambda d: (d / "empty.mp4").write_bytes(b"") or d / "empty.mp4", 4, "is empty"),
    (lambda d: (d / "text.mp4").write_text("not a video\n" * 100) or d / "text.mp4", 4, "video"),
    (lambda d: d, 4, "is a folder"),
    (lambda d: (d / "cut.mp4").write_bytes((SAMPLES / "plank_demo.mp4").read_bytes()[:3000]) or d / "cut.mp4", 4, ""),
])
def test_bad_video_gives_one_line_error(tmp_path, make, code, message):
    result = coach("analyze", str(make(tmp_path)), "--exercise", "plank")
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("coach: error:") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_unknown_exercise_and_broken_spec(tmp_path):
    result = coach("analyze", str(SAMPLES / "plank_demo.mp4"), "--exercise", "plankk")
    assert result.returncode == 3 and "Did you mean 'plank'" in result.stderr
    spec = tmp_path / "mine.toml"
    spec.write_text((ROOT / "exercise_specs" / "plank.toml").read_text().replace('"mid_ankle"]', '"mid_ankel"]'))
    result = coach("analyze", str(SAMPLES / "plank_demo.mp4"), "--exercise", str(spec))
    assert result.returncode == 3 and "mine.toml" in result.stderr and "did you mean 'mid_ankle'" in result.stderr


def test_unwritable_report_is_refused_before_work(tmp_path):
    result = coach("analyze", str(SAMPLES / "plank_demo.mp4"), "-e", "plank", "--report", str(tmp_path / "no" / "r.json"))
    assert result.returncode == 7 and "does not exist" in result.stderr


def test_missing_task_model_file():
    result = coach("analyze", str(SAMPLES / "plank_demo.mp4"), "-e", "plank", "--model", "/nonexistent/pose.task")
    assert result.returncode == 6 and "pose model file not found" in result.stderr


def test_looking_for_cameras_prints_only_the_coach_s_own_words():
    result = coach("cameras", "--max-index", "3", timeout=60)
    assert result.returncode in (0, 5)
    assert result.stderr == ""                              # no OpenCV or V4L2 warnings
    assert "camera" in result.stdout


def test_missing_camera_is_loud():
    result = coach("live", "--exercise", "plank", "--camera", "7", "--no-display", timeout=60)
    assert result.returncode == 5
    assert "no camera at index 7" in result.stderr and "coach cameras" in result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("exercise", ["bridge", "plank", "bird_dog"])
def test_analyze_sample_clip_matches_its_labels(tmp_path, exercise):
    clip = SAMPLES / f"{exercise}_demo.mp4"
    expected = json.loads(clip.with_suffix(".json").read_text())["expected"]
    report_path = tmp_path / "report.json"
    result = coach("analyze", str(clip), "--exercise", exercise, "--report", str(report_path),
                   "--annotated", str(tmp_path / "annotated.mp4"), "--events", str(tmp_path / "events.jsonl"))
    assert result.returncode == 0, result.stderr
    report = json.loads(report_path.read_text())
    assert report["pose_coverage"] == 1.0
    assert report["reps"]["count"] == expected["reps"]
    assert report["reps"]["partial"] == expected["partial_reps"]
    assert report["reps"]["by_side"] == expected["by_side"]
    assert report["hold"]["total_s"] == pytest.approx(expected["hold_s"], abs=max(0.7, 0.1 * expected["hold_s"]))
    assert {w["id"] for w in report["warnings"]} == {w["id"] for w in expected["warnings"]}
    assert (tmp_path / "annotated.mp4").stat().st_size > 10_000
    events = [json.loads(line) for line in (tmp_path / "events.jsonl").read_text().splitlines()]
    assert sum(e["event"] == "RepFinished" for e in events) == expected["reps"] + expected["partial_reps"]


@pytest.mark.slow
def test_a_recording_analysed_twice_is_one_session_on_its_own_day_and_its_videos_play_in_a_browser(tmp_path):
    """The file dated 1 Nov 2026 (no time of day), analysed twice: one session in the history, dated
    1 Nov; the summary in words; the annotated video and the highlights in H.264."""
    import av

    clip = tmp_path / "frog.mp4"
    shutil.copy(SAMPLES / "bridge_demo.mp4", clip)
    midnight = datetime(2026, 11, 1).timestamp()
    os.utime(clip, (midnight, midnight))
    env = {"COACH_HISTORY": str(tmp_path / "h.sqlite")}
    first = coach("analyze", str(clip), "-e", "bridge", "--report", str(tmp_path / "a.json"), "-q", env=env)
    again = coach("analyze", str(clip), "-e", "bridge", "--report", str(tmp_path / "b.json"), "-q",
                  *["--annotated", str(tmp_path / "full.mp4"), "--highlights", str(tmp_path / "short.mp4")], env=env)
    assert first.returncode == 0 and again.returncode == 0, again.stderr
    assert "Lift your hips" in first.stdout and "hips_low" not in first.stdout
    assert "replaced" in again.stderr
    listing = json.loads(coach("history", "--json", env=env).stdout)
    [session] = listing["sessions"]
    assert session["day"] == "2026-11-01" and session["report_path"] == str(tmp_path / "b.json")
    assert json.loads((tmp_path / "b.json").read_text())["started_at"]["at"].startswith("2026-11-01")
    shown = coach("history", env=env).stdout
    assert "Glute bridge" in shown and "Lift your hips" in shown and "hips_low" not in shown
    for name in ("full.mp4", "short.mp4"):
        with av.open(str(tmp_path / name)) as video:
            assert video.streams.video[0].codec_context.name == "h264"
    with av.open(str(tmp_path / "full.mp4")) as full, av.open(str(tmp_path / "short.mp4")) as short:
        assert 0 < short.streams.video[0].frames < full.streams.video[0].frames


@pytest.mark.slow
def test_analyze_is_deterministic(tmp_path):
    outputs = []
    for i in range(2):
        path = tmp_path / f"r{i}.json"
        coach("analyze", str(SAMPLES / "bridge_demo.mp4"), "-e", "bridge", "--report", str(path), "-q")
        outputs.append(json.loads(path.read_text()))
    assert outputs[0] == outputs[1]


@pytest.mark.slow
def test_analyze_real_clip(shared_videos, tmp_path):
    clip = shared_videos / "plank" / "gymnai_forearm_plank.mp4"    # labelled: hold 8 s, good form
    result = coach("analyze", str(clip), "-e", "plank", "--report", str(tmp_path / "r.json"), "-q")
    assert result.returncode == 0, result.stderr
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["hold"]["total_s"] == pytest.approx(8.0, abs=1.0)
    assert report["warnings"] == []


@pytest.mark.slow
def test_analyze_video_without_a_person(tmp_path):
    import cv2
    import numpy as np

    path = tmp_path / "empty_room.mp4"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 15, (320, 240))
    for i in range(30):
        writer.write(np.full((240, 320, 3), 90 + i, np.uint8))
    writer.release()
    result = coach("analyze", str(path), "-e", "bridge", "--json")
    assert result.returncode == 0
    report = json.loads(result.stdout)
    assert report["pose_coverage"] == 0.0 and "No person" in report["message"]


@pytest.mark.slow
def test_live_loop_on_a_video_played_as_camera(tmp_path):
    report = tmp_path / "live.json"
    result = coach("live", "-e", "bridge", "--camera", str(SAMPLES / "bridge_demo.mp4"), "--no-display",
                   "--no-setup-check", "--report", str(report), timeout=120)
    assert result.returncode == 0, result.stderr
    data = json.loads(report.read_text())
    assert data["ended_by"] == "end of video" and data["interrupted"] is False
    # Played at real-time pace (13.5 s of video): the clock-based count should still see both reps.
    assert data["reps"]["count"] + data["reps"]["partial"] == 2
    assert data["video"]["duration_s"] == pytest.approx(13.5, abs=1.5)
    events = report.with_suffix(".events.jsonl").read_text().splitlines()
    assert any('"RepFinished"' in line for line in events)
    assert report.with_suffix(".html").stat().st_size > 20000 and report.with_suffix(".frames.csv").is_file()
    assert "Safety:" in result.stdout


@pytest.mark.slow
def test_live_starts_after_the_setup_check(tmp_path):
    """The set-up check passes on the sample (camera low, whole body in view), counts down, then coaches."""
    report = tmp_path / "live.json"
    result = coach("live", "-e", "bridge", "--camera", str(SAMPLES / "bridge_demo.mp4"), "--no-display",
                   "--report", str(report), timeout=120)
    assert result.returncode == 0, result.stderr
    data = json.loads(report.read_text())
    # 1.5 s of good set-up and a 3 s countdown: the first rep (1.9-6.3 s) is over before coaching
    # starts, and counts all the same (what was done while the check ran counts when it hands over),
    # as does the second, partial one: as `coach analyze` reads the same clip.
    assert (data["reps"]["count"], data["reps"]["partial"]) == (1, 1)


@pytest.mark.slow
def test_interrupted_analysis_writes_partial_report(tmp_path):
    import signal
    import time

    report = tmp_path / "r.json"
    proc = subprocess.Popen([sys.executable, "-m", "coach", "analyze", str(SAMPLES / "bridge_demo.mp4"), "-e", "bridge",
                             "--report", str(report), "--events", str(tmp_path / "e.jsonl")],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        events = tmp_path / "e.jsonl"
        if events.exists() and events.read_text().count("\n") >= 2:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)                    # Ctrl-C
    proc.communicate(timeout=60)
    assert proc.returncode == 130                      # the shell's convention: a script sees the job not done
    data = json.loads(report.read_text())
    assert data["interrupted"] is True
    assert 0 < data["video"]["frames"] < 202
    assert data["message"].startswith("Interrupted after ") and "of the video's 13.5 s" in data["message"]


@pytest.mark.slow
def test_camera_reader_keeps_only_the_newest_frame():
    import time

    from coach.io.sources import Camera

    with Camera(str(SAMPLES / "plank_demo.mp4")) as camera:     # 15 fps, played in real time
        first = camera.read()
        time.sleep(0.5)                                          # a slow consumer
        second = camera.read()
    assert second.index - first.index >= 5                       # frames were dropped, none queued
    assert second.t - first.t == pytest.approx(0.5, abs=0.15)


@pytest.mark.slow
def test_eval_scores_the_sample_clips_and_reuses_their_landmarks(tmp_path):
    out = tmp_path / "scores.md"
    result = coach("eval", str(SAMPLES), "--markdown", str(out), "--landmarks", str(tmp_path / "lm"))
    assert result.returncode == 0, result.stderr
    text = out.read_text()
    assert "| bridge_demo.mp4 | bridge | 1 / 1 +1p |" in text
    assert "counts (7 clips): exact 100 %" in text
    assert "| hips_low | 1 | 0 | 0 | 1.00 | 1.00 | 1.00 |" in text
    assert sorted(p.name for p in (tmp_path / "lm").iterdir()) == sorted(f"{v.stem}.npz" for v in SAMPLES.glob("*.mp4"))
    again = coach("eval", str(SAMPLES), "--landmarks", str(tmp_path / "lm"))     # no model run: the same table
    assert again.returncode == 0 and again.stdout.strip() == text.strip()


@pytest.mark.slow
def test_eval_mirrored_reads_the_sample_clips_the_other_way_round(tmp_path):
    result = coach("eval", str(SAMPLES), "--mirror", "--landmarks", str(tmp_path / "lm"))
    assert result.returncode == 0, result.stderr
    assert "| bridge_demo.mp4 | bridge | 1 / 1 +1p |" in result.stdout
    assert "| bird_dog_demo.mp4 | bird_dog | 2 / 2 (L1 R1) |" in result.stdout
    assert "counts (7 clips): exact 100 %" in result.stdout
    rejected = coach("eval", str(SAMPLES), "--mirror", "--exact-joints")
    assert rejected.returncode == 1 and "--exact-joints reads no video" in rejected.stderr


def test_eval_on_exact_joints_scores_the_geometry_without_the_pose_model(tmp_path):
    result = coach("eval", str(SAMPLES), "--exact-joints")
    assert result.returncode == 0, result.stderr
    assert "| bridge_demo.mp4 | bridge | 1 / 1 +1p |" in result.stdout
    assert "| plank_demo.mp4 | plank | 1 / 1 | 11.00 / 11.0 |" in result.stdout   # held from the first frame
    labels = tmp_path / "labels.json"
    labels.write_text('{"videos": []}')
    result = coach("eval", str(labels), "--exact-joints")
    assert result.returncode == 1 and "--exact-joints needs synthetic clips" in result.stderr


def test_eval_needs_labels(tmp_path):
    result = coach("eval", str(tmp_path))
    assert result.returncode == 1 and "no labelled clips" in result.stderr


@pytest.mark.slow
def test_analyze_writes_html_csv_and_history_and_a_damaged_history_does_not_block_it(tmp_path):
    history = tmp_path / "history.sqlite"
    result = coach("analyze", str(SAMPLES / "plank_demo.mp4"), "-e", "plank", "--html", str(tmp_path / "r.html"),
                   "--csv", str(tmp_path / "r"), "-q", env={"COACH_HISTORY": str(history)})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "r.html").stat().st_size > 20000
    assert {p.name for p in tmp_path.glob("r.*.csv")} == {"r.frames.csv", "r.reps.csv", "r.holds.csv"}
    listed = coach("history", env={"COACH_HISTORY": str(history)})
    assert "Plank" in listed.stdout and "Lift your hips" in listed.stdout and "hips_sagging" not in listed.stdout
    history.write_bytes(b"garbage" * 200)
    result = coach("analyze", str(SAMPLES / "plank_demo.mp4"), "-e", "plank", "-q", "--max-frames", "5",
                   env={"COACH_HISTORY": str(history)})
    assert result.returncode == 0 and "not added to the history" in result.stderr
    assert coach("history", env={"COACH_HISTORY": str(history)}).returncode == 8

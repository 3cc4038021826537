"""The live loop end to end: a video played as the camera, the window on a virtual screen.

The window tests start Xvfb (Debian's ``xvfb``) with a window manager
(``openbox``), as a person's desktop, take screenshots of the whole 1920x1080
screen with ImageMagick's ``import`` while ``coach live`` runs, shrink each to
a quarter (what the eye resolves from 2.5 m: one arc-minute is about 4 pixels
of a 15.6-inch 1080p screen) and read it back with ``tesseract``; keys and
alt+F4 go to the window through ``xdotool``. They skip with a message where
those programs are missing (``.ci/run`` installs them).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import cv2
import pytest
from virtual_screen import start_xvfb

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_videos"
FROG_PUMPS = ROOT.parent / "shared" / "videos" / "glute_bridge" / "pal_frog_pump.mp4"

pytestmark = pytest.mark.slow


def _coach(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "coach", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_person_exercising_from_the_first_frame_is_counted_with_the_setup_check_on(tmp_path):
    """Eight bridges from the first second: the set-up check does not ask for stillness, hands
    over within 5 s, and every bridge after that is counted."""
    if not FROG_PUMPS.is_file():
        pytest.skip(f"real clip not found: {FROG_PUMPS} (../shared/videos is not part of the repository)")
    report = tmp_path / "live.json"
    proc = _coach("live", "-e", "bridge", "--camera", str(FROG_PUMPS), "--max-seconds", "22", "--no-display",
                  "--no-voice", "--report", str(report))
    out, err = proc.communicate(timeout=180)
    assert proc.returncode == 0, err
    data = json.loads(report.read_text())
    assert data["setup"]["passed"] and data["setup"]["seconds"] <= 5.0
    # 8 bridges, one every 2.5 s from the first second: at most the first two end before 5 s.
    assert data["reps"]["count"] >= 6, data["reps"]
    assert data["reps"]["items"][0]["start_s"] <= 5.5


def _tools_missing() -> str:
    missing = [tool for tool in ("Xvfb", "openbox", "xdotool", "tesseract", "import") if shutil.which(tool) is None]
    return ", ".join(missing)


@contextlib.contextmanager
def _desktop():
    """A 1920x1080 virtual screen with a window manager (Debian's openbox), as a person's desktop:
    windows open as large as asked, full screen works, and alt+F4 closes the active window."""
    if _tools_missing():
        pytest.skip(f"not installed: {_tools_missing()} (Debian: xvfb, openbox, xdotool, tesseract-ocr, imagemagick)")
    xvfb, display = start_xvfb()
    wm = subprocess.Popen(["openbox"], env={**os.environ, "DISPLAY": display}, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL)
    try:
        time.sleep(1.0)                                     # openbox takes the screen before the window opens
        yield display
    finally:
        wm.terminate()
        wm.wait(timeout=10)
        xvfb.terminate()
        xvfb.wait(timeout=10)


def _screenshot(display: str, path: Path) -> Path | None:
    subprocess.run(["import", "-display", display, "-window", "root", str(path)], capture_output=True, timeout=20)
    return path if path.is_file() else None


def _keys(display: str, *keys: str) -> None:
    """Keys typed into the coach's window, activated first as a person's click would. The window is
    waited for (up to 30 s: a loaded machine opens it late), and its absence fails here, not as a
    session that never ends."""
    env = {**os.environ, "DISPLAY": display}
    deadline = time.monotonic() + 30
    windows: list[str] = []
    while not windows and time.monotonic() < deadline:
        windows = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "coach"], capture_output=True,
                                 text=True, timeout=20, env=env).stdout.split()
        if not windows:
            time.sleep(0.2)
    assert windows, "the coach's window never showed"
    subprocess.run(["xdotool", "windowactivate", "--sync", windows[0], "key", *keys], capture_output=True,
                   timeout=20, env=env)


def _read_from_afar(png: Path) -> str:
    """OCR of the whole screen shrunk to a quarter and enlarged back: detail finer than the eye
    sees from 2.5 m is gone."""
    image = cv2.imread(str(png))
    height, width = image.shape[:2]
    far = cv2.resize(cv2.resize(image, (width // 4, height // 4), interpolation=cv2.INTER_AREA), (width, height),
                     interpolation=cv2.INTER_LINEAR)
    # Grey, dark on light, as tesseract reads best: the same detail, not more.
    blurred = png.with_name(png.stem + "-far.png")
    cv2.imwrite(str(blurred), 255 - cv2.cvtColor(far, cv2.COLOR_BGR2GRAY))
    result = subprocess.run(["tesseract", str(blurred), "-", "--psm", "11"], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, f"tesseract failed on {blurred}: {result.stderr}"
    return " ".join(result.stdout.split())


def _lit_share(png: Path) -> float:
    """How much of the screenshot is not black: near 0 means the window never reached the screen."""
    image = cv2.imread(str(png))
    return float((image.max(axis=2) > 0).mean())


def test_the_live_window_reads_from_the_mat_with_no_flags(tmp_path):
    """A plank played as the camera on a 1920x1080 desktop, no option given: the window fills the
    screen, and from 2.5 m OCR reads the safety line, the phase word, the hold timer against its
    target, the cue and the end screen's summary, which stays until a key is pressed."""
    with _desktop() as display:
        env = {**os.environ, "DISPLAY": display}
        proc = _coach("live", "-e", "plank", "--camera", str(SAMPLES / "plank_demo.mp4"), "--no-voice",
                      "--no-history", "--report", str(tmp_path / "live.json"), env=env)
        shots = []
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline and not (tmp_path / "live.json").exists():
            time.sleep(0.7)
            shot = _screenshot(display, tmp_path / f"screen-{len(shots):03d}.png")
            if shot is not None:
                shots.append(shot)
        time.sleep(2.0)
        end = _screenshot(display, tmp_path / "end.png")
        assert proc.poll() is None, "the end screen closed by itself"
        _keys(display, "space")
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
    lit = [round(_lit_share(shot), 3) for shot in shots]
    assert min(lit[len(lit) // 2:], default=0) > 0.9, ("the window does not fill the screen", lit, err)
    read = [_read_from_afar(shot) for shot in shots]
    assert any("sharp pain" in text for text in read), read
    assert any("HOLD" in text and re.search(r"\d+ ?/ ?10", text) for text in read), read
    assert any("Lift your hips" in text for text in read), read
    assert end is not None
    summary = _read_from_afar(end)
    assert "Plank: done" in summary and "Held" in summary, summary
    # The report's full path, read at the keyboard (not from the mat): the folder a person must open.
    near = subprocess.run(["tesseract", str(end), "-", "--psm", "11"], capture_output=True, text=True, timeout=60)
    def plain(text: str) -> str:               # the font's slashed zero reads as an O or a Q, a one as an l or I
        return text.replace(" ", "").translate(str.maketrans({"0": "O", "Q": "O", "1": "l", "I": "l", "|": "l"}))

    assert plain(str(tmp_path / "live.html")) in plain(near.stdout), near.stdout


def test_closing_the_window_ends_the_session_like_q(tmp_path):
    """alt+F4 through the window manager 9 s into a plank: exit 0, the report and its HTML written
    with the hold so far, and the history has the session."""
    history = tmp_path / "h.sqlite"
    with _desktop() as display:
        env = {**os.environ, "DISPLAY": display, "COACH_HISTORY": str(history)}
        proc = _coach("live", "-e", "plank", "--camera", str(SAMPLES / "plank_demo.mp4"), "--no-voice",
                      "--report", str(tmp_path / "live.json"), env=env)
        time.sleep(9.0)
        _keys(display, "alt+F4")
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    report = json.loads((tmp_path / "live.json").read_text())
    assert report["ended_by"] == "window closed"
    assert report["hold"]["total_s"] >= 4.0, report["hold"]
    assert (tmp_path / "live.html").is_file() and history.is_file()


def test_a_session_killed_hard_is_recovered_at_the_next_start(tmp_path):
    """kill -9 in the middle of a live plank: the next `coach` command rebuilds its report from the
    event log, marks it recovered and adds it to the history."""
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"), "COACH_HISTORY": str(tmp_path / "h.sqlite")}
    proc = _coach("live", "-e", "plank", "--camera", str(SAMPLES / "plank_demo.mp4"), "--no-display", "--no-voice",
                  "--no-setup-check", env=env)
    sessions = tmp_path / "data" / "coach" / "sessions"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        logs = list(sessions.glob("*.events.jsonl")) if sessions.is_dir() else []
        if logs and "WarningStarted" in logs[0].read_text():
            break
        time.sleep(0.2)
    proc.kill()                                            # SIGKILL: no handler runs, no report is written
    proc.communicate(timeout=30)
    assert not list(sessions.glob("*.json"))
    later = subprocess.run([sys.executable, "-m", "coach", "history"], cwd=ROOT, env=env, capture_output=True,
                           text=True, timeout=60)
    assert later.returncode == 0 and "recovered from its event log" in later.stderr
    report = json.loads(next(sessions.glob("*.json")).read_text())
    assert report["recovered"] is True and report["interrupted"] is True
    assert report["warnings"][0]["id"] == "hips_sagging"
    assert report["hold"]["total_s"] >= 2.0                # the hold it was cut off in (logged each second)
    assert "Plank" in later.stdout                         # in the history
    page = next(sessions.glob("*.html")).read_text()       # and its page, rebuilt beside it
    assert "rebuilt from the event log" in page and "Lift your hips" in page
    again = subprocess.run([sys.executable, "-m", "coach", "history"], cwd=ROOT, env=env, capture_output=True,
                           text=True, timeout=60)
    assert "recovered" not in again.stderr                 # once only


def test_two_sessions_writing_the_history_at_once_both_land(tmp_path):
    """Two processes add 25 sessions each to one history at the same time: all 50 are there."""
    history = tmp_path / "h.sqlite"
    script = (
        "import sys\n"
        "from coach.analysis.report import Report\n"
        "from coach.output.history import History\n"
        "report = Report.from_dict({'exercise': 'bridge', 'exercise_name': 'Bridge', 'kind': 'reps',\n"
        "    'targets': {'reps': 10, 'holds': None, 'hold_s': None, 'per_side': False},\n"
        "    'video': {'source': 'x', 'name': 'x', 'duration_s': 1.0},\n"
        "    'reps': {'count': 1, 'partial': 0, 'items': []}, 'hold': {'items': []}, 'warnings': []})\n"
        "for i in range(25):\n"
        "    h = History(sys.argv[1])\n"
        "    h.add(report, 'live')\n"
        "    h.close()\n")
    procs = [subprocess.Popen([sys.executable, "-c", script, str(history)], cwd=ROOT) for _ in range(2)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    from coach.output.history import History

    h = History(history)
    try:
        assert sum(row.sessions for row in h.days()) == 50
    finally:
        h.close()

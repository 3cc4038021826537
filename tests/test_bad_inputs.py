"""Odd but valid videos give a sensible result, never a traceback (issue 6, part 1).

Made here, at test time: a single frame, an absurd frame rate in the metadata,
an animated GIF, a 4K frame size, a portrait clip, a phone-style clip with
rotation metadata, a variable frame rate and an audio-only file (the last
three with the ffmpeg that the imageio-ffmpeg wheel carries).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent


def analyze(path: Path) -> dict:
    result = subprocess.run([sys.executable, "-m", "coach", "analyze", str(path), "-e", "plank", "--json", "-q"],
                            capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return json.loads(result.stdout)


def write_mp4(path: Path, frames: list[np.ndarray], fps: float) -> Path:
    h, w = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (w, h))
    for frame in frames:
        writer.write(frame)
    writer.release()
    return path


def plank_frames(count: int, width: int = 480, height: int = 360) -> list[np.ndarray]:
    from coach.lab.synth import exercises
    from coach.lab.synth.body import load_body
    from coach.lab.synth.draw import Camera, Look, render, vertex_colours

    body = load_body("average_male")
    look = Look(noise=0.0)
    cam = Camera(width=width, height=height, distance_m=2.6 if width > height else 3.4)
    image = render(body, exercises.plank(body).vertices, cam, look, vertex_colours(body, look))
    return [image] * count


def test_single_frame(tmp_path):
    report = analyze(write_mp4(tmp_path / "one.mp4", plank_frames(1), 15))
    assert report["video"]["frames"] == 1 and report["pose_coverage"] == 1.0


def test_absurd_frame_rate_falls_back_to_30(tmp_path):
    report = analyze(write_mp4(tmp_path / "fast.mp4", plank_frames(10), 1000))
    assert report["video"]["fps"] == 30.0 and "fps_note" in report["video"]


def test_animated_gif(tmp_path):
    from PIL import Image

    # Each frame differs a little, or the GIF writer merges repeated frames.
    frames = [Image.fromarray(cv2.cvtColor(np.clip(f.astype(int) + i * 3, 0, 255).astype(np.uint8), cv2.COLOR_BGR2RGB))
              for i, f in enumerate(plank_frames(6))]
    path = tmp_path / "plank.gif"
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=100)
    report = analyze(path)
    assert report["video"]["frames"] == 6 and report["pose_coverage"] > 0.5


def test_4k_frames(tmp_path):
    frames = [cv2.resize(f, (3840, 2160)) for f in plank_frames(3)]
    report = analyze(write_mp4(tmp_path / "uhd.mp4", frames, 30))
    assert report["video"]["width"] == 3840 and report["pose_coverage"] == 1.0


def test_portrait_clip(tmp_path):
    report = analyze(write_mp4(tmp_path / "portrait.mp4", plank_frames(45, 360, 480), 15))
    assert report["video"]["height"] > report["video"]["width"]
    assert report["pose_coverage"] == 1.0 and report["hold"]["total_s"] > 0


def ffmpeg(*args: str) -> None:
    import imageio_ffmpeg

    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-y", "-loglevel", "error", *args], check=True, timeout=120)


def test_rotation_metadata_is_applied(tmp_path):
    # Pixels stored turned a quarter clockwise with "display rotated 90 deg" metadata, as phones
    # store video: only a reader that applies the metadata sees the person lying on the floor.
    source = cv2.VideoCapture(str(ROOT / "sample_videos" / "plank_demo.mp4"))
    frames = []
    while True:
        ok, frame = source.read()
        if not ok:
            break
        frames.append(cv2.rotate(frame, cv2.ROTATE_90_CLOCKWISE))
    source.release()
    stored = write_mp4(tmp_path / "stored.mp4", frames, 15)
    ffmpeg("-display_rotation", "90", "-i", str(stored), "-c", "copy", str(tmp_path / "phone.mp4"))
    report = analyze(tmp_path / "phone.mp4")
    assert (report["video"]["width"], report["video"]["height"]) == (480, 360)
    assert report["pose_coverage"] > 0.9 and {w["id"] for w in report["warnings"]} == {"hips_sagging"}
    assert report["hold"]["total_s"] > 8.0


def test_variable_frame_rate(tmp_path):
    # First half at 15 fps, second at 30 fps of timestamps, stored as VFR.
    ffmpeg("-i", str(ROOT / "sample_videos" / "plank_demo.mp4"), "-vf",
           "setpts='if(lt(N,80),N/15,80/15+(N-80)/30)/TB'", "-fps_mode", "vfr", str(tmp_path / "vfr.mp4"))
    report = analyze(tmp_path / "vfr.mp4")
    # Time is frame index / the container's average rate, so a variable rate
    # stretches or squeezes parts of the session; it still analyses every frame.
    assert report["video"]["frames"] > 100 and report["pose_coverage"] > 0.9 and report["hold"]["total_s"] > 3


def test_audio_only_file_is_refused_with_one_line(tmp_path):
    ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-c:a", "aac", str(tmp_path / "talk.m4a"))
    result = subprocess.run([sys.executable, "-m", "coach", "analyze", str(tmp_path / "talk.m4a"), "-e", "plank"],
                            capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 4 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_two_people_in_view_the_one_planking_is_followed(tmp_path):
    """A person planking and another standing beside the mat: the coach follows the plank
    (with one person asked of the model, it followed the standing one and timed nothing),
    times it, and warns when it sags."""
    from coach.lab.synth import exercises
    from coach.lab.synth.body import load_body
    from coach.lab.synth.draw import Camera, Look, render, vertex_colours

    planker, stander = load_body("average_male"), load_body("heavy_female")
    look = Look(noise=0.0)
    standing = stander.pose({}).vertices
    standing = standing - [0.0, 0.0, standing[:, 2].min()] + [-0.6, 1.3, 0.0]   # beside the mat, further back
    beside = ((stander.faces, standing, vertex_colours(stander, look)),)
    colours = vertex_colours(planker, look)
    cam = Camera(target=(0.0, 0.4, 0.5), distance_m=3.2)
    frames = []
    for i in range(75):                                   # 5 s: straight plank, then sagging 20 deg
        plank = exercises.plank(planker, 0.0 if i < 38 else 20.0).vertices
        frames.append(render(planker, plank, cam, look, colours, others=beside))
    report = analyze(write_mp4(tmp_path / "two.mp4", frames, 15))
    assert report["pose_coverage"] > 0.9
    assert report["people_seen"] == 2
    assert report["reps"]["count"] == 0
    assert 4.0 <= report["hold"]["total_s"] <= 5.0 + 0.2
    # Straight for 2.5 s, then sagging: in good form until the cue shows, 1 s into the sag.
    assert 3.0 <= report["hold"]["in_form_s"] <= 3.7
    assert {w["id"] for w in report["warnings"]} == {"hips_sagging"}

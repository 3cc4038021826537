"""Scene variety: random bodies, cameras, clothes, light, noise and compression for a timeline.

``vary(timeline, rng, level)`` returns a copy of the timeline with a sampled
scene; everything sampled is written into the labels, so a failure can be
traced to the camera height or the body that caused it.

Levels:

* ``advised``: the camera where the exercise specs tell people to put it
  (floor level to a low step, 2-3 m, from the side, turned up to 20 deg;
  18-32 deg toward the head for the bird dog);
  clothes, light, body, noise and compression vary freely.
* ``wide``: also a laptop on a table (up to 1.15 m), 2-3.4 m, turned up to
  45 deg, portrait frames, and one clip in six with part of the body out of
  the picture.
"""

from __future__ import annotations

import copy

import numpy as np

from coach.lab.synth.body import body_names
from coach.lab.synth.timeline import Person, Timeline

SHIRTS = [(160, 90, 40), (40, 40, 160), (60, 140, 60), (200, 200, 200), (30, 30, 30), (120, 60, 140), (0, 140, 220)]
SHORTS = [(50, 50, 50), (90, 60, 30), (30, 30, 90), (140, 140, 140), (20, 80, 20)]
SKINS = [(140, 170, 215), (100, 130, 180), (60, 85, 125), (170, 195, 230), (80, 110, 160)]
FLOORS = [(110, 120, 135), (60, 90, 130), (150, 150, 150), (70, 70, 70), (120, 150, 170)]
WALLS = [(200, 205, 210), (180, 200, 220), (230, 230, 225), (150, 160, 170), (200, 190, 170)]
MATS = [(30, 60, 120), (120, 80, 40), (60, 60, 60), (140, 60, 140), (40, 120, 40)]
LEVELS = ("advised", "wide")


def _pick(rng: np.random.Generator, options: list) -> tuple[int, int, int]:
    r, g, b = (int(c) for c in options[int(rng.integers(len(options)))])
    return r, g, b


def vary(timeline: Timeline, rng: np.random.Generator, level: str = "advised") -> Timeline:
    """A copy of ``timeline`` in a randomly sampled scene."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    out = copy.deepcopy(timeline)
    wide = level == "wide"
    out.body = str(rng.choice(body_names()))
    camera = dict(out.camera)
    camera["height_m"] = round(float(rng.uniform(0.15, 1.15 if wide else 0.5)), 3)
    camera["distance_m"] = round(float(rng.uniform(2.0, 3.4) if wide else rng.uniform(2.2, 3.0)), 3)
    yaw_limit = 45.0 if wide else 20.0
    if timeline.exercise == "bird_dog" and not wide:
        # The bird-dog spec asks for the camera about 25 deg toward the head, or
        # the head hides the far arm when it reaches forward.
        camera["yaw_deg"] = round(float(rng.uniform(-32.0, -18.0)), 2)
    else:
        camera["yaw_deg"] = round(float(rng.uniform(-yaw_limit, yaw_limit)), 2)
    camera["fov_deg"] = round(float(rng.uniform(50.0, 70.0)), 2)
    if wide and rng.random() < 0.2:
        camera["width"], camera["height"] = 360, 480
    crop = wide and rng.random() < 1 / 6
    if crop:
        camera["crop_shift_m"] = round(float(rng.choice([-1, 1]) * rng.uniform(0.5, 0.8)), 3)
    out.camera = camera
    light = rng.normal(size=3)
    light[2] = abs(light[2]) + 0.8
    out.look = {
        "skin": _pick(rng, SKINS), "shirt": _pick(rng, SHIRTS), "shorts": _pick(rng, SHORTS),
        "floor": _pick(rng, FLOORS), "wall": _pick(rng, WALLS), "mat": _pick(rng, MATS),
        "light_dir": tuple(round(float(v), 3) for v in light), "noise": round(float(rng.uniform(0.0, 6.0)), 2),
    }
    out.jpeg_quality = int(rng.integers(40, 96))
    return out


#: Other people in the picture, for checking that the coach follows the person exercising:
#: a physiotherapist standing beside the mat, someone walking through between the camera and
#: the mat (3-7 s), and someone sitting on the floor beside it.
BYSTANDER_SCENES: dict[str, tuple[Person, ...]] = {
    "standing_beside": (Person(pose="standing", body="lean_tall_male", at=(-2.0, 1.0)),),
    "walking_through": (Person(pose="standing", body="older_female", at=(0.9, 2.6), to=(0.9, -2.6),
                               seconds=(3.0, 7.0)),),
    "sitting_beside": (Person(pose="sitting", body="lean_tall_male", at=(-0.9, 1.5)),),
}


def with_bystanders(timeline: Timeline, scene: str) -> Timeline:
    """A copy of ``timeline`` with the other people of ``BYSTANDER_SCENES[scene]`` in the picture."""
    out = copy.deepcopy(timeline)
    out.name = f"{timeline.name}_{scene}"
    out.people = list(BYSTANDER_SCENES[scene])
    return out

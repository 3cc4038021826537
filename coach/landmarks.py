"""The 33 BlazePose landmarks by name, their sides and the skeleton's edges.

Specs name landmarks without a side (``"hip"``) to mean the side the engine
is watching, or with one (``"left_hip"``) to pin it. ``opposite_`` names the
other side, which alternating exercises (bird dog) need.
"""

from __future__ import annotations

import difflib

NAMES: tuple[str, ...] = (
    "nose",
    "left_eye_inner", "left_eye", "left_eye_outer",
    "right_eye_inner", "right_eye", "right_eye_outer",
    "left_ear", "right_ear",
    "mouth_left", "mouth_right",
    "left_shoulder", "right_shoulder",
    "left_elbow", "right_elbow",
    "left_wrist", "right_wrist",
    "left_pinky", "right_pinky",
    "left_index", "right_index",
    "left_thumb", "right_thumb",
    "left_hip", "right_hip",
    "left_knee", "right_knee",
    "left_ankle", "right_ankle",
    "left_heel", "right_heel",
    "left_foot_index", "right_foot_index",
)
INDEX: dict[str, int] = {name: i for i, name in enumerate(NAMES)}
COUNT = len(NAMES)


def _same_part_other_side(name: str) -> str:
    swap = {"left": "right", "right": "left"}
    return "_".join(swap.get(word, word) for word in name.split("_"))


#: For each landmark, the index of the same landmark on the body's other side
#: (itself for the nose): how labels move when an image is mirrored left-right.
MIRRORED: tuple[int, ...] = tuple(INDEX[_same_part_other_side(name)] for name in NAMES)

#: Body parts that exist on both sides; a spec may name them without a side.
SIDED_PARTS: tuple[str, ...] = tuple(
    sorted({n.removeprefix("left_") for n in NAMES if n.startswith("left_")})
)
SIDES = ("left", "right")

EDGES: tuple[tuple[str, str], ...] = (
    ("left_shoulder", "right_shoulder"), ("left_hip", "right_hip"),
    ("left_shoulder", "left_hip"), ("right_shoulder", "right_hip"),
    ("left_shoulder", "left_elbow"), ("left_elbow", "left_wrist"),
    ("right_shoulder", "right_elbow"), ("right_elbow", "right_wrist"),
    ("left_hip", "left_knee"), ("left_knee", "left_ankle"),
    ("right_hip", "right_knee"), ("right_knee", "right_ankle"),
    ("left_ankle", "left_heel"), ("left_heel", "left_foot_index"),
    ("left_ankle", "left_foot_index"),
    ("right_ankle", "right_heel"), ("right_heel", "right_foot_index"),
    ("right_ankle", "right_foot_index"),
    ("nose", "left_eye"), ("nose", "right_eye"),
    ("left_eye", "left_ear"), ("right_eye", "right_ear"),
)


def other_side(side: str) -> str:
    """Return ``"right"`` for ``"left"`` and the reverse."""
    return "right" if side == "left" else "left"


def spec_names() -> list[str]:
    """Every name a spec may use: sided, unsided, ``opposite_`` and ``mid_`` names."""
    return [*NAMES, *SIDED_PARTS, *(f"opposite_{p}" for p in SIDED_PARTS), *(f"mid_{p}" for p in SIDED_PARTS)]


def is_valid_spec_name(name: str) -> bool:
    """True when ``name`` can be resolved to a landmark (or a midpoint) for some side."""
    return name in INDEX or name in SIDED_PARTS or any(
        name.startswith(prefix) and name.removeprefix(prefix) in SIDED_PARTS for prefix in ("opposite_", "mid_")
    )


def indices(name: str, side: str) -> tuple[int, ...]:
    """The landmark(s) a spec name stands for: one, or both sides for a ``mid_`` name.

    ``mid_hip`` is the point halfway between the hips; it counts as seen when
    either hip is (the pose model still places a hidden one). Seen from the front, a body
    lying on its side has its left and right landmarks stacked, and a pose
    model may swap their labels from frame to frame; the midpoint does not
    care which is which. Seen from the side and from above or at an angle,
    the near side's shoulder-hip-knee line bends one way and the far side's
    the other (the shoulders are wider apart than the hips): the midline is
    right (benchmarks/camera_height.py).
    """
    if name.startswith("mid_"):
        part = name.removeprefix("mid_")
        return INDEX[f"left_{part}"], INDEX[f"right_{part}"]
    return (resolve(name, side),)


def suggest(name: str) -> str | None:
    """The closest valid landmark name to a misspelt one, if any is close."""
    matches = difflib.get_close_matches(name, spec_names(), n=1, cutoff=0.6)
    return matches[0] if matches else None


def resolve(name: str, side: str) -> int:
    """Landmark index of a spec name when the engine watches ``side``."""
    if name in INDEX:
        return INDEX[name]
    if name.startswith("opposite_"):
        return INDEX[f"{other_side(side)}_{name.removeprefix('opposite_')}"]
    return INDEX[f"{side}_{name}"]


def part_label(index: int) -> str:
    """A person-friendly plural for a landmark, for "can't see your ..." messages."""
    name = NAMES[index].removeprefix("left_").removeprefix("right_")
    plural = {
        "shoulder": "shoulders", "elbow": "elbows", "wrist": "wrists", "hip": "hips",
        "knee": "knees", "ankle": "ankles", "heel": "heels", "foot_index": "feet",
        "pinky": "hands", "index": "hands", "thumb": "hands", "ear": "head",
        "eye": "head", "eye_inner": "head", "eye_outer": "head", "nose": "head",
    }
    return plural.get(name, name.replace("_", " "))

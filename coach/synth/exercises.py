"""Exercise poses from a few parameters, with the exact angles they produce.

Each builder turns exercise parameters (a bridge's hip raise, a plank's sag,
a bird dog's leg and arm elevation) into sagittal segment angles, poses the
body and settles it on the floor (z = 0). Angles are in degrees in the
(front, up) plane of :mod:`coach.synth.body`.
"""

from __future__ import annotations

import math

import numpy as np

from coach.synth.body import Body, PosedBody


def _floor(posed: PosedBody) -> PosedBody:
    dz = posed.vertices[:, 2].min()
    shift = np.array([0.0, 0.0, dz])
    return PosedBody(vertices=posed.vertices - shift, joints={k: v - shift for k, v in posed.joints.items()})


def _seg_len(body: Body, a: str, b: str) -> float:
    return float(np.linalg.norm(body.heads[body.bone(b)] - body.heads[body.bone(a)]))


def plank(body: Body, sag: float = 0.0, elbow_forward: float = 0.0) -> PosedBody:
    """Forearm plank; ``sag`` > 0 lets the hips drop by that bend, < 0 pikes them."""
    legs_len = _seg_len(body, "upperleg01.L", "lowerleg01.L") + _seg_len(body, "lowerleg01.L", "foot.L")
    torso_len = _seg_len(body, "upperleg01.L", "upperarm01.L")
    upper_arm = _seg_len(body, "upperarm01.L", "lowerarm01.L")
    # Incline so that the elbows (about 4 cm above the floor) and the feet
    # (ankle about 10 cm up on the toes) both touch: solved on the joint chain.
    rise = upper_arm * math.cos(math.radians(elbow_forward)) + 0.04 - 0.10
    eps = 0.0
    for _ in range(20):
        legs_dir = math.radians(eps - sag / 2)
        torso_dir = math.radians(eps + sag / 2)
        height = legs_len * math.sin(legs_dir) + torso_len * math.sin(torso_dir)
        eps += math.degrees((rise - height) / (legs_len + torso_len))
    angles = {
        "torso": eps + sag / 2,
        "thigh_L": 180 + eps - sag / 2, "shin_L": 180 + eps - sag / 2,
        "thigh_R": 180 + eps - sag / 2, "shin_R": 180 + eps - sag / 2,
        "upperarm_L": -90 + elbow_forward, "forearm_L": 0.0,
        "upperarm_R": -90 + elbow_forward, "forearm_R": 0.0,
    }
    return _floor(body.pose(angles))


def bridge(body: Body, raise_deg: float) -> PosedBody:
    """Lying on the back, knees bent, feet planted; hips raised by ``raise_deg`` (torso tilt)."""
    torso_len = _seg_len(body, "upperleg01.L", "upperarm01.L")
    thigh = _seg_len(body, "upperleg01.L", "lowerleg01.L")
    shin = _seg_len(body, "lowerleg01.L", "foot.L")
    shin_dir = -100.0
    shoulder_z, ankle_z = 0.09, 0.08
    hip_z = shoulder_z + torso_len * math.sin(math.radians(raise_deg))
    knee_z = ankle_z - shin * math.sin(math.radians(shin_dir))
    alpha = math.degrees(math.asin(max(-1.0, min(1.0, (knee_z - hip_z) / thigh))))
    angles = {
        "torso": 180 + raise_deg,
        "thigh_L": alpha, "shin_L": shin_dir, "thigh_R": alpha, "shin_R": shin_dir,
        "upperarm_L": raise_deg * 0.3, "forearm_L": 0.0, "upperarm_R": raise_deg * 0.3, "forearm_R": 0.0,
    }
    return _floor(body.pose(angles))


def bird_dog(body: Body, leg_lift: float = -90.0, arm_lift: float = -90.0, leg_side: str = "R") -> PosedBody:
    """On all fours; the ``leg_side`` leg and the opposite arm rise to the given elevations.

    Elevation 0 is level with the floor, -90 hanging straight down (kneeling
    thigh, supporting arm).
    """
    arm_side = "L" if leg_side == "R" else "R"
    # Tilt the torso so that the straight supporting arm reaches the floor
    # from the shoulder while the kneeling thigh holds the hip up.
    arm_len = _seg_len(body, "upperarm01.L", "lowerarm01.L") + _seg_len(body, "lowerarm01.L", "wrist.L") + 0.07
    hip_h = _seg_len(body, "upperleg01.L", "lowerleg01.L") + 0.06
    torso_len = _seg_len(body, "upperleg01.L", "upperarm01.L")
    torso = math.degrees(math.asin(max(-1.0, min(1.0, (arm_len - hip_h) / torso_len))))
    raised = max(0.0, min(1.0, (leg_lift + 90.0) / 60.0))      # 0 kneeling .. 1 straight leg
    shin_kneel = 180.0
    thigh_dir = 180.0 - leg_lift
    shin_dir = shin_kneel + (thigh_dir - shin_kneel) * raised if thigh_dir >= 180 else thigh_dir + (shin_kneel - thigh_dir) * (1 - raised)
    angles = {
        "torso": torso,
        f"thigh_{leg_side}": thigh_dir, f"shin_{leg_side}": shin_dir,
        f"thigh_{arm_side}": -90.0, f"shin_{arm_side}": 180.0,
        f"upperarm_{arm_side}": arm_lift, f"forearm_{arm_side}": arm_lift,
        f"upperarm_{leg_side}": -90.0, f"forearm_{leg_side}": -90.0,
    }
    return _floor(body.pose(angles))


def sagittal(p: np.ndarray) -> np.ndarray:
    """A 3D joint in the (front, up) plane: the exact side-view coordinates."""
    return np.array([-p[1], p[2]])


def true_angles(exercise: str, joints: dict[str, np.ndarray]) -> dict[str, float]:
    """Ground-truth metrics of a posed body, in its sagittal plane (the camera-free truth)."""
    from coach import geometry

    def pt(name: str) -> np.ndarray:
        s = sagittal(joints[name])
        return np.array([s[0], -s[1]])   # to image-like coordinates: y down

    side = "left"
    out = {}
    if exercise == "plank":
        out["hip_line"] = geometry.bend(pt(f"{side}_shoulder"), pt(f"{side}_hip"), pt(f"{side}_ankle"))
    elif exercise == "bridge":
        out["hip_line"] = geometry.bend(pt(f"{side}_shoulder"), pt(f"{side}_hip"), pt(f"{side}_knee"))
    elif exercise == "bird_dog":
        for s in ("left", "right"):
            out[f"thigh_{s}"] = geometry.inclination(pt(f"{s}_hip"), pt(f"{s}_knee"))
            out[f"leg_line_{s}"] = geometry.inclination(pt(f"{s}_hip"), pt(f"{s}_ankle"))
            out[f"arm_{s}"] = geometry.inclination(pt(f"{s}_shoulder"), pt(f"{s}_wrist"))
    return {k: round(v, 2) for k, v in out.items()}

"""Exercise poses from a few parameters, with the exact angles they produce.

Each builder turns exercise parameters (a bridge's hip raise, a plank's sag,
a bird dog's leg and arm elevation) into sagittal segment angles, poses the
body and settles it on the floor (z = 0). Angles are in degrees in the
(front, up) plane of :mod:`coach.lab.synth.body`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache

import numpy as np

from coach.lab.synth.body import Body, PosedBody, load_body


def _floor(posed: PosedBody) -> PosedBody:
    dz = posed.vertices[:, 2].min() if len(posed.vertices) else min(p[2] for p in posed.joints.values())
    shift = np.array([0.0, 0.0, dz])
    return PosedBody(vertices=posed.vertices - shift, joints={k: v - shift for k, v in posed.joints.items()})


#: A pointed foot's ankle-to-toe line, degrees past the shin's direction: the
#: tops of the feet on the mat, as people kneel and lie face down (a foot at
#: its rest angle props a kneeling body on its toes, knees 20-30 cm up).
POINTED_FOOT_DEG = 20.0


def _closeness(angle: float, target: float, full: float = 25.0, none: float = 50.0) -> float:
    """1 within ``full`` degrees of ``target``, 0 beyond ``none``, linear between."""
    off = abs((angle - target + 180.0) % 360.0 - 180.0)
    return max(0.0, min(1.0, (none - off) / (none - full)))


def _on_the_mat(body: Body, angles: dict[str, float], hands: bool) -> dict[str, float]:
    """Point the feet of shins lying back along the floor; with ``hands``, lay
    the hands of arms reaching down flat on the mat, fingers forward."""
    out = dict(angles)
    for side in ("L", "R"):
        shin = out.get(f"shin_{side}")
        if shin is not None:
            w = _closeness(shin, 180.0)
            if w > 0:
                # Blended toward the rest foot of a shin leaving the floor.
                rest = body.rest_angles[f"foot_{side}"] - body.rest_angles[f"shin_{side}"]
                out[f"foot_{side}"] = shin + POINTED_FOOT_DEG + (1 - w) * (rest - POINTED_FOOT_DEG)
        forearm = out.get(f"forearm_{side}")
        if hands and forearm is not None:
            w = _closeness(forearm, -90.0)
            if w > 0:
                out[f"hand_{side}"] = forearm + w * (0.0 - forearm)
    return out


def _seg_len(body: Body, a: str, b: str) -> float:
    return float(np.linalg.norm(body.heads[body.bone(b)] - body.heads[body.bone(a)]))


def _solve(measure: Callable[[float], float], target: float, lo: float, hi: float) -> float:
    """The parameter in [lo, hi] where the increasing ``measure`` meets ``target`` (bisection)."""
    for _ in range(18):
        mid = (lo + hi) / 2
        if measure(mid) < target:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def plank(body: Body, sag: float = 0.0, elbow_forward: float = 0.0, drop: float = 0.0) -> PosedBody:
    """Forearm plank whose true hip line (sagittal, see :func:`true_angles`) is ``-sag``.

    ``sag`` > 0 drops the hips, < 0 pikes them. Joint centres sit off the
    segment axes, so the segment bend that gives the requested joint angle is
    solved for, as the feasibility study did. ``drop`` 0..1 lowers the body
    from the plank to lying on the forearms with the legs on the floor:
    getting into and out of position.
    """
    bend = _plank_bend(body.name, round(sag, 3), round(elbow_forward, 3))
    if drop <= 0.0:
        return _plank(body, bend, elbow_forward, True)
    up = _plank_angles(body, bend, elbow_forward)
    torso_len = _seg_len(body, "upperleg01.L", "upperarm01.L")
    upper_arm = _seg_len(body, "upperarm01.L", "lowerarm01.L")
    chest_up = math.degrees(math.asin(min(1.0, (upper_arm + 0.04 - 0.1) / torso_len)))
    down = dict(up, torso=chest_up, thigh_L=180.0, shin_L=180.0, thigh_R=180.0, shin_R=180.0)
    d = min(1.0, drop)
    return _floor(body.pose({k: up[k] + (down[k] - up[k]) * d for k in up}))


@lru_cache(maxsize=4096)
def _plank_bend(body_name: str, sag: float, elbow_forward: float) -> float:
    body = load_body(body_name)
    return _solve(lambda b: -true_angles("plank", _plank(body, b, elbow_forward, False).joints)["hip_line"],
                  sag, sag - 15.0, sag + 15.0)


def _plank(body: Body, sag: float, elbow_forward: float, with_vertices: bool) -> PosedBody:
    return _floor(body.pose(_plank_angles(body, sag, elbow_forward), with_vertices=with_vertices))


def _plank_angles(body: Body, sag: float, elbow_forward: float) -> dict[str, float]:
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
    return angles


def bridge(body: Body, hip_line: float, sit: float = 0.0) -> PosedBody:
    """Lying on the back, knees bent, feet planted, hips raised until the true hip line is ``hip_line``.

    About -60 to -100 lying down (depends on the body), 0 when shoulders,
    hips and knees line up, positive when the hips are pushed above the line.
    ``sit`` 0..1 brings the trunk up from lying to sitting (knees still bent):
    lying down onto the mat and getting up again.
    """
    raise_deg = _bridge_raise(body.name, round(hip_line, 3))
    if sit <= 0.0:
        return _bridge(body, raise_deg, True)
    angles = _bridge_angles(body, raise_deg)
    s = min(1.0, sit)
    angles["torso"] += (95.0 - angles["torso"]) * s            # 180 lying back .. 95 sitting up
    angles["upperarm_L"] = angles["upperarm_R"] = -90.0 * s   # hands down beside the hips
    angles["forearm_L"] = angles["forearm_R"] = -90.0 * s
    return _floor(body.pose(angles))


@lru_cache(maxsize=4096)
def _bridge_raise(body_name: str, hip_line: float) -> float:
    body = load_body(body_name)
    return _solve(lambda r: true_angles("bridge", _bridge(body, r, False).joints)["hip_line"], hip_line, -10.0, 60.0)


def _bridge(body: Body, raise_deg: float, with_vertices: bool) -> PosedBody:
    return _floor(body.pose(_bridge_angles(body, raise_deg), with_vertices=with_vertices))


def _bridge_angles(body: Body, raise_deg: float) -> dict[str, float]:
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
    return angles


def bird_dog(body: Body, leg_lift: float = -90.0, arm_lift: float = -90.0, leg_side: str = "R") -> PosedBody:
    """On all fours; the ``leg_side`` leg and the opposite arm rise to the given elevations.

    Elevation 0 is level with the floor, -90 hanging straight down (kneeling
    thigh, supporting arm).
    """
    arm_side = "L" if leg_side == "R" else "R"
    torso = _all_fours_torso(body)
    raised = max(0.0, min(1.0, (leg_lift + 90.0) / 60.0))      # 0 kneeling .. 1 straight leg
    shin_kneel = 180.0
    thigh_dir = 180.0 - leg_lift
    shin_dir = shin_kneel + (thigh_dir - shin_kneel) * raised if thigh_dir >= 180 else thigh_dir + (shin_kneel - thigh_dir) * (1 - raised)
    angles = {
        "torso": torso, "chest": torso,
        f"thigh_{leg_side}": thigh_dir, f"shin_{leg_side}": shin_dir,
        f"thigh_{arm_side}": -90.0, f"shin_{arm_side}": 180.0,
        f"upperarm_{arm_side}": arm_lift, f"forearm_{arm_side}": arm_lift,
        f"upperarm_{leg_side}": -90.0, f"forearm_{leg_side}": -90.0,
    }
    return _floor(body.pose(_on_the_mat(body, angles, hands=True)))


QUADRUPED = {"thigh": -90.0, "shin": 180.0, "upperarm": -90.0, "forearm": -90.0}


def _on_all_fours(torso: float, chest: float) -> dict[str, float]:
    """Segment angles on hands and knees, limbs upright, with the given back."""
    angles = {"torso": torso, "chest": chest}
    for side in ("L", "R"):
        angles.update({f"{seg}_{side}": value for seg, value in QUADRUPED.items()})
    return angles
#: Height above the mat of the joint centre of a knee resting on it, metres.
KNEE_ON_MAT_M = 0.06


def _all_fours_torso(body: Body) -> float:
    """The back's angle on hands and knees (lumbar and thoracic alike): tilted
    so that the hands lie flat on the mat under the shoulders while the knees,
    under the hips, rest on it too (their joint centres ``KNEE_ON_MAT_M`` up)."""
    return _all_fours_torso_of(body.name)


@lru_cache(maxsize=8)
def _all_fours_torso_of(body_name: str) -> float:
    body = load_body(body_name)
    hand = _hand_vertices(body_name, "L") | _hand_vertices(body_name, "R")

    def knee_above_hands(torso: float) -> float:
        posed = body.pose(_on_the_mat(body, _on_all_fours(torso, torso), hands=True))
        return float(posed.joints["left_knee"][2] - posed.vertices[hand, 2].min())

    # Raising the chest lifts the hands off the mat: the knees' height above
    # them falls as the torso angle grows.
    return _solve(lambda t: -knee_above_hands(t), -KNEE_ON_MAT_M, -30.0, 40.0)


#: Height above the mat of the wrist's joint centre on a hand lying on it, metres (first guess).
WRIST_ON_MAT_M = 0.03
#: A prone body's wrist lower than this, metres, has its hand on the mat (pressing or resting).
HAND_NEAR_MAT_M = 0.10


@lru_cache(maxsize=8)
def _pelvis_front(body_name: str) -> np.ndarray:
    """Vertex mask of the pelvis and the tops of the thighs: what a body lying face down rests on."""
    body = load_body(body_name)
    return np.isin(body.vertex_bone, ["root", "spine01", "pelvis.L", "pelvis.R", "upperleg01.L", "upperleg01.R"])


@lru_cache(maxsize=16)
def _hand_vertices(body_name: str, tag: str) -> np.ndarray:
    body = load_body(body_name)
    return np.isin(body.vertex_bone, [b for b in body.labels
                                      if b.startswith(("wrist", "finger", "metacarpal")) and b.endswith(f".{tag}")])


def _pose_prone(body: Body, angles: dict[str, float]) -> PosedBody:
    """Pose a body lying face down on the mat (see :func:`_lie_prone`); any other body on its lowest point.

    The pelvis rests on the mat; the belly and chest of a rigid mesh would
    reach 5-10 cm below it (or hold the hips that far up), where people's
    soft front flattens: vertices under the mat are laid on it.
    """
    lying = _closeness(angles.get("torso", 90.0), 0.0) > 0 and all(
        _closeness(angles.get(f"thigh_{side}", 180.0), 180.0) > 0 for side in ("L", "R"))
    if not lying:
        return _floor(body.pose(angles))
    angles, floor = _lie_prone(body, angles)
    posed = body.pose(angles)
    shift = np.array([0.0, 0.0, floor])
    vertices = posed.vertices - shift
    vertices[:, 2] = np.maximum(vertices[:, 2], 0.0)
    return PosedBody(vertices=vertices, joints={k: v - shift for k, v in posed.joints.items()})


def _lie_prone(body: Body, angles: dict[str, float]) -> tuple[dict[str, float], float]:
    """The angles of a body lying face down resting on its pelvis, knees and feet, its hands
    no lower than the mat, and the height of the mat in the body's own frame.

    Level thighs from the hip joint (10-20 cm above the mat under a prone
    pelvis) hold the knees as high; people's thighs slope down to the mat
    (legs raised off it keep their elevation above that slope). Arms given
    angles that would reach below the mat (a press-up with the chest up)
    would prop the whole body up off its hips instead: a hand near the mat
    lies flat on it, its upper arm turned (as an elbow bends) until it rests there.
    """
    posed = body.pose(angles)
    floor = float(posed.vertices[_pelvis_front(body.name), 2].min())
    out = dict(angles)
    for side, tag in (("left", "L"), ("right", "R")):
        thigh = out.get(f"thigh_{tag}")
        if thigh is None or _closeness(thigh, 180.0) <= 0:
            continue
        length = _seg_len(body, f"upperleg01.{tag}", f"lowerleg01.{tag}")
        drop = posed.joints[f"{side}_hip"][2] - floor - KNEE_ON_MAT_M
        slope = math.degrees(math.asin(max(0.0, min(1.0, drop / length)))) * _closeness(thigh, 180.0)
        out[f"thigh_{tag}"] = thigh + slope
    for side, tag in (("left", "L"), ("right", "R")):
        upperarm = out.get(f"upperarm_{tag}")
        if upperarm is None:
            continue
        # Turning away from straight down (-90 deg) raises the wrist.
        away = 1.0 if (upperarm + 270.0) % 360.0 - 180.0 >= 0 else -1.0

        def wrist_height(turn: float, tag: str = tag, side: str = side, start: float = upperarm,
                         away: float = away) -> float:
            joints = body.pose({**out, f"upperarm_{tag}": start + away * turn}, with_vertices=False).joints
            return float(joints[f"{side}_wrist"][2]) - floor

        if wrist_height(0.0) < HAND_NEAR_MAT_M:
            out[f"hand_{tag}"] = 0.0        # flat on the mat, fingers forward
            out[f"upperarm_{tag}"] = upperarm + away * _solve(wrist_height, WRIST_ON_MAT_M, -15.0, 90.0)
            # The flat hand's lowest point (its edge, turned with the arm) on the mat.
            hand = body.pose(out)
            under = float(hand.joints[f"{side}_wrist"][2] - hand.vertices[_hand_vertices(body.name, tag), 2].min())
            out[f"upperarm_{tag}"] = upperarm + away * _solve(wrist_height, under, -15.0, 90.0)
    return out, floor


def superman(body: Body, arm_lift: float = 0.0, leg_lift: float = 0.0, chest_lift: float | None = None) -> PosedBody:
    """Lying face down, arms reaching forward; arms, legs and chest raised off the floor.

    ``arm_lift`` and ``leg_lift`` are the limbs' elevations above the floor;
    the chest rises with the arms unless given.
    """
    chest = arm_lift * 0.6 if chest_lift is None else chest_lift
    angles = {"torso": 0.0, "chest": chest}
    for side in ("L", "R"):
        angles[f"thigh_{side}"] = 180.0 - leg_lift
        angles[f"shin_{side}"] = 180.0 - leg_lift
        angles[f"upperarm_{side}"] = arm_lift
        angles[f"forearm_{side}"] = arm_lift
    return _pose_prone(body, _on_the_mat(body, angles, hands=False))


def dead_bug(body: Body, extend: float = 0.0, leg_side: str = "R") -> PosedBody:
    """On the back, arms up, knees over hips (table top); ``extend`` 0..1 stretches one
    leg out low over the floor and the opposite arm back overhead."""
    arm_side = "L" if leg_side == "R" else "R"
    e = max(0.0, min(1.0, extend))
    angles = {"torso": 180.0}
    for side in ("L", "R"):
        angles[f"thigh_{side}"] = 90.0
        angles[f"shin_{side}"] = 0.0
        angles[f"upperarm_{side}"] = 90.0
        angles[f"forearm_{side}"] = 90.0
    angles[f"thigh_{leg_side}"] = 90.0 - 75.0 * e
    angles[f"shin_{leg_side}"] = 15.0 * e
    angles[f"upperarm_{arm_side}"] = 90.0 + 80.0 * e
    angles[f"forearm_{arm_side}"] = 90.0 + 80.0 * e
    return _floor(body.pose(angles))


def childs_pose(body: Body, fold: float = 1.0) -> PosedBody:
    """From hands and knees (``fold`` 0) back onto the heels, chest to the thighs, arms long (1)."""
    f = max(0.0, min(1.0, fold))
    return _floor(body.pose(_childs_pose_angles(body, f, _childs_pose_bow(body.name))))


def _childs_pose_angles(body: Body, fold: float, bow: float) -> dict[str, float]:
    level = _all_fours_torso(body) * (1 - fold)
    angles = {"torso": level - (8.0 + bow) * fold, "chest": level - (22.0 + bow) * fold}
    for side in ("L", "R"):
        angles[f"thigh_{side}"] = -90.0 + 72.0 * fold
        angles[f"shin_{side}"] = 180.0
        angles[f"upperarm_{side}"] = -90.0 + 85.0 * fold
        angles[f"forearm_{side}"] = -90.0 + 88.0 * fold
    return _on_the_mat(body, angles, hands=True)


@lru_cache(maxsize=8)
def _childs_pose_bow(body_name: str) -> float:
    """How much further (or less far) the back bows down, fully folded, for the
    forehead to reach the mat while the knees and feet stay on it (body proportions)."""
    body = load_body(body_name)
    head = body.vertex_bone == "head"
    legs = np.isin(body.vertex_bone, [b for b in body.labels if b.startswith(("toe", "foot", "lowerleg"))])

    def head_above_legs(bow: float) -> float:
        z = body.pose(_childs_pose_angles(body, 1.0, bow)).vertices[:, 2]
        return float(z[head].min() - z[legs].min())

    # Bowing further lowers the head toward (and past) the mat the legs rest on.
    return _solve(lambda b: -head_above_legs(b), 0.0, -40.0, 40.0)


def cat_cow(body: Body, flex: float = 0.0) -> PosedBody:
    """On hands and knees; ``flex`` +1 rounds the back up (cat), -1 hollows it (cow).

    The upper back and head curl down to 22 deg below level in the cat (up to 22
    above the body's all-fours tilt in the cow), and the lower back tilts the
    other way as far as keeps the hands and knees on the mat.
    """
    f = max(-1.0, min(1.0, flex))
    level = _all_fours_torso(body)
    chest = level - (22.0 + level) * f if f > 0 else level - 22.0 * f
    angles = _on_all_fours(level, chest)
    if f:
        def knee_above_wrist(torso: float) -> float:
            joints = body.pose({**angles, "torso": torso}, with_vertices=False).joints
            return float(joints["left_knee"][2] - joints["left_wrist"][2])

        target = _all_fours_knee_above_wrist(body.name)
        angles["torso"] = _solve(lambda t: -knee_above_wrist(t), -target, level - 40.0, level + 60.0)
    return _floor(body.pose(_on_the_mat(body, angles, hands=True)))


@lru_cache(maxsize=8)
def _all_fours_knee_above_wrist(body_name: str) -> float:
    """The knee joint's height above the wrist joint on all fours with a level back, metres."""
    body = load_body(body_name)
    level = _all_fours_torso(body)
    joints = body.pose(_on_the_mat(body, _on_all_fours(level, level), hands=True), with_vertices=False).joints
    return float(joints["left_knee"][2] - joints["left_wrist"][2])


def side_plank(body: Body, hip_drop: float = 0.0, top_arm_up: bool = False) -> PosedBody:
    """Side plank on the right forearm, seen from the front; ``hip_drop`` > 0 lets the hips sag.

    The body is posed standing in its frontal plane (legs tilted sideways by
    the hip drop, the right arm out to the side, forearm forward), then laid
    on its right side, tilted up until forearm and feet both touch the floor.
    """
    from coach.lab.synth.body import rot_y

    legs = rot_y(-hip_drop) @ np.array([0.0, 0.0, -1.0])
    directions = {
        "thigh_L": legs, "shin_L": legs, "thigh_R": legs, "shin_R": legs,
        "forearm_R": np.array([0.0, -1.0, 0.0]),
        "upperarm_L": np.array([0.9, 0.0, 0.45]) if top_arm_up else np.array([0.15, -0.05, -1.0]),
        "forearm_L": np.array([0.9, 0.0, 0.45]) if top_arm_up else np.array([-0.3, -0.5, -0.8]),
    }

    def posed(eps: float, with_vertices: bool) -> PosedBody:
        tilt = -(90.0 - eps)
        # The supporting upper arm points straight down in the world.
        down = rot_y(-tilt) @ np.array([0.0, 0.0, -1.0])
        dirs = dict(directions, upperarm_R=down)
        return body.pose({}, directions=dirs, root=rot_y(tilt), with_vertices=with_vertices)

    def gap(eps: float) -> float:
        j = posed(eps, False).joints
        # Elbow about 5 cm above the floor, the lower ankle about 6 cm.
        return (j["right_elbow"][2] - 0.05) - (min(j["right_ankle"][2], j["left_ankle"][2]) - 0.06)

    eps = _solve(gap, 0.0, 0.0, 45.0)
    return _floor(posed(eps, True))


def free_pose(body: Body, params: dict[str, float]) -> PosedBody:
    """Any pose given by sagittal segment angles, for the stretches and holds of the catalogue.

    ``roll`` turns the whole body about its long axis; ``legs_roll`` tips both
    legs sideways about it (a lying spinal twist); ``hands_on_thighs`` (0..1)
    swings the straight arms from their given angle to where the hands rest
    on the thighs, which depends on each body's arm and thigh lengths.
    """
    from coach.lab.synth.body import SEGMENTS, rot_y

    angles = {seg: params[seg] for seg in SEGMENTS if seg in params}
    reach = params.get("hands_on_thighs", 0.0)
    if reach:
        for side, target in _hands_on_thighs_angles(body, angles).items():
            for seg in (f"upperarm_{side}", f"forearm_{side}"):
                angles[seg] = angles.get(seg, target) + reach * (target - angles.get(seg, target))
    directions = {}
    if params.get("legs_roll"):
        tip = rot_y(params["legs_roll"])
        for seg in ("thigh_L", "shin_L", "thigh_R", "shin_R"):
            a = math.radians(angles.pop(seg))
            directions[seg] = tip @ np.array([0.0, -math.cos(a), math.sin(a)])
    root = rot_y(params["roll"]) if params.get("roll") else None
    if root is None and not directions:
        return _pose_prone(body, _on_the_mat(body, angles, hands=False))
    return _floor(body.pose(angles, directions=directions, root=root))


THIGH_SURFACE_M = 0.06


def _hands_on_thighs_angles(body: Body, angles: dict[str, float]) -> dict[str, float]:
    """Per side, the straight arm's sagittal angle that puts the wrist on the thigh.

    The wrist lands where the arm's length reaches the thigh, at least a
    third of the way up it (toward the knee if the arm is short).
    """
    joints = body.pose(angles, with_vertices=False).joints
    out = {}
    for side, tag in (("left", "L"), ("right", "R")):
        shoulder, hip, knee = (sagittal(joints[f"{side}_{j}"]) for j in ("shoulder", "hip", "knee"))
        arm = _seg_len(body, f"upperarm01.{tag}", f"lowerarm01.{tag}") + _seg_len(body, f"lowerarm01.{tag}", f"wrist.{tag}")
        thigh = (knee - hip) / np.linalg.norm(knee - hip)
        normal = np.array([-thigh[1], thigh[0]])
        if np.dot(normal, shoulder - hip) < 0:
            normal = -normal
        along = np.linspace(0.33, 1.0, 68)
        # On the thigh's surface (about 6 cm off its bone), on the side facing the shoulder.
        points = hip + along[:, None] * (knee - hip) + THIGH_SURFACE_M * normal
        best = points[int(np.argmin(np.abs(np.linalg.norm(points - shoulder, axis=1) - arm)))]
        d = best - shoulder
        out[tag] = math.degrees(math.atan2(d[1], d[0]))
    return out


def glute_stretch(body: Body, pull: float = 0.0, leg_side: str = "L") -> PosedBody:
    """Figure-four stretch on the back: one ankle crossed over the other knee, that knee
    drawn toward the chest by ``pull`` 0..1."""
    other = "R" if leg_side == "L" else "L"
    out = 1.0 if leg_side == "L" else -1.0          # +x is the body's left
    p = max(0.0, min(1.0, pull))
    support = 50.0 + 45.0 * p                       # the uncrossed thigh, hooked, then toward the chest
    angles = {"torso": 180.0, f"thigh_{other}": support, f"shin_{other}": -100.0 + 90.0 * p,
              "upperarm_L": 40.0 + 30.0 * p, "forearm_L": 60.0 + 20.0 * p,
              "upperarm_R": 40.0 + 30.0 * p, "forearm_R": 60.0 + 20.0 * p}
    a = math.radians(support)
    crossed_thigh = np.array([0.55 * out, -0.55 * math.cos(a), 0.65 + 0.2 * p])
    crossed_shin = np.array([-0.95 * out, 0.05, 0.25])
    directions = {f"thigh_{leg_side}": crossed_thigh, f"shin_{leg_side}": crossed_shin}
    return _floor(body.pose(angles, directions=directions))


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
    elif exercise == "side_plank":
        # Frontal plane seen from the front: x is across the picture, z up.
        def front(name: str) -> np.ndarray:
            return np.array([joints[name][0], -joints[name][2]])

        shoulder = (front("left_shoulder") + front("right_shoulder")) / 2
        hip = (front("left_hip") + front("right_hip")) / 2
        ankle = (front("left_ankle") + front("right_ankle")) / 2
        out["hip_line"] = geometry.bend(shoulder, hip, ankle)
    elif exercise in ("superman", "cat_cow", "childs_pose", "dead_bug", "pose", "glute_stretch"):
        out["hip_line"] = geometry.bend(pt(f"{side}_shoulder"), pt(f"{side}_hip"), pt(f"{side}_knee"))
        out["torso_incline"] = geometry.inclination(pt(f"{side}_hip"), pt(f"{side}_shoulder"))
        for s in ("left", "right"):
            out[f"arm_{s}"] = geometry.inclination(pt(f"{s}_shoulder"), pt(f"{s}_wrist"))
            out[f"thigh_{s}"] = geometry.inclination(pt(f"{s}_hip"), pt(f"{s}_knee"))
    elif exercise == "bird_dog":
        for s in ("left", "right"):
            out[f"thigh_{s}"] = geometry.inclination(pt(f"{s}_hip"), pt(f"{s}_knee"))
            out[f"leg_line_{s}"] = geometry.inclination(pt(f"{s}_hip"), pt(f"{s}_ankle"))
            out[f"arm_{s}"] = geometry.inclination(pt(f"{s}_shoulder"), pt(f"{s}_wrist"))
    return out

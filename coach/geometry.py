"""Angle conventions, computed from landmarks in pixel space.

All functions take points as ``(x, y)`` pixel coordinates, y pointing down as
in images. Angles from normalised coordinates of a non-square frame would be
skewed, so callers always pass pixels.

* ``joint_angle(a, b, c)``: the angle at ``b`` between ``b->a`` and ``b->c``,
  0-180 degrees, 180 = straight.
* ``bend(a, b, c)``: the *signed* deviation of ``b`` from the straight line
  ``a-c``, in degrees (180 minus the joint angle). Positive when ``b`` lies
  above the line (further from the floor, up in the image), negative when
  below. A plank's hips sagging read negative, piked hips positive; a bridge
  that is not high enough reads negative, an over-arched one positive. The
  unsigned angle cannot tell these apart.
* ``inclination(a, b)``: how far ``b`` is raised above ``a``, -90 to 90
  degrees; 0 = level with the floor, 90 = straight above. It ignores which way
  the person faces, so left- and right-facing views read the same.
* ``distance(a, b, axis, scale)``: the distance between two points along
  ``axis`` (``"horizontal"``, ``"vertical"`` or ``"euclidean"``) divided by
  ``scale`` (the torso length), so it does not depend on how far away the
  person is.
* ``height(a, b, p, scale)``: how far ``p`` lies above the line through ``a``
  and ``b`` (negative below), in units of ``scale``. With ``a`` and ``b`` two
  points resting on the floor (elbow and toes in a plank) it is the height of
  ``p`` above the floor, whatever the camera's tilt.

Caveat: these are 2D angles of the image. They equal body angles only when
the movement plane faces the camera (a side view for floor exercises); specs
declare the view they need.
"""

from __future__ import annotations

import math

import numpy as np

Point = np.ndarray


def joint_angle(a: Point, b: Point, c: Point) -> float:
    """Angle at ``b`` in degrees, 0-180."""
    u = a - b
    v = c - b
    nu = math.hypot(u[0], u[1])
    nv = math.hypot(v[0], v[1])
    if nu == 0.0 or nv == 0.0:
        return float("nan")
    cos = (u[0] * v[0] + u[1] * v[1]) / (nu * nv)
    return math.degrees(math.acos(max(-1.0, min(1.0, cos))))


def bend(a: Point, b: Point, c: Point) -> float:
    """Signed deviation of ``b`` from the line ``a-c``; positive = ``b`` above it."""
    straightness = 180.0 - joint_angle(a, b, c)
    line = c - a
    # Normal of the line that points up in the image (negative y).
    normal = np.array([line[1], -line[0]], dtype=float)
    if normal[1] > 0 or (normal[1] == 0 and normal[0] < 0):
        normal = -normal
    side = float(np.dot(b - a, normal))
    return straightness if side >= 0 else -straightness


def inclination(a: Point, b: Point) -> float:
    """Elevation of ``b`` above ``a`` in degrees: 0 level, +90 straight up."""
    dx = abs(float(b[0] - a[0]))
    dy = float(a[1] - b[1])
    if dx == 0.0 and dy == 0.0:
        return float("nan")
    return math.degrees(math.atan2(dy, dx))


def distance(a: Point, b: Point, axis: str, scale: float) -> float:
    """Distance between ``a`` and ``b`` along ``axis``, in units of ``scale``."""
    if scale <= 0.0:
        return float("nan")
    if axis == "horizontal":
        d = abs(float(b[0] - a[0]))
    elif axis == "vertical":
        d = abs(float(b[1] - a[1]))
    else:
        d = math.hypot(float(b[0] - a[0]), float(b[1] - a[1]))
    return d / scale


def height(a: Point, b: Point, p: Point, scale: float) -> float:
    """Signed distance of ``p`` above the line ``a-b`` (up in the image), in units of ``scale``."""
    line = b - a
    length = math.hypot(float(line[0]), float(line[1]))
    if length == 0.0 or scale <= 0.0:
        return float("nan")
    normal = np.array([line[1], -line[0]], dtype=float) / length
    if normal[1] > 0 or (normal[1] == 0 and normal[0] < 0):
        normal = -normal
    return float(np.dot(p - a, normal)) / scale

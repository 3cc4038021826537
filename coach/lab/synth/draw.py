"""A small painter's rasteriser: perspective camera, Lambert shading, floor and wall.

Triangles facing the camera are sorted far to near and filled with OpenCV,
at twice the output size and then downscaled, which smooths the edges. It
is slow next to a GPU (about 0.1-0.2 s a frame) and needs nothing but numpy
and OpenCV.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from coach.lab.synth.body import Body


@dataclass(frozen=True)
class Camera:
    """A pinhole camera beside the body, looking at ``target``.

    ``yaw_deg`` 0 looks straight at the body's left side; ``height_m`` is the
    lens above the floor (floor level about 0.2, a laptop on a table about 1.1).
    """

    distance_m: float = 2.6
    height_m: float = 0.35
    yaw_deg: float = 0.0
    fov_deg: float = 60.0
    width: int = 480
    height: int = 360
    target: tuple[float, float, float] = (0.0, 0.15, 0.3)

    def basis(self) -> tuple[np.ndarray, np.ndarray]:
        t = np.array(self.target)
        yaw = math.radians(self.yaw_deg)
        eye = t + np.array([self.distance_m * math.cos(yaw), self.distance_m * math.sin(yaw), 0.0])
        eye[2] = self.height_m
        forward = t - eye
        forward /= np.linalg.norm(forward)
        right = np.cross(forward, [0.0, 0.0, 1.0])
        right /= np.linalg.norm(right)
        down = np.cross(forward, right)
        return eye, np.stack([right, down, forward])

    def project(self, points: np.ndarray, scale: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
        """Pixel coordinates (N, 2) and depths (N,) of world points."""
        eye, rot = self.basis()
        cam = (points - eye) @ rot.T
        focal = 0.5 * self.width * scale / math.tan(math.radians(self.fov_deg) / 2)
        z = np.maximum(cam[:, 2], 1e-3)
        px = np.stack([cam[:, 0] / z * focal + self.width * scale / 2,
                       cam[:, 1] / z * focal + self.height * scale / 2], axis=1)
        return px, cam[:, 2]


@dataclass(frozen=True)
class Look:
    """Colours (BGR, 0-255) and light of a scene."""

    skin: tuple[int, int, int] = (140, 170, 215)
    shirt: tuple[int, int, int] = (160, 90, 40)
    shorts: tuple[int, int, int] = (50, 50, 50)
    socks: tuple[int, int, int] = (230, 230, 230)
    floor: tuple[int, int, int] = (110, 120, 135)
    wall: tuple[int, int, int] = (200, 205, 210)
    mat: tuple[int, int, int] = (30, 60, 120)
    light_dir: tuple[float, float, float] = (0.4, -0.3, 0.85)
    noise: float = 3.0


def vertex_colours(body: Body, look: Look) -> np.ndarray:
    """Paint clothes by each vertex's main bone."""
    names = body.vertex_bone
    colours = np.tile(np.array(look.skin, float), (len(names), 1))
    shirt = np.char.startswith(names, "spine") | np.char.startswith(names, "clavicle") | \
        np.char.startswith(names, "shoulder01") | np.char.startswith(names, "upperarm")
    shorts = np.char.startswith(names, "pelvis") | np.char.startswith(names, "root") | \
        np.char.startswith(names, "upperleg")
    socks = np.char.startswith(names, "foot") | np.char.startswith(names, "toe")
    colours[shirt] = look.shirt
    colours[shorts] = look.shorts
    colours[socks] = look.socks
    return colours


def _background(cam: Camera, look: Look, scale: int, vertices: np.ndarray) -> np.ndarray:
    """Wall colour, then the floor up to a wall 1.5 m behind the body, then a mat under it."""
    w, h = cam.width * scale, cam.height * scale
    img = np.empty((h, w, 3), np.uint8)
    img[:] = look.wall
    t = np.array(cam.target)
    eye, _ = cam.basis()
    ahead = t - eye
    ahead[2] = 0.0
    ahead /= np.linalg.norm(ahead)
    side = np.array([-ahead[1], ahead[0], 0.0])
    near = -(np.linalg.norm((t - eye)[:2]) - 0.3)
    floor = np.array([t + a * ahead + b * side for a, b in ((near, -10.0), (1.5, -10.0), (1.5, 10.0), (near, 10.0))])
    floor[:, 2] = 0.0
    px, _ = cam.project(floor, scale)
    cv2.fillConvexPoly(img, np.round(px).astype(np.int32), look.floor)
    lo = vertices[:, :2].min(axis=0) - 0.25
    hi = vertices[:, :2].max(axis=0) + 0.25
    mat = np.array([[lo[0], lo[1], 0.001], [lo[0], hi[1], 0.001], [hi[0], hi[1], 0.001], [hi[0], lo[1], 0.001]])
    mpx, _ = cam.project(mat, scale)
    cv2.fillConvexPoly(img, np.round(mpx).astype(np.int32), look.mat)
    return img


Mesh = tuple[np.ndarray, np.ndarray, np.ndarray]   # faces, vertices, vertex colours


def render(body: Body, vertices: np.ndarray, cam: Camera, look: Look, colours: np.ndarray,
           rng: np.random.Generator | None = None, scale: int = 2, others: tuple[Mesh, ...] = ()) -> np.ndarray:
    """Draw the posed body (on its mat), and ``others`` beside it; returns a BGR image of
    ``cam.width`` x ``cam.height``."""
    img = _background(cam, look, scale, vertices)
    faces = body.faces
    for other_faces, other_vertices, other_colours in others:
        faces = np.concatenate([faces, other_faces + len(vertices)])
        vertices = np.concatenate([vertices, other_vertices])
        colours = np.concatenate([colours, other_colours])
    px, depth = cam.project(vertices, scale)
    tri = vertices[faces]
    normals = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    normals /= np.linalg.norm(normals, axis=1, keepdims=True) + 1e-12
    eye, _ = cam.basis()
    to_eye = eye - tri.mean(axis=1)
    facing = np.einsum("ij,ij->i", normals, to_eye) > 0
    light = np.array(look.light_dir) / np.linalg.norm(look.light_dir)
    shade = 0.35 + 0.65 * np.clip(normals @ light, 0.0, 1.0)
    face_colour = colours[faces].mean(axis=1) * shade[:, None]
    order = np.argsort(-depth[faces].mean(axis=1))
    order = order[facing[order]]
    pts = np.round(px[faces]).astype(np.int32)
    col = np.clip(face_colour, 0, 255).astype(np.int32)
    # Contact shadow: darker floor under the body.
    low = vertices[:, 2] < 0.08
    if low.any():
        shadow = np.round(cam.project(vertices[low] * [1, 1, 0], scale)[0]).astype(np.int32)
        hull = cv2.convexHull(shadow)
        overlay = img.copy()
        cv2.fillConvexPoly(overlay, hull, (40, 40, 40))
        img = cv2.addWeighted(overlay, 0.35, img, 0.65, 0)
    for i in order:
        c = col[i]
        cv2.fillConvexPoly(img, pts[i], (int(c[0]), int(c[1]), int(c[2])))
    out = cv2.resize(img, (cam.width, cam.height), interpolation=cv2.INTER_AREA)
    if rng is not None and look.noise > 0:
        out = np.clip(out + rng.normal(0, look.noise, out.shape), 0, 255).astype(np.uint8)
    return out

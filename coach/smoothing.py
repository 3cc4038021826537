"""Causal One-Euro smoothing of landmarks, usable live and on files alike.

The One-Euro filter (Casiez et al., 2012) is a low-pass filter whose cut-off
rises with speed: still landmarks are smoothed hard (no jitter on the overlay
or in the angles), fast moves pass with little lag. It only looks backwards,
so the live loop and file analysis share it and give the same numbers.

Coordinates are filtered in units of the image height, so the parameters do
not depend on the resolution. MediaPipe's own legacy graph uses the same
filter; its smoothing is switched off in :mod:`coach.io.pose` so that every
backend is smoothed once, here.
"""

from __future__ import annotations

import math

import numpy as np

from coach.types import Pose


def _alpha(cutoff_hz: float, dt: float) -> float:
    tau = 1.0 / (2.0 * math.pi * cutoff_hz)
    return 1.0 / (1.0 + tau / dt)


class OneEuroFilter:
    """One-Euro filter over arrays of any shape, updated with explicit times.

    Args:
        min_cutoff_hz: cut-off when still; lower = smoother, more lag.
        beta: how fast the cut-off rises with speed; higher = less lag on fast moves.
        d_cutoff_hz: cut-off of the speed estimate itself.
    """

    def __init__(self, min_cutoff_hz: float = 1.5, beta: float = 2.0, d_cutoff_hz: float = 1.0) -> None:
        self.min_cutoff_hz = min_cutoff_hz
        self.beta = beta
        self.d_cutoff_hz = d_cutoff_hz
        self._x: np.ndarray | None = None
        self._dx: np.ndarray | None = None
        self._t: float | None = None

    def reset(self) -> None:
        self._x = self._dx = self._t = None

    def update(self, x: np.ndarray, t: float) -> np.ndarray:
        """Filter one sample taken at ``t`` seconds and return the smoothed value."""
        if self._x is None or self._dx is None or self._t is None or t <= self._t:
            self._x = x.astype(float).copy()
            self._dx = np.zeros_like(self._x)
            self._t = t
            return self._x.copy()
        dt = t - self._t
        dx = (x - self._x) / dt
        a_d = _alpha(self.d_cutoff_hz, dt)
        self._dx = a_d * dx + (1.0 - a_d) * self._dx
        cutoff = self.min_cutoff_hz + self.beta * np.abs(self._dx)
        a = 1.0 / (1.0 + (1.0 / (2.0 * np.pi * cutoff)) / dt)
        self._x = a * x + (1.0 - a) * self._x
        self._t = t
        return self._x.copy()


class LandmarkSmoother:
    """Smooths a pose's pixel coordinates; restarts after the person is lost.

    A gap longer than ``restart_after_s`` restarts the filter, so a person who
    comes back somewhere else is not dragged across the screen.
    """

    def __init__(self, min_cutoff_hz: float = 1.5, beta: float = 2.0, restart_after_s: float = 0.5) -> None:
        self._filter = OneEuroFilter(min_cutoff_hz=min_cutoff_hz, beta=beta)
        self.restart_after_s = restart_after_s
        self._last_t: float | None = None

    def update(self, pose: Pose | None, t: float) -> Pose | None:
        if pose is None:
            return None
        if self._last_t is not None and t - self._last_t > self.restart_after_s:
            self._filter.reset()
        self._last_t = t
        height = float(pose.image_size[1]) or 1.0
        smoothed = self._filter.update(pose.xy / height, t) * height
        return pose.replace_xy(smoothed)

"""Replay source: landmarks recorded once from a real clip, played back without video.

Traces are ``.npz`` files written by ``tools/record_traces.py``: per frame the
pixel ``xy`` (NaN where nobody was found), ``visibility`` and ``depth``, plus
the clip's ``fps`` and ``size``. Replaying them runs the whole engine on real
human motion in milliseconds, with no mediapipe and no video.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np

from coach.errors import VideoError
from coach.types import Pose


class Trace:
    """A recorded landmark trace."""

    def __init__(self, path: str | Path) -> None:
        path = Path(path)
        try:
            data = np.load(path)
        except (OSError, ValueError) as exc:
            raise VideoError(f"cannot read landmark trace {path}: {exc}") from None
        self.path = path
        self.xy = data["xy"].astype(float)
        self.visibility = data["visibility"].astype(float)
        self.depth = data["depth"].astype(float)
        self.fps = float(data["fps"])
        self.size = (int(data["size"][0]), int(data["size"][1]))

    @classmethod
    def save(cls, path: str | Path, poses: list[Pose | None], fps: float, size: tuple[int, int],
             source: str = "") -> Trace:
        """Write per-frame poses (None where nobody was found) and read them back."""
        n = len(poses)
        xy = np.full((n, 33, 2), np.nan, dtype=np.float32)
        visibility = np.zeros((n, 33), dtype=np.float16)
        depth = np.zeros((n, 33), dtype=np.float16)
        for i, pose in enumerate(poses):
            if pose is not None:
                xy[i], visibility[i], depth[i] = pose.xy, pose.visibility, pose.depth
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as f:             # np.savez_compressed would append .npz to a str path
            np.savez_compressed(f, xy=xy, visibility=visibility, depth=depth, fps=fps,
                                size=np.array(size), source=source)
        return cls(path)

    def __len__(self) -> int:
        return len(self.xy)

    def poses(self) -> Iterator[tuple[Pose | None, float]]:
        """(pose or None, t seconds) per recorded frame."""
        for i in range(len(self.xy)):
            t = i / self.fps
            if np.isnan(self.xy[i, 0, 0]):
                yield None, t
            else:
                yield Pose(xy=self.xy[i], visibility=self.visibility[i], depth=self.depth[i], image_size=self.size), t

"""coach: a webcam pose-form coach for low-back-pain exercises.

Pipeline: source (webcam, video, replay) -> pose -> geometry -> analysis
(reps, holds, form, session) -> render -> sinks (window, annotated video,
event log, report). Only ``sources``, ``pose``, ``render``, ``sinks``,
``batch`` and ``live`` import cv2 or mediapipe.
"""

import os

__version__ = "0.1.0"

# OpenCV and its ffmpeg print their own warnings straight to the terminal: V4L2's
# "can't open camera by index" for every index `coach cameras` tries, ffmpeg's "moov
# atom not found" for a truncated file. The coach says what went wrong in its own
# words, so they are kept quiet, before cv2 is first imported (set either variable
# yourself to see them again).
os.environ.setdefault("OPENCV_LOG_LEVEL", "FATAL")
os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")

"""coach: a webcam pose-form coach for low-back-pain exercises.

Pipeline, a folder a stage: ``specs`` (the exercises as data) and ``io`` (video
files, cameras, recorded landmarks, the pose model) -> ``analysis`` (metrics,
reps, holds, form, the session, the report) -> ``output`` (the screen, the
annotated video, reports, history) -> ``app`` (analyse a video, the live loop,
routines, the commands) -> ``cli``; ``lab`` evaluates. Only ``io/pose.py``
imports mediapipe; cv2 only input, the screen, the written files and the live
window (``tests/test_architecture.py`` holds these rules).
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

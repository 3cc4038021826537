"""coach: a webcam pose-form coach for low-back-pain exercises.

Pipeline: source (webcam, video, replay) -> pose -> geometry -> analysis
(reps, holds, form, session) -> render -> sinks (window, annotated video,
event log, report). Only ``sources``, ``pose``, ``render``, ``sinks``,
``batch`` and ``live`` import cv2 or mediapipe.
"""

__version__ = "0.1.0"

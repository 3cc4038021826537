"""Input: video files and cameras (``sources``), recorded landmarks (``replay``), the pose model (``pose``, ``people``, ``models``).

With ``output``, the only place cv2 and mediapipe are imported.
"""

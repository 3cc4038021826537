"""The engine: metrics, rep counting, hold timing and form warnings.

Pure Python and numpy; nothing here imports cv2 or mediapipe, so it is tested
on synthetic landmark sequences.
"""

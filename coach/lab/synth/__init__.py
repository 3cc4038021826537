"""Synthetic exercise videos with exact ground truth.

A body exported once from anny (``tools/export_bodies.py``) is posed by
sagittal segment angles, skinned with numpy and drawn by a small painter's
rasteriser on OpenCV. No torch, no anny, nothing downloaded at run time.
"""

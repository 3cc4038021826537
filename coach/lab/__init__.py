"""Measuring the coach: the evaluation (``evaluate``, real-clip labels in ``real_labels.toml``) and the
synthetic-video generator (``synth``). Nothing the coach runs for a user imports it."""

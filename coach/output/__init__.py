"""Output: the screen (``overlay``), the report's words, HTML and CSV, the event log and video (``sinks``),
history, voice, and ``write_outputs``, the one place a finished report's files are written."""

"""Running the coach: a video file (``batch``, ``parallel``, ``many``, ``cluster``), the live window
(``live``, ``setup_check``, ``routine_player``) and the rebuilding of cut-off sessions (``recovery``)."""

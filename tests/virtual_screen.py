"""A virtual screen (Debian's ``xvfb``) for the live window, shared by its test and its benchmark."""

from __future__ import annotations

import os
import select
import subprocess
import tempfile


def start_xvfb(size: str = "1920x1080x24") -> tuple[subprocess.Popen, str]:
    """Xvfb on a display number it picks itself and announces (``-displayfd``): a number chosen
    here could be taken by another X server that this machine's files do not show. Returns the
    process and its ``DISPLAY``; raises RuntimeError with Xvfb's own words when it does not start."""
    read_end, write_end = os.pipe()
    log = tempfile.TemporaryFile(mode="w+")              # a file, not a pipe nobody reads while it runs
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write_end), "-screen", "0", size, "-nolisten", "tcp"],
                            pass_fds=(write_end,), stdout=subprocess.DEVNULL, stderr=log)
    os.close(write_end)
    with os.fdopen(read_end) as announced:
        ready, _, _ = select.select([announced], [], [], 20)
        number = announced.readline().strip() if ready else ""
    with log:
        if not number.isdigit():
            xvfb.kill()
            xvfb.wait(timeout=10)
            log.seek(0)
            raise RuntimeError(f"Xvfb did not start: {log.read()[-500:]}")
    return xvfb, f":{number}"

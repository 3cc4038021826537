"""Spoken cues: the rep count, "hold", "rest", and one form cue at a time.

Speech runs on its own thread through espeak-ng (or espeak) when installed,
else a short tone (the terminal bell). The video loop only drops a cue into a
one-place mailbox and goes on: if the voice is still busy, a newer cue
replaces the waiting one, so cues never pile up behind the person. Form
cues also have a cooldown, so a lingering fault is said once, not streamed.
"""

from __future__ import annotations

import queue
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable

from coach.types import HoldSegment, RepFinished, RepRecounted, SessionState, Snapshot, StateChanged, WarningStarted


def speech_engine() -> str | None:
    """The speech program found on PATH (espeak-ng, else espeak), or None."""
    return shutil.which("espeak-ng") or shutil.which("espeak")


def _espeak(engine: str) -> Callable[[str], None]:
    def speak(text: str) -> None:
        try:
            subprocess.run([engine, "-s", "165", text], capture_output=True, timeout=10)
        except (OSError, subprocess.SubprocessError):
            pass
    return speak


def _bell(text: str) -> None:
    sys.stdout.write("\a")
    sys.stdout.flush()


class Voice:
    """Turns snapshots into spoken cues. ``speak`` (for tests) replaces the engine."""

    def __init__(self, muted: bool = False, form_cooldown_s: float = 6.0,
                 speak: Callable[[str], None] | None = None) -> None:
        engine = speech_engine()
        self.speak = speak or (_espeak(engine) if engine else _bell)
        self.engine = "custom" if speak else (engine or "terminal bell")
        self.muted = muted
        self.form_cooldown_s = form_cooldown_s
        self._last_form_t = -1e9
        self._mailbox: queue.Queue[str | None] = queue.Queue(maxsize=1)
        self._thread = threading.Thread(target=self._run, name="coach-voice", daemon=True)
        self._thread.start()

    def toggle_mute(self) -> bool:
        self.muted = not self.muted
        return self.muted

    def say(self, text: str) -> None:
        """Queue ``text`` without waiting; a cue still waiting is replaced by this newer one."""
        if self.muted:
            return
        try:
            self._mailbox.put_nowait(text)
        except queue.Full:
            try:
                self._mailbox.get_nowait()
            except queue.Empty:
                pass
            try:
                self._mailbox.put_nowait(text)
            except queue.Full:
                pass

    def on_snapshot(self, snapshot: Snapshot) -> None:
        """Pick this frame's cue, if any: counts and holds first, then one form cue per cooldown."""
        for event in snapshot.events:
            if isinstance(event, (RepFinished, RepRecounted)) and event.rep.complete:
                self.say(str(snapshot.reps))
                return
            if isinstance(event, HoldSegment):
                self.say("rest")
                return
        if snapshot.current_hold_s > 0 and snapshot.current_hold_s <= 0.2:
            self.say("hold")
            return
        for event in snapshot.events:
            if isinstance(event, WarningStarted) and snapshot.t - self._last_form_t >= self.form_cooldown_s:
                self._last_form_t = snapshot.t
                self.say(event.cue or event.message.split(":")[0])
                return
            if isinstance(event, StateChanged) and event.state is SessionState.WRONG_VIEW:
                self.say("Please turn")
                return

    def _run(self) -> None:
        while True:
            text = self._mailbox.get()
            if text is None:
                return
            self.speak(text)

    def close(self) -> None:
        try:
            self._mailbox.put_nowait(None)
        except queue.Full:
            pass

"""Provides `Companions`: what accompanies every session besides its view (cues, voice, history).

Plain mode and the app both hand each new engine to `attach()`, so a session sounds the same
and is recorded the same whichever view shows it. The cue player opens its audio device once,
on the first session, and keeps it for the life of the program: opening a device costs tens of
milliseconds and is where things go wrong, so it happens once and not at a step boundary.
History is written from worker threads; its notices are brought back to the event loop's
thread before `notify` sees them. Nothing here imports Textual.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from timer_app.engine import Engine
    from timer_app.history.recorder import HistoryRecorder
    from timer_app.history.store import History
    from timer_app.sound import Player, SoundListener, Voice

__all__ = ["HISTORY_GRACE", "SPEECH_GRACE", "Companions"]

SPEECH_GRACE = 2.0
"""Seconds the last prompt ("Routine complete.") may take to finish after a session ends."""
HISTORY_GRACE = 6.0
"""Seconds to wait for a session's last history write (longer than SQLite's busy timeout)."""


class Companions:
    """Sound cues, spoken prompts and the history record for the sessions of one program run.

    `sound`: auto, miniaudio, simpleaudio, bell or off. `history`: record each session in the
    history file (off by default, so tests and embedders opt in; the `stretch` command turns
    it on). `notify` gets one line per sound problem (no audio device, no speech engine, a
    broken cue file) and `history_notify` (default: `notify`) one per history problem, on the
    event loop's thread once a session has been attached; nothing is printed here. `ring`
    rings the terminal bell for the bell backend (default: BEL on stdout).
    """

    def __init__(
        self,
        *,
        sound: str = "auto",
        volume: int = 80,
        voice: bool = False,
        history: bool = False,
        notify: Callable[[str], None],
        history_notify: Callable[[str], None] | None = None,
        ring: Callable[[], None] | None = None,
    ) -> None:
        self.sound = sound
        self.volume = volume
        self.voice_wanted = voice
        self.history_wanted = history
        self._notify = notify
        self._history_notify = history_notify or notify
        self._ring = ring
        self._player: Player | None = None
        self._voice: Voice | None = None
        self._listeners: list[SoundListener] = []
        self._history: History | None = None
        self._recorders: list[HistoryRecorder] = []
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def player(self) -> Player:
        """The cue player, opened on first use (never raises: at worst it is silent)."""
        if self._player is None:
            from timer_app.sound import make_player, make_voice

            self._player = make_player(
                self.sound, volume=self.volume, notify=self._notify, ring=self._ring
            )
            self._voice = make_voice(self.voice_wanted, self._notify)
        return self._player

    @property
    def muted(self) -> bool:
        return self._player is not None and self._player.muted

    def open(self) -> None:
        """Open the audio device now (before the first step, rather than at it)."""
        _ = self.player

    @property
    def history(self) -> History | None:
        """The history file of this run, or None when history is not wanted.

        Opened lazily by whoever first reads or writes it; `History.enabled` says whether it
        still works. Use it from the event loop's thread, then hand it to a worker to read.
        """
        if not self.history_wanted:
            return None
        self._remember_loop()
        if self._history is None:
            from timer_app.history.store import History

            self._history = History(notify=self._notify_from_any_thread)
        return self._history

    def attach(self, engine: Engine) -> None:
        """Listen to `engine`'s session: cues and prompts from its first event to its last, and
        its record in history."""
        from timer_app.sound import SoundListener

        listener = SoundListener(self.player, self._voice, plan=engine.plan, clock=engine.clock)
        engine.add_listener(listener)
        self._listeners.append(listener)
        history = self.history
        if history is not None and history.enabled:
            from timer_app.history.recorder import HistoryRecorder

            recorder = HistoryRecorder(history, engine.plan)
            # A worker thread: a commit waits for the disk (fsync) and, at worst, for another
            # program's write; neither may hold up the clock or the screen.
            engine.add_listener(recorder, blocking=True)
            self._recorders.append(recorder)

    async def history_written(self, timeout: float = HISTORY_GRACE) -> None:
        """Wait until the sessions attached so far have made their last history write."""
        recorders = [r for r in self._recorders if not r.done.is_set()]
        for recorder in recorders:
            await asyncio.to_thread(recorder.wait, timeout)
        self._recorders = [r for r in self._recorders if not r.done.is_set()]

    def _remember_loop(self) -> None:
        with contextlib.suppress(RuntimeError):  # no loop: keep the one seen last
            self._loop = asyncio.get_running_loop()

    def _notify_from_any_thread(self, text: str) -> None:
        # History finds its problems in worker threads; the app's notify and plain mode's
        # printer belong to the event loop's thread.
        loop = self._loop
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if loop is None or running is loop or loop.is_closed():
            self._history_notify(text)
            return
        # A RuntimeError: the loop closed in the meantime, and the program is ending.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(self._history_notify, text)

    def toggle_mute(self) -> bool:
        """Mute or unmute cues and voice; returns True when now muted."""
        muted = self.player.toggle_mute()
        if muted and self._voice is not None:
            self._voice.stop()
        return muted

    async def session_over(self, grace: float = SPEECH_GRACE) -> None:
        """The session ended: drop cues still waiting, let the last prompt finish, and let the
        history record be written."""
        listeners, self._listeners = self._listeners, []
        for listener in listeners:
            await listener.aclose(grace)
        await self.history_written()

    def close(self) -> None:
        """Close the audio device (at program exit)."""
        if self._player is not None:
            self._player.close()

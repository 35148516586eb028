"""Provides `Companions`: what accompanies every session besides its view (cues and voice).

Plain mode and the app both hand each new engine to `attach()`, so a session sounds the same
whichever view shows it. The cue player opens its audio device once and keeps it for the life
of the program. Opening takes tens of milliseconds to over a hundred (loading the audio
library, asking the sound server, then ALSA, decoding the cues), so `start_opening()` does it in
a thread, and a session that starts before it is done does not wait: its events queue for the
sound listener (each engine listener has its own queue) and play once the device is ready, the
stale ones dropped as after any stall. Nothing here imports Textual.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from timer_app.engine import Engine
    from timer_app.events import Event
    from timer_app.sound import Player, SoundListener, Voice

__all__ = ["SPEECH_GRACE", "Companions"]

SPEECH_GRACE = 2.0
"""Seconds the last prompt ("Routine complete.") may take to finish after a session ends."""


def _ring_stdout() -> None:
    from timer_app.sound.backends import ring_stdout

    ring_stdout()


class Companions:
    """Sound cues and spoken prompts for the sessions of one program run.

    `sound`: auto, miniaudio, simpleaudio, bell or off. The view that shows the sessions sets
    `notify` (one line per problem: no audio device, no speech engine, a broken cue file;
    nothing is ever printed here) and `ring` (the terminal bell, for the bell backend).
    """

    def __init__(self, *, sound: str = "auto", volume: int = 80, voice: bool = False) -> None:
        self.sound = sound
        self.volume = volume
        self.voice_wanted = voice
        self.notify: Callable[[str], None] = lambda text: None
        """Shows a notice to the person; set by the view."""
        self.ring: Callable[[], None] = _ring_stdout
        """Rings the terminal bell; set by the view (the app's stdout is its screen)."""
        self._player: Player | None = None
        self._voice: Voice | None = None
        self._opener: threading.Thread | None = None
        self._held: list[str] = []
        """Notices from the opening thread, shown once the view asks for the player."""
        self._listeners: list[SoundListener] = []

    # -- opening

    def start_opening(self) -> None:
        """Open the audio device in a thread now; `player` waits for it when first needed."""
        if self._player is not None or self._opener is not None:
            return
        self._opener = threading.Thread(target=self._open, name="open-audio", daemon=True)
        self._opener.start()

    def _open(self) -> None:
        from timer_app.sound import make_player, make_voice

        voice = make_voice(self.voice_wanted, self._tell)
        player = make_player(self.sound, volume=self.volume, notify=self._tell, ring=self._ring)
        self._voice, self._player = voice, player

    def _tell(self, text: str) -> None:
        # The view's notify may only be called from its own thread.
        if threading.current_thread() is self._opener:
            self._held.append(text)
        else:
            self.notify(text)

    def _ring(self) -> None:
        # Looked up at each ring: the view may set `ring` after the player was made.
        self.ring()

    @property
    def player(self) -> Player:
        """The cue player, opened on first use if not already (never raises: at worst, silent)."""
        if self._opener is not None:
            self._opener.join()
            self._opener = None
            held, self._held = self._held, []
            for text in held:
                self.notify(text)
        if self._player is None:
            self._open()
        assert self._player is not None
        return self._player

    @property
    def muted(self) -> bool:
        return self._player is not None and self._player.muted

    # -- sessions

    def attach(self, engine: Engine) -> None:
        """Listen to `engine`'s session: cues and prompts from its first event to its last."""
        if self._opener is None:
            engine.add_listener(self._listener_for(engine))
            return
        listener: list[SoundListener] = []

        async def once_open(event: Event) -> None:
            if not listener:
                opener = self._opener
                if opener is not None:
                    await asyncio.to_thread(opener.join)
                listener.append(self._listener_for(engine))
            listener[0](event)

        engine.add_listener(once_open)

    def _listener_for(self, engine: Engine) -> SoundListener:
        from timer_app.sound import SoundListener

        player = self.player
        listener = SoundListener(player, self._voice, plan=engine.plan, clock=engine.clock)
        self._listeners.append(listener)
        return listener

    def toggle_mute(self) -> bool:
        """Mute or unmute cues and voice; returns True when now muted."""
        muted = self.player.toggle_mute()
        if muted and self._voice is not None:
            self._voice.stop()
        return muted

    async def session_over(self, grace: float = SPEECH_GRACE) -> None:
        """The session ended: drop cues still waiting, let the last prompt finish."""
        listeners, self._listeners = self._listeners, []
        for listener in listeners:
            await listener.aclose(grace)

    def close(self) -> None:
        """Close the audio device (at program exit)."""
        if self._opener is not None:
            self._opener.join()
        if self._player is not None:
            self._player.close()

"""Provides `Companions`: what accompanies every session besides its view (cues and voice).

Plain mode and the app both hand each new engine to `attach()`, so a session sounds the same
whichever view shows it. The cue player opens its audio device once, on the first session, and
keeps it for the life of the program: opening a device costs tens of milliseconds and is where
things go wrong, so it happens once and not at a step boundary. Nothing here imports Textual.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from timer_app.engine import Engine
    from timer_app.sound import Player, SoundListener, Voice

__all__ = ["SPEECH_GRACE", "Companions"]

SPEECH_GRACE = 2.0
"""Seconds the last prompt ("Routine complete.") may take to finish after a session ends."""


class Companions:
    """Sound cues and spoken prompts for the sessions of one program run.

    `sound`: auto, miniaudio, simpleaudio, bell or off. `notify` gets one line per problem (no
    audio device, no speech engine, a broken cue file); nothing is printed here. `ring` rings
    the terminal bell for the bell backend (default: BEL on stdout).
    """

    def __init__(
        self,
        *,
        sound: str = "auto",
        volume: int = 80,
        voice: bool = False,
        notify: Callable[[str], None],
        ring: Callable[[], None] | None = None,
    ) -> None:
        self.sound = sound
        self.volume = volume
        self.voice_wanted = voice
        self._notify = notify
        self._ring = ring
        self._player: Player | None = None
        self._voice: Voice | None = None
        self._listeners: list[SoundListener] = []

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

    def attach(self, engine: Engine) -> None:
        """Listen to `engine`'s session: cues and prompts from its first event to its last."""
        from timer_app.sound import SoundListener

        listener = SoundListener(self.player, self._voice, plan=engine.plan, clock=engine.clock)
        engine.add_listener(listener)
        self._listeners.append(listener)

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
        if self._player is not None:
            self._player.close()

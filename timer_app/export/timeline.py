"""Provides `record_session`: what a session sounds like, as a timeline of placed sounds.

The real engine runs the plan on a virtual-time loop with the real `SoundListener`, which plays
into `_RecordingPlayer` instead of a device: each cue and each rendered prompt is noted at the
loop time it would start, with the player's own rules (a new cue cuts the one sounding, a new
prompt cuts the one speaking or waiting). The file is then exactly what a live session, left
to run, plays: the rules are not worked out a second time here.
"""

from __future__ import annotations

import asyncio
from array import array
from collections.abc import Mapping
from dataclasses import dataclass

from timer_app.core.plan import Plan
from timer_app.export.virtual import LoopClock, VirtualTimeLoop
from timer_app.session.engine import Engine
from timer_app.sound.backend import RATE
from timer_app.sound.listener import SoundListener
from timer_app.sound.rendered import RenderedPrompts
from timer_app.sound.speech import SpeechEngine
from timer_app.sound.voice import Voice

__all__ = ["Placed", "Timeline", "record_session"]

AFTERMATH = 10.0
"""Virtual seconds the loop runs on after the session ends, so that a sound the listener has
scheduled to follow another is placed too (it costs nothing: nothing waits for real)."""


@dataclass(frozen=True)
class Placed:
    """One sound on the session's timeline."""

    start: float
    """Session seconds at which it starts."""
    samples: array[int]
    """Mono 16-bit samples at `RATE`."""
    end: float
    """Session seconds at which it stops: its own end, or where a newer one cut it."""
    what: str
    """The cue's name, or the prompt's words."""
    speech: bool
    """A spoken prompt rather than a cue."""

    @property
    def cut(self) -> bool:
        """Stopped before its own end by a newer sound."""
        return self.end < self.start + len(self.samples) / RATE - 1e-9


@dataclass(frozen=True)
class Timeline:
    """Every sound of a session left to run, by session time."""

    sounds: tuple[Placed, ...]
    total: float
    """The plan's length: when the last step ends (the closing sounds start there)."""

    @property
    def length(self) -> float:
        """Seconds until the last sound has ended (never less than the plan)."""
        return max([self.total, *(sound.end for sound in self.sounds)])

    @property
    def cues(self) -> tuple[Placed, ...]:
        return tuple(sound for sound in self.sounds if not sound.speech)

    @property
    def prompts(self) -> tuple[Placed, ...]:
        return tuple(sound for sound in self.sounds if sound.speech)


@dataclass
class _Sound:
    """A sound as placed so far: a newer one may still cut it."""

    start: float
    samples: array[int]
    end: float
    what: str = ""


class _Channel:
    """The sounds of one channel, each cut by the next as the device's channels are."""

    def __init__(self) -> None:
        self.sounds: list[_Sound] = []

    def cut(self, at: float) -> None:
        if self.sounds:
            last = self.sounds[-1]
            last.end = max(min(last.end, at), last.start)

    def add(self, at: float, samples: array[int], what: str) -> None:
        self.cut(at)
        self.sounds.append(_Sound(at, samples, at + len(samples) / RATE, what))


class _RecordingPlayer:
    """A `CuePlayer` that places sounds on the loop's (virtual) time instead of playing them."""

    name = "export"
    muted = False
    volume = 100

    def __init__(self, cues: Mapping[str, array[int]]) -> None:
        self._cues = cues
        self.cue = _Channel()
        self.speech = _Channel()

    @staticmethod
    def _now() -> float:
        return asyncio.get_running_loop().time()

    def play(self, name: str) -> None:
        samples = self._cues.get(name)
        if samples is not None:
            self.cue.add(self._now(), samples, name)

    def speak(self, samples: array[int], lead: float) -> bool:
        now = self._now()
        self.speech.cut(now)  # as on the device: the prompt speaking or waiting is cut now
        self.speech.add(now + lead, samples, "")
        return True

    def hush(self) -> None:
        self.speech.cut(self._now())

    def toggle_mute(self) -> bool:
        return False

    def set_volume(self, volume: int) -> None:
        """The file is written at full scale; the listener's own player sets the level."""

    def duration(self, name: str) -> float:
        samples = self._cues.get(name)
        return 0.0 if samples is None else len(samples) / RATE

    def close(self) -> None:
        """Nothing to release."""


class _Unspoken(Voice):
    """The voice the listener falls back on when a prompt has no rendering. Every prompt is
    rendered before the export runs, so nothing should come here; whatever does is noted, never
    spoken aloud on the computer doing the export."""

    def say(self, text: str, *, delay: float = 0.0, stale_after: float = 1.0) -> None:
        self.dropped.append(text)


class UnplacedPrompt(Exception):
    """A prompt the listener could not place on the timeline (it had no rendering)."""


def record_session(
    plan: Plan,
    cues: Mapping[str, array[int]],
    prompts: RenderedPrompts | None = None,
    voice: SpeechEngine | None = None,
) -> Timeline:
    """The timeline of `plan` run to its end with `cues`, and with `prompts` (every one of
    them rendered already, by `voice`) spoken; without them, cues alone."""
    player = _RecordingPlayer(cues)
    unspoken = None if prompts is None or voice is None else _Unspoken(voice)

    async def run() -> list[str]:
        engine = Engine(plan, clock=LoopClock(), count_in=0)
        listener = SoundListener(
            player,
            unspoken,
            plan=plan,
            clock=engine.clock,
            rendered=prompts if unspoken is not None else None,
        )
        engine.add_listener(listener)
        await engine.run()
        await asyncio.sleep(AFTERMATH)
        return listener.on_device

    with asyncio.Runner(loop_factory=VirtualTimeLoop) as runner:
        spoken = runner.run(run())
    if unspoken is not None and unspoken.dropped:
        raise UnplacedPrompt(unspoken.dropped[0])
    sounds = [Placed(s.start, s.samples, s.end, s.what, False) for s in player.cue.sounds]
    # The listener notes each prompt it handed the player, in order.
    for sound, text in zip(player.speech.sounds, spoken, strict=True):
        sounds.append(Placed(sound.start, sound.samples, sound.end, text, True))
    kept = [sound for sound in sounds if sound.end > sound.start]
    return Timeline(tuple(sorted(kept, key=lambda s: (s.start, s.speech))), plan.total)

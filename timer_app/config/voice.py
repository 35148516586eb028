"""Provides `VoiceChoice`: which espeak-ng voice says the prompts, how fast and how high.

One value for both ways a prompt is said: the live voice (`sound/voice.py`) and the prompts
rendered ahead of time (`sound/rendered.py`) put the same `espeak_args()` on the engine's
command line, so a prompt sounds the same whichever path says it. It comes from `voice:` in
the settings file and from `run`'s `--voice-name`, `--voice-rate` and `--voice-pitch`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "DEFAULT_PITCH",
    "DEFAULT_RATE",
    "NAME_PATTERN",
    "PITCH_RANGE",
    "RATE_RANGE",
    "VoiceChoice",
    "check_name",
]

DEFAULT_RATE = 165
"""Words per minute: a little slower than espeak-ng's own 175, for a person lying down."""
DEFAULT_PITCH = 50
"""espeak-ng's own default pitch."""
RATE_RANGE = (80, 450)
"""Words per minute espeak-ng takes (it raises anything slower to 80)."""
PITCH_RANGE = (0, 99)
"""Pitch espeak-ng takes: 0 is lowest, 99 highest."""
NAME_PATTERN = r"[A-Za-z0-9][A-Za-z0-9_+./-]*"
"""A voice as espeak-ng's `-v` takes it: a language (`en-gb`), a voice file (`gmw/en-US`),
either with a variant (`en-us+f3`). Never starting with `-`, so never read as an option."""
NAME_HINT = "a voice such as en-gb, en-us or en-us+f3 (see `stretch voices`)"


def check_name(name: str) -> str:
    """`name`, stripped, if it can be a voice name; ValueError saying why not."""
    name = name.strip()
    if not re.fullmatch(NAME_PATTERN, name) or len(name) > 60:
        raise ValueError(f"{name!r} is not a voice name: expected {NAME_HINT}")
    return name


@dataclass(frozen=True)
class VoiceChoice:
    """The voice, speed and pitch of the spoken prompts; the defaults are what a new user hears."""

    name: str | None = None
    """An espeak-ng voice (`en-gb`, `en-us+f3`); None: the engine's default, English."""
    rate: int = DEFAULT_RATE
    """Words per minute."""
    pitch: int = DEFAULT_PITCH
    """0 to 99."""

    def __post_init__(self) -> None:
        if self.name is not None:
            check_name(self.name)
        for value, (low, high), what in (
            (self.rate, RATE_RANGE, "rate"),
            (self.pitch, PITCH_RANGE, "pitch"),
        ):
            if not low <= value <= high:
                raise ValueError(f"voice {what} {value} is outside {low} to {high}")

    def espeak_args(self) -> tuple[str, ...]:
        """The options espeak-ng (and espeak) take for this choice, before the text."""
        voice = ("-v", self.name) if self.name else ()
        return (*voice, "-s", str(self.rate), "-p", str(self.pitch))

    @property
    def is_default(self) -> bool:
        return self == VoiceChoice()

    def with_default_voice(self) -> VoiceChoice:
        """The same rate and pitch in the engine's default voice (for a name it does not know)."""
        return VoiceChoice(None, self.rate, self.pitch)

    def __str__(self) -> str:
        """`en-gb, 150 words a minute, pitch 40`."""
        return f"{self.name or 'the default voice'}, {self.rate} words a minute, pitch {self.pitch}"

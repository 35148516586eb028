"""Provides what every audio backend shares: the `Backend` protocol the player opens, the
errors a backend raises, and helpers (gain, short reasons, closing at exit).

The player (`player.py`) opens backends; the backends import only this and `wav.py`, so the
package has no import circle (an import-linter contract keeps it so).
"""

from __future__ import annotations

import atexit
import contextlib
import weakref
from array import array
from typing import Any, Final, Protocol, runtime_checkable

__all__ = [
    "RATE",
    "Backend",
    "BackendLost",
    "BackendUnavailable",
    "Speaker",
    "close_at_exit",
    "gain_for",
    "short_reason",
]


RATE: Final = 22050
"""Sample rate of the built-in cues and of the playback device (mono, 16-bit).

The cues are short tones well under 5 kHz, so 22.05 kHz loses nothing and halves the files."""


class BackendUnavailable(Exception):
    """This backend cannot play here; the message says why in a few words."""

    def __init__(self, reason: str, *, optional: bool = False) -> None:
        super().__init__(reason)
        self.optional = optional
        """True when an optional backend is merely not installed: worth saying only to someone
        who asked for it by name."""


def short_reason(error: BaseException) -> str:
    """A short reason from a library's exception, for a notice: miniaudio's carry (message,
    code), and simpleaudio's run on with " -- CODE: ... -- MSG: ..."."""
    args = error.args
    if len(args) == 2 and isinstance(args[0], str) and isinstance(args[1], int):
        return f"{args[0]}, error {args[1]}"
    text = (str(error) or type(error).__name__).split(" -- ")[0]
    return text.rstrip(". ")


class BackendLost(Exception):
    """The backend worked but has stopped (device unplugged, sound server gone)."""


def gain_for(volume: int) -> float:
    """Sample gain for a volume of 0..100: the square, so that 50 sounds about half as loud
    (-12 dB) rather than barely quieter, as loudness is heard on a roughly logarithmic scale."""
    v = min(100, max(0, volume)) / 100
    return v * v


class Backend(Protocol):
    """What each backend module provides to `Player`. Timing rules every backend keeps:

    - cues are decoded and scaled to the volume before the session, never while it runs;
    - `play()` only hands a cue over (microseconds) and never blocks the event loop;
    - a new cue cuts the one playing (with a 5 ms fade, so no click): a cue is never queued
      behind an older one, because a late cue is worse than none to someone counting on it.
    """

    name: str

    def play(self, name: str) -> None: ...
    def cut(self) -> None: ...
    def set_gain(self, gain: float) -> None: ...
    def set_cues(self, cues: dict[str, array[int]]) -> None:
        """Play these cues from now on (another set, other volumes); the gain stays."""
        ...

    def close(self) -> None: ...


@runtime_checkable
class Speaker(Protocol):
    """A backend that also plays speech, on a channel of its own mixed over the cues: a prompt
    rendered ahead of time then starts on the same device and clock as its cue."""

    def speak(self, samples: array[int], lead: float) -> None:
        """Start `samples` after `lead` seconds of silence, counted from now on the device's
        own clock (so sample-exact after a cue handed over at the same moment); cuts the speech
        playing or waiting. Never blocks."""
        ...

    def hush(self) -> None:
        """Stop the speech playing or waiting (the cues go on)."""
        ...


_open_backends: weakref.WeakSet[Any] = weakref.WeakSet()


def close_at_exit(backend: Backend) -> None:
    """Close `backend` when the interpreter exits, if it is still open then."""
    # An audio thread still calling into Python while the interpreter shuts down can crash it;
    # close every device before that, even if the caller forgot.
    if not _open_backends:
        atexit.register(_close_all)
    _open_backends.add(backend)


def _close_all() -> None:
    for backend in list(_open_backends):
        with contextlib.suppress(Exception):
            backend.close()

"""Provides the backends that need no audio device: the terminal bell, and silence."""

from __future__ import annotations

import contextlib
import sys
from array import array
from collections.abc import Callable

from timer_app.session.cues import CUES

__all__ = ["BellBackend", "SilentBackend", "ring_stdout"]


def ring_stdout() -> None:
    """The default bell: BEL on standard output, for plain mode (the terminal rings it).

    The full-screen app passes its own `ring` (Textual's `app.bell`), since stdout is where it
    draws.
    """
    try:
        sys.stdout.write("\a")
        sys.stdout.flush()
    except (OSError, ValueError, AttributeError):
        pass  # stdout closed or gone: nothing else to ring


class SilentBackend:
    """No sound at all (`--sound off`)."""

    name = "off"

    def play(self, name: str) -> None:
        pass

    def cut(self) -> None:
        pass

    def set_gain(self, gain: float) -> None:
        pass

    def set_cues(self, cues: dict[str, array[int]]) -> None:
        pass

    def close(self) -> None:
        pass


class BellBackend(SilentBackend):
    """The terminal bell (or whatever `ring` does, e.g. flash the screen): one ring per cue."""

    name = "bell"

    def __init__(self, ring: Callable[[], None]) -> None:
        self._ring = ring

    def play(self, name: str) -> None:
        if name not in CUES:
            return
        # A bell that cannot ring is no reason to stop the session.
        with contextlib.suppress(Exception):
            self._ring()

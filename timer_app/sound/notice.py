"""Provides `Notice`: what sound or the voice tells the person, as data.

A view shows it whole (plain mode prints every reason) or short (the app's one header line
says only what happens now), without taking a sentence apart.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Notice"]


@dataclass(frozen=True)
class Notice:
    """`Sound: miniaudio found no audio device; using the terminal bell instead.`"""

    topic: str
    """What it is about: `Sound`, `Sound in /home/me/.config/stretch-timer/sounds`, `Voice`."""
    reasons: tuple[str, ...]
    """What went wrong, a few words each; may be empty."""
    outcome: str
    """What happens now: `using the terminal bell instead`, `cues only`."""

    def __str__(self) -> str:
        return f"{self.topic}: {'; '.join((*self.reasons, self.outcome))}."

    @property
    def short(self) -> str:
        """Only what happens now: `Sound: using the terminal bell instead.`"""
        topic = self.topic.split(" in ", 1)[0]
        return f"{topic}: {self.outcome}."

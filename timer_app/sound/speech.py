"""Provides the speech engines: which commands speak a text (espeak-ng, espeak, spd-say, say),
how to make them write it to a WAV file instead, and finding the one installed.

Below both the live voice (`voice.py`) and the prompts rendered ahead of time (`rendered.py`),
so the two run the very same command with the very same options: the engine's, then the
person's `VoiceChoice` (voice, rate, pitch) for the engines that take espeak-ng's options.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from timer_app.config.voice import VoiceChoice

__all__ = ["ENGINES", "SpeechEngine", "find_engine"]


@dataclass(frozen=True)
class SpeechEngine:
    """A command that speaks the text given as its last argument."""

    name: str
    command: tuple[str, ...]
    record: tuple[str, ...] | None = None
    """Options that make it write a WAV file instead (the file name follows them), or None."""
    chooses: bool = False
    """It takes espeak-ng's voice, rate and pitch options (`VoiceChoice.espeak_args`)."""

    def argv(
        self, text: str, record_to: Path | None = None, choice: VoiceChoice | None = None
    ) -> list[str]:
        """The command that says `text` in `choice` (default: the default voice), or with
        `record_to` writes it to that WAV file."""
        # A text starting with "-" would be read as an option; prompts never need one.
        text = text.lstrip("- ") or "."
        chosen = (choice or VoiceChoice()).espeak_args() if self.chooses else ()
        if record_to is not None and self.record is not None:
            return [*self.command, *chosen, *self.record, str(record_to), text]
        return [*self.command, *chosen, text]


ENGINES = (
    SpeechEngine("espeak-ng", ("espeak-ng",), ("-w",), chooses=True),
    SpeechEngine("espeak", ("espeak",), ("-w",), chooses=True),
    # Speech Dispatcher speaks in its own server; a "text" message is cancelled by the next one,
    # which is the newest-wins rule on its side.
    SpeechEngine("spd-say", ("spd-say", "-P", "text")),
    SpeechEngine("say", ("say", "-r", "190"), ("--data-format=LEI16@22050", "-o")),
)
"""The engines looked for, in order of preference."""


def find_engine(names: Sequence[str] | None = None) -> SpeechEngine | None:
    """The first installed engine (of `names`, default all of ENGINES), with its full path."""
    for engine in ENGINES:
        if names is not None and engine.name not in names:
            continue
        found = shutil.which(engine.command[0])
        if found:
            return replace(engine, command=(found, *engine.command[1:]))
    return None

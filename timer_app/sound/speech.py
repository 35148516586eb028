"""Provides the speech engines: which commands speak a text (espeak-ng, espeak, spd-say, say),
how to make them write it to a WAV file instead, and finding the one installed.

Below both the live voice (`voice.py`) and the prompts rendered ahead of time (`rendered.py`),
so the two run the very same command with the very same options.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ENGINES", "SpeechEngine", "find_engine"]


@dataclass(frozen=True)
class SpeechEngine:
    """A command that speaks the text given as its last argument."""

    name: str
    command: tuple[str, ...]
    record: tuple[str, ...] | None = None
    """Options that make it write a WAV file instead (the file name follows them), or None."""

    def argv(self, text: str, record_to: Path | None = None) -> list[str]:
        # A text starting with "-" would be read as an option; prompts never need one.
        text = text.lstrip("- ") or "."
        if record_to is not None and self.record is not None:
            return [*self.command, *self.record, str(record_to), text]
        return [*self.command, text]


ENGINES = (
    SpeechEngine("espeak-ng", ("espeak-ng", "-s", "165"), ("-w",)),
    SpeechEngine("espeak", ("espeak", "-s", "165"), ("-w",)),
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
            return SpeechEngine(engine.name, (found, *engine.command[1:]), engine.record)
    return None

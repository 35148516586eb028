"""Provides the installed espeak-ng voices (`installed_voices`, read from `espeak-ng --voices`)
and the check a chosen voice goes through as a session starts (`check_choice`).

The prompts are English, so a voice can read them when English is its language or one of its
other languages; `stretch voices` marks those. A name espeak-ng does not know would make it
say nothing at all: the check finds that out first, and the default English voice speaks
instead, after one notice.
"""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from dataclasses import dataclass

from timer_app.config.voice import VoiceChoice
from timer_app.sound.notice import Notice
from timer_app.sound.speech import SpeechEngine

__all__ = [
    "InstalledVoice",
    "VoicesUnavailable",
    "check_choice",
    "find_voice",
    "installed_voices",
    "parse_voices",
]

LIST_TIMEOUT = 10.0
"""Seconds `espeak-ng --voices` may take (it reads a folder of small files)."""

# ` 2  en-gb           --/M      English_(Great_Britain) gmw/en               (en 2)`: the
# columns are padded to a width that long values overrun, so they are split on spaces, never
# cut at fixed positions. Spaces in a voice's name are written as underscores.
_ROW = re.compile(
    r"^\s*(?P<priority>\d+)\s+(?P<language>\S+)\s+(?P<age>\S+)/(?P<gender>\S)\s+"
    r"(?P<name>\S+)\s+(?P<file>\S+)\s*(?P<others>.*)$"
)
_OTHER = re.compile(r"\((\S+)\s+\d+\)")
GENDERS = {"M": "male", "F": "female"}


@dataclass(frozen=True)
class InstalledVoice:
    """One row of `espeak-ng --voices`."""

    language: str
    """Its language code, what `-v` takes: `en-gb`."""
    name: str
    """Its name as a person reads it: `English (Great Britain)`."""
    file: str
    """Its voice file, which `-v` also takes: `gmw/en`."""
    gender: str
    """`male`, `female` or empty."""
    others: tuple[str, ...] = ()
    """Other languages it speaks: `en` for `en-gb`."""

    @property
    def reads_prompts(self) -> bool:
        """It speaks English, the language of the prompts."""
        return any(_english(code) for code in (self.language, *self.others))


class VoicesUnavailable(Exception):
    """The speech engine could not list its voices (the message says why)."""


def _english(code: str) -> bool:
    code = code.lower()
    return code == "en" or code.startswith("en-")


def parse_voices(text: str) -> list[InstalledVoice]:
    """The voices in `espeak-ng --voices` output; the header and any line that is not a voice
    (a warning, a blank line) are left out."""
    voices = []
    for line in text.splitlines():
        row = _ROW.match(line)
        if row is None or not row["priority"].isdigit():
            continue
        voices.append(
            InstalledVoice(
                language=row["language"],
                name=row["name"].replace("_", " "),
                file=row["file"],
                gender=GENDERS.get(row["gender"].upper(), ""),
                others=tuple(_OTHER.findall(row["others"])),
            )
        )
    return voices


def installed_voices(engine: SpeechEngine) -> list[InstalledVoice]:
    """The voices `engine` (espeak-ng or espeak) has installed; VoicesUnavailable if it
    cannot say."""
    try:
        result = subprocess.run(
            [*engine.command, "--voices"],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=LIST_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as error:
        raise VoicesUnavailable(f"{engine.name} --voices failed: {error}") from None
    voices = parse_voices(result.stdout)
    if result.returncode != 0 or not voices:
        detail = result.stderr.strip().splitlines()[:1] or [f"exit status {result.returncode}"]
        raise VoicesUnavailable(f"{engine.name} --voices listed no voices ({detail[0]})")
    return voices


def voice_ids(voices: list[InstalledVoice]) -> dict[InstalledVoice, str]:
    """What to give `-v` for each voice: its language code, or its voice file where two voices
    share a language (`-v yue` would always choose the same one)."""
    counts = Counter(voice.language for voice in voices)
    return {v: v.language if counts[v.language] == 1 else v.file for v in voices}


def find_voice(name: str, voices: list[InstalledVoice]) -> InstalledVoice | None:
    """The installed voice `name` stands for (`en-gb`, `gmw/en-US`, `English (America)`, any
    of them with a `+variant`), if it is listed."""
    base = name.split("+", 1)[0].lower()
    for key in ("language", "file", "name"):
        for voice in voices:
            value = getattr(voice, key).lower()
            if base in (value, value.replace(" ", "_")):
                return voice
    return None


def check_choice(engine: SpeechEngine, choice: VoiceChoice) -> tuple[VoiceChoice, Notice | None]:
    """The choice to speak with, and at most one notice: a voice `engine` does not know is
    replaced by its default (English) voice, never left to speak nothing; a voice that is not
    English is kept, and said to be so; an engine that takes no voice options says it."""
    if not engine.chooses:
        if choice.is_default:
            return choice, None
        return choice, Notice(
            "Voice",
            (f"{engine.name} does not take a voice, rate or pitch",),
            f"speaking in {engine.name}'s own voice",
        )
    if choice.name is None:
        return choice, None
    try:
        # -q: choose the voice and say nothing; an unknown voice exits with status 1.
        known = (
            subprocess.run(
                [*engine.command, "-v", choice.name, "-q", "."],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=LIST_TIMEOUT,
                check=False,
            ).returncode
            == 0
        )
    except (OSError, subprocess.SubprocessError):
        return choice, None  # the engine itself fails: the live voice's fallback takes over
    if not known:
        return choice.with_default_voice(), Notice(
            "Voice",
            (f"{engine.name} has no voice '{choice.name}' (see `stretch voices`)",),
            # The app's header shows the outcome alone: it names the voice too.
            f"using the default English voice, not {choice.name}",
        )
    try:
        voice = find_voice(choice.name, installed_voices(engine))
    except VoicesUnavailable:
        voice = None
    if voice is not None and not voice.reads_prompts:
        return choice, Notice(
            "Voice",
            (f"{choice.name} is not an English voice",),
            f"the English prompts are read in {voice.name}",
        )
    return choice, None

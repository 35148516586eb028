"""Provides `stretch voices`: the installed espeak-ng voices, marked where they can read the
prompts, and `--say`, which lets a person hear a voice say a real prompt before choosing it.

The preview goes the way a session's prompt goes: rendered ahead (`render_prompt`) and played
through the cue player, or where the player has no speech channel (the bell, off), said by
the live voice; both with the same `VoiceChoice`, checked as a session checks it.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any, TextIO

from timer_app.cli.commands import CliError, load_library_for, output_width, settings_for
from timer_app.cli.parser import voice_choice

if TYPE_CHECKING:
    from timer_app.config.settings import Settings
    from timer_app.config.voice import VoiceChoice
    from timer_app.routines.catalog import Library
    from timer_app.sound.player import Player
    from timer_app.sound.speech import SpeechEngine
    from timer_app.sound.voice import Voice
    from timer_app.sound.voices import InstalledVoice

__all__ = ["cmd_voices", "sample_prompt", "voices_text"]

INSTALL = "espeak-ng is not installed; on Debian or Ubuntu: sudo apt install espeak-ng"
SAMPLE_ROUTINE = "doctor-jo-5-minute"
"""The routine whose first prompt the preview says (any routine's, if it is not there)."""
EXAMPLES = ("en-gb", "en-us")
"""The voice the closing line of the list takes as its example, the first installed."""
SAY_TIMEOUT = 30.0
"""Seconds the live voice may take to say the sample before the preview gives up on it."""


def cmd_voices(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from timer_app.sound.speech import find_engine
    from timer_app.sound.voices import VoicesUnavailable, installed_voices

    if args.say is not None:
        return _preview(args, out, err)
    engine = find_engine(["espeak-ng", "espeak"])
    if engine is None:
        raise CliError(INSTALL)
    try:
        voices = installed_voices(engine)
    except VoicesUnavailable as error:
        raise CliError(str(error)) from None
    if args.english:
        voices = [voice for voice in voices if voice.reads_prompts]
    if args.json:
        json.dump(voices_json(voices), out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        print(voices_text(voices, output_width(out)), file=out)
    return 0


def voices_json(voices: list[InstalledVoice]) -> list[dict[str, Any]]:
    """`stretch voices --json`: per voice, `voice` (what --voice-name takes), `language`,
    `name`, `gender`, `other_languages` and `reads_prompts`."""
    from timer_app.sound.voices import voice_ids

    ids = voice_ids(voices)
    return [
        {
            "voice": ids[voice],
            "language": voice.language,
            "name": voice.name,
            "gender": voice.gender,
            "other_languages": list(voice.others),
            "reads_prompts": voice.reads_prompts,
        }
        for voice in voices
    ]


def voices_text(voices: list[InstalledVoice], width: int | None = None) -> str:
    """The voices as a table, those that can read the prompts first and marked *; where the
    table would not fit `width`, one wrapped line each."""
    from timer_app.core.plan_text import table
    from timer_app.core.text import safe_text
    from timer_app.core.wrap import wrap
    from timer_app.sound.voices import voice_ids

    ids = voice_ids(voices)
    ordered = sorted(voices, key=lambda v: (not v.reads_prompts, ids[v].lower()))
    rows = [
        ["*" if voice.reads_prompts else "", safe_text(ids[voice]), safe_text(voice.name)]
        for voice in ordered
    ]
    lines = table(["", "VOICE", "NAME"], rows).splitlines()
    if width is not None and max(len(line) for line in lines) > width:
        # Narrow: the voice on a line of its own (it is what gets typed), its name under it.
        lines = []
        for mark, ident, name in rows:
            lines += wrap(ident, width, first=f"{mark or ' '} ")
            lines += wrap(name, width, first="    ")
    readable = [row[1] for row in rows if row[0]]
    example = next((v for v in EXAMPLES if v in readable), readable[0] if readable else "NAME")
    count = f"{len(voices)} voice{'s' if len(voices) != 1 else ''}"
    lines.append("")
    lines += wrap(
        f"{count}; * can read the prompts, which are in English. Hear one with "
        f"`stretch voices --say {example}`; choose it with `voice: {{name: {example}}}` in "
        f"settings or `stretch run ID --voice-name {example}`.",
        width,
    )
    return "\n".join(lines)


def sample_prompt(library: Library) -> str:
    """The first thing a session of a real routine says (its first exercise, with where to be
    and its dose)."""
    from timer_app.core.plan import compile_plan
    from timer_app.session.prompts import FINISHED, prompts_of

    routines = library.routines
    routine = routines.get(SAMPLE_ROUTINE) or next(
        (routines[rid] for rid in sorted(routines)), None
    )
    if routine is None:
        return FINISHED
    return next((text for text in prompts_of(compile_plan(routine)) if text), FINISHED)


def _preview(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from timer_app.config.voice import VoiceChoice

    settings, _ = settings_for(err)
    chosen = voice_choice(args, settings.voice_choice)
    if args.say:
        chosen = VoiceChoice(args.say, chosen.rate, chosen.pitch)
    text = sample_prompt(load_library_for(args, None))
    return say_sample(text, chosen, settings, out, err)


def say_sample(text: str, choice: VoiceChoice, settings: Settings, out: TextIO, err: TextIO) -> int:
    """Say `text` as a session would with `choice` and the settings' sound and volume."""
    from timer_app.core.text import safe_text
    from timer_app.sound import make_player, make_voice

    notices: list[str] = []
    voice = make_voice(True, lambda notice: notices.append(str(notice)), choice=choice)
    for notice in notices:
        print(notice, file=err)
    if voice is None:
        raise CliError(INSTALL)
    # The words come from a routine file: shown literally, never as terminal controls.
    print(f'{voice.choice}: "{safe_text(text)}"', file=out)
    out.flush()
    player = make_player(
        settings.sound,
        volume=settings.volume,
        notify=lambda notice: print(notice, file=err),
        bell=out.isatty(),
    )
    try:
        if not _on_player(text, voice.choice, voice.engine, player):
            _live(text, voice)
    finally:
        player.close()
    return 0


def _on_player(text: str, choice: VoiceChoice, engine: SpeechEngine, player: Player) -> bool:
    """Render `text` and play it through `player`, waiting till it has sounded; False when
    the player has no speech channel or the engine cannot write the prompt."""
    import subprocess
    import time

    from timer_app.sound.backend import RATE
    from timer_app.sound.listener import DRAIN_MARGIN
    from timer_app.sound.rendered import render_prompt
    from timer_app.sound.wav import WavError

    if not player.speaks or engine.record is None:
        return False
    try:
        samples = render_prompt(text, choice, engine=engine)
    except (OSError, subprocess.SubprocessError, WavError, ValueError):
        return False  # the live voice says it, as in a session
    if not player.speak(samples, 0.0):
        return False
    time.sleep(len(samples) / RATE + DRAIN_MARGIN)
    return True


def _live(text: str, voice: Voice) -> None:
    """Say `text` with the live voice, as a session does when the player cannot."""
    import asyncio

    async def say() -> None:
        voice.say(text, stale_after=SAY_TIMEOUT)
        await voice.aclose(grace=SAY_TIMEOUT)

    asyncio.run(say())

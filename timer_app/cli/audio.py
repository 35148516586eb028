"""Provides `stretch export ID --audio FILE`: a session written as an audio file with chapters,
to follow away from the computer.

The checks a person can get wrong (the suffix, the folder, a file already there) come first,
before any work; a progress bar shows on stderr when it is a terminal, and the closing line says
what was written. The encoder and tag libraries load only here (see `timer_app.export`).
"""

from __future__ import annotations

import argparse
import shutil
import time
from typing import TYPE_CHECKING, TextIO

from timer_app.cli.commands import CliError, load_plan, settings_for
from timer_app.cli.parser import voice_choice
from timer_app.cli.transfer import shown_path

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from timer_app.config.settings import Settings
    from timer_app.config.voice import VoiceChoice
    from timer_app.core.plan import Plan
    from timer_app.export.audio import Exported
    from timer_app.sound.speech import SpeechEngine

__all__ = ["PLAN_FLAGS", "SESSION_FLAGS", "cmd_export_audio"]

PLAN_FLAGS: dict[str, object] = {
    "quick": False,
    "reps": None,
    "hold": None,
    "prepare": None,
    "rounds": 1,
    "skip_optional": False,
}
"""The options that adjust the plan, with their values when not given: they mean something
only for `--audio`."""
SESSION_FLAGS: dict[str, object] = {
    **PLAN_FLAGS,
    "cues": None,
    "voice_name": None,
    "voice_rate": None,
    "voice_pitch": None,
}
"""Every option that means something only for `--audio`: the plan's, the cues' and the
voice's."""
PHASES = {
    "speech": "speaking the prompts",
    "timeline": "placing the sounds",
    "encoding": "encoding",
    "done": "done",
}
"""What the progress bar says is being done, by the exporter's name for it."""
BAR_CELLS = 24
CUES_ALONE = "the file has the cues and the chapters, but no spoken safety note or prompts"


class ProgressBar:
    """One line on a terminal, redrawn in place: what is being done and how much of it."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.shown = ""
        utf8 = (getattr(stream, "encoding", "") or "").lower().replace("-", "") == "utf8"
        self.full, self.empty = ("\u2588", "\u2591") if utf8 else ("#", "-")
        self.width = shutil.get_terminal_size((80, 24)).columns

    def __call__(self, what: str, done: float) -> None:
        filled = round(max(0.0, min(1.0, done)) * BAR_CELLS)
        bar = self.full * filled + self.empty * (BAR_CELLS - filled)
        line = f"Exporting {bar} {round(done * 100):3d}%  {PHASES.get(what, what)}"
        line = line[: max(0, self.width - 1)]
        if line != self.shown:
            self.stream.write("\r" + line + "\x1b[K")
            self.stream.flush()
            self.shown = line

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = ""


def cmd_export_audio(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from timer_app.core.durations import format_elapsed
    from timer_app.export.formats import FORMATS, format_for

    target: Path = args.audio
    if args.output is not None:
        raise CliError("give -o FILE (the routine as a file) or --audio FILE, not both", 2)
    if format_for(target) is None:
        given = f"'{target.suffix}'" if target.suffix else "no suffix"
        raise CliError(
            f"cannot tell the audio format of {shown_path(target)} ({given}): "
            f"end the name in {', '.join(FORMATS)}",
            2,
        )
    _check_target(target)
    settings = _settings(args, err)
    choice = voice_choice(args, settings.voice_choice)
    plan, _ = load_plan(args, err)
    title = plan.routine.title
    if plan.overrides.describe():
        title += f" ({plan.overrides.describe()})"
    started = time.perf_counter()
    cues = (args.cues or settings.cues, settings.cue_volume)
    exported = _export(plan, target, title, choice, cues, err)
    took = time.perf_counter() - started
    chapters = len(exported.chapters)
    print(
        f"Wrote {shown_path(exported.path)}: {exported.format.name}, "
        f"{format_elapsed(exported.duration)}, {chapters} chapter{'s' if chapters != 1 else ''}"
        f" (in {took:.1f} s, {exported.duration / max(took, 1e-3):.0f}\u00d7 real time)",
        file=out,
    )
    if exported.cue_sheet is not None:
        print(f"Chapters for players that read them: {shown_path(exported.cue_sheet)}", file=out)
    return 0


def _check_target(target: Path) -> None:
    """Say at once what would stop the file being written, before any work is done."""
    from timer_app.export.formats import cue_sheet_of

    if target.is_dir():
        raise CliError(f"{shown_path(target)} is a folder; give a file name in it")
    if not target.parent.is_dir():
        raise CliError(
            f"cannot write {shown_path(target)}: there is no folder {shown_path(target.parent)}"
        )
    for path in (target, cue_sheet_of(target)):
        if path is not None and path.exists():
            raise CliError(f"{shown_path(path)} already exists; give another file name")


def _settings(args: argparse.Namespace, err: TextIO) -> Settings:
    """The settings, with the get-ready time put in `args` as `run` takes it (the command
    line wins)."""
    settings, _ = settings_for(err)
    if args.prepare is None and settings.prepare is not None:
        args.prepare = settings.prepare
    return settings


def _export(
    plan: Plan,
    target: Path,
    title: str,
    choice: VoiceChoice,
    cue_set: tuple[str, Mapping[str, int]],
    err: TextIO,
) -> Exported:
    """Export with the settings' cue set, at their cue volumes (`cue_set`), and `choice`."""
    from timer_app.export.audio import (
        ExportError,
        SpeechFailed,
        default_cues,
        default_voice,
        export_audio,
    )
    from timer_app.sound.voices import check_choice

    cues = default_cues(lambda notice: print(f"note: {notice}", file=err), *cue_set)
    voice = default_voice()
    if voice is not None:
        # A voice the engine does not know speaks in its default one, said in one note.
        choice, notice = check_choice(voice, choice)
        if notice is not None:
            print(f"note: {notice}", file=err)
    bar = ProgressBar(err) if err.isatty() else None

    def write(voice: SpeechEngine | None) -> Exported:
        if bar is None:
            return export_audio(plan, target, cues=cues, voice=voice, choice=choice, title=title)
        return export_audio(
            plan, target, cues=cues, voice=voice, choice=choice, title=title, progress=bar
        )

    try:
        if voice is None:
            exported = write(None)
            why = "no speech engine (espeak-ng) is installed"
        else:
            try:
                return write(voice)
            except SpeechFailed as error:
                exported = write(None)
                why = str(error)
        if bar is not None:
            bar.clear()
        print(f"note: {why}: {CUES_ALONE}", file=err)
        return exported
    except ExportError as error:
        raise CliError(str(error)) from None
    except FileExistsError:
        raise CliError(f"{shown_path(target)} already exists; give another file name") from None
    except OSError as error:
        why = error.strerror or str(error)
        raise CliError(f"cannot write {shown_path(target)}: {why}") from None
    finally:
        if bar is not None:
            bar.clear()

"""Provides `export_audio`: a whole session written as one audio file with chapters.

The file's timeline: the safety note, spoken, then `SAFETY_GAP` of silence, rounded up to the
next whole second; that is the `lead`. The session's own time 0 (its first cue) falls at
`lead`, and every cue and prompt at `lead` plus its session time. The session's plan ends at
`lead + plan.total`; the closing fanfare and "Routine complete." start there, so the file runs
on by their length (`Exported.tail`). Without a speech engine there is no safety note: `lead`
is 0 and the file holds the cues alone.

The cues and the voice are parameters (`cues`, `voice`), so another cue set or voice can be
exported; by default, the cues a session plays today and the speech engine it speaks with.
"""

from __future__ import annotations

import math
import time
from array import array
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from timer_app.config.choices import DEFAULT_CUE_SET
from timer_app.config.safety import SAFETY_NOTE
from timer_app.core.plan import Plan
from timer_app.export.chapters import Chapter, chapters_of, cue_sheet
from timer_app.export.formats import (
    FORMATS,
    AudioFormat,
    cue_sheet_of,
    encode,
    format_for,
    tag,
)
from timer_app.export.timeline import Timeline, record_session
from timer_app.session.prompts import FINISHED, prompts_of
from timer_app.sound.backend import RATE
from timer_app.sound.notice import Notice
from timer_app.sound.rendered import RenderedPrompts
from timer_app.sound.speech import ENGINES, SpeechEngine, find_engine

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from timer_app.config.voice import VoiceChoice

__all__ = [
    "SAFETY_GAP",
    "ExportError",
    "Exported",
    "SpeechFailed",
    "default_cues",
    "default_voice",
    "export_audio",
    "safety_words",
]

SAFETY_GAP = 1.5
"""Seconds of silence, at least, between the spoken safety note and the session's first cue."""
RENDER_TIMEOUT = 120.0
"""Seconds the speech engine may take for all of a session's prompts before export gives up."""
FADE = 0.005
"""Seconds over which a cut sound fades out, as the device's player does (no click)."""

Progress = Callable[[str, float], None]
"""Told what is being done ("speech", "timeline", "encoding") and the share of all of it done."""


class ExportError(Exception):
    """A problem to tell the person in one line; no file was written."""


class SpeechFailed(ExportError):
    """The speech engine failed on a prompt: export again without it, rather than write a
    file that leaves a prompt out."""


@dataclass(frozen=True)
class Exported:
    """What was written."""

    path: Path
    format: AudioFormat
    duration: float
    """Seconds of audio in the file."""
    lead: float
    """Seconds before the session's time 0: the spoken safety note and its gap (0 without)."""
    tail: float
    """Seconds after the plan's end: the closing sounds."""
    chapters: tuple[Chapter, ...]
    timeline: Timeline
    speech: bool
    """The prompts and the safety note are spoken in it."""
    cue_sheet: Path | None = None
    """The chapters beside a WAV file."""


def safety_words() -> str:
    """The safety note as it is said: its lines joined into one breath."""
    return " ".join(SAFETY_NOTE.split())


def default_cues(
    notify: Callable[[Notice], None],
    cue_set: str = DEFAULT_CUE_SET,
    cue_volume: Mapping[str, int] | None = None,
) -> dict[str, array[int]]:
    """The cues a session plays today: the built-in ones of `cue_set`, or the user's own files
    instead, each cue at its `cue_volume` (percent; 100 where not given)."""
    from timer_app.core.paths import config_dir, cue_set_dir
    from timer_app.sound.player import at_volumes
    from timer_app.sound.wav import load_cues

    cues = load_cues(
        builtin_dir=cue_set_dir(cue_set), user_dir=config_dir() / "sounds", notify=notify
    )
    return at_volumes(cues, cue_volume or {})


def default_voice() -> SpeechEngine | None:
    """The speech engine a session speaks with that can also write speech to a file (espeak-ng
    first), with the same options; None when none is installed."""
    for engine in ENGINES:
        if engine.record is not None:
            found = find_engine([engine.name])
            if found is not None:
                return found
    return None


def export_audio(
    plan: Plan,
    target: Path,
    *,
    title: str,
    cues: Mapping[str, array[int]] | None = None,
    voice: SpeechEngine | Literal["default"] | None = "default",
    choice: VoiceChoice | None = None,
    progress: Progress = lambda what, done: None,
) -> Exported:
    """Write the session of `plan` to `target`, in the format its suffix names.

    `cues`: each cue's samples by name (mono, 16-bit, `RATE`); None: `default_cues()`, the
    cues a session plays today (their notices unsaid: pass them to hear those).
    `voice`: the speech engine that says the prompts and the safety note; "default":
    `default_voice()`; None: the cues alone, with no safety note. A voice that fails on any
    prompt raises SpeechFailed rather than leave that prompt out. `choice`: the voice, rate
    and pitch it speaks with, as a session's (None: the default).
    Raises ExportError for an unknown suffix, FileExistsError when `target` (or the cue sheet
    beside a WAV) exists, OSError when it cannot be written; nothing is left behind then.
    """
    from timer_app.routines.writer import new_file

    if cues is None:
        cues = default_cues(lambda notice: None)
    if voice == "default":
        voice = default_voice()
    fmt = format_for(target)
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        raise ExportError(
            f"cannot tell the format from {target.suffix or 'no suffix'}: use {known}"
        )
    sheet = cue_sheet_of(target)
    for path in (target, sheet):
        if path is not None and path.exists():
            raise FileExistsError(path)
    # The file is made first: a folder that refuses it says so before any work is done.
    with new_file(target) as temporary:
        timeline, safety = _timeline(plan, cues, voice, choice, progress)
        lead = 0.0 if safety is None else math.ceil(len(safety) / RATE + SAFETY_GAP)
        mixed = _mix(timeline, lead, safety)
        duration = len(mixed) / RATE
        chapters = chapters_of(plan, lead=lead, length=duration)
        start = 0.55 if voice is not None else 0.1
        encode(
            mixed,
            RATE,
            temporary,
            fmt,
            title=title,
            progress=lambda done: progress("encoding", start + (0.99 - start) * done),
        )
        tag(temporary, fmt, title=title, chapters=chapters)
        if sheet is not None:
            with new_file(sheet) as sheet_file:
                sheet_file.write_text(cue_sheet(target.name, title, chapters), encoding="utf-8")
    progress("done", 1.0)
    return Exported(
        target,
        fmt,
        duration,
        lead,
        duration - lead - plan.total,
        chapters,
        timeline,
        safety is not None,
        sheet,
    )


def _timeline(
    plan: Plan,
    cues: Mapping[str, array[int]],
    voice: SpeechEngine | None,
    choice: VoiceChoice | None,
    progress: Progress,
) -> tuple[Timeline, array[int] | None]:
    """The session's timeline, and the spoken safety note (None without a voice)."""
    if voice is None:
        progress("timeline", 0.0)
        return record_session(plan, cues), None
    speech, safety = _render_speech(plan, voice, choice, progress)
    try:
        progress("timeline", 0.5)
        return record_session(plan, cues, speech, voice), safety
    finally:
        speech.close()


def _render_speech(
    plan: Plan, voice: SpeechEngine, choice: VoiceChoice | None, progress: Progress
) -> tuple[RenderedPrompts, array[int]]:
    """Every prompt of the session and the safety note, rendered by `voice` as `choice`."""
    safety = safety_words()
    texts = list(dict.fromkeys([safety, *(t for t in prompts_of(plan) if t), FINISHED]))
    rendered = RenderedPrompts(voice, choice=choice, keep=len(texts) + 1)
    try:
        rendered.want(texts)
        deadline = time.monotonic() + RENDER_TIMEOUT
        while True:
            done = sum(rendered.ready(text) for text in texts)
            progress("speech", 0.5 * done / len(texts))
            if done == len(texts):
                break
            if time.monotonic() > deadline:
                raise SpeechFailed(f"{voice.name} took over {RENDER_TIMEOUT:g} s to speak")
            time.sleep(0.02)
        failed = [text for text in texts if rendered.get(text) is None]
        if failed:
            raise SpeechFailed(f"{voice.name} could not say \u201c{failed[0]}\u201d")
        samples = rendered.get(safety)
        assert samples is not None
    except BaseException:
        rendered.close()
        raise
    return rendered, samples


def _mix(timeline: Timeline, lead: float, safety: array[int] | None) -> npt.NDArray[np.int16]:
    """The file's samples: the safety note, then every sound at `lead` + its time, summed."""
    import numpy as np

    length = round((lead + timeline.length) * RATE)
    mix = np.zeros(length, dtype=np.float32)
    if safety is not None:
        mix[: len(safety)] += np.frombuffer(safety, dtype=np.int16)
    fade = round(FADE * RATE)
    for sound in timeline.sounds:
        at = round((lead + sound.start) * RATE)
        count = min(len(sound.samples), round((sound.end - sound.start) * RATE), length - at)
        if count <= 0:
            continue
        part = np.frombuffer(sound.samples, dtype=np.int16)[:count].astype(np.float32)
        if sound.cut:
            ramp = min(fade, count)
            part[count - ramp :] *= np.linspace(1.0, 0.0, ramp, dtype=np.float32)
        mix[at : at + count] += part
    clipped: npt.NDArray[np.int16] = np.clip(mix, -32768, 32767).astype(np.int16)
    return clipped

"""Provides the chapters of an exported session, from its plan, and the `.cue` sheet written
beside a WAV file (which has no chapters of its own that players read)."""

from __future__ import annotations

from dataclasses import dataclass

from timer_app.core.plan import Plan
from timer_app.core.text import safe_text

__all__ = ["SAFETY_CHAPTER", "Chapter", "chapters_of", "cue_sheet", "timestamp"]

SAFETY_CHAPTER = "Safety note"
"""The title of the chapter before the session, where the safety note is said."""


@dataclass(frozen=True)
class Chapter:
    """One chapter of the file, in seconds from the file's start."""

    title: str
    start: float
    end: float


def chapters_of(plan: Plan, *, lead: float, length: float) -> tuple[Chapter, ...]:
    """One chapter per exercise, named and timed from the plan, moved on by `lead` (the
    spoken safety note, which gets a chapter of its own when there is one); the last runs to
    `length`, the end of the file, so its closing sounds belong to it."""
    chapters: list[Chapter] = []
    if lead > 0:
        chapters.append(Chapter(SAFETY_CHAPTER, 0.0, lead))
    spans = [plan.spans[entry] for entry in sorted(plan.spans)]
    for number, span in enumerate(spans):
        step = span.first
        title = step.exercise.name
        if step.rounds > 1:
            title += f" ({step.round_text()})"
        end = length if number == len(spans) - 1 else lead + span.end
        chapters.append(Chapter(_one_line(title), lead + span.start, end))
    return tuple(chapters)


def _one_line(text: str) -> str:
    return " ".join(safe_text(text).split())


def timestamp(seconds: float) -> str:
    """`HH:MM:SS.mmm`, as Ogg's CHAPTERxxx comments write a time."""
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    return f"{hours:02d}:{minutes:02d}:{millis // 1000:02d}.{millis % 1000:03d}"


def _cue_time(seconds: float) -> str:
    # A cue sheet counts in CD frames, 75 to the second, as MM:SS:FF.
    frames = round(seconds * 75)
    minutes, frames = divmod(frames, 75 * 60)
    return f"{minutes:02d}:{frames // 75:02d}:{frames % 75:02d}"


def _quoted(text: str) -> str:
    # A cue sheet has no way to escape a double quote inside a quoted field.
    return '"' + text.replace('"', "'") + '"'


def cue_sheet(audio_name: str, title: str, chapters: tuple[Chapter, ...]) -> str:
    """A cue sheet that makes each chapter a track of the WAV file `audio_name`."""
    lines = [
        'REM COMMENT "stretch-timer"',
        f"TITLE {_quoted(_one_line(title))}",
        f"FILE {_quoted(audio_name)} WAVE",
    ]
    for number, chapter in enumerate(chapters, 1):
        lines += [
            f"  TRACK {number:02d} AUDIO",
            f"    TITLE {_quoted(chapter.title)}",
            f"    INDEX 01 {_cue_time(chapter.start)}",
        ]
    return "\n".join(lines) + "\n"

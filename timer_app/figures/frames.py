"""Provides the figure a session step shows: which keyframe goes with which kind of step, and
each keyframe drawn in braille at a size, drawn once and kept.

A view asks for a frame when its step comes; the same exercise, pose, side and size is drawn
only the first time, so tempo reps that switch between two poses every few seconds cost a look
up, not a drawing.
"""

from __future__ import annotations

from functools import lru_cache

from timer_app.core.figure import Figure
from timer_app.core.model import Exercise
from timer_app.core.steps import StepKind
from timer_app.figures.dots import dots
from timer_app.figures.generic import figure_of
from timer_app.figures.scene import draw

__all__ = ["POSE_OF_KIND", "frame", "side_words"]

POSE_OF_KIND: dict[StepKind, str] = {
    "prepare": "start",
    "rest": "start",
    "switch": "start",
    "hold": "stretch",
    "timed": "stretch",
    "on": "stretch",
    "off": "release",
}
"""The keyframe each kind of step shows: getting into place shows the start, a hold the
stretch, and tempo reps move between the stretch (pressure on) and the release (off)."""


def side_words(side: str | None) -> str:
    """What the figure says about the side it shows ("" for an exercise done once)."""
    return f"{side} side" if side else ""


def frame(exercise: Exercise, pose: str, side: str | None, columns: int, rows: int) -> list[str]:
    """The exercise's keyframe `pose` ("start", "stretch" or "release") for `side`, in `rows`
    lines of `columns` characters; the right side is the left's mirror image."""
    if columns < 1 or rows < 1:
        return []
    return list(_frame(figure_of(exercise), exercise.position, pose, side, columns, rows))


@lru_cache(maxsize=128)
def _frame(
    figure: Figure, position: str, pose: str, side: str | None, columns: int, rows: int
) -> tuple[str, ...]:
    poses = {"start": figure.start, "stretch": figure.stretch, "release": figure.released}
    return tuple(dots(draw(figure, position, side), poses[pose], columns, rows))

"""Provides `FigureView`: an exercise's figure in braille, as large as its box allows, with the
side it shows said under it. A thin view over `timer_app.figures.frames`, which draws it."""

from __future__ import annotations

from typing import ClassVar

from textual.content import Content
from textual.widget import Widget

from timer_app.core.model import Exercise
from timer_app.figures.frames import frame, side_words


class FigureView(Widget):
    """One keyframe of one exercise; repaints only when what it shows changes.

    Drawn when painted, from a cache: a figure that is hidden (no room, figures off) is never
    drawn, and one seen before costs nothing to show again.
    """

    DEFAULT_CSS: ClassVar[str] = """
    FigureView {
        width: 30;
        height: 8;
        color: $text;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.showing: tuple[Exercise, str, str | None] | None = None
        """The exercise, keyframe and side shown; None: nothing yet."""

    def show(
        self, exercise: Exercise | None, pose: str = "stretch", side: str | None = None
    ) -> None:
        """Show the exercise's keyframe `pose` for `side` (None: show nothing)."""
        showing = None if exercise is None else (exercise, pose, side)
        if showing == self.showing:
            return
        self.showing = showing
        # Its size is set by CSS: a new pose repaints the figure, never lays out the screen.
        self.refresh()

    def render(self) -> Content:
        if self.showing is None:
            return Content("")
        exercise, pose, side = self.showing
        width, height = self.content_size
        label = side_words(side)
        lines = frame(exercise, pose, side, width, height - (1 if label else 0))
        if label:
            lines.append(label.center(width).rstrip())
        return Content("\n".join(line.rstrip() for line in lines))

"""Provides `Meter`, a one-line progress bar that repaints only when a cell changes.

Textual's ProgressBar keeps a timer of its own for its ETA; a session shows two bars for
half an hour, so this lighter bar keeps the session's CPU cost down.
"""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget

FULL = "\u2501"


class Meter(Widget):
    """A horizontal bar showing `done` out of `total`."""

    DEFAULT_CSS = """
    Meter {
        height: 1;
        width: 1fr;
        min-width: 4;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._total = 1.0
        self._done = 0.0
        self._cells = -1

    def set(self, done: float, total: float | None = None) -> None:
        """Show `done` of `total` (the previous total when not given)."""
        if total is not None:
            self._total = max(total, 1e-9)
        self._done = min(max(done, 0.0), self._total)
        cells = self._filled(self.size.width)
        if cells != self._cells:
            self._cells = cells
            self.refresh()

    def _filled(self, width: int) -> int:
        return round(width * self._done / self._total)

    def render(self) -> Content:
        width = self.size.width
        filled = self._filled(width)
        return Content.assemble(
            Content.styled(FULL * filled, "$accent"),
            Content.styled(FULL * (width - filled), "$panel-lighten-2"),
        )

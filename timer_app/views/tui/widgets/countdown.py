"""Provides the big countdown: large digits, or plain text where there is no room for them."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center
from textual.widget import Widget
from textual.widgets import Digits, Static

from timer_app.core.durations import format_clock


class Countdown(Widget):
    """Shows whole seconds left as m:ss; repaints only when the shown text changes."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text = ""

    def compose(self) -> ComposeResult:
        with Center():
            yield Digits("", id="digits")
        yield Static("", id="countdown-text", markup=False)

    def on_mount(self) -> None:
        self._digits = self.query_one("#digits", Digits)
        self._plain = self.query_one("#countdown-text", Static)

    def show(self, seconds: float) -> None:
        text = format_clock(seconds)
        if text == self.text:
            return
        self.text = text
        self._digits.update(text)
        # The text stands in one centred line of its own; its size never changes.
        self._plain.update(text, layout=False)

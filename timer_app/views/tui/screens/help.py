"""Provides the help screen: every key of the current screen, as the user has mapped them."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class HelpScreen(ModalScreen[None]):
    """Lists keys and what they do; any of escape, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close", show=False)
    ]

    def __init__(self, rows: list[tuple[str, str]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        key_width = max((len(key) for key, _ in self.rows), default=0)
        lines = "\n".join(f"{key.rjust(key_width)}  {what}" for key, what in self.rows)
        with Vertical(classes="dialog", id="help-dialog"):
            yield Static("Keys", classes="dialog-title")
            with VerticalScroll():
                yield Static(lines, markup=False, id="help-keys")
            yield Static("Press escape to close.", classes="dialog-hint")

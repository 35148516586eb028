"""Provides the help screen: every key of the current screen, as the user has mapped them."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class HelpScreen(ModalScreen[None]):
    """Lists keys and what they do; any of escape, q, ? or F1 closes it.

    The list scrolls (arrows, page keys, the mouse wheel) when the terminal is too short to
    show it all.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        # Also the keys that open it: ? (or F1, where ? types into a filter).
        Binding("escape,q,question_mark,f1", "dismiss", "Close", show=False)
    ]

    def __init__(self, rows: list[tuple[str, str]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        # The title and how to close sit in the border, so they stay in view as the list
        # scrolls within whatever height the terminal has.
        with VerticalScroll(classes="dialog", id="help-dialog") as dialog:
            dialog.border_title = "Keys"
            dialog.border_subtitle = "Esc closes"
            with Grid(id="help-keys"):
                for keys, what in self.rows:
                    yield Static(keys, markup=False, classes="help-key")
                    yield Static(what, markup=False, classes="help-what")

"""Provides the safety note a user acknowledges before their first session."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from timer_app.config.safety import NOT_ADVICE, SAFETY_NOTE
from timer_app.views.tui.widgets.keybar import KeyBar


class SafetyScreen(ModalScreen[bool]):
    """Shows the safety note; dismisses with True once the user says they have read it, and
    with False when they would rather leave (the app then ends, and the note shows again).

    There is deliberately no way past it but acknowledging: the note is short, and it matters.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        # A priority binding, so Enter acknowledges whatever has focus; it is the one answer.
        Binding("enter", "dismiss(True)", "I understand", priority=True),
        Binding("q,escape", "dismiss(False)", "Leave"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="safety-dialog", classes="dialog") as dialog:
            # The keys, in the border so that they show however short the terminal (and under
            # `stretch run`, where there is no screen underneath with keys of its own).
            dialog.border_subtitle = "Enter: I understand \u00b7 q or Esc: leave"
            yield Static("Before you start", classes="dialog-title")
            yield Static(SAFETY_NOTE, markup=False, id="safety-text")
            yield Static(NOT_ADVICE, markup=False, classes="dialog-hint")
            yield Button("I understand", variant="primary", id="acknowledge")
        # This screen's own keys, in place of those of the screen underneath, which do nothing.
        yield KeyBar(palette=False)

    def on_mount(self) -> None:
        self.query_one("#acknowledge", Button).focus()

    def on_resize(self) -> None:
        # On a short terminal the button gives its rows to the note; Enter does what it does.
        self.set_class(self.size.height < 24, "-short")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(True)

"""Provides the safety note a user acknowledges before their first session."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from timer_app.config.safety import SAFETY_NOTE


class SafetyScreen(ModalScreen[bool]):
    """Shows the safety note; dismisses with True once the user says they have read it.

    There is deliberately no way past it but the button: the note is short, and it matters.
    """

    def compose(self) -> ComposeResult:
        with Vertical(id="safety-dialog", classes="dialog"):
            yield Static("Before you start", classes="dialog-title")
            yield Static(SAFETY_NOTE, markup=False, id="safety-text")
            yield Static(
                "These routines are general education, not medical advice or a treatment plan.",
                markup=False,
                classes="dialog-hint",
            )
            yield Button("I understand", variant="primary", id="acknowledge")

    def on_mount(self) -> None:
        self.query_one("#acknowledge", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(True)

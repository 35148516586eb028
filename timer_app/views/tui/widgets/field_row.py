"""Provides `FieldRow`: a labelled one-line field with what is wrong with its value below it."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

PROBLEM_MARK = "\u26a0"
"""Starts a problem's line (⚠), so it reads as one without colour."""


class FieldLine(Horizontal):
    """A label and its field on one line; while the field has the focus the line has the
    class `-focus`, which marks the label (reversed, so it shows without colour)."""

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self.add_class("-focus")

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self.remove_class("-focus")


class FieldRow(Vertical):
    """A label, a one-line input (its id is `field_id`; the row's is `field_id-row`), and a
    line under them saying in the file format's words what is wrong, shown only while
    something is."""

    def __init__(
        self,
        label: str,
        field_id: str,
        value: str = "",
        *,
        placeholder: str = "",
        tooltip: str | None = None,
        max_length: int = 12,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=f"{field_id}-row", classes=f"field-row {classes or ''}".strip())
        self.label = label
        self.field_id = field_id
        self.value = value
        self.placeholder = placeholder
        self.input_tooltip = tooltip
        self.max_length = max_length

    def compose(self) -> ComposeResult:
        with FieldLine(classes="field-line"):
            yield Label(self.label, classes="field-label", markup=False)
            yield Input(
                self.value,
                placeholder=self.placeholder,
                id=self.field_id,
                max_length=self.max_length,
                tooltip=self.input_tooltip,
                compact=True,
            )
        yield Static("", classes="field-problem", markup=False)

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    def show_problem(self, problem: str | None) -> None:
        line = self.query_one(".field-problem", Static)
        line.update(f"{PROBLEM_MARK} {problem}" if problem else "")
        self.set_class(bool(problem), "-problem")

    def set_value(self, value: str) -> None:
        """Show a value without reporting it as typed (no Input.Changed)."""
        field = self.input
        if field.value != value:
            with field.prevent(Input.Changed):
                field.value = value

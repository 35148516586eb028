"""Provides `FieldRow`, a labelled one-line field, and `FieldArea`, a labelled box of lines,
each with what is wrong with its value below it."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, Static, TextArea

PROBLEM_MARK = "\u26a0"
"""Starts a problem's line (⚠), so it reads as one without colour."""


class MarksFocus:
    """Mixed into a container: while a field inside it has the focus, it has the class
    `-focus`, which marks its label (reversed, so it shows without colour)."""

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        assert isinstance(self, Widget)
        self.add_class("-focus")

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        assert isinstance(self, Widget)
        self.remove_class("-focus")


class FieldLine(MarksFocus, Horizontal):
    """A label and its field on one line; the label is marked while the field has the focus."""


class ProblemField(Vertical):
    """A field (its id is `field_id`; this container's is `field_id-row`) with a line under
    it saying in the file format's words what is wrong, shown only while something is."""

    def __init__(self, field_id: str, classes: str) -> None:
        super().__init__(id=f"{field_id}-row", classes=classes)
        self.field_id = field_id

    def show_problem(self, problem: str | None) -> None:
        line = self.query_one(".field-problem", Static)
        line.update(f"{PROBLEM_MARK} {problem}" if problem else "")
        self.set_class(bool(problem), "-problem")


class FieldRow(ProblemField):
    """A label and a one-line input, with the line that says what is wrong below them."""

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
        super().__init__(field_id, f"field-row {classes or ''}".strip())
        self.label = label
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

    def set_value(self, value: str) -> None:
        """Show a value without reporting it as typed (no Input.Changed)."""
        field = self.input
        if field.value != value:
            with field.prevent(Input.Changed):
                field.value = value


class FieldArea(MarksFocus, ProblemField):
    """A heading over a box for several lines, with the line that says what is wrong below;
    the heading is marked while the box has the focus, as a `FieldLine`'s label is."""

    def __init__(
        self,
        heading: str,
        field_id: str,
        text: str = "",
        *,
        placeholder: str = "",
        tooltip: str | None = None,
    ) -> None:
        super().__init__(field_id, "field-area")
        self.heading = heading
        self.text = text
        self.placeholder = placeholder
        self.area_tooltip = tooltip

    def compose(self) -> ComposeResult:
        yield Label(self.heading, classes="field-heading", markup=False)
        yield TextArea(
            self.text,
            id=self.field_id,
            compact=True,
            placeholder=self.placeholder,
            tooltip=self.area_tooltip,
        )
        yield Static("", classes="field-problem", markup=False)

    @property
    def area(self) -> TextArea:
        return self.query_one(TextArea)

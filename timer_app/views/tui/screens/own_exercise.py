"""Provides the form for an exercise of one's own: name, how to do it, position, sides."""

from __future__ import annotations

from collections.abc import Collection
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Select, TextArea

from timer_app.core.model import POSITION_TABLE, Exercise
from timer_app.routines.draft import own_exercise
from timer_app.routines.format import EXERCISE
from timer_app.views.tui.widgets.check import Check
from timer_app.views.tui.widgets.field_row import FieldArea, FieldLine, FieldRow

POSITION_OPTIONS = [(position.words.capitalize(), position.id) for position in POSITION_TABLE]


class OwnExerciseScreen(ModalScreen[Exercise | None]):
    """Makes (or changes) an exercise of the person's own; ctrl+s or the button keeps it.
    Problems are said under their field, in the file format's words."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", show=False),
        Binding("ctrl+s", "keep", "Keep", show=False, priority=True),
    ]

    def __init__(
        self, taken: Collection[str], exercise: Exercise | None = None, *, name: str = ""
    ) -> None:
        """`taken`: exercise ids in use; `exercise`: one of the person's own to change;
        `name`: the name to start a new one with."""
        super().__init__()
        self.taken = taken
        self.exercise = exercise
        self.start_name = name

    def compose(self) -> ComposeResult:
        exercise = self.exercise
        with Vertical(classes="dialog", id="own-dialog") as dialog:
            dialog.border_title = "Your own exercise"
            dialog.border_subtitle = "ctrl+s keeps \u00b7 Esc cancels"
            yield FieldRow(
                "Name",
                "own-name",
                exercise.name if exercise else self.start_name,
                max_length=EXERCISE.max_length("name"),
            )
            with FieldLine(classes="field-line"):
                yield Label("Position", classes="field-label")
                yield Select(
                    POSITION_OPTIONS,
                    id="own-position",
                    allow_blank=False,
                    value=exercise.position if exercise else "standing",
                    compact=True,
                )
            with FieldLine(classes="field-line"):
                yield Label("Sides", classes="field-label")
                yield Check(
                    "Done on each side",
                    exercise.per_side if exercise else False,
                    id="own-per-side",
                    compact=True,
                )
            yield FieldArea(
                "How to do it, one step a line:",
                "own-how-to",
                "\n".join(exercise.how_to) if exercise else "",
                placeholder="Sit tall.\nTurn slowly to one side.",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button(
                    "Keep" if exercise else "Add", variant="primary", id="own-keep", compact=True
                )
                yield Button("Cancel", id="own-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#own-name").focus()

    def on_resize(self) -> None:
        # A short terminal keeps the buttons in view with a smaller box for the steps.
        self.set_class(self.size.height < 20, "-short")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "own-keep":
            self.action_keep()
        else:
            self.dismiss(None)

    def action_keep(self) -> None:
        position = self.query_one("#own-position", Select).value
        exercise, problems = own_exercise(
            self.query_one(FieldRow).input.value,
            self.query_one("#own-how-to", TextArea).text.splitlines(),
            str(position),
            self.query_one("#own-per-side", Check).value,
            self.taken,
            exercise_id=self.exercise.id if self.exercise else None,
        )
        self.query_one(FieldRow).show_problem(problems.get("name"))
        self.query_one(FieldArea).show_problem(problems.get("how_to"))
        if exercise is None:
            self.app.bell()
            self.query_one("#own-name" if "name" in problems else "#own-how-to").focus()
            return
        self.dismiss(exercise)

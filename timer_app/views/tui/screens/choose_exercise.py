"""Provides the dialog that adds an exercise to a routine being built: one from the library,
found by typing part of its name, position or target, or one of the person's own."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList

from timer_app.core.model import POSITION_INFO, POSITIONS, Exercise
from timer_app.views.tui.screens.own_exercise import OwnExerciseScreen
from timer_app.views.tui.screens.traits import Traits
from timer_app.views.tui.widgets.figure import FigureView
from timer_app.views.tui.widgets.marked_list import FILTER_KEYS, MarkedList

OWN_OPTION = "+own"
"""The option that opens the form for an exercise of one's own (no exercise id has a +)."""


def exercise_words(exercise: Exercise) -> str:
    """What a filter is matched against: name, id, position (id and words), targets, kit."""
    position = POSITION_INFO[exercise.position]
    sides = "each side per side" if exercise.per_side else ""
    return " ".join(
        (
            exercise.name,
            exercise.id,
            position.id,
            position.words,
            sides,
            *exercise.targets,
            *exercise.equipment,
        )
    ).lower()


def exercise_details(exercise: Exercise) -> str:
    """The line under an exercise's name: position, sides, targets and equipment."""
    details = [POSITION_INFO[exercise.position].words]
    if exercise.per_side:
        details.append("each side")
    if exercise.targets:
        details.append(", ".join(exercise.targets))
    if exercise.equipment:
        details.append(", ".join(exercise.equipment))
    return " \u00b7 ".join(details)


FIGURE_HEIGHT_NEEDED = 22
"""Terminal rows from which the highlighted exercise's figure is shown under the list."""


class ChooseExerciseScreen(Traits, ModalScreen[Exercise | None]):
    """The library's exercises, by position, filtered by what is typed; Enter adds the one
    highlighted. The first option makes an exercise of one's own instead."""

    ENTER_WORDS: ClassVar[str | None] = "Add the highlighted exercise"
    """What Enter in the list or a field does here, for help."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Close", show=False),
    ]

    def __init__(self, exercises: Mapping[str, Exercise], taken: Collection[str]) -> None:
        """`taken`: exercise ids in use (the library's and the routine's), which an
        exercise of one's own must not take."""
        super().__init__()
        order = {position: number for number, position in enumerate(POSITIONS)}
        self.exercises = sorted(
            exercises.values(), key=lambda e: (order.get(e.position, 99), e.name.lower())
        )
        self.taken = taken
        self.shown: list[Exercise] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="choose-dialog") as dialog:
            dialog.border_title = "Add an exercise"
            dialog.border_subtitle = "Enter adds \u00b7 Esc closes"
            yield Input(
                placeholder="Type a name, position or target",
                id="choose-filter",
                select_on_focus=False,
                compact=True,
            )
            yield MarkedList(id="choose-list")
            yield FigureView(id="choose-figure")

    def on_resize(self) -> None:
        # Under the list where the screen is tall enough for both; else the list has it all.
        self.set_class(self.size.height >= FIGURE_HEIGHT_NEEDED, "-figure")

    @on(OptionList.OptionHighlighted, "#choose-list")
    def option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """The highlighted exercise's stretch (its left side, if it has sides)."""
        chosen = next((e for e in self.shown if e.id == event.option.id), None)
        side = "left" if chosen is not None and chosen.per_side else None
        self.query_one("#choose-figure", FigureView).show(chosen, "stretch", side)

    def on_mount(self) -> None:
        self.refresh_list()
        self.query_one("#choose-filter", Input).focus()

    def refresh_list(self) -> None:
        words = self.query_one("#choose-filter", Input).value.lower().split()
        shown = [e for e in self.exercises if all(w in exercise_words(e) for w in words)]
        # Those whose name has every word first, and of those, names that start with the first.
        first = words[0] if words else ""
        self.shown = sorted(
            shown,
            key=lambda e: (
                not all(w in e.name.lower() for w in words),
                not e.name.lower().startswith(first),
            ),
        )
        options: list[tuple[Content, str | None]] = [
            (Content("+ An exercise of your own\u2026"), OWN_OPTION)
        ]
        for exercise in self.shown:
            details = Content.styled(exercise_details(exercise), "dim")
            name = Content.styled(exercise.name, "bold")
            options.append((Content.assemble(name, "\n", details), exercise.id))
        # With a filter, the best match rather than "your own" is what Enter adds.
        self.query_one(MarkedList).show_options(options, 1 if words and self.shown else 0)

    @on(Input.Changed, "#choose-filter")
    def filter_changed(self) -> None:
        self.refresh_list()

    async def on_key(self, event: events.Key) -> None:
        if self.query_one("#choose-filter", Input).has_focus and event.key in FILTER_KEYS:
            event.stop()
            await self.query_one("#choose-list", OptionList).run_action(FILTER_KEYS[event.key])

    @on(Input.Submitted, "#choose-filter")
    def filter_submitted(self) -> None:
        options = self.query_one("#choose-list", OptionList)
        if options.highlighted is None:
            self.app.bell()
            return
        self.choose(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected, "#choose-list")
    def option_selected(self, event: OptionList.OptionSelected) -> None:
        self.choose(event.option.id)

    def choose(self, option_id: str | None) -> None:
        if option_id == OWN_OPTION:
            # What was typed and found nothing is likely the name of one's own.
            typed = self.query_one("#choose-filter", Input).value.strip()
            name = typed.capitalize() if typed and not self.shown else ""
            self.app.push_screen(OwnExerciseScreen(self.taken, name=name), self._own_made)
            return
        for exercise in self.shown:
            if exercise.id == option_id:
                self.dismiss(exercise)

    def _own_made(self, exercise: Exercise | None) -> None:
        if exercise is not None:
            self.dismiss(exercise)

"""Provides the picker's detail pane: a routine's summary, source, cautions and exercises."""

from __future__ import annotations

import textwrap

from textual import events
from textual.content import Content
from textual.widgets import Static

from timer_app.core.durations import format_clock
from timer_app.core.model import POSITION_INFO, Entry, Routine
from timer_app.core.plan import Plan, apply_overrides
from timer_app.core.plan_text import dosage_text


def positions_text(positions: tuple[str, ...]) -> str:
    """Positions as a person reads them: "lying on your back, sitting", not their ids."""
    return ", ".join(POSITION_INFO[position].words for position in positions)


def hanging(prefix: str, text: str, width: int) -> str:
    """`prefix` + `text` wrapped to `width` cells, its lines after the first indented under
    the text (a bullet's hanging indent): a wrapped caution stays in its column. With no width
    known yet (0), the one line is left to wrap as it will."""
    if width <= len(prefix) + 10:
        return prefix + text
    indent = " " * len(prefix)
    return textwrap.fill(
        text,
        width,
        initial_indent=prefix,
        subsequent_indent=indent,
        break_on_hyphens=False,
    )


class RoutineDetail(Static):
    """Everything a person needs to choose a routine, shown as literal text."""

    _plan: Plan | None = None
    _width = 0

    def on_resize(self, event: events.Resize) -> None:
        # Bullets are wrapped here, to the width there is, to keep their hanging indent.
        if self._plan is not None and self.content_size.width != self._width:
            self.show_plan(self._plan)

    def show_plan(self, plan: Plan) -> None:
        self._plan = plan
        self._width = width = self.content_size.width
        routine: Routine = plan.routine
        parts: list[Content] = [Content.styled(routine.title, "bold"), Content("\n")]
        if routine.summary:
            parts += [Content(routine.summary), Content("\n")]
        if routine.source:
            parts += [
                Content.styled("Source: ", "dim"),
                Content(str(routine.source)),
                Content("\n"),
            ]
        parts.append(
            Content(
                f"\n{format_clock(plan.total)} \u00b7 {positions_text(routine.positions)}"
                f" \u00b7 {', '.join(routine.equipment) or 'no equipment'}\n"
            )
        )
        if routine.suits:
            parts.append(Content(f"Suits: {', '.join(routine.suits)}\n"))
        if routine.cautions:
            parts.append(Content.styled("\nCautions\n", "bold $warning"))
            parts += [
                Content(hanging("\u2022 ", caution, width) + "\n") for caution in routine.cautions
            ]
        rounds = f" \u00d7 {plan.rounds} rounds" if plan.rounds > 1 else ""
        parts.append(Content.styled(f"\nExercises{rounds}\n", "bold"))
        for number, entry in enumerate(plan_entries(plan), start=1):
            exercise = entry.exercise
            parts.append(Content(f"{number}. {exercise.name}"))
            if entry.optional:
                parts.append(Content.styled(" (optional)", "italic"))
            parts.append(
                Content.styled(f"  {dosage_text(entry.dosage, exercise.per_side)}\n", "dim")
            )
            if entry.note:
                parts.append(Content(hanging("   Note: ", entry.note, width) + "\n"))
            parts += [
                Content.styled(
                    hanging("   \u26a0 Caution: ", caution, width) + "\n", "$text-warning"
                )
                for caution in exercise.cautions
            ]
        if plan.left_out:
            names = ", ".join(entry.exercise.name for entry in plan.left_out)
            parts.append(Content.styled(f"Left out (optional): {names}\n", "dim"))
        if routine.notes:
            parts.append(Content.styled("\nNotes\n", "bold"))
            parts += [Content(hanging("\u2022 ", note, width) + "\n") for note in routine.notes]
        self.update(Content.assemble(*parts))


def plan_entries(plan: Plan) -> list[Entry]:
    """The routine's entries as the plan will run them (with the user's adjustments), once:
    every round does the same."""
    one_round = plan.routine.entries[: plan.per_round]
    return [apply_overrides(entry, plan.overrides) for entry in one_round]

"""Provides the picker's detail pane: a routine's summary, source, cautions and exercises."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from timer_app.core.durations import format_clock
from timer_app.core.model import POSITION_INFO, Entry, Routine
from timer_app.core.plan import Plan, apply_overrides
from timer_app.core.plan_text import dosage_text


def positions_text(positions: tuple[str, ...]) -> str:
    """Positions as a person reads them: "lying on your back, sitting", not their ids."""
    return ", ".join(POSITION_INFO[position].words for position in positions)


class RoutineDetail(Static):
    """Everything a person needs to choose a routine, shown as literal text."""

    def show_plan(self, plan: Plan) -> None:
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
            parts += [Content(f"\u2022 {caution}\n") for caution in routine.cautions]
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
                parts.append(Content(f"   Note: {entry.note}\n"))
            parts += [
                Content.styled(f"   \u26a0 Caution: {caution}\n", "$text-warning")
                for caution in exercise.cautions
            ]
        if plan.left_out:
            names = ", ".join(entry.exercise.name for entry in plan.left_out)
            parts.append(Content.styled(f"Left out (optional): {names}\n", "dim"))
        if routine.notes:
            parts.append(Content.styled("\nNotes\n", "bold"))
            parts += [Content(f"\u2022 {note}\n") for note in routine.notes]
        self.update(Content.assemble(*parts))


def plan_entries(plan: Plan) -> list[Entry]:
    """The routine's entries as the plan will run them (with the user's adjustments), once:
    every round does the same."""
    one_round = plan.routine.entries[: plan.per_round]
    return [apply_overrides(entry, plan.overrides) for entry in one_round]

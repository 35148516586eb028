"""Formats a plan's steps as a plain text table, with its total: the one layout that
`stretch show` prints and the routine builder shows as you edit; and a dose in a few words,
as the picker, the builder and `stretch exercises` say it."""

from __future__ import annotations

import re
from collections.abc import Sequence

from timer_app.core.durations import format_clock, format_seconds
from timer_app.core.model import Dosage, Hold, Tempo
from timer_app.core.plan import Plan, Step
from timer_app.core.steps import ACTIVE_KINDS
from timer_app.core.wrap import wrap


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> str:
    """Align rows under headers; columns listed in `right` are right-aligned."""
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]

    def line(cells: Sequence[str]) -> str:
        out = [
            cell.rjust(size) if i in right else cell.ljust(size)
            for i, (cell, size) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(out).rstrip()

    return "\n".join([line(headers), *(line(row) for row in rows)])


def dosage_text(dosage: Dosage, per_side: bool, *, rest: bool = False) -> str:
    """A dose in a few words: `hold 30 s`, then the reps after a multiplication sign and
    `each side` (with `rest`: then `, 5 s rest`, where there is one); `10 reps: 2 s on, 2 s
    off`; `1 min continuous`."""
    side = " each side" if per_side else ""
    if isinstance(dosage, Hold):
        times = f" \u00d7 {dosage.reps}" if dosage.reps > 1 else ""
        pause = f", {format_seconds(dosage.rest)} rest" if rest and times and dosage.rest else ""
        return f"hold {format_seconds(dosage.seconds)}{times}{side}{pause}"
    if isinstance(dosage, Tempo):
        pause = f", {format_seconds(dosage.end_hold)} at the end" if dosage.end_hold else ""
        return (
            f"{dosage.reps} reps{side}: {format_seconds(dosage.on)} on, "
            f"{format_seconds(dosage.off)} off{pause}"
        )
    return f"{format_seconds(dosage.seconds)} continuous{side}"


def step_label(step: Step) -> str:
    if step.round_rest:
        return f"Rest before {step.round_text()}"
    optional = " (optional)" if step.optional and step.kind == "prepare" else ""
    return f"{step.phase}: {step.exercise.name}{optional}"


def step_notes(step: Step) -> list[str]:
    """Lines to print under a step's row: the move into position, and for an optional
    exercise, the cautions that decide whether to do it, where the person has to decide."""
    lines = []
    if step.move is not None:
        lines.append(step.move.cue)
    if step.optional and step.kind == "prepare":
        lines += [f"Caution: {caution}" for caution in step.exercise.cautions]
    return lines


MIN_STEP_WIDTH = 10
"""The least room `step_table` leaves the step's name when it must fit a width."""


def _hanging(line: str) -> str:
    """The indent that lines a wrapped how-to line up under its words: `1. ` or `Note: `."""
    found = re.match(r"\d+\. |Note: ", line)
    return " " * len(found[0]) if found else ""


def step_table(plan: Plan, width: int | None = None, *, details: bool = False) -> list[str]:
    """The steps as a table (start, step, side, rep, time, and the round when there are
    rounds), each get-ready or switch followed by what to do in it, on lines of their own.

    With `details`, each exercise's how-to and the routine's note on it follow its first
    get-ready (once, however many rounds). With `width`, the step's name wraps onto lines of
    its own within its column, down to `MIN_STEP_WIDTH`, and every line under a step wraps at
    word boundaries: the times stay in view and no word is cut.
    """
    rows = [
        [
            format_clock(step.start),
            step_label(step),
            step.side or "",
            f"{step.rep}/{step.reps}" if step.kind in ACTIVE_KINDS else "",
            f"{step.duration:g} s",
        ]
        for step in plan.steps
    ]
    headers = ["AT", "STEP", "SIDE", "REP", "TIME"]
    if plan.rounds > 1:
        # A round column only when there are rounds: one round reads as it always has.
        headers.insert(3, "ROUND")
        for step, cells in zip(plan.steps, rows, strict=True):
            cells.insert(3, f"{step.round}/{step.rounds}")
    right = [0, len(headers) - 1]
    names = [[cells[1]] for cells in rows]
    if width is not None and rows:
        widest = max(len(line) for line in table(headers, rows, right).split("\n"))
        if widest > width:
            step_width = max(len(cells[1]) for cells in rows)
            room = max(MIN_STEP_WIDTH, step_width - (widest - width))
            names = [wrap(cells[1], room) for cells in rows]
            for cells, name in zip(rows, names, strict=True):
                cells[1] = name[0]
    header, *row_lines = table(headers, rows, right).split("\n")
    lines = [header]
    # What to do in a get-ready or switch step goes on its own lines under the step's name.
    step_at = header.index("STEP")
    indent = " " * (step_at + 2)
    told: set[tuple[str, str | None]] = set()
    for step, row, name in zip(plan.steps, row_lines, names, strict=True):
        lines.append(row)
        lines.extend(" " * step_at + more for more in name[1:])
        for note in step_notes(step):
            lines += wrap(note, width, first=indent)
        if not details or step.round_rest:
            continue
        entry = plan.routine.entries[step.entry]
        if (entry.exercise.id, entry.note) in told:
            continue
        told.add((entry.exercise.id, entry.note))
        for line in plan.instructions(step.entry):
            lines += wrap(line, width, first=indent, rest=indent + _hanging(line))
    return lines


def total_line(plan: Plan) -> str:
    """`Total 3:05 in 10 steps`, with the rounds when there are more than one."""
    rounds = f", {plan.rounds} rounds" if plan.rounds > 1 else ""
    return f"Total {format_clock(plan.total)} in {len(plan.steps)} steps{rounds}"

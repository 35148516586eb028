"""Formats routines, exercises and plans as text tables: `stretch list`, `exercises`, `show`;
each fits the width it is given, broken at word boundaries (`core.wrap`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from timer_app.core.durations import format_clock
from timer_app.core.model import Dosage, Exercise, Hold, Routine, Tempo
from timer_app.core.plan import Move, Plan
from timer_app.core.plan_text import dosage_text, step_table, table, total_line
from timer_app.core.text import safe_text
from timer_app.core.wrap import wrap
from timer_app.routines.catalog import Library, Origin
from timer_app.routines.reading import default_dosage


def routine_summary(routine: Routine, plan: Plan) -> dict[str, Any]:
    """The fields `stretch list --json` gives for each routine."""
    source = routine.source
    return {
        "id": routine.id,
        "title": routine.title,
        "duration_s": plan.total,
        "positions": list(routine.positions),
        "equipment": list(routine.equipment),
        "floor_free": routine.floor_free,
        "suits": list(routine.suits),
        "source": None
        if source is None
        else {"title": source.title, "site": source.site, "author": source.author},
        "preset": routine.preset,
        "path": str(routine.path) if routine.path else None,
    }


def list_text(library: Library, plans: dict[str, Plan], width: int | None = None) -> str:
    """The routines as a table, or, where a table would not fit `width`, two lines each."""
    rows = []
    for routine_id, routine in sorted(library.routines.items()):
        if routine.source:
            source = routine.source.site
        else:
            source = "preset" if routine.preset else "your routine"
        rows.append(
            [
                routine_id,
                routine.title,
                format_clock(plans[routine_id].total),
                ", ".join(routine.positions),
                ", ".join(routine.equipment) or "-",
                source,
            ]
        )
    text = table(["ID", "TITLE", "TIME", "POSITIONS", "EQUIPMENT", "SOURCE"], rows, right=[2])
    if width is None or max(len(line) for line in text.splitlines()) <= width:
        return text
    # Narrow: every word still readable, the details on an indented second line.
    id_width = max(len(row[0]) for row in rows)
    indent = " " * (id_width + 9)
    lines = []
    for routine_id, title, time, positions, equipment, source in rows:
        head = f"{routine_id.ljust(id_width)}  {time.rjust(5)}  {title}"
        lines += wrap(head, width, rest=indent)
        kit = "" if equipment == "-" else f"; {equipment}"
        lines += wrap(f"{positions}{kit}; {source}", width, first="    ")
    return "\n".join(lines)


def dose_json(dose: Dosage) -> dict[str, Any]:
    """A dose as `--json` gives it: its `kind` (hold, tempo or timed) and its values, in
    seconds (`_s`) and reps."""
    if isinstance(dose, Hold):
        return {"kind": "hold", "hold_s": dose.seconds, "reps": dose.reps, "rest_s": dose.rest}
    if isinstance(dose, Tempo):
        return {
            "kind": "tempo",
            "reps": dose.reps,
            "pressure_on_s": dose.on,
            "end_hold_s": dose.end_hold,
            "pressure_off_s": dose.off,
        }
    return {"kind": "timed", "timed_s": dose.seconds}


def exercise_summary(exercise: Exercise, origin: Origin | None) -> dict[str, Any]:
    """The fields `stretch exercises --json` gives for each exercise; they stay stable:

    `id`, `name`, `position` (one of the positions a routine file may give), `per_side`
    (true: done on the left and on the right), `equipment` and `targets` (lists of words),
    `how_to` and `cautions` (lists of lines), `default_dose` (what a routine that names the
    exercise by bare id and sets no defaults gives it, the dose the presets give it; see
    `dose_json`), `preset` (true: ships with stretch-timer) and `path` (the file that defines
    it).
    """
    return {
        "id": exercise.id,
        "name": exercise.name,
        "position": exercise.position,
        "per_side": exercise.per_side,
        "equipment": list(exercise.equipment),
        "targets": list(exercise.targets),
        "how_to": list(exercise.how_to),
        "cautions": list(exercise.cautions),
        "default_dose": dose_json(default_dosage(exercise)),
        "preset": origin.preset if origin else False,
        "path": str(origin.path) if origin else None,
    }


def _home_path(path: Path) -> str:
    """A path as a person reads it: `~/.config/...` inside the home folder."""
    try:
        return safe_text(f"~/{path.relative_to(Path.home())}")
    except ValueError:
        return safe_text(str(path))


def exercises_text(
    exercises: Sequence[Exercise], origins: dict[str, Origin], width: int | None = None
) -> str:
    """The exercises as a table, or, where a table would not fit `width`, two lines each."""
    rows = []
    for exercise in exercises:
        origin = origins.get(exercise.id)
        rows.append(
            [
                exercise.id,
                exercise.name,
                exercise.position,
                "yes" if exercise.per_side else "no",
                ", ".join(exercise.equipment) or "-",
                dosage_text(default_dosage(exercise), exercise.per_side, rest=True),
                "built-in" if origin is None or origin.preset else _home_path(origin.path),
            ]
        )
    headers = ["ID", "NAME", "POSITION", "PER SIDE", "EQUIPMENT", "DEFAULT DOSE", "SOURCE"]
    text = table(headers, rows)
    if width is None or max(len(line) for line in text.splitlines()) <= width:
        return text
    lines = []
    for exercise_id, name, position, _, equipment, dose_words, source in rows:
        lines += wrap(f"{exercise_id}  {name}", width, rest="    ")
        kit = "" if equipment == "-" else f"; {equipment}"
        lines += wrap(f"{position}{kit}; {dose_words}; {source}", width, first="    ")
    return "\n".join(lines)


def move_json(move: Move | None) -> dict[str, Any] | None:
    if move is None:
        return None
    return {
        "cue": move.cue,
        "from": move.from_position,
        "to": move.to_position,
        "fetch": list(move.fetch),
        "minimum_s": move.minimum,
    }


def plan_json(plan: Plan) -> dict[str, Any]:
    """The plan as `stretch show --json` gives it."""
    return {
        "id": plan.routine.id,
        "title": plan.routine.title,
        "total_s": plan.total,
        "rounds": plan.rounds,
        "steps": [
            {
                "kind": step.kind,
                "exercise": step.exercise.id,
                "name": step.exercise.name,
                "side": step.side,
                "rep": step.rep,
                "reps": step.reps,
                "start_s": step.start,
                "duration_s": step.duration,
                "move": move_json(step.move),
                "optional": step.optional,
                "round": step.round,
                "entry": step.entry,
            }
            for step in plan.steps
        ],
        "left_out": [entry.exercise.id for entry in plan.left_out],
        "exercises": [
            {
                "entry": index,
                "id": entry.exercise.id,
                "name": entry.exercise.name,
                "how_to": list(entry.exercise.how_to),
                "note": entry.note,
                "cautions": list(entry.exercise.cautions),
                "optional": entry.optional,
            }
            for index, entry in enumerate(plan.routine.entries)
        ],
    }


def show_text(plan: Plan, width: int | None = None, *, brief: bool = False) -> str:
    """What `stretch show` prints: the routine, its cautions and notes, then the steps, each
    exercise's how-to and note under its first get-ready (not when `brief`); every line fits
    `width` (None: no limit), broken at word boundaries."""
    routine = plan.routine
    lines = wrap(f"{routine.title}  ({routine.id})", width)
    if routine.summary:
        lines += wrap(routine.summary, width)
    if routine.source:
        lines += wrap(f"Source: {routine.source}", width, rest="  ")
    lines += wrap(
        f"Positions: {', '.join(routine.positions)}    "
        f"Equipment: {', '.join(routine.equipment) or 'none'}",
        width,
        rest="  ",
    )
    if routine.suits:
        lines += wrap(f"Suits: {', '.join(routine.suits)}", width, rest="  ")
    if plan.overrides.describe():
        lines += wrap(f"Adjusted: {plan.overrides.describe()}", width, rest="  ")
    cautions = list(routine.cautions)
    exercises = {entry.exercise.id: entry.exercise for entry in routine.entries}
    cautions += [f"{e.name}: {caution}" for e in exercises.values() for caution in e.cautions]
    if cautions:
        lines.append("Cautions:")
        for caution in cautions:
            lines += wrap(caution, width, first="  - ")
    if routine.notes:
        lines.append("Notes:")
        for note in routine.notes:
            lines += wrap(note, width, first="  - ")
    # Every round repeats the routine's entries; each optional exercise is named once.
    optional = list(
        dict.fromkeys(entry.exercise.name for entry in routine.entries if entry.optional)
    )
    if optional:
        lines += wrap(
            f"Optional: {', '.join(optional)} (--skip-optional leaves them out)", width, rest="  "
        )
    if plan.left_out:
        names = ", ".join(entry.exercise.name for entry in plan.left_out)
        lines += wrap(f"Left out: {names}", width, rest="  ")
    lines.append("")
    lines += step_table(plan, width, details=not brief)
    lines.append("")
    lines += wrap(total_line(plan), width)
    return "\n".join(lines)

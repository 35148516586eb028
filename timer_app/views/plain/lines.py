"""Provides plain mode's words: the text of each line, from the plan and the engine's events.

Pure functions, so what a screen-reader user hears can be tested without a terminal. Only step
lines start with `[`; every other line is made safe from that by `note_text`.
"""

from __future__ import annotations

from collections.abc import Mapping

from timer_app.config.safety import SAFETY_NOTE
from timer_app.core.controls import PLAIN_CONTROLS, key_label, keys_for
from timer_app.core.durations import count_in_number, format_clock, format_elapsed
from timer_app.core.plan import Plan, Step
from timer_app.session.engine import Engine
from timer_app.session.words import event_line, span, summary_lines

__all__ = [
    "event_line",
    "format_elapsed",
    "get_ready_lines",
    "header_lines",
    "keys_lines",
    "note_text",
    "span",
    "status_text",
    "summary_lines",
]


def note_text(text: str) -> str:
    """A line that is not a step line: never starts with `[`, since scripts pick steps by it."""
    return text if not text.startswith("[") else " " + text


def keys_lines(remapped: Mapping[str, str], width: int) -> list[str]:
    """Every key, as the user has mapped them, in lines of at most `width` characters:
    `Keys: space/p pause, n/→ skip, ...`, broken only after a comma, so a key is never parted
    from what it does, and the lines after the first indented under the first key."""
    items = [
        f"{'/'.join(key_label(k) for k in keys_for(c, remapped))} {c.label.lower()}"
        for c in PLAIN_CONTROLS
    ]
    lines = ["Keys:"]
    for number, item in enumerate(items):
        text = item + ("," if number < len(items) - 1 else "")
        if len(lines[-1]) + 1 + len(text) > width and lines[-1].strip():
            lines.append("     ")
        lines[-1] += " " + text
    return lines


def header_lines(plan: Plan) -> list[str]:
    """What is said before the first step: the routine, what was changed, the safety note."""
    lines = [f"Routine: {plan.routine.title} ({format_clock(plan.total)})"]
    changes = plan.overrides.describe()
    if changes:
        lines.append(f"Changed for this session: {changes}")
    lines.extend(SAFETY_NOTE.splitlines())
    return lines


def get_ready_lines(plan: Plan, step: Step) -> list[str]:
    """Said under a get-ready step line: the move to make (a change of position, equipment to
    fetch), how to do the exercise, its note and its cautions.

    A screen-reader user hears these instead of reading the screen. Indented, so no line
    starts with `[` and each reads as belonging to the step above it.
    """
    lines = [f"    Move: {step.move.cue}"] if step.move is not None else []
    if step.kind != "prepare":
        return lines  # a switch of sides may need a move too (roll over, change legs)
    lines += [f"    {line}" for line in plan.instructions(step.entry)]
    lines.extend(f"    Caution: {caution}" for caution in step.exercise.cautions)
    return lines


def status_text(engine: Engine, pause_key: str) -> str:
    """The live status line under the steps on a terminal: what is counting down."""
    state = engine.state
    if state == "paused":
        return f"  PAUSED  {format_clock(engine.remaining())} left - {pause_key} resumes"
    if state == "counting-in" and engine.step is not None:
        left = count_in_number(engine.count_in_remaining())
        return (
            f"  RESUMING in {left}: {engine.step.phase_and_side()},"
            f" {format_clock(engine.remaining())} left"
        )
    if state == "running":
        return (
            f"  {format_clock(engine.remaining())} left"
            f"   session {format_clock(engine.session_remaining())} to go"
        )
    return ""

"""Provides plain mode's words: the text of each line, from the plan and the engine's events.

Pure functions, so what a screen-reader user hears can be tested without a terminal. Only step
lines start with `[`; every other line is made safe from that by `note_text`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from timer_app.config.safety import SAFETY_NOTE
from timer_app.core.controls import CONTROLS, key_label, keys_for
from timer_app.core.durations import count_in_number, format_clock
from timer_app.core.plan import Plan, Step
from timer_app.session.engine import Engine
from timer_app.session.events import (
    ClockJumped,
    Event,
    Extended,
    Finished,
    Paused,
    Resumed,
    Skipped,
    StepStarted,
    WentBack,
)

__all__ = [
    "event_line",
    "format_elapsed",
    "get_ready_lines",
    "header_lines",
    "keys_line",
    "note_text",
    "span",
    "status_text",
    "summary_lines",
]


def span(seconds: float) -> str:
    """A time in a summary, to the nearest second (format_clock rounds up, as countdowns must)."""
    return format_clock(round(seconds))


def format_elapsed(seconds: float) -> str:
    """Session time as `mm:ss` (minutes keep counting past the hour): `00:35`, `75:02`."""
    # Rounded to the microsecond first, so 34.9999999 (a float sum) still reads as 00:35.
    whole = max(0, math.floor(round(seconds, 6)))
    minutes, secs = divmod(whole, 60)
    return f"{minutes:02d}:{secs:02d}"


def note_text(text: str) -> str:
    """A line that is not a step line: never starts with `[`, since scripts pick steps by it."""
    return text if not text.startswith("[") else " " + text


def keys_line(remapped: Mapping[str, str]) -> str:
    """Every key, as the user has mapped them: `Keys: space/p pause, n/→ skip, ...`."""
    return "Keys: " + ", ".join(
        f"{'/'.join(key_label(k) for k in keys_for(c, remapped))} {c.label.lower()}"
        for c in CONTROLS
    )


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


def event_line(event: Event, *, pause_key: str | None) -> str | None:
    """The line for one event: a step line, a short notice, or None for events not said.

    `pause_key`: the key that resumes, when there is a keyboard to press it on.
    """
    if isinstance(event, StepStarted):
        return f"[{format_elapsed(event.at)}] {event.step.describe()}"
    if isinstance(event, ClockJumped):
        return (
            f"Paused: the timer was held up for {event.late_by:.0f} s past the end of a step,"
            " so this step starts again."
        )
    if isinstance(event, Paused):
        resume = f" Press {pause_key} to resume." if pause_key else ""
        return f"Paused with {format_clock(event.remaining)} left.{resume}"
    if isinstance(event, Resumed):
        if event.count_in > 0:
            return f"Resuming in {event.count_in:g} s: {event.step.phase_and_side()}."
        return "Resumed."
    if isinstance(event, Skipped):
        if event.to_entry is not None:
            return "Skipped to the next exercise."
        return "Skipped the last exercise."
    if isinstance(event, WentBack):
        return (
            "Starting the exercise again." if event.restarted else "Back to the previous exercise."
        )
    if isinstance(event, Extended):
        verb = "longer" if event.by > 0 else "shorter"
        return f"This step is {abs(event.by):g} s {verb}: {format_clock(event.remaining)} left."
    return None


def summary_lines(plan: Plan, finished: Finished | None, stopped_for: str | None) -> list[str]:
    """The summary: how the session ended, then one aligned row per exercise."""
    title = plan.routine.title
    if finished is None:
        return [f"Stopped: {title}."]
    time = span(finished.elapsed)
    if finished.completed:
        head = f"Finished: {title} in {time}"
    else:
        why = f" ({stopped_for})" if stopped_for else ""
        head = f"Stopped{why} after {time}: {title}"
    extras = []
    if finished.paused > 0:
        extras.append(f"paused {span(finished.paused)}")
    if finished.extended:
        extras.append(f"{finished.extended:+g} s extended")
    done = sum(1 for outcome in finished.outcomes if outcome.status == "done")
    lines = [
        head + (f" ({', '.join(extras)})" if extras else "") + ".",
        f"Exercises done: {done} of {len(finished.outcomes)}; stretching {span(finished.active)}.",
    ]
    width = max((len(o.exercise.name) for o in finished.outcomes), default=0)
    words = [outcome.status.replace("-", " ") for outcome in finished.outcomes]
    word_width = max((len(word) for word in words), default=0)
    for outcome, word in zip(finished.outcomes, words, strict=True):
        time_text = span(outcome.active)
        if outcome.status == "partial":
            time_text += f" of {span(outcome.planned_active)}"
        elif outcome.status in ("skipped", "not-reached"):
            time_text = ""
        row = f"  {word:<{max(8, word_width)}} {outcome.exercise.name:<{width}}  {time_text}"
        lines.append(row.rstrip())
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

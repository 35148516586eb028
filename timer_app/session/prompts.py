"""Provides what is said as each step starts: the spoken prompts.

The terminal's voice (`timer_app.sound`) says them, and the page that `--share` serves speaks
the same words; the rules live here, below both.
"""

from __future__ import annotations

import math

from timer_app.core.plan import Plan, Step

__all__ = [
    "COUNTED_ALOUD",
    "COUNT_MIN_STEP",
    "FINISHED",
    "HALFWAY_SAY_MIN",
    "REP_MIN_HOLD",
    "count_text",
    "counted_aloud",
    "halfway_text",
    "intro_text",
    "prompt_for",
    "prompts_of",
    "says_halfway",
    "timely_texts",
]

COUNT_MIN_STEP = 1.5
"""A tempo step shorter than this has no time for its rep number to be spoken."""
REP_MIN_HOLD = 3.0
FINISHED = "Routine complete."
"""Said after the fanfare when a routine is done."""
HALFWAY_SAY_MIN = 45.0
"""A hold this long or longer may have the time left said at its halfway point
(`say_halfway` in settings); a shorter one has only the halfway cue."""
COUNTED_ALOUD = frozenset({"hold", "timed", "rest"})
"""The steps whose last 3 seconds `count_last: aloud` says; a get-ready keeps its ticks, the
count-in to the stretch."""


def count_text(seconds: int) -> str:
    """What is said for one second of a count: "3." (the same words as a tempo rep's number,
    so one rendering serves both)."""
    return f"{seconds}."


def counted_aloud(step: Step) -> bool:
    return step.kind in COUNTED_ALOUD


def halfway_text(left: float) -> str:
    """What is said halfway through a long hold, e.g. "Halfway. 30 seconds to go." """
    return f"Halfway. {_seconds(round(left))} to go."


def says_halfway(step: Step) -> bool:
    """A hold (or timed stretch) long enough to have its time left said at halfway."""
    return step.kind in ("hold", "timed") and step.duration >= HALFWAY_SAY_MIN


def timely_texts(plan: Plan, *, count: bool, halfway: bool) -> tuple[tuple[str, ...], ...]:
    """By step index, what may be said during each step as its time runs out: the halfway
    time left (as planned: a step made longer or shorter says its own), and the count's
    words, when asked for."""
    words = tuple(count_text(k) for k in (3, 2, 1)) if count else ()
    return tuple(
        (
            *((halfway_text(step.duration / 2),) if halfway and says_halfway(step) else ()),
            *(words if counted_aloud(step) else ()),
        )
        for step in plan.steps
    )


def prompt_for(step: Step, new_exercise: bool, plan: Plan | None) -> tuple[str | None, float]:
    """The words said as `step` starts, and for how many seconds they stay worth saying (a
    prompt later than that is dropped rather than spoken behind the timer)."""
    # A change of position is said too: the person may not be looking at the screen.
    # First where to be, then what to do there.
    move = f"{step.move.cue} " if step.move is not None else ""
    if new_exercise:
        return move + intro_text(step, plan), max(1.0, min(3.0, step.duration / 2))
    if step.kind == "switch":
        side = f", {step.side} side" if step.side else ""
        return f"Switch sides{side}. {move}".rstrip(), 1.0
    if step.kind in ("hold", "timed") and step.rep > 1 and step.duration >= REP_MIN_HOLD:
        return f"Rep {step.rep} of {step.reps}.", 0.8
    if step.kind == "on" and step.duration >= COUNT_MIN_STEP:
        return f"{step.rep}.", 0.3
    return None, 0.0


def prompts_of(plan: Plan) -> tuple[str | None, ...]:
    """What is said as each step of `plan` starts when reached in order, by step index."""
    spans = plan.spans
    return tuple(
        prompt_for(step, spans[step.entry].first.index == step.index, plan)[0]
        for step in plan.steps
    )


def _seconds(value: float) -> str:
    if value >= 60 and value % 60 == 0:
        minutes = int(value // 60)
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    whole = math.isclose(value, round(value))
    number = f"{round(value)}" if whole else f"{value:g}"
    return f"{number} second{'' if number == '1' else 's'}"


def intro_text(step: Step, plan: Plan | None = None) -> str:
    """What is said as an exercise starts, e.g. "Knee to chest, left side, hold 30 seconds,
    2 reps." The dosage comes from the plan's first stretching step of the exercise."""
    parts = [step.exercise.name]
    if step.side:
        parts.append(f"{step.side} side")
    if plan is not None:
        stretches = plan.span_of(step).stretches
        active = stretches[0] if stretches else None
        if active is not None and active.kind == "hold":
            parts.append(f"hold {_seconds(active.duration)}")
        elif active is not None and active.kind == "timed":
            parts.append(_seconds(active.duration))
        if active is not None and active.reps > 1:
            parts.append(f"{active.reps} reps")
    return ", ".join(parts) + "."

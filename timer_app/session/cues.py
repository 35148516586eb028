"""Provides the cues by name and which one each engine event calls for.

The terminal's sound (`timer_app.sound`) and the page that `--share` serves play the same cues
by these same rules; each has its own way of making them heard.
"""

from __future__ import annotations

from timer_app.config.choices import CUES
from timer_app.core.plan import Step
from timer_app.core.steps import KINDS
from timer_app.session.events import CountIn, Cue, Event, Finished, Paused, Resumed, StepStarted

__all__ = [
    "CUES",
    "cue_for_event",
    "cue_for_step",
]


def cue_for_step(step: Step) -> str:
    """The cue played when `step` starts (or starts running again after a count-in)."""
    return KINDS[step.kind].cue


def tick_for(seconds: int) -> str:
    # The last count before a boundary sounds a little different, so a person can tell "one"
    # from "three" without counting along from the start.
    return "tick-last" if seconds <= 1 else "tick"


def cue_for_event(event: Event) -> str | None:
    """The cue an event calls for on its own, or None.

    The listener adds what needs context from earlier events: "exercise done" before the next
    exercise's first step, and dropping cues that arrive too late to mean anything.
    """
    if isinstance(event, StepStarted):
        return cue_for_step(event.step)
    if isinstance(event, Cue):
        return tick_for(event.seconds) if event.kind == "countdown" else "halfway"
    if isinstance(event, CountIn):
        # The count-in ticks like a countdown; its end ("go") is the step starting for real.
        return tick_for(event.seconds) if event.seconds > 0 else cue_for_step(event.step)
    if isinstance(event, Resumed):
        # With a count-in the CountIn events speak for it; without one the step runs at once.
        return cue_for_step(event.step) if event.count_in <= 0 else None
    if isinstance(event, Paused):
        return "paused"
    if isinstance(event, Finished):
        # A stopped session ends without a fanfare: the person chose to stop.
        return "routine-complete" if event.completed else None
    return None

"""Provides the kinds of step a plan is made of, and what each one means: one table for all.

The engine reads which steps count down and which are stretching; the views read the words;
sound and the shared page read the cue that marks each start; the history counts the active
time. Adding a kind of step means adding one row here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["ACTIVE_KINDS", "KINDS", "StepKind", "StepKindInfo"]

StepKind = Literal["prepare", "hold", "rest", "switch", "on", "off", "timed"]


@dataclass(frozen=True)
class StepKindInfo:
    """What one kind of step is, for everyone who shows, times or records it."""

    word: str
    """How the step is named in a sentence or a table: "Get ready", "Switch sides"."""
    banner: str
    """The phase as the session screen shows it large. Pressure off is lower case on purpose:
    with pressure on and off alternating every few seconds, the case tells them apart."""
    active: bool
    """The person is stretching (counts as stretching time; a rep number is shown)."""
    countdown: bool
    """The last 3, 2, 1 seconds are knocked out."""
    halfway: bool
    """A long step gets a halfway cue."""
    cue: str
    """The sound cue that marks its start (see `timer_app.session.cues.CUES`)."""
    tempo: bool = False
    """A phase of a tempo rep: pressure on and off take turns every second or two."""


KINDS: dict[StepKind, StepKindInfo] = {
    "prepare": StepKindInfo("Get ready", "GET READY", False, True, False, "get-ready"),
    "hold": StepKindInfo("Hold", "HOLD", True, True, True, "hold"),
    "rest": StepKindInfo("Rest", "REST", False, False, False, "rest"),
    "switch": StepKindInfo("Switch sides", "SWITCH SIDES", False, False, False, "switch"),
    "on": StepKindInfo("Pressure on", "PRESSURE ON", True, False, False, "pressure-on", True),
    "off": StepKindInfo("Pressure off", "pressure off", True, False, False, "pressure-off", True),
    "timed": StepKindInfo("Stretch", "STRETCH", True, True, True, "hold"),
}

ACTIVE_KINDS: frozenset[StepKind] = frozenset(k for k, info in KINDS.items() if info.active)
"""Steps in which the person is stretching; the rest is getting ready, resting, switching."""

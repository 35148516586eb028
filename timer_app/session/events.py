"""Provides the events a session engine sends to its listeners (UI, sound, voice, history, plain).

Every event is a frozen dataclass with keyword-only fields. Times come in two forms:

- `at`: session time, in seconds since `SessionStarted` on the engine's clock. It includes
  pauses and count-ins, so it is what a person would read off a stopwatch started with the
  session. For step boundaries it is the planned instant (the previous deadline), not the moment
  the process happened to wake, so it does not pick up scheduling jitter.
- `deadline` and friends: absolute times on the engine's clock (`engine.clock.now()`), for a UI
  that computes `deadline - now` itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from timer_app.core.model import Exercise
from timer_app.core.plan import Step

__all__ = [
    "ClockJumped",
    "CountIn",
    "Cue",
    "Event",
    "ExerciseEnded",
    "ExerciseOutcome",
    "Extended",
    "Finished",
    "OutcomeStatus",
    "Paused",
    "Resumed",
    "SessionEvent",
    "SessionStarted",
    "SkipHeld",
    "Skipped",
    "StepEnd",
    "StepEnded",
    "StepStarted",
    "WentBack",
]

StepEnd = Literal["completed", "skipped", "cut"]
"""How a step ended: ran to its deadline; left by skip, back or restart; ended early by
`next_step()` or `stop()`."""

OutcomeStatus = Literal["done", "partial", "skipped", "not-reached"]
"""What became of an exercise: done in full; partly done; reached but skipped before any
stretching; or not reached, because the session stopped before it or before any of it was
stretched (during its get-ready, say)."""


@dataclass(frozen=True, kw_only=True)
class SessionEvent:
    """Base of all events."""

    at: float
    """Session time of the event, in seconds since the session started (see module docs)."""


@dataclass(frozen=True, kw_only=True)
class SessionStarted(SessionEvent):
    """The session began; the first `StepStarted` follows at once. (A session stopped before
    it began, while it waited to be started, sends only `Finished`.)"""

    clock_start: float
    """The engine clock's time at the start; `at` of later events is measured from it."""
    total: float
    """Planned length of the session in seconds."""
    steps: int
    """Number of steps in the plan."""


@dataclass(frozen=True, kw_only=True)
class StepStarted(SessionEvent):
    """A step became the current one (in plan order, or after skip, back or restart)."""

    step: Step
    new_exercise: bool
    """True when the session enters an exercise with this step: the session's first step, and
    any step of another exercise (routine entry) than the step before it, whether reached in
    plan order or by skip, back to the previous exercise, or `next_step` past an exercise's
    last step. An `ExerciseEnded` for the exercise before it has just been sent.

    False for the later steps of an exercise, and when the same exercise starts over
    (`restart_exercise`, or `back` within it; `WentBack.restarted` says so): starting over is
    another attempt within the same exercise, not a new one, so it ends nothing and its time
    counts towards the same outcome."""
    after_done: bool = False
    """True when this step begins an exercise just as the one before it ran to its end (its
    `ExerciseEnded.how` was "completed"): the moment for the "exercise done" cue. False after
    a skip, back, `next_step`, and at the session's first step."""
    deadline: float | None
    """When it will end on the engine clock; None while the session is paused (see `Paused`)."""
    remaining_steps: int
    """Steps still to do, counting this one."""
    session_remaining: float
    """Planned seconds left in the session, this whole step included."""


@dataclass(frozen=True, kw_only=True)
class Cue(SessionEvent):
    """A moment worth announcing inside a step.

    `countdown`: `seconds` (3, 2 or 1) are left in a prepare, hold or timed step (and a rest,
    when the engine counts rests); only counts shorter than the step are given. `halfway`:
    half of a hold or timed step of 20 s or more is done; `seconds` is what is left, rounded
    to whole seconds.
    """

    step: Step
    kind: Literal["countdown", "halfway"]
    seconds: int


@dataclass(frozen=True, kw_only=True)
class StepEnded(SessionEvent):
    """The current step is over."""

    step: Step
    how: StepEnd
    remaining: float
    """Seconds of the step that were not run (0 when completed)."""


@dataclass(frozen=True, kw_only=True)
class Paused(SessionEvent):
    """The session is paused; the step's remaining time is frozen."""

    step: Step
    remaining: float


@dataclass(frozen=True, kw_only=True)
class Resumed(SessionEvent):
    """The session resumes: first a count-in of `count_in` seconds (GET READY), then the step.

    During the count-in the step's time does not run; it restarts at `running_at`.
    """

    step: Step
    count_in: float
    running_at: float
    """Clock time when the count-in ends and the step's time runs again."""
    deadline: float
    """Clock time when the step will end."""


@dataclass(frozen=True, kw_only=True)
class CountIn(SessionEvent):
    """One whole second of a resume count-in: `seconds` (e.g. 3, 2, 1) are left before the step
    runs again; a UI shows GET READY, a voice can count. `seconds == 0` marks the end of the
    count-in: the step's time runs again from now ("go")."""

    step: Step
    seconds: int


@dataclass(frozen=True, kw_only=True)
class Skipped(SessionEvent):
    """`skip()` left exercise `from_entry`; `to_entry` is None when that was the last one."""

    from_entry: int
    to_entry: int | None


@dataclass(frozen=True, kw_only=True)
class SkipHeld(SessionEvent):
    """`skip()` came just after `step`'s exercise began by itself (within `SKIP_HOLD`), so it
    was not done: the key was most likely meant for the exercise that had just ended. The
    next skip goes through."""

    step: Step


@dataclass(frozen=True, kw_only=True)
class WentBack(SessionEvent):
    """`back()` or `restart_exercise()` moved to the start of exercise `to_entry`."""

    from_entry: int
    to_entry: int
    restarted: bool
    """True when the same exercise starts over, False when it went to the previous one."""


@dataclass(frozen=True, kw_only=True)
class Extended(SessionEvent):
    """The current step was lengthened (`by` > 0) or shortened (`by` < 0)."""

    step: Step
    by: float
    remaining: float
    """Seconds left in the step after the change."""
    deadline: float | None
    """The new end on the engine clock; None while paused."""


@dataclass(frozen=True, kw_only=True)
class ClockJumped(SessionEvent):
    """The process was frozen (Ctrl+Z, a debugger, a suspended VM) past a step's end.

    Instead of racing through the missed steps the engine pauses (a `Paused` event follows) and,
    on resume, does the interrupted step again from its start.
    """

    step: Step
    late_by: float
    """How far past the deadline the engine woke up."""
    lost: float
    """Seconds counted as paused instead of running: everything run of the step so far."""


@dataclass(frozen=True, kw_only=True)
class ExerciseOutcome:
    """What became of one exercise of the routine."""

    entry: int
    exercise: Exercise
    status: OutcomeStatus
    """`done`: every stretching step of it ran to the end; `skipped`: left before any of it
    was stretched; `not-reached`: the session stopped before it, or in it before any of it was
    stretched; `partial`: in between."""
    active: float
    """Seconds spent stretching it (hold, on, off and timed steps), pauses excluded."""
    planned_active: float
    """Seconds of stretching the plan has for it."""


@dataclass(frozen=True, kw_only=True)
class ExerciseEnded(SessionEvent):
    """The session left an exercise: its outcome so far.

    Sent once for each `StepStarted` with `new_exercise`, when the session leaves that exercise
    (in plan order, by skip, back, `next_step` or stop), right after the `StepEnded` of its last
    step and before anything else (`Skipped`, `WentBack`, the next `StepStarted`, `Finished`).
    Starting the same exercise over does not end it. An exercise the session never reached
    (after a stop) has no `ExerciseEnded`; `Finished.outcomes` has it as not reached.
    """

    outcome: ExerciseOutcome
    """What has become of the exercise, every attempt at it counted, as `Finished.outcomes`
    will have it unless the session comes back to it (then a later `ExerciseEnded` says more)."""
    how: StepEnd
    """How its last step ended: `completed` when it ran to its deadline, so the exercise was
    followed through to its end (whatever became of its earlier steps); `skipped` when left by
    skip or back; `cut` when `next_step` or `stop` ended it early."""


@dataclass(frozen=True, kw_only=True)
class Finished(SessionEvent):
    """The session is over; sent exactly once, always last.

    The times add up: `elapsed == running + paused + counting_in`, and
    `running == plan total + extended + redone - skipped`.
    """

    completed: bool
    """True when the end of the routine was reached, False after `stop()`."""
    outcomes: tuple[ExerciseOutcome, ...]
    elapsed: float
    """Seconds from start to finish, everything included."""
    running: float
    """Seconds the step clock ran (any kind of step)."""
    active: float
    """Seconds of that spent stretching (hold, on, off and timed steps)."""
    paused: float
    """Seconds paused, including time lost to a clock jump."""
    counting_in: float
    """Seconds spent in resume count-ins."""
    extended: float
    """Net seconds added by extend and shorten."""
    skipped: float
    """Planned seconds not run: skipped steps, and what was left of steps skipped or cut."""
    redone: float
    """Planned seconds run again because of back or restart."""
    began: bool = True
    """False for a session stopped before it began (while it waited to be started): the only
    event it sends, with every exercise not reached."""


Event = (
    SessionStarted
    | StepStarted
    | Cue
    | StepEnded
    | ExerciseEnded
    | Paused
    | Resumed
    | CountIn
    | Skipped
    | SkipHeld
    | WentBack
    | Extended
    | ClockJumped
    | Finished
)
"""Any event an engine sends."""

"""Compiles a routine (with the user's overrides) into a flat list of timed steps.

The session engine walks these steps; the compiler is pure, so a plan can be shown, tested and
timed without running anything.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from timer_app.core.durations import parse_duration
from timer_app.core.model import Entry, Exercise, Hold, Routine, Side, Tempo, Timed
from timer_app.core.steps import ACTIVE_KINDS, KINDS, StepKind


@dataclass(frozen=True)
class Limit:
    """The range one setting may take, wherever it is set: a routine file, the settings file,
    the command line or the picker."""

    minimum: float
    maximum: float | None = None
    """None: no upper limit."""
    whole: bool = False
    """A count (reps, days) rather than a duration in seconds."""

    def parse(self, text: str) -> float:
        """The value a person typed, or ValueError saying what is accepted."""
        if self.whole:
            try:
                value: float = int(text)
            except ValueError:
                raise ValueError(f"expected a whole number, got {text!r}") from None
        else:
            value = parse_duration(text)  # DurationError is a ValueError with a clear message
        if value < self.minimum or (self.maximum is not None and value > self.maximum):
            raise ValueError(self.describe())
        return value

    def describe(self) -> str:
        unit = "" if self.whole else " seconds"
        if self.maximum is None:
            return f"must be {self.minimum:g}{unit} or more"
        return f"must be from {self.minimum:g} to {self.maximum:g}{unit}"


HOLD_LIMIT = Limit(1, 3600)
"""A hold, or a timed stretch."""
PAUSE_LIMIT = Limit(0, 600)
"""Get-ready time and rests."""
REPS_LIMIT = Limit(1, 100, whole=True)


@dataclass(frozen=True)
class Overrides:
    """What the user changed for this session, on the command line or in the picker."""

    quick: bool = False
    """One held rep each (holds keep their length); tempo reps halved."""
    reps: int | None = None
    """Held reps per side, for every held exercise."""
    hold: float | None = None
    """Hold time for every held exercise."""
    prepare: float | None = None
    """Get-ready time before every exercise."""

    def describe(self) -> str:
        parts = []
        if self.quick:
            parts.append("quick: one hold each")
        if self.reps is not None:
            parts.append(f"{self.reps} reps")
        if self.hold is not None:
            parts.append(f"{self.hold:g} s holds")
        if self.prepare is not None:
            parts.append(f"{self.prepare:g} s to get ready")
        return ", ".join(parts)


@dataclass(frozen=True)
class Step:
    """One timed step of a session."""

    index: int
    kind: StepKind
    entry: int
    """Index of the exercise in the routine; skip and back move between these."""
    exercise: Exercise
    side: Side | None
    rep: int
    """The rep this step belongs to (for prepare, rest and switch: the rep that comes next)."""
    reps: int
    start: float
    """Seconds from the start of the session, as planned."""
    duration: float

    @property
    def end(self) -> float:
        return self.start + self.duration

    @property
    def phase(self) -> str:
        return KINDS[self.kind].word

    @property
    def is_last_rep(self) -> bool:
        return self.rep == self.reps

    def phase_and_side(self) -> str:
        """What the person does in this step, in a few words: `hold, left side`, `rest`."""
        side = f", {self.side} side" if self.side else ""
        return f"{self.phase.lower()}{side}"

    def describe(self) -> str:
        """One plain line for the step, e.g. `Knee to chest - left - hold 30 s (rep 1 of 3)`."""
        parts = [self.exercise.name]
        if self.side:
            parts.append(self.side)
        parts.append(f"{self.phase.lower()} {self.duration:g} s")
        text = " - ".join(parts)
        if self.kind in ACTIVE_KINDS and self.reps > 1:
            text += f" (rep {self.rep} of {self.reps})"
        return text


@dataclass(frozen=True)
class Plan:
    """The compiled steps of a routine, ready to run."""

    routine: Routine
    steps: tuple[Step, ...]
    overrides: Overrides = Overrides()

    @property
    def total(self) -> float:
        return self.steps[-1].end if self.steps else 0.0

    def first_step_of(self, entry: int) -> int:
        """Index of the first step of exercise `entry` (the end of the plan if there is none)."""
        for step in self.steps:
            if step.entry >= entry:
                return step.index
        return len(self.steps)


def apply_overrides(entry: Entry, overrides: Overrides) -> Entry:
    """Return the entry with the user's overrides applied."""
    dosage = entry.dosage
    if isinstance(dosage, Hold):
        reps = 1 if overrides.quick else dosage.reps
        if overrides.reps is not None:
            reps = overrides.reps
        dosage = Hold(overrides.hold or dosage.seconds, reps, dosage.rest)
    elif isinstance(dosage, Tempo) and overrides.quick:
        dosage = replace(dosage, reps=max(1, math.ceil(dosage.reps / 2)))
    prepare = entry.prepare if overrides.prepare is None else overrides.prepare
    return replace(entry, dosage=dosage, prepare=prepare)


def compile_plan(routine: Routine, overrides: Overrides = Overrides()) -> Plan:
    """Lay out every step of the routine in order, with start offsets."""
    builder = _Builder()
    for index, original in enumerate(routine.entries):
        entry = apply_overrides(original, overrides)
        builder.entry(index, entry)
    return Plan(routine, tuple(builder.steps), overrides)


class _Builder:
    def __init__(self) -> None:
        self.steps: list[Step] = []
        self.clock = 0.0

    def add(
        self,
        kind: StepKind,
        entry: int,
        exercise: Exercise,
        side: Side | None,
        rep: int,
        reps: int,
        duration: float,
    ) -> None:
        if duration <= 0:
            return
        self.steps.append(
            Step(len(self.steps), kind, entry, exercise, side, rep, reps, self.clock, duration)
        )
        # Round to the millisecond so long plans add up exactly as a person would add them.
        self.clock = round(self.clock + duration, 3)

    def entry(self, index: int, entry: Entry) -> None:
        exercise = entry.exercise
        dosage = entry.dosage
        reps = dosage.reps if isinstance(dosage, Hold | Tempo) else 1
        sides: tuple[Side | None, ...] = entry.sides()
        if entry.side_order == "alternate" and len(sides) == 2:
            order = [(side, rep) for rep in range(1, reps + 1) for side in sides]
        else:
            order = [(side, rep) for side in sides for rep in range(1, reps + 1)]
        self.add("prepare", index, exercise, order[0][0], 1, reps, entry.prepare)
        previous_side = order[0][0]
        for position, (side, rep) in enumerate(order):
            if position:
                if side != previous_side:
                    self.add("switch", index, exercise, side, rep, reps, entry.switch)
                elif isinstance(dosage, Hold):
                    self.add("rest", index, exercise, side, rep, reps, dosage.rest)
            previous_side = side
            if isinstance(dosage, Hold):
                self.add("hold", index, exercise, side, rep, reps, dosage.seconds)
            elif isinstance(dosage, Timed):
                self.add("timed", index, exercise, side, rep, reps, dosage.seconds)
            else:
                self.add("on", index, exercise, side, rep, reps, dosage.on)
                self.add("hold", index, exercise, side, rep, reps, dosage.end_hold)
                self.add("off", index, exercise, side, rep, reps, dosage.off)

"""Compiles a routine (with the user's overrides) into a flat list of timed steps.

The session engine walks these steps; the compiler is pure, so a plan can be shown, tested and
timed without running anything.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import cached_property

from timer_app.core.durations import parse_duration
from timer_app.core.model import (
    EQUIPMENT_CUES,
    FIXED_EQUIPMENT,
    POSITION_INFO,
    Entry,
    Exercise,
    Hold,
    MoveMinimums,
    Position,
    Routine,
    Side,
    Tempo,
    Timed,
)
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
ROUNDS_LIMIT = Limit(1, 10, whole=True)
"""Times the whole routine is done in one session."""
ROUND_REST = 30.0
"""Seconds of rest between rounds: time to breathe and shake out before starting over."""


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
    """Get-ready time before every exercise (a change of position, equipment to fetch or a
    switch that moves the body still gets its minimum, see `MoveMinimums`)."""
    skip_optional: bool = False
    """Leave out the exercises the routine marks optional."""
    rounds: int = 1
    """Times the whole routine is done, with `ROUND_REST` between rounds."""

    def describe(self) -> str:
        parts = []
        if self.skip_optional:
            parts.append("optional exercises left out")
        if self.quick:
            parts.append("quick: one hold each")
        if self.reps is not None:
            parts.append(f"{self.reps} reps")
        if self.hold is not None:
            parts.append(f"{self.hold:g} s holds")
        if self.prepare is not None:
            parts.append(f"{self.prepare:g} s to get ready")
        if self.rounds > 1:
            parts.append(f"{self.rounds} rounds")
        return ", ".join(parts)


@dataclass(frozen=True)
class Move:
    """What a person does during a get-ready or switch step to be in place for what comes next.

    Sessions are followed by ear as much as by eye, so `cue` is a complete instruction to show
    and to say aloud, and the step is given at least `minimum` seconds to do it in.
    """

    cue: str
    """One or two plain sentences, e.g. "Sit up on the edge of the bed, couch or a chair." or
    "Get a towel. Roll onto your back." or "Roll over onto your other side."."""
    to_position: str
    """The position id of the exercise that comes next."""
    from_position: str | None
    """The position id before the move; None before the first exercise. The same as
    `to_position` when only equipment changes or the person changes sides."""
    fetch: tuple[str, ...] = ()
    """Equipment ids the exercise needs that the previous one did not use."""
    minimum: float = 0.0
    """The least time the step was given for this move (0 when none applies)."""

    @property
    def changes_position(self) -> bool:
        return self.from_position != self.to_position


def plan_move(previous: Exercise | None, exercise: Exercise, minimums: MoveMinimums) -> Move | None:
    """The move into `exercise` after `previous` (None at the start); None when nothing moves."""
    to = POSITION_INFO[exercise.position]
    before = None if previous is None else POSITION_INFO[previous.position]
    at_hand: set[str] = set()
    if previous is not None:
        at_hand.update(previous.equipment)
        if previous.position == "seated":
            at_hand.add("chair")  # whatever they sat on, they are still sitting on it
    fetch = tuple(e for e in exercise.equipment if e not in at_hand)
    minimum = minimums.equipment if fetch else 0.0
    to_fetch = list(fetch)
    moves: list[str] = []
    if before is None or before.id != to.id:
        moves.append(_position_cue(before, to, "chair" in exercise.equipment))
        if to.id == "seated" and "chair" in to_fetch:
            to_fetch.remove("chair")  # the position cue names the chair already
        minimum = max(minimum, minimums.between(before, to))
    elif not fetch:
        return None
    # Fetch what you carry before moving; go to a wall or counter once in position.
    carried = [EQUIPMENT_CUES[e] for e in to_fetch if e not in FIXED_EQUIPMENT]
    places = [EQUIPMENT_CUES[e] for e in to_fetch if e in FIXED_EQUIPMENT]
    cue = " ".join(f"{sentence}." for sentence in (*carried, *moves, *places))
    return Move(cue, to.id, None if before is None else before.id, fetch, minimum)


def _position_cue(before: Position | None, to: Position, chair: bool) -> str:
    if to.id == "seated" and chair:
        return (
            "Get up and sit on a sturdy chair"
            if before and before.floor
            else "Sit on a sturdy chair"
        )
    # From hands and knees or kneeling you lie down rather than roll.
    if before is not None and before.floor and (before.lying or not to.lying):
        return to.from_floor
    return to.get_into


def switch_move(exercise: Exercise, minimums: MoveMinimums) -> Move | None:
    """The move between sides of `exercise`, when changing sides moves the whole body or sets
    the legs, the stance or the equipment up again; None when only the one limb moves."""
    position = POSITION_INFO[exercise.position]
    least = 0.0
    if position.other_side is not None:
        least = minimums.sides
    if exercise.other_side is not None:
        least = max(least, minimums.limbs)
    cue = exercise.other_side or position.other_side
    if cue is None:
        return None
    return Move(f"{cue.rstrip('.')}.", position.id, position.id, (), least)


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
    move: Move | None = None
    """On a get-ready or switch step: what to do to be in place for the exercise (a new
    position, equipment to fetch, the other side), with the cue to show and say. None when
    the person stays as they are."""
    optional: bool = False
    """The exercise is optional in its routine (`--skip-optional` leaves it out)."""
    round: int = 1
    """The round of the routine this step belongs to (a rest between rounds: the round that
    comes next)."""
    rounds: int = 1
    """Rounds in the session, so a step can say "round 2 of 3" on its own."""
    round_rest: bool = False
    """The rest between two rounds, rather than between reps of one exercise."""

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

    def round_text(self) -> str:
        """`round 2 of 3`; empty when the session is one round."""
        return f"round {self.round} of {self.rounds}" if self.rounds > 1 else ""

    def describe(self) -> str:
        """One plain line for the step, e.g. `Knee to chest - left - hold 30 s (rep 1 of 3)`,
        with `(round 2 of 3)` after it when the routine is done more than once."""
        if self.round_rest:
            return f"Rest before {self.round_text()} - {self.duration:g} s"
        parts = [self.exercise.name]
        if self.side:
            parts.append(self.side)
        parts.append(f"{self.phase.lower()} {self.duration:g} s")
        text = " - ".join(parts)
        if self.kind in ACTIVE_KINDS and self.reps > 1:
            text += f" (rep {self.rep} of {self.reps})"
        if self.rounds > 1:
            text += f" ({self.round_text()})"
        return text


@dataclass(frozen=True)
class ExerciseSpan:
    """Where one exercise (routine entry) sits in the plan: what views and listeners ask of
    it, worked out once here rather than again by each of them."""

    entry: int
    first: Step
    """Its first step (a get-ready, or the first stretch when it has none)."""
    last: Step
    """Its last step."""
    stretches: tuple[Step, ...]
    """Its stretching steps (holds, timed stretches, "pressure on"), in order: the time that
    counts as stretching, and the dose a prompt says."""
    moves: tuple[Move, ...]
    """The moves of its get-ready and switch steps (into position, to the other side)."""

    @property
    def start(self) -> float:
        return self.first.start

    @property
    def end(self) -> float:
        return self.last.end


@dataclass(frozen=True)
class Plan:
    """The compiled steps of a routine, ready to run."""

    routine: Routine
    """The routine as it runs: without the exercises `left_out`, and with its entries
    repeated once per round, so entry indices count only what the session does (each round's
    exercises are their own entries, numbered on, for skip, back, the summary and history)."""
    steps: tuple[Step, ...]
    overrides: Overrides = Overrides()
    left_out: tuple[Entry, ...] = ()
    """Optional exercises of the routine that `--skip-optional` left out."""
    rounds: int = 1
    """Times the routine is done; `routine.entries` holds every round's entries."""

    @property
    def per_round(self) -> int:
        """Exercises in one round."""
        return len(self.routine.entries) // self.rounds

    @property
    def total(self) -> float:
        return self.steps[-1].end if self.steps else 0.0

    def instructions(self, entry: int) -> list[str]:
        """How to do exercise `entry`, in numbered lines, then the routine's note on it: the
        words every view shows (plain mode says them, the app shows them)."""
        routine_entry = self.routine.entries[entry]
        lines = [f"{n}. {line}" for n, line in enumerate(routine_entry.exercise.how_to, 1)]
        if routine_entry.note:
            lines.append(f"Note: {routine_entry.note}")
        return lines

    @cached_property
    def spans(self) -> dict[int, ExerciseSpan]:
        """Each exercise's span, by entry (an exercise with no steps has none)."""
        by_entry: dict[int, list[Step]] = {}
        for step in self.steps:
            by_entry.setdefault(step.entry, []).append(step)
        return {
            entry: ExerciseSpan(
                entry,
                steps[0],
                steps[-1],
                tuple(s for s in steps if s.kind in ACTIVE_KINDS),
                tuple(s.move for s in steps if s.move is not None),
            )
            for entry, steps in by_entry.items()
        }

    def span_of(self, step: Step) -> ExerciseSpan:
        """The span of the exercise `step` belongs to."""
        return self.spans[step.entry]

    def first_step_of(self, entry: int) -> int:
        """Index of the first step of exercise `entry`, or of the next exercise that has steps
        (the end of the plan if there is none)."""
        for later in range(entry, max(self.spans, default=-1) + 1):
            if later in self.spans:
                return self.spans[later].first.index
        return len(self.steps)


@dataclass(frozen=True)
class Progress:
    """How a step's share of the plan fills: from plan time `start` to `end` as its time left
    runs down from `over` seconds to none. The page that `--share` serves works it out the
    same way, from the same three numbers."""

    start: float
    end: float
    over: float

    def done(self, remaining: float) -> float:
        """Plan time done with `remaining` seconds left of the step."""
        if self.over <= 0:
            return self.end
        ran = min(1.0, max(0.0, 1.0 - remaining / self.over))
        return self.start + (self.end - self.start) * ran


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
    if overrides.prepare is None:
        return replace(entry, dosage=dosage)
    return replace(entry, dosage=dosage, prepare=overrides.prepare, prepare_move=None)


def compile_plan(routine: Routine, overrides: Overrides = Overrides()) -> Plan:
    """Lay out every step of the routine in order, with start offsets.

    Get-ready and switch steps are given at least the time their move needs
    (`routine.moves`); the move is worked out here rather than when the file is read, because
    leaving optional exercises out changes which exercise comes before which.
    """
    left_out: tuple[Entry, ...] = ()
    if overrides.skip_optional:
        left_out = tuple(entry for entry in routine.entries if entry.optional)
        routine = replace(
            routine, entries=tuple(entry for entry in routine.entries if not entry.optional)
        )
    rounds = overrides.rounds
    one_round = routine.entries
    routine = replace(routine, entries=one_round * rounds)
    builder = _Builder(routine.moves, rounds)
    previous: Exercise | None = None
    for index, original in enumerate(routine.entries):
        entry = apply_overrides(original, overrides)
        if one_round and index and index % len(one_round) == 0:
            builder.round += 1
            builder.optional = False  # the rest is the round's, whatever exercise comes next
            builder.add("rest", index, entry.exercise, None, 1, 1, ROUND_REST, round_rest=True)
        builder.entry(index, entry, previous)
        previous = entry.exercise
    return Plan(routine, tuple(builder.steps), overrides, left_out, rounds)


class _Builder:
    def __init__(self, minimums: MoveMinimums, rounds: int = 1) -> None:
        self.steps: list[Step] = []
        self.clock = 0.0
        self.minimums = minimums
        self.optional = False
        self.round = 1
        self.rounds = rounds

    def add(
        self,
        kind: StepKind,
        entry: int,
        exercise: Exercise,
        side: Side | None,
        rep: int,
        reps: int,
        duration: float,
        move: Move | None = None,
        *,
        round_rest: bool = False,
    ) -> None:
        if duration <= 0:
            return
        self.steps.append(
            Step(
                len(self.steps),
                kind,
                entry,
                exercise,
                side,
                rep,
                reps,
                self.clock,
                duration,
                move,
                self.optional,
                self.round,
                self.rounds,
                round_rest,
            )
        )
        # Round to the millisecond so long plans add up exactly as a person would add them.
        self.clock = round(self.clock + duration, 3)

    def entry(self, index: int, entry: Entry, previous: Exercise | None) -> None:
        exercise = entry.exercise
        dosage = entry.dosage
        self.optional = entry.optional
        reps = dosage.reps if isinstance(dosage, Hold | Tempo) else 1
        sides: tuple[Side | None, ...] = entry.sides()
        alternating = entry.side_order == "alternate" and len(sides) == 2
        if alternating:
            order = [(side, rep) for rep in range(1, reps + 1) for side in sides]
        else:
            order = [(side, rep) for side in sides for rep in range(1, reps + 1)]
        move = plan_move(previous, exercise, self.minimums)
        moved = previous is None or previous.position != exercise.position
        prepare = entry.prepare_move if moved and entry.prepare_move is not None else entry.prepare
        if move is not None:
            prepare = max(prepare, move.minimum)
        self.add("prepare", index, exercise, order[0][0], 1, reps, prepare, move)
        other_side = switch_move(exercise, self.minimums)
        switch = entry.switch if other_side is None else max(entry.switch, other_side.minimum)
        previous_side, previous_rep = order[0]
        for position, (side, rep) in enumerate(order):
            if position:
                if alternating and isinstance(dosage, Hold) and rep != previous_rep:
                    # Alternating sides: a round of left and right is done; rest where you are
                    # (the side just held), then change sides for the next round.
                    self.add("rest", index, exercise, previous_side, rep, reps, dosage.rest)
                if side != previous_side:
                    self.add("switch", index, exercise, side, rep, reps, switch, other_side)
                elif isinstance(dosage, Hold):
                    self.add("rest", index, exercise, side, rep, reps, dosage.rest)
            previous_side, previous_rep = side, rep
            if isinstance(dosage, Hold):
                self.add("hold", index, exercise, side, rep, reps, dosage.seconds)
            elif isinstance(dosage, Timed):
                self.add("timed", index, exercise, side, rep, reps, dosage.seconds)
            else:
                self.add("on", index, exercise, side, rep, reps, dosage.on)
                self.add("hold", index, exercise, side, rep, reps, dosage.end_hold)
                self.add("off", index, exercise, side, rep, reps, dosage.off)

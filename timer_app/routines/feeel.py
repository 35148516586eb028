"""Turns a workout exported from Feeel (the open-source exercise app) into a routine.

Feeel 3 shares a workout as a `.feeel` file of JSON:

    {"feeelMetadataVersion": 300, "exerciseDbImport": "2023-02-17T20:00:00.000",
     "fullWorkout": {
       "workout": {"id": 7, "type": 1, "title": "...", "category": 0,
                   "countdownDuration": 5, "exerciseDuration": 30, "breakDuration": 10, ...},
       "workoutExercises": [{"workoutId": 7, "orderPosition": 0, "exercise": 1008,
                             "exerciseDuration": null, "breakDuration": null}, ...]}}

Exercises are named only by the id of Feeel's own exercise database (wger ids), so this module
keeps a table of the ones Feeel ships. Times are whole seconds: `countdownDuration` before the
first exercise, each exercise's own `exerciseDuration` and the `breakDuration` before it, or
the workout's when they are null. Feeel lists a stretch done on both sides as two exercises,
left and right; next to each other they become one exercise done per side here. Strength and
cardio moves (Feeel's are mostly those) have no match and are reported by name; the rest still
imports.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from timer_app.core.model import Entry, Exercise, Hold, Routine, Side, Timed
from timer_app.core.plan import HOLD_LIMIT, PAUSE_LIMIT, Limit
from timer_app.routines.problems import Problem

SWITCH_LIMIT = Limit(0, 120)
"""The range of `switch` in a routine file."""


@dataclass(frozen=True)
class FeeelExercise:
    """One exercise of Feeel's database, and what it becomes here."""

    name: str
    """Feeel's English name, for messages."""
    ours: str | None = None
    """The id of the matching exercise (the library's, or one of `OWN_EXERCISES`); None: none."""
    side: Side | None = None
    """For one of a left and right pair: which one this is."""
    dose: Literal["hold", "timed"] = "hold"
    """A stretch held still (`hold`), or a movement kept up for the time (`timed`)."""


FEEEL_EXERCISES: dict[int, FeeelExercise] = {
    # The stretches and gentle moves, which have a match.
    1002: FeeelExercise("Child's pose", "child-pose"),
    1010: FeeelExercise("Back neck stretch", "chin-to-chest"),
    1008: FeeelExercise("Lateral neck stretch (left)", "ear-to-shoulder", "left"),
    1009: FeeelExercise("Lateral neck stretch (right)", "ear-to-shoulder", "right"),
    1013: FeeelExercise("Levator scapulae stretch (left)", "levator-scapula-stretch", "left"),
    1014: FeeelExercise("Levator scapulae stretch (right)", "levator-scapula-stretch", "right"),
    1006: FeeelExercise("Chin tuck", "chin-tuck", dose="timed"),
    1007: FeeelExercise("Head turns", "head-turns", dose="timed"),
    570: FeeelExercise("Shoulder shrug", "shoulder-shrugs", dose="timed"),
    1004: FeeelExercise("Shoulder rotation forward", "shoulder-rolls-forward", dose="timed"),
    1005: FeeelExercise("Shoulder rotation backward", "shoulder-rolls-back", dose="timed"),
    # Neck moves the presets advise against (circles), or that we cannot describe as Feeel
    # means them: reported, never guessed.
    1011: FeeelExercise("Front neck stretch"),
    1015: FeeelExercise("Neck circles clockwise"),
    1016: FeeelExercise("Neck circles counterclockwise"),
    1017: FeeelExercise("Neck half circles"),
    1018: FeeelExercise("Head tilts"),
    # Strength and cardio.
    320: FeeelExercise("Jumping jacks"),
    718: FeeelExercise("Wall sit"),
    482: FeeelExercise("Push-ups"),
    167: FeeelExercise("Ab crunches"),
    981: FeeelExercise("Step-ups"),
    615: FeeelExercise("Squats"),
    -7: FeeelExercise("Chair dips"),
    458: FeeelExercise("Forearm plank"),
    983: FeeelExercise("High knees"),
    984: FeeelExercise("Lunges"),
    985: FeeelExercise("Push-up rotations"),
    580: FeeelExercise("Side plank (left)"),
    1019: FeeelExercise("Side plank (right)"),
    986: FeeelExercise("Side split squats (left)"),
    987: FeeelExercise("Side split squats (right)"),
    988: FeeelExercise("Bulgarian split squats (left)"),
    989: FeeelExercise("Bulgarian split squats (right)"),
    456: FeeelExercise("Pistol squats (left)"),
    1020: FeeelExercise("Pistol squats (right)"),
    990: FeeelExercise("Kneeling kickbacks"),
    702: FeeelExercise("Calf raises (left)"),
    1021: FeeelExercise("Calf raises (right)"),
    991: FeeelExercise("Split squats (left)"),
    992: FeeelExercise("Split squats (right)"),
    993: FeeelExercise("Jump rope"),
    994: FeeelExercise("Arm circles forward"),
    995: FeeelExercise("Arm circles backward"),
    454: FeeelExercise("Pike push-ups"),
    996: FeeelExercise("Mountain climbers"),
    997: FeeelExercise("Four-count burpees"),
    998: FeeelExercise("No-push-up burpees"),
    616: FeeelExercise("Squat thrusts"),
    999: FeeelExercise("Reverse lunges"),
    377: FeeelExercise("Leg raises"),
    1000: FeeelExercise("Floor dips"),
    1001: FeeelExercise("High plank"),
    475: FeeelExercise("Pull-up"),
    1003: FeeelExercise("Kettlebell deadlift"),
    632: FeeelExercise("Sumo squat"),
    1012: FeeelExercise("Alternating bicep curls"),
}
"""Feeel's bundled exercises by id (Feeel 3, `lib/db/bundled_exercises.dart`)."""

_NECK_CAUTION = "Move slowly and only as far as is comfortable; no circles, no quick moves."

OWN_EXERCISES: dict[str, Exercise] = {
    exercise.id: exercise
    for exercise in (
        Exercise(
            "chin-tuck",
            "Chin tuck",
            (
                "Sit tall and look straight ahead.",
                "Glide your chin straight back, as if making a double chin.",
                "Let it forward again, and repeat at an easy pace.",
            ),
            "seated",
            targets=("front of the neck", "upper back"),
            cautions=(_NECK_CAUTION,),
        ),
        Exercise(
            "head-turns",
            "Head turns",
            (
                "Sit tall, shoulders relaxed.",
                "Turn your head slowly to look over one shoulder.",
                "Come back through the middle and turn to the other side.",
            ),
            "seated",
            targets=("neck",),
            cautions=(_NECK_CAUTION,),
        ),
        Exercise(
            "shoulder-shrugs",
            "Shoulder shrugs",
            (
                "Sit or stand tall, arms hanging loose.",
                "Lift both shoulders toward your ears.",
                "Let them drop back down, and repeat.",
            ),
            "seated",
            targets=("shoulders", "upper trapezius"),
        ),
        Exercise(
            "shoulder-rolls-forward",
            "Shoulder rolls forward",
            (
                "Sit or stand tall, arms hanging loose.",
                "Draw slow circles with your shoulders: up, forward, down and back.",
            ),
            "seated",
            targets=("shoulders",),
        ),
        Exercise(
            "shoulder-rolls-back",
            "Shoulder rolls back",
            (
                "Sit or stand tall, arms hanging loose.",
                "Draw slow circles with your shoulders: up, back, down and forward.",
            ),
            "seated",
            targets=("shoulders", "upper back"),
        ),
    )
}
"""Exercises for Feeel's gentle moves that the library lacks, in our own words; an imported
routine defines the ones it uses in its own file."""

HOLD_REST = 5.0
"""Rest between held reps: unused, as Feeel holds each stretch once, but a hold has one."""
DEFAULT_SWITCH = 5.0
"""Time to change sides when Feeel lists only one side of a pair."""


@dataclass
class FeeelImport:
    """What a Feeel file became: the routine (None when nothing could be imported), the
    problems that stopped it, and what was left out or changed."""

    routine: Routine | None
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def is_feeel_export(data: object) -> bool:
    """Whether parsed JSON looks like a Feeel workout export."""
    return isinstance(data, dict) and isinstance(data.get("fullWorkout"), dict)


def routine_id_for(title: str) -> str:
    """A routine id made from a workout's title: `Desk break #2` -> `desk-break-2`."""
    words = re.findall(r"[a-z0-9]+", title.lower())
    return "-".join(words)[:60].strip("-") or "feeel-workout"


@dataclass(frozen=True)
class _Item:
    """One exercise of the workout, with its times resolved."""

    where: str
    exercise_id: int
    seconds: float
    break_before: float


def read_feeel(
    path: Path, data: Mapping[str, Any], library: Mapping[str, Exercise], routine_id: str
) -> FeeelImport:
    """The routine for a parsed Feeel export (see the module's docstring), named `routine_id`.

    `library` supplies the exercises Feeel's stretches map to. Problems and warnings name the
    item by its place in the JSON (`fullWorkout.workoutExercises[3]`): Feeel writes the file
    on one line, so a line number would say nothing.
    """
    return _Reader(path, library).read(data, routine_id)


class _Reader:
    def __init__(self, path: Path, library: Mapping[str, Exercise]) -> None:
        self.path = path
        self.library = library
        self.result = FeeelImport(None)

    def problem(self, where: str, message: str) -> None:
        self.result.problems.append(Problem(self.path, 0, 0, f"{where}: {message}"))

    def warning(self, where: str, message: str) -> None:
        self.result.warnings.append(Problem(self.path, 0, 0, f"{where}: {message}", warning=True))

    def read(self, data: Mapping[str, Any], routine_id: str) -> FeeelImport:
        full = data["fullWorkout"]
        workout = full.get("workout")
        items = full.get("workoutExercises")
        if not isinstance(workout, dict):
            self.problem("fullWorkout.workout", "missing: this is not a whole Feeel export")
            return self.result
        if not isinstance(items, list):
            self.problem("fullWorkout.workoutExercises", "missing: it lists no exercises")
            return self.result
        title = workout.get("title")
        if not isinstance(title, str) or not title.strip():
            self.problem("fullWorkout.workout.title", "missing: a workout needs a title")
            return self.result
        defaults: dict[str, float] = {}
        for key in ("countdownDuration", "exerciseDuration", "breakDuration"):
            value = workout.get(key)
            if isinstance(value, int) and _is_seconds(value):
                defaults[key] = float(value)
            else:
                self.problem(f"fullWorkout.workout.{key}", f"expected seconds, got {value!r}")
        if self.result.problems:
            return self.result
        resolved = self.items(items, defaults)
        if self.result.problems:
            return self.result
        entries, skipped = self.entries(resolved)
        if not entries:
            self.problem(
                "fullWorkout.workoutExercises",
                "none of the workout's exercises has a match in stretch-timer, so there is "
                "nothing to import",
            )
            return self.result
        notes = ["Imported from a Feeel workout: each exercise is done once, for Feeel's time."]
        if skipped:
            notes.append("Not imported, with no match here: " + ", ".join(skipped) + ".")
        self.result.routine = Routine(
            id=routine_id,
            title=title.strip()[:100].strip(),
            entries=tuple(entries),
            summary=f"The Feeel workout \u201c{title.strip()[:500]}\u201d, as a stretch routine.",
            notes=tuple(note[:300] for note in notes),
        )
        return self.result

    def items(self, items: list[Any], defaults: Mapping[str, float]) -> list[_Item]:
        """The workout's exercises in Feeel's order, with their times resolved."""
        indexed = [(i, item) for i, item in enumerate(items) if isinstance(item, dict)]
        for index in (i for i, item in enumerate(items) if not isinstance(item, dict)):
            self.problem(f"fullWorkout.workoutExercises[{index}]", "expected an exercise object")
        # Feeel keeps the order in `orderPosition`; a file written by hand may leave it out.
        indexed.sort(key=lambda pair: _order(pair[1].get("orderPosition"), pair[0]))
        resolved: list[_Item] = []
        for position, (index, item) in enumerate(indexed):
            where = f"fullWorkout.workoutExercises[{index}]"
            exercise_id = item.get("exercise")
            if isinstance(exercise_id, bool) or not isinstance(exercise_id, int):
                self.problem(f"{where}.exercise", f"expected an exercise id, got {exercise_id!r}")
                continue
            seconds = self.own_or_default(item, "exerciseDuration", defaults, where)
            if position == 0:
                gap: float | None = defaults["countdownDuration"]
            else:
                gap = self.own_or_default(item, "breakDuration", defaults, where)
            if seconds is not None and gap is not None:
                resolved.append(_Item(where, exercise_id, seconds, gap))
        return resolved

    def own_or_default(
        self, item: Mapping[str, Any], key: str, defaults: Mapping[str, float], where: str
    ) -> float | None:
        value = item.get(key)
        if value is None:
            return defaults[key]
        if not _is_seconds(value):
            self.problem(f"{where}.{key}", f"expected whole seconds or null, got {value!r}")
            return None
        return float(value)

    def entries(self, resolved: list[_Item]) -> tuple[list[Entry], list[str]]:
        """The routine's entries, and the names of the exercises left out."""
        entries: list[Entry] = []
        skipped: list[str] = []
        index = 0
        while index < len(resolved):
            item = resolved[index]
            known = FEEEL_EXERCISES.get(item.exercise_id)
            exercise = _ours(known, self.library)
            if known is None or exercise is None:
                name = known.name if known else "an exercise Feeel does not ship"
                reason = (
                    "stretch-timer has no exercise like it"
                    if known
                    else "it is not in Feeel's own exercise list"
                )
                self.warning(
                    item.where,
                    f"not imported: {name} (Feeel exercise {item.exercise_id}): {reason}",
                )
                skipped.append(name)
                index += 1
                continue
            partner = _partner(resolved, index, known)
            entries.append(self.entry(item, known, exercise, partner, first=not entries))
            index += 2 if partner is not None else 1
        return entries, skipped

    def entry(
        self,
        item: _Item,
        known: FeeelExercise,
        exercise: Exercise,
        partner: _Item | None,
        *,
        first: bool,
    ) -> Entry:
        seconds = self.within(item.seconds, HOLD_LIMIT, item.where, "exerciseDuration")
        switch = DEFAULT_SWITCH
        side_order = "left-first"
        if known.side is not None:
            side_order = f"{known.side}-first"
            if partner is None:
                self.warning(
                    item.where,
                    f"{known.name}: Feeel has only the {known.side} side here; "
                    "stretch-timer does both sides",
                )
            else:
                switch = self.within(
                    partner.break_before, SWITCH_LIMIT, partner.where, "breakDuration"
                )
                if partner.seconds != item.seconds:
                    self.warning(
                        partner.where,
                        f"{FEEEL_EXERCISES[partner.exercise_id].name}: {partner.seconds:g} s, "
                        f"but the other side has {item.seconds:g} s; both sides get "
                        f"{seconds:g} s",
                    )
        dosage = Hold(seconds, 1, HOLD_REST) if known.dose == "hold" else Timed(seconds)
        gap = self.within(item.break_before, PAUSE_LIMIT, item.where, "breakDuration")
        return Entry(
            exercise,
            dosage,
            prepare=gap,
            switch=switch,
            side_order=side_order,
            # The first exercise keeps Feeel's countdown whatever its position; later ones
            # get Feeel's break, and a move still gets the time it needs.
            prepare_move=None if first else gap,
        )

    def within(self, seconds: float, limit: Limit, where: str, key: str) -> float:
        """`seconds` brought within what a routine file allows, saying so when it changes."""
        low = limit.minimum
        high = limit.maximum if limit.maximum is not None else seconds
        kept = min(max(seconds, low), high)
        if kept != seconds:
            self.warning(
                f"{where}.{key}",
                f"{seconds:g} s is outside {low:g} to {high:g} s; using {kept:g} s",
            )
        return kept


def _is_seconds(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _order(value: object, fallback: int) -> tuple[int, int]:
    if isinstance(value, int) and not isinstance(value, bool):
        return (value, fallback)
    return (fallback, fallback)


def _ours(known: FeeelExercise | None, library: Mapping[str, Exercise]) -> Exercise | None:
    if known is None or known.ours is None:
        return None
    return library.get(known.ours) or OWN_EXERCISES.get(known.ours)


def _partner(items: list[_Item], index: int, known: FeeelExercise) -> _Item | None:
    """The other side of a left/right pair, when it comes straight after this one."""
    if known.side is None or index + 1 >= len(items):
        return None
    following = items[index + 1]
    other = FEEEL_EXERCISES.get(following.exercise_id)
    if other is None or other.ours != known.ours or other.side in (None, known.side):
        return None
    return following

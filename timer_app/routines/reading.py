"""Provides the reading of routine files: a file checked against the format's declarations
(`format.py`), then turned into model objects (exercises, routines), every problem located.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from timer_app.core.durations import format_seconds
from timer_app.core.figure import Figure, Pose, joint_problems
from timer_app.core.model import (
    Dosage,
    Entry,
    Exercise,
    Hold,
    MoveMinimums,
    Routine,
    Source,
    Tempo,
    Timed,
)
from timer_app.core.text import safe_text, slug
from timer_app.routines.fields import (
    Checker,
    Record,
    did_you_mean,
)
from timer_app.routines.format import (
    ALL_OPTIONAL,
    BUILTIN_DEFAULTS,
    DOSE_KINDS,
    POSE_PARTS,
    ROUTINE_FILE,
    SLUG,
)
from timer_app.routines.problems import FileProblems, Problem
from timer_app.routines.yamlfile import Mark, YNode, read_yaml


def default_dosage(exercise: Exercise) -> Dosage:
    """What `exercise` gets when a routine names it by bare id and sets no defaults: its own
    dose (for the library's, the presets'), else the built-in hold."""
    if exercise.dose is not None:
        return exercise.dose
    return Hold(BUILTIN_DEFAULTS["hold"], BUILTIN_DEFAULTS["reps"], BUILTIN_DEFAULTS["rest"])


def _usual_dosage(
    checker: Checker,
    entry: Record,
    exercise: Exercise,
    routine_defaults: dict[str, Any],
    where: str,
) -> Dosage | None:
    """An entry that gives no hold, tempo or timed: the exercise's own dose, with what the
    routine's `defaults` set, then the entry's reps and rest, over it."""
    usual = default_dosage(exercise)
    if isinstance(usual, Hold):
        defaults = {"hold": usual.seconds, "reps": usual.reps, "rest": usual.rest}
        return _dosage(checker, entry, {**defaults, **routine_defaults}, where)
    done_as = "tempo reps" if isinstance(usual, Tempo) else "a timed stretch"
    if "rest" in entry.marks:
        checker.problem(
            entry.mark_of("rest"),
            f"{where}: rest",
            f"applies to held reps only, and {exercise.id} is done as {done_as} (give `hold:`"
            " to hold it)",
        )
        return None
    if isinstance(usual, Timed):
        if "reps" in entry.marks:
            checker.problem(
                entry.mark_of("reps"),
                f"{where}: reps",
                f"{exercise.id} is done as a timed stretch, which has no reps (give `hold:` to"
                " hold it)",
            )
            return None
        return usual
    return Tempo(
        reps=entry.get("reps", routine_defaults.get("tempo_reps", usual.reps)),
        on=routine_defaults.get("pressure_on", usual.on),
        off=routine_defaults.get("pressure_off", usual.off),
        end_hold=usual.end_hold,
    )


@dataclass
class RoutineFile:
    """A checked file: its exercises, and for a routine the record to resolve against a pool."""

    path: Path
    record: Record | None
    exercises: dict[str, Exercise] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    """Accepted, but worth saying (`stretch validate` prints them)."""

    @property
    def is_routine(self) -> bool:
        return self.record is not None and (
            "sequence" in self.record.marks or "title" in self.record.marks
        )

    @property
    def id(self) -> str:
        if self.record is not None and "id" in self.record.values:
            return str(self.record.values["id"])
        return name_id(self.path)


def name_id(path: Path) -> str:
    """The id a routine file without `id:` gets: its name without `.yaml` or `.yml` (with any
    control characters made visible, as every text from a file is)."""
    return safe_text(path.stem)


def is_routine_id(text: str) -> bool:
    """Whether `text` may be written as `id:` (and so typed as `stretch run ID`)."""
    return len(text) <= 60 and re.fullmatch(SLUG, text) is not None


def name_id_warning(path: Path, mark: Mark) -> Problem | None:
    """The warning for a routine whose id comes from a file name that is not a valid id
    (`My Legs.yaml`): the routine loads, but under an id that is awkward to type, and that
    `stretch import` and the builder would not write. None when the name is a valid id."""
    stem = name_id(path)
    if is_routine_id(stem):
        return None
    suggested = slug(stem)
    if suggested:
        fix = f"rename the file {suggested}{path.suffix} or add the line `id: {suggested}`"
    else:
        fix = (
            "rename the file in lower-case letters, digits and hyphens (e.g. my-routine.yaml) "
            "or add a line such as `id: my-routine`"
        )
    message = f"the routine's id comes from the file name, '{stem}', which is not a valid id; {fix}"
    return Problem(path, mark.line, mark.column, message, warning=True)


def load_file(path: Path) -> RoutineFile:
    """Read and check one file's structure; problems are collected, never raised."""
    try:
        node, problems = read_yaml(path)
    except FileProblems as error:
        return RoutineFile(path, None, problems=error.problems)
    return check_node(path, node, problems)


def check_node(path: Path, node: YNode, problems: list[Problem] | None = None) -> RoutineFile:
    """Check a parsed file against the format and build its own exercises."""
    checker = Checker(path)
    checker.problems.extend(problems or [])
    record = checker.check(node, ROUTINE_FILE, "")
    if not isinstance(record, Record):
        return RoutineFile(path, None, problems=checker.problems)
    _below_least_moves(checker, record)
    loaded = RoutineFile(path, record, warnings=checker.warnings)
    for index, exercise_record in enumerate(record.get("exercises", []), start=1):
        if "id" not in exercise_record.values:
            continue  # already reported; without an id nothing can refer to it
        where = f"exercise {index} ({exercise_record.values['id']})"
        exercise = _exercise(checker, exercise_record, where)
        if exercise.id in loaded.exercises:
            checker.problem(
                exercise_record.mark_of("id"),
                "exercises",
                f"exercise '{exercise.id}' is defined twice",
            )
        loaded.exercises[exercise.id] = exercise
    if loaded.is_routine:
        for required in ("title", "sequence"):
            if required not in record.marks:
                checker.problem(record.mark, "", f"missing the required field '{required}'")
        if "id" not in record.marks:
            warning = name_id_warning(path, record.mark)
            if warning is not None:
                loaded.warnings.append(warning)
    elif "exercises" not in record.marks:
        checker.problem(
            record.mark, "", "a routine needs `title` and `sequence`; a library needs `exercises`"
        )
    loaded.problems = checker.problems
    return loaded


def _exercise(checker: Checker, record: Record, where: str) -> Exercise:
    dose = record.get("dose")
    return Exercise(
        dose=None if dose is None else _dosage(checker, dose, BUILTIN_DEFAULTS, f"{where}: dose"),
        id=record.values["id"],
        name=record.get("name", record.values["id"]),
        how_to=tuple(record.get("how_to", ())),
        position=record.get("position", "standing"),
        targets=tuple(record.get("targets", ())),
        equipment=tuple(record.get("equipment", ())),
        per_side=record.get("per_side", False),
        cautions=tuple(record.get("cautions", ())),
        other_side=record.get("other_side"),
        figure=_figure(checker, record, where),
    )


def _figure(checker: Checker, exercise: Record, where: str) -> Figure | None:
    """The exercise's figure, with a problem at each pose a body cannot take."""
    record = exercise.get("figure")
    if record is None:
        return None
    view = record.get("view")
    start_record = record.get("start")
    stretch_record = record.get("stretch")
    if view is None or start_record is None or stretch_record is None:
        return None  # already reported
    if any(part not in start_record.values for part in POSE_PARTS):
        return None
    start = _pose(start_record, None)
    if start is None:
        return None
    poses = {"start": start}
    for name in ("stretch", "release"):
        if record.get(name) is not None:
            pose = _pose(record.values[name], start)
            if pose is None:
                return None
            poses[name] = pose
    for name, pose in poses.items():
        for problem in joint_problems(pose, view):
            checker.problem(record.values[name].mark, f"{where}: figure.{name}", problem)
    return Figure(
        view=view,
        start=start,
        stretch=poses["stretch"],
        release=poses.get("release"),
        props=tuple(record.get("props", ())),
        distance=record.get("distance", Figure.distance),
        motion=record.get("motion"),
    )


_PART_SIZES = {"trunk": 2, "left_arm": 2, "right_arm": 2, "left_leg": 3, "right_leg": 3}


def _pose(record: Record, start: Pose | None) -> Pose | None:
    """A pose from its checked record; segments it leaves out are the start's. None when a
    part was wrong (already reported)."""
    values: dict[str, Any] = {}
    for part in POSE_PARTS:
        given = record.get(part)
        if part not in record.values:
            if start is None:
                return None
            values[part] = getattr(start, part)
        elif isinstance(given, list):
            if len(given) != _PART_SIZES[part]:
                return None
            values[part] = tuple(given)
        else:
            values[part] = given
    return Pose(**values, left_hand=record.get("left_hand"), right_hand=record.get("right_hand"))


def build_routine(
    loaded: RoutineFile, pool: dict[str, Exercise], *, preset: bool = False
) -> Routine | None:
    """Resolve a routine file's sequence against its own exercises and the shared pool.

    Returns None (with problems added to `loaded.problems`) when the routine cannot be used.
    """
    record = loaded.record
    if record is None or not loaded.is_routine:
        return None
    checker = Checker(loaded.path)
    routine_defaults = record.get("defaults", Record({}, record.mark)).values
    defaults = {**BUILTIN_DEFAULTS, **routine_defaults}
    entries: list[Entry] = []
    for index, entry_record in enumerate(record.get("sequence", []), start=1):
        exercise_id = entry_record.get("exercise")
        if exercise_id is None:
            continue  # already reported as missing or invalid
        where = f"sequence entry {index} ({exercise_id})"
        exercise = loaded.exercises.get(exercise_id) or pool.get(exercise_id)
        if exercise is None:
            known = sorted({*loaded.exercises, *pool})
            checker.problem(
                entry_record.mark_of("exercise"),
                where,
                f"unknown exercise '{exercise_id}'{did_you_mean(exercise_id, known)}; "
                "`stretch exercises` lists the library's",
            )
            continue
        if any(kind in entry_record.marks for kind in DOSE_KINDS):
            dosage = _dosage(checker, entry_record, defaults, where)
        else:
            dosage = _usual_dosage(checker, entry_record, exercise, routine_defaults, where)
        if dosage is None:
            continue
        # The compiler picks prepare or prepare_move: which applies depends on the exercise
        # before, and that changes when optional exercises are left out.
        own_prepare = entry_record.get("prepare")
        own_move = entry_record.get("prepare_move")
        if own_move is not None:
            prepare_move = own_move
        else:
            prepare_move = defaults["prepare_move"] if own_prepare is None else None
        entries.append(
            Entry(
                exercise=exercise,
                dosage=dosage,
                prepare=defaults["prepare"] if own_prepare is None else own_prepare,
                switch=entry_record.get("switch", defaults["switch"]),
                side_order=entry_record.get("side_order", defaults["side_order"]),
                note=entry_record.get("note"),
                prepare_move=prepare_move,
                optional=entry_record.get("optional", False),
            )
        )
    if entries and all(entry.optional for entry in entries):
        checker.problem(
            record.mark_of("sequence"),
            "sequence",
            ALL_OPTIONAL,
        )
    loaded.problems = sorted([*loaded.problems, *checker.problems])
    if loaded.problems:
        return None
    source = record.get("source")
    return Routine(
        id=loaded.id,
        title=record.values["title"],
        entries=tuple(entries),
        summary=record.get("summary", ""),
        source=Source(**source.values) if source is not None else None,
        cautions=tuple(record.get("cautions", ())),
        suits=tuple(record.get("suits", ())),
        notes=tuple(record.get("notes", ())),
        path=loaded.path,
        preset=preset,
        moves=MoveMinimums(
            floor=defaults["move_floor"],
            equipment=defaults["move_equipment"],
            sides=defaults["move_sides"],
        ),
    )


def _below_least_moves(checker: Checker, record: Record) -> None:
    """Warn about a `move_*` default below the least time the move takes: the file loads,
    and the move gets the least time (a move's minimum is the position model's, not the
    routine's to lower)."""
    defaults = record.get("defaults")
    if not isinstance(defaults, Record):
        return
    for name in ("move_floor", "move_equipment", "move_sides"):
        least = BUILTIN_DEFAULTS[name]
        value = defaults.values.get(name)
        if value is not None and value < least:
            checker.warning(
                defaults.mark_of(name),
                f"defaults: {name}",
                f"{format_seconds(value)} is less than this move takes; "
                f"{format_seconds(least)} is used",
            )


def _dosage(checker: Checker, entry: Record, defaults: dict[str, Any], where: str) -> Dosage | None:
    kinds = [kind for kind in DOSE_KINDS if kind in entry.marks]
    if len(kinds) > 1:
        checker.problem(
            entry.mark_of(kinds[1]),
            where,
            f"give only one of hold, tempo or timed, not {' and '.join(kinds)}",
        )
        return None
    kind = kinds[0] if kinds else "hold"
    if kind != "hold" and "rest" in entry.marks:
        checker.problem(entry.mark_of("rest"), f"{where}: rest", "applies to held reps only")
        return None
    if kind == "timed":
        if "reps" in entry.marks:
            checker.problem(entry.mark_of("reps"), f"{where}: reps", "a timed stretch has no reps")
            return None
        if "timed" not in entry.values:
            return None
        return Timed(entry.values["timed"])
    if kind == "tempo":
        tempo = entry.get("tempo")
        if tempo is None:
            return None
        return Tempo(
            reps=entry.get("reps", defaults["tempo_reps"]),
            on=tempo.get("pressure_on", defaults["pressure_on"]),
            off=tempo.get("pressure_off", defaults["pressure_off"]),
            end_hold=tempo.get("end_hold", 0.0),
        )
    if "hold" in entry.marks and "hold" not in entry.values:
        return None
    return Hold(
        seconds=entry.get("hold", defaults["hold"]),
        reps=entry.get("reps", defaults["reps"]),
        rest=entry.get("rest", defaults["rest"]),
    )

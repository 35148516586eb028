"""Provides `Draft`: a routine being built or edited in the app, held as the person typed it.

Every value is kept as typed, so a wrong one stays on screen with the reason beside it. The
reasons are the routine file format's own messages, from its own field declarations, so the
builder and `stretch validate` never disagree. A draft without problems becomes a `Routine`,
which the plan compiler times and the writer saves.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

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
from timer_app.core.text import slug
from timer_app.routines.fields import Checker, FieldType, ListOf
from timer_app.routines.format import (
    ALL_OPTIONAL,
    BUILTIN_DEFAULTS,
    DEFAULTS,
    ENTRY,
    EXERCISE,
    ROUTINE_FILE,
    SOURCE,
    TEMPO,
    DoseKind,
)
from timer_app.routines.reading import default_dosage
from timer_app.routines.yamlfile import Mark, YNode, resolve_plain

__all__ = [
    "Draft",
    "DraftEntry",
    "FieldKey",
    "check_value",
    "own_exercise",
]


FieldKey = tuple[int | None, str]
"""Where a problem is: (entry index, field name), or (None, field name) for the routine."""

NO_EXERCISES = "add at least one exercise"


# Each field the builder edits, checked by the type the format declares for it.
_ROUTINE_TYPES = {
    "title": ROUTINE_FILE.type_of("title"),
    "id": ROUTINE_FILE.type_of("id"),
    "prepare": DEFAULTS.type_of("prepare"),
    "prepare_move": DEFAULTS.type_of("prepare_move"),
    "summary": ROUTINE_FILE.type_of("summary"),
}
_ROUTINE_LISTS = {
    "cautions": ROUTINE_FILE.type_of("cautions"),
    "notes": ROUTINE_FILE.type_of("notes"),
}
"""The routine's lists of text, typed one item a line."""
_SOURCE_TYPES = {name: SOURCE.type_of(name) for name in ("title", "site", "author", "url")}
"""The source's parts, each typed in a field of its own (`source_title` and so on)."""


_SOURCE_REQUIRED = {
    "title": "needed with a source: the title of the article or video",
    "site": "needed with a source: the site or publisher",
}
"""What a source must have, once any part of it is typed, and what is said when it has not."""
_OPTIONAL_TEXT = {"summary"}
"""Text fields that may be left empty: the file then has no such field."""
_ENTRY_TYPES = {
    "hold": ENTRY.type_of("hold"),
    "reps": ENTRY.type_of("reps"),
    "rest": ENTRY.type_of("rest"),
    "tempo_reps": ENTRY.type_of("reps"),
    "pressure_on": TEMPO.type_of("pressure_on"),
    "pressure_off": TEMPO.type_of("pressure_off"),
    "end_hold": TEMPO.type_of("end_hold"),
    "timed": ENTRY.type_of("timed"),
    "switch": ENTRY.type_of("switch"),
    "prepare": ENTRY.type_of("prepare"),
    "note": ENTRY.type_of("note"),
}
_DOSE_FIELDS: dict[DoseKind, tuple[str, ...]] = {
    "hold": ("hold", "reps", "rest"),
    "tempo": ("pressure_on", "pressure_off", "end_hold", "tempo_reps"),
    "timed": ("timed",),
}
_TEXT_FIELDS = {"title", "id", "name", "summary", "note"}
"""Fields that hold text: what is typed is the text, never a number or a boolean."""


def check_value(ftype: FieldType, text: str, *, is_text: bool = False) -> tuple[Any, str | None]:
    """The value the file format reads from `text`, or None and the format's own message.

    `text` is read as it would be written unquoted in a routine file (`30`, `30s`, `1:30`);
    with `is_text`, as quoted text.
    """
    checker = Checker(Path("builder"))
    value: Any = text if is_text else resolve_plain(text.strip())
    checked = checker.check(YNode(value, Mark(0, 0), quoted=is_text), ftype, "")
    if checker.problems:
        return None, checker.problems[0].message
    return checked, None


def check_lines(lines: Iterable[str], ftype: FieldType) -> tuple[list[str], str | None]:
    """The items of a list of text typed one a line (blank lines left out), checked as the
    file format checks that list: the items, or the format's first message about them, with
    the item named by its line (`line 2: ...`), as the person sees it."""
    assert isinstance(ftype, ListOf)
    items = [line.strip() for line in lines if line.strip()]
    checker = Checker(Path("builder"))
    nodes = [YNode(item, Mark(0, 0), quoted=True) for item in items]
    for number, node in enumerate(nodes, start=1):
        checker.check(node, ftype.item, f"line {number}")
    checked = checker.check(YNode(nodes, Mark(0, 0)), ftype, "") if not checker.problems else []
    if checker.problems:
        return [], checker.problems[0].message
    return list(checked), None


def free_id(base: str, taken: Collection[str]) -> str:
    """`base`, or `base-2`, `base-3`... : the first not in `taken`."""
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def seconds_text(seconds: float) -> str:
    """Seconds as the builder's fields show them: `30s`, `2.5s`."""
    return f"{seconds:g}s"


def own_exercise(
    name: str,
    how_to: Iterable[str],
    position: str,
    per_side: bool,
    taken: Collection[str],
    *,
    exercise_id: str | None = None,
) -> tuple[Exercise | None, dict[str, str]]:
    """An exercise of the person's own, or None and the problems by field (`name`,
    `how_to`). Its id is made from the name and kept clear of the ids in `taken` (the
    library's and the routine's other exercises); `exercise_id` keeps an id it already has."""
    problems: dict[str, str] = {}
    checked_name, problem = check_value(EXERCISE.type_of("name"), name, is_text=True)
    if problem:
        problems["name"] = problem
    checked_lines, problem = check_lines(how_to, EXERCISE.type_of("how_to"))
    if problem:
        problems["how_to"] = problem
    if problems:
        return None, problems
    new_id = exercise_id or free_id(slug(checked_name) or "exercise", taken)
    return Exercise(new_id, checked_name, tuple(checked_lines), position, per_side=per_side), {}


@dataclass
class DraftEntry:
    """One exercise of a draft with its dose, every value as typed."""

    exercise: Exercise
    own: bool = False
    """Defined by the person in this routine, rather than taken from the library."""
    kind: DoseKind = "hold"
    hold: str = seconds_text(BUILTIN_DEFAULTS["hold"])
    reps: str = str(BUILTIN_DEFAULTS["reps"])
    rest: str = seconds_text(BUILTIN_DEFAULTS["rest"])
    pressure_on: str = seconds_text(BUILTIN_DEFAULTS["pressure_on"])
    pressure_off: str = seconds_text(BUILTIN_DEFAULTS["pressure_off"])
    end_hold: str = "0s"
    tempo_reps: str = str(BUILTIN_DEFAULTS["tempo_reps"])
    timed: str = seconds_text(BUILTIN_DEFAULTS["hold"])
    side_order: str = BUILTIN_DEFAULTS["side_order"]
    switch: str = seconds_text(BUILTIN_DEFAULTS["switch"])
    prepare: str = ""
    """The entry's own get-ready time; empty: the routine's."""
    prepare_move: float | None = None
    """Kept from the routine it was opened from: the entry's own get-ready time after a
    move, which goes with its own `prepare` (the builder does not edit it)."""
    note: str = ""
    """The routine's word on this exercise, shown during the session; empty: none."""
    optional: bool = False
    """Whether `--skip-optional` leaves it out."""

    def fields(self) -> tuple[str, ...]:
        """The fields that count for this entry: its dose's, and the switch when per side."""
        sides = ("side_order", "switch") if self.exercise.per_side else ()
        return (*_DOSE_FIELDS[self.kind], *sides, "prepare", "note")

    def check(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The values of the fields that count, and the problems of those that are wrong."""
        values: dict[str, Any] = {}
        problems: dict[str, str] = {}
        for name in self.fields():
            typed = getattr(self, name)
            if name == "side_order" or (name in ("prepare", "note") and not typed.strip()):
                continue
            value, problem = check_value(_ENTRY_TYPES[name], typed, is_text=name in _TEXT_FIELDS)
            if problem:
                problems[name] = problem
            values[name] = value
        return values, problems

    def dosage(self) -> Dosage | None:
        """The dose as typed, or None while a value of it is wrong."""
        values, problems = self.check()
        if any(name in problems for name in _DOSE_FIELDS[self.kind]):
            return None
        if self.kind == "hold":
            return Hold(values["hold"], values["reps"], values["rest"])
        if self.kind == "tempo":
            return Tempo(
                values["tempo_reps"],
                values["pressure_on"],
                values["pressure_off"],
                values["end_hold"],
            )
        return Timed(values["timed"])

    def set_dose(self, dosage: Dosage) -> None:
        """Take `dosage`'s kind and values, as they are typed."""
        if isinstance(dosage, Hold):
            self.kind = "hold"
            self.hold = seconds_text(dosage.seconds)
            self.reps = str(dosage.reps)
            self.rest = seconds_text(dosage.rest)
        elif isinstance(dosage, Tempo):
            self.kind = "tempo"
            self.pressure_on = seconds_text(dosage.on)
            self.pressure_off = seconds_text(dosage.off)
            self.end_hold = seconds_text(dosage.end_hold)
            self.tempo_reps = str(dosage.reps)
        else:
            self.kind = "timed"
            self.timed = seconds_text(dosage.seconds)

    @classmethod
    def from_entry(
        cls, entry: Entry, own: bool, routine_prepare: tuple[float, float]
    ) -> DraftEntry:
        """A draft entry for an entry of a routine; `routine_prepare` is the routine's
        get-ready times (same position, after a move), against which its own is told."""
        draft = cls(
            entry.exercise,
            own=own,
            side_order=entry.side_order,
            switch=seconds_text(entry.switch),
            note=entry.note or "",
            optional=entry.optional,
        )
        draft.set_dose(entry.dosage)
        own_prepare = entry.prepare_move is None or (entry.prepare, entry.prepare_move) != (
            routine_prepare
        )
        if own_prepare:
            draft.prepare = seconds_text(entry.prepare)
            draft.prepare_move = entry.prepare_move
        return draft


@dataclass
class Draft:
    """A routine as the person is building it."""

    title: str = ""
    id: str = ""
    id_follows_title: bool = True
    """The id is made from the title until the person types an id of their own."""
    prepare: str = seconds_text(BUILTIN_DEFAULTS["prepare"])
    """Get-ready time before an exercise in the same position as the one before."""
    prepare_move: str = seconds_text(BUILTIN_DEFAULTS["prepare_move"])
    """Get-ready time when the position changes, and before the first exercise."""
    entries: list[DraftEntry] = field(default_factory=list)
    path: Path | None = None
    """The user's file this draft was opened from, or last saved to; None until then."""
    summary: str = ""
    """What the routine is for; empty: the file has no summary."""
    cautions: str = ""
    """Who should take care, and with what: one caution a line, as typed."""
    notes: str = ""
    """Anything else worth knowing: one note a line, as typed."""
    source_title: str = ""
    """Where the routine comes from, in four parts; all empty: the file has no source."""
    source_site: str = ""
    source_author: str = ""
    source_url: str = ""
    suits: tuple[str, ...] = ()
    """Who the routine suits (of `SUITS`, in that order)."""
    # Kept from the routine a draft was opened from (the builder does not edit it).
    moves: MoveMinimums = field(default_factory=MoveMinimums)

    @classmethod
    def from_routine(
        cls,
        routine: Routine,
        library: Mapping[str, Exercise],
        *,
        copy: bool,
        taken: Collection[str],
    ) -> Draft:
        """A draft of `routine`: to edit it in place, or with `copy`, as a new routine with a
        title and id of its own (a preset is only ever copied)."""
        timed_prepare = [e for e in routine.entries if e.prepare_move is not None]
        prepare = (
            (timed_prepare[0].prepare, timed_prepare[0].prepare_move or 0.0)
            if timed_prepare
            else (BUILTIN_DEFAULTS["prepare"], BUILTIN_DEFAULTS["prepare_move"])
        )
        entries = [
            DraftEntry.from_entry(entry, library.get(entry.exercise.id) != entry.exercise, prepare)
            for entry in routine.entries
        ]
        draft = cls(
            title=routine.title,
            id=routine.id,
            id_follows_title=False,
            prepare=seconds_text(prepare[0]),
            prepare_move=seconds_text(prepare[1]),
            entries=entries,
            path=routine.path,
            summary=routine.summary,
            cautions="\n".join(routine.cautions),
            notes="\n".join(routine.notes),
            suits=routine.suits,
            moves=routine.moves,
        )
        if routine.source is not None:
            source = routine.source
            draft.source_title, draft.source_site = source.title, source.site
            draft.source_author, draft.source_url = source.author or "", source.url or ""
        if copy:
            draft.title = f"{routine.title} (my copy)"
            draft.path = None
            draft.id_follows_title = True
            draft.follow_title(taken)
        return draft

    def follow_title(self, taken: Collection[str]) -> None:
        """Make the id from the title, as long as the person has not typed one."""
        if self.id_follows_title:
            self.id = free_id(slug(self.title) or "my-routine", taken)

    def exercise_ids(self) -> set[str]:
        return {entry.exercise.id for entry in self.entries}

    def problems(self, taken: Collection[str]) -> dict[FieldKey, str]:
        """Every value that the file format would refuse, by field; `taken` are the ids of
        the other routines (an id may not be used twice)."""
        return self._build(taken)[1]

    def routine(self, taken: Collection[str]) -> Routine | None:
        """The routine drafted, or None while it has problems."""
        return self._build(taken)[0]

    def _build(self, taken: Collection[str]) -> tuple[Routine | None, dict[FieldKey, str]]:
        problems: dict[FieldKey, str] = {}
        values: dict[str, Any] = {}
        for name, ftype in _ROUTINE_TYPES.items():
            typed = getattr(self, name)
            if name in _OPTIONAL_TEXT and not typed.strip():
                values[name] = ""
                continue
            value, problem = check_value(ftype, typed, is_text=name in _TEXT_FIELDS)
            if problem:
                problems[(None, name)] = problem
            values[name] = value
        for name, ftype in _ROUTINE_LISTS.items():
            values[name], problem = check_lines(getattr(self, name).splitlines(), ftype)
            if problem:
                problems[(None, name)] = problem
        source, source_problems = self._source()
        problems.update(source_problems)
        if "id" in values and values["id"] in taken:
            problems[(None, "id")] = f"a routine with the id '{values['id']}' exists already"
        if not self.entries:
            problems[(None, "sequence")] = NO_EXERCISES
        elif all(entry.optional for entry in self.entries):
            problems[(None, "sequence")] = ALL_OPTIONAL
        entries: list[Entry] = []
        for index, draft in enumerate(self.entries):
            checked, entry_problems = draft.check()
            problems.update({(index, name): problem for name, problem in entry_problems.items()})
            dosage = draft.dosage()
            if not problems and dosage is not None:
                entries.append(self._entry(draft, dosage, checked, values))
        if problems:
            return None, problems
        routine = Routine(
            id=values["id"],
            title=values["title"],
            entries=tuple(entries),
            summary=values["summary"],
            source=source,
            cautions=tuple(values["cautions"]),
            suits=self.suits,
            notes=tuple(values["notes"]),
            moves=self.moves,
        )
        return routine, {}

    def _source(self) -> tuple[Source | None, dict[FieldKey, str]]:
        """The source as typed (None when every part is empty), or what is wrong with it."""
        typed = {name: getattr(self, f"source_{name}").strip() for name in _SOURCE_TYPES}
        if not any(typed.values()):
            return None, {}
        values: dict[str, Any] = {}
        problems: dict[FieldKey, str] = {}
        for name, ftype in _SOURCE_TYPES.items():
            if not typed[name]:
                if name in _SOURCE_REQUIRED:
                    problems[(None, f"source_{name}")] = _SOURCE_REQUIRED[name]
                values[name] = None
                continue
            value, problem = check_value(ftype, typed[name], is_text=True)
            if problem:
                problems[(None, f"source_{name}")] = problem
            values[name] = value
        return (None, problems) if problems else (Source(**values), {})

    @staticmethod
    def _entry(
        draft: DraftEntry, dosage: Dosage, checked: dict[str, Any], routine: dict[str, Any]
    ) -> Entry:
        own_prepare = checked.get("prepare")
        entry = Entry(
            exercise=draft.exercise,
            dosage=dosage,
            prepare=routine["prepare"] if own_prepare is None else own_prepare,
            switch=checked.get("switch", BUILTIN_DEFAULTS["switch"]),
            side_order=draft.side_order,
            note=checked.get("note"),
            prepare_move=routine["prepare_move"] if own_prepare is None else draft.prepare_move,
            optional=draft.optional,
        )
        return entry

    def add(self, exercise: Exercise, *, own: bool = False) -> int:
        """Add an exercise at the end; returns its index. It comes with its usual dose (as
        `stretch exercises` shows it, and as a bare id in a file gets it)."""
        entry = DraftEntry(exercise, own=own)
        entry.set_dose(default_dosage(exercise))
        self.entries.append(entry)
        return len(self.entries) - 1

    def move(self, index: int, by: int) -> int:
        """Move entry `index` up (-1) or down (+1); returns where it is now."""
        to = max(0, min(len(self.entries) - 1, index + by))
        self.entries.insert(to, self.entries.pop(index))
        return to

    def replace_exercise(self, index: int, exercise: Exercise) -> None:
        """Put a changed exercise of the person's own in place, keeping its dose."""
        self.entries[index] = replace(self.entries[index], exercise=exercise)

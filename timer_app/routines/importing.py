"""Prepares a file for `stretch import`: a routine file from someone else, or a Feeel workout.

Nothing here writes: the result is the text to save under the routine's id and what to tell
the user, so the command can refuse (a taken id, a broken file) before anything is copied.
A routine's id is its `id:` field, or else its file name; the copy is saved as `<id>.yaml`
with `id:` rewritten when `--as` gives a new one, so the two always agree.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from timer_app.core.model import Exercise, Routine
from timer_app.routines.feeel import is_feeel_export, read_feeel, routine_id_for
from timer_app.routines.format import SLUG, SLUG_HINT, build_routine, check_node
from timer_app.routines.problems import FileProblems, Problem
from timer_app.routines.writer import routine_file_name, routine_text
from timer_app.routines.yamlfile import MAX_FILE_BYTES, decode, parse_text, resolve_plain

__all__ = ["Prepared", "is_routine_id", "prepare_import", "with_id"]

FEEEL_SUFFIXES = (".feeel", ".json")


@dataclass
class Prepared:
    """A file made ready to import, or the reasons it cannot be."""

    routine: Routine | None = None
    text: str = ""
    """What to save, as `routine_file_name(routine.id)` in the user's routines folder."""
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    """Imported anyway: what was left out or changed, e.g. Feeel exercises with no match."""
    source: str = "routine"
    """`routine` or `feeel`: what kind of file it was."""


def is_routine_id(text: str) -> bool:
    return len(text) <= 60 and re.fullmatch(SLUG, text) is not None


def prepare_import(path: Path, pool: dict[str, Exercise], new_id: str | None = None) -> Prepared:
    """Check `path` and make the text to save; `pool` holds the exercises a routine may use
    by id (the presets' and the user's), `new_id` the id given with `--as`."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return Prepared(problems=[Problem(path, 0, 0, f"cannot read it: {error.strerror}")])
    if len(data) > MAX_FILE_BYTES:
        size = f"{len(data) // 1024} KiB"
        return Prepared(problems=[Problem(path, 0, 0, f"is {size}; a routine is a few KiB")])
    try:
        text = decode(path, data)
    except FileProblems as error:
        return Prepared(problems=error.problems)
    if path.suffix.lower() in FEEEL_SUFFIXES or text.lstrip().startswith("{"):
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError as error:
            if path.suffix.lower() in FEEEL_SUFFIXES:
                problem = Problem(path, error.lineno, error.colno, f"not JSON: {error.msg}")
                return Prepared(problems=[problem])
        else:
            if is_feeel_export(parsed):
                return _from_feeel(path, parsed, pool, new_id)
            if path.suffix.lower() in FEEEL_SUFFIXES:
                message = "not a Feeel workout export (it has no `fullWorkout`)"
                return Prepared(problems=[Problem(path, 1, 1, message)])
    return _from_routine_file(path, text, pool, new_id)


def _from_feeel(
    path: Path, parsed: dict[str, object], pool: dict[str, Exercise], new_id: str | None
) -> Prepared:
    workout = parsed["fullWorkout"]
    title = workout.get("workout", {}).get("title") if isinstance(workout, dict) else None
    routine_id = new_id or routine_id_for(title if isinstance(title, str) else "")
    converted = read_feeel(path, parsed, pool, routine_id)
    prepared = Prepared(problems=converted.problems, warnings=converted.warnings, source="feeel")
    if converted.routine is None:
        return prepared
    # Library exercises by id, as a routine written by hand would use them.
    prepared.text = routine_text(converted.routine, library=pool)
    return _final_check(prepared, pool, routine_id)


def _from_routine_file(
    path: Path, text: str, pool: dict[str, Exercise], new_id: str | None
) -> Prepared:
    node, problems = parse_text(path, text)
    loaded = check_node(path, node, problems)
    prepared = Prepared(warnings=loaded.warnings)
    if loaded.record is not None and not loaded.is_routine and not loaded.problems:
        message = "is an exercise library, not a routine; `stretch import` takes routines"
        prepared.problems = [Problem(path, 0, 0, message)]
        return prepared
    routine = build_routine(loaded, pool)
    if routine is None:
        prepared.problems = loaded.problems or [Problem(path, 0, 0, "not a routine file")]
        return prepared
    routine_id = new_id or loaded.id
    if not is_routine_id(routine_id):
        # Only a name can give such an id: a file's `id:` is checked like any field.
        prepared.problems = [
            Problem(
                path,
                0,
                0,
                f"its id comes from the file name, '{routine_id}', which cannot name a "
                f"routine file ({SLUG_HINT}); give one with --as ID",
            )
        ]
        return prepared
    has_id = loaded.record is not None and "id" in loaded.record.marks
    prepared.text = with_id(text, routine_id) if has_id else text
    return _final_check(prepared, pool, routine_id)


def _final_check(prepared: Prepared, pool: dict[str, Exercise], routine_id: str) -> Prepared:
    """Load the text to save as the copy will be loaded, so nothing that fails to load is
    ever saved (and the routine shown to the user is the one saved)."""
    path = Path(routine_file_name(routine_id))
    try:
        node, problems = parse_text(path, prepared.text)
    except FileProblems as error:
        node, problems = None, error.problems
    loaded = check_node(path, node, problems) if node is not None else None
    routine = build_routine(loaded, pool) if loaded is not None else None
    if loaded is not None:
        problems = loaded.problems
    if routine is None or routine.id != routine_id:
        # A mistake of ours, never of the file's; said plainly rather than saved broken.
        reasons = "; ".join(problem.message for problem in problems)
        message = f"the copy would not load as '{routine_id}' ({reasons}); please report this"
        prepared.problems = [Problem(path, 0, 0, message)]
        return prepared
    prepared.routine = routine
    return prepared


def with_id(text: str, routine_id: str) -> str:
    """`text` with the value of its top-level `id:` replaced by `routine_id`, and nothing else
    changed: comments, order and quoting stay as the author wrote them."""
    events = iter(yaml.parse(text, Loader=yaml.SafeLoader))
    if not any(isinstance(event, yaml.MappingStartEvent) for event in events):
        raise ValueError("the text is not a mapping")
    for key in events:
        if isinstance(key, yaml.MappingEndEvent):
            break
        value = next(events)
        if isinstance(key, yaml.ScalarEvent) and key.value == "id":
            if (
                not isinstance(value, yaml.ScalarEvent)
                or not value.start_mark
                or not value.end_mark
            ):
                break
            # Quoted where our reader would take the id for a number (`1e5`).
            written = routine_id if resolve_plain(routine_id) == routine_id else f"'{routine_id}'"
            return text[: value.start_mark.index] + written + text[value.end_mark.index :]
        _skip(events, key)
        _skip(events, value)
    raise ValueError("the text has no top-level `id:` with a plain value")


def _skip(events: Iterator[yaml.Event], first: yaml.Event) -> None:
    """Skip the rest of the node that `first` opened (nothing, for a scalar or an alias)."""
    depth = 1 if isinstance(first, yaml.MappingStartEvent | yaml.SequenceStartEvent) else 0
    while depth:
        event = next(events)
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            depth += 1
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            depth -= 1

"""Prepares a file for `stretch import`: a routine file from someone else, or a Feeel workout.

Nothing here writes: the result is the text to save under the routine's id and what to tell
the user, so the command can refuse (a taken id, a broken file) before anything is copied.
A routine's id is its `id:` field, or else its file name; the copy is saved as `<id>.yaml`
with `id:` rewritten when `--as` gives a new one, so the two always agree. Its `title:` is
rewritten when `--title` gives one, or when a routine in the list has the title already: the
copy is then "Title (copy)" (or "(copy 2)", ...), so the picker never shows two of one name.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from timer_app.core.model import Exercise, Routine
from timer_app.core.text import slug
from timer_app.routines.feeel import is_feeel_export, read_feeel, routine_id_for
from timer_app.routines.format import TITLE
from timer_app.routines.problems import FileProblems, Problem
from timer_app.routines.reading import build_routine, check_node, is_routine_id, name_id_warning
from timer_app.routines.writer import routine_file_name, routine_text
from timer_app.routines.yamlfile import parse_text, read_text, resolve_plain

__all__ = ["Prepared", "copy_title", "is_routine_id", "prepare_import", "with_id", "with_title"]

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
    retitled_from: str | None = None
    """The file's own title, when the copy was given another because a routine has it."""


def prepare_import(
    path: Path,
    pool: dict[str, Exercise],
    new_id: str | None = None,
    *,
    title: str | None = None,
    taken_titles: Collection[str] = (),
) -> Prepared:
    """Check `path` and make the text to save; `pool` holds the exercises a routine may use
    by id (the presets' and the user's), `new_id` the id given with `--as`, `title` the one
    given with `--title`; `taken_titles` are those of the routines in the list already."""
    try:
        text = read_text(path)
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
                return _from_feeel(path, parsed, pool, new_id, title, taken_titles)
            if path.suffix.lower() in FEEEL_SUFFIXES:
                message = "not a Feeel workout export (it has no `fullWorkout`)"
                return Prepared(problems=[Problem(path, 1, 1, message)])
    return _from_routine_file(path, text, pool, new_id, title, taken_titles)


def copy_title(title: str, taken: Collection[str]) -> str:
    """`title` if no routine has it (in any case), else `Title (copy)`, `Title (copy 2)`, ...:
    the first that none has, kept within the format's length for a title."""
    names = {name.casefold() for name in taken}
    if title.casefold() not in names:
        return title
    number = 1
    while True:
        suffix = " (copy)" if number == 1 else f" (copy {number})"
        candidate = title[: TITLE.max_length - len(suffix)].rstrip() + suffix
        if candidate.casefold() not in names:
            return candidate
        number += 1


def _title_for(
    prepared: Prepared, own: str, title: str | None, taken_titles: Collection[str]
) -> str:
    """The copy's title: the one given, else its own unless a routine has it already."""
    if title is not None:
        return title
    new = copy_title(own, taken_titles)
    if new != own:
        prepared.retitled_from = own
    return new


def _from_feeel(
    path: Path,
    parsed: dict[str, object],
    pool: dict[str, Exercise],
    new_id: str | None,
    title: str | None,
    taken_titles: Collection[str],
) -> Prepared:
    workout = parsed["fullWorkout"]
    title = workout.get("workout", {}).get("title") if isinstance(workout, dict) else None
    routine_id = new_id or routine_id_for(title if isinstance(title, str) else "")
    converted = read_feeel(path, parsed, pool, routine_id)
    prepared = Prepared(problems=converted.problems, warnings=converted.warnings, source="feeel")
    if converted.routine is None:
        return prepared
    routine = converted.routine
    routine = replace(routine, title=_title_for(prepared, routine.title, title, taken_titles))
    # Library exercises by id, as a routine written by hand would use them.
    prepared.text = routine_text(routine, library=pool)
    return _final_check(prepared, pool, routine_id)


def _from_routine_file(
    path: Path,
    text: str,
    pool: dict[str, Exercise],
    new_id: str | None,
    title: str | None,
    taken_titles: Collection[str],
) -> Prepared:
    try:
        node, problems = parse_text(path, text)
    except FileProblems as error:
        return Prepared(problems=error.problems)
    loaded = check_node(path, node, problems)
    prepared = Prepared(warnings=loaded.warnings)
    if loaded.record is not None and not loaded.is_routine and not loaded.problems:
        message = (
            "is an exercise library, not a routine; `stretch import` takes routines (to use "
            "its exercises, copy the file into your routines folder)"
        )
        prepared.problems = [Problem(path, 0, 0, message)]
        return prepared
    routine = build_routine(loaded, pool)
    if routine is None:
        prepared.problems = loaded.problems or [Problem(path, 0, 0, "not a routine file")]
        return prepared
    if loaded.record is not None:
        # The loader's warning about an id taken from the file name is settled here: `--as`
        # gives the id, or the import stops below with the `--as` that fixes it.
        settled = name_id_warning(path, loaded.record.mark)
        prepared.warnings = [w for w in prepared.warnings if w != settled]
    routine_id = new_id or loaded.id
    if not is_routine_id(routine_id):
        # Only a name can give such an id: a file's `id:` is checked like any field.
        suggested = slug(routine_id) or "my-routine"
        message = (
            f"the routine's id comes from the file name, '{routine_id}', which is not a valid "
            f"id; import it with --as {suggested}"
        )
        prepared.problems = [Problem(path, 0, 0, message)]
        return prepared
    has_id = loaded.record is not None and "id" in loaded.record.marks
    prepared.text = with_id(text, routine_id) if has_id else text
    new_title = _title_for(prepared, routine.title, title, taken_titles)
    if new_title != routine.title:
        prepared.text = with_title(prepared.text, new_title)
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
    # Quoted where our reader would take the id for a number (`1e5`).
    written = routine_id if resolve_plain(routine_id) == routine_id else f"'{routine_id}'"
    return _with_value(text, "id", written)


def with_title(text: str, title: str) -> str:
    """`text` with the value of its top-level `title:` replaced by `title` (plain where YAML
    reads it back as the same text, else double-quoted), and nothing else changed."""
    try:
        plain = yaml.safe_load(f"title: {title}\n")
    except yaml.YAMLError:  # `Doctor Jo: instead ...` is no plain value
        plain = None
    if plain == {"title": title} and resolve_plain(title) == title:
        return _with_value(text, "title", title)
    # JSON's quoting is YAML's double-quoting (control characters as \u escapes).
    return _with_value(text, "title", json.dumps(title, ensure_ascii=False))


def _with_value(text: str, name: str, written: str) -> str:
    """`text` with the value of its top-level `name:` (a plain or quoted text) replaced by
    `written`, as it is to appear in the file."""
    events = iter(yaml.parse(text, Loader=yaml.SafeLoader))
    if not any(isinstance(event, yaml.MappingStartEvent) for event in events):
        raise ValueError("the text is not a mapping")
    for key in events:
        if isinstance(key, yaml.MappingEndEvent):
            break
        value = next(events)
        if isinstance(key, yaml.ScalarEvent) and key.value == name:
            if (
                not isinstance(value, yaml.ScalarEvent)
                or not value.start_mark
                or not value.end_mark
            ):
                break
            return text[: value.start_mark.index] + written + text[value.end_mark.index :]
        _skip(events, key)
        _skip(events, value)
    raise ValueError(f"the text has no top-level `{name}:` with a plain value")


def _skip(events: Iterator[yaml.Event], first: yaml.Event) -> None:
    """Skip the rest of the node that `first` opened (nothing, for a scalar or an alias)."""
    depth = 1 if isinstance(first, yaml.MappingStartEvent | yaml.SequenceStartEvent) else 0
    while depth:
        event = next(events)
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            depth += 1
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            depth -= 1

"""Writes a routine back out as a readable routine file, and saves files atomically.

The text reads like the presets: the schema modeline, the routine's id and words, `defaults:`
holding the doses most entries share, the file's own `exercises:` for any exercise that is not
the library's, then the sequence, where an entry says only what differs from the defaults.
Loading the text gives back the same routine (the tests check it for every preset).
"""

from __future__ import annotations

import os
import secrets
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import yaml

from timer_app.core.figure import Figure
from timer_app.core.model import (
    Dosage,
    Entry,
    Exercise,
    Hold,
    MoveMinimums,
    Routine,
    Tempo,
    Timed,
)
from timer_app.core.text import safe_text
from timer_app.routines.format import BUILTIN_DEFAULTS
from timer_app.routines.yamlfile import resolve_plain

__all__ = ["SCHEMA_MODELINE", "new_file", "routine_file_name", "routine_text", "save_text"]

SCHEMA_MODELINE = "# yaml-language-server: $schema=../routine.schema.json"
"""Points editors at the schema beside the user's routines folder. There is no published
schema URL, and a path relative to the file works on every platform: the guide
(docs/writing-routines.md) has the schema saved as `routine.schema.json` in the config folder,
one level above `routines/`, where `stretch import` and the builder save. (The presets use
`../schema/`, their place in the repository.)"""

_T = TypeVar("_T")


def routine_file_name(routine_id: str) -> str:
    """The file a routine is saved in. A file without `id:` takes its id from this name, and
    the writer always writes `id:` too, so the two never disagree."""
    return f"{routine_id}.yaml"


def format_duration(seconds: float) -> str:
    """A duration as the format writes it: `30s`, `1.5s`, `1m30s`, `2m`, `1h5m`."""
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    parts = [f"{hours}h" if hours else "", f"{minutes}m" if minutes else ""]
    if millis or not (hours or minutes):
        whole, fraction = divmod(millis, 1000)
        parts.append(f"{whole}.{fraction:03d}".rstrip("0").rstrip(".") + "s")
    return "".join(parts)


def routine_text(routine: Routine, *, library: Mapping[str, Exercise] | None = None) -> str:
    """Readable YAML for `routine`, starting with the schema modeline (`SCHEMA_MODELINE`).

    An entry whose exercise equals `library[exercise.id]` is written by id; every other
    exercise is written in full in the file's own `exercises:` section (with no library, all
    of them: the file then stands on its own). Text is written as the loader would show it
    (`safe_text`: control characters as visible symbols). Raises ValueError when two
    different exercises in the routine share an id, which no file can say.
    """
    library = library or {}
    by_id: dict[str, Exercise] = {}
    for entry in routine.entries:
        exercise = by_id.setdefault(entry.exercise.id, entry.exercise)
        if exercise != entry.exercise:
            raise ValueError(f"two different exercises in the routine share the id '{exercise.id}'")
    own = {key: exercise for key, exercise in by_id.items() if library.get(key) != exercise}

    document: dict[str, Any] = {"id": routine.id, "title": routine.title}
    if routine.summary:
        document["summary"] = routine.summary
    if routine.source is not None:
        source = routine.source
        document["source"] = _without_none(
            {"title": source.title, "site": source.site, "author": source.author, "url": source.url}
        )
    for name in ("cautions", "suits", "notes"):
        values = getattr(routine, name)
        if values:
            document[name] = list(values)
    defaults = _defaults(routine.entries, routine.moves)
    if defaults:
        document["defaults"] = {
            key: format_duration(value) if isinstance(value, float) else value
            for key, value in defaults.items()
        }
    if own:
        document["exercises"] = [_exercise(exercise) for exercise in own.values()]
    effective = {**BUILTIN_DEFAULTS, **defaults}
    document["sequence"] = [_entry(entry, effective) for entry in routine.entries]
    body = yaml.dump(
        document,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1_000_000,  # never fold a line: the presets keep each sentence on one line
    )
    return f"{SCHEMA_MODELINE}\n{body}"


def _most_common(values: Iterable[_T], preferred: _T) -> _T:
    """The value used most; on a tie, `preferred` (the built-in default) if it is among them,
    else the first used."""
    counts = Counter(values)
    if not counts:
        return preferred
    top = max(counts.values())
    if counts.get(preferred) == top:
        return preferred
    return next(value for value, count in counts.items() if count == top)


def _defaults(entries: tuple[Entry, ...], moves: MoveMinimums) -> dict[str, Any]:
    """The `defaults:` that let most entries say nothing but their exercise."""
    builtin = BUILTIN_DEFAULTS
    defaults: dict[str, Any] = {}
    holds = [entry.dosage for entry in entries if isinstance(entry.dosage, Hold)]
    if holds:
        # Written even when they are the built-in values, as the presets do: the dose of most
        # of the routine is the first thing a reader looks for.
        defaults["hold"] = _most_common((h.seconds for h in holds), builtin["hold"])
        defaults["reps"] = _most_common((h.reps for h in holds), builtin["reps"])
        defaults["rest"] = _most_common((h.rest for h in holds), builtin["rest"])
    # An entry without its own `prepare` gets both get-ready times from the defaults.
    pairs = [(e.prepare, e.prepare_move) for e in entries if e.prepare_move is not None]
    prepare, prepare_move = _most_common(pairs, (builtin["prepare"], builtin["prepare_move"]))
    optional = {
        "prepare": prepare,
        "prepare_move": prepare_move,
        "switch": _most_common((e.switch for e in entries), builtin["switch"]),
        "side_order": _most_common((e.side_order for e in entries), builtin["side_order"]),
        "move_floor": moves.floor,
        "move_equipment": moves.equipment,
        "move_sides": moves.sides,
    }
    defaults.update({key: value for key, value in optional.items() if value != builtin[key]})
    return defaults


def _entry(entry: Entry, defaults: Mapping[str, Any]) -> str | dict[str, Any]:
    """One sequence item: a bare id when the defaults say everything, else a mapping."""
    fields: dict[str, Any] = {"exercise": entry.exercise.id}
    # Without hold, tempo or timed an entry is done as its exercise's own dose says: a hold
    # of an exercise usually done otherwise says `hold:` even at the routine's default.
    held_usually = isinstance(entry.exercise.dose, Hold | None)
    fields.update(_dose_fields(entry.dosage, defaults, say_hold=not held_usually))
    # The file's rule: an entry's own `prepare` sets both get-ready times unless it also gives
    # `prepare_move`; without either, both come from the defaults.
    if entry.prepare_move is None:
        fields["prepare"] = format_duration(entry.prepare)
    else:
        if entry.prepare != defaults["prepare"]:
            fields["prepare"] = format_duration(entry.prepare)
        if "prepare" in fields or entry.prepare_move != defaults["prepare_move"]:
            fields["prepare_move"] = format_duration(entry.prepare_move)
    if entry.switch != defaults["switch"]:
        fields["switch"] = format_duration(entry.switch)
    if entry.side_order != defaults["side_order"]:
        fields["side_order"] = entry.side_order
    if entry.note is not None:
        fields["note"] = entry.note
    if entry.optional:
        fields["optional"] = True
    return entry.exercise.id if len(fields) == 1 else fields


def _dose_fields(
    dosage: Dosage, defaults: Mapping[str, Any], *, say_hold: bool = False
) -> dict[str, Any]:
    """The fields that give `dosage`: a hold's only where they differ from `defaults` (and
    `hold:` always with `say_hold`), a tempo's and a timed stretch's always."""
    fields: dict[str, Any] = {}
    if isinstance(dosage, Hold):
        if say_hold or dosage.seconds != defaults.get("hold"):
            fields["hold"] = format_duration(dosage.seconds)
        if dosage.reps != defaults.get("reps"):
            fields["reps"] = dosage.reps
        if dosage.rest != defaults.get("rest"):
            fields["rest"] = format_duration(dosage.rest)
    elif isinstance(dosage, Tempo):
        # Both phases always, as the presets write a tempo: it reads as the movement it is.
        tempo = {"pressure_on": format_duration(dosage.on)}
        if dosage.end_hold:
            tempo["end_hold"] = format_duration(dosage.end_hold)
        tempo["pressure_off"] = format_duration(dosage.off)
        fields["tempo"] = _Flow(tempo)
        fields["reps"] = dosage.reps
    elif isinstance(dosage, Timed):
        fields["timed"] = format_duration(dosage.seconds)
    return fields


def _exercise(exercise: Exercise) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "id": exercise.id,
        "name": exercise.name,
        "how_to": list(exercise.how_to),
        "position": exercise.position,
    }
    if exercise.targets:
        fields["targets"] = _FlowList(exercise.targets)
    if exercise.equipment:
        fields["equipment"] = _FlowList(exercise.equipment)
    if exercise.per_side:
        fields["per_side"] = True
    if exercise.cautions:
        fields["cautions"] = list(exercise.cautions)
    if exercise.other_side:
        fields["other_side"] = exercise.other_side
    if exercise.dose is not None:
        fields["dose"] = _Flow(_dose_fields(exercise.dose, {}))  # every value, on one line
    if exercise.figure is not None:
        fields["figure"] = _figure(exercise.figure)
    return fields


def _figure(figure: Figure) -> dict[str, Any]:
    """A figure as its file writes it: each keyframe whole, on one line."""
    written: dict[str, Any] = {"view": figure.view}
    if figure.props:
        written["props"] = _FlowList(figure.props)
    if figure.distance != Figure.distance:
        written["distance"] = figure.distance
    if figure.motion is not None:
        written["motion"] = figure.motion
    for name, pose in figure.poses().items():
        parts: dict[str, Any] = {"trunk": list(pose.trunk), "head": pose.head}
        for part in ("left_arm", "right_arm", "left_leg", "right_leg"):
            angles = getattr(pose, part)
            parts[part] = ["toward" if a is None else a for a in angles]
        parts.update({f"{hand}_hand": target for hand, target in pose.hands().items()})
        written[name] = _Flow(parts)
    return written


def _without_none(fields: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value is not None}


class _Flow(dict[str, Any]):
    """A mapping written on one line, `{pressure_on: 2s, pressure_off: 2s}`, as presets do."""


class _FlowList(list[str]):
    """A short list written on one line, `[lower back, hips]`, as presets do."""


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper, minus anchors, and quoting whatever our reader would not read
    back as the same text."""

    def ignore_aliases(self, data: Any) -> bool:
        # Two entries with the same tempo must not become `&id001` and `*id001`.
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent a list under its key (`sequence:` then `  - knee-to-chest`), as the presets do.
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    # Control characters and lone surrogates as the loader shows them (a lone surrogate
    # cannot even be written as UTF-8); text that came from a file already is.
    text = safe_text(text)
    # PyYAML quotes by YAML 1.1 rules; our reader resolves plain scalars by YAML 1.2 core
    # rules, where `1e5` is a number though 1.1 calls it text. Quote anything the reader would
    # not read back as this very string (the emitter adds its own quoting on top).
    style = None if resolve_plain(text) == text else "'"
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def _represent_flow(dumper: yaml.SafeDumper, data: _Flow) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=True)


def _represent_flow_list(dumper: yaml.SafeDumper, data: _FlowList) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_Flow, _represent_flow)
_Dumper.add_representer(_FlowList, _represent_flow_list)


def save_text(path: Path, text: str, *, replace: bool = False) -> None:
    """Write `text` to `path` atomically, creating the folder if needed; a new file gets the
    permissions new files get (the umask's), a replaced one keeps its own.

    The text goes to a temporary file in the same folder, which is flushed and synced, then
    renamed over `path`, and the folder is synced: a crash or a full disk at any moment leaves
    either the old file or the new one, whole. The temporary name starts with a dot and ends
    in `.tmp`, so the routine loader (`*.yaml`, `*.yml`) never picks up a half-written file.
    Raises FileExistsError if `path` exists and `replace` is false.
    """
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    if not replace and path.exists():
        raise FileExistsError(f"{path} already exists")
    handle, temporary = _temporary_file(folder, path.name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        if replace:
            if path.exists():
                # Keep the permissions the user gave the file, not those of a new one.
                os.chmod(temporary, path.stat().st_mode & 0o7777)
            os.replace(temporary, path)
        else:
            _create(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(folder)


@contextmanager
def new_file(path: Path) -> Iterator[Path]:
    """A hidden temporary file beside `path`, for the block to write in any way (an encoder
    that opens it by name, say); when the block ends without an error it is synced and becomes
    `path`, else it is removed. Nobody ever sees a half-written `path`, and an existing one is
    never replaced: FileExistsError, as from `save_text`."""
    folder = path.parent
    handle, temporary = _temporary_file(folder, path.name)
    os.close(handle)
    try:
        yield Path(temporary)
        descriptor = os.open(temporary, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        _create(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(folder)


def _temporary_file(folder: Path, name: str) -> tuple[int, str]:
    """Open a new, hidden temporary file beside `name`: its descriptor and path.

    Not `tempfile.mkstemp`, which makes the file readable by its owner only: a routine saved
    or exported should get the permissions any new file gets (the umask's, often 0644), so
    that it can be shared like any other file.
    """
    for _ in range(100):
        temporary = str(folder / f".{name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), temporary
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {folder}")


def _create(temporary: str, path: Path) -> None:
    """Move the temporary file to `path`, which must not exist yet.

    A hard link fails if `path` appeared since the caller checked, so a file made meanwhile
    (say, another window saving the same name) is never overwritten. Where the file system has
    no hard links, a last check and a rename do nearly as well.
    """
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise FileExistsError(f"{path} already exists") from None
    except OSError:
        if path.exists():
            raise FileExistsError(f"{path} already exists") from None
        os.replace(temporary, path)
        return
    os.unlink(temporary)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable. Not every platform can open a folder (Windows cannot);
    there the rename is as durable as the file system makes it."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)

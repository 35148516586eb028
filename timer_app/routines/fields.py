"""Declares the fields of a file format once, then checks YAML against it and emits JSON Schema.

One declaration serves three readers: the checker (which names the field, line and column of
every problem and suggests near misses), the JSON Schema that editors use, and the README.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from timer_app.core.durations import DurationError, format_seconds, parse_duration
from timer_app.core.plan import Limit
from timer_app.core.text import safe_text, unsafe_characters
from timer_app.routines.problems import Problem
from timer_app.routines.yamlfile import Mark, YNode


@dataclass(frozen=True)
class Text:
    """A line of text, or a slug when `pattern` is given."""

    max_length: int = 300
    pattern: str | None = None
    pattern_hint: str = ""


@dataclass(frozen=True)
class Duration:
    """Seconds, or a string such as `"30s"`, `"1m30s"`, `"1:30"`."""

    minimum: float
    maximum: float

    @classmethod
    def within(cls, limit: Limit) -> Duration:
        """The field for a setting whose range is kept with the plan (holds, rests, ...)."""
        return cls(limit.minimum, limit.maximum if limit.maximum is not None else math.inf)


@dataclass(frozen=True)
class Integer:
    """A whole number within bounds."""

    minimum: int
    maximum: int

    @classmethod
    def within(cls, limit: Limit) -> Integer:
        """The field for a count whose range is kept with the plan (reps)."""
        assert limit.whole and limit.maximum is not None
        return cls(int(limit.minimum), int(limit.maximum))


@dataclass(frozen=True)
class Angle:
    """Whole degrees within bounds, or a word that stands for a direction (read as None)."""

    minimum: int
    maximum: int
    word: str


@dataclass(frozen=True)
class Boolean:
    """`true` or `false` (not `yes`/`no`, which YAML 1.1 would also take)."""


@dataclass(frozen=True)
class Switch:
    """`true` or `false`, or a mapping of `options`, which means on, with those options.

    Checked as the Boolean, or as the Record of the options."""

    options: Obj


@dataclass(frozen=True)
class Choice:
    """One of a fixed set of words."""

    options: tuple[str, ...]
    aliases: Mapping[str, str] = field(default_factory=dict)
    """Older words still accepted, each read as the option it stands for."""
    synonyms: Mapping[str, str] = field(default_factory=dict)
    """Words people write that are not accepted, each with the option to suggest instead;
    keys as `normalize` spells them."""
    normalize: Callable[[str], str] = str.lower
    """How a written word is spelled before it is looked up among the synonyms."""

    def suggestion(self, word: str) -> str:
        """` (did you mean 'x'?)` for a synonym or a near miss, else an empty string."""
        written = self.normalize(word)
        # The options, the older words and the synonyms, each with the option it stands for,
        # so a slip in a synonym ('sittting') still points at what it means, not at whatever
        # option happens to share the most letters ('standing').
        meanings = {**{option: option for option in self.options}, **self.aliases}
        meanings.update(self.synonyms)
        near = meanings.get(written) or closest(written, list(meanings))
        return f" (did you mean '{meanings[near]}'?)" if near else ""


@dataclass(frozen=True)
class ListOf:
    """A list of items; with `single_ok`, one bare item stands for a list of one."""

    item: FieldType
    min_items: int = 0
    max_items: int = 100
    single_ok: bool = False
    item_name: str | None = None
    """How problems name an item, e.g. "sequence entry" gives `sequence entry 3 (bridge):`;
    None: by index after the list's name, `how_to[3]`."""
    id_field: str | None = None
    """The field of an item (or an object item's shorthand text) that identifies it in
    problems, so a person finds the item without counting."""


@dataclass(frozen=True)
class Field:
    """A named field of an object, with the documentation shown in editors."""

    name: str
    type: FieldType
    doc: str
    required: bool = False


@dataclass(frozen=True)
class Obj:
    """A mapping with known fields; with `shorthand`, a bare text value means {shorthand: text}."""

    name: str
    doc: str
    fields: tuple[Field, ...]
    shorthand: str | None = None
    elsewhere: Mapping[str, str] = field(default_factory=dict)
    """Fields that belong to another part of the file, each with where they go: an unknown
    field found here is answered with that rather than a bare "unknown field"."""

    def type_of(self, name: str) -> FieldType:
        """The type declared for field `name`."""
        for spec in self.fields:
            if spec.name == name:
                return spec.type
        raise KeyError(f"{self.name} has no field {name!r}")

    def max_length(self, name: str) -> int:
        """The longest text the format takes in text field `name`: what a form field for it
        lets be typed, so the app never accepts what the file would refuse."""
        ftype = self.type_of(name)
        if not isinstance(ftype, Text):
            raise TypeError(f"{self.name}.{name} is not a text field")
        return ftype.max_length


FieldType = Text | Duration | Integer | Angle | Boolean | Switch | Choice | ListOf | Obj


@dataclass
class Record:
    """A checked object: its valid values by field name, and where each stood in the file."""

    values: dict[str, Any]
    mark: Mark
    marks: dict[str, Mark] = field(default_factory=dict)

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    def mark_of(self, name: str) -> Mark:
        return self.marks.get(name, self.mark)


class _Invalid:
    """Stands for a value that failed its check (the problem is already recorded)."""


INVALID = _Invalid()


def closest(word: str, options: list[str] | tuple[str, ...]) -> str | None:
    """The option `word` is most likely a slip for, or None when none is close."""
    # Imported here: only a file with a mistake needs it, and it costs every start a few ms.
    import difflib

    close = difflib.get_close_matches(word, list(options), n=3, cutoff=0.6)
    if not close:
        return None
    # Swapped letters are the most common typo ('rpes'); difflib alone may prefer 'rest'.
    same_letters = [option for option in close if sorted(option) == sorted(word)]
    return (same_letters or close)[0]


def did_you_mean(word: str, options: list[str] | tuple[str, ...]) -> str:
    """Return ` (did you mean 'x'?)` for a near miss among options, else an empty string."""
    near = closest(word, options)
    return f" (did you mean '{near}'?)" if near else ""


def item_where(where: str, ftype: ListOf, number: int, item: YNode) -> str:
    """How problems name item `number` (from 1) of a list: `sequence entry 3 (bridge)` when
    the list names its items, else `how_to[3]`."""
    if ftype.item_name is None:
        return f"{where}[{number}]"
    label = f"{ftype.item_name} {number}"
    ident = item.value
    if isinstance(ident, dict) and ftype.id_field is not None:
        ident = ident[ftype.id_field].value if ftype.id_field in ident else None
    if isinstance(ident, str) and ident.strip():
        return f"{label} ({safe_text(ident.strip())[:60]})"
    return label


def field_where(where: str, key: str) -> str:
    """The name of field `key` inside `where`: `defaults.hold`, or after a named list item,
    `sequence entry 3 (bridge): hold`."""
    if not where:
        return key
    # A named list item ends with its id in brackets, or with its number when it has none.
    named = where.endswith(")") or where.rpartition(" ")[2].isdigit()
    return f"{where}: {key}" if named else f"{where}.{key}"


def describe(node: YNode) -> str:
    """Say briefly what a value is, for messages such as 'expected a number, got a list'."""
    value = node.value
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    text = repr(value) if isinstance(value, str) else str(value).lower()
    return text if len(text) <= 40 else text[:37] + "..."


class Checker:
    """Checks YNodes against field types, collecting every problem rather than stopping."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        """What was accepted but changed, such as control characters made visible."""

    def problem(self, mark: Mark, where: str, message: str) -> None:
        prefix = f"{where}: " if where else ""
        self.problems.append(Problem(self.path, mark.line, mark.column, prefix + message))

    def warning(self, mark: Mark, where: str, message: str) -> None:
        prefix = f"{where}: " if where else ""
        self.warnings.append(
            Problem(self.path, mark.line, mark.column, prefix + message, warning=True)
        )

    def check(self, node: YNode, ftype: FieldType, where: str) -> Any:
        """Return the checked value for node, or INVALID after recording why."""
        if isinstance(ftype, Obj):
            return self._object(node, ftype, where)
        if isinstance(ftype, ListOf):
            return self._list(node, ftype, where)
        value = node.value
        if isinstance(ftype, Switch):
            if isinstance(value, dict):
                return self._object(node, ftype.options, where)
            if not isinstance(value, bool):
                # A bare word is most likely the first option given alone ("voice: en-gb").
                first = ftype.options.fields[0].name
                hint = f" (did you mean {{{first}: {value}}}?)" if isinstance(value, str) else ""
                self.problem(
                    node.mark,
                    where,
                    f"expected true, false or a mapping of fields, got {describe(node)}{hint}",
                )
                return INVALID
            return value
        if isinstance(ftype, Text):
            return self._text(node, ftype, where)
        if isinstance(ftype, Duration):
            return self._duration(node, ftype, where)
        if isinstance(ftype, Angle) and value == ftype.word:
            return None
        if isinstance(ftype, Integer | Angle):
            if isinstance(value, bool) or not isinstance(value, int):
                what = (
                    "a whole number"
                    if isinstance(ftype, Integer)
                    else f"whole degrees or {ftype.word}"
                )
                self.problem(node.mark, where, f"expected {what}, got {describe(node)}")
                return INVALID
            if not ftype.minimum <= value <= ftype.maximum:
                self.problem(
                    node.mark, where, f"{value} is outside {ftype.minimum} to {ftype.maximum}"
                )
                return INVALID
            return value
        if isinstance(ftype, Boolean):
            if not isinstance(value, bool):
                self.problem(node.mark, where, f"expected true or false, got {describe(node)}")
                return INVALID
            return value
        # Choice
        if isinstance(value, str) and value in ftype.aliases:
            return ftype.aliases[value]
        if not isinstance(value, str) or value not in ftype.options:
            hint = ftype.suggestion(value) if isinstance(value, str) else ""
            self.problem(
                node.mark,
                where,
                f"{describe(node)} is not one of: {', '.join(ftype.options)}{hint}",
            )
            return INVALID
        return value

    def _text(self, node: YNode, ftype: Text, where: str) -> Any:
        value = node.value
        if isinstance(value, dict | list) or value is None:
            self.problem(node.mark, where, f"expected text, got {describe(node)}")
            return INVALID
        # A bare number or boolean as text is fine (a name like `90/90`); keep what was written.
        text = value if isinstance(value, str) else str(value).lower()
        text = text.strip()
        if not text:
            self.problem(node.mark, where, "must not be empty")
            return INVALID
        if len(text) > ftype.max_length:
            self.problem(
                node.mark, where, f"is {len(text)} characters long; at most {ftype.max_length}"
            )
            return INVALID
        if ftype.pattern and not re.fullmatch(ftype.pattern, text):
            self.problem(node.mark, where, f"{text!r} is not valid: {ftype.pattern_hint}")
            return INVALID
        unsafe = unsafe_characters(text)
        if unsafe:
            # Written as a YAML escape ("\e", "\x1b", "\u202e"): the reader lets those through.
            names = ", ".join(dict.fromkeys(f"U+{ord(ch):04X}" for _, ch in unsafe))
            self.warning(
                node.mark,
                where,
                f"control characters ({names}) are shown as symbols, never sent to the terminal",
            )
            text = safe_text(text)
        return text

    def _duration(self, node: YNode, ftype: Duration, where: str) -> Any:
        if isinstance(node.value, dict | list) or node.value is None:
            self.problem(node.mark, where, f"expected a duration such as 30s, got {describe(node)}")
            return INVALID
        try:
            seconds = parse_duration(node.value)
        except DurationError as error:
            self.problem(node.mark, where, str(error))
            return INVALID
        if seconds < ftype.minimum:
            self.problem(
                node.mark,
                where,
                f"{format_seconds(seconds)} is shorter than the minimum, "
                f"{format_seconds(ftype.minimum)}",
            )
            return INVALID
        if seconds > ftype.maximum:
            self.problem(
                node.mark,
                where,
                f"{format_seconds(seconds)} is longer than the maximum, "
                f"{format_seconds(ftype.maximum)}",
            )
            return INVALID
        return seconds

    def _list(self, node: YNode, ftype: ListOf, where: str) -> Any:
        items = node.value
        if not isinstance(items, list):
            if ftype.single_ok and items is not None and not isinstance(items, dict):
                items = [node]
            else:
                self.problem(node.mark, where, f"expected a list, got {describe(node)}")
                return INVALID
        if len(items) < ftype.min_items:
            self.problem(node.mark, where, f"needs at least {ftype.min_items} item(s)")
            return INVALID
        if len(items) > ftype.max_items:
            self.problem(node.mark, where, f"has {len(items)} items; at most {ftype.max_items}")
            return INVALID
        checked = [
            self.check(item, ftype.item, item_where(where, ftype, i + 1, item))
            for i, item in enumerate(items)
        ]
        return [value for value in checked if value is not INVALID]

    def _object(self, node: YNode, ftype: Obj, where: str) -> Any:
        value = node.value
        if ftype.shorthand and isinstance(value, str | int | float) and not isinstance(value, bool):
            value = {ftype.shorthand: node}
            key_marks = {ftype.shorthand: node.mark}
        elif isinstance(value, dict):
            key_marks = node.key_marks
        else:
            what = f"an {ftype.shorthand} id or " if ftype.shorthand else ""
            self.problem(
                node.mark, where, f"expected {what}a mapping of fields, got {describe(node)}"
            )
            return INVALID
        known = {f.name: f for f in ftype.fields}
        record = Record({}, node.mark)
        for key, child in value.items():
            key_where = field_where(where, key)
            spec = known.get(key)
            if spec is None:
                goes = ftype.elsewhere.get(key)
                hint = f"; {goes}" if goes else did_you_mean(key, list(known))
                self.problem(key_marks.get(key, node.mark), where, f"unknown field '{key}'{hint}")
                continue
            checked = self.check(child, spec.type, key_where)
            record.marks[key] = child.mark
            if checked is not INVALID:
                record.values[key] = checked
        for spec in ftype.fields:
            if spec.required and spec.name not in value:
                self.problem(node.mark, where, f"missing the required field '{spec.name}'")
        return record


DURATION_PATTERN = (
    r"^\s*(\d+(\.\d+)?|(\d+:)?\d+:\d{2}(\.\d+)?|"
    r"(\d+(\.\d+)?\s*(h|hr|hours?|m|min|mins|minutes?|s|sec|secs|seconds?)\s*)+)$"
)


def json_schema(ftype: FieldType, defs: dict[str, Any]) -> dict[str, Any]:
    """Return the JSON Schema for a field type; object types are collected into `defs`."""
    if isinstance(ftype, Obj):
        if ftype.name not in defs:
            defs[ftype.name] = {}  # placeholder first: lets a type refer to itself
            defs[ftype.name] = _object_schema(ftype, defs)
        ref = {"$ref": f"#/$defs/{ftype.name}"}
        if ftype.shorthand:
            return {"anyOf": [{"type": "string"}, ref]}
        return ref
    if isinstance(ftype, ListOf):
        array: dict[str, Any] = {
            "type": "array",
            "items": json_schema(ftype.item, defs),
            "maxItems": ftype.max_items,
        }
        if ftype.min_items:
            array["minItems"] = ftype.min_items
        if ftype.single_ok:
            return {"anyOf": [json_schema(ftype.item, defs), array]}
        return array
    if isinstance(ftype, Text):
        text: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": ftype.max_length}
        if ftype.pattern:
            text["pattern"] = f"^{ftype.pattern}$"
        return text
    if isinstance(ftype, Duration):
        return {
            "anyOf": [
                {"type": "number", "minimum": ftype.minimum, "maximum": ftype.maximum},
                {"type": "string", "pattern": DURATION_PATTERN},
            ]
        }
    if isinstance(ftype, Integer):
        return {"type": "integer", "minimum": ftype.minimum, "maximum": ftype.maximum}
    if isinstance(ftype, Angle):
        degrees = {"type": "integer", "minimum": ftype.minimum, "maximum": ftype.maximum}
        return {"anyOf": [degrees, {"const": ftype.word}]}
    if isinstance(ftype, Boolean):
        return {"type": "boolean"}
    if isinstance(ftype, Switch):
        return {"anyOf": [{"type": "boolean"}, json_schema(ftype.options, defs)]}
    if ftype.aliases:
        # Older words stay valid in editors too, marked so completion prefers the current ones.
        older = {"enum": list(ftype.aliases), "deprecated": True}
        return {"anyOf": [{"enum": list(ftype.options)}, older]}
    return {"enum": list(ftype.options)}


def _object_schema(ftype: Obj, defs: dict[str, Any]) -> dict[str, Any]:
    properties = {
        spec.name: {**json_schema(spec.type, defs), "description": spec.doc}
        for spec in ftype.fields
    }
    schema: dict[str, Any] = {
        "type": "object",
        "description": ftype.doc,
        "properties": properties,
        "additionalProperties": False,
    }
    required = [spec.name for spec in ftype.fields if spec.required]
    if required:
        schema["required"] = required
    return schema

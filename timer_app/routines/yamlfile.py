"""Reads one YAML document into `YNode`s that remember where each value stood in the file.

PyYAML's own loaders follow YAML 1.1: `1:30` becomes 5400 or 90, `no` becomes False, `010`
becomes 8, and a duplicate key silently wins. People writing routines mean none of that, so we
consume PyYAML's event stream ourselves and resolve plain scalars by the YAML 1.2 core rules:
only `true`/`false` are booleans, only plain decimal numbers are numbers, everything else is
text. We also refuse tags (no Python objects), bound nesting depth and alias expansion, and read
the bytes ourselves so that binary or non-UTF-8 files get a clear message.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from timer_app.routines.problems import FileProblems, Problem

MAX_FILE_BYTES = 1024 * 1024
"""Routine files are a few kilobytes; anything past this is not a routine."""
MAX_DEPTH = 32
"""The routine format nests four levels deep; this leaves room without risking recursion."""
MAX_NODES = 50_000
"""Values read, aliases counted at their expanded size: stops 'billion laughs' alias bombs."""

Scalar = str | int | float | bool | None

_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)(?:[eE][-+]?[0-9]+)?")
_STR_TAG = "tag:yaml.org,2002:str"


@dataclass(frozen=True)
class Mark:
    """A place in a file, counted from 1."""

    line: int
    column: int


@dataclass
class YNode:
    """A value from the file: a dict of YNodes, a list of YNodes, or a scalar, with its mark."""

    value: dict[str, YNode] | list[YNode] | Scalar
    mark: Mark
    key_marks: dict[str, Mark] = field(default_factory=dict)
    """For a mapping: where each key stands, so an unknown key can be pointed at."""
    size: int = 1
    """How many values this node expands to, aliases included."""
    quoted: bool = False
    """True for a quoted scalar, which is always text."""

    def to_python(self) -> object:
        """The plain value: dicts, lists and scalars, without marks."""
        if isinstance(self.value, dict):
            return {key: node.to_python() for key, node in self.value.items()}
        if isinstance(self.value, list):
            return [node.to_python() for node in self.value]
        return self.value


def _mark(event_mark: object) -> Mark:
    # PyYAML has a pure-Python and a C Mark class; both carry 0-based line and column.
    line = getattr(event_mark, "line", None)
    column = getattr(event_mark, "column", None)
    if not isinstance(line, int) or not isinstance(column, int):
        return Mark(0, 0)
    return Mark(line + 1, column + 1)


def resolve_plain(text: str) -> Scalar:
    """Resolve an unquoted scalar by YAML 1.2 core rules (no sexagesimal, no yes/no, no octal)."""
    if text in _NULL:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.fullmatch(text):
        return int(text, 10)
    if _FLOAT.fullmatch(text):
        return float(text)
    return text


class _Builder:
    """Turns the parser's events into YNodes, collecting problems instead of stopping at one."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.anchors: dict[str, YNode] = {}
        self.total = 0
        self.problems: list[Problem] = []

    def problem(self, mark: Mark, message: str) -> None:
        self.problems.append(Problem(self.path, mark.line, mark.column, message))

    def build(self, events: _Events) -> YNode | None:
        events.next()  # StreamStart
        if isinstance(events.peek(), yaml.StreamEndEvent):
            self.problem(Mark(1, 1), "the file is empty; a routine file starts with `title:`")
            return None
        events.next()  # DocumentStart
        node = self._node(events, depth=1)
        events.next()  # DocumentEnd
        second = events.next()
        if isinstance(second, yaml.DocumentStartEvent):
            self.problem(
                _mark(second.start_mark),
                "a routine file holds one YAML document; remove the second `---`",
            )
        return node

    def _count(self, node: YNode, mark: Mark) -> bool:
        self.total += node.size
        if self.total > MAX_NODES:
            self.problem(
                mark, f"the file expands to more than {MAX_NODES} values (too many aliases?)"
            )
            raise _Stop
        return True

    def _node(self, events: _Events, depth: int) -> YNode:
        event = events.next()
        mark = _mark(event.start_mark)
        if depth > MAX_DEPTH:
            self.problem(mark, f"values are nested more than {MAX_DEPTH} levels deep")
            raise _Stop
        if isinstance(event, yaml.AliasEvent):
            target = self.anchors.get(event.anchor or "")
            if target is None:
                self.problem(mark, f"unknown alias *{event.anchor}")
                target = YNode(None, mark)
            self._count(target, mark)
            return target
        tag = getattr(event, "tag", None)
        if tag is not None and tag not in (_STR_TAG, "!"):
            self.problem(mark, f"the tag {tag} is not allowed in a routine file; remove it")
            tag = _STR_TAG  # read on as plain text so the rest of the file is still checked
        if isinstance(event, yaml.ScalarEvent):
            quoted = not event.implicit[0] or tag == _STR_TAG
            value: Scalar = event.value if quoted else resolve_plain(event.value)
            node = YNode(value, mark, quoted=quoted)
            self._count(node, mark)
        elif isinstance(event, yaml.SequenceStartEvent):
            items: list[YNode] = []
            while not isinstance(events.peek(), yaml.SequenceEndEvent):
                items.append(self._node(events, depth + 1))
            events.next()
            node = YNode(items, mark, size=1 + sum(item.size for item in items))
            self.total += 1
        elif isinstance(event, yaml.MappingStartEvent):
            node = self._mapping(events, mark, depth)
        else:  # pragma: no cover - the parser only yields the events above here
            self.problem(mark, "unexpected YAML content")
            raise _Stop
        anchor = getattr(event, "anchor", None)
        if anchor:
            self.anchors[anchor] = node
        return node

    def _mapping(self, events: _Events, mark: Mark, depth: int) -> YNode:
        values: dict[str, YNode] = {}
        key_marks: dict[str, Mark] = {}
        while not isinstance(events.peek(), yaml.MappingEndEvent):
            key_event = events.peek()
            key_mark = _mark(key_event.start_mark)
            key_node = self._node(events, depth + 1)
            value_node = self._node(events, depth + 1)
            if not isinstance(key_event, yaml.ScalarEvent) or isinstance(
                key_node.value, dict | list
            ):
                self.problem(key_mark, "a key must be a plain name such as `title`")
                continue
            key = key_event.value
            if key == "<<":
                self.problem(key_mark, "merge keys (`<<`) are not supported; write the fields out")
                continue
            if key in values:
                first = key_marks[key]
                self.problem(
                    key_mark,
                    f"duplicate key '{key}' (first given at line {first.line}); keep only one",
                )
                continue
            values[key] = value_node
            key_marks[key] = key_mark
        size = 1 + sum(node.size for node in values.values())
        self.total += 1
        events.next()
        return YNode(values, mark, key_marks=key_marks, size=size)


# libyaml's parser (shipped in PyYAML's wheels) gives the same events and marks about ten
# times faster; loading every routine happens before the picker can draw.
_PARSER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Events:
    """The parser's events, pulled one at a time so that a limit stops the parser early too."""

    def __init__(self, text: str) -> None:
        self._events = yaml.parse(text, Loader=_PARSER)
        self._next: yaml.Event | None = None

    def peek(self) -> yaml.Event:
        if self._next is None:
            self._next = next(self._events)
        return self._next

    def next(self) -> yaml.Event:
        event = self.peek()
        self._next = None
        return event


class _Stop(Exception):
    """Ends reading early once a limit is hit; the problem is already recorded."""


def _too_big(path: Path, size: int) -> FileProblems:
    return FileProblems(
        [Problem(path, 0, 0, f"the file is {size} bytes; routine files are at most 1 MiB")]
    )


def decode(path: Path, data: bytes) -> str:
    """Decode a file's bytes as UTF-8 text, or raise FileProblems saying why it is not text."""
    if len(data) > MAX_FILE_BYTES:
        raise _too_big(path, len(data))
    if b"\x00" in data:
        raise FileProblems([Problem(path, 1, 1, "this is a binary file, not YAML text")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        raise FileProblems(
            [
                Problem(
                    path,
                    line,
                    column,
                    f"the file is not UTF-8 text (byte 0x{data[error.start]:02x}); "
                    "save it as UTF-8",
                )
            ]
        ) from None


def parse_text(path: Path, text: str) -> tuple[YNode, list[Problem]]:
    """Parse YAML text into a YNode tree and the problems that did not stop reading.

    A duplicate key, a refused tag or a merge key is reported and left out, so that the
    fields can still be checked and every problem of the file reported at once. Raises
    FileProblems when nothing usable could be read.
    """
    builder = _Builder(path)
    try:
        node = builder.build(_Events(text))
    except _Stop:
        node = None
    except yaml.MarkedYAMLError as error:
        mark, what = _syntax_error(error, text)
        raise FileProblems(
            [Problem(path, mark.line, mark.column, f"YAML syntax error: {what}")]
        ) from None
    except yaml.reader.ReaderError as error:
        # A control character: the error has a position in the text but no mark.
        before = text[: error.position]
        line = before.count("\n") + 1
        column = error.position - (before.rfind("\n") + 1) + 1
        code = error.character if isinstance(error.character, int) else ord(error.character)
        raise FileProblems(
            [Problem(path, line, column, f"control character U+{code:04X} is not allowed here")]
        ) from None
    if node is None:
        raise FileProblems(builder.problems)
    return node, builder.problems


_INDENTATION_HINT = (
    "check this line's indentation against the lines above it (fields of one mapping line up, "
    "a list's items start with '- ' at one column); a value holding ': ' needs quotes"
)
"""What the parser's words for a line at the wrong indentation mean to a person."""
_INDENTATION_PROBLEMS = (
    "mapping values are not allowed",
    "did not find expected key",
    "did not find expected '-' indicator",
    "expected <block end>",
)


def _syntax_error(error: yaml.MarkedYAMLError, text: str) -> tuple[Mark, str]:
    """Where a syntax error is and what it is, in the words of someone writing a routine.

    The parser's words name its own states; the mistakes behind them are few: a tab, a line
    at the wrong indentation, a quote never closed, a line without `:`.
    """
    mark = _mark(error.problem_mark or error.context_mark)
    problem = error.problem or "not valid YAML"
    context = error.context or ""
    index = getattr(error.problem_mark, "index", None)
    at_tab = isinstance(index, int) and 0 <= index < len(text) and text[index] == "\t"
    if at_tab or "tab character" in problem:
        return mark, "a tab; YAML indents with spaces only, so use spaces here"
    if "quoted scalar" in context and error.context_mark is not None:
        # The parser stops at the end of the file; the mistake is where the quote opened.
        return _mark(error.context_mark), "a quote opened here is never closed"
    if "simple key" in context and error.context_mark is not None:
        return _mark(error.context_mark), "a line without ':'; write it as `field: value`"
    if any(problem.startswith(known) for known in _INDENTATION_PROBLEMS):
        return mark, f"{problem}; {_INDENTATION_HINT}"
    return mark, problem


def read_text(path: Path) -> str:
    """A file's text, read as every routine file is read (`stretch validate`, the library,
    `stretch import`): at most `MAX_FILE_BYTES`, UTF-8, a byte order mark dropped. Failures
    raise FileProblems, never others."""
    try:
        with path.open("rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            if size > MAX_FILE_BYTES:
                raise _too_big(path, size)
            # Never more than the limit, even from a file whose size the system does not know.
            data = stream.read(MAX_FILE_BYTES + 1)
    except IsADirectoryError:
        raise FileProblems([Problem(path, 0, 0, "is a folder, not a file")]) from None
    except FileNotFoundError:
        raise FileProblems([Problem(path, 0, 0, "no such file or folder")]) from None
    except OSError as error:
        raise FileProblems(
            [Problem(path, 0, 0, f"cannot read the file: {error.strerror}")]
        ) from None
    return decode(path, data)


def read_yaml(path: Path) -> tuple[YNode, list[Problem]]:
    """Read and parse a YAML file; see `read_text` and `parse_text`. Failures raise
    FileProblems, never others."""
    return parse_text(path, read_text(path))

"""The YAML reader resolves values the way a person means them, not the YAML 1.1 way."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from timer_app.routines.problems import FileProblems
from timer_app.routines.yamlfile import parse_text


def load(text: str) -> Any:
    node, problems = parse_text(Path("t.yaml"), text)
    assert not problems
    return node.to_python()


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1:30", "1:30"),  # YAML 1.1: the integer 90 (sexagesimal)
        ("0:45", "0:45"),
        ("no", "no"),  # YAML 1.1: False
        ("yes", "yes"),
        ("on", "on"),
        ("010", 10),  # YAML 1.1: 8 (octal)
        ("0x10", "0x10"),
        ("1_000", "1_000"),
        ("true", True),
        ("false", False),
        ("30", 30),
        ("1.5", 1.5),
        ("'30'", "30"),
        ("~", None),
        ("2026-11-22", "2026-11-22"),  # YAML 1.1: a date object
    ],
)
def test_plain_scalars_resolve_by_yaml_12_core_rules(text: str, value: object) -> None:
    assert load(f"v: {text}\n") == {"v": value}


def test_marks_count_from_one() -> None:
    node, _ = parse_text(Path("t.yaml"), "a:\n  b: [1, 2]\n")
    assert isinstance(node.value, dict)
    inner = node.value["a"]
    assert isinstance(inner.value, dict)
    assert (inner.value["b"].mark.line, inner.value["b"].mark.column) == (2, 6)
    assert (inner.key_marks["b"].line, inner.key_marks["b"].column) == (2, 3)


def test_aliases_are_allowed_within_limits() -> None:
    assert load("a: &x {hold: 30s}\nb: *x\n") == {"a": {"hold": "30s"}, "b": {"hold": "30s"}}


def test_syntax_error_raises_file_problems_with_place() -> None:
    with pytest.raises(FileProblems) as error:
        parse_text(Path("t.yaml"), "a: [1,\n")
    [problem] = error.value.problems
    assert problem.line == 2
    assert str(problem).startswith("t.yaml:2:")

"""The shipped JSON Schema is current and agrees with the loader on real files."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from helpers import DATA, REPO
from timer_app.routines.json_schema import SCHEMA_FILE, schema_text
from timer_app.routines.yamlfile import read_yaml

SCHEMA_PATH = REPO / "schema" / SCHEMA_FILE
PRESETS = sorted((REPO / "routines").glob("*.yaml"))


def test_committed_schema_is_current() -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text(), (
        "schema/routine.schema.json is stale: run `python -m timer_app.routines.json_schema`"
    )


@pytest.mark.parametrize("path", PRESETS, ids=[p.stem for p in PRESETS])
def test_presets_follow_the_schema_and_point_editors_at_it(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../schema/routine.schema.json"
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    node, problems = read_yaml(path)
    assert not problems
    jsonschema.validate(node.to_python(), schema)


@pytest.mark.parametrize("path", PRESETS, ids=[p.stem for p in PRESETS])
def test_presets_mean_the_same_to_yaml_11_tools(path: Path) -> None:
    # Editors and scripts may read our files with YAML 1.1 rules; nothing in a preset may
    # change meaning there (an unquoted 1:30, a `no`, an `on:` key).
    node, _ = read_yaml(path)
    assert yaml.safe_load(path.read_text(encoding="utf-8")) == node.to_python()


@pytest.mark.parametrize(
    "name",
    [
        "unknown_key",
        "out_of_range",
        "bad_id",
        "wrong_types",
        "library_and_nothing",
        "misplaced_fields",
    ],
)
def test_schema_rejects_what_the_loader_rejects(name: str) -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    document = yaml.safe_load((DATA / "bad" / f"{name}.yaml").read_text(encoding="utf-8"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema)


def _properties(node: object, where: str) -> list[tuple[str, dict[str, object]]]:
    """Every property declared anywhere in a schema, with the path that leads to it."""
    found: list[tuple[str, dict[str, object]]] = []
    if isinstance(node, dict):
        for name, spec in node.get("properties", {}).items():
            found.append((f"{where}.{name}", spec))
        for key, child in node.items():
            found += _properties(child, f"{where}/{key}")
    elif isinstance(node, list):
        for index, child in enumerate(node):
            found += _properties(child, f"{where}[{index}]")
    return found


def test_every_field_is_described_for_editors() -> None:
    schema = json.loads(schema_text())
    properties = _properties(schema, "#")
    # Every field of the format, top level and nested (exercise, entry, tempo, defaults...).
    assert len(properties) >= 40
    names = {path.rsplit(".", 1)[-1] for path, _ in properties}
    assert {"source", "cautions", "notes", "suits", "targets", "switch", "tempo_reps"} <= names
    assert {"prepare", "note", "prepare_move", "end_hold", "optional", "move_floor"} <= names
    undescribed = [
        path
        for path, spec in properties
        if not isinstance(spec.get("description"), str) or len(str(spec["description"])) < 10
    ]
    assert not undescribed, f"fields without a description: {undescribed}"
    for name, definition in schema["$defs"].items():
        assert definition.get("description"), f"$defs.{name} has no description"

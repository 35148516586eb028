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

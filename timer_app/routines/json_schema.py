"""Generates the JSON Schema for routine files from the format's field declarations.

Run `python -m timer_app.routines.json_schema` to rewrite `schema/routine.schema.json`; a test
fails when the committed file is stale.
"""

from __future__ import annotations

import json
from typing import Any

from timer_app.core.paths import package_dir
from timer_app.routines.fields import json_schema
from timer_app.routines.format import ROUTINE_FILE

SCHEMA_FILE = "routine.schema.json"


def routine_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a routine or exercise-library file."""
    defs: dict[str, Any] = {}
    json_schema(ROUTINE_FILE, defs)
    root = dict(defs.pop(ROUTINE_FILE.name))
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "stretch-timer routine file",
        **root,
        # A routine needs a title and a sequence; a library file needs only exercises.
        "anyOf": [{"required": ["title", "sequence"]}, {"required": ["exercises"]}],
        "$defs": defs,
    }


def schema_text() -> str:
    return json.dumps(routine_schema(), indent=2, ensure_ascii=False) + "\n"


def main() -> None:
    path = package_dir("schema") / SCHEMA_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(schema_text(), encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()

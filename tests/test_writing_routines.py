"""The guide docs/writing-routines.md works as written, for a new user in a fresh home.

Every YAML example in it starts with `# file: NAME.yaml` (a file that must be valid) or
`# mistake: NAME.yaml` (one that must not be). The examples are written where a user would put
them, and each `$ stretch ...` block in the guide is run with the real command, which must
print exactly what the guide shows under it. The guide's field tables must say what
`stretch schema` says.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from helpers import REPO
from timer_app.cli.main import main
from timer_app.core.model import EQUIPMENT, POSITION_ALIASES, POSITIONS, SUITS
from timer_app.routines.format import ROUTINE_FILE, Obj

GUIDE_PATH = REPO / "docs" / "writing-routines.md"
GUIDE = GUIDE_PATH.read_text(encoding="utf-8")
BLOCKS = re.findall(r"^```(\w*)\n(.*?)^```$", GUIDE, flags=re.DOTALL | re.MULTILINE)
MARKER = re.compile(r"# (file|mistake): ([a-z0-9-]+\.yaml)\n")
EXAMPLES = [(language, body) for language, body in BLOCKS if language == "yaml"]
COMMANDS = [body for language, body in BLOCKS if language == "text" and body.startswith("$ ")]


def examples(kind: str) -> dict[str, str]:
    found = {}
    for _, body in EXAMPLES:
        match = MARKER.match(body)
        if match and match[1] == kind:
            found[match[2]] = body
    return found


@pytest.fixture
def written(user_routines: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The guide's valid examples in the user's routines folder, its mistakes in the current
    folder (where a person would run `stretch validate` on them)."""
    for name, body in examples("file").items():
        (user_routines / name).write_text(body, encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    for name, body in examples("mistake").items():
        (work / name).write_text(body, encoding="utf-8")
    monkeypatch.chdir(work)
    return user_routines


def test_every_yaml_example_says_which_file_it_is() -> None:
    assert len(EXAMPLES) >= 8
    for _, body in EXAMPLES:
        assert MARKER.match(body), f"a yaml block without '# file: NAME.yaml':\n{body}"
    names = [MARKER.match(body)[2] for _, body in EXAMPLES]  # type: ignore[index]
    assert len(names) == len(set(names)), "two examples share a file name"


def test_every_yaml_example_is_followed_by_what_stretch_prints() -> None:
    for index, (language, body) in enumerate(BLOCKS):
        if language == "yaml":
            following_language, following = BLOCKS[index + 1]
            assert following_language == "text" and following.startswith("$ stretch "), (
                f"no `$ stretch ...` output right below:\n{body}"
            )


def test_the_examples_are_valid_and_the_mistakes_are_not(
    written: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = sorted(written.glob("*.yaml"))
    assert main(["validate", *map(str, files)]) == 0
    out, err = capsys.readouterr()
    # No problems and no warnings: the only line is the count.
    assert out == f"{len(files)} files valid: {len(files) - 1} routines\n" and err == ""
    for name in examples("mistake"):
        assert main(["validate", name]) == 1
        capsys.readouterr()


@pytest.mark.parametrize("block", COMMANDS, ids=[b.splitlines()[0][2:] for b in COMMANDS])
def test_each_command_prints_what_the_guide_shows(
    written: Path, capsys: pytest.CaptureFixture[str], block: str
) -> None:
    command, *expected = block.rstrip("\n").split("\n")
    argv = shlex.split(command[2:])
    assert argv[0] == "stretch"
    main(argv[1:])
    out = capsys.readouterr().out
    assert out.rstrip("\n").split("\n") == expected


def _objects(obj: Obj, seen: dict[str, Obj]) -> dict[str, Obj]:
    seen[obj.name] = obj
    for spec in obj.fields:
        inner = getattr(spec.type, "item", spec.type)
        if isinstance(inner, Obj) and inner.name not in seen:
            _objects(inner, seen)
    return seen


def test_the_field_tables_say_what_the_schema_says() -> None:
    reference = GUIDE.split("## Every field", 1)[1]
    for obj in _objects(ROUTINE_FILE, {}).values():
        assert obj.doc in reference, f"the guide does not describe {obj.name}"
        for spec in obj.fields:
            required = "yes" if spec.required else ""
            row = f"| `{spec.name}` | {required} | {spec.doc} |"
            assert row in reference, f"{obj.name}.{spec.name} is missing or differs:\n{row}"


def test_the_guide_names_every_position_piece_of_equipment_and_suit() -> None:
    for word in (*POSITIONS, *POSITION_ALIASES, *EQUIPMENT, *SUITS):
        assert f"`{word}`" in GUIDE, word


def test_the_readme_points_at_the_guide() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "(docs/writing-routines.md)" in readme

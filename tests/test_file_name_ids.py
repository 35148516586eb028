"""A routine file without `id:` takes its id from its name; a name that is not a valid id
(`My Legs.yaml`) still loads, with a located warning that says which name or `id:` to use."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import DATA, run_main
from timer_app.core.text import slug
from timer_app.routines.library import load_library

ROUTINE = "# my own\ntitle: Legs\nsequence: [hamstring-stretch]\n"


def test_validate_and_the_library_warn_and_still_load_the_routine(
    capsys: pytest.CaptureFixture[str], user_routines: Path
) -> None:
    path = user_routines / "My Legs.yaml"
    path.write_text(ROUTINE, encoding="utf-8")
    warning = (
        f"{path}:2:1: warning: the routine's id comes from the file name, 'My Legs', which is "
        "not a valid id; rename the file my-legs.yaml or add the line `id: my-legs`"
    )
    status, out, err = run_main(capsys, "validate", str(path))
    assert (status, out.splitlines(), err) == (0, [warning, "1 file valid: 1 routine"], "")

    library = load_library()
    assert library.routines["My Legs"].title == "Legs"
    assert [str(w) for w in library.warnings] == [warning]
    status, out, err = run_main(capsys, "list")
    assert status == 0 and "My Legs" in out
    assert err.splitlines() == [warning]


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [
        ("Neck.yml", "rename the file neck.yml or add the line `id: neck`"),
        ("my_back.yaml", "rename the file my-back.yaml or add the line `id: my-back`"),
        ("Étirements du soir.yaml", "rename the file etirements-du-soir.yaml"),
        ("股四頭筋.yaml", "rename the file in lower-case letters, digits and hyphens"),
        ("bell\x07.yaml", "rename the file bell.yaml or add the line `id: bell`"),
    ],
)
def test_the_suggested_name_is_the_slug_of_the_file_name(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, suggestion: str
) -> None:
    path = tmp_path / name
    path.write_text(ROUTINE, encoding="utf-8")
    status, out, _ = run_main(capsys, "validate", str(path))
    assert status == 0
    [warning, _] = out.splitlines()
    assert suggestion in warning
    assert "\x07" not in out


def test_no_warning_for_a_valid_name_an_id_field_or_an_exercise_library(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "my-legs.yaml").write_text(ROUTINE, encoding="utf-8")
    (tmp_path / "My Other Legs.yaml").write_text("id: other-legs\n" + ROUTINE, encoding="utf-8")
    (tmp_path / "My Exercises.yaml").write_text(
        "exercises:\n  - {id: reach, name: Reach, how_to: Reach up., position: standing}\n",
        encoding="utf-8",
    )
    status, out, _ = run_main(capsys, "validate", str(tmp_path))
    assert (status, out) == (0, "3 files valid: 2 routines\n")


def test_import_names_the_id_to_give_and_with_it_says_nothing_of_the_name(
    capsys: pytest.CaptureFixture[str], user_routines: Path, tmp_path: Path
) -> None:
    path = tmp_path / "My Legs.yaml"
    path.write_text(ROUTINE, encoding="utf-8")
    status, _, err = run_main(capsys, "import", str(path))
    assert status == 1
    assert err.splitlines() == [
        f"{path}: the routine's id comes from the file name, 'My Legs', which is not a valid "
        "id; import it with --as my-legs",
        "1 problem; nothing was imported",
    ]
    status, _, err = run_main(capsys, "import", str(path), "--as", "my-legs")
    assert (status, err) == (0, "")
    assert (user_routines / "my-legs.yaml").read_text(encoding="utf-8") == ROUTINE


def test_slug() -> None:
    assert slug("Knee to chest!") == "knee-to-chest"
    assert slug("  Étirement du psoas #2 ") == "etirement-du-psoas-2"
    assert slug("my_back") == "my-back"
    assert slug("股四頭筋") == ""
    assert slug("a" * 59 + " b") == "a" * 59  # cut at 60, never ending in a hyphen


def test_a_feeel_title_with_accents_keeps_its_letters_in_the_id(
    capsys: pytest.CaptureFixture[str], user_routines: Path, tmp_path: Path
) -> None:
    export = json.loads((DATA / "feeel" / "desk-break.feeel").read_text(encoding="utf-8"))
    export["fullWorkout"]["workout"]["title"] = "Étirements à midi"
    path = tmp_path / "midi.feeel"
    path.write_text(json.dumps(export), encoding="utf-8")
    status, out, _ = run_main(capsys, "import", str(path))
    assert status == 0
    assert out.splitlines()[-1] == "Run it with: stretch run etirements-a-midi"

"""`stretch exercises`: the library a routine can use by id, filtered by position and equipment."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import REPO, on_terminal, run_main, stretch
from timer_app.routines.library import load_library

MY_LIBRARY = """\
exercises:
  - id: desk-lean
    name: Desk lean
    how_to: [Hands on the desk, feet back., Let your chest sink.]
    position: standing
    equipment: [counter]
"""


def test_lists_every_library_exercise_with_its_dose_and_source() -> None:
    # On a terminal wide enough for the table (a pipe gets the 80-column layout).
    out = on_terminal("exercises", columns=200)
    header, *rows = out.splitlines()
    assert header.split() == [
        "ID", "NAME", "POSITION", "PER", "SIDE", "EQUIPMENT", "DEFAULT", "DOSE", "SOURCE"
    ]  # fmt: skip
    library = load_library(user=False)
    assert [row.split()[0] for row in rows] == sorted(library.exercises)
    knee = next(row for row in rows if row.startswith("knee-to-chest "))
    assert "Knee to chest" in knee and "lying-back" in knee and " yes " in knee
    assert "3 holds of 30 s each side, 5 s rest" in knee and knee.endswith("built-in")


def test_position_takes_the_words_people_use() -> None:
    seated = on_terminal("exercises", "--position", "seated", columns=200)
    sitting = on_terminal("exercises", "--position", "Sitting", columns=200)
    assert sitting == seated
    rows = seated.splitlines()[1:]
    assert rows and all(" seated " in row for row in rows)
    assert {row.split()[0] for row in rows} >= {"chin-to-chest", "seated-rotation"}
    assert not any("lying-back" in row for row in rows)


@pytest.mark.parametrize(
    ("option", "written", "hint"),
    [
        ("--position", "sittting", "(did you mean 'seated'?)"),
        ("--position", "lying-bak", "(did you mean 'lying-back'?)"),
        ("--equipment", "towl", "(did you mean 'towel'?)"),
    ],
)
def test_an_unknown_filter_is_a_usage_error_with_a_suggestion(
    option: str, written: str, hint: str
) -> None:
    result = stretch("exercises", option, written)
    assert result.returncode == 2
    assert result.stdout == ""
    assert f"argument {option}: '{written}' is not one of:" in result.stderr
    assert hint in result.stderr
    assert "Traceback" not in result.stderr


def test_json_is_the_documented_fields_and_filters_by_equipment(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run_main(capsys, "exercises", "--json", "--equipment", "towel")
    assert status == 0
    items = json.loads(out)
    assert items and all("towel" in item["equipment"] for item in items)
    hamstring = next(item for item in items if item["id"] == "hamstring-stretch")
    assert hamstring == {
        "id": "hamstring-stretch",
        "name": "Hamstring stretch with a towel",
        "position": "lying-back",
        "per_side": True,
        "equipment": ["towel"],
        "targets": hamstring["targets"],
        "how_to": hamstring["how_to"],
        "cautions": [],
        "default_dose": {"hold_s": 30.0, "reps": 3, "rest_s": 5.0},
        "preset": True,
        "path": str(REPO / "routines" / "exercises.yaml"),
    }
    assert hamstring["how_to"] and hamstring["targets"]


def test_the_users_own_library_is_listed_with_its_file(
    user_routines: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = user_routines / "my-exercises.yaml"
    mine.write_text(MY_LIBRARY, encoding="utf-8")
    out = on_terminal("exercises", "--equipment", "counter", "--position", "stand", columns=200)
    # A word for the same thing gives the same list.
    status, piped, _ = run_main(
        capsys, "exercises", "--equipment", "counter", "--position", "stand"
    )
    assert status == 0
    assert run_main(capsys, "exercises", "--equipment", "Desk", "--position", "stand")[1] == piped
    lean = next(row for row in out.splitlines() if row.startswith("desk-lean "))
    shown = "~/.config/stretch-timer/routines/my-exercises.yaml"
    assert lean.endswith(shown) and "3 holds of 30 s, 5 s rest" in lean
    status, out, _ = run_main(capsys, "exercises", "--json")
    item = next(item for item in json.loads(out) if item["id"] == "desk-lean")
    assert item["preset"] is False and item["path"] == str(mine)


def test_no_match_says_so_and_is_not_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run_main(
        capsys, "exercises", "--position", "kneeling", "--equipment", "wall"
    )
    assert status == 0
    assert out == ""
    assert "no exercise matches" in err
    status, out, _ = run_main(
        capsys, "exercises", "--json", "--position", "kneeling", "--equipment", "wall"
    )
    assert json.loads(out) == []

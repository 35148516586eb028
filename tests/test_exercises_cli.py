"""`stretch exercises`: the library a routine can use by id, filtered by position and equipment."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from helpers import REPO, on_terminal, run_main, stretch
from timer_app.core.model import Dosage
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
    assert "hold 30 s \u00d7 3 each side, 5 s rest" in knee and knee.endswith("built-in")
    # cat/cow as the presets do it, tempo reps: the builder adds it so, a bare id gets it.
    cat_cow = next(row for row in rows if row.startswith("cat-cow "))
    assert "5 reps: 3 s on, 3 s off" in cat_cow


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
        "default_dose": {"kind": "hold", "hold_s": 15.0, "reps": 5, "rest_s": 0.0},
        "preset": True,
        "path": str(REPO / "routines" / "exercises.yaml"),
    }
    assert hamstring["how_to"] and hamstring["targets"]
    status, out, _ = run_main(capsys, "exercises", "--json", "--position", "hands-knees")
    cat_cow = next(item for item in json.loads(out) if item["id"] == "cat-cow")
    assert cat_cow["default_dose"] == {
        "kind": "tempo",
        "reps": 5,
        "pressure_on_s": 3.0,
        "end_hold_s": 0.0,
        "pressure_off_s": 3.0,
    }


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
    assert lean.endswith(shown) and "hold 30 s \u00d7 3, 5 s rest" in lean
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


def test_each_library_exercise_has_the_dose_most_presets_give_it() -> None:
    # One table: the library's `dose:` is what `stretch exercises` shows, the builder adds and
    # a bare id gets; it must be how the presets (which follow their sources) do it.
    library = load_library(user=False)
    given: dict[str, Counter[Dosage]] = {}
    for routine in library.routines.values():
        for entry in routine.entries:
            given.setdefault(entry.exercise.id, Counter())[entry.dosage] += 1
    for exercise in library.exercises.values():
        assert exercise.dose is not None, exercise.id
        most = max(given[exercise.id].values())
        assert given[exercise.id][exercise.dose] == most, (exercise.id, given[exercise.id])


def test_a_bare_id_gets_the_dose_shown_and_the_routines_defaults_still_win(
    user_routines: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (user_routines / "bare.yaml").write_text(
        "title: Bare\nsequence:\n  - cat-cow\n  - hamstring-stretch\n", encoding="utf-8"
    )
    (user_routines / "mine.yaml").write_text(
        "title: Mine\ndefaults:\n  hold: 20s\n  tempo_reps: 4\n"
        "sequence:\n  - cat-cow\n  - hamstring-stretch\n  - exercise: knee-to-chest\n"
        "    reps: 1\n",
        encoding="utf-8",
    )
    status, out, _ = run_main(capsys, "show", "bare")
    assert status == 0
    assert re.search(r"Pressure off: Cat/cow +5/5 +3 s", out), out  # as listed: 5 reps
    assert re.search(r"Hold: Hamstring stretch with a towel +left +5/5 +15 s", out), out
    status, out, _ = run_main(capsys, "show", "mine")
    assert status == 0
    assert re.search(r"Pressure off: Cat/cow +4/4", out) and not re.search(r"Cat/cow +5/5", out)
    assert re.search(r"Hold: Hamstring stretch with a towel +left +5/5 +20 s", out), out
    assert re.search(r"Hold: Knee to chest +left +1/1 +20 s", out), out

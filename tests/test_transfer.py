"""`stretch export` and `stretch import`: sharing routines as files, and Feeel workouts."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from helpers import DATA
from timer_app.cli.main import main
from timer_app.core.model import Hold, Timed
from timer_app.core.plan import compile_plan
from timer_app.routines.importing import with_id
from timer_app.routines.library import load_library

FEEEL = DATA / "feeel" / "desk-break.feeel"

MY_EXERCISES = """\
exercises:
  - id: wall-angel
    name: "Wall angel: slow"
    how_to: ["Stand with your back to a wall.", "Slide your arms up — gently."]
    position: standing
    equipment: wall
"""

MY_ROUTINE = """\
# My own, with an exercise of my own
id: my-mornings
title: "Mornings #1"
defaults: {hold: 20s, reps: 2}
sequence:
  - wall-angel
  - exercise: ear-to-shoulder
    side_order: alternate
    rest: 3s
"""


def run_main(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def move_home(monkeypatch: pytest.MonkeyPatch, home: Path) -> Path:
    """Become another user: a fresh HOME and XDG folders. Returns their routines folder."""
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    return home / ".config" / "stretch-timer" / "routines"


def test_a_user_routine_exported_and_imported_elsewhere_runs_the_same(
    capsys: pytest.CaptureFixture[str],
    user_routines: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (user_routines / "my-exercises.yaml").write_text(MY_EXERCISES, encoding="utf-8")
    (user_routines / "my-mornings.yaml").write_text(MY_ROUTINE, encoding="utf-8")
    original = load_library().routines["my-mornings"]
    shared = tmp_path / "shared" / "mornings.yaml"

    status, out, err = run_main(capsys, "export", "my-mornings", "-o", str(shared))
    assert (status, err) == (0, "")
    assert f"to {shared}" in out
    assert "name: 'Wall angel: slow'" in shared.read_text(encoding="utf-8")

    # Someone else, without the exercise library: the file checks and imports on its own.
    theirs = move_home(monkeypatch, tmp_path / "friend")
    assert "wall-angel" not in load_library().exercises
    assert run_main(capsys, "validate", str(shared))[0] == 0
    status, out, err = run_main(capsys, "import", str(shared))
    assert (status, err) == (0, "")
    saved = theirs / "my-mornings.yaml"
    assert out.splitlines() == [
        f"Imported the routine \u201cMornings #1\u201d as {saved}",
        "Run it with: stretch run my-mornings",
    ]
    imported = load_library().routines["my-mornings"]
    assert compile_plan(imported).steps == compile_plan(original).steps
    assert replace(imported, path=None) == replace(original, path=None)


@pytest.mark.parametrize("routine_id", ["doctor-jo-dont-crack-your-back", "spine-health-five"])
def test_a_preset_exported_to_stdout_imports_under_a_new_id_with_the_same_plan(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, routine_id: str
) -> None:
    status, out, _ = run_main(capsys, "export", routine_id)
    assert status == 0
    assert out.startswith("# yaml-language-server: $schema=../routine.schema.json\n")
    shared = tmp_path / "shared.yaml"
    shared.write_text(out, encoding="utf-8")
    assert run_main(capsys, "validate", str(shared))[0] == 0

    status, _, err = run_main(capsys, "import", str(shared))
    assert status == 1
    assert f"the id '{routine_id}' is taken by a preset" in err
    assert "--as NEW_ID" in err

    status, out, _ = run_main(capsys, "import", str(shared), "--as", "mine")
    assert status == 0
    assert out.endswith("Run it with: stretch run mine\n")
    library = load_library()
    original, copy = library.routines[routine_id], library.routines["mine"]
    assert copy.path is not None and copy.path.name == "mine.yaml" and not copy.preset
    assert compile_plan(copy).steps == compile_plan(original).steps


def test_an_import_never_replaces_the_users_routine(
    capsys: pytest.CaptureFixture[str], user_routines: Path, tmp_path: Path
) -> None:
    (user_routines / "my-exercises.yaml").write_text(MY_EXERCISES, encoding="utf-8")
    (user_routines / "my-mornings.yaml").write_text(MY_ROUTINE, encoding="utf-8")
    other = tmp_path / "other.yaml"
    other.write_text(MY_ROUTINE.replace("Mornings #1", "Someone else's"), encoding="utf-8")
    status, _, err = run_main(capsys, "import", str(other))
    assert status == 1
    assert f"taken by your routine in {user_routines / 'my-mornings.yaml'}" in err
    assert (user_routines / "my-mornings.yaml").read_text(encoding="utf-8") == MY_ROUTINE
    assert sorted(p.name for p in user_routines.iterdir()) == [
        "my-exercises.yaml",
        "my-mornings.yaml",
    ]


def test_a_broken_file_reports_every_problem_and_copies_nothing(
    capsys: pytest.CaptureFixture[str], isolated_home: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "title: Broken\nsequence:\n  - exercise: nope\n  - exercise: chin-to-chest\n    hodl: 3\n",
        encoding="utf-8",
    )
    status, out, err = run_main(capsys, "import", str(broken))
    assert (status, out) == (1, "")
    assert err.splitlines() == [
        f"{broken}:3:15: sequence entry 1 (nope): unknown exercise 'nope'; `stretch exercises`"
        " lists the library's",
        f"{broken}:5:5: sequence entry 2 (chin-to-chest): unknown field 'hodl'"
        " (did you mean 'hold'?)",
        "2 problems; nothing was imported",
    ]
    assert not (isolated_home / ".config" / "stretch-timer").exists()


def test_the_id_follows_as_and_the_file_keeps_its_comments(
    capsys: pytest.CaptureFixture[str], user_routines: Path, tmp_path: Path
) -> None:
    source = tmp_path / "Morning Stretch.yaml"  # no `id:`: the id would come from the name
    body = "# mine\ntitle: Morning\nsequence: [chin-to-chest]  # just one\n"
    source.write_text(body, encoding="utf-8")
    status, _, err = run_main(capsys, "import", str(source))
    assert status == 1
    assert "'Morning Stretch', which cannot name a routine file" in err
    assert "--as ID" in err

    assert run_main(capsys, "import", str(source), "--as", "morning")[0] == 0
    assert (user_routines / "morning.yaml").read_text(encoding="utf-8") == body
    assert load_library().routines["morning"].title == "Morning"

    # With an `id:`, `--as` rewrites it, and only it.
    named = tmp_path / "named.yaml"
    named.write_text('# top\nid: "first"  # the id\ntitle: Named\nsequence: [chin-to-chest]\n')
    assert run_main(capsys, "import", str(named), "--as", "second")[0] == 0
    assert (user_routines / "second.yaml").read_text(encoding="utf-8") == (
        "# top\nid: second  # the id\ntitle: Named\nsequence: [chin-to-chest]\n"
    )
    assert "second" in load_library().routines
    assert "first" not in load_library().routines


def test_with_id_changes_the_top_level_id_only() -> None:
    text = "sequence:\n  - {exercise: x, id: 2}\nnotes: [id]\nid: old\n"
    assert with_id(text, "new") == "sequence:\n  - {exercise: x, id: 2}\nnotes: [id]\nid: new\n"
    assert with_id("id: a\n", "1e5") == "id: '1e5'\n"  # would read as a number unquoted
    with pytest.raises(ValueError, match="no top-level `id:`"):
        with_id("title: no id\n", "new")


def test_a_feeel_workout_imports_its_pair_and_single_and_names_what_it_cannot(
    capsys: pytest.CaptureFixture[str], user_routines: Path
) -> None:
    status, out, err = run_main(capsys, "import", str(FEEEL))
    assert status == 0
    assert out.splitlines()[-1] == "Run it with: stretch run desk-break-neck-shoulders"
    assert err.splitlines() == [
        f"{FEEEL}: warning: fullWorkout.workoutExercises[3]: not imported: Jumping jacks "
        "(Feeel exercise 320): stretch-timer has no exercise like it",
        f"{FEEEL}: warning: fullWorkout.workoutExercises[5]: Levator scapulae stretch "
        "(right): Feeel has only the right side here; stretch-timer does both sides",
    ]
    routine = load_library().routines["desk-break-neck-shoulders"]
    assert routine.title == "Desk break: neck & shoulders"
    assert routine.path == user_routines / "desk-break-neck-shoulders.yaml"
    entries = routine.entries
    assert [entry.exercise.id for entry in entries] == [
        "chin-tuck",  # a gentle move the library lacks, defined in the file
        "ear-to-shoulder",  # left and right: one exercise, done per side
        "chin-to-chest",
        "levator-scapula-stretch",  # only the right in Feeel: both sides, right first
    ]
    assert entries[0].dosage == Timed(20) and entries[0].prepare == 5
    pair = entries[1]
    assert pair.dosage == Hold(30, 1, 5) and pair.switch == 3 and pair.side_order == "left-first"
    assert entries[3].side_order == "right-first" and entries[3].prepare == 15
    assert "Jumping jacks" in " ".join(routine.notes)
    plan = compile_plan(routine)
    holds = [(s.exercise.id, s.side) for s in plan.steps if s.kind == "hold"]
    assert holds[:2] == [("ear-to-shoulder", "left"), ("ear-to-shoulder", "right")]
    assert run_main(capsys, "validate", str(routine.path))[0] == 0


def test_a_feeel_workout_with_nothing_to_import_copies_nothing(
    capsys: pytest.CaptureFixture[str], isolated_home: Path, tmp_path: Path
) -> None:
    export = json.loads(FEEEL.read_text(encoding="utf-8"))
    export["fullWorkout"]["workoutExercises"] = [
        {"workoutId": 12, "orderPosition": 0, "exercise": 482},
        {"workoutId": 12, "orderPosition": 1, "exercise": 123456},
    ]
    path = tmp_path / "strength.feeel"
    path.write_text(json.dumps(export), encoding="utf-8")
    status, _, err = run_main(capsys, "import", str(path))
    assert status == 1
    assert "Push-ups (Feeel exercise 482)" in err
    assert "an exercise Feeel does not ship (Feeel exercise 123456)" in err
    assert "nothing to import" in err
    assert not (isolated_home / ".config" / "stretch-timer").exists()


def test_a_broken_feeel_file_is_located(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "broken.feeel"
    path.write_text('{"fullWorkout": {"workout": {"title": "x",}}}', encoding="utf-8")
    status, _, err = run_main(capsys, "import", str(path))
    assert status == 1
    assert err.startswith(f"{path}:1:43: not JSON: ")
    path.write_text('{"fullWorkout": {"workout": {"title": "x", "countdownDuration": -1}}}')
    status, _, err = run_main(capsys, "import", str(path))
    assert status == 1
    assert "fullWorkout.workoutExercises: missing" in err


def test_hostile_text_in_a_feeel_workout_is_saved_and_shown_as_symbols(
    capsys: pytest.CaptureFixture[str], user_routines: Path, tmp_path: Path
) -> None:
    export = json.loads(FEEEL.read_text(encoding="utf-8"))
    export["fullWorkout"]["workout"]["title"] = "\ud800Neck \x1b[31mred\u202e: # - 'q'"
    path = tmp_path / "hostile.feeel"
    path.write_text(json.dumps(export), encoding="utf-8")
    status, out, _ = run_main(capsys, "import", str(path))
    assert status == 0
    assert "\x1b" not in out and "\u202e" not in out
    [saved] = user_routines.glob("*.yaml")
    assert saved.name == "neck-31mred-q.yaml"
    routine = load_library().routines["neck-31mred-q"]
    assert routine.title == "<U+D800>Neck \u241b[31mred<U+202E>: # - 'q'"

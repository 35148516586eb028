"""`stretch export` and `stretch import`: sharing routines as files, and Feeel workouts."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from helpers import DATA, run_main
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
    shared.parent.mkdir()

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
    assert err.splitlines() == [
        f"{source}: the routine's id comes from the file name, 'Morning Stretch', which is "
        "not a valid id; import it with --as morning-stretch",
        "1 problem; nothing was imported",
    ]

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


@pytest.fixture
def shared(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Path:
    """The neck-stretches preset, exported to a file as someone would send it."""
    path = tmp_path / "shared.yaml"
    assert run_main(capsys, "export", "neck-stretches", "-o", str(path))[0] == 0
    return path


def test_a_copy_of_a_routine_in_the_list_is_titled_as_a_copy_unless_given_a_title(
    capsys: pytest.CaptureFixture[str], user_routines: Path, tmp_path: Path, shared: Path
) -> None:
    # Imported under a new id, the file's title would be listed twice in the picker.
    status, out, _ = run_main(capsys, "import", str(shared), "--as", "my-neck")
    assert status == 0
    assert "\u201cBasic neck stretches (copy)\u201d" in out
    assert "a routine in your list is \u201cBasic neck stretches\u201d already" in out
    assert run_main(capsys, "import", str(shared), "--as", "my-neck-2")[0] == 0
    # A title with a colon is quoted as YAML needs; the given one is taken as it is.
    exported = tmp_path / "crack.yaml"
    assert run_main(capsys, "export", "doctor-jo-dont-crack-your-back", "-o", str(exported))[0] == 0
    assert run_main(capsys, "import", str(exported), "--as", "crack")[0] == 0
    status, out, _ = run_main(
        capsys, "import", str(shared), "--as", "evening-neck", "--title", "Neck: evenings"
    )
    assert status == 0 and "Titled as a copy" not in out
    titles = {r.id: r.title for r in load_library().routines.values()}
    assert titles["neck-stretches"] == "Basic neck stretches"
    assert titles["my-neck"] == "Basic neck stretches (copy)"
    assert titles["my-neck-2"] == "Basic neck stretches (copy 2)"
    assert titles["crack"] == "Doctor Jo: instead of cracking your back (copy)"
    assert titles["evening-neck"] == "Neck: evenings"
    assert len(set(titles.values())) == len(titles)  # no title twice in the list
    status, out, _ = run_main(capsys, "list")
    assert status == 0 and "Basic neck stretches (copy 2)" in out
    # The rest of the file is the exporter's, as written.
    text = (user_routines / "my-neck.yaml").read_text(encoding="utf-8")
    assert text == shared.read_text(encoding="utf-8").replace(
        "id: neck-stretches\ntitle: Basic neck stretches\n",
        "id: my-neck\ntitle: Basic neck stretches (copy)\n",
    )


def test_a_title_that_a_routine_file_could_not_hold_is_refused(
    capsys: pytest.CaptureFixture[str], user_routines: Path, shared: Path
) -> None:
    for title in ("", "  ", "x" * 101, "a\x1bb"):
        status, _, err = run_main(capsys, "import", str(shared), "--as", "n", "--title", title)
        assert status == 2 and err.startswith("stretch: --title "), err
    assert list(user_routines.iterdir()) == []


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


UNUSABLE = {
    "empty.yaml": b"",
    "syntax.yaml": b"title: Bad\nsequence:\n  - exercise: bridge\n     hold: 10s\n",
    "list.yaml": b"- bridge\n",
    "latin1.yaml": "title: Caf\u00e9\nsequence: [bridge]\n".encode("latin-1"),
    "huge.yaml": b"# " + b"x" * (1024 * 1024) + b"\n",
}


@pytest.mark.parametrize("name", sorted(UNUSABLE))
def test_a_file_that_cannot_be_read_as_a_routine_is_reported_as_validate_reports_it(
    capsys: pytest.CaptureFixture[str], user_routines: Path, tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    path.write_bytes(UNUSABLE[name])
    status, out, _ = run_main(capsys, "validate", str(path))
    assert status == 1
    problem = out.splitlines()[0]
    assert problem.startswith(str(path))
    status, out, err = run_main(capsys, "import", str(path))
    assert (status, out) == (1, "")
    assert err.splitlines() == [problem, "1 problem; nothing was imported"]
    assert list(user_routines.iterdir()) == []


def test_a_folder_a_missing_file_or_an_exercise_library_is_refused_with_a_reason(
    capsys: pytest.CaptureFixture[str], user_routines: Path, tmp_path: Path
) -> None:
    library = tmp_path / "my-exercises.yaml"
    library.write_text(MY_EXERCISES, encoding="utf-8")
    cases = {
        tmp_path: "is a folder, not a file",
        tmp_path / "missing.yaml": "no such file or folder",
        library: "is an exercise library, not a routine; `stretch import` takes routines (to "
        "use its exercises, copy the file into your routines folder)",
    }
    for path, reason in cases.items():
        status, out, err = run_main(capsys, "import", str(path))
        assert (status, out) == (1, "")
        assert err.splitlines() == [f"{path}: {reason}", "1 problem; nothing was imported"]
    assert list(user_routines.iterdir()) == []


def test_a_file_with_a_byte_order_mark_imports_without_it(
    capsys: pytest.CaptureFixture[str], user_routines: Path, tmp_path: Path
) -> None:
    path = tmp_path / "bom-test.yaml"
    path.write_bytes(b"\xef\xbb\xbftitle: With a BOM\nsequence: [bridge]\n")
    assert run_main(capsys, "import", str(path))[0] == 0
    assert (user_routines / "bom-test.yaml").read_bytes().startswith(b"title: With a BOM\n")


def test_export_writes_a_new_file_only_where_asked(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    existing = tmp_path / "mine.yaml"
    existing.write_text("mine\n", encoding="utf-8")
    refusals = {
        "mine.yaml": "stretch: mine.yaml already exists; give another file name",
        "typo/neck.yaml": "stretch: cannot write typo/neck.yaml: there is no folder typo",
        ".": "stretch: . is a folder; give a file name, e.g. neck-stretches.yaml",
        "my folder": "stretch: 'my folder' is a folder; give a file name, e.g. "
        "'my folder/neck-stretches.yaml'",
    }
    (tmp_path / "my folder").mkdir()
    for output, message in refusals.items():
        status, out, err = run_main(capsys, "export", "neck-stretches", "-o", output)
        assert (status, out, err) == (1, "", message + "\n")
    assert existing.read_text(encoding="utf-8") == "mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.yaml", "my folder"]
    # `-o -` is the usual way to say "print it".
    status, out, _ = run_main(capsys, "export", "neck-stretches", "-o", "-")
    assert status == 0 and out.startswith("# yaml-language-server:")
    assert not (tmp_path / "-").exists()


def test_file_names_are_shown_with_their_control_characters_made_visible(
    capsys: pytest.CaptureFixture[str], user_routines: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "bad\x1b[31mname.yaml"
    broken.write_text("title: Bad\nsequence: [nope]\n", encoding="utf-8")
    for command in ("validate", "import"):
        status, out, err = run_main(capsys, command, str(broken))
        assert status == 1
        assert "\x1b" not in out + err
        assert f"{tmp_path}/bad\u241b[31mname.yaml:2:12: sequence entry 1 (nope)" in out + err
    output = tmp_path / "out\x07.yaml"
    status, out, err = run_main(capsys, "export", "neck-stretches", "-o", str(output))
    assert (status, err) == (0, "")
    assert "\x07" not in out and "out\u2407.yaml" in out


def test_feeel_times_out_of_range_are_named_where_they_come_from(
    capsys: pytest.CaptureFixture[str], user_routines: Path, tmp_path: Path
) -> None:
    export = json.loads(FEEEL.read_text(encoding="utf-8"))
    export["fullWorkout"]["workout"].update(countdownDuration=5000, breakDuration=9000)
    export["fullWorkout"]["workoutExercises"] = [
        {"orderPosition": i, "exercise": 1010, "exerciseDuration": None, "breakDuration": None}
        for i in range(3)
    ]
    path = tmp_path / "slow.feeel"
    path.write_text(json.dumps(export), encoding="utf-8")
    status, _, err = run_main(capsys, "import", str(path))
    assert status == 0
    assert err.splitlines() == [
        f"{path}: warning: fullWorkout.workout.countdownDuration: 5000 s is outside 0 to 600 s;"
        " using 600 s",
        f"{path}: warning: fullWorkout.workout.breakDuration: 9000 s is outside 0 to 600 s;"
        " using 600 s",
    ]


def test_a_feeel_workout_too_long_for_a_routine_is_refused_plainly(
    capsys: pytest.CaptureFixture[str], user_routines: Path, tmp_path: Path
) -> None:
    export = json.loads(FEEEL.read_text(encoding="utf-8"))
    export["fullWorkout"]["workoutExercises"] = [
        {"orderPosition": i, "exercise": 1010 if i % 2 else 1006} for i in range(250)
    ]
    path = tmp_path / "long.feeel"
    path.write_text(json.dumps(export), encoding="utf-8")
    status, _, err = run_main(capsys, "import", str(path))
    assert status == 1
    assert err.splitlines() == [
        f"{path}: fullWorkout.workoutExercises: it makes 250 exercises; a routine holds at most"
        " 200",
        "1 problem; nothing was imported",
    ]
    assert list(user_routines.iterdir()) == []

"""The routine writer: what it writes loads back as the same routine, and saves are atomic."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from helpers import REPO
from timer_app.cli.main import main
from timer_app.core.model import (
    EQUIPMENT,
    Entry,
    Exercise,
    Hold,
    MoveMinimums,
    Routine,
    Source,
    Tempo,
    Timed,
)
from timer_app.core.plan import Overrides, compile_plan
from timer_app.core.text import safe_text
from timer_app.routines.catalog import routine_files
from timer_app.routines.json_schema import routine_schema
from timer_app.routines.library import load_library
from timer_app.routines.reading import build_routine, check_node
from timer_app.routines.writer import (
    SCHEMA_MODELINE,
    format_duration,
    routine_file_name,
    routine_text,
    save_text,
)
from timer_app.routines.yamlfile import parse_text

PRESETS = load_library(user=False)
PRESET_IDS = sorted(PRESETS.routines)


def load_text(text: str, pool: dict[str, Exercise] | None = None) -> Routine:
    """The routine a file with this text loads as (as `<id>.yaml`, against `pool`)."""
    path = Path("written.yaml")
    node, problems = parse_text(path, text)
    assert not problems, problems
    loaded = check_node(path, node)
    routine = build_routine(loaded, dict(pool or {}))
    assert not loaded.problems, [str(problem) for problem in loaded.problems]
    assert routine is not None
    return replace(routine, path=None, preset=False)


def same(routine: Routine) -> Routine:
    return replace(routine, path=None, preset=False)


def assert_same_plans(before: Routine, after: Routine) -> None:
    assert same(after) == same(before)
    for overrides in (Overrides(), Overrides(skip_optional=True), Overrides(quick=True)):
        assert compile_plan(after, overrides).steps == compile_plan(before, overrides).steps


@pytest.mark.parametrize("routine_id", PRESET_IDS)
def test_every_preset_round_trips_by_id_and_written_out(routine_id: str, tmp_path: Path) -> None:
    routine = PRESETS.routines[routine_id]
    by_id = routine_text(routine, library=PRESETS.exercises)
    assert "exercises:" not in by_id  # every preset exercise is the library's
    assert_same_plans(routine, load_text(by_id, PRESETS.exercises))
    standalone = routine_text(routine)
    assert_same_plans(routine, load_text(standalone))  # needs no library at all
    # The file passes `stretch validate`, under the name the writer gives it.
    path = tmp_path / routine_file_name(routine_id)
    path.write_text(standalone, encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    # And it means the same to YAML 1.1 tools and follows the schema editors use.
    node, _ = parse_text(path, standalone)
    assert yaml.safe_load(standalone) == node.to_python()
    jsonschema.validate(node.to_python(), routine_schema())


def test_a_preset_reads_like_the_presets() -> None:
    text = routine_text(PRESETS.routines["doctor-jo-back-pain-relief"], library=PRESETS.exercises)
    assert text.startswith(SCHEMA_MODELINE + "\nid: doctor-jo-back-pain-relief\n")
    assert "defaults:\n  hold: 30s\n  reps: 3\n  rest: 5s\n" in text
    tempo = "  - exercise: bridge\n    tempo: {pressure_on: 2s, end_hold: 3s, pressure_off: 2s}\n"
    assert tempo in text
    assert "\n  - knee-to-chest\n" in text  # the defaults say it all: a bare id
    # Two entries with equal values share no anchor: every entry reads on its own.
    assert "&id" not in routine_text(handmade()) and "*id" not in routine_text(handmade())


HOSTILE_WORDS = [
    'He said "stop": now',
    "it's # not a comment",
    "- a leading dash",
    "? a question mark",
    "key: value",
    "Étirement du psoas, 股四頭筋, Dehnübung ⚠",
    "1e5",
    "123",
    "true",
    "null",
    "~",
    "1:30",
    "no",
    "@at and `back`",
    "[not a list]",
    "{not: a map}",
    "%percent",
    "line one\nline two",
    "*star",
    "&amp",
    "!bang",
]


def handmade() -> Routine:
    """Every field the format has, with values that differ from the defaults and each other."""
    lunge = Exercise(
        id="my-lunge",
        name="Kneeling lunge: slow",
        how_to=("Kneel on one knee.", "Shift forward # gently"),
        position="kneeling",
        targets=("hip flexors", "quads"),
        equipment=("mat", "pillow"),
        per_side=True,
        cautions=("Pad the knee.",),
        other_side="Stand up, then kneel on the other knee",
    )
    roll = Exercise("side-roll", "Side roll", ("Roll.",), "lying-side", per_side=True)
    sit = Exercise("sit-reach", "Sit and reach", ("Reach.",), "seated", equipment=("chair",))
    stand = Exercise("wall-push", "Wall push", ("Push.",), "standing", equipment=("wall",))
    entries = (
        Entry(lunge, Hold(45.0, 2, 7.5), 5.0, 5.0, "alternate", prepare_move=15.0),
        Entry(lunge, Tempo(8, 1.5, 2.5, end_hold=3.0), 5.0, 8.0, "right-first", "Slow", 15.0),
        Entry(roll, Timed(90.0), 12.0, 5.0, "left-first", optional=True),
        Entry(sit, Hold(30.0, 3, 5.0), 5.0, 5.0, "left-first", prepare_move=20.0),
        Entry(stand, Hold(30.0, 3, 5.0), 7.0, 3.0, "left-first", prepare_move=25.0),
        Entry(stand, Hold(61.001, 1, 0.0), 5.0, 5.0, "alternate", prepare_move=15.0),
        Entry(sit, Timed(3600.0), 0.0, 0.0, "left-first", "Last one", optional=True),
    )
    return Routine(
        id="every-field",
        title="Every field: a test",
        entries=entries,
        summary="All of it, with # and 'quotes'.",
        source=Source("A title", "A site", "An author", "https://example.org/a?b=c#d"),
        cautions=("Go gently.", "- not a list item"),
        suits=("office", "beginners"),
        notes=("Made by hand.",),
        moves=MoveMinimums(floor=20.0, equipment=12.0, sides=16.5),
    )


def test_a_handmade_routine_with_every_field_round_trips(tmp_path: Path) -> None:
    routine = handmade()
    text = routine_text(routine)
    assert_same_plans(routine, load_text(text))
    assert "prepare_move:" in text and "move_floor: 20s" in text
    assert "other_side: Stand up, then kneel on the other knee" in text
    assert "timed: 1h" in text and "hold: 1m1.001s" in text
    path = tmp_path / routine_file_name(routine.id)
    path.write_text(text, encoding="utf-8")
    assert main(["validate", str(path)]) == 0


def test_only_exercises_that_differ_from_the_library_are_written_out() -> None:
    library = dict(PRESETS.exercises)
    knee = library["knee-to-chest"]
    changed = replace(library["trunk-rotation"], how_to=("My own words.",))
    routine = Routine(
        "mine",
        "Mine",
        tuple(
            Entry(exercise, Hold(30, 3, 5), 5, 5, "left-first", prepare_move=15)
            for exercise in (knee, changed)
        ),
    )
    text = routine_text(routine, library=library)
    document = yaml.safe_load(text)
    assert [exercise["id"] for exercise in document["exercises"]] == ["trunk-rotation"]
    assert document["sequence"] == ["knee-to-chest", "trunk-rotation"]
    # The file's own definition wins over the library's, so the change survives loading.
    assert same(load_text(text, library)) == routine


def test_an_exercise_held_though_it_is_usually_a_tempo_says_hold_and_keeps_its_dose() -> None:
    # A bare id is done as its exercise's usual dose (cat/cow: tempo reps), so a cat/cow held
    # at the routine's default hold must still say `hold:`; and the exercise written out in
    # full keeps its usual dose.
    library = dict(PRESETS.exercises)
    cat_cow, knee = library["cat-cow"], library["knee-to-chest"]
    routine = Routine(
        "mine",
        "Mine",
        tuple(
            Entry(exercise, Hold(30, 3, 5), 5, 5, "left-first", prepare_move=15)
            for exercise in (knee, cat_cow)
        ),
    )
    by_id = routine_text(routine, library=library)
    assert yaml.safe_load(by_id)["sequence"] == [
        "knee-to-chest",
        {"exercise": "cat-cow", "hold": "30s"},
    ]
    assert same(load_text(by_id, library)) == routine
    standalone = routine_text(routine)
    written = {e["id"]: e for e in yaml.safe_load(standalone)["exercises"]}
    assert written["cat-cow"]["dose"] == {
        "tempo": {"pressure_on": "3s", "pressure_off": "3s"},
        "reps": 5,
    }
    assert same(load_text(standalone)) == routine


def test_two_exercises_with_one_id_are_refused() -> None:
    one = Exercise("same", "One", ("a",), "seated")
    other = replace(one, name="Other")
    routine = Routine(
        "clash",
        "Clash",
        (Entry(one, Timed(30), 5, 5, "left-first"), Entry(other, Timed(30), 5, 5, "left-first")),
    )
    with pytest.raises(ValueError, match="share the id 'same'"):
        routine_text(routine)


def plain_text(max_size: int) -> st.SearchStrategy[str]:
    """Text a file can hold as it is: stripped, and without the characters `safe_text`
    would change (the loader makes those visible, on purpose)."""
    return st.text(min_size=1, max_size=max_size).filter(
        lambda text: text.strip() == text and text != "" and safe_text(text) == text
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    words=st.lists(plain_text(80), min_size=5, max_size=5),
    target=plain_text(40),
    how_to=st.lists(plain_text(300), min_size=1, max_size=4),
    equipment=st.lists(st.sampled_from(EQUIPMENT), max_size=3, unique=True),
)
@example(HOSTILE_WORDS[:5], HOSTILE_WORDS[5], HOSTILE_WORDS[6:18], [])
@example(HOSTILE_WORDS[15:20], HOSTILE_WORDS[20], HOSTILE_WORDS[:4], ["chair"])
def test_any_text_round_trips_exactly(
    words: list[str], target: str, how_to: list[str], equipment: list[str]
) -> None:
    title, name, note, site, caution = words
    exercise = Exercise(
        "odd", name, tuple(how_to), "seated", (target,), tuple(equipment), cautions=(caution,)
    )
    routine = Routine(
        "odd-words",
        title,
        (Entry(exercise, Hold(30, 3, 5), 5, 5, "left-first", note, 15),),
        summary=" ".join(how_to)[:600].strip() or "x",
        source=Source(title, site, url=note[:300]),
        notes=tuple(how_to),
    )
    assert same(load_text(routine_text(routine))) == routine


@given(millis=st.integers(min_value=0, max_value=3_600_000))
def test_durations_are_written_as_the_format_reads_them(millis: int) -> None:
    from timer_app.core.durations import parse_duration

    seconds = millis / 1000
    written = format_duration(seconds)
    assert parse_duration(written) == seconds
    assert written == written.strip() and " " not in written


@pytest.mark.parametrize(
    ("seconds", "written"),
    [(0, "0s"), (30, "30s"), (1.5, "1.5s"), (90, "1m30s"), (120, "2m"), (3905, "1h5m5s")],
)
def test_durations_read_as_people_write_them(seconds: float, written: str) -> None:
    assert format_duration(seconds) == written


def test_save_creates_the_folder_and_never_overwrites_unasked(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "mine.yaml"
    save_text(path, "first\n")
    assert path.read_text(encoding="utf-8") == "first\n"
    with pytest.raises(FileExistsError):
        save_text(path, "second\n")
    assert path.read_text(encoding="utf-8") == "first\n"
    save_text(path, "third ✓\n", replace=True)
    assert path.read_text(encoding="utf-8") == "third ✓\n"
    assert sorted(p.name for p in path.parent.iterdir()) == ["mine.yaml"]


def test_a_new_file_gets_the_permissions_of_any_new_file_and_a_replaced_one_keeps_its_own(
    tmp_path: Path,
) -> None:
    reference = tmp_path / "made-by-hand.yaml"
    reference.write_text("x\n", encoding="utf-8")  # as an editor or `cp` would make it
    path = tmp_path / "shared.yaml"
    save_text(path, "first\n")
    assert stat.S_IMODE(path.stat().st_mode) == stat.S_IMODE(reference.stat().st_mode)
    path.chmod(0o640)
    save_text(path, "second\n", replace=True)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_a_save_that_fails_at_the_rename_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("old\n", encoding="utf-8")
    seen: list[list[str]] = []

    def failing_replace(source: str, target: object) -> None:
        # At this moment the new text is written and synced, under the temporary name.
        seen.append(sorted(p.name for p in tmp_path.iterdir()))
        assert Path(source).read_text(encoding="utf-8") == "new\n"
        assert routine_files(tmp_path) == [path]  # the loader sees only the old file
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match="No space"):
        save_text(path, "new\n", replace=True)
    assert len(seen[0]) == 2
    assert path.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["mine.yaml"]  # the temporary file is gone


KILLED_SAVE = """
import os, signal, sys
from pathlib import Path
from timer_app.routines.writer import save_text

def killed(source, target):
    os.kill(os.getpid(), signal.SIGKILL)  # the power goes between the write and the rename

os.replace = killed
save_text(Path(sys.argv[1]), "title: half\\n", replace=True)
"""


def test_a_save_killed_before_the_rename_leaves_the_old_file_and_nothing_loadable(
    tmp_path: Path, user_routines: Path
) -> None:
    routine = PRESETS.routines["neck-stretches"]
    path = user_routines / routine_file_name("my-neck")
    old = routine_text(replace(routine, id="my-neck"))
    path.write_text(old, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(KILLED_SAVE), str(path)],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=30,
        check=False,
    )
    assert result.returncode == -9
    assert path.read_text(encoding="utf-8") == old
    leftovers = [p for p in user_routines.iterdir() if p != path]
    assert len(leftovers) == 1 and leftovers[0].read_text(encoding="utf-8") == "title: half\n"
    library = load_library()
    assert not library.problems  # the half-saved file is not taken for a routine
    assert same(library.routines["my-neck"]) == same(replace(routine, id="my-neck"))


def test_the_written_schema_path_finds_the_schema_the_guide_saves(user_routines: Path) -> None:
    # The guide saves the schema as routine.schema.json in the config folder; the modeline is
    # relative to the routine file, which the builder and `stretch import` save in routines/.
    target = SCHEMA_MODELINE.split("$schema=", 1)[1]
    schema_path = (user_routines / target).resolve()
    assert schema_path == (user_routines.parent / "routine.schema.json").resolve()
    guide = (REPO / "docs" / "writing-routines.md").read_text(encoding="utf-8")
    assert "stretch schema > ~/.config/stretch-timer/routine.schema.json" in guide
    assert SCHEMA_MODELINE in guide
    json.dumps(routine_schema())  # what `stretch schema` writes there is plain JSON


def test_control_characters_are_written_as_the_loader_shows_them() -> None:
    exercise = Exercise("odd", "Bell\x07 and \ud800", ("Escape \x1b[2J now.",), "seated")
    routine = Routine("odd", "Odd\u202e", (Entry(exercise, Timed(30), 5, 5, "left-first"),))
    text = routine_text(routine)
    assert "\\e" not in text and "\\x07" not in text  # no escapes that a reader would run
    loaded = load_text(text)
    assert loaded.title == "Odd<U+202E>"
    assert loaded.entries[0].exercise.name == "Bell\u2407 and <U+D800>"
    assert loaded.entries[0].exercise.how_to == ("Escape \u241b[2J now.",)

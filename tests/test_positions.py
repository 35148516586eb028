"""Positions and the moves between them: what a person hears and how long they get to move."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import routine_yaml
from timer_app.cli.main import main
from timer_app.core.model import FLOOR_POSITIONS, MoveMinimums, Routine
from timer_app.core.plan import Overrides, Plan, Step, compile_plan
from timer_app.routines.library import load_library

UPRIGHT = {"seated", "standing"}


@pytest.fixture(scope="module")
def presets() -> dict[str, Routine]:
    library = load_library(user=False)
    assert library.problems == []
    return library.routines


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def get_ready_steps(plan: Plan) -> list[Step]:
    return [step for step in plan.steps if step.kind == "prepare"]


def needed(before: Step | None, step: Step) -> float:
    """The least time this get-ready step must last, worked out from the rules as written:
    15 s between the floor and sitting or standing (and down to the floor at the start, from
    the screen), 10 s between floor positions, 5 s between sitting and standing, 10 s to
    fetch equipment."""
    to = step.exercise.position
    least = 0.0
    if before is None:
        least = 15.0 if to in FLOOR_POSITIONS else 0.0
    elif before.exercise.position != to:
        floors = {before.exercise.position in FLOOR_POSITIONS, to in FLOOR_POSITIONS}
        least = 15.0 if floors == {True, False} else 10.0 if floors == {True} else 5.0
    old = set() if before is None else set(before.exercise.equipment)
    if before is not None and before.exercise.position == "seated":
        old.add("chair")  # sitting already: the chair is under them
    if set(step.exercise.equipment) - old:
        least = max(least, 10.0)
    return least


SWITCH_MOVES = {
    # The position's own switch: the whole body moves.
    "open-book": 10.0,
    "kneeling-hip-flexor": 10.0,
    "heel-sit-hip-flexor": 10.0,
    # The legs, the stance or the equipment are set up again.
    "hamstring-stretch": 8.0,
    "figure-4-stretch": 8.0,
    "seated-piriformis": 8.0,
    "leg-crossover-stretch": 8.0,
    "levator-scapula-stretch": 8.0,
    "lunge-hold": 8.0,
}
"""Every preset exercise whose change of sides is a move, with the least time it gets."""


@pytest.mark.parametrize(
    "overrides",
    [Overrides(prepare=1), Overrides(quick=True), Overrides(quick=True, prepare=1)],
    ids=["prepare-1", "quick", "quick-prepare-1"],
)
def test_every_preset_gives_each_move_at_least_its_minimum(
    presets: dict[str, Routine], overrides: Overrides
) -> None:
    # --prepare 1 asks for as little as possible: the minimums must still hold.
    switched = set()
    for routine in presets.values():
        plan = compile_plan(routine, overrides)
        ready = get_ready_steps(plan)
        for before, step in zip([None, *ready], ready, strict=False):
            where = f"{routine.id}: {step.exercise.name}"
            assert step.duration >= needed(before, step), where
            moved = before is None or before.exercise.position != step.exercise.position
            if moved:
                assert step.move is not None and step.move.cue.endswith("."), where
                assert step.move.to_position == step.exercise.position
                assert step.move.minimum == needed(before, step), where
        for step in plan.steps:
            if step.kind != "switch":
                continue
            where = f"{routine.id}: {step.exercise.name}"
            least = SWITCH_MOVES.get(step.exercise.id)
            if least is None:
                assert step.move is None, where
                continue
            switched.add(step.exercise.id)
            assert step.duration >= least, where
            assert step.move is not None and step.move.cue.endswith("."), where
    assert switched == set(SWITCH_MOVES)


def test_the_least_times_cannot_be_set_lower() -> None:
    least = MoveMinimums()
    assert MoveMinimums(floor=0, on_floor=0, upright=0, equipment=0, sides=0, limbs=0) == least
    assert MoveMinimums(floor=30).floor == 30


def test_floor_to_sitting_and_back_are_said_and_timed(presets: dict[str, Routine]) -> None:
    plan = compile_plan(presets["doctor-jo-5-minute"])
    cues = {
        s.exercise.id: (s.move.cue if s.move else None, s.duration) for s in get_ready_steps(plan)
    }
    assert cues["seated-ql-stretch"] == ("Sit up on the edge of the bed, couch or a chair.", 15)
    assert cues["child-pose"] == ("Get down onto your hands and knees.", 15)
    # Lying to lying: nothing to say, no extra time.
    assert cues["trunk-rotation"] == (None, 5)


def test_rolling_over_between_sides_is_a_cued_switch(presets: dict[str, Routine]) -> None:
    plan = compile_plan(presets["pt-upper-lower-hips"])
    switches = {s.exercise.id: s for s in plan.steps if s.kind == "switch"}
    assert switches["open-book"].move is not None
    assert switches["open-book"].move.cue == "Roll over onto your other side."
    assert switches["open-book"].duration == 10
    assert switches["kneeling-hip-flexor"].duration == 10
    # Changing arms on hands and knees moves nothing else: no cue, the routine's switch time.
    assert switches["thread-the-needle"].move is None


ROUTINE = """\
title: Moves
defaults: {{prepare: 5s, prepare_move: 5s{extra}}}
exercises:
  - {{id: floor-one, name: Floor one, how_to: Lie down., position: {floor}}}
  - {{id: chair-one, name: Chair one, how_to: Sit., position: seated, equipment: [chair]}}
sequence:
  - floor-one
  - exercise: chair-one
{entry}
"""


def moves_plan(
    tmp_path: Path, *, floor: str = "lying-back", extra: str = "", entry: str = ""
) -> Plan:
    write(tmp_path, "moves", ROUTINE.format(floor=floor, extra=extra, entry=entry))
    library = load_library([tmp_path], user=False)
    assert library.problems == []
    return compile_plan(library.routines["moves"])


def test_a_routine_asks_for_more_time_to_move_but_never_less(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    step = get_ready_steps(moves_plan(tmp_path))[1]
    assert step.move is not None
    assert step.move.cue == "Get up and sit on a sturdy chair."
    assert step.move.fetch == ("chair",)
    assert step.duration == 15
    more = get_ready_steps(moves_plan(tmp_path, extra=", move_floor: 25s"))
    assert more[1].duration == 25
    # Less than the move takes: the file loads, says so, and the move keeps its minimum.
    lower = get_ready_steps(moves_plan(tmp_path, extra=", move_floor: 0s, move_equipment: 6s"))
    assert lower[1].duration == 15
    assert main(["validate", str(tmp_path / "moves.yaml")]) == 0
    out = capsys.readouterr().out
    assert "defaults: move_floor: 0 s is less than this move takes; 15 s is used" in out
    assert "defaults: move_equipment: 6 s is less than this move takes; 10 s is used" in out
    # An entry's own prepare longer than the minimum is kept; shorter is raised to it.
    longer = get_ready_steps(moves_plan(tmp_path, entry="    prepare: 40s"))
    assert longer[1].duration == 40
    shorter = get_ready_steps(moves_plan(tmp_path, entry="    prepare: 2s"))
    assert shorter[1].duration == 15
    # Down to the floor at the start, from the screen, with prepare_move 5s: the same rule.
    first = get_ready_steps(moves_plan(tmp_path))[0]
    assert first.move is not None and first.move.cue == "Lie down on your back."
    assert first.duration == 15


def test_every_move_between_floor_positions_gets_ten_seconds(presets: dict[str, Routine]) -> None:
    plan = compile_plan(presets["pt-upper-lower-hips"], Overrides(prepare=1))
    moves = [
        (step.move.from_position, step.move.to_position, step.duration)
        for step in get_ready_steps(plan)
        if step.move is not None and step.move.changes_position
    ]
    assert moves == [
        (None, "lying-back", 15),
        ("lying-back", "hands-knees", 10),
        ("hands-knees", "lying-face-down", 10),
        ("lying-face-down", "lying-side", 10),
        ("lying-side", "kneeling", 10),
        ("kneeling", "lying-back", 10),
    ]


def test_older_position_ids_still_work(tmp_path: Path) -> None:
    plan = moves_plan(tmp_path, floor="lying")
    assert plan.routine.positions == ("lying-back", "seated")
    assert get_ready_steps(plan)[0].move is not None


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("sitting", "seated"),
        ("supine", "lying-back"),
        ("prone lying", "lying-face-down"),
        ("All fours", "hands-knees"),
        ("quadruped", "hands-knees"),
        ("stand", "standing"),
        ("lying-bak", "lying-back"),
        # A slip in a synonym points at what the synonym means, not at 'standing'.
        ("sittting", "seated"),
        ("Siting", "seated"),
    ],
)
def test_validate_suggests_the_position_meant(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], written: str, meant: str
) -> None:
    path = write(tmp_path, "mine", ROUTINE.format(floor=f"'{written}'", extra="", entry=""))
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"exercise 1 (floor-one): position: '{written}' is not one of" in out
    assert f"(did you mean '{meant}'?)" in out


def test_skip_optional_leaves_the_exercise_out_on_show_and_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "opt", routine_yaml("optional"))
    assert main(["--routines", str(tmp_path), "show", "opt"]) == 0
    out = capsys.readouterr().out
    assert "Get ready: Maybe stretch (optional)" in out
    assert "Caution: Only if your therapist suggested it." in out
    assert "Optional: Maybe stretch" in out

    assert main(["--routines", str(tmp_path), "show", "opt", "--skip-optional"]) == 0
    out = capsys.readouterr().out
    assert "Get ready: Maybe stretch" not in out
    assert "Left out: Maybe stretch" in out
    assert "Adjusted: optional exercises left out" in out
    # Without the face-down stretch, child's pose follows the pelvic tilt: lying to hands and
    # knees, worked out again for the order that actually runs.
    assert "Roll onto your hands and knees." in out

    assert main(["--routines", str(tmp_path), "show", "opt", "--skip-optional", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["left_out"] == ["maybe"]
    assert "maybe" not in {step["exercise"] for step in shown["steps"]}

    ran: list[Plan] = []

    def fake_run_plain(plan: Plan, **_: object) -> int:
        ran.append(plan)
        return 0

    monkeypatch.setattr("timer_app.views.plain.run.run_plain", fake_run_plain)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    args = ["--routines", str(tmp_path), "run", "opt", "--plain", "--sound", "off"]
    assert main([*args, "--skip-optional"]) == 0
    assert [entry.exercise.id for entry in ran[0].routine.entries] == ["pelvic-tilt", "child-pose"]
    assert main(args) == 0
    assert [entry.exercise.id for entry in ran[1].routine.entries] == [
        "pelvic-tilt",
        "maybe",
        "child-pose",
    ]


def test_a_routine_of_only_optional_exercises_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "title: All optional\nsequence:\n  - {exercise: pelvic-tilt, optional: true}\n"
    path = write(tmp_path, "all", text)
    assert main(["validate", str(path)]) == 1
    assert "every exercise is optional" in capsys.readouterr().out


def test_a_routine_built_in_the_app_with_no_time_to_move_still_gets_the_minimums() -> None:
    from timer_app.routines.draft import Draft, DraftEntry
    from timer_app.routines.library import load_library

    library = load_library(user=False).exercises
    draft = Draft(
        title="No time to move",
        id="no-time-to-move",
        prepare="0s",
        prepare_move="0s",
        entries=[
            DraftEntry(library[exercise_id], prepare="0s", switch="0s")
            for exercise_id in ("seated-ql-stretch", "hamstring-stretch", "open-book", "cat-cow")
        ],
    )
    routine = draft.routine(set())
    assert routine is not None
    for overrides in (Overrides(), Overrides(quick=True, prepare=0)):
        plan = compile_plan(routine, overrides)
        moves = {
            (step.kind, step.exercise.id): step.duration
            for step in plan.steps
            if step.kind in ("prepare", "switch")
        }
        # Sitting down at the screen and a side bend's change of sides take no time of their
        # own, so with none asked for there is no step for them.
        assert moves == {
            ("prepare", "hamstring-stretch"): 15.0,  # a towel, and down to the floor
            ("switch", "hamstring-stretch"): 8.0,  # the towel to the other foot
            ("prepare", "open-book"): 10.0,  # from lying on the back onto the side
            ("switch", "open-book"): 10.0,  # rolling over
            ("prepare", "cat-cow"): 10.0,  # up onto the hands and knees
        }

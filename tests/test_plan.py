"""The plan compiler: step order, sides, tempo, quick mode and totals."""

from __future__ import annotations

import pytest

from timer_app.core.model import Entry, Exercise, Hold, Routine, Tempo, Timed
from timer_app.core.plan import ROUND_REST, ROUNDS_LIMIT, Overrides, compile_plan

SIDED = Exercise("knee", "Knee to chest", ("Hug a knee.",), "seated", per_side=True)
CENTRAL = Exercise("child", "Child's pose", ("Sit back.",), "seated")


def routine(*entries: Entry) -> Routine:
    return Routine("r", "R", entries)


def entry(exercise: Exercise, dosage: Hold | Tempo | Timed, order: str = "left-first") -> Entry:
    return Entry(exercise, dosage, prepare=10, switch=5, side_order=order)


def shape(plan_steps: object) -> list[tuple[str, str | None, int]]:
    return [(s.kind, s.side, s.rep) for s in plan_steps]  # type: ignore[attr-defined]


def test_sided_hold_does_all_reps_on_one_side_then_switches() -> None:
    plan = compile_plan(routine(entry(SIDED, Hold(30, 2, 5))))
    assert shape(plan.steps) == [
        ("prepare", "left", 1),
        ("hold", "left", 1),
        ("rest", "left", 2),
        ("hold", "left", 2),
        ("switch", "right", 1),
        ("hold", "right", 1),
        ("rest", "right", 2),
        ("hold", "right", 2),
    ]
    assert plan.total == 10 + 30 + 5 + 30 + 5 + 30 + 5 + 30


def test_right_first_and_alternate_orders() -> None:
    right = compile_plan(routine(entry(SIDED, Hold(30, 1, 5), "right-first")))
    assert [s.side for s in right.steps if s.kind == "hold"] == ["right", "left"]
    alternate = compile_plan(routine(entry(SIDED, Hold(30, 2, 5), "alternate")))
    assert shape(alternate.steps) == [
        ("prepare", "left", 1),
        ("hold", "left", 1),
        ("switch", "right", 1),
        ("hold", "right", 1),
        ("rest", "right", 2),
        ("switch", "left", 2),
        ("hold", "left", 2),
        ("switch", "right", 2),
        ("hold", "right", 2),
    ]
    # The rest comes once per round of left and right, where you are, before changing sides.
    assert alternate.total == 10 + 4 * 30 + 3 * 5 + 5


def test_alternate_sides_with_no_rest_change_sides_straight_away() -> None:
    plan = compile_plan(routine(entry(SIDED, Hold(30, 2, 0), "alternate")))
    assert [s.kind for s in plan.steps].count("rest") == 0
    assert plan.total == 10 + 4 * 30 + 3 * 5


def test_alternate_on_an_exercise_done_once_rests_between_reps() -> None:
    plan = compile_plan(routine(entry(CENTRAL, Hold(30, 2, 5), "alternate")))
    assert shape(plan.steps) == [
        ("prepare", None, 1),
        ("hold", None, 1),
        ("rest", None, 2),
        ("hold", None, 2),
    ]


def test_tempo_reps_alternate_pressure_on_and_off_with_end_range_hold() -> None:
    plan = compile_plan(routine(entry(CENTRAL, Tempo(reps=3, on=2, off=1.5, end_hold=1))))
    assert [(s.kind, s.rep, s.duration) for s in plan.steps[1:4]] == [
        ("on", 1, 2),
        ("hold", 1, 1),
        ("off", 1, 1.5),
    ]
    assert [s.is_last_rep for s in plan.steps if s.kind == "on"] == [False, False, True]
    assert plan.total == 10 + 3 * 4.5


def test_timed_stretch_per_side() -> None:
    plan = compile_plan(routine(entry(SIDED, Timed(45))))
    assert shape(plan.steps) == [
        ("prepare", "left", 1),
        ("timed", "left", 1),
        ("switch", "right", 1),
        ("timed", "right", 1),
    ]


def test_offsets_are_contiguous_and_indices_ordered() -> None:
    plan = compile_plan(routine(entry(SIDED, Hold(30, 3, 5)), entry(CENTRAL, Tempo(10, 1.1, 1.3))))
    for before, after in zip(plan.steps, plan.steps[1:], strict=False):
        assert after.start == pytest.approx(before.end)
        assert after.index == before.index + 1
    assert plan.first_step_of(1) == next(s.index for s in plan.steps if s.entry == 1)
    assert plan.first_step_of(2) == len(plan.steps)


def test_quick_mode_keeps_holds_but_does_one_rep_and_halves_tempo() -> None:
    plan = compile_plan(
        routine(entry(SIDED, Hold(30, 3, 5)), entry(CENTRAL, Tempo(9, 2, 2))),
        Overrides(quick=True),
    )
    holds = [s for s in plan.steps if s.kind == "hold"]
    assert [(h.side, h.duration, h.reps) for h in holds] == [("left", 30, 1), ("right", 30, 1)]
    assert sum(1 for s in plan.steps if s.kind == "on") == 5


def test_overrides_for_reps_hold_and_prepare() -> None:
    plan = compile_plan(
        routine(entry(SIDED, Hold(30, 3, 5)), entry(CENTRAL, Tempo(4, 2, 2))),
        Overrides(reps=2, hold=45, prepare=3),
    )
    holds = [s for s in plan.steps if s.kind == "hold"]
    assert {h.duration for h in holds} == {45}
    assert len(holds) == 4
    assert [s.duration for s in plan.steps if s.kind == "prepare"] == [3, 3]
    # Tempo reps are movements, not holds: --reps and --hold leave them alone.
    assert sum(1 for s in plan.steps if s.kind == "on") == 4


def test_zero_rest_and_zero_prepare_add_no_steps() -> None:
    plan = compile_plan(routine(entry(CENTRAL, Hold(30, 2, 0))), Overrides(prepare=0))
    assert shape(plan.steps) == [("hold", None, 1), ("hold", None, 2)]


def test_step_description_is_one_plain_line() -> None:
    plan = compile_plan(routine(entry(SIDED, Hold(30, 3, 5))))
    assert plan.steps[1].describe() == "Knee to chest - left - hold 30 s (rep 1 of 3)"
    assert plan.steps[0].describe() == "Knee to chest - left - get ready 10 s"


def test_long_plans_add_up_exactly() -> None:
    many = [entry(CENTRAL, Tempo(100, 0.1, 0.2)) for _ in range(20)]
    plan = compile_plan(routine(*many))
    assert plan.total == pytest.approx(20 * (10 + 100 * 0.3), abs=1e-9)


def test_rounds_repeat_the_routine_with_a_rest_between_rounds() -> None:
    one = compile_plan(routine(entry(SIDED, Hold(30, 2, 5)), entry(CENTRAL, Timed(20))))
    three = compile_plan(
        routine(entry(SIDED, Hold(30, 2, 5)), entry(CENTRAL, Timed(20))), Overrides(rounds=3)
    )
    rests = [s for s in three.steps if s.round_rest]
    assert [(s.round, s.duration) for s in rests] == [(2, ROUND_REST), (3, ROUND_REST)]
    # Each round gets ready for its first exercise again, as the first round did.
    assert three.total == pytest.approx(3 * one.total + 2 * ROUND_REST)
    assert three.total == pytest.approx(three.steps[-1].end)
    assert three.rounds == 3
    assert three.per_round == 2
    # Each round's exercises are entries of their own, numbered on: skip, back and the
    # summary treat the second round's knee to chest as a new exercise.
    assert [e.exercise.id for e in three.routine.entries] == [SIDED.id, CENTRAL.id] * 3
    assert [(s.entry, s.round) for s in three.steps if s.kind == "prepare"] == [
        (0, 1),
        (1, 1),
        (2, 2),
        (3, 2),
        (4, 3),
        (5, 3),
    ]
    # The rest comes straight after the last step of the round before.
    rest = rests[0]
    assert three.steps[rest.index - 1].round == 1
    assert three.steps[rest.index + 1].kind == "prepare"


def test_round_words_in_step_lines() -> None:
    plan = compile_plan(routine(entry(CENTRAL, Timed(20))), Overrides(rounds=3))
    rest = next(s for s in plan.steps if s.round_rest)
    assert rest.describe() == f"Rest before round 2 of 3 - {ROUND_REST:g} s"
    last = plan.steps[-1]
    assert last.describe().endswith("stretch 20 s (round 3 of 3)")
    assert Overrides(rounds=3).describe() == "3 rounds"
    # One round says nothing of rounds.
    single = compile_plan(routine(entry(CENTRAL, Timed(20))))
    assert "round" not in " ".join(s.describe() for s in single.steps)
    assert Overrides().describe() == ""


def test_rounds_limit() -> None:
    assert ROUNDS_LIMIT.parse("10") == 10
    with pytest.raises(ValueError, match="must be from 1 to 10"):
        ROUNDS_LIMIT.parse("11")

"""The exercise's figure on the session screen: which pose each step shows, the mirror for the
right side, the setting and the key, and the small screen (the real app, in virtual time)."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import figures_plan
from timer_app.config.acknowledgement import remember
from timer_app.config.settings import Settings
from timer_app.core.plan import Plan, Step
from timer_app.figures.frames import frame
from timer_app.testing import VirtualClock
from timer_app.views.tui.app import StretchApp
from timer_app.views.tui.screens.session import SessionScreen
from timer_app.views.tui.widgets.figure import FigureView


@pytest.fixture(autouse=True)
def acknowledged(monkeypatch: pytest.MonkeyPatch) -> None:
    assert remember()
    monkeypatch.setattr(SessionScreen, "flash_seconds", 0.0)


def step_of(plan: Plan, exercise: str, kind: str, side: str | None = None, rep: int = 1) -> Step:
    return next(
        s
        for s in plan.steps
        if s.exercise.id == exercise and s.kind == kind and s.side == side and s.rep == rep
    )


@pytest.mark.parametrize(
    ("exercise", "kind", "side", "pose"),
    [
        ("knee-to-chest", "prepare", "left", "start"),  # the move to the floor: the new position
        ("knee-to-chest", "hold", "left", "stretch"),
        ("knee-to-chest", "hold", "right", "stretch"),
        ("cat-cow", "on", None, "stretch"),
        ("cat-cow", "off", None, "release"),
    ],
)
async def test_each_step_shows_its_pose(
    tmp_path: Path, exercise: str, kind: str, side: str | None, pose: str
) -> None:
    plan = figures_plan(tmp_path)
    step = step_of(plan, exercise, kind, side)
    clock = VirtualClock()
    app = StretchApp(plan=plan, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await clock.advance(step.start + 0.5)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen) and screen.has_class("-figure")
        figure = screen.query_one(FigureView)
        assert figure.display and figure.region.height >= 4
        assert figure.showing == (step.exercise, pose, side)
        assert (step.move is not None) == (kind == "prepare")
        # What is painted is the keyframe, for the side, and says the side.
        width, height = figure.content_size
        drawn = str(figure.render()).splitlines()
        expected = frame(step.exercise, pose, side, width, height - (1 if side else 0))
        assert drawn[: len(expected)] == [line.rstrip() for line in expected]
        assert any(set(line) - {" "} for line in drawn)
        if side:
            assert drawn[-1].strip() == f"{side} side"
        # And the first how-to line is there beside it.
        how_to = str(screen.query_one("#how-to").render())
        assert plan.instructions(step.entry)[0][:20] in how_to


def test_the_right_side_is_the_left_mirrored(tmp_path: Path) -> None:
    exercise = step_of(figures_plan(tmp_path), "knee-to-chest", "hold", "left").exercise
    left = frame(exercise, "stretch", "left", 26, 7)
    right = frame(exercise, "stretch", "right", 26, 7)
    assert left != right

    def flipped(character: str) -> str:
        if character == " ":
            return character
        bits = ord(character) - 0x2800
        swapped = 0
        for a, b in ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80)):
            swapped |= (b if bits & a else 0) | (a if bits & b else 0)
        return chr(0x2800 + swapped) if swapped else " "

    # Dot for dot: each line read backwards, each cell's two columns swapped.
    assert right == ["".join(flipped(c) for c in reversed(line)) for line in left]


async def test_tempo_steps_switch_the_pose_and_a_pause_freezes_it(tmp_path: Path) -> None:
    plan = figures_plan(tmp_path)
    on = step_of(plan, "cat-cow", "on")
    clock = VirtualClock()
    app = StretchApp(plan=plan, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await clock.advance(on.start + 0.5)
        await pilot.pause()
        figure = app.screen.query_one(FigureView)
        assert figure.showing is not None and figure.showing[1] == "stretch"
        await clock.advance(on.duration)
        await pilot.pause()
        assert figure.showing[1] == "release"
        await pilot.press("space")
        await pilot.pause()
        await clock.advance(30)
        await pilot.pause()
        assert figure.showing[1] == "release"  # paused: the figure stays as it was


async def test_the_setting_and_the_key_turn_figures_off_and_on(tmp_path: Path) -> None:
    plan = figures_plan(tmp_path)
    clock = VirtualClock()
    app = StretchApp(plan=plan, clock=clock, settings=Settings(figures=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        figure = screen.query_one(FigureView)
        assert not screen.has_class("-figure") and not figure.display
        await pilot.press("f")
        await pilot.pause()
        assert screen.has_class("-figure") and figure.display
        await pilot.press("f")
        await pilot.pause()
        assert not figure.display


async def test_on_a_small_screen_the_figure_gives_way_until_asked_for(tmp_path: Path) -> None:
    plan = figures_plan(tmp_path)
    clock = VirtualClock()
    app = StretchApp(plan=plan, clock=clock)
    async with app.run_test(size=(50, 16)) as pilot:
        await pilot.pause()
        screen = app.screen
        figure = screen.query_one(FigureView)
        digits = screen.query_one("#digits")
        assert screen.has_class("-compact") and not figure.display and digits.display
        await pilot.press("f")
        await pilot.pause()
        # In place of the big digits; the countdown goes on as a line of text.
        assert figure.display and figure.region.height >= 4 and not digits.display
        assert screen.query_one("#countdown-text").display


@pytest.mark.parametrize(
    ("size", "columns", "rows"),
    [((80, 24), 26, 7), ((100, 30), 36, 10), ((140, 40), 36, 11)],
    ids=["80x24", "100x30", "140x40"],
)
async def test_a_wider_screen_draws_the_figure_larger_beside_the_whole_how_to(
    tmp_path: Path, size: tuple[int, int], columns: int, rows: int
) -> None:
    plan = figures_plan(tmp_path)
    hold = step_of(plan, "knee-to-chest", "hold", "left")
    clock = VirtualClock()
    app = StretchApp(plan=plan, clock=clock)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await clock.advance(hold.start + 0.5)
        await pilot.pause()
        screen = app.screen
        figure = screen.query_one(FigureView)
        # As wide as the screen's class gives it, as tall as the room (7 rows free at 80x24,
        # 10 at 100x30).
        assert (figure.region.width, figure.region.height) == (columns, rows)
        # More dots drawn, and the how-to beside it still whole (no line cut, no marker).
        drawn = [line for line in str(figure.render()).splitlines() if line.strip()]
        assert len(drawn) >= rows - 2
        how_to = " ".join(str(screen.query_one("#how-to").render()).split())
        for line in plan.instructions(hold.entry):
            assert " ".join(line.split()) in how_to
        assert not figure.region.overlaps(screen.query_one("#how-to").region)

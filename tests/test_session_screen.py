"""The session screen says the move to make, the note and the cautions (pilot, virtual time)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from helpers import routine_yaml
from timer_app.config.acknowledgement import remember
from timer_app.core.plan import compile_plan
from timer_app.routines.library import load_library
from timer_app.testing import VirtualClock
from timer_app.views.tui.app import StretchApp
from timer_app.views.tui.screens.notice import NoticeScreen
from timer_app.views.tui.screens.session import SessionScreen

ROUTINE = routine_yaml("moves-seated-then-lying")
"""Get ready (0-15 s), the twist held (15-35 s), a move down to the floor (35-50 s), the
bridge held (50-60 s)."""


@pytest.fixture(autouse=True)
def acknowledged(monkeypatch: pytest.MonkeyPatch) -> None:
    assert remember()
    monkeypatch.setattr(SessionScreen, "flash_seconds", 0.0)


def make_app(tmp_path: Path) -> tuple[StretchApp, VirtualClock]:
    (tmp_path / "moves.yaml").write_text(ROUTINE, encoding="utf-8")
    library = load_library([tmp_path], user=False)
    clock = VirtualClock()
    return StretchApp(plan=compile_plan(library.routines["moves"]), clock=clock), clock


def on_screen(app: StretchApp, selector: str) -> bool:
    """Whether a widget takes room on the screen (hidden ones have none)."""
    widget = app.screen.query_one(selector)
    return widget.display and widget.region.area > 0


def shown(app: StretchApp, selector: str) -> str | None:
    """The text of a Static as a person sees it, or None when it is not on screen."""
    if not on_screen(app, selector):
        return None
    return str(app.screen.query_one(selector, Static).render())


async def test_the_move_shows_while_it_is_made_and_goes_when_the_stretch_starts(
    tmp_path: Path,
) -> None:
    app, clock = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        first = shown(app, "#move")
        assert first is not None and "Sit down on a chair" in first
        await clock.advance(20)  # holding the twist
        await pilot.pause()
        assert shown(app, "#move") is None
        await clock.advance(20)  # getting ready for the bridge, on the floor
        await pilot.pause()
        assert shown(app, "#move") == "Move: Lie down on your back."


async def test_note_and_cautions_are_shown_with_the_how_to(tmp_path: Path) -> None:
    app, clock = make_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert shown(app, "#cautions") is None  # the twist has none
        await clock.advance(52)  # holding the bridge
        await pilot.pause()
        how_to = shown(app, "#how-to")
        assert how_to is not None
        assert how_to.splitlines() == [
            "1. Lie on your back, knees bent.",
            "2. Lift your hips a little.",
            "Note: Breathe out as you lift.",
        ]
        assert shown(app, "#cautions") == (
            "Caution: Keep the lift small if your back is sore.\nCaution: Stop if it hurts."
        )
        assert shown(app, "#caution-mark") is None
        assert on_screen(app, "#pause-button")  # room for everything


async def test_a_small_screen_marks_the_cautions_and_c_shows_them_paused(
    tmp_path: Path,
) -> None:
    app, clock = make_app(tmp_path)
    async with app.run_test(size=(50, 16)) as pilot:
        await pilot.pause()
        await pilot.press("c")  # the twist has no cautions: nothing opens
        await pilot.pause()
        session = app.screen
        assert isinstance(session, SessionScreen)
        await clock.advance(40)
        await pilot.pause()
        assert shown(app, "#cautions") is None
        assert shown(app, "#caution-mark") == "\u26a0 2 cautions: press c to read them"
        await pilot.press("c")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, NoticeScreen)
        lines = [str(s.render()) for s in dialog.query(Static)]
        assert "Keep the lift small if your back is sore." in lines
        assert "Stop if it hurts." in lines
        assert session.engine.state == "paused"  # reading, not stretching
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is session
        assert session.engine.state == "counting-in"


async def test_cautions_that_do_not_fit_give_way_to_the_marker(tmp_path: Path) -> None:
    app, clock = make_app(tmp_path)
    # Full layout, but 22 rows: the buttons go, and still the cautions do not fit.
    async with app.run_test(size=(60, 22)) as pilot:
        await pilot.pause()
        await clock.advance(40)
        await pilot.pause()
        assert shown(app, "#how-to") is not None
        assert not on_screen(app, "#pause-button")
        assert shown(app, "#cautions") is None
        assert shown(app, "#caution-mark") == "\u26a0 2 cautions: press c to read them"


PICKER_ROUTINE = routine_yaml("picks")


async def test_the_picker_details_and_skip_optional(tmp_path: Path) -> None:
    from textual.widgets import Checkbox

    from timer_app.views.tui.screens.picker import PickerScreen
    from timer_app.views.tui.widgets.routine_detail import RoutineDetail

    (tmp_path / "picks.yaml").write_text(PICKER_ROUTINE, encoding="utf-8")
    app = StretchApp(routine_dirs=[tmp_path])
    started: list[PickerScreen.StartRequested] = []
    async with app.run_test(size=(120, 40), message_hook=_keep(started)) as pilot:
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        await pilot.press(*"picks")  # typing filters the list
        await pilot.pause()
        detail = str(picker.query_one("#detail", RoutineDetail).render())
        assert "sitting, lying on your back" in detail
        assert "lying-back" not in detail
        assert "Note: Turn only as far as is easy." in detail
        assert "Bridge (optional)" in detail
        assert "\u26a0 Caution: Keep the lift small." in detail
        skip = picker.query_one("#skip-optional", Checkbox)
        await pilot.click("#skip-optional")
        await pilot.pause()
        assert skip.value
        assert "\u2713" in str(skip.render())  # on, without needing colour
        detail = str(picker.query_one("#detail", RoutineDetail).render())
        assert "Left out (optional): Bridge" in detail
        assert "Bridge (optional)" not in detail
        await pilot.click("#start")
        await pilot.pause()
    assert started, "Start was pressed"
    plan = started[-1].plan
    assert plan.overrides.skip_optional
    assert [entry.exercise.name for entry in plan.routine.entries] == ["Seated twist"]


async def test_a_wrapped_caution_or_note_in_the_details_keeps_its_hanging_indent(
    tmp_path: Path,
) -> None:
    from timer_app.views.tui.widgets.routine_detail import RoutineDetail

    long = "Stop at once if the pain spreads down a leg or you feel numbness or tingling anywhere"
    routine = PICKER_ROUTINE.replace("title: Picks", f"title: Picks\ncautions: [{long}.]")
    routine = routine.replace("[Keep the lift small.]", f"[Keep the lift small; {long.lower()}.]")
    (tmp_path / "picks.yaml").write_text(routine, encoding="utf-8")
    app = StretchApp(routine_dirs=[tmp_path])
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press(*"picks")
        await pilot.pause()
        detail = app.screen.query_one("#detail", RoutineDetail)
        width = detail.content_size.width
        lines = str(detail.render()).splitlines()
    caution = next(i for i, line in enumerate(lines) if line.startswith("\u2022 Stop at once"))
    exercise = next(i for i, line in enumerate(lines) if "\u26a0 Caution: Keep" in line)
    indent = " " * len("   \u26a0 Caution: ")
    for first, hang in ((caution, "  "), (exercise, indent)):
        # Wrapped to the width there is (so never again to the left edge), under its text.
        assert lines[first + 1].startswith(hang) and lines[first + 1].strip()
        assert all(len(line) <= width for line in lines[first : first + 3])


def _keep(into: list[object]) -> object:
    """A message hook that keeps the picker's start requests."""
    from timer_app.views.tui.screens.picker import PickerScreen

    def hook(message: object) -> None:
        if isinstance(message, PickerScreen.StartRequested):
            into.append(message)

    return hook


async def test_the_rep_count_is_on_screen_from_the_first_tempo_rep() -> None:
    # The get-ready shows no rep; the first "pressure on" must make room for "rep 1 of 6".
    assert remember()
    plan = compile_plan(load_library([], user=False).routines["doctor-jo-5-minute"])
    clock = VirtualClock()
    app = StretchApp(plan=plan, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await clock.advance(plan.steps[1].start)
        await pilot.pause()
        rep = app.screen.query_one("#rep", Static)
        assert str(rep.render()) == "rep 1 of 6"
        assert rep.size.width == len("rep 1 of 6")

"""Snapshots of each screen at 80x24 and at a small size (pytest-textual-snapshot).

Regenerate after an intended change with `pytest tests/test_snapshots.py --snapshot-update`
and look at the report before committing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from remind_support import Tools
from textual.pilot import Pilot
from textual.widgets import Input

from helpers import figures_plan, routine_yaml, until
from timer_app.config.acknowledgement import remember
from timer_app.config.settings import Settings
from timer_app.core.plan import compile_plan
from timer_app.remind.file import save_reminders
from timer_app.remind.rules import Reminder, parse_days, parse_span
from timer_app.remind.schedulers import apply
from timer_app.routines.library import load_library
from timer_app.testing import VirtualClock
from timer_app.views.tui.app import StretchApp
from timer_app.views.tui.screens.builder import BuilderScreen
from timer_app.views.tui.screens.choose_exercise import ChooseExerciseScreen
from timer_app.views.tui.screens.picker import PickerScreen
from timer_app.views.tui.screens.reminders import RemindersScreen
from timer_app.views.tui.screens.session import SessionScreen

SNAPSHOT_ROUTINE = routine_yaml("snap")

MOVES_ROUTINE = routine_yaml("moves")
"""A change of position (sitting to lying: 15 s to get ready, from 35 s to 50 s) into an
exercise with a note and a caution."""

Before = Callable[[Pilot[Any]], Awaitable[None]]


@pytest.fixture(autouse=True)
def acknowledged(monkeypatch: pytest.MonkeyPatch) -> None:
    assert remember()
    # The phase highlight ends on a real-time timer; without it the frames are deterministic.
    monkeypatch.setattr(SessionScreen, "flash_seconds", 0.0)


def session_app(
    tmp_path: Path, settings: Settings | None = None
) -> tuple[StretchApp, VirtualClock]:
    (tmp_path / "snap.yaml").write_text(SNAPSHOT_ROUTINE, encoding="utf-8")
    library = load_library([tmp_path], user=False)
    clock = VirtualClock()
    plan = compile_plan(library.routines["snap"])
    return StretchApp(plan=plan, clock=clock, settings=settings), clock


def moves_app(tmp_path: Path) -> tuple[StretchApp, VirtualClock]:
    (tmp_path / "moves.yaml").write_text(MOVES_ROUTINE, encoding="utf-8")
    library = load_library([tmp_path], user=False)
    clock = VirtualClock()
    return StretchApp(plan=compile_plan(library.routines["moves"]), clock=clock), clock


def at(clock: VirtualClock, seconds: float, *keys: str) -> Before:
    async def before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await clock.advance(seconds)
        for key in keys:
            await pilot.press(key)
        await pilot.pause()
        screen = pilot.app.screen
        if hasattr(screen, "refresh_time"):
            screen.refresh_time()
        await pilot.pause()

    return before


SIZES = [(80, 24), (50, 16)]


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "50x16"])
def test_picker(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(StretchApp(), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "50x16"])
def test_hold_on_the_left_side(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    app, clock = session_app(tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=at(clock, 22))


def test_switch_sides(snap_compare: Any, tmp_path: Path) -> None:
    app, clock = session_app(tmp_path)
    assert snap_compare(app, terminal_size=(80, 24), run_before=at(clock, 82))


def test_tempo_step(snap_compare: Any, tmp_path: Path) -> None:
    app, clock = session_app(tmp_path)
    assert snap_compare(app, terminal_size=(80, 24), run_before=at(clock, 162))


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "50x16"])
def test_paused(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    app, clock = session_app(tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=at(clock, 30, "space"))


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "50x16"])
def test_resuming(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    # Paused at 30 s, then space: RESUMING, the phase it returns to, the countdown unmoved.
    app, clock = session_app(tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=at(clock, 30, "space", "space"))


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "50x16"])
def test_summary(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    app, clock = session_app(tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=at(clock, 110, "n", "n"))


def test_hold_in_the_light_theme(snap_compare: Any, tmp_path: Path) -> None:
    app, clock = session_app(tmp_path, Settings(theme="textual-light"))
    assert snap_compare(app, terminal_size=(80, 24), run_before=at(clock, 22))


def test_help_lists_every_key(snap_compare: Any, tmp_path: Path) -> None:
    app, clock = session_app(tmp_path)
    assert snap_compare(app, terminal_size=(80, 24), run_before=at(clock, 22, "question_mark"))


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "50x16"])
def test_get_ready_with_a_move_a_note_and_a_caution(
    snap_compare: Any, tmp_path: Path, size: tuple[int, int]
) -> None:
    app, clock = moves_app(tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=at(clock, 40))


def test_cautions_dialog_on_a_small_screen(snap_compare: Any, tmp_path: Path) -> None:
    app, clock = moves_app(tmp_path)
    assert snap_compare(app, terminal_size=(50, 16), run_before=at(clock, 40, "c"))


async def build_a_routine(pilot: Pilot[Any]) -> None:
    """The builder with a title, three exercises (the middle one per side, highlighted) and
    the focus on its hold."""
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, BuilderScreen) and bool(app.screen.sub_title))
    builder = app.screen
    assert isinstance(builder, BuilderScreen)
    builder.query_one("#routine-title", Input).value = "Morning [back] routine"
    for count, words in enumerate(("pelvic", "knee", "cat"), start=1):
        await pilot.press("ctrl+n")
        await until(pilot, lambda: isinstance(app.screen, ChooseExerciseScreen))
        await pilot.press(*words, "enter")
        await until(pilot, lambda: app.screen is builder and len(builder.draft.entries) == count)  # noqa: B023
    await pilot.press("up", "enter", "tab")
    await pilot.pause()


def show_plan(pilot_before: Before) -> Before:
    async def before(pilot: Pilot[Any]) -> None:
        await pilot_before(pilot)
        await pilot.press("ctrl+g")
        await pilot.pause()

    return before


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "50x16"])
def test_builder(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(StretchApp(build=True), terminal_size=size, run_before=build_a_routine)


def test_builder_plan_on_a_small_screen(snap_compare: Any) -> None:
    app = StretchApp(build=True)
    assert snap_compare(app, terminal_size=(50, 16), run_before=show_plan(build_a_routine))


def show_reminders() -> Before:
    """The Reminders screen over the picker, with two reminders held in a (fake) crontab, on
    Monday 11 May 2026 at 12:00 UTC, and a problem under one field of the form."""

    async def before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        await until(pilot, lambda: isinstance(app.screen, PickerScreen))
        assert isinstance(app, StretchApp) and app.library is not None
        noon = datetime(2026, 5, 11, 12, tzinfo=UTC)
        screen = RemindersScreen(app.library, now=lambda: noon, zone=ZoneInfo("UTC"))
        app.push_screen(screen)
        await until(pilot, lambda: screen.is_mounted and screen.held is not None)
        screen.query_one("#reminder-times", Input).value = "9:75"
        await pilot.press("ctrl+n")
        await pilot.pause()

    return before


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "50x16"])
def test_reminders(snap_compare: Any, tools: Tools, size: tuple[int, int]) -> None:
    tools.with_cron()
    reminders = [
        Reminder(
            times=(time(10), time(15, 30)), days=parse_days("mon-fri"), routine="neck-stretches"
        ),
        Reminder(every=90 * 60, between=parse_span("09:00-17:00"), days=parse_days("sat,sun")),
    ]
    save_reminders(reminders)
    apply(reminders)
    assert snap_compare(StretchApp(), terminal_size=size, run_before=show_reminders())


def figures_app(tmp_path: Path) -> tuple[StretchApp, VirtualClock]:
    clock = VirtualClock()
    return StretchApp(plan=figures_plan(tmp_path), clock=clock), clock


@pytest.mark.parametrize("size", [*SIZES, (100, 30)], ids=["80x24", "50x16", "100x30"])
@pytest.mark.parametrize(
    ("exercise", "kind", "side"),
    [
        ("knee-to-chest", "prepare", "left"),  # from the chair down onto the back: "Move:"
        ("knee-to-chest", "hold", "left"),
        ("knee-to-chest", "hold", "right"),  # the left's mirror image, and said
        ("cat-cow", "on", None),
        ("cat-cow", "off", None),
    ],
    ids=["get-ready-move", "hold-left", "hold-right", "tempo-on", "tempo-off"],
)
def test_figure(
    snap_compare: Any,
    tmp_path: Path,
    size: tuple[int, int],
    exercise: str,
    kind: str,
    side: str | None,
) -> None:
    # On the small screen the figure is asked for with f: in place of the big digits.
    app, clock = figures_app(tmp_path)
    assert app.plan is not None
    step = next(
        s
        for s in app.plan.steps
        if s.exercise.id == exercise and s.kind == kind and s.side == side and s.rep == 1
    )
    keys = ("f",) if size == (50, 16) else ()
    assert snap_compare(app, terminal_size=size, run_before=at(clock, step.start + 0.5, *keys))


async def choose_knee(pilot: Pilot[Any]) -> None:
    """The exercise chooser over the builder, filtered to "knee chest": the highlighted
    exercise's figure under the list."""
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, BuilderScreen) and bool(app.screen.sub_title))
    await pilot.press("ctrl+n")
    await until(pilot, lambda: isinstance(app.screen, ChooseExerciseScreen))
    await pilot.press(*"knee chest")
    await pilot.pause()


def test_chooser_shows_the_highlighted_figure(snap_compare: Any) -> None:
    app = StretchApp(build=True)
    assert snap_compare(app, terminal_size=(80, 24), run_before=choose_knee)


def test_picker_details_show_the_first_figure(snap_compare: Any) -> None:
    # Tall enough for the figure above the details (at 24 rows the details keep the room).
    assert snap_compare(StretchApp(), terminal_size=(100, 34))

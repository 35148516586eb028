"""History in the full-screen app: the streak on the picker, today's total on the summary, the
stats screen, and sessions that run on when history cannot be written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from helpers import routine_yaml
from history_support import history_in, local_noon, record, sessions_in
from timer_app.companions import Companions
from timer_app.config.acknowledgement import remember
from timer_app.core.plan import Plan, compile_plan
from timer_app.routines.library import load_library
from timer_app.testing import VirtualClock
from timer_app.views.tui.app import StretchApp
from timer_app.views.tui.screens.picker import PickerScreen
from timer_app.views.tui.screens.safety import SafetyScreen
from timer_app.views.tui.screens.session import SessionScreen
from timer_app.views.tui.screens.stats import StatsScreen
from timer_app.views.tui.screens.summary import SummaryScreen

SHORT = routine_yaml("short-recorded")
SHORT_LENGTH = 3 + 10 + 2 + 10


@pytest.fixture
def data(isolated_home: Path) -> Path:
    """The history's folder in the isolated home."""
    return isolated_home / ".local" / "share" / "stretch-timer"


@pytest.fixture
def short_plan(tmp_path: Path) -> Plan:
    folder = tmp_path / "routines"
    folder.mkdir()
    (folder / "short.yaml").write_text(SHORT, encoding="utf-8")
    return compile_plan(load_library([folder], user=False).routines["short"])


def recording() -> Companions:
    """What the `stretch` command gives the app, less the sound: every session recorded."""
    return Companions(sound="off", history=True)


def text_of(app: StretchApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def settled(app: StretchApp, pilot: Pilot[Any]) -> None:
    """Let the history be read (a worker thread) and shown."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_the_picker_shows_the_streak_and_when_each_routine_was_last_done(data: Path) -> None:
    assert remember()
    history, _ = history_in(data)
    record(history, local_noon(1), routine_id="neck-stretches")
    record(history, local_noon(0), routine_id="doctor-jo-seated")
    record(history, local_noon(0), routine_id="spine-health-five", state="stopped")
    app = StretchApp(companions=recording())
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(app, pilot)
        screen = app.screen
        assert isinstance(screen, PickerScreen)
        assert text_of(app, "#history-line") == "Streak: 2 days (your longest) \u00b7 ^s: stats"
        options = screen.query_one("#routines", OptionList)

        def prompt(routine_id: str) -> str:
            return str(options.get_option(routine_id).prompt)

        assert prompt("neck-stretches").endswith("last done yesterday")
        assert prompt("doctor-jo-seated").endswith("last done today")
        assert "last done" not in prompt("spine-health-five")  # stopped is not done
        titles = {command.title for command in app.get_system_commands(screen)}
        assert "Stats" in titles


async def test_without_history_the_picker_has_no_streak_and_no_stats(data: Path) -> None:
    assert remember()
    app = StretchApp()  # history=False: what the other tests get
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(app, pilot)
        screen = app.screen
        assert isinstance(screen, PickerScreen)
        assert not screen.query_one("#history-line").display
        assert "Stats" not in {command.title for command in app.get_system_commands(screen)}
        await pilot.press("ctrl+s")
        assert app.screen is screen
    assert not data.joinpath("history.db").exists()


async def test_the_summary_shows_todays_total_with_this_session(
    data: Path, short_plan: Plan
) -> None:
    assert remember()
    history, _ = history_in(data)
    record(history, local_noon(0), minutes=3)  # today, in another routine
    clock = VirtualClock()
    app = StretchApp(plan=short_plan, clock=clock, companions=recording())
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        await clock.advance(SHORT_LENGTH)
        await settled(app, pilot)
        summary = app.screen
        assert isinstance(summary, SummaryScreen)
        # 3 minutes earlier and 20 s of holds now: 3 min 20 s.
        assert text_of(app, "#summary-today") == (
            "Today: 3 min of stretching in 2 sessions \u00b7 Streak: 1 day"
        )
        assert summary.query_one("#summary-today").display
        # Leaving as a person does (q): the app waits for the session's last history write.
        await pilot.press("q")
        await pilot.pause()
    assert not app.is_running
    # By title, not order: before noon the other session's time (noon today) is the later one.
    [latest] = [s for s in sessions_in(history) if s.title == "Neck [/ short"]
    assert (latest.state, latest.active_seconds) == ("completed", 20)


STATS_NOW = datetime(2024, 5, 8, 18, 0, tzinfo=UTC)
"""A Wednesday evening, for a stats screen whose dates never change."""


def stats_history(data: Path) -> None:
    history, _ = history_in(data)
    for days_ago, minutes in ((40, 5), (20, 12), (15, 3), (9, 8), (2, 4), (1, 6), (0, 2)):
        record(history, STATS_NOW - timedelta(days=days_ago, hours=10), minutes=minutes)
    record(
        history,
        STATS_NOW - timedelta(hours=1),
        title="Evening [/b] unwind",
        state="interrupted",
        minutes=1,
    )


async def test_the_stats_screen_opens_from_the_picker_and_shows_the_weeks(data: Path) -> None:
    assert remember()
    stats_history(data)
    app = StretchApp(companions=recording())
    async with app.run_test(size=(90, 34)) as pilot:
        await settled(app, pilot)
        picker = app.screen
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert isinstance(app.screen, StatsScreen)
        await pilot.press("escape")
        assert app.screen is picker
        # The same screen at a known moment and place, to check what it says.
        screen = StatsScreen(app.companions.history, now=lambda: STATS_NOW, tz=UTC)
        await app.push_screen(screen)
        await settled(app, pilot)
        assert text_of(app, "#stats-streak") == "Streak: 3 days (your longest)"
        assert text_of(app, "#stats-today") == "Today: 3 min of stretching in 2 sessions"
        weeks = text_of(app, "#stats-weeks").splitlines()
        assert len(weeks) == 8
        # Monday 6 May to now: 4 + 6 + 2 + 1 minutes, the longest bar; then 8, 3, 12, 0 ...
        assert weeks[-1] == "  this week " + "\u2588" * 32 + "   13"
        minutes = [line[-4:].strip() for line in weeks]
        assert minutes == ["0", "5", "0", "0", "12", "3", "8", "13"]
        assert weeks[-2].startswith("     29 Apr \u2588")
        assert weeks[0].startswith("     18 Mar " + " " * 32)  # no bar for an empty week
        recent = text_of(app, "#stats-recent").splitlines()
        assert len(recent) == 5
        assert recent[0].startswith("Wed 8 May  17:00  interrupted   1 min  ")
        assert recent[0].endswith("Evening [/b] unwind")  # titles are shown as written
        assert recent[-1].startswith("Mon 29 Apr 08:00  completed     8 min  ")


async def test_an_unwritable_data_folder_leaves_sessions_running_with_one_notice(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch, short_plan: Plan
) -> None:
    # Root ignores permissions, so the data folder is made impossible instead: its parent is
    # a regular file. The safety note cannot be remembered either, so it is acknowledged here.
    blocker = isolated_home / "blocked"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    clock = VirtualClock()
    app = StretchApp(plan=short_plan, clock=clock, companions=recording())
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SafetyScreen)
        await pilot.click("#acknowledge")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        await clock.advance(SHORT_LENGTH)
        await settled(app, pilot)
        summary = app.screen
        assert isinstance(summary, SummaryScreen)
        assert summary.finished.completed
        assert not summary.query_one("#summary-today").display
        notices = [n for n in app._notifications if n.title == "History"]
        assert len(notices) == 1
        assert "History is off for this run" in notices[0].message
        assert "blocked" in notices[0].message
        await pilot.press("s")  # not a key here; the stats screen says history is off
        app.action_stats()
        await settled(app, pilot)
        assert isinstance(app.screen, StatsScreen)
        assert text_of(app, "#stats-streak").startswith("History is off for this run")


def test_stats_screen_snapshot(snap_compare: Any, data: Path) -> None:
    assert remember()
    stats_history(data)

    async def open_stats(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, StretchApp)
        await pilot.pause()
        await app.workers.wait_for_complete()
        await app.push_screen(StatsScreen(app.companions.history, now=lambda: STATS_NOW, tz=UTC))
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(
        StretchApp(companions=recording()), terminal_size=(80, 24), run_before=open_stats
    )

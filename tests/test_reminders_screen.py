"""The Reminders screen, reached from the picker (ctrl+r) and the command palette: adding a
reminder (field by field, then in reminders.yaml and a fake crontab), removing one, turning
all off, the test reminder through a real D-Bus session bus, and the picker's Next line."""

from __future__ import annotations

import shutil
import sys
from datetime import time
from pathlib import Path
from typing import Any

import pytest
from remind_support import Desktop, Tools
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Select, Static

from helpers import on_picker, until
from timer_app.config.acknowledgement import remember
from timer_app.remind.file import load_reminders, reminders_path, save_reminders
from timer_app.remind.rules import Reminder, parse_days
from timer_app.views.tui.app import StretchApp
from timer_app.views.tui.screens.reminders import RemindersScreen

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the Linux schedulers")


async def on_reminders(pilot: Pilot[Any]) -> RemindersScreen:
    """From the picker, ctrl+r; wait for the Reminders screen to know where they are held."""
    await on_picker(pilot)
    await pilot.press("ctrl+r")
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, RemindersScreen))
    screen = app.screen
    assert isinstance(screen, RemindersScreen)
    await until(pilot, lambda: screen.held is not None)
    return screen


def text(screen: RemindersScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def problem(screen: RemindersScreen, name: str) -> str:
    row = screen.query_one(f"#reminder-{name}-row")
    return str(row.query_one(".field-problem", Static).render()) if row.display else ""


async def settled(pilot: Pilot[Any], screen: RemindersScreen) -> None:
    """Wait for a change to be saved, scheduled and looked up again."""
    await until(pilot, lambda: not screen.busy and screen.held is not None)


async def test_a_reminder_is_added_from_its_fields(tools: Tools) -> None:
    tools.with_cron()
    remember()
    app = StretchApp()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await on_reminders(pilot)
        assert "No reminders yet" in text(screen, "#reminders-empty")
        # Focus starts in Times; typed as a person would, Enter adds.
        await pilot.press(*"10:00 15:30", "tab", *"mon-fri")
        screen.query_one("#reminder-routine", Select).value = "neck-stretches"
        await pilot.press("ctrl+n")
        await settled(pilot, screen)
        assert text(screen, "#reminders-status").startswith(
            "Added 1. 10:00, 15:30 mon-fri: Basic neck stretches, "
        )
        reminders, problems = load_reminders()
        assert problems == []
        assert reminders == [
            Reminder(
                times=(time(10), time(15, 30)), days=parse_days("mon-fri"), routine="neck-stretches"
            )
        ]
        assert tools.crontab.read_text().count("remind due") == 2
        listed = screen.query_one("#reminder-list", OptionList)
        assert listed.option_count == 1
        assert text(screen, "#reminders-next").startswith("Next: ")
        assert text(screen, "#reminders-where") == "Scheduled with: your crontab (`crontab -l`)"
        # The form is empty again, ready for the next one.
        assert screen.query_one("#reminder-times", Input).value == ""
        # Every N minutes between two times, for the picker.
        await pilot.press("tab", "tab", *"90m", "tab", *"09:00-17:00", "enter")
        await settled(pilot, screen)
        assert text(screen, "#reminders-status").startswith(
            "Added 2. every 1 h 30 min 09:00-17:00 daily: choose a routine."
        )
        assert len(load_reminders()[0]) == 2
        # Escape: back on the picker, whose Next line now shows.
        await pilot.press("escape")
        picker = await on_picker(pilot)
        assert str(picker.query_one("#next-reminder", Static).render()).startswith("Next: ")


async def test_problems_are_shown_under_their_fields_and_nothing_is_saved(tools: Tools) -> None:
    tools.with_cron()
    remember()
    app = StretchApp()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await on_reminders(pilot)
        await pilot.press(*"25:00", "tab", *"someday", "enter")
        await pilot.pause()
        assert problem(screen, "times") == (
            "\u26a0 '25:00' is not a time of day such as 09:00 or 15:30 (24-hour clock)"
        )
        assert problem(screen, "days").startswith("\u26a0 'someday' is not days such as mon-fri")
        assert text(screen, "#reminders-status") == "\u26a0 Not added: put right what is marked."
        # Every without Between: said under Between, in the same words as `stretch remind add`.
        screen.query_one("#reminder-times", Input).value = ""
        screen.query_one("#reminder-days", Input).value = ""
        screen.query_one("#reminder-every", Input).value = "90m"
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert problem(screen, "times") == ""
        assert problem(screen, "between") == (
            "\u26a0 needed with every: two times such as 09:00-17:00"
        )
        # Nothing at all: what a reminder needs.
        screen.query_one("#reminder-every", Input).value = ""
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert "give times of day" in problem(screen, "times")
        assert not reminders_path().exists()
        assert not tools.crontab.exists()


async def test_a_reminder_is_removed_from_the_list(tools: Tools) -> None:
    tools.with_cron()
    remember()
    save_reminders(
        [Reminder(times=(time(10),)), Reminder(times=(time(15, 30),), routine="neck-stretches")]
    )
    app = StretchApp()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await on_reminders(pilot)
        # With reminders set the list has the focus; Delete removes the highlighted one.
        listed = screen.query_one("#reminder-list", OptionList)
        assert listed.has_focus
        await pilot.press("down", "delete")
        await settled(pilot, screen)
        assert text(screen, "#reminders-status").startswith(
            "Removed 2. 15:30 daily: Basic neck stretches"
        )
        assert load_reminders()[0] == [Reminder(times=(time(10),))]
        assert tools.crontab.read_text().count("remind due") == 1
        assert listed.option_count == 1
        # In a field, Delete deletes a character, never a reminder.
        await pilot.press("tab", *"12", "left", "delete")
        await pilot.pause()
        assert screen.query_one("#reminder-times", Input).value == "1"
        assert len(load_reminders()[0]) == 1


async def test_all_off_asks_first_then_leaves_nothing_behind(tools: Tools) -> None:
    tools.with_cron()
    remember()
    tools.crontab.write_text("# mine\n0 6 * * * backup\n")
    app = StretchApp()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await on_reminders(pilot)
        await pilot.press(*"10:00", "enter")
        await settled(pilot, screen)
        assert "remind due" in tools.crontab.read_text()
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("n")  # Keep them
        await pilot.pause()
        assert reminders_path().exists()
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("y")
        await until(pilot, lambda: "off" in text(screen, "#reminders-status"))
        assert text(screen, "#reminders-status").startswith("Reminders are off. Removed ")
        assert not reminders_path().exists()
        assert tools.crontab.read_text() == "# mine\n0 6 * * * backup\n"
        assert "No reminders yet" in text(screen, "#reminders-empty")
        await pilot.press("escape")
        picker = await on_picker(pilot)
        assert not picker.query_one("#next-reminder", Static).display


async def test_a_file_with_problems_is_shown_and_not_changed(tools: Tools) -> None:
    tools.with_cron()
    remember()
    path = reminders_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("reminders:\n  - at: ['10:00']\n  - at: ['[red]99:99']\n", encoding="utf-8")
    app = StretchApp()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await on_reminders(pilot)
        said = text(screen, "#reminders-file-problems")
        # Every problem as PATH:LINE:COL, as `stretch remind list` prints it.
        assert f"{path}:3:10: reminder 2: at[1]: " in said
        await pilot.press("tab", *"11:00", "enter")
        await until(pilot, lambda: "Not changed" in text(screen, "#reminders-status"))
        assert "has problems" in text(screen, "#reminders-status")
        assert "[red]99:99" in path.read_text(encoding="utf-8")


async def test_the_palette_opens_the_reminders_screen(tools: Tools) -> None:
    remember()
    app = StretchApp()
    async with app.run_test(size=(80, 24)) as pilot:
        picker = await on_picker(pilot)
        titles = [command.title for command in app.get_system_commands(picker)]
        assert "Reminders" in titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"reminders")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, RemindersScreen))


@pytest.mark.skipif(shutil.which("dbus-daemon") is None, reason="needs dbus-daemon")
async def test_the_test_reminder_is_a_real_notification_and_start_opens_the_routine(
    desktop: Desktop,
) -> None:
    remember()
    save_reminders([Reminder(times=(time(10),), routine="neck-stretches")])
    app = StretchApp()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await on_reminders(pilot)
        await pilot.press("ctrl+t")
        await until(pilot, lambda: bool(desktop.ran()))
        desktop.check_neck_stretches_started()
        await until(pilot, lambda: "Started in a terminal" in text(screen, "#reminders-status"))


async def test_with_no_desktop_the_test_reminder_says_so(
    tools: Tools, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path / 'no-bus'}")
    remember()
    app = StretchApp()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await on_reminders(pilot)
        await pilot.press("ctrl+t")
        await until(pilot, lambda: "No desktop" in text(screen, "#reminders-status"))
        assert "org.freedesktop.Notifications" in text(screen, "#reminders-status")

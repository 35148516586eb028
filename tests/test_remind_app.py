"""The picker shows the next reminder, and a reminder missed for want of a desktop."""

from __future__ import annotations

from datetime import time

from remind_support import Tools
from textual.widgets import Static

from helpers import on_picker, until
from timer_app.config.acknowledgement import remember
from timer_app.remind.file import reminders_path, save_reminders
from timer_app.remind.rules import Reminder
from timer_app.views.tui.app import StretchApp
from timer_app.views.tui.screens.reminders import RemindersScreen


async def test_the_picker_shows_the_next_reminder() -> None:
    remember()
    save_reminders([Reminder(times=(time(0, 0), time(23, 59)), routine="neck-stretches")])
    app = StretchApp()
    async with app.run_test() as pilot:
        picker = await on_picker(pilot)
        line = picker.query_one("#next-reminder", Static)
        assert line.display
        text = str(line.render())
        assert text.startswith("Next: ")
        assert text.endswith(", Basic neck stretches")


async def test_without_reminders_there_is_no_line() -> None:
    remember()
    app = StretchApp()
    async with app.run_test() as pilot:
        picker = await on_picker(pilot)
        assert not picker.query_one("#next-reminder", Static).display


async def test_a_missed_reminder_is_said_over_the_picker() -> None:
    remember()
    app = StretchApp(notices=["You missed a reminder at 15:30."])
    async with app.run_test() as pilot:
        picker = await on_picker(pilot)
        line = picker.query_one("#next-reminder", Static)
        assert line.display
        assert str(line.render()) == "You missed a reminder at 15:30."


async def test_the_missed_reminder_stays_said_after_another_screen(tools: Tools) -> None:
    # A line, not a toast: it does not go away after a few seconds, nor when a screen covered
    # the picker (the Reminders screen, where a reminder is set meanwhile).
    tools.with_cron()
    remember()
    app = StretchApp(notices=["You missed a reminder at 15:30."])
    async with app.run_test(notifications=True) as pilot:
        picker = await on_picker(pilot)
        await pilot.pause(6)
        await pilot.press("ctrl+r")
        await until(pilot, lambda: isinstance(app.screen, RemindersScreen))
        await pilot.press(*"10:00", "enter")
        await until(pilot, lambda: reminders_path().exists())
        await pilot.press("escape")
        await on_picker(pilot)
        text = str(picker.query_one("#next-reminder", Static).render())
        assert text.startswith("You missed a reminder at 15:30.  Next: ")
        assert not app.query("Toast")

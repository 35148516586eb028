"""Provides what reminders say: the routine a reminder names and its length, the next one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from timer_app.remind.rules import Reminder, clock

if TYPE_CHECKING:
    from timer_app.remind.schedule import Occurrence
    from timer_app.routines.catalog import Library


@dataclass(frozen=True)
class Target:
    """What a reminder starts: a routine (its id, title, summary and whole minutes), or the
    picker (`routine_id` None)."""

    routine_id: str | None
    title: str
    minutes: int | None = None
    summary: str = ""

    @property
    def heading(self) -> str:
        """The notification's title: the routine and its length."""
        if self.minutes is None:
            return f"Time to stretch: {self.title}"
        return f"Time to stretch: {self.title}, {self.minutes} min"

    @property
    def command(self) -> list[str]:
        """The `stretch` arguments that start it."""
        return ["run", self.routine_id] if self.routine_id else []


def target_of(reminder: Reminder, library: Library) -> Target:
    """The routine a reminder names; one no longer there opens the picker, saying so."""
    from timer_app.core.plan import compile_plan

    if reminder.chooses:
        return Target(None, "choose a routine")
    routine = library.routines.get(reminder.routine)
    if routine is None:
        return Target(None, f"choose a routine ('{reminder.routine}' is not there any more)")
    minutes = max(1, round(compile_plan(routine).total / 60))
    return Target(routine.id, routine.title, minutes, routine.summary)


def when_text(at: datetime, now: datetime, zone: tzinfo) -> str:
    """`15:30` today, `Mon 10:00` on another day."""
    local, today = at.astimezone(zone), now.astimezone(zone).date()
    return clock(local.time()) if local.date() == today else f"{local:%a} {clock(local.time())}"


def next_text(found: Occurrence | None, library: Library, now: datetime, zone: tzinfo) -> str:
    """The picker's line: `Next: 15:30, Basic neck stretches` (empty when none is set)."""
    if found is None:
        return ""
    target = target_of(found.reminder, library)
    name = target.title if target.routine_id else "choose a routine"
    return f"Next: {when_text(found.at, now, zone)}, {name}"


def next_reminder_line(library: Library) -> str:
    """The picker's line for the reminders file as it is (empty with none, or a bad file)."""
    from timer_app.remind.file import load_reminders, reminders_path

    if not reminders_path().exists():
        return ""
    from timer_app.history.records import utc_now
    from timer_app.remind.schedule import local_zone, upcoming

    reminders, _ = load_reminders()
    zone, now = local_zone(), utc_now()
    return next_text(upcoming(reminders, now, zone), library, now, zone)

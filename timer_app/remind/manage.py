"""Provides what `stretch remind` and the app's Reminders screen both do to the reminders:
read them for a change, check a new one field by field, save and schedule them, remove one,
turn them all off, and the words for each. The CLI prints what these return; the screen shows
it: neither holds a rule of its own."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, tzinfo
from typing import TYPE_CHECKING, TypeVar

from timer_app.remind.file import MAX_REMINDERS, load_reminders, reminders_path, save_reminders
from timer_app.remind.rules import (
    ALL_DAYS,
    CHOOSE,
    EVERY_MAX,
    EVERY_MIN,
    MAX_TIMES,
    Reminder,
    every_text,
    parse_days,
    parse_span,
    parse_time,
)

if TYPE_CHECKING:
    from timer_app.routines.catalog import Library
    from timer_app.routines.problems import Problem

NO_DESKTOP = (
    "no desktop notification service answered (no D-Bus session bus, or nothing serving"
    " org.freedesktop.Notifications): scheduled reminders are then told at the next"
    " `stretch` start"
)
"""Said when a test reminder found nothing to show it on."""

FIELDS = ("times", "days", "every", "between", "routine")
"""A new reminder's parts, by the names its problems are given under (`""`: the whole)."""
T = TypeVar("T")


class FileHasProblems(Exception):
    """The reminders file has problems: a change written back would lose the reminders that
    have them, so none is made. `problems` are the file's, as `PATH:LINE:COL: message`."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(
            f"{reminders_path()} has problems; correct it, or start afresh with"
            " `stretch remind off`"
        )
        self.problems = problems


def for_change() -> list[Reminder]:
    """The reminders in the file, to change; FileHasProblems if it has any (warnings aside)."""
    reminders, problems = load_reminders()
    errors = [problem for problem in problems if not problem.warning]
    if errors:
        raise FileHasProblems(errors)
    return reminders


def parse_every(text: str) -> int:
    """`90m`, `1h`, `1h30m`: whole minutes within the limits, as seconds; ValueError if not."""
    from timer_app.core.durations import parse_duration

    seconds = parse_duration(text)
    if seconds % 60 or not EVERY_MIN <= seconds <= EVERY_MAX:
        raise ValueError(
            f"{text!r}: give whole minutes from {every_text(EVERY_MIN)} to {every_text(EVERY_MAX)}"
        )
    return int(seconds)


def parse_times(text: str) -> tuple[time, ...]:
    """`10:00 15:30` or `10:00, 15:30`: sorted, no repeats; ValueError naming a wrong one."""
    return tuple(sorted({parse_time(word) for word in re.split(r"[\s,]+", text.strip()) if word}))


def check_new(
    reminder: Reminder, *, has_every: bool, has_between: bool, count: int, library: Library
) -> dict[str, str]:
    """What is wrong with adding `reminder` as reminder number `count + 1`, by field (empty:
    nothing). `has_every`/`has_between`: whether each was given, as one without the other is
    dropped from a `Reminder`."""
    problems: dict[str, str] = {}
    if has_every != has_between:
        if has_every:
            problems["between"] = "needed with every: two times such as 09:00-17:00"
        else:
            problems["every"] = "needed with between: an interval such as 90m"
    elif not reminder.times and reminder.every is None:
        problems["times"] = "give times of day (10:00 15:30), or every and between"
    elif len(reminder.times_of_day()) > MAX_TIMES:
        problems["times"] = f"that goes off more than {MAX_TIMES} times a day"
    if not reminder.chooses:
        try:
            library.find(reminder.routine)
        except KeyError as error:
            problems["routine"] = str(error.args[0])
    if count >= MAX_REMINDERS:
        problems[""] = f"there are {MAX_REMINDERS} reminders already, the most; remove one first"
    return problems


@dataclass(frozen=True)
class Typed:
    """A new reminder's fields as typed on the Reminders screen."""

    times: str = ""
    days: str = ""
    every: str = ""
    between: str = ""
    routine: str = CHOOSE


def from_typed(typed: Typed, count: int, library: Library) -> Reminder | dict[str, str]:
    """The reminder the fields describe, or what is wrong, by field."""
    problems: dict[str, str] = {}

    def read(name: str, text: str, parse: Callable[[str], T]) -> T | None:
        if not text.strip():
            return None
        try:
            return parse(text)
        except ValueError as error:
            problems[name] = str(error)
            return None

    times = read("times", typed.times, parse_times) or ()
    days = read("days", typed.days, parse_days) or ALL_DAYS
    every = read("every", typed.every, parse_every)
    between = read("between", typed.between, parse_span)
    if problems:
        return problems
    reminder = Reminder(times, days, typed.routine or CHOOSE, every, between)
    found = check_new(
        reminder,
        has_every=every is not None,
        has_between=between is not None,
        count=count,
        library=library,
    )
    return found or reminder


def schedule(reminders: list[Reminder]) -> list[str]:
    """Save the reminders and have the system's scheduler wake us for them; where they are
    held now, one line each. SchedulerError (after saving) when they could not be scheduled."""
    from timer_app.remind.schedulers import apply

    save_reminders(reminders)
    return apply(reminders)


def turn_off() -> list[str]:
    """Remove every reminder: the scheduler's entries, the file and the state. What was
    removed, one line each (none: there were no reminders). SchedulerError if the scheduler
    could not be changed (the file is then kept)."""
    from timer_app.remind.schedulers import remove_all
    from timer_app.remind.state import forget_state

    removed = remove_all()
    path = reminders_path()
    if path.exists():
        path.unlink()
        removed.append(str(path))
    forget_state()
    return removed


def describe(number: int, reminder: Reminder, library: Library) -> str:
    """`2. 10:00, 15:30 mon-fri: Basic neck stretches, 9 min`."""
    from timer_app.remind.words import target_of

    heading = target_of(reminder, library).heading
    return f"{number}. {reminder.describe_when()}: {heading.removeprefix('Time to stretch: ')}"


def next_line(
    reminders: list[Reminder],
    library: Library,
    now: datetime | None = None,
    zone: tzinfo | None = None,
) -> str:
    """`Next: 15:30, Basic neck stretches` (empty with no reminders); `now` and `zone` say when
    and where (None: now, here)."""
    from timer_app.history.records import utc_now
    from timer_app.remind.schedule import local_zone, upcoming
    from timer_app.remind.words import next_text

    zone, now = zone or local_zone(), now or utc_now()
    return next_text(upcoming(reminders, now, zone), library, now, zone)


def where_line(held: list[str]) -> str:
    """Where the reminders are scheduled, or that they are not (for a list that has some)."""
    if held:
        return f"Scheduled with: {'; '.join(held)}"
    return "Not scheduled: run `stretch remind sync`"

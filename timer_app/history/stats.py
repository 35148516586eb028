"""Provides days, weeks and streaks from recorded sessions, in the user's local time.

Pure functions: no SQL, no clock. Each takes the time zone to count days in (`tz`; None means
the system's local time, with its daylight-saving rules for each moment) and, where "today"
matters, today's date, so tests can put the user anywhere at any time.

A session belongs to the local day (and ISO week) it started on: a routine begun at 23:55 counts
for that evening, not for the next day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from timer_app.core.durations import round_half_up
from timer_app.history.records import SessionRecord

__all__ = [
    "DayTotal",
    "Streak",
    "WeekTotal",
    "ago",
    "bar",
    "day_start",
    "local_date",
    "minutes_text",
    "monday_of",
    "per_day",
    "per_week",
    "short_date",
    "streak",
    "streak_of_days",
    "weekday_name",
]

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
"""English names, whatever the locale: the output of `stretch history` must not depend on it."""


def local_date(moment: datetime, tz: tzinfo | None = None) -> date:
    """The calendar day `moment` (aware) falls on for the user: in `tz`, or in the system's
    local time when None (converted with the rules in force at that moment, so a date across
    a daylight-saving change is right)."""
    return (moment.astimezone(tz) if tz is not None else moment.astimezone()).date()


def day_start(day: date, tz: tzinfo | None = None) -> datetime:
    """The first moment of the local `day`, as an aware datetime."""
    if tz is None:
        return datetime.combine(day, time()).astimezone()
    return datetime.combine(day, time(), tzinfo=tz)


def monday_of(day: date) -> date:
    """The Monday starting `day`'s ISO week."""
    return day - timedelta(days=day.weekday())


# ---------------------------------------------------------------------------------- streaks


@dataclass(frozen=True)
class Streak:
    """Consecutive local days with at least one completed session."""

    current: int
    """The run of days that ends today, or yesterday when today has no completed session yet:
    a streak is still alive until a whole day passes without one. 0 when it is broken."""
    longest: int
    """The longest run ever (at least `current`)."""


def streak_of_days(days: Iterable[date], *, today: date) -> Streak:
    """The streak given the local days that had a completed session."""
    ordered = sorted(set(days))
    longest = 0
    run = 0
    previous: date | None = None
    runs: dict[date, int] = {}
    """Length of the run ending on each day."""
    for day in ordered:
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        runs[day] = run
        longest = max(longest, run)
        previous = day
    current = runs.get(today) or runs.get(today - timedelta(days=1)) or 0
    return Streak(current=current, longest=longest)


def streak(completed_starts: Iterable[datetime], *, today: date, tz: tzinfo | None) -> Streak:
    """The streak from when each completed session started."""
    return streak_of_days((local_date(moment, tz) for moment in completed_starts), today=today)


# ---------------------------------------------------------------------------------- totals


@dataclass(frozen=True)
class DayTotal:
    """What was done on one local day."""

    day: date
    active_seconds: float
    """Seconds of stretching, from every session started that day, finished or not."""
    sessions: int
    completed: int


@dataclass(frozen=True)
class WeekTotal:
    """What was done in one ISO week (Monday to Sunday, local time)."""

    monday: date
    active_seconds: float
    sessions: int
    completed: int

    @property
    def label(self) -> str:
        """The ISO week, e.g. `2024-W19`."""
        year, week, _ = self.monday.isocalendar()
        return f"{year}-W{week:02d}"


def _tally(
    sessions: Iterable[SessionRecord], key: dict[date, date], tz: tzinfo | None
) -> dict[date, tuple[float, int, int]]:
    totals: dict[date, tuple[float, int, int]] = {}
    for session in sessions:
        bucket = key.get(local_date(session.started, tz))
        if bucket is None:
            continue
        seconds, count, completed = totals.get(bucket, (0.0, 0, 0))
        totals[bucket] = (
            seconds + session.active_seconds,
            count + 1,
            completed + (session.state == "completed"),
        )
    return totals


def per_day(
    sessions: Iterable[SessionRecord], *, first: date, last: date, tz: tzinfo | None
) -> list[DayTotal]:
    """Every day from `first` to `last` (both included, oldest first), empty days too."""
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    totals = _tally(sessions, {day: day for day in days}, tz)
    result = []
    for day in days:
        seconds, count, completed = totals.get(day, (0.0, 0, 0))
        result.append(DayTotal(day, round(seconds, 3), count, completed))
    return result


def per_week(
    sessions: Iterable[SessionRecord], *, first: date, last: date, tz: tzinfo | None
) -> list[WeekTotal]:
    """Every ISO week that overlaps `first` to `last` (oldest first), each counted whole."""
    mondays: list[date] = []
    monday = monday_of(first)
    while monday <= last:
        mondays.append(monday)
        monday += timedelta(days=7)
    key = {m + timedelta(days=n): m for m in mondays for n in range(7)}
    totals = _tally(sessions, key, tz)
    result = []
    for monday in mondays:
        seconds, count, completed = totals.get(monday, (0.0, 0, 0))
        result.append(WeekTotal(monday, round(seconds, 3), count, completed))
    return result


# ---------------------------------------------------------------------------------- words


def weekday_name(day: date) -> str:
    return WEEKDAYS[day.weekday()]


def short_date(day: date, *, today: date | None = None) -> str:
    """`6 May`, with the year when it is not this year's (`6 May 2023`)."""
    text = f"{day.day} {MONTHS[day.month - 1]}"
    return text if today is not None and day.year == today.year else f"{text} {day.year}"


def ago(moment: datetime, *, today: date, tz: tzinfo | None) -> str:
    """When `moment` was, in days: `today`, `yesterday`, `3 days ago`, `on 6 May`."""
    day = local_date(moment, tz)
    days = (today - day).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 7:
        return f"{days} days ago"
    return f"on {short_date(day, today=today)}"


def minutes_text(seconds: float) -> str:
    """Stretching time in whole minutes, a half minute up: `0 min`, `<1 min` (under 30 s),
    `1 min` (30 s), `12 min`."""
    if seconds <= 0:
        return "0 min"
    if seconds < 30:
        return "<1 min"
    return f"{round_half_up(seconds / 60)} min"


_EIGHTHS = " \u258f\u258e\u258d\u258c\u258b\u258a\u2589"


def bar(value: float, maximum: float, width: int) -> str:
    """A horizontal bar of `width` cells at most, to an eighth of a cell: `███▍`."""
    if maximum <= 0 or value <= 0 or width <= 0:
        return ""
    eighths = max(1, round(min(value / maximum, 1.0) * width * 8))
    whole, part = divmod(eighths, 8)
    return "\u2588" * whole + (_EIGHTHS[part] if part else "")

"""Provides `Reminder`: the times of day, the days and the routine of one reminder.

Times are local wall-clock times. A reminder has fixed times (`10:00 15:30`), or one every
so often between two times (`--every 90m --between 09:00-17:00`), or both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""Day words as written in `--days` and in reminders.yaml, Monday first (ISO weekday - 1)."""
DAY_WORDS = {
    "daily": tuple(range(7)),
    "weekdays": tuple(range(5)),
    "weekends": (5, 6),
}
_DAY = "(?:" + "|".join(DAY_NAMES) + ")"
DAYS_PATTERN = rf"(?:{'|'.join(DAY_WORDS)}|{_DAY}(?:-{_DAY})?(?:,{_DAY}(?:-{_DAY})?)*)"
DAYS_HINT = "days such as mon-fri, sat,sun, daily, weekdays or weekends"
TIME_PATTERN = r"(?:[01]?[0-9]|2[0-3]):[0-5][0-9]"
TIME_HINT = "a time of day such as 09:00 or 15:30 (24-hour clock)"
SPAN_PATTERN = rf"{TIME_PATTERN}-{TIME_PATTERN}"
SPAN_HINT = "two times such as 09:00-17:00"
CHOOSE = "choose"
"""The routine word for a reminder that opens the picker instead of one routine."""
EVERY_MIN = 15 * 60
EVERY_MAX = 12 * 3600
MAX_TIMES = 48
"""Times of day one reminder may have: every 30 minutes all day. The schedulers get one entry
a time, so this also keeps a crontab block or a unit file readable."""


@dataclass(frozen=True)
class Reminder:
    """One reminder: fixed `times` and/or every `every` seconds within `between`, on `days`."""

    times: tuple[time, ...] = ()
    days: tuple[int, ...] = tuple(range(7))
    """Weekdays, 0 for Monday; sorted, no repeats."""
    routine: str = CHOOSE
    """A routine id, or `choose` for the picker."""
    every: int | None = None
    """Seconds between reminders in `between`, or None."""
    between: tuple[time, time] | None = None

    def times_of_day(self) -> tuple[time, ...]:
        """Every time of day this reminder goes off, sorted."""
        found = set(self.times)
        if self.every is not None and self.between is not None:
            start, end = self.between
            minute = start.hour * 60 + start.minute
            last = end.hour * 60 + end.minute
            while minute <= last:
                found.add(time(minute // 60, minute % 60))
                minute += self.every // 60
        return tuple(sorted(found))

    @property
    def chooses(self) -> bool:
        return self.routine == CHOOSE

    def describe_when(self) -> str:
        """`10:00, 15:30 on mon-fri` or `every 1 h 30 min 09:00-17:00 daily`."""
        parts = [", ".join(clock(t) for t in self.times)] if self.times else []
        if self.every is not None and self.between is not None:
            start, end = self.between
            parts.append(f"every {every_text(self.every)} {clock(start)}-{clock(end)}")
        return f"{' and '.join(parts)} {days_text(self.days)}"


def clock(moment: time) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}"


def every_text(seconds: int) -> str:
    hours, minutes = divmod(seconds // 60, 60)
    if hours and minutes:
        return f"{hours} h {minutes} min"
    return f"{hours} h" if hours else f"{minutes} min"


def parse_time(text: str) -> time:
    """`9:00` or `15:30`; raises ValueError with what is accepted."""
    if not re.fullmatch(TIME_PATTERN, text.strip()):
        raise ValueError(f"{text!r} is not {TIME_HINT}")
    hour, minute = text.strip().split(":")
    return time(int(hour), int(minute))


def parse_span(text: str) -> tuple[time, time]:
    """`09:00-17:00`: the first must come before the second."""
    if not re.fullmatch(SPAN_PATTERN, text.strip()):
        raise ValueError(f"{text!r} is not {SPAN_HINT}")
    start, end = (parse_time(part) for part in text.strip().split("-"))
    if not start < end:
        raise ValueError(f"{text!r}: the start must come before the end, on the same day")
    return start, end


def parse_days(text: str) -> tuple[int, ...]:
    """`mon-fri`, `sat,sun`, `fri-mon` (across the weekend), `daily`, `weekdays`, `weekends`."""
    written = text.strip().lower().replace(" ", "")
    if not re.fullmatch(DAYS_PATTERN, written):
        raise ValueError(f"{text!r} is not {DAYS_HINT}")
    if written in DAY_WORDS:
        return DAY_WORDS[written]
    days: set[int] = set()
    for part in written.split(","):
        first, _, last = part.partition("-")
        start = DAY_NAMES.index(first)
        end = DAY_NAMES.index(last) if last else start
        days.update((start + step) % 7 for step in range((end - start) % 7 + 1))
    return tuple(sorted(days))


def days_text(days: tuple[int, ...]) -> str:
    """The shortest words for a set of days: `daily`, `mon-fri`, `sat,sun`, `mon,wed-fri`."""
    if days == DAY_WORDS["daily"]:
        return "daily"
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    words = [
        DAY_NAMES[run[0]] if len(run) < 3 else f"{DAY_NAMES[run[0]]}-{DAY_NAMES[run[-1]]}"
        for run in runs
    ]
    # Two-day runs read better as a list: `sat,sun`, not `sat-sun`.
    expanded = [
        ",".join(DAY_NAMES[d] for d in run) if len(run) == 2 else word
        for run, word in zip(runs, words, strict=True)
    ]
    return ",".join(expanded)


ALL_DAYS = DAY_WORDS["daily"]

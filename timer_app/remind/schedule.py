"""Provides when reminders go off: their local times over a span, across daylight-saving changes.

Reminders are wall-clock times in the local time zone. On the day a clock springs forward, a
time in the skipped hour (02:30) goes off at the same moment as the time it became (03:30);
on the day it falls back, a time that comes twice goes off the first time only.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path

from timer_app.remind.rules import Reminder

LOOK_BACK_DAYS = 8
"""A week and a day: any reminder set at all has gone off within it."""


@dataclass(frozen=True, order=True)
class Occurrence:
    """One time a reminder goes off: an aware local datetime, and the reminder."""

    at: datetime
    index: int
    """The reminder's place in the list (0-based)."""
    reminder: Reminder


def local_zone() -> tzinfo:
    """The local time zone with its daylight-saving rules (not just today's offset).

    From `TZ` when it names a zone, else /etc/localtime (Linux, macOS); elsewhere the current
    offset is the best known (Windows; said in the README).
    """
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    name = zone_name()
    if name is not None:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    localtime = Path("/etc/localtime")
    if localtime.is_file():
        with localtime.open("rb") as stream:
            return ZoneInfo.from_file(stream)
    zone = datetime.now().astimezone().tzinfo
    assert zone is not None
    return zone


def zone_name() -> str | None:
    """The IANA name of the local zone (`Europe/Berlin`), for the .ics file; None if unknown."""
    written = os.environ.get("TZ", "").lstrip(":")
    if written and "/" in written and not written.startswith("/"):
        return written
    try:
        target = os.readlink("/etc/localtime")
    except OSError:
        return None
    _, found, name = target.partition("zoneinfo/")
    return name if found else None


def at_local(day: date, hour: int, minute: int, zone: tzinfo) -> datetime:
    """`hour:minute` on `day` in `zone`; a time skipped by a spring-forward is moved on by the
    gap, as the clocks moved (a round trip through UTC does exactly that)."""
    naive = datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)
    return datetime.fromtimestamp(naive.timestamp(), zone)


def occurrences(
    reminders: list[Reminder], start: datetime, end: datetime, zone: tzinfo
) -> list[Occurrence]:
    """Every time a reminder goes off in `start < at <= end`, in order."""
    found: list[Occurrence] = []
    day = start.astimezone(zone).date() - timedelta(days=1)
    last = end.astimezone(zone).date() + timedelta(days=1)
    while day <= last:
        for index, reminder in enumerate(reminders):
            if day.weekday() not in reminder.days:
                continue
            for moment in reminder.times_of_day():
                at = at_local(day, moment.hour, moment.minute, zone)
                if start < at <= end:
                    found.append(Occurrence(at, index, reminder))
        day += timedelta(days=1)
    found.sort(key=lambda o: (o.at, o.index))
    return found


def latest(reminders: list[Reminder], now: datetime, zone: tzinfo) -> Occurrence | None:
    """The last time a reminder went off at or before `now`, within the last week."""
    found = occurrences(reminders, now - timedelta(days=LOOK_BACK_DAYS), now, zone)
    return found[-1] if found else None


def upcoming(reminders: list[Reminder], now: datetime, zone: tzinfo) -> Occurrence | None:
    """The next time a reminder goes off after `now`, within the next week."""
    found = occurrences(reminders, now, now + timedelta(days=LOOK_BACK_DAYS), zone)
    return found[0] if found else None

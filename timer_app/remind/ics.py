"""Provides the reminders as an iCalendar file (RFC 5545), for a phone's or a desktop calendar.

One weekly recurring event a reminder time (RRULE with the reminder's days), in the local time
zone (with its VTIMEZONE) or, when its name is unknown, as floating local time. Each event has
an alarm at its start; its text is the routine's summary, its length and `stretch run ID`.
Written with the maintained `icalendar` library, imported only here.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from timer_app.remind.rules import DAY_NAMES, Reminder, clock
from timer_app.remind.schedule import zone_name
from timer_app.remind.words import target_of

if TYPE_CHECKING:
    from timer_app.routines.catalog import Library

EVENT_MINUTES_IF_CHOOSING = 10
PRODID = "-//stretch-timer//reminders//EN"


def calendar_bytes(
    reminders: list[Reminder], library: Library, *, start: date, zone: tzinfo | None = None
) -> bytes:
    """The .ics file's bytes; events recur from `start` (today, usually)."""
    from zoneinfo import ZoneInfo

    from icalendar import Alarm, Calendar, Event

    name = getattr(zone, "key", None) if zone is not None else zone_name()
    event_zone = ZoneInfo(name) if name else None
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Stretching")
    stamp = datetime.now(ZoneInfo("UTC")).replace(microsecond=0)
    for index, reminder in enumerate(reminders):
        target = target_of(reminder, library)
        minutes = target.minutes or EVENT_MINUTES_IF_CHOOSING
        run = "stretch " + " ".join(target.command) if target.command else "stretch"
        text = f"{target.summary}\n" if target.summary else ""
        # DTSTART counts as the first time whatever the rule says: it must be one of the days.
        first = next(
            start + timedelta(days=n)
            for n in range(7)
            if (start + timedelta(days=n)).weekday() in reminder.days
        )
        for moment in reminder.times_of_day():
            begin = datetime(first.year, first.month, first.day, moment.hour, moment.minute)
            event = Event()
            event.add("uid", f"{index}-{clock(moment)}-{start.isoformat()}@stretch-timer")
            event.add("dtstamp", stamp)
            event.add("summary", f"Stretch: {target.title}")
            event.add("description", f"{text}{minutes} min. Start it with: {run}")
            event.add("dtstart", begin.replace(tzinfo=event_zone))
            event.add("dtend", (begin + timedelta(minutes=minutes)).replace(tzinfo=event_zone))
            byday = [DAY_NAMES[day][:2].upper() for day in reminder.days]
            event.add("rrule", {"freq": "weekly", "byday": byday})
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"Time to stretch: {target.title}")
            alarm.add("trigger", timedelta(0))
            event.add_component(alarm)
            calendar.add_component(event)
    if event_zone is not None:
        calendar.add_missing_timezones()
    data: bytes = calendar.to_ical()
    return data

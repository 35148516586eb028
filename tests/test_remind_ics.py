"""`stretch remind ics`: the reminders as recurring calendar events with alarms, read back by
icalendar and expanded as a calendar app would, across a daylight-saving change."""

from __future__ import annotations

import io
from contextlib import redirect_stdout
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

from timer_app.cli.main import main
from timer_app.remind.file import save_reminders
from timer_app.remind.ics import calendar_bytes
from timer_app.remind.rules import Reminder, parse_days, parse_time
from timer_app.routines.library import load_library

BERLIN = ZoneInfo("Europe/Berlin")


def office() -> list[Reminder]:
    return [
        Reminder(
            times=(parse_time("10:00"), parse_time("15:30")),
            days=parse_days("mon-fri"),
            routine="neck-stretches",
        ),
        Reminder(times=(parse_time("09:00"),), days=parse_days("sun")),
    ]


def test_two_weeks_across_the_spring_change_give_exactly_the_reminders_set() -> None:
    # From Monday 2026-03-23; Berlin's clocks go forward on Sunday 2026-03-29.
    data = calendar_bytes(office(), load_library(), start=date(2026, 3, 23), zone=BERLIN)
    calendar = icalendar.Calendar.from_ical(data)
    events = recurring_ical_events.of(calendar).between(
        datetime(2026, 3, 23, tzinfo=BERLIN), datetime(2026, 4, 6, tzinfo=BERLIN)
    )
    found = sorted(
        (event["DTSTART"].dt.astimezone(BERLIN), str(event["SUMMARY"])) for event in events
    )
    expected = []
    for day in range(23, 23 + 14):
        moment = date(2026, 3, 1 + day - 1) if day <= 31 else date(2026, 4, day - 31)
        if moment.weekday() < 5:
            for hour, minute in ((10, 0), (15, 30)):
                at = datetime(moment.year, moment.month, moment.day, hour, minute, tzinfo=BERLIN)
                expected.append((at, "Stretch: Basic neck stretches"))
        elif moment.weekday() == 6:
            at = datetime(moment.year, moment.month, moment.day, 9, tzinfo=BERLIN)
            expected.append((at, "Stretch: choose a routine"))
    assert found == expected
    assert len(found) == 2 * 10 + 2
    # Local times stay put while the offset changes: 10:00 is 09:00 UTC, then 08:00 UTC.
    offsets = {at.utcoffset().total_seconds() / 3600 for at, _ in found}  # type: ignore[union-attr]
    assert offsets == {1.0, 2.0}


def test_each_event_has_an_alarm_and_says_how_to_start_it() -> None:
    data = calendar_bytes(office(), load_library(), start=date(2026, 3, 23), zone=BERLIN)
    calendar = icalendar.Calendar.from_ical(data)
    events = calendar.walk("VEVENT")
    assert len(events) == 3
    first = events[0]
    assert first["RRULE"]["BYDAY"] == ["MO", "TU", "WE", "TH", "FR"]
    assert "stretch run neck-stretches" in str(first["DESCRIPTION"])
    assert " min. " in str(first["DESCRIPTION"])
    (alarm,) = first.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Berlin"


def test_stretch_remind_ics_writes_the_file(tmp_path: Path) -> None:
    save_reminders(office())
    target = tmp_path / "stretch.ics"
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["remind", "ics", "-o", str(target)]) == 0
    assert out.getvalue().startswith(f"Wrote {target}: 3 recurring event(s)")
    assert len(icalendar.Calendar.from_ical(target.read_bytes()).walk("VEVENT")) == 3

"""Reminders: the file and its problems, the times they go off (across DST), the quiet rules."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from timer_app.remind.file import load_reminders, reminders_text, save_reminders
from timer_app.remind.quiet import Due, Quiet, decide
from timer_app.remind.rules import Reminder, days_text, parse_days, parse_span, parse_time
from timer_app.remind.schedule import occurrences, upcoming

BERLIN = ZoneInfo("Europe/Berlin")


def at(text: str, zone: ZoneInfo = BERLIN) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=zone)


def office() -> Reminder:
    return Reminder(
        times=(time(10), time(15, 30)), days=parse_days("mon-fri"), routine="neck-stretches"
    )


@pytest.mark.parametrize(
    ("written", "days", "shown"),
    [
        ("mon-fri", (0, 1, 2, 3, 4), "mon-fri"),
        ("weekdays", (0, 1, 2, 3, 4), "mon-fri"),
        ("sat,sun", (5, 6), "sat,sun"),
        ("fri-mon", (0, 4, 5, 6), "mon,fri-sun"),
        ("Mon, Wed-Fri", (0, 2, 3, 4), "mon,wed-fri"),
        ("daily", tuple(range(7)), "daily"),
    ],
)
def test_days_are_read_and_written_back(written: str, days: tuple[int, ...], shown: str) -> None:
    assert parse_days(written) == days
    assert days_text(days) == shown
    assert parse_days(shown) == days


@pytest.mark.parametrize("bad", ["monday", "mon-", "", "mo-fr"])
def test_bad_days_say_what_is_accepted(bad: str) -> None:
    with pytest.raises(ValueError, match="days such as mon-fri"):
        parse_days(bad)


def test_times_and_spans() -> None:
    assert parse_time("9:05") == time(9, 5)
    with pytest.raises(ValueError, match="24-hour"):
        parse_time("24:00")
    with pytest.raises(ValueError, match="before the end"):
        parse_span("17:00-09:00")


def test_every_between_gives_the_times_of_a_working_day() -> None:
    reminder = Reminder(every=90 * 60, between=parse_span("09:00-17:00"))
    assert [t.strftime("%H:%M") for t in reminder.times_of_day()] == [
        "09:00", "10:30", "12:00", "13:30", "15:00", "16:30",
    ]  # fmt: skip


def test_the_file_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "reminders.yaml"
    reminders = [office(), Reminder(every=3600, between=parse_span("09:00-12:00"), days=(5,))]
    save_reminders(reminders, path)
    assert load_reminders(path) == (reminders, [])
    assert 'at: ["10:00", "15:30"]' in reminders_text(reminders)


def test_every_problem_in_the_file_is_named_by_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "reminders.yaml"
    path.write_text(
        "reminders:\n"
        '  - at: ["10:00", "25:30"]\n'
        "    routine: neck-stretches\n"
        "  - every: 90m\n"
        "  - at: 10:00\n"
        "    dayz: mon\n"
        "  - at: 11:00\n"
        '    between: "12:00-10:00"\n'
        "    every: 1h\n"
        "  - at: 12:00\n"
        "    days: mon-fri\n"
        "remind: []\n",
        encoding="utf-8",
    )
    reminders, problems = load_reminders(path)
    assert [str(p).replace(str(path), "F") for p in problems] == [
        "F:2:19: reminder 1: at[2]: '25:30' is not valid: a time of day such as 09:00 or 15:30"
        " (24-hour clock)",
        "F:4:5: reminder 2: `every` and `between` go together, e.g. every: 90m",
        "F:6:5: reminder 3: unknown field 'dayz' (did you mean 'days'?)",
        "F:8:14: reminder 4: between: '12:00-10:00': the start must come before the end,"
        " on the same day",
        "F:12:1: unknown field 'remind' (did you mean 'reminders'?)",
    ]
    # The reminders without a problem stand.
    assert reminders == [Reminder(times=(time(12),), days=parse_days("mon-fri"))]


def test_a_file_that_is_not_yaml_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "reminders.yaml"
    path.write_text("reminders: [\n", encoding="utf-8")
    reminders, problems = load_reminders(path)
    assert reminders == []
    assert problems and str(problems[0]).startswith(f"{path}:")


def test_times_are_local_across_the_spring_change() -> None:
    # Berlin springs forward on 2026-03-29 at 02:00; a 02:30 reminder goes off at 03:30.
    reminders = [Reminder(times=(time(2, 30), time(10)))]
    found = occurrences(reminders, at("2026-03-28T00:00"), at("2026-03-30T00:00"), BERLIN)
    assert [o.at.isoformat() for o in found] == [
        "2026-03-28T02:30:00+01:00",
        "2026-03-28T10:00:00+01:00",
        "2026-03-29T03:30:00+02:00",
        "2026-03-29T10:00:00+02:00",
    ]


def test_a_time_that_comes_twice_in_autumn_goes_off_once() -> None:
    reminders = [Reminder(times=(time(2, 30),))]
    found = occurrences(reminders, at("2026-10-24T12:00"), at("2026-10-26T00:00"), BERLIN)
    assert [o.at.isoformat() for o in found] == ["2026-10-25T02:30:00+02:00"]


def test_the_next_reminder_skips_the_days_not_chosen() -> None:
    # Friday 2026-05-08 at 16:00: the next is Monday at 10:00.
    found = upcoming([office()], at("2026-05-08T16:00"), BERLIN)
    assert found is not None
    assert found.at == at("2026-05-11T10:00")


def quiet_at(now: datetime, **kwargs: object) -> Due | Quiet:
    options: dict[str, object] = {"handled_until": None, "last_completed": None}
    options.update(kwargs)
    return decide([office()], now=now, zone=BERLIN, **options)  # type: ignore[arg-type]


def test_a_reminder_on_time_is_due() -> None:
    decision = quiet_at(at("2026-05-11T15:30:02"))
    assert isinstance(decision, Due)
    assert decision.occurrence.at == at("2026-05-11T15:30")


def test_a_session_completed_30_minutes_ago_keeps_it_quiet() -> None:
    now = at("2026-05-11T15:30")
    decision = quiet_at(now, last_completed=(now - timedelta(minutes=30)).astimezone(UTC))
    assert isinstance(decision, Quiet)
    assert decision.reason == "a session was completed at 15:00, within the last hour"
    # One completed 61 minutes ago does not.
    assert isinstance(quiet_at(now, last_completed=now - timedelta(minutes=61)), Due)


def test_outside_the_days_and_hours_it_stays_quiet() -> None:
    # Saturday noon: the latest time is Friday 15:30, far too late.
    decision = quiet_at(at("2026-05-09T12:00"))
    assert isinstance(decision, Quiet)
    assert "late" in decision.reason


def test_after_sleep_only_the_latest_missed_reminder_goes_off_and_once() -> None:
    # Asleep from 09:00 to 15:50: 10:00 and 15:30 were missed; only 15:30 (20 min late) fires.
    handled = at("2026-05-08T15:30")
    wake = at("2026-05-11T15:50")
    decision = quiet_at(wake, handled_until=handled)
    assert isinstance(decision, Due)
    assert decision.occurrence.at == at("2026-05-11T15:30")
    # The scheduler catching up a second time (or cron and a snooze) says nothing more.
    again = quiet_at(wake + timedelta(seconds=5), handled_until=decision.occurrence.at)
    assert isinstance(again, Quiet)
    assert "already" in again.reason


def test_after_a_long_sleep_nothing_goes_off() -> None:
    decision = quiet_at(at("2026-05-11T16:05"))
    assert isinstance(decision, Quiet)
    assert decision.handled == at("2026-05-11T15:30")
    assert "35 minutes late" in decision.reason

"""Provides what is read back from history: `stretch history`'s report and the app's overview.

`read_report` and `read_overview` open the file, run a few queries and close it; they return
None when history is off (the reason has been told through the `History`'s notice). A missing
file, or one with no schema yet, is not a problem: it is an empty history.

The JSON form of the report (`report_json`) is a stable interface, version 1:

    {
      "version": 1,
      "generated": "2024-05-06T07:45:00Z",   # UTC, when the report was made
      "days": 14,                            # the window: today and the 13 days before it
      "sessions": [                          # sessions started in the window, newest first
        {"id": 12, "routine_id": "neck-stretches", "title": "Basic neck stretches",
         "started": "2024-05-06T07:30:00Z", "ended": "2024-05-06T07:33:05Z",  # null: interrupted
         "state": "completed",               # completed | stopped | interrupted
         "active_seconds": 150.0,            # seconds of stretching (pauses, rests excluded)
         "elapsed_seconds": 185.0,           # start to end; null when interrupted
         "exercises": [{"entry": 0, "id": "chin-to-chest", "name": "Chin to chest",
                        "status": "done",    # done | partial | skipped | not-reached
                        "active_seconds": 30.0, "planned_seconds": 30.0}]}],
      "per_day": [{"date": "2024-04-23", "active_seconds": 0.0, "sessions": 0, "completed": 0}],
      "per_week": [{"week": "2024-W17", "monday": "2024-04-22", "active_seconds": 0.0,
                    "sessions": 0, "completed": 0}],
      "streak": {"current": 3, "longest": 7}
    }

Days are the user's local days; `per_day` lists every day of the window, oldest first, and
`per_week` every ISO week overlapping it, each counted whole (Monday to Sunday).
"""

from __future__ import annotations

import csv
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any, TextIO, TypeVar

from timer_app.core.wrap import wrap
from timer_app.history.records import (
    SessionRecord,
    completed_starts,
    last_completed,
    load_sessions,
    utc_text,
)
from timer_app.history.stats import (
    DayTotal,
    Streak,
    WeekTotal,
    bar,
    day_start,
    local_date,
    minutes_text,
    monday_of,
    per_day,
    per_week,
    short_date,
    streak,
    weekday_name,
)
from timer_app.history.store import History

__all__ = [
    "JSON_VERSION",
    "Overview",
    "Report",
    "read_overview",
    "read_report",
    "report_csv",
    "report_json",
    "report_text",
    "streak_text",
]

JSON_VERSION = 1
TEXT_SESSIONS = 20
"""At most this many sessions are listed in the text report (`--json` has them all)."""
BAR_WIDTH = 30

T = TypeVar("T")


def _read(history: History, read: Callable[[sqlite3.Connection], T], empty: T) -> T | None:
    """Run `read` on a fresh connection; `empty` when there is no file yet, None when history
    is off or the file cannot be read (the notice says why)."""
    connection = history.open_for_reading()
    if connection is None:
        unreadable = history.off_reason is not None or history.read_problem is not None
        return None if unreadable else empty
    try:
        return read(connection)
    except sqlite3.Error as error:
        history.failed(error)
        return None
    finally:
        connection.close()


def _count(connection: sqlite3.Connection) -> int:
    return int(connection.execute("SELECT COUNT(*) FROM sessions").fetchone()[0])


# ---------------------------------------------------------------------------------- report


@dataclass(frozen=True)
class Report:
    """Everything `stretch history` prints."""

    days: int
    generated: datetime
    today: date
    sessions: list[SessionRecord]
    """Sessions started in the window, newest first."""
    per_day: list[DayTotal]
    per_week: list[WeekTotal]
    streak: Streak
    recorded: int
    """Sessions in the whole history, the window or not."""


def read_report(
    history: History, *, days: int, now: datetime, tz: tzinfo | None = None
) -> Report | None:
    """The last `days` local days up to `now` (today counts as one); None when history is off."""
    if days < 1:
        raise ValueError("the report covers 1 day or more")
    today = local_date(now, tz)
    first = today - timedelta(days=days - 1)

    def read(connection: sqlite3.Connection) -> Report:
        # From the Monday of the first week, so that week's total is whole.
        loaded = load_sessions(connection, since=day_start(monday_of(first), tz))
        return Report(
            days=days,
            generated=now,
            today=today,
            sessions=[s for s in loaded if first <= local_date(s.started, tz) <= today],
            per_day=per_day(loaded, first=first, last=today, tz=tz),
            per_week=per_week(loaded, first=first, last=today, tz=tz),
            streak=streak(completed_starts(connection), today=today, tz=tz),
            recorded=_count(connection),
        )

    empty = Report(
        days=days,
        generated=now,
        today=today,
        sessions=[],
        per_day=per_day([], first=first, last=today, tz=tz),
        per_week=per_week([], first=first, last=today, tz=tz),
        streak=Streak(0, 0),
        recorded=0,
    )
    return _read(history, read, empty)


def _session_json(session: SessionRecord) -> dict[str, Any]:
    return {
        "id": session.id,
        "routine_id": session.routine_id,
        "title": session.title,
        "started": utc_text(session.started),
        "ended": None if session.ended is None else utc_text(session.ended),
        "state": session.state,
        "active_seconds": session.active_seconds,
        "elapsed_seconds": session.elapsed_seconds,
        "exercises": [
            {
                "entry": exercise.entry,
                "id": exercise.exercise_id,
                "name": exercise.name,
                "status": exercise.status,
                "active_seconds": exercise.active_seconds,
                "planned_seconds": exercise.planned_seconds,
            }
            for exercise in session.exercises
        ],
    }


def report_json(report: Report) -> dict[str, Any]:
    """The report as the documented JSON object (see the module's docstring)."""
    return {
        "version": JSON_VERSION,
        "generated": utc_text(report.generated),
        "days": report.days,
        "sessions": [_session_json(session) for session in report.sessions],
        "per_day": [
            {
                "date": total.day.isoformat(),
                "active_seconds": total.active_seconds,
                "sessions": total.sessions,
                "completed": total.completed,
            }
            for total in report.per_day
        ],
        "per_week": [
            {
                "week": total.label,
                "monday": total.monday.isoformat(),
                "active_seconds": total.active_seconds,
                "sessions": total.sessions,
                "completed": total.completed,
            }
            for total in report.per_week
        ],
        "streak": {"current": report.streak.current, "longest": report.streak.longest},
    }


CSV_COLUMNS = (
    "id",
    "routine_id",
    "title",
    "started",
    "ended",
    "state",
    "active_seconds",
    "elapsed_seconds",
    "exercises",
    "done",
    "partial",
    "skipped",
    "not_reached",
)


def report_csv(report: Report, out: TextIO) -> None:
    """One row per session of the window, newest first, under a header row."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for session in report.sessions:
        writer.writerow(
            (
                session.id,
                session.routine_id,
                session.title,
                utc_text(session.started),
                "" if session.ended is None else utc_text(session.ended),
                session.state,
                session.active_seconds,
                "" if session.elapsed_seconds is None else session.elapsed_seconds,
                len(session.exercises),
                session.count("done"),
                session.count("partial"),
                session.count("skipped"),
                session.count("not-reached"),
            )
        )


def streak_text(value: Streak) -> str:
    """`Streak: 3 days · longest 7`; `Streak: 1 day`; `No streak yet`."""
    if value.longest == 0:
        return "No streak yet: complete a routine to start one."
    days = f"{value.current} day{'s' if value.current != 1 else ''}"
    if value.current == value.longest:
        return f"Streak: {days} (your longest)" if value.current > 1 else f"Streak: {days}"
    return f"Streak: {days} \u00b7 longest {value.longest}"


def today_text(overview: Overview) -> str:
    """`Today: 12 min of stretching in 2 sessions` (no count when there were none)."""
    sessions = overview.today_sessions
    count = f" in {sessions} session{'s' if sessions != 1 else ''}" if sessions else ""
    return f"Today: {minutes_text(overview.today_seconds)} of stretching{count}"


def report_text(report: Report, *, tz: tzinfo | None = None, width: int | None = None) -> str:
    """The human-readable report: sessions, minutes per day and week, streaks; every line fits
    `width` (None: no limit), broken at word boundaries, the bars shortened to fit."""
    if report.recorded == 0:
        return "\n".join(
            wrap(
                "No sessions recorded yet. Follow a routine (`stretch run ID`) and it shows here.",
                width,
            )
        )
    lines = [*wrap(streak_text(report.streak), width), ""]
    window = "today" if report.days == 1 else f"in the last {report.days} days"
    if not report.sessions:
        lines.append(f"No sessions {window}.")
    else:
        lines.append(f"Sessions {window}:")
        for session in report.sessions[:TEXT_SESSIONS]:
            when, title = _session_line(session, tz)
            lines += wrap(f"{when}{title}", width, first="  ", rest=" " * (2 + len(when)))
        hidden = len(report.sessions) - TEXT_SESSIONS
        if hidden > 0:
            more = f"... and {hidden} more (`stretch history --json` lists them all)"
            lines += wrap(more, width, first="  ", rest="    ")
    bar_width = BAR_WIDTH if width is None else max(8, min(BAR_WIDTH, width - _BAR_LABEL))
    lines += ["", "Minutes of stretching per day:"]
    top = max((t.active_seconds for t in report.per_day), default=0.0)
    for day in report.per_day:
        label = f"{weekday_name(day.day)} {day.day.isoformat()}"
        lines.append(_bar_line(label, day.active_seconds, top, bar_width))
    lines += ["", "Minutes of stretching per week:"]
    top = max((t.active_seconds for t in report.per_week), default=0.0)
    for week in report.per_week:
        label = f"{week.label} from {short_date(week.monday, today=report.today)}"
        lines.append(_bar_line(label, week.active_seconds, top, bar_width))
    return "\n".join(lines)


_BAR_LABEL = 29
"""Columns before a bar: two of indent, the label in 20, its minutes in 5, two spaces."""


def _bar_line(label: str, seconds: float, top: float, width: int) -> str:
    minutes = minutes_text(seconds).removesuffix(" min")
    return f"  {label:<20} {minutes:>4}  {bar(seconds, top, width)}".rstrip()


def _session_line(session: SessionRecord, tz: tzinfo | None) -> tuple[str, str]:
    """A session as its time, state and minutes (a fixed width), then its title."""
    local = session.started.astimezone(tz) if tz is not None else session.started.astimezone()
    when = f"{weekday_name(local.date())} {local:%Y-%m-%d %H:%M}"
    title = session.title
    if session.state != "completed":
        title += f" ({session.count('done')} of {session.exercise_count} exercises done)"
    return f"{when}  {session.state:<11} {minutes_text(session.active_seconds):>7}  ", title


# ---------------------------------------------------------------------------------- overview


@dataclass(frozen=True)
class Overview:
    """What the app shows about history: streaks, last times, today, the recent weeks."""

    today: date
    streak: Streak
    last_done: dict[str, datetime]
    """When each routine (by id) was last completed."""
    today_seconds: float
    """Seconds stretched today, over every session started today."""
    today_sessions: int
    weeks: list[WeekTotal]
    """The recent weeks, oldest first, this week last."""
    recent: list[SessionRecord]
    """The last few sessions, newest first."""
    recorded: int


def read_overview(
    history: History,
    *,
    now: datetime,
    tz: tzinfo | None = None,
    weeks: int = 8,
    recent: int = 5,
) -> Overview | None:
    """The overview at `now`; None when history is off."""
    today = local_date(now, tz)
    first = monday_of(today) - timedelta(weeks=weeks - 1)

    def read(connection: sqlite3.Connection) -> Overview:
        loaded = load_sessions(connection, since=day_start(first, tz))
        todays = [s for s in loaded if local_date(s.started, tz) == today]
        enough = len(loaded) >= recent
        latest = loaded[:recent] if enough else load_sessions(connection, limit=recent)
        return Overview(
            today=today,
            streak=streak(completed_starts(connection), today=today, tz=tz),
            last_done=last_completed(connection),
            today_seconds=round(sum(s.active_seconds for s in todays), 3),
            today_sessions=len(todays),
            weeks=per_week(loaded, first=first, last=today, tz=tz),
            recent=latest,
            recorded=_count(connection),
        )

    empty = Overview(
        today=today,
        streak=Streak(0, 0),
        last_done={},
        today_seconds=0.0,
        today_sessions=0,
        weeks=per_week([], first=first, last=today, tz=tz),
        recent=[],
        recorded=0,
    )
    return _read(history, read, empty)

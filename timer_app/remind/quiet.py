"""Provides the quiet rules: whether the scheduler's wake-up should remind, or stay quiet, why.

- Only the latest time due counts: after sleep, one reminder at most, never a burst.
- It goes off only while under `STALE_AFTER` late; a time already reminded never again.
- A session completed within `QUIET_AFTER_SESSION` silences it.
- A wake-up with no reminder time just before it (outside the days and hours set) is quiet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from timer_app.remind.rules import Reminder, clock
from timer_app.remind.schedule import Occurrence, latest

STALE_AFTER = timedelta(minutes=30)
QUIET_AFTER_SESSION = timedelta(hours=1)
EARLY = timedelta(seconds=60)
"""A scheduler may wake us a little before the minute (clock adjustments): that time counts."""


@dataclass(frozen=True)
class Due:
    """Remind now, of this occurrence."""

    occurrence: Occurrence


@dataclass(frozen=True)
class Quiet:
    """Stay quiet; `handled` is the time now dealt with (never to be reminded of), if any."""

    reason: str
    handled: datetime | None = None


def decide(
    reminders: list[Reminder],
    *,
    now: datetime,
    zone: tzinfo,
    handled_until: datetime | None,
    last_completed: datetime | None,
) -> Due | Quiet:
    """What a wake-up at `now` should do."""
    found = latest(reminders, now + EARLY, zone)
    if found is None:
        return Quiet("no reminder is set for today's days and hours")
    when = clock(found.at.time())
    if handled_until is not None and found.at <= handled_until:
        return Quiet(f"the reminder at {when} was already given")
    late = now - found.at
    if late > STALE_AFTER:
        minutes = int(late.total_seconds() // 60)
        return Quiet(
            f"the reminder at {when} is {minutes} minutes late (the computer was asleep or"
            f" off); reminders more than {STALE_AFTER.seconds // 60} minutes late are skipped",
            found.at,
        )
    if last_completed is not None and now - last_completed < QUIET_AFTER_SESSION:
        done = clock(last_completed.astimezone(zone).time())
        return Quiet(f"a session was completed at {done}, within the last hour", found.at)
    return Due(found)

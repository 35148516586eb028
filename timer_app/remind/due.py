"""Provides what happens when the scheduler wakes us (`stretch remind due`) and `stretch remind
test`: the quiet rules, the notification, then Start (a terminal running the routine), Snooze
(ask again in 10 minutes) or, with no desktop, a missed reminder told at the next start."""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, tzinfo
from typing import Protocol

from timer_app.remind.notify import SNOOZE_MINUTES, Answer, ask
from timer_app.remind.quiet import QUIET_AFTER_SESSION, Due, decide
from timer_app.remind.rules import Reminder, clock
from timer_app.remind.state import load_state, save_state
from timer_app.remind.terminal import NoTerminal, stretch_command, terminal_command
from timer_app.remind.words import Target, target_of


class Said(Protocol):
    """Where a wake-up says what happened: a text stream, or the app's status line."""

    def write(self, text: str, /) -> int: ...

    def flush(self) -> None: ...


ANSWER_WAIT = 20 * 60
"""How long a notification waits for Start or Snooze before it is taken down: well before
the next reminder of a working day's `--every`, so one never waits behind another."""
MAX_SNOOZES = 3


def _utc_now() -> datetime:
    from timer_app.history.records import utc_now

    return utc_now()


def last_completed() -> datetime | None:
    """When the last completed session ended, from the history (None without one)."""
    from timer_app.history.records import last_completed_end
    from timer_app.history.store import History

    connection = History(notify=lambda _: None).open_for_reading()
    if connection is None:
        return None
    try:
        return last_completed_end(connection)
    finally:
        connection.close()


@dataclass
class Wake:
    """The world a wake-up acts in; tests replace the clock, the sleep and the notification."""

    out: Said
    """Where what happened is said: stdout (the journal, cron's mail), or the app's screen."""
    zone: tzinfo
    terminal: str | None = None
    """The `terminal:` setting."""
    now: Callable[[], datetime] = _utc_now
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    notify: Callable[[Target, str], Awaitable[Answer]] = field(
        default=lambda target, body: ask(target, body, wait=ANSWER_WAIT)
    )
    completed: Callable[[], datetime | None] = last_completed

    def say(self, text: str) -> None:
        # Goes to the journal (systemd) or the job's mail (cron): what happened, and why.
        print(text, file=self.out, flush=True)


def _body(target: Target, at: datetime, zone: tzinfo) -> str:
    when = clock(at.astimezone(zone).time())
    what = f"{target.summary} " if target.summary else ""
    return f"Your {when} stretch. {what}Start opens it in a terminal."


def start(target: Target, wake: Wake) -> int:
    """Open a terminal running the routine (or the picker)."""
    try:
        command = terminal_command(wake.terminal, [*stretch_command(), *target.command])
    except NoTerminal as error:
        wake.say(f"Could not start it: {error}")
        return 1
    try:
        subprocess.Popen(command, start_new_session=True)
    except OSError as error:
        wake.say(f"Could not start {command[0]}: {error}")
        return 1
    wake.say(f"Started in a terminal: {' '.join(command)}")
    return 0


async def remind(target: Target, at: datetime, wake: Wake) -> Answer:
    """Notify, and act on the answer; a snooze asks again later unless a session was done."""
    for asked in range(MAX_SNOOZES + 1):
        answer = await wake.notify(target, _body(target, at, wake.zone))
        wake.say(f"Reminder at {clock(at.astimezone(wake.zone).time())}: {answer}")
        if answer == "start":
            start(target, wake)
        if answer != "snooze" or asked == MAX_SNOOZES:
            return answer
        await wake.sleep(SNOOZE_MINUTES * 60)
        done = wake.completed()
        if done is not None and wake.now() - done < QUIET_AFTER_SESSION:
            wake.say("A session was completed during the snooze: no more reminding.")
            return "dismissed"
    raise AssertionError("unreachable: the last answer is returned in the loop")


async def run_due(reminders: list[Reminder], wake: Wake) -> int:
    """The scheduler's wake-up: decide, then remind (or remember a missed one)."""
    from timer_app.routines.library import load_library

    state = load_state()
    decision = decide(
        reminders,
        now=wake.now(),
        zone=wake.zone,
        handled_until=state.handled_until,
        last_completed=wake.completed(),
    )
    if not isinstance(decision, Due):
        wake.say(f"Quiet: {decision.reason}.")
        if decision.handled is not None:
            save_state(replace(state, handled_until=decision.handled))
        return 0
    at = decision.occurrence.at
    # Marked before asking: a second wake-up meanwhile must not remind of it again.
    save_state(replace(state, handled_until=at))
    target = target_of(decision.occurrence.reminder, load_library())
    answer = await remind(target, at, wake)
    if answer == "no desktop":
        save_state(replace(load_state(), missed=at))
        wake.say("No desktop to show it on: the next `stretch` start will say it was missed.")
    return 0


def find_session_bus() -> None:
    """cron starts us without the desktop's bus address; the usual one is in the runtime folder."""
    import os
    from pathlib import Path

    if os.environ.get("DBUS_SESSION_BUS_ADDRESS") or not hasattr(os, "getuid"):
        return
    bus = Path(os.environ.get("XDG_RUNTIME_DIR") or f"/run/user/{os.getuid()}") / "bus"
    if bus.exists():
        os.environ["DBUS_SESSION_BUS_ADDRESS"] = f"unix:path={bus}"


def take_missed(zone: tzinfo) -> str | None:
    """`You missed a reminder at 15:30`, once: the notice is forgotten as it is read."""
    state = load_state()
    if state.missed is None:
        return None
    save_state(replace(state, missed=None))
    when = state.missed.astimezone(zone)
    today = datetime.now(zone).date()
    day = "" if when.date() == today else f" on {when:%a %d %b}"
    return f"You missed a reminder at {clock(when.time())}{day}."


def test_target(reminders: list[Reminder]) -> Target:
    """What `stretch remind test` shows: the first reminder's routine, or the picker."""
    from timer_app.routines.library import load_library

    first = reminders[0] if reminders else Reminder()
    return target_of(first, load_library())

"""Provides what every scheduler is given: the wake-up times (days and a time of day) and the
command it runs, `python -m timer_app remind due`, which applies the quiet rules itself."""

from __future__ import annotations

import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from timer_app.remind.rules import Reminder

LABEL = "stretch-timer-remind"
"""The name of everything of ours a scheduler holds: unit files, the plist, the task."""


class SchedulerError(Exception):
    """A scheduler could not be used or changed; the message says what happened."""


@dataclass(frozen=True, order=True)
class WakeUp:
    """The scheduler wakes us at `hour:minute` local time on `days` (0 for Monday)."""

    hour: int
    minute: int
    days: tuple[int, ...]


def wake_ups(reminders: list[Reminder]) -> list[WakeUp]:
    """One wake-up a time of day with every day it is wanted; sorted, no repeats."""
    days_at: dict[tuple[int, int], set[int]] = {}
    for reminder in reminders:
        for moment in reminder.times_of_day():
            days_at.setdefault((moment.hour, moment.minute), set()).update(reminder.days)
    return [
        WakeUp(hour, minute, tuple(sorted(days)))
        for (hour, minute), days in sorted(days_at.items())
    ]


def due_command() -> list[str]:
    """What a scheduler runs: this Python and this stretch-timer, whatever PATH holds then."""
    return [python_for_scheduler(), "-m", "timer_app", "remind", "due"]


def python_for_scheduler() -> str:
    """The interpreter to run; on Windows its windowless twin, so no console flashes up."""
    executable = Path(sys.executable)
    if sys.platform == "win32":
        windowless = executable.with_name("pythonw.exe")
        if windowless.exists():
            return str(windowless)
    return str(executable)


def run_tool(
    command: list[str], *, check: bool = True, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run a scheduler's tool (systemctl, crontab, launchctl, schtasks); with `check`, a
    failure raises SchedulerError with what the tool said."""
    try:
        done = subprocess.run(command, input=stdin, capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SchedulerError(f"{shlex.join(command)} failed: {error}") from None
    if check and done.returncode != 0:
        said = done.stderr.decode(errors="replace").strip() or f"exit status {done.returncode}"
        raise SchedulerError(f"{shlex.join(command)} failed: {said}")
    return done

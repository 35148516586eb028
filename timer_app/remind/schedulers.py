"""Provides the choice of scheduler and its upkeep: the reminders in force are written to one
scheduler, and every other place we could have written is cleared, so nothing is left over.

- Linux: a systemd user timer where a user manager runs, else a crontab block.
- macOS: a LaunchAgent. Windows: a Task Scheduler task.
"""

from __future__ import annotations

import sys

from timer_app.remind import crontab, launchd, systemd, windows
from timer_app.remind.entries import SchedulerError, due_command, wake_ups
from timer_app.remind.rules import Reminder


def apply(reminders: list[Reminder]) -> list[str]:
    """Make the system's scheduler wake us for `reminders` (none: remove everything of ours).

    Returns what now holds them, one line each.
    """
    if not reminders:
        remove_all()
        return []
    times, command = wake_ups(reminders), due_command()
    if sys.platform == "darwin":
        return launchd.install(times, command)
    if sys.platform == "win32":
        return windows.install(times, command)
    if systemd.user_manager_runs():
        done = systemd.install(times, command)
        if crontab.available():
            crontab.remove()
        return done
    if crontab.available():
        done = crontab.install(times, command)
        systemd.remove()
        return done
    raise SchedulerError(
        "no scheduler to wake stretch-timer: there is no systemd user manager"
        " (`systemctl --user`) and no `crontab` command (Debian: apt install cron)"
    )


def remove_all() -> list[str]:
    """Remove every file, line and task of ours; what was removed."""
    if sys.platform == "darwin":
        return launchd.remove()
    if sys.platform == "win32":
        return windows.remove()
    removed = systemd.remove()
    if crontab.available():
        removed += crontab.remove()
    return removed


def holders() -> list[str]:
    """Where reminders are scheduled now (for `stretch remind list`)."""
    if sys.platform == "darwin":
        return [str(launchd.plist_path())] if launchd.installed() else []
    if sys.platform == "win32":
        return [f"Task Scheduler: {windows.LABEL}"] if windows.installed() else []
    found = [str(path) for path in systemd.installed()]
    if crontab.available() and crontab.installed():
        found.append("your crontab (`crontab -l`)")
    return found

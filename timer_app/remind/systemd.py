"""Provides the systemd user timer: `stretch-timer-remind.timer` and its `.service`.

The timer has one `OnCalendar=` a wake-up and `Persistent=true`, so a time missed while the
computer slept starts the service once on waking (the quiet rules decide whether to remind).
The service keeps the terminal that Start opens alive after it ends (`KillMode=process`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from timer_app.remind.entries import LABEL, WakeUp, run_tool

SYSTEMD_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
TIMER = f"{LABEL}.timer"
SERVICE = f"{LABEL}.service"


def unit_dir() -> Path:
    """The user's own unit folder: `$XDG_CONFIG_HOME/systemd/user`."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "systemd" / "user"


def on_calendar(wake_up: WakeUp) -> str:
    days = "" if len(wake_up.days) == 7 else ",".join(SYSTEMD_DAYS[d] for d in wake_up.days) + " "
    return f"{days}*-*-* {wake_up.hour:02d}:{wake_up.minute:02d}:00"


def _exec_quote(argument: str) -> str:
    """One argument of `ExecStart=`, quoted as systemd reads it (see systemd.service(5))."""
    escaped = argument.replace("%", "%%").replace("$", "$$")
    if escaped and not any(ch in escaped for ch in " \t\"'\\;"):
        return escaped
    return '"' + escaped.replace("\\", "\\\\").replace('"', '\\"') + '"'


def timer_text(wake_ups: list[WakeUp]) -> str:
    calendars = "".join(f"OnCalendar={on_calendar(w)}\n" for w in wake_ups)
    return (
        "# Written by `stretch remind`; `stretch remind off` removes it.\n"
        "[Unit]\nDescription=stretch-timer reminders\n\n"
        f"[Timer]\n{calendars}Persistent=true\nAccuracySec=1s\nUnit={SERVICE}\n\n"
        "[Install]\nWantedBy=timers.target\n"
    )


def service_text(command: list[str]) -> str:
    return (
        "# Written by `stretch remind`; `stretch remind off` removes it.\n"
        "[Unit]\nDescription=stretch-timer reminder: a notification to stretch\n\n"
        "[Service]\nType=exec\n"
        f"ExecStart={' '.join(_exec_quote(a) for a in command)}\n"
        # The notification may wait for an answer; the terminal Start opens outlives us.
        "KillMode=process\nTimeoutStopSec=5\n"
    )


def user_manager_runs() -> bool:
    """Whether `systemctl --user` reaches a running user manager."""
    if shutil.which("systemctl") is None:
        return False
    try:
        done = subprocess.run(
            ["systemctl", "--user", "show-environment"],
            capture_output=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def _systemctl(*arguments: str, check: bool = True) -> None:
    run_tool(["systemctl", "--user", *arguments], check=check)


def install(wake_ups: list[WakeUp], command: list[str]) -> list[str]:
    """Write both units, reload, enable and start the timer; what was done, one line each."""
    folder = unit_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / SERVICE).write_text(service_text(command), encoding="utf-8")
    (folder / TIMER).write_text(timer_text(wake_ups), encoding="utf-8")
    _systemctl("daemon-reload")
    _systemctl("enable", "--now", TIMER)
    # A running timer keeps its old calendar until restarted.
    _systemctl("restart", TIMER)
    return [f"systemd user timer {folder / TIMER} (enabled)"]


def installed() -> list[Path]:
    return [path for path in (unit_dir() / TIMER, unit_dir() / SERVICE) if path.exists()]


def remove() -> list[str]:
    """Stop, disable and delete both units; what was removed."""
    found = installed()
    if not found:
        return []
    if user_manager_runs():
        _systemctl("disable", "--now", TIMER, check=False)
    for path in found:
        path.unlink(missing_ok=True)
    if user_manager_runs():
        _systemctl("daemon-reload", check=False)
    return [str(path) for path in found]

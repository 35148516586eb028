"""Provides the macOS LaunchAgent: `~/Library/LaunchAgents/org.stretch-timer.remind.plist`.

`StartCalendarInterval` lists the wake-ups; launchd runs a time missed during sleep once on
waking, and the quiet rules decide. Generated and checked here; not tried on a real Mac.
"""

from __future__ import annotations

import os
import plistlib
from pathlib import Path
from typing import Any

from timer_app.remind.entries import WakeUp, run_tool

LABEL = "org.stretch-timer.remind"


def plist_path() -> Path:
    return Path.home() / "Library" / "LaunchAgents" / f"{LABEL}.plist"


def agent(wake_ups: list[WakeUp], command: list[str]) -> dict[str, Any]:
    """The agent's definition (launchd.plist(5)); launchd counts Sunday as 0."""
    intervals: list[dict[str, int]] = []
    for wake_up in wake_ups:
        at = {"Hour": wake_up.hour, "Minute": wake_up.minute}
        if len(wake_up.days) == 7:
            intervals.append(at)
        else:
            intervals.extend({**at, "Weekday": (day + 1) % 7} for day in wake_up.days)
    return {
        "Label": LABEL,
        "ProgramArguments": command,
        "StartCalendarInterval": intervals,
        "ProcessType": "Interactive",
    }


def plist_bytes(wake_ups: list[WakeUp], command: list[str]) -> bytes:
    return plistlib.dumps(agent(wake_ups, command), fmt=plistlib.FMT_XML, sort_keys=True)


def _launchctl(*arguments: str, check: bool = True) -> None:
    run_tool(["launchctl", *arguments], check=check)


def install(wake_ups: list[WakeUp], command: list[str]) -> list[str]:
    path = plist_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    domain = f"gui/{os.getuid()}"  # type: ignore[attr-defined,unused-ignore]
    _launchctl("bootout", domain, str(path), check=False)
    path.write_bytes(plist_bytes(wake_ups, command))
    _launchctl("bootstrap", domain, str(path))
    return [f"LaunchAgent {path}"]


def installed() -> bool:
    return plist_path().exists()


def remove() -> list[str]:
    path = plist_path()
    if not path.exists():
        return []
    domain = f"gui/{os.getuid()}"  # type: ignore[attr-defined,unused-ignore]
    _launchctl("bootout", domain, str(path), check=False)
    path.unlink()
    return [str(path)]

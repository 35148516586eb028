"""Provides the Windows Task Scheduler task "stretch-timer-remind", defined in Task XML.

One weekly calendar trigger a wake-up; `StartWhenAvailable` runs a time missed while the
computer slept once afterwards, and the quiet rules decide. The definition is generated and
checked here; `schtasks` itself was not tried on a real Windows machine.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from xml.etree import ElementTree as ET

from timer_app.remind.entries import LABEL, WakeUp, run_tool

NAMESPACE = "http://schemas.microsoft.com/windows/2004/02/mit/task"
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SCHEMA_ORDER = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
"""DaysOfWeek's children in the order the task schema's sequence requires."""
START_DAY = "2024-01-01"
"""A past Monday: a weekly trigger's first day; the time of day is local (no offset)."""


def _add(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, tag)
    if text is not None:
        element.text = text
    return element


def task_xml(wake_ups: list[WakeUp], command: list[str]) -> str:
    """The task's definition (Task Scheduler schema 1.2)."""
    ET.register_namespace("", NAMESPACE)
    task = ET.Element("Task", {"version": "1.2", "xmlns": NAMESPACE})
    info = _add(task, "RegistrationInfo")
    _add(info, "Description", "stretch-timer reminders, written by `stretch remind`.")
    triggers = _add(task, "Triggers")
    for wake_up in wake_ups:
        trigger = _add(triggers, "CalendarTrigger")
        _add(trigger, "StartBoundary", f"{START_DAY}T{wake_up.hour:02d}:{wake_up.minute:02d}:00")
        _add(trigger, "Enabled", "true")
        weekly = _add(trigger, "ScheduleByWeek")
        days = _add(weekly, "DaysOfWeek")
        chosen = {WEEKDAYS[d] for d in wake_up.days}
        for name in SCHEMA_ORDER:
            if name in chosen:
                _add(days, name)
        _add(weekly, "WeeksInterval", "1")
    principal = _add(_add(task, "Principals"), "Principal", None)
    principal.set("id", "Author")
    _add(principal, "LogonType", "InteractiveToken")
    _add(principal, "RunLevel", "LeastPrivilege")
    settings = _add(task, "Settings")
    for tag, value in (
        ("MultipleInstancesPolicy", "IgnoreNew"),
        ("DisallowStartIfOnBatteries", "false"),
        ("StopIfGoingOnBatteries", "false"),
        ("StartWhenAvailable", "true"),
        ("ExecutionTimeLimit", "PT1H"),
        ("Enabled", "true"),
    ):
        _add(settings, tag, value)
    actions = _add(task, "Actions", None)
    actions.set("Context", "Author")
    run = _add(actions, "Exec")
    _add(run, "Command", command[0])
    _add(run, "Arguments", subprocess.list2cmdline(command[1:]))
    ET.indent(task)
    body = ET.tostring(task, encoding="unicode").replace(f' xmlns:ns0="{NAMESPACE}"', "")
    return '<?xml version="1.0" encoding="UTF-16"?>\n' + body + "\n"


def _schtasks(*arguments: str, check: bool = True) -> bool:
    return run_tool(["schtasks", *arguments], check=check).returncode == 0


def install(wake_ups: list[WakeUp], command: list[str]) -> list[str]:
    # schtasks reads the definition from a file, in UTF-16; the file is ours only meanwhile.
    handle, path = tempfile.mkstemp(suffix=".xml")
    try:
        with os.fdopen(handle, "w", encoding="utf-16") as stream:
            stream.write(task_xml(wake_ups, command))
        _schtasks("/Create", "/TN", LABEL, "/XML", path, "/F")
    finally:
        os.unlink(path)
    return [f"the Task Scheduler task {LABEL}"]


def installed() -> bool:
    return _schtasks("/Query", "/TN", LABEL, check=False)


def remove() -> list[str]:
    if not installed():
        return []
    _schtasks("/Delete", "/TN", LABEL, "/F")
    return [f"the Task Scheduler task {LABEL}"]

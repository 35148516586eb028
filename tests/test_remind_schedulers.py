"""Reminders in the system's scheduler: systemd units (verified by systemd-analyze), the
crontab block (fake crontab), the macOS plist and the Windows task XML; `off` leaves nothing."""

from __future__ import annotations

import io
import plistlib
import shutil
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from remind_support import Tools

from timer_app.cli.main import main
from timer_app.remind import crontab, launchd, systemd, windows
from timer_app.remind.entries import due_command, wake_ups
from timer_app.remind.rules import Reminder, parse_days, parse_span, parse_time

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the Linux schedulers")


def stretch(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = main(list(argv))
    return status, out.getvalue(), err.getvalue()


def office() -> list[Reminder]:
    return [
        Reminder(times=(parse_time("10:00"), parse_time("15:30")), days=parse_days("mon-fri")),
        Reminder(every=90 * 60, between=parse_span("09:00-12:00"), days=parse_days("sat,sun")),
    ]


def unit_files(home: Path) -> list[Path]:
    return sorted((home / ".config" / "systemd" / "user").glob("stretch-timer*"))


def test_with_a_user_manager_a_timer_and_service_are_written_and_enabled(
    tools: Tools, isolated_home: Path
) -> None:
    tools.with_systemd().with_cron()
    status, out, _ = stretch("remind", "add", "10:00", "15:30", "--days", "mon-fri")
    assert status == 0
    timer, service = (path.read_text() for path in unit_files(isolated_home)[::-1])
    assert "OnCalendar=Mon,Tue,Wed,Thu,Fri *-*-* 10:00:00\n" in timer
    assert "OnCalendar=Mon,Tue,Wed,Thu,Fri *-*-* 15:30:00\n" in timer
    assert "Persistent=true\n" in timer
    assert f"ExecStart={sys.executable} -m timer_app remind due\n" in service
    assert tools.systemctl_calls() == [
        "--user show-environment",
        "--user daemon-reload",
        "--user enable --now stretch-timer-remind.timer",
        "--user restart stretch-timer-remind.timer",
    ]
    assert "Scheduled with systemd user timer" in out
    assert not tools.crontab.exists()


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs systemd-analyze")
def test_the_unit_files_pass_systemd_analyze_verify(tools: Tools, isolated_home: Path) -> None:
    tools.with_systemd()
    systemd.install(wake_ups(office()), due_command())
    timer = isolated_home / ".config/systemd/user/stretch-timer-remind.timer"
    done = subprocess.run(
        ["/usr/bin/systemd-analyze", "verify", str(timer)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs systemd-analyze")
def test_systemd_reads_each_calendar_line_as_the_days_and_time_meant() -> None:
    # Saturday and Sunday at 09:00 and 10:30: systemd's next elapses from a Friday are ours.
    for wake_up in wake_ups(office()[1:]):
        spec = systemd.on_calendar(wake_up)
        done = subprocess.run(
            ["/usr/bin/systemd-analyze", "calendar", spec, "--base-time=2026-05-08 12:00 UTC",
             "--iterations=2"],
            capture_output=True, text=True, env={"TZ": "UTC"}, check=True,
        )  # fmt: skip
        hhmm = f"{wake_up.hour:02d}:{wake_up.minute:02d}:00"
        assert f"Sat 2026-05-09 {hhmm}" in done.stdout
        assert f"Sun 2026-05-10 {hhmm}" in done.stdout


def test_off_disables_and_removes_the_units(tools: Tools, isolated_home: Path) -> None:
    tools.with_systemd()
    stretch("remind", "add", "10:00")
    status, out, _ = stretch("remind", "off")
    assert status == 0
    assert unit_files(isolated_home) == []
    assert "--user disable --now stretch-timer-remind.timer" in tools.systemctl_calls()
    assert not (isolated_home / ".config/stretch-timer/reminders.yaml").exists()
    assert "Reminders are off." in out


THEIRS = (
    b"# m h dom mon dow command\r\n"
    b"MAILTO=someone@example.org\n"
    b"*/5 * * * * /usr/bin/backup --quiet  # caf\xe9, not UTF-8\n"
    b"\n"
    b"0 3 * * 0 /usr/bin/weekly"
)


def test_without_a_user_manager_a_marked_crontab_block_keeps_every_other_byte(
    tools: Tools, isolated_home: Path
) -> None:
    tools.with_systemd(manager=False).with_cron()
    tools.crontab.write_bytes(THEIRS)
    assert stretch("remind", "add", "10:00", "15:30", "--days", "mon-fri")[0] == 0
    first = tools.crontab.read_bytes()
    # Their lines come first, untouched; their last line gets the newline cron needs.
    assert first.startswith(THEIRS + b"\n" + crontab.BEGIN.encode())
    ours = first[len(THEIRS) + 1 :].decode().splitlines()
    command = f"{sys.executable} -m timer_app remind due"
    assert ours[1:3] == [f"0 10 * * 1,2,3,4,5 {command}", f"30 15 * * 1,2,3,4,5 {command}"]
    assert ours[-1] == crontab.END.rstrip("\n")
    assert unit_files(isolated_home) == []
    # Written again, the crontab is the same, byte for byte.
    assert stretch("remind", "sync")[0] == 0
    assert tools.crontab.read_bytes() == first
    assert stretch("remind", "off")[0] == 0
    assert tools.crontab.read_bytes() == THEIRS + b"\n"


def test_a_crontab_that_was_ours_alone_is_removed(tools: Tools) -> None:
    tools.with_cron()
    stretch("remind", "add", "--every", "1h", "--between", "09:00-12:00")
    assert tools.crontab.read_text().count("remind due") == 4
    stretch("remind", "off")
    assert not tools.crontab.exists()


def test_a_block_in_the_middle_is_replaced_where_it_stands(tools: Tools) -> None:
    table = b"A\n" + crontab.block(wake_ups(office()), ["old"]).encode() + b"B\n"
    changed = crontab.with_block(table, crontab.block(wake_ups(office()[:1]), ["new"]))
    assert changed.startswith(b"A\nB\n")
    assert crontab.without_block(changed) == b"A\nB\n"
    assert b"old" not in changed


def test_cron_gets_the_desktop_it_was_set_up_from(
    tools: Tools, monkeypatch: pytest.MonkeyPatch
) -> None:
    tools.with_cron()
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/run/user/1000/bus")
    stretch("remind", "add", "10:00")
    line = tools.crontab.read_text().splitlines()[1]
    assert line.startswith(
        "0 10 * * * env DISPLAY=:0 DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/1000/bus "
    )


def test_with_no_scheduler_at_all_it_says_what_to_install(tools: Tools) -> None:
    status, _, err = stretch("remind", "add", "10:00")
    assert status == 1
    assert "no scheduler to wake stretch-timer" in err
    assert "apt install cron" in err


def test_a_bad_time_is_refused_by_the_command_line(tools: Tools) -> None:
    with pytest.raises(SystemExit) as exit_info:
        stretch("remind", "add", "25:00")
    assert exit_info.value.code == 2


def test_a_routine_that_is_not_there_is_refused(tools: Tools) -> None:
    tools.with_cron()
    status, _, err = stretch("remind", "add", "10:00", "--routine", "neck-strech")
    assert status == 1
    assert "did you mean 'neck-stretches'" in err
    assert not tools.crontab.exists()


def test_list_and_remove(tools: Tools) -> None:
    tools.with_cron()
    stretch("remind", "add", "10:00", "15:30", "--days", "mon-fri", "--routine", "neck-stretches")
    stretch("remind", "add", "--every", "90m", "--between", "09:00-17:00", "--days", "sat,sun")
    status, out, _ = stretch("remind", "list")
    assert status == 0
    lines = out.splitlines()
    assert lines[0].startswith("1. 10:00, 15:30 mon-fri: Basic neck stretches, ")
    assert lines[1] == "2. every 1 h 30 min 09:00-17:00 sat,sun: choose a routine"
    assert lines[2].startswith("Next: ")
    assert lines[3] == "Scheduled with: your crontab (`crontab -l`)"
    assert stretch("remind", "remove", "1")[0] == 0
    assert "0 10 * * 1,2,3,4,5" not in tools.crontab.read_text()
    assert stretch("remind", "remove", "5")[0] == 1


# ---------------------------------------------------------------------------- macOS, Windows


def test_the_launch_agent_is_a_property_list_launchd_reads() -> None:
    data = launchd.plist_bytes(wake_ups(office()), ["/usr/bin/python3", "-m", "timer_app"])
    root = ET.fromstring(data)
    # The property list format (Apple's DTD): <plist version="1.0"> around one <dict> whose
    # children alternate <key> and a value.
    assert b'<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN"' in data
    assert root.tag == "plist"
    assert root.get("version") == "1.0"
    (top,) = root
    tags = [child.tag for child in top]
    assert tags[::2] == ["key"] * (len(tags) // 2)
    agent = plistlib.loads(data)
    # launchd.plist(5): Label a string, ProgramArguments strings, StartCalendarInterval dicts
    # of integers: Minute 0-59, Hour 0-23, Weekday 0-7 (0 and 7 are Sunday).
    assert agent["Label"] == "org.stretch-timer.remind"
    assert agent["ProgramArguments"] == ["/usr/bin/python3", "-m", "timer_app"]
    intervals = agent["StartCalendarInterval"]
    for interval in intervals:
        assert set(interval) <= {"Minute", "Hour", "Weekday", "Day", "Month"}
        assert all(isinstance(value, int) for value in interval.values())
    # Monday to Friday at 10:00 and 15:30; Saturday and Sunday at 09:00, 10:30 and 12:00.
    assert {"Hour": 10, "Minute": 0, "Weekday": 1} in intervals
    assert {"Hour": 15, "Minute": 30, "Weekday": 5} in intervals
    assert {"Hour": 9, "Minute": 0, "Weekday": 0} in intervals
    assert {"Hour": 12, "Minute": 0, "Weekday": 6} in intervals
    assert len(intervals) == 2 * 5 + 3 * 2


TASK = "{http://schemas.microsoft.com/windows/2004/02/mit/task}"


def test_the_windows_task_follows_the_task_scheduler_schema() -> None:
    text = windows.task_xml(wake_ups(office()), [r"C:\Py\pythonw.exe", "-m", "timer_app"])
    assert text.startswith('<?xml version="1.0" encoding="UTF-16"?>\n')
    task = ET.fromstring(text.split("\n", 1)[1])
    assert task.tag == f"{TASK}Task"
    assert task.get("version") == "1.2"
    assert [child.tag.removeprefix(TASK) for child in task] == [
        "RegistrationInfo", "Triggers", "Principals", "Settings", "Actions",
    ]  # fmt: skip
    order = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    seen = []
    for trigger in task.iter(f"{TASK}CalendarTrigger"):
        # triggerBaseType's sequence, then the schedule.
        tags = [child.tag.removeprefix(TASK) for child in trigger]
        assert tags == ["StartBoundary", "Enabled", "ScheduleByWeek"]
        start = trigger.findtext(f"{TASK}StartBoundary")
        assert start is not None
        weekly = trigger.find(f"{TASK}ScheduleByWeek/{TASK}DaysOfWeek")
        assert weekly is not None
        days = [day.tag.removeprefix(TASK) for day in weekly]
        assert days == sorted(days, key=order.index)  # daysOfWeekType is a sequence
        seen.append((start[11:16], days))
    assert ("10:00", ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]) in seen
    assert ("09:00", ["Sunday", "Saturday"]) in seen
    assert task.findtext(f"{TASK}Settings/{TASK}StartWhenAvailable") == "true"
    assert task.findtext(f"{TASK}Actions/{TASK}Exec/{TASK}Command") == r"C:\Py\pythonw.exe"
    assert task.findtext(f"{TASK}Actions/{TASK}Exec/{TASK}Arguments") == "-m timer_app"
    # schtasks reads it in UTF-16, as the declaration says.
    assert text.encode("utf-16").decode("utf-16") == text

"""The reminder itself, through a real D-Bus session bus (dbus-daemon) and a mock notification
server: its title and buttons, Start running the routine in a (fake) terminal, Snooze, the
quiet rules at a wake-up, and a reminder with no desktop told at the next `stretch` start."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from remind_support import Desktop

from history_support import history_in, record
from timer_app.remind.due import Wake, remind, run_due, take_missed
from timer_app.remind.file import save_reminders
from timer_app.remind.rules import Reminder
from timer_app.remind.state import load_state
from timer_app.remind.words import Target

pytestmark = pytest.mark.skipif(
    shutil.which("dbus-daemon") is None, reason="needs dbus-daemon (scripts/setup-test-system)"
)
UTC_ZONE = ZoneInfo("UTC")


def neck_at(moment: time) -> list[Reminder]:
    return [Reminder(times=(moment,), routine="neck-stretches")]


def due_now(env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`stretch remind due` as the scheduler runs it: a new process, in UTC."""
    env = {**os.environ, "TZ": "UTC", **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "-m", "timer_app", "remind", "due"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def minute_ago() -> time:
    moment = datetime.now(UTC) - timedelta(minutes=1)
    return time(moment.hour, moment.minute)


@pytest.mark.slow
def test_the_notification_names_the_routine_and_start_opens_it_in_a_terminal(
    desktop: Desktop,
) -> None:
    save_reminders(neck_at(minute_ago()))
    done = due_now()
    assert done.returncode == 0, done.stderr
    # Start: the desktop's terminal runs this stretch-timer's `stretch run neck-stretches`.
    desktop.check_neck_stretches_started()
    assert "Started in a terminal" in done.stdout
    # Once given, the same time is not given again.
    again = due_now()
    assert "Quiet: the reminder at" in again.stdout
    assert len(desktop.notifications()) == 1


@pytest.mark.slow
def test_a_session_completed_30_minutes_ago_keeps_the_wake_up_quiet(desktop: Desktop) -> None:
    history, _ = history_in(Path(os.environ["XDG_DATA_HOME"]) / "stretch-timer")
    record(history, datetime.now(UTC) - timedelta(minutes=34), minutes=3)
    save_reminders(neck_at(minute_ago()))
    done = due_now()
    assert "Quiet: a session was completed at" in done.stdout
    assert desktop.notifications() == []


async def test_after_a_simulated_sleep_the_missed_reminder_fires_once(desktop: Desktop) -> None:
    # Asleep from 09:00 to 10:20: the 09:30 and 10:00 reminders were missed; one goes off.
    reminders = [Reminder(times=(time(9, 30), time(10)), routine="neck-stretches")]
    clock = [datetime(2026, 5, 11, 10, 20, tzinfo=UTC)]
    out = io.StringIO()
    wake = Wake(out=out, zone=UTC_ZONE, now=lambda: clock[0], completed=lambda: None)
    assert await run_due(reminders, wake) == 0
    # systemd's Persistent= catch-up and a cron line can both wake us: still one reminder.
    clock[0] += timedelta(seconds=3)
    assert await run_due(reminders, wake) == 0
    (shown,) = desktop.notifications()
    assert "Your 10:00 stretch." in str(shown["body"])
    assert "Quiet: the reminder at 10:00 was already given." in out.getvalue()


@pytest.mark.parametrize("desktop", ["snooze"], indirect=True)
async def test_snooze_asks_again_ten_minutes_later(desktop: Desktop) -> None:
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    target = Target("neck-stretches", "Basic neck stretches", 9)
    wake = Wake(out=io.StringIO(), zone=UTC_ZONE, sleep=sleep, completed=lambda: None)
    answer = await remind(target, datetime(2026, 5, 11, 10, tzinfo=UTC), wake)
    # Snoozed every time it came: asked four times in all, then left be.
    assert answer == "snooze"
    assert slept == [600, 600, 600]
    assert len(desktop.notifications()) == 4
    assert desktop.ran() == []


@pytest.mark.parametrize("desktop", ["snooze"], indirect=True)
async def test_a_session_done_during_the_snooze_ends_the_reminding(desktop: Desktop) -> None:
    async def sleep(seconds: float) -> None:
        pass

    now = datetime(2026, 5, 11, 10, 10, tzinfo=UTC)
    wake = Wake(
        out=io.StringIO(), zone=UTC_ZONE, sleep=sleep, now=lambda: now, completed=lambda: now
    )
    answer = await remind(Target(None, "choose a routine"), now, wake)
    assert answer == "dismissed"
    assert len(desktop.notifications()) == 1


@pytest.mark.slow
def test_with_no_desktop_the_next_stretch_start_tells_of_the_missed_reminder_once(
    tmp_path: Path,
) -> None:
    save_reminders(neck_at(minute_ago()))
    nowhere = {"DBUS_SESSION_BUS_ADDRESS": f"unix:path={tmp_path / 'no-bus'}"}
    done = due_now(nowhere)
    assert "No desktop to show it on" in done.stdout
    assert load_state().missed is not None
    when = minute_ago().strftime("%H:%M")
    env = {**os.environ, "TZ": "UTC"}
    first = subprocess.run(
        [sys.executable, "-m", "timer_app"], capture_output=True, text=True, env=env, check=False
    )
    assert f"You missed a reminder at {when}" in first.stderr
    second = subprocess.run(
        [sys.executable, "-m", "timer_app"], capture_output=True, text=True, env=env, check=False
    )
    assert "missed" not in second.stderr
    assert take_missed(UTC_ZONE) is None

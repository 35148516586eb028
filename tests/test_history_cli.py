"""Session history in the programs: plain mode's record, two programs writing at once, a
`kill -9` mid-session, and `stretch history` (text, JSON, CSV, errors, the local time zone)."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from engine_support import held, plan_of, timed
from helpers import REPO, read_until, routine_yaml, run_main, stretch
from history_support import history_in, local_noon, record, sessions_in, statuses
from timer_app.companions import Companions
from timer_app.history.records import utc_text
from timer_app.history.stats import local_date
from timer_app.testing import VirtualClock
from timer_app.views.plain.run import run_plain


def test_plain_mode_records_through_its_companions_and_tells_todays_total(
    isolated_home: Path,
) -> None:
    """The real wiring: plain mode's companions record from a worker thread."""

    plan = plan_of(held("Reach [/", seconds=3, reps=1, prepare=1, per_side=False), title="P [x]")
    out = io.StringIO()
    status = run_plain(
        plan,
        stdout=out,
        stdin=io.StringIO(),
        clock=VirtualClock(auto=True),
        companions=Companions(sound="off", history=True),
    )
    assert status == 0
    history, _ = history_in(isolated_home / ".local" / "share" / "stretch-timer")
    [recorded] = sessions_in(history)
    assert (recorded.title, recorded.state, statuses(recorded)) == ("P [x]", "completed", ["done"])
    last = out.getvalue().splitlines()[-1]
    assert last == "Today: <1 min of stretching in 1 session. Streak: 1 day"


# ---------------------------------------------------------------------------------- processes


HAMMER = textwrap.dedent(
    """
    import io, sys
    sys.path[:0] = [{root!r}, {tests!r}]
    from engine_support import held, plan_of, timed
    from timer_app.testing import VirtualClock
    from timer_app.companions import Companions
    from timer_app.views.plain.run import run_plain
    plan = plan_of(held("A", seconds=2, reps=2, rest=1, prepare=1), timed("B", seconds=3),
                   title=sys.argv[1])
    for _ in range(int(sys.argv[2])):
        out = io.StringIO()
        status = run_plain(plan, stdout=out, stdin=io.StringIO(), clock=VirtualClock(auto=True),
                           companions=Companions(sound="off", history=True))
        assert status == 0 and "History" not in out.getvalue(), out.getvalue()
    """
).format(root=str(REPO), tests=str(REPO / "tests"))


@pytest.mark.slow
def test_two_programs_recording_at_once_both_record_every_session(isolated_home: Path) -> None:
    sessions = 12
    children = [
        subprocess.Popen(
            [sys.executable, "-c", HAMMER, title, str(sessions)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for title in ("first", "second")
    ]
    for child in children:
        _, err = child.communicate(timeout=120)
        assert child.returncode == 0, err.decode()
    history, _ = history_in(isolated_home / ".local" / "share" / "stretch-timer")
    recorded = sessions_in(history)
    assert sorted(s.title for s in recorded) == ["first"] * sessions + ["second"] * sessions
    assert all(s.state == "completed" and statuses(s) == ["done", "done"] for s in recorded)


KILL_ROUTINE = routine_yaml("crash-test")


@pytest.mark.slow
def test_kill_9_mid_session_leaves_an_interrupted_session_with_the_exercises_done(
    tmp_path: Path,
) -> None:
    (tmp_path / "crash-test.yaml").write_text(KILL_ROUTINE, encoding="utf-8")
    command = [sys.executable, "-m", "timer_app", "--routines", str(tmp_path)]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [*command, "run", "crash-test", "--plain", "--sound", "off"],
        cwd=REPO,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        # The second exercise's hold: the first ended 2 s ago, mid-way through nothing else.
        read_until(proc, "] Second - hold 30 s")
        proc.kill()  # SIGKILL: no handler, no Finished, no goodbye
        proc.wait(timeout=10)
    finally:
        proc.kill()
    assert proc.returncode == -9

    result = stretch("history", "--json")
    assert result.returncode == 0, result.stderr
    [crashed] = json.loads(result.stdout)["sessions"]
    assert crashed["state"] == "interrupted"
    assert crashed["ended"] is None
    assert crashed["title"] == "Crash [test]"
    assert crashed["exercises"] == [
        {
            "entry": 0,
            "id": "first",
            "name": "First [/",
            "status": "done",
            "active_seconds": 2.0,
            "planned_seconds": 2.0,
        }
    ]
    # The file is sound after the crash: the next session records as usual.
    done = subprocess.run(
        [
            *command,
            "run",
            "crash-test",
            "--plain",
            "--sound",
            "off",
            "--hold",
            "1",
            "--prepare",
            "0",
        ],
        cwd=REPO,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Today: " in done.stdout
    states = [s["state"] for s in json.loads(stretch("history", "--json").stdout)["sessions"]]
    assert states == ["completed", "interrupted"]


def test_history_json_is_the_documented_object(isolated_home: Path) -> None:
    history, _ = history_in(isolated_home / ".local" / "share" / "stretch-timer")
    record(history, local_noon(20))  # outside the default 14 days
    record(history, local_noon(2), title="Neck [/ stretches")
    record(history, local_noon(1), state="stopped", minutes=1)
    record(history, local_noon(0), state="interrupted", minutes=2)

    result = stretch("history", "--json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    report = json.loads(result.stdout)
    assert set(report) == {"version", "generated", "days", "sessions", "per_day", "per_week"} | {
        "streak"
    }
    assert report["version"] == 1 and report["days"] == 14
    assert [s["state"] for s in report["sessions"]] == ["interrupted", "stopped", "completed"]
    newest, stopped, completed = report["sessions"]
    assert newest["ended"] is None and newest["elapsed_seconds"] is None
    assert stopped["exercises"][1] == {
        "entry": 1,
        "id": "ear",
        "name": "Ear [to] shoulder",
        "status": "skipped",
        "active_seconds": 0.0,
        "planned_seconds": 60.0,
    }
    assert completed["title"] == "Neck [/ stretches"
    assert completed["started"] == utc_text(local_noon(2))
    assert completed["ended"] == utc_text(local_noon(2) + timedelta(minutes=4))
    assert completed["active_seconds"] == 180.0
    assert len(report["per_day"]) == 14
    assert report["per_day"][-1] == {
        "date": date.today().isoformat(),
        "active_seconds": 120.0,
        "sessions": 1,
        "completed": 0,
    }
    assert [d["sessions"] for d in report["per_day"][-3:]] == [1, 1, 1]
    assert report["per_week"][-1]["week"] == "{}-W{:02d}".format(*date.today().isocalendar())
    # Only completed sessions make a streak: two days ago, then nothing completed since.
    assert report["streak"] == {"current": 0, "longest": 1}

    window = json.loads(stretch("history", "--json", "--days", "30").stdout)
    assert len(window["sessions"]) == 4 and len(window["per_day"]) == 30


def test_history_rounds_minutes_a_half_up_and_under_half_a_minute_says_so(
    isolated_home: Path,
) -> None:
    history, _ = history_in(isolated_home / ".local" / "share" / "stretch-timer")
    record(history, local_noon(1), minutes=0.5, title="Thirty seconds")
    record(history, local_noon(0), minutes=29.7 / 60, title="Not quite thirty")
    result = stretch("history")
    assert result.returncode == 0, result.stderr
    rows = {
        line.split("  ")[-1]: line
        for line in result.stdout.splitlines()
        if "thirty" in line.lower()
    }
    # Exactly 30 s is half a minute: "1 min", never the "0 min" of round(0.5) == 0.
    assert " 1 min  " in rows["Thirty seconds"]
    assert "<1 min  " in rows["Not quite thirty"]


def test_history_csv_has_one_row_per_session(isolated_home: Path) -> None:
    history, _ = history_in(isolated_home / ".local" / "share" / "stretch-timer")
    record(history, local_noon(3), title='Quotes "and", commas')
    record(history, local_noon(1), state="stopped")
    result = stretch("history", "--csv", "--days", "2")
    assert result.returncode == 0, result.stderr

    rows = list(csv.DictReader(result.stdout.splitlines()))
    assert [r["state"] for r in rows] == ["stopped"]  # the 3-days-ago one is out of the window
    assert rows[0]["done"] == "1" and rows[0]["skipped"] == "1" and rows[0]["exercises"] == "2"
    rows = list(csv.DictReader(stretch("history", "--csv").stdout.splitlines()))
    assert [r["title"] for r in rows] == ["Basic neck stretches", 'Quotes "and", commas']


@pytest.mark.parametrize(
    ("days", "message"),
    [("0", "must be 1 or more"), ("-3", "must be 1 or more"), ("soon", "whole number")],
)
def test_history_days_must_be_a_whole_number_from_1(days: str, message: str) -> None:
    result = stretch("history", f"--days={days}")
    assert result.returncode == 2
    assert message in result.stderr and "--days" in result.stderr
    assert "Traceback" not in result.stderr


def test_history_with_nothing_recorded_is_a_friendly_line() -> None:
    result = stretch("history")
    assert result.returncode == 0
    assert result.stdout.startswith("No sessions recorded yet.")
    assert json.loads(stretch("history", "--json").stdout)["sessions"] == []


def test_history_on_a_damaged_or_newer_file_explains_without_a_traceback(
    isolated_home: Path,
) -> None:
    folder = isolated_home / ".local" / "share" / "stretch-timer"
    folder.mkdir(parents=True)
    damaged = b"not a database " * 300
    (folder / "history.db").write_bytes(damaged)
    result = stretch("history")
    assert result.returncode == 1
    assert "could not be read" in result.stderr and "left as it is" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    # Reading changes nothing: the file is set aside only when a session is recorded.
    assert (folder / "history.db").read_bytes() == damaged
    assert list(folder.glob("history.db.corrupt-*")) == []
    history, notices = history_in(folder)
    record(history, local_noon(days_ago=0))
    assert len(list(folder.glob("history.db.corrupt-*"))) == 1
    assert ".corrupt-" in notices.lines[0]

    connection = sqlite3.connect(folder / "history.db")
    connection.execute("PRAGMA user_version = 7")
    connection.close()
    before = (folder / "history.db").read_bytes()
    result = stretch("history", "--json")
    assert result.returncode == 1
    assert "newer stretch-timer" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert (folder / "history.db").read_bytes() == before


# A program that creates the history file, stopped by SIGKILL right after the Nth call the
# history package makes into SQLite or the file system (a profile hook sees every call into C):
# every state a file can be left in by a session killed as it starts, in the order they happen.
CREATE_AND_DIE = textwrap.dedent(
    """
    import os, signal, sys
    sys.path[:0] = [{root!r}]
    from timer_app.history.store import History

    kill_after = int(sys.argv[1])
    calls = 0

    def profile(frame, event, function):
        global calls
        if event != "c_return" or "history" not in frame.f_code.co_filename:
            return
        owner = getattr(function, "__self__", None)
        module = getattr(function, "__module__", None) or type(owner).__module__
        if module in ("sqlite3", "_sqlite3", "posix"):
            calls += 1
            if calls == kill_after:
                os.kill(os.getpid(), signal.SIGKILL)

    sys.setprofile(profile)
    connection = History(notify=print).open()
    sys.setprofile(None)
    print(calls)
    """
)


def test_a_session_killed_at_any_point_of_creating_the_file_leaves_an_empty_history(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = isolated_home / ".local" / "share" / "stretch-timer"
    script = CREATE_AND_DIE.format(root=str(REPO))

    def create(kill_after: int) -> subprocess.CompletedProcess[str]:
        shutil.rmtree(folder, ignore_errors=True)
        return subprocess.run(
            [sys.executable, "-c", script, str(kill_after)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    whole = create(0)  # never killed: how many calls making a new file takes
    assert whole.returncode == 0, whole.stderr
    calls = int(whole.stdout.split()[-1])
    assert calls > 10
    states = set()
    for kill_after in range(1, calls + 1):
        assert create(kill_after).returncode == -signal.SIGKILL
        states.add(tuple(sorted((p.name, p.stat().st_size > 0) for p in folder.glob("*"))))
        where = f"killed after call {kill_after} of {calls}"
        status, out, err = run_main(capsys, "history", "--json")
        assert (status, err) == (0, ""), where
        assert json.loads(out)["sessions"] == [], where
        assert run_main(capsys, "history")[1].startswith("No sessions recorded yet."), where
        # The next session sets the file up and is recorded in it.
        history, notices = history_in(folder)
        record(history, local_noon(days_ago=0))
        assert notices.lines == [], where
        status, out, _ = run_main(capsys, "history", "--json")
        assert status == 0 and len(json.loads(out)["sessions"]) == 1, where
    # Among them: an empty file, one with a rollback journal left hot by the switch to WAL, a
    # file with no tables, an empty log, and a committed schema still in the log.
    assert (("history.db", False),) in states
    assert (("history.db", False), ("history.db-journal", True)) in states
    assert (("history.db", True),) in states
    assert any(("history.db-wal", False) in state for state in states)
    assert any(("history.db-wal", True) in state for state in states)


def test_reading_the_history_changes_nothing(isolated_home: Path) -> None:
    folder = isolated_home / ".local" / "share" / "stretch-timer"
    history, _ = history_in(folder)
    record(history, local_noon(days_ago=1))
    before = (folder / "history.db").read_bytes()
    for argv in (["history"], ["history", "--json"], ["history", "--csv"]):
        assert stretch(*argv).returncode == 0
    assert (folder / "history.db").read_bytes() == before
    assert not list(folder.glob("*.corrupt-*"))


@pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("unshare") is None,
    reason="makes the data folder read-only with a private read-only bind mount (root, unshare)",
)
def test_history_in_a_folder_that_cannot_be_written_is_still_read(isolated_home: Path) -> None:
    folder = isolated_home / ".local" / "share" / "stretch-timer"
    history, _ = history_in(folder)
    record(history, local_noon(days_ago=1), title="Read me")
    # As root, file permissions do not stop writes; a read-only mount does, for everyone.
    script = (
        f'mount --bind "{folder}" "{folder}" && mount -o remount,bind,ro "{folder}"'
        f' && exec "{sys.executable}" -m timer_app history'
    )
    result = subprocess.run(
        ["unshare", "--mount", "sh", "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=30,
        check=False,
    )
    if "mount" in result.stderr and result.returncode != 0 and "Read me" not in result.stdout:
        pytest.skip(f"could not make a read-only mount here: {result.stderr.strip()}")
    assert result.returncode == 0, result.stderr
    assert "Read me" in result.stdout
    assert "History is off" not in result.stderr


def test_history_counts_days_in_the_local_time_zone_of_tz(isolated_home: Path) -> None:
    """The real command in the system's local time (TZ), not only with an injected zone."""
    zoneinfo = pytest.importorskip("zoneinfo")
    history, _ = history_in(isolated_home / ".local" / "share" / "stretch-timer")
    today = datetime.now(UTC).date()
    moment = datetime(today.year, today.month, today.day, 2, tzinfo=UTC) - timedelta(days=1)
    record(history, moment)
    for name in ("Asia/Tokyo", "America/New_York"):
        try:
            expected = local_date(moment, zoneinfo.ZoneInfo(name))
        except zoneinfo.ZoneInfoNotFoundError:
            pytest.skip("no time zone database on this machine")
        env = {**os.environ, "PYTHONPATH": str(REPO), "TZ": name}
        result = subprocess.run(
            [sys.executable, "-m", "timer_app", "history", "--json", "--days", "5"],
            capture_output=True,
            text=True,
            env=env,
            check=False,
            timeout=30,
        )
        assert result.returncode == 0, result.stderr
        [day] = [d["date"] for d in json.loads(result.stdout)["per_day"] if d["sessions"]]
        assert day == expected.isoformat(), name


def test_help_needs_no_sqlite_and_history_no_textual() -> None:
    code = (
        "import sys\n"
        "from timer_app.cli.main import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('SQLITE', 'sqlite3' in sys.modules, file=sys.stderr)\n"
        "main(['history'])\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=False
    )
    assert "SQLITE False" in result.stderr
    assert "HEAVY []" in result.stderr


def test_notices_reach_the_loop_thread_from_the_recorders_worker_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Companions brings history's notices back to the event loop's thread."""
    import threading

    from timer_app.companions import Companions
    from timer_app.session.engine import Engine

    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    seen: list[tuple[str, bool]] = []

    def notify(text: str) -> None:
        seen.append((text, threading.current_thread() is threading.main_thread()))

    async def go() -> None:
        companions = Companions(sound="off", history=True)
        companions.notify = notify
        plan = plan_of(timed("Only", seconds=1, prepare=0))
        engine = Engine(plan, clock=VirtualClock(auto=True))
        companions.attach(engine)
        await engine.run()
        await companions.session_over()

    asyncio.run(go())
    [(text, on_main_thread)] = seen
    assert "History is off" in text
    assert on_main_thread

"""Benchmark of session history: the cost of a durable write, and of reading years of it.

Prints figures, asserts nothing. Usage:

    python bench/history.py [--sessions 1000] [--folder DIR]

- write: one exercise outcome (one IMMEDIATE transaction) with synchronous=FULL, as recorded,
  and with NORMAL for comparison, in a file on the same disk as --folder (default: a temporary
  folder, often tmpfs, where fsync is nearly free: pass a folder on the real disk);
- open: opening a file of --sessions sessions the first time in a run (with quick_check);
- read: `read_report` for 14 days, `read_overview` for the app, and `stretch history --json`
  as a whole process (Python start-up included).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timer_app.history.records import (  # noqa: E402 - after the path is set
    ExerciseRecord,
    end_session,
    save_exercises,
    start_session,
    utc_now,
)
from timer_app.history.report import read_overview, read_report  # noqa: E402
from timer_app.history.store import History  # noqa: E402


def exercise(entry: int, seconds: float) -> ExerciseRecord:
    return ExerciseRecord(
        entry=entry,
        exercise_id=f"exercise-{entry}",
        name=f"Exercise {entry}",
        status="done",
        active_seconds=seconds,
        planned_seconds=seconds,
    )


def ms(seconds: list[float]) -> str:
    return f"median {statistics.median(seconds) * 1000:.2f} ms, max {max(seconds) * 1000:.2f} ms"


def writes(folder: Path, synchronous: str, count: int = 200) -> list[float]:
    history = History(folder / f"write-{synchronous}.db", notify=print)
    connection = history.open()
    assert connection is not None
    connection.execute(f"PRAGMA synchronous = {synchronous}")
    session = start_session(
        connection,
        routine_id="bench",
        title="Bench",
        started=utc_now(),
        planned_seconds=600,
        exercise_count=count,
    )
    times = []
    for entry in range(count):
        started = time.perf_counter()
        save_exercises(connection, session, [exercise(entry, 30)], recorded=utc_now())
        times.append(time.perf_counter() - started)
    connection.close()
    return times


def fill(path: Path, sessions: int) -> None:
    """`sessions` sessions of 6 exercises, about two a day going back from now."""
    history = History(path, notify=print)
    connection = history.open()
    assert connection is not None
    connection.execute("PRAGMA synchronous = OFF")  # filling only: not what is measured
    now = utc_now()
    for number in range(sessions):
        started = now - timedelta(hours=12 * number + 1)
        session = start_session(
            connection,
            routine_id=f"routine-{number % 10}",
            title=f"Routine {number % 10}",
            started=started,
            planned_seconds=600,
            exercise_count=6,
        )
        end_session(
            connection,
            session,
            ended=started + timedelta(minutes=10),
            completed=number % 7 != 0,
            elapsed_seconds=600,
            paused_seconds=0,
            exercises=[exercise(entry, 60) for entry in range(6)],
        )
    connection.close()


def timed(action: object, runs: int = 5) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--folder", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.folder) as name:
        folder = Path(name)
        print(f"SQLite {sqlite3.sqlite_version}, folder {folder}")
        for synchronous in ("FULL", "NORMAL"):
            print(
                f"write one exercise, synchronous={synchronous}: {ms(writes(folder, synchronous))}"
            )

        path = folder / "data" / "stretch-timer" / "history.db"
        fill(path, args.sessions)
        size = path.stat().st_size / 1024
        print(f"{args.sessions} sessions of 6 exercises: {size:.0f} KiB")
        first_open = timed(lambda: open_once(path))
        print(f"first open in a run (quick_check, migrate check): {ms(first_open)}")
        now = datetime.now(UTC)
        history = History(path, notify=print)
        report = timed(lambda: read_report(history, days=14, now=now))
        print(f"read_report, 14 days: {ms(report)}")
        overview = timed(lambda: read_overview(history, now=now))
        print(f"read_overview (picker, summary, stats): {ms(overview)}")
        everything = timed(lambda: read_report(history, days=3650, now=now), runs=3)
        print(f"read_report, ten years (every session): {ms(everything)}")
        env = {**os.environ, "XDG_DATA_HOME": str(folder / "data"), "PYTHONPATH": str(ROOT)}
        command = [sys.executable, "-m", "timer_app", "history", "--json"]
        cli = timed(
            lambda: subprocess.run(command, env=env, capture_output=True, check=True), runs=5
        )
        print(f"stretch history --json (a whole process): {ms(cli)}")


def open_once(path: Path) -> None:
    connection = History(path, notify=print).open()
    assert connection is not None
    connection.close()


if __name__ == "__main__":
    main()

"""Provides history files for tests: a recorder in virtual time, sessions written directly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from engine_support import Session
from timer_app.core.plan import Plan
from timer_app.history.recorder import HistoryRecorder
from timer_app.history.records import (
    ExerciseRecord,
    SessionRecord,
    end_session,
    load_sessions,
    save_exercises,
    start_session,
)
from timer_app.history.store import History

BASE = datetime(2024, 5, 6, 7, 30, tzinfo=UTC)
"""A Monday morning; virtual session time is counted from it."""


@dataclass
class Notices:
    lines: list[str]

    def __call__(self, text: str) -> None:
        self.lines.append(text)


def history_in(folder: Path) -> tuple[History, Notices]:
    notices = Notices([])
    return History(folder / "history.db", notify=notices), notices


def sessions_in(history: History) -> list[SessionRecord]:
    connection = history.open(create=False)
    assert connection is not None
    try:
        return load_sessions(connection)
    finally:
        connection.close()


def statuses(session: SessionRecord) -> list[str]:
    return [exercise.status for exercise in session.exercises]


async def recording(
    plan: Plan, history: History, *, count_in: float = 3.0
) -> tuple[Session, HistoryRecorder]:
    """A started session in virtual time whose recorder writes at each virtual instant.

    The recorder runs on the loop's thread here (not in a worker thread as in the programs), so
    each write is done by the time a control or `advance` returns, and the test can look.
    """
    session = Session(plan, count_in=count_in)
    clock = session.clock
    recorder = HistoryRecorder(history, plan, now=lambda: BASE + timedelta(seconds=clock.now()))
    session.engine.add_listener(recorder)
    await session.start()
    return session, recorder


def record(
    history: History,
    started: datetime,
    *,
    routine_id: str = "neck-stretches",
    title: str = "Basic neck stretches",
    state: str = "completed",
    minutes: float = 3,
) -> int:
    """Write one whole session the way the recorder does."""
    connection = history.open()
    assert connection is not None
    session_id = start_session(
        connection,
        routine_id=routine_id,
        title=title,
        started=started,
        planned_seconds=minutes * 60,
        exercise_count=2,
    )
    exercises = [
        ExerciseRecord(
            entry=0,
            exercise_id="chin",
            name="Chin to chest",
            status="done",
            active_seconds=minutes * 60,
            planned_seconds=minutes * 60,
        )
    ]
    if state == "interrupted":
        save_exercises(connection, session_id, exercises, recorded=started)
    else:
        end_session(
            connection,
            session_id,
            ended=started + timedelta(minutes=minutes + 1),
            completed=state == "completed",
            elapsed_seconds=minutes * 60 + 60,
            paused_seconds=0,
            exercises=[
                *exercises,
                ExerciseRecord(
                    entry=1,
                    exercise_id="ear",
                    name="Ear [to] shoulder",
                    status="skipped" if state == "stopped" else "done",
                    active_seconds=0,
                    planned_seconds=60,
                ),
            ],
        )
    connection.close()
    return session_id


def local_noon(days_ago: int) -> datetime:
    """Noon, local time, `days_ago` days before today: safe from midnight whenever tests run."""
    day = date.today() - timedelta(days=days_ago)
    return datetime(day.year, day.month, day.day, 12).astimezone().astimezone(UTC)

"""Provides the rows of the history database and the SQL that writes and reads them.

Every write is one short transaction (`BEGIN IMMEDIATE` ... `COMMIT`), so what was committed
survives a crash of the process and, with `synchronous=FULL`, a power loss. Timestamps are
aware `datetime`s in Python and UTC ISO 8601 text (`2024-05-06T07:30:00Z`) in the file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, cast

from timer_app.core.text import safe_text
from timer_app.session.events import OutcomeStatus

__all__ = [
    "ExerciseRecord",
    "SessionRecord",
    "SessionState",
    "completed_starts",
    "end_session",
    "last_completed",
    "load_sessions",
    "parse_utc",
    "save_exercises",
    "start_session",
    "transaction",
    "utc_now",
    "utc_text",
]

SessionState = Literal["completed", "stopped", "interrupted"]
"""`completed`: the end of the routine was reached; `stopped`: ended early (quit, Ctrl+C);
`interrupted`: it never ended as far as the file knows (a crash, kill -9, power loss)."""

_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def utc_now() -> datetime:
    return datetime.now(UTC)


def utc_text(moment: datetime) -> str:
    """`moment` (aware) as UTC ISO 8601 text to the second: fixed width, so it sorts as text."""
    if moment.tzinfo is None:
        raise ValueError("history times must be aware datetimes, not naive ones")
    return moment.astimezone(UTC).strftime(_FORMAT)


def parse_utc(text: str) -> datetime:
    """The aware UTC datetime of a stored timestamp."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


@dataclass(frozen=True, kw_only=True)
class ExerciseRecord:
    """One exercise of a recorded session, as it last ended."""

    entry: int
    """Its place in the routine, from 0."""
    exercise_id: str
    name: str
    status: OutcomeStatus
    active_seconds: float
    """Seconds spent stretching it (hold, tempo and timed steps), pauses excluded."""
    planned_seconds: float
    """Seconds of stretching the plan had for it."""


@dataclass(frozen=True, kw_only=True)
class SessionRecord:
    """One recorded session."""

    id: int
    routine_id: str
    title: str
    started: datetime
    ended: datetime | None
    """None while it never ended (interrupted)."""
    state: SessionState
    planned_seconds: float
    exercise_count: int
    """Exercises in the routine as it was run."""
    elapsed_seconds: float | None
    """Start to finish, pauses included; None when interrupted."""
    exercises: tuple[ExerciseRecord, ...]
    """The exercises recorded, in routine order; an interrupted session lacks the one it was
    in and those after it."""

    @property
    def active_seconds(self) -> float:
        """Seconds of stretching in the session (what the minutes per day add up)."""
        return round(sum(exercise.active_seconds for exercise in self.exercises), 3)

    def count(self, status: OutcomeStatus) -> int:
        return sum(1 for exercise in self.exercises if exercise.status == status)


@contextmanager
def transaction(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction on an autocommit connection, rolled back on any error.

    IMMEDIATE takes the write lock at the start, so two processes writing at once queue on the
    busy timeout instead of one failing at its first write (a deferred transaction that must
    upgrade its lock in WAL mode gets SQLITE_BUSY without waiting).
    """
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


# -------------------------------------------------------------------------------- writing


def start_session(
    connection: sqlite3.Connection,
    *,
    routine_id: str,
    title: str,
    started: datetime,
    planned_seconds: float,
    exercise_count: int,
    adjustments: str = "",
    app_version: str = "",
) -> int:
    """Add a session that has just started; returns its id."""
    with transaction(connection):
        cursor = connection.execute(
            "INSERT INTO sessions (routine_id, title, started, planned_seconds,"
            " exercise_count, adjustments, app_version) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                routine_id,
                title,
                utc_text(started),
                round(planned_seconds, 3),
                exercise_count,
                adjustments,
                app_version,
            ),
        )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


_UPSERT_EXERCISE = (
    "INSERT INTO exercises (session_id, entry, exercise_id, name, status, active_seconds,"
    " planned_seconds, recorded) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (session_id, entry) DO UPDATE SET status = excluded.status,"
    " active_seconds = excluded.active_seconds, planned_seconds = excluded.planned_seconds,"
    " recorded = excluded.recorded"
)


def _exercise_row(
    session_id: int, exercise: ExerciseRecord, recorded: datetime
) -> tuple[object, ...]:
    return (
        session_id,
        exercise.entry,
        exercise.exercise_id,
        exercise.name,
        exercise.status,
        round(exercise.active_seconds, 3),
        round(exercise.planned_seconds, 3),
        utc_text(recorded),
    )


def save_exercises(
    connection: sqlite3.Connection,
    session_id: int,
    exercises: Sequence[ExerciseRecord],
    *,
    recorded: datetime,
) -> None:
    """Record how exercises ended, replacing what an earlier attempt at them recorded."""
    with transaction(connection):
        connection.executemany(
            _UPSERT_EXERCISE, [_exercise_row(session_id, e, recorded) for e in exercises]
        )


def end_session(
    connection: sqlite3.Connection,
    session_id: int,
    *,
    ended: datetime,
    completed: bool,
    elapsed_seconds: float,
    paused_seconds: float,
    exercises: Sequence[ExerciseRecord],
) -> None:
    """The session is over: every exercise's final outcome and its end state, all at once."""
    with transaction(connection):
        connection.executemany(
            _UPSERT_EXERCISE, [_exercise_row(session_id, e, ended) for e in exercises]
        )
        connection.execute(
            "UPDATE sessions SET ended = ?, state = ?, elapsed_seconds = ?, paused_seconds = ?"
            " WHERE id = ?",
            (
                utc_text(ended),
                "completed" if completed else "stopped",
                round(elapsed_seconds, 3),
                round(paused_seconds, 3),
                session_id,
            ),
        )


# -------------------------------------------------------------------------------- reading


def load_sessions(
    connection: sqlite3.Connection, *, since: datetime | None = None, limit: int | None = None
) -> list[SessionRecord]:
    """Sessions started at or after `since` (all when None), newest first, with exercises."""
    where = "" if since is None else "WHERE started >= :since"
    cap = "" if limit is None else "LIMIT :limit"
    chosen = f"SELECT id FROM sessions {where} ORDER BY started DESC, id DESC {cap}"
    params = {"since": None if since is None else utc_text(since), "limit": limit}
    rows = connection.execute(
        "SELECT id, routine_id, title, started, ended, state, planned_seconds, elapsed_seconds,"
        f" exercise_count FROM sessions WHERE id IN ({chosen}) ORDER BY started DESC, id DESC",
        params,
    ).fetchall()
    if not rows:
        return []
    # Text read back is made safe to show: the file may have been written by anything.
    exercises: dict[int, list[ExerciseRecord]] = {}
    for row in connection.execute(
        "SELECT session_id, entry, exercise_id, name, status, active_seconds, planned_seconds"
        f" FROM exercises WHERE session_id IN ({chosen}) ORDER BY session_id, entry",
        params,
    ):
        exercises.setdefault(row[0], []).append(
            ExerciseRecord(
                entry=row[1],
                exercise_id=safe_text(str(row[2])),
                name=safe_text(str(row[3])),
                status=cast("OutcomeStatus", row[4]),
                active_seconds=row[5],
                planned_seconds=row[6],
            )
        )
    return [
        SessionRecord(
            id=row[0],
            routine_id=safe_text(str(row[1])),
            title=safe_text(str(row[2])),
            started=parse_utc(row[3]),
            ended=None if row[4] is None else parse_utc(row[4]),
            state=cast("SessionState", row[5] or "interrupted"),
            planned_seconds=row[6],
            elapsed_seconds=row[7],
            exercise_count=row[8],
            exercises=tuple(exercises.get(row[0], ())),
        )
        for row in rows
    ]


def completed_starts(connection: sqlite3.Connection) -> list[datetime]:
    """When every completed session started: all a streak needs, however old."""
    return [
        parse_utc(row[0])
        for row in connection.execute("SELECT started FROM sessions WHERE state = 'completed'")
    ]


def last_completed(connection: sqlite3.Connection) -> dict[str, datetime]:
    """For each routine id, when a session of it last completed."""
    return {
        row[0]: parse_utc(row[1])
        for row in connection.execute(
            "SELECT routine_id, MAX(started) FROM sessions WHERE state = 'completed'"
            " GROUP BY routine_id"
        )
    }


def last_completed_end(connection: sqlite3.Connection) -> datetime | None:
    """When the most recently finished completed session ended, or None if none has."""
    row = connection.execute(
        "SELECT MAX(ended) FROM sessions WHERE state = 'completed' AND ended IS NOT NULL"
    ).fetchone()
    return None if row is None or row[0] is None else parse_utc(row[0])

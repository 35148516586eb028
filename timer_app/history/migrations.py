"""Provides the history database's tables and the migrations that bring any file up to date.

The version lives in `PRAGMA user_version`: 0 is a new, empty file, and migration N (1-based)
takes a file from version N-1 to N. Migrations only ever add; a file from a newer stretch-timer
(a higher version than we know) is left alone rather than "repaired".
"""

from __future__ import annotations

import sqlite3

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "NewerSchemaError", "migrate", "schema_version"]

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: sessions, and the outcome of each exercise in them.
    (
        # `started` and `ended` are UTC, ISO 8601 text ("2024-05-06T07:30:00Z"): they sort as
        # text and need none of sqlite3's (deprecated) datetime adapters. `state` is NULL until
        # the session ends; a row left that way was interrupted (a crash, kill -9, power loss).
        """
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            routine_id TEXT NOT NULL,
            title TEXT NOT NULL,
            started TEXT NOT NULL,
            ended TEXT,
            state TEXT CHECK (state IN ('completed', 'stopped')),
            planned_seconds REAL NOT NULL,
            elapsed_seconds REAL,
            paused_seconds REAL,
            exercise_count INTEGER NOT NULL,
            adjustments TEXT NOT NULL DEFAULT '',
            app_version TEXT NOT NULL DEFAULT ''
        )
        """,
        "CREATE INDEX sessions_by_start ON sessions (started)",
        # One row per exercise of a session, written when the exercise ends and rewritten if it
        # is done again (back, restart): the latest outcome wins.
        """
        CREATE TABLE exercises (
            session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            entry INTEGER NOT NULL,
            exercise_id TEXT NOT NULL,
            name TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('done', 'partial', 'skipped')),
            active_seconds REAL NOT NULL,
            planned_seconds REAL NOT NULL,
            recorded TEXT NOT NULL,
            PRIMARY KEY (session_id, entry)
        ) WITHOUT ROWID
        """,
    ),
    # 2: an exercise the session never reached is 'not-reached', no longer 'skipped'. SQLite
    # cannot change a CHECK constraint in place, so the table is copied into a new one.
    (
        """
        CREATE TABLE exercises_2 (
            session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            entry INTEGER NOT NULL,
            exercise_id TEXT NOT NULL,
            name TEXT NOT NULL,
            status TEXT NOT NULL
                CHECK (status IN ('done', 'partial', 'skipped', 'not-reached')),
            active_seconds REAL NOT NULL,
            planned_seconds REAL NOT NULL,
            recorded TEXT NOT NULL,
            PRIMARY KEY (session_id, entry)
        ) WITHOUT ROWID
        """,
        "INSERT INTO exercises_2 SELECT * FROM exercises",
        "DROP TABLE exercises",
        "ALTER TABLE exercises_2 RENAME TO exercises",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)


class NewerSchemaError(Exception):
    """The file was written by a newer stretch-timer; we must not touch it."""

    def __init__(self, version: int) -> None:
        super().__init__(f"schema version {version}, newer than this stretch-timer's")
        self.version = version


def schema_version(connection: sqlite3.Connection) -> int:
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    return int(version)


def migrate(connection: sqlite3.Connection) -> None:
    """Bring the file up to `SCHEMA_VERSION` (a connection in autocommit mode).

    Safe with other processes opening the same new file at once: the version is read again
    under the write lock, so only the first one migrates and the others find it done.
    """
    version = schema_version(connection)
    if version == SCHEMA_VERSION:
        return
    if version > SCHEMA_VERSION:
        raise NewerSchemaError(version)
    connection.execute("BEGIN IMMEDIATE")
    try:
        version = schema_version(connection)
        if version > SCHEMA_VERSION:
            raise NewerSchemaError(version)
        # Statement by statement, not executescript(): that would commit half-way.
        for statements in MIGRATIONS[version:]:
            for statement in statements:
                connection.execute(statement)
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")

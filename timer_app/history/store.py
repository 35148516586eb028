"""Provides `History`: the history database of one program run, opened safely or turned off.

Opening is where things go wrong, so it happens here and nowhere else:

- The data folder cannot be made or written (read-only, full, not a folder): history is off for
  this run, with one notice; sessions run as usual.
- The file is not a database or is damaged: it is renamed aside to
  `history.db.corrupt-<UTC time>` (never deleted), a new file is started, and the user is told
  once, with both names.
- The file comes from a newer stretch-timer: it is left untouched and history is off.

Reading (`open_for_reading`, for `stretch history` and the app's overview) never changes the
file: no folder is made, nothing is migrated, repaired or set aside, and a history in a folder
that cannot be written is still read. A damaged file is set aside only when writing. A file
with no schema yet (its creation cut short by a kill) reads as an empty history.

Each connection is in WAL mode (readers never wait for a writer, two programs can record at
once), with a busy timeout so concurrent writers queue instead of failing, and
`synchronous=FULL` so a committed write survives a power loss, not only a crash: an exercise
ends every minute or so, and one fsync per exercise is nothing next to losing a session.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from timer_app.history.migrations import SCHEMA_VERSION, NewerSchemaError, migrate, schema_version
from timer_app.history.records import utc_now

__all__ = ["BUSY_TIMEOUT_MS", "FILE_NAME", "History", "default_path"]

FILE_NAME = "history.db"
BUSY_TIMEOUT_MS = 5000
"""How long a write waits for another program's write to finish. Our transactions take
milliseconds; this only has to outlast a slow disk."""

_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_READONLY = 8
_SQLITE_CANTOPEN = 14
# sqlite3 result codes meaning the bytes are not (or no longer) a usable database.
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26


def default_path() -> Path:
    """`history.db` in the user's data folder (honours XDG_DATA_HOME on Linux)."""
    from timer_app.core.paths import data_dir

    return data_dir() / FILE_NAME


class _CorruptError(Exception):
    """The file is there but is not a sound database."""


class History:
    """The history file for one program run: connections to it, and whether it works.

    `notify` gets one line per problem, at most once each per run, from whatever thread found
    it (the caller makes it safe to call from any thread). Once history is off it stays off
    for the run: `open()` returns None and the sessions carry on without it.
    """

    def __init__(
        self,
        path: Path | None = None,
        *,
        notify: Callable[[str], None],
        now: Callable[[], datetime] = utc_now,
    ) -> None:
        self.path = path if path is not None else default_path()
        self._notify = notify
        self._now = now
        self._lock = threading.Lock()
        self._checked = False
        self.off_reason: str | None = None
        """Why history is off for this run, or None while it works."""
        self.read_problem: str | None = None
        """Why the file could not be read, when reading failed but writing may still work
        (a damaged file is set aside, an older one brought up to date, by the next write)."""

    @property
    def enabled(self) -> bool:
        return self.off_reason is None

    def turn_off(self, reason: str) -> None:
        """Stop recording for the rest of the run, saying why (only the first reason is told)."""
        with self._lock:
            first = self.off_reason is None
            if first:
                self.off_reason = reason
        if first:
            self._notify(reason)

    def failed(self, error: BaseException) -> None:
        """A read or write failed part-way (disk full, file removed, locked for too long)."""
        self.turn_off(
            f"History is off for the rest of this run: could not use {self.path} ({error})."
        )

    def open(self, *, create: bool = True) -> sqlite3.Connection | None:
        """A connection ready for use, or None when history is off or (without `create`)
        there is no file yet. The caller closes it.

        The connection is in autocommit mode (write with `records.transaction`) and may be used
        from any one thread at a time (`check_same_thread=False`): the recorder's calls come
        one after another from the engine's worker threads, never two at once.
        """
        if self.off_reason is not None:
            return None
        try:
            with self._lock:
                if not create and not self.path.exists():
                    return None
                return self._open_or_repair()
        except _Off as off:
            self.turn_off(str(off))
        except OSError as error:  # e.g. a data folder we may not even look into
            self.turn_off(f"History is off for this run: cannot use {self.path} ({error}).")
        return None

    def open_for_reading(self) -> sqlite3.Connection | None:
        """A read-only connection, or None when there is no file yet or it cannot be read
        (then, with one notice, history is off for this run). The caller closes it."""
        if self.off_reason is not None or not self.path.exists():
            return None
        left = "it was left as it is"
        if _not_sqlite(self.path):
            self._cannot_read(
                f"The history file {self.path} could not be read (file is not a database);"
                f" {left}, and it will be set aside when the next session is recorded."
            )
            return None
        try:
            connection = _connect_read_only(self.path)
        except sqlite3.DatabaseError as error:
            if _is_corrupt(error):
                self._cannot_read(
                    f"The history file {self.path} could not be read ({error}); {left}, and it"
                    " will be set aside when the next session is recorded."
                )
            else:
                self._cannot_read(f"The history file {self.path} could not be read ({error}).")
            return None
        version = schema_version(connection)
        if version == 0:
            # No schema yet: the file was being created when its program was stopped (killed
            # as a session started). Nothing was ever recorded in it, so it reads as an empty
            # history, and the next session that records sets it up.
            connection.close()
            self.read_problem = None
            return None
        if version != SCHEMA_VERSION:
            connection.close()
            if version > SCHEMA_VERSION:
                self.turn_off(
                    f"History is off: {self.path} was written by a newer stretch-timer"
                    f" ({NewerSchemaError(version)}); {left}."
                )
            else:
                self._cannot_read(
                    f"The history file {self.path} is from an older stretch-timer; it is"
                    " brought up to date when the next session is recorded."
                )
            return None
        self.read_problem = None
        return connection

    def _cannot_read(self, reason: str) -> None:
        # Said once per reason; writing stays on, since a write is what repairs the file.
        if reason != self.read_problem:
            self.read_problem = reason
            self._notify(reason)

    # ------------------------------------------------------------------------------ opening

    def _open_or_repair(self) -> sqlite3.Connection:
        folder = self.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise _Off(
                f"History is off for this run: cannot create the folder {folder}"
                f" ({error.strerror or error})."
            ) from None
        identity = _identity(self.path)
        try:
            return self._connect()
        except _CorruptError as error:
            reason = str(error)
        if _identity(self.path) != identity:
            # Another program found the same damaged file and has already put it aside and
            # started a new one; that new one is the file to use.
            return self._connect_or_off()
        backup = self._set_aside()
        self._notify(
            f"The history file {self.path} could not be read ({reason}). It was kept as"
            f" {backup.name} in the same folder, and a new history was started."
        )
        return self._connect_or_off()

    def _connect_or_off(self) -> sqlite3.Connection:
        try:
            return self._connect()
        except _CorruptError as error:
            raise _Off(f"History is off for this run: {self.path} is unusable ({error}).") from None

    def _connect(self) -> sqlite3.Connection:
        """Open, configure, check (once per run) and migrate; raises _CorruptError or _Off."""
        if _not_sqlite(self.path):
            # Found before SQLite opens it: SQLite would delete a write-ahead log beside a file
            # it cannot read when it closes, and that log belongs in the backup.
            raise _CorruptError("file is not a database")
        try:
            connection = sqlite3.connect(
                self.path,
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
        except sqlite3.Error as error:
            raise _Off(f"History is off for this run: cannot open {self.path} ({error}).") from None
        try:
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            _use_wal(connection)
            connection.execute("PRAGMA synchronous = FULL")
            connection.execute("PRAGMA foreign_keys = ON")
            if not self._checked:
                # Once per run: a file damaged on disk is found before a session relies on it.
                # It reads every page, which for years of sessions is a few milliseconds.
                problems = [row[0] for row in connection.execute("PRAGMA quick_check")]
                if problems != ["ok"]:
                    raise _CorruptError("; ".join(str(p) for p in problems[:3]))
            migrate(connection)
            self._checked = True
        except NewerSchemaError as error:
            connection.close()
            raise _Off(
                f"History is off: {self.path} was written by a newer stretch-timer"
                f" ({error}); it was left as it is."
            ) from None
        except sqlite3.DatabaseError as error:
            connection.close()
            if _is_corrupt(error):
                raise _CorruptError(str(error)) from None
            raise _Off(f"History is off for this run: cannot use {self.path} ({error}).") from None
        except BaseException:
            connection.close()
            raise
        return connection

    def _set_aside(self) -> Path:
        """Rename the damaged file (and its WAL) aside, keeping them; returns the new name."""
        stamp = self._now().strftime("%Y%m%dT%H%M%SZ")
        backup = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        number = 1
        while backup.exists():
            number += 1
            backup = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{number}")
        try:
            os.rename(self.path, backup)
        except OSError as error:
            raise _Off(
                f"History is off for this run: {self.path} is damaged and could not be moved"
                f" aside ({error.strerror or error})."
            ) from None
        # The write-ahead log belongs to the old file; left in place, SQLite could replay it
        # into the new one. It goes with the backup; the shared-memory index is rebuilt.
        with contextlib.suppress(OSError):
            os.rename(f"{self.path}-wal", f"{backup}-wal")
        with contextlib.suppress(OSError):
            os.unlink(f"{self.path}-shm")
        return backup


class _Off(Exception):
    """History cannot work this run; the message says why, for the user."""


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """Open without writing: `mode=ro`, or `immutable=1` where even that cannot work.

    A WAL database opened read-only needs its shared-memory file (`-shm`); in a folder that
    cannot be written and where none is left, only an immutable open can read it. That open
    skips the write-ahead log, which is empty once every program that wrote has closed.
    """
    uri = path.resolve().as_uri()
    connection = sqlite3.connect(f"{uri}?mode=ro", uri=True, check_same_thread=False)
    try:
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return connection
    except sqlite3.OperationalError as error:
        connection.close()
        code = getattr(error, "sqlite_errorcode", 0) & 0xFF
        if code in (_SQLITE_READONLY, _SQLITE_CANTOPEN):
            immutable = sqlite3.connect(
                f"{uri}?mode=ro&immutable=1", uri=True, check_same_thread=False
            )
            immutable.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return immutable
        raise
    except BaseException:
        connection.close()
        raise


def _use_wal(connection: sqlite3.Connection) -> None:
    """Put the file in WAL mode (it stays so), waiting for other programs if need be.

    Switching needs a moment of exclusive access, and SQLite answers "database is locked" at
    once instead of calling the busy handler; two programs opening a new file together meet
    that, so it is retried here for as long as the busy timeout.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                connection.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            code = getattr(error, "sqlite_errorcode", _SQLITE_BUSY)
            if code & 0xFF not in (_SQLITE_BUSY, _SQLITE_LOCKED) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_dev, status.st_ino


_HEADER = b"SQLite format 3\x00"


def _not_sqlite(path: Path) -> bool:
    """True for a file with something in it that does not start as an SQLite file does."""
    try:
        with path.open("rb") as stream:
            head = stream.read(len(_HEADER))
    except OSError:
        return False  # missing or unreadable: SQLite will create it or say what is wrong
    return bool(head) and head != _HEADER


def _is_corrupt(error: sqlite3.DatabaseError) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    text = str(error).lower()
    return "not a database" in text or "malformed" in text

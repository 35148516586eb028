"""Provides `HistoryRecorder`: the engine listener that writes a session to history as it goes.

What is written, each in its own short transaction:

- `SessionStarted`: the session's row (no end state yet).
- `ExerciseEnded`: that exercise's outcome and stretching seconds so far, as the engine gives
  them. `back` can return to an exercise; the row is keyed by (session, exercise) and rewritten
  when it ends again, so the latest outcome wins.
- `Finished`: the engine's outcomes for every exercise (those never reached included) and the
  end state, together. The exercise under way at the end has just been written by its
  `ExerciseEnded`; it is written again, unchanged, rather than have each write depend on what
  comes after it.

So a crash, `kill -9` or power loss loses at most the exercise in progress, and the session
reads as interrupted. The recorder works nothing out itself: the engine's events say when an
exercise ends and what became of it.

Register it with `engine.add_listener(recorder, blocking=True)`: the file is written from the
engine's worker threads, one event after another, never on the event loop.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Callable
from datetime import datetime

from timer_app import __version__
from timer_app.core.plan import Plan
from timer_app.history.records import (
    ExerciseRecord,
    end_session,
    save_exercises,
    start_session,
    utc_now,
)
from timer_app.history.store import History
from timer_app.session.events import (
    Event,
    ExerciseEnded,
    ExerciseOutcome,
    Finished,
    SessionStarted,
)

__all__ = ["HistoryRecorder"]


class HistoryRecorder:
    """Records one session of `plan` into `history`. Call it with each event, in order.

    It never raises for a database problem: the first one turns history off for the run (one
    notice, through `History`) and the session goes on unrecorded.
    """

    def __init__(
        self, history: History, plan: Plan, *, now: Callable[[], datetime] = utc_now
    ) -> None:
        self.history = history
        self.plan = plan
        self._now = now
        self.session_id: int | None = None
        """The session's row id, once it is written."""
        self.done = threading.Event()
        """Set once the session's last write is over (or history is off): wait on this before
        reading the history back, e.g. for today's total on the summary."""
        self._connection: sqlite3.Connection | None = None
        self._stopped = False
        self._outcomes: dict[int, ExerciseOutcome] = {}
        """Each exercise's outcome as it last ended (or as Finished gave it, if never reached)."""

    def __call__(self, event: Event) -> None:
        try:
            if not self._stopped:
                self._handle(event)
        except (sqlite3.Error, OSError) as error:
            self._stopped = True
            self._close()
            self.history.failed(error)
        finally:
            if isinstance(event, Finished):
                self._stopped = True
                self._close()
                self.done.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the session's last write is over; False if `timeout` ran out first."""
        return self.done.wait(timeout)

    # ------------------------------------------------------------------------------ events

    def _handle(self, event: Event) -> None:
        if isinstance(event, SessionStarted):
            self._start()
        elif isinstance(event, ExerciseEnded):
            self._outcomes[event.outcome.entry] = event.outcome
            self._save(event.outcome)
        elif isinstance(event, Finished):
            for outcome in event.outcomes:
                self._outcomes.setdefault(outcome.entry, outcome)
            self._finish(event)

    def _start(self) -> None:
        connection = self.history.open()
        if connection is None:
            self._stopped = True  # history is off; the notice has been given
            return
        self._connection = connection
        routine = self.plan.routine
        self.session_id = start_session(
            connection,
            routine_id=routine.id,
            title=routine.title,
            started=self._now(),
            planned_seconds=self.plan.total,
            exercise_count=len(routine.entries),
            adjustments=self.plan.overrides.describe(),
            app_version=__version__,
        )

    def _save(self, outcome: ExerciseOutcome) -> None:
        if self._connection is None or self.session_id is None:
            return
        save_exercises(self._connection, self.session_id, [_record(outcome)], recorded=self._now())

    def _finish(self, finished: Finished) -> None:
        if self._connection is None or self.session_id is None:
            return
        end_session(
            self._connection,
            self.session_id,
            ended=self._now(),
            completed=finished.completed,
            elapsed_seconds=finished.elapsed,
            paused_seconds=finished.paused,
            exercises=[_record(outcome) for outcome in finished.outcomes],
        )

    def outcome(self, entry: int) -> ExerciseRecord:
        """What was recorded for exercise `entry` when it last ended; for an exercise the session
        never reached, what `Finished` says of it. Raises LookupError before either."""
        try:
            return _record(self._outcomes[entry])
        except KeyError:
            raise LookupError(f"exercise {entry} has not ended in this session") from None

    def _close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(sqlite3.Error):
                connection.close()


def _record(outcome: ExerciseOutcome) -> ExerciseRecord:
    return ExerciseRecord(
        entry=outcome.entry,
        exercise_id=outcome.exercise.id,
        name=outcome.exercise.name,
        status=outcome.status,
        active_seconds=outcome.active,
        planned_seconds=outcome.planned_active,
    )

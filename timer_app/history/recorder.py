"""Provides `HistoryRecorder`: the engine listener that writes a session to history as it goes.

What is written, each in its own short transaction:

- `SessionStarted`: the session's row (no end state yet).
- An exercise ends (a step of another exercise starts): that exercise's outcome and stretching
  seconds so far. `back` can return to an exercise; the row is keyed by (session, exercise) and
  rewritten when it ends again, so the latest outcome wins.
- `Finished`: the engine's own outcomes for every exercise, and the end state.

So a crash, `kill -9` or power loss loses at most the exercise in progress, and the session
reads as interrupted. The outcome of an exercise mid-session is worked out from the events
exactly as the engine does at the end (`Engine._outcomes`): cumulative stretching time, and
`done` once every stretching step of it has run to its end at least once.

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
from timer_app.core.steps import ACTIVE_KINDS
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
    ExerciseOutcome,
    Extended,
    Finished,
    OutcomeStatus,
    SessionStarted,
    StepEnded,
    StepStarted,
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
        entries = len(plan.routine.entries)
        self._active_steps: list[frozenset[int]] = [
            frozenset(s.index for s in plan.steps if s.entry == e and s.kind in ACTIVE_KINDS)
            for e in range(entries)
        ]
        self._active = [0.0] * entries
        """Seconds stretched per exercise, every attempt counted (as the engine counts)."""
        self._completed: set[int] = set()
        """Stretching steps that ran to their end at least once."""
        self._current: int | None = None
        """The exercise (entry) of the current step."""
        self._extended = 0.0
        """Net seconds the current step was lengthened by."""

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
        elif isinstance(event, StepStarted):
            entry = event.step.entry
            if self._current is not None and entry != self._current:
                self._save(self._current)
            self._current = entry
            self._extended = 0.0
        elif isinstance(event, Extended):
            self._extended += event.by
        elif isinstance(event, StepEnded):
            step = event.step
            if step.kind in ACTIVE_KINDS:
                # A step runs only while its clock runs, so what ran of it is its length (with
                # any extension) less what was left. After a clock jump the engine reruns the
                # step from its start and forgets the lost part; this formula does the same.
                ran = max(0.0, step.duration + self._extended - event.remaining)
                self._active[step.entry] += ran
                if event.how == "completed":
                    self._completed.add(step.index)
        elif isinstance(event, Finished):
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

    def _save(self, entry: int) -> None:
        if self._connection is None or self.session_id is None:
            return
        save_exercises(
            self._connection, self.session_id, [self.outcome(entry)], recorded=self._now()
        )

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
        """The exercise's outcome so far, by the engine's own rule."""
        steps = self._active_steps[entry]
        active = round(self._active[entry], 6)
        status: OutcomeStatus
        if steps and steps <= self._completed:
            status = "done"
        elif active <= 0:
            status = "skipped"
        else:
            status = "partial"
        exercise = self.plan.routine.entries[entry].exercise
        return ExerciseRecord(
            entry=entry,
            exercise_id=exercise.id,
            name=exercise.name,
            status=status,
            active_seconds=active,
            planned_seconds=sum(self.plan.steps[i].duration for i in steps),
        )

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

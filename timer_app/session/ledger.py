"""Provides `TimeLedger`: where a session's seconds went, and what became of each exercise.

The engine books time here as it happens (step-clock time as each running stretch closes,
pauses and count-ins as they end, what controls skip, redo or add); the ledger adds it up by
kind and by exercise, and turns it into each exercise's `ExerciseOutcome` and the totals of
`Finished`. It keeps no clock and no state of the session: the engine decides what to book.
"""

from __future__ import annotations

from timer_app.core.plan import Plan, Step
from timer_app.core.steps import ACTIVE_KINDS
from timer_app.session.events import ExerciseOutcome, Finished, OutcomeStatus

__all__ = ["TimeLedger"]


class TimeLedger:
    """The time accounts of one session of `plan`; every figure is in seconds."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.running = 0.0
        """Step-clock time run, any kind of step."""
        self.active = 0.0
        """Of `running`, the time spent stretching (hold, on, off and timed steps)."""
        self.paused = 0.0
        """Time paused, including time lost to a clock jump."""
        self.counting_in = 0.0
        """Time spent in resume count-ins."""
        self.extended = 0.0
        """Net time added by extend and shorten."""
        self.skipped = 0.0
        """Planned time not run: skipped steps, and what was left of steps left early."""
        self.redone = 0.0
        """Planned time run again because of back or restart."""
        entries = range(len(plan.routine.entries))
        spans = plan.spans
        self._stretching: list[tuple[Step, ...]] = [
            spans[e].stretches if e in spans else () for e in entries
        ]
        """Each exercise's stretching steps: the ones its outcome is judged by."""
        self._entry_active = [0.0 for _ in entries]
        """Stretching time per exercise, every attempt counted."""
        self._completed: set[int] = set()
        """Steps that ran to their deadline at least once."""
        self._entered: set[int] = set()
        """Exercises the session reached (a step of theirs started)."""
        self._stopped_in: int | None = None
        """The exercise the session was stopped in, if it was stopped."""

    def entered(self, entry: int) -> None:
        """A step of exercise `entry` started: the session reached it."""
        self._entered.add(entry)

    def stopped(self, entry: int) -> None:
        """The session was stopped during exercise `entry`."""
        self._stopped_in = entry

    def ran(self, step: Step, seconds: float) -> None:
        """The step clock ran `seconds` of `step`."""
        self.running += seconds
        if step.kind in ACTIVE_KINDS:
            self.active += seconds
            self._entry_active[step.entry] += seconds

    def unran(self, step: Step, seconds: float) -> None:
        """`seconds` booked as run of `step` no longer count (a clock jump: nobody knows how
        much of the step was really done, so it runs again from its start)."""
        self.ran(step, -seconds)

    def completed(self, step: Step) -> None:
        """`step` ran to its deadline."""
        self._completed.add(step.index)

    def outcome(self, entry: int) -> ExerciseOutcome:
        """What has become of exercise `entry` so far, every attempt at it counted."""
        stretching = self._stretching[entry]
        active = round(self._entry_active[entry], 6)
        status: OutcomeStatus
        if stretching and all(s.index in self._completed for s in stretching):
            status = "done"
        elif entry not in self._entered:
            status = "not-reached"  # the session ended (or jumped) before it came to this one
        elif active <= 0 and entry == self._stopped_in:
            # Stopped in its get-ready: nobody chose to skip it, and nothing of it was stretched.
            status = "not-reached"
        elif active <= 0:
            status = "skipped"
        else:
            status = "partial"
        return ExerciseOutcome(
            entry=entry,
            exercise=self.plan.routine.entries[entry].exercise,
            status=status,
            active=active,
            planned_active=round(sum(s.duration for s in stretching), 6),
        )

    def finished(
        self, *, at: float, completed: bool, elapsed: float, began: bool = True
    ) -> Finished:
        """The `Finished` event for a session that ends now, after `elapsed` seconds."""
        return Finished(
            at=at,
            began=began,
            completed=completed,
            outcomes=tuple(self.outcome(e) for e in range(len(self._stretching))),
            elapsed=round(elapsed, 6),
            running=round(self.running, 6),
            active=round(self.active, 6),
            paused=round(self.paused, 6),
            counting_in=round(self.counting_in, 6),
            extended=round(self.extended, 6),
            skipped=round(self.skipped, 6),
            redone=round(self.redone, 6),
        )

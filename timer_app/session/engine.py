"""Provides the session engine: walks a compiled plan in real time and tells its listeners.

The engine keeps one absolute deadline per step on an injected clock and sleeps until it. A step
that ends on time hands its deadline to the next step as its start, so lateness in waking up is
never added to the session. Controls (pause, skip, back, ...) can be called at any moment from the
event loop's thread; they change the state at once, send their events, and wake the runner so it
sleeps towards the new deadline.

Listeners get every event in order, each from its own queue and task (`listeners.Listeners`), so
a slow or failing listener never holds up the clock or the other listeners.
"""

from __future__ import annotations

import asyncio
import math
from typing import Literal

from timer_app.core.plan import Plan, Progress, Step
from timer_app.core.steps import KINDS
from timer_app.session.clock import Clock, MonotonicClock
from timer_app.session.events import (
    ClockJumped,
    CountIn,
    Cue,
    Event,
    ExerciseEnded,
    Extended,
    Finished,
    Paused,
    Resumed,
    SessionStarted,
    SkipHeld,
    Skipped,
    StepEnd,
    StepEnded,
    StepStarted,
    WentBack,
)
from timer_app.session.ledger import TimeLedger
from timer_app.session.listeners import Listener, Listeners

__all__ = [
    "BACK_RESTARTS_AFTER",
    "JUMP_THRESHOLD",
    "Engine",
    "Listener",
    "State",
]

State = Literal["idle", "running", "paused", "counting-in", "finished"]

HALFWAY_MIN = 20.0
"""Shorter holds get no halfway cue: it would crowd the countdown."""
COUNTDOWN = (3, 2, 1)

JUMP_THRESHOLD = 2.0
"""Waking this much after a deadline means the process was frozen, not merely busy."""
BACK_RESTARTS_AFTER = 3.0
"""`back()` restarts the exercise after this much of it has run, else goes to the previous one."""
SKIP_HOLD = 1.0
"""A skip this soon after an exercise began by itself is held once (`SkipHeld`): a person who
pressed to leave the exercise that has just ended would otherwise lose the next one."""
MIN_REMAINING = 1.0
"""`shorten` never leaves less than this in a step: the person needs a moment to react."""
STALE_COUNTDOWN = 1.0
"""A countdown cue later than this would collide with the next one; it is dropped."""
STALE_HALFWAY = 2.0
CANCEL_GRACE = 0.25
"""Real seconds the listeners get to take `Finished` when `run()` is cancelled: the app is
closing and must not hang on a listener that is stuck."""
EPSILON = 1e-9
"""Times closer than this are the same instant (deadlines are rounded to the nanosecond)."""


def _round(t: float) -> float:
    # Plans are in milliseconds; rounding deadlines to the nanosecond stops float sums such as
    # 0.1 + 0.2 drifting away from the plan's own offsets over hundreds of steps.
    return round(t, 9)


class Engine:
    """Runs one session of a plan. Create, add listeners, `await run()`; controls any time.

    Controls (`start`, `pause`, `resume`, `toggle_pause`, `skip`, `back`, `next_step`, `end_wait`,
    `extend`, `shorten`, `restart_exercise`, `stop`) are plain methods for the event loop's
    thread: call them from a coroutine or a callback. They act at once and return whether
    anything changed.
    From another thread, use `loop.call_soon_threadsafe(engine.pause)`.

    Read API for a UI that polls: `state`, `step`, `index`, `deadline`, `remaining()`,
    `step_length()`, `count_in_remaining()`, `elapsed()`, `time_paused()`,
    `session_remaining()`, `finished`, `waiting`.
    """

    def __init__(
        self,
        plan: Plan,
        *,
        clock: Clock | None = None,
        count_in: float = 3.0,
        listener_grace: float = 2.0,
        count_rests: bool = False,
    ) -> None:
        """`count_in`: seconds of GET READY when resuming (0 turns it off).
        `listener_grace`: real seconds `run()` waits at the end for listeners to catch up.
        `count_rests`: rests count down their last 3 seconds too (`count_last` in settings)."""
        if not (math.isfinite(count_in) and count_in >= 0):
            raise ValueError(f"count_in must be 0 or more seconds, not {count_in!r}")
        self.plan = plan
        self.clock: Clock = clock if clock is not None else MonotonicClock()
        self.count_in = count_in
        self.listener_grace = listener_grace
        self.count_rests = count_rests
        """Rests send countdown cues too, as prepare, hold and timed steps always do; a
        listener attached before the start may turn it on (`Companions.attach` does)."""
        self._listeners = Listeners()
        self._wake: asyncio.Future[None] | None = None

        self._state: State = "idle"
        self._stop_requested = False
        self._start_signal: asyncio.Future[None] | None = None
        """Set while `run(wait_for_start=True)` waits for `start()`."""
        self._index: int | None = None
        self._origin = 0.0
        self._deadline = 0.0
        """End of the current step (valid while running or counting in)."""
        self._frozen = 0.0
        """Time left in the current step while paused or counting in."""
        self._segment_start: float | None = None
        """When the step clock last started running (None when it is not running)."""
        self._pause_start = 0.0
        self._count_in_start = 0.0
        self._count_in_end = 0.0
        self._count_in_fired: set[int] = set()
        self._cues_fired: set[tuple[str, int]] = set()

        self._attempt_ran = 0.0
        """Seconds run of the current step, segments before the last pause."""
        self._attempt_ext = 0.0
        """Seconds the current step was extended by (negative when shortened)."""
        self._progress_from = 0.0
        """Plan time done when the current step's time left was last set (its start, or an
        extend or shorten)."""
        self._progress_over = 0.0
        """The step's time left at that moment: the rest of its share fills over it."""
        self._exercise_ran = 0.0
        self._skip_held_until: float | None = None
        """Until when a skip is held: set as an exercise begins by itself, cleared by a held
        skip (so pressing again goes through) and by any control that changes exercise."""
        """Seconds run of the current exercise since it (re)started, before the last pause."""

        self._ledger = TimeLedger(plan)
        """Where the session's time went, per kind and per exercise (see `ledger`)."""
        self._finished: Finished | None = None

    # ----------------------------------------------------------------- listeners

    def add_listener(self, fn: Listener, *, blocking: bool = False) -> None:
        """Send every later event to `fn` (a function or coroutine function), in order.

        `blocking=True` runs a plain function in a worker thread, for listeners that block
        (playing a sound synchronously, writing a file); otherwise it runs on the loop thread.
        Exceptions are logged and the session carries on.
        """
        self._listeners.add(fn, blocking=blocking)

    def remove_listener(self, fn: Listener) -> None:
        """Stop sending events to `fn`; events already queued for it are dropped."""
        self._listeners.remove(fn)

    def _emit(self, event: Event) -> None:
        self._listeners.emit(event)

    # ----------------------------------------------------------------- read API

    @property
    def state(self) -> State:
        return self._state

    @property
    def waiting(self) -> bool:
        """`run(wait_for_start=True)` is waiting for `start()`: the clock has not started."""
        return self._start_signal is not None and not self._start_signal.done()

    @property
    def index(self) -> int | None:
        """Index of the current step in `plan.steps`; None before the start and after the end."""
        return self._index

    @property
    def step(self) -> Step | None:
        """The current step; None before the start and after the end."""
        return None if self._index is None else self.plan.steps[self._index]

    @property
    def deadline(self) -> float | None:
        """When the current step ends on `clock`; None unless running or counting in."""
        return self._deadline if self._state in ("running", "counting-in") else None

    @property
    def finished(self) -> Finished | None:
        """The Finished event once the session is over."""
        return self._finished

    def remaining(self) -> float:
        """Seconds left in the current step (excluding any count-in); never negative."""
        if self._state == "running":
            return max(0.0, self._deadline - self.clock.now())
        if self._state in ("paused", "counting-in"):
            return self._frozen
        return 0.0

    def progress(self) -> Progress | None:
        """How the current step's share of the plan fills as its time runs (None with no
        step): `Progress.done(remaining())` is how far through the plan the session is."""
        step = self.step
        if step is None:
            return None
        return Progress(self._progress_from, step.end, self._progress_over)

    def plan_done(self) -> float:
        """How far through the plan the session is, in planned seconds. A step made longer
        fills its share of the plan more slowly from then on, rather than taking back what
        was done, so progress bars only ever fill (until back or a restart)."""
        progress = self.progress()
        if progress is None:
            return self.plan.total if self._state == "finished" else 0.0
        return progress.done(self.remaining())

    def step_length(self) -> float:
        """The current step's length as it now stands: as planned, plus what extend and
        shorten changed (0 with no step). `step_length() - remaining()` is the time it ran."""
        step = self.step
        return 0.0 if step is None else step.duration + self._attempt_ext

    def count_in_remaining(self) -> float:
        """Seconds left of the resume count-in (GET READY); 0 when not counting in."""
        if self._state != "counting-in":
            return 0.0
        return max(0.0, self._count_in_end - self.clock.now())

    def elapsed(self) -> float:
        """Session time so far, pauses included; frozen at the end."""
        if self._finished is not None:
            return self._finished.elapsed
        if self._state == "idle":
            return 0.0
        return max(0.0, self.clock.now() - self._origin)

    def time_paused(self) -> float:
        """Seconds the session has spent paused so far, the pause under way included."""
        paused = self._ledger.paused
        if self._state == "paused":
            paused += max(0.0, self.clock.now() - self._pause_start)
        return paused

    def session_remaining(self) -> float:
        """Planned seconds left: the rest of this step and every later step."""
        if self._index is None:
            return self.plan.total if self._state == "idle" else 0.0
        later = self.plan.total - self.plan.steps[self._index].end
        return self.remaining() + later

    # ----------------------------------------------------------------- running

    async def run(self, *, wait_for_start: bool = False) -> Finished:
        """Run the session to its end and return the Finished event (also sent to listeners).

        `wait_for_start`: first wait, in the idle state, until `start()` (or `stop()`) is called;
        the session's clock starts then. (A person following on a phone needs a moment to open
        the page before the first get-ready runs out.) Cancelled while it waits, nothing has
        begun: no event is sent, and the cancellation goes on.

        If the task running this is cancelled once the session has begun, it finishes as stopped
        (unless it is already over), listeners get a moment to take Finished, and the
        cancellation goes on. A second cancellation during that moment cuts it short. Either
        way no listener's task outlives the session.
        """
        if self._state != "idle":
            raise RuntimeError("a session engine runs once; make a new Engine for a new session")
        if wait_for_start and not self._stop_requested:
            self._start_signal = asyncio.get_running_loop().create_future()
            try:
                await self._start_signal
            finally:
                # Cancelled while waiting: nothing had started, so there is nothing to end.
                self._start_signal.cancel()
        self._listeners.start()
        now = self.clock.now()
        self._origin = now
        self._state = "running"
        if self._stop_requested:
            # Stopped before it started (while it waited for its person): it never began, so
            # listeners get its end alone, and history has no session to record.
            self._ledger.skipped += self.plan.total
            self._finish(now, completed=False, began=False)
        else:
            self._emit(
                SessionStarted(
                    at=0.0, clock_start=now, total=self.plan.total, steps=len(self.plan.steps)
                )
            )
            if self.plan.steps:
                self._enter(0, now)
            else:
                self._finish(now, completed=True)
        try:
            try:
                while not self._over():
                    await self._sleep(self._wake_target())
                    self._catch_up()
                await self._listeners.catch_up(self.listener_grace)
            except (asyncio.CancelledError, Exception):
                # Cancelled (the app is closing) or a broken clock, during the session or while
                # the listeners catch up at its end: the session still ends for the listeners
                # (`stop` does nothing once it has), and they get a last moment to hear it, so
                # history records how it ended; then the error goes on.
                self.stop()
                await self._listeners.catch_up(min(self.listener_grace, CANCEL_GRACE))
                raise
        finally:
            # Whatever happened, no listener task outlives the session (a task left pending
            # is reported as destroyed when the engine is collected).
            await self._listeners.close()
        assert self._finished is not None
        return self._finished

    def _wake_target(self) -> float | None:
        if self._state == "running":
            times = [t for key, t, _ in self._cues() if key not in self._cues_fired]
            return min([self._deadline, *times])
        if self._state == "counting-in":
            times = [t for k, t in self._count_in_cues() if k not in self._count_in_fired]
            return min([self._count_in_end, *times])
        return None  # paused: only a control can change anything

    async def _sleep(self, target: float | None) -> None:
        loop = asyncio.get_running_loop()
        wake: asyncio.Future[None] = loop.create_future()
        self._wake = wake
        sleeper = None if target is None else loop.create_task(self.clock.sleep_until(target))
        failure: BaseException | None = None
        try:
            await asyncio.wait(
                [wake] if sleeper is None else [wake, sleeper],
                return_when=asyncio.FIRST_COMPLETED,
            )
        finally:
            self._wake = None
            if sleeper is not None:
                # A clock that failed to sleep would have the runner spin on it; its error ends
                # the session instead (see `run`). Read here, even when we are being cancelled,
                # so that asyncio never reports it as never retrieved.
                if sleeper.done() and not sleeper.cancelled():
                    failure = sleeper.exception()
                sleeper.cancel()
        if failure is not None:
            raise failure

    def _poke(self) -> None:
        """Wake the runner: the deadline it sleeps towards may have changed."""
        if self._wake is not None and not self._wake.done():
            self._wake.set_result(None)

    def _catch_up(self) -> float:
        """Do whatever is due by now: cues, step ends, the end of a count-in. Returns now.

        Both the runner and every control call this first, so a control never acts on a step
        that has in fact already ended.
        """
        now = self.clock.now()
        while True:
            if self._state == "counting-in":
                if now < self._count_in_end:
                    self._fire_count_in(now)
                    break
                if now - self._count_in_end > JUMP_THRESHOLD:
                    self._jumped(now, now - self._count_in_end)
                    break
                self._ledger.counting_in += self._count_in_end - self._count_in_start
                self._state = "running"
                self._segment_start = self._count_in_end
                step = self.step
                assert step is not None
                self._emit(CountIn(at=self._at(self._count_in_end), step=step, seconds=0))
                continue
            if self._state == "running":
                # Re-check rather than trust the wakeup: sleeps may end a little early.
                if now < self._deadline:
                    self._fire_cues(now)
                    break
                if now - self._deadline > JUMP_THRESHOLD:
                    self._jumped(now, now - self._deadline)
                    break
                self._complete(self._deadline)
                continue
            break
        return now

    # ----------------------------------------------------------------- cues

    def _cues(self) -> list[tuple[tuple[str, int], float, int]]:
        """(key, clock time, seconds) of the current step's cues, from its current deadline."""
        step = self.plan.steps[self._index] if self._index is not None else None
        if step is None:
            return []
        length = self.step_length()
        cues: list[tuple[tuple[str, int], float, int]] = []
        if KINDS[step.kind].halfway and step.duration >= HALFWAY_MIN:
            half = length / 2
            cues.append((("halfway", 0), self._deadline - half, round(half)))
        if KINDS[step.kind].countdown or (self.count_rests and step.kind == "rest"):
            cues.extend((("countdown", k), self._deadline - k, k) for k in COUNTDOWN if k < length)
        return cues

    def _fire_cues(self, now: float) -> None:
        step = self.step
        assert step is not None
        due = [
            (key, t, seconds)
            for key, t, seconds in self._cues()
            if key not in self._cues_fired and t <= now + EPSILON
        ]
        # Of several countdown cues due at once (after a late wakeup) only the last one still
        # means anything; saying "3 2 1" in one breath would be noise.
        countdowns = [cue for cue in due if cue[0][0] == "countdown"]
        latest = min(countdowns, key=lambda cue: cue[2]) if countdowns else None
        # A cue whose moment fell while the step clock stood still (a resume or an extension
        # moved the deadline past it) never happened for the person; it is dropped, not sent late.
        running_since = self._segment_start if self._segment_start is not None else now
        for key, t, seconds in sorted(due, key=lambda cue: cue[1]):
            self._cues_fired.add(key)
            stale = STALE_COUNTDOWN if key[0] == "countdown" else STALE_HALFWAY
            if key[0] == "countdown" and (key, t, seconds) != latest:
                continue
            if now - t >= stale or t < running_since - EPSILON:
                continue
            kind: Literal["countdown", "halfway"] = (
                "countdown" if key[0] == "countdown" else "halfway"
            )
            self._emit(Cue(at=self._at(t), step=step, kind=kind, seconds=seconds))

    def _count_in_cues(self) -> list[tuple[int, float]]:
        whole = math.floor(self._count_in_end - self._count_in_start + 1e-9)
        return [(k, self._count_in_end - k) for k in range(whole, 0, -1)]

    def _fire_count_in(self, now: float) -> None:
        step = self.step
        assert step is not None
        due = [
            (k, t)
            for k, t in self._count_in_cues()
            if k not in self._count_in_fired and t <= now + EPSILON
        ]
        if not due:
            return
        latest = min(k for k, _ in due)
        for k, t in due:
            self._count_in_fired.add(k)
            if k == latest and now - t < STALE_COUNTDOWN:
                self._emit(CountIn(at=self._at(t), step=step, seconds=k))

    # ----------------------------------------------------------------- transitions

    def _at(self, t: float) -> float:
        return round(t - self._origin, 6)

    def _enter(
        self, index: int, t: float, *, starts_over: bool = False, by_itself: bool = False
    ) -> None:
        """Make step `index` current at time `t`, in whatever state the session is in.

        `starts_over`: the step is the first of an exercise gone back to (restart, or back),
        so `back` counts that exercise's running time from here. `by_itself`: the step before
        ran to its end (no control brought this one on)."""
        step = self.plan.steps[index]
        previous = self.step
        new_exercise = previous is None or previous.entry != step.entry
        if new_exercise or starts_over:
            self._skip_held_until = t + SKIP_HOLD if by_itself and previous else None
        self._index = index
        self._attempt_ran = 0.0
        self._attempt_ext = 0.0
        self._progress_from = step.start
        self._progress_over = step.duration
        self._cues_fired.clear()
        if new_exercise or starts_over:
            self._exercise_ran = 0.0
        deadline: float | None
        if self._state == "running":
            self._segment_start = t
            self._deadline = deadline = _round(t + step.duration)
        elif self._state == "counting-in":
            # The count-in is for the person getting back into position, whatever the step.
            self._frozen = step.duration
            self._deadline = deadline = _round(self._count_in_end + step.duration)
        else:
            self._frozen = step.duration
            deadline = None
        self._ledger.entered(step.entry)
        self._emit(
            StepStarted(
                at=self._at(t),
                step=step,
                new_exercise=new_exercise,
                after_done=new_exercise and by_itself and previous is not None,
                deadline=deadline,
                remaining_steps=len(self.plan.steps) - index,
                session_remaining=round(self.plan.total - step.start, 6),
            )
        )

    def _close_segment(self, t: float) -> None:
        """Stop the step clock at `t` and book the time it ran."""
        if self._segment_start is None:
            return
        ran = max(0.0, t - self._segment_start)
        self._segment_start = None
        self._book(ran)

    def _book(self, ran: float) -> None:
        step = self.step
        assert step is not None
        self._attempt_ran += ran
        self._exercise_ran += ran
        self._ledger.ran(step, ran)

    def _step_remaining(self, now: float) -> float:
        if self._state == "running":
            return max(0.0, self._deadline - now)
        return self._frozen

    def _complete(self, deadline: float) -> None:
        """The current step ran to its deadline; the next one starts at that very deadline."""
        step = self.step
        assert step is not None
        self._close_segment(deadline)
        self._ledger.completed(step)
        self._emit(StepEnded(at=self._at(deadline), step=step, how="completed", remaining=0.0))
        following = step.index + 1
        self._exercise_left(step, following, "completed", deadline)
        if following >= len(self.plan.steps):
            self._finish(deadline, completed=True)
        else:
            self._enter(following, deadline, by_itself=True)

    def _leave(self, now: float, how: StepEnd) -> Step:
        """End the current step early at `now`; what was left of it counts as skipped."""
        step = self.step
        assert step is not None
        left = self._step_remaining(now)
        if self._state == "running":
            self._close_segment(now)
        self._ledger.skipped += left
        self._emit(StepEnded(at=self._at(now), step=step, how=how, remaining=round(left, 6)))
        return step

    def _exercise_left(self, step: Step, target: int, how: StepEnd, t: float) -> None:
        """Going from `step` (just ended) to step `target` (past the last: the end): if that
        leaves `step`'s exercise, tell the listeners what became of it."""
        steps = self.plan.steps
        if target < len(steps) and steps[target].entry == step.entry:
            return  # the same exercise goes on, or starts over: it has not ended
        outcome = self._ledger.outcome(step.entry)
        self._emit(ExerciseEnded(at=self._at(t), outcome=outcome, how=how))

    def _jumped(self, now: float, late_by: float) -> None:
        """The process was frozen past a deadline: pause here, and do this step again."""
        step = self.step
        assert step is not None
        if self._state == "running":
            # Nobody knows how much of the step was really done before the freeze, so none of it
            # counts: its run time becomes paused time and the whole step will run again.
            started = self._segment_start if self._segment_start is not None else now
            lost = self._attempt_ran + max(0.0, now - started)
            self._segment_start = None
            self._ledger.unran(step, self._attempt_ran)
            self._exercise_ran -= self._attempt_ran
            self._attempt_ran = 0.0
            self._frozen = step.duration + self._attempt_ext
            self._progress_from = step.start  # the step runs again from its start
            self._progress_over = self._frozen
            self._cues_fired.clear()
        else:  # counting in: the count-in did not happen as far as the person is concerned
            lost = now - self._count_in_start
        self._ledger.paused += lost
        self._state = "paused"
        self._pause_start = now
        self._emit(ClockJumped(at=self._at(now), step=step, late_by=late_by, lost=round(lost, 6)))
        self._emit(Paused(at=self._at(now), step=step, remaining=round(self._frozen, 6)))

    def _finish(self, t: float, *, completed: bool, began: bool = True) -> None:
        if self._state == "running":
            self._close_segment(t)
        elif self._state == "paused":
            self._ledger.paused += t - self._pause_start
        elif self._state == "counting-in":
            self._ledger.counting_in += t - self._count_in_start
        self._state = "finished"
        self._index = None
        self._finished = self._ledger.finished(
            at=self._at(t), completed=completed, elapsed=t - self._origin, began=began
        )
        self._emit(self._finished)
        self._poke()

    # ----------------------------------------------------------------- controls

    def _over(self) -> bool:
        # A method, not an inline test: the state changes under callees, which mypy cannot see.
        return self._state == "finished"

    def _live(self) -> bool:
        return self._state in ("running", "paused", "counting-in")

    def _live_step(self) -> tuple[float, Step] | None:
        """For a control: do whatever is due by now, then return now and the current step, or
        None when there is none to act on (not started, or over, perhaps just now)."""
        if not self._live():
            return None
        now = self._catch_up()
        step = self.step
        if step is None or not self._live():
            return None
        return now, step

    def pause(self) -> bool:
        """Freeze the current step's remaining time. Returns False if there was nothing to pause."""
        if self._state not in ("running", "counting-in"):
            return False
        now = self._catch_up()
        if self._state == "running":
            self._frozen = max(0.0, self._deadline - now)
            self._close_segment(now)
        elif self._state == "counting-in":
            self._ledger.counting_in += now - self._count_in_start
        else:
            return False  # the catch-up found the session already paused or finished
        self._state = "paused"
        self._pause_start = now
        step = self.step
        assert step is not None
        self._emit(Paused(at=self._at(now), step=step, remaining=round(self._frozen, 6)))
        self._poke()
        return True

    def resume(self) -> bool:
        """Continue after a pause, with a count-in of `count_in` seconds first."""
        if self._state != "paused":
            return False
        now = self.clock.now()
        self._ledger.paused += now - self._pause_start
        step = self.step
        assert step is not None
        count_in = max(0.0, self.count_in)
        if count_in > 0:
            self._state = "counting-in"
            self._count_in_start = now
            self._count_in_end = _round(now + count_in)
            self._count_in_fired.clear()
            self._deadline = _round(self._count_in_end + self._frozen)
        else:
            self._state = "running"
            self._segment_start = now
            self._deadline = _round(now + self._frozen)
        running_at = self._count_in_end if count_in > 0 else now
        self._emit(
            Resumed(
                at=self._at(now),
                step=step,
                count_in=count_in,
                running_at=running_at,
                deadline=self._deadline,
            )
        )
        self._catch_up()  # the first count-in second is due right now
        self._poke()
        return True

    def toggle_pause(self) -> bool:
        """Pause when running or counting in; resume when paused."""
        if self._state == "paused":
            return self.resume()
        return self.pause()

    def skip(self) -> bool:
        """Go to the start of the next exercise; on the last exercise the session finishes.

        Within `SKIP_HOLD` of an exercise beginning by itself, the first skip is held instead
        (`SkipHeld`, returns False). While paused the next exercise is shown paused; during a
        count-in the count-in goes on.
        """
        live = self._live_step()
        if live is None:
            return False
        now, step = live
        if self._skip_held_until is not None and now < self._skip_held_until:
            self._skip_held_until = None  # pressed again, it goes through
            self._emit(SkipHeld(at=self._at(now), step=step))
            return False
        target = self.plan.first_step_of(step.entry + 1)
        to_entry = self.plan.steps[target].entry if target < len(self.plan.steps) else None
        self._leave_and(
            now,
            target,
            "skipped",
            note=Skipped(at=self._at(now), from_entry=step.entry, to_entry=to_entry),
        )
        return True

    def back(self) -> bool:
        """Like a music player: restart the exercise if more than 3 s of it has run, else go to
        the start of the previous exercise. On the first exercise, restart it."""
        live = self._live_step()
        if live is None:
            return False
        now, step = live
        ran = self._exercise_ran
        if self._state == "running" and self._segment_start is not None:
            ran += now - self._segment_start
        first = self.plan.first_step_of(step.entry)
        if ran > BACK_RESTARTS_AFTER or first == 0:
            target = first
        else:
            target = self.plan.first_step_of(self.plan.steps[first - 1].entry)
        to_entry = self.plan.steps[target].entry
        note = WentBack(
            at=self._at(now),
            from_entry=step.entry,
            to_entry=to_entry,
            restarted=to_entry == step.entry,
        )
        self._leave_and(now, target, "skipped", note=note)
        return True

    def restart_exercise(self) -> bool:
        """Start the current exercise again from its first step."""
        live = self._live_step()
        if live is None:
            return False
        now, step = live
        target = self.plan.first_step_of(step.entry)
        note = WentBack(
            at=self._at(now), from_entry=step.entry, to_entry=step.entry, restarted=True
        )
        self._leave_and(now, target, "skipped", note=note)
        return True

    def next_step(self) -> bool:
        """End the current step now (e.g. cut a rest short); after the last step, finish."""
        live = self._live_step()
        if live is None:
            return False
        now, step = live
        self._leave_and(now, step.index + 1, "cut", note=None)
        return True

    def end_wait(self) -> bool:
        """End the current get-ready, rest or switch now, like `next_step`; during a stretch
        do nothing and return False, so a key pressed to hurry a wait never shortens a hold."""
        step = self.step
        if step is None or KINDS[step.kind].active:
            return False
        live = self._live_step()
        # The catch-up may have moved on to a stretch: that one is not cut short either.
        if live is None or KINDS[live[1].kind].active:
            return False
        return self.next_step()

    def _leave_and(
        self,
        now: float,
        target: int,
        how: StepEnd,
        *,
        note: Skipped | WentBack | None,
    ) -> None:
        # The note goes out between the ends (StepEnded, and ExerciseEnded if the exercise is
        # left) and StepStarted: "left this, because, now that".
        steps = self.plan.steps
        current = self._index
        assert current is not None
        left = self._leave(now, how)
        self._exercise_left(left, target, how, now)
        if note is not None:
            self._emit(note)
        if target > current:
            self._ledger.skipped += sum(s.duration for s in steps[current + 1 : target])
        else:
            self._ledger.redone += sum(s.duration for s in steps[target : current + 1])
        if target >= len(steps):
            self._finish(now, completed=True)
        else:
            # Going back, to this exercise's start or the previous one's, starts it over.
            self._enter(target, now, starts_over=target <= current)
        self._poke()

    def extend(self, seconds: float = 10.0) -> bool:
        """Lengthen the current step by `seconds` (shorten when negative), never leaving less
        than 1 s in it. Returns False when nothing changed."""
        if not math.isfinite(seconds):
            raise ValueError(f"cannot extend a step by {seconds!r} seconds")
        live = self._live_step()
        if live is None:
            return False
        now, step = live
        left = self._step_remaining(now)
        new_left = max(left + seconds, min(left, MIN_REMAINING))
        by = new_left - left
        if abs(by) < 1e-9:
            return False
        # The plan's progress stays where it is; the rest of the step's share fills over the
        # new time left.
        self._progress_from = Progress(self._progress_from, step.end, self._progress_over).done(
            left
        )
        self._progress_over = new_left
        self._attempt_ext += by
        self._ledger.extended += by
        deadline: float | None = None
        if self._state == "paused":
            self._frozen += by
        else:
            if self._state == "counting-in":
                self._frozen += by
            self._deadline = deadline = _round(self._deadline + by)
        # A countdown already given may be due again once there is more time left; a cue whose
        # moment the change has put in the past is not given late.
        self._cues_fired = {
            key for key in self._cues_fired if key[0] != "countdown" or key[1] >= new_left
        }
        if deadline is not None:
            self._cues_fired.update(key for key, t, _ in self._cues() if t < now - EPSILON)
        self._emit(
            Extended(
                at=self._at(now),
                step=step,
                by=round(by, 6),
                remaining=round(new_left, 6),
                deadline=deadline,
            )
        )
        self._poke()
        return True

    def shorten(self, seconds: float = 10.0) -> bool:
        """Shorten the current step by `seconds`, never below 1 s left."""
        return self.extend(-seconds)

    def start(self) -> bool:
        """Start the session that `run(wait_for_start=True)` holds. Returns False when it is not
        waiting (already started, or not asked to wait)."""
        if not self.waiting:
            return False
        assert self._start_signal is not None
        self._start_signal.set_result(None)
        return True

    def stop(self, *, as_of_pause: bool = False) -> bool:
        """End the session now (completed=False). Before the start, `run()` will end at once.
        Calling it again, or after the end, does nothing and returns False.

        `as_of_pause`: a session paused only to ask whether to stop ends as of that pause, so
        the time spent answering is not counted as paused."""
        if self._state == "finished":
            return False
        if self._state == "idle":
            already = self._stop_requested
            self._stop_requested = True
            self.start()  # a run waiting to start goes on, and ends at once
            return not already
        now = self._catch_up()
        if self._over():
            return False
        if as_of_pause and self._state == "paused":
            now = self._pause_start
        step = self._leave(now, "cut")
        self._ledger.stopped(step.entry)
        self._exercise_left(step, len(self.plan.steps), "cut", now)
        self._ledger.skipped += sum(s.duration for s in self.plan.steps[step.index + 1 :])
        self._finish(now, completed=False)
        return True

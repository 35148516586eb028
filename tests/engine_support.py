"""Provides test routines built in code and a harness that runs an engine in virtual time."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from timer_app.core.model import Entry, Exercise, Hold, Routine, Tempo, Timed
from timer_app.core.plan import Overrides, Plan, compile_plan
from timer_app.session.engine import Engine
from timer_app.session.events import Event, Finished, StepStarted
from timer_app.testing import VirtualClock, settle

E = TypeVar("E")


def exercise(name: str, *, per_side: bool = False) -> Exercise:
    slug = "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-") or "x"
    return Exercise(
        id=slug, name=name, how_to=("Do it gently.",), position="seated", per_side=per_side
    )


def held(
    name: str,
    *,
    seconds: float = 30,
    reps: int = 2,
    rest: float = 5,
    prepare: float = 5,
    switch: float = 5,
    per_side: bool = True,
    side_order: str = "left-first",
) -> Entry:
    return Entry(
        exercise(name, per_side=per_side), Hold(seconds, reps, rest), prepare, switch, side_order
    )


def tempo(
    name: str,
    *,
    reps: int = 3,
    on: float = 2,
    off: float = 1,
    end_hold: float = 1,
    prepare: float = 3,
    per_side: bool = False,
) -> Entry:
    return Entry(
        exercise(name, per_side=per_side), Tempo(reps, on, off, end_hold), prepare, 5, "left-first"
    )


def timed(name: str, *, seconds: float = 20, prepare: float = 4, per_side: bool = False) -> Entry:
    return Entry(exercise(name, per_side=per_side), Timed(seconds), prepare, 5, "left-first")


def routine(*entries: Entry, title: str = "Test routine") -> Routine:
    return Routine(id="test-routine", title=title, entries=tuple(entries))


def plan_of(*entries: Entry, title: str = "Test routine", **overrides: object) -> Plan:
    return compile_plan(routine(*entries, title=title), Overrides(**overrides))  # type: ignore[arg-type]


def mixed_plan() -> Plan:
    """Every kind of step, 179 s in all.

    0 Knee to chest (per side, 2 x 30 s holds, 5 s rest, 5 s switch, 5 s prepare):
      prepare 0-5, hold L1 5-35, rest 35-40, hold L2 40-70, switch 70-75, hold R1 75-105,
      rest 105-110, hold R2 110-140
    1 Ankle pumps (tempo 3 reps: on 2, hold 1, off 1; prepare 3): prepare 140-143, then
      on/hold/off at 143-145-146-147, 147-149-150-151, 151-153-154-155
    2 Neck [/ (timed 20 s, prepare 4): prepare 155-159, timed 159-179
    """
    return plan_of(held("Knee to chest"), tempo("Ankle pumps"), timed("Neck [/"))


def first_of_kind(plan: Plan, kind: str) -> int:
    return next(step.index for step in plan.steps if step.kind == kind)


@dataclass
class Recorder:
    """A listener that keeps every event with the clock time it was handled at."""

    clock: VirtualClock
    events: list[Event] = field(default_factory=list)
    times: list[float] = field(default_factory=list)

    def __call__(self, event: Event) -> None:
        self.events.append(event)
        self.times.append(self.clock.now())

    def of(self, kind: type[E]) -> list[E]:
        return [event for event in self.events if isinstance(event, kind)]

    def started(self) -> list[int]:
        return [event.step.index for event in self.of(StepStarted)]

    def names(self) -> list[str]:
        return [type(event).__name__ for event in self.events]


class Session:
    """An engine on a virtual clock, with a recorder, driven by session time."""

    def __init__(self, plan: Plan, *, count_in: float = 3.0, start: float = 0.0) -> None:
        self.plan = plan
        self.start_time = start
        self.clock = VirtualClock(start)
        self.engine = Engine(plan, clock=self.clock, count_in=count_in)
        self.recorder = Recorder(self.clock)
        self.engine.add_listener(self.recorder)
        self.task: asyncio.Task[Finished] | None = None

    @property
    def events(self) -> list[Event]:
        return self.recorder.events

    async def start(self) -> Session:
        self.task = asyncio.create_task(self.engine.run())
        await self.clock.advance(0)
        return self

    async def at(self, t: float) -> None:
        """Let virtual time run to session time `t`."""
        await self.clock.advance_to(self.start_time + t)

    async def wait(self, seconds: float) -> None:
        await self.clock.advance(seconds)

    async def act(self, control: Callable[..., bool], *args: float) -> bool:
        """Call a control, then let its events reach the listeners (they run in their tasks)."""
        result = control(*args)
        await settle()
        return result

    def now(self) -> float:
        return self.clock.now() - self.start_time

    async def finish(self, *, resume: bool = False) -> Finished:
        """Run to the end; with `resume`, resume whenever the session sits paused."""
        assert self.task is not None
        for _ in range(100_000):
            await settle()
            if self.task.done():
                return await self.task
            deadline = self.clock.next_deadline()
            if deadline is None:
                if resume and self.engine.resume():
                    await self.clock.advance(0)
                    continue
                raise AssertionError(f"session stuck in state {self.engine.state}")
            await self.clock.advance_to(deadline)
        raise AssertionError("session never finished")


async def run_plan(plan: Plan, **kwargs: float) -> Session:
    """Run a plan untouched to its end."""
    session = await Session(plan, **kwargs).start()
    await session.finish()
    return session


async def eventually(check: Callable[[], bool], *, within: float = 10.0) -> None:
    """Wait in real time until `check()` holds, failing after `within` seconds.

    For what a thread or a child process does in its own time (opening a device, speaking):
    a fixed sleep would fail whenever the machine is busy, as CI's is with a test per core.
    """
    loop = asyncio.get_running_loop()
    give_up = loop.time() + within
    while not check():
        if loop.time() > give_up:
            raise AssertionError(f"not so after {within} s: {check}")
        await asyncio.sleep(0.01)

"""Provides the clocks the engine runs on: the real monotonic one and a virtual one for tests.

The engine never counts ticks: it asks a clock to wake it at an absolute deadline, so any lateness
of one wakeup is not carried into the next. `VirtualClock` moves only when a test (or its own
auto-advance) moves it, which lets a 30-minute session run in milliseconds, exactly the same way
every time.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from typing import Protocol

__all__ = ["Clock", "MonotonicClock", "VirtualClock"]


class Clock(Protocol):
    """A monotonic time source that can sleep until an absolute time on itself."""

    def now(self) -> float:
        """Seconds on this clock; only differences mean anything."""
        ...

    async def sleep_until(self, deadline: float) -> None:
        """Return once `now() >= deadline` (or soon after; callers re-check, see the engine)."""
        ...


def _wake(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class MonotonicClock:
    """The real clock: `time.monotonic`, which never jumps with wall-clock changes.

    The event loop's selector sleeps in whole milliseconds rounded up, and the kernel may let a
    long wait overrun, so a plain loop timer wakes 0-2 ms late. This clock wakes a little early
    on the loop and sleeps the last `precise` seconds with `time.sleep` (nanosleep), which is
    accurate to tens of microseconds. That blocks the loop for at most `precise` seconds per
    wakeup: no busy-waiting, and far less than one frame of any UI.
    """

    def __init__(self, precise: float = 0.002) -> None:
        self.precise = precise

    def now(self) -> float:
        return time.monotonic()

    async def sleep_until(self, deadline: float) -> None:
        loop = asyncio.get_running_loop()
        rest = deadline - self.now()
        while rest > self.precise:
            # Linux lets a long epoll wait overrun by 0.1 % of its timeout (timer slack: 1 ms
            # on a 1 s wait), so aim early by that much too; the short wait that follows overruns
            # by microseconds only. `call_at` on the loop's own time keeps us right on any loop.
            delay = max(rest - self.precise - rest * 0.002, 0.0005)
            future: asyncio.Future[None] = loop.create_future()
            handle = loop.call_at(loop.time() + delay, _wake, future)
            try:
                await future
            finally:
                handle.cancel()
            rest = deadline - self.now()
        if 0 < rest <= self.precise:
            time.sleep(rest)
        else:
            # Still yield, so a caller looping on an already-due deadline cannot starve the loop.
            await asyncio.sleep(0)


class VirtualClock:
    """A clock for tests: time moves only through `advance`, `advance_to` or `jump`.

    Sleepers are woken in deadline order, and the event loop is run until it is idle after each
    one, so everything that reacts to a wakeup (the engine, its listeners, controls they call)
    happens at that virtual instant before time moves on.

    With `auto=True` the clock advances itself to the next sleeper whenever the loop is idle,
    so code that cannot be driven step by step (such as `run_plain`) still runs instantly.
    """

    def __init__(self, start: float = 0.0, *, auto: bool = False) -> None:
        self._now = start
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()
        self._auto = auto
        self._driver: asyncio.Task[None] | None = None

    def now(self) -> float:
        return self._now

    async def sleep_until(self, deadline: float) -> None:
        if deadline <= self._now:
            await asyncio.sleep(0)
            return
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        heapq.heappush(self._sleepers, (deadline, next(self._order), future))
        if self._auto and (self._driver is None or self._driver.done()):
            self._driver = loop.create_task(self._drive())
        try:
            await future
        finally:
            # A cancelled sleeper stays in the heap until its time comes; advancing skips it.
            future.cancel()

    @property
    def sleepers(self) -> int:
        """How many sleepers are waiting (cancelled ones excluded)."""
        return sum(1 for _, _, future in self._sleepers if not future.done())

    def next_deadline(self) -> float | None:
        """The earliest deadline anyone is sleeping until, or None."""
        self._drop_cancelled()
        return self._sleepers[0][0] if self._sleepers else None

    async def advance(self, seconds: float) -> None:
        """Move time forward by `seconds`, waking every sleeper due on the way, in order."""
        await self.advance_to(self._now + seconds)

    async def advance_to(self, target: float) -> None:
        """Move time forward to `target`, waking every sleeper due on the way, in order."""
        await settle()
        while True:
            self._drop_cancelled()
            if not self._sleepers or self._sleepers[0][0] > target:
                break
            deadline, _, future = heapq.heappop(self._sleepers)
            self._now = max(self._now, deadline)
            _wake(future)
            await settle()
        self._now = max(self._now, target)
        await settle()

    async def jump(self, seconds: float) -> None:
        """Move time forward at once, as if the process had been frozen, then wake the sleepers.

        Unlike `advance`, sleepers due on the way see only the final time: this is how a test
        stands for Ctrl+Z, a debugger or a suspended virtual machine.
        """
        self._now += seconds
        await self.advance_to(self._now)

    async def _drive(self) -> None:
        # Auto mode: whenever nothing else can run, the next thing to happen is the earliest
        # sleeper, so time may as well jump there.
        while True:
            await settle()
            deadline = self.next_deadline()
            if deadline is None:
                return
            await self.advance_to(deadline)

    def _drop_cancelled(self) -> None:
        while self._sleepers and self._sleepers[0][2].done():
            heapq.heappop(self._sleepers)


async def settle(max_rounds: int = 10_000) -> None:
    """Let the event loop run everything that is ready, until nothing is (timers excluded)."""
    loop = asyncio.get_running_loop()
    # The default loops keep ready callbacks in `_ready`; when it is empty after we yield,
    # every task that could run has run. Other loops get a fixed number of rounds instead.
    ready = getattr(loop, "_ready", None)
    await asyncio.sleep(0)
    if ready is None:
        for _ in range(50):
            await asyncio.sleep(0)
        return
    rounds = 0
    while len(ready) and rounds < max_rounds:
        await asyncio.sleep(0)
        rounds += 1

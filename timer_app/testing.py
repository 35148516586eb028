"""Provides what tests run sessions on: `VirtualClock`, which moves only when told, and `settle`.

A 30-minute session runs in milliseconds on a virtual clock, exactly the same way every time.
Only tests and benches import this module.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools

from timer_app.session.clock import wake

__all__ = ["VirtualClock", "settle"]


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
            wake(future)
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

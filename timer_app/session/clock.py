"""Provides the clock protocol the engine runs on, and the real monotonic clock.

The engine never counts ticks: it asks a clock to wake it at an absolute deadline, so any lateness
of one wakeup is not carried into the next. Tests inject `timer_app.testing.VirtualClock`, which
moves only when the test moves it.
"""

from __future__ import annotations

import asyncio
import time
from typing import Protocol

__all__ = ["Clock", "MonotonicClock", "wake"]


class Clock(Protocol):
    """A monotonic time source that can sleep until an absolute time on itself."""

    def now(self) -> float:
        """Seconds on this clock; only differences mean anything."""
        ...

    async def sleep_until(self, deadline: float) -> None:
        """Return once `now() >= deadline` (or soon after; callers re-check, see the engine)."""
        ...


def wake(future: asyncio.Future[None]) -> None:
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
            handle = loop.call_at(loop.time() + delay, wake, future)
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

"""Provides `VirtualTimeLoop`: an asyncio event loop whose time moves only as far as the next
timer, at once, and `LoopClock`, the engine's clock on that loop's time.

The export runs the real session engine and the real sound listener on it. Both wait in the
loop's own time (the engine through its clock, the listener with `call_later` for a cue that
follows "exercise done"), so a 30-minute session plays out in a fraction of a second with every
cue and prompt at the very instant a live session would sound it.
"""

from __future__ import annotations

import asyncio
import selectors
from collections.abc import Mapping
from typing import Any

__all__ = ["LoopClock", "VirtualTimeLoop"]


class _Time:
    """The loop's virtual time, shared by the loop and its selector."""

    def __init__(self) -> None:
        self.now = 0.0


class _ForwardSelector(selectors.BaseSelector):
    """A selector that, where a real one would wait `timeout` seconds for nothing to happen,
    moves the virtual time on by `timeout` instead and returns at once. Ready files (the loop's
    own wake-up pipe, written by other threads) are still seen; with no timer at all it waits
    for them for real, as only another thread can then make anything happen."""

    def __init__(self, time: _Time) -> None:
        self._inner = selectors.DefaultSelector()
        self._time = time

    def register(self, fileobj: Any, events: int, data: Any = None) -> selectors.SelectorKey:
        return self._inner.register(fileobj, events, data)

    def unregister(self, fileobj: Any) -> selectors.SelectorKey:
        return self._inner.unregister(fileobj)

    def modify(self, fileobj: Any, events: int, data: Any = None) -> selectors.SelectorKey:
        return self._inner.modify(fileobj, events, data)

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        if timeout is None:
            return self._inner.select(None)
        ready = self._inner.select(0)
        if not ready and timeout > 0:
            self._time.now += timeout
        return ready

    def get_map(self) -> Mapping[Any, selectors.SelectorKey]:
        return self._inner.get_map()

    def close(self) -> None:
        self._inner.close()


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    """An event loop on virtual time, starting at 0: `asyncio.Runner(loop_factory=...)`."""

    def __init__(self) -> None:
        self._virtual = _Time()
        super().__init__(_ForwardSelector(self._virtual))

    def time(self) -> float:
        return self._virtual.now


class LoopClock:
    """The engine's `Clock` on the running loop's own time (virtual on `VirtualTimeLoop`)."""

    def now(self) -> float:
        return asyncio.get_running_loop().time()

    async def sleep_until(self, deadline: float) -> None:
        await asyncio.sleep(max(0.0, deadline - self.now()))

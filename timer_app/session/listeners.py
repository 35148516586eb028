"""Provides `Listeners`: the engine's fan-out, which hands every event to each listener in order.

Each listener has its own queue and task, so a slow or failing listener never holds up the
clock or the other listeners. The engine only ever calls `emit`, which never waits.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from timer_app.session.events import Event

__all__ = ["Listener", "Listeners"]

log = logging.getLogger(__name__)

Listener = Callable[[Event], object]
"""Called with each event; may be a plain function or a coroutine function."""


@dataclass
class _Slot:
    """One listener with its own queue and task, so it can lag without holding anyone up."""

    fn: Listener
    blocking: bool
    queue: asyncio.Queue[Event] = field(default_factory=asyncio.Queue)
    task: asyncio.Task[None] | None = None


class Listeners:
    """The listeners of one engine, each fed from its own queue by its own task."""

    def __init__(self) -> None:
        self._slots: list[_Slot] = []

    def add(self, fn: Listener, *, blocking: bool = False) -> None:
        """Send every later event to `fn`; see `Engine.add_listener`."""
        slot = _Slot(fn, blocking)
        self._slots.append(slot)
        self._start_pump(slot)

    def remove(self, fn: Listener) -> None:
        """Stop sending events to `fn`; events already queued for it are dropped."""
        for slot in [s for s in self._slots if s.fn == fn]:
            self._slots.remove(slot)
            if slot.task is not None:
                slot.task.cancel()

    def start(self) -> None:
        """Start the task of every listener added before the event loop ran."""
        for slot in self._slots:
            self._start_pump(slot)

    def _start_pump(self, slot: _Slot) -> None:
        if slot.task is not None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # no loop yet: started by start()
        slot.task = loop.create_task(self._pump(slot), name=f"listener {slot.fn!r}")

    async def _pump(self, slot: _Slot) -> None:
        while True:
            event = await slot.queue.get()
            try:
                if slot.blocking:
                    result = await asyncio.to_thread(slot.fn, event)
                else:
                    result = slot.fn(event)
                if inspect.isawaitable(result):
                    await result
            except Exception:
                # A broken listener (a sound that cannot play, a full disk) must not end a
                # session that the person is relying on; say what happened and go on.
                log.exception("listener %r failed on %s", slot.fn, type(event).__name__)
            finally:
                slot.queue.task_done()

    def emit(self, event: Event) -> None:
        """Queue `event` for every listener; never waits."""
        for slot in self._slots:
            slot.queue.put_nowait(event)

    async def drain(self, grace: float) -> None:
        """Give the listeners up to `grace` seconds to take every event, then stop them."""
        slots = [slot for slot in self._slots if slot.task is not None]
        if slots:
            waiting = asyncio.gather(*(slot.queue.join() for slot in slots))
            try:
                await asyncio.wait_for(waiting, grace)
            except TimeoutError:
                log.warning(
                    "listeners still busy %.2f s after the session ended; stopping them", grace
                )
        await self._stop_pumps()

    async def _stop_pumps(self) -> None:
        tasks = [slot.task for slot in self._slots if slot.task is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for slot in self._slots:
            slot.task = None

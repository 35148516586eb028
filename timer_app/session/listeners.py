"""Provides `Listeners`: the engine's fan-out, which hands every event to each listener in order.

Each listener has its own queue and task, so a slow or failing listener never holds up the
clock or the other listeners. The engine only ever calls `emit`, which never waits.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Callable, Sequence
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
        self._closed = False

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
        if slot.task is not None or self._closed:
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

    async def catch_up(self, grace: float) -> bool:
        """Wait up to `grace` seconds for every listener to take every event queued so far.

        Returns False, with a warning, when time ran out. Safe to cancel at any point: the waits
        it started are over before it returns or raises, so asyncio has nothing to report later
        (such as a future whose exception was never retrieved).
        """
        joins = [
            asyncio.create_task(slot.queue.join(), name=f"catching up {slot.fn!r}")
            for slot in self._slots
            if slot.task is not None
        ]
        if not joins:
            return True
        try:
            # `wait` rather than `wait_for(gather(...))`: a gather cancelled under `wait_for`
            # keeps a CancelledError that nobody reads, and asyncio prints it at exit.
            _, pending = await asyncio.wait(joins, timeout=grace)
        finally:
            await _cancel_and_wait(joins)
        if pending:
            log.warning("listeners still busy %.2f s after the session ended; stopping them", grace)
        return not pending

    async def close(self) -> None:
        """Stop every listener's task, dropping what is still queued, and wait until they have
        ended. Listeners added later are never started: there is nothing more to send them."""
        self._closed = True
        tasks = [slot.task for slot in self._slots if slot.task is not None]
        for slot in self._slots:
            slot.task = None
        await _cancel_and_wait(tasks)


async def _cancel_and_wait(tasks: Sequence[asyncio.Task[None]]) -> None:
    """Cancel `tasks` and wait until each has ended.

    Cancelled again while waiting, this returns at once by raising; the tasks are cancelled
    already and end on their own at the loop's next turn, so none is left pending for good.
    """
    for task in tasks:
        task.cancel()
    if tasks:
        # `wait` reads no results and stores no exception of its own, unlike `gather`.
        await asyncio.wait(tasks)

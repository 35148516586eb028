"""Provides job control's question for both views: is this process in its terminal's foreground?

A process in a background process group (`stretch run ... &`, or under `timeout`, which puts its
command in a group of its own) is stopped by the kernel (SIGTTOU, SIGTTIN) the moment it changes
the terminal's modes or reads keys from it, and a stopped process acts on no SIGINT or SIGTERM.
So each view asks first and leaves the terminal alone until a shell's `fg` brings it forward:
plain mode runs on without keys, the full-screen view waits to be brought forward.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any, TextIO

from timer_app.core.stops import installable

__all__ = [
    "APP_IN_BACKGROUND",
    "fileno",
    "foreground_reached",
    "in_foreground",
    "keys_in_background",
    "wait_for_foreground",
]

APP_IN_BACKGROUND = (
    "stretch-timer is in the background: the full-screen view starts when you bring it to the"
    " foreground (fg). To run in the background, use --plain; under timeout, add --foreground."
)
"""Said (on stderr) when the full-screen view is started in a background process group."""

FOREGROUND_POLL = 0.5
"""Seconds between looks at whether an fg has brought a background process forward."""


def keys_in_background(pid: int) -> str:
    """Plain mode's line when it runs in a background process group, with no keys."""
    # Short enough for one line of 80 columns: it goes on without them, step by step below.
    return f"Keys work only when stretch-timer is in the foreground (fg); kill {pid} stops it."


def fileno(stream: TextIO) -> int | None:
    """The stream's file descriptor, or None when it has none (a test's StringIO, closed)."""
    try:
        return stream.fileno()
    except (AttributeError, ValueError, OSError):
        return None


def in_foreground(fd: int | None) -> bool:
    """Whether this process may change the modes of the terminal on `fd` and read from it.

    True when its process group is the terminal's foreground one, and when job control does
    not apply: `fd` is no terminal, or not this process's controlling terminal.
    """
    if fd is None or not hasattr(os, "tcgetpgrp"):
        return True
    try:
        if not os.isatty(fd):
            return True
        return os.tcgetpgrp(fd) == os.getpgrp()
    except OSError:
        return True  # ENOTTY: a terminal, but not ours to be stopped by (no job control)


def wait_for_foreground(stdin: TextIO, err: TextIO) -> int | None:
    """Before the full-screen view takes the terminal on `stdin`: wait, touching nothing,
    until this process is in its foreground, having said why on `err`.

    None then (at once when it already is), or the exit status of a SIGINT, SIGTERM or SIGHUP
    that came first. Nothing was changed on the terminal, so there is nothing to restore.
    """
    fd = fileno(stdin)
    if in_foreground(fd):
        return None
    print(APP_IN_BACKGROUND, file=err, flush=True)
    return asyncio.run(_wait(fd))


async def foreground_reached(fd: int | None) -> None:
    """Return once this process is in the foreground of the terminal on `fd`.

    Looked at twice a second: bash's fg gives the terminal to a job and sends SIGCONT only to a
    stopped one, so a session started with & is told nothing when it is brought forward.
    """
    while not in_foreground(fd):
        await asyncio.sleep(FOREGROUND_POLL)


async def _wait(fd: int | None) -> int | None:
    loop = asyncio.get_running_loop()
    stopped: asyncio.Future[int] = loop.create_future()

    def on_stop(status: int) -> None:
        if not stopped.done():
            stopped.set_result(status)

    for sig, stop in installable():
        loop.add_signal_handler(sig, on_stop, stop.status)
    front = asyncio.ensure_future(foreground_reached(fd))
    try:
        either: list[asyncio.Future[Any]] = [stopped, front]
        await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)
    finally:
        front.cancel()
    return stopped.result() if stopped.done() else None

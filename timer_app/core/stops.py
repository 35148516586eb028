"""Provides the signals that stop a session, one table for every view and the command line.

Each ends the session as stopped, with its summary and history record, and the process exits
with the shell's status for it: 128 plus the signal's number.
"""

from __future__ import annotations

import signal
from dataclasses import dataclass

__all__ = ["INTERRUPTED", "STOP_SIGNALS", "StopSignal", "by_name", "installable"]


@dataclass(frozen=True)
class StopSignal:
    """One signal that stops a session."""

    name: str
    """Its name in the `signal` module: `SIGINT`."""
    status: int
    """The exit status it gives, as a shell reports it (128 + its number on Linux)."""
    said: str
    """How a summary names what stopped the session: `Ctrl+C`, `SIGTERM`."""


STOP_SIGNALS: tuple[StopSignal, ...] = (
    StopSignal("SIGINT", 130, "Ctrl+C"),
    StopSignal("SIGTERM", 143, "SIGTERM"),
    # The terminal was closed (or the SSH connection dropped).
    StopSignal("SIGHUP", 129, "SIGHUP"),
)

INTERRUPTED = STOP_SIGNALS[0].status
"""The status of a Ctrl+C that reaches Python as KeyboardInterrupt."""


def by_name(name: str) -> StopSignal:
    """The stop signal called `name` (`SIGHUP`)."""
    return next(stop for stop in STOP_SIGNALS if stop.name == name)


def installable() -> list[tuple[signal.Signals, StopSignal]]:
    """The stop signals this platform has, with their `signal` values (Windows has no
    SIGHUP)."""
    found = []
    for stop in STOP_SIGNALS:
        number = getattr(signal, stop.name, None)
        if isinstance(number, signal.Signals):
            found.append((number, stop))
    return found

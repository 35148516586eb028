"""Provides what plain mode borrows from the terminal, and gives back: single keys and signals.

`KeyReader` puts the terminal in cbreak mode (keys arrive without Enter, Ctrl+C still signals)
and restores it exactly, only ever while in the terminal's foreground (see `views.foreground`);
`saved_signal_handlers` and `restore_signal_handlers` give the caller back its own handlers
after the event loop has reset them.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import Callable
from typing import Any, TextIO

from timer_app.views.foreground import fileno, in_foreground

if sys.platform == "win32":
    _TermiosError: type[Exception] = OSError  # no terminal modes there to fail
else:
    from termios import error as _TermiosError  # not an OSError: a closed terminal raises it

__all__ = ["KeyReader", "fileno", "isatty", "restore_signal_handlers", "saved_signal_handlers"]


def isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


HANDLED_SIGNALS = tuple(
    getattr(signal, name)
    for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGTSTP", "SIGCONT")
    if hasattr(signal, name)
)


def saved_signal_handlers() -> dict[int, Any]:
    try:
        return {sig: signal.getsignal(sig) for sig in HANDLED_SIGNALS}
    except ValueError:
        return {}


def restore_signal_handlers(previous: dict[int, Any]) -> None:
    # The event loop resets handlers to the defaults when it closes; the CLI (or a test runner)
    # calling us may have had its own.
    for sig, handler in previous.items():
        with contextlib.suppress(ValueError, OSError, TypeError):
            signal.signal(sig, handler if handler is not None else signal.SIG_DFL)


class KeyReader:
    """Single keys from a terminal on stdin, handed to `on_data` as they are typed."""

    def __init__(self, stdin: TextIO, on_data: Callable[[str], None]) -> None:
        fd = fileno(stdin)
        self.fd = fd if fd is not None and isatty(stdin) else None
        """Where single keys come from, or None when stdin is not a terminal."""
        self._on_data = on_data
        self._saved_tty: list[Any] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def active(self) -> bool:
        """Whether keys are being read now (a person at the terminal can press one)."""
        return self._loop is not None

    def start(self, loop: asyncio.AbstractEventLoop) -> bool:
        """Enter cbreak mode and read keys (again, after a Ctrl+Z); whether keys are read now.

        No keys without a terminal, nor in a background process group: changing the modes
        there would stop the process (SIGTTOU) until someone brings it to the foreground.
        """
        if self.fd is None or self._saved_tty is not None:
            return self.active
        if not in_foreground(self.fd):
            return False
        try:
            import termios
            import tty

            self._saved_tty = termios.tcgetattr(self.fd)
            # cbreak, not raw: keys arrive without Enter, and Ctrl+C still sends SIGINT.
            tty.setcbreak(self.fd, termios.TCSANOW)
            loop.add_reader(self.fd, self._on_readable)
            self._loop = loop
        except (ImportError, OSError, ValueError, NotImplementedError, _TermiosError):
            # No keys then, but whatever was changed goes back first.
            self.stop()
            self.fd = None
        return self.active

    def stop(self) -> None:
        """Stop reading and put the terminal back as it was; safe to call any number of times.

        Moved to the background meanwhile (stopped without a Ctrl+Z, then `bg`), the modes are
        left to the foreground's owner: the shell has put back its own, and a change from here
        would stop this process.
        """
        if self._loop is not None and self.fd is not None:
            with contextlib.suppress(Exception):
                self._loop.remove_reader(self.fd)
        self._loop = None
        if self._saved_tty is not None and self.fd is not None and in_foreground(self.fd):
            try:
                import termios

                termios.tcsetattr(self.fd, termios.TCSADRAIN, self._saved_tty)
            except (ImportError, OSError, ValueError, _TermiosError):
                pass  # a closed terminal (EIO) has nothing left to restore
        self._saved_tty = None

    def _on_readable(self) -> None:
        assert self.fd is not None
        try:
            data = os.read(self.fd, 64)
        except OSError:
            data = b""
        if not data:  # end of input: no more keys, but the session goes on
            if self._loop is not None:
                self._loop.remove_reader(self.fd)
                self._loop = None
            return
        self._on_data(data.decode(errors="ignore"))

"""Provides `TerminalDriver`: Textual's Linux driver, without a way to hang when the terminal
is closed.

When the terminal goes away (its window closed, `tmux kill-session`), a shell sends the app
SIGHUP, and the kernel follows it with SIGCONT. Textual's driver takes every SIGCONT for the end
of a Ctrl+Z suspend and starts application mode again, with a new output thread; on a hung-up
terminal that thread's first write fails and it ends, and once its queue of 30 writes is full
the next write blocks the event loop for good, so the app never leaves, not even on SIGTERM.
This driver resumes only what it suspended.
"""

from __future__ import annotations

from typing import Any

from textual.drivers.linux_driver import LinuxDriver

__all__ = ["TerminalDriver"]


class TerminalDriver(LinuxDriver):
    """The Linux driver, resuming application mode only after suspending it."""

    def __init__(
        self,
        app: Any,
        *,
        debug: bool = False,
        mouse: bool = True,
        size: tuple[int, int] | None = None,
    ) -> None:
        super().__init__(app, debug=debug, mouse=mouse, size=size)
        self._app_mode_suspended = False
        """Set while application mode is suspended (Ctrl+Z, or `App.suspend()`)."""

    def suspend_application_mode(self) -> None:
        self._app_mode_suspended = True
        super().suspend_application_mode()

    def resume_application_mode(self) -> None:
        if not self._app_mode_suspended:
            return  # a SIGCONT that came with a hangup: there is no terminal to resume
        self._app_mode_suspended = False
        super().resume_application_mode()

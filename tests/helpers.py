"""Paths and small helpers shared by the tests."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from timer_app.cli.main import main
from timer_app.core.plan import Plan, compile_plan
from timer_app.routines.library import load_library
from timer_app.views.tui.screens.picker import PickerScreen

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


def routine_yaml(name: str) -> str:
    """The test routine `tests/data/routines/NAME.yaml`, as text: every routine the tests use
    is kept there, each once, for a test to write where it wants it (a user's folder, a
    `--routines` folder) or to change a value of first."""
    return (DATA / "routines" / f"{name}.yaml").read_text(encoding="utf-8")


# A routine of a few seconds (id bell-test), for tests that run whole sessions for real.
SHORT_ROUTINE = routine_yaml("bell-test")


def _take_the_terminal() -> None:
    # In the child, once its new session has started: its stdin's pty becomes its controlling
    # terminal, and its process group the terminal's foreground one.
    import fcntl
    import termios

    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def in_a_terminal_window(
    argv: list[str], *, columns: int = 80
) -> tuple[subprocess.Popen[bytes], int, int]:
    """Start `argv` as a terminal window starts the shell in it: in a session of its own, on a
    new pty (24 rows) that is its controlling terminal, so job control applies and closing
    the pty hangs it up. The process, and the pty's master and slave ends."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        argv,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
        preexec_fn=_take_the_terminal,  # noqa: PLW1509 - the test process starts no threads
    )
    return proc, master, slave


def stretch(
    *args: str, cwd: Path | None = None, timeout: float = 30
) -> subprocess.CompletedProcess[str]:
    """Run the real `stretch` command (as `python -m timer_app`) and capture what it prints."""
    return subprocess.run(
        [sys.executable, "-m", "timer_app", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=timeout,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdin=subprocess.DEVNULL,
        check=False,
    )


def on_terminal(*args: str, columns: int, timeout: float = 30) -> str:
    """What the real `stretch ARGS...` prints to a terminal `columns` wide (a pseudo-terminal
    as its output, measured as a program measures it: no COLUMNS in the environment)."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "timer_app", *args],
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=subprocess.PIPE,
        env={**env, "PYTHONPATH": str(REPO)},
    )
    os.close(slave)
    seen = b""
    end = time.monotonic() + timeout
    try:
        while True:
            if time.monotonic() > end:
                raise AssertionError(f"still running; wrote {seen[-2000:]!r}")
            if select.select([master], [], [], 0.2)[0]:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the other end closed: all is read
                    break
                if not chunk:
                    break
                seen += chunk
            elif proc.poll() is not None:
                break
        proc.wait(timeout)
    finally:
        proc.kill()
        os.close(master)
    assert proc.returncode == 0, proc.stderr.read().decode() if proc.stderr else ""
    # The terminal ends each line with a carriage return too.
    return seen.decode().replace("\r\n", "\n")


def run_main(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run `stretch ARGV...` in this process: its exit status, and what it printed."""
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def read_until(proc: subprocess.Popen[bytes], pattern: str, timeout: float = 20) -> str:
    """Read a child's stdout until `pattern` appears (raw, unbuffered); all read so far."""
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    seen = b""
    end = time.monotonic() + timeout
    while pattern.encode() not in seen:
        left = end - time.monotonic()
        if left <= 0:
            raise AssertionError(f"no {pattern!r} in {seen.decode(errors='replace')!r}")
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            chunk = os.read(fd, 4096)
            if not chunk:
                raise AssertionError(f"ended without {pattern!r}: {seen.decode()!r}")
            seen += chunk
    return seen.decode()


async def until(pilot: Pilot[Any], done: Callable[[], bool]) -> None:
    """Let the app run until `done()` (a screen pushed and mounted, say), or fail: a busy
    machine may take more than one pause to get there."""
    for _ in range(200):
        await pilot.pause()
        if done():
            return
    raise AssertionError(f"the app never got there: {done}")


async def on_picker(pilot: Pilot[Any]) -> PickerScreen:
    """Wait for the routine picker to be the screen, mounted; return it."""
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, PickerScreen) and app.screen.is_mounted)
    assert isinstance(app.screen, PickerScreen)
    return app.screen


FIGURES_ROUTINE = routine_yaml("figs")
"""Seated, then down on the back (a get-ready with a move) for one side and the other, then
tempo reps on hands and knees."""


def figures_plan(tmp_path: Path) -> Plan:
    (tmp_path / "figs.yaml").write_text(FIGURES_ROUTINE, encoding="utf-8")
    library = load_library([tmp_path], user=False)
    return compile_plan(library.routines["figs"])

"""Every way out of the full-screen app gives the terminal back and keeps what was done.

Run on a real pseudo-terminal: the app draws in the alternate screen with the cursor hidden,
mouse tracking on and the terminal in raw mode; after a signal all of that must be undone,
nothing may follow the app's last frame, and the session must be in the history as stopped.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import sqlite3
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpers import REPO, SHORT_ROUTINE, in_a_terminal_window
from timer_app.config.acknowledgement import remember

LEAVE_ALT_SCREEN = b"\x1b[?1049l"
SHOW_CURSOR = b"\x1b[?25h"
MOUSE_OFF = b"\x1b[?1000l"


def read_pty(master: int, until: bytes, timeout: float = 20) -> bytes:
    """Read the app's output until `until` appears."""
    seen = b""
    end = time.monotonic() + timeout
    while until not in seen:
        left = end - time.monotonic()
        if left <= 0:
            raise AssertionError(f"no {until!r} in {seen[-2000:]!r}")
        if select.select([master], [], [], min(left, 0.2))[0]:
            seen += os.read(master, 65536)
    return seen


def read_to_exit(master: int, proc: subprocess.Popen[bytes], timeout: float = 20) -> bytes:
    """Everything the app writes until it has exited and nothing more is coming."""
    seen = b""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if select.select([master], [], [], 0.2)[0]:
            seen += os.read(master, 65536)
        elif proc.poll() is not None:
            return seen
    raise AssertionError(f"still running; wrote {seen[-2000:]!r}")


@contextmanager
def on_pty(argv: list[str], *, env: dict[str, str] | None = None) -> Iterator[Pty]:
    """Run `stretch ARGV...` with a pseudo-terminal (80x24) as its stdin, stdout and stderr."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    full_env = {**os.environ, "TERM": "xterm-256color", "PYTHONPATH": str(REPO), **(env or {})}
    proc = subprocess.Popen(
        [sys.executable, "-m", "timer_app", *argv],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=full_env,
        start_new_session=True,
    )
    try:
        yield Pty(proc, master, slave)
    finally:
        proc.kill()
        proc.wait()
        os.close(master)
        os.close(slave)


@dataclass
class Pty:
    proc: subprocess.Popen[bytes]
    master: int
    slave: int


def recorded_states(home: Path) -> list[tuple[str, ...]]:
    """Each recorded session's state, then its exercises' statuses, from the history file."""
    connection = sqlite3.connect(home / ".local" / "share" / "stretch-timer" / "history.db")
    try:
        sessions = connection.execute("SELECT id, state FROM sessions").fetchall()
        return [
            (
                state,
                *(
                    s
                    for (s,) in connection.execute(
                        "SELECT status FROM exercises WHERE session_id = ? ORDER BY entry", (sid,)
                    )
                ),
            )
            for sid, state in sessions
        ]
    finally:
        connection.close()


STOP_SIGNALS = pytest.mark.parametrize(
    ("sig", "status"),
    [(signal.SIGTERM, 143), (signal.SIGHUP, 129), (signal.SIGINT, 130)],
    ids=["SIGTERM", "SIGHUP", "SIGINT"],
)


# A control sequence: CSI (ESC [ ... final), OSC (ESC ] ... BEL), or a two-byte ESC sequence.
CONTROL_SEQUENCE = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[@-_]")


@pytest.mark.slow
@STOP_SIGNALS
def test_a_signal_mid_session_restores_the_terminal_and_records_the_session(
    tmp_path: Path, isolated_home: Path, sig: signal.Signals, status: int
) -> None:
    (tmp_path / "bell-test.yaml").write_text(SHORT_ROUTINE.replace("4s", "60s"), "utf-8")
    assert remember()
    with on_pty(["--routines", str(tmp_path), "run", "bell-test"]) as term:
        before = termios.tcgetattr(term.slave)
        read_pty(term.master, b"HOLD")  # the session is on screen, in its first hold
        term.proc.send_signal(sig)
        rest = read_to_exit(term.master, term.proc)
        after = termios.tcgetattr(term.slave)
    assert term.proc.returncode == status
    assert after == before  # raw mode undone: stty as before
    for undo in (LEAVE_ALT_SCREEN, SHOW_CURSOR, MOUSE_OFF):
        assert undo in rest
    # Nothing after the last frame: no traceback, no message, only terminal resets.
    tail = rest[rest.rindex(LEAVE_ALT_SCREEN) :]
    assert CONTROL_SEQUENCE.sub(b"", tail).strip() == b"", tail
    assert b"Traceback" not in rest
    assert recorded_states(isolated_home) == [("stopped", "partial")]


@pytest.mark.slow
@STOP_SIGNALS
def test_a_signal_in_plain_mode_on_a_terminal_restores_it_and_records_the_session(
    tmp_path: Path, isolated_home: Path, sig: signal.Signals, status: int
) -> None:
    (tmp_path / "bell-test.yaml").write_text(SHORT_ROUTINE.replace("4s", "60s"), "utf-8")
    argv = ["--routines", str(tmp_path), "run", "bell-test", "--plain", "--sound", "off"]
    with on_pty(argv) as term:
        before = termios.tcgetattr(term.slave)
        read_pty(term.master, b"hold 60 s")  # in the hold, keys read in cbreak mode
        assert termios.tcgetattr(term.slave) != before
        term.proc.send_signal(sig)
        rest = read_to_exit(term.master, term.proc)
        after = termios.tcgetattr(term.slave)
    assert term.proc.returncode == status
    assert after == before
    assert SHOW_CURSOR in rest  # the cursor hidden under the status line is back
    assert b"Traceback" not in rest
    assert b"cut short Reach" in rest  # the summary says what was done
    assert recorded_states(isolated_home) == [("stopped", "partial")]


@pytest.mark.slow
def test_stretch_run_full_screen_shows_a_broken_file_in_the_app_not_above_it(
    tmp_path: Path,
) -> None:
    (tmp_path / "bell-test.yaml").write_text(SHORT_ROUTINE.replace("4s", "60s"), "utf-8")
    (tmp_path / "broken.yaml").write_text("title: [unclosed\n", "utf-8")
    assert remember()
    with on_pty(["--routines", str(tmp_path), "run", "bell-test"]) as term:
        shown = read_pty(term.master, b"could not be loaded")
        term.proc.send_signal(signal.SIGTERM)
        read_to_exit(term.master, term.proc)
    before_app = shown[: shown.index(b"\x1b[?1049h")]
    assert b"broken.yaml" not in before_app and b"error" not in before_app


@pytest.mark.slow
@pytest.mark.parametrize("plain", [False, True], ids=["app", "plain"])
def test_closing_the_terminal_mid_session_ends_the_program_and_records_the_session(
    tmp_path: Path, isolated_home: Path, plain: bool
) -> None:
    # Closing a terminal window hangs up its pty: the kernel sends SIGHUP and then SIGCONT,
    # and every write fails from then on. The program must still record the session and end,
    # rather than linger without a terminal.
    (tmp_path / "bell-test.yaml").write_text(SHORT_ROUTINE.replace("4s", "60s"), "utf-8")
    assert remember()
    argv = ["--routines", str(tmp_path), "run", "bell-test", "--sound", "off"]
    command = [sys.executable, "-m", "timer_app", *argv, *(["--plain"] if plain else [])]
    proc, master, slave = in_a_terminal_window(command)
    try:
        os.close(slave)
        read_pty(master, b"hold 60 s" if plain else b"HOLD")
        os.close(master)  # the window closes
        master = -1
        status = proc.wait(timeout=20)
    finally:
        if master >= 0:
            os.close(master)
        proc.kill()
        proc.wait()
    assert status == 129
    assert recorded_states(isolated_home) == [("stopped", "partial")]

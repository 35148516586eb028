"""A session started in a background process group (`&`, `timeout`) runs, and ends on a signal.

Run as a person runs it: a shell (bash with job control) owns a real pseudo-terminal as its
controlling terminal, and starts `stretch` as a background job, or under `timeout`, which puts
its command in a process group of its own. Changing the terminal's modes from there would stop
the process (state T), where no SIGINT or SIGTERM reaches it. Plain mode goes on without keys
and takes them when `fg` brings it forward; the full-screen view waits for the foreground.
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from helpers import SHORT_ROUTINE, in_a_terminal_window
from timer_app.config.acknowledgement import remember

pytestmark = pytest.mark.slow

# Two-second holds, 20 of them: step lines keep coming while a test watches.
ROUTINE = SHORT_ROUTINE.replace("hold: 4s\n    reps: 1\n", "hold: 2s\n    reps: 20\n    rest: 1s\n")

KEYS_NEED_FOREGROUND = re.compile(
    rb"Keys work only when stretch-timer is in the foreground \(fg\); kill (\d+) stops it\."
)
JOB_PID = re.compile(rb"pid=(\d+)")
HIDE_CURSOR = b"\x1b[?25l"
CLEAR_LINE = b"\r\x1b[K"
ENTER_ALT_SCREEN = b"\x1b[?1049h"


@dataclass
class Shell:
    """bash running a script on a pty that is its controlling terminal."""

    proc: subprocess.Popen[bytes]
    master: int
    slave: int
    seen: bytes = field(default=b"")
    jobs: list[int] = field(default_factory=list)
    """The stretch processes it started, each in a process group of its own."""

    def job(self, pattern: re.Pattern[bytes]) -> int:
        """The pid the output gives (its first group), once it is there."""
        found = pattern.search(self.read_until(pattern))
        assert found is not None
        self.jobs.append(int(found[1]))
        return self.jobs[-1]

    def read_until(self, pattern: bytes | re.Pattern[bytes], timeout: float = 30) -> bytes:
        """Read until `pattern` is in all that was read; all that was read."""
        end = time.monotonic() + timeout
        while not self._found(pattern):
            left = end - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no {pattern!r} in {self.seen[-3000:]!r}")
            self._read(min(left, 0.2))
        return self.seen

    def read_to_exit(self, timeout: float = 30) -> bytes:
        end = time.monotonic() + timeout
        while self.proc.poll() is None or self._read(0.2):
            if time.monotonic() > end:
                raise AssertionError(f"still running; wrote {self.seen[-3000:]!r}")
        return self.seen

    def _found(self, pattern: bytes | re.Pattern[bytes]) -> bool:
        if isinstance(pattern, bytes):
            return pattern in self.seen
        return pattern.search(self.seen) is not None

    def _read(self, wait: float) -> bool:
        import select

        if not select.select([self.master], [], [], wait)[0]:
            return False
        try:
            chunk = os.read(self.master, 65536)
        except OSError:  # EIO: the shell and all it ran have closed the pty
            return False
        self.seen += chunk
        return bool(chunk)


@contextmanager
def shell(script: str) -> Iterator[Shell]:
    proc, master, slave = in_a_terminal_window(
        ["bash", "--norc", "--noprofile", "-c", script], columns=100
    )
    term = Shell(proc, master, slave)
    try:
        yield term
    finally:
        for pid in [proc.pid, *term.jobs]:
            with suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
        proc.wait()
        os.close(master)
        os.close(slave)


def stretch_command(routines: Path, *extra: str) -> str:
    argv = [sys.executable, "-m", "timer_app", "--routines", str(routines), "run", "bell-test"]
    return shlex.join([*argv, "--sound", "off", *extra])


def state(pid: int) -> str:
    """The process's state letter from /proc (`T`: stopped)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]


def started_in_the_background(term: Shell) -> tuple[list[object], int]:
    """Plain mode's start in a background group: the terminal's settings as they were, and
    the pid its line gives, once its first hold has begun without the process stopping."""
    before = termios.tcgetattr(term.slave)
    pid = term.job(KEYS_NEED_FOREGROUND)
    term.read_until(b"] Reach - hold 2 s (rep 1 of 20)")
    never_stopped(pid, 1.0)
    return before, pid


def never_stopped(pid: int, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        assert state(pid) != "T", f"process {pid} stopped (state T)"
        time.sleep(0.05)


@pytest.fixture
def routines(tmp_path: Path) -> Path:
    (tmp_path / "bell-test.yaml").write_text(ROUTINE, encoding="utf-8")
    return tmp_path


def test_plain_mode_under_timeout_runs_without_keys_and_its_sigint_ends_it(
    routines: Path,
) -> None:
    # The issue's own case: timeout's SIGINT, 12 s on, once the session is well under way.
    command = stretch_command(routines, "--plain")
    with shell(f"timeout -s INT 12 {command}; echo status=$?") as term:
        before, _ = started_in_the_background(term)
        text = term.read_to_exit()
        after = termios.tcgetattr(term.slave)
    assert b"status=124" in text  # timeout's status when it had to send its signal
    assert after == before
    assert b"Keys: " not in text  # no key line for keys that would not work
    assert b"] Reach - hold 2 s (rep 2 of 20)" in text  # step lines went on being printed
    assert b"Stopped (Ctrl+C) after" in text and b"cut short Reach" in text
    # No status line redrawn over the shell's prompt, no cursor hidden in someone else's terminal.
    assert HIDE_CURSOR not in text and CLEAR_LINE not in text
    assert b"Traceback" not in text


@pytest.mark.parametrize(
    ("sig", "status"),
    [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGHUP, 129)],
    ids=["SIGINT", "SIGTERM", "SIGHUP"],
)
def test_plain_mode_as_a_background_job_goes_on_and_a_signal_ends_it(
    routines: Path, sig: signal.Signals, status: int
) -> None:
    command = stretch_command(routines, "--plain")
    with shell(f"set -m\n{command} &\nwait $!\necho status=$?") as term:
        before, pid = started_in_the_background(term)
        term.read_until(b"] Reach - hold 2 s (rep 2 of 20)")  # it keeps printing its steps
        os.kill(pid, sig)
        text = term.read_to_exit()
        after = termios.tcgetattr(term.slave)
    assert f"status={status}".encode() in text
    assert after == before
    assert b"cut short Reach" in text
    assert HIDE_CURSOR not in text and CLEAR_LINE not in text
    assert b"Traceback" not in text


def test_plain_mode_brought_forward_with_fg_takes_the_keys(routines: Path) -> None:
    command = stretch_command(routines, "--plain")
    # The shell waits for a line from the person, then brings the job forward (no SIGCONT is
    # sent to a job that is running, only the terminal given to it).
    with shell(f"set -m\n{command} &\nread -r line\nfg %1\necho status=$?") as term:
        before, pid = started_in_the_background(term)
        assert termios.tcgetattr(term.slave) == before  # the keys are not taken in the back
        os.write(term.master, b"fg\n")
        term.read_until(b"Keys: space/p pause")  # said when the keys start to work
        assert not termios.tcgetattr(term.slave)[3] & termios.ICANON  # cbreak: single keys
        os.write(term.master, b" ")
        term.read_until(b"Paused with")
        os.kill(pid, signal.SIGTERM)
        text = term.read_to_exit()
        after = termios.tcgetattr(term.slave)
    assert b"status=143" in text
    assert after == before
    assert b"Stopped (SIGTERM) after" in text


def test_plain_mode_sent_to_the_background_with_ctrl_z_and_bg_goes_on_without_keys(
    routines: Path,
) -> None:
    command = stretch_command(routines, "--plain")
    with shell(f"set -m\n{command}\necho stopped=$?\nbg %1\nwait %1\necho status=$?") as term:
        before = termios.tcgetattr(term.slave)
        term.read_until(b"] Reach - hold 2 s (rep 1 of 20)")
        os.write(term.master, b"\x1a")  # Ctrl+Z: the terminal sends SIGTSTP
        term.read_until(re.compile(rb"stopped=\d+"))  # paused, the terminal given back, stopped
        assert termios.tcgetattr(term.slave) == before
        pid = term.job(KEYS_NEED_FOREGROUND)  # bg: on its way again, without the keys
        never_stopped(pid, 1.0)
        after_bg = term.seen.index(b"Keys work only when")  # from the line said after bg
        term.read_until(b"] Reach - hold 2 s (rep 3 of 20)")  # no key to resume with: resumed
        os.kill(pid, signal.SIGTERM)
        text = term.read_to_exit()
        after = termios.tcgetattr(term.slave)
    assert b"Paused with" in text and b"Resuming in" in text[after_bg:]
    assert b"status=143" in text
    assert after == before
    assert CLEAR_LINE not in text[after_bg:]  # no status line over the shell's prompt


@pytest.mark.parametrize(
    ("sig", "status"),
    [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGHUP, 129)],
    ids=["SIGINT", "SIGTERM", "SIGHUP"],
)
def test_the_full_screen_view_in_the_background_waits_and_a_signal_ends_it(
    routines: Path, sig: signal.Signals, status: int
) -> None:
    assert remember()
    with shell(
        f"set -m\n{stretch_command(routines)} &\necho pid=$!\nwait $!\necho status=$?"
    ) as term:
        before = termios.tcgetattr(term.slave)
        pid = term.job(JOB_PID)
        shown = term.read_until(b"add --foreground.")
        assert b"stretch-timer is in the background" in shown
        never_stopped(pid, 1.0)
        os.kill(pid, sig)
        text = term.read_to_exit()
        after = termios.tcgetattr(term.slave)
    assert f"status={status}".encode() in text
    assert after == before
    assert ENTER_ALT_SCREEN not in text and b"Traceback" not in text


def test_the_full_screen_view_starts_when_brought_forward(routines: Path) -> None:
    assert remember()
    script = (
        f"set -m\n{stretch_command(routines)} &\necho pid=$!\nread -r line\nfg %1\necho status=$?"
    )
    with shell(script) as term:
        before = termios.tcgetattr(term.slave)
        pid = term.job(JOB_PID)
        term.read_until(b"add --foreground.")
        os.write(term.master, b"fg\n")
        term.read_until(b"HOLD")  # the session, on the screen
        os.kill(pid, signal.SIGTERM)
        text = term.read_to_exit()
        after = termios.tcgetattr(term.slave)
    assert b"status=143" in text
    assert after == before
    assert ENTER_ALT_SCREEN in text

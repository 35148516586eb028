"""Provides the crontab block: our lines between two marker lines in the user's crontab.

Everything outside the block is kept byte for byte; writing the block twice gives the same
crontab; removing it leaves the rest as it was (and no crontab at all if ours was all of it).
"""

from __future__ import annotations

import os
import shlex
import shutil

from timer_app.remind.entries import LABEL, SchedulerError, WakeUp, run_tool

BEGIN = f"# >>> {LABEL}: written by `stretch remind`, removed by `stretch remind off` >>>\n"
END = f"# <<< {LABEL} <<<\n"
PASSED_ON = ("DISPLAY", "WAYLAND_DISPLAY", "XDG_RUNTIME_DIR", "DBUS_SESSION_BUS_ADDRESS")
"""cron starts jobs without the desktop's variables: those set when the block was written are
passed on, so the notification reaches the desktop and Start can open a terminal on it."""


def available() -> bool:
    return shutil.which("crontab") is not None


def cron_line(wake_up: WakeUp, command: list[str]) -> str:
    # cron counts Sunday as 0; `%` in a command means a newline to cron, so it is escaped.
    days = "*" if len(wake_up.days) == 7 else ",".join(str((d + 1) % 7) for d in wake_up.days)
    run = shlex.join(command).replace("%", "\\%")
    return f"{wake_up.minute} {wake_up.hour} * * {days} {run}\n"


def block(wake_ups: list[WakeUp], command: list[str]) -> str:
    passed = [f"{name}={os.environ[name]}" for name in PASSED_ON if os.environ.get(name)]
    full = ["env", *passed, *command] if passed else command
    return BEGIN + "".join(cron_line(w, full) for w in wake_ups) + END


def without_block(table: bytes) -> bytes:
    """The crontab with our block (every copy of it) taken out, the rest byte for byte."""
    lines = table.splitlines(keepends=True)
    kept: list[bytes] = []
    inside = False
    for line in lines:
        text = line.rstrip(b"\r\n")
        if text == BEGIN.rstrip("\n").encode():
            inside = True
        elif inside and text == END.rstrip("\n").encode():
            inside = False
        elif not inside:
            kept.append(line)
    return b"".join(kept)


def with_block(table: bytes, new_block: str) -> bytes:
    """The crontab with our block replaced (or added at the end)."""
    rest = without_block(table)
    if rest and not rest.endswith(b"\n"):
        # cron ignores a last line without its newline; ours must not be glued to it.
        rest += b"\n"
    return rest + new_block.encode()


def read() -> bytes:
    """The user's crontab as it is; empty when there is none."""
    done = run_tool(["crontab", "-l"], check=False)
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip()
        if "no crontab" in message.lower():
            return b""
        raise SchedulerError(f"could not read the crontab: {message or done.returncode}")
    return done.stdout


def write(table: bytes) -> None:
    """Replace the user's crontab; an empty one is removed rather than left empty."""
    if table:
        run_tool(["crontab", "-"], stdin=table)
    else:
        run_tool(["crontab", "-r"])


def install(wake_ups: list[WakeUp], command: list[str]) -> list[str]:
    table = read()
    changed = with_block(table, block(wake_ups, command))
    if changed != table:
        write(changed)
    return [f"a block of {len(wake_ups)} line(s) in your crontab (`crontab -l` shows it)"]


def installed() -> bool:
    if not available():
        return False
    table = read()
    return without_block(table) != table


def remove() -> list[str]:
    if not installed():
        return []
    write(without_block(read()))
    return ["the block in your crontab"]

"""Provides the terminal a reminder's Start opens the routine in.

In order: the `terminal:` setting, `$TERMINAL`, the desktop's default (`xdg-terminal-exec`,
Debian's `x-terminal-emulator`), then the first of `KNOWN` that is installed. Each terminal
has its own way to be given a command; the known ones are in `KNOWN`, and any other is given
`-e`, which most understand. macOS opens Terminal.app; Windows a console window.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path

KNOWN: dict[str, tuple[str, ...]] = {
    "xdg-terminal-exec": (),
    "x-terminal-emulator": ("-e",),
    "gnome-terminal": ("--",),
    "kgx": ("--",),
    "ptyxis": ("--",),
    "konsole": ("-e",),
    "xfce4-terminal": ("-x",),
    "mate-terminal": ("-x",),
    "terminator": ("-x",),
    "tilix": ("-e",),
    "kitty": (),
    "foot": (),
    "alacritty": ("-e",),
    "wezterm": ("start", "--"),
    "lxterminal": ("-e",),
    "urxvt": ("-e",),
    "xterm": ("-e",),
}
"""Terminals, the desktop's default first, and what comes before the command each runs."""


class NoTerminal(Exception):
    """No terminal was found; the message says where we looked."""


def stretch_command() -> list[str]:
    """This stretch-timer's `stretch`: the script beside this Python, else `python -m`."""
    script = Path(sys.executable).with_name("stretch")
    return [str(script)] if script.exists() else [sys.executable, "-m", "timer_app"]


def _with_command(written: str, command: list[str]) -> list[str]:
    """A terminal as written (`kitty`, `xterm -fa Mono`), with the command after it."""
    words = shlex.split(written)
    name = Path(words[0]).name
    if len(words) == 1 or name not in KNOWN:
        before = KNOWN.get(name, ("-e",)) if len(words) == 1 else ()
        return [*words, *before, *command]
    return [*words, *KNOWN[name], *command]


def terminal_command(setting: str | None, command: list[str]) -> list[str]:
    """The command line that opens a terminal running `command`."""
    if sys.platform == "darwin":
        script = shlex.join(command).replace("\\", "\\\\").replace('"', '\\"')
        return ["osascript", "-e", f'tell application "Terminal" to do script "{script}"']
    if sys.platform == "win32":
        return ["cmd", "/c", "start", "stretch-timer", *command]
    for written in (setting, os.environ.get("TERMINAL")):
        if written and written.strip():
            return _with_command(written, command)
    for name in KNOWN:
        if shutil.which(name):
            return _with_command(name, command)
    raise NoTerminal(
        "no terminal found: set `terminal:` in settings.yaml or $TERMINAL, or install one of "
        + ", ".join(KNOWN)
    )

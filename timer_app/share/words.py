"""Provides what both views say about a shared session: where its address works, who may use
it, and which control a browser used (so a person at the desk knows why the session paused).

Pure words: no web library, so a view may import this before anything is shared.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from pathlib import Path

from timer_app.config.choices import SHARE_CHOICES
from timer_app.core.controls import BY_ID

__all__ = [
    "START_LABEL",
    "WAITING_PAGE",
    "WHO_NOTE",
    "browser_note",
    "calendar_label",
    "lan_command",
    "waiting_line",
    "where_lines",
]

WHO_NOTE = (
    "Anyone who has this address can follow and control the session while it runs;"
    " it stops working when the session ends."
)


START_LABEL = "Start"
"""The page's button that starts a session waiting for its person."""
WAITING_PAGE = "Tap Start when you are ready: the session begins with its get-ready."
"""The page's notice while the session waits to start."""


def waiting_line(*, keys: bool) -> str:
    """Said in the terminal while a shared session waits to start (`keys`: the terminal can
    take a key press)."""
    if keys:
        return "Waiting to start: press Enter here, or tap Start on the page."
    return "Waiting to start: tap Start on the page."


def where_lines(*, lan: bool, command: str) -> list[str]:
    """Where the address can be opened, and, when only here, how to reach a phone (`command`:
    the one that shares the session to the network, from `lan_command`)."""
    if lan:
        return ["Open it on a phone or computer on this local network.", WHO_NOTE]
    return [
        "This address works only on this computer (127.0.0.1): a phone cannot open it.",
        f"To follow on a phone, start the session with --share lan: {command}",
        WHO_NOTE,
    ]


def lan_command(
    routine_id: str, *, given: Sequence[str] = (), routine_dirs: Sequence[Path] = ()
) -> str:
    """The command that starts `routine_id` shared to the local network.

    `given`: the words the person typed after `stretch` to start this routine, kept whole (every
    option: --plain, --quick, --routines ...) with `--share lan` for their `--share`. Without
    them (a session chosen in the picker), `run ID` after the `routine_dirs` it was loaded from.
    """
    if given:
        words = _without_share(given)
    else:
        words = [*(w for d in routine_dirs for w in ("--routines", str(d))), "run", routine_id]
    return shlex.join(["stretch", *words, "--share", "lan"])


def _without_share(words: Sequence[str]) -> list[str]:
    """`words` without their `--share` option (`--share`, `--share local`, `--share=lan`, or
    an abbreviation argparse takes, such as `--sha`)."""
    kept: list[str] = []
    skip_value = False
    for word in words:
        if skip_value:
            skip_value = False
            if word in SHARE_CHOICES:
                continue
        name = word.split("=", 1)[0]
        if len(name) > len("--s") and "--share".startswith(name):
            skip_value = "=" not in word
            continue
        kept.append(word)
    return kept


def browser_note(action: str, *, paused: bool) -> str:
    """Said in the terminal when a page uses a control (`action`, a `core.controls` id, or
    `start`): `From a browser: pause.` The engine's own line for it follows, as for a key."""
    if action == "start":
        return "From a browser: start."
    word = "resume" if action == "pause" and paused else BY_ID[action].label.lower()
    return f"From a browser: {word}."


def calendar_label(count: int) -> str:
    """The page's link to the reminders' calendar file, for a phone's own calendar."""
    which = "your reminder" if count == 1 else f"your {count} reminders"
    return f"Add {which} to stretch to this phone's calendar (.ics)"

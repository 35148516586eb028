"""Provides what both views say about a shared session: where its address works, who may use
it, and which control a browser used (so a person at the desk knows why the session paused).

Pure words: no web library, so a view may import this before anything is shared.
"""

from __future__ import annotations

from timer_app.core.controls import BY_ID

__all__ = [
    "START_LABEL",
    "WAITING_PAGE",
    "WHO_NOTE",
    "browser_note",
    "calendar_label",
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


def where_lines(*, lan: bool, routine_id: str) -> list[str]:
    """Where the address can be opened, and, when only here, how to reach a phone."""
    if lan:
        return ["Open it on a phone or computer on this local network.", WHO_NOTE]
    return [
        "This address works only on this computer (127.0.0.1): a phone cannot open it.",
        f"To follow on a phone, start the session with --share lan:"
        f" stretch run {routine_id} --share lan",
        WHO_NOTE,
    ]


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

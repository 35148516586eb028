"""Provides the reminders' calendar file for the shared page: the same `.ics` as `stretch remind
ics`, offered to a phone (behind the page's token) so it can add the reminders to its calendar.

Pure (no web library): the server calls these in a thread, as they read files.
"""

from __future__ import annotations

from datetime import date

from timer_app.share.words import calendar_label

FILE_NAME = "stretch-reminders.ics"
"""The name the phone saves the file as (and the page's address for it)."""


def calendar_offer() -> dict[str, str]:
    """What the page offers: the link's words and the file's address, or no words (and no
    link) when no reminders are set."""
    from timer_app.remind.file import load_reminders

    reminders, _ = load_reminders()
    if not reminders:
        return {"label": "", "file": FILE_NAME}
    return {"label": calendar_label(len(reminders)), "file": FILE_NAME}


def calendar_file(today: date | None = None) -> bytes | None:
    """The reminders as an iCalendar file, events from `today` on; None with no reminders."""
    from timer_app.remind.file import load_reminders
    from timer_app.remind.ics import calendar_bytes
    from timer_app.routines.library import load_library

    reminders, _ = load_reminders()
    if not reminders:
        return None
    return calendar_bytes(reminders, load_library(), start=today or date.today())

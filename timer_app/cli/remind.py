"""Provides `stretch remind`: add, list, remove, off, sync, test, ics, and `due` (what the
system's scheduler runs). The reminders themselves are in `timer_app.remind`."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, TextIO

from timer_app.cli.commands import CliError, load_library_for

if TYPE_CHECKING:
    from timer_app.remind.due import Wake
    from timer_app.remind.rules import Reminder
    from timer_app.routines.catalog import Library

__all__ = ["cmd_remind"]


def _reminders(err: TextIO, *, strict: bool) -> list[Reminder]:
    """The reminders in the file; with `strict`, a file with problems is refused (a change
    written back would lose the reminders that have them)."""
    from timer_app.remind.file import load_reminders, reminders_path

    reminders, problems = load_reminders()
    for problem in problems:
        print(problem, file=err)
    if strict and any(not problem.warning for problem in problems):
        raise CliError(
            f"{reminders_path()} has problems (above); correct it, or start afresh with"
            " `stretch remind off`",
            status=2,
        )
    return reminders


def _apply(reminders: list[Reminder], out: TextIO) -> None:
    from timer_app.remind.entries import SchedulerError
    from timer_app.remind.file import save_reminders
    from timer_app.remind.schedulers import apply

    save_reminders(reminders)
    try:
        held = apply(reminders)
    except SchedulerError as error:
        raise CliError(f"the reminders were saved but not scheduled: {error}") from None
    for line in held:
        print(f"Scheduled with {line}.", file=out)


def _describe(number: int, reminder: Reminder, library: Library) -> str:
    from timer_app.remind.words import target_of

    target = target_of(reminder, library)
    return (
        f"{number}. {reminder.describe_when()}: {target.heading.removeprefix('Time to stretch: ')}"
    )


def _next_line(reminders: list[Reminder], library: Library, out: TextIO) -> None:
    from timer_app.history.records import utc_now
    from timer_app.remind.schedule import local_zone, upcoming
    from timer_app.remind.words import next_text

    zone, now = local_zone(), utc_now()
    line = next_text(upcoming(reminders, now, zone), library, now, zone)
    if line:
        print(line, file=out)


def _add(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from timer_app.remind.rules import ALL_DAYS, CHOOSE, Reminder

    if not args.times and args.every is None:
        raise CliError("give times (`stretch remind add 10:00 15:30`) or --every and --between", 2)
    if (args.every is None) != (args.between is None):
        raise CliError("--every and --between go together: --every 90m --between 09:00-17:00", 2)
    library = load_library_for(args, None)
    if args.routine != CHOOSE:
        try:
            library.find(args.routine)
        except KeyError as error:
            raise CliError(str(error.args[0])) from None
    reminders = _reminders(err, strict=True)
    reminder = Reminder(
        times=tuple(sorted(set(args.times))),
        days=args.days or ALL_DAYS,
        routine=args.routine,
        every=args.every,
        between=args.between,
    )
    reminders.append(reminder)
    _apply(reminders, out)
    print(f"Added {_describe(len(reminders), reminder, library)}", file=out)
    _next_line(reminders, library, out)
    return 0


def _list(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from timer_app.remind.schedulers import holders

    reminders = _reminders(err, strict=False)
    if not reminders:
        print("No reminders. Add one: stretch remind add 10:00 15:30 --days mon-fri", file=out)
        return 0
    library = load_library_for(args, None)
    for number, reminder in enumerate(reminders, start=1):
        print(_describe(number, reminder, library), file=out)
    _next_line(reminders, library, out)
    held = holders()
    if held:
        print(f"Scheduled with: {'; '.join(held)}", file=out)
    else:
        print("Not scheduled: run `stretch remind sync`", file=out)
    return 0


def _remove(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    reminders = _reminders(err, strict=True)
    if not 1 <= args.number <= len(reminders):
        count = len(reminders)
        raise CliError(f"there is no reminder {args.number}; `stretch remind list` shows {count}")
    library = load_library_for(args, None)
    removed = reminders.pop(args.number - 1)
    _apply(reminders, out)
    print(f"Removed {_describe(args.number, removed, library)}", file=out)
    return 0


def _off(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from timer_app.remind.entries import SchedulerError
    from timer_app.remind.file import reminders_path
    from timer_app.remind.schedulers import remove_all
    from timer_app.remind.state import forget_state

    try:
        removed = remove_all()
    except SchedulerError as error:
        raise CliError(str(error)) from None
    path = reminders_path()
    if path.exists():
        path.unlink()
        removed.append(str(path))
    forget_state()
    for line in removed:
        print(f"Removed {line}", file=out)
    print("Reminders are off." if removed else "There were no reminders.", file=out)
    return 0


def _sync(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    _apply(_reminders(err, strict=True), out)
    return 0


def _wake(out: TextIO) -> Wake:
    from timer_app.config.settings import load_settings
    from timer_app.remind.due import Wake
    from timer_app.remind.schedule import local_zone

    settings, _ = load_settings()
    return Wake(out=out, zone=local_zone(), terminal=settings.terminal)


def _due(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import asyncio

    from timer_app.remind.due import find_session_bus, run_due

    find_session_bus()
    return asyncio.run(run_due(_reminders(err, strict=False), _wake(out)))


def _test(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import asyncio

    from timer_app.remind.due import remind, test_target

    wake = _wake(out)
    target = test_target(_reminders(err, strict=False))
    print(f"Showing the reminder now: {target.heading}", file=out)
    answer = asyncio.run(remind(target, wake.now(), wake))
    if answer == "no desktop":
        raise CliError(
            "no desktop notification service answered (no D-Bus session bus, or nothing"
            " serving org.freedesktop.Notifications): scheduled reminders are then told"
            " at the next `stretch` start"
        )
    return 0


def _ics(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from datetime import date

    from timer_app.remind.ics import calendar_bytes
    from timer_app.routines.writer import save_text

    reminders = _reminders(err, strict=False)
    if not reminders:
        raise CliError("no reminders to write; add one with `stretch remind add`")
    data = calendar_bytes(reminders, load_library_for(args, None), start=date.today())
    if args.output is None:
        out.write(data.decode())
        return 0
    try:
        save_text(args.output, data.decode(), replace=True)
    except OSError as error:
        raise CliError(f"could not write {args.output}: {error}") from None
    count = data.count(b"BEGIN:VEVENT")
    print(f"Wrote {args.output}: {count} recurring event(s) with an alarm each.", file=out)
    return 0


SUBCOMMANDS = {
    "add": _add,
    "list": _list,
    "remove": _remove,
    "off": _off,
    "sync": _sync,
    "test": _test,
    "ics": _ics,
    "due": _due,
}


def cmd_remind(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    return SUBCOMMANDS[args.remind_command or "list"](args, out, err)

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
    from timer_app.remind.file import load_reminders
    from timer_app.remind.manage import FileHasProblems, for_change

    if strict:
        try:
            return for_change()
        except FileHasProblems as error:
            for problem in error.problems:
                print(problem, file=err)
            raise CliError(f"{error} (problems above)", status=2) from None
    reminders, problems = load_reminders()
    for problem in problems:
        print(problem, file=err)
    return reminders


def _apply(reminders: list[Reminder], out: TextIO) -> None:
    from timer_app.remind.entries import SchedulerError
    from timer_app.remind.manage import schedule

    try:
        held = schedule(reminders)
    except SchedulerError as error:
        raise CliError(f"the reminders were saved but not scheduled: {error}") from None
    for line in held:
        print(f"Scheduled with {line}.", file=out)


def _next_line(reminders: list[Reminder], library: Library, out: TextIO) -> None:
    from timer_app.remind.manage import next_line

    line = next_line(reminders, library)
    if line:
        print(line, file=out)


CLI_NAMES = {"days": "--days", "every": "--every", "between": "--between", "routine": "--routine"}
"""The options a new reminder's fields are given with, to name a problem's field."""


def _add(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from timer_app.remind.manage import check_new, describe
    from timer_app.remind.rules import ALL_DAYS, Reminder

    library = load_library_for(args, None)
    reminders = _reminders(err, strict=True)
    reminder = Reminder(
        times=tuple(sorted(set(args.times))),
        days=args.days or ALL_DAYS,
        routine=args.routine,
        every=args.every,
        between=args.between,
    )
    problems = check_new(
        reminder,
        has_every=args.every is not None,
        has_between=args.between is not None,
        count=len(reminders),
        library=library,
    )
    if problems:
        field, problem = next(iter(problems.items()))
        where = f"{CLI_NAMES[field]}: " if field in CLI_NAMES else ""
        raise CliError(f"{where}{problem}", status=1 if field == "routine" else 2)
    reminders.append(reminder)
    _apply(reminders, out)
    print(f"Added {describe(len(reminders), reminder, library)}", file=out)
    _next_line(reminders, library, out)
    return 0


def _list(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from timer_app.remind.manage import describe, where_line
    from timer_app.remind.schedulers import holders

    reminders = _reminders(err, strict=False)
    if not reminders:
        print("No reminders. Add one: stretch remind add 10:00 15:30 --days mon-fri", file=out)
        return 0
    library = load_library_for(args, None)
    for number, reminder in enumerate(reminders, start=1):
        print(describe(number, reminder, library), file=out)
    _next_line(reminders, library, out)
    print(where_line(holders()), file=out)
    return 0


def _remove(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from timer_app.remind.manage import describe

    reminders = _reminders(err, strict=True)
    if not 1 <= args.number <= len(reminders):
        count = len(reminders)
        raise CliError(f"there is no reminder {args.number}; `stretch remind list` shows {count}")
    library = load_library_for(args, None)
    removed = reminders.pop(args.number - 1)
    _apply(reminders, out)
    print(f"Removed {describe(args.number, removed, library)}", file=out)
    return 0


def _off(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from timer_app.remind.entries import SchedulerError
    from timer_app.remind.manage import turn_off

    try:
        removed = turn_off()
    except SchedulerError as error:
        raise CliError(str(error)) from None
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
        from timer_app.remind.manage import NO_DESKTOP

        raise CliError(NO_DESKTOP)
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

"""Provides the reminders file, `reminders.yaml` in the config folder: read, checked, written.

It is checked like settings.yaml: every problem as `PATH:LINE:COL: message`. `stretch remind`
writes it; a person may edit it too (then `stretch remind add` or `list` re-applies it).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from timer_app.core.paths import config_dir
from timer_app.remind.rules import (
    CHOOSE,
    DAYS_HINT,
    DAYS_PATTERN,
    EVERY_MAX,
    EVERY_MIN,
    MAX_TIMES,
    SPAN_HINT,
    SPAN_PATTERN,
    TIME_HINT,
    TIME_PATTERN,
    Reminder,
    clock,
    days_text,
    parse_days,
    parse_span,
    parse_time,
)

if TYPE_CHECKING:
    from timer_app.routines.fields import Checker, Obj, Record
    from timer_app.routines.problems import Problem
    from timer_app.routines.yamlfile import YNode

FILE_NAME = "reminders.yaml"
MAX_REMINDERS = 20


def reminders_path() -> Path:
    return config_dir() / FILE_NAME


def reminder_spec() -> Obj:
    """The fields of one reminder."""
    from timer_app.routines.fields import Duration, Field, ListOf, Obj, Text

    return Obj(
        "reminder",
        "One reminder: fixed times and/or one every so often between two times.",
        (
            Field(
                "at",
                ListOf(Text(5, TIME_PATTERN, TIME_HINT), max_items=MAX_TIMES, single_ok=True),
                "Times of day, local time, e.g. ['10:00', '15:30'].",
            ),
            Field("every", Duration(EVERY_MIN, EVERY_MAX), "With `between`: e.g. 90m."),
            Field("between", Text(11, SPAN_PATTERN, SPAN_HINT), "With `every`: 09:00-17:00."),
            Field("days", Text(60, DAYS_PATTERN, DAYS_HINT), "Days, e.g. mon-fri. Default daily."),
            Field(
                "routine",
                Text(100, r"[a-z0-9][a-z0-9-]*", "a routine id such as neck-stretches"),
                "A routine id, or `choose` to open the picker. Default choose.",
            ),
        ),
    )


def load_reminders(path: Path | None = None) -> tuple[list[Reminder], list[Problem]]:
    """The reminders in the file (none when it is missing) and every problem found in it.

    A reminder with a problem is left out; the others stand.
    """
    path = path or reminders_path()
    if not path.exists():
        return [], []
    from timer_app.routines.fields import Checker, Record, describe, did_you_mean
    from timer_app.routines.problems import FileProblems
    from timer_app.routines.yamlfile import read_yaml

    try:
        node, problems = read_yaml(path)
    except FileProblems as error:
        return [], error.problems
    checker = Checker(path)
    checker.problems.extend(problems)
    items: list[YNode] = []
    if not isinstance(node.value, dict):
        checker.problem(node.mark, "", f"expected `reminders:` and a list, got {describe(node)}")
    else:
        for key in node.value:
            if key != "reminders":
                hint = did_you_mean(key, ["reminders"])
                checker.problem(node.key_marks[key], "", f"unknown field '{key}'{hint}")
        listed = node.value.get("reminders")
        if listed is not None and isinstance(listed.value, list):
            items = listed.value
        elif listed is not None and listed.value is not None:
            checker.problem(listed.mark, "reminders", f"expected a list, got {describe(listed)}")
    if len(items) > MAX_REMINDERS:
        checker.problem(items[MAX_REMINDERS].mark, "reminders", f"at most {MAX_REMINDERS}")
        items = items[:MAX_REMINDERS]
    reminders: list[Reminder] = []
    spec = reminder_spec()
    for number, item in enumerate(items, start=1):
        # One checker a reminder, so a reminder with a problem is known and left out.
        one = Checker(path)
        where = f"reminder {number}"
        record = one.check(item, spec, where)
        reminder = _reminder(record, where, one) if isinstance(record, Record) else None
        if reminder is not None and not one.problems:
            reminders.append(reminder)
        checker.problems.extend(one.problems)
        checker.warnings.extend(one.warnings)
    return reminders, sorted(checker.problems + checker.warnings)


def _reminder(item: Record, where: str, checker: Checker) -> Reminder | None:
    """The reminder of a checked item, or None after saying what is missing or at odds."""
    if checker.problems:
        return None
    every = item.get("every")
    if ("every" in item.marks) != ("between" in item.marks):
        checker.problem(item.mark, where, "`every` and `between` go together, e.g. every: 90m")
    if not item.marks.keys() & {"at", "every"}:
        checker.problem(item.mark, where, "needs `at` (times of day) or `every` and `between`")
    if every is not None and every % 60:
        checker.problem(item.mark_of("every"), f"{where}: every", "must be whole minutes")
    between = None
    if item.get("between") is not None:
        try:
            between = parse_span(item.get("between"))
        except ValueError as error:
            checker.problem(item.mark_of("between"), f"{where}: between", str(error))
    if checker.problems:
        return None
    reminder = Reminder(
        times=tuple(sorted({parse_time(text) for text in item.get("at", [])})),
        days=parse_days(item.get("days", "daily")),
        routine=item.get("routine", CHOOSE),
        every=int(every) if every is not None else None,
        between=between,
    )
    if len(reminder.times_of_day()) > MAX_TIMES:
        checker.problem(item.mark, where, f"goes off more than {MAX_TIMES} times a day")
        return None
    return reminder


def reminders_text(reminders: list[Reminder]) -> str:
    """The file's text for these reminders, with a header saying what writes it."""
    lines = [
        "# stretch-timer reminders, written by `stretch remind`. If you edit this file, run",
        "# `stretch remind list` to check it and `stretch remind sync` to update the schedule.",
        "reminders:" if reminders else "reminders: []",
    ]
    for reminder in reminders:
        first = "  - "
        if reminder.times:
            at = ", ".join(f'"{clock(t)}"' for t in reminder.times)
            lines.append(f"{first}at: [{at}]")
            first = "    "
        if reminder.every is not None and reminder.between is not None:
            start, end = reminder.between
            lines.append(f"{first}every: {reminder.every // 60}m")
            lines.append(f'    between: "{clock(start)}-{clock(end)}"')
        lines.append(f"    days: {days_text(reminder.days)}")
        lines.append(f"    routine: {reminder.routine}")
    return "\n".join(lines) + "\n"


def save_reminders(reminders: list[Reminder], path: Path | None = None) -> None:
    """Write the file atomically."""
    from timer_app.routines.writer import save_text

    save_text(path or reminders_path(), reminders_text(reminders), replace=True)

"""Provides the `stretch` command: list, show, validate and run routines; show the history.

`--help`, `list`, `show` and `validate` must start fast, so nothing here imports Textual; the
full-screen app is imported only when it is about to run.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from timer_app import __version__
from timer_app.config.choices import SOUND_CHOICES
from timer_app.config.safety import SAFETY_NOTE
from timer_app.core.plan import HOLD_LIMIT, PAUSE_LIMIT, REPS_LIMIT, Limit

if TYPE_CHECKING:
    # Imported where used: `--help` and the app's first frame need none of the YAML machinery.
    from timer_app.config.settings import Settings
    from timer_app.core.plan import Overrides, Plan
    from timer_app.routines.library import Library
    from timer_app.routines.problems import Problem
    from timer_app.views.companions import Companions

EXIT_USAGE = 2


class CliError(Exception):
    """A problem to tell the user in one line, with the exit status to use."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


def _limited(limit: Limit, name: str) -> Callable[[str], float]:
    """An argument type that accepts what `limit` accepts, with its message."""

    def parse(text: str) -> float:
        try:
            return limit.parse(text)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    parse.__name__ = name
    return parse


def _whole(limit: Limit) -> Callable[[str], int]:
    return lambda text: int(_limited(limit, "whole number")(text))


_reps_arg = _whole(REPS_LIMIT)
_days_arg = _whole(Limit(1, whole=True))


def _add_routines_option(parser: argparse.ArgumentParser, dest: str) -> None:
    parser.add_argument(
        "--routines",
        dest=dest,
        action="append",
        type=Path,
        metavar="DIR",
        default=[],
        help="also load routine files from DIR (repeatable)",
    )


def _add_overrides(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("adjust the plan")
    group.add_argument(
        "--quick", action="store_true", help="in a hurry: one hold each (holds keep their length)"
    )
    group.add_argument("--reps", type=_reps_arg, metavar="N", help="held reps per side")
    group.add_argument(
        "--hold",
        type=_limited(HOLD_LIMIT, "duration"),
        metavar="SECONDS",
        help="hold time, e.g. 30 or 45s",
    )
    group.add_argument(
        "--prepare",
        type=_limited(PAUSE_LIMIT, "duration"),
        metavar="SECONDS",
        help="get-ready time before each exercise (a change of position still gets its minimum)",
    )
    group.add_argument(
        "--skip-optional",
        action="store_true",
        help="leave out the exercises the routine marks optional",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stretch",
        description="A guided, real-time stretching session timer for the terminal. "
        "With no command, opens the routine picker.",
        epilog=f"Safety: {SAFETY_NOTE}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"stretch-timer {__version__}")
    _add_routines_option(parser, "routines_before")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    list_cmd = commands.add_parser("list", help="list the routines")
    list_cmd.add_argument("--json", action="store_true", help="print JSON")

    show_cmd = commands.add_parser("show", help="show a routine's plan, step by step")
    show_cmd.add_argument("routine", metavar="ID")
    show_cmd.add_argument("--json", action="store_true", help="print JSON")
    _add_overrides(show_cmd)

    validate_cmd = commands.add_parser("validate", help="check routine files")
    validate_cmd.add_argument("paths", nargs="+", type=Path, metavar="PATH")

    run_cmd = commands.add_parser("run", help="follow a routine in real time")
    run_cmd.add_argument("routine", metavar="ID")
    run_cmd.add_argument(
        "--plain", action="store_true", help="plain text, one line per step (screen readers, logs)"
    )
    run_cmd.add_argument(
        "--sound",
        choices=SOUND_CHOICES,
        default=None,
        help="how cues are played (default: settings, else auto: the first that works)",
    )
    run_cmd.add_argument(
        "--voice",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="speak the stretch and side with a local speech engine such as espeak-ng",
    )
    _add_overrides(run_cmd)

    commands.add_parser("schema", help="print the JSON Schema of routine files")

    history_cmd = commands.add_parser(
        "history",
        help="sessions done, minutes per day and week, streaks",
        description="Recent sessions, minutes of stretching per day and per week, and the "
        "current and longest streak (days with a completed session, in local time).",
    )
    history_format = history_cmd.add_mutually_exclusive_group()
    history_format.add_argument("--json", action="store_true", help="print JSON")
    history_format.add_argument("--csv", action="store_true", help="print CSV, one row a session")
    history_cmd.add_argument(
        "--days",
        type=_days_arg,
        default=14,
        metavar="N",
        help="the last N days, today included (default 14)",
    )

    for sub in (list_cmd, show_cmd, validate_cmd, run_cmd):
        _add_routines_option(sub, "routines_after")
    return parser


def _overrides(args: argparse.Namespace) -> Overrides:
    from timer_app.core.plan import Overrides

    return Overrides(
        quick=args.quick,
        reps=args.reps,
        hold=args.hold,
        prepare=args.prepare,
        skip_optional=args.skip_optional,
    )


def _terminal_width(out: TextIO) -> int | None:
    """The terminal's width when printing to one; None (no limit) for pipes and files."""
    if not out.isatty():
        return None
    import shutil

    return shutil.get_terminal_size().columns


def _report_library(library: Library, err: TextIO) -> None:
    """Tell the user about broken files and replaced presets, without stopping."""
    for notice in library.notices:
        print(f"note: {notice}", file=err)
    for warning in library.warnings:
        print(warning, file=err)
    for problem in library.problems:
        print(f"error: {problem}", file=err)
    if library.problems:
        count = len(library.broken_files)
        print(
            f"{count} routine file{'s' if count != 1 else ''} could not be loaded; "
            "the other routines work",
            file=err,
        )


def _routine_dirs(args: argparse.Namespace) -> list[Path]:
    """The --routines folders, given before the command or after it."""
    return [*args.routines_before, *getattr(args, "routines_after", [])]


def _load(args: argparse.Namespace, err: TextIO) -> Library:
    from timer_app.routines.library import load_library

    library = load_library(_routine_dirs(args))
    _report_library(library, err)
    return library


def _plan(args: argparse.Namespace, err: TextIO) -> Plan:
    from timer_app.core.plan import compile_plan

    library = _load(args, err)
    try:
        routine = library.find(args.routine)
    except KeyError as error:
        raise CliError(str(error.args[0])) from None
    return compile_plan(routine, _overrides(args))


def cmd_list(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from timer_app.cli.tables import list_text, routine_summary
    from timer_app.core.plan import compile_plan

    library = _load(args, err)
    plans = {rid: compile_plan(routine) for rid, routine in library.routines.items()}
    if args.json:
        items = [routine_summary(library.routines[rid], plans[rid]) for rid in sorted(plans)]
        json.dump(items, out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        print(list_text(library, plans, _terminal_width(out)), file=out)
    return 0


def cmd_show(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from timer_app.cli.tables import plan_json, show_text

    plan = _plan(args, err)
    if args.json:
        json.dump(plan_json(plan), out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        print(show_text(plan), file=out)
    return 0


def cmd_validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from timer_app.routines.library import load_library, routine_files

    # The given files are checked together with the presets, so they may use preset exercises
    # and each other's; the user's own folder is left out to keep the answer about these files.
    paths: list[Path] = []
    missing: list[str] = []
    for path in args.paths:
        if path.exists():
            paths.extend(routine_files(path))
        else:
            missing.append(f"{path}: no such file or folder")
    checked = load_library(paths, user=False)
    wanted = set(paths)
    problems = [p for p in checked.problems if p.path in wanted]
    for line in missing:
        print(line, file=out)
    for problem in problems:
        print(problem, file=out)
    for warning in checked.warnings:
        if warning.path in wanted:
            print(warning, file=out)
    routines = [r for r in checked.routines.values() if r.path in wanted]
    if problems or missing or not paths:
        bad = len({p.path for p in problems}) + len(missing)
        print(f"{bad} of {len(paths) + len(missing)} files have problems", file=err)
        return 1
    count = len(paths)
    print(
        f"{count} file{'s' if count != 1 else ''} valid: "
        f"{len(routines)} routine{'s' if len(routines) != 1 else ''}",
        file=out,
    )
    return 0


def _settings() -> tuple[Settings, list[Problem]]:
    from timer_app.config.settings import load_settings

    return load_settings()


def _print_settings_problems(problems: Sequence[Problem], err: TextIO) -> None:
    """Plain mode's report of a bad settings file: one line a problem, before the session."""
    for problem in problems:
        print(f"warning: {problem} (using the default)", file=err)


def cmd_run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    settings, problems = _settings()
    plain = args.plain or not (out.isatty() and sys.stdin.isatty())
    if plain:
        _print_settings_problems(problems, err)
    if args.prepare is None and settings.prepare is not None:
        args.prepare = settings.prepare
    # The command line wins over the settings file for this one run.
    settings = replace(
        settings,
        sound=args.sound if args.sound is not None else settings.sound,
        voice=args.voice if args.voice is not None else settings.voice,
    )
    companions = _companions(settings)
    if plain:
        # The audio device opens in a thread while the routine files are read.
        companions.start_opening()
    plan = _plan(args, err)
    if plain:
        from timer_app.views.plain.run import run_plain

        return run_plain(
            plan,
            stdout=out,
            stdin=sys.stdin,
            count_in=settings.count_in,
            companions=companions,
            keys=settings.keys,
        )
    return _run_app(
        plan=plan,
        settings=settings,
        settings_problems=problems,
        args=args,
        companions=companions,
    )


def _companions(settings: Settings) -> Companions:
    from timer_app.views.companions import Companions

    # Every session the `stretch` command runs is recorded in the history.
    return Companions(
        sound=settings.sound, volume=settings.volume, voice=settings.voice, history=True
    )


def _run_app(
    *,
    plan: Plan | None,
    settings: Settings,
    settings_problems: Sequence[Problem],
    args: argparse.Namespace,
    companions: Companions,
) -> int:
    """Run the full-screen app. Problems in the settings file are shown in it, until the user
    dismisses them: printed here, they would be hidden the moment the app takes the screen."""
    from timer_app.views.tui.app import StretchApp

    app = StretchApp(
        plan=plan,
        routine_dirs=_routine_dirs(args),
        settings=settings,
        settings_problems=settings_problems,
        companions=companions,
    )
    status = app.run()
    return status if isinstance(status, int) else 0


def cmd_schema(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from timer_app.routines.json_schema import schema_text

    out.write(schema_text())
    return 0


def cmd_history(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    # Imported here: `stretch --help` and the other commands need no SQLite.
    import sqlite3

    from timer_app.history.records import utc_now
    from timer_app.history.report import read_report, report_csv, report_json, report_text
    from timer_app.history.store import History

    history = History(notify=lambda text: print(f"note: {text}", file=err))
    try:
        report = read_report(history, days=args.days, now=utc_now())
    except (sqlite3.Error, OSError) as error:
        raise CliError(f"cannot read the history in {history.path}: {error}") from None
    if report is None:
        # History is off or the file cannot be read; the note above said why.
        return 1
    if args.json:
        json.dump(report_json(report), out, indent=2, ensure_ascii=False)
        out.write("\n")
    elif args.csv:
        report_csv(report, out)
    else:
        print(report_text(report), file=out)
    return 0


def cmd_default(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if not (out.isatty() and sys.stdin.isatty()):
        # No terminal to draw on (a pipe, a script): the list is the useful answer.
        args.json = False
        status = cmd_list(args, out, err)
        print("\nStart one with: stretch run ID", file=out)
        return status
    settings, problems = _settings()
    return _run_app(
        plan=None,
        settings=settings,
        settings_problems=problems,
        args=args,
        companions=_companions(settings),
    )


COMMANDS = {
    "list": cmd_list,
    "show": cmd_show,
    "validate": cmd_validate,
    "run": cmd_run,
    "schema": cmd_schema,
    "history": cmd_history,
    None: cmd_default,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    out, err = sys.stdout, sys.stderr
    try:
        return COMMANDS[args.command](args, out, err)
    except CliError as error:
        print(f"stretch: {error}", file=err)
        return error.status
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `stretch list | head` closes the pipe early; that is not an error for the user.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - replaces the dead stream for exit
        return 0

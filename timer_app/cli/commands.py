"""Provides the commands that read routines and history: list, exercises, show, validate,
schema, history.

Each imports what it needs when it runs: `--help` and the app's first frame need none of the
YAML or SQLite machinery.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from timer_app.cli.parser import overrides, routine_dirs

if TYPE_CHECKING:
    from timer_app.config.settings import Settings
    from timer_app.core.plan import Plan
    from timer_app.routines.catalog import Library
    from timer_app.routines.problems import Problem

__all__ = [
    "CliError",
    "cmd_exercises",
    "cmd_figure",
    "cmd_history",
    "cmd_list",
    "cmd_schema",
    "cmd_show",
    "cmd_validate",
    "load_library_for",
    "load_plan",
    "output_width",
    "settings_for",
]


class CliError(Exception):
    """A problem to tell the user in one line, with the exit status to use."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


def output_width(out: TextIO) -> int:
    """The width text printed to `out` wraps to: the terminal's (`COLUMNS` when set), or 80
    for a pipe or a file."""
    from timer_app.core.wrap import PIPE_WIDTH

    if not out.isatty():
        return PIPE_WIDTH
    import shutil

    return shutil.get_terminal_size((PIPE_WIDTH, 24)).columns


def settings_for(err: TextIO | None) -> tuple[Settings, list[Problem]]:
    """The settings in force, and the problems of the settings file. With `err`, each problem
    is printed there, one line each, before the command goes on with the defaults; without,
    the view that follows shows them."""
    from timer_app.config.settings import load_settings

    settings, problems = load_settings()
    if err is not None:
        for problem in problems:
            print(f"warning: {problem} (using the default)", file=err)
    return settings, problems


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


def load_library_for(args: argparse.Namespace, err: TextIO | None) -> Library:
    """The presets, the user's routines and any `--routines` folders; problems in them are
    printed to `err` (None: not at all)."""
    from timer_app.routines.cache import cached_library

    library = cached_library(routine_dirs(args))
    if err is not None:
        _report_library(library, err)
    return library


def load_plan(args: argparse.Namespace, err: TextIO | None) -> tuple[Plan, Library]:
    """The plan of the routine asked for, and the library it came from. Problems in other
    files are printed to `err`; with None, the caller shows them (the full-screen app, which
    would cover anything printed)."""
    from timer_app.core.plan import compile_plan

    library = load_library_for(args, err)
    try:
        routine = library.find(args.routine)
    except KeyError as error:
        raise CliError(str(error.args[0])) from None
    return compile_plan(routine, overrides(args)), library


def cmd_list(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from timer_app.cli.tables import list_text, routine_summary
    from timer_app.core.plan import compile_plan

    library = load_library_for(args, err)
    plans = {rid: compile_plan(routine) for rid, routine in library.routines.items()}
    if args.json:
        items = [routine_summary(library.routines[rid], plans[rid]) for rid in sorted(plans)]
        json.dump(items, out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        print(list_text(library, plans, output_width(out)), file=out)
    return 0


def cmd_exercises(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from timer_app.cli.tables import exercise_summary, exercises_text

    library = load_library_for(args, err)
    chosen = [
        exercise
        for _, exercise in sorted(library.exercises.items())
        if (args.position is None or exercise.position == args.position)
        and (args.equipment is None or args.equipment in exercise.equipment)
    ]
    if args.json:
        items = [exercise_summary(e, library.origins.get(e.id)) for e in chosen]
        json.dump(items, out, indent=2, ensure_ascii=False)
        out.write("\n")
    elif chosen:
        print(exercises_text(chosen, library.origins, output_width(out)), file=out)
    else:
        # Not an error: the filters were fine, the library just has nothing that fits.
        print("no exercise matches; `stretch exercises` lists them all", file=err)
    return 0


FIGURE_SIZE = (36, 9)
"""Columns and rows of each keyframe `stretch figure` draws."""


def cmd_figure(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from timer_app.core.text import safe_text
    from timer_app.figures.dots import dots
    from timer_app.figures.generic import figure_of
    from timer_app.figures.scene import draw
    from timer_app.figures.svg import svg

    library = load_library_for(args, err)
    # The library's exercises first, then those a routine defines for itself.
    own = {
        entry.exercise.id: entry.exercise
        for routine in library.routines.values()
        for entry in routine.entries
    }
    exercise = library.exercises.get(args.exercise) or own.get(args.exercise)
    if exercise is None:
        raise CliError(
            f"no exercise '{safe_text(args.exercise)}'; `stretch exercises` lists them", 2
        )
    figure = figure_of(exercise)
    side = args.side or ("left" if exercise.per_side else None)
    drawing = draw(figure, exercise.position, side)
    poses = {"start": figure.start, "stretch": figure.stretch, "release": figure.released}
    title = exercise.name + (f", {side} side" if side else "")
    if args.svg is not None:
        try:
            args.svg.write_text(svg(drawing, poses[args.pose], title=title), encoding="utf-8")
        except OSError as error:
            raise CliError(f"cannot write {args.svg}: {error.strerror}") from error
        print(f"wrote {args.svg}", file=out)
        return 0
    names = ["start", "stretch", *(["release"] if figure.release is not None else [])]
    words = {"start": "Start", "stretch": "Stretch", "release": "Release"}
    print(title + ("" if exercise.figure else f" (the figure of {exercise.position})"), file=out)
    for name in names:
        print(f"\n{words[name]}:", file=out)
        for line in dots(drawing, poses[name], *FIGURE_SIZE):
            print(line.rstrip(), file=out)
    return 0


def cmd_show(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from timer_app.cli.tables import plan_json, show_text

    plan, _ = load_plan(args, err)
    if args.json:
        json.dump(plan_json(plan), out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        print(show_text(plan, output_width(out), brief=args.brief), file=out)
    return 0


def cmd_validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from timer_app.core.text import safe_text
    from timer_app.routines.catalog import routine_files
    from timer_app.routines.library import load_library

    # The given files are checked together with the presets, so they may use preset exercises
    # and each other's; the user's own folder is left out to keep the answer about these files.
    paths: list[Path] = []
    missing: list[str] = []
    for path in args.paths:
        found = routine_files(path) if path.exists() else []
        paths.extend(found)
        if not path.exists():
            missing.append(f"{safe_text(str(path))}: no such file or folder")
        elif not found:
            missing.append(
                f"{safe_text(str(path))}: no routine files (*.yaml, *.yml) in this folder"
            )
    checked = load_library(paths, user=False)
    wanted = set(paths)
    problems = [p for p in checked.problems if p.path in wanted]
    warnings = [w for w in checked.warnings if w.path in wanted]
    for line in missing:
        print(line, file=out)
    # In file order, warnings among the problems, so the closing count always comes last.
    for problem in sorted([*problems, *warnings]):
        print(problem, file=out)
    routines = [r for r in checked.routines.values() if r.path in wanted]
    if problems or missing or not paths:
        bad = len({p.path for p in problems}) + len(missing)
        # On the same stream as the problems, so the count always comes after them on a line
        # of its own, however the two streams are joined.
        print(f"{bad} of {len(paths) + len(missing)} files have problems", file=out)
        return 1
    count = len(paths)
    print(
        f"{count} file{'s' if count != 1 else ''} valid: "
        f"{len(routines)} routine{'s' if len(routines) != 1 else ''}",
        file=out,
    )
    return 0


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
        print(report_text(report, width=output_width(out)), file=out)
    return 0

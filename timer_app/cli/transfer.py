"""Provides `stretch export` and `stretch import`: routines shared as files between people.

An exported routine carries every exercise it uses, so it works for someone whose exercise
library differs. An import checks the file first and copies nothing if anything is wrong; it
never replaces a routine, a preset or one of the user's, and says where the copy went.
"""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path
from typing import TextIO

from timer_app.cli.commands import CliError, load_library_for
from timer_app.core.text import safe_text

__all__ = ["cmd_export", "cmd_import", "shown_path"]


def cmd_export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from timer_app.cli.audio import SESSION_FLAGS, cmd_export_audio

    if args.audio is not None:
        return cmd_export_audio(args, out, err)
    given = [flag for flag, unset in SESSION_FLAGS.items() if getattr(args, flag) != unset]
    if given:
        options = ", ".join("--" + flag.replace("_", "-") for flag in given)
        raise CliError(
            f"{options}: these adjust a session, so they go with --audio FILE; "
            "the routine file is written as it is",
            2,
        )
    from timer_app.routines.writer import routine_file_name, routine_text, save_text

    library = load_library_for(args, err)
    try:
        routine = library.find(args.routine)
    except KeyError as error:
        raise CliError(str(error.args[0])) from None
    # No library given: every exercise is written out in full, so the file stands alone.
    text = routine_text(routine)
    output: Path | None = args.output
    if output is None or str(output) == "-":
        out.write(text)
        return 0
    if output.is_dir():
        example = shown_path(output / routine_file_name(routine.id))
        raise CliError(f"{shown_path(output)} is a folder; give a file name, e.g. {example}")
    if not output.parent.is_dir():
        # A mistyped folder is more likely than a wish for a new one.
        raise CliError(
            f"cannot write {shown_path(output)}: there is no folder {shown_path(output.parent)}"
        )
    try:
        save_text(output, text)
    except FileExistsError:
        raise CliError(f"{shown_path(output)} already exists; give another file name") from None
    except OSError as error:
        raise CliError(f"cannot write {shown_path(output)}: {error.strerror}") from None
    print(f"Exported '{routine.id}' to {shown_path(output)}", file=out)
    print(f"Someone else can add it with: stretch import {shown_path(output)}", file=out)
    return 0


def shown_path(path: Path) -> str:
    """A path as it may be printed, and pasted back into a command: quoted where a shell
    needs it, control characters made visible."""
    return safe_text(shlex.quote(str(path)))


def cmd_import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from timer_app.core.paths import user_routines_dir
    from timer_app.routines.draft import check_value
    from timer_app.routines.format import TITLE
    from timer_app.routines.importing import is_routine_id, prepare_import
    from timer_app.routines.writer import routine_file_name, save_text

    if args.new_id is not None and not is_routine_id(args.new_id):
        raise CliError(
            f"--as {args.new_id!r}: use lower-case letters, digits and single hyphens, "
            "e.g. my-morning-stretch",
            status=2,
        )
    if args.title is not None:
        _, wrong = check_value(TITLE, args.title, is_text=True)
        if safe_text(args.title) != args.title:
            wrong = "control characters cannot be part of a title"
        if wrong or not args.title.strip():
            why = wrong or "a title cannot be empty"
            raise CliError(f"--title {safe_text(repr(args.title))}: {why}", status=2)
    # Problems in other files are not this command's business; they show in `stretch list`.
    library = load_library_for(args, None)
    prepared = prepare_import(
        args.file,
        dict(library.exercises),
        args.new_id,
        title=args.title,
        taken_titles=[r.title for r in library.routines.values()],
    )
    for warning in prepared.warnings:
        print(warning, file=err)
    for problem in prepared.problems:
        print(problem, file=err)
    routine = prepared.routine
    if prepared.problems or routine is None:
        count = len(prepared.problems)
        print(f"{count} problem{'s' if count != 1 else ''}; nothing was imported", file=err)
        return 1
    taken = library.routines.get(routine.id)
    if taken is not None:
        what = "a preset"
        if not taken.preset:
            what = "your routine" + (f" in {shown_path(taken.path)}" if taken.path else "")
        raise CliError(
            f"the id '{routine.id}' is taken by {what}; import it under a new id with "
            f"`stretch import {shown_path(args.file)} --as NEW_ID`"
        )
    target = user_routines_dir() / routine_file_name(routine.id)
    try:
        save_text(target, prepared.text)
    except FileExistsError:
        raise CliError(
            f"{shown_path(target)} already exists (a file that does not load, or a routine with "
            "another id); import it under a new id with --as NEW_ID"
        ) from None
    except OSError as error:
        raise CliError(f"cannot write {shown_path(target)}: {error.strerror}") from None
    kind = "the Feeel workout" if prepared.source == "feeel" else "the routine"
    print(f"Imported {kind} \u201c{routine.title}\u201d as {shown_path(target)}", file=out)
    if prepared.retitled_from is not None:
        print(
            f"Titled as a copy: a routine in your list is \u201c{prepared.retitled_from}\u201d"
            " already (--title gives it a title of your own).",
            file=out,
        )
    print(f"Run it with: stretch run {routine.id}", file=out)
    return 0

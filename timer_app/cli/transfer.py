"""Provides `stretch export` and `stretch import`: routines shared as files between people.

An exported routine carries every exercise it uses, so it works for someone whose exercise
library differs. An import checks the file first and copies nothing if anything is wrong; it
never replaces a routine, a preset or one of the user's, and says where the copy went.
"""

from __future__ import annotations

import argparse
from typing import TextIO

from timer_app.cli.commands import CliError, load_library_for

__all__ = ["cmd_export", "cmd_import"]


def cmd_export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from timer_app.routines.writer import routine_text, save_text

    library = load_library_for(args, err)
    try:
        routine = library.find(args.routine)
    except KeyError as error:
        raise CliError(str(error.args[0])) from None
    # No library given: every exercise is written out in full, so the file stands alone.
    text = routine_text(routine)
    if args.output is None:
        out.write(text)
        return 0
    try:
        save_text(args.output, text)
    except FileExistsError:
        raise CliError(f"{args.output} already exists; give another file name") from None
    except OSError as error:
        raise CliError(f"cannot write {args.output}: {error.strerror}") from None
    print(f"Exported '{routine.id}' to {args.output}", file=out)
    print(f"Someone else can add it with: stretch import {args.output}", file=out)
    return 0


def cmd_import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from timer_app.core.paths import user_routines_dir
    from timer_app.routines.importing import is_routine_id, prepare_import
    from timer_app.routines.writer import routine_file_name, save_text

    if args.new_id is not None and not is_routine_id(args.new_id):
        raise CliError(
            f"--as {args.new_id!r}: use lower-case letters, digits and single hyphens, "
            "e.g. my-morning-stretch",
            status=2,
        )
    if not args.file.is_file():
        raise CliError(f"{args.file}: no such file")
    # Problems in other files are not this command's business; they show in `stretch list`.
    library = load_library_for(args, None)
    prepared = prepare_import(args.file, dict(library.exercises), args.new_id)
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
        what = "a preset" if taken.preset else f"your routine in {taken.path}"
        raise CliError(
            f"the id '{routine.id}' is taken by {what}; import it under a new id with "
            f"`stretch import {args.file} --as NEW_ID`"
        )
    target = user_routines_dir() / routine_file_name(routine.id)
    try:
        save_text(target, prepared.text)
    except FileExistsError:
        raise CliError(
            f"{target} already exists (a file that does not load, or a routine with another "
            "id); import it under a new id with --as NEW_ID"
        ) from None
    except OSError as error:
        raise CliError(f"cannot write {target}: {error.strerror}") from None
    kind = "the Feeel workout" if prepared.source == "feeel" else "the routine"
    print(f"Imported {kind} \u201c{routine.title}\u201d as {target}", file=out)
    print(f"Run it with: stretch run {routine.id}", file=out)
    return 0

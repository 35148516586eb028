"""Provides the `stretch` command's entry point, and the commands that run a session.

`--help`, `list`, `show` and `validate` must start fast, so nothing here imports Textual; the
full-screen app is imported only when it is about to run.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, TextIO

from timer_app.cli.commands import (
    CliError,
    cmd_exercises,
    cmd_figure,
    cmd_history,
    cmd_list,
    cmd_schema,
    cmd_show,
    cmd_validate,
    load_plan,
    settings_for,
)
from timer_app.cli.parser import (
    build_parser,
    routine_dirs,
    voice_choice,
    voice_options_given,
    with_share_value,
)
from timer_app.cli.remind import cmd_remind
from timer_app.cli.sounds import cmd_sounds
from timer_app.cli.transfer import cmd_export, cmd_import
from timer_app.cli.voices import cmd_voices

if TYPE_CHECKING:
    from timer_app.companions import Companions
    from timer_app.config.settings import Settings
    from timer_app.core.plan import Plan
    from timer_app.routines.catalog import Library
    from timer_app.routines.problems import Problem

__all__ = ["main"]


def _speaking(args: argparse.Namespace, settings: Settings) -> bool:
    """Whether the prompts are spoken this run: --voice or --no-voice, else a voice, rate or
    pitch on the command line, else the settings."""
    if voice_options_given(args):
        if args.voice is False:
            raise CliError("--no-voice cannot go with a voice, rate or pitch", status=2)
        return True
    return settings.voice if args.voice is None else args.voice


def cmd_run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    plain = args.plain or not (out.isatty() and sys.stdin.isatty())
    # Plain mode prints a bad settings file's problems before the session; the app shows them.
    settings, problems = settings_for(err if plain else None)
    if args.prepare is None and settings.prepare is not None:
        args.prepare = settings.prepare
    # The command line wins over the settings file for this one run.
    settings = replace(
        settings,
        sound=args.sound if args.sound is not None else settings.sound,
        cues=args.cues or settings.cues,
        voice=_speaking(args, settings),
        voice_choice=voice_choice(args, settings.voice_choice),
    )
    companions = _companions(settings, bell=out.isatty())
    if plain:
        # The audio device opens in a thread while the routine files are read.
        companions.start_opening()
    # Full screen, the app shows other files' problems: printed, they would be covered at once.
    plan, library = load_plan(args, err if plain else None)
    if plain:
        from timer_app.views.plain.run import run_plain

        return run_plain(
            plan,
            stdout=out,
            stdin=sys.stdin,
            count_in=settings.count_in,
            companions=companions,
            keys=settings.keys,
            share=args.share,
            countdown=settings.plain_countdown,
            command_line=args.command_line,
        )
    return _run_app(
        plan=plan,
        library=library,
        settings=settings,
        settings_problems=problems,
        args=args,
        companions=companions,
        share=args.share,
        command_line=args.command_line,
    )


def _companions(settings: Settings, *, bell: bool = True) -> Companions:
    """`bell`: whether the terminal bell can ring (not when plain mode writes to a pipe)."""
    from timer_app.companions import Companions

    # Every session the `stretch` command runs is recorded in the history.
    return Companions(
        sound=settings.sound,
        volume=settings.volume,
        voice=settings.voice,
        voice_choice=settings.voice_choice,
        history=True,
        bell=bell,
        cue_set=settings.cues,
        cue_volume=settings.cue_volume,
        count_last=settings.count_last,
        say_halfway=settings.say_halfway,
    )


def _run_app(
    *,
    plan: Plan | None,
    library: Library | None = None,
    settings: Settings,
    settings_problems: Sequence[Problem],
    args: argparse.Namespace,
    companions: Companions,
    share: str | None = None,
    build: bool = False,
    notices: Sequence[str] = (),
    command_line: Sequence[str] = (),
) -> int:
    """Run the full-screen app (with `build`, in the routine builder). Problems in the
    settings file are shown in it, until the user dismisses them: printed here, they would be
    hidden the moment the app takes the screen."""
    from timer_app.views.foreground import wait_for_foreground

    # Started with & or under timeout, taking the terminal would stop the process (SIGTTOU)
    # where no signal but SIGKILL ends it: it waits for an fg instead.
    stopped = wait_for_foreground(sys.stdin, sys.stderr)
    if stopped is not None:
        return stopped

    from timer_app.views.tui.app import StretchApp

    app = StretchApp(
        plan=plan,
        library=library,
        routine_dirs=routine_dirs(args),
        settings=settings,
        settings_problems=settings_problems,
        companions=companions,
        share=share,
        build=build,
        notices=notices,
        command_line=command_line,
    )
    status = app.run()
    return status if isinstance(status, int) else 0


def _missed_reminder() -> str | None:
    """`You missed a reminder at 15:30`, once, when one found no desktop to show on."""
    from timer_app.remind.state import state_path

    if not state_path().exists():
        return None
    from timer_app.remind.due import take_missed
    from timer_app.remind.schedule import local_zone

    return take_missed(local_zone())


def cmd_default(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    missed = _missed_reminder()
    if not (out.isatty() and sys.stdin.isatty()):
        if missed:
            print(missed, file=err)
        # No terminal to draw on (a pipe, a script): the list is the useful answer.
        args.json = False
        status = cmd_list(args, out, err)
        print("\nStart one with: stretch run ID", file=out)
        return status
    return _open_picker(args, notices=[missed] if missed else [])


def cmd_new(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if not (out.isatty() and sys.stdin.isatty()):
        raise CliError(
            "`stretch new` opens the routine builder, which needs a terminal; "
            "to write a routine file by hand, see `stretch schema`",
            status=2,
        )
    return _open_picker(args, build=True)


def _open_picker(
    args: argparse.Namespace, *, build: bool = False, notices: Sequence[str] = ()
) -> int:
    """The app at the picker with the user's settings; with `build`, the builder over it.
    `notices`: said once the picker shows (a missed reminder)."""
    settings, problems = settings_for(None)
    return _run_app(
        plan=None,
        settings=settings,
        settings_problems=problems,
        notices=notices,
        args=args,
        companions=_companions(settings),
        build=build,
    )


COMMANDS = {
    "list": cmd_list,
    "exercises": cmd_exercises,
    "figure": cmd_figure,
    "show": cmd_show,
    "validate": cmd_validate,
    "run": cmd_run,
    "schema": cmd_schema,
    "history": cmd_history,
    "new": cmd_new,
    "export": cmd_export,
    "import": cmd_import,
    "remind": cmd_remind,
    "sounds": cmd_sounds,
    "voices": cmd_voices,
    None: cmd_default,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    words = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(with_share_value(words))
    args.command_line = words  # as typed, for a command to suggest that keeps every option
    out, err = sys.stdout, sys.stderr
    try:
        return COMMANDS[args.command](args, out, err)
    except CliError as error:
        print(f"stretch: {error}", file=err)
        return error.status
    except KeyboardInterrupt:
        from timer_app.core.stops import INTERRUPTED

        return INTERRUPTED
    except BrokenPipeError:
        # `stretch list | head` closes the pipe early; that is not an error for the user.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - replaces the dead stream for exit
        return 0

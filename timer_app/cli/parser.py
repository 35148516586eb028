"""Provides the `stretch` command line: its arguments, options and the checks on their values.

Kept apart from the commands so `stretch --help` builds it without importing any of them.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from timer_app import __version__
from timer_app.config.choices import CUE_SETS, CUES, SHARE_CHOICES, SOUND_CHOICES
from timer_app.config.safety import SAFETY_NOTE
from timer_app.config.voice import DEFAULT_PITCH, DEFAULT_RATE, PITCH_RANGE, RATE_RANGE, check_name
from timer_app.core.model import (
    EQUIPMENT,
    EQUIPMENT_SYNONYMS,
    POSITION_ALIASES,
    POSITION_SYNONYMS,
    POSITIONS,
    synonym_key,
)
from timer_app.core.plan import HOLD_LIMIT, PAUSE_LIMIT, REPS_LIMIT, ROUND_REST, ROUNDS_LIMIT, Limit

if TYPE_CHECKING:
    from timer_app.config.voice import VoiceChoice
    from timer_app.core.plan import Overrides

__all__ = ["build_parser", "overrides", "routine_dirs", "voice_choice", "voice_options_given"]

_T = TypeVar("_T")


def _argument(parse: Callable[[str], _T], name: str) -> Callable[[str], _T]:
    """An argument type from a parser that raises ValueError with its message."""

    def checked(text: str) -> _T:
        try:
            return parse(text)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    checked.__name__ = name
    return checked


def _limited(limit: Limit, name: str) -> Callable[[str], float]:
    """An argument type that accepts what `limit` accepts, with its message."""
    return _argument(limit.parse, name)


def _whole(limit: Limit) -> Callable[[str], int]:
    return lambda text: int(_limited(limit, "whole number")(text))


def _position_arg(text: str) -> str:
    """A position as a person writes it: its id, an older id or a synonym ('sitting')."""
    key = synonym_key(text)
    if key in POSITIONS:
        return key
    meant = POSITION_ALIASES.get(key) or POSITION_SYNONYMS.get(key)
    if meant is not None:
        return meant
    # Imported only for a mistake: the same suggestions as `stretch validate` gives.
    from timer_app.routines.format import POSITION

    hint = POSITION.suggestion(text)
    raise argparse.ArgumentTypeError(f"{text!r} is not one of: {', '.join(POSITIONS)}{hint}")


def _equipment_arg(text: str) -> str:
    """A piece of equipment as a person writes it: its id or a word such as 'desk'."""
    key = synonym_key(text)
    if key in EQUIPMENT:
        return key
    if key in EQUIPMENT_SYNONYMS:
        return EQUIPMENT_SYNONYMS[key]
    from timer_app.routines.fields import did_you_mean

    hint = did_you_mean(key, EQUIPMENT)
    raise argparse.ArgumentTypeError(f"{text!r} is not one of: {', '.join(EQUIPMENT)}{hint}")


_position_arg.__name__ = "position"
_equipment_arg.__name__ = "equipment"
_reps_arg = _whole(REPS_LIMIT)
_rounds_arg = _whole(ROUNDS_LIMIT)
_days_arg = _whole(Limit(1, whole=True))
_voice_arg = _argument(check_name, "voice")
_rate_arg = _whole(Limit(*RATE_RANGE, whole=True))
_pitch_arg = _whole(Limit(*PITCH_RANGE, whole=True))


def _paragraphs(*texts: str) -> str:
    """A description of several paragraphs, each wrapped (argparse would run them together)."""
    import textwrap

    return "\n\n".join(textwrap.fill(text, 79) for text in texts)


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
        "--rounds",
        type=_rounds_arg,
        default=1,
        metavar="N",
        help=f"do the whole routine N times, with {ROUND_REST:g} s of rest between rounds",
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

    exercises_cmd = commands.add_parser(
        "exercises",
        help="list the library's exercises, to use by id in your routines",
        description="The exercises any routine may use by id: the built-in library and any "
        "exercise library files in your routines folder.",
    )
    exercises_cmd.add_argument("--json", action="store_true", help="print JSON")
    exercises_cmd.add_argument(
        "--position",
        type=_position_arg,
        metavar="P",
        help="only those done in this position: " + ", ".join(POSITIONS) + " (or a word "
        "such as sitting or all-fours)",
    )
    exercises_cmd.add_argument(
        "--equipment",
        type=_equipment_arg,
        metavar="E",
        help="only those that use this: " + ", ".join(EQUIPMENT) + " (or a word such as desk)",
    )

    show_cmd = commands.add_parser("show", help="show a routine's plan, step by step")
    show_cmd.add_argument("routine", metavar="ID")
    show_cmd.add_argument("--json", action="store_true", help="print JSON")
    show_cmd.add_argument(
        "--brief",
        action="store_true",
        help="leave out each exercise's how-to and note (the steps and moves stay)",
    )
    _add_overrides(show_cmd)

    figure_cmd = commands.add_parser(
        "figure",
        help="draw an exercise's figure in the terminal, or write it as SVG",
        description="Draws the exercise's keyframes (start, stretch and, for a tempo "
        "exercise, release) in braille, or writes one of them as an SVG picture.",
    )
    figure_cmd.add_argument("exercise", metavar="ID")
    figure_cmd.add_argument(
        "--side", choices=("left", "right"), help="the side to draw (right: the mirror image)"
    )
    figure_cmd.add_argument("--svg", type=Path, metavar="FILE", help="write an SVG picture")
    figure_cmd.add_argument(
        "--pose",
        choices=("start", "stretch", "release"),
        default="stretch",
        help="the keyframe --svg writes (default: stretch)",
    )

    validate_cmd = commands.add_parser("validate", help="check routine files")
    validate_cmd.add_argument("paths", nargs="+", type=Path, metavar="PATH")

    run_cmd = _add_run(commands)

    new_cmd = commands.add_parser(
        "new",
        help="build a routine of your own in the app",
        description="Open the full-screen app in the routine builder: choose exercises, set "
        "their doses, see the plan, and save it to your routines folder.",
    )

    commands.add_parser("schema", help="print the JSON Schema of routine files")

    sounds_cmd = commands.add_parser(
        "sounds",
        help="list the cue sets and play their cues",
        description="List the cue sets and play each one's cues in turn, naming each as it "
        "plays; or one set's (`stretch sounds soft`), or one cue (`stretch sounds soft --cue "
        "switch`). Choose a set with `cues:` in the settings, or in the picker's options.",
    )
    sounds_cmd.add_argument(
        "set", nargs="?", choices=tuple(CUE_SETS), metavar="SET", help=", ".join(CUE_SETS)
    )
    sounds_cmd.add_argument(
        "--cue",
        choices=CUES,
        metavar="NAME",
        help=f"play this cue alone (of SET, else of your set): {', '.join(CUES)}",
    )
    sounds_cmd.add_argument(
        "--sound",
        choices=SOUND_CHOICES,
        default=None,
        help="how to play them (default: settings, else auto)",
    )

    export_cmd = _add_export(commands)

    import_cmd = commands.add_parser(
        "import",
        help="check a routine file or a Feeel workout and copy it into your routines",
        description="Check a routine file (or a workout exported from Feeel, a .feeel JSON "
        "file) and copy it into your routines folder as ID.yaml. Nothing is copied if the file "
        "has problems, and an id already in use (a preset's or yours) is refused: give the "
        "copy a new one with --as. A copy whose title is in your list already is titled as a "
        "copy; --title gives it one of your own.",
    )
    import_cmd.add_argument("file", type=Path, metavar="FILE")
    import_cmd.add_argument(
        "--as",
        dest="new_id",
        metavar="NEW_ID",
        help="save it under this id (the file's `id:` is changed to match)",
    )
    import_cmd.add_argument(
        "--title",
        metavar="TITLE",
        help="give the copy this title (default: its own, or, when a routine in your list "
        "has that title already, its own followed by (copy))",
    )

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

    _add_voices(commands)
    _add_remind(commands)

    for sub in (
        list_cmd,
        exercises_cmd,
        show_cmd,
        validate_cmd,
        run_cmd,
        new_cmd,
        export_cmd,
        import_cmd,
    ):
        _add_routines_option(sub, "routines_after")
    return parser


def _add_voices(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    voices_cmd = commands.add_parser(
        "voices",
        help="list the espeak-ng voices; --say NAME lets you hear one",
        description="The voices espeak-ng has installed, marked * where they can read the "
        "prompts (which are in English). Choose one with `voice: {name: NAME}` in settings or "
        "`stretch run ID --voice-name NAME`; `--say NAME` lets you hear it first.",
    )
    voices_cmd.add_argument("--json", action="store_true", help="print JSON")
    voices_cmd.add_argument(
        "--english", action="store_true", help="only the voices that can read the prompts"
    )
    voices_cmd.add_argument(
        "--say",
        nargs="?",
        const="",
        default=None,
        metavar="NAME",
        help="say a prompt from a routine in voice NAME (default: the settings' voice), "
        "through the same player as a session",
    )
    _add_voice_options(voices_cmd, None, "--rate", "--pitch")


def _add_run(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    """`stretch run ID`: a session, with how it sounds, speaks and is shared."""
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
    _add_cues_option(run_cmd)
    voice = run_cmd.add_argument_group(
        "spoken prompts",
        "These win over `voice:` in settings; a voice, rate or pitch also turns speaking on.",
    )
    voice.add_argument(
        "--voice",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="speak the stretch and side with a local speech engine such as espeak-ng",
    )
    _add_voice_options(voice, "--voice-name", "--voice-rate", "--voice-pitch")
    run_cmd.add_argument(
        "--share",
        nargs="?",
        const="local",
        choices=SHARE_CHOICES,
        default=None,
        metavar="lan",
        help="follow the session in a browser: its address and QR code are shown, and the "
        "session starts when you press Enter or tap Start on the page; on this computer only "
        "(`local`, the default), or with `lan` on the local network",
    )
    _add_overrides(run_cmd)
    return run_cmd


def _add_export(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    """`stretch export`: a routine as a file to share, or with --audio a session as sound."""
    export_cmd = commands.add_parser(
        "export",
        help="write a routine as one file to share, or a session as an audio file",
        description=_paragraphs(
            "Write a routine (a preset or your own) as a file someone else can check with "
            "`stretch validate` and add with `stretch import`. Every exercise it uses is "
            "written out in full, so it works without your exercise library.",
            "With --audio FILE, write a whole session as an audio file to follow without a "
            "screen: the spoken safety note, then every cue and spoken prompt at its moment, "
            "with one chapter per exercise. The name's ending picks the format: .mp3 (ID3 "
            "chapters), .ogg (Vorbis) or .opus (Opus; both with Ogg chapter comments), or .wav "
            "(with a .cue sheet of the chapters beside it). Without a speech engine such as "
            "espeak-ng the file has the cues and chapters alone.",
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    export_cmd.add_argument("routine", metavar="ID")
    export_cmd.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="write to FILE (never over an existing one) instead of printing",
    )
    export_cmd.add_argument(
        "--audio",
        type=Path,
        metavar="FILE",
        help="write the session as audio to FILE (.mp3, .ogg, .opus or .wav; never over an "
        "existing one), adjusted by the options below as `stretch run` would be",
    )
    _add_overrides(export_cmd)
    _add_cues_option(export_cmd)
    spoken = export_cmd.add_argument_group(
        "the voice of --audio (default: the settings' voice, else espeak-ng's English)"
    )
    _add_voice_options(spoken, "--voice-name", "--voice-rate", "--voice-pitch")
    return export_cmd


def _add_cues_option(command: argparse.ArgumentParser) -> None:
    """--cues SET: the cue set of this session, over the settings' `cues:`."""
    command.add_argument(
        "--cues",
        choices=tuple(CUE_SETS),
        default=None,
        metavar="SET",
        help="the set of cue sounds: "
        + ", ".join(f"{name} ({words})" for name, words in CUE_SETS.items())
        + " (default: settings, else tones; `stretch sounds` plays them)",
    )


def _add_voice_options(
    group: argparse._ActionsContainer, name: str | None, rate: str, pitch: str
) -> None:
    """The voice's name, rate and pitch options, as `run` and `voices` spell them."""
    if name is not None:
        group.add_argument(
            name,
            dest="voice_name",
            type=_voice_arg,
            metavar="NAME",
            help="the espeak-ng voice, e.g. en-gb, en-us or en-us+f3 (`stretch voices` lists them)",
        )
    low, high = RATE_RANGE
    group.add_argument(
        rate,
        dest="voice_rate",
        type=_rate_arg,
        metavar="WPM",
        help=f"words per minute, {low} to {high} (default {DEFAULT_RATE})",
    )
    low, high = PITCH_RANGE
    group.add_argument(
        pitch,
        dest="voice_pitch",
        type=_pitch_arg,
        metavar="N",
        help=f"pitch, {low} (low) to {high} (high) (default {DEFAULT_PITCH})",
    )


def voice_choice(args: argparse.Namespace, chosen: VoiceChoice) -> VoiceChoice:
    """`chosen` (the settings') with what the command line gives instead."""
    from timer_app.config.voice import VoiceChoice

    name = getattr(args, "voice_name", None)
    return VoiceChoice(
        name=name or chosen.name,
        rate=chosen.rate if args.voice_rate is None else args.voice_rate,
        pitch=chosen.pitch if args.voice_pitch is None else args.voice_pitch,
    )


def voice_options_given(args: argparse.Namespace) -> bool:
    """The command line chose a voice, rate or pitch."""
    return any(
        getattr(args, option, None) is not None
        for option in ("voice_name", "voice_rate", "voice_pitch")
    )


def _add_remind(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from timer_app.remind.manage import parse_every
    from timer_app.remind.rules import CHOOSE, parse_days, parse_span, parse_time

    remind = commands.add_parser(
        "remind",
        help="reminders to stretch, at the times you choose",
        description="Reminders at the times you choose, on the days you choose, in local time. "
        "The system's own scheduler wakes stretch-timer (a systemd user timer, else a crontab "
        "block; a LaunchAgent on macOS, a Task Scheduler task on Windows): nothing of ours runs "
        "in between. A reminder is a desktop notification with Start and Snooze 10 min.",
    )
    verbs = remind.add_subparsers(dest="remind_command", metavar="ACTION")
    add = verbs.add_parser(
        "add",
        help="add a reminder: stretch remind add 10:00 15:30 --days mon-fri --routine ID",
        description="Add a reminder at fixed times, or every so often between two times.",
    )
    add.add_argument(
        "times", nargs="*", type=_argument(parse_time, "time"), metavar="HH:MM", help="local times"
    )
    add.add_argument(
        "--days",
        type=_argument(parse_days, "days"),
        metavar="DAYS",
        help="mon-fri, sat,sun, weekdays, weekends or daily (the default)",
    )
    add.add_argument(
        "--every",
        type=_argument(parse_every, "interval"),
        metavar="INTERVAL",
        help="with --between: one reminder every INTERVAL, e.g. 90m or 1h",
    )
    add.add_argument(
        "--between",
        type=_argument(parse_span, "span"),
        metavar="HH:MM-HH:MM",
        help="with --every: from the first time to the second, e.g. 09:00-17:00",
    )
    add.add_argument(
        "--routine",
        default=CHOOSE,
        metavar="ID",
        help=f"the routine to start (default {CHOOSE}: open the picker)",
    )
    _add_routines_option(add, "routines_after")
    listing = verbs.add_parser("list", help="the reminders, the next one, and where they are")
    _add_routines_option(listing, "routines_after")
    remove = verbs.add_parser("remove", help="remove reminder N (as `list` numbers them)")
    remove.add_argument("number", type=int, metavar="N")
    _add_routines_option(remove, "routines_after")
    verbs.add_parser("off", help="remove every reminder, and everything of ours in the scheduler")
    verbs.add_parser("sync", help="schedule the reminders file again, after editing it by hand")
    verbs.add_parser("test", help="show a reminder now, with its Start and Snooze buttons")
    ics = verbs.add_parser(
        "ics", help="the reminders as a calendar file (.ics) with alarms, for a phone's calendar"
    )
    ics.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write to FILE instead of printing"
    )
    _add_routines_option(ics, "routines_after")
    # What the scheduler runs; not for people, so not listed.
    verbs.add_parser("due")


def overrides(args: argparse.Namespace) -> Overrides:
    from timer_app.core.plan import Overrides

    return Overrides(
        quick=args.quick,
        reps=args.reps,
        hold=args.hold,
        prepare=args.prepare,
        skip_optional=args.skip_optional,
        rounds=args.rounds,
    )


def routine_dirs(args: argparse.Namespace) -> list[Path]:
    """The --routines folders, given before the command or after it."""
    return [*args.routines_before, *getattr(args, "routines_after", [])]


def with_share_value(argv: Sequence[str]) -> list[str]:
    """`argv` with `local` put after a bare `--share` that a routine id follows.

    `--share` takes an optional value, so in `stretch run --share neck-stretches` argparse
    would read the routine's id as the value, and refuse it.
    """
    out: list[str] = []
    for index, arg in enumerate(argv):
        out.append(arg)
        following = argv[index + 1] if index + 1 < len(argv) else None
        if (
            arg == "--share"
            and following is not None
            and not following.startswith("-")
            and following not in SHARE_CHOICES
        ):
            out.append("local")
    return out

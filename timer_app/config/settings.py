"""Provides the user's settings: default timings, sound, theme and key remapping.

Settings live in `settings.yaml` in the user config folder. A bad file never stops the app:
each problem is reported (file, line, field) and the defaults stand in for what was wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from timer_app.config.choices import SOUND_CHOICES
from timer_app.config.voice import NAME_HINT, NAME_PATTERN, PITCH_RANGE, RATE_RANGE, VoiceChoice
from timer_app.core.controls import CONTROLS
from timer_app.core.paths import config_dir
from timer_app.core.plan import PAUSE_LIMIT

if TYPE_CHECKING:
    from timer_app.routines.fields import Obj
    from timer_app.routines.problems import Problem

SETTINGS_FILE = "settings.yaml"


def settings_spec() -> Obj:
    """The settings file's fields (built on demand: most runs have no settings file)."""
    from timer_app.routines.fields import (
        Boolean,
        Choice,
        Duration,
        Field,
        Integer,
        Obj,
        Switch,
        Text,
    )

    voice = Obj(
        "voice",
        "The voice that speaks the prompts (espeak-ng's); giving any of these turns it on.",
        (
            Field(
                "name",
                Text(60, NAME_PATTERN, NAME_HINT),
                "An espeak-ng voice, e.g. en-gb, en-us or en-us+f3 (`stretch voices` lists"
                " them). Default: espeak-ng's own English voice.",
            ),
            Field("rate", Integer(*RATE_RANGE), "Words per minute. Default 165."),
            Field("pitch", Integer(*PITCH_RANGE), "0 (low) to 99 (high). Default 50."),
        ),
    )
    keys = Obj(
        "keys",
        "Keys for each action, comma-separated, e.g. 'n,right'.",
        tuple(Field(c.id, Text(60), c.description) for c in CONTROLS),
    )
    return Obj(
        "settings",
        "stretch-timer settings.",
        (
            Field("prepare", Duration.within(PAUSE_LIMIT), "Get-ready time before each exercise."),
            Field("count_in", Duration(0, 30), "Count-in after a pause. Default 3s; 0 is off."),
            Field("sound", Choice(SOUND_CHOICES), "How cues are played. Default auto."),
            Field("volume", Integer(0, 100), "Cue volume in percent. Default 80."),
            Field(
                "voice",
                Switch(voice),
                "Speak the stretch and side: true or false (the default), or the voice to"
                " speak with, e.g. {name: en-gb, rate: 150, pitch: 40}.",
            ),
            Field("theme", Text(60), "A Textual theme, e.g. textual-dark or textual-light."),
            Field(
                "plain_countdown",
                Boolean(),
                "In plain mode on a terminal, a countdown line redrawn each second. Default"
                " true; false leaves it out (a screen reader may read out every redraw).",
            ),
            Field(
                "figures",
                Boolean(),
                "Draw each exercise's figure beside its how-to in a session. Default true;"
                " the figure key (f) turns them on and off as you go.",
            ),
            Field(
                "terminal",
                Text(300),
                "The terminal a reminder's Start opens the routine in, e.g. kitty or"
                " 'xterm -fa Monospace'. Default: $TERMINAL, else the desktop's own.",
            ),
            Field("keys", keys, "Remapped keys."),
        ),
    )


@dataclass(frozen=True)
class Settings:
    """The settings in force; each field's default is what a new user gets."""

    prepare: float | None = None
    count_in: float = 3.0
    sound: str = "auto"
    volume: int = 80
    voice: bool = False
    voice_choice: VoiceChoice = field(default_factory=VoiceChoice)
    """The voice, rate and pitch the prompts are spoken in (when `voice` is on)."""
    theme: str = "textual-dark"
    plain_countdown: bool = True
    figures: bool = True
    terminal: str | None = None
    keys: dict[str, str] = field(default_factory=dict)


def settings_path() -> Path:
    return config_dir() / SETTINGS_FILE


def load_settings(path: Path | None = None) -> tuple[Settings, list[Problem]]:
    """Read the settings file; a missing file means the defaults, a bad value its default."""
    path = path or settings_path()
    if not path.exists():
        return Settings(), []
    from timer_app.routines.fields import Checker, Record
    from timer_app.routines.problems import FileProblems
    from timer_app.routines.yamlfile import read_yaml

    try:
        node, problems = read_yaml(path)
    except FileProblems as error:
        return Settings(), error.problems
    checker = Checker(path)
    checker.problems.extend(problems)
    record = checker.check(node, settings_spec(), "")
    if not isinstance(record, Record):
        return Settings(), checker.problems
    values: dict[str, Any] = dict(record.values)
    keys = values.pop("keys", None)
    if keys is not None:
        values["keys"] = dict(keys.values)
    voice = values.get("voice")
    if isinstance(voice, Record):
        # A mapping chooses the voice and turns it on; a bad field in it keeps its default.
        values["voice"] = True
        values["voice_choice"] = VoiceChoice(**voice.values)
    return Settings(**values), checker.problems + checker.warnings

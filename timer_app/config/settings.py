"""Provides the user's settings: default timings, sound, theme and key remapping.

Settings live in `settings.yaml` in the user config folder. A bad file never stops the app:
each problem is reported (file, line, field) and the defaults stand in for what was wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from timer_app.config.choices import CUE_SETS, CUES, DEFAULT_CUE_SET, SOUND_CHOICES
from timer_app.config.voice import NAME_HINT, NAME_PATTERN, PITCH_RANGE, RATE_RANGE, VoiceChoice
from timer_app.core.controls import CONTROLS
from timer_app.core.paths import config_dir
from timer_app.core.plan import PAUSE_LIMIT

if TYPE_CHECKING:
    from timer_app.routines.fields import Obj
    from timer_app.routines.problems import Problem

SETTINGS_FILE = "settings.yaml"
COUNT_CHOICES = ("off", "ticks", "aloud")
"""`count_last`: how the last 3 seconds of a hold or a rest are counted, if at all."""


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
    cue_volume = Obj(
        "cue_volume",
        "Each cue's volume in percent of `volume`, e.g. {switch: 60, routine-complete: 40}.",
        tuple(Field(name, Integer(0, 100), f"The {name} cue's volume.") for name in CUES),
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
                "cues",
                Choice(tuple(CUE_SETS)),
                f"The cue set: {', '.join(CUE_SETS)}. Default {DEFAULT_CUE_SET}.",
            ),
            Field("cue_volume", cue_volume, "Each cue's volume, in percent of `volume`."),
            Field(
                "count_last",
                Choice(COUNT_CHOICES),
                "Count the last 3 seconds of each hold and rest: off, ticks or aloud (3, 2, 1"
                " spoken; ticks without a voice). Default off.",
            ),
            Field(
                "say_halfway",
                Boolean(),
                "Say the time left halfway through a hold of 45 s or more. Default false.",
            ),
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
    cues: str = DEFAULT_CUE_SET
    cue_volume: dict[str, int] = field(default_factory=dict)
    count_last: str = "off"
    say_halfway: bool = False


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
    for name in ("keys", "cue_volume"):
        mapping = values.pop(name, None)
        if mapping is not None:
            values[name] = dict(mapping.values)
    voice = values.get("voice")
    if isinstance(voice, Record):
        # A mapping chooses the voice and turns it on; a bad field in it keeps its default.
        values["voice"] = True
        values["voice_choice"] = VoiceChoice(**voice.values)
    return Settings(**values), checker.problems + checker.warnings


def save_setting(name: str, value: str | bool, path: Path | None = None) -> str | None:
    """Set one top-level setting (`cues: soft`) in the settings file, as a choice made in the
    app is kept for next time; every other line, comments included, stays as the person wrote
    it. Returns None when saved, else why not in a few words (the file is then left as it was).
    """
    import re

    from timer_app.routines.writer import save_text

    path = path or settings_path()
    word = ("true" if value else "false") if isinstance(value, bool) else value
    try:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
    except (OSError, UnicodeDecodeError) as error:
        return f"could not read {path} ({getattr(error, 'strerror', None) or error})"
    lines = text.splitlines(keepends=True)
    key = re.compile(rf"^{re.escape(name)}\s*:(?P<value>[^#\n]*?)(?P<comment>\s+#.*)?$")
    for index, line in enumerate(lines):
        found = key.match(line.rstrip("\r\n"))
        if found is None:
            continue
        # The value's own lines (a block under the key) go with it.
        end = index + 1
        while not found["value"].strip() and end < len(lines) and lines[end][:1] in (" ", "\t"):
            end += 1
        comment = found["comment"] or ""
        lines[index:end] = [f"{name}: {word}{comment}\n"]
        break
    else:
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        lines.append(f"{name}: {word}\n")
    new_text = "".join(lines)
    try:
        save_text(path, new_text, replace=True)
    except OSError as error:
        return f"could not write {path} ({error.strerror or error})"
    return None

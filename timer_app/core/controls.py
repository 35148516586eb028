"""Provides the session controls: one table of actions, their default keys, labels and calls.

The full-screen app builds its bindings from it, plain mode its key map, the settings file its
`keys:` fields, and help and the README their key lists, so a key or a label is changed once.
Keys are named as Textual names them (`space`, `right`, `plus`, `question_mark`), so a
remapping in `settings.yaml` means the same in both views.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

__all__ = [
    "BY_ID",
    "CONTROLS",
    "EXTEND_SECONDS",
    "PLAIN_CONTROLS",
    "RESUME_LABEL",
    "Control",
    "key_label",
    "key_name",
    "key_names",
    "keymap",
    "keys_for",
]

RESUME_LABEL = "Resume"
"""What the pause button says while the session is paused."""

EXTEND_SECONDS = 10.0
"""How much `+` and `-` lengthen or shorten the current step."""


@dataclass(frozen=True)
class Control:
    """One thing the person can do during a session."""

    id: str
    """The action's id: the binding id in the app and the field name under `keys:`."""
    keys: tuple[str, ...]
    """Default keys, by Textual key name; the first is the one shown."""
    label: str
    """Short, for the key bar: "Pause"."""
    description: str
    """What it does, for help and the settings schema."""
    call: str | None = None
    """The engine method it calls, with `args`; None for what the view does itself (mute,
    quit, help)."""
    args: tuple[float, ...] = ()
    show: bool = True
    """Shown in the key bar (the rest are in help and the command palette)."""
    refused: str | None = None
    """What a view says when the engine call changes nothing, where the person could think
    the key was not heard (None: nothing is said)."""
    plain: bool = True
    """Plain mode has it too (it draws no figures, so it has no figure key)."""


CONTROLS: tuple[Control, ...] = (
    Control("pause", ("space", "p"), "Pause", "Pause or resume", "toggle_pause"),
    Control(
        "skip",
        ("n", "right"),
        "Skip",
        # SKIP_HOLD in the engine: a key meant for the exercise that just ended is held once.
        "Skip to the next exercise (in the first second of one that began by itself, press twice)",
        "skip",
    ),
    Control(
        "back",
        ("b", "left"),
        "Back",
        "Back: restart this exercise, or go to the previous one",
        "back",
    ),
    Control(
        "extend",
        ("plus", "equals_sign"),
        f"+{EXTEND_SECONDS:g} s",
        f"Hold {EXTEND_SECONDS:g} s longer",
        "extend",
        (EXTEND_SECONDS,),
    ),
    Control(
        "shorten",
        ("minus", "underscore"),
        f"-{EXTEND_SECONDS:g} s",
        f"Hold {EXTEND_SECONDS:g} s shorter",
        "shorten",
        (EXTEND_SECONDS,),
    ),
    Control(
        "next",
        ("full_stop", "greater_than_sign"),
        "Go on",
        "End this get-ready, rest or switch now (a stretch is never cut short)",
        "end_wait",
        show=False,
        refused="Nothing to end: this step is a stretch (n skips the whole exercise).",
    ),
    Control("restart", ("r",), "Restart", "Restart this exercise", "restart_exercise", show=False),
    Control("mute", ("m",), "Mute", "Mute or unmute sound and voice"),
    Control(
        "figures",
        ("f",),
        "Figure",
        "Show or hide the exercise's figure (on a small screen, in place of the big digits)",
        show=False,
        plain=False,
    ),
    Control(
        "share",
        ("s",),
        "Share",
        "Follow this session in a browser: show its address (and a QR code, with --share lan)",
        show=False,
    ),
    Control("quit", ("q",), "Quit", "Quit (asks first), then the summary"),
    Control("help", ("question_mark",), "Keys", "Show the keys"),
)

PLAIN_CONTROLS = tuple(control for control in CONTROLS if control.plain)
"""The controls plain mode reads keys for."""

BY_ID = {control.id: control for control in CONTROLS}
"""Each control by its id."""

# Textual's names for a few characters differ from their Unicode names.
_RENAMED = {
    "solidus": "slash",
    "reverse_solidus": "backslash",
    "commercial_at": "at",
    "hyphen_minus": "minus",
    "plus_sign": "plus",
    "low_line": "underscore",
}
_CONTROL_KEYS = {"\t": "tab", "\r": "enter", "\n": "enter", "\x7f": "backspace", "\x1b": "escape"}
_ARROWS = {"A": "up", "B": "down", "C": "right", "D": "left", "H": "home", "F": "end"}
_LABELS = {
    "space": "space",
    "right": "→",
    "left": "←",
    "up": "↑",
    "down": "↓",
    "escape": "esc",
    "enter": "enter",
    "minus": "-",
    # Unicode writes these with a hyphen ("GREATER-THAN SIGN"), which the key name has lost.
    "greater_than_sign": ">",
    "less_than_sign": "<",
}


def key_name(character: str) -> str:
    """The key name of one typed character, as Textual names it: `n`, `plus`, `ctrl+c`."""
    if character in _CONTROL_KEYS:
        return _CONTROL_KEYS[character]
    code = ord(character)
    if code < 32:
        return f"ctrl+{chr(code + 96)}"
    if character.isalnum():
        return character
    try:
        name = unicodedata.name(character).lower().replace("-", "_").replace(" ", "_")
    except ValueError:
        return character
    return _RENAMED.get(name, name)


def key_names(text: str) -> Iterable[str]:
    """The keys in what a terminal sent: characters, and arrow keys' escape sequences.

    Arrows come as ESC [ C or ESC O C (the latter in "application" cursor mode).
    """
    i = 0
    while i < len(text):
        if text[i] == "\x1b" and text[i + 1 : i + 2] in ("[", "O") and i + 2 < len(text):
            yield _ARROWS.get(text[i + 2], "escape")
            i += 3
            continue
        yield key_name(text[i])
        i += 1


def key_label(name: str) -> str:
    """How a key is written for a person: `space`, `→`, `+`, `?`, `ctrl+q`."""
    if name in _LABELS:
        return _LABELS[name]
    if len(name) == 1 or "+" in name[1:]:
        return name
    for original, renamed in _RENAMED.items():
        if renamed == name:
            name = original
            break
    try:
        return unicodedata.lookup(name.replace("_", " "))
    except KeyError:
        return name


def keys_for(control: Control, remapped: Mapping[str, str]) -> tuple[str, ...]:
    """The keys of one control, as the user has remapped them (`keys:` in settings)."""
    if control.id in remapped:
        keys = tuple(k.strip() for k in remapped[control.id].split(",") if k.strip())
        if keys:
            return keys
    return control.keys


def keymap(remapped: Mapping[str, str], controls: Iterable[Control] = CONTROLS) -> dict[str, str]:
    """Key name -> control id, for a view that reads keys itself (plain mode)."""
    found: dict[str, str] = {}
    # Remapped controls last: a key the user gave one control leaves any control it had.
    for control in sorted(controls, key=lambda c: c.id in remapped):
        for key in keys_for(control, remapped):
            found[key] = control.id
    return found

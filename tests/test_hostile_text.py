"""Text from files never drives the terminal: control characters are shown, not sent.

A shared routine file could carry escape sequences (clear the screen, set the window title,
write the clipboard with OSC 52) or a right-to-left override. They are made visible where the
file is read, so every view (list, show, plain, the app, voice, history) shows them as symbols.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from textual.widgets import OptionList

from helpers import stretch
from history_support import history_in, local_noon, record
from timer_app.core.text import safe_text

HOSTILE = {
    "clear screen": ("\x1b[2J\x1b[H gone", "␛[2J␛[H gone"),
    "window title": ("\x1b]0;pwned\x07", "␛]0;pwned␇"),
    "clipboard (OSC 52)": ("\x1b]52;c;cm0gLXJmIH4=\x1b\\", "␛]52;c;cm0gLXJmIH4=␛\\"),
    "bell": ("ding\x07", "ding␇"),
    "NUL": ("a\x00b", "a␀b"),
    "8-bit CSI": ("\x9b31m red", "<U+009B>31m red"),
    "right-to-left override": ("abc\u202edcba", "abc<U+202E>dcba"),
    "lone surrogate": ("x\ud800", "x<U+D800>"),
    "tab": ("a\tb", "a b"),
    "emoji": ("Stretch 🧘‍♀️ now", "Stretch 🧘‍♀️ now"),
    "300-character word": ("w" * 300, "w" * 300),
    "accents": ("Étirement du dos", "Étirement du dos"),
    "line breaks kept": ("one\ntwo", "one\ntwo"),
}


def terminal_controls(text: str) -> set[str]:
    """The characters in `text` that a terminal could act on (a newline is fine)."""
    return {
        ch
        for ch in text
        if ch != "\n" and (unicodedata.category(ch) in ("Cc", "Cs") or ch in "\u202e\u2066")
    }


@pytest.mark.parametrize(("raw", "shown"), HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_strings_are_shown_visibly(raw: str, shown: str) -> None:
    assert safe_text(raw) == shown
    assert terminal_controls(safe_text(raw)) == set()


HOSTILE_ROUTINE = r"""
title: "\e[2J\e]0;pwned\a Evil stretch"
summary: "Looks \u202eharmless"
exercises:
  - id: reach
    name: "Reach \e]52;c;cm0gLXJmIH4=\e\\"
    how_to: "Reach up.\x07"
    position: standing
sequence:
  - exercise: reach
    hold: 2s
    reps: 1
    prepare: 1s
"""


@pytest.fixture
def hostile_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "routines"
    folder.mkdir()
    (folder / "evil.yaml").write_text(HOSTILE_ROUTINE.lstrip(), encoding="utf-8")
    return folder


@pytest.mark.slow
@pytest.mark.parametrize(
    "argv",
    [["list"], ["show", "evil"], ["list", "--json"], ["show", "evil", "--json"]],
    ids=["list", "show", "list json", "show json"],
)
def test_list_and_show_print_no_control_characters(hostile_dir: Path, argv: list[str]) -> None:
    result = stretch("--routines", str(hostile_dir), *argv)
    assert result.returncode == 0, result.stderr
    assert terminal_controls(result.stdout + result.stderr) == set()
    assert "␛[2J␛]0;pwned␇ Evil stretch" in (
        json.dumps(json.loads(result.stdout), ensure_ascii=False)
        if "--json" in argv
        else result.stdout
    )


@pytest.mark.slow
def test_plain_mode_prints_no_control_characters(hostile_dir: Path) -> None:
    result = stretch("--routines", str(hostile_dir), "run", "evil", "--plain", "--sound", "off")
    assert result.returncode == 0, result.stderr
    assert terminal_controls(result.stdout) == set()
    assert "Reach ␛]52;c;cm0gLXJmIH4=␛\\ - hold 2 s" in result.stdout


@pytest.mark.slow
def test_validate_warns_with_the_place_and_accepts_the_file(hostile_dir: Path) -> None:
    path = hostile_dir / "evil.yaml"
    result = stretch("validate", str(path))
    assert result.returncode == 0, result.stdout
    warnings = [line for line in result.stdout.splitlines() if ": warning: " in line]
    assert warnings[0] == (
        f"{path}:1:8: warning: title: control characters (U+001B, U+0007) are shown as"
        " symbols, never sent to the terminal"
    )
    assert any(f"{path}:2:10: warning: summary: control characters (U+202E)" in w for w in warnings)
    assert len(warnings) == 4  # title, summary, name, how_to
    assert terminal_controls(result.stdout) == set()


@pytest.mark.slow
def test_history_shows_what_a_tampered_database_holds_safely(isolated_home: Path) -> None:
    # Whatever wrote the file (an old version, another program), reading it back is safe.
    history, _ = history_in(isolated_home / ".local" / "share" / "stretch-timer")
    record(
        history,
        local_noon(days_ago=1),
        routine_id="evil\x1b[2J",
        title="\x1b[2J\x1b]52;c;eA==\x07Evil",
    )
    result = stretch("history")
    assert result.returncode == 0, result.stderr
    assert terminal_controls(result.stdout) == set()
    assert "␛[2J␛]52;c;eA==␇Evil" in result.stdout


async def test_the_app_shows_hostile_titles_as_symbols(hostile_dir: Path) -> None:
    from timer_app.config.acknowledgement import remember
    from timer_app.views.tui.app import StretchApp

    assert remember()
    app = StretchApp(routine_dirs=[hostile_dir])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        routines = app.screen.query_one("#routines", OptionList)
        prompts = [
            str(routines.get_option_at_index(i).prompt) for i in range(routines.option_count)
        ]
        screen = app.export_screenshot()
    [evil] = [prompt for prompt in prompts if "Evil stretch" in prompt]
    assert "␛[2J␛]0;pwned␇ Evil stretch" in evil
    assert "\x1b" not in screen

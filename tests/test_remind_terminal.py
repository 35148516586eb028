"""Which terminal a reminder's Start opens: the setting, $TERMINAL, the desktop's, a known one."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from remind_support import Tools

from timer_app.config.settings import load_settings
from timer_app.remind.terminal import NoTerminal, terminal_command

pytestmark = pytest.mark.skipif(sys.platform in ("darwin", "win32"), reason="Linux terminals")
RUN = ["stretch", "run", "neck-stretches"]


def test_the_setting_comes_first_then_terminal(
    tools: Tools, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TERMINAL", "kitty")
    assert terminal_command("xterm -fa Monospace", RUN) == ["xterm", "-fa", "Monospace", "-e", *RUN]
    assert terminal_command("myterm --exec", RUN) == ["myterm", "--exec", *RUN]
    assert terminal_command(None, RUN) == ["kitty", *RUN]
    assert terminal_command("gnome-terminal", RUN) == ["gnome-terminal", "--", *RUN]
    assert terminal_command("/opt/bin/myterm", RUN) == ["/opt/bin/myterm", "-e", *RUN]


def test_the_desktops_default_before_the_list(tools: Tools) -> None:
    tools.install("xterm", "#!/bin/sh\n")
    assert terminal_command(None, RUN) == ["xterm", "-e", *RUN]
    tools.install("x-terminal-emulator", "#!/bin/sh\n")
    assert terminal_command(None, RUN) == ["x-terminal-emulator", "-e", *RUN]


def test_with_no_terminal_it_says_what_to_do(tools: Tools) -> None:
    with pytest.raises(NoTerminal, match=r"set `terminal:` in settings.yaml or \$TERMINAL"):
        terminal_command(None, RUN)


def test_the_terminal_setting_is_read_from_settings_yaml(tmp_path: Path) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text("terminal: foot\n", encoding="utf-8")
    settings, problems = load_settings(path)
    assert problems == []
    assert settings.terminal == "foot"

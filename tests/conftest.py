"""Shared fixtures: keep the user's real config and data folders out of every test."""

from __future__ import annotations

from pathlib import Path

import pytest
from remind_support import Tools


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Point HOME and the XDG folders at a fresh temporary folder for each test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    return home


@pytest.fixture
def user_routines(isolated_home: Path) -> Path:
    """The user's routines folder (created empty)."""
    folder = isolated_home / ".config" / "stretch-timer" / "routines"
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def tools(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Tools:
    """Fake scheduler tools alone on PATH: add them with `with_cron()`, `with_systemd()`."""
    return Tools(tmp_path, monkeypatch)

"""Shared fixtures: keep the user's real config and data folders out of every test."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from remind_support import Desktop, Tools


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


@pytest.fixture
def session_bus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A private session bus; its address is in DBUS_SESSION_BUS_ADDRESS for this test."""
    daemon = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert daemon.stdout is not None
    address = daemon.stdout.readline().strip()
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
    yield address
    daemon.terminate()
    daemon.wait(timeout=10)


@pytest.fixture
def desktop(
    request: pytest.FixtureRequest,
    session_bus: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Desktop]:
    answer = getattr(request, "param", "start")
    found = Desktop(tmp_path, answer)
    # The desktop's default terminal (Debian's name for it), a fake that records its arguments.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "x-terminal-emulator"
    fake.write_text(f'#!/bin/sh\necho "$*" >> "{found.terminal_log}"\n', encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}/usr/bin{os.pathsep}/bin")
    monkeypatch.delenv("TERMINAL", raising=False)
    yield found
    found.stop()

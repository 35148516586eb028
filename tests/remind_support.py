"""Provides fake scheduler tools on PATH for the reminder tests: `crontab` keeping its table in
a file, and `systemctl` recording each call (a user manager that runs, or none); and `Desktop`,
a mock notification server on a test's own D-Bus session bus, with a fake terminal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SERVER = Path(__file__).with_name("notification_server.py")

FAKE_CRONTAB = """#!/bin/sh
# A fake crontab(1): the table lives in $FAKE_CRONTAB, read and written byte for byte.
case "$1" in
-l) [ -f "$FAKE_CRONTAB" ] && exec cat "$FAKE_CRONTAB"; echo "no crontab for tester" >&2; exit 1;;
-r) rm -f "$FAKE_CRONTAB";;
-) cat > "$FAKE_CRONTAB";;
*) exit 2;;
esac
"""

FAKE_SYSTEMCTL = """#!/bin/sh
# A fake systemctl: records each call; `show-environment` answers as $FAKE_MANAGER says.
echo "$*" >> "$FAKE_SYSTEMCTL_LOG"
[ "$2" = show-environment ] && exit "$FAKE_MANAGER"
exit 0
"""


class Tools:
    """The fake tools of one test, and what they recorded."""

    def __init__(self, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.bin = folder / "bin"
        self.bin.mkdir()
        self.crontab = folder / "crontab"
        self.systemctl_log = folder / "systemctl.log"
        self.monkeypatch = monkeypatch
        monkeypatch.setenv("FAKE_CRONTAB", str(self.crontab))
        monkeypatch.setenv("FAKE_SYSTEMCTL_LOG", str(self.systemctl_log))
        monkeypatch.setenv("FAKE_MANAGER", "1")
        # Only our tools and the basics a shell script needs: no real crontab or systemctl.
        monkeypatch.setenv("PATH", f"{self.bin}{os.pathsep}/bin")
        for name in ("DISPLAY", "WAYLAND_DISPLAY", "XDG_RUNTIME_DIR", "DBUS_SESSION_BUS_ADDRESS"):
            monkeypatch.delenv(name, raising=False)

    def install(self, name: str, script: str) -> None:
        path = self.bin / name
        path.write_text(script, encoding="utf-8")
        path.chmod(0o755)

    def with_cron(self) -> Tools:
        self.install("crontab", FAKE_CRONTAB)
        return self

    def with_systemd(self, *, manager: bool = True) -> Tools:
        self.install("systemctl", FAKE_SYSTEMCTL)
        self.monkeypatch.setenv("FAKE_MANAGER", "0" if manager else "1")
        return self

    def systemctl_calls(self) -> list[str]:
        if not self.systemctl_log.exists():
            return []
        return self.systemctl_log.read_text(encoding="utf-8").splitlines()


class Desktop:
    """The mock notification server, and a fake terminal that records what it was to run."""

    def __init__(self, folder: Path, answer: str) -> None:
        self.log = folder / "notifications.jsonl"
        self.terminal_log = folder / "terminal.log"
        self.server = subprocess.Popen(
            [sys.executable, str(SERVER), str(self.log), answer],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.server.stdout is not None
        assert self.server.stdout.readline().strip() == "ready"

    def notifications(self) -> list[dict[str, object]]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text().splitlines()]

    def ran(self) -> list[str]:
        if not self.terminal_log.exists():
            return []
        return self.terminal_log.read_text().splitlines()

    def stop(self) -> None:
        self.server.terminate()
        self.server.wait(timeout=10)

    def check_neck_stretches_started(self) -> None:
        """One notification, titled with Basic neck stretches and its length, with Start and
        Snooze; Start had the desktop's terminal run `stretch run neck-stretches`."""
        (shown,) = self.notifications()
        assert shown["app_name"] == "stretch-timer"
        summary = str(shown["summary"])
        assert summary.startswith("Time to stretch: Basic neck stretches, ")
        assert summary.endswith(" min")
        actions = shown["actions"]
        assert isinstance(actions, list)
        assert actions[-4:] == ["start", "Start", "snooze", "Snooze 10 min"]
        stretch = Path(sys.executable).with_name("stretch")
        assert self.ran() == [f"-e {stretch} run neck-stretches"]

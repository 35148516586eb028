"""Provides what reminders remember between wake-ups: the last time dealt with, and a missed
reminder to tell of at the next `stretch` start. A small JSON file in the data folder."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from timer_app.core.paths import data_dir

FILE_NAME = "reminders-state.json"


@dataclass(frozen=True)
class State:
    handled_until: datetime | None = None
    """The latest reminder time given, or skipped on purpose."""
    missed: datetime | None = None
    """A reminder that found no desktop to show on; told once at the next start."""


def state_path() -> Path:
    return data_dir() / FILE_NAME


def _moment(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def load_state(path: Path | None = None) -> State:
    """The state; a missing or damaged file is a fresh start (it only ever holds two times)."""
    try:
        data = json.loads((path or state_path()).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return State()
    if not isinstance(data, dict):
        return State()
    return State(_moment(data.get("handled_until")), _moment(data.get("missed")))


def save_state(state: State, path: Path | None = None) -> None:
    """Write the state atomically (write, then rename)."""
    path = path or state_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "handled_until": state.handled_until.isoformat() if state.handled_until else None,
        "missed": state.missed.isoformat() if state.missed else None,
    }
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".reminders-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(data, stream)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def forget_state(path: Path | None = None) -> None:
    (path or state_path()).unlink(missing_ok=True)

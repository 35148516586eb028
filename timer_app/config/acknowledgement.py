"""Remembers that the user has read the safety note, in the user data folder."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from timer_app.core.paths import data_dir

FILE = "safety-acknowledged"


def acknowledged(folder: Path | None = None) -> bool:
    return ((folder or data_dir()) / FILE).exists()


def remember(folder: Path | None = None) -> bool:
    """Record the acknowledgement; returns False (and the note shows again) if we cannot."""
    folder = folder or data_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # Write then rename, so a crash never leaves a half-written file behind.
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".ack-")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write("The safety note was shown and acknowledged.\n")
        os.replace(temporary, folder / FILE)
    except OSError:
        with contextlib.suppress(NameError, OSError):
            os.unlink(temporary)
        return False
    return True

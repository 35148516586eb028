"""Provides `Problem`, one thing wrong in a user's file, reported as `PATH:LINE:COL: message`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from timer_app.core.text import safe_text


@dataclass(frozen=True, order=True)
class Problem:
    """A problem at a place in a file; `line` and `column` count from 1 (0 when unknown)."""

    path: Path
    line: int
    column: int
    message: str
    warning: bool = False
    """Accepted, but worth saying: printed as `PATH:LINE:COL: warning: message`."""

    @property
    def path_text(self) -> str:
        """The path as it may be shown: a file name can hold control characters too."""
        return safe_text(str(self.path))

    def __str__(self) -> str:
        message = f"warning: {self.message}" if self.warning else self.message
        if self.line == 0:
            return f"{self.path_text}: {message}"
        return f"{self.path_text}:{self.line}:{self.column}: {message}"


class FileProblems(Exception):
    """Raised when a file cannot be used; carries every problem found in it, in file order."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))

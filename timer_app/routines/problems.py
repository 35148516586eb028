"""Provides `Problem`, one thing wrong in a user's file, reported as `PATH:LINE:COL: message`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """A problem at a place in a file; `line` and `column` count from 1 (0 when unknown)."""

    path: Path
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        if self.line == 0:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class FileProblems(Exception):
    """Raised when a file cannot be used; carries every problem found in it, in file order."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))

"""Provides `Library`, what loading the routines gives (routines, exercises, problems), and
which files it is loaded from.

Kept apart from the loader (`library.py`, which imports the YAML reader and the file format),
so a library read back from the cache (`cache.py`) costs no parsing code at start-up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from timer_app.core.model import Exercise, Routine
from timer_app.core.paths import package_dir, user_routines_dir
from timer_app.routines.problems import Problem

__all__ = ["PATTERNS", "Library", "Origin", "preset_dir", "routine_files", "routine_sources"]

PATTERNS = ("*.yaml", "*.yml")


@dataclass(frozen=True)
class Origin:
    """Where a shared exercise was defined: a file, and whether it ships with the app."""

    path: Path
    preset: bool


@dataclass
class Library:
    """Every usable routine by id, the shared exercises, and what could not be loaded."""

    routines: dict[str, Routine] = field(default_factory=dict)
    exercises: dict[str, Exercise] = field(default_factory=dict)
    origins: dict[str, Origin] = field(default_factory=dict)
    """Where each of `exercises` was defined (the last definition wins, as in `exercises`)."""
    problems: list[Problem] = field(default_factory=list)
    """Problems of files that could not be used, grouped by file in load order."""
    notices: list[str] = field(default_factory=list)
    """Things worth knowing that are not errors, such as a preset being replaced."""
    warnings: list[Problem] = field(default_factory=list)
    """Located things accepted but changed, such as control characters made visible."""

    @property
    def broken_files(self) -> list[Path]:
        return list(dict.fromkeys(problem.path for problem in self.problems))

    def find(self, routine_id: str) -> Routine:
        """Return the routine with this id, or raise KeyError with a helpful message."""
        try:
            return self.routines[routine_id]
        except KeyError:
            broken = [path for path in self.broken_files if path.stem == routine_id]
            if broken:
                # Most likely the routine the person means: say why it is not there.
                raise KeyError(
                    f"the routine '{routine_id}' could not be loaded: {broken[0]} has "
                    f"problems (`stretch validate {broken[0]}` lists them)"
                ) from None
            from timer_app.routines.fields import did_you_mean

            hint = did_you_mean(routine_id, sorted(self.routines))
            raise KeyError(
                f"no routine with the id '{routine_id}'{hint}; `stretch list` shows them all"
            ) from None


def preset_dir() -> Path:
    return package_dir("routines")


def routine_files(folder: Path) -> list[Path]:
    """The routine files in a folder, in name order (a file path stands for itself)."""
    if folder.is_file():
        return [folder]
    return sorted({path for pattern in PATTERNS for path in folder.glob(pattern)})


def routine_sources(
    extra: Sequence[Path] = (), *, user: bool = True, presets: bool = True
) -> list[tuple[Path, bool]]:
    """Every routine file the library is loaded from, in load order, and whether it is a
    preset: the presets, then the user's routines folder, then each of `extra` (a folder that
    does not exist is left out; `load_library` reports it)."""
    folders: list[tuple[Path, bool]] = []
    if presets:
        folders.append((preset_dir(), True))
    if user:
        folder = user_routines_dir()
        if folder.is_dir():
            folders.append((folder, False))
    folders += [(folder, False) for folder in extra if folder.exists()]
    return [(path, is_preset) for folder, is_preset in folders for path in routine_files(folder)]

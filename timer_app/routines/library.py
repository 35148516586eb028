"""Finds and loads routines: the presets shipped with the package and the user's own files.

A broken user file never stops the rest from loading: it is listed with its problems, and
every other routine works. A user routine with a preset's id replaces the preset, with a notice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from timer_app.core.model import Exercise, Routine
from timer_app.core.paths import package_dir, user_routines_dir
from timer_app.core.text import safe_text
from timer_app.routines.fields import did_you_mean
from timer_app.routines.format import RoutineFile, build_routine, load_file
from timer_app.routines.problems import Problem

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


def load_library(extra: Sequence[Path] = (), *, user: bool = True, presets: bool = True) -> Library:
    """Load the presets, then the user's routines folder, then each folder in `extra`."""
    library = Library()
    sources: list[tuple[Path, bool]] = []
    if presets:
        sources.append((preset_dir(), True))
    if user:
        folder = user_routines_dir()
        if folder.is_dir():
            sources.append((folder, False))
    for folder in extra:
        if not folder.exists():
            library.problems.append(Problem(folder, 0, 0, "no such file or folder"))
            continue
        sources.append((folder, False))

    loaded: list[tuple[RoutineFile, bool]] = []
    for folder, is_preset in sources:
        for path in routine_files(folder):
            loaded.append((load_file(path), is_preset))
            library.warnings.extend(loaded[-1][0].warnings)

    # Exercise libraries first, so a routine may use an exercise defined in any file.
    for routine_file, is_preset in loaded:
        if routine_file.record is not None and not routine_file.is_routine:
            _add_exercises(library, routine_file.exercises.values(), routine_file.path, is_preset)
    for routine_file, is_preset in loaded:
        if routine_file.record is not None and not routine_file.is_routine:
            library.problems.extend(routine_file.problems)
            continue
        routine = build_routine(routine_file, library.exercises, preset=is_preset)
        if routine is None:
            library.problems.extend(routine_file.problems)
            continue
        _add_routine(library, routine)
    return library


def _add_exercises(
    library: Library, exercises: Iterable[Exercise], path: Path, is_preset: bool
) -> None:
    for exercise in exercises:
        if exercise.id in library.exercises and not is_preset:
            library.notices.append(
                f"{safe_text(str(path))}: exercise '{exercise.id}' replaces the built-in one "
                "of that id"
            )
        library.exercises[exercise.id] = exercise
        library.origins[exercise.id] = Origin(path, is_preset)


def _add_routine(library: Library, routine: Routine) -> None:
    previous = library.routines.get(routine.id)
    if previous is not None:
        what = "the preset" if previous.preset else f"the one in {safe_text(str(previous.path))}"
        library.notices.append(
            f"{safe_text(str(routine.path))}: routine '{routine.id}' replaces {what}"
        )
    library.routines[routine.id] = routine

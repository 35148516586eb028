"""Finds and loads routines: the presets shipped with the package and the user's own files.

A broken user file never stops the rest from loading: it is listed with its problems, and
every other routine works. A user routine with a preset's id replaces the preset, with a notice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from timer_app.core.model import Exercise, Routine
from timer_app.core.text import safe_text
from timer_app.routines.catalog import Library, Origin, routine_sources
from timer_app.routines.problems import Problem
from timer_app.routines.reading import RoutineFile, build_routine, load_file

__all__ = ["load_library"]


def load_library(extra: Sequence[Path] = (), *, user: bool = True, presets: bool = True) -> Library:
    """Load the presets, then the user's routines folder, then each folder in `extra`."""
    library = Library()
    for folder in extra:
        if not folder.exists():
            library.problems.append(Problem(folder, 0, 0, "no such file or folder"))

    loaded: list[tuple[RoutineFile, bool]] = []
    for path, is_preset in routine_sources(extra, user=user, presets=presets):
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

"""Provides the routine model: exercises, their dosage, and routines that put them in order."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

POSITIONS = ("lying", "seated", "standing", "kneeling", "hands-and-knees", "side-lying", "prone")
"""Body positions, in the words a routine file uses."""
FLOOR_POSITIONS = frozenset({"lying", "kneeling", "hands-and-knees", "side-lying", "prone"})
"""Positions that need getting down on the floor (or a bed)."""
EQUIPMENT = ("chair", "towel", "foam-roll", "counter", "wall", "doorway", "mat", "pillow", "strap")
SIDE_ORDERS = ("left-first", "right-first", "alternate")
SUITS = ("pregnancy", "limited-mobility", "office", "beginners")
"""Who a routine suits, where its source says so. Floor-free is worked out from positions."""

Side = Literal["left", "right"]


@dataclass(frozen=True)
class Exercise:
    """One stretch or movement, defined once and used by any number of routines."""

    id: str
    name: str
    how_to: tuple[str, ...]
    position: str
    targets: tuple[str, ...] = ()
    equipment: tuple[str, ...] = ()
    per_side: bool = False
    cautions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hold:
    """Hold the stretch for `seconds`, `reps` times (per side), resting `rest` between reps."""

    seconds: float
    reps: int
    rest: float


@dataclass(frozen=True)
class Tempo:
    """Move in and out at a steady tempo: `on` s pressure on, `end_hold` s held, `off` s off."""

    reps: int
    on: float
    off: float
    end_hold: float = 0.0


@dataclass(frozen=True)
class Timed:
    """One continuous stretch of `seconds` (per side)."""

    seconds: float


Dosage = Hold | Tempo | Timed


@dataclass(frozen=True)
class Entry:
    """An exercise's place in a routine with everything needed to time it."""

    exercise: Exercise
    dosage: Dosage
    prepare: float
    """Get-ready time before the exercise starts."""
    switch: float
    """Time to change sides."""
    side_order: str
    note: str | None = None

    def sides(self) -> tuple[Side, ...] | tuple[None]:
        if not self.exercise.per_side:
            return (None,)
        return ("right", "left") if self.side_order == "right-first" else ("left", "right")


@dataclass(frozen=True)
class Source:
    """Where a routine comes from, credited wherever the routine is shown."""

    title: str
    site: str
    author: str | None = None
    url: str | None = None

    def __str__(self) -> str:
        by = f", {self.author}" if self.author else ""
        return f"\u201c{self.title}\u201d, {self.site}{by}"


@dataclass(frozen=True)
class Routine:
    """A named sequence of exercises with their dosage."""

    id: str
    title: str
    entries: tuple[Entry, ...]
    summary: str = ""
    source: Source | None = None
    cautions: tuple[str, ...] = ()
    suits: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    path: Path | None = None
    preset: bool = False

    @property
    def positions(self) -> tuple[str, ...]:
        """Positions used, in order of first use."""
        return tuple(dict.fromkeys(entry.exercise.position for entry in self.entries))

    @property
    def equipment(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e for entry in self.entries for e in entry.exercise.equipment))

    @property
    def floor_free(self) -> bool:
        """True when nothing needs getting down on the floor: seated or standing only."""
        return not FLOOR_POSITIONS.intersection(self.positions)

    @property
    def all_cautions(self) -> tuple[str, ...]:
        """The routine's cautions, then each exercise's own, without repeats."""
        exercise_cautions = (c for entry in self.entries for c in entry.exercise.cautions)
        return tuple(dict.fromkeys((*self.cautions, *exercise_cautions)))

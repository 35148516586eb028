"""Provides the routine model: exercises, their dosage, and routines that put them in order."""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import Literal

from timer_app.core.figure import Figure


@dataclass(frozen=True)
class Position:
    """A body position, and how to tell someone to get into it without their looking at a screen.

    The cues are whole instructions in plain words, said aloud by the voice and shown by every
    view; the plan compiler picks the one that fits where the person is coming from.
    """

    id: str
    words: str
    """The position in a phrase: "lying on your back"."""
    floor: bool
    """Done down on the floor (or a bed): getting there from sitting or standing takes time."""
    get_into: str
    """The cue from sitting or standing, or at the start of a session."""
    from_floor: str
    """The cue from another floor position (from hands and knees or kneeling into a lying
    position, `get_into` is said instead: you lie down rather than roll)."""
    other_side: str | None = None
    """The cue for changing sides when that moves the whole body (rolling over, swapping
    legs); None when changing sides leaves the body where it is."""

    @property
    def lying(self) -> bool:
        return self.id.startswith("lying-")


POSITION_TABLE: tuple[Position, ...] = (
    Position(
        "lying-back",
        "lying on your back",
        True,
        "Lie down on your back",
        "Roll onto your back",
    ),
    Position(
        "lying-side",
        "lying on your side",
        True,
        "Lie down on your side",
        "Roll onto your side",
        other_side="Roll over onto your other side",
    ),
    Position(
        "lying-face-down",
        "lying face down",
        True,
        "Lie down on your front, face down",
        "Roll onto your front, face down",
    ),
    Position(
        "hands-knees",
        "on your hands and knees",
        True,
        "Get down onto your hands and knees",
        "Roll onto your hands and knees",
    ),
    Position(
        "kneeling",
        "kneeling",
        True,
        "Kneel down on both knees",
        "Come up onto your knees",
        other_side="Swap legs: bring the other foot forward",
    ),
    Position(
        "seated",
        "sitting",
        False,
        "Sit down on a chair or the edge of a bed or couch",
        "Sit up on the edge of the bed, couch or a chair",
    ),
    Position("standing", "standing", False, "Stand up", "Get up and stand"),
)
POSITION_INFO: dict[str, Position] = {position.id: position for position in POSITION_TABLE}
POSITIONS = tuple(POSITION_INFO)
"""Body positions, in the words a routine file uses."""
FLOOR_POSITIONS = frozenset(p.id for p in POSITION_TABLE if p.floor)
"""Positions that need getting down on the floor (or a bed)."""

POSITION_ALIASES: dict[str, str] = {
    "lying": "lying-back",
    "side-lying": "lying-side",
    "prone": "lying-face-down",
    "hands-and-knees": "hands-knees",
}
"""The ids routine files used before the positions were named in full: still accepted, and
read as the position they always meant, so nobody's file breaks."""

POSITION_SYNONYMS: dict[str, str] = {
    "sitting": "seated",
    "sit": "seated",
    "sat": "seated",
    "chair": "seated",
    "in-a-chair": "seated",
    "stand": "standing",
    "upright": "standing",
    "supine": "lying-back",
    "back": "lying-back",
    "on-back": "lying-back",
    "on-your-back": "lying-back",
    "lying-on-back": "lying-back",
    "lying-down": "lying-back",
    "lie-down": "lying-back",
    "laying": "lying-back",
    "laying-down": "lying-back",
    "lying-supine": "lying-back",
    "supine-lying": "lying-back",
    "face-up": "lying-back",
    "face-down": "lying-face-down",
    "lying-prone": "lying-face-down",
    "prone-lying": "lying-face-down",
    "lying-on-front": "lying-face-down",
    "lying-on-stomach": "lying-face-down",
    "lying-on-side": "lying-side",
    "on-stomach": "lying-face-down",
    "stomach": "lying-face-down",
    "belly": "lying-face-down",
    "on-front": "lying-face-down",
    "side": "lying-side",
    "on-side": "lying-side",
    "sidelying": "lying-side",
    "side-lying-position": "lying-side",
    "all-fours": "hands-knees",
    "on-all-fours": "hands-knees",
    "quadruped": "hands-knees",
    "four-point": "hands-knees",
    "table-top": "hands-knees",
    "tabletop": "hands-knees",
    "kneel": "kneeling",
    "half-kneeling": "kneeling",
    "tall-kneeling": "kneeling",
}
"""Words people write for a position that are not its id: never accepted (a file should say
one thing one way), but `stretch validate` suggests the id they mean. Keys are written as
`synonym_key` makes them: lower case, words joined by hyphens."""


def synonym_key(word: str) -> str:
    """A written position as POSITION_SYNONYMS spells its keys: "All fours" -> "all-fours"."""
    return "-".join(word.lower().replace("_", " ").replace("-", " ").split())


EQUIPMENT_CUES: dict[str, str] = {
    "chair": "Get a sturdy chair",
    "towel": "Get a towel",
    "foam-roll": "Get a foam roll",
    "mat": "Get a mat",
    "pillow": "Get a pillow",
    "strap": "Get a strap",
    "counter": "Go to a counter",
    "wall": "Go to a wall",
    "doorway": "Go to a doorway",
}
"""Each piece of equipment, and what to say when an exercise needs it and the last did not."""
FIXED_EQUIPMENT = frozenset({"counter", "wall", "doorway"})
"""Equipment you go to rather than fetch: said after the position change, not before."""
EQUIPMENT = tuple(EQUIPMENT_CUES)
EQUIPMENT_SYNONYMS: dict[str, str] = {
    "desk": "counter",
    "table": "counter",
    "kitchen-counter": "counter",
    "worktop": "counter",
    "door": "doorway",
    "door-frame": "doorway",
    "doorframe": "doorway",
    "stool": "chair",
    "bench": "chair",
    "cushion": "pillow",
    "bolster": "pillow",
    "yoga-mat": "mat",
    "exercise-mat": "mat",
    "foam-roller": "foam-roll",
    "roller": "foam-roll",
    "band": "strap",
    "belt": "strap",
    "yoga-strap": "strap",
    "resistance-band": "strap",
}
"""Words people write for equipment, each with the id to suggest (keys as `synonym_key` spells
them): not read in a file, as with positions, but `stretch validate` answers them."""
SIDE_ORDERS = ("left-first", "right-first", "alternate")
SUITS = ("pregnancy", "limited-mobility", "office", "beginners")
"""Who a routine suits, where its source says so. Floor-free is worked out from positions."""

Side = Literal["left", "right"]


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
    other_side: str | None = None
    """The cue for changing sides when that means setting the legs, the stance or the
    equipment up again ("Move the towel to your other foot"); None when the switch moves only
    the limb being stretched, or the position's own cue (rolling over) says it all."""
    dose: Dosage | None = None
    """How it is done when a routine names it and gives no dose of its own (a bare id): for
    the library's, the dose the presets give it. None: the routine's default hold."""
    figure: Figure | None = None
    """How it is drawn; None: the generic figure of its position."""

    def __post_init__(self) -> None:
        # An older id means the position it always meant, wherever the exercise was made.
        if self.position in POSITION_ALIASES:
            object.__setattr__(self, "position", POSITION_ALIASES[self.position])


@dataclass(frozen=True)
class Entry:
    """An exercise's place in a routine with everything needed to time it."""

    exercise: Exercise
    dosage: Dosage
    prepare: float
    """Get-ready time before the exercise when it is in the same position as the one before."""
    switch: float
    """Time to change sides."""
    side_order: str
    note: str | None = None
    prepare_move: float | None = None
    """Get-ready time when the position changes, and before the first exercise; None: the
    same as `prepare`. The plan compiler decides which applies, since leaving an optional
    exercise out changes what comes before."""
    optional: bool = False
    """The routine works without it (`--skip-optional` leaves it out), e.g. a stretch that
    suits only some diagnoses."""

    def sides(self) -> tuple[Side, ...] | tuple[None]:
        if not self.exercise.per_side:
            return (None,)
        return ("right", "left") if self.side_order == "right-first" else ("left", "right")


@dataclass(frozen=True)
class MoveMinimums:
    """The least time a get-ready or switch step is given for what the person has to do in it.

    These are part of the position model: the plan compiler raises any shorter time to them,
    whatever set it (a routine's defaults, an entry's own `prepare` or `switch`, the builder,
    `--prepare` or `--quick`). A routine may ask for more through its `defaults`
    (`move_floor`, `move_equipment`, `move_sides`), never for less: a value below the least
    given here is raised to it when the object is made.
    """

    floor: float = 15.0
    """Between the floor (lying, hands and knees, kneeling) and sitting or standing, either
    way; and into a floor position at the start, from the screen the person has just used."""
    on_floor: float = 10.0
    """Between two floor positions: rolling over, getting up onto the hands and knees,
    lying down from kneeling."""
    upright: float = 5.0
    """Between sitting and standing."""
    equipment: float = 10.0
    """Fetching equipment (or going to a wall or counter) the previous exercise did not use."""
    sides: float = 10.0
    """Changing sides with the whole body: rolling over when lying on the side, or swapping
    legs when kneeling."""
    limbs: float = 8.0
    """Changing sides by setting the legs, the stance or the equipment up again: moving a towel
    to the other foot, crossing the other leg, turning to put the other arm on the wall."""

    def __post_init__(self) -> None:
        for field in fields(self):
            if getattr(self, field.name) < field.default:
                object.__setattr__(self, field.name, field.default)

    def between(self, before: Position | None, to: Position) -> float:
        """The least time for moving from `before` (None: the start of the session) to `to`;
        0 when the position does not change."""
        if before is not None and before.id == to.id:
            return 0.0
        if before is None:
            # At the start the person is at the screen, sitting or standing: getting down to
            # the floor takes its time; a chair or standing up needs no more than get-ready.
            return self.floor if to.floor else 0.0
        if before.floor and to.floor:
            return self.on_floor
        return self.floor if before.floor or to.floor else self.upright


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
    moves: MoveMinimums = MoveMinimums()
    """The least time given to each kind of move between exercises and sides (never less than
    the position model's own)."""

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

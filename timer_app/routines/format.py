"""Declares the routine file format: every object and field, with its type, limits and the
words editors and `stretch schema` show for it. `reading.py` turns a checked file into the
model.

A file is either a routine (it has `title` and `sequence`, and may define its own `exercises`)
or an exercise library (only `exercises`), whose exercises any routine may use by id.
"""

from __future__ import annotations

from typing import Any, Literal

from timer_app.core.figure import FIGURE_PROPS, HAND_TARGETS, MOTION_JOINTS, VIEWS
from timer_app.core.model import (
    EQUIPMENT,
    EQUIPMENT_SYNONYMS,
    POSITION_ALIASES,
    POSITION_SYNONYMS,
    POSITIONS,
    SIDE_ORDERS,
    SUITS,
    MoveMinimums,
    synonym_key,
)
from timer_app.core.plan import HOLD_LIMIT, PAUSE_LIMIT, REPS_LIMIT
from timer_app.routines.fields import (
    Angle,
    Boolean,
    Choice,
    Duration,
    Field,
    Integer,
    ListOf,
    Obj,
    Text,
)

SLUG = r"[a-z0-9]+(-[a-z0-9]+)*"
SLUG_HINT = "use lower-case letters, digits and single hyphens, e.g. knee-to-chest"

HOLD_SECONDS = Duration.within(HOLD_LIMIT)
REPS = Integer.within(REPS_LIMIT)
PAUSE_SECONDS = Duration.within(PAUSE_LIMIT)
TEMPO_PHASE = Duration(0.5, 60)
LINE = Text(300)
TITLE = Text(100)
"""A routine's title."""
LINES = ListOf(LINE, max_items=30, single_ok=True)
ALL_OPTIONAL = "every exercise is optional; leave at least one that is always done"
"""The problem of a sequence whose every entry is optional (the builder says it too)."""
POSITION = Choice(
    POSITIONS, aliases=POSITION_ALIASES, synonyms=POSITION_SYNONYMS, normalize=synonym_key
)
MOVE_SECONDS = Duration(0, 120)
MAX_ENTRIES = 200
"""The most entries a routine's `sequence` may have."""

# Fields people put in the wrong part of a file, with where they go. The README once said
# "per_side: true ... (side_order: ...)" in one sentence, and side_order landed beside per_side.
_IN_ENTRY = "it goes in the exercise's entry in `sequence` (or in `defaults`, for every entry)"
_IN_EXERCISE = "it goes in the exercise's definition (under `exercises`)"
_ENTRY_ONLY = "it goes in the exercise's entry in `sequence`"
_EXERCISE_ELSEWHERE = (
    dict.fromkeys(("prepare", "switch", "side_order"), _IN_ENTRY)
    | dict.fromkeys(
        ("hold", "reps", "rest", "tempo", "timed"),
        "it goes in the exercise's entry in `sequence`, or, as its usual dose, in the"
        " exercise's `dose:`, e.g. `dose: {hold: 30s, reps: 3}`",
    )
    | {"note": _ENTRY_ONLY, "optional": _ENTRY_ONLY}
)
_IN_TEMPO = "it goes inside the entry's `tempo:`, e.g. `tempo: {{{name}: 3s}}`"
_ENTRY_ELSEWHERE = (
    dict.fromkeys(
        ("name", "how_to", "position", "targets", "equipment", "per_side", "cautions"),
        _IN_EXERCISE,
    )
    | {"id": "an entry names its exercise with `exercise:`, e.g. `- exercise: knee-to-chest`"}
    | {name: _IN_TEMPO.format(name=name) for name in ("pressure_on", "pressure_off", "end_hold")}
)
_DEFAULTS_ELSEWHERE = dict.fromkeys(("per_side", "position", "equipment"), _IN_EXERCISE) | {
    "tempo": "give `pressure_on` and `pressure_off` here instead",
    "end_hold": "it goes inside an entry's `tempo:`, e.g. `tempo: {end_hold: 3s}`",
}
_FILE_ELSEWHERE = dict.fromkeys(
    ("hold", "reps", "rest", "prepare", "switch", "side_order"),
    "it goes in `defaults` (for every entry) or in an entry of `sequence`",
) | {
    "prepare_move": "it goes in `defaults`",
    "name": "a routine has a `title`; `name` is an exercise's",
}

# Not `on:`/`off:` as keys: YAML 1.1 tools (PyYAML's safe_load among them) read those as
# booleans, so a routine file would mean different things to different editors and scripts.
TEMPO = Obj(
    "tempo",
    "Move into and out of the stretch at a steady tempo: pressure on, pressure off.",
    (
        Field("pressure_on", TEMPO_PHASE, "Seconds moving into the stretch. Default 2s."),
        Field("pressure_off", TEMPO_PHASE, "Seconds easing back out. Default 2s."),
        Field(
            "end_hold",
            Duration(0, 60),
            "Seconds held still at the end of the range in every rep, between pressure on and "
            "pressure off (a rep is on, end_hold, off). Default 0: no hold.",
        ),
    ),
    elsewhere={"reps": "reps go beside `tempo` in the entry, not inside it"},
)

DoseKind = Literal["hold", "tempo", "timed"]
DOSE_KINDS: tuple[DoseKind, ...] = ("hold", "tempo", "timed")
"""The ways to dose an exercise, as the file names them: an entry (or a dose) gives one."""
HOLD_FIELD = Field("hold", HOLD_SECONDS, "Hold each rep this long, e.g. 30s.")
TEMPO_FIELD = Field("tempo", TEMPO, "Do reps at a steady tempo instead of holding.")
TIMED_FIELD = Field("timed", HOLD_SECONDS, "One continuous stretch of this long (per side).")

DOSE = Obj(
    "dose",
    "How an exercise is usually done: what a routine that names it by bare id gives it (the "
    "routine's `defaults` still win for the values they set). Give one of hold, tempo or "
    "timed; without any, a hold.",
    (
        HOLD_FIELD,
        Field("reps", REPS, "Held reps per side, or tempo reps."),
        Field("rest", PAUSE_SECONDS, "Rest between held reps."),
        TEMPO_FIELD,
        TIMED_FIELD,
    ),
)

ANGLE = Angle(-360, 360, "toward")
"""A segment's direction in degrees, or `toward`: pointing at the viewer (a seated figure's
thighs seen from the front), drawn foreshortened to nothing."""
_POSE_FIELDS = (
    Field(
        "trunk",
        ListOf(Integer(-360, 360), min_items=2, max_items=2),
        "The lower trunk (hips to waist) and the upper trunk (waist to shoulders), e.g. "
        "[90, 90] upright; [90, 60] rounded forward.",
    ),
    Field("head", Integer(-360, 360), "The neck's direction, e.g. 90 upright; 60 chin down."),
    Field(
        "left_arm",
        ListOf(ANGLE, min_items=2, max_items=2),
        "Upper arm, forearm; `toward` for one that points at the viewer.",
    ),
    Field("right_arm", ListOf(ANGLE, min_items=2, max_items=2), "Upper arm, forearm."),
    Field(
        "left_leg",
        ListOf(ANGLE, min_items=3, max_items=3),
        "Thigh, shin, foot (ankle to toes); `toward` for one that points at the viewer.",
    ),
    Field("right_leg", ListOf(ANGLE, min_items=3, max_items=3), "Thigh, shin, foot."),
    Field(
        "left_hand",
        Choice(HAND_TARGETS),
        "Where the how-to puts the left hand (checked against the drawing): "
        + ", ".join(HAND_TARGETS)
        + ".",
    ),
    Field("right_hand", Choice(HAND_TARGETS), "Where the how-to puts the right hand."),
)
POSE_PARTS = tuple(spec.name for spec in _POSE_FIELDS[:6])
"""The segments every pose gives (the start) or may change (the other keyframes)."""
START_POSE = Obj(
    "start_pose",
    "The starting position: the direction of every body segment in degrees (0 the way the "
    "figure faces, 90 up, 180 back, -90 down), written for the left side.",
    tuple(
        Field(spec.name, spec.type, spec.doc, required=spec.name in POSE_PARTS)
        for spec in _POSE_FIELDS
    ),
)
POSE = Obj(
    "pose",
    "A keyframe: only the segments that differ from the start, in degrees.",
    _POSE_FIELDS,
)
FIGURE = Obj(
    "figure",
    "How the exercise is drawn: a stick figure in poses given as segment angles (see "
    "docs/writing-routines.md). Without it, the generic figure of the exercise's position.",
    (
        Field(
            "view",
            Choice(VIEWS),
            "side (bending forward and back) or front (sideways).",
            required=True,
        ),
        Field(
            "props",
            ListOf(Choice(FIGURE_PROPS), max_items=len(FIGURE_PROPS), single_ok=True),
            "What is drawn with it besides the floor: " + ", ".join(FIGURE_PROPS) + ".",
        ),
        Field(
            "distance",
            Integer(0, 200),
            "How far the wall or counter stands from the hips, in centimetres. Default 60.",
        ),
        Field(
            "motion",
            Choice(MOTION_JOINTS),
            "A joint whose way from the start to the stretch is drawn as an arrow in the "
            "stretch, to show a turn or a sweep: " + ", ".join(MOTION_JOINTS) + ".",
        ),
        Field("start", START_POSE, "The start position, shown while getting ready.", required=True),
        Field(
            "stretch",
            POSE,
            "The stretch (a hold), or where pressure on ends (tempo).",
            required=True,
        ),
        Field("release", POSE, "Where pressure off ends, in a tempo exercise; default: start."),
    ),
)

EXERCISE = Obj(
    "exercise",
    "A stretch or movement, defined once and used by id in any routine.",
    (
        Field(
            "id",
            Text(60, SLUG, SLUG_HINT),
            "Short id used in `sequence`, e.g. knee-to-chest.",
            required=True,
        ),
        Field("name", Text(80), "The name shown and spoken, e.g. Knee to chest.", required=True),
        Field(
            "how_to",
            ListOf(LINE, min_items=1, max_items=12, single_ok=True),
            "Short steps, in your own words, shown during the stretch.",
            required=True,
        ),
        Field(
            "position",
            POSITION,
            "The body position it is done in: lying-back, lying-side, lying-face-down, "
            "hands-knees, kneeling, seated or standing.",
            required=True,
        ),
        Field(
            "targets",
            ListOf(Text(40), max_items=10, single_ok=True),
            "Areas it works, e.g. lower back, hips.",
        ),
        Field(
            "equipment",
            ListOf(
                Choice(EQUIPMENT, synonyms=EQUIPMENT_SYNONYMS, normalize=synonym_key),
                max_items=10,
                single_ok=True,
            ),
            "What you need besides the floor.",
        ),
        Field(
            "per_side",
            Boolean(),
            "true if done on the left and on the right. Which side first (`side_order`) is "
            "set in the sequence entry or in defaults, not here.",
        ),
        Field(
            "cautions",
            LINES,
            "Who should skip or adapt it, and why; shown during the stretch, in the plan and "
            "in the picker.",
        ),
        Field(
            "other_side",
            Text(120),
            "For an exercise done on each side: what to do to change sides when that means "
            "setting the legs, the stance or the equipment up again, e.g. Move the towel to "
            "your other foot. Said at each switch, which then gets at least "
            f"{MoveMinimums.limbs:g}s.",
        ),
        Field(
            "dose",
            DOSE,
            "How it is usually done, given to it where a routine names it by bare id, e.g. "
            "`dose: {hold: 30s, reps: 3}` (default: the routine's default hold).",
        ),
        Field("figure", FIGURE, FIGURE.doc),
    ),
    elsewhere=_EXERCISE_ELSEWHERE,
)

ENTRY = Obj(
    "entry",
    "One exercise in the routine. Give one of hold, tempo or timed; without any, the "
    "exercise's own dose is used (`stretch exercises` shows it), with the routine's defaults "
    "over it. A bare id means the exercise done that way.",
    (
        Field("exercise", Text(60, SLUG, SLUG_HINT), "The id of the exercise.", required=True),
        HOLD_FIELD,
        Field(
            "reps",
            REPS,
            "Held reps (per side; default: defaults.reps), or tempo reps (default: "
            "defaults.tempo_reps).",
        ),
        Field(
            "rest",
            PAUSE_SECONDS,
            "Rest between held reps: between reps on the same side, or with side_order "
            "alternate, after each round of left and right (0 for none).",
        ),
        TEMPO_FIELD,
        TIMED_FIELD,
        Field(
            "prepare",
            PAUSE_SECONDS,
            "Get-ready time before this exercise; replaces both defaults.prepare and "
            "defaults.prepare_move, unless the entry gives its own prepare_move too (a move "
            "still gets its minimum).",
        ),
        Field(
            "prepare_move",
            PAUSE_SECONDS,
            "Get-ready time before this exercise when the position changes (and before the "
            "first); `prepare` (or the default) is then used when it does not.",
        ),
        Field(
            "switch",
            Duration(0, 120),
            "Time to change sides (a switch that moves the body, such as rolling over or "
            "moving a towel to the other foot, still gets its minimum).",
        ),
        Field(
            "side_order",
            Choice(SIDE_ORDERS),
            "left-first / right-first: all reps on one side, then the other; "
            "alternate: left, right, left, right.",
        ),
        Field(
            "note",
            LINE,
            "A word on this routine's use of the exercise, shown under its steps during the "
            "session.",
        ),
        Field(
            "optional",
            Boolean(),
            "true if the routine works without it (say who should skip it in cautions); "
            "`--skip-optional` leaves it out.",
        ),
    ),
    shorthand="exercise",
    elsewhere=_ENTRY_ELSEWHERE,
)

DEFAULTS = Obj(
    "defaults",
    "Defaults for every entry of the routine; each entry may override them.",
    (
        Field("hold", HOLD_SECONDS, "Hold time. Default 30s."),
        Field("reps", REPS, "Held reps per side. Default 3."),
        Field(
            "rest",
            PAUSE_SECONDS,
            "Rest between held reps (with side_order alternate: after each round of left "
            "and right). Default 5s.",
        ),
        Field("tempo_reps", REPS, "Reps of a tempo exercise that gives no reps. Default 10."),
        Field("pressure_on", TEMPO_PHASE, "Tempo: seconds moving in. Default 2s."),
        Field("pressure_off", TEMPO_PHASE, "Tempo: seconds easing out. Default 2s."),
        Field(
            "prepare",
            PAUSE_SECONDS,
            "Get-ready time before an exercise in the same position as the last. Default 5s.",
        ),
        Field(
            "prepare_move",
            PAUSE_SECONDS,
            "Get-ready time before the first exercise, and before any exercise in another "
            "position than the last. Default 15s.",
        ),
        Field("switch", Duration(0, 120), "Time to change sides. Default 5s."),
        Field("side_order", Choice(SIDE_ORDERS), "Default left-first."),
        Field(
            "move_floor",
            MOVE_SECONDS,
            "More get-ready time between the floor (lying, hands and knees, kneeling) and "
            "sitting or standing, either way, for someone who needs it; never less than "
            f"{MoveMinimums.floor:g}s.",
        ),
        Field(
            "move_equipment",
            MOVE_SECONDS,
            "More get-ready time when an exercise needs equipment the one before did not "
            f"use; never less than {MoveMinimums.equipment:g}s.",
        ),
        Field(
            "move_sides",
            MOVE_SECONDS,
            "More switch time for rolling to the other side (lying on the side) or swapping "
            f"legs (kneeling); never less than {MoveMinimums.sides:g}s.",
        ),
    ),
    elsewhere=_DEFAULTS_ELSEWHERE,
)

SOURCE = Obj(
    "source",
    "Where the routine comes from.",
    (
        Field("title", LINE, "The article or video title.", required=True),
        Field("site", Text(100), "The site or publisher.", required=True),
        Field("author", Text(100), "Who wrote or presents it."),
        Field("url", Text(300), "A link to it."),
    ),
)

ROUTINE_FILE = Obj(
    "routine_file",
    "A stretch-timer routine (title + sequence) or an exercise library (exercises only).",
    (
        Field(
            "id",
            Text(60, SLUG, SLUG_HINT),
            "The routine's id, used by `stretch run ID`; without it, the file name without "
            ".yaml (a routine with a preset's id replaces the preset).",
        ),
        Field("title", TITLE, "The routine's title, shown in lists and the picker."),
        Field("summary", Text(600), "What it is for, in a sentence or two."),
        Field("source", SOURCE, "Where it comes from."),
        Field(
            "cautions",
            LINES,
            "Who should take care, and with what; shown before the plan and in the picker.",
        ),
        Field(
            "suits",
            ListOf(Choice(SUITS), max_items=len(SUITS), single_ok=True),
            "Who it suits, where the source says so: " + ", ".join(SUITS) + ".",
        ),
        Field("notes", LINES, "Anything else worth knowing, e.g. how a range was chosen."),
        Field("defaults", DEFAULTS, "Defaults for every entry."),
        Field(
            "exercises",
            ListOf(EXERCISE, max_items=200, item_name="exercise", id_field="id"),
            "Exercises defined in this file (the built-in library's are there already: "
            "`stretch exercises` lists them).",
        ),
        Field(
            "sequence",
            ListOf(
                ENTRY,
                min_items=1,
                max_items=MAX_ENTRIES,
                item_name="sequence entry",
                id_field="exercise",
            ),
            "The exercises in order, with their dosage.",
        ),
    ),
    elsewhere=_FILE_ELSEWHERE,
)

BUILTIN_DEFAULTS: dict[str, Any] = {
    "hold": 30.0,
    "reps": 3,
    "rest": 5.0,
    "tempo_reps": 10,
    "pressure_on": 2.0,
    "pressure_off": 2.0,
    "prepare": 5.0,
    "prepare_move": 15.0,
    "switch": 5.0,
    "side_order": "left-first",
    "move_floor": MoveMinimums.floor,
    "move_equipment": MoveMinimums.equipment,
    "move_sides": MoveMinimums.sides,
}

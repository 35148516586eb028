"""Provides the generic figure of each body position, for an exercise that has none of its own.

An exercise a person writes without a `figure:` still shows a body in its position (lying on
the back, on the side, face down, on hands and knees, kneeling, sitting or standing), so no
exercise is ever drawn blank. The poses are written here as the library's are in its file.
"""

from __future__ import annotations

from timer_app.core.figure import Figure, Pose
from timer_app.core.model import Exercise

__all__ = ["GENERIC", "figure_of"]

_STANDING = Pose((90, 90), 90, (-88, -80), (-92, -84), (-90, -90, 0), (-92, -92, -2))
_LYING_BACK = Pose((180, 180), 180, (-2, 0), (0, 2), (0, 0, 85), (2, 2, 87))

GENERIC: dict[str, Figure] = {
    "standing": Figure("side", _STANDING, _STANDING),
    "seated": Figure(
        "side",
        Pose((90, 90), 90, (-70, -50), (-72, -52), (0, -90, 0), (2, -88, 2)),
        Pose((90, 90), 90, (-70, -50), (-72, -52), (0, -90, 0), (2, -88, 2)),
        props=("chair",),
    ),
    "kneeling": Figure(
        "side",
        Pose((90, 90), 90, (-88, -80), (-92, -84), (-90, 180, 180), (-92, 178, 178)),
        Pose((90, 90), 90, (-88, -80), (-92, -84), (-90, 180, 180), (-92, 178, 178)),
        props=("mat",),
    ),
    "hands-knees": Figure(
        "side",
        Pose((14, 14), 4, (-90, -90), (-92, -92), (-90, 180, 180), (-92, 178, 178)),
        Pose((14, 14), 4, (-90, -90), (-92, -92), (-90, 180, 180), (-92, 178, 178)),
        props=("mat",),
    ),
    "lying-back": Figure("side", _LYING_BACK, _LYING_BACK, props=("mat",)),
    "lying-face-down": Figure(
        "side",
        Pose((0, 0), 0, (180, 180), (178, 178), (180, 180, 200), (178, 178, 198)),
        Pose((0, 0), 0, (180, 180), (178, 178), (180, 180, 200), (178, 178, 198)),
        props=("mat",),
    ),
    "lying-side": Figure(
        "side",
        Pose((180, 180), 180, (0, 2), (80, 90), (60, -30, 60), (0, 0, 90)),
        Pose((180, 180), 180, (0, 2), (80, 90), (60, -30, 60), (0, 0, 90)),
        props=("mat",),
    ),
}
"""Each position's figure, still (its stretch is its start)."""


def figure_of(exercise: Exercise) -> Figure:
    """The exercise's own figure, or the generic figure of its position."""
    return exercise.figure or GENERIC[exercise.position]

"""Provides the body a pose describes: its joints, measured from the segment angles.

Segment lengths are fixed (an adult of about 170 cm), so every pose of a figure has the same
body. The joints are computed with the hips at x = 0; `timer_app.figures.scene` then sets the
body on the floor or the seat.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from timer_app.core.figure import Pose, View

__all__ = ["HEAD_RADIUS", "LENGTHS", "Body", "Point", "between", "measure"]

Point = tuple[float, float]

LENGTHS = {
    "lower_trunk": 27.0,
    "upper_trunk": 27.0,
    "neck": 8.0,
    "upper_arm": 29.0,
    "forearm": 36.0,
    "thigh": 44.0,
    "shin": 43.0,
    "foot": 15.0,
}
"""Centimetres; the head is a circle on the neck, the forearm reaches to the palm."""
HEAD_RADIUS = 10.0
SHOULDER_HALF = 18.0
"""Half the width of the shoulders, drawn in a front view."""
HIP_HALF = 9.0

LIMBS = {
    "arm": (("shoulder", "elbow", "hand"), ("upper_arm", "forearm")),
    "leg": (("hip", "knee", "ankle", "toe"), ("thigh", "shin", "foot")),
}
"""The joints along each limb, and the segments between them."""


def _step(start: Point, angle: float | None, length: float) -> Point:
    if angle is None:
        return start  # pointing at the viewer: foreshortened to nothing
    radians = math.radians(angle)
    return (start[0] + length * math.cos(radians), start[1] + length * math.sin(radians))


def between(a: Point, b: Point, share: float = 0.5) -> Point:
    """The point `share` of the way from a to b."""
    return (a[0] + (b[0] - a[0]) * share, a[1] + (b[1] - a[1]) * share)


@dataclass(frozen=True)
class Body:
    """Every joint of a posed body, by name ("left-knee", "waist", "head", ...)."""

    joints: dict[str, Point]
    view: View

    def __getitem__(self, name: str) -> Point:
        return self.joints[name]

    def moved(self, dx: float, dy: float) -> Body:
        return Body({k: (x + dx, y + dy) for k, (x, y) in self.joints.items()}, self.view)

    def lowest(self) -> float:
        """The lowest point of the body, the head's round edge included."""
        return min(*(y for _, y in self.joints.values()), self["head"][1] - HEAD_RADIUS)


def measure(pose: Pose, view: View) -> Body:
    """The joints of `pose`, with the middle of the hips at (0, 0)."""
    lower, upper = pose.trunk
    joints: dict[str, Point] = {"hips": (0.0, 0.0)}
    joints["waist"] = _step(joints["hips"], lower, LENGTHS["lower_trunk"])
    joints["shoulders"] = _step(joints["waist"], upper, LENGTHS["upper_trunk"])
    joints["neck"] = _step(joints["shoulders"], pose.head, LENGTHS["neck"])
    joints["head"] = _step(joints["neck"], pose.head, HEAD_RADIUS)
    # The face looks a quarter turn clockwise of the neck (forward when upright): in a side
    # view its mark tells chin down from chin up, face down from face up.
    joints["nose"] = _step(joints["head"], pose.head - 90, HEAD_RADIUS + 4)
    for side in ("left", "right"):
        # In a front view the figure's left is a quarter turn clockwise of its trunk (to the
        # right of the picture, as it faces us); in a side view both sides share one joint.
        toward = -90 if side == "left" else 90
        shoulder_half, hip_half = (SHOULDER_HALF, HIP_HALF) if view == "front" else (0.0, 0.0)
        roots = {
            "arm": _step(joints["shoulders"], upper + toward, shoulder_half),
            "leg": _step(joints["hips"], lower + toward, hip_half),
        }
        angles = {"arm": getattr(pose, f"{side}_arm"), "leg": getattr(pose, f"{side}_leg")}
        for limb, (names, segments) in LIMBS.items():
            point = roots[limb]
            joints[f"{side}-{names[0]}"] = point
            for name, segment, angle in zip(names[1:], segments, angles[limb], strict=True):
                point = _step(point, angle, LENGTHS[segment])
                joints[f"{side}-{name}"] = point
    return Body(joints, view)

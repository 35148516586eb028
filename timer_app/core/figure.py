"""Provides the figure model: an exercise drawn as a stick figure, its poses as joint angles.

A pose is data, not a picture: the direction of each body segment in degrees, in the plane
the figure is seen in. The drawing (`timer_app.figures`) measures the body from these angles
with fixed segment lengths, so a limb never stretches, and places it on the floor or the seat
by rule; the right side is always computed as the mirror image of the left, never written.

Angles: 0 points the way a side-view figure faces (to the right of the picture) or, in a
front view, toward the figure's left (also the right of the picture, since it faces us); 90
points up, 180 back (or to the figure's right), -90 down. The figure is written for the left
side: in a side view the viewer sees its left side, so the left limbs are the near ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "FIGURE_PROPS",
    "HAND_TARGETS",
    "JOINT_RANGES",
    "MOTION_JOINTS",
    "VIEWS",
    "Figure",
    "Pose",
    "joint_angles",
    "joint_problems",
]

View = Literal["side", "front"]
VIEWS: tuple[View, ...] = ("side", "front")

FIGURE_PROPS = ("mat", "chair", "bed", "wall", "counter", "towel", "pillow", "foam-roll")
"""What a figure can be drawn with besides the floor. `bed` is a bed or couch edge to sit on;
a `towel` held in the hands is drawn as a strap to the left foot, otherwise folded on the seat."""

HAND_TARGETS = (
    "floor",
    "wall",
    "counter",
    "chair",
    "towel",
    "head",
    "left-knee",
    "right-knee",
    "left-thigh",
    "right-thigh",
    "left-shoulder",
    "right-shoulder",
    "left-hand",
    "right-hand",
)
"""Where a pose may put a hand, as the how-to says it: checked against the drawn body."""

MOTION_JOINTS = (
    "left-hand",
    "right-hand",
    "left-elbow",
    "right-elbow",
    "left-knee",
    "right-knee",
    "left-ankle",
    "right-ankle",
    "head",
)
"""The joints whose way from the start to the stretch a figure may draw as an arrow: a twist
or a sweep that one flat stick figure cannot show by its pose alone."""


Angle = int | None
"""Degrees, or None: the segment points at the viewer and is drawn foreshortened to nothing."""


@dataclass(frozen=True)
class Pose:
    """One keyframe: the direction of every body segment, in degrees (see the module)."""

    trunk: tuple[int, int]
    """The lower trunk (hips to waist) and the upper trunk (waist to shoulders)."""
    head: int
    """The neck, and so the head: in a side view the face looks 90 degrees clockwise of it."""
    left_arm: tuple[Angle, Angle]
    """Upper arm, forearm (to the hand)."""
    right_arm: tuple[Angle, Angle]
    left_leg: tuple[Angle, Angle, Angle]
    """Thigh, shin, foot (ankle to toes)."""
    right_leg: tuple[Angle, Angle, Angle]
    left_hand: str | None = None
    """Where the left hand is (one of HAND_TARGETS), when the how-to puts it somewhere."""
    right_hand: str | None = None

    def hands(self) -> dict[str, str]:
        """The hands the pose puts somewhere: {"left": target, ...}."""
        placed = {"left": self.left_hand, "right": self.right_hand}
        return {hand: target for hand, target in placed.items() if target is not None}


@dataclass(frozen=True)
class Figure:
    """An exercise's drawing: the view, the props and its keyframes."""

    view: View
    start: Pose
    """The starting position, shown while getting ready."""
    stretch: Pose
    """The stretch, shown during a hold; in a tempo exercise, where pressure on ends."""
    release: Pose | None = None
    """Where pressure off ends in a tempo exercise; None: back to the start."""
    props: tuple[str, ...] = ()
    distance: int = 60
    """How far the wall or counter stands in front of the hips (a side view) or to the
    figure's left (a front view), in centimetres."""
    motion: str | None = None
    """A joint (one of MOTION_JOINTS) whose way from the start to the stretch is drawn as an
    arrow in the stretch, so the direction of a turn can be seen."""

    @property
    def released(self) -> Pose:
        return self.release or self.start

    def poses(self) -> dict[str, Pose]:
        """Every keyframe by name, as a file writes it."""
        named = {"start": self.start, "stretch": self.stretch}
        if self.release is not None:
            named["release"] = self.release
        return named


@dataclass(frozen=True)
class JointRange:
    """The range a joint moves in, as `joint_angles` measures it, in degrees."""

    least: int
    most: int
    what: str
    """How a problem names the movement."""


JOINT_RANGES: dict[View, dict[str, JointRange]] = {
    "side": {
        "spine": JointRange(-35, 60, "the trunk bends (forward +, back -)"),
        "neck": JointRange(-60, 70, "the neck bends (chin down +, up -)"),
        "hip": JointRange(-35, 160, "the hip bends (thigh forward +)"),
        "knee": JointRange(-5, 170, "the knee bends"),
        "ankle": JointRange(-45, 95, "the foot points (toes down +, up -)"),
        "elbow": JointRange(-10, 165, "the elbow bends"),
    },
    "front": {
        "spine": JointRange(-40, 40, "the trunk leans sideways"),
        "neck": JointRange(-50, 50, "the head tips sideways"),
        "hip": JointRange(-60, 60, "the leg moves out sideways"),
        "knee": JointRange(-150, 150, "the lower leg angles from the thigh"),
        "ankle": JointRange(-120, 120, "the foot turns"),
        "elbow": JointRange(-155, 155, "the elbow bends"),
    },
}
"""Human ranges, a little generous: a figure is a sketch, not a measurement."""


def _turn(angle: float) -> float:
    """An angle brought into (-180, 180]."""
    turned = (angle + 180.0) % 360.0 - 180.0
    return 180.0 if turned == -180.0 else turned


def joint_angles(pose: Pose, view: View) -> dict[str, float]:
    """Each joint's bend, measured as JOINT_RANGES reads it ("left-knee": 90.0, ...); a joint
    next to a segment that points at the viewer is left out (its bend is not seen)."""
    lower, upper = pose.trunk
    angles: dict[str, float | None] = {}
    side_view = view == "side"

    def bend(a: Angle, b: Angle, offset: float = 0.0, sign: int = 1) -> float | None:
        return None if a is None or b is None else offset + sign * _turn(a - b)

    angles["spine"] = bend(lower, upper, sign=1 if side_view else -1)
    angles["neck"] = bend(upper, pose.head, sign=1 if side_view else -1)
    for side, (thigh, shin, foot) in (("left", pose.left_leg), ("right", pose.right_leg)):
        if side_view:
            # Standing straight (trunk up, thigh down) is 0; the thigh forward is flexion.
            hip = None if thigh is None else 180.0 - (lower - thigh) % 360.0
            angles[f"{side}-hip"] = hip
            angles[f"{side}-knee"] = bend(thigh, shin)
            angles[f"{side}-ankle"] = bend(shin, foot, 90.0)
        else:
            angles[f"{side}-hip"] = bend(thigh, lower - 180)
            angles[f"{side}-knee"] = bend(shin, thigh)
            angles[f"{side}-ankle"] = bend(foot, shin)
    for side, (arm, fore) in (("left", pose.left_arm), ("right", pose.right_arm)):
        angles[f"{side}-elbow"] = bend(fore, arm)
    return {joint: angle for joint, angle in angles.items() if angle is not None}


def joint_problems(pose: Pose, view: View) -> list[str]:
    """What in a pose no body does: a joint outside its human range, in words."""
    ranges = JOINT_RANGES[view]
    problems = []
    for joint, angle in joint_angles(pose, view).items():
        allowed = ranges[joint.rpartition("-")[2]]
        if not allowed.least <= angle <= allowed.most:
            problems.append(
                f"{joint.replace('-', ' ')}: {allowed.what} {angle:g} degrees, "
                f"outside {allowed.least} to {allowed.most}"
            )
    return problems

"""Provides the scene of a figure: the posed body set on its support, with its props, as
lines and circles that every renderer (SVG, the terminal's dots) draws the same way.

The body is set down by rule: sitting, the hips rest on the seat; otherwise the lowest point
of the body rests on the floor. A figure lying on the floor seen from above (a front view of
a person on their back or front, a side view of one on their side) has no floor line: it is
drawn on its mat. The right side is the left side's mirror image, computed here once.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, replace
from typing import Literal

from timer_app.core.figure import Figure, Pose
from timer_app.figures.body import HEAD_RADIUS, Body, Point, between, measure

__all__ = [
    "COUNTER_HEIGHT",
    "SEAT_HEIGHT",
    "Circle",
    "Drawing",
    "Line",
    "Scene",
    "draw",
    "pose_between",
    "seen_from_above",
]

Role = Literal["near", "far", "prop", "mat", "floor", "motion"]
"""How a shape is drawn: the near side of the body, its far side (lighter, or dotted in the
terminal), a prop, the mat, the floor, or the arrow of a motion (dashed)."""

SEAT_HEIGHT = 43.0
"""A chair's or bed's seat: the hips of a seated figure rest here."""
COUNTER_HEIGHT = 90.0
WALL_HEIGHT = 190.0
FOAM_ROLL_RADIUS = 7.0
PILLOW_RADIUS = 6.0
MARGIN = 8.0
ARROW_BOW = 0.3
"""How far a motion's arrow bows out of the straight line, as a share of its length: a turn
is drawn as a curve, so it does not read as one more limb."""
ARROW_HEAD = 7.0
"""The length of each stroke of the arrow's head, in centimetres."""
ARROW_GAP = 6.0
"""The arrow stops this short of both ends, so it never touches the limb it follows."""
ARROW_STEPS = 10


@dataclass(frozen=True)
class Line:
    a: Point
    b: Point
    role: Role


@dataclass(frozen=True)
class Circle:
    center: Point
    radius: float
    role: Role


Shape = Line | Circle


@dataclass(frozen=True)
class Scene:
    """One frame: the body and everything drawn with it, in centimetres, y up."""

    body: Body
    shapes: tuple[Shape, ...]
    floor: bool
    """A floor line is drawn under everything (not when the figure is seen from above)."""


@dataclass(frozen=True)
class Drawing:
    """A figure posed for one side: its keyframes and the frame that holds all of them."""

    figure: Figure
    position: str
    side: str | None
    """"left", "right", or None for an exercise done once."""
    frame: tuple[float, float, float, float]
    """x0, y0, x1, y1: every keyframe fits in it, so an animation never shifts."""

    @property
    def mirrored(self) -> bool:
        return self.side == "right"

    def scene(self, pose: Pose, *, mirrored: bool | None = None) -> Scene:
        """Any pose of this figure (a keyframe or a frame between two), drawn for the side
        (or, with `mirrored`, as the left or its mirror image whatever the side)."""
        drawn = _scene(self.figure, self.position, pose, self._span())
        flip = self.mirrored if mirrored is None else mirrored
        return mirror(drawn) if flip else drawn

    @property
    def left_frame(self) -> tuple[float, float, float, float]:
        """The frame of the unmirrored figure."""
        return _frame(self.figure, self.position)

    def keyframe(self, name: str) -> Scene:
        return self.scene(self.figure.poses()[name] if name != "release" else self.figure.released)

    def _span(self) -> tuple[float, float]:
        # Props that spread under the body (the mat, the floor) span every keyframe, so they
        # stay put while the body moves; the frame is measured unmirrored.
        x0, _, x1, _ = _frame(self.figure, self.position)
        return (x0 + MARGIN, x1 - MARGIN)


def seen_from_above(figure: Figure, position: str) -> bool:
    """The plane the figure is drawn in lies on the floor: no floor line, nothing is "up"."""
    if figure.view == "front":
        return position in ("lying-back", "lying-face-down")
    return position == "lying-side"


def draw(figure: Figure, position: str, side: str | None = None) -> Drawing:
    """The figure set up for `side` (the right side is the mirror image of the left)."""
    x0, y0, x1, y1 = _frame(figure, position)
    frame = (-x1, y0, -x0, y1) if side == "right" else (x0, y0, x1, y1)
    return Drawing(figure, position, side, frame)


def _frame(figure: Figure, position: str) -> tuple[float, float, float, float]:
    xs: list[float] = []
    ys: list[float] = []
    poses = [figure.start, figure.stretch, figure.released]
    for pose in poses:
        scene = _scene(figure, position, pose, None)
        for shape in scene.shapes:
            if isinstance(shape, Line):
                xs += [shape.a[0], shape.b[0]]
                ys += [shape.a[1], shape.b[1]]
            else:
                xs += [shape.center[0] - shape.radius, shape.center[0] + shape.radius]
                ys += [shape.center[1] - shape.radius, shape.center[1] + shape.radius]
        if scene.floor:
            ys.append(0.0)
    return (min(xs) - MARGIN, min(ys) - MARGIN, max(xs) + MARGIN, max(ys) + MARGIN)


def place(figure: Figure, position: str, pose: Pose) -> Body:
    """The posed body set on its support: the seat, the floor, or (from above) as measured."""
    body = measure(pose, figure.view)
    if seen_from_above(figure, position):
        return body
    if position == "seated":
        return body.moved(0.0, SEAT_HEIGHT)
    return body.moved(0.0, -body.lowest())


def _scene(figure: Figure, position: str, pose: Pose, span: tuple[float, float] | None) -> Scene:
    body = place(figure, position, pose)
    above = seen_from_above(figure, position)
    shapes: list[Shape] = [*_props(figure, position, pose, body, span, above)]
    shapes += _body_shapes(body, figure)
    if figure.motion is not None and pose == figure.stretch:
        start = place(figure, position, figure.start)
        shapes += _arrow(start[figure.motion], body[figure.motion], body["waist"], floor=not above)
    return Scene(body, tuple(shapes), floor=not above)


def _arrow(a: Point, b: Point, centre: Point, *, floor: bool) -> list[Shape]:
    """A curved arrow from `a` to `b` (the way a joint goes from the start to the stretch),
    bowing up where there is a `floor`, else away from the body's `centre`, as short lines;
    none when the joint hardly moves."""
    length = math.dist(a, b)
    if length < 3 * ARROW_GAP:
        return []
    # The bow's control point: off the middle of a to b, square to it, so the arrow reads as
    # a turn and not as one more limb.
    dx, dy = (b[0] - a[0]) / length, (b[1] - a[1]) / length
    middle = between(a, b)
    bows = [
        (middle[0] - sign * dy * length * ARROW_BOW, middle[1] + sign * dx * length * ARROW_BOW)
        for sign in (1, -1)
    ]
    # Over a floor, up (never through it); seen from above, away from the body.
    control = max(bows, key=lambda point: point[1] if floor else math.dist(point, centre))

    def on_curve(t: float) -> Point:
        u = 1 - t
        return (
            u * u * a[0] + 2 * u * t * control[0] + t * t * b[0],
            u * u * a[1] + 2 * u * t * control[1] + t * t * b[1],
        )

    # Near enough, the gap at each end as a share of the curve.
    gap = ARROW_GAP / (length * (1 + ARROW_BOW))
    points = [on_curve(gap + (1 - 2 * gap) * i / ARROW_STEPS) for i in range(ARROW_STEPS + 1)]
    shapes: list[Shape] = [Line(p, q, "motion") for p, q in itertools.pairwise(points)]
    tip, before = points[-1], points[-2]
    back = math.atan2(before[1] - tip[1], before[0] - tip[0])
    for turn in (-0.45, 0.45):
        end = (
            tip[0] + ARROW_HEAD * math.cos(back + turn),
            tip[1] + ARROW_HEAD * math.sin(back + turn),
        )
        shapes.append(Line(tip, end, "motion"))
    return shapes


def _body_shapes(body: Body, figure: Figure) -> list[Shape]:
    # The far side first, so the near side is drawn over it. In a front view both sides
    # face us: both are near.
    far_side = "right" if figure.view == "side" else None
    shapes: list[Shape] = []
    for side in sorted(("left", "right"), key=lambda s: s != far_side):
        role: Role = "far" if side == far_side else "near"
        arm = [body[f"{side}-{j}"] for j in ("shoulder", "elbow", "hand")]
        leg = [body[f"{side}-{j}"] for j in ("hip", "knee", "ankle", "toe")]
        for points in (arm, leg):
            shapes += [Line(a, b, role) for a, b in itertools.pairwise(points)]
    if figure.view == "front":
        shapes.append(Line(body["left-shoulder"], body["right-shoulder"], "near"))
        shapes.append(Line(body["left-hip"], body["right-hip"], "near"))
    shapes.append(Line(body["hips"], body["waist"], "near"))
    shapes.append(Line(body["waist"], body["shoulders"], "near"))
    shapes.append(Line(body["shoulders"], body["neck"], "near"))
    shapes.append(Circle(body["head"], HEAD_RADIUS, "near"))
    if figure.view == "side":
        # The face's mark: a short stroke out of the head the way the face looks.
        shapes.append(Line(between(body["head"], body["nose"], 0.72), body["nose"], "near"))
    return shapes


def _props(
    figure: Figure,
    position: str,
    pose: Pose,
    body: Body,
    span: tuple[float, float] | None,
    above: bool,
) -> list[Shape]:
    shapes: list[Shape] = []
    props = set(figure.props)
    xs = [x for x, _ in body.joints.values()]
    ys = [y for _, y in body.joints.values()]
    left, right = span if span is not None else (min(xs) - 6, max(xs) + 6)
    distance = float(figure.distance)
    if "mat" in props:
        if above:
            bottom, top = min(ys) - 14, max(ys) + 14
            corners = [(left, bottom), (right, bottom), (right, top), (left, top)]
            shapes += [
                Line(a, b, "mat") for a, b in zip(corners, corners[1:] + corners[:1], strict=False)
            ]
        else:
            shapes.append(Line((left, -1.5), (right, -1.5), "mat"))
    seat = "bed" if "bed" in props else "chair" if "chair" in props else None
    if seat is not None:
        shapes += _seat(seat, figure.view)
    if "wall" in props:
        shapes.append(Line((distance, 0.0), (distance, WALL_HEIGHT), "prop"))
    if "counter" in props:
        top = COUNTER_HEIGHT
        shapes.append(Line((distance, top), (distance + 45, top), "prop"))
        shapes.append(Line((distance + 3, top), (distance + 3, 0.0), "prop"))
    if "towel" in props:
        holding = [hand for hand, target in pose.hands().items() if target == "towel"]
        if holding:
            foot = between(body["left-ankle"], body["left-toe"], 0.5)
            shapes += [Line(foot, body[f"{hand}-hand"], "prop") for hand in holding]
        else:
            # Folded under the hips: on the seat, or on the floor.
            height = SEAT_HEIGHT + 1.0 if seat is not None else 1.0
            shapes.append(Line((-12.0, height), (12.0, height), "prop"))
    if "pillow" in props:
        middle = between(body["left-knee"], body["right-knee"])
        shapes.append(Circle(middle, PILLOW_RADIUS, "prop"))
    if "foam-roll" in props:
        blades = between(body["waist"], body["shoulders"], 0.6)
        shapes.append(Circle((blades[0], FOAM_ROLL_RADIUS), FOAM_ROLL_RADIUS, "prop"))
    return shapes


def _seat(kind: str, view: str) -> list[Shape]:
    top = SEAT_HEIGHT
    if view == "front":
        half = 45.0 if kind == "bed" else 24.0
        lines = [((-half, top), (half, top)), ((-half + 2, top), (-half + 2, 0.0))]
        lines.append(((half - 2, top), (half - 2, 0.0)))
        if kind == "chair":
            back = top + 42
            lines += [((-half + 2, top), (-half + 2, back)), ((half - 2, top), (half - 2, back))]
            lines.append(((-half + 2, back), (half - 2, back)))
    else:
        front = 24.0
        rear = -90.0 if kind == "bed" else -16.0
        lines = [((rear, top), (front, top)), ((front - 2, top), (front - 2, 0.0))]
        lines.append(((rear + 2, top), (rear + 2, 0.0)))
        if kind == "chair":
            lines.append(((rear + 2, top), (rear - 2, top + 44)))
    return [Line(a, b, "prop") for a, b in lines]


def mirror(scene: Scene) -> Scene:
    """The scene's mirror image (x becomes -x): the other side, exactly."""

    def flip(point: Point) -> Point:
        return (-point[0], point[1])

    shapes: list[Shape] = []
    for shape in scene.shapes:
        if isinstance(shape, Line):
            shapes.append(Line(flip(shape.a), flip(shape.b), shape.role))
        else:
            shapes.append(replace(shape, center=flip(shape.center)))
    joints = {name: flip(point) for name, point in scene.body.joints.items()}
    return Scene(Body(joints, scene.body.view), tuple(shapes), scene.floor)


def _blend(a: int | None, b: int | None, share: float) -> int | None:
    if a is None or b is None:
        return a if share < 0.5 else b
    # The shorter way round, so a limb never swings through a full turn between keyframes.
    turn = (b - a + 180) % 360 - 180
    return round(a + turn * share)


def pose_between(a: Pose, b: Pose, share: float) -> Pose:
    """The pose `share` (0 to 1) of the way from a to b, joint by joint."""
    share = min(1.0, max(0.0, share))
    if share <= 0.0:
        return a
    if share >= 1.0:
        return b
    # Eased in and out, as a body moves: slow from rest, slow into the end of the range.
    share = (1 - math.cos(math.pi * share)) / 2

    def mix(x: tuple[int | None, ...], y: tuple[int | None, ...]) -> tuple[int | None, ...]:
        return tuple(_blend(p, q, share) for p, q in zip(x, y, strict=True))

    return Pose(
        trunk=mix(a.trunk, b.trunk),  # type: ignore[arg-type]
        head=a.head + round(((b.head - a.head + 180) % 360 - 180) * share),
        left_arm=mix(a.left_arm, b.left_arm),  # type: ignore[arg-type]
        right_arm=mix(a.right_arm, b.right_arm),  # type: ignore[arg-type]
        left_leg=mix(a.left_leg, b.left_leg),  # type: ignore[arg-type]
        right_leg=mix(a.right_leg, b.right_leg),  # type: ignore[arg-type]
        left_hand=(a if share < 0.5 else b).left_hand,
        right_hand=(a if share < 0.5 else b).right_hand,
    )

"""Every exercise is drawn, and every pose of every figure is a body a person could take:
joints within human ranges, nothing below the floor, feet or knees on it when standing or
kneeling, the hips on the seat when sitting, the hands where the how-to puts them, and the
right side the exact mirror image of the left, in SVG and in the terminal's dots."""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import replace

import pytest

from timer_app.core.figure import Pose, joint_problems
from timer_app.core.model import POSITIONS, Exercise
from timer_app.figures.body import HEAD_RADIUS, Body, Point
from timer_app.figures.dots import dots
from timer_app.figures.generic import GENERIC, figure_of
from timer_app.figures.scene import (
    COUNTER_HEIGHT,
    SEAT_HEIGHT,
    Circle,
    Drawing,
    Line,
    draw,
    pose_between,
    seen_from_above,
)
from timer_app.figures.svg import svg
from timer_app.routines.library import load_library

LIBRARY = load_library(user=False)
EXERCISES = sorted(LIBRARY.exercises.values(), key=lambda e: e.id)
ON_FLOOR = 3.0
"""How close to the floor, in centimetres, a foot, a knee or a hand on it is drawn."""
AT_JOINT = 10.0
"""How close a hand on a knee, a shoulder, the other hand, is drawn."""


def keyframes(exercise: Exercise) -> dict[str, Pose]:
    figure = figure_of(exercise)
    return {"start": figure.start, "stretch": figure.stretch, "release": figure.released}


def cases() -> list[tuple[Exercise, str]]:
    return [(exercise, name) for exercise in EXERCISES for name in ("start", "stretch", "release")]


def test_every_library_exercise_has_its_own_figure() -> None:
    assert len(EXERCISES) == 34
    assert [e.id for e in EXERCISES if e.figure is None] == []


def test_every_position_has_a_generic_figure() -> None:
    assert set(GENERIC) == set(POSITIONS)
    own = Exercise("mine", "Mine", ("Do it.",), "kneeling")
    assert figure_of(own) is GENERIC["kneeling"]


def _segment_distance(point: Point, a: Point, b: Point) -> float:
    ax, ay = a
    dx, dy = b[0] - ax, b[1] - ay
    length = dx * dx + dy * dy
    share = (
        0.0
        if length == 0
        else max(0.0, min(1.0, ((point[0] - ax) * dx + (point[1] - ay) * dy) / length))
    )
    return math.dist(point, (ax + share * dx, ay + share * dy))


def _hand_problem(drawing: Drawing, body: Body, hand: str, target: str) -> str | None:
    """Why the hand is not where the pose says, or None."""
    at = body[f"{hand}-hand"]
    figure = drawing.figure
    if target == "floor":
        ok = at[1] <= ON_FLOOR
    elif target == "wall":
        ok = abs(at[0] - figure.distance) <= 5
    elif target == "counter":
        ok = abs(at[1] - COUNTER_HEIGHT) <= 5 and at[0] >= figure.distance - 3
    elif target == "chair":
        lines = [s for s in drawing.scene(figure.start, mirrored=False).shapes if s.role == "prop"]
        ok = any(_segment_distance(at, s.a, s.b) <= 8 for s in lines if isinstance(s, Line))
    elif target == "towel":
        foot = body["left-toe"]
        ok = 20 <= math.dist(at, foot) <= 100  # holding a towel looped round the foot
    elif target == "head":
        ok = math.dist(at, body["head"]) <= HEAD_RADIUS + 6
    elif target.endswith("-thigh"):
        side = target.split("-", maxsplit=1)[0]
        ok = _segment_distance(at, body[f"{side}-hip"], body[f"{side}-knee"]) <= 8
    elif target.endswith("-shoulder"):
        # On the shoulder blade, a hand's breadth from the joint.
        ok = math.dist(at, body[target]) <= AT_JOINT + 5
    else:  # a knee, the other hand
        ok = math.dist(at, body[target]) <= AT_JOINT
    return None if ok else f"the {hand} hand is not on the {target}: {at}"


@pytest.mark.parametrize(("exercise", "name"), cases(), ids=[f"{e.id}-{n}" for e, n in cases()])
def test_each_pose_is_a_body_a_person_could_take(exercise: Exercise, name: str) -> None:
    figure = figure_of(exercise)
    pose = keyframes(exercise)[name]
    assert joint_problems(pose, figure.view) == []
    drawing = draw(figure, exercise.position)
    scene = drawing.scene(pose)
    body = scene.body
    lowest_foot = min(min(body[f"{s}-ankle"][1], body[f"{s}-toe"][1]) for s in ("left", "right"))
    if not seen_from_above(figure, exercise.position):
        # Nothing below the floor: the body (the head's round edge too) and every prop.
        assert body.lowest() >= -0.01
        for shape in scene.shapes:
            points = [shape.a, shape.b] if isinstance(shape, Line) else [shape.center]
            assert all(y >= -2 for _, y in points), shape
    if exercise.position == "standing":
        assert lowest_foot <= ON_FLOOR, "a standing figure has a foot on the floor"
    if exercise.position == "kneeling":
        assert min(body["left-knee"][1], body["right-knee"][1]) <= ON_FLOOR
    if exercise.position == "hands-knees":
        assert max(body["left-knee"][1], body["right-knee"][1]) <= ON_FLOOR
    if exercise.position == "seated":
        assert body["hips"][1] == pytest.approx(SEAT_HEIGHT)
        assert lowest_foot <= ON_FLOOR, "a seated figure has a foot on the floor"
        assert "chair" in figure.props or "bed" in figure.props
    if exercise.position in ("lying-back", "lying-face-down") and figure.view == "side":
        resting = min(body["hips"][1], body["shoulders"][1])
        assert resting <= HEAD_RADIUS + 5, "the trunk rests on the floor"
    for hand, target in pose.hands().items():
        assert _hand_problem(drawing, body, hand, target) is None


HOW_TO_HANDS = [
    (re.compile(r"\bwall\b"), "wall"),
    (re.compile(r"\bcounter\b"), "counter"),
    (re.compile(r"towel or strap around"), "towel"),
    (re.compile(r"\b(hold|hug)\b.*\bknees?\b", re.IGNORECASE), "knee"),
    (re.compile(r"hands on your thighs"), "thigh"),
    (re.compile(r"hands on the floor|hands down"), "floor"),
    (re.compile(r"rest your hands behind your head"), "head"),
    (re.compile(r"hand on its own shoulder"), "shoulder"),
    (re.compile(r"\bhold the chair\b", re.IGNORECASE), "chair"),
]


@pytest.mark.parametrize("exercise", EXERCISES, ids=[e.id for e in EXERCISES])
def test_the_hands_are_where_the_how_to_puts_them(exercise: Exercise) -> None:
    """A how-to that puts a hand on something has a keyframe with a hand there (checked
    against the drawing by the test above)."""
    figure = figure_of(exercise)
    placed = {
        t for pose in (figure.start, figure.stretch, figure.released) for t in pose.hands().values()
    }
    text = " ".join(exercise.how_to)
    for pattern, target in HOW_TO_HANDS:
        if pattern.search(text):
            assert any(target in t for t in placed), f"{target}: {text}"


def _bitmap(lines: list[str]) -> set[tuple[int, int]]:
    bits = ((0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2), (0, 3), (1, 3))
    lit = set()
    for row, line in enumerate(lines):
        for column, char in enumerate(line):
            value = ord(char) - 0x2800 if char != " " else 0
            for bit, (dx, dy) in enumerate(bits):
                if value & (1 << bit):
                    lit.add((column * 2 + dx, row * 4 + dy))
    return lit


@pytest.mark.parametrize("exercise", EXERCISES, ids=[e.id for e in EXERCISES])
def test_the_right_side_is_the_exact_mirror_image(exercise: Exercise) -> None:
    figure = figure_of(exercise)
    left = draw(figure, exercise.position, "left")
    right = draw(figure, exercise.position, "right")
    for pose in (figure.start, figure.stretch):
        a, b = left.scene(pose), right.scene(pose)
        assert {k: (-x, y) for k, (x, y) in a.body.joints.items()} == b.body.joints
        for one, other in zip(a.shapes, b.shapes, strict=True):
            if isinstance(one, Line):
                assert isinstance(other, Line)
                assert (other.a, other.b) == ((-one.a[0], one.a[1]), (-one.b[0], one.b[1]))
            else:
                assert isinstance(other, Circle)
                assert other.center == (-one.center[0], one.center[1])
        width = 40
        flipped = {(width * 2 - 1 - x, y) for x, y in _bitmap(dots(left, pose, width, 12))}
        assert _bitmap(dots(right, pose, width, 12)) == flipped
    x0, _, x1, _ = left.frame
    assert right.frame[0] == -x1 and right.frame[2] == -x0
    assert 'viewBox="' in svg(right, figure.stretch)


TURNS = {
    "open-book": "left-hand",
    "seated-rotation": "right-hand",
    "thread-the-needle": "left-hand",
    "trunk-rotation": "left-knee",
}
"""The twists, whose turn one flat figure cannot show: each draws its moving joint's way."""


@pytest.mark.parametrize("exercise_id", sorted(TURNS))
def test_a_twist_draws_an_arrow_along_the_way_its_joint_goes(exercise_id: str) -> None:
    exercise = LIBRARY.exercises[exercise_id]
    figure = figure_of(exercise)
    assert figure.motion == TURNS[exercise_id]
    drawing = draw(figure, exercise.position, "left")
    start, stretch = drawing.scene(figure.start), drawing.scene(figure.stretch)
    arrow = [
        shape for shape in stretch.shapes if isinstance(shape, Line) and shape.role == "motion"
    ]
    # Only the stretch has it; never the start, nor a frame between two keyframes.
    assert not any(shape.role == "motion" for shape in start.shapes)
    halfway = drawing.scene(pose_between(figure.start, figure.stretch, 0.5))
    assert not any(shape.role == "motion" for shape in halfway.shapes)
    # A curve of short lines from near the joint's start to near where it ends, with a head
    # of two strokes at that end; it bows out of the straight line.
    curve, head = arrow[:-2], arrow[-2:]
    assert len(curve) >= 5 and all(a.b == b.a for a, b in itertools.pairwise(curve))
    begin, end = start.body[figure.motion], stretch.body[figure.motion]
    assert math.dist(curve[0].a, begin) < 10 and math.dist(curve[-1].b, end) < 10
    assert head[0].a == head[1].a == curve[-1].b
    (x0, y0), (x1, y1) = curve[0].a, curve[-1].b
    straight = math.dist((x0, y0), (x1, y1))
    mx, my = curve[len(curve) // 2].a
    off_line = abs((x1 - x0) * (y0 - my) - (x0 - mx) * (y1 - y0)) / straight
    assert off_line > 0.1 * straight
    # Drawn in both renderers: a layer of its own in SVG, dashed dots in the terminal.
    assert "stroke-dasharray" in svg(drawing, figure.stretch)
    assert dots(drawing, figure.stretch, 40, 12) != dots(
        draw(replace(figure, motion=None), exercise.position, "left"), figure.stretch, 40, 12
    )


def test_an_exercise_without_a_turn_draws_no_arrow() -> None:
    for exercise in EXERCISES:
        figure = figure_of(exercise)
        if figure.motion is None:
            scene = draw(figure, exercise.position).scene(figure.stretch)
            assert not any(shape.role == "motion" for shape in scene.shapes), exercise.id


def test_frames_between_two_keyframes_stay_whole_and_ease() -> None:
    exercise = LIBRARY.exercises["cat-cow"]
    figure = figure_of(exercise)
    halfway = pose_between(figure.stretch, figure.released, 0.5)
    assert joint_problems(halfway, figure.view) == []
    assert pose_between(figure.stretch, figure.released, 0.0) == figure.stretch
    assert pose_between(figure.stretch, figure.released, 1.0) == figure.released
    early = pose_between(figure.stretch, figure.released, 0.1)
    # Eased: a tenth of the time moves the trunk less than a tenth of the way.
    assert (
        abs(early.trunk[0] - figure.stretch.trunk[0])
        < abs(figure.released.trunk[0] - figure.stretch.trunk[0]) * 0.1
    )


def test_the_terminal_drawing_needs_no_colour() -> None:
    exercise = LIBRARY.exercises["knee-to-chest"]
    drawing = draw(figure_of(exercise), exercise.position, "left")
    lines = dots(drawing, exercise.figure.stretch, 30, 8)  # type: ignore[union-attr]
    assert len(lines) == 8 and all(len(line) == 30 for line in lines)
    assert all(ch == " " or 0x2800 <= ord(ch) <= 0x28FF for line in lines for ch in line)
    assert "\x1b" not in "".join(lines)

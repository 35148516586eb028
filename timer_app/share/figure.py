"""Provides `page_figure`: the exercise's figure as the shared page draws it, as plain data.

The page is told, with each message, the step's figure as SVG path data (`figures.svg.layers`,
so the page and the files are drawn by one renderer): one frame for a still pose, or the frames
of a move for a tempo rep, which goes from the pose before to its own over the first moments of
the step. The page picks the frame from the step's time left, the number its countdown shows,
so the figure moves with the countdown, stands still when it does (paused, counting in) and
never runs on a timer of its own.

Pure (no web library). Frames are drawn once per exercise, move and side, and kept.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from timer_app.core.figure import Figure
from timer_app.core.plan import Plan, Step
from timer_app.figures.frames import POSE_OF_KIND, side_words
from timer_app.figures.generic import figure_of
from timer_app.figures.scene import draw, pose_between
from timer_app.figures.svg import layers, view_box

__all__ = ["MOVES", "MOVE_FRAMES", "MOVE_SECONDS", "page_figure"]

MOVES = ("on", "off")
"""The kinds of step whose figure moves into its pose: pressure on and off. A hold stands
still, and a get-ready shows where to be."""
MOVE_SECONDS = 1.5
"""How long a move takes, at most: the body goes into the pose, then stays."""
MOVE_SHARE = 0.5
"""...and at most this share of a short step, so the pose is seen still before the next."""
MOVE_FRAMES = 9
"""Frames of a move, both poses included: at most 6 a second over MOVE_SECONDS, well under
the 10 a second a figure may draw."""


def page_figure(plan: Plan, step: Step, length: float) -> dict[str, Any]:
    """The figure the page shows for `step`, whose length is now `length` seconds (the plan's,
    or as extended): the page moves it while `length - remaining` is under `move`."""
    exercise = step.exercise
    pose = POSE_OF_KIND[step.kind]
    before = _pose_before(plan, step)
    frames = _frames(figure_of(exercise), exercise.position, before, pose, step.side)
    side = side_words(step.side)
    return {
        "key": f"{step.entry}-{before or pose}-{pose}-{step.side or ''}",
        "viewBox": frames[0],
        "frames": frames[1],
        "move": min(MOVE_SECONDS, MOVE_SHARE * step.duration) if len(frames[1]) > 1 else 0.0,
        "length": length,
        "pose": pose,
        "mirrored": step.side == "right",
        "side": side,
        "label": f"{exercise.name}, {side}" if side else exercise.name,
    }


def _pose_before(plan: Plan, step: Step) -> str | None:
    """The pose a tempo step moves from: the one the step before it showed, when that was the
    same exercise on the same side (None: it shows its pose still)."""
    if step.kind not in MOVES or step.index == 0:
        return None
    before = plan.steps[step.index - 1]
    if before.entry != step.entry or before.side != step.side:
        return None
    pose = POSE_OF_KIND[before.kind]
    return pose if pose != POSE_OF_KIND[step.kind] else None


@lru_cache(maxsize=64)
def _frames(
    figure: Figure, position: str, before: str | None, pose: str, side: str | None
) -> tuple[str, tuple[dict[str, str], ...]]:
    drawing = draw(figure, position, side)
    poses = {"start": figure.start, "stretch": figure.stretch, "release": figure.released}
    end = poses[pose]
    if before is None or poses[before] == end:
        return view_box(drawing), (layers(drawing, end),)
    start = poses[before]
    shares = [k / (MOVE_FRAMES - 1) for k in range(MOVE_FRAMES)]
    return view_box(drawing), tuple(
        layers(drawing, pose_between(start, end, share)) for share in shares
    )

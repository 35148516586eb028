"""The figure the shared page is told to draw (`share.figure`, through `PageFeed`): each step's
pose, the right side the left's exact mirror, tempo reps as moves between their poses, the move
timed by the step's length as +10 s leaves it, and text from a file never inside the drawing.
The real engine on a virtual clock; the page itself is tried in test_share_browser.py."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from engine_support import Session
from helpers import figures_plan
from timer_app.core.plan import Plan, compile_plan
from timer_app.figures.frames import POSE_OF_KIND
from timer_app.figures.generic import figure_of
from timer_app.figures.scene import draw
from timer_app.figures.svg import LAYERS, layers
from timer_app.routines.library import load_library
from timer_app.session.events import Event, StepStarted
from timer_app.share.feed import PageFeed
from timer_app.share.figure import MOVE_FRAMES, MOVE_SECONDS

NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def points(path: str) -> list[tuple[float, float]]:
    """The points of a path made of moves and lines (M x yL x y...)."""
    assert re.fullmatch(r"(M-?[\d.]+ -?[\d.]+L-?[\d.]+ -?[\d.]+)+", path), path
    values = [float(v) for v in NUMBER.findall(path)]
    return list(zip(values[::2], values[1::2], strict=True))


async def steps_told(plan: Plan) -> list[tuple[StepStarted, dict[str, Any]]]:
    session = Session(plan, count_in=0)
    feed = PageFeed(session.engine)
    told: list[tuple[StepStarted, dict[str, Any]]] = []

    def listen(event: Event) -> None:
        message = feed.message(event)
        if isinstance(event, StepStarted):
            assert message is not None
            told.append((event, message))

    session.engine.add_listener(listen)
    await session.start()
    await session.finish()
    return told


async def test_each_step_tells_the_page_its_pose_and_side(tmp_path: Path) -> None:
    plan = figures_plan(tmp_path)
    told = await steps_told(plan)
    assert len(told) == len(plan.steps)
    for event, message in told:
        step = event.step
        figure = message["figure"]
        assert figure["pose"] == POSE_OF_KIND[step.kind]
        assert figure["mirrored"] == (step.side == "right")
        assert figure["side"] == (f"{step.side} side" if step.side else "")
        assert figure["label"].startswith(step.exercise.name)
        assert set(figure["frames"][-1]) <= set(LAYERS)
        # Drawn by the same renderer as the SVG files: the last frame is the step's keyframe.
        ex = step.exercise
        keyframes = {"start": figure_of(ex).start, "stretch": figure_of(ex).stretch}
        keyframes["release"] = figure_of(ex).released
        drawing = draw(figure_of(ex), ex.position, step.side)
        assert figure["frames"][-1] == layers(drawing, keyframes[figure["pose"]])
        if step.kind in ("on", "off"):
            # A tempo rep moves from the pose before into its own, then stays.
            assert len(figure["frames"]) == MOVE_FRAMES
            assert figure["move"] == min(MOVE_SECONDS, step.duration / 2)
            assert figure["frames"][0] != figure["frames"][-1]
        else:
            # Getting ready and holding: the figure stands still.
            assert len(figure["frames"]) == 1
            assert figure["move"] == 0


async def test_the_right_side_is_the_left_mirrored_and_tempo_reps_alternate(
    tmp_path: Path,
) -> None:
    plan = figures_plan(tmp_path)
    told = {
        (e.step.exercise.id, e.step.kind, e.step.side, e.step.rep): m
        for e, m in await steps_told(plan)
    }
    left = told["knee-to-chest", "hold", "left", 1]["figure"]
    right = told["knee-to-chest", "hold", "right", 1]["figure"]
    x, _, width, _ = (float(v) for v in left["viewBox"].split())
    assert [float(v) for v in right["viewBox"].split()] == [
        -(x + width),
        0.0,
        width,
        float(left["viewBox"].split()[3]),
    ]
    for layer in ("near", "far"):
        mirrored = [(-px, py) for px, py in points(left["frames"][0][layer])]
        assert points(right["frames"][0][layer]) == mirrored
    # Pressure on ends where pressure off starts, and the second rep goes back the same way.
    on1, off1 = told["cat-cow", "on", None, 1]["figure"], told["cat-cow", "off", None, 1]["figure"]
    on2 = told["cat-cow", "on", None, 2]["figure"]
    assert on1["frames"][-1] == off1["frames"][0]
    assert off1["frames"][-1] == on2["frames"][0]
    assert on2["frames"][-1] == on1["frames"][-1]


async def test_the_move_is_timed_by_the_step_as_extended(tmp_path: Path) -> None:
    plan = figures_plan(tmp_path)
    on = next(s for s in plan.steps if s.kind == "on")
    session = Session(plan, count_in=0)
    feed = PageFeed(session.engine)
    await session.start()
    await session.at(on.start + 0.5)
    assert feed.state()["figure"]["length"] == on.duration
    await session.act(session.engine.extend, 10)
    state = feed.state()
    # The page works out the time the step ran as length - remaining: still 0.5 s.
    assert state["figure"]["length"] - state["remaining"] == 0.5
    session.engine.stop()
    await session.clock.advance(0)
    assert session.task is not None
    await session.task


async def test_a_name_from_a_file_is_only_the_label_never_the_drawing(tmp_path: Path) -> None:
    (tmp_path / "odd.yaml").write_text(
        'id: odd\ntitle: Odd\nexercises:\n  - id: odd\n    name: "<svg onload=alert(1)>"\n'
        "    how_to: [Sit.]\n    position: seated\nsequence: [odd]\n",
        encoding="utf-8",
    )
    plan = compile_plan(load_library([tmp_path], user=False).routines["odd"])
    for _, message in await steps_told(plan):
        figure = message["figure"]
        assert figure["label"] == "<svg onload=alert(1)>"  # set as an attribute, as it is
        for frame in figure["frames"]:
            for data in frame.values():
                assert re.fullmatch(r"[MLa\d. -]+", data), data
        assert re.fullmatch(r"[\d. -]+", figure["viewBox"])

"""Provides `dots`: a figure's pose drawn in Unicode braille, two by four dots a character.

Braille reads in any UTF-8 terminal, tmux included, and needs no colour: the far side of the
body is drawn dashed rather than paler, so it reads the same with NO_COLOR. The right side is
the left side's picture flipped dot for dot, so the mirror is exact in the terminal too.
"""

from __future__ import annotations

import math

from timer_app.core.figure import Pose
from timer_app.figures.scene import Circle, Drawing, Line

__all__ = ["dots", "fit"]

_BITS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))
"""The bit of each dot in a braille cell, by row (0 to 3) and column (0 or 1)."""

CELL_ASPECT = 2.0
"""A terminal cell is about twice as tall as it is wide: four dots down, two across, square."""


def fit(drawing: Drawing, columns: int, rows: int) -> tuple[int, int]:
    """The columns and rows the figure takes when drawn as large as fits in the space."""
    x0, y0, x1, y1 = drawing.frame
    scale = min(columns * 2 / (x1 - x0), rows * 4 / (y1 - y0))
    return (
        max(1, min(columns, math.ceil((x1 - x0) * scale / 2))),
        max(1, min(rows, math.ceil((y1 - y0) * scale / 4))),
    )


def dots(drawing: Drawing, pose: Pose, columns: int, rows: int) -> list[str]:
    """The pose in `rows` lines of `columns` characters, as large as fits, centred."""
    width, height = columns * 2, rows * 4
    x0, y0, x1, y1 = drawing.left_frame
    scale = min(width / (x1 - x0), height / (y1 - y0))
    left = (width - (x1 - x0) * scale) / 2
    top = (height - (y1 - y0) * scale) / 2
    lit: set[tuple[int, int]] = set()

    def put(x: float, y: float) -> None:
        column = math.floor(left + (x - x0) * scale)
        row = math.floor(top + (y1 - y) * scale)
        if 0 <= column < width and 0 <= row < height:
            lit.add((column, row))

    def line(a: tuple[float, float], b: tuple[float, float], dashed: bool = False) -> None:
        length = math.dist(a, b) * scale
        steps = max(1, math.ceil(length * 2))
        for step in range(steps + 1):
            # Dashed: two dots on, two off, measured along the line.
            if dashed and int(step / 2 / 2) % 2:
                continue
            share = step / steps
            put(a[0] + (b[0] - a[0]) * share, a[1] + (b[1] - a[1]) * share)

    scene = drawing.scene(pose, mirrored=False)
    if scene.floor:
        line((x0, 0.0), (x1, 0.0))
    for shape in scene.shapes:
        if isinstance(shape, Line):
            line(shape.a, shape.b, dashed=shape.role in ("far", "mat", "motion"))
        elif isinstance(shape, Circle):
            steps = max(12, math.ceil(2 * math.pi * shape.radius * scale * 2))
            for step in range(steps):
                angle = 2 * math.pi * step / steps
                cx, cy = shape.center
                put(cx + shape.radius * math.cos(angle), cy + shape.radius * math.sin(angle))
    if drawing.mirrored:
        lit = {(width - 1 - column, row) for column, row in lit}
    cells = [[0] * columns for _ in range(rows)]
    for column, row in lit:
        cells[row // 4][column // 2] |= _BITS[row % 4][column % 2]
    return ["".join(chr(0x2800 + bits) if bits else " " for bits in line) for line in cells]

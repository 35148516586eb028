"""Provides `svg`: a figure's pose as an SVG picture, for the shared page, the docs and
`stretch figure --svg`."""

from __future__ import annotations

from xml.sax.saxutils import escape

from timer_app.core.figure import Pose
from timer_app.figures.scene import Circle, Drawing, Line

__all__ = ["STYLES", "svg"]

STYLES = {
    "near": 'stroke="#1d2b36" stroke-width="4.5"',
    "far": 'stroke="#8a98a4" stroke-width="4.5"',
    "prop": 'stroke="#8b6a45" stroke-width="3"',
    "mat": 'stroke="#6fa57d" stroke-width="3"',
    "floor": 'stroke="#5a5a5a" stroke-width="1.5"',
}
"""Each role's stroke; the far side of the body is lighter, as it is seen behind."""


def _number(value: float) -> str:
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def svg(drawing: Drawing, pose: Pose, *, title: str = "", width: int | None = None) -> str:
    """The pose as a whole SVG document (y up in the figure, down in SVG)."""
    x0, y0, x1, y1 = drawing.frame
    scene = drawing.scene(pose)

    def at(point: tuple[float, float]) -> str:
        return f"{_number(point[0])},{_number(y1 - point[1])}"

    parts = []
    if scene.floor:
        parts.append(
            f'<line x1="{_number(x0)}" y1="{_number(y1)}" x2="{_number(x1)}" '
            f'y2="{_number(y1)}" {STYLES["floor"]}/>'
        )
    for shape in scene.shapes:
        if isinstance(shape, Line):
            a, b = at(shape.a).split(","), at(shape.b).split(",")
            parts.append(
                f'<line x1="{a[0]}" y1="{a[1]}" x2="{b[0]}" y2="{b[1]}" {STYLES[shape.role]}/>'
            )
        elif isinstance(shape, Circle):
            cx, cy = at(shape.center).split(",")
            fill = "#ffffff" if shape.role == "near" else "none"
            parts.append(
                f'<circle cx="{cx}" cy="{cy}" r="{_number(shape.radius)}" fill="{fill}" '
                f"{STYLES[shape.role]}/>"
            )
    view_box = f"{_number(x0)} 0 {_number(x1 - x0)} {_number(y1 - y0)}"
    size = f' width="{width}" height="{round(width * (y1 - y0) / (x1 - x0))}"' if width else ""
    label = f"<title>{escape(title)}</title>" if title else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{view_box}"{size} role="img">'
        f'{label}<g fill="none" stroke-linecap="round" stroke-linejoin="round">'
        + "".join(parts)
        + "</g></svg>\n"
    )

"""Provides `svg`: a figure's pose as an SVG picture, for the shared page, the docs and
`stretch figure --svg`.

One renderer for both: `layers` turns a pose into SVG path data, one path per layer (the floor,
the mat, the props, the far side of the body, the near side, a motion's arrow, the head), and
`svg` wraps them in a document. The shared page gets the same layers as data and styles them itself.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from timer_app.core.figure import Pose
from timer_app.figures.scene import Circle, Drawing, Line

__all__ = ["LAYERS", "STYLES", "layers", "svg", "view_box"]

LAYERS = ("floor", "mat", "prop", "far", "near", "motion", "head")
"""The paths of a picture, in the order they are drawn: the near side over the far side, the
arrow of a motion over the body, the head (filled, so the body's lines stop at its edge) over
everything."""

STYLES = {
    "near": 'stroke="#1d2b36" stroke-width="4.5"',
    "far": 'stroke="#8a98a4" stroke-width="4.5"',
    "prop": 'stroke="#8b6a45" stroke-width="3"',
    "mat": 'stroke="#6fa57d" stroke-width="3"',
    "floor": 'stroke="#5a5a5a" stroke-width="1.5"',
    "motion": 'stroke="#c0392b" stroke-width="2.5" stroke-dasharray="2 6"',
    "head": 'stroke="#1d2b36" stroke-width="4.5" fill="#ffffff"',
}
"""Each layer's look in a document; the far side of the body is lighter, as it is seen behind."""


def _number(value: float) -> str:
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def view_box(drawing: Drawing) -> str:
    """The picture's frame in SVG units (centimetres), the same for every pose of the drawing,
    so an animation never shifts."""
    x0, y0, x1, y1 = drawing.frame
    return f"{_number(x0)} 0 {_number(x1 - x0)} {_number(y1 - y0)}"


def layers(drawing: Drawing, pose: Pose) -> dict[str, str]:
    """The pose as SVG path data, by layer (`LAYERS`); a layer with nothing in it is left out.
    Only numbers and path letters: nothing in it comes from a file as text."""
    _, _, _, y1 = drawing.frame
    scene = drawing.scene(pose)
    parts: dict[str, list[str]] = {name: [] for name in LAYERS}

    def at(point: tuple[float, float]) -> str:
        return f"{_number(point[0])} {_number(y1 - point[1])}"

    if scene.floor:
        x0, _, x1, _ = drawing.frame
        parts["floor"].append(f"M{at((x0, 0.0))}L{at((x1, 0.0))}")
    for shape in scene.shapes:
        if isinstance(shape, Line):
            parts[shape.role].append(f"M{at(shape.a)}L{at(shape.b)}")
        elif isinstance(shape, Circle):
            # A circle as two half arcs from its leftmost point.
            cx, cy = shape.center
            r = _number(shape.radius)
            across = _number(2 * shape.radius)
            arc = (
                f"M{at((cx - shape.radius, cy))}a{r} {r} 0 1 0 {across} 0a{r} {r} 0 1 0 -{across} 0"
            )
            parts["head" if shape.role == "near" else shape.role].append(arc)
    return {name: "".join(part) for name, part in parts.items() if part}


def svg(drawing: Drawing, pose: Pose, *, title: str = "", width: int | None = None) -> str:
    """The pose as a whole SVG document (y up in the figure, down in SVG)."""
    x0, y0, x1, y1 = drawing.frame
    paths = "".join(
        f'<path d="{data}" {STYLES[name]}/>' for name, data in layers(drawing, pose).items()
    )
    size = f' width="{width}" height="{round(width * (y1 - y0) / (x1 - x0))}"' if width else ""
    label = f"<title>{escape(title)}</title>" if title else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{view_box(drawing)}"{size} role="img">'
        f'{label}<g fill="none" stroke-linecap="round" stroke-linejoin="round">{paths}</g></svg>\n'
    )

"""Provides `qr_lines`: a QR code of the shared page's address, drawn with text characters.

Each character stands for two rows of modules (upper and lower half blocks), so the code keeps
its shape in a terminal's tall cells. Drawn dark on light: the view shows it black on white
whatever the terminal's colours, since phone cameras read dark modules on a light ground.
"""

from __future__ import annotations

__all__ = ["ERROR_LEVEL", "QUIET_ZONE", "qr_lines"]

ERROR_LEVEL = "l"
"""The lowest error correction: a code on a screen is not torn or stained, and a local
network address (up to 54 characters) then mostly fits version 3, 17 text rows, rather than
version 4's 19: rows that a terminal 24 rows high is short of."""

QUIET_ZONE = 2
"""Light modules around the code. The standard asks for 4; 2 reads well on a white ground and
leaves room on a small terminal."""

_HALVES = {
    (False, False): " ",
    (True, False): "\u2580",
    (False, True): "\u2584",
    (True, True): "\u2588",
}
"""(upper dark, lower dark) -> the character that draws them."""


def qr_lines(text: str) -> list[str]:
    """The QR code of `text`, one string per text row; a block character is dark."""
    import segno

    code = segno.make(text, error=ERROR_LEVEL)
    rows = [[bool(module) for module in row] for row in code.matrix_iter(border=QUIET_ZONE)]
    if len(rows) % 2:
        rows.append([False] * len(rows[0]))
    return [
        "".join(_HALVES[upper, lower] for upper, lower in zip(top, bottom, strict=True))
        for top, bottom in zip(rows[::2], rows[1::2], strict=True)
    ]


def ansi_lines(text: str) -> list[str]:
    """`qr_lines` for a plain terminal: black on white by colour codes, then reset."""
    return [f"\x1b[30;47m{line}\x1b[0m" for line in qr_lines(text)]

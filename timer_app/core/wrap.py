"""Provides `wrap`: prose broken into lines at word boundaries, the one way every command's
text output (`list`, `exercises`, `show`, `history`) fits the width it is printed to.

A word longer than the line (an id, a web address) is left whole and runs over rather than
being cut: a broken word reads as two wrong ones.
"""

from __future__ import annotations

import textwrap

__all__ = ["PIPE_WIDTH", "wrap"]

PIPE_WIDTH = 80
"""The width of text printed to a file or a pipe, where there is no terminal to measure."""


def wrap(text: str, width: int | None, *, first: str = "", rest: str | None = None) -> list[str]:
    """`text` as lines of at most `width` characters (None: one line), the first starting
    with `first` and the others with `rest` (by default as many spaces as `first` is long,
    so a list item's text lines up under itself)."""
    rest = " " * len(first) if rest is None else rest
    if width is None:
        return [f"{first}{text}".rstrip()]
    wrapper = textwrap.TextWrapper(
        width=width,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return wrapper.wrap(text) or [first.rstrip()]

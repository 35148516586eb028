"""Provides a notice that stays until the user closes it, for what must not scroll by unseen."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from timer_app.routines.problems import Problem
from timer_app.views.tui.widgets.keybar import KeyBar

Group = tuple[str, Sequence[str]]
"""A heading (a file's path, say) and the lines under it."""


def by_file(problems: Iterable[Problem]) -> list[Group]:
    """Problems under their file's path, each as `line 3, column 7: message`.

    A path says it once, so a long one does not wrap into every line.
    """
    groups: dict[str, list[str]] = {}
    for problem in problems:
        where = f"line {problem.line}, column {problem.column}: " if problem.line else ""
        groups.setdefault(problem.path_text, []).append(where + problem.message)
    return list(groups.items())


class NoticeScreen(ModalScreen[None]):
    """A title, groups of lines and a closing word; Enter or Esc closes it, nothing else does.

    Textual's notifications go away on a timer, and only a click closes one sooner; this stays
    until it has been read, and closes from the keyboard.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,escape", "dismiss", "Continue"),
    ]

    def __init__(self, title: str, groups: Sequence[Group], closing: str = "") -> None:
        super().__init__()
        self.notice_title = title
        self.groups = list(groups)
        self.closing = closing

    def compose(self) -> ComposeResult:
        # The title and the keys sit in the border, in view however far the lines scroll.
        with VerticalScroll(classes="dialog", id="notice-dialog") as dialog:
            dialog.border_title = self.notice_title
            dialog.border_subtitle = "Enter or Esc: continue"
            for heading, lines in self.groups:
                yield Static(heading, markup=False, classes="notice-heading")
                for line in lines:
                    yield Static(line, markup=False, classes="notice-line")
            if self.closing:
                yield Static(self.closing, markup=False, classes="dialog-hint")
        yield KeyBar(palette=False)

"""Provides `MarkedList`: an option list whose highlighted option is marked ▸, so that it
shows without colour (Textual marks it by its background alone), and `Hanging`, which draws
an option's text beside its mark, wrapped lines included."""

from __future__ import annotations

from collections.abc import Iterable

from textual import on
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widgets import OptionList
from textual.widgets.option_list import Option

MARK = "\u25b8 "
"""Before the first line of the highlighted option: ▸."""
NO_MARK = "  "
"""Before every other line, so that the lines of all options stay in line."""

FILTER_KEYS = {
    "up": "cursor_up",
    "down": "cursor_down",
    "pageup": "page_up",
    "pagedown": "page_down",
}
"""Keys that move in a list while its filter has the focus, and the list's action for each."""


class Hanging(Visual):
    """Text with a mark (or as much space) before it: every line, wrapped ones too, starts
    after the mark, so a long title that wraps stays in line with the rest."""

    def __init__(self, text: Content, mark: str) -> None:
        self.text = text
        self.mark = Content(mark)
        self.indent = self.mark.cell_length

    def __str__(self) -> str:
        """The text as shown, mark first (as `str` of any option's Content gives its text)."""
        return f"{self.mark.plain}{self.text.plain}"

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        lines = self.text.render_strips(max(1, width - self.indent), height, style, options)
        mark = self.mark.render_strips(self.indent, 1, style, options)[0]
        space = Content(" " * self.indent).render_strips(self.indent, 1, style, options)[0]
        return [
            Strip.join([mark if number == 0 else space, line]) for number, line in enumerate(lines)
        ]

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.indent + self.text.get_optimal_width(rules, container_width - self.indent)

    def get_minimal_width(self, rules: RulesMap) -> int:
        return self.indent + self.text.get_minimal_width(rules)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.text.get_height(rules, max(1, width - self.indent))


class MarkedList(OptionList):
    """A list of options, each given without the mark; the highlighted one gets it."""

    def __init__(self, *, id: str | None = None) -> None:
        # Options are Content (text from files stays literal): never read as markup.
        super().__init__(id=id, markup=False)
        self.prompts: list[Content] = []
        """Each option's text as given, without the mark."""
        self.marked: int | None = None
        """The option drawn with the mark."""

    def show_options(
        self, options: Iterable[tuple[Content, str | None]], highlighted: int | None = 0
    ) -> None:
        """Replace the options (each a prompt and an id) and highlight one of them."""
        self.clear_options()
        self.marked = None
        self.prompts = []
        for prompt, option_id in options:
            self.prompts.append(prompt)
            self.add_option(Option(self.drawn_prompt(prompt, marked=False), id=option_id))
        if self.prompts and highlighted is not None:
            self.highlighted = min(highlighted, len(self.prompts) - 1)
            self.mark()

    @staticmethod
    def drawn_prompt(prompt: Content, *, marked: bool) -> Hanging:
        return Hanging(prompt, MARK if marked else NO_MARK)

    @on(OptionList.OptionHighlighted)
    def mark(self) -> None:
        """Move the mark to the highlighted option. The highlight may have moved again since
        a message about it was sent: the one highlighted now is the one marked."""
        now = self.highlighted
        if now == self.marked:
            return
        for index, marked in ((self.marked, False), (now, True)):
            if index is not None and index < len(self.prompts):
                self.replace_option_prompt_at_index(
                    index, self.drawn_prompt(self.prompts[index], marked=marked)
                )
        self.marked = now

"""Provides `KeyBar`: the bottom line saying which keys work on this screen, in one widget.

Textual's `Footer` makes a widget for every key and builds them all again whenever the
bindings change (on every pause, and on every focus move in the picker); over a session that
was about 2 MiB of the program's memory. `KeyBar` draws the same line itself, from the same
bindings (so remapped keys show as remapped), and a click on a key presses it.
"""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget

from timer_app.views.tui.bindings import shortcuts
from timer_app.views.tui.screens.traits import traits_of

WAYS_OUT = {"quit", "quit_session", "close"}
"""Actions that quit or close (the part after any `app.`), kept on a narrow key bar."""


class _Item(NamedTuple):
    key: str
    """The key to press (the first of the binding's keys)."""
    display: str
    """The key as people know it: "space", "?", "^p"."""
    description: str
    enabled: bool
    way_out: bool = False
    """Quits or closes: kept when the line is too narrow, so a new user sees how to leave."""

    @property
    def width(self) -> int:
        """Columns taken: the key padded by a space each side, the description, a space."""
        return cell_len(self.display) + cell_len(self.description) + 3


class KeyBar(Widget, can_focus=False):
    """The screen's shortcuts (see `bindings.shortcuts`) shown with `show`, one per action.

    When the line is too narrow, keys are left out from the end, except the ways out (quit,
    close) and the last one (help, which lists them all). With `palette`, the command
    palette's key sits at the right.
    """

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "keybar--key",
        "keybar--description",
        "keybar--hover",
    }
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .keybar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .keybar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .keybar--hover {
            background: $block-hover-background;
        }
    }
    """

    def __init__(self, *, palette: bool = True, id: str | None = None) -> None:
        super().__init__(id=id)
        self.palette = palette
        self._spans: list[tuple[int, int, _Item]] = []
        """Where each shown key is on the line: start and end column, and the key."""
        self._hover: str | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        self.refresh()

    def _items(self) -> tuple[list[_Item], _Item | None]:
        """The keys to show, in binding order, and the command palette's key apart."""
        items: list[_Item] = []
        palette: _Item | None = None
        seen: set[str] = set()
        palette_key = self.app.COMMAND_PALETTE_BINDING
        # A screen may word a key by its state (space: Pause, or Resume while paused).
        describe = traits_of(self.screen).key_description
        for key, active in shortcuts(self.screen).items():
            binding = active.binding
            description = describe(binding)
            way_out = binding.action.rpartition(".")[2] in WAYS_OUT
            item = _Item(
                key, self.app.get_key_display(binding), description, active.enabled, way_out
            )
            if key == palette_key and self.palette and self.app.ENABLE_COMMAND_PALETTE:
                palette = item
            elif binding.show and binding.action not in seen:
                seen.add(binding.action)
                items.append(item)
        return items, palette

    def render(self) -> Text:
        items, palette = self._items()
        width = self.size.width
        last = items[-1] if items else None
        if palette is not None and last is not None and last.width + palette.width > width:
            palette = None  # too narrow: the help key matters more
        # The palette's key, after a thin bar, takes the right end of the line.
        room = width - (palette.width if palette is not None else 0)
        # Kept whatever else is left out: the way out, and the last key (help, which lists
        # them all); on a line too narrow even for those, help is kept longest.
        kept = [item for item in items if item.way_out or item is last]
        while kept and sum(item.width for item in kept) > room:
            kept.pop(0)
        budget = room - sum(item.width for item in kept)
        shown: list[_Item] = []
        full = False
        for item in items:
            if item in kept:
                shown.append(item)
            elif not full and item.width <= budget:
                shown.append(item)
                budget -= item.width
            else:
                full = True  # the rest are left out, from the first that does not fit
        line = Text(no_wrap=True, overflow="crop", end="")
        self._spans = []
        for item in shown:
            self._append(line, item)
            line.append(" ")
        if palette is not None:
            line.append(" " * max(0, room - line.cell_len))
            line.append("\u258f", Style(dim=True))
            self._append(line, palette)
        return line

    def _append(self, line: Text, item: _Item) -> None:
        key_style = self.get_component_rich_style("keybar--key")
        text_style = self.get_component_rich_style("keybar--description")
        if item.key == self._hover and item.enabled:
            hover = self.get_component_rich_style("keybar--hover")
            key_style, text_style = key_style + hover, text_style + hover
        if not item.enabled:
            key_style, text_style = key_style + Style(dim=True), text_style + Style(dim=True)
        start = line.cell_len
        line.append(f" {item.display} ", key_style)
        line.append(item.description, text_style)
        self._spans.append((start, line.cell_len, item))

    def _item_at(self, x: int) -> _Item | None:
        for start, end, item in self._spans:
            if start <= x < end:
                return item
        return None

    def on_click(self, event: events.Click) -> None:
        item = self._item_at(event.x)
        if item is None:
            return
        if item.enabled:
            self.app.simulate_key(item.key)
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        item = self._item_at(event.x)
        hover = item.key if item is not None else None
        if hover != self._hover:
            self._hover = hover
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()

"""Provides the app's key bindings, built from the one table of controls in `core.controls`,
and `shortcuts`: the keys that work as shortcuts on a screen, for the key bar, help and the
command palette to show."""

from __future__ import annotations

from typing import Any

from textual.binding import ActiveBinding, Binding
from textual.keys import key_to_character
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import OptionList

from timer_app.core.controls import BY_ID
from timer_app.views.tui.screens.traits import traits_of

# What the app does itself for the controls that are not an engine call.
_VIEW_ACTIONS = {
    "mute": "app.toggle_mute",
    "figures": "toggle_figures",
    "share": "share",
    "quit": "quit_session",
    "help": "help",
}


def binding(control_id: str) -> Binding:
    """The binding of one control, with its default keys; the id lets `keys:` remap it."""
    control = BY_ID[control_id]
    action = _VIEW_ACTIONS.get(control.id, f"control({control.id!r})")
    return Binding(
        ",".join(control.keys),
        action,
        control.label,
        show=control.show,
        id=control.id,
        tooltip=control.description,
    )


def f1_help() -> Binding:
    """F1 for help, besides the help control's own keys (`?`, or as remapped).

    F1 types nothing, so it opens help where `?` is typed: in the picker's filter.
    """
    help_binding = binding("help")
    return Binding(
        "f1",
        help_binding.action,
        help_binding.description,
        id="help-f1",
        tooltip=help_binding.tooltip,
    )


def types_text(key: str) -> bool:
    """Whether a key types a character (`f`, `?`, `space`), unlike `ctrl+f`, `f1` or `enter`."""
    character = key_to_character(key)
    return character is not None and character.isprintable()


def shortcuts(screen: Screen[object]) -> dict[str, ActiveBinding]:
    """The screen's active bindings that a key press reaches.

    On a screen that filters as you type (`TYPING_FILTERS`), a key that types a character goes
    to the filter, so it is no shortcut there, unless the focused widget binds it itself
    (space on a checkbox).
    """
    active = screen.active_bindings
    if not traits_of(screen).TYPING_FILTERS:
        return active
    return {
        key: bound
        for key, bound in active.items()
        if not types_text(key) or bound.node is screen.focused
    }


# Our words for the keys Textual's widgets bind, by action. Keys with the same words share a
# row of help. An action not here is left out of help: every row is in our words.
_LIST_MOVES = "Move through the list"
_CURSOR_MOVES = "Move the cursor in the text"
_SELECTING = "Select text"
_DELETING = "Delete text"
COPY_WORDS = "Copy text selected with the mouse"
_GENERAL_WORDS = {
    "cursor_up": _LIST_MOVES,
    "cursor_down": _LIST_MOVES,
    "first": _LIST_MOVES,
    "last": _LIST_MOVES,
    "cursor_left": _CURSOR_MOVES,
    "cursor_right": _CURSOR_MOVES,
    "cursor_left_word": _CURSOR_MOVES,
    "cursor_right_word": _CURSOR_MOVES,
    "home": _CURSOR_MOVES,
    "end": _CURSOR_MOVES,
    "cursor_left(True)": _SELECTING,
    "cursor_right(True)": _SELECTING,
    "cursor_left_word(True)": _SELECTING,
    "cursor_right_word(True)": _SELECTING,
    "home(True)": _SELECTING,
    "end(True)": _SELECTING,
    "select_all": _SELECTING,
    "delete_left": _DELETING,
    "delete_right": _DELETING,
    "delete_left_word": _DELETING,
    "delete_right_word": _DELETING,
    "delete_left_all": _DELETING,
    "delete_right_all": _DELETING,
    "cut": "Cut the selected text",
    "copy": "Copy the selected text",
    "paste": "Paste copied text",
    "screen.copy_text": COPY_WORDS,
    "press": "Press the highlighted button",
    "app.focus_next": "Move to the next or previous control",
    "app.focus_previous": "Move to the next or previous control",
}
_SCROLLS = {
    "scroll_up": "vertical",
    "scroll_down": "vertical",
    "scroll_home": "vertical",
    "scroll_end": "vertical",
    "page_up": "vertical",
    "page_down": "vertical",
    "scroll_left": "horizontal",
    "scroll_right": "horizontal",
    "page_left": "horizontal",
    "page_right": "horizontal",
}


def general_words(active: ActiveBinding, screen: Screen[object], enter: str | None) -> str | None:
    """What a key that Textual's widgets bind does here, in our words; None for one that does
    nothing on this screen (it is left out of help).

    `enter`: what Enter in a list or a text field does on this screen (None: nothing).
    """
    action = active.binding.action
    node = active.node
    if action in ("select", "submit"):
        return enter
    if action in ("page_up", "page_down") and isinstance(node, OptionList):
        return _LIST_MOVES
    if action in _SCROLLS:
        if not isinstance(node, Widget):
            return None
        # A key that would scroll what does not scroll does nothing.
        if _SCROLLS[action] == "vertical":
            return "Scroll" if node.allow_vertical_scroll else None
        return "Scroll sideways" if node.allow_horizontal_scroll else None
    if action in ("app.focus_next", "app.focus_previous") and len(screen.focus_chain) < 2:
        return None
    return _GENERAL_WORDS.get(action)


def is_stock(active: ActiveBinding) -> bool:
    """Whether a binding is one of Textual's own (a widget's arrows, tab, ctrl+c), which help
    words itself, rather than one of ours."""
    binding = active.binding
    for cls in type(active.node).__mro__:
        if not cls.__module__.startswith("textual."):
            continue
        for stock in cls.__dict__.get("BINDINGS", ()):
            if isinstance(stock, Binding) and stock.action == binding.action:
                return True
    return False


def shown_key(screen: Screen[Any], control_id: str) -> str:
    """The first key that does control `control_id` on `screen`, as the key bar shows it
    (`n`, or what `keys:` remapped it to)."""
    for active in screen.active_bindings.values():
        if active.binding.id == control_id:
            return screen.app.get_key_display(active.binding)
    return binding(control_id).key.split(",")[0]

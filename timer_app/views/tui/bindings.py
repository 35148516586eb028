"""Provides the app's key bindings, built from the one table of controls in `core.controls`,
and `shortcuts`: the keys that work as shortcuts on a screen, for the key bar, help and the
command palette to show."""

from __future__ import annotations

from textual.binding import ActiveBinding, Binding
from textual.keys import key_to_character
from textual.screen import Screen

from timer_app.core.controls import BY_ID

# What the app does itself for the controls that are not an engine call.
_VIEW_ACTIONS = {
    "mute": "app.toggle_mute",
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
    if not getattr(screen, "TYPING_FILTERS", False):
        return active
    return {
        key: bound
        for key, bound in active.items()
        if not types_text(key) or bound.node is screen.focused
    }

"""Provides the app's key bindings, built from the one table of controls in `core.controls`."""

from __future__ import annotations

from textual.binding import Binding

from timer_app.core.controls import BY_ID

# What the app does itself for the controls that are not an engine call.
_VIEW_ACTIONS = {"mute": "app.toggle_mute", "quit": "quit_session", "help": "help"}


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

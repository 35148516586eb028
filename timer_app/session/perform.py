"""Provides `perform`: what a control does to the engine, for every way in (the app's keys,
plain mode's keys and the shared page's buttons), so all three do exactly the same."""

from __future__ import annotations

from timer_app.core.controls import Control
from timer_app.session.engine import Engine

__all__ = ["perform"]


def perform(engine: Engine, control: Control) -> bool:
    """Make the engine call `control` stands for; False when it changed nothing (a view may
    then say `control.refused`). A control the view carries out itself (mute, share, quit,
    help) has no engine call: asking for one is a mistake in the caller."""
    match control.call:
        case "toggle_pause":
            return engine.toggle_pause()
        case "skip":
            return engine.skip()
        case "back":
            return engine.back()
        case "extend":
            return engine.extend(*control.args)
        case "shorten":
            return engine.shorten(*control.args)
        case "end_wait":
            return engine.end_wait()
        case "restart_exercise":
            return engine.restart_exercise()
    raise ValueError(f"control {control.id!r} is not an engine call")

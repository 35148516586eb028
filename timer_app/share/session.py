"""Provides `share_session`: start serving a session to browsers, as both views do it."""

from __future__ import annotations

from collections.abc import Callable

from timer_app.config.choices import DEFAULT_CUE_SET
from timer_app.session.engine import Engine
from timer_app.share.server import ShareServer

__all__ = ["share_session"]


async def share_session(
    engine: Engine,
    where: str,
    note: Callable[[str], None] | None = None,
    cue_set: str = DEFAULT_CUE_SET,
) -> ShareServer:
    """Listen for `engine`'s session on `where` (`config.choices.SHARE_CHOICES`) and follow
    its events from now on; `note` says in the view which control a page used; `cue_set` is
    the set the page plays (the terminal's). Raises `ShareError` with the reason when it
    cannot listen."""
    server = ShareServer(engine, lan=where == "lan", note=note, cue_set=cue_set)
    await server.start()
    engine.add_listener(server)
    return server

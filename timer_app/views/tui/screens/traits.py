"""Provides `Traits`: what the app, the session and the key bar ask of a screen, declared in
one place with the answer for a screen that says nothing.

Our screens inherit it and override what differs; Textual's own (the command palette) are
read through `traits_of`, which gives them the defaults.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding

__all__ = ["Traits", "traits_of"]


class Traits:
    """A screen's answers to the questions asked of it from outside."""

    TYPING_FILTERS: ClassVar[bool] = False
    """Keys that type a character go to the screen's fields (a filter, a form), so none of
    them is a shortcut there: help and the key bar leave them out."""
    ENTER_WORDS: ClassVar[str | None] = None
    """What Enter in the screen's list or fields does, for help; None: nothing of its own."""
    PAUSES_SESSION: ClassVar[bool] = True
    """A session under this screen pauses while it is open (the person is reading); the
    share dialog does not, so a page opened from it finds the session running."""

    @property
    def waiting(self) -> bool:
        """The session waits for this screen's answer to begin (the share dialog before a
        session started from a phone)."""
        return False

    def key_description(self, binding: Binding) -> str:
        """How the key bar words `binding` now: a screen may word a key by its state (the
        pause key says Resume while paused)."""
        return binding.description


_DEFAULT = Traits()


def traits_of(screen: object) -> Traits:
    """The traits of `screen`: its own, or the defaults for a screen that declares none."""
    return screen if isinstance(screen, Traits) else _DEFAULT

"""Provides the share dialog: the shared page's address, as text and, where a phone can open
it (`--share lan`), as a QR code to scan; on this computer only, how to reach a phone instead.

Unlike the other dialogs it does not pause the session: the person is only pointing a phone
at the screen, and the page they open should find the session running. Shown as a session
shared from the start opens, the session waits behind it: Enter starts it (as Start on the
page does, which closes the dialog), Esc gives it up.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from timer_app.share.qr import qr_lines
from timer_app.share.words import waiting_line, where_lines
from timer_app.views.tui.screens.traits import Traits
from timer_app.views.tui.widgets.keybar import KeyBar


class ShareScreen(Traits, ModalScreen[bool]):
    """The address, its QR code (on the local network) and where it works; Enter, Esc or the
    share key closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,escape", "answer(True)", "Close"),
    ]

    PAUSES_SESSION: ClassVar[bool] = False

    def __init__(self, url: str, *, lan: bool, command: str) -> None:
        """`command`: the one that shares the session to a phone (see `lan_command`)."""
        super().__init__()
        self.url = url
        self.lan = lan
        self.command = command
        self._waiting = False

    @property
    def waiting(self) -> bool:
        """The session waits for this dialog's answer (or the page's Start) to begin."""
        return self._waiting

    def action_answer(self, start: bool) -> None:
        # Once the session has begun (from the page), either key only closes the dialog.
        self.dismiss(start or not self._waiting)

    def on_resize(self) -> None:
        # On a short terminal the code keeps every row it needs (a code cut off does not scan):
        # the margins and the note give theirs up; the session screen still shows the address.
        self.set_class(self.size.height < 32, "-short")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="share-dialog") as dialog:
            dialog.border_title = "Follow in a browser"
            dialog.border_subtitle = (
                "Enter: start \u00b7 Esc: cancel" if self.waiting else "Enter or Esc: close"
            )
            if self._waiting:
                # First, so it is read first: nothing happens until the person starts.
                yield Static(Content(waiting_line(keys=True)), id="share-start")
            yield Static(Content(self.url), id="share-url")
            if self.lan:
                # Black on white whatever the theme: phone cameras read dark modules on light.
                # (None for 127.0.0.1: a phone that scanned it would look on itself.)
                yield Static(Content("\n".join(qr_lines(self.url))), id="share-qr")
            lines = where_lines(lan=self.lan, command=self.command)
            yield Static(Content("\n".join(lines)), id="share-where", classes="dialog-hint")
        yield KeyBar(palette=False)


class StartShareScreen(ShareScreen):
    """The share dialog of a session shared from the start, which waits behind it: True for
    Enter (start now), False for Esc (give the session up); the page's Start closes it too."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "answer(True)", "Start"),
        Binding("escape", "answer(False)", "Cancel"),
        # As in a session, where it asks to stop: here nothing has begun, so nothing to ask.
        Binding("ctrl+c", "answer(False)", "Cancel", show=False),
    ]

    def __init__(self, url: str, *, lan: bool, command: str) -> None:
        super().__init__(url, lan=lan, command=command)
        self._waiting = True

    def started(self) -> None:
        """The session began from the page while another screen covered this one: from now
        on it is the plain share dialog, which Enter or Esc closes."""
        self._waiting = False
        self.query_one("#share-start").display = False
        self.query_one("#share-dialog").border_subtitle = "Enter or Esc: close"

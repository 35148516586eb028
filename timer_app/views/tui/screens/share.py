"""Provides the share dialog: the shared page's address, as text and as a QR code to scan.

Unlike the other dialogs it does not pause the session: the person is only pointing a phone
at the screen, and the page they open should find the session running.
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
from timer_app.views.tui.widgets.keybar import KeyBar

SHARE_NOTE = (
    "Anyone who has this address can follow and control the session while it runs;"
    " it stops working when the session ends."
)


class ShareScreen(ModalScreen[None]):
    """The address and its QR code; Enter, Esc or the share key closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,escape", "dismiss", "Close"),
    ]

    pauses_session: ClassVar[bool] = False
    """Read by the session screen, which pauses under every other screen."""

    def __init__(self, url: str, *, lan: bool) -> None:
        super().__init__()
        self.url = url
        self.lan = lan

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="share-dialog") as dialog:
            dialog.border_title = "Follow in a browser"
            dialog.border_subtitle = "Enter or Esc: close"
            yield Static(Content(self.url), id="share-url")
            # Black on white whatever the theme: phone cameras read dark modules on light.
            yield Static(Content("\n".join(qr_lines(self.url))), id="share-qr")
            where = (
                "On the local network. "
                if self.lan
                else "On this computer only (127.0.0.1); --share lan serves the local network. "
            )
            yield Static(Content(where + SHARE_NOTE), classes="dialog-hint")
        yield KeyBar(palette=False)

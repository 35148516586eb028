"""Provides the sound dialog: the cue set (each one heard as it is chosen), how the last
seconds of a hold or rest are counted, and whether a long hold's halfway time is said."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Label, RadioSet, Static

from timer_app.config.choices import CUE_SETS
from timer_app.views.tui.screens.traits import Traits
from timer_app.views.tui.widgets.check import Check, Radio

COUNTS = {
    "off": "off (the get-ready's ticks only)",
    "ticks": "ticks, in rests too",
    "aloud": "aloud: 3, 2, 1 (needs a speech engine)",
}
"""The `count_last` choices, as the dialog words them."""


@dataclass(frozen=True)
class SoundChoice:
    """What the dialog was left with."""

    cues: str
    count_last: str
    say_halfway: bool


class SoundScreen(Traits, ModalScreen[SoundChoice | None]):
    """Choose the cue set (a cue of it plays as it is chosen, and Play plays it again), the
    count of the last seconds and the halfway time. Done keeps the choice; Esc leaves
    everything as it was."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "done", "Done", show=False),
    ]

    def __init__(self, current: SoundChoice, preview: Callable[[str], None]) -> None:
        """`preview(cue_set)`: play a cue of that set now; the set plays on from then on, until
        the caller goes back to its own when the dialog is left with Esc (None)."""
        super().__init__()
        self.current = current
        self.preview = preview

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="sound-dialog") as dialog:
            dialog.border_title = "Sound"
            yield Label("Cues")
            with RadioSet(id="cue-set"):
                for name, about in CUE_SETS.items():
                    yield Radio(
                        Content(f"{name}: {about}"), value=name == self.current.cues, name=name
                    )
            yield Label("Count the last 3 seconds of each hold and rest", classes="-next")
            with RadioSet(id="count-last"):
                for name, words in COUNTS.items():
                    yield Radio(Content(words), value=name == self.current.count_last, name=name)
            yield Check(
                "Say the time left halfway through a hold of 45 s or more",
                self.current.say_halfway,
                id="say-halfway",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Play", id="play", tooltip="Play a cue of the chosen set again")
                yield Button("Done", variant="primary", id="done")
            yield Static(
                "Choosing a set plays it  \u00b7  Esc: leave as it was",
                markup=False,
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        for choices in self.query(RadioSet):
            # The arrows start from the choice in force (a set highlights its first button).
            for _ in range(max(0, choices.pressed_index)):
                choices.action_next_button()
        self.query_one("#cue-set", RadioSet).focus()

    def choice(self) -> SoundChoice:
        return SoundChoice(
            cues=self._chosen("#cue-set", self.current.cues),
            count_last=self._chosen("#count-last", self.current.count_last),
            say_halfway=self.query_one("#say-halfway", Check).value,
        )

    def _chosen(self, selector: str, default: str) -> str:
        pressed = self.query_one(selector, RadioSet).pressed_button
        return pressed.name if pressed is not None and pressed.name else default

    @on(RadioSet.Changed, "#cue-set")
    def set_chosen(self, event: RadioSet.Changed) -> None:
        if event.pressed.name:
            self.preview(event.pressed.name)

    @on(Button.Pressed, "#play")
    def play_pressed(self) -> None:
        self.preview(self.choice().cues)

    @on(Button.Pressed, "#done")
    def action_done(self) -> None:
        self.dismiss(self.choice())

    def action_cancel(self) -> None:
        # The caller goes back to the set it had (a set previewed is playing until then).
        self.dismiss(None)

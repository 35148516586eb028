"""Provides `Check` and `Radio`: a checkbox and a radio button whose mark says whether it is
on, without needing colour."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox, RadioButton

ON_MARK = "\u2713"
"""The mark of a checkbox that is on: ✓."""
OFF_MARK = " "
"""The mark of a checkbox that is off: an empty box."""
CHOSEN_MARK = "\u25cf"
"""The mark of the radio button chosen: ●."""


class Check(Checkbox):
    """A checkbox drawn `▐✓▌` when on and `▐ ▌` when off.

    Textual's checkbox draws the same `X` both ways and tells them apart by its colour alone,
    which a monochrome terminal, a colour-blind person or a screen reader cannot see.
    """

    def render(self) -> Content:
        # The mark is read when the button is drawn, so it follows every change of value.
        self.BUTTON_INNER = ON_MARK if self.value else OFF_MARK
        return super().render()


class Radio(RadioButton):
    """A radio button drawn `▐●▌` when chosen and `▐ ▌` when not, for the same reason."""

    def render(self) -> Content:
        self.BUTTON_INNER = CHOSEN_MARK if self.value else OFF_MARK
        return super().render()

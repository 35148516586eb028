"""First use has no traps (issue 11): what a new user meets in the full-screen app, read as the
screen shows it, with Textual's pilot."""

from __future__ import annotations

import pytest
from textual.errors import NoWidget
from textual.widgets import Checkbox

from timer_app.config.acknowledgement import remember
from timer_app.views.tui.app import StretchApp
from timer_app.views.tui.screens.picker import PickerScreen


@pytest.fixture
def acknowledged_before() -> None:
    assert remember()


def screen_text(app: StretchApp) -> list[str]:
    """The characters on the screen, one string a row, as a person would read them."""
    screen = app.screen
    width, height = screen.size
    rows: list[str] = []
    for y in range(height):
        row: list[str] = []
        for x in range(width):
            try:
                widget, region = screen.get_widget_at(x, y)
            except NoWidget:
                row.append(" ")
                continue
            line = widget.render_line(y - region.y).text
            column = x - region.x
            row.append(line[column] if column < len(line) else " ")
        rows.append("".join(row).rstrip())
    return rows


@pytest.mark.usefixtures("acknowledged_before")
async def test_a_checkbox_says_on_or_off_without_colour() -> None:
    app = StretchApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PickerScreen)
        quick = screen.query_one("#quick", Checkbox)
        off = quick.render().plain
        quick.value = True
        await pilot.pause()
        on = quick.render().plain
        # The same words, a different mark: readable in monochrome and by a screen reader.
        assert off.replace(" ", "") == "▐▌Quick"
        assert on.replace(" ", "") == "▐✓▌Quick"
        [options_row] = [row for row in screen_text(app) if "Quick" in row]
        assert options_row.count("✓") == 1

"""The sound options in the app: the picker's Sound dialog and the command palette switch the
cue set (a cue of it plays as it is chosen), set the count of the last seconds and the halfway
time, and keep the choice in the settings file for next time; Esc leaves everything as it was.

With the terminal bell as the sound, so that a preview is a ring the test can count."""

from __future__ import annotations

import pytest
from test_first_use import from_the_palette
from textual.widgets import Button, RadioSet

from timer_app.companions import Companions
from timer_app.config.acknowledgement import remember
from timer_app.config.settings import Settings, load_settings, settings_path
from timer_app.views.tui.app import StretchApp
from timer_app.views.tui.screens.picker import PickerScreen
from timer_app.views.tui.screens.sound import SoundScreen
from timer_app.views.tui.widgets.check import Check, Radio


@pytest.fixture(autouse=True)
def acknowledged_before() -> None:
    assert remember()


def bell_app(settings: Settings | None = None) -> tuple[StretchApp, list[str]]:
    companions = Companions(sound="bell", cue_set=(settings or Settings()).cues)
    app = StretchApp(companions=companions, settings=settings)
    rings: list[str] = []
    app.bell = lambda: rings.append(app.companions.player.cue_set)  # type: ignore[method-assign]
    return app, rings


def chosen(screen: SoundScreen, selector: str) -> str | None:
    pressed = screen.query_one(selector, RadioSet).pressed_button
    return None if pressed is None else pressed.name


async def test_the_picker_sound_dialog_previews_a_set_and_saves_the_choices() -> None:
    path = settings_path()
    path.parent.mkdir(parents=True)
    path.write_text("# my settings\nvolume: 70\n", encoding="utf-8")
    app, rings = bell_app(load_settings(path)[0])
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        await pilot.click("#sound")  # the button in the picker's options
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SoundScreen)
        assert chosen(dialog, "#cue-set") == "tones" and chosen(dialog, "#count-last") == "off"
        assert rings == []
        # Down to "soft" and choose it: a cue of it plays at once.
        await pilot.press("down", "enter")
        await pilot.pause()
        assert rings == ["soft"]
        # The mark shows which is chosen, not only a colour.
        marks = {r.name: r.render().plain for r in dialog.query(Radio)}
        assert "\u25cf" in marks["soft"] and "\u25cf" not in marks["tones"]
        await pilot.click("#play")
        await pilot.pause()
        assert rings == ["soft", "soft"]
        dialog.query_one("#count-last", RadioSet).focus()
        await pilot.press("down", "down", "enter")  # aloud
        dialog.query_one("#say-halfway", Check).value = True
        await pilot.click("#done")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        await app.workers.wait_for_complete()
    assert (app.companions.cue_set, app.companions.count_last) == ("soft", "aloud")
    assert app.companions.say_halfway is True
    assert (app.settings.cues, app.settings.count_last, app.settings.say_halfway) == (
        "soft",
        "aloud",
        True,
    )
    assert path.read_text(encoding="utf-8") == (
        "# my settings\nvolume: 70\ncues: soft\ncount_last: aloud\nsay_halfway: true\n"
    )


async def test_esc_leaves_the_set_as_it_was_and_saves_nothing() -> None:
    app, rings = bell_app(Settings(cues="bells"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+l")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SoundScreen)
        assert chosen(dialog, "#cue-set") == "bells"
        # Every choice and the buttons are in view on an 80x24 terminal.
        assert dialog.query_one("#done", Button).region.bottom <= 24
        await pilot.press("up", "enter")  # soft, heard
        await pilot.pause()
        assert rings == ["soft"]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        assert app.companions.player.cue_set == "bells"
        await app.workers.wait_for_complete()
    assert app.settings.cues == "bells"
    assert not settings_path().exists()


async def test_the_command_palette_switches_the_set_with_a_preview_and_keeps_it() -> None:
    app, rings = bell_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        assert {"Cues: tones", "Cues: soft", "Cues: bells", "Sound"} <= set(commands)
        await from_the_palette(app, pilot, commands["Cues: bells"])
        assert rings == ["bells"]
        await app.workers.wait_for_complete()
        assert app.companions.player.cue_set == "bells"
    assert settings_path().read_text(encoding="utf-8") == "cues: bells\n"
    assert load_settings()[0].cues == "bells"


async def test_a_settings_file_that_cannot_be_written_is_said_and_the_choice_still_holds() -> None:
    settings_path().parent.parent.mkdir(parents=True, exist_ok=True)
    settings_path().parent.write_text("not a folder", encoding="utf-8")
    app, rings = bell_app()
    said: list[str] = []
    app.notify = lambda message, **_: said.append(message)  # type: ignore[method-assign,misc]
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        app.choose_cue_set("soft")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert said[0] == "Cues: soft"
        assert [m for m in said if m.startswith("Not saved for next time: could not write")]
        assert app.companions.player.cue_set == "soft" and rings == ["soft"]

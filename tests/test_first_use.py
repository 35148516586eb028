"""First use has no traps (issue 11): what a new user meets in the full-screen app, read as the
screen shows it, with Textual's pilot."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from remind_support import Tools
from textual import events
from textual.app import SystemCommand
from textual.errors import NoWidget
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, OptionList

from helpers import on_picker, routine_yaml, stretch
from timer_app.cli.main import main
from timer_app.companions import Companions
from timer_app.config.acknowledgement import acknowledged, remember
from timer_app.config.settings import load_settings
from timer_app.core.plan import Plan, compile_plan
from timer_app.routines.library import load_library
from timer_app.testing import VirtualClock
from timer_app.views.tui.app import StretchApp
from timer_app.views.tui.screens.detail import DetailScreen
from timer_app.views.tui.screens.help import HelpScreen
from timer_app.views.tui.screens.notice import NoticeScreen
from timer_app.views.tui.screens.picker import PickerScreen
from timer_app.views.tui.screens.reminders import RemindersScreen
from timer_app.views.tui.screens.safety import SafetyScreen
from timer_app.views.tui.screens.session import SessionScreen
from timer_app.views.tui.screens.stats import StatsScreen
from timer_app.views.tui.screens.summary import SummaryScreen
from timer_app.views.tui.widgets.keybar import KeyBar


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
            # The widget's row with its border, padding and border title, as the screen has it.
            [strip] = widget.render_lines(Region(0, y - region.y, region.width, 1))
            line = strip.text
            column = x - region.x
            row.append(line[column] if column < len(line) else " ")
        rows.append("".join(row).rstrip())
    return rows


@pytest.mark.usefixtures("acknowledged_before")
async def test_a_checkbox_says_on_or_off_without_colour() -> None:
    app = StretchApp()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await on_picker(pilot)
        quick = screen.query_one("#quick", Checkbox)
        off = quick.render().plain
        quick.value = True
        await pilot.pause()
        on = quick.render().plain
        # The same words, a different mark: readable in monochrome and by a screen reader.
        assert off.replace(" ", "") == "▐▌Quick"
        assert on.replace(" ", "") == "▐✓▌Quick"
        [options_row] = [row for row in screen_text(app) if "▌ Quick" in row]
        assert options_row.count("✓") == 1


UNEVEN = routine_yaml("uneven")


def uneven_plan(tmp_path: Path) -> Plan:
    (tmp_path / "uneven.yaml").write_text(UNEVEN, encoding="utf-8")
    return compile_plan(load_library([tmp_path], user=False).routines["uneven"])


@pytest.mark.usefixtures("acknowledged_before")
@pytest.mark.parametrize("size", [(100, 30), (50, 16)], ids=["100x30", "50x16"])
async def test_the_summary_rows_are_aligned(tmp_path: Path, size: tuple[int, int]) -> None:
    clock = VirtualClock()
    app = StretchApp(plan=uneven_plan(tmp_path), clock=clock)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await clock.advance(5 + 1 + 3)  # the reach done, then 3 s of the cross-over
        await pilot.press("n", "n")  # the cross-over cut short, the shoulder roll skipped
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        rows = screen_text(app)
        reach = next(row for row in rows if "Reach" in row)
        cross = next(row for row in rows if "Lower back" in row)
        roll = next(row for row in rows if "Shoulder roll" in row)
        assert reach.split() == ["done", "0:04", "Reach"]
        # A cut-short exercise says how much of it was done: "0:03 of 0:20".
        assert cross.split()[:4] == ["cut", "short", "0:03", "of"] and "Lower" in cross
        assert roll.split() == ["skipped", "0:00", "Shoulder", "roll"]
        # Each column starts at the same place in every row: the status words end together,
        # then come the times and the names, even where a long name wraps.
        assert reach.index("Reach") == roll.index("Shoulder") == cross.index("Lower")
        # Times are right-aligned: they end together ("0:03 of 0:04" ends with its whole).
        assert reach.index("0:04") == roll.index("0:00") == cross.rindex("0:04")
        assert reach.index("done") + 4 == roll.index("skipped") + 7 == cross.index("short") + 5


def preset_plan(routine_id: str) -> Plan:
    return compile_plan(load_library([], user=False).routines[routine_id])


@pytest.mark.usefixtures("acknowledged_before")
@pytest.mark.parametrize("size", [(100, 30), (50, 16)], ids=["100x30", "50x16"])
@pytest.mark.parametrize("where", ["picker", "session"])
async def test_help_scrolls_to_its_last_line(size: tuple[int, int], where: str) -> None:
    plan = preset_plan("doctor-jo-5-minute") if where == "session" else None
    app = StretchApp(plan=plan, clock=VirtualClock())
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        # `?` types into the picker's filter; F1 opens help there (and everywhere).
        await pilot.press("f1" if where == "picker" else "question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        first_keys, first_what = help_screen.rows[0]
        last_keys, last_what = help_screen.rows[-1]
        # The row's start: a long row wraps in a narrow dialog.
        assert any(f"{first_keys}  {first_what[:12]}" in row for row in screen_text(app))
        await pilot.press("end")
        await pilot.pause()
        shown = screen_text(app)
        assert any(f"{last_keys}  {last_what}" in row for row in shown)
        assert any("Esc closes" in row for row in shown)


@pytest.mark.usefixtures("acknowledged_before")
async def test_a_small_session_header_keeps_the_title_apart_from_the_count() -> None:
    app = StretchApp(plan=preset_plan("doctor-jo-5-minute"), clock=VirtualClock())
    async with app.run_test(size=(50, 16)) as pilot:
        await pilot.pause()
        header = screen_text(app)[0]
        # "Doctor Jo's 5-minute back routine" does not fit beside the count: it is cut short
        # with an ellipsis, and a gap keeps it from running into "exercise 1 of 6".
        assert header.strip() == "Doctor Jo's 5-minute back rout\u2026  exercise 1 of 6"


@pytest.mark.parametrize("start", ["picker", "run"])
async def test_the_safety_note_says_its_keys_and_enter_acknowledges(start: str) -> None:
    plan = preset_plan("neck-stretches") if start == "run" else None
    app = StretchApp(plan=plan, clock=VirtualClock())
    async with app.run_test(size=(50, 16)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SafetyScreen)
        shown = "\n".join(screen_text(app))
        assert "Stop if pain increases" in shown
        assert "Enter: I understand \u00b7 q or Esc: leave" in shown
        # The bottom line has this note's keys, not those of a screen underneath.
        assert screen_text(app)[-1].split() == ["⏎", "I", "understand", "q", "Leave"]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen if plan else PickerScreen)
    assert acknowledged()


@pytest.mark.parametrize("key", ["q", "escape"])
@pytest.mark.parametrize("start", ["picker", "run"])
async def test_q_or_esc_on_the_safety_note_leave_without_acknowledging(
    key: str, start: str
) -> None:
    plan = preset_plan("neck-stretches") if start == "run" else None
    app = StretchApp(plan=plan, clock=VirtualClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SafetyScreen)
        await pilot.press(key)
        await pilot.pause()
        # The app ended by itself, with a failing status for the shell...
        assert not app.is_running
    assert app.return_code == app.return_value == 1
    assert not acknowledged()  # ... and the note shows again next time.


@pytest.mark.usefixtures("acknowledged_before")
async def test_after_a_session_the_focus_is_back_on_the_routine_list(tmp_path: Path) -> None:
    clock = VirtualClock()
    app = StretchApp(routine_dirs=[tmp_path], clock=clock)
    uneven_plan(tmp_path)  # writes the routine file the picker lists
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        routines = picker.query_one("#routines", OptionList)
        ready = picker.query_one("#prepare", Input)
        picker.query_one("#filter", Input).value = "uneven"
        ready.focus()
        await pilot.press("2", "enter")  # a get-ready time, and Enter starts from that field
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        await clock.advance(3 * (2 + 4))
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is picker
        assert routines.has_focus
        await pilot.press("5")  # typed anywhere but into Get ready
        assert ready.value == "2"


class Terminal(io.StringIO):
    """A stream that says it is a terminal, as stdin and stdout are when a person runs
    `stretch`: the command then opens the full-screen app."""

    def isatty(self) -> bool:
        return True


BAD_SETTINGS = "count_in: soon\nvolume: 300\nsound: 'off'\n"


@pytest.mark.usefixtures("acknowledged_before")
async def test_settings_problems_stay_on_screen_until_dismissed_and_stderr_is_quiet(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings_file = isolated_home / ".config" / "stretch-timer" / "settings.yaml"
    settings_file.parent.mkdir(parents=True)
    settings_file.write_text(BAD_SETTINGS, encoding="utf-8")
    # `stretch` on a terminal: the command builds the app; here it is run by the pilot.
    built: list[StretchApp] = []
    monkeypatch.setattr(StretchApp, "run", lambda app, **_: built.append(app) or 0)
    monkeypatch.setattr(sys, "stdin", Terminal())
    terminal = Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    assert main([]) == 0
    # Nothing printed where the full-screen app would at once cover it.
    assert capsys.readouterr().err == ""
    assert terminal.getvalue() == ""
    [app] = built
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, NoticeScreen)
        shown = "\n".join(screen_text(app))
        assert "Settings file problems" in shown
        # The path is the heading; a long home folder's path wraps onto the next row.
        assert str(settings_file) in "".join(row.strip(" █") for row in screen_text(app))
        assert "line 1, column 11: count_in: cannot read 'soon' as a duration" in shown
        assert "line 2, column 9: volume: 300 is outside 0 to 100" in shown
        assert "Using the defaults for these." in shown
        assert "Enter or Esc: continue" in shown
        # Other keys, and time, leave it where it is.
        await pilot.press("down", "space", "q", "x")
        await pilot.pause(0.5)
        assert isinstance(app.screen, NoticeScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
    assert app.settings.count_in == 3.0  # the default stood in


@pytest.mark.usefixtures("acknowledged_before")
async def test_under_stretch_run_the_session_starts_once_the_notice_is_read(
    tmp_path: Path,
) -> None:
    settings_file = tmp_path / "settings.yaml"
    settings_file.write_text(BAD_SETTINGS, encoding="utf-8")
    settings, problems = load_settings(settings_file)
    app = StretchApp(
        plan=preset_plan("neck-stretches"),
        settings=settings,
        settings_problems=problems,
        clock=VirtualClock(),
    )
    async with app.run_test(size=(50, 16)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, NoticeScreen)
        assert "Enter or Esc: continue" in "\n".join(screen_text(app))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)


def test_plain_mode_still_prints_settings_problems_as_lines(isolated_home: Path) -> None:
    settings_file = isolated_home / ".config" / "stretch-timer" / "settings.yaml"
    settings_file.parent.mkdir(parents=True)
    settings_file.write_text(BAD_SETTINGS, encoding="utf-8")
    # No such routine: the run stops at once, after the settings have been read and reported.
    result = stretch("run", "no-such-routine", "--plain")
    assert result.returncode == 1
    assert f"warning: {settings_file}:1:11: count_in: cannot read 'soon'" in result.stderr
    assert f"warning: {settings_file}:2:9: volume: 300 is outside 0 to 100" in result.stderr


def key_bar(app: StretchApp) -> str:
    return " ".join(app.screen.query_one(KeyBar).render().plain.split())


@pytest.mark.usefixtures("acknowledged_before")
async def test_typing_in_the_picker_filters_and_opens_nothing_else() -> None:
    app = StretchApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()  # the picker is shown once the library is read
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        routines = picker.query_one("#routines", OptionList)
        filter_input = picker.query_one("#filter", Input)
        assert routines.has_focus
        assert filter_input.placeholder == "Type anywhere to filter"
        everything = len(picker.shown)
        await pilot.press(*"seated")  # s, q, f and i were shortcuts once; now they type
        await pilot.pause()
        assert app.screen is picker and app.is_running
        assert filter_input.value == "seated"
        assert 0 < len(picker.shown) < everything
        assert all("seated" in routine.positions for routine in picker.shown)
        # The best match is highlighted, so Enter would start it: the title match first.
        assert picker.current() is picker.shown[0]
        assert picker.shown[0].title == "Doctor Jo's seated back stretches"
        assert not picker.query_one("#no-floor", Checkbox).value
        # Arrows still move in the list, while what is typed stays in the filter.
        await pilot.press("home")  # ... except the keys that edit it: to its start
        assert filter_input.cursor_position == 0
        await pilot.press("end")
        chosen = picker.current()
        assert chosen is not None
        at = picker.shown.index(chosen)
        await pilot.press("down")
        below = picker.shown[at + 1]
        assert picker.current() is below
        await pilot.press("down", "up")
        assert picker.current() is below
        await pilot.press("backspace")  # a new filter: its best match is highlighted
        assert filter_input.value == "seate"
        assert picker.current() is picker.shown[0]
        # Esc clears the filter and goes back to the list.
        await pilot.press("escape")
        assert filter_input.value == ""
        assert len(picker.shown) == everything
        assert routines.has_focus


@pytest.mark.usefixtures("acknowledged_before")
async def test_every_character_types_into_the_filter_from_anywhere_in_the_picker() -> None:
    app = StretchApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        filter_input = picker.query_one("#filter", Input)
        quick = picker.query_one("#quick", Checkbox)
        await pilot.press(*"q?/ I")
        assert filter_input.value == "q?/ I"
        assert app.screen is picker
        await pilot.press("escape")
        quick.focus()
        await pilot.press("space")  # the checkbox's own key still toggles it
        assert quick.value
        assert filter_input.value == ""
        await pilot.press(*"neck")  # from the checkbox, the typing goes to the filter
        assert filter_input.value == "neck"
        assert [routine.id for routine in picker.shown] == ["neck-stretches"]
        # Pasted text goes to the filter too, as the terminal delivers it to the focused list.
        await pilot.press("escape")
        picker.query_one("#routines", OptionList).post_message(events.Paste("seated\nback"))
        await pilot.pause()
        assert filter_input.value == "seated back"
        await pilot.press("escape", *"neck")
        ready = picker.query_one("#prepare", Input)
        ready.focus()
        await pilot.press("5")  # an option field takes its own typing
        assert (ready.value, filter_input.value) == ("5", "neck")
        filter_input.focus()
        await pilot.press("enter")  # Enter in the filter starts the highlighted routine
        await pilot.pause()
        session = app.screen
        assert isinstance(session, SessionScreen)
        assert session.plan.routine.id == "neck-stretches"


@pytest.mark.usefixtures("acknowledged_before")
async def test_every_picker_shortcut_works_by_its_new_key(tools: Tools) -> None:
    app = StretchApp(companions=Companions(sound="off", history=True))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()  # the picker is shown once the library is read
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        assert key_bar(app) == (
            "^f No floor ^o Details ^s Stats ^r Reminders ^n New ^t Copy ^q Quit f1 Keys"
            " \u258f ^p palette"
        )
        await pilot.press("ctrl+f")
        assert picker.query_one("#no-floor", Checkbox).value
        assert all(routine.floor_free for routine in picker.shown)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        await pilot.press("escape")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        await pilot.press("escape")
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, RemindersScreen)
        await pilot.press("escape")
        await pilot.press("f1")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        # Help lists the keys that work here: no `?`, which types into the filter.
        assert help_screen.rows[-1] == ("f1", "This help")
        shown = [("^f", "no-floor"), ("^o", "details"), ("^s", "stats"), ("^r", "reminders")]
        for keys, binding in shown:
            tooltip = next(b.tooltip for b in picker.BINDINGS if getattr(b, "id", "") == binding)
            assert (keys, tooltip) in help_screen.rows
        assert ("^q", "Quit stretch-timer") in help_screen.rows
        await pilot.press("escape")
        assert app.screen is picker
        assert app.is_running
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


async def from_the_palette(app: StretchApp, pilot: Pilot[int], command: SystemCommand) -> None:
    """Open the command palette, search for a command by its title and choose it."""
    await pilot.press("ctrl+p")
    await pilot.press(*command.title)
    for _ in range(200):  # the palette searches in the background; wait for its answer
        if any(command.help in row for row in screen_text(app)):
            break
        await pilot.pause(0.02)
    await pilot.press("enter")
    await pilot.pause()


@pytest.mark.usefixtures("acknowledged_before")
async def test_the_palette_lists_each_action_once_and_each_panel_closes_with_esc() -> None:
    app = StretchApp(companions=Companions(sound="off", history=True))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        commands = {command.title: command for command in app.get_system_commands(picker)}
        titles = [command.title for command in app.get_system_commands(picker)]
        assert len(titles) == len(commands)  # no title twice: one Keys, one Quit
        assert {"Keys", "Quit", "No floor", "Details", "Stats"} <= set(titles)
        for title in ("Keys", "Details", "Stats", "Theme"):
            await from_the_palette(app, pilot, commands[title])
            assert app.screen is not picker, f"{title} opened nothing"
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is picker, f"Esc did not close what {title} opened"
            # Textual's keys panel (which Esc does not close) never opened either.
            assert not app.screen.query("HelpPanel")


@pytest.mark.usefixtures("acknowledged_before")
async def test_in_a_session_the_palette_offers_the_sessions_own_quit_and_keys() -> None:
    app = StretchApp(plan=preset_plan("neck-stretches"), clock=VirtualClock())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        session = app.screen
        assert isinstance(session, SessionScreen)
        commands = list(app.get_system_commands(session))
        titles = [command.title for command in commands]
        assert len(titles) == len(set(titles))
        [quit_command] = [command for command in commands if command.title == "Quit"]
        assert quit_command.help == "Quit (asks first), then the summary (q)"
        [keys] = [command for command in commands if command.title == "Keys"]
        await from_the_palette(app, pilot, keys)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is session


@pytest.mark.usefixtures("acknowledged_before")
async def test_the_picker_keys_that_open_details_and_help_close_them_too() -> None:
    app = StretchApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        picker = app.screen
        for key, opened in (("ctrl+o", DetailScreen), ("f1", HelpScreen)):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, opened)
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is picker

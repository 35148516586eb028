"""The full-screen app, driven by Textual's pilot with the engine in virtual time."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Checkbox, Input, OptionList, Static

from helpers import figures_plan, on_picker, routine_yaml, until
from timer_app.companions import Companions
from timer_app.config.acknowledgement import acknowledged, remember
from timer_app.config.settings import Settings, load_settings
from timer_app.core.controls import BY_ID
from timer_app.core.plan import Overrides, Plan, compile_plan
from timer_app.routines.library import load_library
from timer_app.session.events import Finished
from timer_app.sound.notice import Notice
from timer_app.testing import VirtualClock
from timer_app.views.tui.app import StretchApp
from timer_app.views.tui.screens.confirm import ConfirmScreen
from timer_app.views.tui.screens.help import HelpScreen
from timer_app.views.tui.screens.notice import NoticeScreen
from timer_app.views.tui.screens.picker import PickerScreen
from timer_app.views.tui.screens.safety import SafetyScreen
from timer_app.views.tui.screens.session import SessionScreen
from timer_app.views.tui.screens.summary import SummaryScreen
from timer_app.views.tui.widgets.countdown import Countdown
from timer_app.views.tui.widgets.keybar import KeyBar

SHORT = routine_yaml("short")


@pytest.fixture
def short_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "routines"
    folder.mkdir()
    (folder / "short.yaml").write_text(SHORT, encoding="utf-8")
    return folder


@pytest.fixture
def acknowledged_before() -> None:
    assert remember()


def text_of(app: StretchApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def key_bar(app: StretchApp) -> str:
    return app.screen.query_one(KeyBar).render().plain


def short_plan(short_dir: Path) -> Plan:
    library = load_library([short_dir], user=False)
    return compile_plan(library.routines["short"])


def short_app(short_dir: Path) -> tuple[StretchApp, VirtualClock]:
    """The app of `stretch run short`, in virtual time."""
    clock = VirtualClock()
    return StretchApp(plan=short_plan(short_dir), clock=clock), clock


async def test_first_launch_asks_to_acknowledge_the_safety_note_once() -> None:
    app = StretchApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SafetyScreen)
        assert "Stop if pain increases" in text_of(app, "#safety-text")
        await pilot.press("y", "space")  # only Enter or the button acknowledges
        assert isinstance(app.screen, SafetyScreen)
        await pilot.click("#acknowledge")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
    assert acknowledged()
    again = StretchApp()
    async with again.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(again.screen, PickerScreen)


@pytest.mark.usefixtures("acknowledged_before")
async def test_picker_filters_by_text_and_by_floor_work() -> None:
    app = StretchApp()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await on_picker(pilot)
        options = screen.query_one("#routines", OptionList)
        assert options.option_count == 11
        await pilot.press(*"chair")  # typed anywhere, it goes to the filter
        # Only the seated routine needs a chair; the others sit on a bed, couch or chair.
        assert [r.id for r in screen.shown] == ["doctor-jo-seated"]
        await pilot.press("escape")  # clears the filter and goes back to the list
        assert screen.query_one("#filter", Input).value == ""
        assert options.has_focus
        await pilot.press("ctrl+f")
        assert screen.query_one("#no-floor", Checkbox).value
        assert {r.id for r in screen.shown} == {
            "doctor-jo-seated",
            "neck-stretches",
            "physio-ed-standing",
        }
        assert all(r.floor_free for r in screen.shown)


def list_lines(options: OptionList) -> list[str]:
    """The lines of a list as the terminal shows them."""
    return [options.render_line(y).text.rstrip() for y in range(options.size.height)]


@pytest.mark.usefixtures("acknowledged_before")
async def test_the_highlighted_routine_is_marked_without_colour() -> None:
    app = StretchApp()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await on_picker(pilot)
        options = screen.query_one("#routines", OptionList)

        def marked() -> list[str]:
            return [line.strip() for line in list_lines(options) if "\u25b8" in line]

        first, second = (r.title for r in screen.shown[:2])
        assert marked() == [f"\u25b8 {first}"]
        await pilot.press("down")
        await pilot.pause()
        assert marked() == [f"\u25b8 {second}"[: len(marked()[0])]]
        # A title that wraps keeps its lines in line with the mark's text.
        lines = list_lines(options)
        title_line = next(i for i, line in enumerate(lines) if "\u25b8" in line)
        text_starts = lines[title_line].index("\u25b8") + 2
        wrapped = lines[title_line + 1]
        assert wrapped[:text_starts].strip() == "" and wrapped[text_starts] != " ", lines
        await pilot.press(*"neck")
        await pilot.pause()
        assert marked() == ["\u25b8 Basic neck stretches"]


@pytest.mark.usefixtures("acknowledged_before")
async def test_picker_detail_and_options_change_the_plan() -> None:
    app = StretchApp()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await on_picker(pilot)
        await pilot.press(*"seated back")
        detail = text_of(app, "#detail")
        assert "Doctor Jo's seated back stretches" in detail
        assert "Seated Back Pain Relief Stretches" in detail  # the source is credited
        assert "19:13" in detail
        screen.query_one("#quick", Checkbox).value = True
        await pilot.pause()
        assert "19:13" not in text_of(app, "#detail")
        screen.query_one("#hold", Input).value = "soon"
        await pilot.pause()
        assert "hold: cannot read 'soon' as a duration" in text_of(app, "#option-error")
        assert screen.query_one("#start").disabled


@pytest.mark.usefixtures("acknowledged_before")
async def test_broken_user_file_is_one_notice_and_everything_else_works(
    user_routines: Path,
) -> None:
    (user_routines / "bad.yaml").write_text("title: Bad\nsequence: [nope]\n", encoding="utf-8")
    app = StretchApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        [notice] = list(app._notifications)
        assert "bad.yaml:2:12" in notice.message
        assert "unknown exercise 'nope'" in notice.message
        assert "1 routine file could not be loaded" in notice.title
        assert app.screen.query_one("#routines", OptionList).option_count == 11


@pytest.mark.usefixtures("acknowledged_before")
async def test_a_whole_session_with_every_control(short_dir: Path) -> None:
    clock = VirtualClock()
    app = StretchApp(routine_dirs=[short_dir], clock=clock)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await pilot.press(*"short", "enter")  # Enter in the filter starts the routine
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        engine = screen.engine
        # Hostile text is shown literally.
        assert text_of(app, "#routine-title") == "Neck [/ short"
        assert text_of(app, "#exercise-name") == "[red]x tilt"
        assert "Tilt [b]gently[/b]." in text_of(app, "#how-to")
        assert text_of(app, "#phase") == "GET READY"
        assert screen.query_one(Countdown).text == "0:03"

        await clock.advance(3)
        await pilot.pause()
        assert text_of(app, "#phase") == "HOLD"
        assert text_of(app, "#side") == "LEFT"
        assert screen.query_one(Countdown).text == "0:10"
        await clock.advance(4)
        await pilot.pause()
        screen.refresh_time()
        assert screen.query_one(Countdown).text == "0:06"

        await pilot.press("space")
        assert engine.state == "paused"
        assert screen.has_class("-paused")
        assert text_of(app, "#phase") == "PAUSED"
        await clock.advance(60)  # paused time does not count
        screen.refresh_time()
        assert screen.query_one(Countdown).text == "0:06"
        await pilot.press("space")
        assert engine.state == "counting-in"
        await clock.advance(3)
        await pilot.pause()
        assert engine.state == "running"

        await pilot.press("plus")
        assert engine.remaining() == pytest.approx(16)
        await pilot.press("minus")
        assert engine.remaining() == pytest.approx(6)
        await clock.advance(6)
        await pilot.pause()
        assert text_of(app, "#phase") == "SWITCH SIDES"
        assert text_of(app, "#side") == "RIGHT"

        await pilot.press("n")  # skip to the shoulder rolls
        await pilot.pause()
        assert text_of(app, "#exercise-name") == "Shoulder roll"
        await pilot.press("b")  # within 3 s: back to the previous exercise
        await pilot.pause()
        assert text_of(app, "#exercise-name") == "[red]x tilt"
        await pilot.press("n")
        await clock.advance(3)
        await pilot.pause()
        assert text_of(app, "#phase") == "PRESSURE ON"
        assert text_of(app, "#rep") == "rep 1 of 2"
        await clock.advance(1)

        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert engine.state == "paused"  # nothing runs on while the question is asked
        await pilot.click("#no")
        await pilot.pause()
        assert engine.state in ("counting-in", "running")
        await pilot.press("q")
        await pilot.pause()
        await pilot.click("#yes")
        await pilot.pause()
        await pilot.pause()
        summary = app.screen
        assert isinstance(summary, SummaryScreen)
        assert not summary.finished.completed
        statuses = [o.status for o in summary.finished.outcomes]
        assert statuses == ["partial", "partial"]
        assert "Session stopped." in text_of(app, "#summary-title")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)


@pytest.mark.usefixtures("acknowledged_before")
async def test_run_straight_into_a_session_and_complete_it(short_dir: Path) -> None:
    app, clock = short_app(short_dir)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        await clock.advance(3 + 10 + 2 + 10 + 3 + 8)
        await pilot.pause()
        await pilot.pause()
        summary = app.screen
        assert isinstance(summary, SummaryScreen)
        assert summary.finished.completed
        assert [o.status for o in summary.finished.outcomes] == ["done", "done"]
        assert "2 done" in text_of(app, "#summary-totals")
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_value == 0


@pytest.mark.usefixtures("acknowledged_before")
@pytest.mark.parametrize(("pause", "said"), [(0.3, None), (0.6, "paused 0:01")])
async def test_the_summary_names_a_pause_only_when_it_lasted_a_second(
    short_dir: Path, pause: float, said: str | None
) -> None:
    clock = VirtualClock()
    app = StretchApp(plan=short_plan(short_dir), clock=clock, settings=Settings(count_in=0))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await clock.advance(5)
        await pilot.press("space")
        await clock.advance(pause)
        await pilot.press("space")
        await clock.advance(3 + 10 + 2 + 10 + 3 + 8)
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        totals = text_of(app, "#summary-totals")
        # As plain mode and the shared page say it: a pause rounds to the second, and one
        # that rounds to nothing is not mentioned ("paused 0:00" reads as a fault).
        if said is None:
            assert "paused" not in totals, totals
        else:
            assert said in totals, totals


@pytest.mark.usefixtures("acknowledged_before")
async def test_small_terminal_swaps_big_digits_for_text(short_dir: Path) -> None:
    app, clock = short_app(short_dir)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert not screen.has_class("-compact")
        assert screen.query_one("#how-to").display
        await pilot.resize_terminal(50, 16)
        await pilot.pause()
        # Room for the big digits still, but not for the how-to or the buttons.
        assert screen.has_class("-compact")
        assert not screen.query_one("#how-to").display
        assert screen.query_one("#digits").display
        await pilot.resize_terminal(34, 12)
        await pilot.pause()
        assert not screen.query_one("#digits").display
        assert screen.query_one("#countdown-text").display
        await clock.advance(3)
        await pilot.pause()
        assert text_of(app, "#phase") == "HOLD"
        assert text_of(app, "#countdown-text") == "0:10"


@pytest.mark.usefixtures("acknowledged_before")
async def test_settings_remap_keys_and_count_in(short_dir: Path, tmp_path: Path) -> None:
    settings_file = tmp_path / "settings.yaml"
    settings_file.write_text("count_in: 0\nkeys:\n  pause: p\n  skip: s\n", encoding="utf-8")
    settings, problems = load_settings(settings_file)
    assert problems == []
    clock = VirtualClock()
    app = StretchApp(plan=short_plan(short_dir), clock=clock, settings=settings)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        assert " p Pause  s Skip " in key_bar(app)
        await pilot.press("p")
        assert screen.engine.state == "paused"
        await pilot.press("p")
        assert screen.engine.state == "running"  # count-in 0: straight back
        await pilot.press("s")
        await pilot.pause()
        assert text_of(app, "#exercise-name") == "Shoulder roll"
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        assert ("p", "Pause or resume") in help_screen.rows
        assert ("s", BY_ID["skip"].description) in help_screen.rows


def textual_stock_words() -> set[str]:
    """Every description Textual's own app, screens and widgets give their keys."""
    from textual import widgets
    from textual.app import App
    from textual.binding import Binding
    from textual.containers import ScrollableContainer
    from textual.screen import Screen

    classes = [App, Screen, ScrollableContainer]
    classes += [getattr(widgets, name) for name in widgets.__all__]
    words = set()
    for cls in classes:
        for base in getattr(cls, "__mro__", ()):
            for bound in base.__dict__.get("BINDINGS", ()):
                if isinstance(bound, Binding):
                    words |= {bound.description, bound.tooltip} - {""}
    return words


async def help_rows(pilot: Pilot[StretchApp]) -> dict[str, str]:
    """Open help (F1 works everywhere) and return its rows as {what it does: keys}."""
    await pilot.press("f1")
    await until(pilot, lambda: isinstance(pilot.app.screen, HelpScreen))
    screen = pilot.app.screen
    assert isinstance(screen, HelpScreen)
    rows = {what: keys for keys, what in screen.rows}
    await pilot.press("escape")
    return rows


@pytest.mark.usefixtures("acknowledged_before")
async def test_help_says_every_key_in_our_words_and_only_keys_that_do_something(
    short_dir: Path,
) -> None:
    stock = textual_stock_words()
    assert {"Press button", "Focus Next", "Copy selected text"} <= stock  # the words we replace
    app, _ = short_app(short_dir)
    async with app.run_test(size=(100, 32)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, SessionScreen))
        session = await help_rows(pilot)
    # ctrl+q in a session asks to stop, as q does: one row, in the words of q.
    assert session["Quit (asks first), then the summary"] == "q ^q"
    assert session["Press the highlighted button"] == "⏎"
    assert session["Copy text selected with the mouse; with none, quit as q does"] == ("^c super+c")
    assert "QR code, with --share lan" in next(
        what for what in session if what.startswith("Follow")
    )
    assert not any(what.startswith("Scroll") for what in session)  # nothing scrolls here

    app = StretchApp(clock=VirtualClock(), routine_dirs=[short_dir])
    async with app.run_test(size=(100, 32)) as pilot:
        await on_picker(pilot)
        picker = await help_rows(pilot)
        await pilot.press("ctrl+n")
        await until(pilot, lambda: type(app.screen).__name__ == "BuilderScreen")
        await pilot.pause()
        builder = await help_rows(pilot)
    assert picker["Quit stretch-timer"] == "^q"
    assert picker["Start the highlighted routine"] == "⏎"
    assert picker["Move through the list"].split() == ["↑", "↓", "home", "end", "pgup", "pgdn"]
    assert "Scroll sideways" not in picker  # a key that would scroll what does not scroll
    assert builder["Quit stretch-timer (asks first if there are unsaved changes)"] == "^q"
    assert "Delete text" in builder and "Paste copied text" in builder
    assert "Start the highlighted routine" not in builder  # Enter in a field does nothing here
    for rows in (session, picker, builder):
        assert not set(rows) & stock, set(rows) & stock


@pytest.mark.usefixtures("acknowledged_before")
async def test_the_key_bar_keeps_quit_and_help_when_narrow_and_clicks_press_keys(
    short_dir: Path,
) -> None:
    app, _ = short_app(short_dir)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        wide = key_bar(app)
        every_key = "space Pause n Skip b Back + +10 s - -10 s m Mute q Quit ? Keys"
        assert " ".join(wide.split()) == every_key
        await pilot.resize_terminal(50, 16)
        await pilot.pause()
        narrow = key_bar(app)
        # What does not fit is left out from the end, but never the way out (a new user looks
        # for it) nor the key that lists them all.
        assert " ".join(narrow.split()) == "space Pause n Skip b Back q Quit ? Keys"
        assert len(narrow) <= 50

        await pilot.click(KeyBar, offset=(narrow.index("Skip"), 0))
        await pilot.pause()
        assert text_of(app, "#exercise-name") == "Shoulder roll"
        await pilot.click(KeyBar, offset=(narrow.index("Pause"), 0))
        await pilot.pause()
        assert screen.engine.state == "paused"
        await pilot.click(KeyBar, offset=(narrow.index("Keys"), 0))
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


@pytest.mark.usefixtures("acknowledged_before")
async def test_bad_settings_file_is_reported_and_defaults_used(tmp_path: Path) -> None:
    settings_file = tmp_path / "settings.yaml"
    settings_file.write_text("count_in: soon\ntheme: nope\nsound: lound\n", encoding="utf-8")
    settings, problems = load_settings(settings_file)
    assert settings == Settings(theme="nope")
    app = StretchApp(settings=settings, settings_problems=problems)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        notice = app.screen
        assert isinstance(notice, NoticeScreen)
        assert notice.notice_title == "Settings file problems"
        [(path, [count_in, sound]), (_, [theme])] = notice.groups
        assert path == str(settings_file)
        assert count_in.startswith("line 1, column 11: count_in")
        assert "sound: 'lound' is not one of" in sound
        assert theme == "theme: no theme called 'nope'"
        assert app.theme == "textual-dark"


@pytest.mark.usefixtures("acknowledged_before")
async def test_every_session_action_is_in_the_command_palette(short_dir: Path) -> None:
    app = StretchApp(plan=short_plan(short_dir), clock=VirtualClock())
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Pause", "Skip", "Back", "+10 s", "-10 s", "Restart", "Quit"} <= titles


def test_finished_is_what_the_summary_reads() -> None:
    # The summary's words for each outcome exist for every status the engine can report.
    from timer_app.session.events import OutcomeStatus
    from timer_app.views.tui.screens.summary import STATUS_WORDS

    assert set(STATUS_WORDS) == set(OutcomeStatus.__args__)  # type: ignore[attr-defined]
    assert Finished.__dataclass_fields__["outcomes"]


@pytest.mark.usefixtures("acknowledged_before")
async def test_with_the_bell_cues_ring_and_m_mutes_them(
    short_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = VirtualClock()
    companions = Companions(sound="bell")
    app = StretchApp(plan=short_plan(short_dir), clock=clock, companions=companions)
    rings: list[float] = []
    monkeypatch.setattr(app, "bell", lambda: rings.append(clock.now()))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await clock.advance(3)  # get ready 3 s: ring at the start and at 2 and 1 s left
        await pilot.pause()
        assert rings == [0.0, 1.0, 2.0, 3.0]  # ... and hold at 3 s
        await pilot.press("m")
        await pilot.pause()
        assert app.companions.muted
        await clock.advance(10)
        await pilot.pause()
        assert rings == [0.0, 1.0, 2.0, 3.0]
        await pilot.press("m")
        await clock.advance(2)  # the switch (at 13 s, still muted), then the right side's hold
        await pilot.pause()
        assert rings[4:] == [15.0]


@pytest.mark.usefixtures("acknowledged_before")
@pytest.mark.parametrize("opener", ["question_mark", "ctrl+p"], ids=["help", "palette"])
async def test_help_and_the_palette_pause_the_session_and_closing_counts_back_in(
    short_dir: Path, opener: str
) -> None:
    app, clock = short_app(short_dir)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        session = app.screen
        assert isinstance(session, SessionScreen)
        await clock.advance(4)
        await pilot.press(opener)
        await pilot.pause()
        assert session.engine.state == "paused"  # reading, not stretching
        left = session.engine.remaining()
        await clock.advance(30)
        assert session.engine.remaining() == left
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is session
        assert session.engine.state == "counting-in"  # as after space: a count-in, then on


@pytest.mark.usefixtures("acknowledged_before")
@pytest.mark.parametrize("key", ["q", "ctrl+q", "ctrl+c"])
async def test_every_quit_key_asks_first_and_yes_shows_the_summary(
    short_dir: Path, key: str
) -> None:
    app, _ = short_app(short_dir)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        session = app.screen
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert session.engine.state == "paused"  # type: ignore[attr-defined]
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is session
        await pilot.press(key)
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert app.is_running


@pytest.mark.usefixtures("acknowledged_before")
@pytest.mark.parametrize("paused_first", [False, True])
async def test_the_time_spent_answering_stop_is_not_a_pause_but_a_pause_of_ones_own_is(
    short_dir: Path, paused_first: bool
) -> None:
    app, clock = short_app(short_dir)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        session = app.screen
        await clock.advance(2)
        if paused_first:
            await pilot.press("space")
            await pilot.pause()
            await clock.advance(4)  # the person's own pause
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await clock.advance(3)  # reading the question
        await pilot.press("y")
        for _ in range(20):
            await pilot.pause()
            if isinstance(app.screen, SummaryScreen):
                break
        summary = app.screen
        assert isinstance(summary, SummaryScreen)
        assert session.engine.state == "finished"  # type: ignore[attr-defined]
        finished = summary.finished
        # Never a count-in between "Stop" and the end, and the question's 3 s are not counted.
        assert finished.counting_in == 0
        if paused_first:
            assert (finished.paused, finished.elapsed) == (4 + 3, 2 + 4 + 3)
            assert "paused 0:07" in text_of(app, "#summary-totals")
        else:
            assert (finished.paused, finished.elapsed) == (0, 2)
            assert "paused" not in text_of(app, "#summary-totals")


@pytest.mark.usefixtures("acknowledged_before")
async def test_a_new_phase_flashes_for_a_moment_and_shows_its_colour(short_dir: Path) -> None:
    app, clock = short_app(short_dir)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        phase = app.screen.query_one("#phase", Static)
        await clock.advance(3)  # the get-ready ends: the hold starts
        await pilot.pause()
        assert phase.has_class("-hold") and phase.has_class("-flash")
        assert not phase.has_class("-prepare")
        await pilot.pause(SessionScreen.flash_seconds + 0.3)  # the flash is on a real timer
        assert phase.has_class("-hold") and not phase.has_class("-flash")


@pytest.mark.usefixtures("acknowledged_before")
async def test_tempo_reps_flash_their_first_phase_and_then_only_change_colour(
    tmp_path: Path,
) -> None:
    plan = figures_plan(tmp_path)
    first_on = next(step for step in plan.steps if step.kind == "on")
    clock = VirtualClock()
    app = StretchApp(plan=plan, clock=clock)
    async with app.run_test(size=(100, 32)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, SessionScreen))
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        await until(pilot, lambda: screen.engine.state == "running")
        phase = screen.query_one("#phase", Static)
        await clock.advance(first_on.start)
        await pilot.pause()
        assert phase.has_class("-on") and phase.has_class("-flash")
        await pilot.pause(SessionScreen.flash_seconds + 0.3)
        assert not phase.has_class("-flash")
        # From then on pressure on and off only change colour and words, with no blink.
        for kind in ("off", "on", "off"):
            await clock.advance(3)
            await pilot.pause()
            assert phase.has_class(f"-{kind}") and not phase.has_class("-flash"), kind


@pytest.mark.usefixtures("acknowledged_before")
async def test_pause_and_resume_read_right_and_the_countdown_never_jumps_up(
    short_dir: Path,
) -> None:
    app, clock = short_app(short_dir)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        countdown = screen.query_one(Countdown)

        async def tick(seconds: float) -> None:
            # The screen repaints on a real-time timer; in virtual time, tick it by hand.
            await clock.advance(seconds)
            screen.refresh_time()
            await pilot.pause()

        await tick(3 + 4)  # 4 s into the first hold (10 s, left side)
        assert countdown.text == "0:06"
        await pilot.press("space")
        await tick(5)
        assert text_of(app, "#phase") == "PAUSED"
        assert "(0:05 paused)" in text_of(app, "#times")  # the paused time goes on counting
        assert countdown.text == "0:06"
        # The key bar says what space does now, as the button does.
        assert "space Resume" in app.screen.query_one(KeyBar).render().plain
        await pilot.press("space")
        await pilot.pause()
        assert "space Pause" in app.screen.query_one(KeyBar).render().plain
        assert text_of(app, "#phase") == "RESUMING"
        assert text_of(app, "#next") == "Resuming in 3: hold, left side"
        shown = [countdown.text]
        for _ in range(3):
            await tick(1)
            shown.append(countdown.text)
        assert text_of(app, "#phase") == "HOLD"
        assert shown == ["0:06", "0:06", "0:06", "0:06"]  # frozen through the count-in
        await tick(1)
        assert countdown.text == "0:05"  # and on down from there


@pytest.mark.usefixtures("acknowledged_before")
async def test_n_just_as_an_exercise_begins_by_itself_says_so_and_n_again_skips_it(
    short_dir: Path,
) -> None:
    app, clock = short_app(short_dir)
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        await until(pilot, lambda: isinstance(app.screen, SessionScreen))
        # The tilt ends by itself at 25 s; n a moment later was meant for the tilt.
        await clock.advance(25.3)
        await pilot.pause()
        assert text_of(app, "#exercise-name") == "Shoulder roll"
        await pilot.press("n")
        await until(pilot, lambda: bool(app.screen.query("Toast")))
        said = [str(toast.render()) for toast in app.screen.query("Toast")]
        assert said == ["Already on Shoulder roll: press n again to skip it."]
        assert text_of(app, "#exercise-name") == "Shoulder roll"
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, SummaryScreen))


@pytest.mark.parametrize("size", [(80, 24), (100, 32), (50, 16)])
@pytest.mark.usefixtures("acknowledged_before")
async def test_the_plus_10_s_notice_covers_no_button_nor_the_progress_row(
    short_dir: Path, size: tuple[int, int]
) -> None:
    app, clock = short_app(short_dir)
    async with app.run_test(size=size, notifications=True) as pilot:
        await until(pilot, lambda: isinstance(app.screen, SessionScreen))
        await clock.advance(5)  # in the hold
        await pilot.press("plus")
        await until(pilot, lambda: bool(app.screen.query("Toast")))
        await pilot.pause()
        notice = app.screen.query_one("Toast").region
        kept = [app.screen.query_one("#progress-row").region]
        kept += [button.region for button in app.screen.query(Button) if button.display]
        assert notice.area > 0
        assert all(not notice.overlaps(region) for region in kept if region.area)


@pytest.mark.parametrize(
    ("routine_id", "name"),
    # Four how-to lines; three, beside the figure, with a caution that becomes its marker.
    [("doctor-jo-5-minute", "Seated QL stretch"), ("neck-stretches", "Chin to chest")],
)
@pytest.mark.usefixtures("acknowledged_before")
async def test_next_stays_on_screen_at_80x24_under_a_sound_notice_and_the_how_to(
    routine_id: str, name: str
) -> None:
    plan = compile_plan(load_library([], user=False).routines[routine_id])
    ql = next(step for step in plan.steps if step.exercise.name == name)
    assert ql.move is not None
    clock = VirtualClock()
    app = StretchApp(plan=plan, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, SessionScreen))
        # As a machine with no sound card says it: one more line at the top.
        app.companions.sound_notify(
            Notice("Sound", ("no audio device",), "using the terminal bell instead")
        )
        await clock.advance(ql.start + 1)
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert text_of(app, "#exercise-name") == ql.exercise.name
        following = screen.query_one("#next", Static)
        progress = screen.query_one("#progress-row").region
        assert str(following.render()).startswith("Next:")
        assert following.region.height == 1 and following.region.bottom <= progress.y


@pytest.mark.usefixtures("acknowledged_before")
async def test_a_sound_fallback_is_said_once_in_the_header_not_over_the_countdown(
    short_dir: Path,
) -> None:
    app, _ = short_app(short_dir)
    said = Notice("Sound", ("miniaudio found no audio device",), "using the terminal bell instead")
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        await pilot.pause()
        notice = app.screen.query_one("#sound-notice", Static)
        assert not notice.display  # nothing to say: no line taken
        # As the audio thread reports it (Companions.sound_notify is the app's _sound_notice).
        app.companions.sound_notify(said)
        app.companions.sound_notify(said)
        await pilot.pause()
        # Once, and in one line: what happens now, not every reason on the way.
        assert notice.display
        assert str(notice.render()) == "Sound: using the terminal bell instead."
        assert not app.screen.query("Toast")  # no toast over the countdown and the buttons
        assert notice.region.y < app.screen.query_one(Countdown).region.y


@pytest.mark.usefixtures("acknowledged_before")
async def test_picker_rounds_field_repeats_the_routine_within_its_limit() -> None:
    app = StretchApp()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await on_picker(pilot)
        await pilot.press(*"seated back")
        assert "19:13" in text_of(app, "#detail")
        rounds = screen.query_one("#rounds", Input)
        rounds.value = "11"
        await pilot.pause()
        assert text_of(app, "#option-error") == "rounds: must be from 1 to 10"
        assert screen.query_one("#start").disabled
        rounds.value = "2"
        await pilot.pause()
        detail = text_of(app, "#detail")
        # Twice 19:13 and 30 s of rest, less 5 s: round 2 starts seated, with no move to make.
        assert "38:51" in detail
        assert "Exercises \u00d7 2 rounds" in detail
        overrides = screen.overrides()
        assert overrides is not None and overrides.rounds == 2


@pytest.mark.usefixtures("acknowledged_before")
async def test_the_go_on_key_ends_a_get_ready_but_not_a_hold_and_rounds_show(
    short_dir: Path,
) -> None:
    clock = VirtualClock()
    library = load_library([short_dir], user=False)
    plan = compile_plan(library.routines["short"], Overrides(rounds=2))
    app = StretchApp(plan=plan, clock=clock)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        assert text_of(app, "#exercise-count") == "round 1 of 2 \u00b7 exercise 1 of 2"
        assert text_of(app, "#phase") == "GET READY"
        await pilot.press("full_stop")
        await pilot.pause()
        assert text_of(app, "#phase") == "HOLD"
        assert screen.query_one(Countdown).text == "0:10"
        await pilot.press("greater_than_sign")  # a hold is never cut short
        await pilot.pause()
        assert text_of(app, "#phase") == "HOLD"
        assert screen.engine.remaining() == pytest.approx(10)
        await pilot.press("n", "n")  # skip both exercises of round 1: the rest between rounds
        await pilot.pause()
        assert text_of(app, "#phase") == "REST"
        assert text_of(app, "#exercise-count") == "round 2 of 2 \u00b7 exercise 1 of 2"
        await pilot.press("full_stop")
        await pilot.pause()
        assert text_of(app, "#phase") == "GET READY"

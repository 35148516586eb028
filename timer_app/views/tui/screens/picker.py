"""Provides the routine picker: filter, choose, adjust and start a routine; see the streak."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Header, Input, Label, OptionList, Static

from timer_app.core.durations import format_clock
from timer_app.core.model import Routine
from timer_app.core.paths import user_routines_dir
from timer_app.core.plan import (
    HOLD_LIMIT,
    PAUSE_LIMIT,
    REPS_LIMIT,
    ROUNDS_LIMIT,
    Limit,
    Overrides,
    Plan,
    compile_plan,
)
from timer_app.history.report import streak_text
from timer_app.history.stats import ago
from timer_app.routines.catalog import Library
from timer_app.views.tui.screens.detail import DetailScreen
from timer_app.views.tui.screens.traits import Traits
from timer_app.views.tui.widgets.check import Check
from timer_app.views.tui.widgets.figure import FigureView
from timer_app.views.tui.widgets.keybar import KeyBar
from timer_app.views.tui.widgets.marked_list import FILTER_KEYS, MarkedList
from timer_app.views.tui.widgets.routine_detail import RoutineDetail, positions_text

if TYPE_CHECKING:
    from timer_app.history.report import Overview
    from timer_app.views.tui.app import HistoryRead, LibrarySaved

FILTER_PLACEHOLDER = "Type anywhere to filter"
"""What the empty filter says: typing anywhere on the picker goes to it."""

OPTIONS_IN_ONE_ROW = 130
"""The least width at which the options (two checkboxes, four fields, Sound, Start) fit in a row."""
ROOMY_HEIGHT = 30
"""The least height at which the filter and the options keep their boxes: below it (80x24,
the common terminal) they take a line each, so the list shows eight routines, not three."""

STATS = Binding(
    "ctrl+s", "app.stats", "Stats", id="stats", tooltip="Your stats: streak, weeks and sessions"
)
"""Shown only when this run keeps history (see StretchApp.check_action); the streak line
above the list names its key too."""


class PickerScreen(Traits, Screen[None]):
    """Every routine with its time, positions and equipment; details and options beside.

    Typing filters the list from anywhere on the screen (the option fields take their own
    typing), so the shortcuts are keys that type nothing: ctrl+ combinations, and F1 for help.
    """

    TYPING_FILTERS: ClassVar[bool] = True
    """Keys that type a character go to the filter here: none of them is a shortcut."""

    AUTO_FOCUS: ClassVar[str | None] = "#routines"
    """The list has the focus when the picker first shows, where the arrows choose. (Textual's
    default, the first focusable widget, is the filter; on a busy machine that could win over
    the focus `on_mount` gives the list.)"""

    ENTER_WORDS: ClassVar[str | None] = "Start the highlighted routine"
    """What Enter in the list or a field does here, for help."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "start", "Start", id="start", priority=False),
        Binding(
            "ctrl+f",
            "toggle_floor",
            "No floor",
            id="no-floor",
            tooltip="Only routines with no floor work (seated or standing)",
        ),
        Binding(
            "ctrl+o",
            "details",
            "Details",
            id="details",
            tooltip="The highlighted routine's details",
        ),
        STATS,
        Binding(
            "ctrl+r",
            "reminders",
            "Reminders",
            id="reminders",
            tooltip="Reminders to stretch: see, add, remove, turn off, send a test one",
        ),
        Binding("ctrl+n", "new_routine", "New", id="new-routine", tooltip="Build a new routine"),
        Binding(
            "ctrl+l",
            "app.sound_options",
            "Sound",
            id="sound",
            tooltip="The cue set (heard as you choose), counting the last seconds, the halfway"
            " time",
            show=False,
        ),
        # A priority binding: in the filter, ctrl+e would otherwise go to the end of the line.
        Binding(
            "ctrl+e",
            "edit_routine",
            "Edit",
            id="edit-routine",
            tooltip="Edit this routine of yours",
            priority=True,
        ),
        Binding(
            "ctrl+t",
            "edit_copy",
            "Copy",
            id="edit-copy",
            tooltip="Edit a copy of this routine, saved as a new routine of yours",
        ),
        # Shown only when there is a filter to clear (see check_action).
        Binding("escape", "clear_filter", "Clear", id="clear-filter", tooltip="Clear the filter"),
        # A priority binding, like Textual's own ctrl+q, which it would otherwise hide.
        Binding("ctrl+q", "app.quit", "Quit", id="quit", priority=True),
    ]

    @dataclass
    class StartRequested(Message):
        """The user asked to start this plan."""

        plan: Plan

    @dataclass
    class BuildRequested(Message):
        """The user asked for the routine builder: a new routine (`routine` None), one of
        their own to edit, or with `copy`, a copy of any routine."""

        routine: Routine | None
        copy: bool = False

    class RemindersRequested(Message):
        """The user asked for the Reminders screen."""

    def __init__(self, library: Library, defaults: Overrides, missed: str = "") -> None:
        """`missed`: a reminder missed for want of a desktop, said above the list."""
        super().__init__()
        self.library = library
        self.missed = missed
        self.defaults = defaults
        self.shown: list[Routine] = []
        self.totals = {rid: compile_plan(r).total for rid, r in library.routines.items()}
        """Each routine's planned time as written (the list shows these; they never change)."""
        self.last_done: dict[str, datetime] = {}
        """When each routine was last completed, once the history has been read."""
        self.overview: Overview | None = None
        self._back_to_list = False
        """Set when a session starts: the list takes the focus when the picker shows again."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="picker-filters"):
            # Typing anywhere goes here; it keeps what is typed (nothing selected) on focus.
            yield Input(placeholder=FILTER_PLACEHOLDER, id="filter", select_on_focus=False)
            yield Check("No floor work", id="no-floor")
        yield Static("", id="history-line", markup=False)
        yield Static("", id="next-reminder", markup=False)
        with Horizontal(id="picker-main"):
            yield MarkedList(id="routines")
            with VerticalScroll(id="detail-scroll"):
                # The first exercise's stretch, above the details, on a tall enough screen.
                yield FigureView(id="detail-figure")
                yield RoutineDetail(id="detail")
        with Grid(id="picker-options"):
            yield Check("Quick", id="quick", tooltip="In a hurry: one hold of each stretch")
            yield Check(
                "Skip optional",
                id="skip-optional",
                tooltip="Leave out the exercises the routine marks optional",
            )
            with Horizontal(classes="option"):
                yield Label("Reps")
                yield Input(placeholder="-", id="reps", restrict=r"[0-9]*", max_length=3)
            with Horizontal(classes="option"):
                yield Label("Hold")
                yield Input(placeholder="-", id="hold", max_length=8)
            with Horizontal(classes="option"):
                yield Label("Get ready")
                yield Input(
                    "" if self.defaults.prepare is None else f"{self.defaults.prepare:g}s",
                    placeholder="-",
                    id="prepare",
                    max_length=8,
                )
            with Horizontal(classes="option"):
                yield Label("Rounds")
                yield Input(placeholder="1", id="rounds", restrict=r"[0-9]*", max_length=2)
            yield Button("Sound", id="sound", tooltip="Cues, the last seconds counted (ctrl+l)")
            yield Button("Start", variant="success", id="start")
        yield Static(id="option-error", markup=False)
        yield KeyBar()

    def on_resize(self) -> None:
        width, height = self.size
        self.set_class(width < 70, "-narrow")
        # Below 100 columns the options take two rows, so Start never falls off the edge.
        self.set_class(width < OPTIONS_IN_ONE_ROW, "-cramped")
        self.set_class(height < ROOMY_HEIGHT, "-short")

    def on_mount(self) -> None:
        self.title = "stretch-timer"
        self.sub_title = "choose a routine"
        self.show_next_reminder()
        self.refresh_list()
        self.query_one("#routines", OptionList).focus()
        self.watch(self.app, "library_saved", self._library_saved, init=False)
        self.watch(self.app, "history_read", self._history_read)

    def _library_saved(self, saved: LibrarySaved | None) -> None:
        if saved is not None:
            self.use_library(saved.library, highlight=saved.routine_id)

    def _history_read(self, read: HistoryRead | None) -> None:
        if read is not None:
            self.show_history(read.overview, read.off_reason)

    def on_screen_resume(self) -> None:
        # After a session the picker comes back to the list, where arrows choose the next
        # routine, rather than to the field Enter was pressed in (Get ready, say), where the
        # next key would be typed. After a dialog, the focus stays where it was.
        routines = self.query_one("#routines", OptionList)
        if self._back_to_list:
            self._back_to_list = False
            routines.focus()
        # The reminders may have been changed meanwhile (the Reminders screen): the next one.
        self.show_next_reminder()
        # A routine highlighted while another screen covered the list (the builder's new one)
        # was scrolled to with the list's size unknown: bring it, all of it, into view now.
        self.call_after_refresh(routines.scroll_to_highlight)

    # -- the list -------------------------------------------------------------------------------

    def matching(self) -> list[Routine]:
        """Routines matching every word of the filter; those matching in the title first."""
        words = self.query_one("#filter", Input).value.lower().split()
        floor_free = self.query_one("#no-floor", Checkbox).value
        in_title: list[Routine] = []
        elsewhere: list[Routine] = []
        for routine in sorted(self.library.routines.values(), key=lambda r: r.title.lower()):
            if floor_free and not routine.floor_free:
                continue
            source = routine.source.site if routine.source else ""
            haystack = " ".join(
                (
                    routine.id,
                    routine.title,
                    routine.summary,
                    source,
                    *routine.positions,
                    positions_text(routine.positions),
                    *routine.equipment,
                    *routine.suits,
                )
            ).lower()
            if not all(word in haystack for word in words):
                continue
            title = routine.title.lower()
            (in_title if all(word in title for word in words) else elsewhere).append(routine)
        return in_title + elsewhere

    def refresh_list(self, *, to_top: bool = False) -> None:
        """List the matching routines, keeping the highlighted one, or with `to_top` the
        best match highlighted (as a new filter wants: Enter then starts what fits best)."""
        options = self.query_one("#routines", MarkedList)
        highlighted = None if to_top else self.current()
        self.shown = self.matching()
        prompts: list[tuple[Content, str | None]] = []
        for routine in self.shown:
            details = [format_clock(self.totals[routine.id]), positions_text(routine.positions)]
            if routine.equipment:
                details.append(", ".join(routine.equipment))
            if self.overview is not None and routine.id in self.last_done:
                when = ago(self.last_done[routine.id], today=self.overview.today, tz=None)
                details.append(f"last done {when}")
            prompt = Content.assemble(
                Content.styled(routine.title, "bold"),
                Content("\n"),
                Content.styled(" \u00b7 ".join(details), "dim"),
            )
            prompts.append((prompt, routine.id))
        ids = [r.id for r in self.shown]
        options.show_options(prompts, ids.index(highlighted.id) if highlighted in self.shown else 0)
        self.show_detail()

    def current(self) -> Routine | None:
        options = self.query_one("#routines", OptionList)
        index = options.highlighted
        if index is None or not 0 <= index < len(self.shown):
            return None
        return self.shown[index]

    def show_detail(self) -> None:
        detail = self.query_one("#detail", RoutineDetail)
        routine = self.current()
        start = self.query_one("#start", Button)
        figure = self.query_one("#detail-figure", FigureView)
        first = routine.entries[0].exercise if routine is not None and routine.entries else None
        figure.show(first, "stretch", "left" if first is not None and first.per_side else None)
        if routine is None:
            detail.update("No routine matches the filter.")
            start.disabled = True
            return
        overrides = self.overrides()
        start.disabled = overrides is None
        detail.show_plan(compile_plan(routine, overrides or Overrides()))

    def use_library(self, library: Library, highlight: str | None = None) -> None:
        """Show the routines as they are now (after the builder saved one), with
        `highlight` the highlighted one when it is listed."""
        self.library = library
        self.totals = {rid: compile_plan(r).total for rid, r in library.routines.items()}
        self.refresh_list()
        ids = [routine.id for routine in self.shown]
        if highlight in ids:
            self.query_one("#routines", OptionList).highlighted = ids.index(highlight)
        self.refresh_bindings()

    def show_next_reminder(self) -> None:
        """`Next: 15:30, Basic neck stretches` above the list, when reminders are set.

        A missed reminder is said on this line, not in a toast: it is told once only (it is
        forgotten as it is read), and a toast goes after a few seconds, often before a person
        who started `stretch` and went to the floor has looked; it would also cover the
        routine's cautions. The line stays while the picker does, beside the next reminder."""
        from timer_app.remind.words import next_reminder_line

        line = "  ".join(part for part in (self.missed, next_reminder_line(self.library)) if part)
        self.query_one("#next-reminder", Static).update(line)
        self.set_class(bool(line), "-reminders")

    # -- history --------------------------------------------------------------------------------

    def show_history(self, overview: Overview | None, off_reason: str | None = None) -> None:
        """Show the streak above the list and when each routine was last done."""
        self.overview = overview
        self.last_done = dict(overview.last_done) if overview is not None else {}
        line = self.query_one("#history-line", Static)
        if overview is None:
            line.update("History is off for this run." if off_reason else "")
        elif overview.recorded == 0:
            line.update("No sessions yet: your streak starts with the first completed routine.")
        else:
            stats_key = self.app.get_key_display(STATS)
            line.update(f"{streak_text(overview.streak)} · {stats_key}: stats")
        self.set_class(overview is not None or off_reason is not None, "-history")
        self.refresh_list()

    # -- options --------------------------------------------------------------------------------

    def overrides(self) -> Overrides | None:
        """The options as entered, or None (with the reason shown) when one is not valid."""
        error = self.query_one("#option-error", Static)
        reps_text = self.query_one("#reps", Input).value.strip()
        hold_text = self.query_one("#hold", Input).value.strip()
        prepare_text = self.query_one("#prepare", Input).value.strip()
        rounds_text = self.query_one("#rounds", Input).value.strip()
        try:
            reps = _value(reps_text, "reps", REPS_LIMIT)
            hold = _value(hold_text, "hold", HOLD_LIMIT)
            prepare = _value(prepare_text, "get ready", PAUSE_LIMIT)
            rounds = _value(rounds_text, "rounds", ROUNDS_LIMIT)
        except ValueError as problem:
            error.update(str(problem))
            error.display = True
            return None
        error.update("")
        error.display = False
        return Overrides(
            quick=self.query_one("#quick", Checkbox).value,
            reps=None if reps is None else int(reps),
            hold=hold,
            prepare=prepare,
            skip_optional=self.query_one("#skip-optional", Checkbox).value,
            rounds=1 if rounds is None else int(rounds),
        )

    # -- events and actions ---------------------------------------------------------------------

    @on(Input.Changed, "#filter")
    def filter_changed(self) -> None:
        self.refresh_list(to_top=True)
        # "esc Clear" shows while there is a filter to clear.
        self.refresh_bindings()

    @on(Checkbox.Changed, "#no-floor")
    def floor_changed(self) -> None:
        self.refresh_list()

    async def on_key(self, event: events.Key) -> None:
        filter_input = self.query_one("#filter", Input)
        if filter_input.has_focus and event.key in FILTER_KEYS:
            # Arrows choose a routine while typing, as in any fuzzy picker.
            event.stop()
            await self.query_one("#routines", OptionList).run_action(FILTER_KEYS[event.key])
            return
        if not event.is_printable or event.character is None:
            return
        # Reached here, a typed character was not taken by the focused widget (a text field
        # takes its own): it goes to the filter, unless that widget binds the key itself
        # (space on a checkbox or a button).
        active = self.active_bindings.get(event.key)
        if active is not None and active.node is self.focused:
            return
        event.stop()
        filter_input.action_end()
        filter_input.insert_text_at_cursor(event.character)
        filter_input.focus()

    def on_paste(self, event: events.Paste) -> None:
        # Pasted text goes where typed text goes (a text field with focus takes its own).
        event.stop()
        filter_input = self.query_one("#filter", Input)
        filter_input.action_end()
        filter_input.insert_text_at_cursor(" ".join(event.text.split()))
        filter_input.focus()

    @on(Input.Changed, "#reps, #hold, #prepare, #rounds")
    @on(Checkbox.Changed, "#quick, #skip-optional")
    def options_changed(self) -> None:
        self.show_detail()

    @on(OptionList.OptionHighlighted)
    def highlighted(self) -> None:
        self.show_detail()
        # Edit is offered for the person's own routines only.
        self.refresh_bindings()

    @on(OptionList.OptionSelected)
    @on(Button.Pressed, "#start")
    @on(Input.Submitted, "#reps, #hold, #prepare, #rounds")
    def start_pressed(self) -> None:
        self.action_start()

    @on(Button.Pressed, "#sound")
    async def sound_pressed(self) -> None:
        await self.run_action("app.sound_options")

    @on(Input.Submitted, "#filter")
    def filter_submitted(self) -> None:
        # Enter starts the highlighted routine, from the filter as from the list.
        self.action_start()

    def action_start(self) -> None:
        routine = self.current()
        overrides = self.overrides()
        if routine is None or overrides is None:
            self.app.bell()
            return
        self._back_to_list = True
        self.post_message(self.StartRequested(compile_plan(routine, overrides)))

    def action_details(self) -> None:
        routine = self.current()
        overrides = self.overrides()
        if routine is not None:
            self.app.push_screen(DetailScreen(compile_plan(routine, overrides or Overrides())))

    def action_reminders(self) -> None:
        self.post_message(self.RemindersRequested())

    def action_new_routine(self) -> None:
        self.post_message(self.BuildRequested(None))

    def action_edit_routine(self) -> None:
        routine = self.current()
        if routine is not None and is_own(routine):
            self.post_message(self.BuildRequested(routine))

    def action_edit_copy(self) -> None:
        routine = self.current()
        if routine is not None:
            self.post_message(self.BuildRequested(routine, copy=True))

    def action_toggle_floor(self) -> None:
        self.query_one("#no-floor", Checkbox).toggle()

    def action_clear_filter(self) -> None:
        """Empty the filter and go back to the list."""
        self.query_one("#filter", Input).value = ""
        self.query_one("#routines", OptionList).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filter":
            filter_input = self.query_one("#filter", Input)
            return bool(filter_input.value) or filter_input.has_focus
        if action in ("edit_routine", "edit_copy"):
            routine = self.current()
            # Edit is for the person's own files; a preset is only ever copied.
            return routine is not None and (action == "edit_copy" or is_own(routine))
        return True


def is_own(routine: Routine) -> bool:
    """A routine of the person's own: a file in their routines folder, which the builder may
    change in place (presets, and files from `--routines` folders, are copied instead)."""
    return (
        not routine.preset
        and routine.path is not None
        and routine.path.parent == user_routines_dir()
    )


def _value(text: str, name: str, limit: Limit) -> float | None:
    """What one option field holds: None when empty; ValueError naming the field when wrong."""
    if not text:
        return None
    try:
        return limit.parse(text)
    except ValueError as problem:
        raise ValueError(f"{name}: {problem}") from None

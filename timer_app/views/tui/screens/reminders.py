"""Provides the Reminders screen: the reminders set, the next one and where they are
scheduled; a new one added from its fields, one removed, all turned off, a test reminder sent.

Everything it decides is `stretch remind`'s own (`timer_app.remind.manage`): the screen asks,
shows the problems by field, and says what was done. The scheduler's tools (systemctl,
crontab) and the files are used in a thread, so the screen never stops answering keys.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Header, Input, Label, OptionList, Select, Static

from timer_app.remind.entries import SchedulerError
from timer_app.remind.file import load_reminders
from timer_app.remind.manage import (
    FIELDS,
    NO_DESKTOP,
    FileHasProblems,
    Typed,
    describe,
    for_change,
    from_typed,
    next_line,
    schedule,
    turn_off,
    where_line,
)
from timer_app.remind.rules import CHOOSE, Reminder
from timer_app.routines.catalog import Library
from timer_app.views.tui.screens.confirm import ConfirmScreen
from timer_app.views.tui.screens.traits import Traits
from timer_app.views.tui.widgets.field_row import PROBLEM_MARK, FieldLine, FieldRow, ProblemField
from timer_app.views.tui.widgets.keybar import KeyBar
from timer_app.views.tui.widgets.marked_list import MarkedList

TYPED_FIELDS = (
    ("times", "Times", "10:00 15:30", "Times of day, local time, separated by spaces"),
    ("days", "Days", "daily", "mon-fri, sat,sun, weekdays, weekends or daily (when empty)"),
    ("every", "Every", "90m", "With Between: one reminder every so often, e.g. 90m or 1h"),
    ("between", "Between", "09:00-17:00", "With Every: from the first time to the second"),
)
"""The fields typed in: (part of a reminder, label, placeholder, tooltip)."""

CHOOSE_PROMPT = "Choose one then (opens the picker)"


def sentence(text: str) -> str:
    """A message from the shared module, which starts lower-case, as a sentence."""
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


class _Told:
    """Where a test reminder's lines go (`Wake.out`): each line to `hear`."""

    def __init__(self, hear: Callable[[str], None]) -> None:
        self.hear = hear

    def write(self, text: str) -> int:
        for line in text.splitlines():
            if line.strip():
                self.hear(line)
        return len(text)

    def flush(self) -> None:
        """Nothing is kept back: each line was passed on as written."""


class RemindersScreen(Traits, Screen[None]):
    """The reminders and a form for a new one; changes go through `stretch remind`'s own
    functions, and the scheduler is updated at once."""

    TYPING_FILTERS: ClassVar[bool] = True
    """Keys that type a character go to the fields here: none of them is a shortcut."""

    ENTER_WORDS: ClassVar[str | None] = "Add the reminder set out in the fields"
    """What Enter in a field does here, for help."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+n", "add", "Add", id="reminder-add", tooltip="Add the reminder set out below"
        ),
        # Only while the list has the focus: in a field, Delete deletes a character.
        Binding(
            "delete",
            "remove",
            "Remove",
            id="reminder-remove",
            tooltip="Remove the highlighted reminder",
        ),
        Binding(
            "ctrl+t",
            "test",
            "Test",
            id="reminder-test",
            tooltip="Send a test reminder now, with its Start and Snooze buttons",
        ),
        Binding(
            "ctrl+o",
            "off",
            "All off",
            id="reminders-off",
            tooltip="Turn every reminder off and clear the scheduler (asks first)",
        ),
        Binding(
            "escape",
            "close",
            "Close",
            id="reminders-close",
            tooltip="Close the reminders, back to the routines",
        ),
        # A priority binding, like Textual's own ctrl+q, which it would otherwise hide.
        Binding("ctrl+q", "app.quit", "Quit", id="quit", priority=True),
    ]

    def __init__(
        self,
        library: Library,
        *,
        terminal: str | None = None,
        now: Callable[[], datetime] | None = None,
        zone: tzinfo | None = None,
    ) -> None:
        """`library`: the routines a reminder may name. `terminal`: the `terminal:` setting,
        where a test reminder's Start opens the routine. `now` and `zone` say when and where
        the person is, for the next reminder (tests fix them; None: now, here)."""
        super().__init__()
        self.library = library
        self.terminal = terminal
        self._now = now
        self._zone = zone
        self.reminders: list[Reminder] = []
        self.held: list[str] | None = None
        """Where the reminders are scheduled, once looked up."""
        self.busy = False
        """A change is being saved and scheduled: another waits until it is done."""

    def compose(self) -> ComposeResult:
        yield Header()
        body = VerticalScroll(id="reminders-body")
        # Its fields take the focus, and scroll it into view: the box itself need not.
        body.can_focus = False
        with body:
            yield Static("", id="reminders-file-problems", markup=False)
            yield MarkedList(id="reminder-list")
            yield Static("", id="reminders-empty", markup=False)
            yield Static("", id="reminders-next", markup=False)
            yield Static("", id="reminders-where", markup=False)
            yield Static("Add a reminder", classes="reminders-heading")
            for name, label, placeholder, tooltip in TYPED_FIELDS:
                yield FieldRow(
                    label,
                    f"reminder-{name}",
                    placeholder=placeholder,
                    tooltip=tooltip,
                    max_length=200 if name == "times" else 40,
                )
            with ProblemField("reminder-routine", "field-row"):
                with FieldLine(classes="field-line"):
                    yield Label("Routine", classes="field-label")
                    yield Select(
                        self._routine_options(),
                        value=CHOOSE,
                        allow_blank=False,
                        compact=True,
                        id="reminder-routine",
                        tooltip="The routine the reminder's Start opens",
                    )
                yield Static("", classes="field-problem", markup=False)
            yield Button("Add", id="reminder-add-button", variant="primary", compact=True)
        yield Static("", id="reminders-status", markup=False)
        yield KeyBar()

    def _routine_options(self) -> list[tuple[Content, str]]:
        routines = sorted(self.library.routines.values(), key=lambda r: r.title.lower())
        # Titles come from files: Content, never markup.
        return [(Content(CHOOSE_PROMPT), CHOOSE)] + [
            (Content(routine.title), routine.id) for routine in routines
        ]

    def on_resize(self) -> None:
        width, height = self.size
        self.set_class(width < 70, "-narrow")
        self.set_class(height < 20, "-short")

    def on_mount(self) -> None:
        self.title = "stretch-timer"
        self.sub_title = "reminders"
        self.read_file()
        self.look_up_where()
        if self.reminders:
            self.query_one("#reminder-list", OptionList).focus()
        else:
            self.query_one("#reminder-times", Input).focus()

    # -- what is shown --------------------------------------------------------------------

    def read_file(self) -> None:
        """The reminders as the file has them; its problems said above the list."""
        reminders, problems = load_reminders()
        lines = [f"{PROBLEM_MARK} {problem}" for problem in problems]
        if any(not problem.warning for problem in problems):
            lines.append(
                "Nothing can be changed here until the file is corrected (or all turned off)."
            )
        shown = self.query_one("#reminders-file-problems", Static)
        shown.update("\n".join(lines))
        shown.display = bool(lines)
        self.show_reminders(reminders)

    def show_reminders(self, reminders: list[Reminder], highlight: int | None = None) -> None:
        self.reminders = reminders
        listed = self.query_one("#reminder-list", MarkedList)
        current = listed.highlighted if highlight is None else highlight
        listed.show_options(
            (
                (Content(describe(number, reminder, self.library)), None)
                for number, reminder in enumerate(reminders, start=1)
            ),
            current or 0,
        )
        listed.display = bool(reminders)
        empty = self.query_one("#reminders-empty", Static)
        empty.display = not reminders
        empty.update("No reminders yet: set one out below, then Add.")
        upcoming = self.query_one("#reminders-next", Static)
        now = self._now() if self._now is not None else None
        upcoming.update(next_line(reminders, self.library, now, self._zone))
        upcoming.display = bool(reminders)
        self._show_where()
        self.refresh_bindings()

    def _show_where(self) -> None:
        where = self.query_one("#reminders-where", Static)
        if not self.reminders:
            where.update("")
        elif self.held is None:
            where.update("Looking up where they are scheduled\u2026")
        else:
            where.update(where_line(self.held))
        where.display = bool(self.reminders)

    @work(exclusive=True, group="reminders-where", exit_on_error=False)
    async def look_up_where(self) -> None:
        from timer_app.remind.schedulers import holders

        try:
            self.held = await asyncio.to_thread(holders)
        except SchedulerError as error:
            self.held = [f"(could not tell: {error})"]
        self._show_where()

    def say(self, text: str, *, problem: bool = False) -> None:
        """The line above the keys: what was done, or why not."""
        status = self.query_one("#reminders-status", Static)
        status.update(f"{PROBLEM_MARK} {text}" if problem else text)
        status.set_class(problem, "-problem")

    # -- adding ---------------------------------------------------------------------------

    def typed(self) -> Typed:
        values = {
            name: self.query_one(f"#reminder-{name}", Input).value for name, *_ in TYPED_FIELDS
        }
        routine = self.query_one("#reminder-routine", Select).value
        return Typed(**values, routine=str(routine) if isinstance(routine, str) else CHOOSE)

    @on(Input.Submitted)
    @on(Button.Pressed, "#reminder-add-button")
    def add_asked(self) -> None:
        self.action_add()

    def action_add(self) -> None:
        if self.busy:
            self.app.bell()
            return
        found = from_typed(self.typed(), len(self.reminders), self.library)
        problems = found if isinstance(found, dict) else {}
        for name in FIELDS:
            self.query_one(f"#reminder-{name}-row", ProblemField).show_problem(problems.get(name))
        if isinstance(found, dict):
            self.app.bell()
            whole = found.get("")
            self.say(
                sentence(whole) if whole else "Not added: put right what is marked.", problem=True
            )
            return
        reminder = found
        self.change(
            lambda reminders: [*reminders, reminder],
            lambda reminders: f"Added {describe(len(reminders), reminder, self.library)}",
            cleared=True,
        )

    # -- removing and turning off ---------------------------------------------------------

    def action_remove(self) -> None:
        index = self.query_one("#reminder-list", OptionList).highlighted
        if self.busy or index is None or not 0 <= index < len(self.reminders):
            self.app.bell()
            return
        removed = self.reminders[index]
        words = describe(index + 1, removed, self.library)

        def without(reminders: list[Reminder]) -> list[Reminder]:
            if index >= len(reminders) or reminders[index] != removed:
                raise ValueError("the reminders file was changed meanwhile: look again")
            return reminders[:index] + reminders[index + 1 :]

        self.change(without, lambda _: f"Removed {words}", highlight=max(0, index - 1))

    def action_off(self) -> None:
        if self.busy:
            self.app.bell()
            return
        count = len(self.reminders)
        which = "the reminder" if count == 1 else f"all {count} reminders" if count else "reminders"
        question = (
            f"Turn off {which}? The reminders file and everything of ours in the system's"
            " scheduler are removed."
        )
        self.app.push_screen(
            ConfirmScreen(question, yes="Turn off", no="Keep them"), self._off_answered
        )

    def _off_answered(self, yes: bool | None) -> None:
        if yes:
            self.switch_off()

    @work(exclusive=True, group="reminders-change", exit_on_error=False)
    async def switch_off(self) -> None:
        self.busy = True
        self.say("Turning reminders off\u2026")
        try:
            removed = await asyncio.to_thread(turn_off)
        except (SchedulerError, OSError) as error:
            self.say(f"Not turned off: {error}", problem=True)
            return
        finally:
            self.busy = False
        self.held = []
        self.read_file()
        if removed:
            self.say(f"Reminders are off. Removed {'; '.join(removed)}.")
        else:
            self.say("There were no reminders.")

    # -- saving and scheduling ------------------------------------------------------------

    def change(
        self,
        make: Callable[[list[Reminder]], list[Reminder]],
        done: Callable[[list[Reminder]], str],
        *,
        cleared: bool = False,
        highlight: int | None = None,
    ) -> None:
        """Apply `make` to the reminders as the file has them now, save and schedule them;
        then say `done(reminders)` and where they are held (with `cleared`, empty the form)."""
        self.busy = True
        self.say("Saving and scheduling\u2026")
        self._change(make, done, cleared, highlight)

    @work(exclusive=True, group="reminders-change", exit_on_error=False)
    async def _change(
        self,
        make: Callable[[list[Reminder]], list[Reminder]],
        done: Callable[[list[Reminder]], str],
        cleared: bool,
        highlight: int | None,
    ) -> None:
        try:
            reminders = make(await asyncio.to_thread(for_change))
            held = await asyncio.to_thread(schedule, reminders)
        except (FileHasProblems, ValueError) as error:
            self.read_file()
            self.say(f"Not changed: {error}", problem=True)
            return
        except SchedulerError as error:
            self.held = None
            self.show_reminders(reminders, highlight)
            self.look_up_where()
            self.say(f"Saved, but not scheduled: {error}", problem=True)
            return
        except OSError as error:
            self.say(f"Not saved: {error.strerror or error}", problem=True)
            return
        finally:
            self.busy = False
        self.held = None
        self.show_reminders(reminders, highlight if highlight is not None else len(reminders) - 1)
        self.look_up_where()
        where = f" Scheduled with {'; '.join(held)}." if held else ""
        self.say(f"{done(reminders)}.{where}")
        if cleared:
            for name, *_ in TYPED_FIELDS:
                self.query_one(f"#reminder-{name}-row", FieldRow).set_value("")
            self.query_one("#reminder-routine", Select).value = CHOOSE
            self.query_one("#reminder-times", Input).focus()

    # -- the test reminder ----------------------------------------------------------------

    def action_test(self) -> None:
        # The app's worker, not the screen's: Start or Snooze may come after it is closed.
        self.app.run_worker(
            self._send_test(), group="reminder-test", exclusive=True, exit_on_error=False
        )

    async def _send_test(self) -> None:
        from timer_app.remind.due import Wake, remind, test_target
        from timer_app.remind.schedule import local_zone

        target = await asyncio.to_thread(test_target, self.reminders)
        self._told(f"Sent a test reminder: {target.heading}. Start opens it in a terminal.")
        wake = Wake(out=_Told(self._told), zone=local_zone(), terminal=self.terminal)
        answer = await remind(target, wake.now(), wake)
        if answer == "no desktop":
            self._told(sentence(NO_DESKTOP), problem=True)
            self.app.notify(
                sentence(NO_DESKTOP), title="Test reminder", severity="error", markup=False
            )

    def _told(self, line: str, *, problem: bool = False) -> None:
        if self.is_attached:
            self.say(line, problem=problem)

    # -- leaving --------------------------------------------------------------------------

    def action_close(self) -> None:
        self.dismiss(None)

    @on(OptionList.OptionHighlighted)
    def list_moved(self) -> None:
        self.refresh_bindings()

    def on_descendant_focus(self) -> None:
        # Remove shows (and works) only while the list has the focus.
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "remove":
            listed = self.query_one("#reminder-list", OptionList)
            return bool(self.reminders) and listed.has_focus
        return True

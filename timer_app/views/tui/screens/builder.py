"""Provides the routine builder: pick exercises, set their doses, see the plan, save the file.

The screen edits a `Draft` (held as typed, checked by the file format's own fields); the step
plan and its total come from the same compiler and the same table as `stretch show`, and are
redrawn on every change. Saving writes the user's routines folder through the routine writer,
after reading the text back as the picker will.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, ScrollableContainer, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Checkbox, Header, Input, Label, OptionList, Select, Static, TextArea

from timer_app.core.model import SUITS, Exercise, Routine
from timer_app.core.plan import Plan, compile_plan
from timer_app.core.plan_text import dosage_text, step_table, total_line
from timer_app.routines.catalog import Library
from timer_app.routines.draft import (
    Draft,
    DraftEntry,
    FieldKey,
)
from timer_app.routines.format import ROUTINE_FILE, SOURCE
from timer_app.routines.saving import decide_save
from timer_app.routines.writer import save_text
from timer_app.views.tui.screens.choose_exercise import ChooseExerciseScreen
from timer_app.views.tui.screens.confirm import ConfirmScreen
from timer_app.views.tui.screens.own_exercise import OwnExerciseScreen
from timer_app.views.tui.screens.traits import Traits
from timer_app.views.tui.widgets.check import Check
from timer_app.views.tui.widgets.entry_editor import ENTRY_FIELDS, EntryEditor
from timer_app.views.tui.widgets.field_row import (
    PROBLEM_MARK,
    FieldArea,
    FieldLine,
    FieldRow,
    ProblemField,
)
from timer_app.views.tui.widgets.keybar import KeyBar
from timer_app.views.tui.widgets.marked_list import MarkedList

if TYPE_CHECKING:
    from timer_app.views.tui.app import LibrarySaved

ROUTINE_LABELS = {
    "title": "Title",
    "id": "Id",
    "prepare": "Get ready",
    "prepare_move": "After a move",
    "sequence": "Exercises",
    "summary": "Summary",
    "cautions": "Cautions",
    "notes": "Notes",
    "source_title": "Source",
    "source_site": "Site",
    "source_author": "Author",
    "source_url": "Link",
}
"""How the routine's own fields are named on screen (and in the list of problems)."""
ENTRY_LABELS = {name: label for name, label, _, _ in ENTRY_FIELDS}


SOURCE_FIELDS = (
    ("title", "The article or video the routine comes from"),
    ("site", "The site or publisher (needed with a title)"),
    ("author", "Who wrote or presents it"),
    ("url", "A link to it"),
)
"""The source's parts, by their name in the file format, and each one's tooltip."""


PLAN_BESIDE = 140
"""The least width at which the plan shows beside the list and the fields: the list (36), the
fields (a label and a choice, 49) and the plan's table with its times in view (about 55)."""


class PlanPane(ScrollableContainer):
    """The plan's pane. Its table is fitted to the pane's width, which is known only once the
    pane is laid out: it says when its size changes, so that the table is drawn again."""

    class Resized(Message):
        """The pane's size changed."""

    def on_resize(self) -> None:
        self.post_message(self.Resized())


def describe_problem(key: FieldKey, problem: str, draft: Draft) -> str:
    """A problem with the field it belongs to: `2. Cat/cow, Reps: ...`, `Title: ...`."""
    index, name = key
    if index is None:
        return f"{ROUTINE_LABELS.get(name, name)}: {problem}"
    exercise = draft.entries[index].exercise
    return f"{index + 1}. {exercise.name}, {ENTRY_LABELS.get(name, name)}: {problem}"


class BuilderScreen(Traits, Screen[None]):
    """A routine's title and id, its exercises in order, the highlighted one's dose, and the
    plan; the plan shows beside the fields where there is room, else in their place (ctrl+g).

    Leaving with unsaved changes asks first; a file is never overwritten without asking.
    """

    TYPING_FILTERS: ClassVar[bool] = True
    """Keys that type a character go to the fields here: none of them is a shortcut."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="builder-save", tooltip="Save the routine"),
        Binding(
            "ctrl+n",
            "add",
            "Add",
            id="builder-add",
            tooltip="Add an exercise: from the library, or your own",
        ),
        Binding(
            "ctrl+g",
            "toggle_plan",
            "Plan",
            id="builder-plan",
            tooltip="Show the step plan, or the fields again",
        ),
        Binding(
            "ctrl+r",
            "remove",
            "Remove",
            id="builder-remove",
            tooltip="Remove the highlighted exercise",
        ),
        Binding(
            "ctrl+up,alt+up",
            "move(-1)",
            "Up",
            id="builder-up",
            tooltip="Move the highlighted exercise up",
        ),
        Binding(
            "ctrl+down,alt+down",
            "move(1)",
            "Down",
            id="builder-down",
            tooltip="Move the highlighted exercise down",
        ),
        Binding(
            "escape",
            "close",
            "Close",
            id="builder-close",
            tooltip="Close the builder (asks first if there are unsaved changes)",
        ),
        Binding(
            "ctrl+o",
            "edit_exercise",
            "Exercise",
            id="builder-exercise",
            tooltip="Change your own exercise: its name, how to do it, position and sides",
        ),
        # A priority binding, like Textual's own ctrl+q, which it would otherwise hide.
        Binding("ctrl+q", "app.quit", "Quit", id="quit", priority=True),
    ]

    @dataclass
    class Saved(Message):
        """A routine file was written: the app reloads the routines, the picker shows it."""

        routine_id: str
        path: Path

    def __init__(self, draft: Draft, library: Library, *, heading: str) -> None:
        """`heading`: what is being done, for the header ("new routine", "a copy of ...")."""
        super().__init__()
        self.draft = draft
        self.library = library
        self.heading = heading
        self.saved_state = copy.deepcopy(draft)
        """The draft as it was opened or last saved: any difference is unsaved."""
        self.original_text = self._read(draft.path)
        """The file's text when opened or saved, to notice a change made meanwhile elsewhere."""
        self.current = 0 if draft.entries else None
        self.plan: Plan | None = None
        self.problems: dict[FieldKey, str] = {}
        self.show_plan = False
        self.touched: set[FieldKey] = set()
        """Fields the person has changed: their problems show at once, the others' once a
        save has been tried (an empty title is no news on a new routine)."""
        self.save_tried = False

    @staticmethod
    def _read(path: Path | None) -> str | None:
        try:
            return path.read_text(encoding="utf-8") if path is not None else None
        except OSError:
            return None

    # -- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="builder-names"):
            # Placeholders, as every other field has: an empty one-line box is hard to see.
            yield FieldRow(
                "Title",
                "routine-title",
                self.draft.title,
                placeholder="what the picker lists it as",
                max_length=ROUTINE_FILE.max_length("title"),
            )
            yield FieldRow(
                "Id",
                "routine-id",
                self.draft.id,
                placeholder="made from the title",
                max_length=ROUTINE_FILE.max_length("id"),
                tooltip="The file's name and the id for `stretch run`; made from the title "
                "until you type one",
            )
        with Horizontal(id="builder-main"):
            with Vertical(id="builder-list-pane"):
                yield MarkedList(id="builder-entries")
            with VerticalScroll(id="builder-edit-pane"):
                yield Static("", id="builder-empty", markup=False)
                yield EntryEditor(id="entry-editor")
                yield Static("Every exercise", classes="builder-heading")
                yield FieldRow(
                    "Get ready",
                    "routine-prepare",
                    self.draft.prepare,
                    tooltip="Before an exercise in the same position as the one before",
                )
                yield FieldRow(
                    "After a move",
                    "routine-prepare_move",
                    self.draft.prepare_move,
                    tooltip="Before the first exercise, and when the position changes",
                )
                yield Static("About the routine", classes="builder-heading")
                yield FieldRow(
                    "Summary",
                    "routine-summary",
                    self.draft.summary,
                    max_length=ROUTINE_FILE.max_length("summary"),
                    placeholder="none",
                    tooltip="What the routine is for, in a sentence or two",
                )
                yield FieldArea(
                    "Cautions, one a line:",
                    "routine-cautions",
                    self.draft.cautions,
                    placeholder="none",
                    tooltip="Who should take care, and with what; shown before the plan",
                )
                yield FieldArea(
                    "Notes, one a line:",
                    "routine-notes",
                    self.draft.notes,
                    placeholder="none",
                    tooltip="Anything else worth knowing, such as how the doses were chosen",
                )
                yield Static("Where it comes from", classes="builder-heading")
                for name, tooltip in SOURCE_FIELDS:
                    yield FieldRow(
                        ROUTINE_LABELS[f"source_{name}"],
                        f"routine-source_{name}",
                        getattr(self.draft, f"source_{name}"),
                        max_length=SOURCE.max_length(name),
                        placeholder="none",
                        tooltip=tooltip,
                    )
                with FieldLine(classes="field-line", id="routine-suits-row"):
                    yield Label("Suits", classes="field-label")
                    with Vertical(id="routine-suits"):
                        for suit in SUITS:
                            yield Check(
                                suit.replace("-", " "),
                                suit in self.draft.suits,
                                id=f"suit-{suit}",
                                compact=True,
                                tooltip="Only where the source says so",
                            )
            with PlanPane(id="builder-plan-pane"):
                yield Static("", id="builder-plan", markup=False)
        yield Static("", id="builder-status", markup=False)
        yield KeyBar()

    def on_resize(self) -> None:
        width, height = self.size
        self.set_class(width < 70, "-narrow")
        self.set_class(width >= PLAN_BESIDE, "-wide")
        self.set_class(height < 20, "-short")

    @on(PlanPane.Resized)
    def plan_resized(self) -> None:
        self._show_plan()

    def on_mount(self) -> None:
        self.title = "stretch-timer"
        self.sub_title = self.heading
        self.refresh_all()
        self.watch(self.app, "library_saved", self._library_saved, init=False)
        if self.draft.entries:
            self.query_one("#builder-entries", OptionList).focus()
        else:
            self.query_one("#routine-title", Input).focus()

    # -- state --------------------------------------------------------------------------------

    @property
    def taken(self) -> set[str]:
        """The ids of the other routines: those not in the file this draft saves to."""
        path = self.draft.path
        return {
            routine_id
            for routine_id, routine in self.library.routines.items()
            if path is None or routine.path != path
        }

    @property
    def unsaved(self) -> bool:
        return self.draft != self.saved_state

    def key_of(self, action: str) -> str:
        """The key that does `action` here, as the person has it mapped."""
        for bound in self.active_bindings.values():
            if bound.binding.action == action:
                return self.app.get_key_display(bound.binding)
        return action

    def refresh_all(self) -> None:
        """Check the draft and redraw everything that depends on it."""
        draft = self.draft
        taken = self.taken
        self.problems = draft.problems(taken)
        routine = None if self.problems else draft.routine(taken)
        self.plan = compile_plan(routine) if routine is not None else None
        self._show_entries()
        entry_problems = {
            name: problem
            for (index, name), problem in self.problems.items()
            if index is not None and index == self.current and self._says((index, name))
        }
        current = draft.entries[self.current] if self.current is not None else None
        self.query_one(EntryEditor).show(current, entry_problems)
        empty = self.query_one("#builder-empty", Static)
        empty.display = current is None
        empty.update(
            f"No exercises yet. {self.key_of('add')} adds one: from the library, or your own."
        )
        for row in self.query(ProblemField):
            scope, _, name = row.field_id.partition("-")
            if scope == "routine":
                key = (None, name)
                row.show_problem(self.problems.get(key) if self._says(key) else None)
        if draft.id_follows_title:
            self.query_one("#routine-id-row", FieldRow).set_value(draft.id)
        self._show_plan()
        self._show_status()
        self.refresh_bindings()

    def _says(self, key: FieldKey) -> bool:
        """Whether a field's problem is shown under it yet."""
        return self.save_tried or key in self.touched

    def _show_entries(self) -> None:
        wrong = {index for index, _ in self.problems if index is not None}
        options: list[tuple[Content, str | None]] = []
        for number, entry in enumerate(self.draft.entries, start=1):
            dosage = entry.dosage()
            if dosage is None or number - 1 in wrong:
                dose = Content.styled(f"{PROBLEM_MARK} a value to fix", "$text-error")
            else:
                dose = Content.styled(dosage_text(dosage, entry.exercise.per_side), "dim")
            own = " (yours)" if entry.own else ""
            # The one highlighted (marked ▸) is the one whose fields are shown.
            name = f"{number}. {entry.exercise.name}{own}\n   "
            options.append((Content.assemble(name, dose), None))
        self.query_one(MarkedList).show_options(options, self.current)

    def _show_plan(self) -> None:
        plan_text = self.query_one("#builder-plan", Static)
        if self.plan is None:
            lines = ["The plan shows once these are put right:", ""]
            lines += [
                f"{PROBLEM_MARK} {describe_problem(key, problem, self.draft)}"
                for key, problem in self.problems.items()
            ]
        else:
            # The table fits the pane, so the times stay in view (names are shortened).
            pane = self.query_one("#builder-plan-pane")
            room = pane.content_region.width - pane.styles.scrollbar_size_vertical
            width = room if room > 0 else None
            lines = [*step_table(self.plan, width), "", total_line(self.plan)]
        plan_text.update("\n".join(lines))
        self.query_one("#builder-plan-pane").set_class(self.plan is None, "-problems")

    def _show_status(self) -> None:
        status = self.query_one("#builder-status", Static)
        if self.plan is None:
            count = len(self.problems)
            first = next(iter(self.problems.items()))
            status.update(
                f"{PROBLEM_MARK} {count} to put right before saving: "
                f"{describe_problem(*first, self.draft)}"
            )
        else:
            state = "unsaved changes" if self.unsaved else "saved"
            if self.draft.path is None and not self.unsaved:
                state = "not saved yet"
            status.update(f"{total_line(self.plan)} \u00b7 {state}")
        status.set_class(self.plan is None, "-problem")

    # -- editing ------------------------------------------------------------------------------

    @on(Input.Changed)
    def field_changed(self, event: Input.Changed) -> None:
        # Stale (typed over since): the input's own value is the one to keep.
        if event.value == event.input.value and self._typed(event.input.id, event.value):
            event.stop()

    @on(TextArea.Changed)
    def lines_changed(self, event: TextArea.Changed) -> None:
        if self._typed(event.text_area.id, event.text_area.text):
            event.stop()

    @on(Checkbox.Changed, "#entry-optional")
    def optional_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        self._typed("entry-optional", event.value)

    @on(Checkbox.Changed, "#routine-suits Checkbox")
    def suit_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        chosen = {
            (box.id or "").removeprefix("suit-")
            for box in self.query("#routine-suits Checkbox").results(Checkbox)
            if box.value
        }
        suits = tuple(suit for suit in SUITS if suit in chosen)  # in the format's order
        if suits != self.draft.suits:
            self.draft.suits = suits
            self.refresh_all()

    def _typed(self, field_id: str | None, value: str | bool) -> bool:
        """Put what was typed into field `field_id` in the draft; False if the field is not
        one of the draft's."""
        scope, _, name = (field_id or "").partition("-")
        target: Draft | DraftEntry
        key: FieldKey
        if scope == "routine":
            target, key = self.draft, (None, name)
        elif scope == "entry" and self.current is not None:
            target, key = self.draft.entries[self.current], (self.current, name)
        else:
            return False
        # No change at all: a field reports its value as it mounts, after the draft's value
        # has been put in it.
        if value == getattr(target, name):
            return True
        self.touched.add(key)
        if name.startswith("source_") and target is self.draft:
            # The parts go together: a link typed says at once that a title and site are due.
            self.touched.update((None, f"source_{part}") for part, _ in SOURCE_FIELDS)
        setattr(target, name, value)
        if name == "id" and target is self.draft:
            self.draft.id_follows_title = False
        elif name == "title":
            self.draft.follow_title(self.taken)
        self.refresh_all()
        return True

    @on(Select.Changed)
    def choice_changed(self, event: Select.Changed) -> None:
        scope, _, name = (event.select.id or "").partition("-")
        if scope != "entry" or self.current is None or event.value is Select.NULL:
            return
        if event.value != event.select.value:
            # Stale: a select reports its first value as it mounts, after the entry's own
            # value has been put in it.
            return
        event.stop()
        setattr(self.draft.entries[self.current], name, str(event.value))
        self.refresh_all()

    @on(OptionList.OptionHighlighted, "#builder-entries")
    def entry_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        # The option highlighted now, not the one the message names: after two quick moves
        # the first message is stale, and following it would rebuild the list on the old
        # option, whose own message would then move it back, and so on for ever.
        now = event.option_list.highlighted
        if now is not None and now != self.current:
            self.current = now
            self.refresh_all()

    @on(OptionList.OptionSelected, "#builder-entries")
    def entry_selected(self) -> None:
        # Enter on an exercise goes to its dose.
        self.query_one("#entry-kind", Select).focus()

    def action_add(self) -> None:
        taken = set(self.library.exercises) | self.draft.exercise_ids()
        self.app.push_screen(ChooseExerciseScreen(self.library.exercises, taken), self._added)

    def _added(self, exercise: Exercise | None) -> None:
        if exercise is None:
            return
        own = self.library.exercises.get(exercise.id) != exercise
        self.current = self.draft.add(exercise, own=own)
        self.refresh_all()
        self.query_one("#builder-entries", OptionList).focus()

    def action_remove(self) -> None:
        if self.current is None:
            return
        del self.draft.entries[self.current]
        self.current = (
            min(self.current, len(self.draft.entries) - 1) if self.draft.entries else None
        )
        self.refresh_all()

    def action_move(self, by: int) -> None:
        if self.current is None:
            return
        self.current = self.draft.move(self.current, by)
        self.refresh_all()

    def action_edit_exercise(self) -> None:
        if self.current is None or not self.draft.entries[self.current].own:
            return
        exercise = self.draft.entries[self.current].exercise
        taken = set(self.library.exercises) | self.draft.exercise_ids()
        self.app.push_screen(OwnExerciseScreen(taken, exercise), self._exercise_changed)

    def _exercise_changed(self, exercise: Exercise | None) -> None:
        if exercise is not None and self.current is not None:
            self.draft.replace_exercise(self.current, exercise)
            self.refresh_all()

    def action_toggle_plan(self) -> None:
        self.show_plan = not self.show_plan
        self.set_class(self.show_plan, "-plan")
        if self.show_plan:
            self.query_one("#builder-plan-pane").focus()
        else:
            self.query_one("#builder-entries", OptionList).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("remove", "move"):
            return self.current is not None
        if action == "edit_exercise":
            return self.current is not None and self.draft.entries[self.current].own
        if action == "toggle_plan":
            return not self.has_class("-wide")
        return True

    # -- saving -------------------------------------------------------------------------------

    def action_save(self) -> None:
        taken = self.taken
        routine = self.draft.routine(taken)
        if routine is None:
            self.save_tried = True
            self.refresh_all()
            self.app.bell()
            self.notify(
                f"Not saved: {len(self.problems)} to put right first (marked {PROBLEM_MARK}).",
                severity="error",
                markup=False,
            )
            return
        decision = decide_save(
            routine,
            self.draft,
            opened_id=self.saved_state.id,
            opened_text=self.original_text,
            library=self.library.exercises,
        )
        path, text = decision.path, decision.text
        if decision.refused is not None:
            self.notify(f"Not saved: {decision.refused}", severity="error", markup=False)
        elif decision.ask is not None:
            self._ask_replace(path, text, decision.ask)
        else:
            try:
                self._write(path, text, replace=decision.replace)
            except FileExistsError:
                self._ask_replace(path, text, f"{path} exists already.")

    def _ask_replace(self, path: Path, text: str, why: str) -> None:
        def answered(replace: bool | None) -> None:
            if replace:
                self._write(path, text, replace=True)
            else:
                self.notify("Not saved; the file is as it was.", markup=False)

        question = f"{why} Replace it with this routine?"
        self.app.push_screen(ConfirmScreen(question, yes="Replace", no="Keep it"), answered)

    def _write(self, path: Path, text: str, *, replace: bool) -> None:
        """Save, or say why not; FileExistsError (with `replace` false) is the caller's."""
        try:
            save_text(path, text, replace=replace)
        except FileExistsError:
            raise
        except OSError as error:
            self.notify(
                f"Could not save {path}: {error.strerror or error}", severity="error", markup=False
            )
            return
        kept = self.draft.path if self.draft.path not in (None, path) else None
        self.draft.path = path
        self.saved_state = copy.deepcopy(self.draft)
        self.original_text = text
        # A new id is a new file: the one opened stays as it was, and says so.
        also = f"; {kept.name} is still there, as it was" if kept is not None else ""
        self.notify(f"Saved {path}{also}", markup=False)
        self.post_message(self.Saved(self.draft.id, path))
        self.refresh_all()

    def _library_saved(self, saved: LibrarySaved | None) -> None:
        if saved is not None:
            self.use_library(saved.library)

    def use_library(self, library: Library) -> None:
        """The routines as they are now (after a save): the ids taken change."""
        self.library = library
        self.refresh_all()

    # -- leaving ------------------------------------------------------------------------------

    def action_close(self) -> None:
        # The plan shown in place of the fields is the innermost thing: Esc closes it first.
        if self.show_plan and not self.has_class("-wide"):
            self.action_toggle_plan()
            return
        self.leave(lambda: None)

    def leave(self, then: Callable[[], object]) -> None:
        """Close the builder, asking first when there are unsaved changes; then `then`."""

        def answered(leave: bool | None) -> None:
            if leave:
                self.dismiss(None)
                then()

        if not self.unsaved:
            answered(True)
            return
        title = self.draft.title.strip() or "this routine"
        question = f"Leave without saving? Your changes to \u201c{title}\u201d will be lost."
        self.app.push_screen(ConfirmScreen(question, yes="Leave", no="Stay"), answered)


def routine_heading(routine: Routine | None, copy_of: bool) -> str:
    """The header's words for what the builder is doing."""
    if routine is None:
        return "new routine"
    if copy_of:
        return f"a copy of {routine.title}"
    return f"editing {routine.path.name if routine.path else routine.id}"

"""Provides `EntryEditor`: the dose, sides, get-ready time, note and optional flag of one
exercise of a routine being built; the builder screen reads what is typed from its fields."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Checkbox, Label, Select, Static

from timer_app.core.model import POSITION_INFO
from timer_app.routines.draft import DraftEntry
from timer_app.routines.format import DOSE_KINDS, ENTRY
from timer_app.views.tui.widgets.check import Check
from timer_app.views.tui.widgets.field_row import FieldLine, FieldRow

DOSE_OPTIONS = [
    ("Hold: seconds \u00d7 reps", "hold"),
    ("Tempo: on and off \u00d7 reps", "tempo"),
    ("Timed: one long stretch", "timed"),
]
SIDE_OPTIONS = [
    ("Left side first", "left-first"),
    ("Right side first", "right-first"),
    ("Alternate sides", "alternate"),
]

ENTRY_FIELDS: tuple[tuple[str, str, str, str], ...] = (
    # (field, label, class that shows it, tooltip)
    ("hold", "Hold", "dose-hold", "How long each hold lasts: 30, 30s, 1m30s or 1:30"),
    ("reps", "Reps", "dose-hold", "How many holds, on each side"),
    ("rest", "Rest", "dose-hold", "Rest between holds (alternating sides: after each pair)"),
    ("pressure_on", "On", "dose-tempo", "Seconds moving into the stretch"),
    ("pressure_off", "Off", "dose-tempo", "Seconds easing back out"),
    ("end_hold", "End hold", "dose-tempo", "Seconds held at the end of every rep (0: none)"),
    ("tempo_reps", "Reps", "dose-tempo", "How many times in and out, on each side"),
    ("timed", "Stretch", "dose-timed", "One continuous stretch of this long, on each side"),
    ("switch", "Switch", "per-side", "Time to change sides"),
    ("prepare", "Get ready", "", "This exercise's own get-ready time; empty: the routine's"),
    ("note", "Note", "", "A word on this exercise, shown under its steps during the session"),
)


class EntryEditor(Vertical):
    """The fields of one entry; only those of its kind of dose (and the sides, for an
    exercise done on each side) are shown, by CSS classes."""

    def compose(self) -> ComposeResult:
        yield Static("", id="entry-name", markup=False)
        yield Static("", id="entry-about", markup=False)
        with FieldLine(classes="field-line"):
            yield Label("Dose", classes="field-label")
            yield Select(DOSE_OPTIONS, id="entry-kind", allow_blank=False, compact=True)
        for name, label, shown_by, tooltip in ENTRY_FIELDS[:8]:
            yield FieldRow(label, f"entry-{name}", classes=shown_by, tooltip=tooltip)
        with FieldLine(classes="field-line per-side"):
            yield Label("Sides", classes="field-label")
            yield Select(SIDE_OPTIONS, id="entry-side_order", allow_blank=False, compact=True)
        for name, label, shown_by, tooltip in ENTRY_FIELDS[8:]:
            placeholder = {"prepare": "routine's", "note": "none"}.get(name, "")
            yield FieldRow(
                label,
                f"entry-{name}",
                classes=shown_by,
                tooltip=tooltip,
                placeholder=placeholder,
                # A note takes what the file takes; a number field, a duration such as 1m30s.
                max_length=ENTRY.max_length("note") if name == "note" else 12,
            )
        with FieldLine(classes="field-line"):
            yield Label("Optional", classes="field-label")
            yield Check(
                "May be skipped",
                id="entry-optional",
                compact=True,
                tooltip="The routine works without it: skipping optional exercises (in the "
                "picker, or --skip-optional) leaves it out; say who should skip it in the "
                "routine's cautions",
            )

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entry: DraftEntry | None = None
        """The entry whose values the fields hold."""

    def show(self, entry: DraftEntry | None, problems: dict[str, str]) -> None:
        """Show an entry and the problems of its fields (by field name). The fields are
        filled only when another entry is shown: while one is edited they hold what is typed,
        which a change still on its way must not overwrite."""
        self.set_class(entry is None, "-empty")
        for row in self.query(FieldRow):
            row.show_problem(problems.get(row.field_id.removeprefix("entry-")))
        if entry is None or entry is self.entry:
            if entry is not None:
                self._show_kind(entry)
            return
        self.entry = entry
        exercise = entry.exercise
        self.query_one("#entry-name", Static).update(exercise.name)
        about = [POSITION_INFO[exercise.position].words]
        if exercise.per_side:
            about.append("each side")
        about.append("your own exercise" if entry.own else "from the library")
        self.query_one("#entry-about", Static).update(" \u00b7 ".join(about))
        self._show_kind(entry)
        for select_id, value in (
            ("#entry-kind", entry.kind),
            ("#entry-side_order", entry.side_order),
        ):
            select: Select[str] = self.query_one(select_id, Select)
            if select.value != value:
                with select.prevent(Select.Changed):
                    select.value = value
        for row in self.query(FieldRow):
            row.set_value(getattr(entry, row.field_id.removeprefix("entry-")))
        optional = self.query_one("#entry-optional", Check)
        if optional.value != entry.optional:
            with optional.prevent(Checkbox.Changed):
                optional.value = entry.optional

    def _show_kind(self, entry: DraftEntry) -> None:
        """Show the fields of the entry's kind of dose (and its sides, if it has two)."""
        for kind in DOSE_KINDS:
            self.set_class(entry.kind == kind, f"-{kind}")
        self.set_class(entry.exercise.per_side, "-per-side")

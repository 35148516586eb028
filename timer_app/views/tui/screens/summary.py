"""Provides the summary shown when a session ends: what was done, skipped or cut short, and
today's total once the history has been read."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Static

from timer_app.core.plan import Plan
from timer_app.session.events import Finished
from timer_app.session.words import STATUS_WORDS, part_span, paused_span, span
from timer_app.views.tui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from timer_app.history.report import Overview
    from timer_app.views.tui.app import HistoryRead


def outcome_rows(finished: Finished) -> Iterator[Horizontal]:
    """One row an exercise, in aligned columns: what became of it, its time, then its name.

    The status and the time are padded to the widest of each, so every row's columns start
    at the same place; the name comes last and wraps in its own column on a narrow screen.
    """
    outcomes = finished.outcomes
    status_width = max(len(word) for word in STATUS_WORDS.values())
    # To the nearest second, as plain mode's summary and the shared page say them.
    # A cut-short exercise says how much of it was done, never rounded up to the whole.
    times = [
        part_span(outcome.active, outcome.planned_active)
        if outcome.status == "partial"
        else span(outcome.active)
        for outcome in outcomes
    ]
    time_width = max(map(len, times), default=0)
    for outcome, time in zip(outcomes, times, strict=True):
        yield Horizontal(
            Static(
                STATUS_WORDS[outcome.status].rjust(status_width),
                markup=False,
                classes=f"summary-status -{outcome.status}",
            ),
            Static(time.rjust(time_width), markup=False, classes="summary-time"),
            Static(Content(outcome.exercise.name), classes="summary-name"),
            classes="summary-row",
        )


class SummaryScreen(Screen[None]):
    """The outcome of each exercise and the session's times."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,escape", "close", "Done", id="done"),
        Binding("q", "app.quit", "Quit", id="quit"),
    ]

    def __init__(self, plan: Plan, finished: Finished) -> None:
        super().__init__()
        self.plan = plan
        self.finished = finished

    def compose(self) -> ComposeResult:
        finished = self.finished
        headline = (
            "Routine complete \u2014 well done." if finished.completed else "Session stopped."
        )
        counts = dict.fromkeys(STATUS_WORDS, 0)
        for outcome in finished.outcomes:
            counts[outcome.status] += 1
        paused = paused_span(finished.paused)
        with Vertical(id="summary"):
            yield Static(headline, id="summary-title", markup=False)
            yield Static(Content(self.plan.routine.title), id="summary-routine")
            yield Static(
                f"{counts['done']} done \u00b7 {counts['skipped']} skipped \u00b7 "
                f"{counts['partial']} cut short"
                + (f" \u00b7 {counts['not-reached']} not reached" if counts["not-reached"] else "")
                + "\n"
                f"Stretching time {span(finished.active)} \u00b7 "
                f"session {span(finished.elapsed)}"
                + (f" \u00b7 paused {paused}" if paused is not None else ""),
                id="summary-totals",
                markup=False,
            )
            yield Static("", id="summary-today", markup=False)
            with VerticalScroll(id="summary-list"):
                yield from outcome_rows(finished)
            with Horizontal(id="summary-buttons"):
                yield Button("Done", variant="primary", id="done")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#done", Button).focus()
        # The history as read once this session was recorded: the app forgot the read before
        # it as the session ended, so whatever is there now (or comes) is that read.
        self.watch(self.app, "history_read", self._history_read)

    def _history_read(self, read: HistoryRead | None) -> None:
        if read is not None and read.overview is not None:
            self.show_today(read.overview)

    def on_resize(self) -> None:
        # A short terminal keeps its rows for the exercises; Enter and the key bar still say
        # how to go on without the button.
        self.set_class(self.size.height < 20, "-compact")

    def show_today(self, overview: Overview) -> None:
        """Today's stretching over every session (this one included) and the streak."""
        from timer_app.history.report import streak_text, today_text

        today = self.query_one("#summary-today", Static)
        today.update(f"{today_text(overview)} \u00b7 {streak_text(overview.streak)}")
        self.add_class("-today")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_close()

    def action_close(self) -> None:
        self.dismiss(None)

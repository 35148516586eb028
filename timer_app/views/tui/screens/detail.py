"""Provides a routine's details as a dialog, for terminals too narrow to show them aside."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen

from timer_app.core.plan import Plan
from timer_app.views.tui.widgets.routine_detail import RoutineDetail


class DetailScreen(ModalScreen[None]):
    """Summary, source, cautions and exercises of one routine; escape closes it."""

    # Also ctrl+o, the picker's key that opens it.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,i,q,ctrl+o", "dismiss", "Close", show=False)
    ]

    def __init__(self, plan: Plan) -> None:
        super().__init__()
        self.plan = plan

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="detail-dialog"):
            yield RoutineDetail()

    def on_mount(self) -> None:
        self.query_one(RoutineDetail).show_plan(self.plan)

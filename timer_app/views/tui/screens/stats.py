"""Provides the stats screen: streaks, today, the last weeks as a bar chart, recent sessions."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Static

from timer_app.history.records import utc_now
from timer_app.history.report import Overview, read_overview, streak_text, today_text
from timer_app.history.stats import bar, local_date, minutes_text, short_date, weekday_name
from timer_app.history.store import History
from timer_app.views.tui.widgets.keybar import KeyBar

WEEKS = 8
BAR_WIDTH = 32
STATE_STYLE = {"completed": "$success", "stopped": "$warning", "interrupted": "$error"}


class StatsScreen(Screen[None]):
    """History at a glance; read in a worker thread when the screen opens."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Also the keys that open it: s from the summary's past, ctrl+s from the picker.
        Binding("escape,q,s,ctrl+s", "close", "Close", id="close-stats"),
    ]

    def __init__(
        self,
        history: History | None,
        *,
        now: Callable[[], datetime] = utc_now,
        tz: tzinfo | None = None,
    ) -> None:
        """`now` and `tz` say when and where the user is (tests fix them; None: local time)."""
        super().__init__()
        self.history = history
        self._now = now
        self._tz = tz
        self.overview: Overview | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="stats"):
            yield Static("Reading the history\u2026", id="stats-streak", markup=False)
            yield Static("", id="stats-today", markup=False)
            yield Static(f"Minutes of stretching, last {WEEKS} weeks", classes="stats-heading")
            yield Static("", id="stats-weeks")
            yield Static("Recent sessions", classes="stats-heading")
            yield Static("", id="stats-recent")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = "stretch-timer"
        self.sub_title = "history"
        self.load()

    @work(exclusive=True, group="stats", exit_on_error=False)
    async def load(self) -> None:
        history = self.history
        if history is None:
            self._say("History is not being recorded in this run.")
            return
        overview = await asyncio.to_thread(
            read_overview, history, now=self._now(), tz=self._tz, weeks=WEEKS
        )
        if overview is None:
            self._say(history.off_reason or "History is off.")
            return
        self.show(overview)

    def _say(self, text: str) -> None:
        self.query_one("#stats-streak", Static).update(text)
        self.add_class("-empty")

    def show(self, overview: Overview) -> None:
        """Fill the screen from `overview`."""
        self.overview = overview
        if overview.recorded == 0:
            self._say("No sessions yet. Complete a routine and it shows here.")
            return
        self.remove_class("-empty")
        self.query_one("#stats-streak", Static).update(streak_text(overview.streak))
        self.query_one("#stats-today", Static).update(today_text(overview))
        self.query_one("#stats-weeks", Static).update(self._weeks(overview))
        self.query_one("#stats-recent", Static).update(self._recent(overview))

    def _weeks(self, overview: Overview) -> Content:
        top = max((week.active_seconds for week in overview.weeks), default=0.0)
        lines: list[Content] = []
        for number, week in enumerate(overview.weeks):
            this = number == len(overview.weeks) - 1
            label = "this week" if this else short_date(week.monday, today=overview.today)
            minutes = minutes_text(week.active_seconds).removesuffix(" min")
            lines.append(
                Content.assemble(
                    Content.styled(f"{label:>11} ", "dim"),
                    Content.styled(
                        f"{bar(week.active_seconds, top, BAR_WIDTH):<{BAR_WIDTH}}", "$success"
                    ),
                    Content(f" {minutes:>4}"),
                )
            )
        return Content("\n").join(lines)

    def _recent(self, overview: Overview) -> Content:
        lines: list[Content] = []
        for session in overview.recent:
            day = local_date(session.started, self._tz)
            local = session.started.astimezone(self._tz)
            lines.append(
                Content.assemble(
                    Content.styled(
                        f"{weekday_name(day)} {short_date(day, today=overview.today):<6}"
                        f" {local:%H:%M}  ",
                        "dim",
                    ),
                    Content.styled(f"{session.state:<11} ", STATE_STYLE[session.state]),
                    Content(f"{minutes_text(session.active_seconds):>7}  "),
                    Content(session.title),
                )
            )
        return Content("\n").join(lines)

    def action_close(self) -> None:
        self.dismiss(None)

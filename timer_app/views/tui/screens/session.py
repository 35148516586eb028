"""Provides the session screen: the live view of a running routine, and every control.

The engine owns time. This screen only listens to its events and, once per displayed second,
reads `remaining()` to repaint the countdown; it never counts ticks.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Button, Static

from timer_app.companions import HISTORY_GRACE
from timer_app.config.choices import DEFAULT_CUE_SET
from timer_app.core.controls import BY_ID, CONTROLS, RESUME_LABEL
from timer_app.core.durations import (
    format_clock,
    format_elapsed,
    round_half_up,
    until_next_second,
)
from timer_app.core.plan import Plan, Step
from timer_app.core.steps import KINDS
from timer_app.figures.frames import POSE_OF_KIND
from timer_app.session.clock import Clock
from timer_app.session.engine import Engine
from timer_app.session.events import (
    ClockJumped,
    CountIn,
    Event,
    Extended,
    Finished,
    Paused,
    Resumed,
    SessionStarted,
    SkipHeld,
    StepStarted,
)
from timer_app.session.perform import perform
from timer_app.session.words import (
    change_span,
    exercise_count,
    next_text,
    resuming_text,
    skip_held_text,
)
from timer_app.views.tui.bindings import binding, shown_key
from timer_app.views.tui.screens.traits import Traits, traits_of
from timer_app.views.tui.widgets.countdown import Countdown
from timer_app.views.tui.widgets.figure import FigureView
from timer_app.views.tui.widgets.keybar import KeyBar
from timer_app.views.tui.widgets.meter import Meter

if TYPE_CHECKING:
    from timer_app.share.server import ShareServer
    from timer_app.sound.notice import Notice
    from timer_app.views.tui.screens.confirm import ConfirmScreen

FLASH_SECONDS = 0.8
"""How long a phase change is highlighted, so it is seen even with sound off."""

FIXED_ROWS = 18
"""Rows of the full layout (not `-compact`) besides the instructions and the move: the top
bar, name, phase row, countdown, next, progress, buttons and key bar, with their margins."""
CAUTIONS_KEY = "c"
"""Opens the cautions of the exercise in a dialog."""
BUTTON_ROWS = 3
"""Rows the buttons take; a crowded screen gives them to the instructions (keys still work)."""
FIGURE_COLUMNS = 26
"""Columns the figure takes beside the how-to (with its margin: 28)."""
FIGURE_ROWS = (4, 8)
"""The fewest rows a figure is drawn in beside the how-to (its side said under it), and the
most it takes; with fewer it is left out, and the how-to has the room."""
WIDE = 100
"""Columns from which the screen is `-wide`: the figure beside the how-to is drawn larger."""
WIDE_FIGURE = (36, 11)
"""Columns and most rows of the figure on a wide screen (the CSS gives it the columns): the
how-to keeps 50 columns at 100."""
COMPACT_FIXED_ROWS = 8
"""Rows of the small (`-compact`) layout besides the figure, the move, the caution marker and
the notices, when the figure is asked for: the countdown is then one line of text."""

EngineHook = Callable[[Engine], object]
"""Called with each new engine before it runs, so sound, voice or history can listen."""


class SessionScreen(Traits, Screen[Finished | None]):
    """Follows one session; dismisses with the Finished event (None if it never started)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *(binding(control.id) for control in CONTROLS if control.id != "help"),
        # Only this screen hides cautions for want of room (plain mode prints them all), so
        # the key is this screen's, not a control of every view: no id, since an id is what
        # makes a binding a control that `keys:` remaps. Hidden from the key bar: the caution
        # marker says it where it matters.
        Binding(
            CAUTIONS_KEY,
            "show_cautions",
            "Cautions",
            show=False,
            tooltip="Show the cautions of this exercise",
        ),
    ]

    flash_seconds: ClassVar[float] = FLASH_SECONDS
    """How long a phase change is highlighted; snapshot tests set 0 to stay deterministic."""

    @dataclass
    class EngineEvent(Message):
        """An event from the session engine, delivered on the app's loop."""

        event: Event

    def __init__(
        self,
        plan: Plan,
        *,
        clock: Clock | None = None,
        count_in: float = 3.0,
        hooks: Sequence[EngineHook] = (),
        share: str | None = None,
        command_line: Sequence[str] = (),
        routine_dirs: Sequence[Path] = (),
        figures: bool = True,
        cue_set: str = DEFAULT_CUE_SET,
    ) -> None:
        """`share` (`local` or `lan`): serve the session to browsers from its start; the share
        key starts it later, on this computer only unless `lan` was asked for.
        `command_line` (the words typed after `stretch` to start this routine, if they did) and
        `routine_dirs` (where it was found) make the command said for sharing to a phone.
        `figures`: draw the exercise's figure beside its how-to (the figure key turns it off).
        `cue_set`: the cues a shared page plays (the terminal's)."""
        super().__init__()
        self.plan = plan
        self.command_line = list(command_line)
        self.routine_dirs = list(routine_dirs)
        self.share_from_start = share is not None
        self.share_where = share or "local"
        self.cue_set = cue_set
        self.sharing: ShareServer | None = None
        """The web server of this session, once shared."""
        # The end waits for the listeners as long as history is given to write the session
        # (a commit waits for the disk): cut at the engine's default 2 s, a slow disk lost it.
        self.engine = Engine(plan, clock=clock, count_in=count_in, listener_grace=HISTORY_GRACE)
        self.engine.add_listener(self._forward)
        for hook in hooks:
            hook(self.engine)
        self._tick: Timer | None = None
        self._flash: Timer | None = None
        self._paused_for_overlay = False
        """The session was paused because another screen covers it; resume when it is back."""
        self._quit_question: ConfirmScreen | None = None
        """The "stop?" question, while it is asked."""
        self._from_browser = False
        """A shared page has just used a control: the next event comes from it."""
        self._fitted: tuple[int, int, int, int] | None = None
        """The exercise and screen size the room for the instructions was last worked out for."""
        self._shown: dict[str, str] = {}
        """What each Static shows now, so a step change updates only what differs."""
        self._step: Step | None = None
        """The step on screen (the engine's may already be the next one)."""
        self.figures = figures
        """Figures are wanted beside the how-to (the full layout)."""
        self.figure_asked = False
        """On a small screen, the figure key has asked for the figure in place of the digits."""
        self._figure_ready = False
        """The first frame is on screen: figures are drawn only from then on."""

    # -- layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # The layout classes of the first step are set while the screen has no children yet,
        # so its widgets are styled once, as they mount, and not again when it is shown.
        first = self.plan.steps[0] if self.plan.steps else None
        width, height = self.app.size
        classes, figure_rows = self._layout(first, width, height, notices=0)
        if first is not None:
            classes["-cautions"] = bool(first.exercise.cautions)
            self._fitted = (first.entry, width, height, 0)
        self._set_screen_classes(classes)
        figure = FigureView(id="figure")
        if figure_rows:
            figure.styles.height = figure_rows
        with Horizontal(id="session-top"):
            yield Static(Content(self.plan.routine.title), id="routine-title")
            yield Static("", id="exercise-count", markup=False)
        # Sound or voice fell back (no device, no speech engine): said once, here, where it
        # covers nothing; a toast would sit over the countdown and the buttons.
        yield Static("", id="sound-notice", markup=False)
        yield Static("", id="share-address", markup=False)
        with Vertical(id="session-main"):
            yield Static("", id="exercise-name", markup=False)
            with Horizontal(id="phase-row"):
                yield Static("", id="phase", markup=False)
                yield Static("", id="side", markup=False)
                yield Static("", id="rep", markup=False)
            yield Static("", id="move", markup=False)
            yield Countdown(id="countdown")
            # Right under the countdown: the two change every second, and Textual repaints the
            # box around everything that changed, so apart they would repaint the whole screen.
            yield Static("", id="times", markup=False)
            with Horizontal(id="instructions"):
                with Vertical(id="instructions-text"):
                    yield Static("", id="how-to", markup=False)
                    yield Static("", id="cautions", markup=False)
                yield figure
            yield Static("", id="caution-mark", markup=False)
            yield Static("", id="next", markup=False)
        with Horizontal(id="progress-row"):
            yield Static("exercise", classes="progress-label")
            yield Meter(id="exercise-progress")
            yield Static("session", classes="progress-label")
            yield Meter(id="session-progress")
        with Horizontal(id="session-buttons"):
            yield Button("\u25c0 Back", id="back-button")
            yield Button("Pause", id="pause-button", variant="primary")
            yield Button("Skip \u25b6", id="skip-button")
        # ctrl+p still opens the palette; the help (?) says so, and the keys need the room.
        yield KeyBar(palette=False)

    def _show_sound_notices(self, notices: tuple[Notice, ...]) -> None:
        for notice in notices:
            self.show_sound_notice(notice)

    def show_sound_notice(self, told: Notice) -> None:
        """Say how sound is doing ("Sound: using the terminal bell instead.")."""
        # One line: what happens now, without the reasons each backend gave, which plain mode
        # and the log-minded can read in full.
        short = told.short
        notice = self.query_one("#sound-notice", Static)
        shown = str(notice.render())
        if short in shown:
            return
        notice.update(f"{shown}  {short}".strip())
        notice.display = True
        self._refit()

    def on_mount(self) -> None:
        # Looked up once: refresh_time runs every second for the whole session.
        self._countdown = self.query_one("#countdown", Countdown)
        self._session_meter = self.query_one("#session-progress", Meter)
        self._exercise_meter = self.query_one("#exercise-progress", Meter)
        self._figure = self.query_one("#figure", FigureView)
        self._session_meter.set(0.0, self.plan.total)
        # Every notice sound has given so far, then each new one, in the header line.
        self.watch(self.app, "sound_notices", self._show_sound_notices)
        self._show_step(self.plan.steps[0] if self.plan.steps else None)
        self.refresh_time()
        # The first frame goes out before the session starts (its listeners open the history
        # file, the sound listener wakes) and before any figure is drawn. Until then the
        # countdown shows the first step's whole length, which is what the engine starts at.
        self.call_after_refresh(self._first_frame_shown)

    def _first_frame_shown(self) -> None:
        self._figure_ready = True
        self._show_figure()
        self.run_session()

    def on_resize(self) -> None:
        # Small terminals drop the how-to and the buttons (keys still work); only where even
        # the three rows of big digits do not fit does the countdown become plain text.
        self._fit_instructions()

    @staticmethod
    def _size_classes(width: int, height: int) -> dict[str, bool]:
        return {
            "-compact": height < 22 or width < 60,
            "-tiny": height < 14 or width < 36,
            "-wide": width >= WIDE,
        }

    def _set_screen_classes(self, wanted: dict[str, bool]) -> None:
        """Turn the screen's layout classes on and off in one change, so in one restyle of
        the whole screen (each costs some 10 ms)."""
        classes = (set(self.classes) - set(wanted)) | {name for name, on in wanted.items() if on}
        if classes != set(self.classes):
            self.set_classes(classes)

    @work(exclusive=True, group="session")
    async def run_session(self) -> None:
        if self.share_from_start:
            await self.start_sharing()
        try:
            # Shared from the start: the session waits behind the share dialog until the
            # person has opened the page and starts it (Enter here, or Start on the page).
            finished = await self.engine.run(wait_for_start=self.sharing is not None)
        finally:
            # The page's address stops working with the session (the port refuses).
            if self.sharing is not None:
                await self.sharing.stop()
        # Dismissed only once run() is over: popping the screen cancels its workers, and the
        # engine's end waits for its listeners (the history's last write, on a slow disk).
        # A dialog still over it (help, the share dialog) goes first: dismiss pops the top.
        if self.app.screen is not self:
            self.pop_until_active()
        self.dismiss(finished)

    # -- engine events --------------------------------------------------------------------------

    def _forward(self, event: Event) -> None:
        self.post_message(self.EngineEvent(event))

    @on(EngineEvent)
    def engine_event(self, message: EngineEvent) -> None:
        event = message.event
        from_browser, self._from_browser = self._from_browser, False
        if isinstance(event, SessionStarted) and self.sharing is not None:
            self._started_elsewhere()
        if isinstance(event, StepStarted):
            self._show_step(event.step, flash=self.flash_seconds > 0)
        elif isinstance(event, Paused):
            self._show_paused(True)
            # Said on the frame for as long as it stays paused: whoever comes back to the
            # desk sees why (the toast that said it is gone by then).
            if from_browser:
                self.query_one("#session-main").border_title = "Paused from a browser"
        elif isinstance(event, Resumed | CountIn):
            self._show_paused(False)
            self._show_phase(event.step, counting_in=self.engine.state == "counting-in")
        elif isinstance(event, ClockJumped):
            self._show_paused(True)
            self.notify(
                f"The timer was suspended for {round_half_up(event.late_by)} s, so the session"
                " is paused. Press space to go on.",
                title="Paused",
                markup=False,
            )
        elif isinstance(event, SkipHeld):
            key = shown_key(self, "skip")
            self.notify(skip_held_text(event.step, key), timeout=3, markup=False)
        elif isinstance(event, Extended):
            sign = "+" if event.by > 0 else "\u2212"
            self.notify(f"{sign}{change_span(event.by)}", timeout=1.5, markup=False)
        elif isinstance(event, Finished):
            return  # run_session dismisses the screen once the listeners have caught up
        self.refresh_time()

    # -- display --------------------------------------------------------------------------------

    def _show_step(self, step: Step | None, *, flash: bool = False) -> None:
        if step is None:
            return
        exercise = step.exercise
        # A step change repaints only what changed, and re-lays out the screen only when a
        # size can change: in tempo work a step starts every second or two, and a layout of
        # the whole screen costs more than everything else the step does.
        self._set_text("#exercise-count", exercise_count(self.plan, step))
        self._set_text("#exercise-name", exercise.name)
        # Pressure on and off take turns every second or two, each in its own colour and
        # with its own cue: a flash on each would blink the label through half of every rep.
        # The tempo's first phase flashes, as any new phase does.
        previous = self._step
        if previous is not None and KINDS[previous.kind].tempo and KINDS[step.kind].tempo:
            flash = False
        self._show_phase(step, counting_in=False, flash=flash)
        self._step = step
        # The move to make (a new position, the other side) is said large while it is made,
        # and is gone once the stretch starts.
        if step.move is not None:
            self._set_text("#move", f"Move: {step.move.cue}")
        self.query_one("#move", Static).set_class(step.move is not None, "-visible")
        # The rest changes only with the exercise, so only then is the screen laid out again.
        self._set_text("#how-to", "\n".join(self.plan.instructions(step.entry)))
        cautions = exercise.cautions
        self._set_text("#cautions", "\n".join(f"Caution: {caution}" for caution in cautions))
        self._set_text("#caution-mark", caution_mark(len(cautions)), one_line=True)
        if self.has_class("-cautions") != bool(cautions):
            self.set_class(bool(cautions), "-cautions")
            self.refresh_bindings()  # the key that shows them works only when there are some
        self._fit_instructions()
        self._show_figure()
        self._set_text("#next", next_text(self.plan, step), one_line=True)
        span = self.plan.span_of(step)
        self._exercise_meter.set(step.start - span.start, span.end - span.start)

    def _refit(self) -> None:
        """A line above the session came or went: fit the instructions again."""
        self._fitted = None
        self._fit_instructions()

    def _notice_rows(self) -> int:
        """Rows the lines above the session take (sound fallback, share address), when shown."""
        sound = self.query_one("#sound-notice", Static).display
        return int(sound) + int(self.query_one("#share-address").has_class("-visible"))

    def _fit_instructions(self) -> None:
        """Make room for the how-to, note and cautions of the exercise on screen.

        When they do not fit, the buttons go first (their keys still work), then the cautions
        become a one-line marker with the key that shows them; on a small screen, where the
        how-to is hidden, the marker is all there is room for. Decided once per exercise and
        size from the longest move the exercise has, so nothing jumps between its steps.
        """
        step = self._step
        width, height = self.size
        notices = self._notice_rows()
        # Steps of one exercise share the answer; tempo work starts a step every second or two.
        key = None if step is None else (step.entry, width, height, notices)
        if key is not None and key == self._fitted:
            return
        self._fitted = key
        classes, figure_rows = self._layout(step, width, height, notices)
        if figure_rows:
            self._figure.styles.height = figure_rows
        self._set_screen_classes(classes)

    def _layout(
        self, step: Step | None, width: int, height: int, notices: int
    ) -> tuple[dict[str, bool], int]:
        """The screen's layout classes for `step` at this size with `notices` lines above the
        session, and the rows of its figure (0: none)."""
        sized = self._size_classes(width, height)
        if step is None:
            return sized, 0
        compact = sized["-compact"]
        moves = [move.cue for move in self.plan.span_of(step).moves]
        move = max((_rows([f"Move: {cue}"], width - 4) + 1 for cue in moves), default=0)
        free = height - FIXED_ROWS - notices - move
        figure_columns, most_rows = (
            WIDE_FIGURE if sized["-wide"] else (FIGURE_COLUMNS, FIGURE_ROWS[1])
        )
        if compact:
            marker = min(1, len(step.exercise.cautions))
            figure_rows = height - COMPACT_FIXED_ROWS - notices - move - marker
            figure = self.figure_asked and figure_rows >= FIGURE_ROWS[0]
        else:
            # Beside the how-to, in the rows the instructions have (the buttons' too, where
            # the how-to needs them); where even the fewest rows are not free, it is left out.
            mark, crowded = self._crowding(step, width - 12 - figure_columns - 2, free)
            # The caution marker stands under the how-to and the figure both: its row is not
            # the figure's, or a tall figure pushes "Next:" off the screen.
            room = free + (BUTTON_ROWS if crowded else 0) - (1 if mark else 0)
            figure_rows = min(most_rows, room)
            figure = self.figures and figure_rows >= FIGURE_ROWS[0]
        mark, crowded = self._crowding(step, width - 12 - (figure_columns + 2) * figure, free)
        classes = {
            **sized,
            "-caution-mark": compact or mark,
            "-crowded": not compact and crowded,
            "-figure": figure,
        }
        return classes, figure_rows if figure else 0

    def _crowding(self, step: Step, text_width: int, free: int) -> tuple[bool, bool]:
        """Whether the cautions become a marker, and whether the buttons give their rows to
        the instructions, with the how-to wrapped at `text_width` in `free` rows."""
        text_width = max(1, text_width)  # the main area's padding and the how-to's margins
        how_to = _rows(self.plan.instructions(step.entry), text_width)
        cautions = _rows([f"Caution: {c}" for c in step.exercise.cautions], text_width)
        mark = how_to + cautions > free + BUTTON_ROWS
        needed = how_to + (min(cautions, 1) if mark else cautions)
        return mark, needed > free

    def _show_figure(self) -> None:
        """The figure of the step on screen: its start while getting into place, the stretch
        while held, and in tempo reps the pressure-on or release pose of the step."""
        step = self._step
        if step is None or not self._figure_ready:
            return
        # Hidden (no room, figures off), it is not painted, so nothing is drawn.
        self._figure.show(step.exercise, POSE_OF_KIND[step.kind], step.side)

    def action_toggle_figures(self) -> None:
        """Figures on or off; on a small screen, the figure in place of the big digits."""
        if self.has_class("-compact"):
            self.figure_asked = not self.figure_asked
        else:
            self.figures = not self.figures
            self.notify("Figures on" if self.figures else "Figures off", timeout=1.5, markup=False)
        self._refit()

    def _set_text(
        self, selector: str, text: str, *, fixed: bool = False, one_line: bool = False
    ) -> None:
        """Show `text` in a Static if it changed, laying the screen out again only if its size
        can change: not when `fixed` (CSS gives it a size), nor for one line of the same
        length ("rep 1 of 3" to "rep 2 of 3"), nor, with `one_line`, while both texts fit the
        width the widget has."""
        old = self._shown.get(selector)
        if old == text:
            return
        self._shown[selector] = text
        widget = self.query_one(selector, Static)
        width = widget.content_region.width
        single = old is not None and "\n" not in old + text and max(len(old), len(text)) <= width
        same_size = single and (one_line or len(old or "") == len(text))
        widget.update(text, layout=not (fixed or same_size))

    def _show_phase(self, step: Step, *, counting_in: bool, flash: bool = False) -> None:
        label = "RESUMING" if counting_in else KINDS[step.kind].banner
        self._set_text("#phase", label, fixed=True)
        phase = self.query_one("#phase", Static)
        # One class change, so one restyle: the kind's colour, and the flash of a new phase
        # (kept while an earlier flash is still on).
        kind = "-prepare" if counting_in else f"-{step.kind}"
        flashing = flash or phase.has_class("-flash")
        phase.set_classes({kind, "-flash"} if flashing else {kind})
        if flash:
            self._end_flash_later(phase)
        self._set_text("#side", step.side.upper() if step.side else "", fixed=True)
        self.query_one("#side", Static).set_class(step.side is not None, "-visible")
        rep = KINDS[step.kind].active and step.reps > 1
        # Not fixed: its width follows the text; from one rep to the next it keeps its length.
        self._set_text("#rep", f"rep {step.rep} of {step.reps}" if rep else "")

    def _show_paused(self, paused: bool) -> None:
        self.set_class(paused, "-paused")
        if not paused:
            self.query_one("#session-main").border_title = None
        button = self.query_one("#pause-button", Button)
        button.label = RESUME_LABEL if paused else BY_ID["pause"].label
        if paused:
            self._set_text("#phase", "PAUSED", fixed=True)
        self.refresh_bindings()

    def _end_flash_later(self, phase: Static) -> None:
        """A phase change is highlighted for a moment, so it is seen even with sound off."""
        if self._flash is not None:
            self._flash.stop()
        self._flash = self.set_timer(self.flash_seconds, lambda: phase.remove_class("-flash"))

    def refresh_time(self) -> None:
        """Repaint the countdown and times now, then again when the shown second changes."""
        engine = self.engine
        state = engine.state
        # The big countdown is always the step's own time: frozen while paused and during the
        # count-in (whose seconds are said beside it), so it never jumps upward on resuming.
        shown = engine.remaining()
        if state == "idle" and engine.step is None and self.plan.steps:
            shown = self.plan.steps[0].duration
        self._countdown.show(shown)
        step = engine.step
        if state == "counting-in" and step is not None:
            self._set_text("#next", resuming_text(step, engine.count_in_remaining()), one_line=True)
        elif step is not None and state == "running":
            self._set_text("#next", next_text(self.plan, step), one_line=True)
        elapsed = engine.elapsed()
        paused = engine.time_paused()
        left = engine.session_remaining()
        paused_text = f" ({format_elapsed(paused)} paused)" if paused >= 1 else ""
        self._set_text(
            "#times",
            f"{format_elapsed(elapsed)} elapsed{paused_text} \u00b7 {format_clock(left)} left",
        )
        done = engine.plan_done()
        self._session_meter.set(done)
        if step is not None:
            self._exercise_meter.set(done - self.plan.span_of(step).start)
        if self._tick is not None:
            self._tick.stop()
            self._tick = None
        if state in ("running", "counting-in", "paused"):
            # Wake just after the shown whole second changes: the step's second, the
            # count-in's, or (paused) the paused time's, which goes on counting.
            if state == "running":
                wait = until_next_second(shown)
            elif state == "counting-in":
                wait = until_next_second(engine.count_in_remaining())
            else:
                wait = 1.0 - (paused % 1.0)
            self._tick = self.set_timer(wait + 0.005, self.refresh_time)

    # -- controls -------------------------------------------------------------------------------

    def action_control(self, control_id: str) -> None:
        """Run a control that is an engine call (pause, skip, back, +/- 10 s, restart)."""
        control = BY_ID[control_id]
        if control.call is not None:
            changed = perform(self.engine, control)
            if not changed and control.refused:
                self.notify(control.refused, timeout=2, markup=False)

    async def start_sharing(self) -> None:
        """Serve the session to browsers and show the address; say why if it cannot."""
        # Imported here: without sharing, no web library is ever loaded.
        from timer_app.share.server import ShareError
        from timer_app.share.session import share_session

        if self.sharing is not None or self.engine.state == "finished":
            return
        try:
            self.sharing = await share_session(
                self.engine, self.share_where, note=self._told, cue_set=self.cue_set
            )
        except ShareError as error:
            self.notify(f"Could not share this session: {error}.", severity="error", markup=False)
            return
        if self.engine.finished is not None:
            # The session ended while the server started: run_session has stopped sharing
            # already, so this one is stopped here, or its port would stay open.
            await self.sharing.stop()
            return
        address = self.query_one("#share-address", Static)
        key = shown_key(self, "share")
        if self.sharing.lan:
            address.update(f"Follow in a browser: {self.sharing.url}  ({key}: QR code)")
        else:
            address.update(f"Follow on this computer: {self.sharing.url}  ({key}: more)")
        address.add_class("-visible")
        self._refit()
        self._show_share_dialog()

    def _show_share_dialog(self) -> None:
        from timer_app.share.words import lan_command
        from timer_app.views.tui.screens.share import ShareScreen, StartShareScreen

        assert self.sharing is not None
        if isinstance(self.app.screen, ShareScreen):
            return
        url, lan = self.sharing.url, self.sharing.lan
        command = lan_command(
            self.plan.routine.id, given=self.command_line, routine_dirs=self.routine_dirs
        )
        if self.share_from_start and self.engine.state == "idle":
            self.app.push_screen(
                StartShareScreen(url, lan=lan, command=command), self._start_answered
            )
        else:
            self.app.push_screen(ShareScreen(url, lan=lan, command=command))

    def _start_answered(self, start: bool | None) -> None:
        # Esc gives up a session that has not begun: nothing to ask, nothing to sum up. (Only
        # one still waiting: started from the page meanwhile, it goes on.)
        if start:
            self.engine.start()
        elif self.engine.waiting:
            self.engine.stop()

    def _started_elsewhere(self) -> None:
        """Started from the page: the start dialog has done its job. On top, it closes; under
        another screen (the palette, the quit question), it becomes the plain share dialog."""
        from timer_app.views.tui.screens.share import StartShareScreen

        for screen in self.app.screen_stack:
            if isinstance(screen, StartShareScreen) and screen.waiting:
                if screen is self.app.screen:
                    screen.dismiss(True)
                else:
                    screen.started()

    def _told(self, text: str) -> None:
        """A page used a control: said here, so whoever is at the desk knows why the session
        paused or moved on."""
        self._from_browser = True
        self.notify(text, title="Shared session", timeout=4, markup=False)

    def action_share(self) -> None:
        """Start sharing, or show the address and its QR code again."""
        if self.sharing is None:
            self.run_worker(self.start_sharing(), group="share", exclusive=True)
            return
        self._show_share_dialog()

    def action_show_cautions(self) -> None:
        """The exercise's cautions in a dialog (the session pauses while it is open)."""
        from timer_app.views.tui.screens.notice import NoticeScreen

        step = self._step
        if step is not None and step.exercise.cautions:
            self.app.push_screen(
                NoticeScreen("Cautions", [(step.exercise.name, step.exercise.cautions)])
            )

    @work(group="confirm", exclusive=True)
    async def action_quit_session(self) -> None:
        """Ask first (the session is paused while asking); Stop ends it with the summary."""
        from timer_app.views.tui.screens.confirm import ConfirmScreen

        if self.engine.state == "finished":
            return
        if self.engine.waiting:
            # Nothing has begun, so nothing to lose and no summary to offer: give it up.
            if traits_of(self.app.screen).waiting:
                self.app.screen.dismiss(False)
            else:
                self.engine.stop()
            return
        question = ConfirmScreen(
            "Stop this session and see the summary?", yes="Stop", no="Keep going"
        )
        self._quit_question = question
        try:
            if await self.app.push_screen_wait(question):
                # Paused by the question: it ends as of then, so the summary does not count
                # the moment spent answering as a pause. (A pause of the person's own counts.)
                self.engine.stop(as_of_pause=self._paused_for_overlay)
        finally:
            self._quit_question = None

    # -- whatever covers the session pauses it ------------------------------------------------

    def on_screen_suspend(self) -> None:
        # Help, the command palette, the quit question: the person is reading, not stretching.
        # (Not the share dialog: the page opened from it should find the session running.)
        if traits_of(self.app.screen).PAUSES_SESSION:
            self._paused_for_overlay = self.engine.pause()

    def on_screen_resume(self) -> None:
        if self._quit_question is not None and self._quit_question.answer:
            return  # the session is stopping: no count-in first
        if self._paused_for_overlay:
            self._paused_for_overlay = False
            self.engine.resume()  # with the count-in, as space does

    @on(Button.Pressed, "#pause-button")
    def pause_pressed(self) -> None:
        self.action_control("pause")

    @on(Button.Pressed, "#skip-button")
    def skip_pressed(self) -> None:
        self.action_control("skip")

    @on(Button.Pressed, "#back-button")
    def back_pressed(self) -> None:
        self.action_control("back")

    def key_description(self, binding: Binding) -> str:
        """How the key bar words a key now: the pause key says Resume while paused."""
        if binding.id == "pause" and self.engine.state == "paused":
            return RESUME_LABEL
        return binding.description

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "show_cautions":
            return self._step is not None and bool(self._step.exercise.cautions)
        return True


def caution_mark(count: int) -> str:
    """The line that stands for an exercise's cautions where they do not fit."""
    if count == 0:
        return ""
    if count == 1:
        return f"\u26a0 Caution: press {CAUTIONS_KEY} to read it"
    return f"\u26a0 {count} cautions: press {CAUTIONS_KEY} to read them"


def _rows(lines: Sequence[str], width: int) -> int:
    """Rows the lines take when wrapped at word boundaries, as a Static wraps them."""
    return sum(len(textwrap.wrap(line, width)) or 1 for line in lines)

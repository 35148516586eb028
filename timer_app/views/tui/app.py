"""Provides `StretchApp`: the picker, the session and its summary, stats, settings and help.

Textual itself takes most of the start-up time, so the app draws its first frame before it
reads any routine file or the history.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import App, ComposeResult, SystemCommand
from textual.binding import BindingType
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Static

from timer_app.companions import Companions
from timer_app.config.settings import Settings
from timer_app.core.controls import BY_ID
from timer_app.core.stops import by_name, installable
from timer_app.views.tui.bindings import (
    COPY_WORDS,
    binding,
    f1_help,
    general_words,
    is_stock,
    shortcuts,
)
from timer_app.views.tui.screens.traits import traits_of

if TYPE_CHECKING:
    from textual.driver import Driver
    from textual.worker import Worker

    # The screens and the routine library are imported after the first frame is drawn.
    from timer_app.core.model import Routine
    from timer_app.core.plan import Plan
    from timer_app.history.report import Overview
    from timer_app.routines.catalog import Library
    from timer_app.routines.problems import Problem
    from timer_app.session.clock import Clock
    from timer_app.session.events import Finished
    from timer_app.sound.notice import Notice
    from timer_app.views.tui.screens.builder import BuilderScreen
    from timer_app.views.tui.screens.picker import PickerScreen
    from timer_app.views.tui.screens.session import EngineHook, SessionScreen
    from timer_app.views.tui.screens.sound import SoundChoice


@dataclass(frozen=True)
class LibrarySaved:
    """The routines as read again after the builder saved `routine_id`."""

    library: Library
    routine_id: str


@dataclass(frozen=True)
class HistoryRead:
    """The history as last read: None when there is none to show, with `off_reason` when it
    is off for this run."""

    overview: Overview | None
    off_reason: str | None


class StretchApp(App[int]):
    """The full-screen stretch-timer.

    Screens learn what the app learns by watching its reactives (`sound_notices`,
    `library_saved`, `history_read`), rather than the app reaching into each screen.
    """

    sound_notices: var[tuple[Notice, ...]] = var(())
    """What sound and voice have said about themselves; each session's header shows it."""
    library_saved: var[LibrarySaved | None] = var(None)
    """The routines after the builder's last save: the picker and the builder show them."""
    history_read: var[HistoryRead | None] = var(None)
    """The history as last read: the picker's streak, the summary's total for today."""

    CSS_PATH = "stretch.tcss"
    TITLE = "stretch-timer"
    BINDINGS: ClassVar[list[BindingType]] = [binding("help"), f1_help()]

    def __init__(
        self,
        *,
        plan: Plan | None = None,
        library: Library | None = None,
        routine_dirs: Sequence[Path] = (),
        settings: Settings | None = None,
        settings_problems: Sequence[Problem] = (),
        clock: Clock | None = None,
        hooks: Sequence[EngineHook] = (),
        companions: Companions | None = None,
        share: str | None = None,
        build: bool = False,
        notices: Sequence[str] = (),
        command_line: Sequence[str] = (),
    ) -> None:
        """`plan`: start this session straight away (`stretch run ID`); else show the picker.
        `library`: where `plan` came from, so problems in its other files are shown here.
        `companions`: sound, voice and history for the sessions (default: silent and
        unrecorded, as in tests); with history on, the picker shows streaks and stats.
        `share` (`local` or `lan`): serve each session to browsers from its start.
        `build`: open the routine builder over the picker (`stretch new`).
        `notices`: said above the picker's list (a reminder missed for want of a desktop).
        `command_line`: the words typed after `stretch` to start `plan`, kept whole in the
        command a session shared on this computer suggests for sharing to a phone."""
        super().__init__()
        self.build = build
        self.notices = list(notices)
        self.plan = plan
        self.routine_dirs = list(routine_dirs)
        self.settings = settings or Settings()
        self.settings_problems = list(settings_problems)
        self.clock = clock
        self.hooks = list(hooks)
        self.library: Library | None = library
        """The routines; with `plan`, the library it came from (its problems are shown)."""
        self.share = share
        self.command_line = list(command_line) if plan is not None else []
        self.companions = companions or Companions(sound="off")
        self.companions.sound_notify = self._sound_notice
        self.companions.history_notify = self._history_notice
        self.companions.ring = self._ring
        self._finale: Worker[None] | None = None
        """The last session's companions finishing (sound played out, history written)."""
        self._hung_up = contextlib.ExitStack()
        """Holds the repaints back once the terminal has hung up (left open: it never returns)."""
        self._signal_status: int | None = None
        """The exit status of the stop signal received, once one has been."""

    def compose(self) -> ComposeResult:
        yield Static("stretch-timer \u00b7 loading routines\u2026", id="splash")

    def on_mount(self) -> None:
        self._apply_settings()
        if self.plan is not None:
            # `stretch run ID`: the plan is read already, so the session is the first frame.
            self._begin()
        else:
            # Reading routine files waits until the first frame is on screen.
            self.call_after_refresh(self._begin)

    def _apply_settings(self) -> None:
        theme = self.settings.theme
        if theme in self.available_themes:
            self.theme = theme
        else:
            from timer_app.config.settings import settings_path
            from timer_app.routines.problems import Problem

            self.settings_problems.append(
                Problem(settings_path(), 0, 0, f"theme: no theme called '{theme}'")
            )
        if self.settings.keys:
            self.set_keymap(dict(self.settings.keys))

    def _begin(self) -> None:
        self._install_signal_handlers()
        # The audio device opens in a thread while routines load and the person chooses.
        self.companions.start_opening()
        if self.plan is not None and self.library is not None:
            self._report_library(self.library)
        if self.plan is None:
            # Imported only here: `stretch run ID` draws its session without the picker.
            from timer_app.core.plan import Overrides
            from timer_app.routines.cache import cached_library
            from timer_app.views.tui.screens.picker import PickerScreen

            self.library = cached_library(self.routine_dirs)
            self._report_library(self.library)
            defaults = Overrides(prepare=self.settings.prepare)
            self.push_screen(PickerScreen(self.library, defaults, " ".join(self.notices)))
            self.refresh_history()
            if self.build:
                self.open_builder()
        if self.settings_problems:
            from timer_app.views.tui.screens.notice import NoticeScreen, by_file

            # First, and until closed: the values in force are not the ones the user wrote.
            notice = NoticeScreen(
                "Settings file problems",
                by_file(self.settings_problems),
                "Using the defaults for these.",
            )
            self.push_screen(notice, self._settings_noticed)
        else:
            self._settings_noticed(None)

    def _settings_noticed(self, _: None) -> None:
        from timer_app.config.acknowledgement import acknowledged

        if not acknowledged():
            from timer_app.views.tui.screens.safety import SafetyScreen

            self.push_screen(SafetyScreen(), self._safety_answered)
        elif self.plan is not None:
            self.start_session(self.plan)

    def _ring(self) -> None:
        # The terminal bell through Textual: stdout is where the screen is drawn.
        self.bell()

    def _sound_notice(self, notice: Notice) -> None:
        """A sound or voice notice ("Sound: ...", "Voice: ..."): kept, and said once in the
        session's header line, where it covers nothing."""
        if notice not in self.sound_notices:
            self.sound_notices = (*self.sound_notices, notice)

    def _history_notice(self, text: str) -> None:
        self.notify(text, title="History", severity="warning", timeout=12, markup=False)

    def action_toggle_mute(self) -> None:
        """Mute or unmute cues and voice, and say which it is now."""
        muted = self.companions.toggle_mute()
        self.notify("Sound off" if muted else "Sound on", timeout=2, markup=False)

    def on_unmount(self) -> None:
        self.companions.close()

    # -- sound options --------------------------------------------------------------------------

    def action_sound_options(self) -> None:
        """The sound dialog: cue set (heard as chosen), the last seconds, the halfway time."""
        from timer_app.views.tui.screens.sound import SoundChoice, SoundScreen

        companions = self.companions
        current = SoundChoice(companions.cue_set, companions.count_last, companions.say_halfway)
        self.push_screen(
            SoundScreen(current, preview=companions.preview),
            partial(self._sound_chosen, current),
        )

    def _sound_chosen(self, before: SoundChoice, choice: SoundChoice | None) -> None:
        if choice is None:
            # Left with Esc: back to the set it had (one previewed plays until now).
            self.companions.use_cues(before.cues)
            return
        self.companions.use_cues(choice.cues)
        self.companions.count_and_halfway(choice.count_last, choice.say_halfway)
        self._keep_settings(
            cues=choice.cues, count_last=choice.count_last, say_halfway=choice.say_halfway
        )

    def choose_cue_set(self, cue_set: str) -> None:
        """The command palette's choice of a cue set: heard at once, and kept."""
        self.companions.preview(cue_set)
        self._keep_settings(cues=cue_set)
        self.notify(f"Cues: {cue_set}", timeout=3, markup=False)

    def _keep_settings(self, **values: str | bool) -> None:
        """Make these the settings in force, and save those that changed for next time."""
        from dataclasses import replace

        changed = {k: v for k, v in values.items() if getattr(self.settings, k) != v}
        if not changed:
            return
        self.settings = replace(self.settings, **changed)  # type: ignore[arg-type]
        self.run_worker(self._save_settings(changed), group="settings")

    async def _save_settings(self, values: dict[str, str | bool]) -> None:
        from timer_app.config.settings import save_setting

        for name, value in values.items():
            # A file write waits for the disk: never on the screen's thread.
            problem = await asyncio.to_thread(save_setting, name, value)
            if problem is not None:
                self.notify(
                    f"Not saved for next time: {problem}.",
                    title="Settings",
                    severity="warning",
                    timeout=8,
                    markup=False,
                )
                return

    # -- ways out -------------------------------------------------------------------------------

    def _live_session(self) -> SessionScreen | None:
        from timer_app.views.tui.screens.session import SessionScreen

        for screen in self.screen_stack:
            if isinstance(screen, SessionScreen) and screen.engine.state != "finished":
                return screen
        return None

    async def action_quit(self) -> None:
        """ctrl+q (and q outside a session): in a session, ask first, as q does; in the
        builder with unsaved changes, too."""
        from timer_app.views.tui.screens.builder import BuilderScreen

        session = self._live_session()
        builders = [screen for screen in self.screen_stack if isinstance(screen, BuilderScreen)]
        if session is not None:
            session.action_quit_session()
        elif builders and builders[-1].unsaved:
            builders[-1].leave(lambda: self.run_worker(self._leave(0), group="leave"))
        else:
            await self._leave(0)

    def action_help_quit(self) -> None:
        """ctrl+c: in a session it asks to stop, as q does; elsewhere Textual's hint."""
        session = self._live_session()
        if session is not None:
            session.action_quit_session()
        else:
            super().action_help_quit()

    def _install_signal_handlers(self) -> None:
        # Closing the terminal (SIGHUP), `kill` (SIGTERM) or a SIGINT from outside (Textual
        # reads ctrl+c as a key) would otherwise end the process with the terminal still in
        # the app's mode and the exercise in progress lost.
        loop = asyncio.get_running_loop()
        for sig, stop in installable():
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(sig, self._on_stop_signal, stop.status)

    def get_driver_class(self) -> type[Driver]:
        driver_class = super().get_driver_class()
        if sys.platform == "win32":
            return driver_class
        from textual.drivers.linux_driver import LinuxDriver

        if driver_class is not LinuxDriver:
            return driver_class  # one chosen with TEXTUAL_DRIVER
        from timer_app.views.tui.driver import TerminalDriver

        return TerminalDriver

    def _on_stop_signal(self, status: int) -> None:
        if self._signal_status is not None:
            self.exit(self._signal_status, return_code=self._signal_status)  # a second one
            return
        self._signal_status = status
        if status == by_name("SIGHUP").status:
            # The terminal is gone: every write to it fails, and Textual's output thread ends
            # at the first one. Draw nothing more, so its queue of writes never fills and
            # blocks the way out; the session is still stopped and recorded below.
            self._hung_up.enter_context(self.batch_update())
        self.run_worker(self._stop_for_signal(status), group="signal")

    async def _stop_for_signal(self, status: int) -> None:
        """End the session as stopped (recorded, the exercise as partial), then leave."""
        session = self._live_session()
        if session is not None:
            session.engine.stop()
        await self.companions.session_over()
        self.exit(status, return_code=status)

    def _safety_answered(self, understood: bool | None) -> None:
        from timer_app.config.acknowledgement import remember

        if not understood:
            self.exit(
                1,
                return_code=1,
                message="The safety note was not acknowledged; it shows again next time.",
            )
            return
        if not remember():
            self.notify(
                "Could not save that you have read the safety note; it will show again.",
                severity="warning",
                markup=False,
            )
        if self.plan is not None:
            self.start_session(self.plan)

    def _report_library(self, library: Library) -> None:
        if not library.problems and not library.notices and not library.warnings:
            return
        lines = [str(problem) for problem in library.problems[:12]]
        if len(library.problems) > 12:
            lines.append(f"... and {len(library.problems) - 12} more (see `stretch list`)")
        lines += library.notices
        lines += [str(warning) for warning in library.warnings[:4]]
        broken = len(library.broken_files)
        title = (
            f"{broken} routine file{'s' if broken != 1 else ''} could not be loaded"
            if broken
            else "Note"
        )
        self.notify(
            "\n".join(lines),
            title=title,
            severity="error" if broken else "information",
            timeout=15,
            markup=False,
        )

    # -- sessions -------------------------------------------------------------------------------

    def on_picker_screen_start_requested(self, message: PickerScreen.StartRequested) -> None:
        self.start_session(message.plan)

    def start_session(self, plan: Plan) -> None:
        from timer_app.views.tui.screens.session import SessionScreen

        screen = SessionScreen(
            plan,
            clock=self.clock,
            count_in=self.settings.count_in,
            figures=self.settings.figures,
            cue_set=self.companions.cue_set,
            hooks=[self.companions.attach, *self.hooks],
            share=self.share,
            # The command line started its own routine; one chosen later in the picker is
            # started by its id.
            command_line=self.command_line
            if self.plan is not None and plan.routine.id == self.plan.routine.id
            else (),
            routine_dirs=self.routine_dirs,
        )
        self.push_screen(screen, partial(self._session_ended, plan))

    def _session_ended(self, plan: Plan, finished: Finished | None) -> None:
        from timer_app.views.tui.screens.summary import SummaryScreen

        self._finale = self.run_worker(self.companions.session_over(), group="companions")
        # What was read before this session was recorded is out of date: forgotten (quietly),
        # so the summary shows only the read that comes next.
        self.set_reactive(StretchApp.history_read, None)
        if finished is not None and not finished.began:
            # Given up before it started (Esc at the share dialog): nothing to sum up. (After
            # a stop signal, the signal's own way out sets the exit status.)
            if self._signal_status is None:
                self._summary_closed(None)
        # After a stop signal the app is on its way out: no summary to draw over that.
        elif finished is not None and self._signal_status is None:
            self.push_screen(SummaryScreen(plan, finished), self._summary_closed)
        # The streak and today's total change with the session just recorded.
        self.refresh_history()

    def _summary_closed(self, _: None) -> None:
        if self.plan is not None:
            self.run_worker(self._leave(0), group="leave")

    async def _leave(self, status: int) -> None:
        """Exit once the last session's finale (the fanfare, "Routine complete.") has been
        heard: closing the app closes the audio device. The finale waits at most 3 s."""
        from textual.worker import WorkerCancelled, WorkerFailed

        if self._finale is not None:
            # A finale that failed or was cancelled has nothing left to wait for.
            with contextlib.suppress(WorkerCancelled, WorkerFailed):
                await self._finale.wait()
        self.exit(status)

    # -- the routine builder --------------------------------------------------------------------

    def on_picker_screen_build_requested(self, message: PickerScreen.BuildRequested) -> None:
        self.open_builder(message.routine, copy=message.copy)

    def open_builder(self, routine: Routine | None = None, *, copy: bool = False) -> None:
        """Open the builder: a new routine, one of the person's own, or a copy of any."""
        from timer_app.routines.draft import Draft
        from timer_app.views.tui.screens.builder import BuilderScreen, routine_heading

        library = self.library
        if library is None:
            return
        if routine is None:
            draft = Draft()
        else:
            taken = set(library.routines)
            draft = Draft.from_routine(routine, library.exercises, copy=copy, taken=taken)
        self.push_screen(BuilderScreen(draft, library, heading=routine_heading(routine, copy)))

    def on_builder_screen_saved(self, message: BuilderScreen.Saved) -> None:
        """Read the routines again, so the picker lists the one saved, highlighted."""
        from timer_app.routines.cache import cached_library

        self.library = cached_library(self.routine_dirs)
        self.library_saved = LibrarySaved(self.library, message.routine_id)

    # -- reminders ----------------------------------------------------------------------------

    def on_picker_screen_reminders_requested(self, _: PickerScreen.RemindersRequested) -> None:
        from timer_app.views.tui.screens.reminders import RemindersScreen

        if self.library is not None:
            self.push_screen(RemindersScreen(self.library, terminal=self.settings.terminal))

    # -- history --------------------------------------------------------------------------------

    def refresh_history(self) -> None:
        """Read the history in a worker thread, then show it on the picker and the summary."""
        if self.companions.history is not None:
            # A failure here must not end the app (nor the summary of a session just done).
            self.run_worker(
                self._read_history(), group="history", exclusive=True, exit_on_error=False
            )

    async def _read_history(self) -> None:
        from timer_app.history.records import utc_now
        from timer_app.history.report import read_overview

        history = self.companions.history
        if history is None:
            return
        # The session that just ended may still be writing its last outcome.
        await self.companions.history_written()
        overview = await asyncio.to_thread(read_overview, history, now=utc_now())
        self._show_history(overview, history.off_reason)

    def _show_history(self, overview: Overview | None, off_reason: str | None) -> None:
        self.history_read = HistoryRead(overview, off_reason)

    def action_stats(self) -> None:
        """Open the stats screen: streaks and the last weeks."""
        from timer_app.views.tui.screens.stats import StatsScreen

        self.push_screen(StatsScreen(self.companions.history))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # No stats key, and no palette entry, when this run keeps no history.
        if action == "stats":
            return self.companions.history_wanted
        return True

    # -- help and the command palette -----------------------------------------------------------

    def action_help(self) -> None:
        from timer_app.views.tui.screens.help import HelpScreen

        # One row per thing done, with all its keys ("n →  Skip ..."), every row in our words:
        # ours first, then what Textual's widgets do here (tab, a list's arrows), and only the
        # keys that do something on this screen.
        screen = self.screen
        enter = traits_of(screen).ENTER_WORDS
        ours: dict[str, list[str]] = {}
        general: dict[str, list[str]] = {}
        help_keys: list[str] = []
        for key, active in shortcuts(screen).items():
            binding = active.binding
            display = self.get_key_display(binding) or key
            if binding.action in ("help", "app.help"):
                help_keys.append(display)  # said last, with the palette's key
                continue
            if binding.action == "command_palette" or not active.enabled:
                continue
            text: str | None
            if binding.action in ("quit", "app.quit"):
                text, group = self._quit_words(), ours
            elif is_stock(active):
                text, group = general_words(active, screen, enter), general
            else:
                text, group = binding.tooltip or binding.description, ours
            if not text:
                continue
            keys = group.setdefault(text, [])
            if display not in keys:
                keys.append(display)
        if self._live_session() is not None and COPY_WORDS in general:
            # In a session ctrl+c copies a selection, and with none asks to stop as q does.
            general[f"{COPY_WORDS}; with none, quit as q does"] = general.pop(COPY_WORDS)
        rows = [(" ".join(keys), text) for group in (ours, general) for text, keys in group.items()]
        rows.append(("ctrl+p", "Command palette: every action by name"))
        rows.append((" ".join(help_keys), "This help"))
        self.push_screen(HelpScreen(rows))

    def _quit_words(self) -> str:
        """What ctrl+q does where help is asked for: in a session what q does (one row)."""
        from timer_app.views.tui.screens.builder import BuilderScreen

        if self._live_session() is not None:
            return BY_ID["quit"].description
        if isinstance(self.screen, BuilderScreen):
            return "Quit stretch-timer (asks first if there are unsaved changes)"
        return "Quit stretch-timer"

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        # Each of our actions on this screen (the bindings with an id, not a list's arrows),
        # once: where Textual's own command has the same title (Quit, Keys), ours stands, as
        # it is what the key does here. Each runs where its binding is (the app for help).
        ours: list[SystemCommand] = []
        for active in shortcuts(screen).values():
            binding = active.binding
            if not binding.id or not binding.description or not active.enabled:
                continue
            if any(command.title == binding.description for command in ours):
                continue
            ours.append(
                SystemCommand(
                    binding.description,
                    f"{binding.tooltip or binding.description} ({self.get_key_display(binding)})",
                    partial(self.run_action, binding.action, active.node),
                )
            )
        from timer_app.config.choices import CUE_SETS

        for name, about in CUE_SETS.items():
            ours.append(
                SystemCommand(
                    f"Cues: {name}",
                    f"{about[:1].upper()}{about[1:]}: plays one now, and keeps it",
                    partial(self.choose_cue_set, name),
                )
            )
        titles = {command.title for command in ours}
        # Textual's keys panel is left out: it does not close with Esc, and help lists the keys.
        keys_panel = (self.action_show_help_panel, self.action_hide_help_panel)
        for command in super().get_system_commands(screen):
            if command.title not in titles and command.callback not in keys_panel:
                yield command
        yield from ours

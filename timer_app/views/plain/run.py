"""Provides plain follow-along mode: one text line per step, for pipes, screen readers and logs.

When stdout is not a terminal every step is exactly one line, written and flushed the moment the
step starts, beginning with the session time in brackets (`[0:35] Knee to chest - left - hold
30 s (rep 1 of 3)`); no other line starts with `[`, so a script can pick the steps out. On a
terminal a status line under the steps counts down, and single keys control the session.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, TextIO

from timer_app.companions import HISTORY_GRACE, Companions
from timer_app.core.controls import BY_ID, PLAIN_CONTROLS, key_label, key_names, keymap, keys_for
from timer_app.core.durations import until_next_second
from timer_app.core.plan import Plan
from timer_app.core.stops import INTERRUPTED, installable
from timer_app.session.clock import Clock
from timer_app.session.engine import Engine
from timer_app.session.events import ClockJumped, Event, Finished, Paused, StepStarted
from timer_app.session.perform import perform
from timer_app.views.foreground import foreground_reached, in_foreground, keys_in_background
from timer_app.views.plain.lines import (
    event_line,
    get_ready_lines,
    header_lines,
    keys_lines,
    note_text,
    status_text,
    summary_lines,
)

if TYPE_CHECKING:
    from timer_app.share.server import ShareServer

from timer_app.views.plain.terminal import (
    KeyReader,
    fileno,
    isatty,
    restore_signal_handlers,
    saved_signal_handlers,
)

__all__ = ["run_plain"]

CLEAR_LINE = "\r\x1b[K"
STOP_QUESTION = "Stop this session? Press y to stop and see the summary, any other key to go on."


def run_plain(
    plan: Plan,
    *,
    stdout: TextIO,
    stdin: TextIO,
    count_in: float = 3.0,
    clock: Clock | None = None,
    companions: Companions | None = None,
    keys: Mapping[str, str] | None = None,
    share: str | None = None,
    countdown: bool = True,
    command_line: Sequence[str] = (),
) -> int:
    """Run a session in plain mode and return the exit status.

    0 when the routine is completed or the person quits with `q`; 130 after Ctrl+C (SIGINT);
    143 after SIGTERM. The terminal is restored in every case, and the summary is printed.
    `companions` (default: silent, no history) plays the cues and records the session; a sound
    or history problem is one note line, and with history the run ends with today's total.
    `keys` are the user's remapped keys (`keys:` in settings), as in the full-screen app.
    `share` (`local` or `lan`): serve the session to browsers from the start; the share key
    starts it later (on this computer only, unless `lan` was asked for).
    `countdown`: on a terminal, redraw a countdown line under the step lines each second
    (`plain_countdown: false` in the settings leaves it out: a screen reader may read out
    every redraw).
    `command_line`: the words typed after `stretch` to start it, kept whole in the command a
    session shared on this computer suggests for sharing to a phone.
    """
    session = _PlainSession(
        plan,
        stdout=stdout,
        stdin=stdin,
        count_in=count_in,
        clock=clock,
        companions=companions or Companions(sound="off"),
        keys=keys or {},
        share=share,
        countdown=countdown,
        command_line=command_line,
    )
    previous = saved_signal_handlers()
    try:
        return asyncio.run(session.main())
    except KeyboardInterrupt:
        # Ctrl+C landed before our handler was installed (or after it was removed).
        session.restore_terminal()
        session.status = session.status or INTERRUPTED
        session.write_summary(None)
        return session.status
    finally:
        session.restore_terminal()
        session.companions.close()
        restore_signal_handlers(previous)


class _PlainSession:
    """One plain-mode run: the engine, the printer listener, keys, signals and the terminal."""

    def __init__(
        self,
        plan: Plan,
        *,
        stdout: TextIO,
        stdin: TextIO,
        count_in: float,
        clock: Clock | None,
        companions: Companions,
        keys: Mapping[str, str],
        share: str | None = None,
        countdown: bool = True,
        command_line: Sequence[str] = (),
    ) -> None:
        self.plan = plan
        self.command_line = list(command_line)
        self.keymap = keymap(keys, PLAIN_CONTROLS)
        """Key name -> control id, with the user's remapping."""
        self.remapped = keys
        self.pause_key = key_label(keys_for(BY_ID["pause"], keys)[0])
        self.skip_key = key_label(keys_for(BY_ID["skip"], keys)[0])
        self.out = stdout
        # The end waits for the listeners as long as history is given to write the session
        # (a commit waits for the disk): cut at the engine's default 2 s, a slow disk lost it.
        self.engine = Engine(plan, clock=clock, count_in=count_in, listener_grace=HISTORY_GRACE)
        self.status = 0
        self.live = isatty(stdout)
        """Terminal output (the bell, a QR code, single-key controls)."""
        self.status_line = self.live and countdown
        """A status line that counts down under the step lines, redrawn each second."""
        self.keys = KeyReader(stdin, self._on_keys)
        self._terminal_fd = self.keys.fd if self.keys.fd is not None else fileno(stdout)
        """The terminal whose foreground decides whether keys and the status line are ours."""
        self._in_front: bool | None = None
        """Whether in the terminal's foreground, as last seen (None: not looked yet)."""
        self._to_front: asyncio.Task[None] | None = None
        """In the background with a terminal: takes it when an fg brings the session forward."""
        self._status_shown = False
        self._cursor_hidden = False
        self._changed: asyncio.Event | None = None
        self._stopped_for: str | None = None
        self._tstp_paused = False
        self._broken = False
        self._summary_written = False
        self._asking_stop = False
        """q was pressed: the next key answers whether to stop (y) or go on."""
        self._paused_to_ask = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self.share = share
        """Share from the start: `local` or `lan` (None: only when the share key is pressed)."""
        self._sharing: ShareServer | None = None
        self._share_task: asyncio.Task[None] | None = None
        self.companions = companions
        companions.notify = self.note
        companions.ring = self.ring

    # ----------------------------------------------------------------- main

    async def main(self) -> int:
        loop = asyncio.get_running_loop()
        self._loop = loop
        self._changed = asyncio.Event()
        self.engine.add_listener(self.on_event)
        if self.share is not None:
            # Before the header: the address is the first thing a screen reader says.
            await self._start_sharing(self.share)
        self.write_header()
        # Shared from the start: the person opens the page first, then starts (here or there),
        # so the first get-ready is not spent pointing a phone at the screen.
        wait = self.share is not None and self._sharing is not None
        if wait:
            # The device is opened now, so a notice about it (no sound card) comes before the
            # wait, not after the first step, nor after the summary of a session given up.
            await self.companions.open_now()
        # Waits for the audio device if it is still opening, so the first cue is on time.
        self.companions.attach(self.engine)
        installed = self._install_signals(loop)
        ticker: asyncio.Task[None] | None = None
        try:
            self._take_terminal(loop)
            if wait:
                from timer_app.share.words import waiting_line

                self.note(waiting_line(keys=self.keys.active))
            if self.status_line:
                ticker = loop.create_task(self._tick())
            finished = await self.engine.run(wait_for_start=wait)
        finally:
            if ticker is not None:
                ticker.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await ticker
            if self._to_front is not None:
                self._to_front.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._to_front
            for sig in installed:
                loop.remove_signal_handler(sig)
            self.restore_terminal()
            await self._stop_sharing()
        self.write_summary(finished)
        await self.companions.session_over()
        await self.write_today()
        return self.status

    def _install_signals(self, loop: asyncio.AbstractEventLoop) -> list[int]:
        wanted: list[tuple[int, Callable[[], None]]] = [
            (sig, partial(self._on_stop_signal, stop.status, stop.said))
            for sig, stop in installable()
        ]
        if hasattr(signal, "SIGTSTP") and hasattr(signal, "SIGCONT"):
            wanted += [(signal.SIGTSTP, self._on_suspend), (signal.SIGCONT, self._on_continue)]
        installed = []
        for sig, handler in wanted:
            try:
                loop.add_signal_handler(sig, handler)
            except (NotImplementedError, RuntimeError, ValueError):
                continue  # not the main thread, or no POSIX signals: Ctrl+C still interrupts
            installed.append(sig)
        return installed

    def _on_stop_signal(self, status: int, name: str) -> None:
        # A closed terminal can fail a write before its SIGHUP is handled: the signal says why
        # the output broke, so its status wins over the plain failure's.
        if not self.status or self._broken:
            self.status = status
            self._stopped_for = name
        self.engine.stop()

    def _on_suspend(self) -> None:
        # Ctrl+Z: pause first, so the person comes back to a paused session instead of a clock
        # that ran on while they were away; then give the terminal back and really stop.
        self._tstp_paused = self.engine.pause()
        if self._loop is not None:
            # A moment for the printer to say "Paused" before the process stops.
            self._loop.call_later(0.05, self._suspend_now)
        else:
            self._suspend_now()

    def _suspend_now(self) -> None:
        self.restore_terminal()
        os.kill(os.getpid(), signal.SIGSTOP)

    def _on_continue(self) -> None:
        # After a Ctrl+Z, fg and bg both send SIGCONT: keys again in the foreground, none in
        # the background (where `_come_forward` waits for an fg).
        if self._loop is not None:
            self._take_terminal(self._loop)
        if self._tstp_paused and not self.keys.active:
            self.engine.resume()  # nobody can press space: carry on by ourselves
        self._tstp_paused = False
        if self._changed is not None:
            self._changed.set()

    # ----------------------------------------------------------------- terminal and keys

    def _take_terminal(self, loop: asyncio.AbstractEventLoop) -> None:
        """In the terminal's foreground: read keys, and hide the cursor under the status line.

        In a background process group (`&`, `timeout`, a Ctrl+Z then `bg`) the terminal is the
        foreground job's: no modes changed, no keys read (either would stop this process), no
        status line redrawn over its prompt; only the step lines, as in a log. Said once, and
        the keys line is said again when an fg brings the session forward.
        """
        was_in_front = self._in_front
        self._in_front = in_foreground(self._terminal_fd)
        if not self._in_front:
            self.restore_terminal()  # whatever was taken before a stop and a bg
            if was_in_front is not False and self.keys.fd is not None:
                self.note(keys_in_background(os.getpid()))
            if self._to_front is None or self._to_front.done():
                self._to_front = loop.create_task(self._come_forward(loop))
            return
        if self.status_line and not self._cursor_hidden:
            self._write("\x1b[?25l")  # hide the cursor under the countdown
            self._cursor_hidden = True
        if self.keys.start(loop) and was_in_front is False:
            self.write_keys()

    async def _come_forward(self, loop: asyncio.AbstractEventLoop) -> None:
        """In the background: take the terminal once an fg brings the session forward."""
        await foreground_reached(self._terminal_fd)
        self._take_terminal(loop)
        if self._changed is not None:
            self._changed.set()  # the status line, at once

    def restore_terminal(self) -> None:
        """Put the terminal back as it was; safe to call any number of times."""
        self.keys.stop()
        if self._cursor_hidden:
            self._clear_status()
            self._write("\x1b[?25h")
            self._cursor_hidden = False

    def _on_keys(self, text: str) -> None:
        for key in key_names(text):
            self.on_key(key)

    def on_key(self, key: str) -> None:
        """Act on one key press, named as the app names keys (`space`, `right`, `n`)."""
        control_id = self.keymap.get(key)
        if self.engine.waiting and (key == "enter" or control_id == "pause"):
            self.engine.start()
            return
        if self._asking_stop:
            self._answer_stop(key == "y")
            return
        if control_id is None:
            return
        control = BY_ID[control_id]
        if control.call is not None and self.engine.waiting:
            # Nothing to skip or extend yet; its "refused" words would be about a running step.
            from timer_app.share.words import waiting_line

            self.note(waiting_line(keys=True))
        elif control.call is not None:
            changed = perform(self.engine, control)
            if not changed and control.refused:
                self.note(control.refused)
        elif control_id == "mute":
            muted = self.companions.toggle_mute()
            self.note("Sound off." if muted else "Sound on.")
        elif control_id == "help":
            self.write_keys()
        elif control_id == "share":
            if self._sharing is not None:
                self._show_address(self._sharing)
            elif self._share_task is None and self._loop is not None:
                self._share_task = self._loop.create_task(self._start_sharing("local"))
        elif control_id == "quit":
            if self.engine.waiting:
                self._stopped_for = "q"
                self.engine.stop()  # nothing has begun: nothing to ask
                return
            # As the app asks: a stray q must not end the session. Paused while asking.
            self._paused_to_ask = self.engine.pause()
            self._asking_stop = True
            if not self._paused_to_ask:
                self.note(STOP_QUESTION)  # else after the pause's line (see on_event)

    def _answer_stop(self, stop: bool) -> None:
        self._asking_stop = False
        if stop:
            self._stopped_for = "q"
            # Paused only to ask: it ends as of then, so the answer is not counted as a pause.
            self.engine.stop(as_of_pause=self._paused_to_ask)
        elif self._paused_to_ask:
            self.engine.resume()  # with its count-in, and its line
        else:
            self.note("Still paused.")

    # ----------------------------------------------------------------- sharing

    async def _start_sharing(self, where: str) -> None:
        # Imported here: without sharing, no web library is ever loaded.
        from timer_app.share.server import ShareError
        from timer_app.share.session import share_session

        try:
            self._sharing = await share_session(
                self.engine, where, note=self.note, cue_set=self.companions.cue_set
            )
        except ShareError as error:
            self.note(f"Could not share this session: {error}.")
            return
        self._show_address(self._sharing)

    def _show_address(self, sharing: ShareServer) -> None:
        """The address on a line of its own, first; then, on a terminal and where a phone can
        open it, its QR code; then where it works and who may use it."""
        from timer_app.share.words import lan_command, where_lines

        self.note(f"Follow in a browser: {sharing.url}")
        if self.live and sharing.lan:
            from timer_app.share.qr import ansi_lines

            for line in ansi_lines(sharing.url):
                self.note(line)
        command = lan_command(self.plan.routine.id, given=self.command_line)
        for line in where_lines(lan=sharing.lan, command=command):
            self.note(line)

    async def _stop_sharing(self) -> None:
        if self._share_task is not None:
            self._share_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._share_task
        if self._sharing is not None:
            await self._sharing.stop()

    # ----------------------------------------------------------------- output

    def _write(self, text: str) -> None:
        if self._broken:
            return
        try:
            try:
                self.out.write(text)
            except UnicodeEncodeError:
                encoding = getattr(self.out, "encoding", None) or "ascii"
                self.out.write(text.encode(encoding, "replace").decode(encoding))
            self.out.flush()
        except (BrokenPipeError, OSError, ValueError):
            # Nobody can read us any more: end the session rather than time it for no one.
            self._broken = True
            self.status = self.status or 1
            self.engine.stop()

    def _line(self, text: str) -> None:
        """Write a whole line, above the status line when there is one."""
        self._clear_status()
        self._write(text + "\n")

    def note(self, text: str) -> None:
        """Write a line that is not a step line (a notice, the header, the summary)."""
        self._line(note_text(text))

    def ring(self) -> None:
        """The bell backend's ring: on a terminal only; a pipe or a log gets no BEL bytes."""
        if self.live:
            self._write("\a")

    def write_header(self) -> None:
        for line in header_lines(self.plan):
            self.note(line)
        if self.keys.fd is not None and in_foreground(self.keys.fd):
            self.write_keys()

    def write_keys(self) -> None:
        """Every key, in lines that fit the terminal (80 columns where output is no terminal),
        so no line's end wraps alone."""
        width = shutil.get_terminal_size().columns if self.live else 80
        for line in keys_lines(self.remapped, width):
            self.note(line)

    def on_event(self, event: Event) -> None:
        """The printer: one line per step, short notices for the rest."""
        if isinstance(event, Finished):
            # Written here rather than after run() returns: the end is announced on time.
            self.write_summary(event)
            return
        asking = isinstance(event, Paused) and self._asking_stop
        # Paused to ask whether to stop: the question is the last thing said, not "press space".
        pause_key = self.pause_key if self.keys.active and not asking else None
        skip_key = self.skip_key if self.keys.active else None
        line = event_line(event, pause_key=pause_key, skip_key=skip_key)
        if isinstance(event, StepStarted):
            assert line is not None
            self._line(line)  # the one kind of line that starts with "["
            for detail in get_ready_lines(self.plan, event.step):
                self.note(detail)
        elif line is not None:
            self.note(line)
        if asking:
            self.note(STOP_QUESTION)
        if isinstance(event, ClockJumped) and not self.keys.active and not self._tstp_paused:
            # No keyboard to resume with; a plain run must never hang paused.
            asyncio.get_running_loop().call_soon(self.engine.resume)
        if self._changed is not None:
            self._changed.set()  # the ticker redraws the status line and re-aims its wakeup

    def write_summary(self, finished: Finished | None) -> None:
        if self._summary_written:
            return
        self._summary_written = True
        self._clear_status()
        head, *rows = summary_lines(self.plan, finished, self._stopped_for)
        self.note(head)
        for row in rows:
            self.note(row)

    async def write_today(self) -> None:
        """After the summary: today's stretching time and the streak, from history."""
        history = self.companions.history
        if history is None or not history.enabled or self._broken:
            return
        from timer_app.history.records import utc_now
        from timer_app.history.report import read_overview, streak_text, today_text

        overview = await asyncio.to_thread(read_overview, history, now=utc_now())
        if overview is None or not overview.today_sessions:
            return
        self.note(f"{today_text(overview)}. {streak_text(overview.streak)}")

    # ----------------------------------------------------------------- live status line

    def _redraw(self) -> None:
        if not self.status_line or not self._in_front or self.engine.state in ("idle", "finished"):
            return
        self._write(CLEAR_LINE + status_text(self.engine, self.pause_key))
        self._status_shown = True

    def _clear_status(self) -> None:
        if self._status_shown:
            self._write(CLEAR_LINE)
            self._status_shown = False

    def _next_redraw(self) -> float | None:
        """When the shown countdown next changes, on the engine clock (None: only on events)."""
        engine = self.engine
        if engine.state == "running" and engine.deadline is not None:
            end = engine.deadline
        elif engine.state == "counting-in":
            end = engine.clock.now() + engine.count_in_remaining()
        else:
            return None
        now = engine.clock.now()
        # Just after the shown whole second runs out, so the new number is the right one.
        return now + until_next_second(end - now) + 0.005

    async def _tick(self) -> None:
        """Redraw the status line once a second while the clock runs; never busy-waits."""
        assert self._changed is not None
        changed = self._changed
        clock = self.engine.clock
        while True:
            self._redraw()
            changed.clear()
            target = self._next_redraw()
            waiter = asyncio.ensure_future(changed.wait())
            sleeper = None if target is None else asyncio.ensure_future(clock.sleep_until(target))
            try:
                await asyncio.wait(
                    [waiter] if sleeper is None else [waiter, sleeper],
                    return_when=asyncio.FIRST_COMPLETED,
                )
            finally:
                waiter.cancel()
                if sleeper is not None:
                    sleeper.cancel()

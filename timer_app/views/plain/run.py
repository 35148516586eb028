"""Provides plain follow-along mode: one text line per step, for pipes, screen readers and logs.

When stdout is not a terminal every step is exactly one line, written and flushed the moment the
step starts, beginning with the session time in brackets (`[00:35] Knee to chest - left - hold
30 s (rep 1 of 3)`); no other line starts with `[`, so a script can pick the steps out. On a
terminal a status line under the steps counts down, and single keys control the session.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import math
import os
import signal
from collections.abc import Callable, Mapping
from typing import Any, TextIO

from timer_app.config.safety import SAFETY_NOTE
from timer_app.core.controls import BY_ID, CONTROLS, key_label, key_names, keymap, keys_for
from timer_app.core.durations import format_clock, until_next_second
from timer_app.core.plan import Plan
from timer_app.session.clock import Clock
from timer_app.session.engine import Engine
from timer_app.session.events import (
    ClockJumped,
    Event,
    Extended,
    Finished,
    Paused,
    Resumed,
    Skipped,
    StepStarted,
    WentBack,
)
from timer_app.views.companions import Companions

__all__ = ["EXIT_SIGINT", "EXIT_SIGTERM", "format_elapsed", "run_plain"]

EXIT_SIGINT = 130
EXIT_SIGTERM = 143
CLEAR_LINE = "\r\x1b[K"


def _span(seconds: float) -> str:
    # Summary times round to the nearest second; format_clock rounds up, as countdowns must.
    return format_clock(round(seconds))


def format_elapsed(seconds: float) -> str:
    """Session time as `mm:ss` (minutes keep counting past the hour): `00:35`, `75:02`."""
    # Rounded to the microsecond first, so 34.9999999 (a float sum) still reads as 00:35.
    whole = max(0, math.floor(round(seconds, 6)))
    minutes, secs = divmod(whole, 60)
    return f"{minutes:02d}:{secs:02d}"


def run_plain(
    plan: Plan,
    *,
    stdout: TextIO,
    stdin: TextIO,
    count_in: float = 3.0,
    clock: Clock | None = None,
    companions: Companions | None = None,
    keys: Mapping[str, str] | None = None,
) -> int:
    """Run a session in plain mode and return the exit status.

    0 when the routine is completed or the person quits with `q`; 130 after Ctrl+C (SIGINT);
    143 after SIGTERM. The terminal is restored in every case, and the summary is printed.
    `companions` (default: silent, no history) plays the cues and records the session; a sound
    or history problem is one note line, and with history the run ends with today's total.
    `keys` are the user's remapped keys (`keys:` in settings), as in the full-screen app.
    """
    # Everything loaded so far (routines, YAML, modules) lives for the whole run; freezing it
    # keeps the garbage collector from rescanning it all mid-session, a pause of milliseconds.
    gc.freeze()
    session = _PlainSession(
        plan,
        stdout=stdout,
        stdin=stdin,
        count_in=count_in,
        clock=clock,
        companions=companions or Companions(sound="off"),
        keys=keys or {},
    )
    previous = _signal_handlers()
    try:
        return asyncio.run(session.main())
    except KeyboardInterrupt:
        # Ctrl+C landed before our handler was installed (or after it was removed).
        session.restore_terminal()
        session.status = session.status or EXIT_SIGINT
        session.write_summary(None)
        return session.status
    finally:
        session.restore_terminal()
        session.companions.close()
        _restore_signal_handlers(previous)


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def _fileno(stream: TextIO) -> int | None:
    try:
        return stream.fileno()
    except (AttributeError, ValueError, OSError):
        return None


_HANDLED_SIGNALS = tuple(
    getattr(signal, name)
    for name in ("SIGINT", "SIGTERM", "SIGTSTP", "SIGCONT")
    if hasattr(signal, name)
)


def _signal_handlers() -> dict[int, Any]:
    try:
        return {sig: signal.getsignal(sig) for sig in _HANDLED_SIGNALS}
    except ValueError:
        return {}


def _restore_signal_handlers(previous: dict[int, Any]) -> None:
    # The event loop resets handlers to the defaults when it closes; the CLI (or a test runner)
    # calling us may have had its own.
    for sig, handler in previous.items():
        with contextlib.suppress(ValueError, OSError, TypeError):
            signal.signal(sig, handler if handler is not None else signal.SIG_DFL)


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
    ) -> None:
        self.plan = plan
        self.keymap = keymap(keys)
        """Key name -> control id, with the user's remapping."""
        self.keys_help = "Keys: " + ", ".join(
            f"{'/'.join(key_label(k) for k in keys_for(c, keys))} {c.label.lower()}"
            for c in CONTROLS
        )
        self.out = stdout
        self.stdin = stdin
        self.engine = Engine(plan, clock=clock, count_in=count_in)
        self.status = 0
        self.live = _isatty(stdout)
        """Terminal output: a status line that counts down under the step lines."""
        fd = _fileno(stdin)
        self.key_fd = fd if fd is not None and _isatty(stdin) else None
        """Where single keys come from, or None when stdin is not a terminal."""
        self._saved_tty: list[Any] | None = None
        self._reading = False
        self._status_shown = False
        self._cursor_hidden = False
        self._changed: asyncio.Event | None = None
        self._stopped_for: str | None = None
        self._tstp_paused = False
        self._broken = False
        self._summary_written = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self.companions = companions
        companions.notify = self.note
        companions.ring = self.ring

    # ----------------------------------------------------------------- main

    async def main(self) -> int:
        loop = asyncio.get_running_loop()
        self._loop = loop
        self._changed = asyncio.Event()
        self.engine.add_listener(self.on_event)
        self.write_header()
        # Waits for the audio device if it is still opening, so the first cue is on time; a
        # notice about it comes with the header.
        self.companions.attach(self.engine)
        installed = self._install_signals(loop)
        ticker: asyncio.Task[None] | None = None
        try:
            self._enter_keys(loop)
            if self.live:
                ticker = loop.create_task(self._tick())
            finished = await self.engine.run()
        finally:
            if ticker is not None:
                ticker.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await ticker
            for sig in installed:
                loop.remove_signal_handler(sig)
            self.restore_terminal()
        self.write_summary(finished)
        await self.companions.session_over()
        await self.write_today()
        return self.status

    def _install_signals(self, loop: asyncio.AbstractEventLoop) -> list[int]:
        wanted: list[tuple[int, Callable[[], None]]] = [
            (signal.SIGINT, lambda: self._on_stop_signal(EXIT_SIGINT, "Ctrl+C")),
            (signal.SIGTERM, lambda: self._on_stop_signal(EXIT_SIGTERM, "SIGTERM")),
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
        if not self.status:
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
        if self._loop is not None:
            self._enter_keys(self._loop)
        if self._tstp_paused and self.key_fd is None:
            self.engine.resume()  # nobody can press space: carry on by ourselves
        self._tstp_paused = False
        if self._changed is not None:
            self._changed.set()

    # ----------------------------------------------------------------- terminal and keys

    def _enter_keys(self, loop: asyncio.AbstractEventLoop) -> None:
        if self.live and not self._cursor_hidden:
            self._write("\x1b[?25l")  # hide the cursor under the countdown
            self._cursor_hidden = True
        if self.key_fd is None or self._saved_tty is not None:
            return
        try:
            import termios
            import tty

            self._saved_tty = termios.tcgetattr(self.key_fd)
            # cbreak, not raw: keys arrive without Enter, and Ctrl+C still sends SIGINT.
            tty.setcbreak(self.key_fd, termios.TCSANOW)
            loop.add_reader(self.key_fd, self._on_readable)
            self._reading = True
        except (ImportError, OSError, ValueError, NotImplementedError):
            # No keys then, but whatever was changed goes back first.
            self.restore_terminal()
            self.key_fd = None

    def restore_terminal(self) -> None:
        """Put the terminal back as it was; safe to call any number of times."""
        if self._reading and self._loop is not None and self.key_fd is not None:
            with contextlib.suppress(Exception):
                self._loop.remove_reader(self.key_fd)
        self._reading = False
        if self._saved_tty is not None and self.key_fd is not None:
            try:
                import termios

                termios.tcsetattr(self.key_fd, termios.TCSADRAIN, self._saved_tty)
            except (ImportError, OSError, ValueError):
                pass
            self._saved_tty = None
        if self._cursor_hidden:
            self._clear_status()
            self._write("\x1b[?25h")
            self._cursor_hidden = False

    def _on_readable(self) -> None:
        assert self.key_fd is not None
        try:
            data = os.read(self.key_fd, 64)
        except OSError:
            data = b""
        if not data:  # end of input: no more keys, but the session goes on
            if self._loop is not None:
                self._loop.remove_reader(self.key_fd)
            self._reading = False
            return
        for key in key_names(data.decode(errors="ignore")):
            self.on_key(key)

    def on_key(self, key: str) -> None:
        """Act on one key press, named as the app names keys (`space`, `right`, `n`)."""
        control_id = self.keymap.get(key)
        if control_id is None:
            return
        control = BY_ID[control_id]
        if control.call is not None:
            getattr(self.engine, control.call)(*control.args)
        elif control_id == "mute":
            muted = self.companions.toggle_mute()
            self.note("Sound off." if muted else "Sound on.")
        elif control_id == "help":
            self.note(self.keys_help)
        elif control_id == "quit":
            self._stopped_for = "q"
            self.engine.stop()

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
        # Only step lines may start with "[": scripts pick steps out by it.
        self._line(text if not text.startswith("[") else " " + text)

    def ring(self) -> None:
        """The bell backend's ring: on a terminal only; a pipe or a log gets no BEL bytes."""
        if self.live:
            self._write("\a")

    def write_header(self) -> None:
        plan = self.plan
        self.note(f"Routine: {plan.routine.title} ({format_clock(plan.total)})")
        changes = plan.overrides.describe()
        if changes:
            self.note(f"Changed for this session: {changes}")
        for line in SAFETY_NOTE.splitlines():
            self.note(line)
        if self.key_fd is not None:
            self.note(self.keys_help)

    def on_event(self, event: Event) -> None:
        """The printer: one line per step, short notices for the rest."""
        if isinstance(event, StepStarted):
            self._line(f"[{format_elapsed(event.at)}] {event.step.describe()}")
        elif isinstance(event, ClockJumped):
            self.note(
                f"Paused: the timer was held up for {event.late_by:.0f} s past the end of a step,"
                " so this step starts again."
            )
            if self.key_fd is None and not self._tstp_paused:
                # No keyboard to resume with; a plain run must never hang paused.
                asyncio.get_running_loop().call_soon(self.engine.resume)
        elif isinstance(event, Paused):
            if self.key_fd is not None:
                self.note(f"Paused with {format_clock(event.remaining)} left. Space resumes.")
            else:
                self.note(f"Paused with {format_clock(event.remaining)} left.")
        elif isinstance(event, Resumed):
            if event.count_in > 0:
                self.note(f"Resuming: get ready, {event.count_in:g} s.")
            else:
                self.note("Resumed.")
        elif isinstance(event, Skipped):
            self.note(
                "Skipped to the next exercise."
                if event.to_entry is not None
                else "Skipped the last exercise."
            )
        elif isinstance(event, WentBack):
            self.note(
                "Starting the exercise again."
                if event.restarted
                else "Back to the previous exercise."
            )
        elif isinstance(event, Extended):
            verb = "longer" if event.by > 0 else "shorter"
            self.note(
                f"This step is {abs(event.by):g} s {verb}: {format_clock(event.remaining)} left."
            )
        elif isinstance(event, Finished):
            # Written here rather than after run() returns: the end is announced on time.
            self.write_summary(event)
            return
        if self._changed is not None:
            self._changed.set()  # the ticker redraws the status line and re-aims its wakeup

    def write_summary(self, finished: Finished | None) -> None:
        if self._summary_written:
            return
        self._summary_written = True
        self._clear_status()
        title = self.plan.routine.title
        if finished is None:
            self.note(f"Stopped: {title}.")
            return
        time = _span(finished.elapsed)
        if finished.completed:
            head = f"Finished: {title} in {time}"
        else:
            why = f" ({self._stopped_for})" if self._stopped_for else ""
            head = f"Stopped{why} after {time}: {title}"
        extras = []
        if finished.paused > 0:
            extras.append(f"paused {_span(finished.paused)}")
        if finished.extended:
            extras.append(f"{finished.extended:+g} s extended")
        self.note(head + (f" ({', '.join(extras)})" if extras else "") + ".")
        done = sum(1 for outcome in finished.outcomes if outcome.status == "done")
        self.note(
            f"Exercises done: {done} of {len(finished.outcomes)};"
            f" stretching {_span(finished.active)}."
        )
        width = max((len(o.exercise.name) for o in finished.outcomes), default=0)
        for outcome in finished.outcomes:
            time_text = _span(outcome.active)
            if outcome.status == "partial":
                time_text += f" of {_span(outcome.planned_active)}"
            elif outcome.status == "skipped":
                time_text = ""
            self._line(
                f"  {outcome.status:<8} {outcome.exercise.name:<{width}}  {time_text}".rstrip()
            )
        # Give the CPU away once: whoever reads us (a terminal, a screen reader, a script) then
        # sees the end now, not after this process has finished shutting down.
        if hasattr(os, "sched_yield"):
            os.sched_yield()

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

    def _status_text(self) -> str:
        engine = self.engine
        state = engine.state
        if state == "paused":
            return f"  PAUSED  {format_clock(engine.remaining())} left - space resumes"
        if state == "counting-in":
            left = max(1, math.ceil(engine.count_in_remaining() - 1e-9))
            return f"  GET READY {left}  (then {format_clock(engine.remaining())})"
        if state == "running":
            return (
                f"  {format_clock(engine.remaining())} left"
                f"   session {format_clock(engine.session_remaining())} to go"
            )
        return ""

    def _redraw(self) -> None:
        if not self.live or self.engine.state in ("idle", "finished"):
            return
        self._write(CLEAR_LINE + self._status_text())
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

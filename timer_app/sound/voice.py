"""Provides spoken prompts: a local speech engine (espeak-ng, espeak, spd-say or say) run in a
subprocess, where the newest prompt always wins and a stale one is never spoken.

Spoken counts that lag behind the timer are the most common complaint about voice timers, so:
- `say()` returns at once; the engine runs as a subprocess the event loop merely watches;
- a new prompt stops the one being spoken (and replaces one waiting to start): prompts are never
  queued;
- a prompt that cannot start by its deadline is dropped, not spoken late.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any

from timer_app.config.voice import VoiceChoice
from timer_app.sound.notice import Notice
from timer_app.sound.speech import ENGINES, SpeechEngine, find_engine
from timer_app.sound.voices import check_choice

__all__ = ["ENGINES", "SpeechEngine", "Voice", "find_engine", "make_voice"]


class Voice:
    """Speaks prompts with a speech engine, newest first; see the module docs for the rules.

    Must be used from the event loop's thread (the engine's listeners are). `choice`: the
    voice, rate and pitch (the prompts rendered ahead use the same). `record_to`, a folder,
    makes the engine write each prompt to `NNN.wav` there instead of speaking (tests).
    """

    def __init__(
        self,
        engine: SpeechEngine,
        *,
        choice: VoiceChoice | None = None,
        record_to: Path | None = None,
    ) -> None:
        self.engine = engine
        self.choice = choice or VoiceChoice()
        self.record_to = record_to
        self.spoken: list[str] = []
        """Prompts whose speaking started, in order."""
        self.dropped: list[str] = []
        """Prompts given up: stale before they could start, or replaced while waiting."""
        self.cut: list[str] = []
        """Prompts stopped while speaking because a newer one came."""
        self.files: list[Path] = []
        """With `record_to`: the WAV file of each spoken prompt."""
        self._serial = 0
        self._waiting: dict[int, str] = {}
        """Prompts asked for and not yet started, by serial (oldest first)."""
        self._current: tuple[str, asyncio.subprocess.Process] | None = None
        self._tasks: set[asyncio.Task[Any]] = set()

    @property
    def name(self) -> str:
        return self.engine.name

    @property
    def speaking(self) -> bool:
        return self._current is not None and self._current[1].returncode is None

    @property
    def busy(self) -> bool:
        """A prompt is waiting for its time, its engine is starting, or it is being spoken."""
        return bool(self._tasks)

    def say(self, text: str, *, delay: float = 0.0, stale_after: float = 1.0) -> None:
        """Speak `text` in `delay` seconds (e.g. after a cue has sounded), unless it is more
        than `stale_after` seconds late by then, or a newer prompt has come. Returns at once."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.dropped.append(text)  # no loop to run the engine on (called from a thread)
            return
        self._serial += 1
        self._drop_waiting()
        self._waiting[self._serial] = text
        due = loop.time() + max(0.0, delay)
        self._spawn_task(self._speak(self._serial, text, due, stale_after))

    def stop(self) -> None:
        """Stop speaking now (e.g. on pause) and drop any prompt waiting to start."""
        self._serial += 1
        self._drop_waiting()
        self._stop_current()

    async def aclose(self, grace: float = 0.0) -> None:
        """Let the prompts already asked for be spoken (waiting for their time, or speaking
        now) for up to `grace` seconds, then stop everything and reap the engine processes."""
        if grace > 0 and self._tasks:
            # Before moving the serial on: a prompt due shortly (the "Routine complete." that
            # follows the last cue) is still wanted, not a stale one to drop.
            await asyncio.wait(list(self._tasks), timeout=grace)
        self._serial += 1
        self._drop_waiting()
        self._stop_current()
        tasks = list(self._tasks)
        if tasks:
            await asyncio.wait(tasks, timeout=2.0)

    # -- inside

    def _spawn_task(self, coroutine: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _speak(self, serial: int, text: str, due: float, stale_after: float) -> None:
        loop = asyncio.get_running_loop()
        wait = due - loop.time()
        if wait > 0:
            await asyncio.sleep(wait)
        if self._waiting.pop(serial, None) is None:
            return  # a newer prompt (or a stop) came while this one waited; already dropped
        if loop.time() - due > stale_after:
            self.dropped.append(text)  # too late to mean anything now
            return
        self._stop_current()
        record = None
        if self.record_to is not None:
            record = self.record_to / f"{len(self.files) + 1:03d}.wav"
            self.files.append(record)
        try:
            process = await asyncio.create_subprocess_exec(
                *self.engine.argv(text, record, self.choice),
                # Never the terminal: the engine must not read keys nor write on the screen.
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.DEVNULL,
                # Its own session, so terminal signals (Ctrl+C, Ctrl+Z) go to the app alone.
                start_new_session=sys.platform != "win32",
            )
        except (OSError, ValueError):
            self.dropped.append(text)
            return
        if serial != self._serial:
            # A newer prompt came while the engine was starting: this one is already stale.
            self._reap(process, kill=True)
            self.cut.append(text)
            return
        self.spoken.append(text)
        self._current = (text, process)
        await process.wait()
        if self._current is not None and self._current[1] is process:
            self._current = None

    def _drop_waiting(self) -> None:
        # Recorded here, when the newer prompt comes, not when each waiting task wakes: tasks
        # due at the same loop time wake in no set order, and `dropped` is read in order.
        self.dropped.extend(self._waiting.values())
        self._waiting.clear()

    def _stop_current(self) -> None:
        current, self._current = self._current, None
        if current is not None and current[1].returncode is None:
            self.cut.append(current[0])
            self._reap(current[1], kill=True)

    def _reap(self, process: asyncio.subprocess.Process, *, kill: bool) -> None:
        if kill and process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()  # SIGKILL: stops the sound at once, mid-word
        self._spawn_task(process.wait())


def make_voice(
    enabled: bool,
    notify: Callable[[Notice], None],
    *,
    choice: VoiceChoice | None = None,
    record_to: Path | None = None,
    engines: Sequence[str] | None = None,
) -> Voice | None:
    """A Voice when `enabled` and a speech engine is installed; else None (after ONE notice
    when voice was asked for but no engine was found). Never raises.

    `choice`: the voice, rate and pitch; a voice the engine does not know is replaced by its
    default English voice, after one notice (`voices.check_choice`). `record_to`: write
    prompts as WAV files into that folder instead of speaking (engines that can: espeak-ng,
    espeak, say). `engines`: limit the search to these names.
    """
    if not enabled:
        return None
    engine = find_engine(engines)
    if engine is None:
        notify(Notice("Voice", ("no speech engine found (install espeak-ng)",), "cues only"))
        return None
    choice, problem = check_choice(engine, choice or VoiceChoice())
    if problem is not None:
        notify(problem)
    if record_to is not None:
        if engine.record is None:
            notify(
                Notice(
                    "Voice", (f"{engine.name} cannot write to a file",), "prompts will be spoken"
                )
            )
            record_to = None
        else:
            try:
                os.makedirs(record_to, exist_ok=True)
            except OSError as error:
                notify(
                    Notice(
                        "Voice",
                        (f"cannot write to {record_to} ({error.strerror})",),
                        "prompts will be spoken",
                    )
                )
                record_to = None
    return Voice(engine, choice=choice, record_to=record_to)

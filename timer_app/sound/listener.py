"""Provides `SoundListener`: the engine listener that plays the cues and speaks the prompts.

What a person lying with eyes closed hears, event by event:
- a step starts: its cue (get ready, hold, switch sides, pressure on/off, rest); when the step
  begins a new exercise right after the last one ran to its end, "exercise done" first, then
  the step's cue once that has sounded (never both at once);
- 3, 2, 1 s before the end of a prepare, hold or timed step: a tick, the last one higher;
  half-way through a long hold: the halfway cue;
- pause: a soft low tone; resume: the count-in ticks, then the step's cue again ("go");
- the end of the routine: the fanfare (a stopped session ends quietly).

With a voice, the start of each exercise is spoken ("Knee to chest, left side, hold 30
seconds"), as are "Switch sides", later reps of a hold and the rep count of tempo steps long
enough for it, each after its cue has sounded.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from timer_app.core.plan import Plan
from timer_app.session.clock import Clock
from timer_app.session.cues import cue_for_event, cue_for_step
from timer_app.session.events import (
    CountIn,
    Cue,
    Event,
    Finished,
    Paused,
    SessionStarted,
    StepStarted,
)
from timer_app.session.prompts import prompt_for
from timer_app.sound.player import CuePlayer
from timer_app.sound.voice import Voice

__all__ = ["SoundListener"]

log = logging.getLogger(__name__)

TICK_STALE = 0.3
"""A tick heard this late would be counted against the wrong second: dropped."""
CUE_STALE = 1.0
"""Any other cue this late (the loop was stalled) no longer marks its moment: dropped."""
FOLLOW_GAP = 0.05
"""Silence between "exercise done" and the next step's cue."""
DRAIN_MARGIN = 0.3
"""Seconds of sound the device and the sound system may still hold after a cue has been
handed over in full: the device must stay open that much longer for its end to be heard."""
SPEECH_AFTER_CUE = 0.6
"""Speech waits for the cue to sound first, but never longer than this."""


class SoundListener:
    """Pass to `engine.add_listener(...)`. Plays cues on `player`, speaks with `voice` (or not).

    `plan` (the engine's) lets the spoken start of an exercise say its dosage ("hold 30
    seconds"); without it only the name and side are spoken. `clock` (the engine's) lets late
    events be dropped instead of sounding off the beat.
    """

    def __init__(
        self,
        player: CuePlayer,
        voice: Voice | None = None,
        *,
        plan: Plan | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.player = player
        self.voice = voice
        self.plan = plan
        self.clock = clock
        self.played: list[str] = []
        """Cues played, in order (what a person heard, short of muting)."""
        self._clock_start: float | None = None
        self._follow: asyncio.TimerHandle | None = None
        self._sounding_until = 0.0
        """Loop time at which the last cue played ends: the device must stay open till then."""

    def __call__(self, event: Event) -> None:
        try:
            self._handle(event)
        except Exception:
            # Sound is a help, not the session: never let a cue problem reach the engine (whose
            # error report would be printed over the screen).
            log.debug("sound listener failed on %s", type(event).__name__, exc_info=True)

    async def aclose(self, grace: float = 0.0) -> None:
        """Cancel a cue waiting to follow; let the last cue and the last prompt ("Routine
        complete.") finish, for up to `grace` seconds in all."""
        self._cancel_follow()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + grace
        if self.voice is not None:
            await self.voice.aclose(grace)
        # The cue's sound is still in the device's buffer: closing now would cut it off.
        wait = min(self._sounding_until, deadline) - loop.time()
        if wait > 0:
            await asyncio.sleep(wait)

    # -- events

    def _handle(self, event: Event) -> None:
        if isinstance(event, SessionStarted):
            self._clock_start = event.clock_start
            return
        late = self._lateness(event.at)
        cue = cue_for_event(event)
        if isinstance(event, StepStarted):
            self._step_started(event, late)
            return
        if isinstance(event, Paused) and self.voice is not None:
            self.voice.stop()  # whatever it was saying belongs to the moment before the pause
        if cue is None:
            return
        ticking = isinstance(event, Cue | CountIn) and cue.startswith("tick")
        if late > (TICK_STALE if ticking else CUE_STALE):
            return
        self._play(cue)
        if isinstance(event, Finished) and event.completed:
            self._say("Routine complete.", self._speech_delay(cue), stale_after=2.0)

    def _step_started(self, event: StepStarted, late: float) -> None:
        step = event.step
        new_exercise = event.new_exercise
        finished_one = event.after_done
        cue = cue_for_step(step)
        speech_delay = 0.0
        if late <= CUE_STALE:
            if finished_one:
                self._play("exercise-done")
                wait = self.player.duration("exercise-done")
                if wait > 0:
                    self._play_later(cue, wait + FOLLOW_GAP)
                    speech_delay = wait + FOLLOW_GAP + self._speech_delay(cue)
                else:
                    self._play(cue)  # bell or off: no length to wait for
            else:
                self._play(cue)
                speech_delay = self._speech_delay(cue)
        text, stale_after = prompt_for(step, new_exercise, self.plan)
        if text:
            self._say(text, speech_delay, stale_after=max(0.0, stale_after - late))

    # -- what to say

    def _speech_delay(self, cue: str) -> float:
        return min(SPEECH_AFTER_CUE, self.player.duration(cue))

    def _say(self, text: str, delay: float, *, stale_after: float) -> None:
        if self.voice is None or self.player.muted:
            return
        self.voice.say(text, delay=delay, stale_after=stale_after)

    # -- playing

    def _play(self, cue: str) -> None:
        self._cancel_follow()
        self.played.append(cue)
        self.player.play(cue)
        duration = self.player.duration(cue)
        if duration > 0:  # a bell or no sound at all leaves nothing to wait for
            with contextlib.suppress(RuntimeError):  # no loop: nobody will wait for it anyway
                end = asyncio.get_running_loop().time() + duration + DRAIN_MARGIN
                self._sounding_until = max(self._sounding_until, end)

    def _play_later(self, cue: str, delay: float) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._play(cue)
            return
        self._cancel_follow()
        self._follow = loop.call_later(delay, self._play, cue)

    def _cancel_follow(self) -> None:
        # Whatever cue comes next is newer than the one waiting to follow: that one is dropped.
        if self._follow is not None:
            self._follow.cancel()
            self._follow = None

    def _lateness(self, at: float) -> float:
        if self.clock is None or self._clock_start is None:
            return 0.0
        return max(0.0, self.clock.now() - (self._clock_start + at))

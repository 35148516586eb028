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
enough for it, each after its cue has sounded (`SPEECH_AFTER_CUE`).

With `count="aloud"`, the last 3 seconds of each hold and rest are said ("3.", "2.", "1.") in
place of the ticks, and with `say_halfway` a hold of 45 s or more has its time left said after
the halfway cue ("Halfway. 30 seconds to go."). Both are said from their renderings, on the
beat: a count word not rendered yet is a tick instead (spoken live it would be a third of a
second late), and without a voice there are the ticks and the halfway cue alone. A control
that changes the time left (+10 s, -10 s) silences a count or a halfway time being said: its
number is out of date.

With `rendered` prompts (synthesised a few steps ahead, see `rendered.py`) a prompt is handed to
the player with its cue, with the cue's length of silence in front, so it starts on the
device's own clock exactly as the cue has sounded. A prompt not rendered yet is played when it
is due if it is ready by then, else said by the live voice: never both, never dropped for
being slow to render. Pause, skip and back silence whatever prompt is playing or waiting: it
belongs to the moment before them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from timer_app.core.plan import Plan
from timer_app.session.clock import Clock
from timer_app.session.cues import cue_for_event, cue_for_step, tick_for
from timer_app.session.events import (
    CountIn,
    Cue,
    Event,
    Extended,
    Finished,
    Paused,
    SessionStarted,
    Skipped,
    StepStarted,
    WentBack,
)
from timer_app.session.prompts import (
    FINISHED,
    count_text,
    counted_aloud,
    halfway_text,
    prompt_for,
    prompts_of,
    says_halfway,
    timely_texts,
)
from timer_app.sound.backend import RATE
from timer_app.sound.player import CuePlayer
from timer_app.sound.rendered import RenderedPrompts
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
RENDER_AHEAD = 8
"""Steps whose prompts are rendered ahead of the current one."""
HALFWAY_STALE = 1.5
"""Seconds after its cue within which the halfway time left is still worth saying."""
HALFWAY_LIVE = 2.5
"""Seconds the live voice takes to say a halfway time, about (a rendering says its own)."""


class SoundListener:
    """Pass to `engine.add_listener(...)`. Plays cues on `player`, speaks with `voice` (or not).

    `plan` (the engine's) lets the spoken start of an exercise say its dosage ("hold 30
    seconds"); without it only the name and side are spoken. `clock` (the engine's) lets late
    events be dropped instead of sounding off the beat. `rendered`: the prompts rendered ahead
    of time for `voice` (its owner closes it); without it every prompt is said live.
    `prompts`: say the step prompts (the `voice` setting); False leaves the voice to the count
    and the halfway time. `count`: the engine's countdown cues as `ticks`, or in a hold or a
    rest `aloud` (whether rests have them at all is the engine's `count_rests`). `say_halfway`:
    say the time left halfway through a long hold.
    """

    def __init__(
        self,
        player: CuePlayer,
        voice: Voice | None = None,
        *,
        plan: Plan | None = None,
        clock: Clock | None = None,
        rendered: RenderedPrompts | None = None,
        prompts: bool = True,
        count: str = "ticks",
        say_halfway: bool = False,
    ) -> None:
        self.player = player
        self.voice = voice
        self.plan = plan
        self.clock = clock
        self.rendered = rendered if voice is not None else None
        self.prompts = prompts
        self.count_aloud = count == "aloud"
        self.say_halfway = say_halfway
        self.played: list[str] = []
        """Cues played, in order (what a person heard, short of muting)."""
        self.on_device: list[str] = []
        """Prompts played through the player from their rendering, in order (the others were
        handed to the live voice, whose `spoken` lists them)."""
        self._texts: tuple[str | None, ...] = ()
        self._timely: tuple[tuple[str, ...], ...] = ()
        if plan is not None and self.rendered:
            self._texts = prompts_of(plan) if prompts else (None,) * len(plan.steps)
            self._timely = timely_texts(plan, count=self.count_aloud, halfway=say_halfway)
        self._timely_until = 0.0
        """Until when a count word or a halfway time is being said (see `_sounding_end`)."""
        self._extended_by = 0.0
        """Seconds the current step was made longer (negative: shorter)."""
        self._clock_start: float | None = None
        self._follow: asyncio.TimerHandle | None = None
        self._due: tuple[asyncio.TimerHandle, float] | None = None
        """A prompt waiting for its time because it was not rendered yet, and that time."""
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
        if self._due is not None:
            # "Routine complete." may be waiting to be played as it is due: let it.
            wait = min(self._due[1], deadline) - loop.time()
            if wait > 0:
                await asyncio.sleep(wait + 0.01)
            self._cancel_due()
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
            self._render_from(0)
            return
        late = self._lateness(event.at)
        cue = cue_for_event(event)
        if isinstance(event, StepStarted):
            self._step_started(event, late)
            return
        if isinstance(event, Cue):
            self._cue(event, late)
            return
        if isinstance(event, Paused | Skipped | WentBack):
            self._hush()  # whatever it was saying belongs to the moment before
        if isinstance(event, Extended):
            self._extended(event)
        if cue is None:
            return
        ticking = isinstance(event, CountIn) and cue.startswith("tick")
        if late > (TICK_STALE if ticking else CUE_STALE):
            return
        self._play(cue)
        if isinstance(event, Finished) and event.completed and self.prompts:
            self._say(FINISHED, self._speech_delay(cue), stale_after=2.0)

    def _cue(self, event: Cue, late: float) -> None:
        """A countdown second or the halfway point of a step."""
        if event.kind == "countdown":
            if late > TICK_STALE:
                return  # it would be counted against the wrong second
            if self.count_aloud and counted_aloud(event.step):
                text = count_text(event.seconds)
                samples = self.rendered.get(text) if self.rendered is not None else None
                # Only from its rendering: live, the number would come a third of a second late.
                if samples is not None and not self.player.muted and self._on_device(text, 0.0):
                    self._timely_until = self._sounding_end(len(samples) / RATE)
                    return
            self._play(tick_for(event.seconds))
            return
        if late > CUE_STALE:
            return
        self._play("halfway")
        if self.say_halfway and says_halfway(event.step):
            delay = self._speech_delay("halfway")
            text = halfway_text(event.seconds)
            self._say(text, delay, stale_after=HALFWAY_STALE - late)
            samples = self.rendered.get(text) if self.rendered is not None else None
            length = len(samples) / RATE if samples is not None else HALFWAY_LIVE
            self._timely_until = self._sounding_end(delay + length)

    def _extended(self, event: Extended) -> None:
        """+10 s or -10 s: a number being said is out of date; the new halfway time is
        rendered in time for its moment."""
        if self._sounding_end(0.0) < self._timely_until:
            self._hush()
            self._timely_until = 0.0
        self._extended_by += event.by
        if self.rendered is not None and self.say_halfway and says_halfway(event.step):
            # The halfway point moves to half the step's new length, with that much left.
            left = (event.step.duration + self._extended_by) / 2
            self.rendered.want([halfway_text(left), *self._upcoming(event.step.index)])

    def _step_started(self, event: StepStarted, late: float) -> None:
        self._extended_by = 0.0
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
        self._render_from(step.index)
        text, stale_after = prompt_for(step, new_exercise, self.plan)
        if text and self.prompts:
            self._say(text, speech_delay, stale_after=stale_after - late)

    # -- what to say

    def _speech_delay(self, cue: str) -> float:
        return min(SPEECH_AFTER_CUE, self.player.duration(cue))

    def _render_from(self, index: int) -> None:
        if self.rendered is None or not self._texts:
            return
        self.rendered.want(self._upcoming(index))

    def _upcoming(self, index: int) -> list[str | None]:
        """What to render, soonest first: each of the next steps' prompt, then what may be
        said during it (a count word needed again stays rendered, as it is wanted again)."""
        upcoming: list[str | None] = []
        for i in range(index, min(len(self._texts), index + RENDER_AHEAD + 1)):
            upcoming.append(self._texts[i])
            upcoming.extend(self._timely[i] if i < len(self._timely) else ())
        if index + RENDER_AHEAD >= len(self._texts) and self.prompts:
            upcoming.append(FINISHED)
        return upcoming

    def _say(self, text: str, delay: float, *, stale_after: float) -> None:
        """Say `text` in `delay` seconds unless it is more than `stale_after` late then."""
        voice = self.voice
        if voice is None or self.player.muted:
            return
        self._cancel_due()
        if self.rendered is not None:
            if stale_after < 0:
                voice.dropped.append(text)  # the loop was held up: too late to mean anything
                return
            if self._on_device(text, delay):
                return
            if delay > 0 and not self.rendered.ready(text):
                # Still being rendered: it may be ready when it is due.
                loop = asyncio.get_running_loop()
                handle = loop.call_later(delay, self._say_when_due, text, stale_after)
                self._due = (handle, loop.time() + delay)
                return
        self.player.hush()
        voice.say(text, delay=delay, stale_after=max(0.0, stale_after))

    def _say_when_due(self, text: str, stale_after: float) -> None:
        self._due = None
        if self.voice is None or self.player.muted or self._on_device(text, 0.0):
            return
        self.player.hush()
        self.voice.say(text, stale_after=stale_after)

    def _on_device(self, text: str, delay: float) -> bool:
        """Play `text`'s rendering in `delay` seconds through the player, if there is one."""
        samples = self.rendered.get(text) if self.rendered is not None else None
        if samples is None or not self.player.speak(samples, delay):
            return False
        if self.voice is not None:
            self.voice.stop()  # a live prompt still speaking is older than this one
        self.on_device.append(text)
        self._sounding(delay + len(samples) / RATE)
        return True

    def _hush(self) -> None:
        self._cancel_due()
        self.player.hush()
        if self.voice is not None:
            self.voice.stop()

    def _cancel_due(self) -> None:
        if self._due is not None:
            self._due[0].cancel()
            self._due = None

    # -- playing

    def _play(self, cue: str) -> None:
        self._cancel_follow()
        self.played.append(cue)
        self.player.play(cue)
        self._sounding(self.player.duration(cue))

    def _sounding_end(self, duration: float) -> float:
        """The time `duration` seconds from now, on the session's clock when there is one
        (the moments compared are the session's), else the loop's (0 with no loop)."""
        if self.clock is not None:
            return self.clock.now() + duration
        try:
            return asyncio.get_running_loop().time() + duration
        except RuntimeError:
            return 0.0

    def _sounding(self, duration: float) -> None:
        """Sound lasting `duration` seconds from now was handed over: the device stays open."""
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

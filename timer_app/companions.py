"""Provides `Companions`: what accompanies every session besides its view (cues, voice, history).

Plain mode and the app both hand each new engine to `attach()`, so a session sounds the same
and is recorded the same whichever view shows it.

The cue player opens its audio device once and keeps it for the life of the program. Opening
takes tens of milliseconds to over a hundred (loading the audio library, asking the sound
server, then ALSA, decoding the cues), so `start_opening()` does it in a thread, and a session
that starts before it is done does not wait: its events queue for the sound listener (each
engine listener has its own queue) and play once the device is ready, the stale ones dropped as
after any stall.

History is written from worker threads; its notices are brought back to the event loop's
thread before the view sees them. Nothing here imports Textual.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from timer_app.config.choices import DEFAULT_CUE_SET

if TYPE_CHECKING:
    from timer_app.config.voice import VoiceChoice
    from timer_app.history.recorder import HistoryRecorder
    from timer_app.history.store import History
    from timer_app.session.engine import Engine
    from timer_app.session.events import Event
    from timer_app.sound import Player, SoundListener, Voice
    from timer_app.sound.notice import Notice
    from timer_app.sound.rendered import RenderedPrompts

__all__ = ["HISTORY_GRACE", "PREVIEW_CUE", "SPEECH_GRACE", "Companions"]

SPEECH_GRACE = 3.0
"""Seconds the last cue and prompt ("Routine complete.") may take to finish after a session
ends, before the device closes; a second Ctrl+C still leaves at once."""
PREVIEW_CUE = "hold"
"""The cue that previews a set: the one heard most in a session."""
HISTORY_GRACE = 6.0
"""Seconds to wait for a session's last history write (longer than SQLite's busy timeout)."""


def _ring_stdout() -> None:
    from timer_app.sound.bell import ring_stdout

    ring_stdout()


class Companions:
    """Sound cues, spoken prompts and the history record for the sessions of one program run.

    `sound`: auto, miniaudio, simpleaudio, bell or off. `voice_choice`: the voice, rate and
    pitch of the spoken prompts, live and rendered alike. `cue_set` (tones, soft or bells) and
    `cue_volume` (percent of `volume` by cue) say what the cues sound like; `count_last` (off,
    ticks or aloud) counts the last 3 seconds of holds and rests, and `say_halfway` says the
    time left halfway through a long hold; the last two need a voice only to be said aloud
    (without one, the ticks and the halfway cue). `history`: record each session in the
    history file (off by default, so tests and embedders opt in; the `stretch` command turns it
    on). The view that shows the sessions sets `notify` (one line per problem: no audio device,
    no speech engine, a broken cue file, a history file that cannot be written; nothing is ever
    printed here), optionally `sound_notify` to show sound's and the voice's notices as data
    (whole or short) and `history_notify` for history's problems, and `ring` (the terminal
    bell, for the bell backend).
    """

    def __init__(
        self,
        *,
        sound: str = "auto",
        volume: int = 80,
        voice: bool = False,
        voice_choice: VoiceChoice | None = None,
        history: bool = False,
        bell: bool = True,
        cue_set: str = DEFAULT_CUE_SET,
        cue_volume: Mapping[str, int] | None = None,
        count_last: str = "off",
        say_halfway: bool = False,
    ) -> None:
        self.sound = sound
        self.bell = bell
        """There is a terminal to ring the bell on (False when output goes to a pipe)."""
        self.volume = volume
        self.voice_wanted = voice
        self.voice_choice = voice_choice
        """The voice, rate and pitch of the prompts (None: the default voice)."""
        self.cue_set = cue_set
        self.cue_volume = dict(cue_volume or {})
        self.count_last = count_last
        """off, ticks or aloud: read as each session is attached, so a change in the picker
        applies to the next session."""
        self.say_halfway = say_halfway
        self.history_wanted = history
        self.notify: Callable[[str], None] = lambda text: None
        """Shows a notice to the person; set by the view."""
        self.sound_notify: Callable[[Notice], None] = lambda notice: self.notify(str(notice))
        """Shows a sound or voice notice; by default `notify` says it whole."""
        self.history_notify: Callable[[str], None] | None = None
        """Shows a history notice, if the view wants them apart; else `notify` does."""
        self.ring: Callable[[], None] = _ring_stdout
        """Rings the terminal bell; set by the view (the app's stdout is its screen)."""
        self._player: Player | None = None
        self._voice: Voice | None = None
        self._opener: threading.Thread | None = None
        self._held: list[Notice] = []
        """Notices from the opening thread, shown once the view asks for the player."""
        self._listeners: list[SoundListener] = []
        self._rendered: list[RenderedPrompts] = []
        self._history: History | None = None
        self._history_lock = threading.Lock()
        self._recorders: list[RecordLater] = []
        self._loop: asyncio.AbstractEventLoop | None = None

    # -- opening

    def start_opening(self) -> None:
        """Open the audio device in a thread now; `player` waits for it when first needed."""
        if self._player is not None or self._opener is not None:
            return
        self._opener = threading.Thread(target=self._open, name="open-audio", daemon=True)
        self._opener.start()

    def _open(self) -> None:
        from timer_app.sound import make_player, make_voice

        # The count and the halfway time need a speech engine too, even with `voice: false`.
        wanted = self.voice_wanted or self.count_last == "aloud" or self.say_halfway
        voice = make_voice(wanted, self._tell, choice=self.voice_choice)
        player = make_player(
            self.sound,
            volume=self.volume,
            notify=self._tell,
            ring=self._ring,
            bell=self.bell,
            cue_set=self.cue_set,
            cue_volume=self.cue_volume,
        )
        self._voice, self._player = voice, player

    def _tell(self, notice: Notice) -> None:
        # The view's notify may only be called from its own thread.
        if threading.current_thread() is self._opener:
            self._held.append(notice)
        else:
            self.sound_notify(notice)

    def _ring(self) -> None:
        # Looked up at each ring: the view may set `ring` after the player was made.
        self.ring()

    async def open_now(self) -> None:
        """Let the audio device finish opening (without holding up the event loop) and show
        its notices now, rather than as the session's first event comes."""
        if self._opener is not None:
            await asyncio.to_thread(self._opener.join)
        self._ready_player()

    def _ready_player(self) -> Player:
        if self._opener is not None:
            self._opener.join()
            self._opener = None
            held, self._held = self._held, []
            for notice in held:
                self.sound_notify(notice)
        if self._player is None:
            self._open()
        assert self._player is not None
        return self._player

    @property
    def player(self) -> Player:
        """The cue player, opened on first use if not already (never raises: at worst, silent)."""
        return self._ready_player()

    @property
    def muted(self) -> bool:
        return self._player is not None and self._player.muted

    # -- history

    @property
    def history(self) -> History | None:
        """The history file of this run, or None when history is not wanted.

        Opened lazily by whoever first reads or writes it; `History.enabled` says whether it
        still works. Use it from the event loop's thread, then hand it to a worker to read.
        """
        if not self.history_wanted:
            return None
        self._remember_loop()
        with self._history_lock:  # a session's recorder opens it from its worker thread
            if self._history is None:
                from timer_app.history.store import History

                self._history = History(notify=self._notify_from_any_thread)
            return self._history

    @property
    def history_open(self) -> bool:
        """Whether this run has opened its history file yet (a session's recorder opens it
        in its own thread at the session's first event)."""
        return self._history is not None

    async def history_written(self, timeout: float = HISTORY_GRACE) -> None:
        """Wait until the sessions attached so far have made their last history write."""
        recorders = [r for r in self._recorders if not r.done.is_set()]
        for recorder in recorders:
            await asyncio.to_thread(recorder.wait, timeout)
        self._recorders = [r for r in self._recorders if not r.done.is_set()]

    def _remember_loop(self) -> None:
        with contextlib.suppress(RuntimeError):  # no loop: keep the one seen last
            self._loop = asyncio.get_running_loop()

    def _notify_from_any_thread(self, text: str) -> None:
        # History finds its problems in worker threads; the app's notify and plain mode's
        # printer belong to the event loop's thread.
        show = self.history_notify or self.notify
        loop = self._loop
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if loop is None or running is loop or loop.is_closed():
            show(text)
            return
        # A RuntimeError: the loop closed in the meantime, and the program is ending.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(show, text)

    # -- sessions

    def attach(self, engine: Engine) -> None:
        """Listen to `engine`'s session: cues and prompts from its first event to its last, and
        its record in history."""
        self._attach_history(engine)
        # Counting a rest's last seconds needs the engine's countdown cues in rests too.
        engine.count_rests = self.count_last != "off"
        if self._opener is None:
            engine.add_listener(self._listener_for(engine))
            return
        listener: list[SoundListener] = []

        async def once_open(event: Event) -> None:
            if not listener:
                opener = self._opener
                if opener is not None:
                    await asyncio.to_thread(opener.join)
                listener.append(self._listener_for(engine))
            listener[0](event)

        engine.add_listener(once_open)

    def _attach_history(self, engine: Engine) -> None:
        if not self.history_wanted:
            return
        self._remember_loop()
        plan = engine.plan

        def make() -> HistoryRecorder | None:
            history = self.history
            if history is None or not history.enabled:
                return None
            from timer_app.history.recorder import HistoryRecorder

            return HistoryRecorder(history, plan)

        # A worker thread: a commit waits for the disk (fsync) and, at worst, for another
        # program's write; neither may hold up the clock or the screen. The recorder is made
        # there too, at the first event, so opening the history never delays the first frame.
        recorder = RecordLater(make)
        engine.add_listener(recorder, blocking=True)
        self._recorders.append(recorder)

    def _listener_for(self, engine: Engine) -> SoundListener:
        from timer_app.sound import SoundListener

        player = self.player
        voice = self._voice
        rendered = None
        if (
            voice is not None
            and voice.engine.record is not None
            and voice.record_to is None
            and player.speaks
        ):
            # Rendered ahead and played through the player, so each prompt is on its cue.
            from timer_app.sound.rendered import RenderedPrompts

            rendered = RenderedPrompts(voice.engine, choice=voice.choice)
            self._rendered.append(rendered)
        listener = SoundListener(
            player,
            voice,
            plan=engine.plan,
            clock=engine.clock,
            rendered=rendered,
            prompts=self.voice_wanted,
            count=self.count_last,
            say_halfway=self.say_halfway,
        )
        self._listeners.append(listener)
        return listener

    def use_cues(self, cue_set: str) -> None:
        """Play cue set `cue_set` from now on (the picker's choice); the device stays open."""
        self.cue_set = cue_set
        if self._player is not None or self._opener is not None:
            self.player.use_cues(cue_set, self.cue_volume)

    def preview(self, cue_set: str, cue: str = PREVIEW_CUE) -> None:
        """Play set `cue_set` from now on, and one of its cues now, to hear what it sounds
        like (the device opens if it must)."""
        self.cue_set = cue_set
        player = self.player
        player.use_cues(cue_set, self.cue_volume)
        if not player.muted:
            player.play(cue)

    def count_and_halfway(self, count_last: str, say_halfway: bool) -> None:
        """How the next sessions count their last seconds and say a long hold's halfway; a
        speech engine is looked for now if these are the first to need one (a notice says
        so when there is none)."""
        self.count_last = count_last
        self.say_halfway = say_halfway
        if (count_last == "aloud" or say_halfway) and self._voice is None:
            from timer_app.sound import make_voice

            self._ready_player()  # the opening thread may be making one already
            if self._voice is None:
                self._voice = make_voice(True, self._tell, choice=self.voice_choice)

    def toggle_mute(self) -> bool:
        """Mute or unmute cues and voice; returns True when now muted."""
        muted = self.player.toggle_mute()
        if muted and self._voice is not None:
            self._voice.stop()  # the player has cut its own cue and prompt
        return muted

    async def session_over(self, grace: float = SPEECH_GRACE) -> None:
        """The session ended: drop cues still waiting, let the last prompt finish, and let the
        history record be written."""
        listeners, self._listeners = self._listeners, []
        for listener in listeners:
            await listener.aclose(grace)
        rendered, self._rendered = self._rendered, []
        for prompts in rendered:
            # Stopping waits for the prompt being rendered (a fraction of a second): a thread.
            await asyncio.to_thread(prompts.close)
        await self.history_written()

    def close(self) -> None:
        """Close the audio device (at program exit)."""
        if self._opener is not None:
            self._opener.join()
        if self._player is not None:
            self._player.close()


class RecordLater:
    """A session's history recorder, made by its listener's worker thread at the first event
    rather than on the event loop's thread before the session is drawn.

    `make` returns the recorder, or None when there is no history to write (then every event
    is let go). `done` is set once the session's last write is over, as the recorder's is.
    """

    def __init__(self, make: Callable[[], HistoryRecorder | None]) -> None:
        self._make = make
        self._recorder: HistoryRecorder | None = None
        self._made = False
        self.done = threading.Event()

    def __call__(self, event: Event) -> None:
        if not self._made:
            self._made = True
            self._recorder = self._make()
        recorder = self._recorder
        if recorder is not None:
            recorder(event)
        if recorder is None or recorder.done.is_set():
            self.done.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the session's last write is over; False if `timeout` ran out first."""
        return self.done.wait(timeout)

"""Provides `RenderedPrompts`: the session's prompts synthesised ahead of time, in a thread.

The plan says what will be said before the session starts, so the speech engine can write each
prompt to a WAV file a few steps ahead of its moment; the player then starts it through the
same device as the cues, on the beat, instead of starting a speech engine as the step begins
(which put the voice a third of a second behind its cue). A prompt that is not ready in time
is said by the live voice instead (`voice.py`), with the same `VoiceChoice`.

`render_prompt(text, choice)` is the one call that turns a text into samples, for anything
else that needs speech as sound (an exported session).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import threading
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path

from timer_app.config.voice import VoiceChoice
from timer_app.sound.backend import RATE
from timer_app.sound.speech import ENGINES, SpeechEngine, find_engine
from timer_app.sound.wav import WavError, read_wav

__all__ = ["KEEP", "RenderedPrompts", "SpeechUnavailable", "render_prompt", "render_with"]

KEEP = 64
"""Prompts kept once rendered (about 6 MB at most); the oldest unused go first."""
LONGEST = 30.0
"""Seconds: a longer recording is not a prompt, and is refused."""
ENGINE_TIMEOUT = 20.0


class SpeechUnavailable(OSError):
    """No speech engine that can write to a file is installed (the message says what to do)."""


def render_prompt(
    text: str,
    choice: VoiceChoice | None = None,
    *,
    engine: SpeechEngine | None = None,
    rate: int = RATE,
) -> array[int]:
    """`text` said in `choice` (voice, rate, pitch; default: the default voice) as 16-bit mono
    samples at `rate` Hz, exactly as a session plays it. Blocks while the engine runs (about
    0.1 s a prompt): call it from a thread, not the event loop.

    `engine`: the speech engine (default: the first installed that can write a file, espeak-ng
    first). Raises SpeechUnavailable when there is none, OSError or
    subprocess.SubprocessError when the engine fails (an unknown voice: check it first with
    `voices.check_choice`), WavError when its output cannot be read.
    """
    if engine is None:
        engine = find_engine([e.name for e in ENGINES if e.record is not None])
    if engine is None or engine.record is None:
        raise SpeechUnavailable("no speech engine that writes to a file (install espeak-ng)")
    with tempfile.TemporaryDirectory(prefix="stretch-prompt-") as folder:
        return render_with(engine, Path(folder), rate, choice)(text)


def render_with(
    engine: SpeechEngine, folder: Path, rate: int = RATE, choice: VoiceChoice | None = None
) -> Callable[[str], array[int]]:
    """A function that has `engine` write a text, said in `choice`, to a WAV file in `folder`
    and decodes it."""

    def render(text: str) -> array[int]:
        path = folder / "prompt.wav"
        subprocess.run(
            engine.argv(text, path, choice),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            # Its own session, so terminal signals (Ctrl+C, Ctrl+Z) go to the app alone.
            start_new_session=True,
            timeout=ENGINE_TIMEOUT,
            check=True,
        )
        try:
            return read_wav(path, rate=rate, max_seconds=LONGEST)
        finally:
            path.unlink(missing_ok=True)

    return render


class RenderedPrompts:
    """Prompts rendered in a background thread, the soonest wanted first.

    `want()` says which texts come next (the listener calls it as each step starts); `get()`
    returns a text's samples once rendered, else None, without waiting. A text the engine
    cannot render is not tried again: the live voice says it. `choice`: the voice, rate and
    pitch, the live voice's own, so a prompt sounds the same whichever path says it.
    """

    def __init__(
        self,
        engine: SpeechEngine,
        *,
        choice: VoiceChoice | None = None,
        render: Callable[[str], array[int]] | None = None,
        keep: int = KEEP,
    ) -> None:
        if engine.record is None:
            raise ValueError(f"{engine.name} cannot write speech to a file")
        self.choice = choice or VoiceChoice()
        self._folder: Path | None = None
        if render is None:
            self._folder = Path(tempfile.mkdtemp(prefix="stretch-prompts-"))
            render = render_with(engine, self._folder, choice=self.choice)
        self._render = render
        self._keep = keep
        self._done: OrderedDict[str, array[int]] = OrderedDict()
        self._failed: set[str] = set()
        self._wanted: list[str] = []
        self._closed = False
        self._lock = threading.Condition()
        self._thread: threading.Thread | None = None
        self.rendered = 0
        """Prompts rendered so far (tests and the bench read it)."""

    def want(self, texts: Iterable[str | None]) -> None:
        """Render these texts next, in this order (replacing what was wanted before)."""
        wanted = list(dict.fromkeys(t for t in texts if t))
        with self._lock:
            if self._closed:
                return
            self._wanted = wanted[: self._keep]
            self._lock.notify()
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._work, name="render-prompts", daemon=True
                )
                self._thread.start()

    def get(self, text: str) -> array[int] | None:
        """The samples of `text` if already rendered (it is then kept a while longer)."""
        with self._lock:
            samples = self._done.get(text)
            if samples is not None:
                self._done.move_to_end(text)
            return samples

    def ready(self, text: str) -> bool:
        with self._lock:
            return text in self._done or text in self._failed

    def close(self) -> None:
        """Stop rendering (the prompt being rendered is finished first) and remove the files."""
        with self._lock:
            self._closed = True
            self._lock.notify()
            thread = self._thread
        if thread is not None:
            thread.join(ENGINE_TIMEOUT)
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)

    def _next(self) -> str | None:
        with self._lock:
            while not self._closed:
                for text in self._wanted:
                    if text not in self._done and text not in self._failed:
                        return text
                self._lock.wait()
            return None

    def _work(self) -> None:
        while (text := self._next()) is not None:
            try:
                samples = self._render(text)
            except (OSError, subprocess.SubprocessError, WavError, ValueError):
                with self._lock:
                    self._failed.add(text)
                continue
            with self._lock:
                self._done[text] = samples
                self._done.move_to_end(text)
                self.rendered += 1
                # The least recently used that is not wanted goes (never a wanted one: it
                # would only be rendered again).
                wanted = set(self._wanted)
                spare = [t for t in self._done if t not in wanted]
                for old in spare[: max(0, len(self._done) - self._keep)]:
                    del self._done[old]

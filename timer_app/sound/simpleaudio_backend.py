"""Provides the optional simpleaudio backend: a worker thread opens a stream for each cue."""

from __future__ import annotations

import contextlib
import sys
import threading
from array import array
from typing import Any

from timer_app.sound.backend import (
    RATE,
    BackendLost,
    BackendUnavailable,
    close_at_exit,
    short_reason,
)
from timer_app.sound.wav import scaled

__all__ = ["SimpleaudioBackend"]


class SimpleaudioBackend:
    """simpleaudio (optional, unmaintained since 2019): it opens a new stream per sound, which
    takes milliseconds, so a worker thread does it; `play()` only hands the newest cue over."""

    name = "simpleaudio"

    def __init__(self, cues: dict[str, array[int]], *, gain: float, rate: int = RATE) -> None:
        if sys.version_info >= (3, 12):
            # Its C extension crashes the interpreter after a sound ends on 3.12 and newer
            # (py-simple-audio issues 72 and 74): not something to risk mid-session.
            raise BackendUnavailable("crashes on Python 3.12 and newer", optional=True)
        try:
            import simpleaudio  # type: ignore[import-untyped,import-not-found,unused-ignore]
        except ImportError:
            raise BackendUnavailable(
                "is not installed (pip install 'stretch-timer[simpleaudio]')", optional=True
            ) from None
        from timer_app.sound.alsa import silence_alsa

        silence_alsa()
        self._sa: Any = simpleaudio
        self._cues = cues
        self._rate = rate
        self._gain = gain
        self._data = {name: scaled(samples, gain) for name, samples in cues.items()}
        try:
            # Open the device once now, with 10 ms of silence, so a machine without one is
            # found out before the session rather than at its first cue.
            simpleaudio.play_buffer(bytes(2 * (rate // 100)), 1, 2, rate).wait_done()
        except Exception as error:
            raise BackendUnavailable(f"found no audio device ({short_reason(error)})") from None
        self._pending: bytes | None = None
        self._lost: str | None = None
        self._closed = False
        self._wake = threading.Condition()
        self._worker = threading.Thread(target=self._run, name="simpleaudio cues", daemon=True)
        self._worker.start()
        close_at_exit(self)

    def play(self, name: str) -> None:
        if self._lost is not None:
            raise BackendLost(self._lost)
        data = self._data.get(name)
        if data is not None:
            self._hand_over(data)

    def cut(self) -> None:
        self._hand_over(b"")

    def _hand_over(self, data: bytes) -> None:
        with self._wake:
            self._pending = data  # replaces any cue the worker has not started yet
            self._wake.notify()

    def set_gain(self, gain: float) -> None:
        self._gain = gain
        self._data = {name: scaled(samples, gain) for name, samples in self._cues.items()}

    def set_cues(self, cues: dict[str, array[int]]) -> None:
        self._cues = cues
        self._data = {name: scaled(samples, self._gain) for name, samples in cues.items()}

    def _run(self) -> None:
        playing: Any = None
        while True:
            with self._wake:
                while self._pending is None and not self._closed:
                    self._wake.wait()
                if self._closed:
                    break
                data, self._pending = self._pending, None
            try:
                if playing is not None:
                    playing.stop()
                    playing = None
                if data:
                    playing = self._sa.play_buffer(data, 1, 2, self._rate)
            except Exception as error:
                self._lost = f"failed ({short_reason(error)})"
                break
        with contextlib.suppress(Exception):
            if playing is not None:
                playing.stop()

    def close(self) -> None:
        with self._wake:
            if self._closed:
                return
            self._closed = True
            self._wake.notify()
        self._worker.join(timeout=1.0)

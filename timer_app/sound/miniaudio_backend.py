"""Provides everything that uses miniaudio: the backend (one device, kept running) and a decoder."""

from __future__ import annotations

import contextlib
import sys
import time
from array import array
from collections import deque
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

from timer_app.sound.backend import (
    RATE,
    BackendLost,
    BackendUnavailable,
    close_at_exit,
    short_reason,
)
from timer_app.sound.wav import scaled

__all__ = ["FADE_SECONDS", "MiniaudioBackend"]

PERIOD_MS = 10
"""The miniaudio device asks for audio every 10 ms: a new cue starts within one period (plus
the device's own buffer, PERIODS of them), while a Python callback this often costs well under
1% of a core."""
PERIODS = 3
FADE_SECONDS = 0.005
"""A cue that is cut fades out over this long under the new one, so the cut does not click."""


@dataclass(frozen=True, eq=False)
class _Request:
    data: bytes
    at: float
    """`time.perf_counter()` when play() was called: the bench measures pickup from it."""


_SILENCE = _Request(b"", 0.0)


def _system_backends(miniaudio: Any) -> list[Any]:
    """The sound systems to try, best first, never the null device (which would swallow every
    cue without a word) nor JACK (whose library prints to fd 2 when no server runs)."""
    backend = miniaudio.Backend
    if sys.platform.startswith("linux"):
        wanted = [backend.PULSEAUDIO, backend.ALSA]
    elif sys.platform == "darwin":
        wanted = [backend.COREAUDIO]
    elif sys.platform == "win32":
        wanted = [backend.WASAPI, backend.DSOUND, backend.WINMM]
    else:
        wanted = [backend.SNDIO, backend.AUDIO4, backend.OSS]
    try:
        enabled = miniaudio.get_enabled_backends()
    except Exception:
        return wanted
    return [b for b in wanted if b in enabled]


def _open_device(miniaudio: Any, backends: list[Any], rate: int) -> Any:
    """A playback device on the first of `backends` that gives one.

    Each sound system is asked on its own, in order: miniaudio, given them all at once, stops at
    the first whose library loads even if it then has no device. ALSA is silenced just before
    it is asked (see timer_app.sound.alsa), so that with a sound server it is never loaded.
    """
    error: Exception | None = None
    for backend in backends:
        if backend == miniaudio.Backend.ALSA:
            from timer_app.sound.alsa import silence_alsa

            silence_alsa()
        try:
            return miniaudio.PlaybackDevice(
                output_format=miniaudio.SampleFormat.SIGNED16,
                nchannels=1,
                sample_rate=rate,
                buffersize_msec=PERIOD_MS,
                callback_periods=PERIODS,
                backends=[backend],
                app_name="stretch-timer",
            )
        except Exception as failure:
            error = failure
    reason = short_reason(error) if error is not None else "no sound system asked"
    raise BackendUnavailable(f"found no audio device ({reason})")


class MiniaudioBackend:
    """One playback device, opened once and kept running; each cue is handed to its callback.

    The callback (on miniaudio's audio thread) outputs silence until `play()` swaps in a new
    request: a single attribute assignment, atomic under the GIL, so `play()` takes
    microseconds and takes no lock the audio thread could be holding.
    """

    name = "miniaudio"

    def __init__(self, cues: dict[str, array[int]], *, gain: float, rate: int = RATE) -> None:
        try:
            import miniaudio  # type: ignore[import-untyped,import-not-found,unused-ignore]
        except ImportError:
            raise BackendUnavailable("is not installed") from None
        self._cues = cues
        self._rate = rate
        self._data = {name: scaled(samples, gain) for name, samples in cues.items()}
        self._gain = gain
        self._request = _SILENCE
        self._speech = _SILENCE
        self._lost: str | None = None
        self._closing = False
        self.pickups: deque[float] = deque(maxlen=4096)
        """Seconds from each `play()` to the callback that started the cue (for the bench)."""
        self.speech_pickups: deque[float] = deque(maxlen=4096)
        """Seconds from each `speak()` to the callback that started its lead (for the bench)."""
        self.callbacks = 0
        backends = _system_backends(miniaudio)
        if not backends:
            raise BackendUnavailable("has no sound system to use here")
        device = _open_device(miniaudio, backends, rate)
        self._device: Any = device
        self.system = str(device.backend)
        """The sound system in use, e.g. ALSA or PulseAudio."""
        device.stop_callback = self._stopped
        generator = self._generate(2 * round(FADE_SECONDS * rate))
        next(generator)
        try:
            device.start(generator)
        except Exception as error:
            device.close()
            raise BackendUnavailable(
                f"could not start the device ({short_reason(error)})"
            ) from None
        close_at_exit(self)

    def _stopped(self) -> None:
        # Called on the audio thread when the device stops: after close() (expected), or when
        # the device went away (unplugged, sound server restarted). miniaudio calls it whenever
        # the device stops, its public stop() included, so this flag is all the state play()
        # needs: we never ask miniaudio's private device handle whether it still runs.
        if not self._closing:
            self._lost = "stopped: the audio device went away"

    def play(self, name: str) -> None:
        if self._lost is not None:
            raise BackendLost(self._lost)
        data = self._data.get(name)
        if data is not None:
            self._request = _Request(data, time.perf_counter())

    def cut(self) -> None:
        self._request = _SILENCE

    def speak(self, samples: array[int], lead: float) -> None:
        if self._lost is not None:
            raise BackendLost(self._lost)
        silence = bytes(2 * round(max(0.0, lead) * self._rate))
        self._speech = _Request(silence + scaled(samples, self._gain), time.perf_counter())

    def hush(self) -> None:
        self._speech = _SILENCE

    def set_gain(self, gain: float) -> None:
        self._gain = gain
        self._data = {name: scaled(samples, gain) for name, samples in self._cues.items()}

    def set_cues(self, cues: dict[str, array[int]]) -> None:
        self._cues = cues
        # One assignment: a `play()` meanwhile finds the old cues or the new, never a mix.
        self._data = {name: scaled(samples, self._gain) for name, samples in cues.items()}

    def _generate(self, fade_bytes: int) -> Generator[bytes, int, None]:
        """The device's callback: yields exactly the frames asked for, every PERIOD_MS: the
        cue playing, with the speech playing mixed over it."""
        frames = yield b""
        cue = _Channel(self.pickups, fade_bytes)
        speech = _Channel(self.speech_pickups, fade_bytes)
        zeros = b""
        while True:
            try:
                self.callbacks += 1
                size = 2 * frames
                if len(zeros) != size:
                    zeros = bytes(size)
                chunk = cue.take(self._request, size)
                spoken = speech.take(self._speech, size)
                if spoken is not None:
                    chunk = spoken if chunk is None else _mixed(chunk, spoken)
            except Exception:
                # An exception here would be printed by cffi onto the screen and stop the
                # stream: never let one out. Silence for this period, and carry on.
                chunk = None
            frames = yield chunk if chunk is not None else zeros

    def close(self) -> None:
        if self._closing:
            return
        self._closing = True
        with contextlib.suppress(Exception):
            self._device.close()


class _Channel:
    """One stream of requests played in turn, each cutting the last (with a fade under it)."""

    def __init__(self, pickups: deque[float], fade_bytes: int) -> None:
        self.pickups = pickups
        self.fade_bytes = fade_bytes
        self.seen = _SILENCE
        self.current = b""
        self.pos = 0

    def take(self, request: _Request, size: int) -> bytes | None:
        """The next `size` bytes, or None when it has nothing to play."""
        if request is not self.seen:
            self.seen = request
            tail = self.current[self.pos : self.pos + self.fade_bytes]
            self.current = _fade_under(tail, request.data) if tail else request.data
            self.pos = 0
            if request.data:
                self.pickups.append(time.perf_counter() - request.at)
        if self.pos >= len(self.current):
            return None
        chunk = self.current[self.pos : self.pos + size]
        self.pos += len(chunk)
        if len(chunk) < size:
            chunk += bytes(size - len(chunk))
        return chunk


def _mixed(a: bytes, b: bytes) -> bytes:
    """Two equal stretches of 16-bit samples, added (and clipped)."""
    left, right = array("h", a), array("h", b)
    return array(
        "h", [max(-32768, min(32767, x + y)) for x, y in zip(left, right, strict=True)]
    ).tobytes()


def _fade_under(tail: bytes, data: bytes) -> bytes:
    """Mix the last moments of a cut cue, fading out, into the start of the new one."""
    old = array("h", tail)
    n = len(old)
    head = array("h", data[: 2 * n])
    head.extend(array("h", bytes(2 * (n - len(head)))))
    for i in range(n):
        head[i] = max(-32768, min(32767, head[i] + old[i] * (n - i) // n))
    return head.tobytes() + data[2 * n :]

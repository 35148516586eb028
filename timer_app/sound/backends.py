"""Provides the cue players: one `CuePlayer` interface over miniaudio, simpleaudio, the terminal
bell and silence, with `make_player` choosing one and falling back when one fails.

Timing rules every backend keeps:
- cues are decoded and scaled to the volume before the session, never while it runs;
- `play()` only hands a cue over (microseconds) and never blocks the event loop;
- a new cue cuts the one playing (with a 5 ms fade, so no click): a cue is never queued behind an
  older one, because a late cue is worse than none to someone counting on it.
"""

from __future__ import annotations

import atexit
import contextlib
import sys
import threading
import time
import weakref
from array import array
from collections import deque
from collections.abc import Callable, Generator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from timer_app.sound.cues import CUES, RATE
from timer_app.sound.wav import scaled

__all__ = [
    "AUTO_ORDER",
    "BackendUnavailable",
    "BellBackend",
    "CuePlayer",
    "MiniaudioBackend",
    "Player",
    "SilentBackend",
    "SimpleaudioBackend",
    "gain_for",
    "make_player",
]

AUTO_ORDER = ("miniaudio", "simpleaudio", "bell")
"""What `auto` tries, in order; an explicit choice tries itself first, then the others."""
DESCRIPTIONS = {
    "miniaudio": "miniaudio",
    "simpleaudio": "simpleaudio",
    "bell": "the terminal bell",
    "off": "no sound",
}
PERIOD_MS = 10
"""The miniaudio device asks for audio every 10 ms: a new cue starts within one period (plus
the device's own buffer, PERIODS of them), while a Python callback this often costs well under
1% of a core."""
PERIODS = 3
FADE_SECONDS = 0.005
"""A cue that is cut fades out over this long under the new one, so the cut does not click."""


class BackendUnavailable(Exception):
    """This backend cannot play here; the message says why in a few words."""

    def __init__(self, reason: str, *, optional: bool = False) -> None:
        super().__init__(reason)
        self.optional = optional
        """True when an optional backend is merely not installed: worth saying only to someone
        who asked for it by name."""


def _reason(error: BaseException) -> str:
    """A short reason from a library's exception: miniaudio's carry (message, code), and
    simpleaudio's run on with " -- CODE: ... -- MSG: ..."."""
    args = error.args
    if len(args) == 2 and isinstance(args[0], str) and isinstance(args[1], int):
        return f"{args[0]}, error {args[1]}"
    text = (str(error) or type(error).__name__).split(" -- ")[0]
    return text.rstrip(". ")


class BackendLost(Exception):
    """The backend worked but has stopped (device unplugged, sound server gone)."""


def gain_for(volume: int) -> float:
    """Sample gain for a volume of 0..100: the square, so that 50 sounds about half as loud
    (-12 dB) rather than barely quieter, as loudness is heard on a roughly logarithmic scale."""
    v = min(100, max(0, volume)) / 100
    return v * v


class CuePlayer(Protocol):
    """Plays the named cues (see `timer_app.sound.cues.CUES`). Every method returns at once."""

    @property
    def name(self) -> str:
        """The backend in use: miniaudio, simpleaudio, bell or off."""
        ...

    @property
    def muted(self) -> bool: ...

    @property
    def volume(self) -> int: ...

    def play(self, name: str) -> None:
        """Start cue `name` now, cutting any cue still playing. Never raises; unknown names and
        a muted player play nothing."""
        ...

    def toggle_mute(self) -> bool:
        """Mute or unmute; returns the new `muted`. Muting cuts the cue playing."""
        ...

    def set_volume(self, volume: int) -> None:
        """Set the volume, 0..100 (clamped); applies from the next cue."""
        ...

    def duration(self, name: str) -> float:
        """Seconds cue `name` lasts (0 for the bell and off): lets a caller follow one cue with
        another, or with speech, without cutting it."""
        ...

    def close(self) -> None:
        """Stop playing and release the device; safe to call twice."""
        ...


class _Backend(Protocol):
    name: str

    def play(self, name: str) -> None: ...
    def cut(self) -> None: ...
    def set_gain(self, gain: float) -> None: ...
    def close(self) -> None: ...


# ----------------------------------------------------------------------------- miniaudio


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
    reason = _reason(error) if error is not None else "no sound system asked"
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
        self._request = _SILENCE
        self._lost: str | None = None
        self._closing = False
        self._lib = miniaudio.lib
        self.pickups: deque[float] = deque(maxlen=4096)
        """Seconds from each `play()` to the callback that started the cue (for the bench)."""
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
            raise BackendUnavailable(f"could not start the device ({_reason(error)})") from None
        _close_at_exit(self)

    def _stopped(self) -> None:
        # Called on the audio thread when the device stops: after close() (expected), or when
        # the device went away (unplugged, sound server restarted).
        if not self._closing:
            self._lost = "stopped: the audio device went away"

    def play(self, name: str) -> None:
        if self._lost is None and not self._closing and not self._is_started():
            self._lost = "stopped: the audio device went away"
        if self._lost is not None:
            raise BackendLost(self._lost)
        data = self._data.get(name)
        if data is not None:
            self._request = _Request(data, time.perf_counter())

    def _is_started(self) -> bool:
        device = self._device._device
        return device is not None and bool(self._lib.ma_device_is_started(device))

    def cut(self) -> None:
        self._request = _SILENCE

    def set_gain(self, gain: float) -> None:
        self._data = {name: scaled(samples, gain) for name, samples in self._cues.items()}

    def _generate(self, fade_bytes: int) -> Generator[bytes, int, None]:
        """The device's callback: yields exactly the frames asked for, every PERIOD_MS."""
        frames = yield b""
        seen = _SILENCE
        current = b""
        pos = 0
        zeros = b""
        while True:
            try:
                self.callbacks += 1
                size = 2 * frames
                request = self._request
                if request is not seen:
                    seen = request
                    tail = current[pos : pos + fade_bytes]
                    current = _fade_under(tail, request.data) if tail else request.data
                    pos = 0
                    if request.data:
                        self.pickups.append(time.perf_counter() - request.at)
                if pos < len(current):
                    chunk = current[pos : pos + size]
                    pos += len(chunk)
                    if len(chunk) < size:
                        chunk += bytes(size - len(chunk))
                else:
                    if len(zeros) != size:
                        zeros = bytes(size)
                    chunk = zeros
            except Exception:
                # An exception here would be printed by cffi onto the screen and stop the
                # stream: never let one out. Silence for this period, and carry on.
                chunk = bytes(2 * frames)
            frames = yield chunk

    def close(self) -> None:
        if self._closing:
            return
        self._closing = True
        with contextlib.suppress(Exception):
            self._device.close()


def _fade_under(tail: bytes, data: bytes) -> bytes:
    """Mix the last moments of a cut cue, fading out, into the start of the new one."""
    old = array("h", tail)
    n = len(old)
    head = array("h", data[: 2 * n])
    head.extend(array("h", bytes(2 * (n - len(head)))))
    for i in range(n):
        head[i] = max(-32768, min(32767, head[i] + old[i] * (n - i) // n))
    return head.tobytes() + data[2 * n :]


# ----------------------------------------------------------------------------- simpleaudio


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
        self._data = {name: scaled(samples, gain) for name, samples in cues.items()}
        try:
            # Open the device once now, with 10 ms of silence, so a machine without one is
            # found out before the session rather than at its first cue.
            simpleaudio.play_buffer(bytes(2 * (rate // 100)), 1, 2, rate).wait_done()
        except Exception as error:
            raise BackendUnavailable(f"found no audio device ({_reason(error)})") from None
        self._pending: bytes | None = None
        self._lost: str | None = None
        self._closed = False
        self._wake = threading.Condition()
        self._worker = threading.Thread(target=self._run, name="simpleaudio cues", daemon=True)
        self._worker.start()
        _close_at_exit(self)

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
        self._data = {name: scaled(samples, gain) for name, samples in self._cues.items()}

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
                self._lost = f"failed ({_reason(error)})"
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


# ----------------------------------------------------------------------------- bell and off


def ring_stdout() -> None:
    """The default bell: BEL on standard output, for plain mode (the terminal rings it).

    The full-screen app passes its own `ring` (Textual's `app.bell`), since stdout is where it
    draws.
    """
    try:
        sys.stdout.write("\a")
        sys.stdout.flush()
    except (OSError, ValueError, AttributeError):
        pass  # stdout closed or gone: nothing else to ring


class SilentBackend:
    """No sound at all (`--sound off`)."""

    name = "off"

    def play(self, name: str) -> None:
        pass

    def cut(self) -> None:
        pass

    def set_gain(self, gain: float) -> None:
        pass

    def close(self) -> None:
        pass


class BellBackend(SilentBackend):
    """The terminal bell (or whatever `ring` does, e.g. flash the screen): one ring per cue."""

    name = "bell"

    def __init__(self, ring: Callable[[], None]) -> None:
        self._ring = ring

    def play(self, name: str) -> None:
        if name not in CUES:
            return
        # A bell that cannot ring is no reason to stop the session.
        with contextlib.suppress(Exception):
            self._ring()


# ----------------------------------------------------------------------------- the player

_open_backends: weakref.WeakSet[Any] = weakref.WeakSet()


def _close_at_exit(backend: _Backend) -> None:
    # An audio thread still calling into Python while the interpreter shuts down can crash it;
    # close every device before that, even if the caller forgot.
    if not _open_backends:
        atexit.register(_close_all)
    _open_backends.add(backend)


def _close_all() -> None:
    for backend in list(_open_backends):
        with contextlib.suppress(Exception):
            backend.close()


class Player:
    """The `CuePlayer` that `make_player` returns: a backend, and the ones to fall back to.

    When the backend in use fails (at start or mid-session), the next one is opened, `notify`
    is told once, and the cue is played there: the session never notices.
    """

    def __init__(
        self,
        chain: list[tuple[str, Callable[[float], _Backend]]],
        *,
        volume: int,
        notify: Callable[[str], None],
        cues: Callable[[], dict[str, array[int]]] | None = None,
        rate: int = RATE,
        chosen: str | None = None,
    ) -> None:
        """`chain`: (name, factory) to try in order, a factory taking the gain. `cues`: the
        decoded cues (for `duration`). `chosen`: the backend the user named, if any."""
        self._chain = list(chain)
        self._notify = notify
        self._volume = min(100, max(0, volume))
        self._muted = False
        self._cues = cues
        self._rate = rate
        self._chosen = chosen
        self._durations: dict[str, float] = {}
        self._backend: _Backend = SilentBackend()
        self._open_next()

    # -- what the app reads

    @property
    def name(self) -> str:
        return self._backend.name

    @property
    def backend(self) -> object:
        """The backend object itself (tests and the bench look inside it)."""
        return self._backend

    @property
    def muted(self) -> bool:
        return self._muted

    @property
    def volume(self) -> int:
        return self._volume

    # -- what the app and the listener call

    def play(self, name: str) -> None:
        if self._muted:
            return
        try:
            self._backend.play(name)
        except Exception as error:
            self._fail(error)
            # The fallbacks (bell, off) do not fail; if this one does, nothing more to do.
            with contextlib.suppress(Exception):
                self._backend.play(name)

    def toggle_mute(self) -> bool:
        self._muted = not self._muted
        if self._muted:
            with contextlib.suppress(Exception):
                self._backend.cut()
        return self._muted

    def set_volume(self, volume: int) -> None:
        volume = min(100, max(0, int(volume)))
        if volume == self._volume:
            return
        self._volume = volume
        try:
            self._backend.set_gain(gain_for(volume))
        except Exception as error:
            self._fail(error)

    def duration(self, name: str) -> float:
        return self._durations.get(name, 0.0)

    def close(self) -> None:
        self._chain.clear()
        backend, self._backend = self._backend, SilentBackend()
        with contextlib.suppress(Exception):
            backend.close()

    # -- falling back

    def _fail(self, error: BaseException) -> None:
        failed = self._backend.name
        with contextlib.suppress(Exception):
            self._backend.close()
        self._backend = SilentBackend()
        self._open_next(lost=f"{failed} {_reason(error)}")

    def _open_next(self, *, lost: str | None = None) -> None:
        """Open the first backend of the chain that works, and tell in ONE notice what was
        given up on the way (nothing when the first choice works)."""
        problems = [lost] if lost else []
        while self._chain:
            name, factory = self._chain.pop(0)
            try:
                backend = factory(gain_for(self._volume))
            except BackendUnavailable as error:
                if not error.optional or name == self._chosen:
                    problems.append(f"{name} {error}")
                continue
            except Exception as error:  # a backend's own bug must not stop the session
                problems.append(f"{name} failed ({error!r})")
                continue
            self._backend = backend
            break
        else:
            self._backend = SilentBackend()
        # Cues take time only where they are heard as sound; the bell and silence take none.
        if self._cues is not None and self._backend.name in ("miniaudio", "simpleaudio"):
            self._durations = {n: len(s) / self._rate for n, s in self._cues().items()}
        else:
            self._durations = {}
        if problems:
            now = DESCRIPTIONS.get(self._backend.name, self._backend.name)
            self._notify(f"Sound: {'; '.join(problems)}; using {now} instead.")


def make_player(
    choice: str,
    *,
    volume: int,
    notify: Callable[[str], None],
    ring: Callable[[], None] | None = None,
    user_dir: Path | None = None,
    builtin_dir: Path | None = None,
) -> Player:
    """The player for `choice` (auto, miniaudio, simpleaudio, bell or off). Never raises.

    `auto` tries miniaudio, then simpleaudio, then the bell; a named backend is tried first and
    the others after it, ending with the bell. `ring` is the bell (default: BEL on stdout).
    `notify` gets ONE line per problem (no device, a broken cue file); nothing is ever printed.
    `user_dir` (default `<config>/sounds`) holds the user's own cues; `builtin_dir` (default the
    shipped `sounds/`) the built-in ones.
    """
    ring = ring or ring_stdout
    if choice not in (*AUTO_ORDER, "auto", "off"):
        notify(f"Sound: unknown choice {choice!r}; using auto.")
        choice = "auto"
    if choice == "off":
        return Player([("off", lambda gain: SilentBackend())], volume=volume, notify=notify)
    order = list(AUTO_ORDER)
    if choice != "auto":
        order.remove(choice)
        order.insert(0, choice)
    if choice == "auto" and sys.version_info >= (3, 12):
        order.remove("simpleaudio")  # see SimpleaudioBackend: it would only crash

    loaded: dict[str, array[int]] = {}

    def cues() -> dict[str, array[int]]:
        # Decoded once, on first need: the bell and off never read a file.
        if not loaded:
            loaded.update(_load(notify, user_dir, builtin_dir))
        return loaded

    factories: dict[str, Callable[[float], _Backend]] = {
        "miniaudio": lambda gain: MiniaudioBackend(cues(), gain=gain),
        "simpleaudio": lambda gain: SimpleaudioBackend(cues(), gain=gain),
        "bell": lambda gain: BellBackend(ring),
    }
    chain = [(name, factories[name]) for name in order]
    try:
        chosen = None if choice == "auto" else choice
        return Player(chain, volume=volume, notify=notify, cues=cues, chosen=chosen)
    except Exception as error:  # never raises: worst case, a bell
        notify(f"Sound failed to start ({error!r}); using the terminal bell instead.")
        return Player([("bell", lambda gain: BellBackend(ring))], volume=volume, notify=notify)


def _load(
    notify: Callable[[str], None], user_dir: Path | None, builtin_dir: Path | None
) -> dict[str, array[int]]:
    from timer_app.core.paths import config_dir, package_dir
    from timer_app.sound.wav import load_cues

    if user_dir is None:
        try:
            user_dir = config_dir() / "sounds"
        except Exception:
            user_dir = None
    return load_cues(
        builtin_dir=builtin_dir or package_dir("sounds"), user_dir=user_dir, notify=notify
    )

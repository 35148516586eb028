"""Provides the cue player: `make_player` picks a backend; `Player` falls back when one fails."""

from __future__ import annotations

import contextlib
import sys
from array import array
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Protocol

from timer_app.config.choices import CUE_SETS, DEFAULT_CUE_SET, SOUND_CHOICES
from timer_app.sound.backend import (
    RATE,
    Backend,
    BackendUnavailable,
    Speaker,
    gain_for,
    short_reason,
)
from timer_app.sound.bell import BellBackend, SilentBackend, ring_stdout
from timer_app.sound.notice import Notice

__all__ = [
    "AUTO_ORDER",
    "CuePlayer",
    "Player",
    "make_player",
]

AUTO_ORDER = tuple(choice for choice in SOUND_CHOICES if choice not in ("auto", "off"))
"""What `auto` tries, in order (SOUND_CHOICES lists the backends so); an explicit choice tries
itself first, then the others."""
DESCRIPTIONS = {
    "miniaudio": "miniaudio",
    "simpleaudio": "simpleaudio",
    "bell": "the terminal bell",
    "off": "no sound",
}


class CuePlayer(Protocol):
    """Plays the named cues (see `timer_app.session.cues.CUES`). Every method returns at once."""

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

    def speak(self, samples: array[int], lead: float) -> bool:
        """Start a rendered prompt after `lead` seconds, on the device's clock, over the cues.
        False when the backend in use has no speech channel (the bell, off) or it failed: the
        caller then says it another way."""
        ...

    def hush(self) -> None:
        """Stop the prompt playing or waiting on the device; never raises."""
        ...

    def toggle_mute(self) -> bool:
        """Mute or unmute; returns the new `muted`. Muting cuts the cue and prompt playing."""
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


class Player:
    """The `CuePlayer` that `make_player` returns: a backend, and the ones to fall back to.

    When the backend in use fails (at start or mid-session), the next one is opened, `notify`
    is told once, and the cue is played there: the session never notices.
    """

    def __init__(
        self,
        chain: list[tuple[str, Callable[[float], Backend]]],
        *,
        volume: int,
        notify: Callable[[Notice], None],
        cues: Callable[[], dict[str, array[int]]] | None = None,
        rate: int = RATE,
        chosen: str | None = None,
        reload: Callable[[str, Mapping[str, int]], dict[str, array[int]]] | None = None,
        cue_set: str = DEFAULT_CUE_SET,
        cue_volume: Mapping[str, int] | None = None,
    ) -> None:
        """`chain`: (name, factory) to try in order, a factory taking the gain. `cues`: the
        decoded cues (for `duration`). `chosen`: the backend the user named, if any.
        `reload`: decodes another cue set at per-cue volumes, for `use_cues`; `cue_set` and
        `cue_volume` say what `cues` holds."""
        self._chain = list(chain)
        self._reload = reload
        self._cue_set = cue_set
        self._cue_volume = dict(cue_volume or {})
        self._notify = notify
        self._volume = min(100, max(0, volume))
        self._muted = False
        self._cues = cues
        self._rate = rate
        self._chosen = chosen
        self._durations: dict[str, float] = {}
        self._backend: Backend = SilentBackend()
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

    @property
    def speaks(self) -> bool:
        """The backend in use can play rendered prompts (see `speak`)."""
        return isinstance(self._backend, Speaker)

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

    def speak(self, samples: array[int], lead: float) -> bool:
        backend = self._backend
        if self._muted or not isinstance(backend, Speaker):
            return False
        try:
            backend.speak(samples, lead)
        except Exception as error:
            self._fail(error)
            return False
        return True

    def hush(self) -> None:
        backend = self._backend
        if isinstance(backend, Speaker):
            with contextlib.suppress(Exception):
                backend.hush()

    def toggle_mute(self) -> bool:
        self._muted = not self._muted
        if self._muted:
            with contextlib.suppress(Exception):
                self._backend.cut()
            self.hush()
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

    @property
    def cue_set(self) -> str:
        """The cue set playing: tones, soft or bells."""
        return self._cue_set

    def use_cues(self, cue_set: str, cue_volume: Mapping[str, int] | None = None) -> None:
        """Play cue set `cue_set` from the next cue on, each cue at its `cue_volume` (percent
        of the volume; 100 where not given; None keeps the volumes in use). Never raises."""
        volumes = dict(self._cue_volume if cue_volume is None else cue_volume)
        if (cue_set, volumes) == (self._cue_set, self._cue_volume) or self._reload is None:
            self._cue_set, self._cue_volume = cue_set, volumes
            return
        cues = self._reload(cue_set, volumes)
        self._cue_set, self._cue_volume = cue_set, volumes
        try:
            self._backend.set_cues(cues)
        except Exception as error:
            self._fail(error)
        self._time(cues)

    def close(self) -> None:
        self._chain.clear()
        backend, self._backend = self._backend, SilentBackend()
        with contextlib.suppress(Exception):
            backend.close()

    def _time(self, cues: dict[str, array[int]]) -> None:
        # Cues take time only where they are heard as sound; the bell and silence take none.
        if self._backend.name in ("miniaudio", "simpleaudio"):
            self._durations = {n: len(s) / self._rate for n, s in cues.items()}
        else:
            self._durations = {}

    # -- falling back

    def _fail(self, error: BaseException) -> None:
        failed = self._backend.name
        with contextlib.suppress(Exception):
            self._backend.close()
        self._backend = SilentBackend()
        self._open_next(lost=f"{failed} {short_reason(error)}")

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
        self._time(self._cues() if self._cues is not None else {})
        if problems:
            now = DESCRIPTIONS.get(self._backend.name, self._backend.name)
            then = "no sound will play" if self._backend.name == "off" else f"using {now} instead"
            self._notify(Notice("Sound", tuple(problems), then))


def make_player(
    choice: str,
    *,
    volume: int,
    notify: Callable[[Notice], None],
    ring: Callable[[], None] | None = None,
    user_dir: Path | None = None,
    builtin_dir: Path | None = None,
    bell: bool = True,
    cue_set: str = DEFAULT_CUE_SET,
    cue_volume: Mapping[str, int] | None = None,
) -> Player:
    """The player for `choice` (auto, miniaudio, simpleaudio, bell or off). Never raises.

    `auto` tries miniaudio, then simpleaudio, then the bell; a named backend is tried first and
    the others after it, ending with the bell. `ring` is the bell (default: BEL on stdout).
    `notify` gets ONE `Notice` per problem (no device, a broken cue file); nothing is ever printed.
    `user_dir` (default `<config>/sounds`) holds the user's own cues; `builtin_dir` (default the
    shipped `sounds/`) the built-in ones. `bell=False`: there is no terminal to ring (output
    to a pipe or a file), so the last fallback is silence, and the notice says no sound plays.
    `cue_set` (tones, soft or bells) is the built-in set played; `cue_volume` each cue's volume
    in percent of `volume` (e.g. {"routine-complete": 50}); `builtin_dir` replaces the set's
    folder.
    """
    ring = ring or ring_stdout
    if cue_set not in CUE_SETS:
        notify(Notice("Sound", (f"no cue set called {cue_set!r}",), f"using {DEFAULT_CUE_SET}"))
        cue_set = DEFAULT_CUE_SET
    if choice not in SOUND_CHOICES:
        notify(Notice("Sound", (f"unknown choice {choice!r}",), "using auto"))
        choice = "auto"
    if choice == "off":
        return Player(
            [("off", lambda gain: SilentBackend())],
            volume=volume,
            notify=notify,
            cue_set=cue_set,
            cue_volume=cue_volume,
        )
    order = list(AUTO_ORDER)
    if choice != "auto":
        order.remove(choice)
        order.insert(0, choice)
    if choice == "auto" and sys.version_info >= (3, 12):
        order.remove("simpleaudio")  # see SimpleaudioBackend: it would only crash

    loaded: dict[str, array[int]] = {}

    def reload(name: str, volumes: Mapping[str, int]) -> dict[str, array[int]]:
        folder = builtin_dir if builtin_dir is not None and name == cue_set else None
        fresh = at_volumes(_load(notify, user_dir, folder, name), volumes)
        loaded.clear()
        loaded.update(fresh)
        return fresh

    def cues() -> dict[str, array[int]]:
        # Decoded once, on first need: the bell and off never read a file.
        if not loaded:
            reload(cue_set, cue_volume or {})
        return loaded

    # The device backends are imported when first opened: a session only ever needs the one
    # that works, and sound off or the bell needs none of them.
    def open_miniaudio(gain: float) -> Backend:
        from timer_app.sound.miniaudio_backend import MiniaudioBackend

        return MiniaudioBackend(cues(), gain=gain)

    def open_simpleaudio(gain: float) -> Backend:
        from timer_app.sound.simpleaudio_backend import SimpleaudioBackend

        return SimpleaudioBackend(cues(), gain=gain)

    def ring_here(gain: float) -> Backend:
        if not bell:
            # Said only to someone who chose the bell: otherwise "no sound will play" says it.
            raise BackendUnavailable("cannot ring: the output is not a terminal", optional=True)
        return BellBackend(ring)

    factories: dict[str, Callable[[float], Backend]] = {
        "miniaudio": open_miniaudio,
        "simpleaudio": open_simpleaudio,
        "bell": ring_here,
    }
    chain = [(name, factories[name]) for name in order]
    try:
        chosen = None if choice == "auto" else choice
        return Player(
            chain,
            volume=volume,
            notify=notify,
            cues=cues,
            chosen=chosen,
            reload=reload,
            cue_set=cue_set,
            cue_volume=cue_volume,
        )
    except Exception as error:  # never raises: worst case, a bell
        notify(
            Notice("Sound", (f"failed to start ({error!r})",), "using the terminal bell instead")
        )
        return Player([("bell", lambda gain: BellBackend(ring))], volume=volume, notify=notify)


def at_volumes(cues: dict[str, array[int]], volumes: Mapping[str, int]) -> dict[str, array[int]]:
    """The cues with each one named in `volumes` scaled to its volume (percent, on the same
    curve as the main volume): the rest as they are."""
    out = dict(cues)
    for name, volume in volumes.items():
        if name in out and volume < 100:
            factor = round(gain_for(volume) * 32768)
            out[name] = array("h", [s * factor >> 15 for s in out[name]])
    return out


def _load(
    notify: Callable[[Notice], None],
    user_dir: Path | None,
    builtin_dir: Path | None,
    cue_set: str = DEFAULT_CUE_SET,
) -> dict[str, array[int]]:
    from timer_app.core.paths import config_dir, cue_set_dir
    from timer_app.sound.wav import load_cues

    if user_dir is None:
        try:
            user_dir = config_dir() / "sounds"
        except Exception:
            user_dir = None
    return load_cues(
        builtin_dir=builtin_dir or cue_set_dir(cue_set), user_dir=user_dir, notify=notify
    )

"""Tests of the sound cues: which cue each moment gets, the players and their fallbacks, and real
audio out of real backends (ALSA routed into a file we read), with nothing ever on stderr."""

from __future__ import annotations

import asyncio
import ctypes
import fcntl
import importlib.util
import json
import os
import select
import subprocess
import sys
import textwrap
import threading
import time
import wave
from array import array
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from test_voice import espeak_shim, needs_espeak

from engine_support import Session, eventually, held, mixed_plan, plan_of
from helpers import SHORT_ROUTINE
from timer_app.session.events import Cue, Paused, SessionStarted, StepEnded, StepStarted
from timer_app.sound import CUES, SoundListener, make_player
from timer_app.sound.backend import RATE, BackendLost, BackendUnavailable, gain_for
from timer_app.sound.bell import ring_stdout
from timer_app.sound.listener import FOLLOW_GAP, SPEECH_AFTER_CUE
from timer_app.sound.miniaudio_backend import FADE_SECONDS, _open_device
from timer_app.sound.notice import Notice
from timer_app.sound.player import Player
from timer_app.sound.wav import WavError, load_cues, read_wav, scaled
from timer_app.testing import VirtualClock

ROOT = Path(__file__).resolve().parent.parent
SOUNDS = ROOT / "sounds" / "tones"
TESTS = Path(__file__).resolve().parent


def told(into: list[str]) -> Callable[[Notice], None]:
    """A notify that keeps each notice as the person reads it whole."""
    return lambda notice: into.append(str(notice))


def _has_alsa() -> bool:
    try:
        ctypes.CDLL("libasound.so.2")
    except OSError:
        return False
    return True


HAS_ALSA = sys.platform.startswith("linux") and _has_alsa()
needs_alsa = pytest.mark.skipif(
    not HAS_ALSA,
    reason="needs ALSA (libasound2): scripts/setup-test-system installs it as root with apt",
)
needs_miniaudio = pytest.mark.skipif(
    importlib.util.find_spec("miniaudio") is None,
    reason="miniaudio is not installed (it is a dependency: pip install -e .)",
)


# ----------------------------------------------------------------------------- helpers


class FakePlayer:
    """A CuePlayer that only notes what it was asked to play (for the event-to-cue mapping)."""

    name = "fake"

    def __init__(self, clock: VirtualClock | None = None, length: float = 0.0) -> None:
        self.clock = clock
        self.length = length
        self.played: list[str] = []
        self.times: list[float] = []
        self.muted = False
        self.volume = 100

    def play(self, name: str) -> None:
        if not self.muted:
            self.played.append(name)
            self.times.append(self.clock.now() if self.clock else time.monotonic())

    def speak(self, samples: object, lead: float) -> bool:
        return False  # no speech channel: prompts go to the voice

    def hush(self) -> None:
        pass

    def toggle_mute(self) -> bool:
        self.muted = not self.muted
        return self.muted

    def set_volume(self, volume: int) -> None:
        self.volume = volume

    def duration(self, name: str) -> float:
        return self.length

    def close(self) -> None:
        pass


def builtin(name: str) -> bytes:
    """A built-in cue's samples as the bytes a device receives at volume 100."""
    with wave.open(str(SOUNDS / f"{name}.wav"), "rb") as reader:
        data = array("h", reader.readframes(reader.getnframes()))
    if sys.byteorder == "big":
        data.byteswap()
    return data.tobytes()


def write_wav(path: Path, samples: list[int], *, rate: int = RATE, channels: int = 1) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(array("h", samples).tobytes())


# ----------------------------------------------------------------------------- which cue when

MIXED_PLAN_CUES = [
    # Knee to chest: prepare 5 s, then left and right, two 30 s holds each.
    *["get-ready", "tick", "tick", "tick-last"],
    *["hold", "halfway", "tick", "tick", "tick-last", "rest"],
    *["hold", "halfway", "tick", "tick", "tick-last", "switch"],
    *["hold", "halfway", "tick", "tick", "tick-last", "rest"],
    *["hold", "halfway", "tick", "tick", "tick-last"],
    # Ankle pumps (tempo: on 2 s, hold 1 s, off 1 s, three reps), after a 3 s prepare.
    *["exercise-done", "get-ready", "tick", "tick-last"],
    *["pressure-on", "hold", "pressure-off"] * 3,
    # Neck: prepare 4 s, then one timed 20 s stretch, and the end of the routine.
    *["exercise-done", "get-ready", "tick", "tick", "tick-last"],
    *["hold", "halfway", "tick", "tick", "tick-last"],
    "routine-complete",
]


async def test_every_moment_of_a_session_gets_its_cue() -> None:
    session = Session(mixed_plan())
    player = FakePlayer(session.clock)
    listener = SoundListener(player, plan=session.plan, clock=session.clock)
    session.engine.add_listener(listener)
    await session.start()
    await session.finish()
    assert player.played == MIXED_PLAN_CUES
    assert listener.played == MIXED_PLAN_CUES


async def test_cues_sound_at_their_moment() -> None:
    session = Session(plan_of(held("Reach", seconds=10, reps=1, prepare=5, per_side=False)))
    player = FakePlayer(session.clock)
    session.engine.add_listener(SoundListener(player, clock=session.clock))
    await session.start()
    await session.finish()
    heard = list(zip(player.played, player.times, strict=True))
    assert heard == [
        ("get-ready", 0),
        ("tick", 2),
        ("tick", 3),
        ("tick-last", 4),
        ("hold", 5),
        ("tick", 12),
        ("tick", 13),
        ("tick-last", 14),
        ("routine-complete", 15),
    ]


async def test_exercise_done_is_followed_by_the_next_cue_not_played_over_it() -> None:
    plan = plan_of(
        held("Reach", seconds=2, reps=1, prepare=0, per_side=False),
        held("Bend", seconds=2, reps=1, prepare=2, per_side=False),
    )
    session = Session(plan)
    player = FakePlayer(length=0.03)  # real time: the follow-up waits for real sound
    session.engine.add_listener(SoundListener(player, clock=session.clock))
    await session.start()
    await session.at(2)
    assert player.played[-1] == "exercise-done"
    # Real time: the follow-up waits for the real length of the first cue.
    await eventually(lambda: player.played[-1] != "exercise-done")
    assert player.played[-2:] == ["exercise-done", "get-ready"]
    # It followed once the first had sounded (its length plus the gap), not on top of it.
    assert player.times[-1] - player.times[-2] >= 0.03 + FOLLOW_GAP - 0.001
    await session.act(session.engine.stop)
    await session.finish()


async def test_a_newer_cue_drops_the_one_waiting_to_follow() -> None:
    plan = plan_of(
        held("Reach", seconds=2, reps=1, prepare=0, per_side=False),
        held("Bend", seconds=5, reps=1, prepare=0, per_side=False),
    )
    session = Session(plan)
    player = FakePlayer(session.clock, length=0.05)
    session.engine.add_listener(SoundListener(player, clock=session.clock))
    await session.start()
    await session.at(2)
    await session.act(session.engine.pause)
    await eventually(lambda: "paused" in player.played)
    await asyncio.sleep(0.15)  # long enough for the dropped "get ready" to have sounded
    assert player.played[-2:] == ["exercise-done", "paused"]
    await session.act(session.engine.stop)
    await session.finish()


async def test_pause_resume_counts_in_then_sounds_the_step_again() -> None:
    session = Session(plan_of(held("Reach", seconds=30, reps=1, prepare=0, per_side=False)))
    player = FakePlayer(session.clock)
    session.engine.add_listener(SoundListener(player, clock=session.clock))
    await session.start()
    await session.at(10)
    await session.act(session.engine.pause)
    await session.wait(60)
    await session.act(session.engine.resume)
    await session.wait(3)
    assert player.played == ["hold", "paused", "tick", "tick", "tick-last", "hold"]
    await session.act(session.engine.stop)
    await session.finish()


async def test_skip_and_stop_play_no_fanfare() -> None:
    plan = plan_of(
        held("Reach", seconds=30, reps=1, prepare=0, per_side=False),
        held("Bend", seconds=30, reps=1, prepare=3, per_side=False),
    )
    session = Session(plan)
    player = FakePlayer(session.clock)
    session.engine.add_listener(SoundListener(player, clock=session.clock))
    await session.start()
    await session.at(5)
    await session.act(session.engine.skip)
    # Stop inside Bend's 3 s get-ready, before its first count (2 s left, at 6 s).
    await session.at(5.5)
    await session.act(session.engine.stop)
    await session.finish()
    # A skipped exercise is not "done"; a stopped session gets no "routine complete".
    assert player.played == ["hold", "get-ready"]


class NotedVoice:
    """A Voice that only notes what it was asked to say."""

    def __init__(self) -> None:
        self.said: list[str] = []

    def say(self, text: str, *, delay: float = 0.0, stale_after: float = 0.0) -> None:
        self.said.append(text)

    def stop(self) -> None:
        pass

    async def aclose(self, grace: float = 0.0) -> None:
        pass


async def test_an_exercise_is_announced_when_entered_not_when_started_over() -> None:
    plan = plan_of(
        held("Reach", seconds=10, reps=2, rest=2, prepare=2, per_side=False),
        held("Bend", seconds=4, reps=1, prepare=2, per_side=False),
    )
    session = Session(plan)
    player = FakePlayer(session.clock)
    voice = NotedVoice()
    listener = SoundListener(player, voice, plan=plan, clock=session.clock)  # type: ignore[arg-type]
    session.engine.add_listener(listener)
    engine = session.engine
    await session.start()
    await session.at(6)
    await session.act(engine.restart_exercise)  # Reach again: get ready 6-8, hold 8-18, rest
    await session.at(19)
    await session.act(engine.next_step)  # rest cut short: the second hold, 19-29
    await session.at(30)  # Reach ran to its end at 29; Bend is getting ready
    await session.act(engine.back)  # within 3 s of Bend: back to Reach
    await session.act(engine.stop)
    await session.finish()
    reach = "Sit down on a chair or the edge of a bed or couch. Reach, hold 10 seconds, 2 reps."
    assert voice.said == [
        reach,
        "Rep 2 of 2.",
        "Bend, hold 4 seconds.",
        reach,  # gone back to: entered again
    ]
    # "Exercise done" once: when Reach ran to its end, not when Bend was left by back.
    done = [t for cue, t in zip(player.played, player.times, strict=True) if cue == "exercise-done"]
    assert done == [29]


async def test_late_events_are_dropped_not_played_off_the_beat() -> None:
    clock = VirtualClock()
    player = FakePlayer(clock)
    listener = SoundListener(player, clock=clock)
    step = mixed_plan().steps[1]
    listener(SessionStarted(at=0.0, clock_start=0.0, total=100.0, steps=3))
    await clock.advance_to(10.5)
    listener(Cue(at=10.0, step=step, kind="countdown", seconds=2))  # 0.5 s late: a wrong count
    listener(Cue(at=10.4, step=step, kind="countdown", seconds=1))  # 0.1 s late: still fine
    listener(StepEnded(at=9.0, step=step, how="completed", remaining=0.0))
    listener(
        StepStarted(
            at=9.0,
            step=step,
            new_exercise=False,
            deadline=39.0,
            remaining_steps=2,
            session_remaining=1,
        )
    )
    assert player.played == ["tick-last"]


async def test_a_failing_player_never_reaches_the_engine() -> None:
    class Broken(FakePlayer):
        def play(self, name: str) -> None:
            raise RuntimeError("boom")

    session = Session(plan_of(held("Reach", seconds=3, reps=1, prepare=0, per_side=False)))
    session.engine.add_listener(SoundListener(Broken()))
    await session.start()
    finished = await session.finish()
    assert finished.completed


async def test_a_listener_without_clock_or_plan_still_plays() -> None:
    session = Session(plan_of(held("Reach", seconds=3, reps=1, prepare=0, per_side=False)))
    player = FakePlayer()
    session.engine.add_listener(SoundListener(player))
    await session.start()
    await session.finish()
    assert player.played == ["hold", "tick", "tick-last", "routine-complete"]


async def test_pause_event_stops_the_voice() -> None:
    class Voice:
        stopped = 0

        def stop(self) -> None:
            self.stopped += 1

    voice = Voice()
    listener = SoundListener(FakePlayer(), voice)  # type: ignore[arg-type]
    step = mixed_plan().steps[1]
    listener(Paused(at=3.0, step=step, remaining=10.0))
    assert voice.stopped == 1


# ----------------------------------------------------------------------------- the player


def test_bell_rings_once_per_cue_and_mute_silences_it() -> None:
    notices: list[str] = []
    rings: list[float] = []
    player = make_player("bell", volume=80, notify=told(notices), ring=lambda: rings.append(1))
    assert player.name == "bell"
    player.play("hold")
    player.play("tick")
    player.play("no-such-cue")
    assert len(rings) == 2
    assert player.toggle_mute() is True
    assert player.muted
    player.play("hold")
    assert len(rings) == 2
    assert player.toggle_mute() is False
    player.play("hold")
    assert len(rings) == 3
    assert player.duration("hold") == 0.0
    player.close()
    player.close()
    assert notices == []


def test_off_plays_nothing() -> None:
    notices: list[str] = []
    player = make_player("off", volume=80, notify=told(notices), ring=lambda: notices.append("!"))
    assert player.name == "off"
    for name in CUES:
        player.play(name)
    assert notices == []


def test_default_bell_is_bel_on_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    player = make_player("bell", volume=80, notify=print)
    player.play("hold")
    ring_stdout()
    assert capsys.readouterr() == ("\a\a", "")


def test_unknown_choice_says_so_and_goes_on() -> None:
    notices: list[str] = []
    rings: list[int] = []

    player = Player(
        [("miniaudio", _unavailable("found no audio device")), ("bell", _bell(rings))],
        volume=80,
        notify=told(notices),
    )
    assert player.name == "bell"
    assert notices == ["Sound: miniaudio found no audio device; using the terminal bell instead."]
    notices.clear()
    make_player("loud", volume=80, notify=told(notices), ring=lambda: None)
    assert notices[0] == "Sound: unknown choice 'loud'; using auto."


def _unavailable(reason: str, *, optional: bool = False):  # type: ignore[no-untyped-def]
    def factory(gain: float) -> Player:
        raise BackendUnavailable(reason, optional=optional)

    return factory


def _bell(rings: list[int]):  # type: ignore[no-untyped-def]
    from timer_app.sound.bell import BellBackend

    return lambda gain: BellBackend(lambda: rings.append(1))


def test_a_missing_optional_backend_is_only_mentioned_when_chosen() -> None:
    notices: list[str] = []
    chain = [
        ("simpleaudio", _unavailable("is not installed", optional=True)),
        ("bell", _bell([])),
    ]
    Player(list(chain), volume=80, notify=told(notices))
    assert notices == []
    Player(list(chain), volume=80, notify=told(notices), chosen="simpleaudio")
    assert notices == ["Sound: simpleaudio is not installed; using the terminal bell instead."]


def test_a_backend_lost_mid_session_falls_back_with_one_notice() -> None:
    notices: list[str] = []
    rings: list[int] = []

    class Dying:
        name = "miniaudio"
        plays = 0
        closed = False

        def play(self, name: str) -> None:
            self.plays += 1
            if self.plays > 2:
                raise BackendLost("stopped: the audio device went away")

        def cut(self) -> None:
            pass

        def set_gain(self, gain: float) -> None:
            pass

        def close(self) -> None:
            self.closed = True

    dying = Dying()
    player = Player(
        [("miniaudio", lambda gain: dying), ("bell", _bell(rings))],
        volume=80,
        notify=told(notices),
    )
    for _ in range(5):
        player.play("tick")
    assert dying.plays == 3 and dying.closed
    assert player.name == "bell"
    assert len(rings) == 3  # the cue that found the device gone still rang
    assert notices == [
        "Sound: miniaudio stopped: the audio device went away; using the terminal bell instead."
    ]


def test_volume_is_applied_to_the_samples() -> None:
    assert gain_for(100) == 1.0
    assert gain_for(0) == 0.0
    assert gain_for(50) == 0.25
    assert gain_for(150) == 1.0
    samples = array("h", [1000, -1000, 32767, -32768])
    assert array("h", scaled(samples, 1.0)).tolist() == samples.tolist()
    assert array("h", scaled(samples, 0.25)).tolist() == [250, -250, 8191, -8192]
    assert array("h", scaled(samples, 0.0)).tolist() == [0, 0, 0, 0]
    player = make_player("bell", volume=80, notify=print, ring=lambda: None)
    player.set_volume(30)
    assert player.volume == 30
    player.set_volume(-5)
    assert player.volume == 0


def test_importing_sound_loads_no_audio_library() -> None:
    code = (
        "import sys, timer_app.sound; "
        "print(sorted(m for m in ('miniaudio', 'simpleaudio', 'textual', 'rich', 'ctypes', "
        "'wave') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


# ----------------------------------------------------------------------------- cue files


def test_builtin_cues_load_at_the_device_rate() -> None:
    notices: list[str] = []
    cues = load_cues(builtin_dir=SOUNDS, user_dir=None, notify=told(notices))
    assert set(cues) == set(CUES)
    assert notices == []
    assert cues["hold"].tobytes() == builtin("hold")


def test_a_users_cue_replaces_the_builtin(isolated_home: Path) -> None:
    from timer_app.core.paths import config_dir

    mine = [int(8000 * ((i // 20) % 2 * 2 - 1)) for i in range(8820)]  # 0.2 s square, 44.1 kHz
    write_wav(config_dir() / "sounds" / "hold.wav", mine + mine, rate=44100, channels=2)
    notices: list[str] = []
    cues = load_cues(builtin_dir=SOUNDS, user_dir=config_dir() / "sounds", notify=told(notices))
    assert notices == []
    assert abs(len(cues["hold"]) - RATE * 0.2) <= 2  # stereo folded to mono, 44.1 -> 22.05 kHz
    assert cues["tick"].tobytes() == builtin("tick")
    assert cues["hold"][0] == 0  # the ends are faded so a hard-cut file does not click


def test_broken_and_unknown_user_files_give_one_notice(tmp_path: Path) -> None:
    (tmp_path / "hold.wav").write_bytes(b"RIFF\x00\x00not really")
    (tmp_path / "tick.wav").write_bytes(b"")
    write_wav(tmp_path / "rest.wav", [0] * (RATE * 11))  # 11 s: not a cue
    write_wav(tmp_path / "holdd.wav", [0, 1000, 0])
    (tmp_path / "notes.txt").write_text("not a sound")
    notices: list[str] = []
    cues = load_cues(builtin_dir=SOUNDS, user_dir=tmp_path, notify=told(notices))
    assert cues["hold"].tobytes() == builtin("hold")
    assert cues["tick"].tobytes() == builtin("tick")
    assert cues["rest"].tobytes() == builtin("rest")
    assert len(notices) == 1
    notice = notices[0]
    for text in ("hold.wav", "tick.wav", "rest.wav (longer than 10 s)", "holdd.wav", "built-in"):
        assert text in notice
    assert "notes.txt" not in notice


def test_a_damaged_install_still_has_a_sound_for_every_cue(tmp_path: Path) -> None:
    notices: list[str] = []
    cues = load_cues(builtin_dir=tmp_path / "gone", user_dir=None, notify=told(notices))
    assert set(cues) == set(CUES)
    assert all(len(samples) > 0 for samples in cues.values())
    assert len(notices) == 1 and "missing or damaged" in notices[0]


def test_wav_files_of_other_shapes_are_decoded(tmp_path: Path) -> None:
    path = tmp_path / "x.wav"
    for width, frame in ((1, b"\xc0"), (3, b"\x00\x00\xc0"), (4, b"\x00\x00\x00\xc0")):
        with wave.open(str(path), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(width)
            out.setframerate(RATE)
            out.writeframes(frame * 100)
        samples = read_wav(path)
        assert len(samples) == 100
        # 8-bit WAV is unsigned (0xC0 is +64); wider samples are signed (0xC0.. is negative).
        assert samples[50] == (16384 if width == 1 else -16384), width
    write_wav(path, [1000] * 4800, rate=48000)
    assert abs(len(read_wav(path)) - 2205) <= 1
    with pytest.raises(WavError, match="missing"):
        read_wav(tmp_path / "none.wav")
    write_wav(path, [])
    with pytest.raises(WavError, match="no audio"):
        read_wav(path)


# ----------------------------------------------------------------------------- real audio

CHILD = textwrap.dedent(
    """
    import asyncio, json, sys, time
    sys.path.insert(0, {tests!r})
    from engine_support import held, plan_of
    from timer_app.testing import VirtualClock, settle
    from timer_app.session.engine import Engine
    from timer_app.sound import SoundListener, make_player, make_voice

    config = json.loads(sys.argv[1])
    notices, rings, log = [], [], []

    class Logged:
        # The player, noting when each cue was handed to it.
        def __init__(self, inner):
            self.inner = inner
        def __getattr__(self, name):
            return getattr(self.inner, name)
        def play(self, name):
            log.append((name, time.perf_counter()))
            self.inner.play(name)
            if config.get("lose_device_after") == len(log):
                # As if the device went away: miniaudio stops it and calls its stop callback.
                self.inner.backend._device.stop()

    async def main():
        opened = time.perf_counter()
        player = make_player(
            config["choice"], volume=100, notify=lambda n: notices.append(str(n)),
            ring=lambda: rings.append(time.perf_counter()),
        )
        backend = player.name
        # As in the app, the device runs a while before the first cue: the capture's pipeline
        # (FIFO and ALSA buffers, about 0.2 s) fills up, and every cue then meets the same delay.
        await asyncio.sleep(0.5)
        voice = make_voice(config.get("voice", False), lambda n: notices.append(str(n)))
        plan = plan_of(
            held("Reach", seconds=2, reps=1, prepare=0, per_side=False),
            held("Bend", seconds=2, reps=1, prepare=0, per_side=False),
        )
        clock = VirtualClock()
        engine = Engine(plan, clock=clock, listener_grace=1.0)
        listener = SoundListener(Logged(player), voice, plan=plan, clock=clock)
        engine.add_listener(listener)
        task = asyncio.create_task(engine.run())
        await clock.advance(0)
        while True:
            # Real time between the moments, so each cue is heard whole before the next.
            await settle()
            gap = 0.05 + sum(player.duration(name) for name, _ in log[-2:])
            if listener._follow is not None:
                gap += 0.8
            await asyncio.sleep(gap)
            if task.done():
                break
            await clock.advance_to(clock.next_deadline())
        finished = await task
        await listener.aclose()
        final = player.name
        player.close()
        closed = time.perf_counter()
        print(json.dumps({{
            "backend": backend, "final": final, "notices": notices, "rings": len(rings),
            "log": [(name, t - opened) for name, t in log], "completed": finished.completed,
            "open": closed - opened,
        }}))

    asyncio.run(main())
    """
).format(tests=str(TESTS))

RIG_GRANULE = 4096 / (2 * RATE)
"""ALSA's `file` plugin writes into the FIFO a page (4096 bytes) at a time, so where a cue lands
in the captured stream is only known to within this (0.093 s)."""

SESSION_CUES = ["hold", "tick-last", "exercise-done", "hold", "tick-last", "routine-complete"]


class AlsaCapture:
    """ALSA's default device routed, through its `file` plugin, into a FIFO we read at the pace
    of a real sound card (22.05 kHz mono 16-bit = 44100 bytes a second), so a player runs just
    as it would on hardware and we get every sample it sends."""

    def __init__(self, folder: Path) -> None:
        self.home = folder / "home"
        self.home.mkdir()
        self.fifo = folder / "audio.fifo"
        os.mkfifo(self.fifo)
        (self.home / ".asoundrc").write_text(
            textwrap.dedent(
                f"""
                pcm.!default {{
                    type file
                    slave.pcm "null"
                    file "{self.fifo}"
                    format "raw"
                }}
                """
            )
        )
        self.data = bytearray()
        self._stop = threading.Event()
        # Open both ends ourselves: reading never blocks on a missing writer, and the players
        # opening and closing the device (simpleaudio does, per cue) never end the stream.
        self._read = os.open(self.fifo, os.O_RDONLY | os.O_NONBLOCK)
        self._keep = os.open(self.fifo, os.O_WRONLY | os.O_NONBLOCK)
        # A one-page pipe: the writer can run at most ~0.1 s ahead of "the speaker".
        fcntl.fcntl(self._read, 1031, 4096)  # F_SETPIPE_SZ
        self._thread = threading.Thread(target=self._pump, daemon=True)
        self._thread.start()

    def _pump(self) -> None:
        first = None
        while not self._stop.is_set():
            ready, _, _ = select.select([self._read], [], [], 0.02)
            if not ready:
                continue
            try:
                chunk = os.read(self._read, 4096)
            except BlockingIOError:
                continue
            if not chunk:
                continue
            first = first if first is not None else time.monotonic()
            self.data.extend(chunk)
            ahead = len(self.data) / (2 * RATE) - (time.monotonic() - first)
            if ahead > 0.005:
                time.sleep(ahead - 0.005)

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        os.close(self._read)
        os.close(self._keep)

    @property
    def seconds(self) -> float:
        return len(self.data) / (2 * RATE)


@pytest.fixture
def capture(tmp_path: Path) -> Iterator[AlsaCapture]:
    sink = AlsaCapture(tmp_path)
    yield sink
    sink.close()


def child_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ALSA", "PULSE", "XDG"))}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_RUNTIME_DIR=str(home),
        # No sound server: miniaudio must go through ALSA, and so to our file plugin.
        PULSE_SERVER="unix:/nonexistent/pulse",
        PYTHONPATH=str(ROOT),
    )
    return env


def run_child(home: Path, **config: object) -> tuple[dict[str, object], str]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(config)],
        check=False,
        env=child_env(home),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout), done.stderr


def find_in_order(data: bytes, cues: list[bytes]) -> list[int]:
    """Where each cue's samples start in the stream, searching on from the previous one."""
    positions = []
    at = 0
    for cue in cues:
        found = data.find(cue, at)
        assert found >= 0, f"cue {len(positions) + 1} of {len(cues)} is not in the audio"
        assert found % 2 == 0
        positions.append(found // 2)
        at = found + len(cue)
    return positions


def nonzero_samples(data: bytes) -> int:
    return sum(1 for s in array("h", data) if s)


@needs_alsa
@needs_miniaudio
def test_miniaudio_plays_a_session_into_alsa(capture: AlsaCapture) -> None:
    # A cue of the user's own replaces the last tick; the rest are the built-ins.
    mine = [6000 * (1 if (i // 11) % 2 else -1) for i in range(2205)]
    write_wav(capture.home / ".config" / "stretch-timer" / "sounds" / "tick-last.wav", mine)
    result, stderr = run_child(capture.home, choice="miniaudio")
    assert stderr == ""
    assert result["backend"] == result["final"] == "miniaudio"
    assert result["notices"] == []
    assert result["completed"] is True
    log = result["log"]
    assert isinstance(log, list)
    assert [name for name, _ in log] == SESSION_CUES

    data = bytes(capture.data)
    user_tick = array("h", mine[200:-200]).tobytes()  # the middle: the ends get faded
    expected = [user_tick if name == "tick-last" else builtin(name) for name in SESSION_CUES]
    # "Exercise done" has the next step's cue 50 ms behind it, timed on the event loop; the
    # capture's page-sized writes can delay one cue's start by more than that, so the follower
    # may start over its last moments here (never on a device, whose jitter is one 10 ms period).
    # When it does, the player fades that tail into the follower's first 5 ms (so nothing
    # clicks): every cue is looked for from just after that.
    head = 2 * round(FADE_SECONDS * RATE)
    searched = [
        cue[head : len(cue) - 2 * round(RIG_GRANULE * RATE)]
        if name == "exercise-done"
        else cue[head:]
        for name, cue in zip(SESSION_CUES, expected, strict=True)
    ]
    positions = find_in_order(data, searched)
    # Heard when handed over, never queued: the gaps between cues in the audio are the gaps
    # between plays, as far as the capture can tell (a queued cue would be a whole cue late).
    played_at = [t for _, t in log]
    for i in range(1, len(positions)):
        heard_gap = (positions[i] - positions[i - 1]) / RATE
        played_gap = played_at[i] - played_at[i - 1]
        if SESSION_CUES[i] == "tick-last":
            heard_gap -= 200 / RATE  # we matched the user's tick 200 samples in
        error = abs(heard_gap - played_gap)
        assert error < RIG_GRANULE + 0.02, (SESSION_CUES[i], heard_gap, played_gap)
    # One device, open the whole session: the stream is as long as the session was.
    assert abs(capture.seconds - float(result["open"])) < 0.5  # type: ignore[arg-type]
    # Silence between cues, and exactly the cues' sound in it.
    cue_samples = sum(len(c) // 2 for c in expected)
    assert 0.9 * cue_samples <= nonzero_samples(data) <= 1.2 * cue_samples + 2205


@needs_alsa
@needs_miniaudio
def test_a_device_lost_mid_session_falls_back_once(capture: AlsaCapture) -> None:
    result, stderr = run_child(capture.home, choice="miniaudio", lose_device_after=2)
    assert stderr == ""
    assert result["completed"] is True
    assert result["backend"] == "miniaudio"
    assert result["final"] in ("simpleaudio", "bell")
    notices = result["notices"]
    assert isinstance(notices, list) and len(notices) == 1
    assert notices[0].startswith("Sound: miniaudio stopped: the audio device went away; using")
    if result["final"] == "bell":
        assert result["rings"] == len(SESSION_CUES) - 2


@needs_alsa
@pytest.mark.skipif(sys.version_info >= (3, 12), reason="simpleaudio is refused on 3.12+")
@pytest.mark.skipif(
    importlib.util.find_spec("simpleaudio") is None,
    reason="simpleaudio is not installed (optional: pip install -e '.[simpleaudio]', "
    "which builds it against libasound2-dev)",
)
def test_simpleaudio_plays_a_session_into_alsa(capture: AlsaCapture) -> None:
    result, stderr = run_child(capture.home, choice="simpleaudio")
    assert stderr == ""
    assert result["backend"] == result["final"] == "simpleaudio"
    assert result["notices"] == []
    data = bytes(capture.data)
    # simpleaudio opens a stream per cue, so the stream holds the cues back to back.
    find_in_order(data, [builtin(name) for name in SESSION_CUES])
    cue_samples = sum(len(builtin(name)) // 2 for name in SESSION_CUES)
    assert 0.9 * cue_samples <= nonzero_samples(data) <= 1.1 * cue_samples


@pytest.mark.skipif(
    sys.version_info < (3, 12),
    reason="checks that simpleaudio is refused on Python 3.12+, where it crashes at exit",
)
def test_simpleaudio_is_refused_where_it_would_crash(tmp_path: Path) -> None:
    result, stderr = run_child(tmp_path, choice="simpleaudio")
    assert stderr == ""
    notices = result["notices"]
    assert isinstance(notices, list) and "crashes on Python 3.12" in notices[0]


@needs_alsa
def test_no_sound_card_falls_back_to_the_bell_and_leaves_stderr_empty(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    # Default device on a card that does not exist: what a machine without sound looks like,
    # and ALSA's most talkative failure.
    (home / ".asoundrc").write_text(
        'pcm.!default { type hw card "nosuchcard" }\nctl.!default { type hw card "nosuchcard" }\n'
    )
    result, stderr = run_child(home, choice="auto", voice=True)
    assert stderr == ""
    assert result["completed"] is True
    assert result["backend"] == "bell"
    assert result["rings"] == len(SESSION_CUES)
    notices = result["notices"]
    assert isinstance(notices, list)
    sound_notices = [n for n in notices if n.startswith("Sound")]
    assert len(sound_notices) == 1
    assert "miniaudio found no audio device" in sound_notices[0]
    assert sound_notices[0].endswith("using the terminal bell instead.")


ALSA_OPEN = textwrap.dedent(
    """
    import ctypes, sys
    from timer_app.sound.alsa import silence_alsa
    if sys.argv[1] == "silenced":
        assert silence_alsa() and silence_alsa()
    lib = ctypes.CDLL("libasound.so.2")
    pcm = ctypes.c_void_p()
    assert lib.snd_pcm_open(ctypes.byref(pcm), b"default", 0, 0) < 0
    """
)


@needs_alsa
def test_alsa_errors_are_silenced_without_touching_fd_2(tmp_path: Path) -> None:
    (tmp_path / ".asoundrc").write_text('pcm.!default { type hw card "nosuchcard" }\n')

    def run(mode: str) -> str:
        return subprocess.run(
            [sys.executable, "-c", ALSA_OPEN, mode],
            env=child_env(tmp_path),
            capture_output=True,
            text=True,
            check=True,
        ).stderr

    assert "ALSA lib" in run("loud")  # what would land on the screen
    assert run("silenced") == ""


# ----------------------------------------------------------------------------- sound systems


class _FakeMiniaudio:
    """Stands in for the miniaudio module: records which sound systems were asked, in order."""

    class Backend:
        PULSEAUDIO = "pulseaudio"
        ALSA = "alsa"

    class SampleFormat:
        SIGNED16 = "s16"

    def __init__(self, working: set[str], silenced: list[str]) -> None:
        self.working = working
        self.silenced = silenced
        self.asked: list[str] = []

    def PlaybackDevice(self, *, backends: list[str], **options: object) -> str:
        [backend] = backends
        self.asked.append(backend)
        # ALSA must be silenced before it is asked, or it prints to the screen.
        assert backend != "alsa" or self.silenced, "ALSA asked before it was silenced"
        if backend not in self.working:
            raise RuntimeError("failed to init device", -401)
        return f"device on {backend}"


@pytest.mark.parametrize(
    ("working", "asked", "silenced", "device"),
    [
        # With a sound server, ALSA is neither asked nor loaded.
        ({"pulseaudio", "alsa"}, ["pulseaudio"], [], "device on pulseaudio"),
        # A server with no device: ALSA is still asked (miniaudio alone would stop there).
        ({"alsa"}, ["pulseaudio", "alsa"], ["alsa"], "device on alsa"),
    ],
)
def test_each_sound_system_is_asked_on_its_own_and_alsa_silenced_first(
    monkeypatch: pytest.MonkeyPatch,
    working: set[str],
    asked: list[str],
    silenced: list[str],
    device: str,
) -> None:
    import timer_app.sound.alsa

    calls: list[str] = []
    monkeypatch.setattr(timer_app.sound.alsa, "silence_alsa", lambda: calls.append("alsa"))
    fake = _FakeMiniaudio(working, calls)
    assert _open_device(fake, ["pulseaudio", "alsa"], RATE) == device
    assert fake.asked == asked
    assert calls == silenced


def test_no_sound_system_with_a_device_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    import timer_app.sound.alsa

    monkeypatch.setattr(timer_app.sound.alsa, "silence_alsa", lambda: True)
    fake = _FakeMiniaudio(set(), ["alsa"])
    with pytest.raises(BackendUnavailable, match=r"found no audio device \(failed to init"):
        _open_device(fake, ["pulseaudio", "alsa"], RATE)
    assert fake.asked == ["pulseaudio", "alsa"]


@needs_alsa
@needs_miniaudio
@needs_espeak
def test_plain_mode_lets_the_fanfare_and_routine_complete_be_heard_before_it_closes(
    capture: AlsaCapture, tmp_path: Path
) -> None:
    """The end of a routine is heard: the whole fanfare reaches the sound card, and the
    "Routine complete." that follows it is spoken, before plain mode closes the device."""
    routines = tmp_path / "routines"
    routines.mkdir()
    (routines / "bell-test.yaml").write_text(SHORT_ROUTINE, encoding="utf-8")
    settings = capture.home / ".config" / "stretch-timer" / "settings.yaml"
    settings.parent.mkdir(parents=True)
    settings.write_text("volume: 100\n", encoding="utf-8")  # the cues' samples as built
    env = child_env(capture.home)
    env["PATH"], speech = espeak_shim(tmp_path, env["PATH"])
    command = [sys.executable, "-m", "timer_app", "--routines", str(routines), "run"]
    done = subprocess.run(
        [*command, "bell-test", "--plain", "--sound", "miniaudio", "--voice"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Finished: Bell test" in done.stdout
    time.sleep(0.3)  # the last page still on its way through the capture's pipe
    fanfare = builtin("routine-complete")
    head = 2 * round(FADE_SECONDS * RATE)
    # "Routine complete." is rendered ahead and played on the same device, mixed in from
    # SPEECH_AFTER_CUE on; the fanfare is alone until then, and sounds on under the voice.
    alone = 2 * round(SPEECH_AFTER_CUE * RATE)
    data = bytes(capture.data)
    start = data.find(fanfare[head:alone])
    assert start >= 0, "the fanfare is not in the audio"
    after = array("h", data[start + alone - head : start + len(fanfare) - head])
    assert len(after) == (len(fanfare) - alone) // 2, "the audio ends under the fanfare"
    assert sum(1 for s in after if abs(s) > 200) > 0.5 * len(after), "the fanfare was cut off"
    said = (speech / "said.txt").read_text(encoding="utf-8").splitlines()
    assert "Routine complete." in said
    voice_end = array("h", data[start + len(fanfare) - head :][: RATE * 2])
    assert sum(1 for s in voice_end if abs(s) > 500) > 0.2 * RATE, "no speech after the fanfare"


@needs_alsa
@needs_miniaudio
@pytest.mark.slow
def test_the_app_lets_the_fanfare_finish_when_the_summary_is_left_at_once(
    capture: AlsaCapture, tmp_path: Path
) -> None:
    import pty

    from test_exits import read_pty, read_to_exit

    routines = tmp_path / "routines"
    routines.mkdir()
    (routines / "bell-test.yaml").write_text(SHORT_ROUTINE, encoding="utf-8")
    config = capture.home / ".config" / "stretch-timer"
    config.mkdir(parents=True)
    (config / "settings.yaml").write_text("volume: 100\n", encoding="utf-8")
    env = child_env(capture.home)
    env.update(TERM="xterm-256color", XDG_DATA_HOME=str(capture.home / "data"))
    subprocess.run(  # the safety note, acknowledged once as a person would
        [sys.executable, "-c", "from timer_app.config.acknowledgement import remember; remember()"],
        env=env,
        check=True,
    )
    master, slave = pty.openpty()
    command = [sys.executable, "-m", "timer_app", "--routines", str(routines), "run"]
    proc = subprocess.Popen(
        [*command, "bell-test", "--sound", "miniaudio"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
    )
    try:
        read_pty(master, b"well done")  # the summary: the fanfare has just started
        os.write(master, b"q")  # leave at once
        read_to_exit(master, proc)
    finally:
        proc.kill()
        os.close(master)
        os.close(slave)
    assert proc.returncode == 0
    time.sleep(0.3)  # the last page still on its way through the capture's pipe
    fanfare = builtin("routine-complete")
    head = 2 * round(FADE_SECONDS * RATE)
    assert bytes(capture.data).find(fanfare[head:]) >= 0, "the fanfare was cut off"

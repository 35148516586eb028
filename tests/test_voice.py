"""Spoken prompts with a real speech engine (espeak-ng, which scripts/setup-test-system installs):
what is said and when, the newest prompt winning, stale ones dropped, and `--voice` end to end
through the real `stretch run --plain`, speaking into files."""

from __future__ import annotations

import asyncio
import os
import shutil
import stat
import subprocess
import sys
import time
import wave
from array import array
from pathlib import Path

import pytest

from engine_support import Session, eventually, held, plan_of
from helpers import routine_yaml
from timer_app.sound import SoundListener
from timer_app.sound.voice import SpeechEngine, Voice, find_engine, make_voice

ROOT = Path(__file__).resolve().parent.parent
ESPEAK = shutil.which("espeak-ng")
needs_espeak = pytest.mark.skipif(
    ESPEAK is None,
    reason="needs espeak-ng: scripts/setup-test-system installs it as root with apt",
)


def speech_seconds(path: Path) -> float:
    """How long the recording has audible sound (samples above a low threshold)."""
    with wave.open(str(path), "rb") as reader:
        assert reader.getsampwidth() == 2
        samples = array("h", reader.readframes(reader.getnframes()))
        rate = reader.getframerate()
    return sum(1 for s in samples if abs(s) > 500) / rate


class SilentPlayer:
    """Cues are not what these tests listen to; the voice is."""

    name = "off"
    muted = False

    def play(self, name: str) -> None:
        pass

    def duration(self, name: str) -> float:
        return 0.0

    def speak(self, samples: object, lead: float) -> bool:
        return False

    def hush(self) -> None:
        pass


@needs_espeak
async def test_a_session_speaks_each_exercise_and_the_switch(tmp_path: Path) -> None:
    voice = make_voice(True, pytest.fail, record_to=tmp_path, engines=["espeak-ng"])
    assert voice is not None
    plan = plan_of(
        held("Knee to chest", seconds=4, reps=1, prepare=2, per_side=True),
        held("Cat cow", seconds=4, reps=1, prepare=2, per_side=False),
    )
    session = Session(plan)
    listener = SoundListener(SilentPlayer(), voice, plan=plan, clock=session.clock)  # type: ignore[arg-type]
    session.engine.add_listener(listener)
    await session.start()
    assert session.task is not None
    while not session.task.done():
        # Real time between the moments, so each prompt has time to be spoken.
        await asyncio.sleep(0.3)
        await eventually(lambda: not voice.busy)
        deadline = session.clock.next_deadline()
        if deadline is not None:
            await session.clock.advance_to(deadline)
    await listener.aclose(grace=5)
    sit = "Sit down on a chair or the edge of a bed or couch."
    assert voice.spoken == [
        f"{sit} Knee to chest, left side, hold 4 seconds.",
        "Switch sides, right side.",
        "Cat cow, hold 4 seconds.",  # in the same place: nothing to move
        "Routine complete.",
    ]
    assert len(voice.files) == 4
    for path in voice.files:
        assert speech_seconds(path) > 0.3, path


async def test_a_newer_prompt_stops_the_one_being_spoken() -> None:
    # An engine that takes its time, as speaking through a sound card does (espeak-ng here has
    # no card, so it gives up at once).
    voice = Voice(SpeechEngine("slow", ("sh", "-c", "sleep 5")))
    voice.say("A long sentence.")
    await eventually(lambda: voice.speaking)
    voice.say("Switch sides.")
    await eventually(lambda: len(voice.spoken) == 2)
    assert voice.cut == ["A long sentence."]
    assert voice.spoken == ["A long sentence.", "Switch sides."]
    assert voice.speaking
    started = time.monotonic()
    await voice.aclose()
    assert not voice.speaking
    assert time.monotonic() - started < 2  # stopped, not waited for


@needs_espeak
async def test_a_prompt_that_is_late_is_dropped_not_spoken_behind_the_timer() -> None:
    voice = Voice(find_engine(["espeak-ng"]))  # type: ignore[arg-type]
    voice.say("Three.", stale_after=0.1)
    time.sleep(0.3)  # the loop was held up: by the time it runs, "three" is wrong
    await asyncio.sleep(0.05)
    voice.say("Two.", stale_after=5)
    await asyncio.sleep(0.2)
    await voice.aclose(grace=5)
    assert voice.dropped == ["Three."]
    assert voice.spoken == ["Two."]


@needs_espeak
async def test_waiting_prompts_are_replaced_never_queued() -> None:
    voice = Voice(find_engine(["espeak-ng"]))  # type: ignore[arg-type]
    voice.say("One.", delay=0.2)
    voice.say("Two.", delay=0.2)
    voice.say("Three.", delay=0.2)
    await asyncio.sleep(0.4)
    await voice.aclose(grace=5)
    assert voice.spoken == ["Three."]
    assert voice.dropped == ["One.", "Two."]


# ----------------------------------------------------------------------------- the real CLI

# A stand-in for espeak-ng that runs the real one, but into a numbered WAV file instead of the
# speakers, and notes what it was asked to say and with which options. A chosen voice's check
# (-q: say nothing) and the voice listing go straight to the real one.
SHIM = """\
#!/bin/sh
if [ "$3" = -q ] || [ "$1" = --voices ]; then exec {espeak} "$@"; fi
out="{out}"
n=$(ls "$out" | grep -c wav)
for text; do :; done
printf '%s\\n' "$text" >> "$out/said.txt"
printf '%s\\n' "$*" >> "$out/argv.txt"
exec {espeak} -w "$out/$(printf %03d "$n").wav" "$@"
"""


def run_cli(tmp_path: Path, path: str, *extra: str) -> subprocess.CompletedProcess[str]:
    routines = tmp_path / "routines"
    routines.mkdir(exist_ok=True)
    (routines / "voice-test.yaml").write_text(routine_yaml("voice-test"), encoding="utf-8")
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "timer_app",
            "--routines",
            str(routines),
            "run",
            "voice-test",
            "--plain",
            *extra,
        ],
        cwd=ROOT,
        env={**os.environ, "PATH": path, "PYTHONPATH": str(ROOT)},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@needs_espeak
@pytest.mark.slow
def test_stretch_run_voice_speaks_through_espeak_ng(tmp_path: Path) -> None:
    path, out = espeak_shim(tmp_path)
    result = run_cli(tmp_path, path, "--sound", "off", "--voice")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "Voice:" not in result.stdout
    said = (out / "said.txt").read_text(encoding="utf-8").splitlines()
    assert said == [
        "Stand up. Side reach, left side, hold 2 seconds.",
        "Switch sides, right side.",
        "Routine complete.",
    ]
    recordings = sorted(out.glob("*.wav"))
    assert len(recordings) == 3
    for path in recordings:
        assert speech_seconds(path) > 0.3, path


@pytest.mark.slow
def test_voice_without_a_speech_engine_says_so_once_and_carries_on(tmp_path: Path) -> None:
    # A PATH with Python's folder only: no espeak-ng, espeak, spd-say nor say.
    result = run_cli(tmp_path, str(Path(sys.executable).parent), "--sound", "off", "--voice")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    notices = [line for line in result.stdout.splitlines() if line.startswith("Voice:")]
    assert notices == ["Voice: no speech engine found (install espeak-ng); cues only."]
    assert "Finished: Voice test" in result.stdout


def espeak_shim(tmp_path: Path, path: str | None = None) -> tuple[str, Path]:
    """A PATH (`path`, default this process's) whose espeak-ng is SHIM, and the folder it
    writes into."""
    shims = tmp_path / "bin"
    out = tmp_path / "speech"
    shims.mkdir()
    out.mkdir()
    shim = shims / "espeak-ng"
    shim.write_text(SHIM.format(out=out, espeak=ESPEAK), encoding="utf-8")
    shim.chmod(shim.stat().st_mode | stat.S_IEXEC)
    return f"{shims}:{os.environ['PATH'] if path is None else path}", out


@needs_espeak
@pytest.mark.slow
def test_run_flags_choose_the_voice_and_turn_it_on(tmp_path: Path, isolated_home: Path) -> None:
    settings = isolated_home / ".config" / "stretch-timer" / "settings.yaml"
    settings.parent.mkdir(parents=True)
    settings.write_text("voice: {name: en-gb, rate: 200, pitch: 20}\n", encoding="utf-8")
    path, out = espeak_shim(tmp_path)
    # No --voice: the voice's name and rate turn it on; the settings' pitch stays.
    result = run_cli(
        tmp_path, path, "--sound", "off", "--voice-name", "en-us", "--voice-rate", "140"
    )
    assert result.returncode == 0, result.stderr
    assert "Voice:" not in result.stdout
    said = (out / "said.txt").read_text(encoding="utf-8").splitlines()
    assert said[-1] == "Routine complete."
    options = (out / "argv.txt").read_text(encoding="utf-8").splitlines()
    assert len(options) == len(said) == 3
    assert all(line.startswith("-v en-us -s 140 -p 20 ") for line in options), options


@needs_espeak
@pytest.mark.slow
def test_an_unknown_voice_on_the_command_line_is_said_once_and_english_speaks(
    tmp_path: Path,
) -> None:
    path, out = espeak_shim(tmp_path)
    result = run_cli(tmp_path, path, "--sound", "off", "--voice-name", "xx-nope")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    notices = [line for line in result.stdout.splitlines() if line.startswith("Voice:")]
    assert notices == [
        "Voice: espeak-ng has no voice 'xx-nope' (see `stretch voices`); "
        "using the default English voice, not xx-nope."
    ]
    options = (out / "argv.txt").read_text(encoding="utf-8").splitlines()
    assert len(options) == 3
    assert all(line.startswith("-s 165 -p 50 ") for line in options), options
    for recording in sorted(out.glob("*.wav")):
        assert speech_seconds(recording) > 0.3, recording


def test_no_voice_with_a_voice_option_is_refused(tmp_path: Path) -> None:
    result = run_cli(tmp_path, os.environ["PATH"], "--no-voice", "--voice-rate", "150")
    assert result.returncode == 2
    assert result.stderr == "stretch: --no-voice cannot go with a voice, rate or pitch\n"


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("--voice-rate=900", "argument --voice-rate: must be from 80 to 450"),
        ("--voice-pitch=x", "argument --voice-pitch: expected a whole number, got 'x'"),
        ("--voice-name=-v", "argument --voice-name: '-v' is not a voice name"),
    ],
)
def test_a_bad_voice_option_says_what_it_takes(tmp_path: Path, option: str, message: str) -> None:
    result = run_cli(tmp_path, os.environ["PATH"], option)
    assert result.returncode == 2
    assert message in result.stderr


@needs_espeak
@pytest.mark.slow
def test_stretch_voices_say_speaks_a_real_routines_first_prompt(
    tmp_path: Path, isolated_home: Path
) -> None:
    settings = isolated_home / ".config" / "stretch-timer" / "settings.yaml"
    settings.parent.mkdir(parents=True)
    settings.write_text("sound: off\n", encoding="utf-8")
    path, out = espeak_shim(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "timer_app", "voices", "--say", "en-us", "--rate", "150"],
        cwd=ROOT,
        env={**os.environ, "PATH": path, "PYTHONPATH": str(ROOT)},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    first = "Lie down on your back. Pelvic tilt, 6 reps."  # doctor-jo-5-minute's first prompt
    assert result.stdout == f'en-us, 150 words a minute, pitch 50: "{first}"\n'
    # With sound off the player has no speech channel, so the live voice says it, as in a
    # session, with the same options.
    assert (out / "said.txt").read_text(encoding="utf-8").splitlines() == [first]
    assert (out / "argv.txt").read_text(encoding="utf-8") == f"-v en-us -s 150 -p 50 {first}\n"
    [recording] = out.glob("*.wav")
    assert speech_seconds(recording) > 1.0

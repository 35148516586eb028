"""`stretch sounds`: the cue sets listed and their cues played, heard through ALSA's default
device routed into a file (so with no sound card), and one clear line where nothing can play."""

from __future__ import annotations

import subprocess
import sys
import time
import wave
from array import array
from pathlib import Path

import pytest
from test_sound import AlsaCapture, capture, child_env, find_in_order, needs_alsa, needs_miniaudio

from timer_app.config.choices import CUE_SETS, CUES
from timer_app.sound.backend import RATE
from timer_app.sound.miniaudio_backend import FADE_SECONDS

__all__ = ["capture"]  # the fixture, used by name

ROOT = Path(__file__).resolve().parent.parent


def stretch(home: Path, *words: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "timer_app", "sounds", *words],
        env=child_env(home),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def cue_bytes(cue_set: str, name: str) -> bytes:
    """A cue's samples as the device gets them at volume 100, less the fade-in a cue may get
    where it cuts in."""
    with wave.open(str(ROOT / "sounds" / cue_set / f"{name}.wav"), "rb") as reader:
        data = array("h", reader.readframes(reader.getnframes()))
    if sys.byteorder == "big":
        data.byteswap()
    return data.tobytes()[2 * round(FADE_SECONDS * RATE) :]


def settings(home: Path, text: str) -> None:
    path = home / ".config" / "stretch-timer" / "settings.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.mark.slow
@needs_alsa
@needs_miniaudio
def test_one_cue_of_one_set_reaches_the_sound_card(capture: AlsaCapture) -> None:
    settings(capture.home, "volume: 100\n")  # the samples as built
    done = stretch(capture.home, "soft", "--cue", "switch", "--sound", "miniaudio")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "soft: switch\n"
    assert done.stderr == ""
    time.sleep(0.3)  # the last page on its way through the capture's pipe
    find_in_order(bytes(capture.data), [cue_bytes("soft", "switch")])


@pytest.mark.slow
@needs_alsa
@needs_miniaudio
def test_a_set_is_played_cue_by_cue_in_order_naming_each(capture: AlsaCapture) -> None:
    settings(capture.home, "volume: 100\ncues: bells\n")
    done = stretch(capture.home, "soft", "--sound", "miniaudio")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"soft   {CUE_SETS['soft']}"
    assert lines[1:] == ["", "soft:", *(f"  {cue}" for cue in CUES)]
    time.sleep(0.3)
    find_in_order(bytes(capture.data), [cue_bytes("soft", cue) for cue in CUES])


@pytest.mark.slow
def test_with_no_sound_card_the_sets_are_listed_and_one_line_says_nothing_played(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"  # no .asoundrc, no sound server, no card: nothing can play
    home.mkdir()
    settings(home, "cues: soft\n")
    done = stretch(home)
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        f"{name:<5}  {about}{' (in use)' if name == 'soft' else ''}"
        for name, about in CUE_SETS.items()
    ]
    [line] = done.stderr.splitlines()
    assert line.startswith("stretch: cannot play the cues here (miniaudio found no audio device")
    assert line.endswith("); nothing played")
    assert "Traceback" not in done.stderr and "\a" not in done.stdout


@pytest.mark.slow
def test_sound_off_and_a_bad_name_are_told_without_a_traceback(tmp_path: Path) -> None:
    done = stretch(tmp_path, "bells", "--cue", "hold", "--sound", "off")
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == "stretch: cannot play the cues here (sound is off); nothing played\n"
    done = stretch(tmp_path, "chimes")
    assert done.returncode == 2
    assert "invalid choice: 'chimes'" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.slow
@needs_alsa
@needs_miniaudio
def test_run_cues_plays_that_set_over_the_settings_one(
    capture: AlsaCapture, tmp_path: Path
) -> None:
    from helpers import SHORT_ROUTINE

    routines = tmp_path / "routines"
    routines.mkdir()
    (routines / "bell-test.yaml").write_text(SHORT_ROUTINE, encoding="utf-8")
    settings(capture.home, "volume: 100\ncues: soft\n")
    command = [sys.executable, "-m", "timer_app", "--routines", str(routines), "run"]
    done = subprocess.run(
        [*command, "bell-test", "--plain", "--sound", "miniaudio", "--cues", "bells"],
        env=child_env(capture.home),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    time.sleep(0.3)
    heard = bytes(capture.data)
    # The start of each cue (a bell rings on under the next cue, which the device mixes in).
    assert cue_bytes("bells", "get-ready")[:4000] in heard
    assert cue_bytes("bells", "routine-complete")[:4000] in heard
    assert cue_bytes("soft", "get-ready")[:4000] not in heard
    assert cue_bytes("tones", "get-ready")[:4000] not in heard

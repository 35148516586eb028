"""The built-in cues: what `scripts/make_sounds.py` makes is short, clean, distinct, committed."""

from __future__ import annotations

import importlib.util
import itertools
import math
import sys
import wave
from array import array
from pathlib import Path
from types import ModuleType

import pytest

from timer_app.session.cues import CUES
from timer_app.sound.backend import RATE

ROOT = Path(__file__).resolve().parent.parent
SOUNDS = ROOT / "sounds"
PEAK_LIMIT = 32767 * 10 ** (-3 / 20)  # -3 dBFS


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_sounds", ROOT / "scripts/make_sounds.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read(path: Path) -> tuple[array[int], int]:
    with wave.open(str(path), "rb") as reader:
        assert reader.getnchannels() == 1, f"{path.name} is not mono"
        assert reader.getsampwidth() == 2, f"{path.name} is not 16-bit"
        rate = reader.getframerate()
        samples = array("h", reader.readframes(reader.getnframes()))
    if sys.byteorder == "big":
        samples.byteswap()
    return samples, rate


@pytest.fixture(scope="module")
def cues() -> dict[str, array[int]]:
    loaded = {}
    for name in CUES:
        samples, rate = read(SOUNDS / f"{name}.wav")
        assert rate in (22050, 44100)
        assert rate == RATE, "the player's device runs at RATE; the built-ins should match it"
        loaded[name] = samples
    return loaded


def pitch(samples: array[int] | list[int]) -> float:
    """Dominant frequency of a stretch of a tone, from its zero crossings (Hz)."""
    crossings = sum(1 for a, b in itertools.pairwise(samples) if (a < 0) != (b < 0))
    return crossings / 2 / (len(samples) / RATE)


def rms(samples: array[int] | list[int]) -> float:
    return math.sqrt(sum(s * s for s in samples) / max(1, len(samples)))


def fingerprint(samples: array[int]) -> list[tuple[float, float]]:
    """(loudness, pitch) of each 40 ms frame: a rough picture of how a cue sounds over time."""
    frame = round(0.04 * RATE)
    return [
        (rms(samples[i : i + frame]), pitch(samples[i : i + frame]))
        for i in range(0, len(samples), frame)
    ]


def test_every_cue_is_shipped_and_nothing_else() -> None:
    assert sorted(p.stem for p in SOUNDS.glob("*.wav")) == sorted(CUES)
    assert not (SOUNDS / ".gitkeep").exists()


def test_cues_are_short_and_small(cues: dict[str, array[int]]) -> None:
    for name, samples in cues.items():
        seconds = len(samples) / RATE
        assert 0.04 <= seconds <= 1.05, f"{name} lasts {seconds:.2f} s"
    total = sum(p.stat().st_size for p in SOUNDS.glob("*.wav"))
    assert total < 400_000, f"the cues take {total} bytes"


def test_no_cue_clips_or_comes_near_it(cues: dict[str, array[int]]) -> None:
    for name, samples in cues.items():
        peak = max(abs(s) for s in samples)
        assert peak <= PEAK_LIMIT, f"{name} peaks at {20 * math.log10(peak / 32767):.1f} dBFS"
        assert peak >= 32767 * 10 ** (-12 / 20), f"{name} is too quiet to hear over a room"


def test_cues_fade_in_and_out_without_clicks(cues: dict[str, array[int]]) -> None:
    five_ms = round(0.005 * RATE)
    one_ms = round(0.001 * RATE)
    for name, samples in cues.items():
        peak = max(abs(s) for s in samples)
        assert abs(samples[0]) <= 0.01 * peak and abs(samples[-1]) <= 0.01 * peak, name
        # The first and last millisecond stay well under the peak: a 5 ms (or longer) ramp,
        # not a step from silence.
        assert max(abs(s) for s in samples[:one_ms]) <= 0.25 * peak, f"{name} starts abruptly"
        assert max(abs(s) for s in samples[-one_ms:]) <= 0.25 * peak, f"{name} ends abruptly"
        # No jump between neighbouring samples anywhere near full scale (a click).
        jump = max(abs(b - a) for a, b in itertools.pairwise(samples))
        assert jump < 0.5 * 32767, f"{name} has a jump of {jump}"
        assert rms(samples[:five_ms]) < rms(samples) * 2, name


def test_pressure_on_rises_and_pressure_off_falls(cues: dict[str, array[int]]) -> None:
    for name, rising in (("pressure-on", True), ("pressure-off", False)):
        samples = cues[name]
        third = len(samples) // 3
        start, end = pitch(samples[:third]), pitch(samples[-third:])
        if rising:
            assert end > 1.4 * start, f"{name}: {start:.0f} Hz -> {end:.0f} Hz"
        else:
            assert start > 1.4 * end, f"{name}: {start:.0f} Hz -> {end:.0f} Hz"


def test_cues_are_pairwise_distinct(cues: dict[str, array[int]]) -> None:
    prints = {name: fingerprint(samples) for name, samples in cues.items()}
    for a, b in itertools.combinations(CUES, 2):
        assert cues[a] != cues[b], f"{a} and {b} are the same sound"
        length_gap = abs(len(cues[a]) - len(cues[b])) / RATE
        frames = list(zip(prints[a], prints[b], strict=False))
        pitch_gap = sum(abs(pa - pb) for (_, pa), (_, pb) in frames) / len(frames)
        loud_a = [la for la, _ in prints[a]]
        loud_b = [lb for lb, _ in prints[b]]
        shape_gap = sum(
            abs(x / max(loud_a) - y / max(loud_b)) for x, y in zip(loud_a, loud_b, strict=False)
        ) / len(frames)
        # Told apart by pitch, or else by both length and loudness over time.
        assert pitch_gap >= 100 or (length_gap >= 0.2 and shape_gap >= 0.2), (
            f"{a} and {b} are hard to tell apart "
            f"({length_gap:.2f} s, {pitch_gap:.0f} Hz, shape {shape_gap:.2f})"
        )


def test_generator_reproduces_the_committed_files(tmp_path: Path) -> None:
    generator = load_generator()
    written = generator.generate(tmp_path)
    assert sorted(p.name for p in written) == sorted(f"{name}.wav" for name in CUES)
    for path in written:
        committed = SOUNDS / path.name
        assert path.read_bytes() == committed.read_bytes(), (
            f"{path.name} differs from what scripts/make_sounds.py makes: run it and commit"
        )


def test_generator_is_deterministic() -> None:
    generator = load_generator()
    assert generator.render("switch") == generator.render("switch")

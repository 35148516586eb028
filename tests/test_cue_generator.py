"""The built-in cue sets: what `scripts/make_sounds.py` makes is short, clean, distinct, committed,
and each set has every cue and sounds like what it says it is."""

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

from timer_app.config.choices import CUE_SETS
from timer_app.session.cues import CUES
from timer_app.sound.backend import RATE

ROOT = Path(__file__).resolve().parent.parent
SOUNDS = ROOT / "sounds"
PEAK_LIMIT = 32767 * 10 ** (-3 / 20)  # -3 dBFS
QUIETEST = {"tones": -12.0, "bells": -12.0, "soft": -20.0}
"""dBFS under which a set's loudest moment of a cue is too quiet for its purpose: heard over a
room, or (soft) in a quiet one."""
LONGEST = {"tones": 1.05, "soft": 1.05, "bells": 1.55}
"""Seconds: a bell may ring on a little longer."""


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


def db(level: float) -> float:
    return 20 * math.log10(level / 32767)


@pytest.fixture(scope="module", params=list(CUE_SETS))
def cue_set(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture(scope="module")
def cues(cue_set: str) -> dict[str, array[int]]:
    return load_set(cue_set)


def load_set(cue_set: str) -> dict[str, array[int]]:
    loaded = {}
    for name in CUES:
        samples, rate = read(SOUNDS / cue_set / f"{name}.wav")
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


def test_every_set_has_every_cue_and_nothing_else() -> None:
    assert sorted(p.name for p in SOUNDS.iterdir()) == sorted(CUE_SETS)
    for cue_set in CUE_SETS:
        assert sorted(p.stem for p in (SOUNDS / cue_set).iterdir()) == sorted(CUES), cue_set
        assert all(p.suffix == ".wav" for p in (SOUNDS / cue_set).iterdir())


def test_cues_are_short_and_small(cue_set: str, cues: dict[str, array[int]]) -> None:
    for name, samples in cues.items():
        seconds = len(samples) / RATE
        assert 0.04 <= seconds <= LONGEST[cue_set], f"{cue_set}/{name} lasts {seconds:.2f} s"
        if name.startswith("tick"):
            # A count is one a second: each tick is over well before the next.
            assert seconds <= 0.25, f"{cue_set}/{name} lasts {seconds:.2f} s"
    total = sum(p.stat().st_size for p in (SOUNDS / cue_set).glob("*.wav"))
    assert total < 500_000, f"the {cue_set} cues take {total} bytes"


def test_no_cue_clips_or_comes_near_it(cue_set: str, cues: dict[str, array[int]]) -> None:
    for name, samples in cues.items():
        peak = max(abs(s) for s in samples)
        assert peak <= PEAK_LIMIT, f"{cue_set}/{name} peaks at {db(peak):.1f} dBFS"
        assert db(peak) >= QUIETEST[cue_set], f"{cue_set}/{name} is too quiet ({db(peak):.1f})"


def test_the_soft_set_is_quieter_lower_and_slower_than_the_tones() -> None:
    tones, soft = load_set("tones"), load_set("soft")
    for name in CUES:
        quieter = db(rms(tones[name])) - db(rms(soft[name]))
        assert quieter >= 6, f"soft/{name} is only {quieter:.1f} dB under the tones"
        # Lower: its pitch where it is loudest (the tones' glides are measured the same way).
        assert loudest_pitch(soft[name]) < loudest_pitch(tones[name]), name
        # Rounder: nothing is struck, so each takes longer to swell to half its first peak.
        assert onset(soft[name]) >= 1.5 * onset(tones[name]), name


def test_bells_ring_on_with_inharmonic_partials() -> None:
    bells, tones = load_set("bells"), load_set("tones")
    # A bell rings on: its hold cue is still sounding, well above silence, after the tones'
    # has ended.
    hold = bells["hold"]
    tail = hold[len(tones["hold"]) : len(tones["hold"]) + round(0.1 * RATE)]
    assert db(rms(tail)) > -40
    # And is not a harmonic tone: the generator's strike has partials off the harmonic series.
    generator = load_generator()
    ratios = [ratio for ratio, _ in generator.BELL]
    assert any(abs(r * 2 - round(r * 2)) > 0.05 for r in ratios)


def loudest_pitch(samples: array[int]) -> float:
    frame = round(0.04 * RATE)
    frames = [samples[i : i + frame] for i in range(0, len(samples) - frame + 1, frame)]
    return pitch(max(frames, key=rms))


def onset(samples: array[int]) -> float:
    """Seconds until the cue first reaches half of its peak in its first 150 ms."""
    head = samples[: round(0.15 * RATE)]
    peak = max(abs(s) for s in head)
    return next(i for i, s in enumerate(head) if abs(s) >= 0.5 * peak) / RATE


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
    expected = sorted(f"{s}/{name}.wav" for s in CUE_SETS for name in CUES)
    assert sorted(f"{p.parent.name}/{p.name}" for p in written) == expected
    for path in written:
        committed = SOUNDS / path.parent.name / path.name
        assert path.read_bytes() == committed.read_bytes(), (
            f"{path.parent.name}/{path.name} differs from what scripts/make_sounds.py makes:"
            " run it and commit"
        )


def test_generator_is_deterministic() -> None:
    generator = load_generator()
    for cue_set in CUE_SETS:
        assert generator.render("switch", cue_set) == generator.render("switch", cue_set)

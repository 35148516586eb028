#!/usr/bin/env python3
"""Generates the built-in sound cues in `sounds/`: `python scripts/make_sounds.py [--out DIR]`.

Every cue is synthesised from sine tones with the standard library only (no samples, no
randomness), so running this again writes the very same bytes; the tests check that the
committed WAVs are exactly what this script makes. Each cue is mono 16-bit at 22.05 kHz, at most
about a second long, peaks at or below -4 dBFS and fades in and out over at least 5 ms so it
never clicks.

The cues are meant to be told apart with eyes closed: a step's cue says what to do next, the
ticks count down to a boundary, and "pressure on" rises while "pressure off" falls.
"""

from __future__ import annotations

import argparse
import math
import sys
import wave
from array import array
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timer_app.session.cues import CUES  # noqa: E402
from timer_app.sound.backend import RATE  # noqa: E402

FADE_IN = 0.006
"""Seconds of fade-in at the very start of every cue (a step from silence clicks)."""
FADE_OUT = 0.015
"""Seconds of fade-out at the very end, whatever the envelope has already done."""

Samples = list[float]

# Note frequencies (equal temperament, A4 = 440 Hz) used below.
D4, E4, G4 = 293.66, 329.63, 392.00
C5, D5, E5, G5, A5 = 523.25, 587.33, 659.25, 783.99, 880.00
C6 = 1046.50


def silence(seconds: float) -> Samples:
    return [0.0] * round(seconds * RATE)


def note(
    freq: float,
    seconds: float,
    *,
    partials: Sequence[tuple[float, float]] = ((1.0, 1.0), (2.0, 0.25), (3.0, 0.06)),
    attack: float = 0.008,
    decay: float = 0.25,
) -> Samples:
    """A struck tone: harmonic `partials` (ratio, level) under a quick attack and an exponential
    decay with time constant `decay`; higher partials die away faster, as on a mallet
    instrument, which is what makes it sound soft rather than electronic."""
    n = round(seconds * RATE)
    out = [0.0] * n
    for ratio, level in partials:
        step = 2 * math.pi * freq * ratio / RATE
        tau = decay / ratio**0.5
        for i in range(n):
            t = i / RATE
            out[i] += level * math.sin(step * i) * math.exp(-t / tau)
    attack_n = max(1, round(attack * RATE))
    for i in range(min(attack_n, n)):
        out[i] *= i / attack_n
    return out


def glide(f0: float, f1: float, seconds: float, *, level: float = 1.0) -> Samples:
    """A smooth tone sliding from `f0` to `f1` (exponentially, so it sounds even), swelling in
    and out with a raised-cosine envelope."""
    n = round(seconds * RATE)
    out = [0.0] * n
    phase = 0.0
    for i in range(n):
        x = i / (n - 1)
        freq = f0 * (f1 / f0) ** x
        phase += 2 * math.pi * freq / RATE
        envelope = math.sin(math.pi * x) ** 0.8
        out[i] = level * envelope * (math.sin(phase) + 0.2 * math.sin(2 * phase))
    return out


def mix(length: float, *parts: tuple[float, Samples]) -> Samples:
    """Lay each (start second, samples) part over a silence of `length` seconds."""
    out = silence(length)
    for start, samples in parts:
        offset = round(start * RATE)
        for i, value in enumerate(samples[: max(0, len(out) - offset)]):
            out[offset + i] += value
    return out


def finish(samples: Samples, peak_dbfs: float) -> array[int]:
    """Fade the ends, scale to the peak level and round to 16-bit samples."""
    n = len(samples)
    fade_in = round(FADE_IN * RATE)
    fade_out = round(FADE_OUT * RATE)
    shaped = list(samples)
    for i in range(min(fade_in, n)):
        shaped[i] *= i / fade_in
    for i in range(min(fade_out, n)):
        shaped[n - 1 - i] *= i / fade_out
    peak = max(abs(v) for v in shaped)
    scale = 32767 * 10 ** (peak_dbfs / 20) / peak
    return array("h", (round(v * scale) for v in shaped))


def get_ready() -> Samples:
    # Two soft notes going up: "here we go".
    return mix(0.55, (0.0, note(C5, 0.3, decay=0.12)), (0.16, note(E5, 0.39, decay=0.16)))


def hold() -> Samples:
    # One clear bell stroke, the most frequent cue: bright but gentle.
    bell = ((1.0, 1.0), (2.0, 0.35), (3.0, 0.12), (4.2, 0.05))
    return note(G5, 0.6, partials=bell, decay=0.2)


def tick() -> Samples:
    # A short wooden knock.
    return note(1200.0, 0.06, partials=((1.0, 1.0), (2.7, 0.3)), attack=0.002, decay=0.012)


def tick_last() -> Samples:
    # The last count: a little higher and longer than the others.
    return note(1600.0, 0.1, partials=((1.0, 1.0), (2.0, 0.2)), attack=0.002, decay=0.025)


def halfway() -> Samples:
    # Two quick, equal pings: "two halves".
    ping = note(A5, 0.14, decay=0.05)
    return mix(0.34, (0.0, ping), (0.17, ping))


def switch() -> Samples:
    # Ping-pong between two notes, like moving from one side to the other.
    low, high = note(D5, 0.11, decay=0.05), note(A5, 0.11, decay=0.05)
    return mix(0.48, (0.0, low), (0.11, high), (0.22, low), (0.33, high))


def pressure_on() -> Samples:
    return glide(330.0, 660.0, 0.34)


def pressure_off() -> Samples:
    return glide(660.0, 330.0, 0.34)


def rest() -> Samples:
    # Low, slow and falling: let go.
    soft = ((1.0, 1.0), (2.0, 0.1))
    return mix(0.7, (0.0, note(G4, 0.35, partials=soft)), (0.22, note(D4, 0.48, partials=soft)))


def exercise_done() -> Samples:
    # Three notes coming down to rest on the keynote: this one is over, relax.
    return mix(
        0.65,
        (0.0, note(G5, 0.2, decay=0.08)),
        (0.1, note(E5, 0.2, decay=0.08)),
        (0.2, note(C5, 0.45, decay=0.18)),
    )


def routine_complete() -> Samples:
    # The arpeggio carried up to the octave, then the whole chord together.
    chord = [a + b + c for a, b, c in zip(note(C5, 0.6), note(E5, 0.6), note(G5, 0.6), strict=True)]
    return mix(
        1.0,
        (0.0, note(C5, 0.2, decay=0.08)),
        (0.11, note(E5, 0.2, decay=0.08)),
        (0.22, note(G5, 0.2, decay=0.08)),
        (0.33, note(C6, 0.67, decay=0.25)),
        (0.4, [v * 0.45 for v in chord]),
    )


def paused() -> Samples:
    # A single low, muted tone: things have stopped.
    return note(E4, 0.32, partials=((1.0, 1.0), (2.0, 0.15)), attack=0.02, decay=0.1)


RECIPES: dict[str, tuple[Callable[[], Samples], float]] = {
    "get-ready": (get_ready, -4.0),
    "hold": (hold, -4.0),
    "tick": (tick, -6.0),
    "tick-last": (tick_last, -5.0),
    "halfway": (halfway, -5.0),
    "switch": (switch, -5.0),
    "pressure-on": (pressure_on, -5.0),
    "pressure-off": (pressure_off, -5.0),
    "rest": (rest, -8.0),
    "exercise-done": (exercise_done, -4.0),
    "routine-complete": (routine_complete, -4.0),
    "paused": (paused, -9.0),
}
"""How each cue is made, and its peak level in dBFS (soft cues are quieter)."""


def render(name: str) -> array[int]:
    """The samples of one cue."""
    make, peak = RECIPES[name]
    return finish(make(), peak)


def write_wav(path: Path, samples: array[int]) -> None:
    data = array("h", samples)
    if sys.byteorder == "big":
        data.byteswap()  # WAV is little-endian
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(data.tobytes())


def generate(out_dir: Path) -> list[Path]:
    """Write every cue into `out_dir` and return the files written."""
    if set(RECIPES) != set(CUES):
        raise SystemExit(f"recipes {sorted(RECIPES)} do not match the cues {sorted(CUES)}")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in CUES:
        path = out_dir / f"{name}.wav"
        write_wav(path, render(name))
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "sounds", help="output folder")
    args = parser.parse_args(argv)
    total = 0
    for path in generate(args.out):
        size = path.stat().st_size
        total += size
        print(f"{path.name:22} {size / 2 / RATE:5.2f} s  {size / 1024:5.1f} KiB")
    print(f"{'total':22} {total / 1024:13.1f} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

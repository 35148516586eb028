#!/usr/bin/env python3
"""Generates the built-in cue sets in `sounds/<set>/`: `python scripts/make_sounds.py [--out DIR]`.

Every cue is synthesised with the standard library only (no samples, no randomness), so running
this again writes the very same bytes; the tests check that the committed WAVs are exactly what
this script makes. Each cue is mono 16-bit at 22.05 kHz, at most a second and a half long, peaks
at or below -4 dBFS and fades in and out over at least 5 ms so it never clicks.

Three sets, each with every cue (`timer_app.session.cues.CUES`):
- `tones`: mallet notes with a few harmonics and smooth glides, clear over a room;
- `soft`: sine swells only, with slow attacks and long releases, an octave or more lower and
  about 10 dB quieter, for a quiet room or late at night;
- `bells`: struck bells, made of inharmonic partials (a bell's hum, prime, minor third, fifth,
  nominal, ...) each dying away exponentially, the higher ones sooner, so they ring on.

In every set the cues are meant to be told apart with eyes closed: a step's cue says what to do
next, the ticks count down to a boundary, and "pressure on" rises while "pressure off" falls.
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

from timer_app.config.choices import CUE_SETS  # noqa: E402
from timer_app.session.cues import CUES  # noqa: E402
from timer_app.sound.backend import RATE  # noqa: E402

FADE_IN = 0.006
"""Seconds of fade-in at the very start of every cue (a step from silence clicks)."""
FADE_OUT = 0.015
"""Seconds of fade-out at the very end, whatever the envelope has already done."""

Samples = list[float]

# Note frequencies (equal temperament, A4 = 440 Hz) used below.
E3, G3, A3 = 164.81, 196.00, 220.00
C4, D4, E4, F4, G4, A4 = 261.63, 293.66, 329.63, 349.23, 392.00, 440.00
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


# -- soft: sine swells, low and slow -------------------------------------------------------------


def swell(
    freq: float, seconds: float, *, attack: float = 0.06, release: float = 0.25, level: float = 1.0
) -> Samples:
    """A round tone: a pure sine (a trace of its octave for warmth) rising over `attack` on a
    raised-cosine curve, then dying away with time constant `release`: no strike, no edge."""
    n = round(seconds * RATE)
    attack_n = max(1, round(attack * RATE))
    step = 2 * math.pi * freq / RATE
    out = [0.0] * n
    for i in range(n):
        t = i / RATE
        rise = 0.5 - 0.5 * math.cos(math.pi * i / attack_n) if i < attack_n else 1.0
        fall = math.exp(-max(0.0, t - attack) / release)
        out[i] = level * rise * fall * (math.sin(step * i) + 0.04 * math.sin(2 * step * i))
    return out


def soft_glide(f0: float, f1: float, seconds: float) -> Samples:
    """A pure sine sliding from `f0` to `f1`, swelling in and out (no harmonics: rounder)."""
    n = round(seconds * RATE)
    out = [0.0] * n
    phase = 0.0
    for i in range(n):
        x = i / (n - 1)
        phase += 2 * math.pi * f0 * (f1 / f0) ** x / RATE
        out[i] = math.sin(math.pi * x) ** 1.5 * math.sin(phase)
    return out


def soft_get_ready() -> Samples:
    # Two swells going up a fourth, slowly: "here we go", unhurried.
    return mix(0.75, (0.0, swell(D4, 0.4, release=0.12)), (0.26, swell(G4, 0.49, release=0.17)))


def soft_hold() -> Samples:
    # One long, low swell: settle into it.
    return swell(E4, 1.0, attack=0.08, release=0.3)


def soft_tick() -> Samples:
    # A muted low pulse, nearly two octaves under the tones' knock.
    return swell(E4, 0.1, attack=0.012, release=0.025)


def soft_tick_last() -> Samples:
    return swell(A4, 0.16, attack=0.015, release=0.045)  # a fourth up: the last one


def soft_halfway() -> Samples:
    pulse = swell(E4 * 2, 0.2, attack=0.02, release=0.05)
    return mix(0.45, (0.0, pulse), (0.22, pulse))


def soft_switch() -> Samples:
    # A slow sway between two notes, like rolling from one side to the other.
    low, high = swell(G3, 0.2, attack=0.03, release=0.07), swell(D4, 0.2, attack=0.03, release=0.07)
    return mix(0.75, (0.0, low), (0.18, high), (0.36, low), (0.54, high))


def soft_pressure_on() -> Samples:
    return soft_glide(E3, G4, 0.5)


def soft_pressure_off() -> Samples:
    return soft_glide(G4, E3, 0.5)


def soft_rest() -> Samples:
    # A long breath out, falling.
    return soft_glide(C4, 174.61, 0.95)  # down to F3


def soft_exercise_done() -> Samples:
    return mix(
        0.95,
        (0.0, swell(E4 * 2, 0.3, attack=0.03, release=0.09)),
        (0.16, swell(C4 * 2, 0.3, attack=0.03, release=0.09)),
        (0.32, swell(A4, 0.63, attack=0.04, release=0.2)),
    )


def soft_routine_complete() -> Samples:
    # The chord built up note by note and left to fade.
    return mix(
        1.0,
        (0.0, swell(G4, 1.0, attack=0.05, release=0.45, level=0.6)),
        (0.14, swell(C4 * 2, 0.86, attack=0.05, release=0.4, level=0.55)),
        (0.28, swell(E4 * 2, 0.72, attack=0.05, release=0.35, level=0.5)),
        (0.42, swell(G4 * 2, 0.58, attack=0.05, release=0.3, level=0.5)),
    )


def soft_paused() -> Samples:
    return swell(G3, 0.28, attack=0.04, release=0.07)


# -- bells: inharmonic partials, struck ----------------------------------------------------------

BELL = (
    (0.5, 0.35),  # the hum, an octave under the strike
    (1.0, 1.0),  # the prime
    (1.183, 0.45),  # a minor third above it: what makes a bell sound like a bell
    (1.506, 0.3),  # the fifth
    (2.0, 0.5),  # the nominal
    (2.514, 0.18),
    (2.662, 0.12),
    (3.011, 0.08),
    (4.166, 0.05),
)
"""(ratio to the struck note, level): the partials of a tuned bell, rounded."""
HANDBELL = ((1.0, 1.0), (2.76, 0.35), (5.4, 0.12), (8.93, 0.04))
"""A small bell's partials (far apart, as on a bar or a little cup): a bright, short "ting"."""


def strike(
    freq: float,
    seconds: float,
    *,
    decay: float = 0.4,
    partials: Sequence[tuple[float, float]] = BELL,
) -> Samples:
    """A struck bell: each partial dies away exponentially, the higher ones sooner (time
    constant `decay` / ratio ** 0.7), after a 2 ms strike."""
    n = round(seconds * RATE)
    out = [0.0] * n
    for ratio, level in partials:
        step = 2 * math.pi * freq * ratio / RATE
        fall = math.exp(-1 / (RATE * decay / ratio**0.7))
        amp = level
        for i in range(n):
            out[i] += amp * math.sin(step * i)
            amp *= fall
    strike_n = round(0.002 * RATE)
    for i in range(min(strike_n, n)):
        out[i] *= i / strike_n
    return out


def bells_get_ready() -> Samples:
    return mix(1.0, (0.0, strike(E5, 0.5, decay=0.18)), (0.22, strike(A5, 0.78, decay=0.3)))


def bells_hold() -> Samples:
    # One full bell: the strike rings on under the hold.
    return strike(A4, 1.2, decay=0.45)


def bells_tick() -> Samples:
    return strike(1760.0, 0.12, decay=0.03, partials=HANDBELL)


def bells_tick_last() -> Samples:
    return strike(2349.3, 0.22, decay=0.06, partials=HANDBELL)  # D7: higher, rings longer


def bells_halfway() -> Samples:
    ting = strike(E5 * 2, 0.2, decay=0.05, partials=HANDBELL)
    return mix(0.42, (0.0, ting), (0.2, ting))


def bells_switch() -> Samples:
    low, high = strike(D5, 0.22, decay=0.08), strike(A5, 0.22, decay=0.08)
    return mix(0.7, (0.0, low), (0.13, high), (0.26, low), (0.39, high))


def bells_pressure_on() -> Samples:
    # Three bells climbing an octave, each cut short by the next.
    return mix(
        0.5,
        (0.0, strike(G4, 0.16, decay=0.05)),
        (0.16, strike(D5, 0.16, decay=0.05)),
        (0.32, strike(G5, 0.18, decay=0.06)),
    )


def bells_pressure_off() -> Samples:
    return mix(
        0.5,
        (0.0, strike(G5, 0.16, decay=0.05)),
        (0.16, strike(D5, 0.16, decay=0.05)),
        (0.32, strike(G4, 0.18, decay=0.06)),
    )


def bells_rest() -> Samples:
    # A low, big bell: long and dark.
    return strike(D4, 1.3, decay=0.5)


def bells_exercise_done() -> Samples:
    return mix(
        0.8,
        (0.0, strike(G5, 0.2, decay=0.07)),
        (0.12, strike(E5, 0.2, decay=0.07)),
        (0.24, strike(C5, 0.56, decay=0.2)),
    )


def bells_routine_complete() -> Samples:
    # A short peal coming down, then all four together, left to ring.
    peal = [C6, G5, E5, C5]
    together = [sum(v) for v in zip(*(strike(f, 0.9, decay=0.4) for f in peal), strict=True)]
    return mix(
        1.5,
        *((0.14 * k, strike(f, 0.3, decay=0.1)) for k, f in enumerate(peal)),
        (0.6, [v * 0.35 for v in together]),
    )


def bells_paused() -> Samples:
    # A bell damped by a hand: short and dull.
    return strike(E4, 0.3, decay=0.07, partials=BELL[:5])


TONES: dict[str, tuple[Callable[[], Samples], float]] = {
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
"""How each cue of the `tones` set is made, and its peak level in dBFS (soft cues quieter)."""

SOFT: dict[str, tuple[Callable[[], Samples], float]] = {
    "get-ready": (soft_get_ready, -14.0),
    "hold": (soft_hold, -14.0),
    "tick": (soft_tick, -17.0),
    "tick-last": (soft_tick_last, -16.0),
    "halfway": (soft_halfway, -16.0),
    "switch": (soft_switch, -15.0),
    "pressure-on": (soft_pressure_on, -15.0),
    "pressure-off": (soft_pressure_off, -15.0),
    "rest": (soft_rest, -19.0),
    "exercise-done": (soft_exercise_done, -14.0),
    "routine-complete": (soft_routine_complete, -15.0),
    "paused": (soft_paused, -18.0),
}
"""The `soft` set: about 10 dB under the tones, and nothing struck."""

BELLS: dict[str, tuple[Callable[[], Samples], float]] = {
    "get-ready": (bells_get_ready, -5.0),
    "hold": (bells_hold, -5.0),
    "tick": (bells_tick, -8.0),
    "tick-last": (bells_tick_last, -7.0),
    "halfway": (bells_halfway, -7.0),
    "switch": (bells_switch, -6.0),
    "pressure-on": (bells_pressure_on, -6.0),
    "pressure-off": (bells_pressure_off, -6.0),
    "rest": (bells_rest, -8.0),
    "exercise-done": (bells_exercise_done, -5.0),
    "routine-complete": (bells_routine_complete, -5.0),
    "paused": (bells_paused, -10.0),
}
"""The `bells` set: struck and ringing, a little under the tones (a bell's ring carries)."""

SETS: dict[str, dict[str, tuple[Callable[[], Samples], float]]] = {
    "tones": TONES,
    "soft": SOFT,
    "bells": BELLS,
}
"""Every set's recipes, by set name (the names `timer_app.config.choices.CUE_SETS` lists)."""


def render(name: str, cue_set: str = "tones") -> array[int]:
    """The samples of one cue of one set."""
    make, peak = SETS[cue_set][name]
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
    """Write every cue of every set into `out_dir/<set>/` and return the files written."""
    if list(SETS) != list(CUE_SETS):
        raise SystemExit(f"sets {list(SETS)} do not match the cue sets {list(CUE_SETS)}")
    written = []
    for cue_set, recipes in SETS.items():
        if set(recipes) != set(CUES):
            raise SystemExit(f"{cue_set}: {sorted(recipes)} do not match the cues {sorted(CUES)}")
        folder = out_dir / cue_set
        folder.mkdir(parents=True, exist_ok=True)
        for name in CUES:
            path = folder / f"{name}.wav"
            write_wav(path, render(name, cue_set))
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
        name = f"{path.parent.name}/{path.name}"
        print(f"{name:28} {size / 2 / RATE:5.2f} s  {size / 1024:5.1f} KiB")
    print(f"{'total':28} {total / 1024:13.1f} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

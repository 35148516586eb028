"""Provides cue loading: WAV files decoded to mono 16-bit samples, and the set of cues in use."""

from __future__ import annotations

import sys
from array import array
from collections.abc import Callable
from pathlib import Path

from timer_app.session.cues import CUES
from timer_app.sound.backend import RATE
from timer_app.sound.notice import Notice

__all__ = ["MAX_SECONDS", "WavError", "beep", "decode_file", "load_cues", "read_wav", "scaled"]

MAX_SECONDS = 10.0
"""A cue longer than this is not a cue; such a file is refused rather than played for minutes."""
USER_FADE = 0.005
"""Seconds of fade given to the ends of a user's file, so a file cut hard does not click."""


class WavError(Exception):
    """A WAV file that cannot be used as a cue; the message says why, in a few words."""


def read_wav(path: Path, *, rate: int = RATE, max_seconds: float = MAX_SECONDS) -> array[int]:
    """Decode a WAV file to mono 16-bit samples at `rate` (channels averaged, resampled)."""
    # Imported here: `wave` costs a few ms at start-up and bell/off never read a file.
    import wave

    try:
        with wave.open(str(path), "rb") as reader:
            channels = reader.getnchannels()
            width = reader.getsampwidth()
            source_rate = reader.getframerate()
            frames = reader.readframes(reader.getnframes())
    except FileNotFoundError:
        raise WavError("missing") from None
    except (wave.Error, EOFError) as error:
        # Float and other encodings the standard library does not read: miniaudio's decoder
        # reads nearly anything, when it is installed.
        samples = decode_file(path, rate)
        if samples is None:
            raise WavError(f"not a PCM WAV file ({error})") from None
    except OSError as error:
        raise WavError(error.strerror or str(error)) from None
    else:
        if channels < 1 or source_rate < 1000:
            raise WavError("not a usable WAV file")
        samples = _to_int16(frames, width)
        samples = _downmix(samples, channels)
        samples = _resample(samples, source_rate, rate)
    if not samples:
        raise WavError("no audio in it")
    if len(samples) > max_seconds * rate:
        raise WavError(f"longer than {max_seconds:g} s")
    return samples


def _to_int16(frames: bytes, width: int) -> array[int]:
    if width == 2:
        samples = array("h", frames[: len(frames) - len(frames) % 2])
        if sys.byteorder == "big":
            samples.byteswap()
        return samples
    if width == 1:  # 8-bit WAV is unsigned
        return array("h", ((b - 128) << 8 for b in frames))
    if width in (3, 4):
        # Keep the top 16 bits of each little-endian sample.
        return array(
            "h",
            (
                int.from_bytes(frames[i + width - 2 : i + width], "little", signed=True)
                for i in range(0, len(frames) - width + 1, width)
            ),
        )
    raise WavError(f"{8 * width}-bit samples are not supported")


def _downmix(samples: array[int], channels: int) -> array[int]:
    if channels == 1:
        return samples
    count = len(samples) // channels
    return array(
        "h",
        (sum(samples[i * channels : (i + 1) * channels]) // channels for i in range(count)),
    )


def _resample(samples: array[int], source: int, target: int) -> array[int]:
    """Linear interpolation: plenty for short cues, and no dependency."""
    if source == target or not samples:
        return samples
    count = max(1, round(len(samples) * target / source))
    last = len(samples) - 1
    ratio = source / target
    out = array("h", bytes(2 * count))
    for i in range(count):
        x = i * ratio
        j = int(x)
        if j >= last:
            out[i] = samples[last]
            continue
        frac = x - j
        out[i] = round(samples[j] * (1 - frac) + samples[j + 1] * frac)
    return out


def _fade_ends(samples: array[int], rate: int) -> array[int]:
    n = min(len(samples) // 2, round(USER_FADE * rate))
    out = array("h", samples)
    for i in range(n):
        out[i] = out[i] * i // n
        out[-1 - i] = out[-1 - i] * i // n
    return out


def beep(rate: int = RATE) -> array[int]:
    """A plain short beep, for a built-in cue whose file is missing (a damaged install)."""
    import math

    n = round(0.12 * rate)
    fade = round(0.01 * rate)
    return array(
        "h",
        (
            round(
                12000
                * math.sin(2 * math.pi * 880 * i / rate)
                * min(1.0, i / fade, (n - 1 - i) / fade)
            )
            for i in range(n)
        ),
    )


def load_cues(
    *,
    builtin_dir: Path,
    user_dir: Path | None,
    notify: Callable[[Notice], None],
    rate: int = RATE,
) -> dict[str, array[int]]:
    """Every cue's samples: the user's own file where there is a good one, else the built-in.

    Whatever went wrong (a broken user file, an unknown name, a damaged install) is told in ONE
    notice, and every cue still has a sound.
    """
    cues: dict[str, array[int]] = {}
    refused: list[str] = []
    damaged: list[str] = []
    user_files: dict[str, Path] = {}
    unknown: list[str] = []
    if user_dir is not None and user_dir.is_dir():
        try:
            for path in sorted(user_dir.iterdir()):
                if path.suffix.lower() != ".wav":
                    continue
                if path.stem in CUES:
                    user_files[path.stem] = path
                else:
                    unknown.append(path.name)
        except OSError as error:
            refused.append(f"{user_dir} ({error.strerror or error})")
    for name in CUES:
        user_file = user_files.get(name)
        if user_file is not None:
            try:
                cues[name] = _fade_ends(read_wav(user_file, rate=rate), rate)
                continue
            except WavError as error:
                refused.append(f"{user_file.name} ({error})")
        try:
            cues[name] = read_wav(builtin_dir / f"{name}.wav", rate=rate)
        except WavError:
            damaged.append(f"{name}.wav")
            cues[name] = beep(rate)
    parts = []
    if refused:
        parts.append(f"could not use {', '.join(refused)}")
    if unknown:
        parts.append(f"ignored {', '.join(unknown)} (cue names are: {', '.join(CUES)})")
    if damaged:
        parts.append(f"built-in {', '.join(damaged)} missing or damaged")
    if parts:
        where = f" in {user_dir}" if (refused or unknown) and user_dir else ""
        stand_in = [w for w, why in (("the built-in cues", refused), ("a beep", damaged)) if why]
        if not stand_in:
            outcome = "they are not played"
        else:
            outcome = " and ".join(stand_in) + (
                " stands in" if stand_in == ["a beep"] else " stand in"
            )
        notify(Notice(f"Sound{where}", tuple(parts), outcome))
    return cues


def decode_file(path: Path, rate: int) -> array[int] | None:
    """Any audio file miniaudio reads, as mono 16-bit samples at `rate`; None when it cannot
    (miniaudio not installed, or not a file it reads)."""
    try:
        import miniaudio  # type: ignore[import-untyped,import-not-found,unused-ignore]

        decoded = miniaudio.decode_file(
            str(path),
            output_format=miniaudio.SampleFormat.SIGNED16,
            nchannels=1,
            sample_rate=rate,
        )
    except Exception:  # any failure simply means the file cannot be read
        return None
    return array("h", decoded.samples)


def scaled(samples: array[int], gain: float) -> bytes:
    """The samples as native 16-bit bytes, multiplied by `gain` (0..1)."""
    if gain >= 1.0:
        return samples.tobytes()
    if gain <= 0.0:
        return bytes(2 * len(samples))
    # Whole-number arithmetic in a list comprehension: twice as fast as int(s * gain) in a
    # generator, and this runs in the thread that opens the audio device while the session
    # starts, holding the interpreter lock the session needs.
    factor = round(gain * 32768)
    return array("h", [s * factor >> 15 for s in samples]).tobytes()

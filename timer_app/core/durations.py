"""Parses and formats durations: `30`, `"30s"`, `"1m30s"`, `"1:30"`, `"1.5s"`, `"2 min"`."""

from __future__ import annotations

import math
import re

_UNIT_SECONDS = {
    "h": 3600.0,
    "hr": 3600.0,
    "hour": 3600.0,
    "hours": 3600.0,
    "m": 60.0,
    "min": 60.0,
    "mins": 60.0,
    "minute": 60.0,
    "minutes": 60.0,
    "s": 1.0,
    "sec": 1.0,
    "secs": 1.0,
    "second": 1.0,
    "seconds": 1.0,
}
_NUMBER = r"\d+(?:\.\d+)?"
_PART = re.compile(rf"\s*({_NUMBER})\s*([a-z]+)\s*")
_CLOCK = re.compile(r"(?:(\d+):)?(\d+):(\d{2}(?:\.\d+)?)")


class DurationError(ValueError):
    """A duration that a person could not have meant; the message says what is accepted."""


def parse_duration(value: object) -> float:
    """Return seconds for a number of seconds or a duration string.

    `"1:30"` is one minute thirty (m:ss) and `"1:02:03"` is h:mm:ss, whatever YAML 1.1 would say.
    """
    if isinstance(value, bool):
        raise DurationError(f'expected a duration such as 30 or "1m30s", got {value!r}')
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str):
        seconds = _parse_text(value.strip().lower())
    else:
        raise DurationError('expected a duration such as 30 or "1m30s"')
    if seconds < 0:
        raise DurationError(f"a duration cannot be negative, got {value!r}")
    if not math.isfinite(seconds):
        raise DurationError(f"a duration must be a finite number of seconds, got {value!r}")
    # Millisecond resolution: finer than anyone can feel, and keeps plan sums exact enough.
    return round(seconds, 3)


def _parse_text(text: str) -> float:
    if not text:
        raise DurationError('empty duration; write seconds such as 30, or "1m30s"')
    try:
        return float(text)
    except ValueError:
        pass
    if text.startswith("-"):
        # "-20s" is as negative as -30 (which float() read): said so, not called unreadable.
        return -_parse_unsigned(text[1:].lstrip(), text)
    return _parse_unsigned(text, text)


def _parse_unsigned(text: str, written: str) -> float:
    """Seconds for `text`, a clock time or numbers with units (`written`: as the person
    wrote it all, for the message)."""
    if not text:  # a minus sign alone
        raise DurationError(f'cannot read {written!r} as a duration; write 30, "30s", "1m30s"')
    clock = _CLOCK.fullmatch(text)
    if clock:
        hours, minutes, seconds = clock.groups()
        if float(seconds) >= 60 or (hours is not None and int(minutes) >= 60):
            raise DurationError(f"{written!r} is not a valid m:ss or h:mm:ss time")
        return int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    total = 0.0
    position = 0
    while position < len(text):
        part = _PART.match(text, position)
        if part is None or part.group(2) not in _UNIT_SECONDS:
            raise DurationError(
                f'cannot read {written!r} as a duration; write 30, "30s", "1m30s" or "1:30"'
            )
        total += float(part.group(1)) * _UNIT_SECONDS[part.group(2)]
        position = part.end()
    return total


def shown_seconds(seconds: float) -> int:
    """The whole seconds a countdown shows for `seconds` left: a partial second rounds up, so
    the number reaches 0 only at the deadline (the float noise of a deadline is ignored)."""
    return max(0, math.ceil(seconds - 1e-9))


def round_half_up(value: float) -> int:
    """`value` (seconds, or minutes) to the nearest whole number, a half rounding up: `0.5`
    is 1, `29.5` is 30.

    Every time a person reads back (summaries, history, "10 s longer") rounds this way, as
    people do: Python's `round` takes a half to the even number, so 30.5 s and 29.5 s would
    both read 30 and a 30 s session could read "0 min". The nanosecond of slack absorbs the
    float noise of sums (0.4999999999 is a half). Never below 0.
    """
    return max(0, math.floor(value + 0.5 + 1e-9))


def count_in_number(seconds: float) -> int:
    """The number a resume count-in says with `seconds` to go: 3, 2, 1, never 0."""
    return max(1, shown_seconds(seconds))


def clock_text(whole: int) -> str:
    """The one clock a person reads, for whole seconds: `0:35`, `12:05`, `1:02:05`."""
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def format_clock(seconds: float) -> str:
    """A countdown's clock: a partial second rounds up, so it reads 0:00 only at the end."""
    return clock_text(shown_seconds(seconds))


def format_elapsed(seconds: float) -> str:
    """A session time that counts up (`[0:35]` before a step line, "0:35 elapsed"): a
    partial second rounds down. Rounded to the microsecond first, so 34.9999999 (a float sum)
    still reads as 0:35."""
    return clock_text(max(0, math.floor(round(seconds, 6))))


def until_next_second(seconds: float) -> float:
    """How long until `format_clock(seconds)` shows another number as `seconds` runs down.

    The clock rounds up, so `3.4` shows 0:04 for 0.4 s more; on a whole second (`3.0`) the
    number holds for a full second. Views wake a little after this to repaint.
    """
    shown = shown_seconds(seconds)
    return seconds - (shown - 1) if shown > 0 else max(0.0, seconds)


def format_seconds(seconds: float) -> str:
    """Format a duration for a sentence: `30 s`, `1.5 s`, `1 min 30 s`, `5 min`."""
    if seconds < 60:
        return f"{seconds:g} s"
    minutes, secs = divmod(round_half_up(seconds), 60)
    return f"{minutes} min {secs} s" if secs else f"{minutes} min"

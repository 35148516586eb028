"""Durations as people write them in routine files and on the command line."""

import pytest

from timer_app.core.durations import (
    DurationError,
    count_in_number,
    format_clock,
    format_seconds,
    parse_duration,
    round_half_up,
    until_next_second,
)


@pytest.mark.parametrize(
    ("written", "seconds"),
    [
        (30, 30.0),
        (1.5, 1.5),
        ("30", 30.0),
        ("30s", 30.0),
        ("30 s", 30.0),
        ("1m30s", 90.0),
        ("1m 30s", 90.0),
        ("2 min", 120.0),
        ("1h", 3600.0),
        ("1:30", 90.0),
        ("0:45", 45.0),
        ("1:02:03", 3723.0),
        ("1.5s", 1.5),
        ("90 seconds", 90.0),
        (" 45S ", 45.0),
    ],
)
def test_accepted_forms(written: object, seconds: float) -> None:
    assert parse_duration(written) == seconds


@pytest.mark.parametrize(
    "written", ["", "abc", "3x", "-3", "1:75", "1:60:00", "m30", True, None, [1]]
)
def test_rejected_forms_say_what_is_accepted(written: object) -> None:
    with pytest.raises(DurationError) as error:
        parse_duration(written)
    assert str(error.value)


@pytest.mark.parametrize("written", [-30, "-30", "-20s", "- 20 s", "-1:30", "-1m30s"])
def test_a_negative_duration_is_called_negative_however_it_is_written(written: object) -> None:
    with pytest.raises(DurationError) as error:
        parse_duration(written)
    assert str(error.value) == f"a duration cannot be negative, got {written!r}"


@pytest.mark.parametrize("written", ["-", "--20s", "-abc"])
def test_a_minus_sign_before_nothing_readable_is_still_unreadable(written: str) -> None:
    with pytest.raises(DurationError, match="cannot read"):
        parse_duration(written)


def test_clock_format_rounds_partial_seconds_up() -> None:
    # A countdown showing 0:00 while time remains would make a person let go early.
    assert format_clock(0.2) == "0:01"
    assert format_clock(0) == "0:00"
    assert format_clock(65) == "1:05"
    assert format_clock(3725) == "1:02:05"


def test_sentence_format() -> None:
    assert format_seconds(30) == "30 s"
    assert format_seconds(1.5) == "1.5 s"
    assert format_seconds(90) == "1 min 30 s"
    assert format_seconds(300) == "5 min"
    assert format_seconds(90.5) == "1 min 31 s"  # a half second up, not to the even 90


@pytest.mark.parametrize(
    ("value", "whole"),
    [(0.5, 1), (29.5, 30), (30.5, 31), (2.5, 3), (0.4999999999, 1), (0.49, 0), (-0.2, 0)],
)
def test_a_read_back_time_rounds_a_half_up_as_people_do(value: float, whole: int) -> None:
    # Python's round() takes a half to the even number: 30.5 and 29.5 would both read 30.
    assert round_half_up(value) == whole


@pytest.mark.parametrize("left", [3.4, 3.0, 3.0005, 2.9995, 0.3, 59.999, 60.0, 1.0])
def test_until_next_second_is_when_the_shown_clock_changes(left: float) -> None:
    wait = until_next_second(left)
    assert 0 < wait <= 1.0
    # The shown number holds until then, and is another one just after.
    assert format_clock(left - wait + 1e-6) == format_clock(left)
    assert format_clock(left - wait - 1e-6) != format_clock(left)


@pytest.mark.parametrize(
    ("left", "said"), [(3.0, 3), (2.0000000001, 2), (2.4, 3), (0.2, 1), (0.0, 1), (-0.1, 1)]
)
def test_a_count_in_says_three_two_one_and_never_zero(left: float, said: int) -> None:
    assert count_in_number(left) == said

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clearpact.durations import DurationError, format_seconds, parse_duration


@pytest.mark.parametrize(
    ("text", "seconds", "months"),
    [
        ("30m", 30 * 60, 0),
        ("4h", 4 * 3600, 0),
        ("1h30m", 3600 + 30 * 60, 0),  # 5400
        ("2d", 2 * 86400, 0),  # d is 24 hours of the clock, not a working day
        ("1w", 7 * 86400, 0),
        ("45s", 45, 0),
        ("3mo", 0, 3),
        ("1y", 0, 12),
    ],
)
def test_durations_parse_to_exact_seconds_or_calendar_months(
    text: str, seconds: int, months: int
) -> None:
    duration = parse_duration(text)
    assert (duration.seconds, duration.months) == (seconds, months)


@pytest.mark.parametrize("text", ["4", "4 hours", "h4", "", "1mo2d", "0h", "-1h", "1.5h"])
def test_bad_durations_are_refused_with_how_to_write_them(text: str) -> None:
    with pytest.raises(DurationError):
        parse_duration(text)


def test_month_durations_have_no_fixed_length() -> None:
    with pytest.raises(DurationError, match="no fixed length"):
        parse_duration("3mo").as_timedelta()


@given(st.integers(min_value=1, max_value=10**8))
def test_formatted_seconds_parse_back_to_the_same_seconds(seconds: int) -> None:
    assert parse_duration(format_seconds(seconds)).seconds == seconds


@given(st.integers(min_value=1, max_value=10**8))
def test_business_time_format_stops_at_hours_and_parses_back(seconds: int) -> None:
    text = format_seconds(seconds, sep=" ", days=False)
    assert "d" not in text
    assert parse_duration(text).seconds == seconds


def test_negative_seconds_keep_their_sign_once() -> None:
    # 26h 30m = 95400 s; divmod on the negative number would give '-2d…'.
    assert format_seconds(-95400, sep=" ", days=False) == "-26h 30m"
    assert format_seconds(-95400) == "-1d2h30m"

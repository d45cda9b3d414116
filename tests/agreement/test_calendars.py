"""The `calendars:` section: the documented shape loads; bad times, zones and overlaps do not."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from pydantic import ValidationError

from clearpact.agreement import load_text
from clearpact.agreement.calendars import CalendarSpec, PublicHolidays
from tests.agreement.test_loader import MINIMAL, errors

ISSUE_SHAPE = """\
calendars:
  office:
    timezone: Europe/Berlin          # IANA zone
    hours:                           # a day left out is closed; several windows per day; "24:00" allowed;
      mon: ["08:00-12:00", "13:00-17:00"]   # a window like "22:00-06:00" runs into the next day
      tue: ["08:00-17:00"]
    holidays:                        # dates, yearly "MM-DD", or public holidays via the `holidays` library
      - 2026-12-24
      - "12-31"
      - {country: DE, subdivision: BY}
    closures:                        # partial closures on given dates
      2026-06-03: ["10:00-11:30"]
  always: {timezone: UTC, hours: "24x7"}
"""


def test_the_documented_calendar_shape_loads() -> None:
    calendars = load_text(MINIMAL + ISSUE_SHAPE, "a.yaml").agreement.calendars
    office = calendars["office"]
    assert office.timezone == "Europe/Berlin"
    assert office.holidays == [
        dt.date(2026, 12, 24),
        "12-31",
        PublicHolidays(country="DE", subdivision="BY"),
    ]
    assert [w.text for w in office.closures[dt.date(2026, 6, 3)]] == ["10:00-11:30"]
    # mon 4h + 4h, tue 9h = 17 hours = 1020 minutes a week
    assert office.weekly_minutes() == 1020
    assert calendars["always"].is_24x7
    assert calendars["always"].weekly_minutes() == 7 * 24 * 60


def test_24_00_ends_a_window_and_night_windows_cross_midnight() -> None:
    spec = CalendarSpec.model_validate(
        {"timezone": "Europe/Berlin", "hours": {"fri": ["18:00-24:00"], "sat": ["22:00-06:00"]}}
    )
    assert isinstance(spec.hours, dict)
    friday, saturday = spec.hours.values()
    assert friday[0].end == 24 * 60
    assert not friday[0].crosses_midnight
    # 22:00 → 06:00 is 2 hours before midnight and 6 after: 480 minutes, belonging to Saturday
    assert saturday[0].crosses_midnight
    assert saturday[0].minutes == 480
    assert spec.weekly_minutes() == 6 * 60 + 480


def test_whole_day_is_written_00_00_to_24_00() -> None:
    spec = CalendarSpec.model_validate({"timezone": "UTC", "hours": {"sun": ["00:00-24:00"]}})
    assert spec.weekly_minutes() == 1440


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        ("25:00-26:00", "'25:00' is not a time of day"),
        ("08:00-24:30", "'24:30' is not a time of day"),
        ("24:00-06:00", "'24:00' is not a time of day"),
        ("8-17", "'8' is not a time"),
        ("08:00-08:00", "starts and ends at the same time"),
        ("08:00", "is not a time window"),
    ],
)
def test_bad_times_are_refused(window: str, expected: str) -> None:
    with pytest.raises(ValidationError, match=expected):
        CalendarSpec.model_validate({"timezone": "UTC", "hours": {"mon": [window]}})


@pytest.mark.parametrize(
    ("hours", "overlap"),
    [
        ({"tue": ["08:00-12:00", "11:00-17:00"]}, "tue[0] and tue[1]"),
        ({"mon": ["22:00-06:00"], "tue": ["05:00-09:00"]}, "mon[0] and tue[0]"),
        ({"sun": ["22:00-06:00"], "mon": ["05:30-09:00"]}, "sun[0] and mon[0]"),
        ({"wed": ["08:00-17:00", "08:00-17:00"]}, "wed[0] and wed[1]"),
    ],
)
def test_overlapping_windows_are_refused_including_across_midnight(
    hours: dict[str, list[str]], overlap: str
) -> None:
    with pytest.raises(ValidationError, match=re.escape(f"windows overlap: {overlap}")):
        CalendarSpec.model_validate({"timezone": "UTC", "hours": hours})


def test_windows_that_only_touch_do_not_overlap() -> None:
    hours = {"mon": ["08:00-12:00", "12:00-17:00", "22:00-06:00"], "tue": ["06:00-07:00"]}
    CalendarSpec.model_validate({"timezone": "UTC", "hours": hours})


def test_unknown_time_zone_suggests_the_nearest() -> None:
    (message,) = errors(MINIMAL + "calendars:\n  c: {timezone: America/New_Yrok, hours: 24x7}\n")
    assert (
        "'America/New_Yrok' is not an IANA time zone name; did you mean 'America/New_York'?"
        in message
    )


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ('"02-30"', "'02-30' is not a day of the year"),
        ("{country: XX}", "'XX' is not a country"),
        ("{country: DE, subdivision: ZZ}", "'ZZ' is not a subdivision of DE"),
    ],
)
def test_bad_holidays_are_refused(entry: str, expected: str) -> None:
    text = (
        MINIMAL + f"calendars:\n  c:\n    timezone: UTC\n    hours: 24x7\n    holidays: [{entry}]\n"
    )
    (message,) = errors(text)
    assert expected in message
    assert "calendars.c.holidays[0]" in message


def test_a_leap_day_is_a_valid_yearly_holiday() -> None:
    spec = CalendarSpec.model_validate({"timezone": "UTC", "hours": "24x7", "holidays": ["02-29"]})
    assert spec.holidays == ["02-29"]

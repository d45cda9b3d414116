"""Reading timestamps in a stated zone, calendar look-up, and batch answers checked row by row
against the scalar calendar functions."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clearpact.calendar import Calendar
from clearpact.calendar.queries import (
    QueryError,
    amendments_to_calendar,
    business_duration_text,
    calendar_named,
    due_rows,
    elapsed_rows,
    read_business_duration,
    read_instant,
    seconds_text,
    zone_named,
)
from tests.conftest import build

BERLIN = ZoneInfo("Europe/Berlin")
OFFICE = Calendar.from_dict(
    {
        "timezone": "Europe/Berlin",
        "hours": {d: ["08:00-18:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
        "holidays": [{"country": "DE", "subdivision": "BY"}, "12-24", "12-31"],
    }
)


def test_a_timestamp_without_offset_is_read_in_the_stated_zone() -> None:
    instant = read_instant("2026-11-20T17:30", BERLIN)
    assert instant.at == dt.datetime(2026, 11, 20, 16, 30, tzinfo=dt.UTC)
    assert instant.read_as == "Europe/Berlin"


@pytest.mark.parametrize("text", ["2026-11-20T16:30Z", "2026-11-20T11:30-05:00"])
def test_a_timestamp_with_offset_ignores_the_zone(text: str) -> None:
    instant = read_instant(text, ZoneInfo("Asia/Tokyo"))
    assert instant.at == dt.datetime(2026, 11, 20, 16, 30, tzinfo=dt.UTC)
    assert instant.read_as is None


def test_a_space_instead_of_t_and_surrounding_blanks_are_accepted() -> None:
    # Spreadsheet exports write "2026-11-20 17:30"; cells often carry blanks.
    assert (
        read_instant(" 2026-11-20 17:30 ", BERLIN).at == read_instant("2026-11-20T17:30", BERLIN).at
    )


def test_a_local_time_the_clocks_show_twice_asks_for_the_offset() -> None:
    # Berlin, Sun 2026-10-25: 03:00 CEST becomes 02:00 CET, so 02:30 happens at +02:00 and +01:00.
    with pytest.raises(QueryError, match=r"happens twice.*'2026-10-25T02:30\+02:00' is the first"):
        read_instant("2026-10-25T02:30", BERLIN)
    assert read_instant("2026-10-25T02:30+01:00", BERLIN).at == dt.datetime(
        2026, 10, 25, 1, 30, tzinfo=dt.UTC
    )


def test_a_local_time_the_clocks_skip_is_refused() -> None:
    # Berlin, Sun 2026-03-29: 02:00 CET becomes 03:00 CEST; 02:30 never shows on a clock.
    with pytest.raises(QueryError, match="does not exist in Europe/Berlin"):
        read_instant("2026-03-29T02:30", BERLIN)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2026-13-01T10:00", "is not a valid timestamp"),
        ("yesterday", "is not a valid timestamp"),
        ("", "empty"),
        ("2026-11-20", "is a date without a time"),
        ("1969-12-31T23:59Z", "outside the years"),
        ("2200-01-01T00:00Z", "outside the years"),
    ],
)
def test_unreadable_timestamps_say_why(text: str, reason: str) -> None:
    with pytest.raises(QueryError, match=reason):
        read_instant(text, BERLIN)


def test_business_durations_refuse_months_and_bad_text() -> None:
    assert read_business_duration("1h30m") == dt.timedelta(minutes=90)
    with pytest.raises(QueryError, match="no fixed length"):
        read_business_duration("1mo")
    with pytest.raises(QueryError, match="not a duration"):
        read_business_duration("1.5h")


def test_unknown_calendar_and_zone_suggest_the_nearest_name(smb_data: dict[str, Any]) -> None:
    calendars = build(smb_data).calendars
    with pytest.raises(
        QueryError, match="no calendar 'ofice' in the agreement; did you mean 'office'"
    ):
        calendar_named(calendars, "ofice")
    with pytest.raises(QueryError, match="it defines 'office', 'always', 'maintenance'"):
        calendar_named(calendars, "weekend")
    with pytest.raises(QueryError, match="did you mean 'Europe/Berlin'"):
        zone_named("Europe/Berln")


def test_seconds_are_exact_to_the_microsecond() -> None:
    assert seconds_text(1) == "0.000001"
    assert seconds_text(-3_600_000_000) == "-3600"


def test_every_row_is_kept_in_order_and_bad_rows_name_row_and_field() -> None:
    rows = [
        ["a", "2026-11-20T17:30", "2026-11-23T08:30"],
        ["b", "2026-11-20T17:30"],  # short row: 'end' is empty
        ["c", "2026-11-20T17:30", "2026-11-23T08:30", "stray"],  # longer than the header
    ]
    batch = elapsed_rows(OFFICE, ["id", "start", "end"], rows, BERLIN)
    assert batch.header == ["id", "start", "end", "elapsed_business_s", "elapsed", "error"]
    # Fri 17:30 → 18:00 is 30m, Mon 08:00 → 08:30 is 30m: 1h.
    assert batch.rows[0] == ["a", "2026-11-20T17:30", "2026-11-23T08:30", "3600", "1h", ""]
    assert batch.rows[1][:5] == ["b", "2026-11-20T17:30", "", "", ""]
    assert batch.rows[1][5].startswith("row 2, end: empty")
    assert batch.rows[2][:5] == ["c", "2026-11-20T17:30", "2026-11-23T08:30", "", ""]
    assert batch.rows[2][5].startswith("row 3: 4 cells but the header names 3 columns")
    assert batch.rejected == 2


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        (["begin", "end"], "no column 'start'"),
        (["start", "end", "start"], "repeats 'start'"),
        (["start", "end", "error"], "already has a column 'error'"),
    ],
)
def test_a_header_that_cannot_be_answered_is_refused(header: list[str], reason: str) -> None:
    with pytest.raises(QueryError, match=reason):
        elapsed_rows(OFFICE, header, [], BERLIN)


def test_a_due_row_beyond_the_calendar_fails_alone() -> None:
    night = Calendar.from_dict({"timezone": "UTC", "hours": {"sat": ["22:00-06:00"]}})
    rows = [["2026-01-01T00:00Z", "8h"], ["2026-01-01T00:00Z", "1000000h"]]
    batch = due_rows(night, ["start", "duration"], rows, BERLIN)
    # The first Saturday night, Sat 2026-01-03 22:00 → Sun 06:00 UTC, holds the 8h.
    assert batch.rows[0][2:] == ["2026-01-04T06:00:00+00:00", ""]
    assert batch.rows[1][2] == ""
    assert "row 2, duration: the calendar has too little business time" in batch.rows[1][3]


def test_amendments_that_change_a_calendar_are_named(smb_data: dict[str, Any]) -> None:
    smb_data["versions"].append(
        {
            "version": "1.2",
            "effective": dt.date(2026, 9, 1),
            "summary": "Office closes at 17:00 on Fridays.",
            "changes": {"calendars.office.hours.fri": ["08:00-17:00"]},
        }
    )
    agreement = build(smb_data)
    assert amendments_to_calendar(agreement, "office") == ["1.2 (effective 2026-09-01)"]
    assert amendments_to_calendar(agreement, "always") == []


# -- the batch answers against the scalar calendar functions ---------------------------------

instants = st.integers(min_value=0, max_value=2 * 365 * 24 * 60).map(
    lambda m: dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=m)
)
durations = st.integers(min_value=1, max_value=100 * 60).map(lambda m: dt.timedelta(minutes=m))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(instants, instants, durations), min_size=1, max_size=20))
def test_batch_answers_equal_the_scalar_answers(
    rows: list[tuple[dt.datetime, dt.datetime, dt.timedelta]],
) -> None:
    # Starts are written as Berlin local time without an offset, as a ticketing export would;
    # a local time the clocks repeat is rejected by the batch, as by the scalar reader.
    written = [
        [
            s.astimezone(BERLIN).strftime("%Y-%m-%dT%H:%M"),
            e.isoformat(),
            f"{d // dt.timedelta(minutes=1)}m",
        ]
        for s, e, d in rows
    ]
    elapsed = elapsed_rows(OFFICE, ["start", "end", "duration"], written, BERLIN)
    due = due_rows(OFFICE, ["start", "end", "duration"], written, BERLIN)
    for (start_text, end_text, duration_text), e_row, d_row in zip(
        written, elapsed.rows, due.rows, strict=True
    ):
        try:
            start = read_instant(start_text, BERLIN).at
        except QueryError:
            assert e_row[-1].startswith("row ")
            assert d_row[-1].startswith("row ")
            continue
        end = read_instant(end_text, BERLIN).at
        micros = OFFICE.elapsed(start, end) // dt.timedelta(microseconds=1)
        assert e_row[3:] == [seconds_text(micros), business_duration_text(micros), ""]
        expected_due = OFFICE.add(start, read_business_duration(duration_text))
        assert d_row[3:] == [expected_due.isoformat(), ""]

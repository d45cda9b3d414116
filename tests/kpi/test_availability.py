"""Availability per service and period: hand-worked cases (arithmetic in the comments), then
properties, and a minute-by-minute oracle that knows nothing of the compiled calendar."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clearpact.calendar import Calendar, NaiveDatetimeError
from clearpact.ingest.schema import OUTAGES
from clearpact.kpi.availability import AVAILABILITY, availability

UTC = dt.UTC
SUNDAY_NIGHTS = Calendar.from_dict({"timezone": "UTC", "hours": {"sun": ["02:00-06:00"]}})
"""The agreed maintenance windows: Sundays 02:00–06:00 UTC (1, 8, 15, 22, 29 March 2026)."""
MARCH = 31 * 86400  # 2,678,400 s


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


def outage(
    start: str, end: str | None, *, planned: bool = False, service: str = "web"
) -> dict[str, Any]:
    return {
        "service": service,
        "start_at": at(start),
        "end_at": None if end is None else at(end),
        "planned": planned,
        "source": "test",
    }


def table(*rows: dict[str, Any]) -> pa.Table:
    return pa.Table.from_pylist(list(rows), schema=OUTAGES)


def march(outages: pa.Table, **options: Any) -> dict[str, Any]:
    """The single March 2026 row for service ``web``."""
    options.setdefault("maintenance_calendar", SUNDAY_NIGHTS)
    result = availability(
        outages,
        services=["web"],
        start=at("2026-03-01"),
        end=at("2026-04-01"),
        zone="UTC",
        **options,
    )
    assert result.schema == AVAILABILITY
    rows: list[dict[str, Any]] = result.to_pylist()
    assert len(rows) == 1
    return rows[0]


def test_planned_downtime_in_the_windows_is_excluded_and_everything_else_counts() -> None:
    row = march(
        table(
            outage("2026-03-02 10:02", "2026-03-02 10:07:30"),  # unplanned: 330 s
            outage("2026-03-02 10:05", "2026-03-02 10:07:30"),  # inside the one above: no more
            outage("2026-03-08 02:00", "2026-03-08 03:00", planned=True),  # Sunday window: 3600 s
            outage("2026-03-08 03:00", "2026-03-08 03:10"),  # unplanned in the window: 600 s
            outage("2026-03-10 22:00", "2026-03-10 22:30", planned=True),  # Tuesday: 1800 s
        )
    )
    # excluded 3600; counted 330 + 600 + 1800 = 2730;
    # (2,678,400 − 3600 − 2730) / (2,678,400 − 3600) = 2,672,070 / 2,674,800 = 99.897936…%
    assert row["period_seconds"] == MARCH
    assert row["excluded_seconds"] == 3600
    assert row["downtime_seconds"] == 2730
    assert row["availability"] == pytest.approx(100 * 2_672_070 / 2_674_800)


def test_planned_downtime_across_a_window_end_is_split_at_the_end() -> None:
    # Sunday 15 March 05:30–06:30: 30 min in the window (excluded), 30 min after it (counted).
    row = march(table(outage("2026-03-15 05:30", "2026-03-15 06:30", planned=True)))
    assert (row["excluded_seconds"], row["downtime_seconds"]) == (1800, 1800)


def test_unplanned_downtime_inside_planned_maintenance_still_counts() -> None:
    # Planned 02:00–04:00 and unplanned 03:00–03:30 on Sunday 22 March: the union is 7200 s,
    # of which the unplanned 1800 s count and 7200 − 1800 = 5400 s are excluded.
    row = march(
        table(
            outage("2026-03-22 02:00", "2026-03-22 04:00", planned=True),
            outage("2026-03-22 03:00", "2026-03-22 03:30"),
        )
    )
    assert (row["excluded_seconds"], row["downtime_seconds"]) == (5400, 1800)


def test_without_a_maintenance_calendar_planned_downtime_counts() -> None:
    row = march(
        table(outage("2026-03-08 02:00", "2026-03-08 03:00", planned=True)),
        maintenance_calendar=None,
    )
    assert (row["excluded_seconds"], row["downtime_seconds"]) == (0, 3600)


def test_the_exclusion_is_capped_per_period_and_the_rest_counts() -> None:
    # 3 h planned in the window with at most 1 h excluded a month: 3600 excluded, 7200 counted.
    row = march(
        table(outage("2026-03-29 02:00", "2026-03-29 05:00", planned=True)),
        max_excluded=dt.timedelta(hours=1),
    )
    assert (row["excluded_seconds"], row["downtime_seconds"]) == (3600, 7200)


def test_outages_are_clipped_to_periods_and_an_ongoing_one_runs_to_the_end() -> None:
    rows = availability(
        table(
            outage("2026-01-31 22:00", "2026-02-01 02:00"),  # 2 h in January, 2 h in February
            outage("2026-02-14 00:00", None),  # still open: runs to the end, 15 Feb 00:00
        ),
        services=["web"],
        start=at("2026-01-01"),
        end=at("2026-02-15"),
        zone="UTC",
    ).to_pylist()
    assert [(r["period"], r["period_seconds"], r["downtime_seconds"]) for r in rows] == [
        (dt.date(2026, 1, 1), 31 * 86400, 7200),
        (dt.date(2026, 2, 1), 14 * 86400, 7200 + 86400),  # February is cut at 15 Feb
    ]
    # February: 1 − 93,600 / 1,209,600 = 92.261904…%
    assert rows[1]["availability"] == pytest.approx(100 * (1 - 93_600 / 1_209_600))
    assert rows[1]["period_end"] == at("2026-02-15")


def test_months_are_those_of_the_stated_zone() -> None:
    # 31 Jan 23:30Z is 1 Feb 00:30 in Berlin, so the 15 minutes fall in Berlin's February, which
    # starts at 31 Jan 23:00Z.
    rows = availability(
        table(outage("2026-01-31 23:30", "2026-01-31 23:45")),
        services=["web"],
        start=dt.datetime(2026, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=1))),
        end=dt.datetime(2026, 3, 1, tzinfo=dt.timezone(dt.timedelta(hours=1))),
        zone="Europe/Berlin",
    ).to_pylist()
    assert [(r["period"], r["period_start"], r["downtime_seconds"]) for r in rows] == [
        (dt.date(2026, 1, 1), at("2025-12-31 23:00"), 0),
        (dt.date(2026, 2, 1), at("2026-01-31 23:00"), 900),
    ]


def test_a_month_with_the_spring_clock_change_is_an_hour_short() -> None:
    # March 2026 in Berlin: 1 Mar 00:00 CET (28 Feb 23:00Z) to 1 Apr 00:00 CEST (31 Mar 22:00Z)
    # = 31 × 86,400 − 3600 = 2,674,800 s.
    rows = availability(
        table(),
        services=["web"],
        start=at("2026-02-28 23:00"),
        end=at("2026-03-31 22:00"),
        zone="Europe/Berlin",
    ).to_pylist()
    assert [(r["period"], r["period_seconds"]) for r in rows] == [(dt.date(2026, 3, 1), 2_674_800)]


def test_a_quarter_gathers_its_months_and_a_service_without_outages_is_fully_available() -> None:
    rows = availability(
        table(outage("2026-02-10 00:00", "2026-02-10 01:00", service="mail")),
        services=["web", "mail", "web"],  # a repeated service is reported once
        start=at("2026-01-01"),
        end=at("2026-04-01"),
        zone="UTC",
        period="quarter",
    ).to_pylist()
    # Q1 2026: 31 + 28 + 31 = 90 days = 7,776,000 s.
    assert [(r["service"], r["period_seconds"], r["availability"]) for r in rows] == [
        ("web", 7_776_000, 100.0),
        ("mail", 7_776_000, pytest.approx(100 * (1 - 3600 / 7_776_000))),
    ]


def test_a_period_that_is_all_maintenance_has_no_availability() -> None:
    always = Calendar.from_dict({"timezone": "UTC", "hours": "24x7"})
    rows = availability(
        table(outage("2026-03-01", "2026-03-02", planned=True)),
        services=["web"],
        start=at("2026-03-01"),
        end=at("2026-03-02"),
        zone="UTC",
        maintenance_calendar=always,
    ).to_pylist()
    assert (rows[0]["excluded_seconds"], rows[0]["availability"]) == (86400, None)


def test_naive_or_reversed_bounds_are_refused() -> None:
    with pytest.raises(NaiveDatetimeError):
        availability(
            table(),
            services=["web"],
            start=dt.datetime(2026, 3, 1),
            end=at("2026-04-01"),
            zone="UTC",
        )
    with pytest.raises(ValueError, match="must be after start"):
        availability(
            table(), services=["web"], start=at("2026-04-01"), end=at("2026-03-01"), zone="UTC"
        )


# --- properties ------------------------------------------------------------------------------------

MINUTE = 60
SPAN_MINUTES = 14 * 24 * 60  # 1–15 March 2026 (two Sunday windows: 1 and 8 March)
START = at("2026-03-01")
END = START + dt.timedelta(minutes=SPAN_MINUTES)

minute_outages = st.lists(
    st.tuples(
        st.integers(0, SPAN_MINUTES + 600),  # some start after the end: ignored
        st.integers(0, 1000),
        st.booleans(),
        st.booleans(),  # ongoing
    ),
    max_size=8,
)


def build(spec: list[tuple[int, int, bool, bool]]) -> pa.Table:
    rows = []
    for first, length, planned, ongoing in spec:
        start = START + dt.timedelta(minutes=first)
        rows.append(
            {
                "service": "web",
                "start_at": start,
                "end_at": None if ongoing else start + dt.timedelta(minutes=length),
                "planned": planned,
                "source": "h",
            }
        )
    return pa.Table.from_pylist(rows, schema=OUTAGES)


def measure(outages: pa.Table) -> dict[str, Any]:
    rows: list[dict[str, Any]] = availability(
        outages,
        services=["web"],
        start=START,
        end=END,
        zone="UTC",
        maintenance_calendar=SUNDAY_NIGHTS,
    ).to_pylist()
    assert len(rows) == 1
    return rows[0]


@settings(max_examples=60, deadline=None)
@given(minute_outages)
def test_availability_is_a_percentage_and_the_seconds_add_up(
    spec: list[tuple[int, int, bool, bool]],
) -> None:
    row = measure(build(spec))
    assert 0 <= row["availability"] <= 100
    assert row["excluded_seconds"] >= 0
    assert row["downtime_seconds"] >= 0
    assert row["excluded_seconds"] + row["downtime_seconds"] <= row["period_seconds"]


@settings(max_examples=60, deadline=None)
@given(minute_outages, st.data())
def test_splitting_an_outage_in_two_adjacent_halves_changes_nothing(
    spec: list[tuple[int, int, bool, bool]], data: st.DataObject
) -> None:
    outages = build(spec)
    rows = outages.to_pylist()
    closed = [i for i, r in enumerate(rows) if r["end_at"] is not None]
    if not closed:
        return
    index = data.draw(st.sampled_from(closed))
    whole = rows[index]
    cut = whole["start_at"] + (whole["end_at"] - whole["start_at"]) * data.draw(st.floats(0, 1))
    halves = [{**whole, "end_at": cut}, {**whole, "start_at": cut}]
    split = pa.Table.from_pylist(rows[:index] + halves + rows[index + 1 :], schema=OUTAGES)
    assert measure(split) == measure(outages)


@settings(max_examples=60, deadline=None)
@given(minute_outages)
def test_minute_by_minute_counting_agrees(spec: list[tuple[int, int, bool, bool]]) -> None:
    planned_minutes: set[int] = set()
    unplanned_minutes: set[int] = set()
    for first, length, planned, ongoing in spec:
        last = SPAN_MINUTES if ongoing else min(first + length, SPAN_MINUTES)
        (planned_minutes if planned else unplanned_minutes).update(range(first, last))

    def in_window(minute: int) -> bool:
        instant = START + dt.timedelta(minutes=minute)
        return instant.weekday() == 6 and 2 <= instant.hour < 6

    excluded = {m for m in planned_minutes - unplanned_minutes if in_window(m)}
    down = planned_minutes | unplanned_minutes
    row = measure(build(spec))
    assert row["excluded_seconds"] == len(excluded) * MINUTE
    assert row["downtime_seconds"] == len(down - excluded) * MINUTE

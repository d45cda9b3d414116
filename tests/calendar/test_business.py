"""Business time: hand-worked cases (arithmetic in the comments) and properties against a slow,
obvious minute-by-minute oracle written independently of the compiled table."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clearpact.calendar import Calendar, NaiveDatetimeError
from clearpact.calendar.business import to_micros

UTC = dt.UTC
BERLIN = ZoneInfo("Europe/Berlin")
H = dt.timedelta(hours=1)

OFFICE = Calendar.from_dict(
    {
        "timezone": "Europe/Berlin",
        "hours": {d: ["08:00-18:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
        "holidays": [{"country": "DE", "subdivision": "BY"}, "12-24", "12-31"],
        "closures": {dt.date(2026, 6, 3): ["10:00-11:30"]},
    }
)
NIGHT = Calendar.from_dict(
    {"timezone": "UTC", "hours": {"sat": ["22:00-06:00"]}, "holidays": ["2026-11-21"]}
)


def berlin(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BERLIN)  # type: ignore[misc]


def test_p2_opened_friday_1630_is_due_monday_1030() -> None:
    # Fri 2026-11-20 16:30 → 18:00 is 1.5h; 4h − 1.5h = 2.5h from Mon 08:00 → 10:30.
    due = OFFICE.add(berlin(2026, 11, 20, 16, 30), 4 * H)
    assert due == berlin(2026, 11, 23, 10, 30)
    assert due.tzinfo == BERLIN


def test_duration_ending_at_a_window_end_ends_there() -> None:
    # Mon 08:00 + 10h = Mon 18:00 exactly, not Tue 08:00.
    assert OFFICE.add(berlin(2026, 11, 23, 8), 10 * H) == berlin(2026, 11, 23, 18)


def test_public_holidays_on_friday_and_monday_are_skipped() -> None:
    # Good Friday 2026-04-03 and Easter Monday 2026-04-06 are holidays in Bavaria.
    # Thu 2026-04-02 17:00 → 18:00 = 1h; the next 2h run Tue 2026-04-07 08:00 → 10:00.
    assert OFFICE.add(berlin(2026, 4, 2, 17), 3 * H) == berlin(2026, 4, 7, 10)


def test_year_boundary_with_yearly_and_public_holidays() -> None:
    # Wed 2026-12-30 17:00 → 18:00 = 1h; Thu 12-31 (yearly) and Fri 2027-01-01 (public) are off;
    # Mon 2027-01-04 08:00 + 2h = 10:00.
    assert OFFICE.add(berlin(2026, 12, 30, 17), 3 * H) == berlin(2027, 1, 4, 10)


def test_closure_cuts_the_window() -> None:
    # Wed 2026-06-03: 08:00–18:00 is 10h, minus the 10:00–11:30 closure = 8.5h.
    assert OFFICE.elapsed(berlin(2026, 6, 3), berlin(2026, 6, 4)) == dt.timedelta(
        hours=8, minutes=30
    )


def test_night_window_across_midnight_belongs_to_its_start_day() -> None:
    # Sat 2026-11-28 22:00 → Sun 06:00 UTC = 8h.
    sat = dt.datetime(2026, 11, 28, 21, tzinfo=UTC)
    assert NIGHT.elapsed(sat, sat + 10 * H) == 8 * H
    # Sat 2026-11-21 is a holiday: its night window is gone entirely.
    holiday = dt.datetime(2026, 11, 21, 21, tzinfo=UTC)
    assert NIGHT.elapsed(holiday, holiday + 10 * H) == dt.timedelta(0)


@pytest.mark.parametrize(
    ("zone", "day", "window", "hours"),
    [
        # Berlin spring forward 2026-03-29: 01:00 CET = 00:00 UTC, 05:00 CEST = 03:00 UTC → 3h.
        ("Europe/Berlin", dt.date(2026, 3, 29), "01:00-05:00", 3),
        # Berlin fall back 2026-10-25: 01:00 CEST = 23:00 UTC, 05:00 CET = 04:00 UTC → 5h.
        ("Europe/Berlin", dt.date(2026, 10, 25), "01:00-05:00", 5),
        # New York spring forward 2026-03-08: 02:30 does not exist → the change at 07:00 UTC;
        # 04:00 EDT = 08:00 UTC → 1h.
        ("America/New_York", dt.date(2026, 3, 8), "02:30-04:00", 1),
        # New York fall back 2026-11-01: 01:00–02:00 happens twice; start at the first 01:00 EDT
        # (05:00 UTC), end at 02:00 EST (07:00 UTC) → 2h.
        ("America/New_York", dt.date(2026, 11, 1), "01:00-02:00", 2),
        # Sydney DST ends 2026-04-05: 02:00 AEDT (15:00 UTC) to 03:00 AEST (17:00 UTC) → 2h.
        ("Australia/Sydney", dt.date(2026, 4, 5), "02:00-03:00", 2),
        # Sydney DST starts 2026-10-04: 02:00 → 03:00; 01:00 AEST (15:00 UTC) to 04:00 AEDT (17:00 UTC) → 2h.
        ("Australia/Sydney", dt.date(2026, 10, 4), "01:00-04:00", 2),
    ],
)
def test_dst_nights_hold_real_elapsed_seconds(
    zone: str, day: dt.date, window: str, hours: int
) -> None:
    cal = Calendar.from_dict({"timezone": zone, "hours": {"sun": [window]}})
    start = dt.datetime.combine(day, dt.time(), tzinfo=UTC) - dt.timedelta(days=1)
    assert cal.elapsed(start, start + dt.timedelta(days=3)) == hours * H


def test_a_long_duration_on_a_sparse_calendar_grows_the_table_far_enough() -> None:
    # Saturday nights of 8h, no holidays: 2000h is 250 nights, almost five years ahead.
    night = Calendar.from_dict({"timezone": "UTC", "hours": {"sat": ["22:00-06:00"]}})
    start = dt.datetime(2026, 1, 1, tzinfo=UTC)
    due = night.add(start, 2000 * H)
    assert night.elapsed(start, due) == 2000 * H
    # The first night starts Sat 2026-01-03; the 250th, 249 weeks later, Sat 2030-10-12 22:00,
    # and it ends (with the 2000th hour) Sun 2030-10-13 06:00.
    assert due == dt.datetime(2030, 10, 13, 6, tzinfo=UTC)


def test_a_duration_beyond_400_years_of_business_time_fails_at_once() -> None:
    # 8h a week is ~417h a year; 1,000,000h would need ~2400 years. The estimate refuses it
    # before compiling anything more (growing two years at a time took about a minute).
    night = Calendar.from_dict({"timezone": "UTC", "hours": {"sat": ["22:00-06:00"]}})
    with pytest.raises(ValueError, match="too little business time"):
        night.add(dt.datetime(2026, 1, 1, tzinfo=UTC), 1_000_000 * H)
    years = night.compiled_years
    assert years is not None
    assert years[1] - years[0] < 10


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(NaiveDatetimeError, match="has no time zone"):
        OFFICE.elapsed(dt.datetime(2026, 1, 5, 9), berlin(2026, 1, 5, 10))


def test_24x7_in_utc_is_wall_clock_time() -> None:
    always = Calendar.from_dict({"timezone": "UTC", "hours": "24x7"})
    a = dt.datetime(2026, 3, 28, 12, 13, 14, 15, tzinfo=UTC)
    assert always.elapsed(a, a + dt.timedelta(days=400, seconds=7)) == dt.timedelta(
        days=400, seconds=7
    )


def test_24x7_add_counts_real_hours_across_a_dst_change() -> None:
    # Berlin 24x7 with no holidays needs no table (F(t) = t); `add` must agree with `elapsed`.
    # 2026-10-25 00:30 CEST (22:30 UTC the day before) + 4h of real time = 02:30 UTC = 03:30 CET.
    always = Calendar.from_dict({"timezone": "Europe/Berlin", "hours": "24x7"})
    start = dt.datetime(2026, 10, 24, 22, 30, tzinfo=UTC)
    due = always.add(start, dt.timedelta(hours=4))
    assert due == dt.datetime(2026, 10, 25, 2, 30, tzinfo=UTC)
    assert due.strftime("%H:%M %Z") == "03:30 CET"
    assert always.elapsed(start, due) == dt.timedelta(hours=4)


# -- properties against an independent oracle ------------------------------------------------

OFFICE_DAYS = {0, 1, 2, 3, 4}


def oracle_minutes(start: dt.datetime, end: dt.datetime) -> int:
    """Walk minute by minute in UTC and ask, in local time, whether each minute is business time.
    (Holidays of the OFFICE calendar in the sampled range are looked up from its own list.)"""
    import holidays

    off = set(holidays.country_holidays("DE", subdiv="BY", years=range(2025, 2028)))
    count = 0
    t = start
    while t < end:
        local = t.astimezone(BERLIN)
        day = local.date()
        open_day = (
            local.weekday() in OFFICE_DAYS
            and day not in off
            and (day.month, day.day) not in {(12, 24), (12, 31)}
        )
        minutes = local.hour * 60 + local.minute
        closed = day == dt.date(2026, 6, 3) and 600 <= minutes < 690
        if open_day and 480 <= minutes < 1080 and not closed:
            count += 1
        t += dt.timedelta(minutes=1)
    return count


instants = st.integers(min_value=0, max_value=3 * 365 * 24 * 60).map(
    lambda m: dt.datetime(2025, 1, 1, tzinfo=UTC) + dt.timedelta(minutes=m)
)
spans = st.integers(min_value=0, max_value=4 * 24 * 60).map(lambda m: dt.timedelta(minutes=m))


@settings(max_examples=60, deadline=None)
@given(instants, spans)
def test_elapsed_equals_the_minute_walking_oracle(start: dt.datetime, span: dt.timedelta) -> None:
    assert OFFICE.elapsed(start, start + span) == dt.timedelta(
        minutes=oracle_minutes(start, start + span)
    )


@settings(max_examples=200, deadline=None)
@given(instants, spans, spans)
def test_elapsed_is_non_negative_and_additive(
    start: dt.datetime, first: dt.timedelta, second: dt.timedelta
) -> None:
    middle, end = start + first, start + first + second
    assert OFFICE.elapsed(start, middle) >= dt.timedelta(0)
    assert OFFICE.elapsed(start, end) == OFFICE.elapsed(start, middle) + OFFICE.elapsed(middle, end)


@settings(max_examples=200, deadline=None)
@given(instants, spans, spans)
def test_add_inverts_elapsed_and_is_monotone(
    start: dt.datetime, short: dt.timedelta, extra: dt.timedelta
) -> None:
    due = OFFICE.add(start, short)
    assert OFFICE.elapsed(start, due) == short
    assert OFFICE.add(start, short + extra) >= due
    # Earliest instant: a second less of duration is reached strictly before (for non-zero durations).
    if short > dt.timedelta(0):
        assert OFFICE.add(start, short - dt.timedelta(seconds=1)) < due


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(instants, spans), min_size=1, max_size=30))
def test_scalar_and_vectorised_agree(pairs: list[tuple[dt.datetime, dt.timedelta]]) -> None:
    starts = np.array([to_micros(s) for s, _ in pairs], dtype=np.int64)
    lengths = np.array([d // dt.timedelta(microseconds=1) for _, d in pairs], dtype=np.int64)
    elapsed = OFFICE.elapsed_many(starts, starts + lengths)
    due = OFFICE.add_many(starts, lengths)
    for i, (start, span) in enumerate(pairs):
        assert dt.timedelta(microseconds=int(elapsed[i])) == OFFICE.elapsed(start, start + span)
        assert int(due[i]) == to_micros(OFFICE.add(start, span))

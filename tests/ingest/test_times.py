"""Export times: the vectorised path reads exactly what the one-by-one rule reads, across DST
changes, fractions, impossible dates and placeholders."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clearpact.ingest.times import ZoneNeeded, _parse, parse_times

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def one_by_one(text: str | None, zone: str) -> int | None:
    """The rule, applied to one text with the standard library only."""
    if text is None:
        return None
    moment, _ = _parse(text, [])
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(zone))
    return (moment - EPOCH) // dt.timedelta(microseconds=1)


wall = st.datetimes(min_value=dt.datetime(1975, 1, 1), max_value=dt.datetime(2105, 1, 1))
# hours around the 2026 changes in Europe and the US, where wall times repeat or do not exist
near_change = st.sampled_from(
    [
        dt.datetime(2026, 3, 29, 2, 0),
        dt.datetime(2026, 10, 25, 2, 0),
        dt.datetime(2026, 3, 8, 2, 0),
        dt.datetime(2026, 11, 1, 1, 0),
    ]
).flatmap(lambda base: st.integers(-7200, 7200).map(lambda s: base + dt.timedelta(seconds=s)))


@st.composite
def texts(draw: st.DrawFn) -> str:
    moment = draw(st.one_of(wall, near_change))
    sep = draw(st.sampled_from(["T", " "]))
    base = moment.strftime(f"%Y-%m-%d{sep}%H:%M")
    if draw(st.booleans()):
        base += moment.strftime(":%S")
        digits = draw(st.integers(0, 9))
        if digits:
            base += "." + f"{moment.microsecond:06d}{draw(st.integers(0, 999)):03d}"[:digits]
    return base + draw(st.sampled_from(["", "", "Z", "+02:00", "-0500"]))


odd = st.sampled_from(
    ["2025-02-30 10:00", "?", "", "2025-03-06", "0001-01-01T00:00:00", "31/12/2025"]
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(texts(), odd, st.none()), min_size=1, max_size=40),
    st.sampled_from(["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "UTC"]),
)
def test_the_fast_path_reads_what_the_rule_reads(values: list[str | None], zone: str) -> None:
    parsed = parse_times(pa.array(values, pa.string()), zone=zone)
    got = [
        None if v is None else (v - EPOCH) // dt.timedelta(microseconds=1)
        for v in parsed.instants.to_pylist()
    ]
    assert got == [one_by_one(text, zone) for text in values]
    reasons = parsed.reasons.to_pylist()
    assert all((r is None) == (g is not None) for r, g in zip(reasons, got, strict=True))


def test_wall_times_in_a_repeated_hour_are_read_as_their_first_occurrence() -> None:
    # Berlin, 25 October 2026: 02:30 happens twice, at 00:30Z (CEST) and 01:30Z (CET).
    parsed = parse_times(
        pa.array(["2026-10-25 02:30:00", "2026-10-25 12:00"]), zone="Europe/Berlin"
    )
    assert [t.isoformat() for t in parsed.instants.to_pylist()] == [
        "2026-10-25T00:30:00+00:00",
        "2026-10-25T11:00:00+00:00",  # 12:00 CET = 11:00Z
    ]


def test_an_impossible_date_is_refused_not_rolled_over() -> None:
    parsed = parse_times(pa.array(["2025-02-30 10:00"]), zone="UTC")
    assert parsed.instants.to_pylist() == [None]
    assert parsed.reasons.to_pylist() == ["unreadable time '2025-02-30 10:00'"]


def test_zoneless_times_without_a_zone_stop_with_the_text() -> None:
    with pytest.raises(ZoneNeeded, match="2026-01-05 09:00"):
        parse_times(pa.array(["2026-01-05T08:00:00Z", "2026-01-05 09:00"]), zone=None)

"""Reporting periods for KPIs: months, quarters or years in the agreement's time zone, each known by
its first local day and bounded by two UTC instants.

Pure: standard library and pyarrow; reads no files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pyarrow as pa

from clearpact.clock.tables import INSTANT
from clearpact.kpi.attainment import Period

_MONTHS = {"month": 1, "quarter": 3, "year": 12}

PERIODS = pa.schema(
    [
        pa.field("period_start", pa.date32(), nullable=False),  # first local day of the period
        pa.field("opens_at", INSTANT, nullable=False),  # local midnight of that day
        pa.field("closes_at", INSTANT, nullable=False),  # local midnight of the next period
        pa.field("counted_at", INSTANT, nullable=False),  # the earlier of closes_at and as_of
    ]
)
"""One row per period that has begun by ``as_of``; the SQL of the KPI modules joins on it."""


def period_months(period: Period) -> int:
    """How many months a period holds: 1, 3 or 12.

    >>> period_months("quarter")
    3
    """
    return _MONTHS[period]


def period_start(day: dt.date, period: Period) -> dt.date:
    """The first day of the month, quarter or year that holds ``day``.

    >>> period_start(dt.date(2026, 5, 17), "quarter")
    datetime.date(2026, 4, 1)
    """
    months = _MONTHS[period]
    return dt.date(day.year, (day.month - 1) // months * months + 1, 1)


def following_period(start: dt.date, period: Period) -> dt.date:
    """The first day of the period after the one that begins on ``start``.

    >>> following_period(dt.date(2026, 12, 1), "month")
    datetime.date(2027, 1, 1)
    """
    month = start.month - 1 + _MONTHS[period]
    return dt.date(start.year + month // 12, month % 12 + 1, 1)


@dataclass(frozen=True)
class Periods:
    """The periods from the one holding ``first`` to the one holding ``last`` (both included), in
    ``zone`` (an IANA name; the agreement's ``home_zone``). ``as_of`` (aware) is "now": a period
    that begins after it has no value yet, and the period that holds it is measured up to it.

    >>> periods = Periods("Europe/Berlin", "month", dt.date(2026, 1, 15), dt.date(2026, 3, 2),
    ...                   as_of=dt.datetime(2026, 2, 10, tzinfo=dt.UTC))
    >>> periods.starts()
    [datetime.date(2026, 1, 1), datetime.date(2026, 2, 1), datetime.date(2026, 3, 1)]
    >>> periods.bounds(dt.date(2026, 1, 1))[0].isoformat()   # midnight in Berlin is 23:00 UTC
    '2025-12-31T23:00:00+00:00'
    >>> [row["period_start"] for row in periods.table().to_pylist()]   # March has not begun
    [datetime.date(2026, 1, 1), datetime.date(2026, 2, 1)]
    """

    zone: str
    period: Period
    first: dt.date
    last: dt.date
    as_of: dt.datetime

    def __post_init__(self) -> None:
        if self.period not in _MONTHS:
            raise ValueError(f"period must be month, quarter or year, not {self.period!r}")
        if self.last < self.first:
            raise ValueError(f"last ({self.last}) is before first ({self.first})")
        if self.as_of.tzinfo is None:
            raise ValueError("as_of must carry a time zone")
        ZoneInfo(self.zone)  # an unknown zone fails here, not deep inside a query

    def starts(self) -> list[dt.date]:
        """The first local day of every period, begun or not, oldest first."""
        day = period_start(self.first, self.period)
        end = period_start(self.last, self.period)
        days = []
        while day <= end:
            days.append(day)
            day = following_period(day, self.period)
        return days

    def bounds(self, start: dt.date) -> tuple[dt.datetime, dt.datetime]:
        """The UTC instants at which the period beginning on ``start`` opens and closes (local
        midnights; the period is ``[opens, closes)``, so a DST change inside it is counted)."""
        zone = ZoneInfo(self.zone)
        opens = dt.datetime.combine(start, dt.time(), zone).astimezone(dt.UTC)
        following = following_period(start, self.period)
        closes = dt.datetime.combine(following, dt.time(), zone).astimezone(dt.UTC)
        return opens, closes

    def begun(self, start: dt.date) -> bool:
        """Whether the period beginning on ``start`` had begun by ``as_of``."""
        return self.bounds(start)[0] <= self.as_of

    def table(self) -> pa.Table:
        """A :data:`PERIODS` table of the periods that have begun by ``as_of``."""
        rows = []
        for start in self.starts():
            opens, closes = self.bounds(start)
            if opens > self.as_of:
                break
            counted = min(closes, self.as_of.astimezone(dt.UTC))
            rows.append(
                {
                    "period_start": start,
                    "opens_at": opens,
                    "closes_at": closes,
                    "counted_at": counted,
                }
            )
        return pa.Table.from_pylist(rows, schema=PERIODS)

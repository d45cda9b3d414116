"""The period a report covers: a month (``2026-10``) or a quarter (``2026Q3``), in the
agreement's zone, and the periods before it that trends show.

Pure: dates and zones only.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

from clearpact.durations import add_months

Kind = Literal["month", "quarter"]
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)


class PeriodError(ValueError):
    """A period that cannot be read; the message says how to write one."""


@dataclass(frozen=True)
class ReportPeriod:
    """``[start, end)`` local days of a month or a quarter in ``zone``.

    >>> p = ReportPeriod.parse_month("2026-10", "Europe/Berlin")
    >>> p.label, p.end.isoformat(), p.start_at.isoformat()
    ('October 2026', '2026-11-01', '2026-10-01T00:00:00+02:00')
    """

    kind: Kind
    start: dt.date
    end: dt.date
    zone: str

    @classmethod
    def parse_month(cls, text: str, zone: str) -> ReportPeriod:
        """``YYYY-MM``."""
        match = _MONTH.match(text.strip())
        if not match or not 1 <= int(match[2]) <= 12:
            raise PeriodError(f"{text!r} is not a month; write it as YYYY-MM, e.g. 2026-10")
        start = dt.date(int(match[1]), int(match[2]), 1)
        return cls("month", start, add_months(start, 1), zone)

    @classmethod
    def parse_quarter(cls, text: str, zone: str) -> ReportPeriod:
        """``YYYYQn`` (or ``YYYY-Qn``)."""
        match = _QUARTER.match(text.strip())
        if not match:
            raise PeriodError(f"{text!r} is not a quarter; write it as YYYYQn, e.g. 2026Q3")
        start = dt.date(int(match[1]), 3 * (int(match[2]) - 1) + 1, 1)
        return cls("quarter", start, add_months(start, 3), zone)

    @property
    def months(self) -> int:
        return 1 if self.kind == "month" else 3

    @property
    def label(self) -> str:
        """``October 2026`` or ``2026 Q3``."""
        if self.kind == "month":
            return f"{self.start:%B %Y}"
        return f"{self.start.year} Q{(self.start.month - 1) // 3 + 1}"

    @property
    def start_at(self) -> dt.datetime:
        """The first instant of the period."""
        return dt.datetime.combine(self.start, dt.time(), ZoneInfo(self.zone))

    @property
    def end_at(self) -> dt.datetime:
        """The first instant after the period."""
        return dt.datetime.combine(self.end, dt.time(), ZoneInfo(self.zone))

    def previous(self) -> ReportPeriod:
        """The period just before this one."""
        return ReportPeriod(self.kind, add_months(self.start, -self.months), self.start, self.zone)

    def trend(self, count: int = 12) -> list[ReportPeriod]:
        """The last ``count`` periods, this one last."""
        periods = [self]
        while len(periods) < count:
            periods.insert(0, periods[0].previous())
        return periods

    def contains(self, day: dt.date) -> bool:
        return self.start <= day < self.end

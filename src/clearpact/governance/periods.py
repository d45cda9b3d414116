"""The calendar periods a cadence divides time into: a monthly obligation is due once per
calendar month, a quarterly one per calendar quarter (January, April, July, October), a
semiannual one per half-year, an annual one per calendar year, a weekly one per ISO week
(Monday to Sunday) and a biweekly one per two weeks counted from the Monday of the anchor's week.

Pure: dates only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from clearpact.agreement.fields import Cadence
from clearpact.durations import add_months

_MONTHS = {Cadence.MONTHLY: 1, Cadence.QUARTERLY: 3, Cadence.SEMIANNUAL: 6, Cadence.ANNUAL: 12}


@dataclass(frozen=True)
class CadencePeriod:
    """``[start, end)`` days of one period of a cadence."""

    cadence: Cadence
    start: dt.date
    end: dt.date

    @property
    def last_day(self) -> dt.date:
        """The period's last day: an obligation of the period is due by it."""
        return self.end - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        """``October 2026``, ``2026 Q3``, ``2026 H1``, ``2026``, ``2026-W41`` or a day."""
        if self.cadence is Cadence.MONTHLY:
            return f"{self.start:%B %Y}"
        if self.cadence is Cadence.QUARTERLY:
            return f"{self.start.year} Q{(self.start.month - 1) // 3 + 1}"
        if self.cadence is Cadence.SEMIANNUAL:
            return f"{self.start.year} H{(self.start.month - 1) // 6 + 1}"
        if self.cadence is Cadence.ANNUAL:
            return str(self.start.year)
        if self.cadence is Cadence.WEEKLY:
            year, week, _ = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        if self.cadence is Cadence.BIWEEKLY:
            return f"{self.start.isoformat()} to {self.last_day.isoformat()}"
        return self.start.isoformat()

    def contains(self, day: dt.date) -> bool:
        return self.start <= day < self.end

    def next(self) -> CadencePeriod:
        """The period that follows."""
        return period_of(self.cadence, self.end, anchor=self.start)


def period_of(cadence: Cadence, day: dt.date, *, anchor: dt.date) -> CadencePeriod:
    """The period of ``cadence`` that holds ``day``; ``anchor`` (the term's first day) fixes
    where biweekly periods start.

    >>> period_of(Cadence.QUARTERLY, dt.date(2026, 8, 14), anchor=dt.date(2026, 1, 1)).label
    '2026 Q3'
    >>> p = period_of(Cadence.BIWEEKLY, dt.date(2026, 1, 14), anchor=dt.date(2026, 1, 1))
    >>> p.start, p.end  # weeks counted from Monday 29 December 2025
    (datetime.date(2026, 1, 12), datetime.date(2026, 1, 26))
    """
    if cadence in _MONTHS:
        size = _MONTHS[cadence]
        first_month = (day.month - 1) // size * size + 1
        start = dt.date(day.year, first_month, 1)
        return CadencePeriod(cadence, start, add_months(start, size))
    if cadence is Cadence.DAILY:
        return CadencePeriod(cadence, day, day + dt.timedelta(days=1))
    monday = day - dt.timedelta(days=day.weekday())
    if cadence is Cadence.WEEKLY:
        return CadencePeriod(cadence, monday, monday + dt.timedelta(days=7))
    first = anchor - dt.timedelta(days=anchor.weekday())
    start = first + dt.timedelta(days=(monday - first).days // 14 * 14)
    return CadencePeriod(cadence, start, start + dt.timedelta(days=14))


def periods_between(
    cadence: Cadence, first: dt.date, last: dt.date, *, anchor: dt.date
) -> list[CadencePeriod]:
    """Every period of ``cadence`` from the one holding ``first`` to the one holding ``last``.

    >>> [p.label for p in periods_between(Cadence.MONTHLY, dt.date(2026, 8, 20),
    ...                                   dt.date(2026, 10, 1), anchor=dt.date(2026, 1, 1))]
    ['August 2026', 'September 2026', 'October 2026']
    """
    periods = [period_of(cadence, first, anchor=anchor)]
    while periods[-1].end <= last:
        periods.append(period_of(cadence, periods[-1].end, anchor=anchor))
    return periods

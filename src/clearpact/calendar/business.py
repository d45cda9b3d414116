"""Compile a calendar spec to UTC windows; business time and due instants over them.

Conventions (also in the README):
- A window that crosses midnight belongs to the day it starts; a holiday removes the windows that
  start on its local date; a closure cuts its local times out of that date's windows.
- Nonexistent local times (the hour clocks skip in spring) resolve to the instant of the change;
  ambiguous ones (the hour repeated in autumn) start a window at their first occurrence and end it
  at their second, so agreed business time is never lost. Both are settled here, when the calendar
  is compiled, never per ticket.
- ``add(start, d)`` is the earliest instant at which the business time accrued since ``start``
  reaches ``d``: a duration that runs out exactly at a window's end ends there.
Times are held as integer microseconds since the Unix epoch (UTC), so results are exact.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import threading
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import holidays as holidays_lib
import numpy as np
import numpy.typing as npt

from clearpact.agreement.calendars import CalendarSpec, PublicHolidays, Weekday
from clearpact.agreement.fields import Window

US = 1_000_000
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
Micros = npt.NDArray[np.int64]


class NaiveDatetimeError(ValueError):
    """A datetime without a time zone was given where an instant is needed."""


def to_micros(instant: dt.datetime, zone: dt.tzinfo | None = None) -> int:
    """Microseconds since the epoch; a naive ``instant`` needs the ``zone`` it was written in."""
    if instant.tzinfo is None:
        if zone is None:
            raise NaiveDatetimeError(
                f"{instant.isoformat()} has no time zone; give an aware datetime, or state the zone "
                "it was written in"
            )
        instant = instant.replace(tzinfo=zone)
    delta = instant - _EPOCH
    return (delta.days * 86400 + delta.seconds) * US + delta.microseconds


def from_micros(micros: int, zone: dt.tzinfo) -> dt.datetime:
    """The instant ``micros`` as an aware datetime in ``zone``."""
    return (_EPOCH + dt.timedelta(microseconds=int(micros))).astimezone(zone)


HOUR = 3600 * US


@dataclass(frozen=True)
class _Table:
    """One compiled table: sorted windows and ``F`` at each window's start, for whole years.

    ``hourly[h]`` counts the window starts at or before the ``h``-th hour since ``base``, so the
    window an instant falls in is found with one look-up and one comparison instead of a binary
    search, wherever an hour holds at most one start (almost everywhere; the rest search).
    """

    starts: Micros
    ends: Micros
    before: Micros
    years: tuple[int, int]
    base: int = 0
    hourly: Micros = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    crowded: npt.NDArray[np.bool_] = field(default_factory=lambda: np.empty(0, dtype=bool))
    padded: Micros = field(default_factory=lambda: np.empty(0, dtype=np.int64))  # starts, +∞

    @classmethod
    def build(cls, starts: Micros, ends: Micros, before: Micros, years: tuple[int, int]) -> _Table:
        """A table with its hourly index (none beyond 60 years, where searching is cheaper)."""
        if starts.size == 0 or int(starts[-1] - starts[0]) > 60 * 366 * 24 * HOUR:
            return cls(starts, ends, before, years)
        base = int(starts[0]) // HOUR * HOUR
        hours = (int(starts[-1]) - base) // HOUR + 2
        bounds = base + np.arange(hours + 1, dtype=np.int64) * HOUR
        hourly = np.searchsorted(starts, bounds[:-1], side="right").astype(np.int64)
        last = np.searchsorted(starts, bounds[1:] - 1, side="right")
        padded = np.append(starts, np.iinfo(np.int64).max)
        return cls(starts, ends, before, years, base, hourly, (last - hourly) > 1, padded)

    def count(self, instants: Micros) -> Micros:
        """How many window starts are at or before each instant."""
        if self.hourly.size == 0:
            return np.searchsorted(self.starts, instants, side="right")
        hour = (instants - self.base) // HOUR
        outside = (hour < 0) | (hour >= self.hourly.size)
        hour = np.clip(hour, 0, self.hourly.size - 1)
        low = self.hourly[hour]
        counts = low + (self.padded[low] <= instants)
        search = outside | self.crowded[hour]
        if search.any():
            counts[search] = np.searchsorted(self.starts, instants[search], side="right")
        return counts

    def reach(self) -> int:
        """``F`` at the end of the table (0 when it holds no window)."""
        if self.before.size == 0:
            return 0
        return int(self.before[-1] + (self.ends[-1] - self.starts[-1]))

    def accrued(self, instants: Micros) -> Micros:
        """``F`` over this table; instants before its first window get ``F`` there."""
        if self.starts.size == 0:
            return np.zeros(instants.shape, dtype=np.int64)
        index = self.count(instants) - 1
        safe = np.maximum(index, 0)
        inside = np.minimum(instants, self.ends[safe]) - self.starts[safe]
        return self.before[safe] + np.clip(inside, 0, None)


class Calendar:
    """A compiled business calendar. Build it with :meth:`from_dict` or from a ``CalendarSpec``.

    >>> cal = Calendar.from_dict({"timezone": "UTC", "hours": {"mon": ["09:00-17:00"]}})
    >>> monday = dt.datetime(2026, 11, 23, 16, 0, tzinfo=dt.UTC)
    >>> cal.add(monday, dt.timedelta(hours=2)).isoformat()   # 1h on Monday, 1h next Monday
    '2026-11-30T10:00:00+00:00'
    """

    def __init__(self, spec: CalendarSpec) -> None:
        self.spec = spec
        self.zone = ZoneInfo(spec.timezone)
        self._origin: int | None = None  # the instant where F is 0 (see ``accrued``)
        self._lock = threading.Lock()
        self._compiled = False
        empty = np.empty(0, dtype=np.int64)
        self._table = _Table(empty, empty, empty, (0, 0))
        self.continuous = spec.is_24x7 and not spec.holidays and not spec.closures

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Calendar:
        """A calendar from one entry of an agreement's ``calendars:`` section."""
        return cls(CalendarSpec.model_validate(data))

    # -- scalar API -------------------------------------------------------------------------

    def elapsed(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """Business time from ``start`` to ``end`` (negative if ``end`` is earlier)."""
        a, b = to_micros(start), to_micros(end)
        self._cover(min(a, b), max(a, b))
        return dt.timedelta(
            microseconds=int(self.accrued(np.array([b]))[0] - self.accrued(np.array([a]))[0])
        )

    def add(self, start: dt.datetime, duration: dt.timedelta) -> dt.datetime:
        """The earliest instant at which ``duration`` of business time has accrued since ``start``,
        in the calendar's zone. A zero duration returns ``start``."""
        if duration < dt.timedelta(0):
            raise ValueError("a business duration to add must not be negative")
        micros = duration // dt.timedelta(microseconds=1)
        due = self.add_many(
            np.array([to_micros(start)], dtype=np.int64), np.array([micros], dtype=np.int64)
        )
        return from_micros(int(due[0]), self.zone)

    # -- vectorised API ---------------------------------------------------------------------

    def elapsed_many(self, starts: Micros, ends: Micros) -> Micros:
        """Business µs between paired epoch-µs arrays (one binary search per timestamp)."""
        if starts.size == 0:
            return np.empty(0, dtype=np.int64)
        self._cover(int(min(starts.min(), ends.min())), int(max(starts.max(), ends.max())))
        return self.accrued(ends) - self.accrued(starts)

    def add_many(self, starts: Micros, durations: Micros) -> Micros:
        """Due instants (epoch µs) for paired starts and business durations (µs, not negative)."""
        if starts.size == 0:
            return np.empty(0, dtype=np.int64)
        if (durations < 0).any():
            raise ValueError("a business duration to add must not be negative")
        self._cover(int(starts.min()), int(starts.max()))
        due = self.instants_at(self.accrued(starts) + durations)
        return np.where(durations == 0, starts, due)

    # -- compiled table ---------------------------------------------------------------------

    @property
    def compiled_years(self) -> tuple[int, int] | None:
        """The first and last local year compiled so far, or None before the first use."""
        return self._table.years if self._compiled else None

    def windows(self) -> tuple[Micros, Micros]:
        """Starts and ends of the compiled windows, from one table (safe while another thread
        grows it)."""
        table = self._table
        return table.starts, table.ends

    @property
    def starts(self) -> Micros:
        """Start of each compiled window (epoch µs), sorted; windows never overlap."""
        return self._table.starts

    @property
    def ends(self) -> Micros:
        """End of each compiled window (epoch µs)."""
        return self._table.ends

    @property
    def before(self) -> Micros:
        """``F`` at the start of each compiled window."""
        return self._table.before

    def _accrued(self, instants: Micros) -> Micros:
        """``F`` over the compiled table (one snapshot: another thread may swap in a grown one)."""
        return self._table.accrued(instants)

    def accrued(self, instants: Micros) -> Micros:
        """``F(t)``: business µs from a fixed origin up to each instant (epoch µs).

        The origin is fixed when the calendar is first compiled and never moves, so values from
        different calls can be subtracted; ``elapsed = F(b) - F(a)``. Call :meth:`prepare` first
        with the range the instants span. A calendar that never stops (24x7, no holidays, no
        closures) needs no table: there ``F(t) = t``.
        """
        if self.continuous:
            return instants.astype(np.int64, copy=True)
        return self._accrued(instants)

    def instants_at(self, accrued: Micros) -> Micros:
        """``F⁻¹``: the earliest instant (epoch µs) at which ``F`` reaches each value; a value at
        the end of a window maps to that end. Extends the compiled range forward as needed."""
        if accrued.size == 0:
            return np.empty(0, dtype=np.int64)
        if self.continuous:
            return accrued.astype(np.int64, copy=True)
        goal = int(accrued.max())
        with self._lock:
            # Each growth recompiles every year, so jump to the years the missing time needs at
            # this calendar's yearly rate instead of creeping forward: a typo such as '100000w'
            # must fail at once, not after minutes.
            while (reach := self._table.reach()) < goal:
                first, last = self._table.years
                before = self._table.before
                held = reach - int(before[0]) if before.size else 0
                per_year = held / (last - first + 1)
                needed = (goal - reach) / per_year if per_year else math.inf
                if last + needed - first > 400:
                    raise ValueError(
                        "the calendar has too little business time to reach this duration "
                        "within 400 years"
                    )
                self._compile(first, last + max(2, math.ceil(needed) + 1))
        table = self._table
        reached = table.before + (table.ends - table.starts)
        index = np.searchsorted(reached, accrued, side="left")
        return table.starts[index] + (accrued - table.before[index])

    def prepare(self, low: int, high: int) -> None:
        """Compile the windows around instants from ``low`` to ``high`` (epoch µs), so that
        :meth:`accrued` is exact for them. Safe to call from several threads."""
        self._cover(low, high)

    def _cover(self, low: int, high: int) -> None:
        if self.continuous:
            return  # F(t) = t needs no table
        first = from_micros(low, dt.UTC).year - 1
        last = from_micros(high, dt.UTC).year + 1
        with self._lock:
            years = self.compiled_years
            if years is None or first < years[0] or last > years[1]:
                years = years or (first, last)
                self._compile(min(first, years[0]), max(last, years[1]))

    def _compile(self, first_year: int, last_year: int) -> None:
        """Build the UTC windows for local dates in [first_year, last_year] (whole years) and
        swap them in as one table. Callers hold the lock."""
        windows = self._local_windows(dt.date(first_year, 1, 1), dt.date(last_year, 12, 31))
        if windows:
            merged: list[list[int]] = []
            for start, end in sorted(windows):
                if merged and start <= merged[-1][1]:
                    merged[-1][1] = max(merged[-1][1], end)
                else:
                    merged.append([start, end])
            spans = np.array(merged, dtype=np.int64)
        else:
            spans = np.empty((0, 2), dtype=np.int64)
        starts, ends = spans[:, 0].copy(), spans[:, 1].copy()
        lengths = ends - starts
        before = (
            np.concatenate(([0], np.cumsum(lengths)[:-1])).astype(np.int64)
            if lengths.size
            else lengths
        )
        grown = _Table.build(starts, ends, before, (first_year, last_year))
        # Keep F's origin where it was: F(origin) stays 0 when the table grows in either direction.
        if self._origin is None:
            self._origin = int(starts[0]) if starts.size else 0
        elif starts.size:
            shift = int(grown.accrued(np.array([self._origin], dtype=np.int64))[0])
            grown = _Table.build(starts, ends, before - shift, (first_year, last_year))
        self._table = grown
        self._compiled = True

    def _local_windows(self, first: dt.date, last: dt.date) -> list[tuple[int, int]]:
        spec = self.spec
        weekly: dict[int, list[Window]]
        if isinstance(spec.hours, str):
            whole_day = Window("00:00-24:00", 0, 1440)
            weekly = {day: [whole_day] for day in range(7)}
        else:
            weekly = {Weekday(day).number: list(ws) for day, ws in spec.hours.items()}
        off_days = self._holidays(first.year, last.year)
        result: list[tuple[int, int]] = []
        day = first
        while day <= last:
            if day not in off_days:
                cuts = [self._utc_span(day, w) for w in spec.closures.get(day, [])]
                for window in weekly.get(day.weekday(), []):
                    result.extend(_subtract(self._utc_span(day, window), cuts))
            day += dt.timedelta(days=1)
        return result

    def _holidays(self, first_year: int, last_year: int) -> set[dt.date]:
        days: set[dt.date] = set()
        years = range(first_year, last_year + 1)
        for entry in self.spec.holidays:
            if isinstance(entry, PublicHolidays):
                table = holidays_lib.country_holidays(
                    entry.country, subdiv=entry.subdivision, years=years
                )
                days.update(table.keys())
            elif isinstance(entry, str):
                month, mday = (int(p) for p in entry.split("-"))
                for year in years:
                    if mday <= calendar.monthrange(year, month)[1]:  # 02-29 only in leap years
                        days.add(dt.date(year, month, mday))
            else:
                days.add(entry)
        return days

    def _utc_span(self, day: dt.date, window: Window) -> tuple[int, int]:
        start_day = dt.datetime.combine(day, dt.time())
        end_day = start_day + dt.timedelta(days=1 if window.crosses_midnight else 0)
        start = self._resolve(start_day + dt.timedelta(minutes=window.start), first=True)
        end = self._resolve(end_day + dt.timedelta(minutes=window.end), first=False)
        return start, end

    def _resolve(self, wall: dt.datetime, *, first: bool) -> int:
        """A local wall time as epoch µs: a skipped time maps to the instant of the change; a
        repeated one to its first occurrence (``first``) or its second."""
        early = to_micros(wall.replace(tzinfo=self.zone, fold=0))
        late = to_micros(wall.replace(tzinfo=self.zone, fold=1))
        if early == late:
            return early
        exists = from_micros(early, self.zone).replace(tzinfo=None) == wall
        if exists:  # repeated hour: fold 0 is the first occurrence
            return min(early, late) if first else max(early, late)
        # Skipped hour: find the change between the two readings (to the second).
        low, high = min(early, late), max(early, late)
        offset_low = from_micros(low, self.zone).utcoffset()
        while high - low > US:
            middle = (low + high) // 2 // US * US
            if middle <= low:
                break
            if from_micros(middle, self.zone).utcoffset() == offset_low:
                low = middle
            else:
                high = middle
        return high


def _subtract(span: tuple[int, int], cuts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    pieces = [span]
    for cut_start, cut_end in cuts:
        next_pieces = []
        for start, end in pieces:
            if cut_end <= start or cut_start >= end:
                next_pieces.append((start, end))
                continue
            if start < cut_start:
                next_pieces.append((start, cut_start))
            if cut_end < end:
                next_pieces.append((cut_end, end))
        pieces = next_pieces
    return [p for p in pieces if p[1] > p[0]]

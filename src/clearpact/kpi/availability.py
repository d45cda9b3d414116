"""Availability per service and period from outages, net of agreed maintenance, in NumPy.

Pure: Arrow tables and a compiled maintenance calendar in, an Arrow table out; reads no files.
Imports NumPy, pyarrow and :mod:`clearpact.calendar`.

The rules, per service and period (months, quarters or years in the stated ``zone``, clipped to
``[start, end)``):

- **Downtime** is the union of the service's outages: overlapping or repeated outages count once.
  An outage still open (``end_at`` null) runs to ``end``; outages are clipped to the period.
- **Excluded maintenance** is planned downtime inside the agreed maintenance windows (the
  business windows of the maintenance calendar, ``Maintenance.calendar``), less any unplanned
  downtime at the same time. The agreement excludes maintenance "when done in its windows and
  announced": a ``planned`` outage is taken as announced (the notice is the importer's or the
  reviewer's to check); planned time outside the windows counts as downtime, and unplanned
  downtime counts even inside a window. Without a calendar nothing is excluded.
  ``max_excluded`` (``Maintenance.max_per_period``) caps the exclusion per period; the rest
  counts as downtime.
- **Availability** = (period − excluded − downtime) / (period − excluded) × 100, null when
  maintenance fills the whole period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import cast
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from clearpact.agreement.model import Agreement
from clearpact.agreement.slas import AvailabilitySla
from clearpact.calendar.business import US, Calendar, Micros, to_micros
from clearpact.calendar.queries import calendar_named
from clearpact.kpi.attainment import Period

AVAILABILITY = pa.schema(
    [
        pa.field("service", pa.string(), nullable=False),
        pa.field("period", pa.date32(), nullable=False),  # first local day of the period
        pa.field("period_start", pa.timestamp("us", tz="UTC"), nullable=False),  # clipped
        pa.field("period_end", pa.timestamp("us", tz="UTC"), nullable=False),  # to [start, end)
        pa.field("period_seconds", pa.float64(), nullable=False),
        pa.field("excluded_seconds", pa.float64(), nullable=False),  # agreed maintenance
        pa.field("downtime_seconds", pa.float64(), nullable=False),  # counted downtime
        pa.field("availability", pa.float64()),  # percent; null when all was maintenance
    ]
)
"""One row per service and period, every service and period present even without outages."""

_MONTHS = {"month": 1, "quarter": 3, "year": 12}


def availability(
    outages: pa.Table,
    *,
    services: Iterable[str],
    start: dt.datetime,
    end: dt.datetime,
    zone: str,
    period: Period = "month",
    maintenance_calendar: Calendar | None = None,
    max_excluded: dt.timedelta | None = None,
) -> pa.Table:
    """Availability of each of ``services`` in each period from ``start`` to ``end`` (aware
    datetimes; ``end`` excluded), from an ``OUTAGES`` table. Outages of other services are
    ignored. ``zone`` is the IANA zone whose months (quarters, years) are the periods; it has no
    default, so that periods are never silently UTC. Seconds are exact to the microsecond.

    >>> UTC = dt.UTC
    >>> from clearpact.ingest.schema import OUTAGES
    >>> down = {"service": "web", "start_at": dt.datetime(2026, 2, 1, tzinfo=UTC),
    ...         "end_at": dt.datetime(2026, 2, 1, 0, 40, 19, tzinfo=UTC), "planned": False}
    >>> table = availability(pa.Table.from_pylist([down], schema=OUTAGES), services=["web"],
    ...     start=dt.datetime(2026, 2, 1, tzinfo=UTC), end=dt.datetime(2026, 3, 1, tzinfo=UTC),
    ...     zone="UTC")
    >>> round(table.column("availability")[0].as_py(), 3)   # 40m19s of 28 days: 99.9%
    99.9
    """
    low, high = to_micros(start), to_micros(end)
    if high <= low:
        raise ValueError(f"end ({end.isoformat()}) must be after start ({start.isoformat()})")
    bounds = _period_bounds(start, end, ZoneInfo(zone), _MONTHS[period])
    cap = None if max_excluded is None else max_excluded // dt.timedelta(microseconds=1)
    columns: dict[str, list[object]] = {name: [] for name in AVAILABILITY.names}
    for service in dict.fromkeys(services):
        mine = _outages_of(outages, service, high)
        everything = _union(mine[0], mine[1])
        planned = _union(mine[0][mine[2]], mine[1][mine[2]])
        unplanned = _union(mine[0][~mine[2]], mine[1][~mine[2]])
        only_planned = _subtract(planned, unplanned)
        for label, (period_start, period_end) in bounds:
            length = period_end - period_start
            down = _measure(everything, period_start, period_end)
            excluded = _inside_windows(only_planned, period_start, period_end, maintenance_calendar)
            if cap is not None:
                excluded = min(excluded, cap)
            counted = down - excluded
            net = length - excluded
            columns["service"].append(service)
            columns["period"].append(label)
            columns["period_start"].append(period_start)
            columns["period_end"].append(period_end)
            columns["period_seconds"].append(length / US)
            columns["excluded_seconds"].append(excluded / US)
            columns["downtime_seconds"].append(counted / US)
            columns["availability"].append(100 * (net - counted) / net if net else None)
    arrays = [
        pa.array(columns[f.name], type=pa.int64()).cast(f.type)
        if pa.types.is_timestamp(f.type)
        else pa.array(columns[f.name], type=f.type)
        for f in AVAILABILITY
    ]
    return pa.Table.from_arrays(arrays, schema=AVAILABILITY)


Intervals = tuple[Micros, Micros]


def _period_bounds(
    start: dt.datetime, end: dt.datetime, zone: ZoneInfo, months: int
) -> list[tuple[dt.date, tuple[int, int]]]:
    """Each period's first local day and its bounds in epoch µs, clipped to [start, end)."""
    local = start.astimezone(zone)
    first_month = (local.month - 1) // months * months  # 0-based month that opens the period
    day = dt.date(local.year, first_month + 1, 1)
    low, high = to_micros(start), to_micros(end)
    result: list[tuple[dt.date, tuple[int, int]]] = []
    while True:
        following_month = day.month - 1 + months
        following = dt.date(day.year + following_month // 12, following_month % 12 + 1, 1)
        opens = to_micros(dt.datetime.combine(day, dt.time(), zone))
        closes = to_micros(dt.datetime.combine(following, dt.time(), zone))
        if opens >= high:
            return result
        result.append((day, (max(opens, low), min(closes, high))))
        day = following


def _outages_of(outages: pa.Table, service: str, end: int) -> tuple[Micros, Micros, np.ndarray]:
    """Starts, ends (an open outage ends at ``end``) and planned flags of one service."""
    services = np.asarray(outages.column("service").to_numpy(zero_copy_only=False))
    mask = services == service
    starts = outages.column("start_at").cast(pa.int64()).to_numpy(zero_copy_only=False)[mask]
    raw_ends = outages.column("end_at").cast(pa.int64()).fill_null(end)
    ends = raw_ends.to_numpy(zero_copy_only=False)[mask]
    planned = np.asarray(outages.column("planned").to_numpy(zero_copy_only=False), dtype=bool)[mask]
    return starts.astype(np.int64), ends.astype(np.int64), planned


def _union(starts: Micros, ends: Micros) -> Intervals:
    """Sorted, disjoint intervals covering the same time; empty and reversed ones dropped.

    >>> _union(np.array([5, 0, 2, 9]), np.array([7, 3, 4, 9]))
    (array([0, 5]), array([4, 7]))
    """
    keep = ends > starts
    order = np.argsort(starts[keep], kind="stable")
    starts, ends = starts[keep][order], ends[keep][order]
    if starts.size == 0:
        return starts, ends
    reach = np.maximum.accumulate(ends)
    opens = np.concatenate(([True], starts[1:] > reach[:-1]))
    groups = np.cumsum(opens) - 1
    merged_ends = np.zeros(int(groups[-1]) + 1, dtype=np.int64)
    np.maximum.at(merged_ends, groups, ends)
    return starts[opens], merged_ends


def _subtract(a: Intervals, b: Intervals) -> Intervals:
    """The time of ``a`` outside ``b`` (both sorted and disjoint), as sorted disjoint pieces."""
    if a[0].size == 0 or b[0].size == 0:
        return a
    points = np.unique(np.concatenate([a[0], a[1], b[0], b[1]]))
    left, right = points[:-1], points[1:]
    keep = _covers(a, left) & ~_covers(b, left)
    return left[keep], right[keep]


def _covers(intervals: Intervals, instants: Micros) -> np.ndarray:
    """Whether each instant lies in one of the sorted, disjoint ``[start, end)`` intervals."""
    index = np.searchsorted(intervals[0], instants, side="right") - 1
    safe = np.maximum(index, 0)
    return (index >= 0) & (instants < intervals[1][safe])


def _measure(intervals: Intervals, low: int, high: int) -> int:
    """µs of disjoint ``intervals`` inside ``[low, high)``."""
    lengths = np.clip(intervals[1], low, high) - np.clip(intervals[0], low, high)
    return int(lengths.sum())


def _inside_windows(intervals: Intervals, low: int, high: int, calendar: Calendar | None) -> int:
    """µs of disjoint ``intervals`` inside ``[low, high)`` that fall in the calendar's windows:
    the calendar's business time between each piece's ends, ``F(b) − F(a)``."""
    if calendar is None or intervals[0].size == 0:
        return 0
    starts, ends = np.clip(intervals[0], low, high), np.clip(intervals[1], low, high)
    keep = ends > starts
    if not keep.any():
        return 0
    return int(calendar.elapsed_many(starts[keep], ends[keep]).sum())


def agreement_availability(
    agreement: Agreement, outages: pa.Table, checks: pa.Table, *, as_of: dt.datetime
) -> pa.Table:
    """:func:`availability` for each availability SLA of ``agreement``, with its ``sla`` and
    ``target`` (percent) on every row.

    Measured only where monitoring looked: from the later of the agreement's first day and the
    first check or outage of the service, to the earlier of ``as_of``, the agreement's last day
    and the service's last check or outage end. A service of the SLA that no check or outage
    names gets no rows (no data is not 100%).
    """
    zone = agreement.home_zone
    tz = ZoneInfo(zone)
    parts = []
    for key, sla in agreement.slas.items():
        if not isinstance(sla, AvailabilitySla):
            continue
        calendar = None
        cap = None
        if sla.maintenance is not None:
            calendar = calendar_named(agreement.calendars, sla.maintenance.calendar)
            if sla.maintenance.max_per_period is not None:
                cap = dt.timedelta(seconds=sla.maintenance.max_per_period.seconds)
        period = cast(Period, str(sla.period or "month"))
        for service in sla.services:
            span = _watched(service, outages, checks)
            if span is None:
                continue
            start, end = span
            if agreement.term is not None:
                start = max(start, dt.datetime.combine(agreement.term.start, dt.time(), tz))
                last = agreement.term.end
                if last is not None:
                    end = min(end, dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tz))
            end = min(end, as_of)
            if end <= start:
                continue
            table = availability(
                outages,
                services=[service],
                start=start,
                end=end,
                zone=zone,
                period=period,
                maintenance_calendar=calendar,
                max_excluded=cap,
            )
            n = table.num_rows
            target = None if sla.target is None else float(sla.target)
            table = table.add_column(0, "sla", pa.array([key] * n, pa.string()))
            parts.append(table.append_column("target", pa.array([target] * n, pa.float64())))
    schema = AVAILABILITY.insert(0, pa.field("sla", pa.string())).append(
        pa.field("target", pa.float64())
    )
    return pa.concat_tables(parts).cast(schema) if parts else schema.empty_table()


def _watched(
    service: str, outages: pa.Table, checks: pa.Table
) -> tuple[dt.datetime, dt.datetime] | None:
    """The first and last instant monitoring says anything about ``service``."""
    instants: list[dt.datetime] = []
    for table, columns in ((checks, ("at",)), (outages, ("start_at", "end_at"))):
        mine = table.filter(pc.equal(table["service"], service))
        for column in columns:
            values = [v for v in mine[column].to_pylist() if v is not None]
            instants.extend(values)
    if not instants:
        return None
    return min(instants), max(instants)

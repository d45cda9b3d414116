"""First response time and time to resolve (MTTR), in business seconds, per period: count, mean
and percentiles of the clocks an SLA stopped, from the clock's result rows, in DuckDB SQL.

The rules (``docs/kpis.md`` has them with their sources):

- the durations are the clock's own: ``elapsed_business_s`` of the result rows of one SLA, which
  counts business time on the SLA's calendar and leaves out paused time; which SLA is the caller's
  choice (:func:`clock_sla` picks it from an agreement);
- a clock counts in the period (in ``periods.zone``) in which it stopped, when it stopped by
  ``as_of``; clocks still running are not durations yet and are left out (the backlog shows them);
  each stopped row counts, so a reopening measured as a new cycle is a second duration;
- percentiles interpolate linearly between the two nearest ranks: with the n durations sorted,
  the q-quantile sits at rank ``(n − 1)·q`` (0-based) — NumPy's default ``linear`` method,
  Hyndman & Fan's type 7, DuckDB's ``quantile_cont``. One duration is its own p50 and p90.
Imports DuckDB (through :mod:`clearpact.kpi.sql`) and pyarrow; reads no files.
"""

from __future__ import annotations

import pyarrow as pa

from clearpact.agreement.model import Agreement
from clearpact.agreement.slas import TicketSla
from clearpact.kpi.periods import Periods
from clearpact.kpi.sql import run

DURATIONS = pa.schema(
    [
        pa.field("period_start", pa.date32(), nullable=False),
        pa.field("priority", pa.string()),  # only with by_priority
        pa.field("clocks", pa.int64(), nullable=False),  # stopped clocks in the period
        pa.field("mean_s", pa.float64()),  # business seconds; null without clocks
        pa.field("p50_s", pa.float64()),
        pa.field("p90_s", pa.float64()),
    ]
)
"""One row per period (and priority with ``by_priority``); every begun period is present."""

_SQL = """
WITH stopped AS (
    SELECT stop_at, priority::VARCHAR AS priority, elapsed_business_s AS seconds
    FROM results
    WHERE sla::VARCHAR = $sla AND stop_at IS NOT NULL AND stop_at <= $as_of
      AND elapsed_business_s IS NOT NULL
)
SELECT p.period_start, {priority} AS priority,
    count(s.seconds) AS clocks,
    avg(s.seconds) AS mean_s,
    quantile_cont(s.seconds, 0.5) AS p50_s,
    quantile_cont(s.seconds, 0.9) AS p90_s
FROM periods p
LEFT JOIN stopped s ON s.stop_at >= p.opens_at AND s.stop_at < p.closes_at
GROUP BY ALL
ORDER BY p.period_start, priority NULLS FIRST
"""


def business_durations(
    results: pa.Table, *, sla: str, periods: Periods, by_priority: bool = False
) -> pa.Table:
    """Count, mean, p50 and p90 of the business seconds of the clocks of ``sla`` (the SLA's key)
    that stopped in each period, from a ``RESULTS`` table. A period without stopped clocks has
    ``clocks`` 0 and null statistics. With ``by_priority`` a row per period and priority that
    had clocks (a period without any keeps one row with a null priority).

    >>> import datetime as dt
    >>> from clearpact.clock.tables import RESULTS
    >>> def row(hours):
    ...     return {"ticket_id": f"T{hours}", "sla": "resolution", "metric": "resolution",
    ...             "cycle": 0, "state": "met", "at_risk": False,
    ...             "stop_at": dt.datetime(2026, 3, 2, tzinfo=dt.UTC),
    ...             "elapsed_business_s": hours * 3600.0}
    >>> results = pa.Table.from_pylist([row(1), row(2), row(3), row(10)], schema=RESULTS)
    >>> periods = Periods("UTC", "month", dt.date(2026, 3, 1), dt.date(2026, 3, 1),
    ...                   as_of=dt.datetime(2026, 4, 1, tzinfo=dt.UTC))
    >>> out = business_durations(results, sla="resolution", periods=periods).to_pylist()[0]
    >>> [out["clocks"]] + [round(out[k] / 3600, 6) for k in ("mean_s", "p50_s", "p90_s")]
    [4, 4.0, 2.5, 7.9]
    """
    table = run(
        _SQL.format(priority="s.priority" if by_priority else "NULL::VARCHAR"),
        {"results": results, "periods": periods.table()},
        {"sla": sla, "as_of": periods.as_of},
    )
    return table.cast(DURATIONS)


def first_response_times(
    results: pa.Table, *, sla: str, periods: Periods, by_priority: bool = False
) -> pa.Table:
    """:func:`business_durations` of a first-response SLA: business time from the clock's start
    (usually the ticket's creation) to the first response as the SLA defines it."""
    return business_durations(results, sla=sla, periods=periods, by_priority=by_priority)


def mttr(results: pa.Table, *, sla: str, periods: Periods, by_priority: bool = False) -> pa.Table:
    """:func:`business_durations` of a resolution SLA (or a restoration SLA, for mean time to
    restore): business time from the clock's start to the resolution, pauses excluded."""
    return business_durations(results, sla=sla, periods=periods, by_priority=by_priority)


def clock_sla(agreement: Agreement, metric: str, named: str | None = None) -> str | None:
    """The SLA whose clocks feed a duration KPI: ``named`` (a KPI's ``sla:``) when given and it
    is a ticket SLA, else the first ticket SLA of the agreement whose metric is ``metric``
    (``first_response`` or ``resolution``); None when there is none.

    >>> from clearpact.agreement.model import Agreement
    >>> a = Agreement.model_validate({"version": "clearpact/v1", "title": "t",
    ...     "parties": {"provider": {"name": "P"}, "customer": {"name": "C"}},
    ...     "slas": {"fix": {"metric": "resolution"}, "restore": {"metric": "restoration"}}})
    >>> clock_sla(a, "resolution"), clock_sla(a, "resolution", "restore"), clock_sla(a, "first_response")
    ('fix', 'restore', None)
    """
    if named is not None:
        return named if isinstance(agreement.slas.get(named), TicketSla) else None
    for key, sla in agreement.slas.items():
        if isinstance(sla, TicketSla) and sla.metric == metric:
            return key
    return None

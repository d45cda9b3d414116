"""Attainment per SLA, priority and period, from the clock's result rows, in DuckDB SQL.

A clock counts in the period (in the agreement's time zone) in which it stopped; an open clock
that has already breached counts as a breach in the period it breached; an open clock within its
target is not judged yet and is reported as open. Attainment is met / (met + breached).
Imports DuckDB and pyarrow; reads no files.
"""

from __future__ import annotations

from typing import Literal

import duckdb
import pyarrow as pa

Period = Literal["month", "quarter", "year"]

_SQL = """
WITH judged AS (
    SELECT
        sla,
        priority,
        state,
        date_trunc($period, timezone($zone, CASE WHEN state = 'open_breached'
                                                  THEN breached_at ELSE stop_at END)) AS period
    FROM results
    WHERE state <> 'no_target'
)
SELECT
    sla,
    priority,
    CAST(period AS DATE) AS period_start,
    count(*) FILTER (WHERE state = 'met') AS met,
    count(*) FILTER (WHERE state IN ('breached', 'open_breached')) AS breached,
    count(*) FILTER (WHERE state = 'open') AS open,
    met / nullif(met + breached, 0) AS attainment
FROM judged
GROUP BY ALL
ORDER BY sla, priority, period_start NULLS LAST
"""


def attainment(results: pa.Table, *, zone: str = "UTC", period: Period = "month") -> pa.Table:
    """One row per SLA, priority and period: ``met``, ``breached``, ``open`` and
    ``attainment`` (null when nothing was judged). Open clocks within their target have no
    period yet: they form one row per SLA and priority with a null ``period_start``.

    >>> import datetime as dt
    >>> from clearpact.clock.tables import RESULTS
    >>> row = {"ticket_id": "T1", "sla": "resolution", "metric": "resolution", "cycle": 0,
    ...        "priority": "P2", "state": "met", "at_risk": False,
    ...        "stop_at": dt.datetime(2026, 1, 31, 23, 30, tzinfo=dt.UTC)}
    >>> table = pa.Table.from_pylist([row], schema=RESULTS)
    >>> attainment(table, zone="Europe/Berlin").to_pylist()[0]["period_start"]
    datetime.date(2026, 2, 1)
    """
    connection = duckdb.connect()
    try:
        connection.register("results", results)
        return connection.sql(_SQL, params={"period": period, "zone": zone}).to_arrow_table()
    finally:
        connection.close()


_BY_STATE = """
SELECT sla::VARCHAR AS sla, priority::VARCHAR AS priority, grouping(priority) = 1 AS all_priorities,
    count(*) AS rows,
    count(*) FILTER (WHERE state = 'met') AS met,
    count(*) FILTER (WHERE state IN ('breached', 'open_breached')) AS breached,
    count(*) FILTER (WHERE state = 'open') AS open,
    count(*) FILTER (WHERE at_risk) AS at_risk,
    count(*) FILTER (WHERE state = 'no_target') AS no_target
FROM results
GROUP BY GROUPING SETS ((sla), (sla, priority))
ORDER BY sla, grouping(priority) DESC, priority
"""


def clocks_by_state(results: pa.Table) -> pa.Table:
    """Clocks of every period by state, per SLA (``all_priorities``) and per SLA and priority
    (null for tickets without one): ``rows``, ``met``, ``breached`` (an open clock past its
    target included), ``open``, ``at_risk`` and ``no_target``."""
    connection = duckdb.connect()
    try:
        connection.register("results", results)
        return connection.sql(_BY_STATE).to_arrow_table()
    finally:
        connection.close()

"""One DuckDB query over in-memory Arrow tables, for the KPI modules: a fresh connection in UTC,
the tables registered under their names, the result as an Arrow table. Reads no files."""

from __future__ import annotations

from collections.abc import Mapping

import duckdb
import pyarrow as pa


def run(sql: str, tables: Mapping[str, pa.Table], params: Mapping[str, object]) -> pa.Table:
    """The result of ``sql`` with each of ``tables`` registered as a view of its name.

    The session zone is UTC, so instants come back as ``timestamp[us, tz=UTC]`` whatever the
    machine's zone; local periods are the caller's business (see :mod:`clearpact.kpi.periods`).

    >>> run("SELECT count(*) AS n FROM t WHERE x > $low", {"t": pa.table({"x": [1, 2, 3]})},
    ...     {"low": 1}).to_pylist()
    [{'n': 2}]
    """
    connection = duckdb.connect()
    try:
        connection.execute("SET TimeZone = 'UTC'")
        for name, table in tables.items():
            connection.register(name, table)
        return connection.sql(sql, params=dict(params)).to_arrow_table()
    finally:
        connection.close()

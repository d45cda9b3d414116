"""Customer satisfaction (CSAT) per period from survey answers on the 1–5 scale: the mean rating,
and the share of answers that are 4 or 5 ("satisfied"), in DuckDB SQL.

An answer counts in the period (in ``periods.zone``) in which it was given, when given by
``as_of``. Answers about a ticket and about the service in general count alike. A rating outside
1–5 is not an answer on the scale: it is left out of both figures and counted in
``out_of_scale``, so that an import that forgot to map its scale shows instead of skewing the
mean. Imports DuckDB (through :mod:`clearpact.kpi.sql`) and pyarrow; reads no files.
"""

from __future__ import annotations

import pyarrow as pa

from clearpact.kpi.periods import Periods
from clearpact.kpi.sql import run

CSAT = pa.schema(
    [
        pa.field("period_start", pa.date32(), nullable=False),
        pa.field("answers", pa.int64(), nullable=False),  # ratings of 1 to 5
        pa.field("mean_rating", pa.float64()),  # 1.0–5.0; null without answers
        pa.field("satisfied", pa.int64(), nullable=False),  # ratings of 4 or 5
        pa.field("satisfied_percent", pa.float64()),  # satisfied / answers × 100
        pa.field("out_of_scale", pa.int64(), nullable=False),  # ratings outside 1–5, left out
    ]
)
"""One row per begun period, periods without answers included."""

_SQL = """
SELECT p.period_start,
    count(s.rating) FILTER (WHERE s.rating BETWEEN 1 AND 5) AS answers,
    avg(s.rating) FILTER (WHERE s.rating BETWEEN 1 AND 5) AS mean_rating,
    count(s.rating) FILTER (WHERE s.rating BETWEEN 4 AND 5) AS satisfied,
    100.0 * count(s.rating) FILTER (WHERE s.rating BETWEEN 4 AND 5)
        / nullif(count(s.rating) FILTER (WHERE s.rating BETWEEN 1 AND 5), 0) AS satisfied_percent,
    count(s.rating) FILTER (WHERE NOT s.rating BETWEEN 1 AND 5) AS out_of_scale
FROM periods p
LEFT JOIN (SELECT "at", rating FROM surveys WHERE "at" <= $as_of) s
  ON s."at" >= p.opens_at AND s."at" < p.closes_at
GROUP BY p.period_start
ORDER BY p.period_start
"""


def csat(surveys: pa.Table, *, periods: Periods) -> pa.Table:
    """Mean rating and satisfied share per period, from a ``SURVEYS`` table.

    >>> import datetime as dt
    >>> from clearpact.ingest.schema import SURVEYS
    >>> at = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
    >>> surveys = pa.Table.from_pylist([{"survey_id": str(r), "at": at, "rating": r}
    ...                                 for r in (5, 4, 4, 2)], schema=SURVEYS)
    >>> periods = Periods("UTC", "month", at.date(), at.date(), as_of=at)
    >>> row = csat(surveys, periods=periods).to_pylist()[0]
    >>> row["mean_rating"], row["satisfied_percent"]   # (5+4+4+2)/4; 3 of 4 are 4 or 5
    (3.75, 75.0)
    """
    tables = {"surveys": surveys, "periods": periods.table()}
    return run(_SQL, tables, {"as_of": periods.as_of}).cast(CSAT)

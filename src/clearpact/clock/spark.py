"""The clock kernel inside PySpark, for ticket data that lives beyond one machine.

Tickets and events are grouped by a hash of ``ticket_id`` and each group's Arrow tables go to the
same :func:`clearpact.clock.compute` the local runner uses (``cogroup().applyInArrow``), so the
results are the same rows. An adapter: PySpark is an optional dependency (``pip install
'clearpact[spark]'``) and is imported only here.

Events at the same instant keep their order in the input DataFrame (numbered before the
shuffle), as the local runner keeps the file's order. :func:`rejected_spark` gives the events the
kernel cannot place, with the kernel's reasons; the run's counts (duplicates, events before
creation …) stay inside the executors in this version.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pyarrow as pa

from clearpact.agreement.model import Agreement
from clearpact.clock.kernel import compute
from clearpact.clock.points import KIND_CODES, NO_TICKET, NO_TIME, NO_VALUE, UNKNOWN_KIND
from clearpact.clock.tables import RESULTS, StatusMeanings

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

PLAIN_RESULTS = pa.schema(
    [
        field.with_type(pa.string()) if pa.types.is_dictionary(field.type) else field
        for field in RESULTS
    ]
)
"""The result schema with plain strings, as Spark exchanges Arrow data."""

_SPARK_TYPES = {
    pa.string(): "string",
    pa.int32(): "int",
    pa.float64(): "double",
    pa.bool_(): "boolean",
}


def spark_schema() -> str:
    """The result schema as a Spark DDL string."""
    parts = []
    for field in PLAIN_RESULTS:
        kind = "timestamp" if pa.types.is_timestamp(field.type) else _SPARK_TYPES[field.type]
        parts.append(f"{field.name} {kind}")
    return ", ".join(parts)


def plain(results: pa.Table) -> pa.Table:
    """Result rows with dictionary-encoded text turned into plain strings."""
    return results.cast(PLAIN_RESULTS)


def measure_spark(
    agreement: Agreement,
    tickets: DataFrame,
    events: DataFrame,
    *,
    as_of: dt.datetime,
    statuses: StatusMeanings | None = None,
    partitions: int = 16,
) -> DataFrame:
    """A Spark DataFrame of result rows (:data:`PLAIN_RESULTS`) for canonical ``tickets`` and
    ``events`` DataFrames. Timestamps must be Spark timestamps (instants)."""
    from pyspark.sql import functions as sql

    def with_part(frame: DataFrame) -> DataFrame:
        return frame.withColumn("_part", sql.pmod(sql.hash("ticket_id"), sql.lit(partitions)))

    def kernel(left: pa.Table, right: pa.Table) -> pa.Table:
        # Events at the same instant are taken in their input order; Spark does not keep row
        # order through the shuffle, so restore it from the sequence numbered before it.
        right = right.sort_by([("_seq", "ascending")]).drop_columns(["_part", "_seq"])
        run = compute(
            agreement, left.drop_columns(["_part"]), right, as_of=as_of, statuses=statuses
        )
        return plain(run.results)

    numbered = events.withColumn("_seq", sql.monotonically_increasing_id())
    grouped = with_part(tickets).groupBy("_part").cogroup(with_part(numbered).groupBy("_part"))
    return grouped.applyInArrow(kernel, schema=spark_schema())


def rejected_spark(tickets: DataFrame, events: DataFrame) -> DataFrame:
    """The events :func:`measure_spark` cannot place, each with its reason, by the kernel's
    rules and in its order of checks: of no ticket, without a time, of an unknown kind, or a
    status or priority change that names no value. Columns: the event's own plus ``reason``;
    nothing is lost between this and the results."""
    from pyspark.sql import functions as sql

    known = tickets.select("ticket_id").distinct().withColumn("_known", sql.lit(True))
    kind, value = sql.col("kind"), sql.col("value")
    reason = (
        sql.when(sql.col("_known").isNull(), NO_TICKET)
        .when(sql.col("at").isNull(), NO_TIME)
        .when(kind.isNull() | ~kind.isin(*KIND_CODES), UNKNOWN_KIND)
        .when(kind.isin("status", "priority") & value.isNull(), NO_VALUE)
    )
    joined = events.join(known, on="ticket_id", how="left")
    return joined.withColumn("reason", reason).where(sql.col("reason").isNotNull()).drop("_known")

"""The same kernel inside PySpark (local mode, two cores) gives the local runner's rows.

Needs PySpark and Java 17, which ``scripts/bootstrap`` installs; outside CI the test is skipped
with the reason when they are missing, in CI it fails.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
from collections.abc import Iterator
from typing import Any

import pyarrow as pa
import pytest

from clearpact.clock.runner import run_tables
from clearpact.clock.spark import PLAIN_RESULTS, measure_spark, plain, rejected_spark
from tests.clock.conftest import BERLIN, agreement_with, random_history

pytestmark = [
    pytest.mark.slow,
    pytest.mark.spark,
    # py4j leaves its gateway sockets to the garbage collector; not ours to fix.
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]


def _require(ok: bool, message: str) -> None:
    if not ok:
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        _require(False, "PySpark is not installed (./scripts/bootstrap installs it)")
    _require(shutil.which("java") is not None, "Java is not installed (./scripts/bootstrap)")
    os.environ["PYSPARK_PYTHON"] = sys.executable  # executors need this venv's pyarrow
    session = (
        SparkSession.builder.master("local[2]")
        .appName("clearpact-test")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate()
    )
    yield session
    session.stop()


def test_spark_gives_the_local_runners_rows(spark: Any) -> None:
    agreement = agreement_with()
    tickets, events = random_history(11, 3000)
    as_of = dt.datetime(2026, 12, 1, tzinfo=BERLIN)
    local = plain(run_tables(agreement, tickets, events, as_of=as_of).results)
    frame = measure_spark(
        agreement,
        spark.createDataFrame(tickets),
        spark.createDataFrame(events),
        as_of=as_of,
        partitions=8,
    )
    remote = pa.Table.from_batches(frame._collect_as_arrow()).cast(PLAIN_RESULTS)

    def ordered(table: pa.Table) -> list[dict[str, Any]]:
        return sorted(table.to_pylist(), key=lambda r: (r["sla"], r["ticket_id"], r["cycle"]))

    assert remote.num_rows == local.num_rows == 6000  # 3000 tickets x 2 SLAs (resume: no cycles)
    assert ordered(remote) == ordered(local)


def test_spark_rejects_the_events_the_local_runner_rejects(spark: Any) -> None:
    # Messy histories hold events of no ticket and of unknown kinds: the same events, with the
    # same reasons, as the local runner's rejected rows.
    tickets, events = random_history(12, 400)
    as_of = dt.datetime(2026, 12, 1, tzinfo=BERLIN)
    local = run_tables(agreement_with(), tickets, events, as_of=as_of).rejected_events
    local_rows = events.take(local["row"]).append_column("reason", local["reason"])
    frame = rejected_spark(spark.createDataFrame(tickets), spark.createDataFrame(events))
    remote = pa.Table.from_batches(frame._collect_as_arrow())

    def key(table: pa.Table) -> list[tuple[Any, ...]]:
        rows = table.select(["ticket_id", "at", "kind", "value", "reason"]).to_pylist()
        return sorted(tuple(str(v) for v in row.values()) for row in rows)

    assert len(key(local_rows)) > 0
    assert {r["reason"] for r in local_rows.to_pylist()} >= {
        "no ticket has this ticket_id",
        "unknown event kind",
    }
    assert key(remote) == key(local_rows)

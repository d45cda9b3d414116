"""The local runner gives the kernel's rows, whatever the partitioning and the input format."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from clearpact.clock import compute
from clearpact.clock.runner import run_parquet, run_tables
from tests.clock.conftest import BERLIN, agreement_with, random_history

AS_OF = dt.datetime(2026, 12, 1, tzinfo=BERLIN)


def _rows(table):  # type: ignore[no-untyped-def]
    return sorted(table.to_pylist(), key=lambda r: (r["sla"], r["ticket_id"], r["cycle"]))


@pytest.mark.parametrize(("partitions", "workers"), [(1, 1), (3, 2), (7, 2)])
def test_partitions_give_the_same_rows_and_report(partitions: int, workers: int) -> None:
    agreement = agreement_with()
    tickets, events = random_history(5, 300)
    whole = compute(agreement, tickets, events, as_of=AS_OF)
    split = run_tables(
        agreement, tickets, events, as_of=AS_OF, partitions=partitions, workers=workers
    )
    assert _rows(split.results) == _rows(whole.results)
    assert split.report == whole.report
    assert sorted(split.rejected_events.to_pylist(), key=lambda r: r["row"]) == sorted(
        whole.rejected_events.to_pylist(), key=lambda r: r["row"]
    )


def test_parquet_with_dictionary_columns_gives_the_same_rows(tmp_path: Path) -> None:
    agreement = agreement_with()
    tickets, events = random_history(6, 200)
    pq.write_table(tickets, tmp_path / "tickets.parquet")
    pq.write_table(events, tmp_path / "events.parquet", row_group_size=97)  # many dictionaries
    seen: list[int] = []
    run = run_parquet(
        agreement,
        tmp_path / "tickets.parquet",
        tmp_path / "events.parquet",
        as_of=AS_OF,
        progress=seen.append,
    )
    assert _rows(run.results) == _rows(compute(agreement, tickets, events, as_of=AS_OF).results)
    assert sum(seen) == 200

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


@pytest.mark.parametrize("spacing", [1, 3])
def test_ticket_keys_in_any_order_match_tickets_like_their_ids(spacing: int) -> None:
    # An import's dense keys, in table order (spacing 1) or shuffled and sparse (spacing 3), give
    # the rows that hashing the ids gives; an event whose key is no ticket's is rejected.
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    agreement = agreement_with()
    tickets, events = random_history(8, 200)
    keys = np.random.default_rng(1).permutation(200) * spacing if spacing > 1 else np.arange(200)
    by_id = dict(zip(tickets["ticket_id"].to_pylist(), keys.tolist(), strict=True))
    event_keys = [by_id.get(i, 10_000) for i in events["ticket_id"].to_pylist()]
    keyed = compute(
        agreement,
        tickets.append_column("ticket_key", pa.array(keys, pa.int64())),
        events.append_column("ticket_key", pa.array(event_keys, pa.int64())),
        as_of=AS_OF,
    )
    plain = compute(agreement, tickets, events, as_of=AS_OF)
    assert _rows(keyed.results) == _rows(plain.results)
    unknown = pc.equal(keyed.rejected_events["reason"], "no ticket has this ticket_id")
    assert pc.sum(unknown).as_py() == 1

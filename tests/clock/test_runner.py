"""The local runner gives the kernel's rows, whatever the partitioning and the input format."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from clearpact.clock import compute, events_table, runner, tickets_table
from clearpact.clock.runner import run_duckdb, run_parquet, run_tables
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


@pytest.mark.parametrize("block", [1, 7, 64, 1_000])
def test_events_clustered_by_key_are_read_a_row_group_at_a_time_with_the_same_rows(
    tmp_path: Path, block: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As an import writes its store: tickets keyed 0, 1, 2 … in file order; events shuffled
    # within blocks of ``block`` tickets, the blocks in key order, cut into small row groups
    # (a ticket's events often straddle two groups). Events of no ticket (key 900, -1, none)
    # are rejected with their row in the file, as when the tables are measured whole.

    agreement = agreement_with()
    tickets, events = random_history(9, 300)
    tickets = tickets.append_column("ticket_key", pa.array(np.arange(300), pa.int64()))
    ids = events["ticket_id"].to_pylist()
    keys = [int(i[1:]) if i in set(tickets["ticket_id"].to_pylist()) else 900 for i in ids]
    keys[5], keys[17] = -1, None  # type: ignore[call-overload]
    events = events.append_column("ticket_key", pa.array(keys, pa.int64()))
    shuffle = np.random.default_rng(block).permutation(events.num_rows)
    # Events of no ticket lead the file: a group holding one must not be held to the end.
    cluster = [
        k // block if k is not None and 0 <= k < 300 else -1 for k in np.array(keys)[shuffle]
    ]
    events = events.take(pa.array(shuffle[np.argsort(cluster, kind="stable")]))
    pq.write_table(tickets, tmp_path / "tickets.parquet")
    pq.write_table(events, tmp_path / "events.parquet", row_group_size=50)

    groups = runner._groups_by_key(tmp_path / "events.parquet")
    assert groups is not None
    assert len(groups) == -(-events.num_rows // 50)
    spans: list[tuple[int, int, int]] = []  # tickets measured together, and groups held
    measure_pieces = runner._Measure.pieces

    def counted(self, tickets, pieces, low, high):  # type: ignore[no-untyped-def]
        spans.append((low, high, len(pieces)))
        return measure_pieces(self, tickets, pieces, low, high)

    monkeypatch.setattr(runner._Measure, "pieces", counted)
    streamed = run_parquet(
        agreement, tmp_path / "tickets.parquet", tmp_path / "events.parquet", as_of=AS_OF
    )
    whole = compute(agreement, tickets, events, as_of=AS_OF)
    assert _rows(streamed.results) == _rows(whole.results)
    assert streamed.report == whole.report
    assert sorted(streamed.rejected_events.to_pylist(), key=lambda r: r["row"]) == sorted(
        whole.rejected_events.to_pylist(), key=lambda r: r["row"]
    )
    unknown = pc.equal(whole.rejected_events["reason"], "no ticket has this ticket_id")
    assert pc.sum(unknown).as_py() >= 3
    assert sorted(ticket for low, high, _ in spans for ticket in range(low, high)) == list(
        range(300)
    )  # every ticket measured once
    if block == 1:  # tightly clustered: measured as the groups come, two groups held at most
        assert len(spans) > 10
        assert max(held for _, _, held in spans) <= 2


def test_a_duckdb_database_gives_the_rows_its_tables_give(tmp_path: Path) -> None:

    agreement = agreement_with()
    tickets, events = random_history(10, 150)
    database = tmp_path / "store.duckdb"
    with duckdb.connect(str(database)) as connection:
        connection.sql("CREATE TABLE tickets AS SELECT * FROM tickets")
        connection.sql("CREATE TABLE events AS SELECT * FROM events")
    run = run_duckdb(agreement, database, as_of=AS_OF)
    whole = compute(agreement, tickets, events, as_of=AS_OF)
    assert _rows(run.results) == _rows(whole.results)
    assert run.report == whole.report
    assert run.rejected_events.num_rows == whole.rejected_events.num_rows > 0


def test_a_duckdb_database_without_zones_or_tables_is_refused_by_name(tmp_path: Path) -> None:

    database = tmp_path / "store.duckdb"
    with duckdb.connect(str(database)) as connection:
        connection.sql(
            "CREATE TABLE tickets AS SELECT 'T1' AS ticket_id, TIMESTAMP '2026-03-02 09:00' "
            "AS created_at, 'P2' AS priority"
        )
    with pytest.raises(ValueError, match="no table 'events'"):
        run_duckdb(agreement_with(), database, as_of=AS_OF)
    with duckdb.connect(str(database)) as connection:
        connection.sql('CREATE TABLE events (ticket_id VARCHAR, "at" TIMESTAMPTZ)')
    with pytest.raises(ValueError, match="table 'events' has no column kind"):
        run_duckdb(agreement_with(), database, as_of=AS_OF)
    with duckdb.connect(str(database)) as connection:
        connection.sql("ALTER TABLE events ADD COLUMN kind VARCHAR")
    with pytest.raises(ValueError, match="created_at has no time zone"):
        run_duckdb(agreement_with(), database, as_of=AS_OF)
    with pytest.raises(FileNotFoundError, match="no such DuckDB database"):
        run_duckdb(agreement_with(), tmp_path / "missing.duckdb", as_of=AS_OF)


def _keyed_files(
    tmp_path: Path, events: pa.Table, tickets: int, **write: Any
) -> tuple[pa.Table, pa.Table]:
    """Tickets T0 … keyed by row, opened Mon 2026-03-02 09:00, and ``events`` with their
    keys, written as Parquet (``write`` goes to the events' writer)."""

    opened = dt.datetime(2026, 3, 2, 9, tzinfo=BERLIN)
    table = tickets_table(
        [{"ticket_id": f"T{i}", "created_at": opened, "priority": "P2"} for i in range(tickets)]
    ).append_column("ticket_key", pa.array(range(tickets), pa.int64()))
    pq.write_table(table, tmp_path / "tickets.parquet")
    pq.write_table(events, tmp_path / "events.parquet", **write)
    return table, events


def _same_as_whole(tmp_path: Path, tickets: pa.Table, events: pa.Table) -> None:
    agreement = agreement_with()
    streamed = run_parquet(
        agreement, tmp_path / "tickets.parquet", tmp_path / "events.parquet", as_of=AS_OF
    )
    whole = compute(agreement, tickets, events, as_of=AS_OF)
    assert _rows(streamed.results) == _rows(whole.results)
    assert streamed.report == whole.report


def test_same_instant_events_keep_their_file_order_when_groups_are_not_in_key_order(
    tmp_path: Path,
) -> None:
    # T1 is resolved and reopened at the same instant (in that file order), its two events in
    # different row groups, the later group holding smaller keys: streaming must still apply
    # them in file order (T1 open, as measured whole), not in the groups' key order.

    at = dt.datetime(2026, 3, 2, 11, tzinfo=BERLIN)
    rows = [("T1", "status", "Resolved"), ("T5", "reply", "agent")]
    rows += [("T0", "reply", "agent"), ("T1", "status", "In progress")]
    events = events_table([{"ticket_id": t, "at": at, "kind": k, "value": v} for t, k, v in rows])
    events = events.append_column("ticket_key", pa.array([int(t[1:]) for t, _, _ in rows]))
    tickets, events = _keyed_files(tmp_path, events, 6, row_group_size=2)
    _same_as_whole(tmp_path, tickets, events)
    whole = compute(agreement_with(), tickets, events, as_of=AS_OF).results.to_pylist()
    assert [r["state"] for r in whole if r["ticket_id"] == "T1" and r["sla"] == "resolution"] == [
        "open_breached"
    ]


def test_unsigned_keys_and_a_nested_column_before_the_key_are_read_right(tmp_path: Path) -> None:
    # Keys written as uint32 (as some dataframe libraries number rows), and a struct column
    # ahead of ticket_key (it takes two Parquet columns): the row groups' key statistics must
    # be the key's own.

    rows = [
        {"ticket_id": f"T{i}", "at": dt.datetime(2026, 3, 2, 10 + i % 5, tzinfo=BERLIN)}
        | {"kind": "reply", "value": "agent"}
        for i in range(40)
    ]
    events = events_table(rows)
    # Right before the key: its two fields would be read as the key's statistics by position.
    meta = pa.array([{"size": 900 + i, "parts": 40 - i} for i in range(40)])
    events = events.append_column("meta", meta).append_column(
        "ticket_key", pa.array(range(40), pa.uint32())
    )
    tickets, events = _keyed_files(tmp_path, events, 40, row_group_size=7)
    _same_as_whole(tmp_path, tickets, events)


def test_events_keyed_without_ids_need_keyed_tickets() -> None:

    tickets, events = random_history(3, 5)
    keyed_events = events.drop_columns(["ticket_id"]).append_column(
        "ticket_key", pa.array(range(events.num_rows), pa.int64())
    )
    with pytest.raises(ValueError, match="events have no ticket_id"):
        compute(agreement_with(), tickets, keyed_events, as_of=AS_OF)


def test_duplicate_ids_are_refused_when_only_the_tickets_are_keyed() -> None:

    tickets, events = random_history(3, 5)
    ids = tickets["ticket_id"].to_pylist()
    doubled = tickets.set_column(0, "ticket_id", pa.array([ids[0], *ids[:-1]]))
    keyed = doubled.append_column("ticket_key", pa.array(range(5), pa.int64()))
    with pytest.raises(ValueError, match=r"tickets\.ticket_id has duplicates"):
        compute(agreement_with(), keyed, events, as_of=AS_OF)

"""The local runner: the clock kernel over every core, from Arrow tables, Parquet files or a
DuckDB database.

Tickets are independent, so the runner cuts them into partitions of consecutive rows, hands each
partition and its events to the kernel on a thread pool (NumPy and Arrow release the GIL for the
heavy work), and stitches the results and reports back together. An events file clustered by
ticket key is read a row group at a time. An adapter: it reads files and reports progress
through a callback (``clearpact measure`` draws it); the kernel it calls stays pure.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from clearpact.agreement.model import Agreement
from clearpact.calendar.business import to_micros
from clearpact.clock.kernel import ClockRun, compute
from clearpact.clock.points import (
    I64,
    NO_TICKET,
    ClockReport,
    check_unique_tickets,
    keys_are_rows,
    rejects,
    ticket_rows,
)
from clearpact.clock.rules import compile_calendars, compile_rules
from clearpact.clock.tables import RESULTS, StatusMeanings

Progress = Callable[[int], None]
"""Called with the number of tickets each finished partition measured (from worker threads)."""

EVENT_COLUMNS = ["ticket_id", "at", "kind", "value", "channel"]
TICKET_COLUMNS = ["ticket_id", "created_at", "priority", "status", "customer", "service"]
DICTIONARY_COLUMNS = ["kind", "value", "priority", "status", "channel", "customer", "service"]


def run_parquet(
    agreement: Agreement,
    tickets: str | Path,
    events: str | Path,
    *,
    as_of: dt.datetime,
    statuses: StatusMeanings | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
) -> ClockRun:
    """Measure canonical ``tickets`` and ``events`` Parquet files (see :func:`run_tables`).

    Low-cardinality string columns are read dictionary-encoded, as Parquet stores them, so
    their strings are never decoded; a ``ticket_key`` column, when both files have one, is used.
    When the tickets' keys are 0, 1, 2 … in file order and the events file has key statistics
    for every row group, the events are read a row group at a time, in key order, and each run
    of tickets is measured as soon as no later group can hold its events. When the file is
    clustered by key (as an import writes its store), memory then holds the tickets, the
    results and one or two row groups, not every event; when it is not, groups wait in memory
    until their tickets are measured. Rejected events keep their row numbers in the events file
    either way, and same-instant events their file order.
    """
    tickets, events = Path(tickets), Path(events)
    columns = event_columns(tickets, events)
    groups = _groups_by_key(events) if "ticket_id" not in columns else None  # keyed files
    # Reading Parquet is not Python work and compiling the calendars is: both at once.
    with ThreadPoolExecutor(max_workers=2) as pool:
        reading = pool.submit(read_parquet, tickets, TICKET_COLUMNS)
        whole = pool.submit(read_parquet, events, columns) if not groups else None
        _warm_calendars(agreement, tickets, events, as_of)
        ticket_table = reading.result()
        if whole is None and not keys_are_rows(ticket_table):
            whole = pool.submit(read_parquet, events, columns)
        event_table = whole.result() if whole is not None else None
    if event_table is None:
        assert groups
        measure = _Measure(agreement, as_of, statuses, progress)
        return _run_streaming(measure, workers or os.cpu_count() or 1, ticket_table, events, groups)
    return run_tables(
        agreement,
        ticket_table,
        event_table,
        as_of=as_of,
        statuses=statuses,
        workers=workers,
        progress=progress,
    )


def _warm_calendars(agreement: Agreement, tickets: Path, events: Path, as_of: dt.datetime) -> None:
    """Compile the calendars for the range of times the files' statistics give (the kernel then
    finds them compiled)."""
    span = [_time_range(tickets, "created_at"), _time_range(events, "at")]
    known = [value for pair in span if pair for value in pair]
    if known:
        low, high = min(*known, to_micros(as_of)), max(*known, to_micros(as_of))
        for calendar in compile_calendars(agreement, compile_rules(agreement)).values():
            calendar.prepare(low, high)


def _groups_by_key(path: Path) -> list[tuple[int, int, int]] | None:
    """The events file's row groups as (smallest ``ticket_key``, group, first row), in key
    order; None when a group has no statistics for the key (then the file is read whole)."""
    metadata = pq.ParquetFile(path).metadata
    index = _leaf(metadata, "ticket_key")
    if index is None:
        return None
    groups, first = [], 0
    for group in range(metadata.num_row_groups):
        stats = metadata.row_group(group).column(index).statistics
        if stats is None or not stats.has_min_max:
            return None
        groups.append((int(stats.min), group, first))
        first += metadata.row_group(group).num_rows
    return sorted(groups)


def _leaf(metadata: pq.FileMetaData, name: str) -> int | None:
    """The Parquet column index of the top-level column ``name`` (nested columns before it
    take several), or None."""
    for index in range(metadata.num_columns):
        if metadata.schema.column(index).path == name:
            return index
    return None


@dataclass(frozen=True)
class _Piece:
    """One row group of a clustered events file: its rows, their keys (-1 for none) and their
    row numbers in the file."""

    table: pa.Table
    keys: I64
    rows: I64
    top: int  # the largest key of a known ticket (-1: none)

    def rows_of(self, low: int, high: int) -> I64:
        """Positions of the rows of tickets ``low`` to ``high`` (exclusive)."""
        return np.flatnonzero((self.keys >= low) & (self.keys < high))


def _run_streaming(
    measure: _Measure,
    workers: int,
    tickets: pa.Table,
    events: Path,
    groups: list[tuple[int, int, int]],
) -> ClockRun:
    """Read the row groups in key order, one ahead; after each, measure the tickets whose keys
    are below the next group's smallest key (their events can be in no later group), in
    partitions on the worker threads. A group is held until every ticket it has events of is
    measured: in a clustered file, one or two groups at a time."""
    names = pq.read_schema(events).names
    columns = [name for name in [*EVENT_COLUMNS, "ticket_key"] if name in names]
    columns = [name for name in columns if name != "ticket_id"]  # keys match the events
    dictionary = [name for name in DICTIONARY_COLUMNS if name in columns]
    source = pq.ParquetFile(events, read_dictionary=dictionary)

    n = tickets.num_rows

    def read(number: int) -> _Piece:
        _, group, first = groups[number]
        table = source.read_row_group(group, columns=columns)
        # Keys of any integer type (unsigned too); one beyond int64 is no ticket's.
        keys = pc.fill_null(pc.cast(table["ticket_key"], pa.int64(), safe=False), -1).to_numpy()
        known = keys[keys < n]
        top = int(known.max()) if known.size else -1
        return _Piece(table.drop_columns(["ticket_key"]), keys, first + np.arange(keys.size), top)

    futures: list[Future[ClockRun]] = []
    unknown: list[I64] = []
    held: list[_Piece] = []
    events_read = low = 0
    with ThreadPoolExecutor(max_workers=1) as reader, ThreadPoolExecutor(workers) as pool:
        ahead = reader.submit(read, 0)
        for number in range(len(groups)):
            piece = ahead.result()
            last = number + 1 == len(groups)
            if not last:
                ahead = reader.submit(read, number + 1)
            events_read += piece.rows.size
            unknown.append(piece.rows[(piece.keys < 0) | (piece.keys >= n)])
            held.append(piece)
            high = n if last else max(low, min(groups[number + 1][0], n))
            for first in range(low, high, PARTITION_TICKETS):
                span = (first, min(high, first + PARTITION_TICKETS))
                futures.append(pool.submit(measure.pieces, tickets, list(held), *span))
            low = high
            held = [piece for piece in held if piece.top >= low]
            # Hold no more events than the workers are about to need.
            pending = [future for future in futures if not future.done()]
            if len(pending) > 2 * workers:
                wait(pending[: len(pending) - 2 * workers])
        done = [future.result() for future in futures]
    return _merged(done, np.concatenate(unknown), events_read)


def _time_range(path: Path, column: str) -> tuple[int, int] | None:
    """The smallest and largest instant (epoch µs) of a timestamp column, from the file's
    statistics alone; None when they are missing."""
    metadata = pq.ParquetFile(path).metadata
    index = _leaf(metadata, column)
    if index is None or metadata.num_row_groups == 0:
        return None
    lows, highs = [], []
    for group in range(metadata.num_row_groups):
        stats = metadata.row_group(group).column(index).statistics
        if stats is None or not stats.has_min_max or getattr(stats.min, "tzinfo", None) is None:
            return None  # no statistics, or times without a zone (the kernel refuses those)
        lows.append(to_micros(stats.min))
        highs.append(to_micros(stats.max))
    return min(lows), max(highs)


def event_columns(tickets: Path, events: Path) -> list[str]:
    """The events' columns the runner reads: without ``ticket_id`` when both files carry the
    ``ticket_key`` an import assigns (events are then matched to tickets by key alone)."""
    keyed = all("ticket_key" in pq.read_schema(path).names for path in (tickets, events))
    return [name for name in EVENT_COLUMNS if not (keyed and name == "ticket_id")]


def run_duckdb(
    agreement: Agreement,
    database: str | Path,
    *,
    as_of: dt.datetime,
    tickets_table: str = "tickets",
    events_table: str = "events",
    statuses: StatusMeanings | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
) -> ClockRun:
    """Measure the canonical tables ``tickets`` and ``events`` of a DuckDB database file (opened
    read-only; see :func:`run_tables`). Times must be ``TIMESTAMPTZ``: a ``TIMESTAMP`` without
    a zone is refused, as everywhere. Both tables are read whole."""
    path = Path(database)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such DuckDB database")
    with duckdb.connect(str(path), read_only=True) as connection:
        tickets = _read_duckdb(connection, path, tickets_table, TICKET_COLUMNS, TICKETS_NEED)
        events = _read_duckdb(connection, path, events_table, EVENT_COLUMNS, EVENTS_NEED, True)
    return run_tables(
        agreement,
        tickets,
        events,
        as_of=as_of,
        statuses=statuses,
        workers=workers,
        progress=progress,
    )


TICKETS_NEED = ("ticket_id", "created_at")
EVENTS_NEED = ("ticket_id", "at", "kind")


def _read_duckdb(
    connection: duckdb.DuckDBPyConnection,
    path: Path,
    table: str,
    wanted: list[str],
    needed: tuple[str, ...],
    keyed_events: bool = False,
) -> pa.Table:
    """The ``wanted`` columns of one table (plus ``ticket_key`` when present); events with a
    ``ticket_key`` need no ``ticket_id``."""
    quoted = '"' + table.replace('"', '""') + '"'
    try:
        names = [row[0] for row in connection.sql(f"DESCRIBE {quoted}").fetchall()]
    except duckdb.CatalogException:
        raise ValueError(f"{path}: the database has no table {table!r}") from None
    optional = {"ticket_id"} if keyed_events and "ticket_key" in names else set()
    missing = [name for name in needed if name not in names and name not in optional]
    if missing:
        raise ValueError(f"{path}: table {table!r} has no column {', '.join(missing)}")
    columns = [name for name in [*wanted, "ticket_key"] if name in names]
    select = ", ".join('"' + name + '"' for name in columns)
    return connection.sql(f"SELECT {select} FROM {quoted}").to_arrow_table()


def read_parquet(path: Path, wanted: list[str]) -> pa.Table:
    """The ``wanted`` columns of a canonical Parquet file (plus ``ticket_key`` when present),
    low-cardinality text kept dictionary-encoded. Reads the file directly, without the dataset
    layer (which would also import pandas)."""
    names = pq.read_schema(path).names
    columns = [name for name in [*wanted, "ticket_key"] if name in names]
    dictionary = [name for name in DICTIONARY_COLUMNS if name in columns]
    return pq.ParquetFile(path, read_dictionary=dictionary).read(columns=columns)


def run_tables(
    agreement: Agreement,
    tickets: pa.Table,
    events: pa.Table,
    *,
    as_of: dt.datetime,
    statuses: StatusMeanings | None = None,
    workers: int | None = None,
    partitions: int | None = None,
    progress: Progress | None = None,
) -> ClockRun:
    """The same rows as :func:`clearpact.clock.compute` (in partition order), on ``workers``
    threads (default: every core). Rejected events keep their row numbers in ``events``."""
    workers = workers or os.cpu_count() or 1
    n = tickets.num_rows
    parts = partitions or (1 if n < 50_000 else max(4 * workers, n // PARTITION_TICKETS))
    if parts == 1 or n == 0:
        run = compute(agreement, tickets, events, as_of=as_of, statuses=statuses)
        if progress:
            progress(n)
        return run
    split = _Partitions(tickets, events, parts)
    measure = _Measure(agreement, as_of, statuses, progress)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        done = list(pool.map(lambda part: measure.partition(split, part), range(parts)))
    return _merged(done, split.unknown(), events.num_rows)


PARTITION_TICKETS = 62_500
"""Tickets the kernel measures at once: its arrays then stay in the processor's caches."""


class _Partitions:
    """Tickets cut into ``parts`` runs of consecutive rows, and the rows of their events (each
    partition finds its own, so that work is spread over the workers)."""

    def __init__(self, tickets: pa.Table, events: pa.Table, parts: int) -> None:
        check_unique_tickets(tickets)
        self.owner = ticket_rows(tickets, events)
        self.size = max(1, -(-tickets.num_rows // parts))
        # Partitions carry dense keys, so the kernel never reads the events' ticket ids.
        if "ticket_id" in events.column_names:
            events = events.drop_columns(["ticket_id"])
        self.tickets, self.events, self.parts = tickets, events.combine_chunks(), parts

    def inputs(self, part: int) -> tuple[pa.Table, pa.Table, I64]:
        """One partition's tickets and events (keyed 0, 1, 2 …) and the events' rows."""
        first = part * self.size
        last = min(self.tickets.num_rows, first + self.size)
        rows = np.flatnonzero((self.owner >= first) & (self.owner < last))
        tickets = _keyed(self.tickets.slice(first, last - first), np.arange(last - first))
        events = _keyed(self.events.take(pa.array(rows)), self.owner[rows] - first)
        return tickets, events, rows

    def unknown(self) -> I64:
        """Rows of events whose ticket is not among the tickets."""
        return np.flatnonzero(self.owner < 0)


@dataclass(frozen=True)
class _Measure:
    """The kernel over one partition, with what every partition shares."""

    agreement: Agreement
    as_of: dt.datetime
    statuses: StatusMeanings | None
    progress: Progress | None

    def partition(self, split: _Partitions, part: int) -> ClockRun:
        """One partition of ``split``; rejected events numbered as in the split's events."""
        return self._run(*split.inputs(part))

    def pieces(self, tickets: pa.Table, pieces: list[_Piece], low: int, high: int) -> ClockRun:
        """Tickets ``low`` to ``high`` (exclusive) of ``tickets`` (keyed by row) with their
        events from ``pieces``, in file order (same-instant events keep it, as in
        :func:`run_tables`); rejected events numbered as in the file."""
        in_file_order = sorted(pieces, key=lambda piece: int(piece.rows[0]))
        chosen = [(piece, piece.rows_of(low, high)) for piece in in_file_order]
        chosen = [(piece, at) for piece, at in chosen if at.size] or chosen[:1]
        events = pa.concat_tables([piece.table.take(pa.array(at)) for piece, at in chosen])
        owner = np.concatenate([piece.keys[at] for piece, at in chosen]) - low
        rows = np.concatenate([piece.rows[at] for piece, at in chosen])
        part = _keyed(tickets.slice(low, high - low), np.arange(high - low))
        return self._run(part, _keyed(events, owner), rows)

    def _run(self, tickets: pa.Table, events: pa.Table, rows: I64) -> ClockRun:
        """The kernel over keyed tickets and events; rejected events numbered by ``rows``."""
        run = compute(self.agreement, tickets, events, as_of=self.as_of, statuses=self.statuses)
        if self.progress:
            self.progress(tickets.num_rows)
        if run.rejected_events.num_rows:
            where = rows[run.rejected_events["row"].to_numpy()]
            run.rejected_events = run.rejected_events.set_column(0, "row", pa.array(where))
        return run


def _merged(done: list[ClockRun], unknown: I64, events: int) -> ClockRun:
    """One run from the partitions' runs, the rows of events of no ticket, and how many events
    there were."""
    report = ClockReport()
    rejected = []
    for run in done:
        report.merge(run.report)
        if run.rejected_events.num_rows:
            rejected.append(run.rejected_events)
    if unknown.size:
        rejected.append(rejects(unknown, NO_TICKET))
    report.events_unknown_ticket += int(unknown.size)
    report.events = events
    results = pa.concat_tables([run.results for run in done]) if done else RESULTS.empty_table()
    return ClockRun(
        results=results,
        report=report,
        rejected_events=pa.concat_tables(rejected)
        if rejected
        else rejects(np.empty(0, np.int64), ""),
    )


def _keyed(table: pa.Table, keys: np.ndarray) -> pa.Table:
    """``table`` with a dense ``ticket_key`` column (replacing one it had)."""
    if "ticket_key" in table.column_names:
        table = table.drop_columns(["ticket_key"])
    return table.append_column("ticket_key", pa.array(keys, pa.int64()))


def of_customer(tickets: pa.Table, events: pa.Table, customer: str) -> tuple[pa.Table, pa.Table]:
    """One customer's tickets and their events (matched by ``ticket_key`` when the events carry
    it); ``ValueError`` when the data has no ticket of that customer."""
    mine = tickets.filter(pc.equal(tickets["customer"], customer))
    if mine.num_rows == 0:
        raise ValueError(f"--customer: no ticket of customer {customer!r} in the data")
    key = "ticket_key" if "ticket_key" in events.column_names else "ticket_id"
    return mine, events.filter(pc.is_in(events[key], value_set=mine[key].combine_chunks()))


@dataclass(frozen=True)
class CanonicalSource:
    """Where canonical tickets and events are: two files (Parquet or CSV) or the ``tickets``
    and ``events`` tables of a DuckDB database."""

    tickets: Path
    events: Path
    database: bool = False

    @classmethod
    def find(cls, data: str | Path) -> CanonicalSource:
        """``data`` is a DuckDB file (``.duckdb``/``.db``) or a folder holding
        ``tickets.parquet`` and ``events.parquet`` (or ``.csv``); ``ValueError`` otherwise."""
        path = Path(data)
        if path.is_file() and path.suffix in (".duckdb", ".db"):
            return cls(path, path, database=True)
        if not path.is_dir():
            raise ValueError(f"{path}: expected a folder of canonical tables or a .duckdb file")
        found = {}
        for name in ("tickets", "events"):
            candidates = [path / f"{name}{suffix}" for suffix in (".parquet", ".csv")]
            existing = [candidate for candidate in candidates if candidate.is_file()]
            if not existing:
                raise ValueError(f"{path}: no {name}.parquet or {name}.csv")
            found[name] = existing[0]
        return cls(found["tickets"], found["events"])

    def tickets_count(self) -> int | None:
        """How many tickets, when the files say so without being read."""
        if self.database:
            try:
                with duckdb.connect(str(self.tickets), read_only=True) as connection:
                    row = connection.execute('SELECT count(*) FROM "tickets"').fetchone()
            except duckdb.Error:
                return None  # measuring will say what is wrong
            return int(row[0]) if row else None
        if self.tickets.suffix == ".parquet":
            return int(pq.ParquetFile(self.tickets).metadata.num_rows)
        return None

    def aware(self) -> bool:
        """Whether both Parquet files' times carry a zone (then they are read as they are)."""
        if self.database or self.tickets.suffix != ".parquet" or self.events.suffix != ".parquet":
            return False
        times = [(self.tickets, "created_at"), (self.events, "at")]
        for path, column in times:
            schema = pq.read_schema(path)
            if column not in schema.names:
                return False
            kind = schema.field(column).type
            if not pa.types.is_timestamp(kind) or kind.tz is None:
                return False
        return True

"""The local runner: the clock kernel over every core, from Arrow tables or Parquet files.

Tickets are independent, so the runner cuts them into partitions of consecutive rows, hands each
partition and its events to the kernel on a thread pool (NumPy and Arrow release the GIL for the
heavy work), and stitches the results and reports back together. An adapter: it reads files and
may draw a Rich progress bar; the kernel it calls stays pure.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from clearpact.agreement.model import Agreement
from clearpact.calendar.business import to_micros
from clearpact.clock.kernel import ClockRun, compute
from clearpact.clock.points import ClockReport, check_unique_tickets, rejects, ticket_rows
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
    """
    # Reading Parquet is not Python work and compiling the calendars is: do both at once, the
    # calendars for the range of times the files' statistics give.
    tickets, events = Path(tickets), Path(events)
    with ThreadPoolExecutor(max_workers=2) as pool:
        reading = [
            pool.submit(read_parquet, tickets, TICKET_COLUMNS),
            pool.submit(read_parquet, events, event_columns(tickets, events)),
        ]
        span = [_time_range(tickets, "created_at"), _time_range(events, "at")]
        known = [value for pair in span if pair for value in pair]
        if known:
            low, high = min(*known, to_micros(as_of)), max(*known, to_micros(as_of))
            _prepare_calendars(agreement, low, high)
        ticket_table, event_table = (future.result() for future in reading)
    return run_tables(
        agreement,
        ticket_table,
        event_table,
        as_of=as_of,
        statuses=statuses,
        workers=workers,
        progress=progress,
    )


def _time_range(path: Path, column: str) -> tuple[int, int] | None:
    """The smallest and largest instant (epoch µs) of a timestamp column, from the file's
    statistics alone; None when they are missing."""
    metadata = pq.ParquetFile(path).metadata
    names = metadata.schema.to_arrow_schema().names
    if column not in names or metadata.num_row_groups == 0:
        return None
    index = names.index(column)
    lows, highs = [], []
    for group in range(metadata.num_row_groups):
        stats = metadata.row_group(group).column(index).statistics
        if stats is None or not stats.has_min_max or getattr(stats.min, "tzinfo", None) is None:
            return None  # no statistics, or times without a zone (the kernel refuses those)
        lows.append(to_micros(stats.min))
        highs.append(to_micros(stats.max))
    return min(lows), max(highs)


def _prepare_calendars(agreement: Agreement, low: int, high: int) -> None:
    """Compile every calendar the agreement's SLAs use for instants from ``low`` to ``high``
    (the kernel then finds them compiled; see ``compiled_calendar``)."""
    for calendar in compile_calendars(agreement, compile_rules(agreement)).values():
        calendar.prepare(low, high)


def event_columns(tickets: Path, events: Path) -> list[str]:
    """The events' columns the runner reads: without ``ticket_id`` when both files carry the
    ``ticket_key`` an import assigns (events are then matched to tickets by key alone)."""
    keyed = all("ticket_key" in pq.read_schema(path).names for path in (tickets, events))
    return [name for name in EVENT_COLUMNS if not (keyed and name == "ticket_id")]


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
    parts = partitions or (1 if n < 50_000 else max(4 * workers, n // 62_500))
    if parts == 1 or n == 0:
        run = compute(agreement, tickets, events, as_of=as_of, statuses=statuses)
        if progress:
            progress(n)
        return run

    check_unique_tickets(tickets)
    owner = ticket_rows(tickets, events)
    size = -(-n // parts)
    # Rows grouped by partition, in their order (a stable sort of small keys is a radix sort);
    # events of unknown tickets go to a last bucket.
    part_of_event = (owner // size).astype(np.int16 if parts < 2**15 - 1 else np.int32)
    part_of_event[owner < 0] = parts
    order = np.argsort(part_of_event, kind="stable")
    bounds = np.zeros(parts + 2, dtype=np.int64)
    np.cumsum(np.bincount(part_of_event, minlength=parts + 1), out=bounds[1:])
    # Partitions carry dense keys, so the kernel never reads the events' ticket ids: not copied.
    if "ticket_id" in events.column_names:
        events = events.drop_columns(["ticket_id"])
    events = events.combine_chunks()

    def measure(part: int) -> tuple[ClockRun, np.ndarray]:
        first, last = part * size, min(n, (part + 1) * size)
        rows = order[bounds[part] : bounds[part + 1]]
        part_tickets = tickets.slice(first, last - first)
        part_events = events.take(pa.array(rows))
        part_tickets = _keyed(part_tickets, np.arange(last - first))
        part_events = _keyed(part_events, owner[rows] - first)
        run = compute(agreement, part_tickets, part_events, as_of=as_of, statuses=statuses)
        if progress:
            progress(last - first)
        return run, rows

    with ThreadPoolExecutor(max_workers=workers) as pool:
        done = list(pool.map(measure, range(parts)))

    report = ClockReport()
    rejected = []
    for run, rows in done:
        report.merge(run.report)
        if run.rejected_events.num_rows:
            local = run.rejected_events["row"].to_numpy()
            rejected.append(pa.table({"row": rows[local], "reason": run.rejected_events["reason"]}))
    unknown = order[bounds[parts] : bounds[parts + 1]]
    if unknown.size:
        rejected.append(rejects(unknown, "no ticket has this ticket_id"))
    report.events_unknown_ticket += int(unknown.size)
    report.events = events.num_rows
    results = pa.concat_tables([run.results for run, _ in done]) if done else RESULTS.empty_table()
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

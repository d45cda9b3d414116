"""A seeded, synthetic ticket workload for the SLA clock benchmarks, in the canonical schemas.

:func:`generate` builds compact NumPy arrays (vectorised; 10M tickets in seconds);
:func:`write` turns them into ``tickets.parquet`` and ``events.parquet`` row group by row group.
Imports NumPy, pyarrow and ``clearpact.clock.tables`` only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.parquet as pq

from clearpact.clock.tables import EVENTS, INSTANT, TICKETS

KEY = pa.field("ticket_key", pa.int64(), nullable=False)
"""The dense ticket key an import assigns (see clearpact.clock.tables): both files carry it."""
KEYED_TICKETS = TICKETS.append(KEY)
KEYED_EVENTS = EVENTS.append(KEY)

GENERATOR_VERSION = 3
"""Bumped whenever the shape of the data changes, so cached files are made anew."""

BLOCK_TICKETS = 65_536
"""Events are shuffled within blocks of this many consecutive tickets, as an import clusters them
in its store (``clearpact.clock.runner`` then reads a file in ticket order, a few row groups at a
time)."""

SEED = 20230101
ZONE = ZoneInfo("Europe/Berlin")
FIRST_DAY = dt.date(2023, 1, 1)
LAST_DAY = dt.date(2025, 12, 31)
AS_OF = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
"""The export instant: nothing later has happened yet (events past it are not written)."""

PRIORITIES = ("P1", "P2", "P3", "P4")
PRIORITY_SHARES = (0.05, 0.20, 0.45, 0.30)
BUSINESS_HOURS_SHARE = 0.85  # created Mon–Fri 08:00–18:00 Europe/Berlin; the rest at any time
WAITING_AT_CREATION = 0.02  # created in "Waiting on customer" instead of "New"
ACKNOWLEDGED = 0.20  # an automatic public acknowledgement comes first
INTERNAL_NOTE = 0.10  # an internal note before the first public reply
AGENT_REPLY = 0.97  # the rest never get a public reply from a person
IN_PROGRESS = 0.90  # set "In progress" after the first reply (always when created waiting)
PRIORITY_CHANGED = 0.05
PAUSES = (0.83, 0.11, 0.04, 0.015, 0.005)  # probability of 0, 1, 2, 3, 4 pauses
RESOLVED = 0.90
REOPENED = 0.03  # of all tickets: Resolved → In progress → Resolved
CLOSED = 0.80  # of the resolved ones, "Closed" 2 to 10 days after the last resolution
PAUSED_AT_EXPORT = 0.5  # an open ticket with pauses is still waiting at export
DUPLICATED = 0.005  # event rows written twice

CUSTOMERS = tuple(f"C{number:04d}" for number in range(1, 501))
SERVICES = ("service-desk", "servers-and-cloud", "security")
SERVICE_SHARES = (0.70, 0.20, 0.10)
STATUSES = ("New", "Waiting on customer")

IN_PROGRESS_EVENT, WAIT_CUSTOMER, WAIT_THIRD_PARTY, RESOLVED_EVENT, CLOSED_EVENT = range(5)
AGENT, AUTOMATION, INTERNAL = range(5, 8)
PRIORITY_EVENT = 8  # + index into PRIORITIES
EVENT_TYPES: tuple[tuple[str, str], ...] = (
    ("status", "In progress"),
    ("status", "Waiting on customer"),
    ("status", "Waiting on third party"),
    ("status", "Resolved"),
    ("status", "Closed"),
    ("reply", "agent"),
    ("reply", "automation"),
    ("reply", "internal"),
    *(("priority", name) for name in PRIORITIES),
)
CHANNELS = (None, "email", "portal", "phone")

MS = 1_000
"""Times are drawn in whole milliseconds and stored as µs: exact, and never two events of one
ticket at the same instant (gaps are at least a second)."""
_CHUNK = 1 << 20  # tickets per generation chunk; fixed, so the output never depends on memory
_SLOTS = 17  # possible events per ticket, in the order they happen

Micros = npt.NDArray[np.int64]
Codes = npt.NDArray[np.uint8]
Progress = Callable[[str, float], None]
"""Called with what is being done and the share of the whole job done so far (0 to 1)."""


@dataclass(frozen=True)
class Workload:
    """Tickets and events as compact arrays. Ticket ``i`` is ``T{i + 1:07d}``; tickets are in
    creation order; event rows include duplicates and are shuffled within blocks of
    :data:`BLOCK_TICKETS` consecutive tickets (sort them before use): a store keeps events
    clustered by ticket, in no order within a cluster."""

    created: Micros  # epoch µs (UTC), ascending
    priority: Codes  # index into PRIORITIES
    status: Codes  # index into STATUSES
    customer: npt.NDArray[np.uint16]  # index into CUSTOMERS
    service: Codes  # index into SERVICES
    event_ticket: npt.NDArray[np.int32]  # ticket index of each event row
    event_at: Micros
    event_type: Codes  # index into EVENT_TYPES
    event_channel: Codes  # index into CHANNELS (0: none)
    duplicates: int  # how many event rows are copies of another row

    @property
    def tickets(self) -> int:
        return int(self.created.size)

    @property
    def events(self) -> int:
        return int(self.event_at.size)

    def tickets_table(self, start: int = 0, stop: int | None = None) -> pa.Table:
        """Tickets ``start`` to ``stop`` in the canonical TICKETS schema."""
        rows = slice(start, self.tickets if stop is None else stop)
        columns = [
            ticket_ids_at(np.arange(self.tickets)[rows], self.tickets),
            pa.array(self.created[rows], type=INSTANT),
            _labels(PRIORITIES, self.priority[rows]),
            _labels(STATUSES, self.status[rows]),
            _labels(CUSTOMERS, self.customer[rows]),
            _labels(SERVICES, self.service[rows]),
        ]
        columns.append(pa.array(np.arange(self.tickets, dtype=np.int64)[rows]))
        return pa.Table.from_arrays(columns, schema=KEYED_TICKETS)

    def events_table(self, start: int = 0, stop: int | None = None) -> pa.Table:
        """Event rows ``start`` to ``stop`` in the canonical EVENTS schema."""
        rows = slice(start, self.events if stop is None else stop)
        types = self.event_type[rows]
        columns = [
            ticket_ids_at(self.event_ticket[rows], self.tickets),
            pa.array(self.event_at[rows], type=INSTANT),
            _labels(tuple(kind for kind, _ in EVENT_TYPES), types),
            _labels(tuple(value for _, value in EVENT_TYPES), types),
            _labels(CHANNELS, self.event_channel[rows]),
        ]
        columns.append(pa.array(self.event_ticket[rows].astype(np.int64)))
        return pa.Table.from_arrays(columns, schema=KEYED_EVENTS)


def generate(
    tickets: int,
    *,
    seed: int = SEED,
    block_tickets: int = BLOCK_TICKETS,
    progress: Progress | None = None,
) -> Workload:
    """The workload for ``tickets`` tickets, events shuffled within blocks of ``block_tickets``
    tickets; the same arguments give the same arrays on every machine (NumPy's PCG64, a fixed
    chunk size).

    >>> workload = generate(1_000)
    >>> workload.tickets, 4.0 < workload.events / workload.tickets < 4.8
    (1000, True)
    """
    if tickets < 1:
        raise ValueError("a workload needs at least one ticket")
    report = progress or (lambda _what, _done: None)
    rng = np.random.default_rng([seed, 0])
    created = np.sort(_created(rng, tickets))
    priority = rng.choice(len(PRIORITIES), size=tickets, p=PRIORITY_SHARES).astype(np.uint8)
    status = (rng.random(tickets) < WAITING_AT_CREATION).astype(np.uint8)
    customer = rng.integers(0, len(CUSTOMERS), size=tickets).astype(np.uint16)
    service = rng.choice(len(SERVICES), size=tickets, p=SERVICE_SHARES).astype(np.uint8)

    # Each event is packed in one 16-byte row, (at, ticket << 16 | type << 8 | channel), so that
    # the shuffle gathers one row per event instead of four scattered values.
    parts: list[npt.NDArray[np.int64]] = []
    for chunk, first in enumerate(range(0, tickets, _CHUNK)):
        report("generating events", 0.8 * first / tickets)
        rows = slice(first, min(first + _CHUNK, tickets))
        local, at, types, channels = _events(
            np.random.default_rng([seed, 1, chunk]), created[rows], priority[rows], status[rows]
        )
        packed = np.empty((at.size, 2), dtype=np.int64)
        packed[:, 0] = at
        packed[:, 1] = ((local + first) << 16) | (types.astype(np.int64) << 8) | channels
        parts.append(packed)
    events = np.concatenate(parts)
    del parts

    report("shuffling events", 0.8)
    rng = np.random.default_rng([seed, 2])
    copies = np.flatnonzero(rng.random(events.shape[0]) < DUPLICATED)
    order = rng.permutation(events.shape[0] + copies.size)
    meta = np.concatenate((events[:, 1], events[copies, 1]))
    order = order[np.argsort((meta[order] >> 16) // block_tickets, kind="stable")]
    del meta
    # np.take gathers whole rows at once; fancy indexing of a 2-D array is four times slower.
    events = np.take(np.concatenate((events, np.take(events, copies, axis=0))), order, axis=0)
    meta = events[:, 1]
    event_at = np.ascontiguousarray(events[:, 0])
    event_ticket = (meta >> 16).astype(np.int32)
    event_type = ((meta >> 8) & 0xFF).astype(np.uint8)
    event_channel = (meta & 0xFF).astype(np.uint8)
    del events, meta
    report("generated", 1.0)
    return Workload(
        created=created,
        priority=priority,
        status=status,
        customer=customer,
        service=service,
        event_ticket=event_ticket,
        event_at=event_at,
        event_type=event_type,
        event_channel=event_channel,
        duplicates=int(copies.size),
    )


@dataclass(frozen=True)
class WorkloadFiles:
    """A workload written to a directory, as described by its ``workload.json``."""

    directory: Path
    tickets: int
    events: int
    duplicates: int
    seed: int
    generation_s: float

    @property
    def tickets_path(self) -> Path:
        return self.directory / "tickets.parquet"

    @property
    def events_path(self) -> Path:
        return self.directory / "events.parquet"

    @property
    def manifest_path(self) -> Path:
        return self.directory / "workload.json"


def write(
    workload: Workload,
    directory: Path,
    *,
    seed: int = SEED,
    row_group_size: int = 1 << 20,
    progress: Progress | None = None,
    generation_s: float = 0.0,
) -> WorkloadFiles:
    """Write ``tickets.parquet``, ``events.parquet`` (snappy, ``row_group_size`` rows per group)
    and ``workload.json`` into ``directory``; the manifest is written last, so a directory with
    one holds complete files."""
    report = progress or (lambda _what, _done: None)
    directory.mkdir(parents=True, exist_ok=True)
    files = WorkloadFiles(
        directory, workload.tickets, workload.events, workload.duplicates, seed, generation_s
    )
    files.manifest_path.unlink(missing_ok=True)
    _write_groups(
        files.tickets_path,
        KEYED_TICKETS,
        workload.tickets_table,
        range(0, workload.tickets, row_group_size),
        lambda start: report("writing tickets", 0.1 * start / workload.tickets),
    )
    _write_groups(
        files.events_path,
        KEYED_EVENTS,
        workload.events_table,
        range(0, workload.events, row_group_size),
        lambda start: report("writing events", 0.1 + 0.9 * start / workload.events),
    )
    manifest = {
        "generator": GENERATOR_VERSION,
        "seed": seed,
        "tickets": workload.tickets,
        "events": workload.events,
        "duplicates": workload.duplicates,
        "as_of": AS_OF.isoformat(),
        "generation_s": round(generation_s, 3),
    }
    files.manifest_path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    report("written", 1.0)
    return files


def ensure(
    tickets: int, directory: Path, *, seed: int = SEED, progress: Progress | None = None
) -> tuple[WorkloadFiles, bool]:
    """The workload files in ``directory``, generated unless a complete set for the same
    ``tickets``, ``seed`` and generator version is already there; the flag says whether they
    were reused."""
    cached = read_manifest(directory)
    if (
        cached is not None
        and cached.tickets == tickets
        and cached.seed == seed
        and cached.tickets_path.exists()
        and cached.events_path.exists()
    ):
        return cached, True
    began = time.perf_counter()
    workload = generate(tickets, seed=seed, progress=_scaled(progress, 0.0, 0.5))
    generation_s = time.perf_counter() - began
    files = write(
        workload,
        directory,
        seed=seed,
        progress=_scaled(progress, 0.5, 1.0),
        generation_s=generation_s,
    )
    return files, False


def read_manifest(directory: Path) -> WorkloadFiles | None:
    """The workload described by ``directory/workload.json``, or None when there is none or it
    comes from another generator version."""
    try:
        data: dict[str, Any] = json.loads((directory / "workload.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("generator") != GENERATOR_VERSION:
        return None
    return WorkloadFiles(
        directory,
        int(data["tickets"]),
        int(data["events"]),
        int(data["duplicates"]),
        int(data["seed"]),
        float(data["generation_s"]),
    )


def ticket_ids(tickets: int) -> pa.Array:
    """``T0000001`` … as one Arrow string array, built from bytes (no Python strings); the
    digits widen past 9,999,999 tickets so that ids sort like numbers.

    >>> ticket_ids(3).to_pylist()
    ['T0000001', 'T0000002', 'T0000003']
    """
    return ticket_ids_at(np.arange(tickets, dtype=np.int64), tickets)


def ticket_ids_at(index: npt.NDArray[Any], tickets: int) -> pa.Array:
    """The ids of the tickets at ``index`` (0-based) in a workload of ``tickets`` tickets."""
    width = max(7, len(str(tickets)))
    numbers = index.astype(np.int64) + 1
    chars = np.empty((numbers.size, width + 1), dtype=np.uint8)
    chars[:, 0] = ord("T")
    for position in range(width, 0, -1):
        numbers, digit = np.divmod(numbers, 10)
        chars[:, position] = ord("0") + digit
    offsets = np.arange(0, (numbers.size + 1) * (width + 1), width + 1, dtype=np.int32)
    return pa.Array.from_buffers(
        pa.string(), numbers.size, [None, pa.py_buffer(offsets), pa.py_buffer(chars)]
    )


# -- generation ------------------------------------------------------------------------------


def _created(rng: np.random.Generator, tickets: int) -> Micros:
    """Creation instants: most inside Mon–Fri 08:00–18:00 Berlin (holidays included, as
    tickets arrive on them too), the rest uniform over the three years."""
    days = [
        FIRST_DAY + dt.timedelta(days=offset) for offset in range((LAST_DAY - FIRST_DAY).days + 1)
    ]
    weekdays = [day for day in days if day.weekday() < 5]
    # UTC instant of local midnight of each weekday; 08:00–18:00 never meets a DST change.
    midnight = np.array(
        [
            _epoch_ms(dt.datetime.combine(day, dt.time(12), ZONE)) - 12 * 3600 * MS
            for day in weekdays
        ],
        dtype=np.int64,
    )
    in_hours = rng.random(tickets) < BUSINESS_HOURS_SHARE
    day = rng.integers(0, midnight.size, size=tickets)
    within = rng.integers(8 * 3600 * MS, 18 * 3600 * MS, size=tickets)
    start = _epoch_ms(dt.datetime.combine(FIRST_DAY, dt.time(0), ZONE))
    end = _epoch_ms(dt.datetime.combine(LAST_DAY + dt.timedelta(days=1), dt.time(0), ZONE))
    anytime = rng.integers(start, end, size=tickets)
    return np.where(in_hours, midnight[day] + within, anytime) * MS


def _events(
    rng: np.random.Generator, created: Micros, priority: Codes, status: Codes
) -> tuple[npt.NDArray[np.int64], Micros, Codes, Codes]:
    """The events of one chunk of tickets: (ticket index in the chunk, at, type, channel), in
    no particular order.

    Each ticket has _SLOTS possible events in a fixed order; a slot is present or not, and its
    gap (ms) after the previous present slot is drawn for every ticket at once. Arrays are slot
    by ticket, so that filling a slot and summing the gaps run over contiguous memory.
    """
    n = created.size
    present = np.zeros((_SLOTS, n), dtype=bool)
    gap = np.zeros((_SLOTS, n), dtype=np.int64)
    types = np.zeros((_SLOTS, n), dtype=np.uint8)
    channel = np.zeros((_SLOTS, n), dtype=np.uint8)
    waiting = status == 1
    hour, day = 3600.0, 86400.0

    def slot(index: int, where: npt.NDArray[np.bool_], kind: int | Codes, wait: Any) -> None:
        present[index] = where
        np.multiply(wait, MS, out=gap[index], casting="unsafe")
        types[index] = kind

    def chance(share: float) -> npt.NDArray[np.bool_]:
        return rng.random(n, dtype=np.float32) < share

    def lognormal(
        median: float | npt.NDArray[np.float32], sigma: float, low: float, high: float
    ) -> npt.NDArray[np.float32]:
        draw: npt.NDArray[np.float32] = np.exp(sigma * rng.standard_normal(n, dtype=np.float32))
        draw *= median
        np.clip(draw, low, high, out=draw)
        return draw

    def uniform(low: float, high: float) -> npt.NDArray[np.float32]:
        return low + (high - low) * rng.random(n, dtype=np.float32)

    response_median = np.array([0.25, 0.75, 3.0, 6.0], dtype=np.float32)[priority] * hour
    work_median = np.array([3.0, 10.0, 36.0, 96.0], dtype=np.float32)[priority] * hour

    # 0–3: automatic acknowledgement, internal note, first public reply, "In progress".
    slot(0, chance(ACKNOWLEDGED), AUTOMATION, uniform(2, 120))
    channel[0] = 1
    slot(1, chance(INTERNAL_NOTE), INTERNAL, lognormal(900, 1.0, 60, day))
    slot(2, chance(AGENT_REPLY), AGENT, lognormal(response_median, 1.2, 30, 10 * day))
    channel[2] = rng.choice(np.array([1, 2, 3], dtype=np.uint8), size=n, p=[0.5, 0.4, 0.1])
    back = np.where(waiting, lognormal(20 * hour, 1.0, 600, 10 * day), uniform(1, 600))
    slot(3, waiting | chance(IN_PROGRESS), IN_PROGRESS_EVENT, back)

    # 4: a priority change one step up or down.
    step = np.where(chance(0.5), -1, 1)
    new = np.where((priority + step < 0) | (priority + step > 3), priority - step, priority + step)
    changed = chance(PRIORITY_CHANGED)
    slot(4, changed, (PRIORITY_EVENT + new).astype(np.uint8), lognormal(hour, 1.0, 60, 5 * day))

    # 5–12: up to four pauses, each a waiting status and then back to "In progress".
    pauses = rng.choice(len(PAUSES), size=n, p=PAUSES)
    for number in range(len(PAUSES) - 1):
        on = pauses > number
        waiting_on = np.where(chance(0.7), WAIT_CUSTOMER, WAIT_THIRD_PARTY).astype(np.uint8)
        slot(5 + 2 * number, on, waiting_on, lognormal(4 * hour, 1.0, 60, 10 * day))
        slot(6 + 2 * number, on, IN_PROGRESS_EVENT, lognormal(20 * hour, 1.2, 60, 30 * day))

    # 13–16: resolved; reopened and resolved again; closed some days after.
    resolved = chance(RESOLVED)
    reopened = resolved & chance(REOPENED / RESOLVED)
    slot(13, resolved, RESOLVED_EVENT, lognormal(work_median, 1.0, 300, 60 * day))
    slot(14, reopened, IN_PROGRESS_EVENT, uniform(hour, 7 * day))
    slot(15, reopened, RESOLVED_EVENT, lognormal(4 * hour, 1.0, 300, 10 * day))
    slot(16, resolved & chance(CLOSED), CLOSED_EVENT, uniform(2 * day, 10 * day))

    # An open ticket with pauses is still waiting at export half the time: drop the last resume.
    rows = np.flatnonzero(~resolved & (pauses > 0) & chance(PAUSED_AT_EXPORT))
    present[4 + 2 * pauses[rows], rows] = False

    at = gap
    at *= present
    for index in range(1, _SLOTS):  # a cumulative sum down the slots, row by contiguous row
        at[index] += at[index - 1]
    at *= MS
    at += created
    present &= at <= _epoch_ms(AS_OF) * MS
    _, ticket = np.nonzero(present)
    return ticket, at[present], types[present], channel[present]


def _write_groups(
    path: Path,
    schema: pa.Schema,
    table: Callable[[int, int], pa.Table],
    starts: range,
    report: Callable[[int], None],
) -> None:
    """Write ``table(start, start + step)`` for each start as one row group; the next group is
    built on a second thread while this one is written (both release the GIL). Only the columns
    with few distinct values are dictionary-encoded: for ids, the dictionary overflows and
    falls back to plain encoding, at twice the cost."""
    labels = [name for name in schema.names if name not in ("ticket_id", "created_at", "at")]
    with (
        ThreadPoolExecutor(max_workers=1) as pool,
        pq.ParquetWriter(path, schema, compression="snappy", use_dictionary=labels) as writer,
    ):
        pending = [pool.submit(table, start, start + starts.step) for start in starts[:1]]
        for number, start in enumerate(starts):
            report(start)
            group = pending.pop().result()
            pending.extend(pool.submit(table, s, s + starts.step) for s in starts[number + 1 :][:1])
            writer.write_table(group, row_group_size=starts.step)


def _labels(names: tuple[str | None, ...], codes: npt.NDArray[Any]) -> pa.Array:
    return pa.array(names, type=pa.string()).take(pa.array(codes))


def _epoch_ms(instant: dt.datetime) -> int:
    return int(instant.timestamp()) * MS


def _scaled(progress: Progress | None, low: float, high: float) -> Progress | None:
    if progress is None:
        return None
    report = progress
    return lambda what, done: report(what, low + (high - low) * done)


def main(argv: list[str] | None = None) -> None:
    """``python -m benchmarks.workload --tickets N --out DIR``: write a workload and say how
    long it took."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--tickets", type=int, required=True)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    began = time.perf_counter()
    files, reused = ensure(args.tickets, args.out, seed=args.seed)
    print(
        f"{files.tickets:,} tickets, {files.events:,} events "
        f"({files.events / files.tickets:.3f} per ticket, {files.duplicates:,} duplicated) "
        f"in {files.directory}: {'reused' if reused else 'generated'}; generation "
        f"{files.generation_s:.1f} s, total {time.perf_counter() - began:.1f} s"
    )


if __name__ == "__main__":
    main()

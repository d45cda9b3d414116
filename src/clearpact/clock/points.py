"""From canonical tables to *points*: every ticket's creation and its events, in time order,
with the state after each (status, priority, open/resolved/closed), as NumPy arrays.

This is the half of the clock kernel that reads the input once per call; ``kernel`` measures
each SLA over the points. Pure: imports NumPy, pyarrow and ``clock.tables``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from clearpact.calendar import Calendar
from clearpact.clock.tables import INSTANT, StatusMeanings

I64 = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

US = 1_000_000
NEVER = np.iinfo(np.int64).max

# Point kinds. Event kinds not listed are counted and ignored.
CREATED, STATUS, PRIORITY, REPLY, ASSIGNMENT, WORKAROUND = range(6)
KIND_CODES = {
    "status": STATUS,
    "priority": PRIORITY,
    "reply": REPLY,
    "assignment": ASSIGNMENT,
    "workaround": WORKAROUND,
}
OPEN, RESOLVED, CLOSED = 0, 1, 2

# Why an event is rejected (the ``reason`` of rejected events).
NO_TICKET = "no ticket has this ticket_id"
NO_TIME = "the event has no time"
UNKNOWN_KIND = "unknown event kind"
NO_VALUE = "a status or priority event without a value"

# Notes on a row: bit → text. Rare, so strings are built only for the rows that have one.
NOTE_BEFORE_CREATION = 1
NOTE_DUPLICATES = 2
NOTE_UNANSWERED = 4
NOTE_STOP_BEFORE_START = 8
NOTE_NEVER_STARTED = 16
NOTE_NO_TARGET = 32
NOTE_NO_PRIORITY = 64
NOTE_CREATED_STOPPED = 128
NOTES = {
    NOTE_BEFORE_CREATION: "events dated before the ticket was created were moved to its creation",
    NOTE_DUPLICATES: "duplicate events were ignored",
    NOTE_UNANSWERED: "resolved without a recorded response; the resolution stopped the clock",
    NOTE_STOP_BEFORE_START: "the clock stopped before it started; nothing elapsed",
    NOTE_NEVER_STARTED: "the start event never happened; the clock did not run",
    NOTE_NO_TARGET: "the agreement sets no target for this priority",
    NOTE_NO_PRIORITY: "the ticket has no priority",
    NOTE_CREATED_STOPPED: "the ticket's history begins resolved or closed (an export that starts "
    "late?)",
}


@dataclass
class ClockReport:
    """What the kernel met on the way: counts a summary prints and a test can assert."""

    tickets: int = 0
    events: int = 0
    rows: int = 0
    tickets_after_as_of: int = 0
    events_after_as_of: int = 0
    events_unknown_ticket: int = 0
    events_without_time: int = 0
    events_unknown_kind: int = 0
    events_without_value: int = 0  # status or priority events that name none
    events_before_creation: int = 0
    events_duplicated: int = 0
    events_out_of_order: int = 0
    statuses: dict[str, int] = field(default_factory=dict)  # status name → status events

    def merge(self, other: ClockReport) -> None:
        """Add another report's counts (runners combine partitions)."""
        for name, value in vars(other).items():
            if isinstance(value, int):
                setattr(self, name, getattr(self, name) + value)
        for status, count in other.statuses.items():
            self.statuses[status] = self.statuses.get(status, 0) + count


# -- input columns --------------------------------------------------------------------------------


@dataclass
class Columns:
    """The inputs as NumPy arrays, read once per call; codes index ``names`` (-1: none)."""

    tickets: pa.Table
    created: I64
    priority: npt.NDArray[np.int32]
    status: npt.NDArray[np.int32]
    e_ticket: I64  # index into ``tickets``
    e_at: I64
    e_kind: npt.NDArray[np.int8]
    e_value: npt.NDArray[np.int32]
    e_row: I64  # row in the events table
    channels: pa.ChunkedArray | None
    names: list[str]
    as_of: int
    rejected: pa.Table

    def subset(self, mask: Bools) -> Columns:
        """The columns of the tickets in ``mask`` and their events."""
        renumber = np.cumsum(mask) - 1
        mine = mask[self.e_ticket]
        return Columns(
            tickets=self.tickets.filter(pa.array(mask)),
            created=self.created[mask],
            priority=self.priority[mask],
            status=self.status[mask],
            e_ticket=renumber[self.e_ticket[mine]],
            e_at=self.e_at[mine],
            e_kind=self.e_kind[mine],
            e_value=self.e_value[mine],
            e_row=self.e_row[mine],
            channels=self.channels,
            names=self.names,
            as_of=self.as_of,
            rejected=self.rejected,
        )


def _instants(table: pa.Table, column: str, table_name: str) -> I64:
    values = table[column]
    kind = values.type
    if not pa.types.is_timestamp(kind):
        raise TypeError(f"{table_name}.{column} must be a timestamp column, not {kind}")
    if kind.tz is None:
        raise ValueError(
            f"{table_name}.{column} has no time zone; state the zone the export was written in "
            "when importing it"
        )
    if kind != INSTANT:  # nanoseconds (pandas' default) are cut to the microsecond
        values = pc.cast(values, INSTANT, safe=False)
    if values.null_count:
        values = pc.fill_null(values, pa.scalar(0, INSTANT))
    return _numbers(values).view(np.int64)


def _numbers(values: pa.ChunkedArray | pa.Array) -> npt.NDArray[Any]:
    """A column of numbers without nulls as one NumPy array: a view of its buffer when it has
    one chunk (no copy), else the chunks joined."""
    if isinstance(values, pa.ChunkedArray):
        values = values.chunk(0) if values.num_chunks == 1 else values.combine_chunks()
    return np.asarray(values.to_numpy(zero_copy_only=False))


def _codes(columns: list[pa.ChunkedArray]) -> tuple[list[npt.NDArray[np.int32]], list[str]]:
    """Codes (-1 for null) of several string columns over one shared list of names.

    Dictionary-typed columns (Parquet read with ``read_dictionary``) are used as they are, so
    their strings are never hashed again; plain strings are dictionary-encoded once.
    """
    names: list[str] = []
    position: dict[str, int] = {}
    out = []
    for column in columns:
        if pa.types.is_dictionary(column.type):
            encoded = column.unify_dictionaries() if column.num_chunks > 1 else column
        else:
            encoded = column.dictionary_encode()
        chunks = encoded.chunks
        dictionary = chunks[0].dictionary.to_pylist() if chunks else []
        remap = np.empty(len(dictionary) + 1, dtype=np.int32)
        for code, name in enumerate(dictionary):
            # A null inside a dictionary means no value, as a null string does.
            remap[code] = -1 if name is None else position.setdefault(name, len(position))
        remap[-1] = -1
        names = list(position)
        parts = [
            _numbers(
                pc.fill_null(chunk.indices.cast(pa.int32()), -1)
                if chunk.null_count
                else chunk.indices
            )
            for chunk in chunks
        ]
        indices = np.concatenate(parts) if parts else np.empty(0, np.int32)
        out.append(remap[indices])
    return out, names


def _string_column(table: pa.Table, name: str) -> pa.ChunkedArray:
    if name in table.column_names:
        column = table[name]
        if column.type == pa.string() or (
            pa.types.is_dictionary(column.type) and column.type.value_type == pa.string()
        ):
            return column
        return pc.cast(column, pa.string())
    return pa.chunked_array([pa.nulls(table.num_rows, pa.string())])


def check_unique_tickets(tickets: pa.Table) -> None:
    """Raise ``ValueError`` when a ticket appears twice: by ``ticket_key`` when there is one
    (``ticket_rows`` checks the ids when events are matched by id), else by ``ticket_id``."""
    if "ticket_key" not in tickets.column_names:
        _check_unique(tickets["ticket_id"], "ticket_id")
        return
    if not keys_are_rows(tickets):
        _check_unique(tickets["ticket_key"], "ticket_key")


def keys_are_rows(tickets: pa.Table) -> bool:
    """Whether the tickets' ``ticket_key`` is 0, 1, 2 … in table order (as a store writes it):
    then an event's key is its ticket's row."""
    if "ticket_key" not in tickets.column_names or tickets["ticket_key"].null_count:
        return False
    return _row_numbers(np.asarray(tickets["ticket_key"].to_numpy()))


def _row_numbers(keys: npt.NDArray[Any]) -> bool:
    n = keys.size
    return n == 0 or bool(keys[0] == 0 and keys[-1] == n - 1 and (keys == np.arange(n)).all())


def _check_unique(column: pa.ChunkedArray, name: str) -> None:
    if pc.count_distinct(column).as_py() != len(column):
        raise ValueError(f"tickets.{name} has duplicates; each ticket must appear once")


def rejects(rows: I64, reason: str) -> pa.Table:
    """Rejected events: their rows in the events table, each with ``reason``."""
    return pa.table(
        {"row": pa.array(rows, pa.int64()), "reason": pa.array([reason] * rows.size, pa.string())}
    )


def ticket_rows(tickets: pa.Table, events: pa.Table) -> I64:
    """For each event, the row of its ticket in ``tickets`` (-1 when none).

    With a ``ticket_key`` column (an integer key an import assigns, unique per ticket) in both
    tables, events are matched by key alone: the key is the row when the keys are 0, 1, 2 … in
    table order (as a store writes them), else one binary search each. Otherwise the ticket ids
    are hashed.
    """
    if "ticket_key" not in tickets.column_names or "ticket_key" not in events.column_names:
        if "ticket_id" not in events.column_names:
            raise ValueError(
                "events have no ticket_id, and ticket_key can match them only when the tickets "
                "have a ticket_key too"
            )
        if "ticket_key" in tickets.column_names:  # not checked by check_unique_tickets
            _check_unique(tickets["ticket_id"], "ticket_id")
        index = pc.index_in(events["ticket_id"], value_set=tickets["ticket_id"].combine_chunks())
        return np.asarray(pc.fill_null(index, -1).to_numpy(zero_copy_only=False)).astype(np.int64)
    if tickets["ticket_key"].null_count:
        raise ValueError(
            f"tickets.ticket_key is empty in {tickets['ticket_key'].null_count} rows; every "
            "ticket needs its key"
        )
    keys = np.asarray(tickets["ticket_key"].to_numpy(), dtype=np.int64)
    column = events["ticket_key"]
    missing = None
    if column.null_count:
        missing = np.asarray(column.is_null().to_numpy(zero_copy_only=False), dtype=bool)
        column = pc.fill_null(column, 0)
    wanted = np.asarray(column.to_numpy(), dtype=np.int64)
    n = keys.size
    if _row_numbers(keys):
        rows = wanted
        bad = (wanted < 0) | (wanted >= n)
    elif n:
        order = np.argsort(keys, kind="stable")
        ordered = keys[order]
        if (ordered[1:] == ordered[:-1]).any():
            raise ValueError("tickets.ticket_key has duplicates; each ticket must appear once")
        at = np.minimum(np.searchsorted(ordered, wanted), n - 1)
        rows, bad = order[at], ordered[at] != wanted
    else:
        rows, bad = wanted, np.ones(wanted.size, dtype=bool)
    if missing is not None:
        bad |= missing
    return np.where(bad, -1, rows) if bad.any() else rows


def read_columns(tickets: pa.Table, events: pa.Table, as_of: int, report: ClockReport) -> Columns:
    created = _instants(tickets, "created_at", "tickets")
    if tickets["created_at"].null_count:
        raise ValueError(
            f"tickets.created_at is empty in {tickets['created_at'].null_count} rows; every "
            "ticket needs its creation instant"
        )
    check_unique_tickets(tickets)
    in_time = created <= as_of
    report.tickets_after_as_of = int((~in_time).sum())
    report.tickets = int(in_time.sum())
    report.events = events.num_rows

    e_ticket = ticket_rows(tickets, events)
    e_at = _instants(events, "at", "events")
    no_time = np.asarray(events["at"].is_null().to_numpy(zero_copy_only=False), dtype=bool)
    (kinds,), kind_names = _codes([_string_column(events, "kind")])
    kind_lut = np.array([KIND_CODES.get(k, -1) for k in kind_names] + [-1], dtype=np.int8)
    e_kind = kind_lut[kinds]
    (e_value, priority, status), names = _codes(
        [
            _string_column(events, "value"),
            _string_column(tickets, "priority"),
            _string_column(tickets, "status"),
        ]
    )

    known = e_ticket >= 0
    late_ticket = known & ~in_time[np.maximum(e_ticket, 0)] if in_time.size else known
    # A status or priority change that names no status or priority says nothing: rejected.
    empty = known & ~no_time & ((e_kind == STATUS) | (e_kind == PRIORITY)) & (e_value < 0)
    # An unreadable event is rejected (below), not also counted as late.
    readable = ~no_time & (e_kind >= 0) & ~empty
    late = known & ~late_ticket & readable & (e_at > as_of)
    report.events_after_as_of = int((late | (late_ticket & readable)).sum())
    rejected = []
    for mask, reason in (
        (~known, NO_TICKET),
        (known & no_time, NO_TIME),
        (known & ~no_time & (e_kind < 0), UNKNOWN_KIND),
        (empty, NO_VALUE),
    ):
        if mask.any():
            rejected.append(rejects(np.flatnonzero(mask), reason))
    report.events_unknown_ticket = int((~known).sum())
    report.events_without_time = int((known & no_time).sum())
    report.events_unknown_kind = int((known & ~no_time & (e_kind < 0)).sum())
    report.events_without_value = int(empty.sum())
    keep = known & ~late_ticket & ~no_time & (e_kind >= 0) & ~late & ~empty
    if keep.all() and in_time.all():  # the usual case: no copies
        rows = np.arange(keep.size)
        e_ticket_kept, e_at_kept, e_kind_kept, e_value_kept = e_ticket, e_at, e_kind, e_value
    else:
        rows = np.flatnonzero(keep)
        renumber = np.cumsum(in_time) - 1
        e_ticket_kept = renumber[e_ticket[rows]]
        e_at_kept, e_kind_kept, e_value_kept = e_at[rows], e_kind[rows], e_value[rows]
    channels = events["channel"] if "channel" in events.column_names else None
    if channels is not None and channels.null_count == len(channels):
        channels = None
    return Columns(
        tickets=tickets if in_time.all() else tickets.filter(pa.array(in_time)),
        created=created[in_time],
        priority=priority[in_time],
        status=status[in_time],
        e_ticket=e_ticket_kept,
        e_at=e_at_kept,
        e_kind=e_kind_kept,
        e_value=e_value_kept,
        e_row=rows,
        channels=channels,
        names=names,
        as_of=as_of,
        rejected=pa.concat_tables(rejected) if rejected else rejects(np.empty(0, np.int64), ""),
    )


# -- points ---------------------------------------------------------------------------------------


@dataclass
class Points:
    """Every ticket's creation and events, sorted by ticket then time, with the state after each."""

    first: I64  # index of each ticket's creation point
    ticket: I64
    at: I64
    kind: npt.NDArray[np.int8]
    value: npt.NDArray[np.int32]  # code into ``names``; -1 for none
    status: npt.NDArray[np.int32]  # status after the point (code), -1 for none
    priority: npt.NDArray[np.int32]  # priority after the point (code)
    life: npt.NDArray[np.int8]  # OPEN, RESOLVED or CLOSED after the point
    channels: pa.ChunkedArray | None  # the events' channel column, when it has any value
    event_rows: I64  # row in the events table of each event point, in point order
    names: list[str]
    notes: I64  # per ticket
    index: I64  # 0, 1, 2 … (one shared copy for the SLAs' index arithmetic)
    index_1: I64  # 1, 2, 3 …
    _accrued: dict[str, I64] = field(default_factory=dict)
    views: dict[object, Points] = field(default_factory=dict)  # see ``kernel._view``

    @property
    def channel(self) -> pa.Array | None:
        """The channel of each event point, in point order (creation points excluded); None
        when no event has one. Taken when an SLA asks (few do)."""
        if self.channels is None:
            return None
        return self.channels.take(pa.array(self.event_rows)).combine_chunks()

    def keep(self, mask: Bools) -> Points:
        """The points in ``mask`` (which must hold every ticket's creation point), with their
        ``F`` values already computed; without channels."""
        kept = np.flatnonzero(mask)
        size = kept.size
        kind = self.kind[kept]
        return Points(
            first=np.flatnonzero(kind == CREATED),  # every ticket's creation point is kept
            ticket=self.ticket[kept],
            at=self.at[kept],
            kind=kind,
            value=self.value[kept],
            status=self.status[kept],
            priority=self.priority[kept],
            life=self.life[kept],
            channels=None,
            event_rows=np.empty(0, dtype=np.int64),
            names=self.names,
            notes=self.notes,
            index=np.arange(size, dtype=np.int64),
            index_1=np.arange(1, size + 1, dtype=np.int64),
            _accrued={name: values[kept] for name, values in self._accrued.items()},
        )

    def accrued(self, name: str, calendar: Calendar, as_of: int) -> I64:
        """F of every point on one calendar, computed once and shared by every SLA."""
        if name not in self._accrued:
            low = min(int(self.at.min()), as_of) if self.at.size else as_of
            high = max(int(self.at.max()), as_of) if self.at.size else as_of
            calendar.prepare(low, high)
            self._accrued[name] = calendar.accrued(self.at)
        return self._accrued[name]


def build_points(columns: Columns, statuses: StatusMeanings, report: ClockReport) -> Points:
    c = columns
    n = c.created.size
    order = _ticket_time_order(c.e_ticket, c.e_at, n)
    e_ticket, e_at, e_kind, e_value = (
        c.e_ticket[order],
        c.e_at[order],
        c.e_kind[order],
        c.e_value[order],
    )
    e_row = c.e_row[order]
    same = np.zeros(e_ticket.size, dtype=bool)
    same[1:] = e_ticket[1:] == e_ticket[:-1]
    notes = np.zeros(n, dtype=np.int64)

    # Sorting is ordinary work (exports list events in any order): counted, not noted per row.
    out_of_order = same & np.concatenate(([False], np.diff(e_row) < 0))
    report.events_out_of_order += int(out_of_order.sum())

    duplicate = same.copy()
    duplicate[1:] &= (
        (e_at[1:] == e_at[:-1]) & (e_kind[1:] == e_kind[:-1]) & (e_value[1:] == e_value[:-1])
    )
    if c.channels is not None and duplicate.any():  # a reply on another channel is no twin
        (channel_codes,), _ = _codes([c.channels])
        e_channel = channel_codes[e_row]
        duplicate[1:] &= e_channel[1:] == e_channel[:-1]
    report.events_duplicated += int(duplicate.sum())
    if duplicate.any():
        # A duplicate follows its twin at the same instant with the same value: it opens a
        # segment of zero length and changes no state, so it is counted and left in place.
        notes[e_ticket[duplicate]] |= NOTE_DUPLICATES

    early = e_at < c.created[e_ticket]
    report.events_before_creation += int(early.sum())
    if early.any():
        notes[e_ticket[early]] |= NOTE_BEFORE_CREATION
        e_at = np.maximum(e_at, c.created[e_ticket])  # keeps the order: all move to creation

    m = e_ticket.size
    counts = np.bincount(e_ticket, minlength=n).astype(np.int64)
    first = np.arange(n, dtype=np.int64)
    first[1:] += np.cumsum(counts)[:-1]
    size = n + m
    positions = np.arange(m, dtype=np.int64) + e_ticket + 1

    ticket = np.repeat(np.arange(n, dtype=np.int64), counts + 1)
    at = np.empty(size, dtype=np.int64)
    at[first] = c.created
    at[positions] = e_at
    kind = np.empty(size, dtype=np.int8)
    kind[first] = CREATED
    kind[positions] = e_kind
    value = np.full(size, -1, dtype=np.int32)
    value[positions] = e_value
    status = _carry(first, positions, c.status, e_value, (e_kind == STATUS) & (e_value >= 0), size)
    priority = _carry(
        first, positions, c.priority, e_value, (e_kind == PRIORITY) & (e_value >= 0), size
    )
    life_lut = np.zeros(len(c.names) + 1, dtype=np.int8)
    for code, name in enumerate(c.names):
        if name in statuses.resolved:
            life_lut[code] = RESOLVED
        if name in statuses.closed:
            life_lut[code] = CLOSED

    life = life_lut[status]
    notes[life[first] != OPEN] |= NOTE_CREATED_STOPPED
    status_counts = np.bincount(
        e_value[np.flatnonzero(e_kind == STATUS)] + 1, minlength=len(c.names) + 1
    )
    for slot in np.flatnonzero(status_counts):
        name = c.names[slot - 1] if slot > 0 else "(none)"
        report.statuses[name] = report.statuses.get(name, 0) + int(status_counts[slot])

    return Points(
        first=first,
        ticket=ticket,
        at=at,
        kind=kind,
        value=value,
        status=status,
        priority=priority,
        life=life,
        channels=c.channels,
        event_rows=e_row,
        names=c.names,
        notes=notes,
        index=np.arange(size, dtype=np.int64),
        index_1=np.arange(1, size + 1, dtype=np.int64),
    )


def _ticket_time_order(ticket: I64, at: I64, tickets: int) -> I64:
    """The stable order of events by ticket, then time (ties keep their input order).

    Plain sorts of packed keys, each carrying the row it came from in its low bits (so they need
    no stable sort, which NumPy does far more slowly). Time counts from the earliest event, in the
    coarsest of seconds, milliseconds or microseconds that loses nothing. When ticket, time and
    row fit in 63 bits together, one sort; else by time, then by ticket keeping that order; when
    even those keys would not fit, a lexsort.
    """
    size = at.size
    if size == 0:
        return np.empty(0, dtype=np.int64)
    offset = at - at.min()
    if not (offset % 1000).any():
        offset //= 1000
        if not (offset % 1000).any():
            offset //= 1000
    row_bits = max(size - 1, 1).bit_length()
    time_bits = int(offset.max()).bit_length()
    ticket_bits = max(tickets - 1, 1).bit_length()
    low = (1 << row_bits) - 1
    if ticket_bits + time_bits + row_bits <= 63:  # one sort: (ticket, time, row) in one key
        key = (ticket << (time_bits + row_bits)) | (offset << row_bits) | np.arange(size)
        return np.sort(key) & low
    if time_bits + row_bits > 63 or ticket_bits + row_bits > 63:
        return np.lexsort((at, ticket))
    by_time = np.sort((offset << row_bits) | np.arange(size)) & low
    by_ticket = np.sort((ticket[by_time] << row_bits) | np.arange(size)) & low
    order: I64 = by_time[by_ticket]
    return order


def _carry(
    first: I64,
    positions: I64,
    initial: npt.NDArray[np.int32],
    values: npt.NDArray[np.int32],
    sets: Bools,
    size: int,
) -> npt.NDArray[np.int32]:
    """Forward-fill within each ticket: the value set by the latest setting point (the creation
    point sets the ticket's initial value)."""
    source = np.zeros(size, dtype=np.int64)
    source[first] = first
    setters = positions[np.flatnonzero(sets)]
    source[setters] = setters
    source = np.maximum.accumulate(source)
    setting = np.full(size, -1, dtype=np.int32)
    setting[first] = initial
    setting[positions] = (values + 1) * sets - 1  # values ≥ -1
    return setting[source]

"""The canonical tables the clock kernel reads and the result table it writes (Arrow schemas).

Import profiles (``clearpact.ingest``) produce ``tickets`` and ``events``; the kernel never reads
files. Timestamps are instants: ``timestamp[us, UTC]``. Names of statuses and priorities are kept
as the ticketing tool writes them; the agreement's ``pause_statuses`` and ``priorities`` use the
same names, and :class:`StatusMeanings` says which statuses resolve or close a ticket.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa

INSTANT = pa.timestamp("us", tz="UTC")

TICKETS = pa.schema(
    [
        pa.field("ticket_id", pa.string(), nullable=False),
        pa.field("created_at", INSTANT, nullable=False),
        pa.field("priority", pa.string()),  # at creation, as the agreement names it ("P2")
        pa.field("status", pa.string()),  # at creation; null means an ordinary working status
        pa.field("customer", pa.string()),
        pa.field("service", pa.string()),
    ]
)
"""One row per ticket. ``customer`` and ``service`` are optional columns.

An import may add ``ticket_key`` (an integer unique per ticket; fastest as 0, 1, 2 … in table
order, as a store writes it) to both tables: the kernel then matches events to tickets by key
instead of hashing ``ticket_id`` strings, and events need no ``ticket_id``. String columns may be
dictionary-typed (as Parquet stores them), which the kernel reads without decoding.
"""

EVENTS = pa.schema(
    [
        pa.field("ticket_id", pa.string(), nullable=False),
        pa.field("at", INSTANT, nullable=False),
        pa.field("kind", pa.string(), nullable=False),
        pa.field("value", pa.string()),
        pa.field("channel", pa.string()),
    ]
)
"""One row per thing that happened to a ticket. ``kind`` is one of :data:`EVENT_KINDS`.

- ``status``: ``value`` is the new status, as the tool names it;
- ``priority``: ``value`` is the new priority, as the agreement names it;
- ``reply``: ``value`` is one of :data:`REPLY_AUTHORS`; ``channel`` optional (portal, email, phone);
- ``assignment``: ``value`` is the assignee (may be null);
- ``workaround``: a workaround was provided (stops a restoration clock).
Rows need not be sorted; duplicates and rows before ``created_at`` are tolerated and reported.
"""

EVENT_KINDS = ("status", "priority", "reply", "assignment", "workaround")
REPLY_AUTHORS = ("agent", "automation", "internal", "customer")
"""``agent``: a public reply written by a person on the provider's side; ``automation``: a public
automatic message (acknowledgement, auto-reply); ``internal``: an internal note; ``customer``: a
reply from the customer."""

RESULT_STATES = ("met", "breached", "open", "open_breached", "no_target")


@dataclass(frozen=True)
class StatusMeanings:
    """Which tool statuses resolve or close a ticket. Every other status keeps the ticket open
    (and pauses a clock only if that SLA lists it in ``pause_statuses``)."""

    resolved: frozenset[str] = field(default_factory=lambda: frozenset({"Resolved", "Solved"}))
    closed: frozenset[str] = field(default_factory=lambda: frozenset({"Closed"}))


LABEL = pa.dictionary(pa.int32(), pa.string())
"""Text of many repeated values in results (customer, service), dictionary-encoded as Parquet
stores it; readers see plain strings (``to_pylist``, DuckDB, pandas)."""
NAME = pa.dictionary(pa.int8(), pa.string())
"""Text of a few values (SLA, metric, state, version): one byte a row."""
NAME16 = pa.dictionary(pa.int16(), pa.string())
"""Text of at most a few hundred values: priority and calendar names (the agreement's own) and
notes (combinations of the kernel's notes)."""

RESULTS = pa.schema(
    [
        pa.field("ticket_id", pa.string(), nullable=False),
        pa.field("sla", NAME, nullable=False),  # the SLA's key in the agreement
        pa.field("metric", NAME, nullable=False),  # first_response | resolution | …
        pa.field("cycle", pa.int32(), nullable=False),  # 0; +1 per reopening measured anew
        pa.field("priority", NAME16),  # the priority whose target applied
        pa.field("calendar", NAME16),
        pa.field("start_at", INSTANT),
        pa.field("stop_at", INSTANT),  # null while the clock has not stopped
        pa.field("elapsed_business_s", pa.float64()),
        pa.field("paused_business_s", pa.float64()),
        pa.field("target_s", pa.float64()),  # null when the priority has no target
        pa.field("due_at", INSTANT),  # null while paused with time left, or with no target
        pa.field("state", NAME, nullable=False),  # one of RESULT_STATES
        pa.field("breached_at", INSTANT),
        pa.field("at_risk", pa.bool_(), nullable=False),
        pa.field("agreement_version", NAME),
        pa.field("customer", LABEL),
        pa.field("service", LABEL),
        pa.field("note", NAME16),  # anomalies met on the way, for the evidence trail
    ]
)
"""One row per ticket per ticket SLA (per cycle when reopenings start new cycles)."""


def tickets_table(rows: list[dict[str, object]]) -> pa.Table:
    """A :data:`TICKETS` table from dicts (missing optional keys are null); for examples and
    tests. Datetimes must be aware."""
    return pa.Table.from_pylist(
        [{name: row.get(name) for name in TICKETS.names} for row in rows], schema=TICKETS
    )


def events_table(rows: list[dict[str, object]]) -> pa.Table:
    """An :data:`EVENTS` table from dicts (``value`` and ``channel`` optional)."""
    return pa.Table.from_pylist(
        [{name: row.get(name) for name in EVENTS.names} for row in rows], schema=EVENTS
    )

"""What a reader found in an export, before any of it is judged: raw rows, as text.

A reader walks its tool's files and reports, for every source row (a CSV line, a JSON record,
an audit entry), what it says: a ticket, events, a survey, that it is irrelevant (``ignore``),
or that the reader itself could not use a value (``reject``). Values stay as the export writes
them; :mod:`clearpact.ingest.importer` parses times, maps statuses and priorities, and decides
what is stored and what is quarantined. Readers of large flat files hand over whole columns
(``add_*``); readers of nested JSON call the one-row methods.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pyarrow as pa

RAW_ROWS = pa.schema(
    [
        ("file", pa.string()),
        ("row", pa.string()),
        ("ignored", pa.string()),
        ("ticket_id", pa.string()),
        ("ticket_field", pa.string()),
    ]
)
RAW_TICKETS = pa.schema(
    [
        ("file", pa.string()),
        ("row", pa.string()),
        ("ticket_id", pa.string()),
        ("created_at", pa.string()),
        ("priority", pa.string()),
        ("status", pa.string()),
        ("customer", pa.string()),
        ("service", pa.string()),
        ("created_at_field", pa.string()),
        ("priority_field", pa.string()),
        ("status_field", pa.string()),
    ]
)
RAW_EVENTS = pa.schema(
    [
        ("file", pa.string()),
        ("row", pa.string()),
        ("ticket_id", pa.string()),
        ("at", pa.string()),
        ("kind", pa.string()),
        ("value", pa.string()),
        ("channel", pa.string()),
        ("ticket_field", pa.string()),
        ("at_field", pa.string()),
        ("value_field", pa.string()),
    ]
)
RAW_SURVEYS = pa.schema(
    [
        ("file", pa.string()),
        ("row", pa.string()),
        ("survey_id", pa.string()),
        ("ticket_id", pa.string()),
        ("customer", pa.string()),
        ("at", pa.string()),
        ("rating", pa.string()),
        ("comment", pa.string()),
        ("at_field", pa.string()),
        ("rating_field", pa.string()),
    ]
)
RAW_REJECTS = pa.schema(
    [
        ("file", pa.string()),
        ("row", pa.string()),
        ("ticket_id", pa.string()),
        ("field", pa.string()),
        ("value", pa.string()),
        ("reason", pa.string()),
        ("whole_row", pa.bool_()),
    ]
)


def _text(value: object) -> str | None:
    """Raw values as text: numbers as the export wrote them, None stays None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@dataclass
class Export:
    """The raw rows of one export, filled by a reader."""

    rows: list[pa.Table] = field(default_factory=list)
    tickets: list[pa.Table] = field(default_factory=list)
    events: list[pa.Table] = field(default_factory=list)
    surveys: list[pa.Table] = field(default_factory=list)
    rejects: list[pa.Table] = field(default_factory=list)
    _pending: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    _seen: set[tuple[str, str]] = field(default_factory=set)

    # --- one row at a time (nested JSON) -------------------------------------------------

    def row(
        self,
        file: str,
        row: str,
        *,
        ignored: str | None = None,
        ticket_id: object = None,
        ticket_field: str = "ticket_id",
    ) -> None:
        """Count a source row once. ``ignored`` says why a row holds nothing a clock reads
        (a notification, a field no SLA uses); it is counted, not quarantined, unless the
        ticket it belongs to (``ticket_id``, read from ``ticket_field``) is rejected."""
        key = (file, row)
        if key in self._seen:
            return
        self._seen.add(key)
        self._buffer("rows").append(
            {
                "file": file,
                "row": row,
                "ignored": ignored,
                "ticket_id": _text(ticket_id),
                "ticket_field": ticket_field,
            }
        )

    def ticket(
        self,
        file: str,
        row: str,
        *,
        ticket_id: object,
        created_at: object,
        priority: object = None,
        status: object = None,
        customer: object = None,
        service: object = None,
        fields: Mapping[str, str] | None = None,
    ) -> None:
        """A ticket as its row states it. ``fields`` names the export's fields for messages
        (``{"created_at": "opened_at"}``); the canonical names otherwise."""
        self.row(file, row)
        names = fields or {}
        self._buffer("tickets").append(
            {
                "file": file,
                "row": row,
                "ticket_id": _text(ticket_id),
                "created_at": _text(created_at),
                "priority": _text(priority),
                "status": _text(status),
                "customer": _text(customer),
                "service": _text(service),
                "created_at_field": names.get("created_at", "created_at"),
                "priority_field": names.get("priority", "priority"),
                "status_field": names.get("status", "status"),
            }
        )

    def event(
        self,
        file: str,
        row: str,
        *,
        ticket_id: object,
        at: object,
        kind: str,
        value: object,
        channel: object = None,
        fields: Mapping[str, str] | None = None,
    ) -> None:
        """An event: ``kind`` canonical; ``value`` as the export writes it (a status name, a
        priority label, a reply author kind, an assignee)."""
        self.row(file, row)
        names = fields or {}
        self._buffer("events").append(
            {
                "file": file,
                "row": row,
                "ticket_id": _text(ticket_id),
                "at": _text(at),
                "kind": kind,
                "value": _text(value),
                "channel": _text(channel),
                "ticket_field": names.get("ticket_id", "ticket_id"),
                "at_field": names.get("at", "at"),
                "value_field": names.get("value", "value"),
            }
        )

    def survey(
        self,
        file: str,
        row: str,
        *,
        survey_id: object,
        at: object,
        rating: object,
        ticket_id: object = None,
        customer: object = None,
        comment: object = None,
        fields: Mapping[str, str] | None = None,
    ) -> None:
        """A satisfaction answer; ``rating`` as the export writes it."""
        self.row(file, row)
        names = fields or {}
        self._buffer("surveys").append(
            {
                "file": file,
                "row": row,
                "survey_id": _text(survey_id),
                "ticket_id": _text(ticket_id),
                "customer": _text(customer),
                "at": _text(at),
                "rating": _text(rating),
                "comment": _text(comment),
                "at_field": names.get("at", "at"),
                "rating_field": names.get("rating", "rating"),
            }
        )

    def reject(
        self,
        file: str,
        row: str,
        *,
        field: str,
        value: object,
        reason: str,
        ticket_id: object = None,
        whole_row: bool = True,
    ) -> None:
        """A value the reader itself cannot use (a status code its lookup list lacks).
        ``whole_row=False``: the rest of the row was read (it is not a quarantined row)."""
        self.row(file, row)
        self._buffer("rejects").append(
            {
                "file": file,
                "row": row,
                "ticket_id": _text(ticket_id),
                "field": field,
                "value": _text(value),
                "reason": reason,
                "whole_row": whole_row,
            }
        )

    # --- whole columns (flat files) ---------------------------------------------------------

    def add_rows(self, table: pa.Table) -> None:
        """Source rows as a :data:`RAW_ROWS` table (rows already counted are not repeated)."""
        self.rows.append(_conform(table, RAW_ROWS))

    def add_tickets(self, table: pa.Table) -> None:
        """Tickets as a :data:`RAW_TICKETS` table (missing columns are null)."""
        self.tickets.append(_conform(table, RAW_TICKETS))

    def add_events(self, table: pa.Table) -> None:
        """Events as a :data:`RAW_EVENTS` table (missing columns are null)."""
        self.events.append(_conform(table, RAW_EVENTS))

    def add_surveys(self, table: pa.Table) -> None:
        """Surveys as a :data:`RAW_SURVEYS` table (missing columns are null)."""
        self.surveys.append(_conform(table, RAW_SURVEYS))

    def add_rejects(self, table: pa.Table) -> None:
        """Reader-rejected values as a :data:`RAW_REJECTS` table."""
        self.rejects.append(_conform(table, RAW_REJECTS))

    # --- handing over ------------------------------------------------------------------------

    def tables(self) -> dict[str, pa.Table]:
        """Every raw table, whole: ``rows``, ``tickets``, ``events``, ``surveys``, ``rejects``."""
        schemas = {
            "rows": RAW_ROWS,
            "tickets": RAW_TICKETS,
            "events": RAW_EVENTS,
            "surveys": RAW_SURVEYS,
            "rejects": RAW_REJECTS,
        }
        result = {}
        for name, schema in schemas.items():
            parts: list[pa.Table] = getattr(self, name)
            buffered = self._pending.get(name)
            if buffered:
                parts = [*parts, pa.Table.from_pylist(buffered, schema=schema)]
            result[name] = pa.concat_tables(parts) if parts else schema.empty_table()
        return result

    def _buffer(self, name: str) -> list[dict[str, object]]:
        return self._pending.setdefault(name, [])


def _conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    columns = []
    for item in schema:
        if item.name in table.column_names:
            columns.append(table[item.name].cast(item.type))
        else:
            columns.append(pa.nulls(table.num_rows, item.type))
    return pa.Table.from_arrays(columns, schema=schema)

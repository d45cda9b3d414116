"""Reader ``servicenow_log``: a ServiceNow incident log of one snapshot per update (the shape of
UCI data set 498), through :func:`clearpact.ingest.servicenow_log.read_servicenow_log`.

The snapshots become tickets and status / priority / assignment events there (its docstring has
every rule); here they are handed to the importer with the CSV data row each came from, so
every row is accounted for. The log's times carry no zone: the profile has no default, so the
user states it (``--timezone``).
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from clearpact.ingest.export import Export
from clearpact.ingest.importer import ImportFailed
from clearpact.ingest.profile import Profile
from clearpact.ingest.servicenow_log import read_servicenow_log

WHOLE_ROW_FIELDS = frozenset({"number", "opened_at", "sys_updated_at"})
"""Rejects of these fields leave the row out; the others (a junk state, an unknown priority, an
unreadable ``sys_mod_count``) reject one value and read the rest of the snapshot."""

_SUFFIXES = (".csv", ".csv.gz", ".zip")


def read(root: Path, profile: Profile, export: Export) -> None:
    """Read the log at ``root`` (a ``.csv``, ``.csv.gz`` or ``.zip``, or a folder holding one)."""
    path = _log_file(root)
    if profile.timezone is None:
        raise ImportFailed(
            f"{path}: opened_at and sys_updated_at carry no zone; hint: state the zone the log "
            "was written in with --timezone"
        )
    identity = {label: label for label in profile.priorities}  # the importer maps them
    try:
        log = read_servicenow_log(path, timezone=profile.timezone, priority_map=identity)
    except ValueError as exc:
        raise ImportFailed(f"{path}: {exc}") from None
    assert log.ticket_rows is not None
    assert log.event_rows is not None
    assert log.reject_tickets is not None
    name = path.name
    n = log.rows_read
    export.add_rows(pa.table({"file": [name] * n, "row": [str(i) for i in range(1, n + 1)]}))
    tickets = log.tickets
    export.add_tickets(
        pa.table(
            {
                "file": [name] * tickets.num_rows,
                "row": pc.cast(log.ticket_rows, pa.string()),
                "ticket_id": tickets["ticket_id"],
                "created_at": _iso(tickets["created_at"]),
                "priority": tickets["priority"],
                "status": tickets["status"],
                "customer": tickets["customer"],
                "service": tickets["service"],
                "created_at_field": ["opened_at"] * tickets.num_rows,
                "priority_field": ["priority"] * tickets.num_rows,
                "status_field": ["incident_state"] * tickets.num_rows,
            }
        )
    )
    events = log.events
    value_fields = {"status": "incident_state", "priority": "priority", "assignment": "assigned_to"}
    export.add_events(
        pa.table(
            {
                "file": [name] * events.num_rows,
                "row": pc.cast(log.event_rows, pa.string()),
                "ticket_id": events["ticket_id"],
                "at": _iso(events["at"]),
                "kind": events["kind"],
                "value": events["value"],
                "channel": events["channel"],
                "ticket_field": ["number"] * events.num_rows,
                "at_field": ["sys_updated_at"] * events.num_rows,
                "value_field": [value_fields[k] for k in events["kind"].to_pylist()],
            }
        )
    )
    rejects = log.rejects
    fields = rejects["field"].to_pylist()
    export.add_rejects(
        pa.table(
            {
                "file": [name] * rejects.num_rows,
                "row": pc.cast(rejects["source_row"], pa.string()),
                "ticket_id": log.reject_tickets,
                "field": rejects["field"],
                "value": rejects["value"],
                "reason": rejects["reason"],
                "whole_row": [field in WHOLE_ROW_FIELDS for field in fields],
            }
        )
    )


def _log_file(root: Path) -> Path:
    if root.is_file():
        return root
    found = [p for p in sorted(root.iterdir()) if p.name.endswith(_SUFFIXES)]
    if len(found) != 1:
        raise ImportFailed(f"{root}: expected one log file (.csv, .csv.gz or .zip) in the folder")
    return found[0]


def _iso(instants: pa.ChunkedArray) -> pa.Array:
    """UTC instants as ISO 8601 text with ``Z`` (the importer reads every time as text)."""
    return pc.strftime(instants, format="%Y-%m-%dT%H:%M:%S.%fZ")

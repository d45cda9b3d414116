"""The Autotask PSA reader: REST query results saved as JSON, one folder per export.

The folder holds ``tickets.json`` (``POST /Tickets/query``), ``ticket_history/{id}.json`` (one
``TicketHistory`` query per ticket), ``ticket_notes.json``, ``entity_fields.json`` (the picklists
of ``Tickets`` and ``TicketNotes``) and ``resources.json``; every name can be changed in the
profile's ``options``. Imports only the ingest types (export, profile, importer's error).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from clearpact.ingest.export import Export
from clearpact.ingest.importer import ImportFailed
from clearpact.ingest.profile import Profile

DEFAULTS: dict[str, Any] = {
    "tickets_file": "tickets.json",
    "history_folder": "ticket_history",
    "notes_file": "ticket_notes.json",
    "entity_fields_file": "entity_fields.json",
    "resources_file": "resources.json",
    "ticket_id_field": "ticketNumber",
    "customer_field": "companyID",
    "history_actions": {
        "Status Changed": "status",
        "Priority Changed": "priority",
        "Primary Resource Changed": "assignment",
    },
    "internal_publish": ["Internal Only"],
}
"""The options a profile may set, with their defaults: file names; which ticket field is the
ticket id and which the customer; history ``action`` names → event kinds (other actions are
ignored rows); the ``publish`` labels (or values) of notes that only the provider sees."""

_CHANGE = re.compile(r'^Changed from "(?P<old>.*)" to "(?P<new>.*)"$', re.DOTALL)
"""The ``detail`` of a field change (assumed wording, SOURCE.md of the fixture)."""


def read(root: Path, profile: Profile, export: Export) -> None:
    """Read the Autotask export in the folder ``root`` into ``export``.

    Status and priority codes become their picklist labels (a code the picklist lacks is passed
    through, so the importer quarantines it). History records what changed, never the values a
    ticket was created with: the status and priority at creation are the *old* value of the
    ticket's first status / priority change, else its current value. Raises
    :class:`ImportFailed` naming a file that is missing or not the JSON Autotask returns.
    """
    options = {**DEFAULTS, **profile.options}
    picklists = _picklists(_load(root, options["entity_fields_file"], None))
    automation = _automation_authors(root, options, profile)
    tickets_file = options["tickets_file"]
    tickets = _items(root, tickets_file, export)
    numbers = {_text(t.get("id")): _text(t.get(options["ticket_id_field"])) for t in tickets}
    statuses = picklists.get(("Tickets", "status"), {})
    priorities = picklists.get(("Tickets", "priority"), {})
    read_files: set[str] = set()
    for index, ticket in enumerate(tickets, start=1):
        internal_id = _text(ticket.get("id"))
        history_file = f"{options['history_folder']}/{internal_id}.json"
        records = _items(root, history_file, export)
        history = sorted(
            ((_locator(item, i), item) for i, item in enumerate(records, start=1)),
            key=lambda pair: _history_order(pair[1]),
        )
        firsts = _first_changes(history, options["history_actions"])
        status = firsts.get("status", _label(statuses, ticket.get("status")))
        priority = firsts.get("priority", _label(priorities, ticket.get("priority")))
        export.ticket(
            tickets_file,
            _locator(ticket, index),
            ticket_id=ticket.get(options["ticket_id_field"]),
            created_at=ticket.get("createDate"),
            priority=priority,
            status=status,
            customer=ticket.get(options["customer_field"]),
            fields={
                "created_at": "createDate",
                "priority": "priority",
                "status": "status",
            },
        )
        _read_history(history_file, history, numbers, options["history_actions"], export)
        read_files.add(history_file)
    # History of a ticket the tickets file does not list is read too: it is quarantined.
    for path in sorted((root / options["history_folder"]).glob("*.json")):
        stray = f"{options['history_folder']}/{path.name}"
        if stray not in read_files:
            records = _items(root, stray, export)
            located = [(_locator(item, i), item) for i, item in enumerate(records, start=1)]
            _read_history(stray, located, numbers, options["history_actions"], export)
    _read_notes(root, options, numbers, picklists, automation, export)


def _read_history(
    file: str,
    history: list[tuple[str, dict[str, Any]]],
    numbers: dict[str | None, str | None],
    actions: dict[str, str],
    export: Export,
) -> None:
    """History rows of a field the profile reads become events (the new value in ``detail``)."""
    fields = {"ticket_id": "ticketID", "at": "date", "value": "detail"}
    for row, item in history:
        ticket_id = _ticket_number(item.get("ticketID"), numbers)
        action = item.get("action")
        kind = actions.get(str(action))
        if kind is None:
            export.row(
                file,
                row,
                ignored=f"history action {action!r} is not read by this profile",
                ticket_id=ticket_id,
                ticket_field="ticketID",
            )
            continue
        change = _CHANGE.match(str(item.get("detail") or ""))
        if change is None:
            export.reject(
                file,
                row,
                field="detail",
                value=item.get("detail"),
                reason=f'a {action!r} row whose detail is not \'Changed from "…" to "…"\'',
                ticket_id=ticket_id,
            )
            continue
        value = change["new"] or None  # "" is a field emptied (no resource any more)
        export.event(
            file,
            row,
            ticket_id=ticket_id,
            at=item.get("date"),
            kind=kind,
            value=value,
            fields=fields,
        )


def _read_notes(
    root: Path,
    options: dict[str, Any],
    numbers: dict[str | None, str | None],
    picklists: dict[tuple[str, str], dict[str, str]],
    automation: set[str],
    export: Export,
) -> None:
    """Every ticket note is a reply; who wrote it and who may see it say which kind."""
    file = options["notes_file"]
    publish = picklists.get(("TicketNotes", "publish"), {})
    internal = {str(value) for value in options["internal_publish"]}
    fields = {"ticket_id": "ticketID", "at": "createDateTime", "value": "publish"}
    for index, note in enumerate(_items(root, file, export), start=1):
        code = _text(note.get("publish"))
        resource = _text(note.get("creatorResourceID"))
        if code in internal or publish.get(code or "") in internal:
            author = "internal"
        elif note.get("createdByContactID") is not None:
            author = "customer"
        elif resource in automation:
            author = "automation"
        else:
            author = "agent"
        export.event(
            file,
            _locator(note, index),
            ticket_id=_ticket_number(note.get("ticketID"), numbers),
            at=note.get("createDateTime"),
            kind="reply",
            value=author,
            fields=fields,
        )


def _first_changes(
    history: list[tuple[str, dict[str, Any]]], actions: dict[str, str]
) -> dict[str, str]:
    """The *old* value of the first status and priority change: the value at creation."""
    firsts: dict[str, str] = {}
    for _, item in history:
        kind = actions.get(str(item.get("action")))
        change = _CHANGE.match(str(item.get("detail") or ""))
        if kind in ("status", "priority") and kind not in firsts and change and change["old"]:
            firsts[kind] = change["old"]
    return firsts


def _history_order(item: dict[str, Any]) -> tuple[int, str]:
    """History ids grow with time; the order is by id, so an unreadable date cannot move a row."""
    ident = _text(item.get("id")) or ""
    return (int(ident), "") if ident.isdigit() else (2**63, ident)


def _picklists(data: Any) -> dict[tuple[str, str], dict[str, str]]:
    """``(entity, field)`` → picklist value (text, as Autotask writes it) → label."""
    lists: dict[tuple[str, str], dict[str, str]] = {}
    if not isinstance(data, dict):
        return lists
    for entity, info in data.items():
        for field in info.get("fields", []) if isinstance(info, dict) else []:
            values = field.get("picklistValues") or []
            lists[(entity, str(field.get("name")))] = {
                str(v.get("value")): str(v.get("label")) for v in values if isinstance(v, dict)
            }
    return lists


def _automation_authors(root: Path, options: dict[str, Any], profile: Profile) -> set[str]:
    """The resource ids of ``automation_authors``, which may name a resource by id, user name
    or full name (from the resources file)."""
    wanted = {str(author) for author in profile.automation_authors}
    found = set(wanted)
    for resource in _items(root, options["resources_file"]):
        full = f"{resource.get('firstName') or ''} {resource.get('lastName') or ''}".strip()
        if wanted & {full, str(resource.get("userName"))}:
            found.add(str(resource.get("id")))
    return found


def _label(picklist: dict[str, str], code: object) -> str | None:
    """A picklist code's label; the code itself (as text) when the picklist lacks it."""
    text = _text(code)
    return None if text is None else picklist.get(text, text)


def _ticket_number(internal_id: object, numbers: dict[str | None, str | None]) -> str | None:
    """The ticket number of an internal ticket id; the id itself when no ticket has it."""
    text = _text(internal_id)
    return numbers.get(text) or text


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _items(root: Path, name: str, export: Export | None = None) -> list[dict[str, Any]]:
    """The records of a query result (``{"items": [...]}``); one that is not an object is
    rejected into ``export`` (lookup files pass none and skip it)."""
    records = []
    for index, item in enumerate(_load(root, name, "items"), start=1):
        if isinstance(item, dict):
            records.append(item)
        elif export is not None:
            reason = "not a JSON object"
            export.reject(name, f"#{index}", field="(row)", value=json.dumps(item), reason=reason)
    return records


def _locator(record: dict[str, Any], index: int) -> str:
    """``id=…`` as the fixtures' expected rows name a record; ``#n`` (1-based) without an id."""
    ident = record.get("id")
    return f"#{index}" if ident is None else f"id={ident}"


def _load(root: Path, name: str, records: str | None) -> Any:
    path = root / name
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ImportFailed(f"{name}: no such file in the Autotask export {root}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportFailed(f"{name}: not a JSON file ({exc})") from None
    if records is None:
        return data
    if not isinstance(data, dict) or not isinstance(data.get(records), list):
        raise ImportFailed(f"{name}: expected a query result with a list {records!r}")
    return data[records]

"""The HaloPSA reader: REST API lists saved as JSON, one folder per export.

The folder holds ``tickets.json`` (``GET /api/Tickets``), ``actions/{id}.json``
(``GET /api/Actions?ticket_id={id}``) and ``statuses.json`` (``GET /api/Status``); every name can be
changed in the profile's ``options``. Imports only the ingest types (export, profile, importer's
error).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from clearpact.ingest.export import Export
from clearpact.ingest.importer import ImportFailed
from clearpact.ingest.profile import Profile

DEFAULTS: dict[str, Any] = {
    "tickets_file": "tickets.json",
    "actions_folder": "actions",
    "statuses_file": "statuses.json",
    "created_field": "dateoccurred",
    "customer_field": "client_name",
    "action_time_field": "datetime",
    "log_action_id": 1,
}
"""The options a profile may set, with their defaults: file names; the ticket's creation field
(``dateoccurred``, which an agent may back-date, or ``datecreated``, when it was logged); the
customer field; the action's time field (``datetime``; ``actiondatecreated`` is when it was
entered); the id of the log action that every ticket starts with."""


def read(root: Path, profile: Profile, export: Export) -> None:
    """Read the HaloPSA export in the folder ``root`` into ``export``.

    Status ids become their names (an id ``/Status`` lacks is passed through, so the importer
    quarantines it); priorities stay ids, as text. The log action sets the status and priority
    at creation and is no reply. Every other action, in action-id order, may say several things:
    a non-empty ``note`` is a reply; ``new_status`` is a status change only when it differs from
    the status in force (every action repeats it); ``new_priority`` differing from the priority
    in force is a priority change; ``new_agent`` is an assignment. Raises :class:`ImportFailed`
    naming a file that is missing or not the JSON HaloPSA returns.
    """
    options = {**DEFAULTS, **profile.options}
    statuses = {
        str(entry.get("id")): str(entry.get("name"))
        for entry in _records(root, options["statuses_file"], None)
        if isinstance(entry, dict)
    }
    automation = {str(author) for author in profile.automation_authors}
    tickets_file = options["tickets_file"]
    read_files: set[str] = set()
    for index, ticket in enumerate(_objects(root, tickets_file, "tickets", export), start=1):
        ticket_id = _text(ticket.get("id"))
        actions_file = f"{options['actions_folder']}/{ticket_id}.json"
        actions = _ordered(_objects(root, actions_file, "actions", export))
        log = next((a for _, a in actions if _is_log(a, options)), None)
        first = actions[0][1] if actions else None
        status = _initial(log, first, "status") or _text(ticket.get("status_id"))
        priority = _initial(log, first, "priority") or _text(ticket.get("priority_id"))
        export.ticket(
            tickets_file,
            _locator(ticket, index),
            ticket_id=ticket_id,
            created_at=ticket.get(options["created_field"]),
            priority=priority,
            status=None if status is None else statuses.get(status, status),
            customer=ticket.get(options["customer_field"]),
            fields={
                "created_at": options["created_field"],
                "priority": "priority_id",
                "status": "status_id",
            },
        )
        _read_actions(
            actions_file, actions, (status, priority), statuses, automation, options, export
        )
        read_files.add(actions_file)
    # Actions of a ticket the tickets file does not list are read too: they are quarantined.
    for path in sorted((root / options["actions_folder"]).glob("*.json")):
        stray = f"{options['actions_folder']}/{path.name}"
        if stray not in read_files:
            actions = _ordered(_objects(root, stray, "actions", export))
            _read_actions(stray, actions, (None, None), statuses, automation, options, export)


def _read_actions(
    file: str,
    actions: list[tuple[str, dict[str, Any]]],
    in_force: tuple[str | None, str | None],
    statuses: dict[str, str],
    automation: set[str],
    options: dict[str, Any],
    export: Export,
) -> None:
    """The events of one ticket's actions; ``in_force`` is its (status id, priority id) at
    creation, which the actions then change."""
    status, priority = in_force
    at_field = options["action_time_field"]
    for row, action in actions:
        ticket_id = _text(action.get("ticket_id")) or Path(file).stem
        if _is_log(action, options):
            export.row(
                file,
                row,
                ignored="the log action: the ticket's values at creation",
                ticket_id=ticket_id,
            )
            continue
        said: list[tuple[str, object, str]] = []  # (kind, value, the field that says it)
        if str(action.get("note") or "").strip():
            said.append(("reply", _author(action, automation), "note"))
        new_status = _text(action.get("new_status"))
        if new_status not in (None, "0", status):
            said.append(("status", statuses.get(new_status, new_status), "new_status"))
            status = new_status
        new_priority = _text(action.get("new_priority"))
        if new_priority not in (None, "0", priority):
            said.append(("priority", new_priority, "new_priority"))
            priority = new_priority
        if action.get("new_agent") is not None:
            said.append(("assignment", action.get("new_agent"), "new_agent"))
        if not said:
            export.row(
                file,
                row,
                ignored="an action that changes nothing a clock reads",
                ticket_id=ticket_id,
            )
        for kind, value, field in said:
            export.event(
                file,
                row,
                ticket_id=ticket_id,
                at=action.get(at_field),
                kind=kind,
                value=value,
                fields={"ticket_id": "ticket_id", "at": at_field, "value": field},
            )


def _author(action: dict[str, Any], automation: set[str]) -> str:
    """Who wrote a note: hidden → internal; a system action, or an author the profile lists,
    → automation; an agent (``who_agentid`` > 0) → agent; else the end user → customer."""
    if action.get("hiddenfromuser"):
        return "internal"
    who = {str(action.get("who_agentid")), str(action.get("who"))}
    if _number(action.get("action_systemid")) != 0 or who & automation:
        return "automation"
    return "agent" if _number(action.get("who_agentid")) > 0 else "customer"


def _number(value: object) -> int:
    """An id as a number; 0 (Halo's "none") when it is missing or not a whole number."""
    try:
        return int(str(value))
    except ValueError:
        return 0


def _initial(log: dict[str, Any] | None, first: dict[str, Any] | None, what: str) -> str | None:
    """The status or priority id at creation: the log action's ``new_*``, else the first
    action's ``old_*`` (statuses only; priorities have no old value)."""
    value = _text(log.get(f"new_{what}")) if log is not None else None
    if value in (None, "0") and first is not None and what == "status":
        value = _text(first.get("old_status"))
    return None if value in (None, "0") else value


def _is_log(action: dict[str, Any], options: dict[str, Any]) -> bool:
    return _text(action.get("id")) == str(options["log_action_id"])


def _ordered(actions: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    """Actions with their locators, by action id (which grows with time), so an unreadable
    ``datetime`` cannot move an action; records without a numeric id come last."""

    def order(pair: tuple[str, dict[str, Any]]) -> tuple[int, str]:
        ident = _text(pair[1].get("id")) or ""
        return (int(ident), "") if ident.isdigit() else (2**63, ident)

    return sorted(((_locator(a, i), a) for i, a in enumerate(actions, start=1)), key=order)


def _locator(record: dict[str, Any], index: int) -> str:
    """``id=…`` as the fixtures' expected rows name a record; ``#n`` (1-based) without an id."""
    ident = record.get("id")
    return f"#{index}" if ident is None else f"id={ident}"


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _objects(root: Path, name: str, records: str, export: Export) -> list[dict[str, Any]]:
    """The records of a list response (``{"tickets": [...]}``); one that is not an object is
    rejected."""
    found = []
    for index, item in enumerate(_records(root, name, records), start=1):
        if isinstance(item, dict):
            found.append(item)
        else:
            reason = "not a JSON object"
            export.reject(name, f"#{index}", field="(row)", value=json.dumps(item), reason=reason)
    return found


def _records(root: Path, name: str, records: str | None) -> list[Any]:
    """The list at ``records`` in the file ``name`` (the top level when None)."""
    path = root / name
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ImportFailed(f"{name}: no such file in the HaloPSA export {root}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportFailed(f"{name}: not a JSON file ({exc})") from None
    found = data.get(records) if records is not None and isinstance(data, dict) else data
    if not isinstance(found, list):
        where = f"a list {records!r}" if records else "a list"
        raise ImportFailed(f"{name}: expected {where} in the JSON")
    return found

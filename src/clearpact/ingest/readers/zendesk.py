"""The Zendesk Support reader: ``tickets.json``, ``audits/{id}.json`` and ``users.json`` as the
API v2 returns them (``GET /api/v2/tickets``, ``/tickets/{id}/audits``, ``/users/show_many``).

One row per ticket (``id=5101``), per audit (``audit id=510100300``: every event in it shares the
audit's ``created_at``) and per user (``id=9000000012``, read only to tell agents from end users).
Imports the export's types only; the importer judges times, statuses and priorities.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from clearpact.ingest.export import Export
from clearpact.ingest.importer import ImportFailed
from clearpact.ingest.profile import Profile

DEFAULTS: dict[str, Any] = {
    "tickets_file": "tickets.json",
    "audits_folder": "audits",
    "users_file": "users.json",
    "customer_field": "organization_id",
    "automation_channels": ["rule"],
    "customer_roles": ["end-user"],
    "change_fields": {"status": "status", "priority": "priority", "assignee_id": "assignment"},
}
"""``profile.options`` and what each means when the profile leaves it out:

- ``tickets_file``: the tickets (a glob for several pages, e.g. ``tickets*.json``);
- ``audits_folder``: one ``{ticket id}.json`` of audits per ticket;
- ``users_file``: the users, for their ``role``;
- ``customer_field``: the ticket's field (dotted path) that names the customer;
- ``automation_channels``: audit ``via.channel`` values whose comments are automatic (``rule``:
  triggers and automations);
- ``customer_roles``: user roles whose comments are the customer's;
- ``change_fields``: ``Change`` events' ``field_name`` → canonical event kind; other fields are
  not read.
"""

IGNORED_CREATION = (
    "the creation audit: its values are on the ticket row, its comment is the description"
)
IGNORED_AUDIT = (
    "an audit with no comment and no change this profile reads (notifications, other fields)"
)
IGNORED_USER = "a user: read to tell agents from end users"


def read(root: Path, profile: Profile, export: Export) -> None:
    """Report every ticket, audit and user of the Zendesk export in the folder ``root``.

    Status and priority at creation come from the creation audit's ``Create`` events, else the
    ``previous_value`` of the first ``Change`` of that field, else the ticket's current value
    (Zendesk writes ``null`` for no priority: the ticket then has none). Audits of a ticket
    that ``tickets_file`` does not list are read too (the importer quarantines their events).
    Raises :class:`ImportFailed` naming a file that is missing or not the API's JSON.
    """
    options = {**DEFAULTS, **profile.options}
    roles = _read_users(root, str(options["users_file"]), export)
    audits_folder = str(options["audits_folder"])
    read_files: set[str] = set()
    for tickets_file, ticket in _tickets(root, str(options["tickets_file"])):
        ticket_id = _text(ticket.get("id"))
        audits_file = f"{audits_folder}/{ticket_id}.json"
        audits = _sorted_audits(_records(root, audits_file, "audits"))
        read_files.add(audits_file)
        status, priority = _values_at_creation(ticket, audits)
        export.ticket(
            tickets_file,
            f"id={ticket_id}",
            ticket_id=ticket_id,
            created_at=ticket.get("created_at"),
            priority=priority,
            status=status,
            customer=_path(ticket, str(options["customer_field"])),
            fields={"created_at": "created_at", "priority": "priority", "status": "status"},
        )
        for row, audit in _rows(audits):
            _read_audit(audits_file, row, ticket_id, audit, roles, profile, options, export)
    for path in sorted((root / audits_folder).glob("*.json")):
        audits_file = f"{audits_folder}/{path.name}"
        if audits_file not in read_files:
            orphans = _sorted_audits(_records(root, audits_file, "audits"))
            for row, audit in _rows(orphans):
                _read_audit(audits_file, row, path.stem, audit, roles, profile, options, export)


def _rows(audits: Sequence[Mapping[str, Any]]) -> list[tuple[str, Mapping[str, Any]]]:
    """Each audit with its locator, ``audit id=…``; an id seen before in the file (an export
    that repeats an audit) gets ``(#2)``, ``(#3)`` … so it is a row of its own."""
    seen: dict[str, int] = {}
    rows = []
    for audit in audits:
        row = f"audit id={_text(audit.get('id'))}"
        seen[row] = seen.get(row, 0) + 1
        rows.append((row if seen[row] == 1 else f"{row} (#{seen[row]})", audit))
    return rows


def _read_users(root: Path, users_file: str, export: Export) -> dict[str, str]:
    """User id → role; each user counted as an ignored row."""
    roles: dict[str, str] = {}
    for user in _records(root, users_file, "users"):
        user_id = _text(user.get("id"))
        export.row(users_file, f"id={user_id}", ignored=IGNORED_USER)
        if user_id is not None:
            roles[user_id] = str(user.get("role"))
    return roles


def _tickets(root: Path, pattern: str) -> Iterator[tuple[str, dict[str, Any]]]:
    names = sorted(str(path.relative_to(root)) for path in root.glob(pattern))
    if not names:
        raise ImportFailed(f"{root / pattern}: no such file (the Zendesk tickets)")
    for name in names:
        for ticket in _records(root, name, "tickets"):
            yield name, ticket


def _values_at_creation(
    ticket: Mapping[str, Any], audits: list[dict[str, Any]]
) -> tuple[str | None, str | None]:
    """(status, priority) when the ticket was created, as the export writes them."""
    found: dict[str, str | None] = {}
    for audit in audits:
        for event in _events(audit):
            name = event.get("field_name")
            if name not in ("status", "priority") or name in found:
                continue
            if event.get("type") == "Create":
                found[name] = _text(event.get("value"))
            elif event.get("type") == "Change":
                found[name] = _text(event.get("previous_value"))
    status = found["status"] if "status" in found else _text(ticket.get("status"))
    priority = found["priority"] if "priority" in found else _text(ticket.get("priority"))
    return status, priority


def _read_audit(
    file: str,
    row: str,
    ticket_id: str | None,
    audit: Mapping[str, Any],
    roles: Mapping[str, str],
    profile: Profile,
    options: Mapping[str, Any],
    export: Export,
) -> None:
    """The audit's replies and changes as events at the audit's time; else an ignored row."""
    ticket = _text(audit.get("ticket_id")) or ticket_id
    at = audit.get("created_at")
    via = audit.get("via")
    channel = via.get("channel") if isinstance(via, Mapping) else None
    events = _events(audit)
    creation = any(event.get("type") == "Create" for event in events)
    kinds: Mapping[str, str] = options["change_fields"]
    reported = False
    for event in events:
        kind = event.get("type")
        if kind == "Change" and event.get("field_name") in kinds:
            export.event(
                file,
                row,
                ticket_id=ticket,
                at=at,
                kind=kinds[str(event["field_name"])],
                value=event.get("value"),
                fields={"ticket_id": "ticket_id", "at": "created_at", "value": "value"},
            )
            reported = True
        elif kind == "Comment" and not creation:
            author = _text(event.get("author_id") or audit.get("author_id"))
            who = _author(event, author, channel, roles, profile, options)
            if who is None:
                export.reject(
                    file,
                    row,
                    field="author_id",
                    value=author,
                    ticket_id=ticket,
                    reason=f"comment author {author} is not in {options['users_file']}: an agent "
                    "or an end user? the comment is not read; hint: export every author",
                )
            else:
                export.event(
                    file,
                    row,
                    ticket_id=ticket,
                    at=at,
                    kind="reply",
                    value=who,
                    channel=channel,
                    fields={"ticket_id": "ticket_id", "at": "created_at", "value": "author_id"},
                )
            reported = True
    if not reported:
        export.row(
            file,
            row,
            ignored=IGNORED_CREATION if creation else IGNORED_AUDIT,
            ticket_id=ticket,
            ticket_field="ticket_id",
        )


def _author(
    comment: Mapping[str, Any],
    author: str | None,
    channel: object,
    roles: Mapping[str, str],
    profile: Profile,
    options: Mapping[str, Any],
) -> str | None:
    """internal | automation | customer | agent; None when the author's role is unknown."""
    if comment.get("public") is False:
        return "internal"
    if author in profile.automation_authors or channel in options["automation_channels"]:
        return "automation"
    role = roles.get(author or "")
    if role is None:
        return None
    return "customer" if role in options["customer_roles"] else "agent"


def _sorted_audits(audits: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Oldest first by id (Zendesk's ids grow with time; times are the importer's to read)."""
    return sorted(audits, key=lambda audit: _number(audit.get("id")))


def _number(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0


def _events(audit: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    events = audit.get("events")
    return [e for e in events if isinstance(e, Mapping)] if isinstance(events, list) else []


def _records(root: Path, name: str, key: str) -> list[dict[str, Any]]:
    """The list ``key`` of the JSON object in ``root/name``; :class:`ImportFailed` otherwise."""
    path = root / name
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ImportFailed(f"{path}: no such file (the Zendesk {key})") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportFailed(f"{path}: not JSON ({exc})") from None
    records = data.get(key) if isinstance(data, dict) else None
    if not isinstance(records, list):
        raise ImportFailed(
            f"{path}: expected a JSON object with a list {key!r}, as the API returns"
        )
    for number, record in enumerate(records, 1):
        if not isinstance(record, dict):
            raise ImportFailed(f"{path}: {key} record {number} is not a JSON object")
    return records


def _path(record: Mapping[str, Any], dotted: str) -> str | None:
    value: Any = record
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return _text(value)


def _text(value: object) -> str | None:
    return None if value is None else str(value)

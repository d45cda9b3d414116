"""The Freshservice reader: an export of the REST API v2 as JSON files, one folder.

``tickets.json`` (``GET /api/v2/tickets``), and per ticket ``activities/{id}.json`` (its history:
lines such as `` set Status as Pending`` in ``content`` and ``sub_contents``) and
``conversations/{id}.json`` (replies and notes). Every setting a user may need to change is in
the profile's ``options`` (the defaults below); imports only the export collector and the
importer's error type.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from clearpact.ingest.export import Export
from clearpact.ingest.importer import ImportFailed
from clearpact.ingest.profile import Profile

DEFAULTS: dict[str, Any] = {
    "tickets": "tickets.json",
    "activities": "activities",
    "conversations": "conversations",
    "customer_field": "department_id",
    # The ticket's status is an id; the activities name it. Custom statuses get other ids.
    "status_ids": {"2": "Open", "3": "Pending", "4": "Resolved", "5": "Closed"},
    "activity_line": r"^\s*set (?P<field>.+?) as (?P<value>.*?)\s*$",
    "activity_fields": {"Status": "status", "Priority": "priority", "Agent": "assignment"},
    "creation_text": "created a new ticket",
}
"""``options`` a profile may override: file names, the customer field, the ids of statuses, and
how activity lines read (a regex with groups ``field`` and ``value``; fields → event kinds)."""


def read(root: Path, profile: Profile, export: Export) -> None:
    """Read the export folder ``root``: every ticket, activity and conversation is reported.

    Status and priority at creation are those the creation activity sets (its `` set Status
    as …`` lines), else the ticket's current ones (a status id through ``status_ids``; an id
    not listed is passed on as it is, and the importer quarantines it). A conversation is
    ``internal`` when private, ``automation`` when its ``user_id`` is in
    ``automation_authors``, ``customer`` when incoming, else ``agent``. Raises
    :class:`ImportFailed` when a file is missing or not the JSON the API returns.
    """
    options = {**DEFAULTS, **profile.options}
    pattern = re.compile(str(options["activity_line"]))
    kinds: Mapping[str, str] = options["activity_fields"]
    creation = str(options["creation_text"])
    status_ids = {str(key): str(value) for key, value in options["status_ids"].items()}
    automation = {str(author) for author in profile.automation_authors}
    folders = (str(options["activities"]), str(options["conversations"]))
    done: set[str] = set()
    for tickets_file in _matching(root, str(options["tickets"])):
        for record in _records(root, tickets_file, "tickets"):
            ticket_id = record.get("id")
            activities = f"{folders[0]}/{ticket_id}.json"
            created: dict[str, str] = {}
            if ticket_id is not None and str(ticket_id) not in done:
                created = _read_activities(
                    root, activities, ticket_id, export, pattern, kinds, creation
                )
            status = created.get("status")
            priority = created.get("priority")
            current_status = record.get("status")
            export.ticket(
                tickets_file,
                f"id={ticket_id}",
                ticket_id=ticket_id,
                created_at=record.get("created_at"),
                priority=priority if priority is not None else record.get("priority"),
                status=(
                    status
                    if status is not None
                    else status_ids.get(str(current_status), current_status)
                ),
                customer=record.get(str(options["customer_field"])),
                fields={
                    "created_at": "created_at",
                    "priority": "priority" if priority is None else f"{activities} sub_contents",
                    "status": "status" if status is None else f"{activities} sub_contents",
                },
            )
            if ticket_id is not None and str(ticket_id) not in done:
                done.add(str(ticket_id))
                conversations = f"{folders[1]}/{ticket_id}.json"
                _read_conversations(root, conversations, ticket_id, export, automation)
    # Files of tickets the list lacks (a page lost?): their rows are of no such ticket.
    for folder, key in zip(folders, ("activities", "conversations"), strict=True):
        for path in sorted((root / folder).glob("*.json")):
            if path.stem not in done:
                file = f"{folder}/{path.name}"
                if key == "activities":
                    _read_activities(root, file, path.stem, export, pattern, kinds, creation)
                else:
                    _read_conversations(root, file, path.stem, export, automation)


def _read_activities(
    root: Path,
    file: str,
    ticket_id: object,
    export: Export,
    pattern: re.Pattern[str],
    kinds: Mapping[str, str],
    creation_text: str,
) -> dict[str, str]:
    """Report the ticket's activities; return the canonical kinds → values the creation
    activity sets (``{"status": "Open", "priority": "Medium"}``)."""
    created: dict[str, str] = {}
    seen: dict[str, int] = {}
    for record in _records(root, file, "activities"):
        at = record.get("created_at")
        row = f"created_at={at}"
        seen[row] = seen.get(row, 0) + 1
        if seen[row] > 1:  # two activities in the same second stay two rows
            row = f"{row} #{seen[row]}"
        content = record.get("content")
        lines = [("content", content), *(("sub_contents", s) for s in _list(record, root / file))]
        changes = []
        for field, text in lines:
            match = pattern.match(text) if isinstance(text, str) else None
            if match is not None:
                changes.append((field, match["field"], match["value"]))
        read = [change for change in changes if change[1] in kinds]
        if isinstance(content, str) and creation_text in content:
            # Status and priority at creation go on the ticket row; an agent assigned at
            # creation is still an assignment event (the ticket row has no assignee).
            for _, name, value in read:
                if kinds[name] in ("status", "priority"):
                    created.setdefault(kinds[name], value)
            read = [change for change in read if kinds[change[1]] not in ("status", "priority")]
            if not read:
                export.row(
                    file,
                    row,
                    ignored="the creation activity (its values are the ticket's)",
                    ticket_id=ticket_id,
                )
                continue
        elif not read:
            names = sorted({change[1] for change in changes})
            why = f"sets {', '.join(names)}, not read" if names else "changes nothing read"
            export.row(file, row, ignored=f"an activity that {why}", ticket_id=ticket_id)
            continue
        for field, name, value in read:
            export.event(
                file,
                row,
                ticket_id=ticket_id,
                at=at,
                kind=kinds[name],
                value=value,
                fields={"ticket_id": "ticket_id", "at": "created_at", "value": field},
            )
    return created


def _read_conversations(
    root: Path, file: str, ticket_id: object, export: Export, automation: set[str]
) -> None:
    """Report the ticket's conversations, each as one reply."""
    for record in _records(root, file, "conversations"):
        if record.get("private") is True:
            author = "internal"
        elif str(record.get("user_id")) in automation:
            author = "automation"
        elif record.get("incoming") is True:
            author = "customer"
        else:
            author = "agent"
        export.event(
            file,
            f"id={record.get('id')}",
            # The ticket the file is for: a conversation may omit its own ticket_id.
            ticket_id=record.get("ticket_id", ticket_id),
            at=record.get("created_at"),
            kind="reply",
            value=author,
            fields={
                "ticket_id": "ticket_id",
                "at": "created_at",
                "value": "private, user_id, incoming",
            },
        )


def _matching(root: Path, pattern: str) -> list[str]:
    """The files under ``root`` that ``pattern`` (a name or a glob) names, relative, sorted."""
    found = sorted(path.relative_to(root).as_posix() for path in root.glob(pattern))
    if not found:
        raise ImportFailed(f"{root / pattern}: no such file (the Freshservice tickets)")
    return found


def _records(root: Path, file: str, key: str) -> list[dict[str, Any]]:
    """The records of ``file`` (``{"<key>": [...]}`` as the API returns a list)."""
    path = root / file
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ImportFailed(f"{path}: no such file; hint: export {key} for every ticket") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportFailed(f"{path}: not JSON ({exc})") from None
    records = data.get(key) if isinstance(data, dict) else None
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise ImportFailed(f"{path}: expected {{{key!r}: [records]}} as the API returns it")
    return records


def _list(record: Mapping[str, Any], path: Path) -> list[Any]:
    """An activity's ``sub_contents`` (none: an empty list)."""
    value = record.get("sub_contents") or []
    if not isinstance(value, list):
        raise ImportFailed(f"{path}: sub_contents is not a list of lines")
    return value

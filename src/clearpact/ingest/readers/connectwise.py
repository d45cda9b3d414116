"""The ConnectWise PSA (Manage) REST 3.0 reader: service tickets, their notes and audit trail.

The export folder holds the bare JSON arrays the API returns: ``service_tickets.json``
(``GET /service/tickets``), ``notes/{id}.json`` (``GET /service/tickets/{id}/notes``) and
``audittrail/{id}.json`` (``GET /system/audittrail?type=Ticket&id={id}``), one of each per ticket.
Audit entries of the kinds the profile reads (status, priority, owner) become events, their
values parsed out of the entry's ``text``; notes become replies. ConnectWise's own SLA fields
(``dateResponded`` …) are not read. May import :mod:`clearpact.ingest` only.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from clearpact.ingest.export import Export
from clearpact.ingest.importer import ImportFailed
from clearpact.ingest.profile import Profile, ProfileError

Record = dict[str, Any]

AUDIT_TEXT = r'^(?P<field>.+?) has been changed from "(?P<old>.*)" to "(?P<new>.*)"\.?$'
"""The audit text of a changed field (assumed wording; SOURCE.md: not confirmed publicly)."""


class Options(BaseModel):
    """The reader's settings (``options:`` in a profile)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    tickets: str = Field(default="service_tickets.json", description="GET /service/tickets.")
    notes: str = Field(default="notes", description="Folder of {ticket id}.json note lists.")
    audit_trail: str = Field(
        default="audittrail", description="Folder of {ticket id}.json audit trail lists."
    )
    customer_field: str = Field(
        default="company.identifier", description="Ticket field (dotted path) of the customer."
    )
    audit_kinds: dict[str, str] = Field(
        default_factory=lambda: {"Status": "status", "Priority": "priority", "Owner": "assignment"},
        description="Audit entry auditSubType → event kind; other entries are ignored.",
    )
    audit_text: str = Field(
        default=AUDIT_TEXT,
        description="Regular expression of an audit entry's text, with groups 'old' and 'new'.",
    )

    @field_validator("audit_text")
    @classmethod
    def _groups(cls, value: str) -> str:
        try:
            pattern = re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a regular expression: {exc}") from None
        if not {"old", "new"} <= set(pattern.groupindex):
            raise ValueError("the pattern needs the groups (?P<old>…) and (?P<new>…)")
        return value


def read(root: Path, profile: Profile, export: Export) -> None:
    """Read the ConnectWise export folder ``root`` into ``export`` (module docstring).

    Every ticket needs its ``notes/{id}.json`` and ``audittrail/{id}.json`` (``[]`` when it has
    none): a missing one stops the import, since absent notes would look like unanswered
    tickets. Files of ids that are not in the ticket list are read too (their rows are
    quarantined as of no such ticket). Status and priority at creation are the "from" value of
    the ticket's earliest status / priority audit entry (by ``enteredDate``), else the current
    one. Audit entries of the same ``enteredDate`` in a file are told apart as ``#1``, ``#2`` …
    An audit entry's ticket is its file's id (the endpoint's ``id`` parameter; messages name it
    ``id``); a note's is its ``ticketId``. The first note is the description, not a reply, when
    it is a Discussion note written at the ticket's creation time.
    """
    options = _options(profile)
    if not root.is_dir():
        raise ImportFailed(f"{root}: the ConnectWise reader reads an export folder")
    tickets = _records(root / options.tickets)
    ids = [_text(ticket.get("id")) for ticket in tickets]
    notes = _per_ticket(root, options.notes, ids)
    trails = _per_ticket(root, options.audit_trail, ids)
    pattern = re.compile(options.audit_text)
    changes = {stem: _changes(entries, options, pattern) for stem, (_, entries) in trails.items()}

    for ticket, ticket_id in zip(tickets, ids, strict=True):
        first = _first_from_values(changes.get(ticket_id or "", []))
        export.ticket(
            options.tickets,
            f"id={ticket_id}",
            ticket_id=ticket_id,
            created_at=_path(ticket, "_info.dateEntered"),
            priority=first.get("priority") or _path(ticket, "priority.name"),
            status=first.get("status") or _path(ticket, "status.name"),
            customer=_path(ticket, options.customer_field),
            fields={
                "created_at": "_info.dateEntered",
                "priority": "priority.name",
                "status": "status.name",
            },
        )

    for stem, (file, _) in trails.items():
        _read_audit(file, stem, changes[stem], export)
    created = {
        ticket_id: _path(t, "_info.dateEntered") for t, ticket_id in zip(tickets, ids, strict=True)
    }
    automation = set(profile.automation_authors)
    for stem, (file, entries) in notes.items():
        _read_notes(file, stem, entries, created.get(stem), automation, export)


Change = tuple[str, Record, str | None, re.Match[str] | None]
"""(locator, audit entry, event kind or None when not read, the parsed text or None)."""


def _changes(entries: list[Record], options: Options, pattern: re.Pattern[str]) -> list[Change]:
    """Each audit entry with its locator (``enteredDate=…``, plus ``#n`` when the date repeats
    in the file), the kind the profile reads it as, and its text parsed by ``pattern``."""
    dates = Counter(_text(entry.get("enteredDate")) for entry in entries)
    seen: Counter[str | None] = Counter()
    result: list[Change] = []
    for entry in entries:
        date = _text(entry.get("enteredDate"))
        seen[date] += 1
        locator = f"enteredDate={date}" + (f" #{seen[date]}" if dates[date] > 1 else "")
        kind = options.audit_kinds.get(str(entry.get("auditSubType")))
        match = pattern.match(str(entry.get("text") or "")) if kind else None
        result.append((locator, entry, kind, match))
    return result


def _read_audit(file: str, stem: str, changes: list[Change], export: Export) -> None:
    """The audit entries of ticket ``stem`` (its file's id): events, ignored or rejected."""
    names = {"ticket_id": "id", "at": "enteredDate", "value": "text"}
    for locator, entry, kind, match in changes:
        if kind is None:
            subtype = entry.get("auditSubType")
            export.row(
                file,
                locator,
                ignored=f"audit '{subtype}' is not read by this profile",
                ticket_id=stem,
                ticket_field="id",
            )
        elif match is None:
            export.reject(
                file,
                locator,
                ticket_id=stem,
                field="text",
                value=entry.get("text"),
                reason="audit text not of the form the profile expects (options.audit_text)",
            )
        else:
            export.event(
                file,
                locator,
                ticket_id=stem,
                at=_text(entry.get("enteredDate")),
                kind=kind,
                value=match["new"] or None,
                fields=names,
            )


def _read_notes(
    file: str,
    stem: str,
    notes: list[Record],
    created: str | None,
    automation: set[str],
    export: Export,
) -> None:
    """The notes of one file: replies, or ignored (the description, a note of no reply kind)."""
    description = _description(notes, created)
    for note in notes:
        locator = f"id={_text(note.get('id'))}"
        if note is description:
            export.row(
                file,
                locator,
                ignored="the ticket's description (its first note)",
                ticket_id=stem,
                ticket_field="ticketId",
            )
            continue
        author = _reply_author(note, automation)
        if author is None:
            export.row(
                file,
                locator,
                ignored="a note that is not Discussion/Internal/Resolution",
                ticket_id=stem,
                ticket_field="ticketId",
            )
            continue
        export.event(
            file,
            locator,
            ticket_id=_text(note.get("ticketId")) or stem,
            at=_text(note.get("dateCreated")),
            kind="reply",
            value=author,
            fields={"ticket_id": "ticketId", "at": "dateCreated", "value": "member"},
        )


def _first_from_values(changes: list[Change]) -> dict[str, str]:
    """Kind → the "from" value of its earliest change (ISO 8601 UTC texts sort as times; equal
    or unreadable ones keep the file's order)."""
    first: dict[str, str] = {}
    ordered = sorted(changes, key=lambda change: _text(change[1].get("enteredDate")) or "\uffff")
    for _, _, kind, match in ordered:
        if kind in ("status", "priority") and match is not None and match["old"]:
            first.setdefault(kind, match["old"])
    return first


def _description(notes: list[Record], created: object) -> Record | None:
    """The ticket's initial description: its first note (lowest id), when that is a Discussion
    note written at the ticket's creation time. None when there is no such note."""
    numbered = [note for note in notes if isinstance(note.get("id"), int)]
    if not numbered:
        return None
    first = min(numbered, key=lambda note: int(note["id"]))
    if first.get("detailDescriptionFlag") and _same_instant(first.get("dateCreated"), created):
        return first
    return None


def _reply_author(note: Record, automation: set[str]) -> str | None:
    """agent | automation | internal | customer; None for a note of no reply kind. A Discussion
    or Resolution note is seen by the customer (even when also flagged Internal)."""
    public = note.get("detailDescriptionFlag") or note.get("resolutionFlag")
    if not public:
        return "internal" if note.get("internalAnalysisFlag") else None
    member = note.get("member")
    if isinstance(member, Mapping):
        names = {_text(member.get(key)) for key in ("identifier", "id", "name")}
        return "automation" if names & automation else "agent"
    if isinstance(note.get("contact"), Mapping):
        return "customer"
    return "automation" if note.get("createdBy") in automation else "agent"


def _same_instant(a: object, b: object) -> bool:
    """Whether two times name the same instant; texts that do not parse compare as text."""
    if a is None or b is None:
        return False
    try:
        return datetime.fromisoformat(str(a)) == datetime.fromisoformat(str(b))
    except ValueError:
        return str(a) == str(b)


def _options(profile: Profile) -> Options:
    try:
        return Options.model_validate(profile.options)
    except ValidationError as exc:
        problems = "; ".join(
            f"options.{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise ProfileError(f"profile {profile.name!r}: {problems}") from None


def _per_ticket(
    root: Path, folder: str, ids: list[str | None]
) -> dict[str, tuple[str, list[Record]]]:
    """Ticket id → (file relative to ``root``, its records): one file per listed ticket (a
    missing one raises :class:`ImportFailed`), then any other file of the folder, by id."""
    paths = {path.stem: path for path in (root / folder).glob("*.json")}
    for ticket_id in ids:
        if ticket_id is not None and ticket_id not in paths:
            path = root / folder / f"{ticket_id}.json"
            raise ImportFailed(f"{path}: no such file; hint: export [] for a ticket without any")
    order = sorted(
        paths, key=lambda stem: (not stem.isdigit(), int(stem) if stem.isdigit() else 0, stem)
    )
    return {stem: (f"{folder}/{stem}.json", _records(paths[stem])) for stem in order}


def _records(path: Path) -> list[Record]:
    """The records of one list endpoint (a bare JSON array of objects)."""
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ImportFailed(f"{path}: no such file; hint: export it from the REST API") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportFailed(f"{path}: not a JSON file ({exc})") from None
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise ImportFailed(f"{path}: expected a JSON array of records, as the API returns")
    return data


def _path(record: Record, dotted: str) -> str | None:
    value: object = record
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return _text(value)


def _text(value: object) -> str | None:
    if value is None or isinstance(value, Mapping | list):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)

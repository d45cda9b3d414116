"""Write tickets as a ConnectWise PSA (REST 3.0) export, in the fixture's exact shapes.

Layout, field names and value formats are those of ``tests/ingest/fixtures/connectwise/`` (see
its ``SOURCE.md``): ``service_tickets.json`` (a bare array), ``notes/{id}.json``,
``audittrail/{id}.json``, ``board_statuses.json`` and ``priorities.json``; times are
``YYYY-MM-DDTHH:MM:SSZ`` (UTC). ConnectWise's own SLA fields (``dateResponded``,
``respondMinutes``, ``isInSla``, ``slaStatus`` …) are filled plausibly in wall-clock minutes; no
import reads them. The writer also fills the :class:`~clearpact.demo.manifest.Ledger`: the
canonical rows an import should store and the deliberately bad rows it should quarantine.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from clearpact.demo import faults
from clearpact.demo.cast import ACKBOT, Person
from clearpact.demo.manifest import EventRow, Ledger, SourceRow, TicketRow, instant
from clearpact.demo.stories import (
    CLOSED,
    CUSTOMER_UPDATED,
    IN_PROGRESS,
    NEW,
    REOPENED,
    RESOLVED,
    SCHEDULED,
    WAITING_CUSTOMER,
    WAITING_VENDOR,
    Step,
    Ticket,
)

API = "https://api-eu.myconnectwise.net/v4_6_release/apis/3.0"
STATUS_NAMES = {
    NEW: "New",
    IN_PROGRESS: "In Progress",
    WAITING_CUSTOMER: "Waiting Customer",
    WAITING_VENDOR: "Waiting Vendor",
    SCHEDULED: "Scheduled",
    CUSTOMER_UPDATED: "Customer Updated",
    REOPENED: "Re-Opened",
    RESOLVED: "Resolved",
    CLOSED: "Closed",
}
BOARD = (  # (id, status, escalationStatus); sortOrder is the position
    (16, NEW, "NotResponded"),
    (17, IN_PROGRESS, "Responded"),
    (18, WAITING_CUSTOMER, "NoEscalation"),
    (23, WAITING_VENDOR, "NoEscalation"),
    (24, SCHEDULED, "NoEscalation"),
    (19, CUSTOMER_UPDATED, "Responded"),
    (20, REOPENED, "Responded"),
    (21, RESOLVED, "Resolved"),
    (22, CLOSED, "Resolved"),
)
STATUS_IDS = {status: status_id for status_id, status, _ in BOARD}
WAITING = {status for _, status, escalation in BOARD if escalation == "NoEscalation"}
PRIORITIES = {
    "P1": (1, "Priority 1 - Emergency Response", 2),
    "P2": (2, "Priority 2 - Quick Response", 4),
    "P3": (4, "Priority 3 - Normal Response", 6),
    "P4": (5, "Priority 4 - Schedule Maintenance", 8),
}
PRIORITY_MAP = {name: key for key, (_, name, _) in PRIORITIES.items()}
"""ConnectWise priority names → the agreements' priority names."""
SOURCES = {
    "email": (1, "Email"),
    "phone": (2, "Phone"),
    "portal": (6, "Portal"),
    "monitoring": (7, "Monitoring"),
}
SLA_HOURS = {"P1": (1, 2, 4), "P2": (2, 4, 8), "P3": (4, 8, 24), "P4": (8, 16, 40)}
"""ConnectWise's own SLA: respond, plan and resolve hours per priority (display only)."""
SLAS = {410: (1, "Standard SLA"), 411: (2, "Priority Care SLA")}
IMPACT = {
    "P1": ("High", "High"),
    "P2": ("Medium", "High"),
    "P3": ("Medium", "Medium"),
    "P4": ("Low", "Low"),
}
MEMBER_ZONE = ZoneInfo("Europe/London")  # where the MSP's members read ``slaStatus``


def stamp(at: dt.datetime) -> str:
    """ConnectWise's time format: ``2025-03-07T14:00:00Z``."""
    return instant(at)


def _member(person: Person) -> dict[str, Any]:
    href = {"member_href": f"{API}/system/members/{person.cw_id}"}
    return {
        "id": person.cw_id,
        "identifier": person.cw_identifier,
        "name": person.name,
        "_info": href,
    }


def _contact(person: Person) -> dict[str, Any]:
    return {
        "id": person.cw_id,
        "name": person.name,
        "_info": {"contact_href": f"{API}/company/contacts/{person.cw_id}"},
    }


def _entered_by(step: Step) -> tuple[str, str]:
    """(enteredBy, auditSource) of a change."""
    if step.actor.role == "contact":
        return ("Portal", "Portal") if step.via == "portal" else ("Email Connector", "Email")
    if step.actor.role == "system":
        return "zAdmin", "Workflow"
    return str(step.actor.cw_identifier), "Web"


def _rows(t: Ticket, note_ids: itertools.count[int]) -> tuple[list[SourceRow], list[SourceRow]]:
    """The ticket's notes and audit entries, in time order, each with its canonical event."""
    notes: list[SourceRow] = []
    audits: list[SourceRow] = []
    key = str(t.number)
    if t.channel in ("email", "portal"):  # the description: the contact's note at creation
        text = t.description
        description = _note(next(note_ids), t, t.created, t.requester, text, True, False, t.channel)
        notes.append(SourceRow(description, fate="ignored"))
    status, priority, owner = NEW, t.priority, ""
    for step in t.steps:
        entered_by, source = _entered_by(step)
        changes = []
        if step.assignee is not None:
            new = str(step.assignee.cw_identifier)
            changes.append(
                ("Resource", "Owner", owner, new, EventRow(key, step.at, "assignment", new, None))
            )
            owner = new
        if step.status is not None:
            old_name, new_name = STATUS_NAMES[status], STATUS_NAMES[step.status]
            changes.append(
                (
                    "Ticket",
                    "Status",
                    old_name,
                    new_name,
                    EventRow(key, step.at, "status", new_name, None),
                )
            )
            status = step.status
        if step.priority is not None:
            old_name, new_name = PRIORITIES[priority][1], PRIORITIES[step.priority][1]
            changes.append(
                (
                    "Ticket",
                    "Priority",
                    old_name,
                    new_name,
                    EventRow(key, step.at, "priority", step.priority, None),
                )
            )
            priority = step.priority
        for audit_type, subtype, old, new, event in changes:
            text = f'{subtype} has been changed from "{old}" to "{new}".'
            entry = {
                "text": text,
                "enteredDate": stamp(step.at),
                "enteredBy": entered_by,
                "auditType": audit_type,
                "auditSubType": subtype,
                "auditSource": source,
            }
            audits.append(SourceRow(entry, [event]))
        if step.note is not None:
            public = step.note.public
            resolution = step.status == RESOLVED and step.actor.role == "engineer" and public
            note = _note(
                next(note_ids), t, step.at, step.actor, step.note.text, public, resolution, step.via
            )
            kind = (
                "internal"
                if not public
                else {"contact": "customer", "bot": "automation"}.get(step.actor.role, "agent")
            )
            notes.append(SourceRow(note, [EventRow(key, step.at, "reply", kind, None)]))
    return notes, audits


def _note(
    note_id: int,
    t: Ticket,
    at: dt.datetime,
    author: Person,
    text: str,
    public: bool,
    resolution: bool,
    via: str,
) -> dict[str, Any]:
    when = stamp(at)
    contact = author.role == "contact"
    updated_by = (
        ("Portal" if via == "portal" else "Email Connector")
        if contact
        else str(author.cw_identifier)
    )
    note: dict[str, Any] = {
        "id": note_id,
        "ticketId": t.number,
        "text": text,
        "detailDescriptionFlag": public and not resolution,
        "internalAnalysisFlag": not public,
        "resolutionFlag": resolution,
        "issueFlag": False,
        "customerUpdatedFlag": contact,
        "processNotifications": True,
        "dateCreated": when,
        "internalFlag": not public,
        "externalFlag": public,
        "_info": {"lastUpdated": when, "updatedBy": updated_by},
    }
    if contact:
        note["contact"] = _contact(author)
    else:
        note["member"] = _member(author)
    note["createdBy"] = author.name if contact else author.cw_identifier
    return note


def _minutes(a: dt.datetime, b: dt.datetime) -> int:
    return max(int((b - a).total_seconds() // 60), 0)


def _ticket(t: Ticket, cut_off: dt.datetime) -> dict[str, Any]:
    """The ticket as ``GET /service/tickets`` returns it, as of the export's cut-off."""
    customer = t.customer
    status, priority, owner, responded, resolved, closed = NEW, t.priority, None, None, None, None
    waiting_since, waited, first_wait = None, 0, None
    for step in t.steps:
        if step.assignee is not None:
            owner = step.assignee
        if step.priority is not None:
            priority = step.priority
        if step.status is None:
            continue
        if status in WAITING and waiting_since is not None:
            waited += _minutes(waiting_since, step.at)
        status = step.status
        if status in WAITING:
            waiting_since = step.at
            first_wait = first_wait or step.at
        if status in (IN_PROGRESS, CUSTOMER_UPDATED, REOPENED) and responded is None:
            responded = step
        if status == RESOLVED:
            resolved = step
        if status == CLOSED:
            closed = step
    if status in WAITING and waiting_since is not None:
        waited += _minutes(waiting_since, cut_off)
    last = t.steps[-1] if t.steps else None
    status_id = STATUS_IDS[status]
    priority_id, priority_name, sort = PRIORITIES[priority]
    source_id, source_name = SOURCES[t.channel]
    sla_id, sla_name = SLAS[customer.company_id]
    impact, severity = IMPACT[priority]
    respond_h, plan_h, resolve_h = SLA_HOURS[priority]
    entered_by = {"email": "Email Connector", "portal": "Portal", "monitoring": "Monitoring"}.get(
        t.channel, str(t.submitter.cw_identifier)
    )
    updated = (
        (_entered_by(last)[0] if last.actor.role != "bot" else str(ACKBOT.cw_identifier))
        if last
        else entered_by
    )
    done = status in (RESOLVED, CLOSED)
    row: dict[str, Any] = {
        "id": t.number,
        "summary": t.subject,
        "recordType": "ServiceTicket",
        "board": {
            "id": 1,
            "name": "Service Desk",
            "_info": {"board_href": f"{API}/service/boards/1"},
        },
        "status": {
            "id": status_id,
            "name": STATUS_NAMES[status],
            "Sort": 0,
            "_info": {"status_href": f"{API}/service/boards/1/statuses/{status_id}"},
        },
        "company": {
            "id": customer.company_id,
            "identifier": customer.customer_id,
            "name": customer.name,
            "_info": {"company_href": f"{API}/company/companies/{customer.company_id}"},
        },
        "contact": _contact(t.requester),
        "contactName": t.requester.name,
        "priority": {
            "id": priority_id,
            "name": priority_name,
            "sort": sort,
            "_info": {"priority_href": f"{API}/service/priorities/{priority_id}"},
        },
        "source": {
            "id": source_id,
            "name": source_name,
            "_info": {"source_href": f"{API}/service/sources/{source_id}"},
        },
        "severity": severity,
        "impact": impact,
        "customerUpdatedFlag": bool(last and last.actor.role == "contact" and not done),
        "closedFlag": status == CLOSED,
        "sla": {
            "id": sla_id,
            "name": sla_name,
            "_info": {"sla_href": f"{API}/service/SLAs/{sla_id}"},
        },
        "_info": {
            "lastUpdated": stamp(last.at if last else t.created),
            "updatedBy": updated,
            "dateEntered": stamp(t.created),
            "enteredBy": entered_by,
            "notes_href": f"{API}/service/tickets/{t.number}/notes",
        },
    }
    if owner is not None:
        row["owner"] = _member(owner)
    if closed is not None:
        row["closedDate"], row["closedBy"] = stamp(closed.at), "zAdmin"
    if responded is not None:
        row["dateResponded"], row["respondedBy"] = stamp(responded.at), _entered_by(responded)[0]
    if done and resolved is not None:
        row["dateResolved"], row["resolvedBy"] = stamp(resolved.at), _entered_by(resolved)[0]
    if responded is not None:
        row["dateResplan"] = stamp(responded.at)
    respond_m = _minutes(t.created, responded.at) if responded else 0
    resolve_m = _minutes(t.created, resolved.at) - waited if done and resolved else 0
    skipped = _minutes(t.created, resolved.at) if resolved and responded is None else 0
    row |= {
        "respondMinutes": respond_m,
        "resPlanMinutes": respond_m,
        "resolveMinutes": max(resolve_m, 0),
        "isInSla": not done or resolve_m <= resolve_h * 60,
        "minutesWaiting": waited,
        "respondedHours": respond_h,
        "resplanHours": plan_h,
        "resolutionHours": resolve_h,
        "minutesBeforeWaiting": _minutes(t.created, first_wait) if first_wait else 0,
        "respondedSkippedMinutes": skipped,
        "resplanSkippedMinutes": skipped,
        "escalationLevel": 0,
    }
    if not done:
        row["escalationStartDateUTC"] = stamp(t.created)
    row["slaStatus"] = _sla_status(t.created, status, responded is not None, respond_h, resolve_h)
    return row


def _sla_status(
    created: dt.datetime, status: str, responded: bool, respond_h: int, resolve_h: int
) -> str:
    """ConnectWise's display text, in the members' local time ("Resolve by Fri 03/07 8:00 AM UTC-05")."""
    if status in (RESOLVED, CLOSED):
        return "Resolved"
    if status in WAITING:
        return "Waiting"
    verb, hours = ("Resolve", resolve_h) if responded else ("Respond", respond_h)
    local = (created + dt.timedelta(hours=hours)).astimezone(MEMBER_ZONE)
    offset = int((local.utcoffset() or dt.timedelta(0)).total_seconds() // 3600)
    hour = local.hour % 12 or 12
    return f"{verb} by {local:%a %m/%d} {hour}:{local:%M} {local:%p} UTC{offset:+03d}"


def write_connectwise(
    folder: Path, tickets: list[Ticket], rng: np.random.Generator, cut_off: dt.datetime
) -> Ledger:
    """Write the export of ``tickets`` (numbered, with steps) into ``folder`` and return its
    ledger. Four tickets carry one deliberately bad row each (:data:`faults.CONNECTWISE`)."""
    ledger = Ledger("connectwise")
    (folder / "notes").mkdir(parents=True, exist_ok=True)
    (folder / "audittrail").mkdir(parents=True, exist_ok=True)
    note_ids = itertools.count(700001)
    built = {t.number: _rows(t, note_ids) for t in tickets}
    victims = faults.choose(
        tickets, faults.CONNECTWISE, rng, lambda t: faults.suits_connectwise(*built[t.number])
    )
    exported = []
    for t in tickets:
        who, key = t.customer.customer_id, str(t.number)
        (notes, audits), ticket = built[t.number], _ticket(t, cut_off)
        kind = victims.get(t.number)
        if kind is not None:
            ledger.bad_rows += faults.spoil_connectwise(kind, t, notes, audits, ticket, rng)
        if kind == "rejected":
            ledger.rejected.add((who, key))
        else:
            ledger.tickets.append(TicketRow(key, t.created, t.priority, STATUS_NAMES[NEW], who))
            ledger.events += [e for r in notes + audits if r.fate == "stored" for e in r.events]
        ledger.source_rows[(who, "tickets")] += 1
        ledger.source_rows[(who, "notes")] += len(notes)
        ledger.source_rows[(who, "audit_entries")] += len(audits)
        ledger.ignored_rows[(who, "description_notes")] += sum(r.fate == "ignored" for r in notes)
        exported.append(ticket)
        _dump(folder / "notes" / f"{key}.json", [r.data for r in notes])
        _dump(folder / "audittrail" / f"{key}.json", [r.data for r in audits])
    _dump(folder / "service_tickets.json", exported)
    board = {"id": 1, "name": "Service Desk"}
    statuses = [
        {
            "id": status_id,
            "name": STATUS_NAMES[status],
            "board": board,
            "sortOrder": position,
            "displayOnBoard": status != CLOSED,
            "inactive": False,
            "closedStatus": status == CLOSED,
            "timeEntryNotAllowed": status == CLOSED,
            "defaultFlag": status == NEW,
            "escalationStatus": escalation,
            "customerPortalFlag": True,
        }
        for position, (status_id, status, escalation) in enumerate(BOARD)
    ]
    _dump(folder / "board_statuses.json", statuses)
    _dump(
        folder / "priorities.json",
        [{"id": pid, "name": name, "sort": sort} for pid, name, sort in PRIORITIES.values()],
    )
    return ledger


def _dump(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

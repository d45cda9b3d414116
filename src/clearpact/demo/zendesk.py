"""Write tickets as a Zendesk Support (API v2) export, in the fixture's exact shapes.

Layout, field names and value formats are those of ``tests/ingest/fixtures/zendesk/`` (see its
``SOURCE.md``): ``tickets.json`` (``{"tickets": [...]}``, all pages in one), ``audits/{id}.json``
(``{"audits": [...]}``) and ``users.json``; times are ``YYYY-MM-DDTHH:MM:SSZ`` (UTC). One step
of a ticket's life is one audit; its events share the audit's time. Statuses are Zendesk's
words: the neutral "waiting on the customer" is ``pending``, a wait on a vendor or a booked
visit is ``hold``. The writer fills the :class:`~clearpact.demo.manifest.Ledger` as it writes.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from pathlib import Path
from typing import Any

import numpy as np

from clearpact.demo import cast, faults
from clearpact.demo.cast import Customer, Person
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

BASE = "https://example.zendesk.com/api/v2"
STATUS_NAMES = {
    NEW: "new",
    IN_PROGRESS: "open",
    WAITING_CUSTOMER: "pending",
    WAITING_VENDOR: "hold",
    SCHEDULED: "hold",
    CUSTOMER_UPDATED: "open",
    REOPENED: "open",
    RESOLVED: "solved",
    CLOSED: "closed",
}
PRIORITY_NAMES = {"P1": "urgent", "P2": "high", "P3": "normal", "P4": "low"}
PRIORITY_MAP = {name: key for key, name in PRIORITY_NAMES.items()}
"""Zendesk priority words → the agreement's priority names."""
GROUP = 360005200002  # the Fernhollow escalations group in the customer's desk
BRAND = 360000420001
CLOSE_RULE = {"deleted": False, "title": "Close ticket 4 days after solved", "id": 360200000001}
RECEIVED_TRIGGER = {
    "deleted": False,
    "title": "Notify requester of received request",
    "id": 360100000001,
    "revision_id": 1,
}


def stamp(at: dt.datetime) -> str:
    """Zendesk's time format: ``2025-03-07T14:00:00Z``."""
    return instant(at)


def _via(
    channel: str, source: dict[str, Any] | None = None, rel: str | None = None
) -> dict[str, Any]:
    return {"channel": channel, "source": {"from": source or {}, "to": {}, "rel": rel}}


def _metadata(person: Person) -> dict[str, Any]:
    if person.role in ("system", "bot"):
        return {"system": {}, "custom": {}}
    london = person.role == "engineer"
    return {
        "system": {
            "client": "Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
            "ip_address": "203.0.113.24" if london else "198.51.100.73",
            "location": "London, United Kingdom" if london else "Chicago, IL, United States",
        },
        "custom": {},
    }


def _step_via(step: Step) -> dict[str, Any]:
    if step.actor.role == "system":
        return _via("rule", CLOSE_RULE, "automation")
    if step.actor.role == "bot":
        return _via("api")
    if step.actor.role == "contact":
        return _via("web" if step.via == "portal" else "email")
    return _via("web")


def _comment(
    event_id: int, audit_id: int, author: Person, text: str, public: bool
) -> dict[str, Any]:
    return {
        "type": "Comment",
        "author_id": author.zd_id,
        "body": text,
        "html_body": f'<div class="zd-comment"><p>{text}</p></div>',
        "plain_body": text,
        "public": public,
        "attachments": [],
        "id": event_id,
        "audit_id": audit_id,
    }


def _audits(t: Ticket) -> list[SourceRow]:
    """The ticket's audits in time order (the first creates it), with their canonical events."""
    key, number = str(t.number), t.number
    creator = t.submitter
    audit_id = number * 100000 + 100
    channel = {"email": "email", "portal": "web", "escalation": "web", "monitoring": "api"}[
        t.channel
    ]
    events: list[dict[str, Any]] = [_comment(audit_id + 1, audit_id, creator, t.description, True)]
    created = [("subject", t.subject), ("status", "new"), ("priority", PRIORITY_NAMES[t.priority])]
    created += [
        ("requester_id", str(t.requester.zd_id)),
        ("organization_id", t.customer.customer_id),
    ]
    for offset, (name, value) in enumerate(created, start=2):
        events.append(
            {"type": "Create", "field_name": name, "value": value, "id": audit_id + offset}
        )
    if t.channel in ("email", "portal"):
        events.append(
            {
                "type": "Notification",
                "via": {"channel": "rule", "source": {"from": RECEIVED_TRIGGER, "rel": "trigger"}},
                "subject": f"[Request received] #{number}",
                "body": "Your request has been received.",
                "recipients": [t.requester.zd_id],
                "id": audit_id + len(events) + 1,
            }
        )
    first = {
        "id": audit_id,
        "ticket_id": number,
        "created_at": stamp(t.created),
        "author_id": creator.zd_id,
        "metadata": _metadata(creator),
        "via": _via(channel),
        "events": events,
    }
    audits = [SourceRow(first, fate="ignored")]
    status, priority, assignee = NEW, t.priority, None
    for sequence, step in enumerate(t.steps, start=2):
        audit_id = number * 100000 + sequence * 100
        ids = itertools.count(audit_id + 1)
        via = _step_via(step)
        events, canonical = [], []
        if step.note is not None:
            events.append(
                _comment(next(ids), audit_id, step.actor, step.note.text, step.note.public)
            )
            automatic = step.actor.role == "bot" or via["channel"] == "rule"
            kind = (
                "internal"
                if not step.note.public
                else "automation"
                if automatic
                else "customer"
                if step.actor.role == "contact"
                else "agent"
            )
            canonical.append(EventRow(key, step.at, "reply", kind, via["channel"]))
        if step.assignee is not None:
            new = str(step.assignee.zd_id)
            events.append(
                {
                    "type": "Change",
                    "field_name": "assignee_id",
                    "value": new,
                    "previous_value": assignee,
                    "id": next(ids),
                }
            )
            canonical.append(EventRow(key, step.at, "assignment", new, None))
            assignee = new
        if step.status is not None and STATUS_NAMES[step.status] != STATUS_NAMES[status]:
            old, new = STATUS_NAMES[status], STATUS_NAMES[step.status]
            events.append(
                {
                    "type": "Change",
                    "field_name": "status",
                    "value": new,
                    "previous_value": old,
                    "id": next(ids),
                }
            )
            canonical.append(EventRow(key, step.at, "status", new, None))
        if step.status is not None:
            status = step.status
        if step.priority is not None:
            old, new = PRIORITY_NAMES[priority], PRIORITY_NAMES[step.priority]
            events.append(
                {
                    "type": "Change",
                    "field_name": "priority",
                    "value": new,
                    "previous_value": old,
                    "id": next(ids),
                }
            )
            canonical.append(EventRow(key, step.at, "priority", step.priority, None))
            priority = step.priority
        if events:
            data = {
                "id": audit_id,
                "ticket_id": number,
                "created_at": stamp(step.at),
                "author_id": step.actor.zd_id,
                "metadata": _metadata(step.actor),
                "via": via,
                "events": events,
            }
            audits.append(SourceRow(data, canonical))
    return audits


def _ticket(t: Ticket) -> dict[str, Any]:
    """The ticket as ``GET /api/v2/tickets`` returns it, as of the export's cut-off."""
    status, priority, assignee = NEW, t.priority, None
    for step in t.steps:
        status = step.status or status
        priority = step.priority or priority
        assignee = step.assignee or assignee
    updated = t.steps[-1].at if t.steps else t.created
    channel = {"email": "email", "portal": "web", "escalation": "web", "monitoring": "api"}[
        t.channel
    ]
    return {
        "url": f"{BASE}/tickets/{t.number}.json",
        "id": t.number,
        "external_id": None,
        "via": _via(channel),
        "created_at": stamp(t.created),
        "updated_at": stamp(updated),
        "generated_timestamp": int(updated.timestamp()),
        "type": "task" if t.priority == "P4" else "incident",
        "subject": t.subject,
        "raw_subject": t.subject,
        "description": t.description,
        "priority": PRIORITY_NAMES[priority],
        "status": STATUS_NAMES[status],
        "recipient": "support@example.zendesk.com",
        "requester_id": t.requester.zd_id,
        "submitter_id": t.submitter.zd_id,
        "assignee_id": assignee.zd_id if assignee else None,
        "organization_id": t.customer.company_id,
        "group_id": GROUP,
        "collaborator_ids": [],
        "follower_ids": [],
        "email_cc_ids": [],
        "forum_topic_id": None,
        "problem_id": None,
        "has_incidents": False,
        "is_public": True,
        "due_at": None,
        "tags": [t.issue.tag],
        "custom_fields": [],
        "satisfaction_rating": None,
        "sharing_agreement_ids": [],
        "custom_status_id": None,
        "fields": [],
        "followup_ids": [],
        "brand_id": BRAND,
        "allow_channelback": False,
        "allow_attachments": True,
        "from_messaging_channel": False,
    }


def users(customer: Customer) -> list[dict[str, Any]]:
    """Everyone who appears in the customer's desk: Fernhollow's engineers, the desk's bot,
    the customer's IT team (agents) and its end users."""
    people: list[tuple[Person, str, int | None]] = [(e, "agent", None) for e in customer.engineers]
    people.append((cast.ZENDESK_BOT, "agent", None))
    people += [(p, "admin" if i == 0 else "agent", None) for i, p in enumerate(customer.it_staff)]
    people += [(p, "end-user", customer.company_id) for p in customer.contacts]
    return [
        {"id": p.zd_id, "name": p.name, "role": role, "organization_id": org}
        for p, role, org in people
    ]


def write_zendesk(
    folder: Path, tickets: list[Ticket], customer: Customer, rng: np.random.Generator
) -> Ledger:
    """Write the customer's desk export into ``folder`` and return its ledger. Four tickets
    carry one deliberately bad row each (:data:`faults.ZENDESK`)."""
    ledger = Ledger("zendesk")
    (folder / "audits").mkdir(parents=True, exist_ok=True)
    built = {t.number: _audits(t) for t in tickets}
    victims = faults.choose(
        tickets, faults.ZENDESK, rng, lambda t: faults.suits_zendesk(built[t.number])
    )
    who = customer.customer_id
    exported = []
    for t in tickets:
        key = str(t.number)
        audits, ticket = built[t.number], _ticket(t)
        kind = victims.get(t.number)
        if kind is not None:
            ledger.bad_rows += faults.spoil_zendesk(kind, t, audits, ticket, rng)
        if kind == "rejected":
            ledger.rejected.add((who, key))
        else:
            ledger.tickets.append(TicketRow(key, t.created, t.priority, STATUS_NAMES[NEW], who))
            ledger.events += [e for a in audits if a.fate == "stored" for e in a.events]
        ledger.source_rows[(who, "tickets")] += 1
        ledger.source_rows[(who, "audits")] += len(audits)
        ledger.ignored_rows[(who, "creation_audits")] += sum(a.fate == "ignored" for a in audits)
        exported.append(ticket)
        page = {
            "audits": [a.data for a in audits],
            "next_page": None,
            "previous_page": None,
            "count": len(audits),
        }
        _dump(folder / "audits" / f"{key}.json", page)
    _dump(
        folder / "tickets.json",
        {"tickets": exported, "next_page": None, "previous_page": None, "count": len(exported)},
    )
    everyone = users(customer)
    _dump(folder / "users.json", {"users": everyone, "next_page": None, "count": len(everyone)})
    return ledger


def _dump(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

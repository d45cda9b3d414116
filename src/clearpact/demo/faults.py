"""Deliberately bad rows: four per export, each of a kind an import must quarantine, not drop.

ConnectWise: a note with an unreadable time (hour 24), a change to a status the board does not
have, an audit entry written twice, a ticket whose creation time is unreadable (month 13).
Zendesk: an audit with an impossible day (32), a change to a status Zendesk does not have, an
audit returned twice (as offset paging does), a ticket created in the old API's slash format.
Each spoils rows a writer has built and returns the quarantine rows an import must produce, by
the fixtures' rules (``tests/ingest/fixtures/README.md``): an unreadable creation time rejects the
ticket and every row of it; an unreadable event time rejects that row; an unknown status
rejects that change only, and the status before it still holds.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

import numpy as np

from clearpact.demo.manifest import BadRow, SourceRow, instant
from clearpact.demo.stories import Ticket

CONNECTWISE = ("note_time", "unknown_status", "duplicate", "rejected")
ZENDESK = ("audit_time", "unknown_status", "duplicate", "rejected")
CW_UNKNOWN_STATUS = "Escalated"
ZENDESK_UNKNOWN_STATUS = "escalated"


def choose(
    tickets: list[Ticket],
    kinds: tuple[str, ...],
    rng: np.random.Generator,
    suitable: Callable[[Ticket], bool],
) -> dict[int, str]:
    """One ticket number per kind of bad row: resolved, not raised by monitoring, ``suitable``,
    from the middle half of the period and from the export's customers in turn. A small export
    may lack such a ticket: then any customer's, then any time's will do, else the kind is left
    out (the manifest lists only what was injected)."""
    if not tickets:
        return {}
    first, last = tickets[0].created, tickets[-1].created
    low, high = first + (last - first) * 0.25, first + (last - first) * 0.75
    customers = list(dict.fromkeys(t.customer.slug for t in tickets))
    usable = [t for t in tickets if t.monitor is None and t.resolved_at is not None and suitable(t)]
    chosen: dict[int, str] = {}
    for index, kind in enumerate(kinds):
        preferred = customers[index % len(customers)]
        free = [t for t in usable if t.number not in chosen]
        middle = [t for t in free if low <= t.created <= high]
        for pool in ([t for t in middle if t.customer.slug == preferred], middle, free):
            if pool:
                chosen[pool[int(rng.integers(len(pool)))].number] = kind
                break
    return chosen


def _at(row: SourceRow) -> dt.datetime:
    return row.events[0].at


def _status_pair(rows: list[SourceRow]) -> tuple[int, int] | None:
    """Two consecutive status rows at least two minutes apart (room for a change between)."""
    statuses = [i for i, r in enumerate(rows) if any(e.kind == "status" for e in r.events)]
    for i, j in itertools.pairwise(statuses):
        if _at(rows[j]) - _at(rows[i]) >= dt.timedelta(minutes=2):
            return i, j
    return None


def _agent_only(rows: list[SourceRow]) -> list[SourceRow]:
    """Rows whose only event is an agent's reply."""
    return [r for r in rows if [(e.kind, e.value) for e in r.events] == [("reply", "agent")]]


def suits_connectwise(notes: list[SourceRow], audits: list[SourceRow]) -> bool:
    """Whether a ConnectWise ticket can carry any of the four bad rows."""
    return bool(_agent_only(notes)) and _status_pair(audits) is not None


def suits_zendesk(audits: list[SourceRow]) -> bool:
    """Whether a Zendesk ticket can carry any of the four bad rows."""
    return bool(_agent_only(audits[1:])) and _status_pair(audits) is not None


def _bad(
    t: Ticket, tool: str, file: str, row: str, field: str, value: str, reason: str, whole: bool
) -> BadRow:
    return BadRow(
        tool, t.customer.customer_id, str(t.number), file, row, field, value, reason, whole
    )


def spoil_connectwise(
    kind: str,
    t: Ticket,
    notes: list[SourceRow],
    audits: list[SourceRow],
    ticket: dict[str, Any],
    rng: np.random.Generator,
) -> list[BadRow]:
    """Spoil one ConnectWise ticket's rows in place; return the quarantine rows."""
    key, tool = t.number, "connectwise"
    if kind == "note_time":
        options = _agent_only(notes)
        row = options[int(rng.integers(len(options)))]
        bad = f"{row.data['dateCreated'][:10]}T24:{row.data['dateCreated'][14:]}"
        row.data["dateCreated"] = row.data["_info"]["lastUpdated"] = bad
        row.fate = "quarantined"
        why = "unreadable timestamp (hour 24); the agent note is dropped"
        return [
            _bad(
                t, tool, f"notes/{key}.json", f"id={row.data['id']}", "dateCreated", bad, why, True
            )
        ]
    if kind == "unknown_status":
        pair = _status_pair(audits)
        assert pair is not None, "choose() only picks suitable tickets"
        i, j = pair
        before, after = audits[i].events[0], audits[j].events[0]
        at = (before.at + (after.at - before.at) / 2).replace(microsecond=0)
        old = f'Status has been changed from "{before.value}" to "{CW_UNKNOWN_STATUS}".'
        entry = {
            **audits[i].data,
            "text": old,
            "enteredDate": instant(at),
            "enteredBy": t.customer.engineers[0].cw_identifier,
            "auditSource": "Web",
        }
        audits[j].data["text"] = (
            f'Status has been changed from "{CW_UNKNOWN_STATUS}" to "{after.value}".'
        )
        position = next(k for k in range(i + 1, len(audits)) if _at(audits[k]) > at)
        audits.insert(position, SourceRow(entry, fate="quarantined"))
        why = f"status not among the board's statuses; {before.value} still holds"
        return [
            _bad(
                t,
                tool,
                f"audittrail/{key}.json",
                f"enteredDate={instant(at)}",
                "text",
                CW_UNKNOWN_STATUS,
                why,
                False,
            )
        ]
    if kind == "duplicate":
        statuses = [i for i, r in enumerate(audits) if r.events and r.events[0].kind == "status"]
        i = statuses[int(rng.integers(len(statuses)))]
        copied = copy.deepcopy(audits[i].data)
        audits.insert(i + 1, SourceRow(copied, fate="quarantined"))
        when = copied["enteredDate"]
        why = "duplicate of the audit entry before it (same text and time)"
        return [
            _bad(
                t,
                tool,
                f"audittrail/{key}.json",
                f"enteredDate={when}",
                "enteredDate",
                when,
                why,
                True,
            )
        ]
    created = ticket["_info"]["dateEntered"]
    bad = f"{created[:5]}13{created[7:]}"  # month 13
    ticket["_info"]["dateEntered"] = bad
    out = [
        _bad(
            t,
            tool,
            "service_tickets.json",
            f"id={key}",
            "_info.dateEntered",
            bad,
            "unreadable timestamp (month 13); ticket rejected whole",
            True,
        )
    ]
    for row in audits:
        row.fate = "quarantined"
        out.append(
            _bad(
                t,
                tool,
                f"audittrail/{key}.json",
                f"enteredDate={row.data['enteredDate']}",
                "text",
                "",
                "ticket rejected",
                True,
            )
        )
    for row in notes:
        row.fate = "quarantined"
        out.append(
            _bad(
                t,
                tool,
                f"notes/{key}.json",
                f"id={row.data['id']}",
                "dateCreated",
                "",
                "ticket rejected",
                True,
            )
        )
    return out


def spoil_zendesk(
    kind: str,
    t: Ticket,
    audits: list[SourceRow],
    ticket: dict[str, Any],
    rng: np.random.Generator,
) -> list[BadRow]:
    """Spoil one Zendesk ticket's audits in place; return the quarantine rows."""
    key, tool, file = t.number, "zendesk", f"audits/{t.number}.json"
    if kind == "audit_time":
        options = _agent_only(audits[1:])
        audit = options[int(rng.integers(len(options)))]
        bad = f"{audit.data['created_at'][:8]}32{audit.data['created_at'][10:]}"  # day 32
        audit.data["created_at"] = bad
        audit.fate = "quarantined"
        why = "unreadable timestamp (day 32); the audit's agent comment is dropped"
        return [_bad(t, tool, file, f"audit id={audit.data['id']}", "created_at", bad, why, True)]
    if kind == "unknown_status":
        pair = _status_pair(audits)
        assert pair is not None, "choose() only picks suitable tickets"
        i, j = pair
        before = next(e for e in audits[i].events if e.kind == "status")
        change = next(e for e in audits[j].data["events"] if e.get("field_name") == "status")
        at = (_at(audits[i]) + (_at(audits[j]) - _at(audits[i])) / 2).replace(microsecond=0)
        audit_id = audits[i].data["id"] + 50
        event = {
            "type": "Change",
            "field_name": "status",
            "value": ZENDESK_UNKNOWN_STATUS,
            "previous_value": before.value,
            "id": audit_id + 1,
        }
        engineer = t.customer.engineers[0]
        web = {"channel": "web", "source": {"from": {}, "to": {}, "rel": None}}
        data = {
            **audits[i].data,
            "id": audit_id,
            "created_at": instant(at),
            "author_id": engineer.zd_id,
            "via": web,
            "events": [event],
        }
        change["previous_value"] = ZENDESK_UNKNOWN_STATUS
        position = next(k for k in range(i + 1, len(audits)) if _at(audits[k]) > at)
        audits.insert(position, SourceRow(data, fate="quarantined"))
        why = f"not a Zendesk status; {before.value} still holds"
        return [
            _bad(
                t,
                tool,
                file,
                f"audit id={audit_id} event id={audit_id + 1}",
                "value",
                ZENDESK_UNKNOWN_STATUS,
                why,
                False,
            )
        ]
    if kind == "duplicate":
        index = 1 + int(rng.integers(len(audits) - 1))
        copied = SourceRow(copy.deepcopy(audits[index].data), fate="quarantined")
        audits.insert(index + 1, copied)
        audit_id = copied.data["id"]
        why = "duplicate of the audit before it (same id)"
        return [_bad(t, tool, file, f"audit id={audit_id}", "id", str(audit_id), why, True)]
    created = ticket["created_at"]
    bad = f"{created[:4]}/{created[5:7]}/{created[8:10]} {created[11:19]} +0000"  # API v1 format
    ticket["created_at"] = audits[0].data["created_at"] = bad
    out = [
        _bad(
            t,
            tool,
            "tickets.json",
            f"id={key}",
            "created_at",
            bad,
            "unreadable timestamp (v1 slash format); ticket rejected whole",
            True,
        )
    ]
    for audit in audits:
        audit.fate = "quarantined"
        out.append(
            _bad(
                t,
                tool,
                file,
                f"audit id={audit.data['id']}",
                "ticket_id",
                "",
                "ticket rejected",
                True,
            )
        )
    return out

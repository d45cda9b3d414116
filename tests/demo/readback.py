"""Read a generated demo's files back with json, sqlite3 and csv only, without the generator's
code, and count what an import by the fixtures' rules (``tests/ingest/fixtures/README.md``)
would find: the independent side of the demo's tests."""

from __future__ import annotations

import csv
import json
import re
import sqlite3
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ISO = "%Y-%m-%dT%H:%M:%SZ"
KUMA = "%Y-%m-%d %H:%M:%S.%f"
AUDIT_TEXT = re.compile(r'^(\w+) has been changed from "(.*)" to "(.*)"\.$')
ZENDESK_STATUSES = {"new", "open", "pending", "hold", "solved", "closed"}
ZENDESK_PRIORITIES = {"urgent": "P1", "high": "P2", "normal": "P3", "low": "P4"}
ZENDESK_BOT = 9000000099


def parse(text: str, form: str = ISO) -> datetime | None:
    """The instant, or None when ``text`` is not in ``form``."""
    try:
        return datetime.strptime(text, form).replace(tzinfo=UTC)
    except ValueError:
        return None


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


Event = tuple[datetime, str, str]  # (at, kind, value)


def connectwise_tickets(folder: Path) -> dict[str, list[tuple[dict[str, Any], list[Event]]]]:
    """Per company identifier: each readable ticket with its events."""
    board = {s["name"] for s in load(folder / "board_statuses.json")}
    priorities = {p["name"]: "P" + p["name"].split()[1] for p in load(folder / "priorities.json")}
    out: dict[str, list[tuple[dict[str, Any], list[Event]]]] = {}
    for ticket in load(folder / "service_tickets.json"):
        company = ticket["company"]["identifier"]
        out.setdefault(company, [])
        if parse(ticket["_info"]["dateEntered"]) is None:
            continue  # rejected whole
        events: list[Event] = []
        seen = set()
        for entry in load(folder / "audittrail" / f"{ticket['id']}.json"):
            at, key = parse(entry["enteredDate"]), json.dumps(entry, sort_keys=True)
            if at is None or key in seen:
                continue
            seen.add(key)
            match = AUDIT_TEXT.match(entry["text"])
            assert match, entry["text"]
            field, _old, new = match.groups()
            if field == "Status" and new in board:
                events.append((at, "status", new))
            elif field == "Priority":
                events.append((at, "priority", priorities[new]))
            elif field == "Owner":
                events.append((at, "assignment", new))
        for note in load(folder / "notes" / f"{ticket['id']}.json"):
            at = parse(note["dateCreated"])
            description = (
                "contact" in note and note["dateCreated"] == ticket["_info"]["dateEntered"]
            )
            if at is None or description:
                continue
            if note["internalAnalysisFlag"]:
                kind = "internal"
            elif "contact" in note:
                kind = "customer"
            else:
                kind = "automation" if note["member"]["identifier"] == "ackbot" else "agent"
            events.append((at, "reply", kind))
        out[company].append((ticket, events))
    return out


def zendesk_tickets(folder: Path) -> dict[str, list[tuple[dict[str, Any], list[Event]]]]:
    """Per organization id: each readable ticket with its events."""
    roles = {u["id"]: u["role"] for u in load(folder / "users.json")["users"]}
    out: dict[str, list[tuple[dict[str, Any], list[Event]]]] = {}
    for ticket in load(folder / "tickets.json")["tickets"]:
        organization = str(ticket["organization_id"])
        out.setdefault(organization, [])
        if parse(ticket["created_at"]) is None:
            continue
        events: list[Event] = []
        seen = set()
        for audit in load(folder / "audits" / f"{ticket['id']}.json")["audits"]:
            at = parse(audit["created_at"])
            if at is None or audit["id"] in seen:
                continue
            seen.add(audit["id"])
            creation = any(e["type"] == "Create" for e in audit["events"])
            for e in audit["events"]:
                if e["type"] == "Comment" and not creation:
                    if not e["public"]:
                        kind = "internal"
                    elif e["author_id"] == ZENDESK_BOT or audit["via"]["channel"] == "rule":
                        kind = "automation"
                    else:
                        kind = "customer" if roles[e["author_id"]] == "end-user" else "agent"
                    events.append((at, "reply", kind))
                elif e["type"] == "Change" and e["field_name"] == "status":
                    if e["value"] in ZENDESK_STATUSES:
                        events.append((at, "status", e["value"]))
                elif e["type"] == "Change" and e["field_name"] == "priority":
                    events.append((at, "priority", ZENDESK_PRIORITIES[e["value"]]))
                elif e["type"] == "Change" and e["field_name"] == "assignee_id":
                    events.append((at, "assignment", e["value"]))
        out[organization].append((ticket, events))
    return out


def count(
    tickets: list[tuple[dict[str, Any], list[Event]]],
    first_status: str,
    paused: set[str],
    resolved: str,
    closed: str,
) -> dict[str, Any]:
    """The manifest's ticket counts for one customer, from its tickets' events."""
    kinds: Counter[str] = Counter()
    replies: Counter[str] = Counter()
    tally = Counter[str]()
    for _ticket, events in tickets:
        status, assigned, waited = first_status, False, False
        for at, kind, value in sorted(events):
            kinds[kind] += 1
            if kind == "reply":
                replies[value] += 1
            elif kind == "assignment":
                tally["reassignments"] += assigned
                assigned = True
            elif kind == "status":
                tally["reopenings"] += status == resolved and value not in (resolved, closed)
                waited |= value in paused
                status = value
            assert at is not None
        tally["tickets_paused"] += waited
        tally["tickets_open"] += status not in (resolved, closed)
    return {
        "tickets": len(tickets),
        "events": {k: kinds[k] for k in ("status", "priority", "reply", "assignment")},
        "replies": {k: replies[k] for k in ("agent", "automation", "internal", "customer")},
        **{k: tally[k] for k in ("tickets_paused", "reassignments", "reopenings", "tickets_open")},
    }


def heartbeats(path: Path) -> list[tuple[int, int, str]]:
    """Every heartbeat as (monitor id, status, time), in time order per monitor."""
    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT monitor_id, status, time FROM heartbeat ORDER BY monitor_id, time, id"
        ).fetchall()
    db.close()
    return [(int(m), int(s), str(t)) for m, s, t in rows]


def outages(beats: list[tuple[int, int, str]]) -> set[tuple[int, str, str, bool]]:
    """(monitor, start, end, planned): DOWN (or MAINTENANCE) until the next UP heartbeat."""
    found = set()
    current: dict[int, tuple[int, str]] = {}  # monitor → (state, since)
    for monitor, status, time in beats:
        state, since = current.get(monitor, (1, time))
        if status in (0, 3) and state not in (0, 3):
            current[monitor] = (status, time)
        elif status == 1 and state in (0, 3):
            found.add((monitor, since, time, state == 3))
            current[monitor] = (1, time)
        elif status in (1, 2) and state not in (0, 3):
            current[monitor] = (status, time)
    return found


def surveys(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as source:
        return list(csv.DictReader(source))

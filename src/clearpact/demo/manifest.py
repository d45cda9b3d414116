"""The ground truth of a demo: what the generator wrote, counted the way an import should count it.

Each tool's writer fills a :class:`Ledger` while it writes: the canonical tickets and events an
import profile should store (by the rules in ``tests/ingest/fixtures/README.md``), the rows it
should quarantine (the deliberately bad ones), and how many source rows of each kind it wrote.
:func:`tally` turns a ledger into one customer's :class:`CustomerTruth`; :class:`DemoManifest`
holds them all and is written as ``manifest.json``.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple


class TicketRow(NamedTuple):
    """A canonical ``tickets`` row (priority as the agreement names it, status at creation)."""

    ticket_id: str
    created_at: dt.datetime
    priority: str | None
    status: str
    customer: str


class EventRow(NamedTuple):
    """A canonical ``events`` row; ``channel`` only for Zendesk replies."""

    ticket_id: str
    at: dt.datetime
    kind: str
    value: str | None
    channel: str | None


@dataclass(frozen=True)
class BadRow:
    """A row an import must quarantine, located as the fixtures' expected tables locate it:
    ``file`` relative to the tool's folder, ``row`` such as ``id=51234`` or
    ``enteredDate=2026-03-04T10:15:00Z``. ``whole_row`` is false when only this value is
    unusable (an unknown status)."""

    tool: str
    customer: str
    ticket_id: str
    file: str
    row: str
    field: str
    value: str | None
    reason: str
    whole_row: bool


@dataclass
class SourceRow:
    """A row written to an export (a ConnectWise note or audit entry, a Zendesk audit), the
    canonical events it yields, and what an import does with it: ``stored``, ``ignored`` (read
    for nothing, or only for the ticket row) or ``quarantined``."""

    data: dict[str, Any]
    events: list[EventRow] = field(default_factory=list)
    fate: str = "stored"


@dataclass
class Ledger:
    """What one tool's export holds, filled by its writer."""

    tool: str
    tickets: list[TicketRow] = field(default_factory=list)
    events: list[EventRow] = field(default_factory=list)
    bad_rows: list[BadRow] = field(default_factory=list)
    source_rows: Counter[tuple[str, str]] = field(default_factory=Counter)  # (customer, kind)
    ignored_rows: Counter[tuple[str, str]] = field(default_factory=Counter)
    rejected: set[tuple[str, str]] = field(
        default_factory=set
    )  # (customer, ticket): unreadable creation


@dataclass(frozen=True)
class OutageTruth:
    """An interval a monitor was not UP: an unplanned outage (first DOWN to next UP heartbeat)
    or planned maintenance (MAINTENANCE to next UP), with whether it lay inside the agreement's
    maintenance windows. Times are heartbeat ``time`` values (UTC)."""

    customer: str
    monitor_id: int
    monitor: str
    service: str
    start: str
    end: str
    planned: bool
    in_window: bool | None


@dataclass(frozen=True)
class MonitorTruth:
    """An Uptime Kuma monitor and the agreement service it watches (the profile's mapping)."""

    id: int
    name: str
    customer: str
    service: str


@dataclass(frozen=True)
class CustomerTruth:
    """One customer's counts. Ticket counts are what an import stores (readable tickets);
    ``ticket_rows`` = ``tickets`` + ``tickets_rejected``. ``events`` and ``replies`` are the
    canonical events an import stores, after quarantine. ``source_rows`` count the rows in the
    files (ConnectWise: tickets, notes, audit_entries; Zendesk: tickets, audits); each row is
    stored, quarantined (``quarantined_rows``, listed in the manifest's ``bad_rows``) or
    ignored (``ignored_rows``: the description note, the Zendesk creation audit's comment)."""

    slug: str
    name: str
    tool: str
    customer_id: str
    agreement: str
    timezone: str
    ticket_rows: int
    tickets: int
    tickets_rejected: int
    tickets_open: int
    alert_tickets: int
    events: dict[str, int]
    replies: dict[str, int]
    tickets_paused: int
    reassignments: int
    priority_changes: int
    reopenings: int
    source_rows: dict[str, int]
    ignored_rows: dict[str, int]
    quarantined_rows: int
    surveys: int
    monitors: int
    heartbeats: int
    outages_unplanned: int
    outages_planned: int
    outages_planned_outside_window: int
    churned_on: str | None = None
    """The day the customer gave notice, when the demo planted churn (``churn=True``)."""


@dataclass(frozen=True)
class StoryTruth:
    """A story planted for the health evaluation (:mod:`clearpact.demo.churn`): ``churn``
    (service declines from ``begins``; notice on ``churned_on``) or ``bad_month`` (noise)."""

    customer: str
    kind: str
    begins: str
    ends: str
    churned_on: str | None


@dataclass(frozen=True)
class DemoManifest:
    """Everything the generator knows about one demo folder (``manifest.json``)."""

    seed: int
    scale: float
    start: str  # first local day of the data
    end: str  # first local day after it
    as_of: str  # the export's cut-off instant (UTC): nothing happens at or after it
    provider: str
    files: dict[str, str]
    customers: tuple[CustomerTruth, ...]
    monitors: tuple[MonitorTruth, ...]
    outages: tuple[OutageTruth, ...]
    bad_rows: tuple[BadRow, ...]
    stories: tuple[StoryTruth, ...] = ()

    def customer(self, slug: str) -> CustomerTruth:
        """The truth of one customer, by its agreement's slug."""
        for truth in self.customers:
            if truth.slug == slug:
                return truth
        raise KeyError(slug)

    def to_json(self) -> str:
        """The manifest as indented JSON, keys in declaration order."""
        return json.dumps(dataclasses.asdict(self), indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> DemoManifest:
        """The manifest back from :meth:`to_json`."""
        data: dict[str, Any] = json.loads(text)
        return cls(
            **{
                **data,
                "customers": tuple(CustomerTruth(**c) for c in data["customers"]),
                "monitors": tuple(MonitorTruth(**m) for m in data["monitors"]),
                "outages": tuple(OutageTruth(**o) for o in data["outages"]),
                "bad_rows": tuple(BadRow(**b) for b in data["bad_rows"]),
                "stories": tuple(StoryTruth(**s) for s in data.get("stories", ())),
            }
        )


@dataclass(frozen=True)
class Meanings:
    """Which of a tool's status names pause the customer's resolution SLA, resolve, close."""

    paused: frozenset[str]
    resolved: frozenset[str]
    closed: frozenset[str]


def tally(ledger: Ledger, customer_id: str, meanings: Meanings) -> dict[str, Any]:
    """One customer's ticket counts from a ledger (the fields of :class:`CustomerTruth` that
    come from tickets).

    A reassignment is an assignment while someone is assigned; a reopening is a status change
    from a resolving status to one that neither resolves nor closes; a ticket is open when its
    last status (or its creation status) neither resolves nor closes.
    """
    tickets = [row for row in ledger.tickets if row.customer == customer_id]
    ids = {row.ticket_id for row in tickets}
    by_ticket: dict[str, list[EventRow]] = {}
    for event in ledger.events:
        if event.ticket_id in ids:
            by_ticket.setdefault(event.ticket_id, []).append(event)
    kinds: Counter[str] = Counter()
    replies: Counter[str] = Counter()
    paused = reassignments = reopenings = still_open = 0
    done = meanings.resolved | meanings.closed
    for row in tickets:
        events = sorted(
            by_ticket.get(row.ticket_id, []), key=lambda e: (e.at, e.kind, e.value or "")
        )
        status, assigned, was_paused = row.status, False, False
        for event in events:
            kinds[event.kind] += 1
            if event.kind == "reply":
                replies[event.value or ""] += 1
            elif event.kind == "assignment":
                reassignments += assigned
                assigned = True
            elif event.kind == "status" and event.value is not None:
                reopenings += status in meanings.resolved and event.value not in done
                was_paused |= event.value in meanings.paused
                status = event.value
        paused += was_paused
        still_open += status not in done
    rejected = {ticket for who, ticket in ledger.rejected if who == customer_id}
    return {
        "ticket_rows": len(tickets) + len(rejected),
        "tickets": len(tickets),
        "tickets_rejected": len(rejected),
        "tickets_open": still_open,
        "events": {kind: kinds[kind] for kind in ("status", "priority", "reply", "assignment")},
        "replies": {
            author: replies[author] for author in ("agent", "automation", "internal", "customer")
        },
        "tickets_paused": paused,
        "reassignments": reassignments,
        "priority_changes": kinds["priority"],
        "reopenings": reopenings,
        "source_rows": {
            kind: n for (who, kind), n in sorted(ledger.source_rows.items()) if who == customer_id
        },
        "ignored_rows": {
            kind: n for (who, kind), n in sorted(ledger.ignored_rows.items()) if who == customer_id
        },
        "quarantined_rows": sum(bad.customer == customer_id for bad in ledger.bad_rows),
    }


def instant(at: dt.datetime) -> str:
    """An instant as ISO 8601 UTC with ``Z``, whole seconds: ``2026-03-04T10:15:00Z``."""
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_truth(folder: Path, ledger: Ledger, customer_id: str) -> None:
    """One customer's canonical tables as ``tickets.csv`` and ``events.csv``: what an import of
    the export should store, readable by ``clearpact measure --data``."""
    folder.mkdir(parents=True, exist_ok=True)
    tickets = [row for row in ledger.tickets if row.customer == customer_id]
    order = {row.ticket_id: i for i, row in enumerate(tickets)}
    events = sorted(
        (event for event in ledger.events if event.ticket_id in order),
        key=lambda e: (order[e.ticket_id], e.at, e.kind, e.value or ""),
    )
    with (folder / "tickets.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["ticket_id", "created_at", "priority", "status", "customer"])
        for row in tickets:
            writer.writerow(
                [
                    row.ticket_id,
                    instant(row.created_at),
                    row.priority or "",
                    row.status,
                    row.customer,
                ]
            )
    with (folder / "events.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["ticket_id", "at", "kind", "value", "channel"])
        for event in events:
            writer.writerow(
                [
                    event.ticket_id,
                    instant(event.at),
                    event.kind,
                    event.value or "",
                    event.channel or "",
                ]
            )

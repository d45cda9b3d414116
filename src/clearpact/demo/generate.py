"""Generate the demo: an MSP, three customers, a year of tickets and checks, as tools export them.

An adapter (it writes files). It may import the agreement model, the calendar and the rest of
``clearpact.demo``; nothing in the core imports it. Deterministic for a seed: one
``numpy.random.Generator`` draws everything, in a fixed order.
"""

from __future__ import annotations

import datetime as dt
import shutil
from importlib import resources
from pathlib import Path
from string import Template

import numpy as np

from clearpact.agreement.loader import load_text
from clearpact.agreement.model import Agreement
from clearpact.agreement.slas import AvailabilitySla, TicketSla
from clearpact.calendar import Calendar
from clearpact.demo import churn as planted
from clearpact.demo import connectwise, rhythm, uptime, zendesk
from clearpact.demo.cast import CUSTOMERS, PRAIRIEGATE, PROVIDER, Customer
from clearpact.demo.manifest import (
    CustomerTruth,
    DemoManifest,
    Ledger,
    Meanings,
    MonitorTruth,
    OutageTruth,
    StoryTruth,
    tally,
    write_truth,
)
from clearpact.demo.profiles import write_profiles
from clearpact.demo.readme import write_readme
from clearpact.demo.stories import Life, Terms, Ticket
from clearpact.demo.surveys import write_surveys
from clearpact.durations import add_months

FIRST_CW_TICKET = 51201
FIRST_ZENDESK_TICKET = 24001
OUTPUTS = (
    "agreements",
    "profiles",
    "connectwise",
    "zendesk",
    "uptime-kuma",
    "surveys",
    "truth",
    "manifest.json",
    "README.md",
)
"""What :func:`generate_demo` writes into its folder (and replaces when it is there already)."""
FILES = {
    "agreements/<slug>.yaml": "each customer's agreement (lints without errors)",
    "connectwise/": "the MSP's ConnectWise PSA export for the two customers it serves there",
    "zendesk/": "the co-managed customer's own Zendesk desk, as the MSP exports it",
    "uptime-kuma/kuma.db": "the MSP's Uptime Kuma database (monitor, heartbeat)",
    "surveys/csat.csv": "SmileBack-style satisfaction answers",
    "truth/<slug>/tickets.csv, events.csv": "the canonical rows an import of that customer should store",
    "manifest.json": "this manifest",
    "README.md": "what is where, and the story the data tells",
}


def agreement_text(customer: Customer, start: dt.date) -> str:
    """The customer's agreement, its term starting on ``start`` and (for the one with an
    amendment) amended six months later."""
    template = resources.files("clearpact.demo").joinpath("agreements", f"{customer.slug}.yaml")
    return Template(template.read_text(encoding="utf-8")).substitute(
        term_start=start.isoformat(),
        term_end=(add_months(start, 24) - dt.timedelta(days=1)).isoformat(),
        amended=add_months(start, 6).isoformat(),
    )


def generate_demo(
    out: Path,
    *,
    seed: int = 7,
    start: dt.date = dt.date(2025, 12, 1),
    months: int = 12,
    scale: float = 1.0,
    churn: bool = False,
) -> DemoManifest:
    """Write the demo into ``out`` and return its manifest (also written as ``manifest.json``).

    Tickets are created on the customers' local days from ``start`` for ``months`` months;
    the export's cut-off (``as_of``) is 00:00 UTC on the first day after them: tickets still
    being worked then are open in the export. ``scale`` multiplies the ticket volume (1.0: about
    3,000 tickets). The entries of :data:`OUTPUTS` already in ``out`` are replaced; anything else
    there is left alone.

    With ``churn`` the demo also plants the stories of :mod:`clearpact.demo.churn` (one
    customer declines for months and gives notice on ``churned_on``; another has one bad
    month) and records them in the manifest (``stories``, ``churned_on``); the health
    evaluation (``benchmarks/evaluate_health.py``) measures against them.
    """
    if months < 1 or scale <= 0:
        raise ValueError("months must be at least 1 and scale above 0")
    stories = planted.plan_stories(seed, start, months) if churn else ()
    end = add_months(start, months)
    cut_off = dt.datetime.combine(end, dt.time(), dt.UTC)
    begin = dt.datetime.combine(start, dt.time(), dt.UTC)
    rng = np.random.default_rng(seed)
    out.mkdir(parents=True, exist_ok=True)
    for name in OUTPUTS:
        target = out / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    agreements: dict[str, Agreement] = {}
    (out / "agreements").mkdir()
    for customer in CUSTOMERS:
        text = agreement_text(customer, start)
        (out / "agreements" / f"{customer.slug}.yaml").write_text(text, encoding="utf-8")
        agreements[customer.slug] = load_text(text, f"agreements/{customer.slug}.yaml").agreement
    names = {"connectwise": connectwise.STATUS_NAMES, "zendesk": zendesk.STATUS_NAMES}
    terms = {c.slug: Terms(agreements[c.slug], c, names[c.tool]) for c in CUSTOMERS}

    month_starts = [add_months(start, i) for i in range(months)]
    windows = {c.slug: Calendar(agreements[c.slug].calendars["maintenance"]) for c in CUSTOMERS}
    zones = {slug: term.zone for slug, term in terms.items()}
    incidents = uptime.plan_incidents(rng, month_starts, cut_off, zones, windows)

    tickets: list[Ticket] = []
    for customer in CUSTOMERS:
        tickets += rhythm.arrivals(customer, terms[customer.slug], rng, start, end, scale)
    for incident in incidents:
        monitor = incident.monitor
        if (
            incident.kind == "outage"
            and monitor.critical
            and incident.end - incident.start >= dt.timedelta(minutes=8)
        ):
            term = terms[monitor.customer.slug]
            tickets.append(
                rhythm.alert_ticket(
                    monitor.customer,
                    term,
                    monitor.name,
                    monitor.service,
                    incident.start,
                    incident.end,
                    rng,
                )
            )
    tickets = sorted(
        (t for t in tickets if t.created < cut_off), key=lambda t: (t.created, t.customer.slug)
    )
    in_cw = [t for t in tickets if t.customer.tool == "connectwise"]
    in_zendesk = [t for t in tickets if t.customer.tool == "zendesk"]
    for first, group in ((FIRST_CW_TICKET, in_cw), (FIRST_ZENDESK_TICKET, in_zendesk)):
        for number, ticket in enumerate(group, start=first):
            ticket.number = number
    for ticket in tickets:
        life = Life(ticket, terms[ticket.customer.slug], rng, cut_off)
        if stories:
            life.pace *= planted.strain(stories, ticket.customer.slug, ticket.created)
        life.live()

    ledgers = {
        "connectwise": connectwise.write_connectwise(out / "connectwise", in_cw, rng, cut_off),
        "zendesk": zendesk.write_zendesk(out / "zendesk", in_zendesk, PRAIRIEGATE, rng),
    }
    heartbeats = uptime.write_kuma(out / "uptime-kuma" / "kuma.db", incidents, begin, cut_off, rng)
    rejected = {ticket for ledger in ledgers.values() for _, ticket in ledger.rejected}
    answered = [t for t in tickets if str(t.number) not in rejected]
    sour = None
    if stories:

        def sour(ticket: Ticket) -> float:
            at = ticket.resolved_at or ticket.created
            return planted.sourness(stories, ticket.customer.slug, at)

    surveys = write_surveys(out / "surveys" / "csat.csv", answered, rng, cut_off, sour=sour)

    truths = []
    for customer in CUSTOMERS:
        ledger = ledgers[customer.tool]
        write_truth(out / "truth" / customer.slug, ledger, customer.customer_id)
        truths.append(
            _truth(
                customer,
                ledger,
                agreements[customer.slug],
                terms[customer.slug],
                tickets,
                incidents,
                heartbeats,
                surveys,
                next((s.churned_on for s in stories if s.customer == customer.slug), None),
            )
        )
    manifest = DemoManifest(
        seed=seed,
        scale=scale,
        start=start.isoformat(),
        end=end.isoformat(),
        as_of=cut_off.strftime("%Y-%m-%dT%H:%M:%SZ"),
        provider=PROVIDER,
        files=FILES,
        customers=tuple(truths),
        monitors=tuple(
            MonitorTruth(m.id, m.name, m.customer.slug, m.service) for m in uptime.MONITORS
        ),
        outages=tuple(_outage(incident) for incident in incidents if incident.kind != "blip"),
        bad_rows=tuple(bad for ledger in ledgers.values() for bad in ledger.bad_rows),
        stories=tuple(StoryTruth(**vars(story)) for story in stories),
    )
    (out / "manifest.json").write_text(manifest.to_json(), encoding="utf-8")
    write_profiles(out / "profiles")
    availability = {}
    for customer in CUSTOMERS:
        for sla in agreements[customer.slug].slas.values():
            if isinstance(sla, AvailabilitySla) and sla.target is not None:
                availability[customer.slug] = (tuple(sla.services), sla.target)
    write_readme(out / "README.md", manifest, availability)
    return manifest


def _kuma_time(at: dt.datetime) -> str:
    return f"{at:%Y-%m-%d %H:%M:%S}.{at.microsecond // 1000:03d}"


def _outage(incident: uptime.Incident) -> OutageTruth:
    monitor = incident.monitor
    planned = incident.kind == "maintenance"
    return OutageTruth(
        monitor.customer.slug,
        monitor.id,
        monitor.name,
        monitor.service,
        _kuma_time(incident.start),
        _kuma_time(incident.end),
        planned,
        incident.in_window if planned else None,
    )


def _truth(
    customer: Customer,
    ledger: Ledger,
    agreement: Agreement,
    terms: Terms,
    tickets: list[Ticket],
    incidents: list[uptime.Incident],
    heartbeats: dict[int, int],
    surveys: dict[str, int],
    churned_on: str | None = None,
) -> CustomerTruth:
    """One customer's counts: its tickets from the ledger, its monitors from the incidents."""
    names = connectwise.STATUS_NAMES if customer.tool == "connectwise" else zendesk.STATUS_NAMES
    resolved, closed = {names["resolved"]}, {names["closed"]}
    sla = agreement.slas[customer.resolution_sla]
    paused = frozenset(sla.pause_statuses if isinstance(sla, TicketSla) else ())
    counts = tally(
        ledger, customer.customer_id, Meanings(paused, frozenset(resolved), frozenset(closed))
    )
    monitors = [m.id for m in uptime.MONITORS if m.customer == customer]
    own = [i for i in incidents if i.monitor.customer == customer]
    return CustomerTruth(
        slug=customer.slug,
        name=customer.name,
        tool=customer.tool,
        customer_id=customer.customer_id,
        agreement=f"agreements/{customer.slug}.yaml",
        timezone=str(terms.zone),
        alert_tickets=sum(t.customer == customer and t.monitor is not None for t in tickets),
        surveys=surveys.get(customer.slug, 0),
        monitors=len(monitors),
        heartbeats=sum(heartbeats[m] for m in monitors),
        outages_unplanned=sum(i.kind == "outage" for i in own),
        outages_planned=sum(i.kind == "maintenance" for i in own),
        outages_planned_outside_window=sum(
            i.kind == "maintenance" and not i.in_window for i in own
        ),
        **counts,
        churned_on=churned_on,
    )

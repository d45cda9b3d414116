"""Everything a service report says, gathered from a store: the clock run as of the period's
end, attainment for the period and the periods before it, breaches with their evidence, clocks
at risk, availability, KPIs, credits, governance obligations and the glossary.

An adapter (it reads the store); rendering is :mod:`clearpact.report.render`. Every number the
report shows comes from ``evidence`` (one row per clock judged in the period, or at risk at its
end), so each can be recounted from it (``evidence.csv`` beside the report).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.compute as pc

from clearpact.agreement.fields import Cadence
from clearpact.agreement.model import Agreement
from clearpact.agreement.slas import TicketSla
from clearpact.agreement.versions import in_force
from clearpact.clock import StatusMeanings, compute
from clearpact.clock.evidence import explanations_from
from clearpact.clock.runner import CanonicalSource, of_customer, run_tables
from clearpact.governance import Register, obligations_for_period
from clearpact.governance.health import CustomerSignals, Health, health, with_governance
from clearpact.governance.health_signals import signals_from_results
from clearpact.governance.obligations import obligations
from clearpact.ingest.canonical import read_events, read_tickets
from clearpact.ingest.register import load_register
from clearpact.ingest.store import Store, read_store_table
from clearpact.kpi.attainment import attainment
from clearpact.kpi.availability import agreement_availability
from clearpact.kpi.credits import CreditStatement, compute_credits
from clearpact.kpi.library import KpiValue, compute_kpis
from clearpact.kpi.lifecycle import ticket_lifecycles
from clearpact.report.period import ReportPeriod

BREACHES_SHOWN = 40
"""Breaches shown with their timeline in the report; all of them are in ``evidence.csv``."""


@dataclass(frozen=True)
class SlaRow:
    """Attainment of one SLA (``priority`` None: all priorities) in one period."""

    sla: str
    priority: str | None
    met: int
    breached: int
    open: int
    attainment: float | None  # 0–1
    target: float | None  # 0–1
    minimum: int | None
    per_priority: bool = False
    """All priorities' row of an SLA judged per priority: met only when every priority with
    enough tickets met the target."""
    missed_priorities: tuple[str, ...] = ()
    judged_priorities: int = 0

    @property
    def judged(self) -> bool:
        if self.per_priority:
            return self.judged_priorities > 0
        return self.minimum is None or self.met + self.breached >= self.minimum

    @property
    def status(self) -> str:
        """``met``, ``missed``, ``not judged`` (too few tickets) or ``no target``."""
        if self.attainment is None or self.target is None:
            return "no target" if self.target is None else "no tickets"
        if not self.judged:
            return "not judged"
        if self.per_priority:
            return "missed" if self.missed_priorities else "met"
        return "met" if self.attainment >= self.target else "missed"


@dataclass(frozen=True)
class Breach:
    """A clock judged breached in the period, with the segments that made it so."""

    result: dict[str, Any]
    clause: str
    segments: list[dict[str, Any]]


@dataclass(frozen=True)
class Obligation:
    """An obligation due in the period, or an action item open in it, with its state from the
    evidence register (``state`` None: no register, not tracked)."""

    kind: str  # meeting | report | dr_test | … | action_item (clearpact.governance.Kind)
    name: str
    cadence: str
    due: str
    status: str
    state: str | None = None
    evidence: str | None = None
    period: str | None = None
    owner: str | None = None


@dataclass
class ReportData:
    """What one report shows."""

    agreement: Agreement
    period: ReportPeriod
    source: str
    customer: str | None
    generated_at: dt.datetime
    tickets_opened: int
    tickets_resolved: int
    rows: list[SlaRow]
    previous_rows: list[SlaRow]
    trend: list[dict[str, Any]]
    breaches: list[Breach]
    breaches_total: int
    at_risk: list[dict[str, Any]]
    evidence: pa.Table
    availability: list[dict[str, Any]] = field(default_factory=list)
    kpis: list[KpiValue] = field(default_factory=list)
    credits: list[CreditStatement] = field(default_factory=list)
    obligations: list[Obligation] = field(default_factory=list)
    glossary: list[tuple[str, str]] = field(default_factory=list)
    lifecycles: pa.Table | None = None
    """Tickets first resolved in the period, or open at its end: the facts first contact
    resolution, the reopen rate and the backlog are counted from."""
    surveys: pa.Table | None = None
    """Satisfaction answers given in the period (the CSAT KPIs' evidence)."""
    imported: dict[str, Any] | None = None
    quarantined: int = 0
    health: Health | None = None
    """The customer's health at the period's end (business reviews only)."""


def gather(
    agreement: Agreement,
    data: Path,
    period: ReportPeriod,
    *,
    customer: str | None = None,
    statuses: StatusMeanings | None = None,
    trend_periods: int | None = None,
    register: Register | Path | None = None,
) -> ReportData:
    """Measure the store at ``data`` as of the period's end and collect the report's content.

    Clocks count in the period they were judged (the month a clock stopped, or an open one
    breached), as ``clearpact.kpi.attainment`` counts them. ``register`` is the evidence
    register (or the path of its file, read when it exists): obligations are judged against
    it as of the period's end; without one they show as not tracked (a register file that does
    not load raises :class:`clearpact.ingest.register.RegisterError`).
    """
    store = Store.open(data)
    tickets, events, statuses = _read(data, customer, statuses)
    surveys = _surveys(data, customer)
    outages, checks = read_store_table(data, "outages"), read_store_table(data, "checks")
    as_of = period.end_at.astimezone(dt.UTC)
    run = run_tables(agreement, tickets, events, as_of=as_of, statuses=statuses)
    results = run.results
    zone = period.zone
    table = attainment(results, zone=zone, period=period.kind)
    periods = period.trend(trend_periods or (12 if period.kind == "month" else 8))
    judged = _judged_in(results, period)
    evidence = _evidence(results, judged)
    report = ReportData(
        agreement=agreement,
        period=period,
        source=str(data),
        customer=customer,
        generated_at=dt.datetime.now(dt.UTC),
        tickets_opened=_count_between(tickets["created_at"], period),
        tickets_resolved=_resolved_in(results, period),
        rows=_rows(agreement, table, period),
        previous_rows=_rows(agreement, table, period.previous()),
        trend=_trend(agreement, table, periods),
        breaches=[],
        breaches_total=0,
        at_risk=results.filter(_at_risk(results)).to_pylist(),
        evidence=evidence,
        imported=None if store is None else store.manifest.get("last_import"),
        quarantined=0 if store is None else store.quarantine().num_rows,
    )
    breached = evidence.filter(pc.is_in(evidence["state"], pa.array(["breached", "open_breached"])))
    report.breaches_total = breached.num_rows
    report.breaches = _breaches(agreement, tickets, events, breached, as_of, statuses)
    if agreement.kpis:
        report.kpis = compute_kpis(
            agreement,
            results=results,
            tickets=tickets,
            events=events,
            surveys=surveys,
            outages=outages,
            checks=checks,
            period=period.kind,
            first=period.start,
            last=period.start,
            as_of=period.end_at,
            statuses=statuses,
        )
    report.surveys = surveys.filter(pc.fill_null(_inside(surveys["at"], period), False))
    report.lifecycles = _lifecycles(agreement, tickets, events, period, statuses)
    available = agreement_availability(agreement, outages, checks, as_of=period.end_at)
    report.availability = [r for r in available.to_pylist() if period.contains(r["period"])]
    monthly = table
    if period.kind != "month" and agreement.service_credits is not None:
        monthly = attainment(results, zone=zone, period="month")
    report.credits = _credits(agreement, monthly, available, period)
    book = _register(register)
    if period.kind == "quarter":
        signals = signals_from_results(
            agreement,
            tickets=tickets,
            results=results,  # measured as of the period's end, the first instant of period.end
            surveys=surveys,
            customer=customer,
            as_of=period.end,
        )
        if book is not None:
            signals = with_governance(signals, obligations(agreement, book, as_of=period.end))
        report.health = health(signals, as_of=period.end)
    report.obligations = _obligations(agreement, period, book)
    report.glossary = _glossary(agreement)
    return report


def signals_from_store(
    agreement: Agreement,
    data: Path,
    customer: str | None,
    as_of: dt.date,
    *,
    statuses: StatusMeanings | None = None,
) -> CustomerSignals:
    """A customer's monthly health signals from the store at ``data`` (all tickets when
    ``customer`` is None), its clocks run as of the first instant of ``as_of`` (a local day in
    the agreement's zone)."""
    tickets, events, statuses = _read(data, customer, statuses)
    instant = dt.datetime.combine(as_of, dt.time(), ZoneInfo(agreement.home_zone))
    run = run_tables(
        agreement, tickets, events, as_of=instant.astimezone(dt.UTC), statuses=statuses
    )
    return signals_from_results(
        agreement,
        tickets=tickets,
        results=run.results,
        surveys=_surveys(data, customer),
        customer=customer,
        as_of=as_of,
    )


def _read(
    data: Path, customer: str | None, statuses: StatusMeanings | None
) -> tuple[pa.Table, pa.Table, StatusMeanings]:
    """The tickets and events at ``data`` (one customer's when given), and the status meanings:
    those given, else the store's profile's, else the defaults."""
    source = CanonicalSource.find(data)
    tickets = read_tickets(source.tickets)
    events = read_events(source.events)
    if customer is not None:
        tickets, events = of_customer(tickets, events, customer)
    if statuses is None:
        store = Store.open(data)
        statuses = store.status_meanings() if store is not None else StatusMeanings()
    return tickets, events, statuses


def _surveys(data: Path, customer: str | None) -> pa.Table:
    """The store's survey answers (one customer's when given)."""
    surveys = read_store_table(data, "surveys")
    if customer is not None and surveys.num_rows:
        surveys = surveys.filter(pc.equal(surveys["customer"], customer))
    return surveys


def _judged_in(results: pa.Table, period: ReportPeriod) -> pa.Array:
    """Clocks judged in the period: stopped in it (met, breached, or without a target), or open
    and breached in it."""
    state = pc.cast(results["state"], pa.string())
    when = pc.if_else(pc.equal(state, "open_breached"), results["breached_at"], results["stop_at"])
    inside = _inside(when, period)
    judged = pc.is_in(state, pa.array(["met", "breached", "open_breached", "no_target"]))
    return pc.fill_null(pc.and_(inside, judged), False)


def _at_risk(results: pa.Table) -> pa.Array:
    state = pc.cast(results["state"], pa.string())
    return pc.fill_null(pc.and_(pc.equal(state, "open"), results["at_risk"]), False)


def _evidence(results: pa.Table, judged: pa.Array) -> pa.Table:
    """The rows behind every number: clocks judged in the period and clocks at risk at its end,
    with plain text columns."""
    rows = results.filter(pc.or_(judged, _at_risk(results)))
    columns = [
        "ticket_id", "sla", "cycle", "priority", "state", "at_risk", "start_at", "due_at",
        "stop_at", "breached_at", "elapsed_business_s", "paused_business_s", "target_s",
        "agreement_version", "customer", "service", "note",
    ]  # fmt: skip
    chosen = rows.select(columns)
    plain = pa.schema(
        pa.field(f.name, pa.string()) if pa.types.is_dictionary(f.type) else f
        for f in chosen.schema
    )
    return chosen.cast(plain).sort_by([("sla", "ascending"), ("priority", "ascending"),
                                       ("ticket_id", "ascending")])  # fmt: skip


def _inside(instants: pa.ChunkedArray | pa.Array, period: ReportPeriod) -> pa.ChunkedArray:
    """Whether each instant lies in ``[start, end)`` of the period (null stays null)."""
    start = pa.scalar(period.start_at, pa.timestamp("us", tz="UTC"))
    end = pa.scalar(period.end_at, pa.timestamp("us", tz="UTC"))
    return pc.and_(pc.greater_equal(instants, start), pc.less(instants, end))


def _count_between(instants: pa.ChunkedArray, period: ReportPeriod) -> int:
    return int(pc.sum(pc.fill_null(_inside(instants, period), False)).as_py() or 0)


def _resolved_in(results: pa.Table, period: ReportPeriod) -> int:
    """Tickets whose resolution clock (the first resolution SLA's) stopped in the period."""
    metric = pc.cast(results["metric"], pa.string())
    resolution = results.filter(pc.equal(metric, "resolution"))
    if resolution.num_rows == 0:
        return 0
    first = pc.cast(resolution["sla"], pa.string())[0].as_py()
    mine = resolution.filter(pc.equal(pc.cast(resolution["sla"], pa.string()), first))
    stopped = mine.filter(pc.fill_null(_inside(mine["stop_at"], period), False))
    return len(set(stopped["ticket_id"].to_pylist()))


def _rows(agreement: Agreement, table: pa.Table, period: ReportPeriod) -> list[SlaRow]:
    """Per ticket SLA: all priorities first, then each priority, for ``period``."""
    rows = [r for r in table.to_pylist() if r["period_start"] == period.start]
    out: list[SlaRow] = []
    for key, sla in agreement.slas.items():
        if not isinstance(sla, TicketSla):
            continue
        target = sla.attainment.target / 100 if sla.attainment else None
        minimum = sla.attainment.minimum_tickets if sla.attainment else None
        mine = [r for r in rows if r["sla"] == key]
        met = sum(int(r["met"]) for r in mine)
        breached = sum(int(r["breached"]) for r in mine)
        opened = sum(int(r["open"]) for r in mine)
        share = met / (met + breached) if met + breached else None
        parts = []
        for r in sorted(mine, key=lambda r: str(r["priority"])):
            total = int(r["met"]) + int(r["breached"])
            parts.append(
                SlaRow(
                    key,
                    r["priority"] or "(none)",
                    int(r["met"]),
                    int(r["breached"]),
                    int(r["open"]),
                    int(r["met"]) / total if total else None,
                    target,
                    minimum,
                )
            )
        per_priority = bool(sla.attainment and sla.attainment.per_priority)
        missed = tuple(str(p.priority) for p in parts if p.status == "missed")
        counted = sum(p.status in ("met", "missed") for p in parts)
        out.append(
            SlaRow(
                key,
                None,
                met,
                breached,
                opened,
                share,
                target,
                minimum,
                per_priority,
                missed,
                counted,
            )
        )
        out.extend(parts)
    return out


def _trend(
    agreement: Agreement, table: pa.Table, periods: list[ReportPeriod]
) -> list[dict[str, Any]]:
    """Attainment per SLA and priority (and all priorities) in each of ``periods``."""
    points = []
    for period in periods:
        for row in _rows(agreement, table, period):
            points.append(
                {
                    "period": period.start.isoformat(),
                    "label": period.label,
                    "sla": row.sla,
                    "priority": row.priority or "all",
                    "attainment": None if row.attainment is None else 100 * row.attainment,
                    "target": None if row.target is None else 100 * row.target,
                    "judged": row.met + row.breached,
                }
            )
    return points


def _breaches(
    agreement: Agreement,
    tickets: pa.Table,
    events: pa.Table,
    breached: pa.Table,
    as_of: dt.datetime,
    statuses: StatusMeanings,
) -> list[Breach]:
    """The first :data:`BREACHES_SHOWN` breaches (highest priority first) with their segments,
    traced by the kernel on just those tickets."""
    order = sorted(
        breached.to_pylist(), key=lambda r: (str(r["priority"]), str(r["sla"]), str(r["ticket_id"]))
    )[:BREACHES_SHOWN]
    if not order:
        return []
    ids = pa.array(sorted({r["ticket_id"] for r in order}), pa.string())
    mine = tickets.filter(pc.is_in(tickets["ticket_id"], value_set=ids))
    key = "ticket_key" if "ticket_key" in events.column_names else "ticket_id"
    theirs = events.filter(pc.is_in(events[key], value_set=mine[key].combine_chunks()))
    run = compute(agreement, mine, theirs, as_of=as_of, statuses=statuses, trace=True)
    explained = {
        (e.result["ticket_id"], e.result["sla"], e.result["cycle"]): e
        for e in explanations_from(agreement, run)
    }
    out = []
    for row in order:
        found = explained.get((row["ticket_id"], row["sla"], row["cycle"]))
        if found is not None:
            out.append(Breach(row, found.clause(), found.segments))
    return out


def _lifecycles(
    agreement: Agreement,
    tickets: pa.Table,
    events: pa.Table,
    period: ReportPeriod,
    statuses: StatusMeanings,
) -> pa.Table:
    beyond = sorted(
        {
            s
            for sla in agreement.slas.values()
            if isinstance(sla, TicketSla)
            for s in sla.pause_statuses
        }
    )  # the KPI library's default: waiting on someone else is beyond first contact
    rows = ticket_lifecycles(
        tickets, events, as_of=period.end_at, statuses=statuses, beyond_first_contact=beyond
    )
    resolved = pc.fill_null(_inside(rows["resolved_at"], period), False)
    return rows.filter(pc.or_(resolved, pc.is_null(rows["resolved_at"])))


def _credits(
    agreement: Agreement, monthly: pa.Table, available: pa.Table, period: ReportPeriod
) -> list[CreditStatement]:
    """The credit statement of each month of the period, under the terms in force then; later
    months are not measured yet (earn-back shows as pending)."""
    if agreement.service_credits is None:
        return []
    statements = []
    month = ReportPeriod("month", period.start, period.start, period.zone)
    while month.start < period.end:
        month = ReportPeriod.parse_month(f"{month.start:%Y-%m}", period.zone)
        terms = in_force(agreement, month.start) if agreement.versions else agreement
        statements.append(
            compute_credits(
                terms,
                monthly,
                available,
                period_start=month.start,
                measured_through=_last_month(period),
            )
        )
        month = ReportPeriod("month", month.end, month.end, period.zone)
    return statements


def _last_month(period: ReportPeriod) -> dt.date:
    last = period.end - dt.timedelta(days=1)
    return last.replace(day=1)


def _register(register: Register | Path | None) -> Register | None:
    """The register given, or read from its file (None when the file does not exist)."""
    if register is None or isinstance(register, Register):
        return register
    return load_register(register).register if register.is_file() else None


def _obligations(
    agreement: Agreement, period: ReportPeriod, register: Register | None = None
) -> list[Obligation]:
    """What the agreement makes due in the period, and the action items open in it, judged
    against ``register`` as of the period's end (the day after its last: what is due on the
    last day and not evidenced is overdue). Without a register: the meetings and reports due,
    each "not tracked"."""
    if register is not None:
        rows = obligations_for_period(agreement, register, period.start, period.end, period.end)
        return [
            Obligation(
                kind=row.kind.value,
                name=row.name,
                cadence="",
                due=row.due.isoformat() if row.due else "—",
                status=row.detail,
                state=row.state.value,
                evidence=row.evidence.isoformat() if row.evidence else None,
                period=row.period,
                owner=row.owner,
            )
            for row in rows
        ]
    governance = agreement.governance
    if governance is None:
        return []
    due_now = {Cadence.WEEKLY, Cadence.BIWEEKLY, Cadence.MONTHLY, Cadence.DAILY}
    if period.end.month in (1, 4, 7, 10):
        due_now.add(Cadence.QUARTERLY)
    if period.end.month in (1, 7):
        due_now.add(Cadence.SEMIANNUAL)
    if period.end.month == 1:
        due_now.add(Cadence.ANNUAL)
    status = "not tracked (no governance register yet)"
    out = [
        Obligation("meeting", m.name, m.cadence.value, f"in {period.label}", status)
        for m in governance.meetings
        if m.cadence in due_now
    ]
    for r in governance.reports:
        if r.cadence in due_now:
            within = f" within {r.due_within} of the period's end" if r.due_within else ""
            out.append(
                Obligation("report", r.name, r.cadence.value, f"for {period.label}{within}", status)
            )
    return out


def _glossary(agreement: Agreement) -> list[tuple[str, str]]:
    """Every defined term, the priorities and the SLAs, in the agreement's words."""
    terms = sorted(agreement.definitions.items(), key=lambda item: item[0].lower())
    if agreement.priorities is not None:
        for name, level in agreement.priorities.levels.items():
            if level.definition:
                terms.append((f"{name} ({level.name})", level.definition))
    for key, sla in agreement.slas.items():
        if sla.description:
            terms.append((f"SLA '{key}'", sla.description))
    terms.append(
        (
            "Attainment",
            "The share of clocks judged in the period that met their target: met / (met + breached).",
        )
    )
    return terms

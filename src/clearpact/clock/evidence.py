"""Why a ticket's SLA result is what it is: its segments, the calendar, the target and the clause.

The explanation runs the kernel itself on the one ticket with tracing on, so what it shows is
what was measured, never a second computation. Pure: no files, no terminal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.compute as pc

from clearpact.agreement.calendars import CalendarSpec
from clearpact.agreement.model import Agreement
from clearpact.agreement.versions import in_force
from clearpact.clock.kernel import ClockRun, compute
from clearpact.clock.rules import SlaRule, compile_rules
from clearpact.clock.tables import StatusMeanings
from clearpact.durations import format_seconds


@dataclass(frozen=True)
class Explanation:
    """One result row of one ticket, with the segments that produced it and the rule applied."""

    result: dict[str, Any]
    segments: list[dict[str, Any]]
    rule: SlaRule
    calendar: CalendarSpec | None

    @property
    def zone(self) -> dt.tzinfo:
        """The zone times are shown in: the calendar's."""
        return ZoneInfo(self.calendar.timezone) if self.calendar else dt.UTC

    def clause(self) -> str:
        """The terms that applied, as the agreement states them (with the default named where
        the agreement is silent)."""
        r = self.result
        rule = self.rule
        parts = []
        if r["target_s"] is not None:
            parts.append(
                f"slas.{rule.key}.targets.{r['priority']}: {_hours(r['target_s'])} "
                f"on calendar '{r['calendar']}'"
            )
        else:
            parts.append(f"slas.{rule.key}: no target for priority {r['priority']}")
        parts.append(f"clock from {rule.start.value} to {rule.stop.value}")
        if rule.pause_statuses:
            parts.append("paused in " + ", ".join(sorted(rule.pause_statuses)))
        parts.append(f"priority change: {rule.priority_change.value}")
        if rule.metric != "first_response":
            parts.append(f"reopen: {rule.reopen.value}")
        return "; ".join(parts)


def explain_ticket(
    agreement: Agreement,
    tickets: pa.Table,
    events: pa.Table,
    ticket_id: str,
    *,
    as_of: dt.datetime,
    statuses: StatusMeanings | None = None,
) -> list[Explanation]:
    """Every SLA result of one ticket with its segments. Raises ``KeyError`` for an unknown id."""
    mine = tickets.filter(pc.equal(tickets["ticket_id"], ticket_id))
    if mine.num_rows == 0:
        raise KeyError(ticket_id)
    their_events = events.filter(pc.equal(events["ticket_id"], ticket_id))
    run = compute(agreement, mine, their_events, as_of=as_of, statuses=statuses, trace=True)
    return explanations_from(agreement, run)


def explanations_from(agreement: Agreement, run: ClockRun) -> list[Explanation]:
    """Every result row of a traced run (``compute(..., trace=True)``) with its segments, the
    rule and the calendar that applied; for many tickets at once (a report's breaches)."""
    explanations = []
    rules: dict[str | None, dict[str, SlaRule]] = {}
    segments_of: dict[str, dict[tuple[str, int], list[dict[str, Any]]]] = {}
    for sla, trace in run.traces.items():
        grouped: dict[tuple[str, int], list[dict[str, Any]]] = {}
        for s in trace.to_pylist():
            if s["clock"] != "outside":
                grouped.setdefault((s["ticket_id"], s["cycle"]), []).append(s)
        segments_of[sla] = grouped
    for row in run.results.to_pylist():
        version = row["agreement_version"]
        terms = agreement
        if version is not None:
            effective = next(a.effective for a in agreement.versions if a.version == version)
            terms = in_force(agreement, effective)
        if version not in rules:
            rules[version] = {r.key: r for r in compile_rules(terms)}
        rule = rules[version][row["sla"]]
        segments = segments_of.get(row["sla"], {}).get((row["ticket_id"], row["cycle"]), [])
        calendar = terms.calendars.get(row["calendar"]) if row["calendar"] else None
        explanations.append(Explanation(row, segments, rule, calendar))
    return explanations


def _hours(seconds: float) -> str:
    return format_seconds(seconds, sep=" ", days=False)


def _when(value: dt.datetime | None, zone: dt.tzinfo) -> str:
    return value.astimezone(zone).strftime("%a %Y-%m-%d %H:%M") if value else "—"


def describe(explanation: Explanation) -> list[str]:
    """Plain-text lines: heading, clause, one line per segment, and the sum."""
    r = explanation.result
    zone = explanation.zone
    lines = [
        f"{r['ticket_id']} · {r['sla']} (cycle {r['cycle']}) · priority {r['priority']} · "
        f"{r['state']}",
        f"  terms (version {r['agreement_version'] or 'as signed'}): {explanation.clause()}",
        f"  times in {zone}",
    ]
    for s in explanation.segments:
        lines.append(
            f"  {_when(s['from'], zone)} → {_when(s['to'], zone)}  {s['clock']:<8} "
            f"{_hours(s['business_s']):>8}  after {s['event']}"
            + (f" (status {s['status']})" if s["status"] else "")
        )
    elapsed = _hours(r["elapsed_business_s"])
    paused = _hours(r["paused_business_s"])
    summary = f"  running {elapsed}, paused {paused}"
    if r["target_s"] is not None:
        summary += f", target {_hours(r['target_s'])}"
    summary += f"; due {_when(r['due_at'], zone)}"
    if r["breached_at"] is not None:
        summary += f"; breached {_when(r['breached_at'], zone)}"
    if r["at_risk"]:
        summary += "; at risk"
    lines.append(summary)
    if r["note"]:
        lines.append(f"  note: {r['note']}")
    return lines

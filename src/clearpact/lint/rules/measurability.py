"""Measurability rules (CP3xx): every SLA and KPI can be computed from data, the same way by
both sides. Pure: reads the typed agreement and the KPI catalogue.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from clearpact.agreement.model import Agreement
from clearpact.agreement.slas import (
    AvailabilitySla,
    ResponseAuthor,
    ResponseExclusion,
    StopEvent,
    TicketSla,
)
from clearpact.diagnostics import Severity
from clearpact.kpi.catalogue import FORMULAS
from clearpact.lint.engine import Family, Section, rule, unset

Found = Iterator[tuple[str, str]]
E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO  # N: note (info)
M = Family.MEASURABILITY


def ticket_slas(a: Agreement) -> Iterator[tuple[str, TicketSla]]:
    """The ticket-clock SLAs with their ids."""
    for key, sla in a.slas.items():
        if isinstance(sla, TicketSla):
            yield key, sla


def availability_slas(a: Agreement) -> Iterator[tuple[str, AvailabilitySla]]:
    """The availability SLAs with their ids."""
    for key, sla in a.slas.items():
        if isinstance(sla, AvailabilitySla):
            yield key, sla


@rule(
    "CP301",
    "sla-no-calendar",
    E,
    M,
    Section.SLAS,
    "Every ticket SLA names the calendar its clock runs on.",
    "add `calendar:` naming an entry of `calendars:` (use a 24x7 calendar for round-the-clock SLAs)",
)
def sla_no_calendar(a: Agreement) -> Found:
    for key, sla in ticket_slas(a):
        uncovered = [p for p in sla.targets if sla.calendar_for(p) is None]
        if sla.calendar is None and (uncovered or not sla.targets):
            yield f"slas.{key}", f"SLA '{key}' names no calendar, so its business time is undefined"


@rule(
    "CP302",
    "sla-no-targets",
    E,
    M,
    Section.SLAS,
    "Every ticket SLA has a target per priority.",
    "add `targets: {P1: 1h, P2: 4h, ...}`",
)
def sla_no_targets(a: Agreement) -> Found:
    for key, sla in ticket_slas(a):
        if not sla.targets:
            yield f"slas.{key}", f"SLA '{key}' has no targets"


@rule(
    "CP303",
    "sla-target-missing-for-priority",
    W,
    M,
    Section.SLAS,
    "Every ticket SLA has a target for every defined priority.",
    "add a target for the missing priority, or say in `exclusions:` that it is not measured",
)
def sla_target_missing_for_priority(a: Agreement) -> Found:
    levels = list(a.priorities.levels) if a.priorities else []
    for key, sla in ticket_slas(a):
        if sla.targets:
            missing = [p for p in levels if p not in sla.targets]
            if missing:
                yield f"slas.{key}.targets", f"SLA '{key}' has no target for {', '.join(missing)}"


@rule(
    "CP304",
    "sla-no-attainment",
    E,
    M,
    Section.SLAS,
    "Every ticket SLA states the share of tickets that must meet the target, and the period.",
    "add `attainment: {target: 95%, period: month}`",
)
def sla_no_attainment(a: Agreement) -> Found:
    for key, sla in ticket_slas(a):
        if sla.attainment is None:
            yield f"slas.{key}", f"SLA '{key}' has no attainment target and period"


@rule(
    "CP305",
    "sla-no-start-stop",
    E,
    M,
    Section.SLAS,
    "Every ticket SLA states the events that start and stop its clock.",
    "add `start:` (created, assigned, …) and `stop:` (first_response, resolved, …)",
)
def sla_no_start_stop(a: Agreement) -> Found:
    for key, sla in ticket_slas(a):
        missing = unset(sla, "start", "stop")
        if missing:
            yield f"slas.{key}", f"SLA '{key}' has no {' and no '.join(missing)} event"


@rule(
    "CP306",
    "response-undefined",
    E,
    M,
    Section.SLAS,
    "A clock that stops at a reply defines what counts as a response.",
    "add `response: {author: human_agent, excludes: [automatic_acknowledgement, internal_note]}`",
)
def response_undefined(a: Agreement) -> Found:
    for key, sla in ticket_slas(a):
        if (
            sla.stop in (StopEvent.FIRST_RESPONSE, StopEvent.NEXT_PUBLIC_REPLY)
            and sla.response is None
        ):
            yield (
                f"slas.{key}",
                f"SLA '{key}' stops at a reply but does not define what counts as a response",
            )


@rule(
    "CP307",
    "automatic-reply-counts",
    W,
    M,
    Section.SLAS,
    "An automatic acknowledgement never counts as a response.",
    "set `author: human_agent` or add `automatic_acknowledgement` to `excludes:`",
)
def automatic_reply_counts(a: Agreement) -> Found:
    for key, sla in ticket_slas(a):
        response = sla.response
        if (
            response is not None
            and response.author is ResponseAuthor.ANY_AGENT
            and ResponseExclusion.AUTOMATIC_ACKNOWLEDGEMENT not in response.excludes
        ):
            yield (
                f"slas.{key}.response",
                f"in SLA '{key}' an automatic acknowledgement would count as a response",
            )


@rule(
    "CP308",
    "priority-change-policy-unstated",
    E,
    M,
    Section.SLAS,
    "Every ticket SLA states how a priority change affects the clock.",
    "add `priority_change: {policy: current_priority_from_original_start}` (or restart_at_change, keep_original_priority)",
)
def priority_change_policy_unstated(a: Agreement) -> Found:
    for key, sla in ticket_slas(a):
        if sla.priority_change is None:
            yield (
                f"slas.{key}",
                f"SLA '{key}' does not say what a priority change does to its clock",
            )


@rule(
    "CP309",
    "reopen-policy-unstated",
    E,
    M,
    Section.SLAS,
    "Every ticket SLA states how a reopened ticket is measured.",
    "add `reopen: {policy: resume}` (or new_cycle)",
)
def reopen_policy_unstated(a: Agreement) -> Found:
    for key, sla in ticket_slas(a):
        if sla.reopen is None:
            yield f"slas.{key}", f"SLA '{key}' does not say how a reopened ticket is measured"


@rule(
    "CP310",
    "availability-no-target",
    E,
    M,
    Section.SLAS,
    "Every availability SLA has a target percentage, a period and the services it covers.",
    "add `target: 99.9%`, `period: month` and `services:`",
)
def availability_no_target(a: Agreement) -> Found:
    for key, sla in availability_slas(a):
        missing = unset(sla, "target", "period")
        if not sla.services:
            missing.append("services")
        if missing:
            yield f"slas.{key}", f"availability SLA '{key}' has no {', '.join(missing)}"


@rule(
    "CP311",
    "downtime-undefined",
    E,
    M,
    Section.SLAS,
    "Every availability SLA defines downtime and the monitoring data that decides it.",
    "add `downtime_definition:` (which check, how long) and `measurement_source:`",
)
def downtime_undefined(a: Agreement) -> Found:
    for key, sla in availability_slas(a):
        if sla.downtime_definition is None:
            yield f"slas.{key}", f"availability SLA '{key}' does not define downtime"
        if sla.measurement_source is None:
            yield f"slas.{key}", f"availability SLA '{key}' names no measurement source"


@rule(
    "CP312",
    "maintenance-undefined",
    W,
    M,
    Section.SLAS,
    "Every availability SLA states its maintenance windows and notice.",
    "add `maintenance: {calendar: maintenance, notice: 5d}`",
)
def maintenance_undefined(a: Agreement) -> Found:
    for key, sla in availability_slas(a):
        if sla.maintenance is None:
            yield (
                f"slas.{key}",
                f"availability SLA '{key}' does not say when maintenance may happen",
            )


@rule(
    "CP313",
    "kpi-no-formula",
    E,
    M,
    Section.KPIS,
    "Every KPI names a formula from the catalogue.",
    "add `formula:`; `clearpact lint --list-kpis` lists them",
)
def kpi_no_formula(a: Agreement) -> Found:
    for key, kpi in a.kpis.items():
        if kpi.formula is None:
            yield f"kpis.{key}", f"KPI '{key}' has no formula"


@rule(
    "CP314",
    "kpi-unknown-formula",
    E,
    M,
    Section.KPIS,
    "Every KPI formula is one clearpact can compute.",
    "use a formula id from `clearpact lint --list-kpis`",
)
def kpi_unknown_formula(a: Agreement) -> Found:
    for key, kpi in a.kpis.items():
        if kpi.formula is not None and kpi.formula not in FORMULAS:
            close = difflib.get_close_matches(kpi.formula, list(FORMULAS), n=1)
            guess = f" (did you mean '{close[0]}'?)" if close else ""
            yield f"kpis.{key}.formula", f"KPI '{key}' uses unknown formula '{kpi.formula}'{guess}"


@rule(
    "CP315",
    "kpi-no-target",
    E,
    M,
    Section.KPIS,
    "Every KPI has a target and a direction.",
    "add `target:` and `direction: higher_is_better` (or lower_is_better)",
)
def kpi_no_target(a: Agreement) -> Found:
    for key, kpi in a.kpis.items():
        missing = unset(kpi, "target", "direction")
        if missing:
            yield f"kpis.{key}", f"KPI '{key}' has no {' and no '.join(missing)}"


@rule(
    "CP316",
    "kpi-no-source",
    W,
    M,
    Section.KPIS,
    "Every KPI names its data source and period.",
    "add `source:` (e.g. 'ticketing system export') and `period: month`",
)
def kpi_no_source(a: Agreement) -> Found:
    for key, kpi in a.kpis.items():
        missing = unset(kpi, "source", "period")
        if missing:
            yield f"kpis.{key}", f"KPI '{key}' has no {' and no '.join(missing)}"


@rule(
    "CP317",
    "kpi-target-unit-mismatch",
    E,
    M,
    Section.KPIS,
    "A KPI's target has the unit its formula yields (a percentage, a duration or a number).",
    "write the target in the formula's unit, e.g. '70%' for a rate, '8h' for a time",
)
def kpi_target_unit_mismatch(a: Agreement) -> Found:
    for key, kpi in a.kpis.items():
        formula = FORMULAS.get(kpi.formula or "")
        if formula is not None and kpi.target is not None and kpi.target.kind != formula.unit:
            yield (
                f"kpis.{key}.target",
                f"KPI '{key}' target '{kpi.target}' is a {kpi.target.kind}, but {formula.id} is a {formula.unit}",
            )


@rule(
    "CP318",
    "days-on-business-calendar",
    W,
    M,
    Section.SLAS,
    "Targets on a business-hours calendar are written in hours, not days.",
    "write business hours: on an 8-hour calendar two working days are '16h', not '2d' (which is 48 business hours)",
)
def days_on_business_calendar(a: Agreement) -> Found:
    for key, sla in ticket_slas(a):
        for priority, target in sla.targets.items():
            name = sla.calendar_for(priority)
            calendar = a.calendars.get(name or "")
            text = target.within.text if hasattr(target, "within") else target.text
            if calendar is not None and not calendar.is_24x7 and re.search(r"\d\s*[dw]", text):
                yield (
                    f"slas.{key}.targets.{priority}",
                    f"'{text}' on the business calendar '{name}' means {text} of business time "
                    "(24 business hours a day), not working days",
                )


@rule(
    "CP319",
    "success-measure-not-numeric",
    W,
    M,
    Section.OBJECTIVES,
    "An objective's success measure contains a number.",
    "write the measure with a number and a period, e.g. 'under 2 hours of downtime a month'",
)
def success_measure_not_numeric(a: Agreement) -> Found:
    for i, objective in enumerate(a.objectives):
        if objective.success_measure and not re.search(r"\d", objective.success_measure):
            yield (
                f"objectives[{i}].success_measure",
                f"objective '{objective.id}' has no number in its success measure",
            )


@rule(
    "CP320",
    "report-without-deadline",
    W,
    M,
    Section.GOVERNANCE,
    "Each report has a delivery deadline after its period.",
    "add `due_within: 5d` to the report",
)
def report_without_deadline(a: Agreement) -> Found:
    for i, report in enumerate(a.governance.reports if a.governance else []):
        if report.due_within is None:
            yield f"governance.reports[{i}]", f"report '{report.name}' has no delivery deadline"


@rule(
    "CP321",
    "reopen-window-missing",
    W,
    M,
    Section.SLAS,
    "A 'resume' reopen policy says how late a reopening still resumes the old clock.",
    "add `within:` to `reopen:`, e.g. `within: 10d`; later reopenings are new tickets",
)
def reopen_window_missing(a: Agreement) -> Found:
    for key, sla in ticket_slas(a):
        if (
            sla.reopen is not None
            and sla.reopen.policy.value == "resume"
            and sla.reopen.within is None
        ):
            yield (
                f"slas.{key}.reopen",
                f"SLA '{key}' resumes the clock on any reopening, however late",
            )


@rule(
    "CP322",
    "unanswered-policy-unstated",
    W,
    M,
    Section.SLAS,
    "A response SLA says what happens when a ticket is resolved before anyone responds.",
    "add `unanswered: resolution_stops_clock` (the resolution counts as the response) or `unanswered: breached`",
)
def unanswered_policy_unstated(a: Agreement) -> Found:
    for key, sla in ticket_slas(a):
        if sla.metric == "first_response" and sla.unanswered is None:
            yield (
                f"slas.{key}",
                f"SLA '{key}' does not say whether a ticket resolved without a response met it",
            )

"""Consistency rules (CP4xx): references resolve, numbers agree with each other, dates cohere.

Pure: reads the typed agreement only.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from itertools import pairwise

from clearpact.agreement.model import Agreement
from clearpact.agreement.slas import TargetSpec, TicketSla
from clearpact.diagnostics import Severity
from clearpact.lint.engine import Family, Section, rule
from clearpact.lint.rules.measurability import availability_slas, ticket_slas

Found = Iterator[tuple[str, str]]
E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO  # N: note (info)
K = Family.CONSISTENCY


def _unknown(name: str, known: object, kind: str) -> str:
    names = ", ".join(sorted(str(k) for k in known)) if known else "none are defined"  # type: ignore[attr-defined]
    return f"{kind} '{name}' is not defined (defined: {names})"


@rule(
    "CP401",
    "unknown-calendar",
    E,
    K,
    Section.SLAS,
    "Every calendar an SLA names exists under `calendars:`.",
    "fix the name or add the calendar",
)
def unknown_calendar(a: Agreement) -> Found:
    for key, sla in ticket_slas(a):
        if sla.calendar is not None and sla.calendar not in a.calendars:
            yield f"slas.{key}.calendar", _unknown(sla.calendar, a.calendars, "calendar")
        for priority, target in sla.targets.items():
            if isinstance(target, TargetSpec) and target.calendar not in a.calendars:
                yield (
                    f"slas.{key}.targets.{priority}.calendar",
                    _unknown(target.calendar, a.calendars, "calendar"),
                )
    for key, availability in availability_slas(a):
        maintenance = availability.maintenance
        if maintenance is not None and maintenance.calendar not in a.calendars:
            yield (
                f"slas.{key}.maintenance.calendar",
                _unknown(maintenance.calendar, a.calendars, "calendar"),
            )


@rule(
    "CP402",
    "unknown-priority",
    E,
    K,
    Section.PRIORITIES,
    "Every priority an SLA or credit names is defined under `priorities.levels`.",
    "fix the name or add the priority level",
)
def unknown_priority(a: Agreement) -> Found:
    levels = a.priorities.levels if a.priorities else {}
    for key, sla in ticket_slas(a):
        for priority in sla.targets:
            if priority not in levels:
                yield f"slas.{key}.targets.{priority}", _unknown(priority, levels, "priority")
    for i, tier in enumerate(a.service_credits.tiers if a.service_credits else []):
        if tier.priority is not None and tier.priority not in levels:
            yield (
                f"service_credits.tiers[{i}].priority",
                _unknown(tier.priority, levels, "priority"),
            )


@rule(
    "CP403",
    "unknown-service",
    E,
    K,
    Section.SCOPE,
    "Every service named by an objective, availability SLA or DR entry is defined.",
    "fix the id or add the service under `services:`",
)
def unknown_service(a: Agreement) -> Found:
    for i, objective in enumerate(a.objectives):
        for j, name in enumerate(objective.services):
            if name not in a.services:
                yield f"objectives[{i}].services[{j}]", _unknown(name, a.services, "service")
    for key, sla in availability_slas(a):
        for j, name in enumerate(sla.services):
            if name not in a.services:
                yield f"slas.{key}.services[{j}]", _unknown(name, a.services, "service")
    for i, plan in enumerate(a.risk.disaster_recovery if a.risk else []):
        if plan.service not in a.services:
            yield (
                f"risk.disaster_recovery[{i}].service",
                _unknown(plan.service, a.services, "service"),
            )


@rule(
    "CP404",
    "unknown-kpi",
    E,
    K,
    Section.OBJECTIVES,
    "Every KPI an objective names is defined under `kpis:`.",
    "fix the id or add the KPI",
)
def unknown_kpi(a: Agreement) -> Found:
    for i, objective in enumerate(a.objectives):
        for j, name in enumerate(objective.kpis):
            if name not in a.kpis:
                yield f"objectives[{i}].kpis[{j}]", _unknown(name, a.kpis, "KPI")


@rule(
    "CP405",
    "unknown-sla",
    E,
    K,
    Section.CREDITS,
    "Every SLA named by a credit tier, the at-risk pool, chronic failure or a KPI is defined.",
    "fix the id or add the SLA",
)
def unknown_sla(a: Agreement) -> Found:
    credits = a.service_credits
    if credits is not None:
        for i, tier in enumerate(credits.tiers):
            if tier.sla not in a.slas:
                yield f"service_credits.tiers[{i}].sla", _unknown(tier.sla, a.slas, "SLA")
        if credits.at_risk is not None:
            for name in credits.at_risk.allocation:
                if name not in a.slas:
                    yield (
                        f"service_credits.at_risk.allocation.{name}",
                        _unknown(name, a.slas, "SLA"),
                    )
        if credits.chronic_failure is not None:
            for j, name in enumerate(credits.chronic_failure.slas):
                if name not in a.slas:
                    yield (
                        f"service_credits.chronic_failure.slas[{j}]",
                        _unknown(name, a.slas, "SLA"),
                    )
    for key, kpi in a.kpis.items():
        if kpi.sla is not None and kpi.sla not in a.slas:
            yield f"kpis.{key}.sla", _unknown(kpi.sla, a.slas, "SLA")


@rule(
    "CP406",
    "response-slower-than-resolution",
    E,
    K,
    Section.SLAS,
    "For each priority, the first-response target is shorter than the resolution target.",
    "make the response target shorter than the resolution target",
)
def response_slower_than_resolution(a: Agreement) -> Found:
    slas = dict(ticket_slas(a))
    responses = [(k, s) for k, s in slas.items() if s.metric == "first_response"]
    resolutions = [(k, s) for k, s in slas.items() if s.metric == "resolution"]
    for r_key, response in responses:
        for s_key, resolution in resolutions:
            for priority in response.targets:
                r_target = response.target_seconds(priority)
                s_target = resolution.target_seconds(priority)
                same_calendar = response.calendar_for(priority) == resolution.calendar_for(priority)
                if r_target and s_target and same_calendar and r_target >= s_target:
                    yield (
                        f"slas.{r_key}.targets.{priority}",
                        f"{priority}: first response ({r_key}) is not faster than resolution ({s_key})",
                    )


@rule(
    "CP407",
    "priority-targets-not-ordered",
    E,
    K,
    Section.SLAS,
    "A higher priority never has a longer target than a lower one (levels are listed highest first).",
    "tighten the higher priority's target, or reorder `priorities.levels`",
)
def priority_targets_not_ordered(a: Agreement) -> Found:
    order = list(a.priorities.levels) if a.priorities else []
    for key, sla in ticket_slas(a):
        ranked = [(p, sla.target_seconds(p)) for p in order if sla.target_seconds(p)]
        for (higher, h_seconds), (lower, l_seconds) in pairwise(ranked):
            if h_seconds and l_seconds and h_seconds > l_seconds:
                yield (
                    f"slas.{key}.targets.{higher}",
                    f"SLA '{key}': {higher} has a longer target than {lower}",
                )


@rule(
    "CP408",
    "credits-exceed-cap",
    E,
    K,
    Section.CREDITS,
    "No credit tier, and no at-risk pool, exceeds the cap.",
    "lower the tier's credit or raise the cap, and say which wins",
)
def credits_exceed_cap(a: Agreement) -> Found:
    credits = a.service_credits
    if credits is None or credits.cap is None:
        return
    for i, tier in enumerate(credits.tiers):
        if tier.credit > credits.cap:
            yield (
                f"service_credits.tiers[{i}].credit",
                f"tier credit {tier.credit:g}% exceeds the cap of {credits.cap:g}%",
            )
    if credits.at_risk is not None and credits.at_risk.pool > credits.cap:
        yield (
            "service_credits.at_risk.pool",
            f"at-risk pool {credits.at_risk.pool:g}% exceeds the cap of {credits.cap:g}%",
        )


@rule(
    "CP420",
    "cap-binds-worst-month",
    N,
    K,
    Section.CREDITS,
    "The highest tiers of all SLAs together fit under the cap, or the agreement knows they do not.",
    "raise the cap to the sum of the highest tiers, or lower the tiers, so a bad month pays what the tiers say",
)
def cap_binds_worst_month(a: Agreement) -> Found:
    credits = a.service_credits
    if credits is None or credits.cap is None:
        return
    worst: dict[str, float] = defaultdict(float)
    for tier in credits.tiers:
        worst[tier.sla] = max(worst[tier.sla], tier.credit)
    if sum(worst.values()) > credits.cap:
        yield (
            "service_credits.cap",
            f"the highest tiers add up to {sum(worst.values()):g}% of the fee, but the cap is "
            f"{credits.cap:g}%, so in a month that misses every SLA the tiers overstate the credit",
        )


@rule(
    "CP409",
    "credit-tiers-inverted",
    E,
    K,
    Section.CREDITS,
    "For one SLA, a deeper miss never earns a smaller credit.",
    "order the tiers so that a lower threshold gives a larger credit",
)
def credit_tiers_inverted(a: Agreement) -> Found:
    tiers: dict[tuple[str, str | None], list[tuple[float, float, int]]] = defaultdict(list)
    for i, tier in enumerate(a.service_credits.tiers if a.service_credits else []):
        tiers[(tier.sla, tier.priority)].append((tier.below, tier.credit, i))
    for (sla, _priority), entries in tiers.items():
        entries.sort(reverse=True)
        for (b_high, c_high, _), (b_low, c_low, i_low) in pairwise(entries):
            if c_low <= c_high:
                yield (
                    f"service_credits.tiers[{i_low}]",
                    f"SLA '{sla}': below {b_low:g}% gives {c_low:g}%, not more than below {b_high:g}% ({c_high:g}%)",
                )


@rule(
    "CP410",
    "at-risk-allocation-not-100",
    E,
    K,
    Section.CREDITS,
    "The at-risk pool's allocation adds up to 100%.",
    "make the allocation shares add up to 100%",
)
def at_risk_allocation(a: Agreement) -> Found:
    pool = a.service_credits.at_risk if a.service_credits else None
    if pool is not None and abs(sum(pool.allocation.values()) - 100) > 1e-9:
        yield (
            "service_credits.at_risk.allocation",
            f"the allocation adds up to {sum(pool.allocation.values()):g}%, not 100%",
        )


@rule(
    "CP411",
    "percentage-out-of-range",
    E,
    K,
    Section.SLAS,
    "Attainment, availability, credit, cap and at-risk percentages lie between 0% and 100%.",
    "write a percentage above 0% and at most 100%",
)
def percentage_out_of_range(a: Agreement) -> Found:
    values: list[tuple[str, float | None]] = []
    for key, sla in ticket_slas(a):
        values.append(
            (f"slas.{key}.attainment.target", sla.attainment.target if sla.attainment else None)
        )
        values.append((f"slas.{key}.at_risk", sla.at_risk))
    for key, availability in availability_slas(a):
        values.append((f"slas.{key}.target", availability.target))
    credits = a.service_credits
    if credits is not None:
        values.append(("service_credits.cap", credits.cap))
        for i, tier in enumerate(credits.tiers):
            values += [
                (f"service_credits.tiers[{i}].below", tier.below),
                (f"service_credits.tiers[{i}].credit", tier.credit),
            ]
        if credits.at_risk is not None:
            values.append(("service_credits.at_risk.pool", credits.at_risk.pool))
    for path, value in values:
        if value is not None and not 0 < value <= 100:
            yield path, f"{value:g}% is not between 0% and 100%"


@rule(
    "CP412",
    "credit-threshold-above-target",
    W,
    K,
    Section.CREDITS,
    "A credit tier starts below the SLA's own attainment target, not above it.",
    "set the tier's `below:` at or under the SLA's attainment target",
)
def credit_threshold_above_target(a: Agreement) -> Found:
    for i, tier in enumerate(a.service_credits.tiers if a.service_credits else []):
        sla = a.slas.get(tier.sla)
        target = None
        if sla is not None:
            target = (
                sla.target
                if sla.metric == "availability"
                else (sla.attainment.target if sla.attainment else None)
            )
        if target is not None and tier.below > target:
            yield (
                f"service_credits.tiers[{i}].below",
                f"a credit is due below {tier.below:g}% although the SLA '{tier.sla}' is met at {target:g}%",
            )


@rule(
    "CP413",
    "dates-incoherent",
    E,
    K,
    Section.FOUNDATION,
    "Dates agree: the term ends after it starts; amendments fall within the term, in order.",
    "correct the date",
)
def dates_incoherent(a: Agreement) -> Found:
    term = a.term
    if term is not None and term.end is not None and term.end <= term.start:
        yield "term.end", f"the term ends ({term.end}) on or before it starts ({term.start})"
    previous: dt.date | None = None
    for i, amendment in enumerate(a.versions):
        if term is not None and amendment.effective < term.start:
            yield (
                f"versions[{i}].effective",
                f"amendment {amendment.version} takes effect before the term starts",
            )
        if (
            term is not None
            and term.end is not None
            and amendment.effective > term.end
            and (term.renewal is None or term.renewal.type.value == "none")
        ):
            yield (
                f"versions[{i}].effective",
                f"amendment {amendment.version} takes effect after the term ends",
            )
        if previous is not None and amendment.effective < previous:
            yield (
                f"versions[{i}].effective",
                f"amendment {amendment.version} is listed after a later one",
            )
        previous = amendment.effective


@rule(
    "CP414",
    "certificate-expires-in-term",
    W,
    K,
    Section.RISK,
    "No certification the agreement relies on expires during the initial term unnoticed.",
    "state the renewal commitment, or the customer's right if it lapses",
)
def certificate_expires_in_term(a: Agreement) -> Found:
    if a.term is None or a.risk is None:
        return
    end = a.term.end or dt.date.max
    for i, cert in enumerate(a.risk.compliance):
        if cert.certified and cert.expires is not None and cert.expires < end:
            yield (
                f"risk.compliance[{i}].expires",
                f"'{cert.framework}' expires on {cert.expires}, within the term",
            )


@rule(
    "CP415",
    "notice-periods-disagree",
    W,
    K,
    Section.EXIT,
    "The term's notice period and the exit notice agree.",
    "use one notice period, or say which applies when",
)
def notice_periods_disagree(a: Agreement) -> Found:
    term_notice = a.term.notice_period if a.term else None
    exit_notice = a.exit.notice if a.exit else None
    if term_notice and exit_notice and term_notice.approx_days() != exit_notice.approx_days():
        yield (
            "exit.notice",
            f"exit notice {exit_notice} differs from the term's notice period {term_notice}",
        )


@rule(
    "CP416",
    "escalation-out-of-order",
    W,
    K,
    Section.GOVERNANCE,
    "Escalation levels are numbered 1, 2, 3 … and each waits no less than the one before.",
    "renumber the levels and order their `after:` times",
)
def escalation_out_of_order(a: Agreement) -> Found:
    levels = a.governance.escalation if a.governance else []
    for i, level in enumerate(levels):
        if level.level != i + 1:
            yield (
                f"governance.escalation[{i}].level",
                f"escalation level {level.level} is in position {i + 1}",
            )
        if i and level.after.seconds < levels[i - 1].after.seconds:
            yield (
                f"governance.escalation[{i}].after",
                f"level {level.level} escalates after {level.after}, sooner than level {levels[i - 1].level}",
            )


@rule(
    "CP417",
    "chronic-failure-impossible",
    E,
    K,
    Section.CREDITS,
    "A chronic-failure trigger can happen: its misses fit in its window.",
    "make `misses` at most `within`",
)
def chronic_failure_impossible(a: Agreement) -> Found:
    rule_ = a.service_credits.chronic_failure if a.service_credits else None
    if rule_ is not None and rule_.misses > rule_.within:
        yield (
            "service_credits.chronic_failure",
            f"{rule_.misses} misses can never happen within {rule_.within} periods",
        )


@rule(
    "CP418",
    "rpo-shorter-than-backups",
    W,
    K,
    Section.RISK,
    "The RPO is not shorter than the backup interval (unless replication is stated).",
    "back up at least as often as the RPO, or relax the RPO",
)
def rpo_shorter_than_backups(a: Agreement) -> Found:
    backups = a.risk.backups if a.risk else None
    if backups is None or backups.frequency is None:
        return
    interval = backups.frequency.days * 86400
    for i, plan in enumerate(a.risk.disaster_recovery if a.risk else []):
        if plan.rpo is not None and plan.rpo.seconds < interval:
            yield (
                f"risk.disaster_recovery[{i}].rpo",
                f"RPO {plan.rpo} for '{plan.service}' is shorter than {backups.frequency.value} backups can deliver",
            )


@rule(
    "CP419",
    "duplicate-objective-id",
    E,
    K,
    Section.OBJECTIVES,
    "Objective ids are unique.",
    "give each objective its own id",
)
def duplicate_objective_id(a: Agreement) -> Found:
    seen: set[str] = set()
    for i, objective in enumerate(a.objectives):
        if objective.id in seen:
            yield f"objectives[{i}].id", f"objective id '{objective.id}' is used twice"
        seen.add(objective.id)


@rule(
    "CP421",
    "calendar-without-hours",
    E,
    K,
    Section.SLAS,
    "Every calendar an SLA measures on has business hours: on a calendar without any, a clock "
    "never runs and no target is ever due.",
    'give the calendar weekly hours, e.g. `mon: ["08:00-18:00"]`, or `hours: 24x7`',
)
def calendar_without_hours(a: Agreement) -> Found:
    used = {name for _, sla in ticket_slas(a) for name in _calendars_of(sla)}
    for name in sorted(used):
        calendar = a.calendars.get(name)
        if calendar is not None and calendar.weekly_minutes() == 0:
            yield f"calendars.{name}.hours", f"calendar '{name}' has no business hours"


def _calendars_of(sla: TicketSla) -> set[str]:
    names = {target.calendar for target in sla.targets.values() if isinstance(target, TargetSpec)}
    return names | ({sla.calendar} if sla.calendar else set())

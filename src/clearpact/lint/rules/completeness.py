"""Completeness rules (CP2xx): every element of the contracting blueprint is present.

Pure: reads the typed agreement only.
"""

from __future__ import annotations

from collections.abc import Iterator

from clearpact.agreement.model import Agreement
from clearpact.agreement.obligations import MeetingLevel
from clearpact.agreement.slas import TicketSla
from clearpact.diagnostics import Severity
from clearpact.lint.engine import Family, Section, rule, unset

Found = Iterator[tuple[str, str]]
E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO  # N: note (info)
C = Family.COMPLETENESS


@rule(
    "CP201",
    "term-missing",
    E,
    C,
    Section.FOUNDATION,
    "The agreement states its term: start date and notice period.",
    "add `term: {start: 2026-01-01, end: 2027-12-31, notice_period: 90d}`",
)
def term_missing(a: Agreement) -> Found:
    if a.term is None:
        yield "term", "the agreement has no term (start, end, renewal, notice period)"
    elif a.term.notice_period is None:
        yield "term", "the term has no notice period"


@rule(
    "CP202",
    "renewal-unstated",
    W,
    C,
    Section.FOUNDATION,
    "A fixed-term agreement says what happens at its end.",
    "add `term.renewal: {type: automatic, period: 12mo}` (or none / by_agreement)",
)
def renewal_unstated(a: Agreement) -> Found:
    if a.term is not None and a.term.end is not None and a.term.renewal is None:
        yield "term", "the term has an end date but no renewal terms"


@rule(
    "CP203",
    "commercials-missing",
    E,
    C,
    Section.FOUNDATION,
    "The currency and monthly fee are stated (credits are a share of the fee).",
    "add `commercials: {currency: EUR, monthly_fee: 5000}`",
)
def commercials_missing(a: Agreement) -> Found:
    if a.commercials is None:
        yield "", "the agreement states no currency and monthly fee"


@rule(
    "CP204",
    "objectives-missing",
    E,
    C,
    Section.OBJECTIVES,
    "The agreement states the customer's business objectives (blueprint step 1).",
    "add `objectives:` with a statement, a success measure, and the services and KPIs that serve each",
)
def objectives_missing(a: Agreement) -> Found:
    if not a.objectives:
        yield "", "the agreement states no business objectives"


@rule(
    "CP205",
    "objective-untraced",
    W,
    C,
    Section.OBJECTIVES,
    "Each objective names the services that serve it and the KPIs that measure it.",
    "list `services:` and `kpis:` under the objective",
)
def objective_untraced(a: Agreement) -> Found:
    for i, objective in enumerate(a.objectives):
        missing = [
            name
            for name, items in (("services", objective.services), ("KPIs", objective.kpis))
            if not items
        ]
        if missing:
            yield (
                f"objectives[{i}]",
                f"objective '{objective.id}' names no {' and no '.join(missing)}",
            )


@rule(
    "CP206",
    "objective-no-success-measure",
    W,
    C,
    Section.OBJECTIVES,
    "Each objective says how success is judged.",
    "add `success_measure:` with a number and a period",
)
def objective_no_success_measure(a: Agreement) -> Found:
    for i, objective in enumerate(a.objectives):
        if not objective.success_measure:
            yield f"objectives[{i}]", f"objective '{objective.id}' has no success measure"


@rule(
    "CP207",
    "engagement-missing",
    E,
    C,
    Section.ENGAGEMENT,
    "The engagement model is stated (fully managed, co-managed, …).",
    "add `engagement: {model: fully_managed, decides: provider, accountable: provider}`",
)
def engagement_missing(a: Agreement) -> Found:
    if a.engagement is None:
        yield "", "the agreement states no engagement model"


@rule(
    "CP208",
    "engagement-roles-unstated",
    W,
    C,
    Section.ENGAGEMENT,
    "The engagement model says who decides and who is accountable.",
    "add `decides:` and `accountable:` (provider, customer or joint)",
)
def engagement_roles_unstated(a: Agreement) -> Found:
    if a.engagement is not None:
        missing = unset(a.engagement, "decides", "accountable")
        if missing:
            yield (
                "engagement",
                f"the engagement model does not say who {' or who is '.join(missing)}",
            )


@rule(
    "CP209",
    "services-missing",
    E,
    C,
    Section.SCOPE,
    "At least one service is defined, with what is in scope.",
    "add `services:` with `in_scope:` for each service",
)
def services_missing(a: Agreement) -> Found:
    if not a.services:
        yield "", "the agreement defines no services"
    for key, service in a.services.items():
        if not service.in_scope:
            yield f"services.{key}", f"service '{key}' lists nothing in scope"


@rule(
    "CP210",
    "out-of-scope-missing",
    W,
    C,
    Section.SCOPE,
    "Each service says what is out of scope, with examples.",
    "add `out_of_scope: [{item: ..., examples: [...]}]`",
)
def out_of_scope_missing(a: Agreement) -> Found:
    for key, service in a.services.items():
        if not service.out_of_scope:
            yield f"services.{key}", f"service '{key}' says nothing about what is out of scope"
        for i, item in enumerate(service.out_of_scope):
            if not item.examples:
                yield (
                    f"services.{key}.out_of_scope[{i}]",
                    f"out-of-scope item '{item.item}' has no examples",
                )


@rule(
    "CP211",
    "coverage-missing",
    W,
    C,
    Section.SCOPE,
    "Each service says which users, devices or sites it covers.",
    "add `coverage: {users: 50, devices: 60, sites: [...]}`",
)
def coverage_missing(a: Agreement) -> Found:
    for key, service in a.services.items():
        coverage = service.coverage
        if coverage is None or (
            coverage.users is None and coverage.devices is None and not coverage.sites
        ):
            yield (
                f"services.{key}",
                f"service '{key}' does not say which users, devices or sites it covers",
            )


@rule(
    "CP212",
    "customer-responsibilities-missing",
    W,
    C,
    Section.SCOPE,
    "The customer's responsibilities are listed (what the provider relies on).",
    "add `customer_responsibilities:` to the services",
)
def customer_responsibilities_missing(a: Agreement) -> Found:
    if a.services and not any(s.customer_responsibilities for s in a.services.values()):
        yield "services", "no service lists the customer's responsibilities"


@rule(
    "CP213",
    "out-of-scope-work-unpriced",
    W,
    C,
    Section.SCOPE,
    "Out-of-scope work has a request route, an approval step and a price.",
    "add `out_of_scope_work: {request_via: ..., approval: ..., rate: 120, unit: hour}`",
)
def out_of_scope_work_unpriced(a: Agreement) -> Found:
    work = a.out_of_scope_work
    if work is None:
        yield "", "the agreement does not say how out-of-scope work is requested and priced"
    else:
        if work.approval is None:
            yield "out_of_scope_work", "out-of-scope work has no approval step"
        if work.rate is None and work.unit != "fixed_quote":
            yield "out_of_scope_work", "out-of-scope work has no rate (or `unit: fixed_quote`)"


@rule(
    "CP214",
    "priorities-missing",
    E,
    C,
    Section.PRIORITIES,
    "Priority levels are defined.",
    "add `priorities.levels:` (P1 … P4, highest first)",
)
def priorities_missing(a: Agreement) -> Found:
    if a.priorities is None or not a.priorities.levels:
        yield "priorities" if a.priorities else "", "the agreement defines no priority levels"


@rule(
    "CP215",
    "priority-undefined",
    W,
    C,
    Section.PRIORITIES,
    "Each priority has a definition and concrete examples.",
    "add `definition:` and `examples:` to the priority",
)
def priority_undefined(a: Agreement) -> Found:
    if a.priorities is None:
        return
    for key, level in a.priorities.levels.items():
        missing = unset(level, "definition", "examples", empty_too=True)
        if missing:
            yield f"priorities.levels.{key}", f"priority {key} has no {' and no '.join(missing)}"


@rule(
    "CP216",
    "priority-classification-unstated",
    W,
    C,
    Section.PRIORITIES,
    "The agreement says who classifies priority and whether the provider may reclassify.",
    "add `classified_by:` and `provider_may_reclassify:` under `priorities`",
)
def priority_classification_unstated(a: Agreement) -> Found:
    if a.priorities is None:
        return
    if a.priorities.classified_by is None:
        yield "priorities", "the agreement does not say who sets a ticket's priority"
    if a.priorities.provider_may_reclassify is None:
        yield "priorities", "the agreement does not say whether the provider may change a priority"


@rule(
    "CP217",
    "slas-missing",
    E,
    C,
    Section.SLAS,
    "At least one SLA is defined.",
    "add `slas:` with a first-response and a resolution SLA",
)
def slas_missing(a: Agreement) -> Found:
    if not a.slas:
        yield "", "the agreement defines no SLAs"


@rule(
    "CP218",
    "response-or-resolution-sla-missing",
    W,
    C,
    Section.SLAS,
    "There is both a first-response and a resolution SLA.",
    "add the missing SLA under `slas:`",
)
def response_or_resolution_missing(a: Agreement) -> Found:
    metrics = {s.metric for s in a.slas.values() if isinstance(s, TicketSla)}
    if a.slas:
        for metric in ("first_response", "resolution"):
            if metric not in metrics:
                yield "slas", f"there is no {metric.replace('_', ' ')} SLA"


@rule(
    "CP219",
    "kpis-missing",
    W,
    C,
    Section.KPIS,
    "KPIs are defined beyond the SLAs.",
    "add `kpis:` (e.g. CSAT, first contact resolution, reopen rate)",
)
def kpis_missing(a: Agreement) -> Found:
    if not a.kpis:
        yield "", "the agreement defines no KPIs"


@rule(
    "CP220",
    "credits-missing",
    W,
    C,
    Section.CREDITS,
    "Service credits say what a missed SLA costs.",
    "add `service_credits:` with tiers, a cap and a claim window",
)
def credits_missing(a: Agreement) -> Found:
    if a.service_credits is None or not a.service_credits.tiers:
        yield (
            "service_credits" if a.service_credits else "",
            "no service credits are defined for missed SLAs",
        )


@rule(
    "CP221",
    "credit-terms-incomplete",
    W,
    C,
    Section.CREDITS,
    "Service credits state a cap, a claim window and how they are claimed.",
    "add `cap:`, `claim_window:` and `claim_process:` (or `automatic: true`)",
)
def credit_terms_incomplete(a: Agreement) -> Found:
    credits = a.service_credits
    if credits is None or not credits.tiers:
        return
    if credits.cap is None:
        yield "service_credits", "service credits have no cap"
    if credits.claim_window is None and not credits.automatic:
        yield "service_credits", "service credits have no claim window and are not automatic"
    if credits.claim_process is None and not credits.automatic:
        yield "service_credits", "the agreement does not say how a credit is claimed"


@rule(
    "CP222",
    "chronic-failure-missing",
    N,
    C,
    Section.CREDITS,
    "Repeated failure gives the customer a stated right (e.g. termination).",
    "add `service_credits.chronic_failure: {misses: 3, within: 3, remedy: ...}`",
)
def chronic_failure_missing(a: Agreement) -> Found:
    if (
        a.service_credits is not None
        and a.service_credits.tiers
        and a.service_credits.chronic_failure is None
    ):
        yield "service_credits", "there is no chronic-failure right"


@rule(
    "CP223",
    "meetings-missing",
    W,
    C,
    Section.GOVERNANCE,
    "Governance meetings exist at the operational, management and executive levels.",
    "add `governance.meetings:` for each level",
)
def meetings_missing(a: Agreement) -> Found:
    meetings = a.governance.meetings if a.governance else []
    levels = {m.level for m in meetings}
    missing = [level.value for level in MeetingLevel if level not in levels]
    if missing:
        yield (
            "governance" if a.governance else "",
            f"no {', '.join(missing)} governance meeting is defined",
        )


@rule(
    "CP224",
    "reports-missing",
    W,
    C,
    Section.GOVERNANCE,
    "Recurring service reports are defined with recipients.",
    "add `governance.reports:` (e.g. a monthly service report)",
)
def reports_missing(a: Agreement) -> Found:
    reports = a.governance.reports if a.governance else []
    if not reports:
        yield "governance" if a.governance else "", "no recurring service report is defined"
    for i, report in enumerate(reports):
        if not report.recipients:
            yield f"governance.reports[{i}]", f"report '{report.name}' has no recipients"


@rule(
    "CP225",
    "escalation-missing",
    W,
    C,
    Section.GOVERNANCE,
    "An escalation path with contacts and time limits exists.",
    "add `governance.escalation:` levels with contacts and `after:` times",
)
def escalation_missing(a: Agreement) -> Found:
    if a.governance is None or not a.governance.escalation:
        yield "governance" if a.governance else "", "there is no escalation path"


@rule(
    "CP226",
    "raci-missing",
    N,
    C,
    Section.GOVERNANCE,
    "A RACI states who is responsible and accountable for key activities.",
    "add `governance.raci:`",
)
def raci_missing(a: Agreement) -> Found:
    if a.governance is None or not a.governance.raci:
        yield "governance" if a.governance else "", "there is no RACI"


@rule(
    "CP227",
    "disaster-recovery-missing",
    E,
    C,
    Section.RISK,
    "Disaster recovery is defined (blueprint step 3).",
    "add `risk.disaster_recovery:` with RTO, RPO and test cadence per service",
)
def disaster_recovery_missing(a: Agreement) -> Found:
    if a.risk is None or not a.risk.disaster_recovery:
        yield "risk" if a.risk else "", "no disaster recovery objectives are defined"


@rule(
    "CP228",
    "disaster-recovery-incomplete",
    E,
    C,
    Section.RISK,
    "Each DR entry has an RTO, an RPO and a test cadence.",
    "add the missing `rto:`, `rpo:` or `test_cadence:`",
)
def disaster_recovery_incomplete(a: Agreement) -> Found:
    for i, plan in enumerate(a.risk.disaster_recovery if a.risk else []):
        missing = unset(plan, "rto", "rpo", "test_cadence")
        if missing:
            yield (
                f"risk.disaster_recovery[{i}]",
                f"DR for '{plan.service}' has no {', '.join(missing)}",
            )


@rule(
    "CP229",
    "business-continuity-missing",
    W,
    C,
    Section.RISK,
    "A business continuity plan has an owner and a review cadence.",
    "add `risk.business_continuity: {plan_owner: provider, review_cadence: annual}`",
)
def business_continuity_missing(a: Agreement) -> Found:
    plan = a.risk.business_continuity if a.risk else None
    if plan is None:
        yield "risk" if a.risk else "", "there is no business continuity plan"
    elif plan.review_cadence is None:
        yield "risk.business_continuity", "the business continuity plan has no review cadence"


@rule(
    "CP230",
    "backups-incomplete",
    W,
    C,
    Section.RISK,
    "Backups have a frequency, a retention and a restore-test cadence.",
    "add `risk.backups: {frequency: daily, retention: 30d, restore_test_cadence: quarterly}`",
)
def backups_incomplete(a: Agreement) -> Found:
    backups = a.risk.backups if a.risk else None
    if backups is None:
        yield "risk" if a.risk else "", "backups are not defined"
        return
    missing = unset(backups, "frequency", "retention", "restore_test_cadence")
    if missing:
        yield "risk.backups", f"backups have no {', '.join(missing)}"


@rule(
    "CP231",
    "data-location-missing",
    W,
    C,
    Section.RISK,
    "The agreement says where data is held and who processes it.",
    "add `risk.data_location: {countries: [DE], subprocessors: [...], change_notice: 60d}`",
)
def data_location_missing(a: Agreement) -> Found:
    if a.risk is None or a.risk.data_location is None:
        yield "risk" if a.risk else "", "the agreement does not say where data is held"


@rule(
    "CP232",
    "compliance-missing",
    N,
    C,
    Section.RISK,
    "Security and compliance frameworks or certifications are listed.",
    "add `risk.compliance:` (e.g. ISO/IEC 27001 with its expiry)",
)
def compliance_missing(a: Agreement) -> Found:
    if a.risk is None or not a.risk.compliance:
        yield "risk" if a.risk else "", "no security or compliance framework is named"


@rule(
    "CP233",
    "exit-missing",
    E,
    C,
    Section.EXIT,
    "Exit terms are defined (blueprint step 3).",
    "add `exit:` with notice, transition assistance, data return, handover and deletion",
)
def exit_missing(a: Agreement) -> Found:
    if a.exit is None:
        yield "", "the agreement has no exit terms"


@rule(
    "CP234",
    "exit-incomplete",
    W,
    C,
    Section.EXIT,
    "Exit terms cover transition assistance, data return, knowledge transfer, handover and deletion.",
    "add the missing parts under `exit:`",
)
def exit_incomplete(a: Agreement) -> Found:
    if a.exit is None:
        return
    parts = (
        "notice",
        "transition_assistance",
        "data_return",
        "knowledge_transfer",
        "handover",
        "deletion_certificate",
    )
    missing = [p for p in parts if getattr(a.exit, p) is None]
    if missing:
        yield "exit", f"exit terms do not cover {', '.join(p.replace('_', ' ') for p in missing)}"
    if a.exit.data_return is not None and (
        not a.exit.data_return.formats or a.exit.data_return.deadline is None
    ):
        yield "exit.data_return", "data return has no format or no deadline"


@rule(
    "CP235",
    "amendment-log-missing",
    N,
    C,
    Section.FOUNDATION,
    "The agreement keeps an amendment log with effective dates.",
    "add `versions: [{version: '1.0', effective: 2026-01-01, summary: Agreement signed.}]`",
)
def amendment_log_missing(a: Agreement) -> Found:
    if not a.versions:
        yield "", "there is no amendment log"


@rule(
    "CP236",
    "definitions-missing",
    N,
    C,
    Section.FOUNDATION,
    "Key terms are defined in a glossary.",
    "add `definitions:` (e.g. Business Hours, Incident, First Response)",
)
def definitions_missing(a: Agreement) -> Found:
    if not a.definitions:
        yield "", "the agreement defines no terms"

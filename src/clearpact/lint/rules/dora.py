"""DORA rules (CP7xx, the ``dora`` profile): the contract elements Regulation (EU) 2022/2554
Art. 30 requires of an agreement on ICT services — 30(2) always, 30(3) when the services support
critical or important functions. Each rule reads typed fields of the agreement, never its free
text, and cites its point of the article. The prose audit checks the same article in prose
contracts (``lint/prose/elements.yaml``, profile ``dora``); tests/lint/test_dora.py keeps the
two on the same citations. Pure: reads the typed agreement.
"""

from __future__ import annotations

from collections.abc import Iterator

from clearpact.agreement.fields import Party
from clearpact.agreement.model import Agreement
from clearpact.agreement.obligations import Auditor, DataProperty, IncidentCost
from clearpact.agreement.slas import AvailabilitySla, TicketSla
from clearpact.diagnostics import Severity
from clearpact.lint.engine import Family, Profile, Section, rule

Found = Iterator[tuple[str, str]]
E = Severity.ERROR
W = Severity.WARNING
R = Family.REGULATORY
DORA = Profile.DORA


def _risk(a: Agreement) -> str:
    """Where a missing part of ``risk`` is reported: the section, or the top when it is absent."""
    return "risk" if a.risk else ""


# --- Applicability ------------------------------------------------------------------------


@rule(
    "CP700",
    "dora-classification-missing",
    W,
    R,
    Section.REGULATORY,
    "The agreement records whether its services support critical or important functions.",
    "Add `regulatory: {framework: dora, critical_or_important: true}` (or false); until then "
    "lint applies Art. 30(3) as if they do.",
    profile=DORA,
    citation="DORA Art. 30(3)",
)
def classification_missing(a: Agreement) -> Found:
    if a.regulatory is None:
        yield "", "the agreement does not name its regulatory framework"
    elif a.regulatory.critical_or_important is None:
        yield (
            "regulatory",
            "the agreement does not say whether the services support critical or important "
            "functions",
        )


# --- Art. 30(2): every agreement on ICT services --------------------------------------------


@rule(
    "CP701",
    "dora-service-description",
    E,
    R,
    Section.SCOPE,
    "Every service has a description and a list of what it includes.",
    "Give each service a `description` and an `in_scope` list of its functions.",
    profile=DORA,
    citation="DORA Art. 30(2)(a)",
)
def service_description(a: Agreement) -> Found:
    if not a.services:
        yield "services", "the agreement describes no services"
    for key, service in a.services.items():
        if not service.description:
            yield f"services.{key}", f"service '{key}' has no description"
        if not service.in_scope:
            yield f"services.{key}", f"service '{key}' does not list the functions it includes"


@rule(
    "CP702",
    "dora-subcontracting-conditions",
    E,
    R,
    Section.RISK,
    "The agreement says whether the provider may subcontract, and on what conditions.",
    "Add `risk.subcontracting: {permitted: …, conditions: …}` (e.g. prior written consent, "
    "the same obligations passed on).",
    profile=DORA,
    citation="DORA Art. 30(2)(a)",
)
def subcontracting_conditions(a: Agreement) -> Found:
    sub = a.risk.subcontracting if a.risk else None
    if sub is None:
        yield _risk(a), "the agreement does not say whether the provider may subcontract"
    elif sub.permitted and not sub.conditions:
        yield "risk.subcontracting", "subcontracting is permitted, but on no stated conditions"


@rule(
    "CP703",
    "dora-locations",
    E,
    R,
    Section.RISK,
    "The agreement names the countries where data is held and where services are provided.",
    "Set `risk.data_location.countries` and `risk.data_location.service_countries`.",
    profile=DORA,
    citation="DORA Art. 30(2)(b)",
)
def locations(a: Agreement) -> Found:
    where = a.risk.data_location if a.risk else None
    if where is None:
        yield _risk(a), "the agreement names no location of data or services"
        return
    if not where.countries:
        yield "risk.data_location.countries", "no country where data is processed and stored"
    if not where.service_countries:
        yield "risk.data_location", "no country from which the services are provided"


@rule(
    "CP704",
    "dora-location-change-notice",
    E,
    R,
    Section.RISK,
    "The provider gives notice before it changes where data is held or services are provided.",
    "Set `risk.data_location.change_notice`, e.g. '90d'.",
    profile=DORA,
    citation="DORA Art. 30(2)(b)",
)
def location_change_notice(a: Agreement) -> Found:
    where = a.risk.data_location if a.risk else None
    if where is None or where.change_notice is None:
        path = "risk.data_location" if where else _risk(a)
        yield path, "no advance notice before the provider changes a location"


@rule(
    "CP705",
    "dora-data-protection",
    E,
    R,
    Section.RISK,
    "Data protection covers availability, authenticity, integrity and confidentiality, and "
    "personal data.",
    "Add `risk.data_protection: {measures: …, covers: [availability, authenticity, integrity, "
    "confidentiality], personal_data: …}`.",
    profile=DORA,
    citation="DORA Art. 30(2)(c)",
)
def data_protection(a: Agreement) -> Found:
    protection = a.risk.data_protection if a.risk else None
    if protection is None:
        yield _risk(a), "the agreement has no data protection provisions"
        return
    missing = [p.value for p in DataProperty if p not in protection.covers]
    if missing:
        yield "risk.data_protection.covers", f"data protection does not cover {', '.join(missing)}"
    if not protection.personal_data:
        yield "risk.data_protection", "the agreement does not say how personal data is protected"


@rule(
    "CP706",
    "dora-data-access-and-return",
    E,
    R,
    Section.EXIT,
    "Data comes back in usable formats at termination, and stays reachable if the provider fails.",
    "Set `exit.data_return.formats` and `exit.data_return.on_provider_failure` (escrow, direct "
    "access to the storage, …).",
    profile=DORA,
    citation="DORA Art. 30(2)(d)",
)
def data_access_and_return(a: Agreement) -> Found:
    back = a.exit.data_return if a.exit else None
    if back is None:
        yield "exit" if a.exit else "", "the agreement does not say how data is returned"
        return
    if not back.formats:
        yield "exit.data_return", "data return names no format"
    if not back.on_provider_failure:
        yield (
            "exit.data_return",
            "the agreement does not say how data is accessed and recovered if the provider "
            "becomes insolvent, is resolved or stops trading",
        )


@rule(
    "CP707",
    "dora-service-level-descriptions",
    E,
    R,
    Section.SLAS,
    "Service levels are described, and an amendment log records their updates and revisions.",
    "Give every SLA a `description`, and keep `versions` (the amendment log) from the signed "
    "version on.",
    profile=DORA,
    citation="DORA Art. 30(2)(e)",
)
def service_level_descriptions(a: Agreement) -> Found:
    if not a.slas:
        yield "slas", "the agreement describes no service levels"
    for key, sla in a.slas.items():
        if not sla.description:
            yield f"slas.{key}", f"SLA '{key}' has no description"
    if not a.versions:
        yield "versions", "no amendment log records how the service levels are revised"


@rule(
    "CP708",
    "dora-incident-assistance",
    E,
    R,
    Section.RISK,
    "The provider helps with ICT incidents at no extra cost or at a cost set in advance.",
    "Add `risk.incident_assistance: {scope: …, cost: included}` (or `cost: fixed_rate` with "
    "a `rate`).",
    profile=DORA,
    citation="DORA Art. 30(2)(f)",
)
def incident_assistance(a: Agreement) -> Found:
    help_ = a.risk.incident_assistance if a.risk else None
    if help_ is None:
        yield _risk(a), "the agreement has no duty to assist with ICT incidents"
    elif help_.cost is IncidentCost.FIXED_RATE and help_.rate is None:
        yield (
            "risk.incident_assistance",
            "incident assistance is charged at a fixed rate, but the rate is not stated",
        )


@rule(
    "CP709",
    "dora-authority-cooperation",
    E,
    R,
    Section.REGULATORY,
    "The provider cooperates fully with the customer's competent and resolution authorities.",
    "Set `regulatory.authority_cooperation` to the provider's duty, in the contract's words.",
    profile=DORA,
    citation="DORA Art. 30(2)(g)",
)
def authority_cooperation(a: Agreement) -> Found:
    if a.regulatory is None or not a.regulatory.authority_cooperation:
        yield (
            "regulatory" if a.regulatory else "",
            "no duty to cooperate with the customer's competent and resolution authorities",
        )


@rule(
    "CP710",
    "dora-termination-rights",
    E,
    R,
    Section.EXIT,
    "The customer's rights to terminate are listed with their grounds.",
    "Add `exit.termination_rights`, e.g. `{by: customer, ground: …, notice: 30d}`.",
    profile=DORA,
    citation="DORA Art. 30(2)(h)",
)
def termination_rights(a: Agreement) -> Found:
    rights = a.exit.termination_rights if a.exit else []
    if not any(r.by in (Party.CUSTOMER, Party.JOINT) for r in rights):
        yield "exit" if a.exit else "", "the agreement lists no right of the customer to terminate"


@rule(
    "CP711",
    "dora-termination-notice",
    E,
    R,
    Section.EXIT,
    "Termination has a minimum notice period, and so does every termination right.",
    "Set `exit.notice` (or `term.notice_period`) and a `notice` on every termination right.",
    profile=DORA,
    citation="DORA Art. 30(2)(h)",
)
def termination_notice(a: Agreement) -> Found:
    exit_notice = a.exit.notice if a.exit else None
    term_notice = a.term.notice_period if a.term else None
    if exit_notice is None and term_notice is None:
        yield "exit" if a.exit else "", "no minimum notice period for termination"
    for i, right in enumerate(a.exit.termination_rights if a.exit else []):
        if right.notice is None:
            yield (
                f"exit.termination_rights[{i}]",
                f"termination right '{right.ground}' has no minimum notice period",
            )


@rule(
    "CP712",
    "dora-security-awareness-training",
    E,
    R,
    Section.REGULATORY,
    "The provider takes part in the customer's security awareness and resilience training.",
    "Set `regulatory.security_awareness_training` to the conditions of the provider's part.",
    profile=DORA,
    citation="DORA Art. 30(2)(i)",
)
def security_awareness_training(a: Agreement) -> Found:
    if a.regulatory is None or not a.regulatory.security_awareness_training:
        yield (
            "regulatory" if a.regulatory else "",
            "no conditions for the provider's part in ICT security awareness programmes and "
            "operational resilience training",
        )


# --- Art. 30(3): services that support critical or important functions ----------------------


@rule(
    "CP721",
    "dora-quantitative-service-levels",
    E,
    R,
    Section.SLAS,
    "Every SLA has precise quantitative targets and an attainment target to monitor it by.",
    "Give ticket SLAs `targets` per priority and `attainment.target`; give availability SLAs "
    "a `target` and a `period`.",
    profile=DORA,
    citation="DORA Art. 30(3)(a)",
    critical_only=True,
)
def quantitative_service_levels(a: Agreement) -> Found:
    if not a.slas:
        yield "slas", "the agreement has no quantitative service levels"
    for key, sla in a.slas.items():
        if isinstance(sla, TicketSla):
            if not sla.targets:
                yield f"slas.{key}", f"SLA '{key}' has no targets"
            if sla.attainment is None:
                yield f"slas.{key}", f"SLA '{key}' has no attainment target"
        elif isinstance(sla, AvailabilitySla) and (sla.target is None or sla.period is None):
            yield f"slas.{key}", f"SLA '{key}' has no availability target over a period"


@rule(
    "CP722",
    "dora-reporting-obligations",
    E,
    R,
    Section.GOVERNANCE,
    "The provider reports to the customer, each report with its deadline.",
    "Add `governance.reports`, each with `due_within`.",
    profile=DORA,
    citation="DORA Art. 30(3)(b)",
    critical_only=True,
)
def reporting_obligations(a: Agreement) -> Found:
    reports = a.governance.reports if a.governance else []
    if not reports:
        yield "governance" if a.governance else "", "the provider has no reporting obligations"
    for i, report in enumerate(reports):
        if report.due_within is None:
            yield f"governance.reports[{i}]", f"report '{report.name}' has no deadline"


@rule(
    "CP723",
    "dora-material-change-notice",
    E,
    R,
    Section.REGULATORY,
    "The provider notifies developments that may materially affect the service levels.",
    "Set `regulatory.material_change_notice`, e.g. '5d'.",
    profile=DORA,
    citation="DORA Art. 30(3)(b)",
    critical_only=True,
)
def material_change_notice(a: Agreement) -> Found:
    if a.regulatory is None or a.regulatory.material_change_notice is None:
        yield (
            "regulatory" if a.regulatory else "",
            "no notice period for developments that may materially affect the provider's "
            "ability to meet the service levels",
        )


@rule(
    "CP724",
    "dora-contingency-plan-testing",
    E,
    R,
    Section.RISK,
    "The provider has a business contingency plan and tests it; recovery plans are tested too.",
    "Set `risk.business_continuity.test_cadence`, and `test_cadence` on every disaster "
    "recovery entry.",
    profile=DORA,
    citation="DORA Art. 30(3)(c)",
    critical_only=True,
)
def contingency_plan_testing(a: Agreement) -> Found:
    plan = a.risk.business_continuity if a.risk else None
    if plan is None:
        yield _risk(a), "the provider has no business contingency plan"
    elif plan.test_cadence is None:
        yield "risk.business_continuity", "the business contingency plan is never tested"
    for i, dr in enumerate(a.risk.disaster_recovery if a.risk else []):
        if dr.test_cadence is None:
            yield f"risk.disaster_recovery[{i}]", f"recovery of '{dr.service}' is never tested"


@rule(
    "CP725",
    "dora-security-measures",
    E,
    R,
    Section.RISK,
    "The provider's ICT security measures, tools and policies follow a named framework.",
    "List the security framework in `risk.compliance`, e.g. ISO/IEC 27001 or BSI C5.",
    profile=DORA,
    citation="DORA Art. 30(3)(c)",
    critical_only=True,
)
def security_measures(a: Agreement) -> Found:
    if a.risk is None or not a.risk.compliance:
        yield _risk(a), "no security framework sets the provider's ICT security"


@rule(
    "CP726",
    "dora-tlpt-participation",
    E,
    R,
    Section.REGULATORY,
    "The provider takes part and cooperates fully in the customer's threat-led penetration "
    "testing.",
    "Set `regulatory.tlpt_participation` to the provider's duty, in the contract's words.",
    profile=DORA,
    citation="DORA Art. 30(3)(d)",
    critical_only=True,
)
def tlpt_participation(a: Agreement) -> Found:
    if a.regulatory is None or not a.regulatory.tlpt_participation:
        yield (
            "regulatory" if a.regulatory else "",
            "no duty to take part in the customer's threat-led penetration testing (TLPT)",
        )


@rule(
    "CP727",
    "dora-audit-rights",
    E,
    R,
    Section.GOVERNANCE,
    "The customer and its competent authority may access, inspect and audit the provider, on "
    "site, with a stated scope, procedure and frequency.",
    "Add `governance.audit_rights: {granted_to: [customer, competent_authority], on_site: true, "
    "copies: true, scope: …, procedure: …, frequency: …}`.",
    profile=DORA,
    citation="DORA Art. 30(3)(e)",
    critical_only=True,
)
def audit_rights(a: Agreement) -> Found:
    rights = a.governance.audit_rights if a.governance else None
    if rights is None:
        yield "governance" if a.governance else "", "the agreement grants no audit rights"
        return
    path = "governance.audit_rights"
    for who in (Auditor.CUSTOMER, Auditor.COMPETENT_AUTHORITY):
        if who not in rights.granted_to:
            yield (
                f"{path}.granted_to",
                f"audit rights are not granted to the {who.value.replace('_', ' ')}",
            )
    if not rights.on_site:
        yield path, "audit rights do not include access to and inspection of the premises"
    if not rights.copies:
        yield path, "auditors may not take copies of relevant documentation"
    missing = [f for f in ("scope", "procedure", "frequency") if not getattr(rights, f)]
    if missing:
        yield path, f"audit rights do not state their {', '.join(missing)}"


@rule(
    "CP728",
    "dora-exit-transition-period",
    E,
    R,
    Section.EXIT,
    "Exit has a transition period during which the provider keeps providing the services.",
    "Set `exit.transition_assistance.period` and `service_continues: true`.",
    profile=DORA,
    citation="DORA Art. 30(3)(f)",
    critical_only=True,
)
def exit_transition_period(a: Agreement) -> Found:
    transition = a.exit.transition_assistance if a.exit else None
    if transition is None:
        yield "exit" if a.exit else "", "exit has no transition period"
    elif not transition.service_continues:
        yield (
            "exit.transition_assistance",
            "the provider is not bound to keep providing the services during the transition period",
        )

"""The contract sections of the schedule: parties, term and engagement, objectives, definitions,
scope, priorities, governance, risk, exit and later amendments.

Pure: builds :mod:`clearpact.explain.document` blocks from the model.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from clearpact.agreement.fields import Party
from clearpact.agreement.model import (
    Agreement,
    Contact,
    EngagementModel,
    Organisation,
    RenewalType,
    Service,
)
from clearpact.agreement.obligations import MeetingLevel
from clearpact.agreement.versions import in_force
from clearpact.explain.document import Bullets, Gap, Paragraph, Quote, Section, Table
from clearpact.explain.wording import (
    PARTY_WORDS,
    cadence_words,
    country_name,
    date_words,
    hours_words,
    join_words,
    money,
    period_words,
    plural,
    sentence,
)

ENGAGEMENT_WORDS = {
    EngagementModel.FULLY_MANAGED: "fully managed: the provider runs the covered IT end to end",
    EngagementModel.CO_MANAGED: "co-managed: the provider and the customer's own IT team share "
    "the work",
    EngagementModel.STAFF_AUGMENTATION: "staff augmentation: the provider supplies people who "
    "work under the customer's direction",
    EngagementModel.PROJECT: "a project: the provider delivers a defined piece of work",
    EngagementModel.OUTCOME_BASED: "outcome-based: the provider is paid for agreed outcomes",
}
UNIT_WORDS = {"hour": "per hour", "day": "per day", "fixed_quote": "as a fixed quote"}


def _contact(contact: Contact | None) -> str:
    if contact is None:
        return ""
    details = [contact.name, contact.role, contact.email, contact.phone]
    return "; contact: " + ", ".join(d for d in details if d)


def _organisation(role: str, organisation: Organisation) -> str:
    return f"{role}: {organisation.name}{_contact(organisation.contact)}."


# -- parties, term, engagement --------------------------------------------------------------------


def parties_section(agreement: Agreement) -> Section:
    """Who the parties are, the term, the fee and the engagement model in one sentence."""
    section = Section("Who, for how long, and how the work is shared")
    section.add(
        Bullets(
            [
                _organisation("Provider", agreement.parties.provider),
                _organisation("Customer", agreement.parties.customer),
            ]
        )
    )
    section.add(*_term_blocks(agreement))
    commercials = agreement.commercials
    if commercials is None:
        section.add(Gap("The agreement does not state the fee."))
    else:
        basis = f" ({commercials.pricing_basis})" if commercials.pricing_basis else ""
        section.add(
            Paragraph(
                f"Fee: {money(commercials.monthly_fee, commercials.currency)} per month{basis}."
            )
        )
    engagement = agreement.engagement
    if engagement is None:
        section.add(Gap("The agreement does not say how the work is shared (engagement model)."))
        return section
    roles = _roles(engagement.decides, engagement.accountable)
    text = f"The engagement is {ENGAGEMENT_WORDS[engagement.model]}"
    text += f"; {roles}." if roles else "."
    section.add(Paragraph(text))
    if engagement.description:
        section.add(Quote(engagement.description))
    if engagement.decides is None or engagement.accountable is None:
        section.add(
            Gap(
                "The agreement does not say who makes technical decisions and who answers for them."
            )
        )
    return section


def _roles(decides: Party | None, accountable: Party | None) -> str:
    """``the provider makes the technical decisions and answers for the outcomes``."""

    def verb(party: Party, singular: str) -> str:
        return singular.removesuffix("s") if party == Party.JOINT else singular

    if decides is not None and decides == accountable:
        return (
            f"{PARTY_WORDS[decides]} {verb(decides, 'makes')} the technical decisions and "
            f"{verb(decides, 'answers')} for the outcomes"
        )
    parts = []
    if decides is not None:
        parts.append(f"{PARTY_WORDS[decides]} {verb(decides, 'makes')} the technical decisions")
    if accountable is not None:
        parts.append(f"{PARTY_WORDS[accountable]} {verb(accountable, 'answers')} for the outcomes")
    return join_words(parts)


def _term_blocks(agreement: Agreement) -> list[Paragraph | Gap]:
    term = agreement.term
    if term is None:
        return [Gap("The agreement does not state its term: when it starts and how it ends.")]
    gaps: list[Paragraph | Gap] = []
    if term.end is not None:
        text = f"The agreement runs from {date_words(term.start)} to {date_words(term.end)}."
    else:
        text = f"The agreement starts on {date_words(term.start)}."
        gaps.append(Gap("The agreement does not say when its initial term ends."))
    renewal = term.renewal
    each = f" for {period_words(renewal.period)} at a time" if renewal and renewal.period else ""
    if renewal is None:
        gaps.append(Gap("The agreement does not say what happens at the end of the term."))
    elif renewal.type == RenewalType.AUTOMATIC:
        text += f" It then renews automatically{each}, unless notice is given."
    elif renewal.type == RenewalType.BY_AGREEMENT:
        text += f" It then continues only if both sides agree to renew it{each}."
    else:
        text += " It then ends; it does not renew."
    if term.notice_period is not None:
        text += f" Notice to end it, or to stop a renewal: {period_words(term.notice_period)}."
    else:
        gaps.append(Gap("The agreement does not say how much notice ends it."))
    return [Paragraph(text), *gaps]


def objectives_section(agreement: Agreement) -> Section:
    """The customer's business objectives, each with its success measure and what serves it."""
    section = Section("Business objectives")
    if not agreement.objectives:
        section.add(Gap("The agreement does not state the customer's business objectives."))
        return section
    items = []
    for objective in agreement.objectives:
        text = sentence(objective.statement)
        if objective.success_measure:
            text += f" Success means: {sentence(objective.success_measure)}"
        served = [_service_name(agreement, s) for s in objective.services]
        measured = [agreement.kpis[k].name if k in agreement.kpis else k for k in objective.kpis]
        if served:
            text += f" Served by: {join_words(served)}."
        if measured:
            text += f" Measured by: {join_words(measured)}."
        items.append(text)
    section.add(Bullets(items))
    return section


def definitions_section(agreement: Agreement) -> Section | None:
    """The glossary; ``None`` when there is none."""
    if not agreement.definitions:
        return None
    section = Section("Defined terms")
    section.add(Table(["term", "meaning"], [[t, m] for t, m in agreement.definitions.items()]))
    return section


# -- scope ----------------------------------------------------------------------------------------


def _service_name(agreement: Agreement, key: str) -> str:
    service = agreement.services.get(key)
    return service.name if service else f"'{key}'"


def scope_section(agreement: Agreement) -> Section:
    """Each service in and out of scope, coverage, the customer's part, and out-of-scope work."""
    section = Section("What is covered")
    if not agreement.services:
        section.add(Gap("The agreement does not say which services it covers."))
    for service in agreement.services.values():
        section.subsections.append(_service_section(service))
    work = agreement.out_of_scope_work
    extra = Section("Work outside the scope")
    if work is None:
        extra.add(
            Gap("The agreement does not say how work outside the scope is requested or priced.")
        )
    else:
        extra.add(Paragraph(f"Requested through: {sentence(work.request_via)}"))
        if work.approval:
            extra.add(Paragraph(f"Approval: {sentence(work.approval)}"))
        else:
            extra.add(Gap("The agreement does not say who approves such work before it starts."))
        currency = agreement.commercials.currency if agreement.commercials else ""
        if work.rate is not None:
            unit = UNIT_WORDS.get(work.unit or "", "")
            extra.add(Paragraph(f"Price: {money(work.rate, currency)} {unit}".rstrip() + "."))
        elif work.unit == "fixed_quote":
            extra.add(Paragraph("Price: a fixed quote for each piece of work."))
        else:
            extra.add(Gap("The agreement does not say what work outside the scope costs."))
    section.subsections.append(extra)
    return section


def _service_section(service: Service) -> Section:
    section = Section(service.name)
    if service.description:
        section.add(Paragraph(sentence(service.description)))
    if service.in_scope:
        section.add(Bullets(list(service.in_scope), lead="Included:"))
    else:
        section.add(Gap(f"The agreement does not say what {service.name} includes."))
    if service.out_of_scope:
        items = [
            f"{item.item} — for example {join_words(item.examples)}" if item.examples else item.item
            for item in service.out_of_scope
        ]
        section.add(Bullets(items, lead="Not included:"))
    else:
        section.add(Gap(f"The agreement does not say what {service.name} excludes."))
    coverage = service.coverage
    if coverage is not None:
        counts = []
        if coverage.users is not None:
            counts.append(plural(coverage.users, "user"))
        if coverage.devices is not None:
            counts.append(plural(coverage.devices, "device"))
        text = f"Covers {join_words(counts)}" if counts else "Covers"
        if coverage.sites:
            text += f" at {join_words(list(coverage.sites))}"
        section.add(Paragraph(text + "."))
    else:
        section.add(
            Gap(f"The agreement does not say which users, devices or sites {service.name} covers.")
        )
    if service.customer_responsibilities:
        section.add(Bullets(list(service.customer_responsibilities), lead="The customer must:"))
    if service.assumptions:
        section.add(Bullets(list(service.assumptions), lead="The price assumes:"))
    return section


def responsibilities_gap(agreement: Agreement) -> Gap | None:
    """A gap when no service lists what the customer must do."""
    if agreement.services and not any(
        s.customer_responsibilities for s in agreement.services.values()
    ):
        return Gap("The agreement does not say what the customer must do.")
    return None


# -- priorities -----------------------------------------------------------------------------------


def priorities_section(agreement: Agreement) -> Section:
    """The priority levels with definitions and examples; who classifies and reclassifies."""
    section = Section("Priorities")
    priorities = agreement.priorities
    if priorities is None or not priorities.levels:
        section.add(Gap("The agreement defines no priority levels."))
        return section
    if priorities.classified_by is not None:
        who = PARTY_WORDS[priorities.classified_by]
        who = f"{who} together" if priorities.classified_by == Party.JOINT else who
        section.add(Paragraph(f"Who sets a ticket's priority: {who}."))
    else:
        section.add(Gap("The agreement does not say who sets a ticket's priority."))
    if priorities.provider_may_reclassify is True:
        section.add(Paragraph("The provider may change a ticket's priority once it is set."))
    elif priorities.provider_may_reclassify is False:
        section.add(Paragraph("The provider may not change a priority on its own."))
    else:
        section.add(Gap("The agreement does not say whether the provider may change a priority."))
    if priorities.reclassification_rule:
        section.add(Quote(priorities.reclassification_rule))
    rows = []
    for key, level in priorities.levels.items():
        rows.append(
            [
                key,
                level.name,
                level.definition or "not defined",
                join_words(list(level.examples), last="or") if level.examples else "none given",
            ]
        )
        label = level.name if level.name == key else f"{level.name} ({key})"
        if level.definition is None:
            section.add(Gap(f"The agreement does not say when a ticket is {label}."))
        elif not level.examples:
            section.add(Gap(f"The agreement gives no example of a {label} ticket."))
    section.blocks.insert(0, Table(["priority", "name", "when", "for example"], rows))
    return section


# -- governance, risk, exit -----------------------------------------------------------------------


LEVEL_WORDS = {
    MeetingLevel.OPERATIONAL: "operational",
    MeetingLevel.MANAGEMENT: "management",
    MeetingLevel.EXECUTIVE: "executive",
}


def governance_section(agreement: Agreement) -> Section:
    """Meetings, reports, the escalation path and who does what (RACI)."""
    section = Section("Meetings, reports and escalation")
    governance = agreement.governance
    meetings = governance.meetings if governance else []
    reports = governance.reports if governance else []
    escalation = governance.escalation if governance else []
    if meetings:
        section.add(
            Table(
                ["meeting", "level", "how often", "who attends", "purpose"],
                [
                    [
                        m.name,
                        LEVEL_WORDS[m.level],
                        cadence_words(m.cadence),
                        join_words(list(m.attendees)) or "not stated",
                        m.purpose or "not stated",
                    ]
                    for m in meetings
                ],
            )
        )
    else:
        section.add(Gap("The agreement sets up no regular meetings."))
    if reports:
        rows, unclear = [], []
        for r in reports:
            rows.append(
                [
                    r.name,
                    cadence_words(r.cadence),
                    join_words(list(r.recipients)) or "not stated",
                    f"within {period_words(r.due_within)}" if r.due_within else "not stated",
                    join_words(list(r.contents)) or "not stated",
                ]
            )
            if not r.recipients or r.due_within is None:
                unclear.append(
                    Gap(
                        f"The agreement does not say who receives the {r.name} or by when it "
                        "is due."
                    )
                )
        section.add(Table(["report", "how often", "to", "delivered", "contents"], rows), *unclear)
    else:
        section.add(Gap("The agreement sets up no regular reports."))
    if escalation:
        items = []
        previous = "the ticket is raised"
        for step in sorted(escalation, key=lambda s: s.level):
            customer = f", with {step.customer_contact} (customer)" if step.customer_contact else ""
            items.append(
                f"Level {step.level}: {hours_words(step.after.seconds)} after {previous} without "
                f"a resolution, {step.provider_contact} (provider) takes over{customer}."
            )
            previous = f"level {step.level}"
        section.add(Bullets(items, lead="Escalation:"))
    else:
        section.add(Gap("The agreement does not say how problems are escalated, or to whom."))
    if governance and governance.raci:
        section.add(
            Table(
                ["activity", "does the work", "answers for it", "asked before", "told after"],
                [
                    [
                        entry.activity,
                        join_words([PARTY_WORDS[p] for p in entry.responsible]),
                        PARTY_WORDS[entry.accountable],
                        join_words([PARTY_WORDS[p] for p in entry.consulted]) or "nobody",
                        join_words([PARTY_WORDS[p] for p in entry.informed]) or "nobody",
                    ]
                    for entry in governance.raci
                ],
            )
        )
    return section


def risk_section(agreement: Agreement) -> Section:
    """Disaster recovery (RTO/RPO), continuity, backups, certifications and data location."""
    section = Section("Disasters, backups and data")
    risk = agreement.risk
    if risk is None:
        section.add(
            Gap(
                "The agreement does not say how fast services come back after a disaster, how "
                "data is backed up, or where it is held."
            )
        )
        return section
    if risk.disaster_recovery:
        rows = [
            [
                _service_name(agreement, dr.service),
                f"back within {hours_words(dr.rto.seconds)}" if dr.rto else "not stated",
                f"at most {hours_words(dr.rpo.seconds)} of data lost" if dr.rpo else "not stated",
                f"tested {cadence_words(dr.test_cadence)}" if dr.test_cadence else "not stated",
            ]
            for dr in risk.disaster_recovery
        ]
        section.add(
            Paragraph(
                "After a disaster (RTO: how fast the service is back; RPO: how much recent data "
                "may be lost):"
            ),
            Table(["service", "RTO", "RPO", "recovery test"], rows),
        )
    else:
        section.add(Gap("The agreement does not say how fast services come back after a disaster."))
    if risk.business_continuity is not None:
        bcp = risk.business_continuity
        owner = PARTY_WORDS[bcp.plan_owner]
        review = f", reviewed {cadence_words(bcp.review_cadence)}" if bcp.review_cadence else ""
        section.add(Paragraph(f"Business continuity plan: kept by {owner}{review}."))
    backups = risk.backups
    if backups is not None:
        parts = []
        if backups.frequency:
            parts.append(f"taken {cadence_words(backups.frequency)}")
        if backups.retention:
            parts.append(f"kept {period_words(backups.retention)}")
        if backups.restore_test_cadence:
            parts.append(f"a restore tested {cadence_words(backups.restore_test_cadence)}")
        if backups.offsite_copy:
            parts.append("a copy off site")
        if backups.immutable_copy:
            parts.append("a copy nobody can alter or delete")
        section.add(Paragraph(f"Backups: {join_words(parts)}." if parts else "Backups: stated."))
    else:
        section.add(Gap("The agreement does not say how data is backed up."))
    if risk.compliance:
        rows = [
            [
                c.framework,
                "certified" if c.certified else "followed, not certified",
                date_words(c.expires) if c.expires else "not stated",
                c.scope or "not stated",
            ]
            for c in risk.compliance
        ]
        section.add(Table(["framework", "status", "expires", "scope"], rows))
    location = risk.data_location
    if location is not None:
        text = f"Data is held in {join_words([country_name(c) for c in location.countries])}"
        if location.subprocessors:
            text += f", also by {join_words(list(location.subprocessors))}"
        if location.change_notice:
            text += (
                f"; {period_words(location.change_notice)}' notice before data moves or a new "
                "subprocessor is added"
            )
        section.add(Paragraph(text + "."))
    else:
        section.add(Gap("The agreement does not say where data is held."))
    return section


def exit_section(agreement: Agreement) -> Section:
    """What happens when the agreement ends."""
    section = Section("When the agreement ends")
    terms = agreement.exit
    if terms is None:
        section.add(
            Gap(
                "The agreement does not say what happens when it ends: no handover, data return "
                "or help with the move."
            )
        )
        return section
    currency = agreement.commercials.currency if agreement.commercials else ""
    items = []
    if terms.notice is not None:
        items.append(f"Notice to terminate: {period_words(terms.notice)}.")
    help_ = terms.transition_assistance
    if help_ is not None:
        text = f"Help with the move for {period_words(help_.period)}."
        if help_.price:
            text += f" {sentence(help_.price)}"
        if help_.rate is not None:
            text += f" Rate: {money(help_.rate, currency)} per hour."
        items.append(text)
    data = terms.data_return
    if data is not None:
        deadline = f" within {period_words(data.deadline)}" if data.deadline else ""
        formats = f", in these forms: {'; '.join(data.formats)}" if data.formats else ""
        items.append(f"Data returned{deadline}{formats}.")
    if terms.knowledge_transfer:
        items.append(f"Knowledge transfer: {sentence(terms.knowledge_transfer)}")
    handover = terms.handover
    if handover is not None:
        handed = [
            what
            for what, given in (
                ("all admin credentials", handover.credentials),
                ("the documentation", handover.documentation),
            )
            if given
        ]
        deadline = f" within {period_words(handover.deadline)}" if handover.deadline else ""
        if handed:
            items.append(f"Handed over{deadline}: {join_words(handed)}.")
    deletion = terms.deletion_certificate
    if deletion is not None and deletion.required:
        deadline = f" within {period_words(deletion.deadline)}" if deletion.deadline else ""
        items.append(
            f"The provider deletes the customer's data and certifies it in writing{deadline} "
            "after returning it."
        )
    if items:
        section.add(Bullets(items))
    missing = [
        what
        for what, value in (
            ("how the provider helps with the move", terms.transition_assistance),
            ("how data is returned", terms.data_return),
            ("how credentials and documents are handed over", terms.handover),
            ("whether data is deleted afterwards", terms.deletion_certificate),
        )
        if value is None
    ]
    if missing:
        section.add(Gap(f"The agreement does not say {join_words(missing, last='or')}."))
    return section


# -- amendments -----------------------------------------------------------------------------------


def amendments_section(agreement: Agreement, explained: str | None) -> Section | None:
    """The amendment log: each later version, what it changes, and the value it replaces."""
    changes = [a for a in agreement.versions if a.changes]
    if not agreement.versions:
        return None
    section = Section("Versions and amendments")
    version = f"version {explained}" if explained else "the terms as first written"
    section.add(Paragraph(f"This explanation follows {version}. The log of versions:"))
    rows = []
    for amendment in sorted(agreement.versions, key=lambda a: a.effective):
        before = in_force(agreement, amendment.effective - dt.timedelta(days=1)).model_dump(
            mode="json"
        )
        what = [
            f"{path}: {_value(value)} (was {_value(_at(before, path))})"
            for path, value in amendment.changes.items()
        ]
        rows.append(
            [
                amendment.version,
                date_words(amendment.effective),
                amendment.summary,
                "; ".join(what) or "no change to the terms",
                join_words(list(amendment.signed_by)) or "not recorded",
            ]
        )
    section.add(Table(["version", "from", "summary", "changes", "signed by"], rows))
    if changes:
        section.add(
            Paragraph(
                "A ticket is measured by the terms in force on the day it was opened, so "
                "tickets opened after an amendment follow the changed terms."
            )
        )
    return section


def _at(data: Any, path: str) -> Any:
    node = data
    for part in path.split("."):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def _value(value: Any) -> str:
    if value is None:
        return "not set"
    if isinstance(value, dict):
        return ", ".join(f"{k} {_value(v)}" for k, v in value.items())
    return str(value)

"""Governance, risk and compliance, exit, and the amendment log: the obligations beyond SLAs.

Pure pydantic models; every field carries the description that feeds the JSON Schema.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from clearpact.agreement.fields import Cadence, ExactDuration, Party, Period, Strict


class MeetingLevel(StrEnum):
    """The three levels of governance meetings."""

    OPERATIONAL = "operational"
    MANAGEMENT = "management"
    EXECUTIVE = "executive"


class Meeting(BaseModel):
    """A recurring governance meeting."""

    model_config = Strict

    name: str = Field(description="The meeting's name, e.g. 'Monthly service review'.")
    level: MeetingLevel = Field(description="operational, management or executive.")
    cadence: Cadence = Field(description="How often it is held.")
    attendees: list[str] = Field(default_factory=list, description="Roles that attend, both sides.")
    purpose: str | None = Field(default=None, description="What it decides or reviews.")


class Report(BaseModel):
    """A recurring report the provider delivers."""

    model_config = Strict

    name: str = Field(description="The report's name.")
    cadence: Cadence = Field(description="How often it is delivered.")
    recipients: list[str] = Field(default_factory=list, description="Who receives it.")
    due_within: Period | None = Field(
        default=None, description="Delivered within this long after the period ends, e.g. '5d'."
    )
    contents: list[str] = Field(default_factory=list, description="What it contains.")


class EscalationLevel(BaseModel):
    """One step of the escalation path."""

    model_config = Strict

    level: int = Field(ge=1, description="1 is the first step.")
    provider_contact: str = Field(description="Who at the provider takes the escalation.")
    customer_contact: str | None = Field(
        default=None, description="Who at the customer is involved."
    )
    after: ExactDuration = Field(
        description="Escalate to this level when unresolved this long after the previous level."
    )


class RaciEntry(BaseModel):
    """Responsible, accountable, consulted and informed for one activity."""

    model_config = Strict

    activity: str = Field(description="The activity, e.g. 'Patch management'.")
    responsible: list[Party] = Field(description="Who does the work.")
    accountable: Party = Field(description="The one side that answers for it.")
    consulted: list[Party] = Field(default_factory=list, description="Who is asked before.")
    informed: list[Party] = Field(default_factory=list, description="Who is told after.")


class Auditor(StrEnum):
    """Who may audit the provider."""

    CUSTOMER = "customer"
    APPOINTED_THIRD_PARTY = "appointed_third_party"
    COMPETENT_AUTHORITY = "competent_authority"


class AuditRights(BaseModel):
    """The customer's (and its supervisor's) rights of access, inspection and audit."""

    model_config = Strict

    granted_to: list[Auditor] = Field(
        description="Who may audit: customer, appointed_third_party, competent_authority."
    )
    on_site: bool | None = Field(
        default=None, description="Whether access and inspection include the provider's premises."
    )
    copies: bool | None = Field(
        default=None, description="Whether auditors may take copies of relevant documentation."
    )
    scope: str | None = Field(
        default=None, description="What may be audited: systems, records, premises, subcontractors."
    )
    procedure: str | None = Field(
        default=None, description="How an audit is requested and run, e.g. notice and access."
    )
    frequency: str | None = Field(
        default=None, description="How often, e.g. 'once a year, and after a major incident'."
    )


class Governance(BaseModel):
    """Meetings, reports, escalation path, RACI and audit rights."""

    model_config = Strict

    meetings: list[Meeting] = Field(default_factory=list, description="Recurring meetings.")
    reports: list[Report] = Field(default_factory=list, description="Recurring reports.")
    escalation: list[EscalationLevel] = Field(default_factory=list, description="Escalation path.")
    raci: list[RaciEntry] = Field(default_factory=list, description="RACI matrix.")
    audit_rights: AuditRights | None = Field(
        default=None, description="Rights of access, inspection and audit (DORA Art. 30(3)(e))."
    )


class DisasterRecovery(BaseModel):
    """Recovery objectives and testing for one service."""

    model_config = Strict

    service: str = Field(description="The service (id).")
    rto: ExactDuration | None = Field(default=None, description="Recovery time objective.")
    rpo: ExactDuration | None = Field(default=None, description="Recovery point objective.")
    test_cadence: Cadence | None = Field(default=None, description="How often recovery is tested.")
    last_tested: dt.date | None = Field(default=None, description="Date of the last test.")


class BusinessContinuity(BaseModel):
    """The business continuity plan and its review."""

    model_config = Strict

    plan_owner: Party = Field(description="Who owns and maintains the plan.")
    review_cadence: Cadence | None = Field(default=None, description="How often it is reviewed.")
    last_reviewed: dt.date | None = Field(default=None, description="Date of the last review.")
    test_cadence: Cadence | None = Field(
        default=None, description="How often the plan is tested (exercised), not only reviewed."
    )
    last_tested: dt.date | None = Field(default=None, description="Date of the last test.")


class Backups(BaseModel):
    """Backup frequency, retention and restore testing."""

    model_config = Strict

    frequency: Cadence | None = Field(default=None, description="How often backups run.")
    retention: Period | None = Field(default=None, description="How long backups are kept.")
    restore_test_cadence: Cadence | None = Field(
        default=None, description="How often a restore is tested."
    )
    offsite_copy: bool | None = Field(default=None, description="Whether a copy is kept off site.")
    immutable_copy: bool | None = Field(
        default=None, description="Whether a copy cannot be altered or deleted (ransomware)."
    )


class Certification(BaseModel):
    """A security or compliance framework the provider follows or is certified against."""

    model_config = Strict

    framework: str = Field(
        description="e.g. 'ISO/IEC 27001:2022', 'SOC 2 Type II', 'Cyber Essentials'."
    )
    certified: bool = Field(description="Whether a certificate or attestation exists.")
    expires: dt.date | None = Field(default=None, description="When the certificate expires.")
    scope: str | None = Field(default=None, description="What the certificate covers.")


class DataLocation(BaseModel):
    """Where the customer's data is stored and processed."""

    model_config = Strict

    countries: list[str] = Field(
        description="Countries (ISO 3166-1 alpha-2) where data may be held."
    )
    subprocessors: list[str] = Field(
        default_factory=list, description="Subprocessors that hold data."
    )
    change_notice: Period | None = Field(
        default=None,
        description="Notice the provider gives before moving data or adding a subprocessor.",
    )
    service_countries: list[str] = Field(
        default_factory=list,
        description="Countries (ISO 3166-1 alpha-2) from which the services are provided.",
    )


class DataProperty(StrEnum):
    """A property of the customer's data that the provider protects."""

    AVAILABILITY = "availability"
    AUTHENTICITY = "authenticity"
    INTEGRITY = "integrity"
    CONFIDENTIALITY = "confidentiality"


class DataProtection(BaseModel):
    """How the provider protects the customer's data, personal data included."""

    model_config = Strict

    measures: str = Field(
        description="The technical and organisational measures, or where they are set out."
    )
    covers: list[DataProperty] = Field(
        default_factory=list,
        description="What the measures protect: availability, authenticity, integrity, "
        "confidentiality.",
    )
    personal_data: str | None = Field(
        default=None,
        description="How personal data is protected, e.g. 'Data processing agreement under "
        "GDPR Art. 28, annex 3'; or that none is processed.",
    )


class Subcontracting(BaseModel):
    """Whether the provider may subcontract the services, and on what conditions."""

    model_config = Strict

    permitted: bool = Field(description="Whether the provider may subcontract the services.")
    conditions: str | None = Field(
        default=None,
        description="The conditions, e.g. prior written consent and the same obligations "
        "passed on to the subcontractor.",
    )


class IncidentCost(StrEnum):
    """What the customer pays for the provider's help with an incident."""

    INCLUDED = "included"  # at no additional cost
    FIXED_RATE = "fixed_rate"  # at a cost determined in advance


class IncidentAssistance(BaseModel):
    """The provider's help when an ICT incident hits the service, and what it costs."""

    model_config = Strict

    scope: str = Field(description="What help the provider gives, e.g. analysis and recovery.")
    cost: IncidentCost = Field(
        description="included (no additional cost) or fixed_rate (a cost set in advance)."
    )
    rate: Decimal | None = Field(
        default=None, ge=0, description="Hourly rate for fixed_rate, in the agreement's currency."
    )


class Risk(BaseModel):
    """Disaster recovery, business continuity, backups, compliance and data location."""

    model_config = Strict

    disaster_recovery: list[DisasterRecovery] = Field(
        default_factory=list, description="DR per service."
    )
    business_continuity: BusinessContinuity | None = Field(default=None, description="The BCP.")
    backups: Backups | None = Field(default=None, description="Backups.")
    compliance: list[Certification] = Field(default_factory=list, description="Frameworks.")
    data_location: DataLocation | None = Field(default=None, description="Data location.")
    data_protection: DataProtection | None = Field(
        default=None, description="Protection of data, personal data included."
    )
    subcontracting: Subcontracting | None = Field(
        default=None, description="Whether and on what conditions the provider subcontracts."
    )
    incident_assistance: IncidentAssistance | None = Field(
        default=None, description="Help with ICT incidents and its cost."
    )


class TransitionAssistance(BaseModel):
    """Help the provider gives when the agreement ends."""

    model_config = Strict

    period: Period = Field(description="How long assistance lasts after termination.")
    price: str | None = Field(
        default=None, description="How assistance is priced, e.g. 'included'."
    )
    rate: Decimal | None = Field(
        default=None, ge=0, description="Hourly rate, in the agreement's currency."
    )
    service_continues: bool | None = Field(
        default=None,
        description="Whether the provider keeps providing the services, at the agreed levels, "
        "until the transition period ends.",
    )


class DataReturn(BaseModel):
    """How the customer's data comes back."""

    model_config = Strict

    formats: list[str] = Field(
        default_factory=list, description="Formats, e.g. 'CSV', 'PST', 'VHDX'."
    )
    deadline: Period | None = Field(
        default=None, description="Returned within this long after termination."
    )
    on_provider_failure: str | None = Field(
        default=None,
        description="How the customer accesses and recovers its data if the provider becomes "
        "insolvent, is resolved or stops trading, e.g. escrow or direct storage access.",
    )


class Handover(BaseModel):
    """Credentials and documents handed over."""

    model_config = Strict

    credentials: bool = Field(description="All admin credentials are handed over.")
    documentation: bool = Field(description="Network and system documentation is handed over.")
    deadline: Period | None = Field(default=None, description="Handed over within this long.")


class DeletionCertificate(BaseModel):
    """Proof that the provider deleted the customer's data."""

    model_config = Strict

    required: bool = Field(description="Whether a deletion certificate is issued.")
    deadline: Period | None = Field(
        default=None, description="Issued within this long after data return."
    )


class TerminationRight(BaseModel):
    """A right to end the agreement: who holds it, when, and the minimum notice."""

    model_config = Strict

    by: Party = Field(description="Who may terminate: provider, customer or joint (either).")
    ground: str = Field(description="When, e.g. 'material breach not remedied within 30 days'.")
    notice: Period | None = Field(
        default=None, description="Minimum notice, e.g. '30d'; DORA asks for one with every right."
    )


class Exit(BaseModel):
    """What happens when the agreement ends."""

    model_config = Strict

    notice: Period | None = Field(
        default=None, description="Notice either side gives to terminate."
    )
    termination_rights: list[TerminationRight] = Field(
        default_factory=list, description="Rights to terminate, with grounds and notice."
    )
    transition_assistance: TransitionAssistance | None = Field(
        default=None, description="Transition help."
    )
    data_return: DataReturn | None = Field(default=None, description="Data return.")
    knowledge_transfer: str | None = Field(
        default=None, description="How knowledge is transferred."
    )
    handover: Handover | None = Field(default=None, description="Credentials and documents.")
    deletion_certificate: DeletionCertificate | None = Field(
        default=None, description="Deletion proof."
    )
    plan_review_cadence: Cadence | None = Field(
        default=None,
        description="How often both sides review the exit plan, so it still works when needed.",
    )


class Amendment(BaseModel):
    """One entry of the amendment log. ``changes`` sets values at dotted paths from ``effective``."""

    model_config = Strict

    version: str = Field(description="Version label, e.g. '1.1'.")
    effective: dt.date = Field(description="Date from which tickets opened are measured by it.")
    summary: str = Field(description="What changed and why, in one sentence.")
    signed_by: list[str] = Field(default_factory=list, description="Who signed it, both sides.")
    changes: dict[str, Any] = Field(
        default_factory=dict,
        description="New values by dotted path, e.g. {'slas.resolution.targets.P2': '6h'}.",
    )

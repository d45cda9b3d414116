"""The typed agreement: parties, term, objectives, engagement, scope, priorities, calendars,
SLAs, KPIs, credits, governance, risk, exit, regulatory frame and versions.

Pure pydantic models (no files); ``loader`` reads YAML into them. Sections a complete agreement
needs are optional here on purpose: ``clearpact lint`` reports what is missing, with its place.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from clearpact.agreement.calendars import CalendarSpec
from clearpact.agreement.fields import Party, Period, Strict
from clearpact.agreement.obligations import Amendment, Exit, Governance, Risk
from clearpact.agreement.regulatory import Regulatory
from clearpact.agreement.slas import Kpi, ServiceCredits, Sla

SPEC_VERSION = "clearpact/v1"


class Contact(BaseModel):
    """A named person and how to reach them."""

    model_config = Strict

    name: str = Field(description="Full name or role.")
    role: str | None = Field(default=None, description="Role, e.g. 'Service delivery manager'.")
    email: str | None = Field(default=None, description="E-mail address.")
    phone: str | None = Field(default=None, description="Phone number.")


class Organisation(BaseModel):
    """One party to the agreement."""

    model_config = Strict

    name: str = Field(description="Legal name.")
    contact: Contact | None = Field(default=None, description="The agreement's main contact.")


class Parties(BaseModel):
    """Who provides and who receives the service."""

    model_config = Strict

    provider: Organisation = Field(description="The managed-service provider.")
    customer: Organisation = Field(description="The customer.")


class RenewalType(StrEnum):
    """What happens at the end of the term."""

    NONE = "none"
    AUTOMATIC = "automatic"
    BY_AGREEMENT = "by_agreement"


class Renewal(BaseModel):
    """Renewal terms."""

    model_config = Strict

    type: RenewalType = Field(description="none, automatic or by_agreement.")
    period: Period | None = Field(default=None, description="Length of each renewal, e.g. '12mo'.")


class Term(BaseModel):
    """Start, end, renewal and notice."""

    model_config = Strict

    start: dt.date = Field(description="First day the agreement applies.")
    end: dt.date | None = Field(default=None, description="Last day of the initial term.")
    renewal: Renewal | None = Field(default=None, description="Renewal terms.")
    notice_period: Period | None = Field(
        default=None,
        description="Notice needed to end the agreement or stop a renewal, e.g. '90d'.",
    )


class Commercials(BaseModel):
    """Currency and fee."""

    model_config = Strict

    currency: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code, e.g. 'EUR'.")
    monthly_fee: Decimal = Field(
        ge=0, description="The recurring monthly fee, the base for credits."
    )
    pricing_basis: str | None = Field(
        default=None, description="How the fee is computed, e.g. 'per user per month'."
    )


class Objective(BaseModel):
    """A business objective, traced to the services and KPIs that serve it."""

    model_config = Strict

    id: str = Field(description="Short id, e.g. 'fewer-outages'.")
    statement: str = Field(description="The objective in the customer's words.")
    success_measure: str | None = Field(
        default=None, description="How success is judged, with numbers."
    )
    services: list[str] = Field(default_factory=list, description="Services (ids) that serve it.")
    kpis: list[str] = Field(default_factory=list, description="KPIs (ids) that measure it.")


class EngagementModel(StrEnum):
    """How the work is shared between provider and customer."""

    FULLY_MANAGED = "fully_managed"
    CO_MANAGED = "co_managed"
    STAFF_AUGMENTATION = "staff_augmentation"
    PROJECT = "project"
    OUTCOME_BASED = "outcome_based"


class Engagement(BaseModel):
    """The engagement model, who decides and who is accountable."""

    model_config = Strict

    model: EngagementModel = Field(description="The engagement model.")
    decides: Party | None = Field(default=None, description="Who makes technical decisions.")
    accountable: Party | None = Field(default=None, description="Who answers for outcomes.")
    description: str | None = Field(default=None, description="How the model works day to day.")


class OutOfScopeItem(BaseModel):
    """Something explicitly not included, with examples."""

    model_config = Strict

    item: str = Field(description="What is excluded.")
    examples: list[str] = Field(default_factory=list, description="Concrete examples.")


class Coverage(BaseModel):
    """Who and what is covered."""

    model_config = Strict

    users: int | None = Field(default=None, ge=0, description="Number of covered users.")
    devices: int | None = Field(default=None, ge=0, description="Number of covered devices.")
    sites: list[str] = Field(default_factory=list, description="Covered sites.")


class Service(BaseModel):
    """A service in scope."""

    model_config = Strict

    name: str = Field(description="The service's name.")
    description: str | None = Field(default=None, description="What the service is.")
    in_scope: list[str] = Field(default_factory=list, description="What is included.")
    out_of_scope: list[OutOfScopeItem] = Field(
        default_factory=list, description="What is excluded, with examples."
    )
    coverage: Coverage | None = Field(default=None, description="Covered users, devices and sites.")
    customer_responsibilities: list[str] = Field(
        default_factory=list, description="What the customer must do for the service to work."
    )
    assumptions: list[str] = Field(
        default_factory=list, description="Assumptions behind the price."
    )


class OutOfScopeWork(BaseModel):
    """How work outside the scope is requested, approved and priced."""

    model_config = Strict

    request_via: str = Field(description="How it is requested.")
    approval: str | None = Field(default=None, description="Who approves, before work starts.")
    rate: Decimal | None = Field(
        default=None, ge=0, description="Price per unit, in the agreement's currency."
    )
    unit: Literal["hour", "day", "fixed_quote"] | None = Field(
        default=None, description="Pricing unit."
    )


class PriorityLevel(BaseModel):
    """A priority: definition with concrete examples."""

    model_config = Strict

    name: str = Field(description="Name, e.g. 'Critical'.")
    definition: str | None = Field(default=None, description="When a ticket has this priority.")
    examples: list[str] = Field(default_factory=list, description="Concrete examples.")


class Priorities(BaseModel):
    """The priority scheme: levels (highest first), who classifies, reclassification."""

    model_config = Strict

    classified_by: Party | None = Field(default=None, description="Who sets a ticket's priority.")
    provider_may_reclassify: bool | None = Field(
        default=None, description="Whether the provider may change a priority the customer set."
    )
    reclassification_rule: str | None = Field(
        default=None, description="When and how a priority may be changed, and who is told."
    )
    levels: dict[str, PriorityLevel] = Field(
        default_factory=dict, description="Priority levels by key, highest first (e.g. P1 … P4)."
    )


class Agreement(BaseModel):
    """A managed-service agreement, as one YAML file (`version: clearpact/v1`)."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={"$schema": "https://json-schema.org/draft/2020-12/schema"},
    )

    version: Literal["clearpact/v1"] = Field(description="Spec version; always 'clearpact/v1'.")
    id: str | None = Field(default=None, description="Short id, e.g. 'acme-2026'.")
    title: str = Field(description="The agreement's title.")
    parties: Parties = Field(description="Provider and customer.")
    term: Term | None = Field(default=None, description="Term, renewal, notice.")
    commercials: Commercials | None = Field(default=None, description="Currency and monthly fee.")
    definitions: dict[str, str] = Field(
        default_factory=dict, description="Defined terms and their meaning (the glossary)."
    )
    objectives: list[Objective] = Field(default_factory=list, description="Business objectives.")
    engagement: Engagement | None = Field(default=None, description="Engagement model.")
    services: dict[str, Service] = Field(
        default_factory=dict, description="Services in scope by id."
    )
    out_of_scope_work: OutOfScopeWork | None = Field(
        default=None, description="How out-of-scope work is requested and priced."
    )
    priorities: Priorities | None = Field(default=None, description="The priority scheme.")
    calendars: dict[str, CalendarSpec] = Field(
        default_factory=dict, description="Business calendars."
    )
    slas: dict[str, Sla] = Field(default_factory=dict, description="SLAs by id, one per metric.")
    kpis: dict[str, Kpi] = Field(default_factory=dict, description="KPIs by id.")
    service_credits: ServiceCredits | None = Field(default=None, description="Service credits.")
    governance: Governance | None = Field(default=None, description="Governance.")
    risk: Risk | None = Field(default=None, description="Risk and compliance.")
    exit: Exit | None = Field(default=None, description="Exit terms.")
    regulatory: Regulatory | None = Field(
        default=None,
        description="The customer's regulatory framework (e.g. DORA) and the duties it adds.",
    )
    versions: list[Amendment] = Field(
        default_factory=list, description="The amendment log, oldest first."
    )

    @property
    def home_zone(self) -> str:
        """The zone the agreement's dates are read in (amendments' effective days, its term,
        attainment periods): its first calendar's, UTC without one."""
        return next(iter(self.calendars.values())).timezone if self.calendars else "UTC"

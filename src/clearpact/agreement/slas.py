"""SLAs, KPIs and service credits: what is measured, against what, and what a miss costs.

Pure pydantic models; every field carries the description that feeds the JSON Schema.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    Discriminator,
    Field,
    PlainSerializer,
    PlainValidator,
    Tag,
    WithJsonSchema,
)

from clearpact.agreement.fields import (
    ExactDuration,
    Percent,
    Period,
    Strict,
    _exact_duration,
    _percent,
)


class MeasurementPeriod(StrEnum):
    """The period over which attainment is computed and reported."""

    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


class StartEvent(StrEnum):
    """The event that starts an SLA clock."""

    CREATED = "created"
    ASSIGNED = "assigned"
    PREVIOUS_PUBLIC_REPLY = "previous_public_reply"


class StopEvent(StrEnum):
    """The event that stops an SLA clock."""

    FIRST_RESPONSE = "first_response"
    NEXT_PUBLIC_REPLY = "next_public_reply"
    WORKAROUND = "workaround"
    RESOLVED = "resolved"
    CLOSED = "closed"


class ResponseAuthor(StrEnum):
    """Who may author a reply that counts as a response."""

    HUMAN_AGENT = "human_agent"
    ANY_AGENT = "any_agent"


class ResponseExclusion(StrEnum):
    """Kinds of activity that never count as a response."""

    AUTOMATIC_ACKNOWLEDGEMENT = "automatic_acknowledgement"
    INTERNAL_NOTE = "internal_note"
    STATUS_CHANGE = "status_change"
    ASSIGNMENT = "assignment"
    CUSTOMER_REPLY = "customer_reply"


class ResponseDefinition(BaseModel):
    """What counts as a response, so an automatic e-mail never stops a response clock."""

    model_config = Strict

    author: ResponseAuthor = Field(description="Who must write it: a human agent, or any agent.")
    visibility: Literal["public"] = Field(
        default="public", description="A response is visible to the customer."
    )
    channels: list[str] = Field(
        default_factory=list,
        description="Channels a response may use (portal, email, phone); empty means any.",
    )
    excludes: list[ResponseExclusion] = Field(
        default_factory=list, description="Activities that never count as a response."
    )
    also_counts: list[Literal["status_change", "assignment"]] = Field(
        default_factory=list,
        description="Activities that count as a response besides a public reply, e.g. "
        "[status_change] where the ticketing tool records no replies and the contract says a "
        "move to 'In progress' is the response. Empty: only a public reply counts.",
    )


class PriorityChangeRule(StrEnum):
    """How a priority change affects a running clock."""

    CURRENT_FROM_ORIGINAL_START = "current_priority_from_original_start"
    RESTART_AT_CHANGE = "restart_at_change"
    KEEP_ORIGINAL = "keep_original_priority"


class PriorityChangePolicy(BaseModel):
    """The stated rule for priority changes (never implied)."""

    model_config = Strict

    policy: PriorityChangeRule = Field(
        description="current_priority_from_original_start: the target of the current priority, "
        "measured from the original start; restart_at_change: a new clock with the new "
        "priority's target starts at the change; keep_original_priority: the target at creation "
        "applies throughout. Accumulated pause time survives a change under every policy."
    )


class ReopenRule(StrEnum):
    """How a reopened ticket is measured."""

    RESUME = "resume"
    NEW_CYCLE = "new_cycle"


class ReopenPolicy(BaseModel):
    """The stated rule for reopened tickets (never implied)."""

    model_config = Strict

    policy: ReopenRule = Field(
        description="resume: the same clock continues from where it stopped; new_cycle: a new "
        "clock with a full target starts at the reopening."
    )
    count_time_while_resolved: bool = Field(
        default=False,
        description="Whether the time between resolution and reopening counts on the clock.",
    )
    within: Period | None = Field(
        default=None,
        description="A ticket reopened later than this after resolution is a new ticket.",
    )


class UnansweredRule(StrEnum):
    """How a response clock ends when the ticket is resolved before any response."""

    RESOLUTION_STOPS = "resolution_stops_clock"
    BREACHED = "breached"


class TargetSpec(BaseModel):
    """A target with its own calendar, e.g. P1 measured 24x7 while others use office hours."""

    model_config = Strict

    within: ExactDuration = Field(description="The target duration, in business time.")
    calendar: str = Field(description="Name of the calendar this priority is measured on.")


Target = Annotated[
    Annotated[ExactDuration, Tag("duration")] | Annotated[TargetSpec, Tag("with-calendar")],
    Discriminator(lambda v: "with-calendar" if isinstance(v, dict | TargetSpec) else "duration"),
]


class Attainment(BaseModel):
    """The share of tickets that must meet their target in each period."""

    model_config = Strict

    target: Percent = Field(
        description="Required share of tickets that meet their target, e.g. '95%'."
    )
    period: MeasurementPeriod = Field(description="The period attainment is computed over.")
    per_priority: bool = Field(
        default=True, description="Whether the share is computed for each priority separately."
    )
    minimum_tickets: int | None = Field(
        default=None,
        ge=1,
        description="Below this many tickets in a period, attainment is reported but not judged.",
    )


class TicketSla(BaseModel):
    """An SLA measured on tickets by a clock: first response, resolution, next update, restoration."""

    model_config = Strict

    metric: Literal["first_response", "resolution", "next_update", "restoration"] = Field(
        description="What the clock measures."
    )
    description: str | None = Field(default=None, description="The SLA in the contract's words.")
    start: StartEvent | None = Field(default=None, description="The event that starts the clock.")
    stop: StopEvent | None = Field(default=None, description="The event that stops the clock.")
    response: ResponseDefinition | None = Field(
        default=None,
        description="What counts as a response (required when the clock stops at a reply).",
    )
    pause_statuses: list[str] = Field(
        default_factory=list,
        description="Ticket statuses in which the clock is paused, as named in the ticketing tool "
        "(e.g. 'Waiting on customer').",
    )
    calendar: str | None = Field(
        default=None, description="Name of the calendar the clock runs on (from `calendars:`)."
    )
    targets: dict[str, Target] = Field(
        default_factory=dict,
        description="Target per priority name (from `priorities.levels`): a duration such as "
        "'4h', or {within, calendar} to use another calendar for that priority.",
    )
    attainment: Attainment | None = Field(
        default=None, description="The share of tickets that must meet the target, per period."
    )
    exclusions: list[str] = Field(
        default_factory=list, description="Tickets or time that are not measured, stated precisely."
    )
    priority_change: PriorityChangePolicy | None = Field(
        default=None, description="How a change of priority affects this clock."
    )
    reopen: ReopenPolicy | None = Field(
        default=None, description="How a reopening affects this clock."
    )
    unanswered: UnansweredRule | None = Field(
        default=None,
        description="For response clocks: what happens when a ticket is resolved or closed "
        "before any response. resolution_stops_clock: the resolution stops the clock and is "
        "measured like a response; breached: the SLA is missed whatever the time. Unset means "
        "resolution_stops_clock, and each such ticket is flagged in the results.",
    )
    at_risk: Percent | None = Field(
        default=None,
        description="An open ticket is flagged at risk when its clock passes this share of the "
        "target, e.g. '75%'.",
    )

    def calendar_for(self, priority: str) -> str | None:
        """The calendar that applies to a priority: its own, or the SLA's."""
        target = self.targets.get(priority)
        if isinstance(target, TargetSpec):
            return target.calendar
        return self.calendar

    def target_seconds(self, priority: str) -> int | None:
        """The target for a priority in business seconds, or None when none is set."""
        target = self.targets.get(priority)
        if target is None:
            return None
        return target.within.seconds if isinstance(target, TargetSpec) else target.seconds


class Maintenance(BaseModel):
    """Agreed maintenance: excluded from downtime when done in its windows and announced."""

    model_config = Strict

    calendar: str = Field(description="Calendar whose windows are the agreed maintenance windows.")
    notice: ExactDuration = Field(
        description="Minimum notice before planned maintenance, e.g. '5d'."
    )
    max_per_period: ExactDuration | None = Field(
        default=None, description="The most maintenance time that may be excluded per period."
    )


class AvailabilitySla(BaseModel):
    """An availability SLA: share of time a service is up, net of agreed maintenance."""

    model_config = Strict

    metric: Literal["availability"] = Field(description="What is measured.")
    description: str | None = Field(default=None, description="The SLA in the contract's words.")
    services: list[str] = Field(default_factory=list, description="Services (ids) covered.")
    target: Percent | None = Field(default=None, description="Required availability, e.g. '99.9%'.")
    period: MeasurementPeriod | None = Field(default=None, description="Measurement period.")
    downtime_definition: str | None = Field(
        default=None, description="What counts as down, precisely (which check, how long)."
    )
    measurement_source: str | None = Field(
        default=None, description="The monitoring system whose data decides, e.g. 'Uptime Kuma'."
    )
    maintenance: Maintenance | None = Field(default=None, description="Agreed maintenance terms.")
    exclusions: list[str] = Field(default_factory=list, description="What else is not downtime.")


Sla = Annotated[TicketSla | AvailabilitySla, Field(discriminator="metric")]


class Direction(StrEnum):
    """Whether a KPI is better high or low."""

    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"


@dataclass(frozen=True)
class KpiTarget:
    """A KPI target: a percentage ('70%'), a duration ('8h') or a plain number (4.5)."""

    kind: Literal["percent", "duration", "number"]
    value: float
    text: str

    def __str__(self) -> str:
        return self.text


def _kpi_target(value: Any) -> KpiTarget:
    if isinstance(value, KpiTarget):
        return value
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a KPI target")
    if isinstance(value, int | float):
        return KpiTarget("number", float(value), f"{value:g}")
    if isinstance(value, str) and value.strip().endswith("%"):
        return KpiTarget("percent", _percent(value), value.strip())
    if isinstance(value, str) and re.search(r"\d\s*[a-z]", value):
        return KpiTarget("duration", float(_exact_duration(value).seconds), value.strip())
    raise ValueError(
        f"{value!r} is not a KPI target; write a percentage ('70%'), a duration ('8h') or a number (4.5)"
    )


KpiTargetValue = Annotated[
    KpiTarget,
    PlainValidator(_kpi_target),
    PlainSerializer(lambda t: t.value if t.kind == "number" else t.text),
    WithJsonSchema(
        {
            "anyOf": [{"type": "number"}, {"type": "string"}],
            "description": "A percentage ('70%'), a duration ('8h') or a number (4.5).",
        }
    ),
]


class Kpi(BaseModel):
    """A key performance indicator with its formula, target, direction, source and period."""

    model_config = Strict

    name: str = Field(description="The KPI's name as both sides use it.")
    formula: str | None = Field(
        default=None,
        description="Formula id from clearpact's KPI catalogue (`clearpact lint --list-kpis`).",
    )
    target: KpiTargetValue | None = Field(default=None, description="The target value.")
    direction: Direction | None = Field(
        default=None, description="Whether higher or lower is better."
    )
    source: str | None = Field(
        default=None,
        description="Where the data comes from, e.g. 'ticketing system', 'CSAT survey'.",
    )
    period: MeasurementPeriod | None = Field(default=None, description="Reporting period.")
    sla: str | None = Field(
        default=None, description="For sla_attainment: the SLA (id) whose attainment this is."
    )


class CreditTier(BaseModel):
    """When attainment of an SLA falls below a threshold, a share of the monthly fee is credited."""

    model_config = Strict

    sla: str = Field(description="The SLA (id) this tier applies to.")
    priority: str | None = Field(default=None, description="Only this priority; all when empty.")
    below: Percent = Field(description="The tier applies when attainment is below this value.")
    credit: Percent = Field(description="Credit as a share of the monthly fee.")


class AtRiskPool(BaseModel):
    """An at-risk amount: the most the provider can lose, allocated across service levels."""

    model_config = Strict

    pool: Percent = Field(description="At-risk amount as a share of the monthly fee.")
    allocation: dict[str, Percent] = Field(
        description="Share of the pool per SLA (id); the shares add up to 100%."
    )


class EarnBack(BaseModel):
    """A credit may be earned back by sustained performance afterwards."""

    model_config = Strict

    periods: int = Field(
        ge=1, description="Consecutive periods of meeting the SLA that earn it back."
    )
    condition: str = Field(description="What must hold in those periods, precisely.")


class ChronicFailure(BaseModel):
    """Repeated misses that give the customer a right to terminate."""

    model_config = Strict

    slas: list[str] = Field(
        default_factory=list, description="SLAs (ids) that count; all when empty."
    )
    misses: int = Field(ge=1, description="How many missed periods trigger the right.")
    within: int = Field(ge=1, description="Within how many consecutive periods.")
    remedy: str = Field(description="The right it gives, e.g. termination without penalty.")


class ServiceCredits(BaseModel):
    """Service credits: tiers, cap, claims, at-risk pool, earn-back, chronic failure."""

    model_config = Strict

    tiers: list[CreditTier] = Field(default_factory=list, description="Credit tiers.")
    cap: Percent | None = Field(
        default=None, description="Most credit in one period, as a share of the monthly fee."
    )
    claim_window: Period | None = Field(
        default=None, description="How long after the period's report a credit may be claimed."
    )
    claim_process: str | None = Field(default=None, description="How a credit is claimed and paid.")
    automatic: bool = Field(
        default=False, description="Whether credits are applied without a claim."
    )
    at_risk: AtRiskPool | None = Field(default=None, description="Optional at-risk pool.")
    earn_back: EarnBack | None = Field(default=None, description="Optional earn-back.")
    chronic_failure: ChronicFailure | None = Field(
        default=None, description="Termination right on chronic failure."
    )

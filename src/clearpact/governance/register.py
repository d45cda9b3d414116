"""The evidence register: what happened under an agreement (meetings held, reports delivered,
escalations raised and answered, DR and restore tests, BCP and exit-plan reviews, certificates,
signed amendments), as one YAML file beside it (`version: clearpact-register/v1`).

Pure pydantic models over the agreement's field types; ``clearpact.ingest.register`` reads and
writes the file. Every field carries the description that docs/register.md repeats.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, PlainValidator, WithJsonSchema

from clearpact.agreement.fields import ExactDuration, Strict
from clearpact.agreement.obligations import MeetingLevel

REGISTER_VERSION = "clearpact-register/v1"

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-?[Qq]([1-4])$")
_HALF = re.compile(r"^(\d{4})-?[Hh]([12])$")
_YEAR = re.compile(r"^(\d{4})$")


def read_covers(value: Any) -> dt.date:
    """The first day a report's ``covers`` names: a date (any day of the period), ``YYYY-MM``,
    ``YYYYQn``, ``YYYYHn`` or ``YYYY``.

    >>> read_covers("2026Q3"), read_covers("2026-09"), read_covers("2026-H2")
    (datetime.date(2026, 7, 1), datetime.date(2026, 9, 1), datetime.date(2026, 7, 1))
    """
    if isinstance(value, dt.datetime):
        raise ValueError(f"'{value}' has a time; write the period, e.g. '2026-09' or '2026Q3'")
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for pattern, months in ((_MONTH, 1), (_QUARTER, 3), (_HALF, 6)):
        match = pattern.match(text)
        if match and 1 <= (month := months * (int(match[2]) - 1) + 1) <= 12:
            return dt.date(int(match[1]), month, 1)
    if _YEAR.match(text):
        return dt.date(int(text), 1, 1)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"'{text}' is not a period; write a month '2026-09', a quarter '2026Q3', a half "
            "'2026H1', a year '2026' or a date inside the period"
        ) from None


Covers = Annotated[
    dt.date,
    PlainValidator(read_covers),
    WithJsonSchema({"type": "string", "examples": ["2026-09", "2026Q3", "2026H1", "2026"]}),
]


class Result(StrEnum):
    """How a test went, in the words of whoever ran it."""

    PASS = "pass"
    FAIL = "fail"


class ActionItem(BaseModel):
    """Something a meeting decided someone does by a date; open until ``closed``."""

    model_config = Strict

    id: str | None = Field(
        default=None, description="A short id to close it by, e.g. 'A-2026-10-14-1'."
    )
    owner: str = Field(description="Who does it.")
    due: dt.date = Field(description="The day it is due.")
    text: str = Field(description="What is to be done.")
    closed: dt.date | None = Field(default=None, description="The day it was done; empty: open.")


class MeetingHeld(BaseModel):
    """A governance meeting that took place."""

    model_config = Strict

    name: str = Field(
        description="The agreement's name of the meeting, e.g. 'Monthly service review'."
    )
    level: MeetingLevel | None = Field(
        default=None, description="operational, management or executive (the tier)."
    )
    date: dt.date = Field(description="The day it was held.")
    attendees: list[str] = Field(default_factory=list, description="Who attended.")
    minutes: str | None = Field(default=None, description="A link to the minutes.")
    actions: list[ActionItem] = Field(default_factory=list, description="Action items decided.")


class ReportDelivered(BaseModel):
    """A recurring report the provider delivered."""

    model_config = Strict

    name: str = Field(description="The agreement's name of the report.")
    covers: Covers | None = Field(
        default=None,
        description="The period it reports on ('2026-09', '2026Q3', '2026H1', '2026' or a date "
        "inside it); empty: the period before the one it was delivered in.",
    )
    delivered: dt.date = Field(description="The day it reached its recipients.")
    link: str | None = Field(default=None, description="Where it is kept.")


class EscalationRaised(BaseModel):
    """An escalation to a level of the agreement's escalation path, and its answer."""

    model_config = Strict

    level: int = Field(ge=1, description="The level escalated to (1 is the first step).")
    raised: dt.datetime = Field(
        description="When it was raised; without an offset, in the agreement's home zone."
    )
    subject: str | None = Field(default=None, description="What it is about.")
    ticket: str | None = Field(default=None, description="The ticket it concerns.")
    answered: dt.datetime | None = Field(
        default=None, description="When that level's contact answered; empty: not yet."
    )
    answered_by: str | None = Field(default=None, description="Who answered.")


class DrTest(BaseModel):
    """A disaster-recovery test of one service."""

    model_config = Strict

    service: str = Field(description="The service (id) under risk.disaster_recovery.")
    date: dt.date = Field(description="The day of the test.")
    scope: str | None = Field(default=None, description="What was recovered, and how.")
    rto_achieved: ExactDuration | None = Field(
        default=None, description="How long recovery took, e.g. '3h'."
    )
    rpo_achieved: ExactDuration | None = Field(
        default=None, description="How much data (time) was lost, e.g. '30m'."
    )
    result: Result = Field(description="pass or fail, as the test's own criteria judged it.")
    findings: list[str] = Field(default_factory=list, description="What was learned.")


class RestoreTest(BaseModel):
    """A test restore from backup."""

    model_config = Strict

    date: dt.date = Field(description="The day of the test.")
    service: str | None = Field(default=None, description="The service (id) restored.")
    scope: str | None = Field(default=None, description="What was restored.")
    result: Result = Field(description="pass or fail.")
    findings: list[str] = Field(default_factory=list, description="What was learned.")


class Review(BaseModel):
    """A review of a plan (the business continuity plan or the exit plan)."""

    model_config = Strict

    date: dt.date = Field(description="The day of the review.")
    reviewer: str | None = Field(default=None, description="Who reviewed it.")
    link: str | None = Field(default=None, description="Where the reviewed plan is kept.")
    notes: str | None = Field(default=None, description="What changed.")


class CertificateHeld(BaseModel):
    """A certificate or attestation seen, with its expiry."""

    model_config = Strict

    framework: str = Field(description="As the agreement names it under risk.compliance.")
    issued: dt.date | None = Field(default=None, description="The day it was issued.")
    expires: dt.date = Field(description="The day it expires.")
    certificate: str | None = Field(default=None, description="A link to the certificate.")


class AmendmentSigned(BaseModel):
    """An amendment of the agreement, signed."""

    model_config = Strict

    version: str = Field(description="The amendment's version label in the agreement's log.")
    signed: dt.date = Field(description="The day the last party signed.")
    signed_by: list[str] = Field(default_factory=list, description="Who signed.")
    link: str | None = Field(default=None, description="Where the signed copy is kept.")


class Register(BaseModel):
    """The evidence register of one agreement (`version: clearpact-register/v1`)."""

    model_config = Strict

    version: Literal["clearpact-register/v1"] = Field(
        description="Spec version; always 'clearpact-register/v1'."
    )
    agreement: str | None = Field(default=None, description="The agreement's id, as a check.")
    since: dt.date | None = Field(
        default=None,
        description="Evidence is kept from this day; obligations due before it are not judged.",
    )
    meetings: list[MeetingHeld] = Field(default_factory=list, description="Meetings held.")
    reports: list[ReportDelivered] = Field(default_factory=list, description="Reports delivered.")
    escalations: list[EscalationRaised] = Field(
        default_factory=list, description="Escalations raised and answered."
    )
    dr_tests: list[DrTest] = Field(default_factory=list, description="Disaster-recovery tests.")
    restore_tests: list[RestoreTest] = Field(
        default_factory=list, description="Backup restore tests."
    )
    bcp_reviews: list[Review] = Field(
        default_factory=list, description="Business continuity plan reviews."
    )
    certifications: list[CertificateHeld] = Field(
        default_factory=list, description="Certificates with their expiry."
    )
    exit_plan_reviews: list[Review] = Field(default_factory=list, description="Exit-plan reviews.")
    amendments: list[AmendmentSigned] = Field(
        default_factory=list, description="Amendments signed."
    )


ENTRY_KINDS: dict[str, tuple[str, type[BaseModel]]] = {
    "meeting": ("meetings", MeetingHeld),
    "report": ("reports", ReportDelivered),
    "escalation": ("escalations", EscalationRaised),
    "dr-test": ("dr_tests", DrTest),
    "restore-test": ("restore_tests", RestoreTest),
    "bcp-review": ("bcp_reviews", Review),
    "certification": ("certifications", CertificateHeld),
    "exit-plan-review": ("exit_plan_reviews", Review),
    "amendment": ("amendments", AmendmentSigned),
}
"""``clearpact record KIND``: the register's list an entry of that kind goes to, and its model."""

"""A small agreement with every kind of obligation, and registers written as YAML text."""

from __future__ import annotations

import pytest

from clearpact.agreement.loader import load_text
from clearpact.agreement.model import Agreement
from clearpact.governance import Register
from clearpact.ingest.register import load_register_text

AGREEMENT = """\
version: clearpact/v1
id: gov-test
title: Governance test agreement
parties:
  provider: {name: Provider Ltd}
  customer: {name: Customer plc}
term: {start: 2026-07-01, end: 2027-06-30}
calendars:
  office: {timezone: Europe/Berlin, hours: "24x7"}
governance:
  meetings:
    - {name: Monthly review, level: operational, cadence: monthly}
    - {name: Quarterly review, level: management, cadence: quarterly}
  reports:
    - {name: Monthly report, cadence: monthly, due_within: 5d}
  escalation:
    - {level: 1, provider_contact: Desk lead, after: 2h}
    - {level: 2, provider_contact: Delivery manager, after: 4h}
risk:
  disaster_recovery:
    - {service: files, rto: 4h, rpo: 1h, test_cadence: semiannual}
  business_continuity: {plan_owner: provider, review_cadence: annual}
  backups: {restore_test_cadence: quarterly}
  compliance:
    - {framework: ISO 27001, certified: true, expires: 2026-10-30}
exit:
  plan_review_cadence: annual
"""


@pytest.fixture
def agreement() -> Agreement:
    return load_text(AGREEMENT, "agreement.yaml").agreement


def register_of(body: str) -> Register:
    """A register from the YAML of its sections (the version line is added)."""
    return load_register_text("version: clearpact-register/v1\n" + body, "r.yaml").register

"""The amendment log: a ticket is measured by the terms in force on the day it was opened."""

from __future__ import annotations

import datetime as dt
from typing import Any

from clearpact.agreement import in_force, version_in_force
from clearpact.agreement.slas import TicketSla
from tests.conftest import build


def p2_resolution_seconds(data: dict[str, Any], on: dt.date) -> int | None:
    sla = in_force(build(data), on).slas["resolution"]
    assert isinstance(sla, TicketSla)
    return sla.target_seconds("P2")


def test_amendment_applies_from_its_effective_date(smb_data: dict[str, Any]) -> None:
    # 1.0 (2026-01-01) has P2 resolution 8h; 1.1 (2026-07-01) changes it to 6h.
    assert p2_resolution_seconds(smb_data, dt.date(2026, 6, 30)) == 8 * 3600
    assert p2_resolution_seconds(smb_data, dt.date(2026, 7, 1)) == 6 * 3600
    agreement = build(smb_data)
    assert version_in_force(agreement, dt.date(2026, 6, 30)) == "1.0"
    assert version_in_force(agreement, dt.date(2026, 7, 1)) == "1.1"
    assert version_in_force(agreement, dt.date(2025, 12, 31)) is None


def test_later_amendments_build_on_earlier_ones(smb_data: dict[str, Any]) -> None:
    smb_data["versions"].append(
        {
            "version": "1.2",
            "effective": dt.date(2026, 10, 1),
            "summary": "P3 tightened.",
            "changes": {"slas.resolution.targets.P3": "16h"},
        }
    )
    october = in_force(build(smb_data), dt.date(2026, 10, 15)).slas["resolution"]
    assert isinstance(october, TicketSla)
    assert (october.target_seconds("P2"), october.target_seconds("P3")) == (6 * 3600, 16 * 3600)


def test_terms_before_any_amendment_are_the_agreement_itself(smb_data: dict[str, Any]) -> None:
    agreement = build(smb_data)
    assert in_force(agreement, dt.date(2026, 3, 1)) is agreement

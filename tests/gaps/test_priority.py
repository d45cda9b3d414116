"""The likely priority of a thread, from the SMB example's levels."""

from __future__ import annotations

from typing import Any

import pytest

from clearpact.gaps.priority import PriorityBasis, likely_priority
from tests.conftest import build


@pytest.mark.parametrize(
    ("text", "key", "basis"),
    [
        ("Re: P2 plotter", "P2", PriorityBasis.NAMED),
        ("This is priority 3, no rush", "P3", PriorityBasis.NAMED),
        ("Logged as a High priority ticket", "P2", PriorityBasis.NAMED),
        ("Re: file server down since 9am", "P1", PriorityBasis.EXAMPLE),
        ("Outlook crashes for one user again", "P3", PriorityBasis.EXAMPLE),
        ("Please add Mia to a distribution list", "P1", PriorityBasis.ASSUMED),
    ],
)
def test_a_named_priority_wins_then_examples_then_the_highest_is_assumed(
    smb_data: dict[str, Any], text: str, key: str, basis: PriorityBasis
) -> None:
    found = likely_priority(build(smb_data), text)
    assert found is not None
    assert (found.key, found.basis) == (key, basis)


def test_an_agreement_without_priorities_has_no_likely_priority(smb_data: dict[str, Any]) -> None:
    del smb_data["priorities"]
    for sla in smb_data["slas"].values():
        sla.pop("targets", None)
    smb_data.pop("service_credits")
    smb_data["versions"][1].pop("changes")
    assert likely_priority(build(smb_data), "P1 outage") is None

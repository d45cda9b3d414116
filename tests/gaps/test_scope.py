"""Which service item a sentence speaks of, in the SMB example."""

from __future__ import annotations

from typing import Any

import pytest

from clearpact.gaps.scope import scope_match
from tests.conftest import build


@pytest.mark.parametrize(
    ("text", "path", "excluded"),
    [
        ("Can you set up my home printer?", "services.service-desk.out_of_scope.0", True),
        ("A private phone is covered too.", "services.service-desk.out_of_scope.0", True),
        ("We'll include the training.", "services.service-desk.out_of_scope.1", True),
        ("A forensic look at the laptop", "services.security.out_of_scope.0", True),
        ("Daily backups are included.", "services.servers-and-cloud.in_scope.1", False),
    ],
)
def test_items_are_found_by_their_distinctive_words(
    smb_data: dict[str, Any], text: str, path: str, excluded: bool
) -> None:
    match = scope_match(build(smb_data), text)
    assert match is not None
    assert (match.path, match.excluded) == (path, excluded)


def test_generic_words_alone_match_nothing(smb_data: dict[str, Any]) -> None:
    assert scope_match(build(smb_data), "Support for your devices is part of the service.") is None

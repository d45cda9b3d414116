"""Shared fixtures: the example agreements as plain data, and a way to validate changed copies."""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import pytest

from clearpact.agreement.loader import validate_data
from clearpact.agreement.model import Agreement
from clearpact.agreement.yamlsource import SourceMap, parse_yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def shared_data() -> Path:
    """The folder of real public data sets: ``$CLEARPACT_SHARED_DATA``, else the first
    ``shared/data`` beside the checkout or one of its parents (``../shared/data``), else the
    workplace's ``/work/shared/data``."""
    override = os.environ.get("CLEARPACT_SHARED_DATA")
    if override:
        return Path(override)
    for parent in ROOT.parents:
        candidate = parent / "shared" / "data"
        if candidate.is_dir():
            return candidate
    # A checkout made elsewhere (a CI clone in a temporary folder) on a machine of this
    # workplace still finds the shared folder at its usual place.
    workplace = Path("/work/shared/data")
    return workplace if workplace.is_dir() else ROOT.parent / "shared" / "data"


def require_shared_data() -> Path:
    """``shared_data()``, or a skip with the reason outside CI; in CI (``CI`` set) a failure."""
    folder = shared_data()
    if not folder.is_dir():
        message = f"real data sets not found at {folder} (set CLEARPACT_SHARED_DATA)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return folder


def example_data(name: str) -> dict[str, Any]:
    """An example agreement parsed to plain data."""
    path = EXAMPLES / name
    data, _ = parse_yaml(path.read_text(encoding="utf-8"), str(path))
    assert isinstance(data, dict)
    return data


def build(data: dict[str, Any]) -> Agreement:
    """Validate plain data into an agreement (raises AgreementError like the loader)."""
    return validate_data(data, SourceMap("test.yaml")).agreement


@pytest.fixture
def smb_data() -> dict[str, Any]:
    """The fully managed SMB example as plain data; a fresh copy per test."""
    return copy.deepcopy(_SMB)


_SMB = example_data("fully-managed-smb.yaml")

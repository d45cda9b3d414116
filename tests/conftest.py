"""Shared fixtures: the example agreements as plain data, and a way to validate changed copies."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from clearpact.agreement.loader import validate_data
from clearpact.agreement.model import Agreement
from clearpact.agreement.yamlsource import SourceMap, parse_yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


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

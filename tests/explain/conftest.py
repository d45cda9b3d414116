"""Fixtures for ``explain``: the example agreements explained once per test session."""

from __future__ import annotations

import pytest

from clearpact.agreement import load
from clearpact.explain import Document, explain_agreement
from clearpact.explain.document import Section, WorkedExample
from tests.conftest import EXAMPLES

_CACHE: dict[str, Document] = {}


def explained(name: str) -> Document:
    """The schedule of ``examples/<name>.yaml`` (built once; documents are not changed by tests)."""
    if name not in _CACHE:
        _CACHE[name] = explain_agreement(load(EXAMPLES / f"{name}.yaml"))
    return _CACHE[name]


def subsection(document: Document, title: str) -> Section:
    """The section or subsection with this exact title."""
    stack = list(document.sections)
    while stack:
        section = stack.pop(0)
        if section.title == title:
            return section
        stack.extend(section.subsections)
    raise AssertionError(f"no section titled {title!r}")


def example(document: Document, sla_title: str, title: str) -> WorkedExample:
    """One worked example of one SLA section."""
    for block in subsection(document, sla_title).blocks:
        if isinstance(block, WorkedExample) and block.title == title:
            return block
    raise AssertionError(f"no example {title!r} under {sla_title!r}")


@pytest.fixture
def smb() -> Document:
    """examples/fully-managed-smb.yaml, explained."""
    return explained("fully-managed-smb")


@pytest.fixture
def enterprise() -> Document:
    """examples/co-managed-enterprise.yaml, explained."""
    return explained("co-managed-enterprise")


@pytest.fixture
def vague() -> Document:
    """examples/vague-msp.yaml, explained."""
    return explained("vague-msp")

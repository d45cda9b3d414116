"""Governance: the evidence register and obligations due against obligations done.

Domain logic over the agreement model; imports ``clearpact.agreement`` only. Reading and
writing register files is ``clearpact.ingest.register``.
"""

from __future__ import annotations

from clearpact.governance.obligations import (
    DUE_SOON,
    Kind,
    ObligationStatus,
    State,
    obligations,
    obligations_for_period,
)
from clearpact.governance.references import UnknownReference, unknown_references
from clearpact.governance.register import REGISTER_VERSION, Register

__all__ = [
    "DUE_SOON",
    "REGISTER_VERSION",
    "Kind",
    "ObligationStatus",
    "Register",
    "State",
    "UnknownReference",
    "obligations",
    "obligations_for_period",
    "unknown_references",
]

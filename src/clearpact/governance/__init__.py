"""Governance: the evidence register, obligations due against obligations done, customer
health and churn risk.

Domain logic over the agreement model and measured results. Reading and writing register files
is ``clearpact.ingest.register``; a store is read for the health signals by
``clearpact.report.data.signals_from_store``.
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

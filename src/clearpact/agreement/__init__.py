"""The agreement as code: typed model, YAML loading with line-numbered errors, JSON Schema,
and the amendment log. Imports nothing from the rest of clearpact but ``diagnostics`` and
``durations``.
"""

from __future__ import annotations

from clearpact.agreement.loader import (
    AgreementDocument,
    AgreementError,
    load,
    load_document,
    load_text,
)
from clearpact.agreement.model import Agreement
from clearpact.agreement.versions import in_force, version_in_force

__all__ = [
    "Agreement",
    "AgreementDocument",
    "AgreementError",
    "in_force",
    "load",
    "load_document",
    "load_text",
    "version_in_force",
]

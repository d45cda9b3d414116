"""Clarity rules over the agreement model: completeness, measurability, consistency and vague
language, with a clarity score; the ``dora`` profile adds DORA Art. 30 rules. Imports the
agreement model and the KPI catalogue only.
"""

from __future__ import annotations

from clearpact.lint import rules as _rules  # registers every rule
from clearpact.lint.engine import (
    DORA_RULES,
    RULES,
    Finding,
    LintResult,
    Profile,
    Rule,
    clarity_score,
    is_critical,
    lint_agreement,
    profile_rules,
)

__all__ = [
    "DORA_RULES",
    "RULES",
    "Finding",
    "LintResult",
    "Profile",
    "Rule",
    "clarity_score",
    "is_critical",
    "lint_agreement",
    "profile_rules",
]
del _rules

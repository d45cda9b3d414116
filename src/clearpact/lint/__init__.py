"""Clarity rules over the agreement model: completeness, measurability, consistency and vague
language, with a clarity score. Imports the agreement model and the KPI catalogue only.
"""

from __future__ import annotations

from clearpact.lint import rules as _rules  # registers every rule
from clearpact.lint.engine import RULES, Finding, LintResult, Rule, clarity_score, lint_agreement

__all__ = ["RULES", "Finding", "LintResult", "Rule", "clarity_score", "lint_agreement"]
del _rules

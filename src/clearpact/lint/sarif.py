"""Lint findings as SARIF 2.1.0, the format code-review tools (GitHub code scanning, VS Code's
SARIF viewer) annotate lines from. Pure: builds a dict; the CLI writes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from clearpact import __version__
from clearpact.diagnostics import Severity, SourceLocation
from clearpact.lint.engine import Finding, Rule

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def to_sarif(
    findings: Iterable[tuple[Finding, SourceLocation]], rules: Iterable[Rule]
) -> dict[str, Any]:
    """One SARIF run with every rule as a reporting descriptor and each finding as a result."""
    rule_list = list(rules)
    index = {r.id: i for i, r in enumerate(rule_list)}
    results = []
    for finding, location in findings:
        region = {"startLine": location.line or 1, "startColumn": location.column or 1}
        results.append(
            {
                "ruleId": finding.rule,
                "ruleIndex": index[finding.rule],
                "level": _LEVEL[finding.severity],
                "message": {"text": f"{finding.message} (at {finding.path or 'top level'})"},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": location.file},
                            "region": region,
                        },
                        "logicalLocations": [{"fullyQualifiedName": finding.path or "$"}],
                    }
                ],
            }
        )
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "clearpact",
                        "version": __version__,
                        "rules": [
                            {
                                "id": r.id,
                                "name": r.name,
                                "shortDescription": {"text": r.summary},
                                "help": {"text": r.hint},
                                "defaultConfiguration": {"level": _LEVEL[r.severity]},
                                "properties": {
                                    "section": r.section.value,
                                    "family": r.family.value,
                                },
                            }
                            for r in rule_list
                        ],
                    }
                },
                "results": results,
            }
        ],
    }

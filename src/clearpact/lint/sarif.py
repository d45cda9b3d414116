"""Findings as SARIF 2.1.0, the format code-review tools (GitHub code scanning, VS Code's
SARIF viewer) annotate lines from: the agreement lint's and the prose audit's. Pure: builds a
dict; the CLI writes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from clearpact import __version__
from clearpact.diagnostics import Severity, SourceLocation
from clearpact.lint.engine import Finding, Rule

if TYPE_CHECKING:
    from clearpact.lint.prose.audit import AuditResult
    from clearpact.lint.prose.findings import ProseRule

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def sarif_log(descriptors: list[dict[str, Any]], results: list[dict[str, Any]]) -> dict[str, Any]:
    """One SARIF run of clearpact with these rule descriptors and results."""
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {"name": "clearpact", "version": __version__, "rules": descriptors}
                },
                "results": results,
            }
        ],
    }


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
    descriptors = [
        {
            "id": r.id,
            "name": r.name,
            "shortDescription": {"text": r.summary},
            "help": {"text": r.hint},
            "defaultConfiguration": {"level": _LEVEL[r.severity]},
            "properties": _rule_properties(r),
        }
        for r in rule_list
    ]
    return sarif_log(descriptors, results)


def _rule_properties(rule: Rule) -> dict[str, Any]:
    """A descriptor's properties; a regulatory rule adds its citation (DORA Art. 30(2)(a))."""
    properties: dict[str, Any] = {"section": rule.section.value, "family": rule.family.value}
    if rule.citation:
        properties.update(citation=rule.citation, critical_only=rule.critical_only)
    return properties


def audit_to_sarif(result: AuditResult, rules: Iterable[ProseRule]) -> dict[str, Any]:
    """The prose audit's findings as one SARIF run.

    Text and Markdown findings point at their line; PDF and DOCX have no lines, so a result
    names its page, paragraph and sentence in its message, its logical location and its
    properties. A clause that is absent points at the file.
    """
    rule_list = list(rules)
    index = {r.id: i for i, r in enumerate(rule_list)}
    results = []
    for f in result.findings:
        where = f"p. {f.page}, ¶ {f.paragraph}, s. {f.sentence}" if f.sentence else "document"
        physical: dict[str, Any] = {"artifactLocation": {"uri": result.document.source}}
        if f.line is not None:
            physical["region"] = {"startLine": f.line, "snippet": {"text": f.text}}
        location: dict[str, Any] = {
            "physicalLocation": physical,
            "logicalLocations": [{"fullyQualifiedName": where, "kind": "element"}],
        }
        properties = {
            "category": f.category,
            "page": f.page,
            "paragraph": f.paragraph,
            "sentence": f.sentence,
            "text": f.text,
            "match": f.match,
        }
        if f.element is not None:
            properties.update(element=f.element, present=f.present, citation=f.citation)
        results.append(
            {
                "ruleId": f.rule,
                "ruleIndex": index[f.rule],
                "level": _LEVEL[f.severity],
                "message": {"text": f"{f.message} ({where})"},
                "locations": [location],
                "properties": properties,
            }
        )
    descriptors = [
        {
            "id": r.id,
            "name": r.name,
            "shortDescription": {"text": r.summary},
            "help": {"text": r.hint},
            "defaultConfiguration": {"level": _LEVEL[r.severity]},
            "properties": {"category": r.category, "commitment_only": r.commitment_only},
        }
        for r in rule_list
    ]
    return sarif_log(descriptors, results)

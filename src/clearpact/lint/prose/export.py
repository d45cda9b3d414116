"""An audit result as plain data: the JSON that ``clearpact audit --format json`` prints, and the
shape an evaluation script or another tool reads. Pure: builds dicts.

Every finding has the same keys (``null`` where a key does not apply): ``rule``, ``name``,
``category``, ``severity``, ``message``, ``hint``, ``text`` (the exact sentence), ``page``,
``paragraph``, ``sentence``, ``line``, ``match``, ``start``, ``end``, ``entry``, ``sources``, and
for clause checks ``element``, ``present`` (``false`` absent, ``null`` redacted) and ``citation``.
"""

from __future__ import annotations

from typing import Any

from clearpact.lint.prose.audit import AuditResult
from clearpact.lint.prose.elements import ElementStatus
from clearpact.lint.prose.findings import ProseFinding


def finding_json(f: ProseFinding) -> dict[str, Any]:
    """One finding as JSON-ready data."""
    return {
        "rule": f.rule,
        "name": f.name,
        "category": f.category,
        "severity": f.severity.value,
        "message": f.message,
        "hint": f.hint,
        "text": f.text,
        "page": f.page,
        "paragraph": f.paragraph,
        "sentence": f.sentence,
        "line": f.line,
        "match": f.match,
        "start": f.start,
        "end": f.end,
        "entry": f.entry,
        "sources": list(f.sources),
        "element": f.element,
        "present": f.present,
        "citation": f.citation,
    }


def element_json(e: ElementStatus) -> dict[str, Any]:
    """One element's status, with its evidence sentence when there is one."""
    s = e.sentence
    return {
        "element": e.element,
        "name": e.name,
        "status": e.status.value,
        "present": e.present,
        "text": s.text if s else None,
        "page": s.page if s else None,
        "paragraph": s.paragraph if s else None,
        "sentence": s.index if s else None,
        "via": e.via,
    }


def audit_json(result: AuditResult) -> dict[str, Any]:
    """The whole audit as JSON-ready data (``clearpact audit --format json``)."""
    document = result.document
    return {
        "file": document.source,
        "format": document.format,
        "pages": document.pages,
        "exact_pages": document.exact_pages,
        "profile": result.profile,
        "critical": result.critical,
        "lexicon_version": result.lexicon_version,
        "elements_version": result.elements_version,
        "notes": list(document.notes),
        "summary": {
            "sentences": len(result.sentences),
            "errors": result.errors,
            "warnings": result.warnings,
            "notes": len(result.findings) - result.errors - result.warnings,
            "elements_present": sum(1 for e in result.elements if e.present),
            "elements_redacted": sum(1 for e in result.elements if e.present is None),
            "elements": len(result.elements),
        },
        "findings": [finding_json(f) for f in result.findings],
        "elements": [element_json(e) for e in result.elements],
        "requirements": [
            {
                "id": r.requirement.id,
                "citation": r.requirement.citation,
                "severity": r.requirement.severity.value,
                "status": r.status.value,
                "elements": [e.element for e in r.elements],
                "summary": r.requirement.summary,
            }
            for r in result.requirements
        ],
        "terms": [
            {
                "kind": t.kind,
                "value": t.value,
                "text": t.text,
                "page": t.sentence.page,
                "sentence": t.sentence.index,
            }
            for t in result.terms.all
        ],
    }

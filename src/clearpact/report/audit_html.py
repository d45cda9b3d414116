"""The prose-contract audit as one self-contained HTML page (``clearpact audit --html FILE``):
required clauses with their citations, each finding with its sentence and the phrase marked,
every element with its evidence, and the sources the rules cite. Jinja2 autoescapes every value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from clearpact.lint.lexicon import load_lexicon
from clearpact.lint.prose import AuditResult, load_catalogue
from clearpact.lint.prose.export import audit_json

TEMPLATES = Path(__file__).parent / "templates"


def render_audit_html(result: AuditResult) -> str:
    """The audit as one HTML document (no external files)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"])
    )
    data = audit_json(result)
    sentence_findings: list[dict[str, Any]] = []
    for f in data["findings"]:
        if f["element"] is not None or not f["text"]:
            continue
        text, start, end = f["text"], f["start"], f["end"]
        if start is None or end is None:
            start = end = 0
        sentence_findings.append(
            {**f, "before": text[:start], "match": text[start:end], "after": text[end:]}
        )
    lexicon, catalogue = load_lexicon(), load_catalogue()
    cited = {s for f in data["findings"] for s in f["sources"]}
    sources = sorted((k, v) for k, v in lexicon.sources.items() if k in cited)
    sources += sorted(catalogue.sources.items())
    summary = data["summary"]
    requirements = []
    status = {e["element"]: e["status"] for e in data["elements"]}
    for r in data["requirements"]:
        requirements.append(
            {**r, "elements": [{"element": e, "status": status[e]} for e in r["elements"]]}
        )
    return env.get_template("audit.html.j2").render(
        title=result.title,
        source=data["file"],
        format=data["format"],
        pages=data["pages"],
        exact_pages=data["exact_pages"],
        profile=data["profile"],
        critical=data["critical"],
        sentences=summary["sentences"],
        errors=summary["errors"],
        warnings=summary["warnings"],
        notes=summary["notes"],
        present=summary["elements_present"],
        redacted=summary["elements_redacted"],
        element_count=summary["elements"],
        lexicon_version=data["lexicon_version"],
        elements_version=data["elements_version"],
        document_notes=data["notes"],
        requirements=requirements,
        sentence_findings=sentence_findings,
        elements=data["elements"],
        sources=sources,
    )

"""The prose-contract audit: a document in, findings per sentence, element presence and the
profile's requirements out. Pure: the caller reads the file (:mod:`clearpact.ingest.documents`)
or passes text to :func:`audit_text`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from clearpact.diagnostics import Severity
from clearpact.lint.lexicon import load_lexicon
from clearpact.lint.prose.blocks import text_blocks
from clearpact.lint.prose.definitions import (
    Definition,
    find_definitions,
    party_names,
    provider_parties,
    refers_to_external_glossary,
    undefined_terms,
)
from clearpact.lint.prose.document import BlockKind, Clause, Document, Sentence
from clearpact.lint.prose.elements import (
    ElementStatus,
    RequirementStatus,
    check_profile,
    find_elements,
    load_catalogue,
)
from clearpact.lint.prose.findings import (
    PROSE_RULES,
    ProseFinding,
    ProseRule,
    clause_findings,
    measure_findings,
    number_word_findings,
    phrase_findings,
    redaction_findings,
    undefined_term_findings,
)
from clearpact.lint.prose.sentences import structure as build_structure
from clearpact.lint.prose.terms import Terms, extract_terms, provider_name

PROFILES = ("blueprint", "dora")
_NAMES_AGREEMENT = re.compile(r"\b(agreement|contract)\b", re.I)


@dataclass(frozen=True)
class AuditResult:
    """Everything one audit found.

    ``findings`` are in reading order (sentence findings by sentence, then clause findings in
    requirement order); ``elements`` has every element of the catalogue, present, absent or
    redacted; ``requirements`` the profile's requirements (without DORA Art. 30(3) when
    ``critical`` is False).
    """

    document: Document
    profile: str
    critical: bool
    clauses: tuple[Clause, ...]
    sentences: tuple[Sentence, ...]
    findings: tuple[ProseFinding, ...]
    elements: tuple[ElementStatus, ...]
    requirements: tuple[RequirementStatus, ...]
    definitions: dict[str, Definition]
    terms: Terms
    lexicon_version: str
    elements_version: str

    @property
    def errors(self) -> int:
        """Number of error findings (any makes ``clearpact audit`` exit 1)."""
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        """Number of warning findings."""
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)

    def by_sentence(self) -> dict[int, list[ProseFinding]]:
        """The sentence findings keyed by 1-based sentence index (clause findings for absent
        elements have no sentence and are left out)."""
        found: dict[int, list[ProseFinding]] = {}
        for finding in self.findings:
            if finding.sentence is not None and finding.element is None:
                found.setdefault(finding.sentence, []).append(finding)
        return found

    def element(self, element_id: str) -> ElementStatus:
        """The status of one element by its id (``service_levels_quantitative``)."""
        for status in self.elements:
            if status.element == element_id:
                return status
        raise KeyError(element_id)

    @property
    def title(self) -> str:
        """The document's title: its first heading, else its source name."""
        for block in self.document.blocks[:5]:
            if block.kind is BlockKind.HEADING:
                return block.text
        return self.document.source


def audit_document_model(
    document: Document, *, profile: str = "blueprint", critical: bool = True
) -> AuditResult:
    """Audit a document already read into blocks (see :func:`audit_text` for text).

    ``profile`` is ``blueprint`` or ``dora`` (the blueprint plus DORA Art. 30); ``critical``
    False leaves out Art. 30(3), which applies only to ICT services supporting critical or
    important functions.
    """
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; choose one of: {', '.join(PROFILES)}")
    structure = build_structure(document)
    definitions = find_definitions(structure)
    defined = set(definitions)
    # The title block: the first heading and any heading near the top that names the agreement
    # ("Exhibit 10.8" then "HOSTING AGREEMENT"); its words are the document's name, not terms.
    headings = [b.text for b in document.blocks[:5] if b.kind is BlockKind.HEADING]
    title = " ".join(h for i, h in enumerate(headings) if i == 0 or _NAMES_AGREEMENT.search(h))
    provider = provider_name(structure)
    everyone = party_names(structure)
    parties = provider_parties(structure, everyone)
    findings: list[ProseFinding] = []
    redacted: set[int] = set()
    for sentence in structure.sentences:
        hidden = redaction_findings(sentence)
        if hidden:
            redacted.add(sentence.index)
        findings.extend(
            phrase_findings(sentence, provider=provider, parties=parties, everyone=everyone)
        )
        findings.extend(number_word_findings(sentence))
        findings.extend(measure_findings(sentence, structure, defined))
        findings.extend(hidden)
    uses = undefined_terms(structure, definitions, title)
    findings.extend(
        undefined_term_findings(uses, structure, refers_to_external_glossary(structure))
    )
    findings.sort(key=lambda f: (f.sentence or 0, f.start or 0, f.rule))
    elements = find_elements(structure, redacted)
    requirements = check_profile(profile, elements, critical=critical)
    findings.extend(clause_findings(requirements))
    service = next((e.sentence for e in elements if e.element == "service_description"), None)
    return AuditResult(
        document=document,
        profile=profile,
        critical=critical,
        clauses=structure.clauses,
        sentences=structure.sentences,
        findings=tuple(findings),
        elements=tuple(elements),
        requirements=tuple(requirements),
        definitions=definitions,
        terms=extract_terms(structure, definitions, service),
        lexicon_version=load_lexicon().version,
        elements_version=load_catalogue().version,
    )


def audit_text(
    text: str,
    *,
    profile: str = "blueprint",
    critical: bool = True,
    markdown: bool = False,
    source: str = "<text>",
) -> AuditResult:
    """Audit a contract given as plain text (form feeds separate pages; ``markdown`` reads
    ``#`` headings and ``| … |`` tables).

    >>> result = audit_text("1. SERVICES\\nThe Provider shall respond promptly.")
    >>> [(f.rule, f.category, f.match) for f in result.findings if f.sentence == 1]
    [('CP602', 'open_time', 'promptly')]
    >>> result.element("service_levels_quantitative").status.value
    'absent'
    """
    blocks = text_blocks(text, markdown=markdown)
    pages = text.count("\f") + 1
    document = Document(
        tuple(blocks), source, "markdown" if markdown else "text", pages, exact_pages=True
    )
    return audit_document_model(document, profile=profile, critical=critical)


def rules_in(profile: str) -> Iterable[ProseRule]:
    """The rules an audit with ``profile`` can report (DORA's only with ``dora``)."""
    return [r for r in PROSE_RULES.values() if profile == "dora" or r.id != "CP621"]

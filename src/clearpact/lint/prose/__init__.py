"""The prose-contract audit: vague or unmeasurable commitments, undefined terms, numbers that
disagree, redactions, and the presence of each contract element (blueprint and DORA Art. 30
profiles), with a draft agreement from the measurable terms.

Pure, like the rest of ``lint``: :func:`audit_text` takes text; reading PDF, DOCX, text and
Markdown files is :func:`clearpact.ingest.documents.audit_document`'s job. Imports the lexicon
(``lint/lexicon.yaml``), its own ``elements.yaml``, pysbd and the diagnostics vocabulary.
"""

from __future__ import annotations

from clearpact.lint.prose.audit import PROFILES, AuditResult, audit_document_model, audit_text
from clearpact.lint.prose.document import Block, BlockKind, Clause, Document, Sentence
from clearpact.lint.prose.draft import draft_agreement
from clearpact.lint.prose.elements import (
    ElementStatus,
    Presence,
    RequirementStatus,
    load_catalogue,
)
from clearpact.lint.prose.findings import PROSE_RULES, ProseFinding, ProseRule

__all__ = [
    "PROFILES",
    "PROSE_RULES",
    "AuditResult",
    "Block",
    "BlockKind",
    "Clause",
    "Document",
    "ElementStatus",
    "Presence",
    "ProseFinding",
    "ProseRule",
    "RequirementStatus",
    "Sentence",
    "audit_document_model",
    "audit_text",
    "draft_agreement",
    "load_catalogue",
]

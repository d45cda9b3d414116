"""Load the evaluation sets in ``tests/eval`` (evaluation only: never tune a detector on them).

>>> len(contract_documents()) >= 8
True
>>> all(r["doc"] in contract_documents() for r in contract_sentences())
True
"""

from __future__ import annotations

import email
import json
import re
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CONTRACTS = HERE / "contracts"
EMAILS = HERE / "emails"
EMAILS_DEV = HERE / "emails-dev"
SECOND = HERE / "second"

ELEMENTS = (
    "service_description",
    "service_levels_quantitative",
    "service_credits_or_penalties",
    "measurement_and_reporting",
    "governance_meetings",
    "escalation_path",
    "termination_rights",
    "termination_notice_period",
    "transition_or_exit_assistance",
    "data_return_on_exit",
    "data_protection_confidentiality",
    "data_location",
    "subcontracting_conditions",
    "audit_rights",
    "business_continuity_or_disaster_recovery",
    "security_requirements",
    "insurance",
    "governing_law",
    "liability_cap",
    "change_control",
)

CATEGORIES = (
    "effort",
    "open_time",
    "discretion",
    "open_cost",
    "open_scope",
    "weak_phrase",
    "number_without_context",
    "digits_words_mismatch",
    "undefined_term",
    "redacted",
)

EMAIL_KINDS = ("deliver_by", "response_time", "coverage", "guarantee", "other")

_NO_SPLIT_AFTER = {
    "e.g.",
    "i.e.",
    "inc.",
    "corp.",
    "co.",
    "ltd.",
    "no.",
    "nos.",
    "st.",
    "mr.",
    "ms.",
    "dr.",
    "u.s.",
    "a.m.",
    "p.m.",
    "etc.",
    "sec.",
    "art.",
    "v.",
    "vs.",
    "approx.",
    "esq.",
}
_BOUNDARY = re.compile(r"[.?!;](?= [A-Z0-9(\"'])")
_SECTION_NUMBER = re.compile(r"^\(?\d+(\.\d+)*\.$")
_WORD = re.compile(r"[A-Za-z]{2,}")


def normalise(text: str) -> str:
    """Every run of whitespace becomes one space; the ends are trimmed."""
    return " ".join(text.split())


def _jsonl(name: str) -> list[dict[str, Any]]:
    lines = (HERE / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def contract_documents() -> dict[str, str]:
    """Contract slug -> full file text (header comment lines included)."""
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(CONTRACTS.glob("*.txt"))}


def contract_body(text: str) -> str:
    """The contract text without the ``# `` header lines and ``# [omitted`` markers."""
    lines = text.split("\n")
    start = 0
    while start < len(lines) and lines[start].startswith("# "):
        start += 1
    kept = [line for line in lines[start:] if not line.startswith("# [omitted")]
    return "\n".join(kept)


def _ends_with_exception(piece: str) -> bool:
    last = piece.rsplit(" ", 1)[-1]
    if last.lower() in _NO_SPLIT_AFTER:
        return True
    if re.fullmatch(r"\(?[A-Za-z]\.", last):  # initials, list letters such as "A." or "b."
        return True
    return bool(_SECTION_NUMBER.match(last))


def split_sentences(text: str) -> list[str]:
    """Segment a contract body as LABELLING.md, A.1, describes."""
    sentences: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        flat = normalise(block)
        if not flat:
            continue
        start = 0
        for match in _BOUNDARY.finditer(flat):
            end = match.end()
            if _ends_with_exception(flat[start:end]):
                continue
            sentences.append(flat[start:end].strip())
            start = end + 1
        sentences.append(flat[start:].strip())
    return [s for s in sentences if _WORD.search(s)]


def contract_sentences() -> list[dict[str, Any]]:
    """Records of ``contract_sentences.jsonl``: doc, sentence, vague, category, note?"""
    return _jsonl("contract_sentences.jsonl")


def contract_elements() -> list[dict[str, Any]]:
    """Records of ``contract_elements.jsonl``: doc, element, present, evidence, note?"""
    return _jsonl("contract_elements.jsonl")


def email_files(folder: Path | None = None) -> dict[str, EmailMessage]:
    """Email file name -> parsed message (standard library ``email``, default policy), of the
    held-out set or of ``folder`` (``EMAILS_DEV``)."""
    out: dict[str, EmailMessage] = {}
    for path in sorted((folder or EMAILS).glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        assert isinstance(message, EmailMessage)
        out[path.name] = message
    return out


def email_body(message: EmailMessage) -> str:
    """The decoded plain-text body of a message."""
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    content = part.get_content()
    assert isinstance(content, str)
    return content


def email_commitments(split: str = "test") -> list[dict[str, Any]]:
    """Records of ``email_commitments.jsonl`` (held out) or ``email_commitments_dev.jsonl``
    (``split="dev"``): a commitment or ``{"file", "none": true}``."""
    return _jsonl("email_commitments_dev.jsonl" if split == "dev" else "email_commitments.jsonl")


def second_labels(kind: str) -> list[dict[str, Any]]:
    """A second labeller's records for some development contracts (``second/<slug>.<kind>.jsonl``,
    kind ``sentences`` or ``elements``), made without seeing the first labels."""
    records: list[dict[str, Any]] = []
    for path in sorted(SECOND.glob(f"*.{kind}.jsonl")):
        lines = path.read_text(encoding="utf-8").splitlines()
        records += [json.loads(line) for line in lines if line.strip()]
    return records

"""How often two labellers agree on the contract labels, beside how often the audit agrees with
the first labeller on the same contracts: the ceiling a detector's score can be read against.

    .venv/bin/python benchmarks/labeller_agreement.py

A second labeller labelled some development contracts (``tests/eval/second/``) from
``tests/eval/LABELLING.md`` without seeing the first labels. Taking the first labels as the
reference, the second labeller's precision and recall for "vague" are computed per sentence,
with Cohen's kappa; the audit's are computed the same way on the same sentences (its warnings
and errors, matched to sentences as ``benchmarks/evaluate_audit.py`` does). Categories are
compared on the sentences both labellers call vague; elements on present (or redacted) against
absent.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the root packages importable
    _ROOT = Path(__file__).resolve().parent.parent
    sys.path[:0] = [str(_ROOT / "src"), str(_ROOT)]

from benchmarks.evaluate_audit import document_flags, sentence_findings
from clearpact.lint.prose import audit_text
from tests.eval.load import (
    contract_body,
    contract_documents,
    contract_elements,
    contract_sentences,
    second_labels,
)

Pairs = list[tuple[bool, bool]]
"""(reference says yes, the other says yes) for each item."""


@dataclass(frozen=True)
class Agreement:
    """Two ways of labelling the same items, scored against the reference."""

    items: int
    reference_yes: int
    other_yes: int
    precision: float | None
    recall: float | None
    kappa: float | None

    @classmethod
    def of(cls, pairs: Pairs) -> Agreement:
        n = len(pairs)
        tp = sum(a and b for a, b in pairs)
        ref = sum(a for a, _ in pairs)
        other = sum(b for _, b in pairs)
        kappa = None
        if n:
            observed = sum(a == b for a, b in pairs) / n
            expected = (ref / n) * (other / n) + (1 - ref / n) * (1 - other / n)
            kappa = None if expected == 1 else (observed - expected) / (1 - expected)
        return cls(n, ref, other, tp / other if other else None, tp / ref if ref else None, kappa)


def _audit_pairs(docs: list[str], first: list[dict[str, object]]) -> Pairs:
    texts = contract_documents()
    pairs: Pairs = []
    for doc in docs:
        body = contract_body(texts[doc])
        findings = [
            f for f in sentence_findings(audit_text(body, source=doc)) if f[1] != "undefined_term"
        ]
        mine = [r for r in first if r["doc"] == doc]
        placed = document_flags(body, findings, [str(r["sentence"]) for r in mine])
        pairs += [(bool(r["vague"]), bool(found)) for r, found in zip(mine, placed, strict=True)]
    return pairs


def measure() -> tuple[list[str], Agreement, Agreement, float | None, int, Agreement]:
    """The contracts labelled twice; the second labeller and the audit against the first on
    "vague"; the share of same categories among sentences both call vague (and their number);
    the second labeller against the first on elements."""
    docs = sorted({str(r["doc"]) for r in second_labels("sentences")})
    second = sorted(second_labels("sentences"), key=lambda r: docs.index(str(r["doc"])))
    first = sorted(
        (r for r in contract_sentences() if r["doc"] in docs),
        key=lambda r: docs.index(str(r["doc"])),
    )
    if [(r["doc"], r["sentence"]) for r in first] != [(r["doc"], r["sentence"]) for r in second]:
        raise SystemExit("the second labels do not cover the same sentences as the first")
    pairs = list(zip(first, second, strict=True))
    labellers = Agreement.of([(bool(a["vague"]), bool(b["vague"])) for a, b in pairs])
    both = [(a["category"], b["category"]) for a, b in pairs if a["vague"] and b["vague"]]
    same_category = sum(a == b for a, b in both) / len(both) if both else None
    audit = Agreement.of(_audit_pairs(docs, first))
    e_first = {
        (r["doc"], r["element"]): r["present"] is not False
        for r in contract_elements()
        if r["doc"] in docs
    }
    e_second = {
        (r["doc"], r["element"]): r["present"] is not False for r in second_labels("elements")
    }
    elements = Agreement.of([(e_first[k], e_second[k]) for k in sorted(e_first) if k in e_second])
    return docs, labellers, audit, same_category, len(both), elements


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.0f}%"


def _k(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def main() -> int:
    docs, labellers, audit, same_category, both, elements = measure()
    print(f"{len(docs)} development contracts labelled twice: {', '.join(docs)}")
    print(
        f"  {labellers.items} sentences; vague: first labeller {labellers.reference_yes}, "
        f"second {labellers.other_yes}, audit {audit.other_yes}"
    )
    for name, a in (("second labeller", labellers), ("the audit", audit)):
        print(
            f"  {name} against the first labeller: precision {_pct(a.precision)}, "
            f"recall {_pct(a.recall)}, kappa {_k(a.kappa)}"
        )
    print(
        f"  same category on the {both} sentences both labellers call vague: {_pct(same_category)}"
    )
    print(
        f"  elements ({elements.items}): second labeller precision {_pct(elements.precision)}, "
        f"recall {_pct(elements.recall)}, kappa {_k(elements.kappa)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

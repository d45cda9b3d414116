"""Precision and recall of ``clearpact audit`` on the labelled real contracts in ``tests/eval``
(CUAD service agreements labelled from ``tests/eval/LABELLING.md``; see its README for the
counts). The rules are developed on the contracts in ``DEVELOPMENT``; the others are held out
and give the reported figures.

    .venv/bin/python benchmarks/evaluate_audit.py [--split test|dev|all] [--errors] [--json]

``--errors`` lists the wrong and missed sentences and elements, for the development split only.

Sentence level: a labelled sentence counts as flagged when the phrase a finding of ``audit_text``
reports lies in it. The two sentence splitters differ, so both are placed in the contract body
with its whitespace normalised: the audit's sentences from the line they start on, the labelled
ones in order (see ``document_flags``); a repeated legend or a lone redaction mark is then
matched where it is, not wherever its text recurs. A vague sentence is found when
any finding of any category flags it; per category, when a finding of that category does.
Elements: present / absent per contract and element (a redacted label counts as present).
The vague figures are given twice: with every finding, and without the undefined-term notes
(CP609, severity info), which are drafting notes rather than vague commitments.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the root packages importable, and
    # measure this checkout's clearpact (its src) rather than whichever one is installed
    _ROOT = Path(__file__).resolve().parent.parent
    sys.path[:0] = [str(_ROOT / "src"), str(_ROOT)]

from clearpact.lint.prose import AuditResult, audit_text
from tests.eval.load import (
    contract_body,
    contract_documents,
    contract_elements,
    contract_sentences,
    normalise,
)

DEVELOPMENT = frozenset(
    {
        "bangi-deep-managed-hosting",
        "bluefly-ibm-hosting",
        "diplomat-tadeo-online-hosting",
        "egain-eliance-hosting",
        "mmmw-mts-infrastructure-maintenance",
        "corio-license-hosting",
        "centrack-web-site-hosting",
        "bnl-financial-outsourcing",
        "atn-maintenance",
        "changepoint-license-hosting",
        "aspirity-outsourcing",
        "suntron-maintenance",
        "bolivar-visp-hosting",
        "galacticomm-web-hosting",
        "inktomi-software-hosting",
        "on2-support-maintenance",
        "slovak-wireless-sicap-maintenance",
        "ofg-bancorp-outsourcing",
        "kubient-master-services",
        "summafour-software-maintenance",
        "dragon-systems-outsourcing",
        "elandia-outsourcing",
        "sfg-software-maintenance",
        "nexstar-outsourcing",
        "paxmedica-master-services",
        "ability-services",
        "oasys-mobile-outsourcing",
        "nice-outsourcing",
        "sparkling-spring-software-maintenance",
        "telkom-licence-maintenance",
        "federated-services",
        "blackstone-service",
        "uagh-maintenance",
        "startec-construction-maintenance",
        "smith-fleet-maintenance",
        "spi-energy-operations-maintenance",
        "bloom-energy-maintenance",
        "azul-maintenance",
        "ferroglobe-outsourcing",
        "gpaq-services",
        "herimports-maintenance",
        "imperial-garden-outsourcing",
        "paratek-outsourcing",
        "pareteum-hosting",
        "photronics-outsourcing",
        "quantum-group-hosting",
        "reynolds-services",
        "sandridge-operations-maintenance",
        "sykes-health-plan-outsourcing",
        "teleglobe-construction-maintenance",
        "transmontaigne-services",
        "verizon-abs-services",
        "vitalibis-hosting",
        "merit-life-master-services",
        "oaktree-services",
        "opera-services",
        "rise-education-services",
        "vertex-energy-operation-maintenance",
        "zond-wind-management-maintenance",
        "cardlytics-maintenance",
        "solutions-vending-services",
    }
)
"""Contracts the rules may be tuned on (``--split dev``); the others are held out (``--split
test``) and are reported as the figures."""

CATEGORY = {
    "effort": "effort",
    "open_time": "open_time",
    "subjective": "weak_phrase",
    "open_scope": "open_scope",
    "discretion": "discretion",
    "open_cost": "open_cost",
    "number_without_basis": "number_without_context",
    "number_words": "digits_words_mismatch",
    "undefined_term": "undefined_term",
    "redacted": "redacted",
}
"""The audit's categories → the labelling guide's."""


Finding = tuple[str, str, int, int, int | None]
"""A finding as the evaluation sees it: its normalised sentence, its category (the guide's), the
span of the reported phrase in that normalised sentence, and the source line the sentence starts
on (None when unknown)."""


def _normalised_span(text: str, start: int | None, end: int | None) -> tuple[str, int, int]:
    """``text`` normalised as :func:`normalise` does, and ``start``–``end`` moved with it (the
    whole sentence when the finding has no span)."""
    flat = normalise(text)
    if start is None or end is None:
        return flat, 0, len(flat)
    lead = len(text) - len(text.lstrip())
    a = len(normalise(text[:start])) + (1 if start > lead and text[start - 1].isspace() else 0)
    b = a + len(normalise(text[start:end]))
    return flat, a, b


def flags(
    findings: list[Finding], sentence: str, claimed: set[tuple[int, str]] | None = None
) -> set[str]:
    """Categories of the findings whose text lies in ``sentence`` (where a finding is, is not
    known: :func:`document_flags` places them).

    A text repeats a sentence (a running legend, a table row) where the audit, which drops page
    furniture, may report it once. Pass the same ``claimed`` set for every sentence of one
    document, in order, and a finding counts for one occurrence of a repeated sentence only:

    >>> found: list[Finding] = [("***Legend.", "redacted", 0, 3, None)]
    >>> claimed: set[tuple[int, str]] = set()
    >>> flags(found, "***Legend.", claimed), flags(found, "***Legend.", claimed)
    ({'redacted'}, set())
    """
    mine = normalise(sentence)
    found = set()
    for number, (text, category, start, end, _) in enumerate(findings):
        if not text or (claimed is not None and (number, mine) in claimed):
            continue
        inside = text in mine
        at = -1 if inside else text.find(mine)
        while not inside and at >= 0:
            inside = at <= start and end <= at + len(mine)
            at = text.find(mine, at + 1)
        if inside:
            found.add(category)
            if claimed is not None:
                claimed.add((number, mine))
    return found


def document_flags(body: str, findings: list[Finding], sentences: list[str]) -> list[set[str]]:
    r"""For each labelled sentence of ``body`` (in order), the categories of the findings whose
    reported phrase lies in it.

    Both the labelled sentences and the audit's sentences are found in the body with its
    whitespace normalised (the audit's from the line it reports, the labels one after another),
    so a finding flags the one occurrence it is in, even when a sentence or a short redaction
    mark repeats. A finding that cannot be placed (its sentence is not the body's text) falls
    back to :func:`flags`.

    >>> body = "***\n\nThe fee is *** per site.\n\nLegend: *** marks omitted text."
    >>> found: list[Finding] = [("The fee is *** per site.", "redacted", 11, 14, 3)]
    >>> document_flags(body, found, ["***", "The fee is *** per site.", "Legend: *** marks omitted text."])
    [set(), {'redacted'}, set()]
    """
    words: list[str] = []
    line_start: dict[int, int] = {}
    offset = 0
    for number, source_line in enumerate(body.split("\n"), 1):
        line_start[number] = offset
        for word in source_line.split():
            words.append(word)
            offset += len(word) + 1
    flat = " ".join(words)
    placed: list[tuple[int, str]] = []
    loose: list[Finding] = []
    for finding in findings:
        text, category, start, _, line = finding
        at = -1
        if text and line is not None and line in line_start:
            at = flat.find(text, max(0, line_start[line] - 1))
            if at > line_start.get(line + 1, len(flat)):
                at = -1
        if at >= 0:
            placed.append((at + start, category))
        else:
            loose.append(finding)
    result: list[set[str]] = []
    cursor = 0
    claimed: set[tuple[int, str]] = set()
    for sentence in sentences:
        mine = normalise(sentence)
        at = flat.find(mine, cursor)
        found = flags(loose, sentence, claimed)
        if at < 0:
            found |= flags(findings, sentence)
        else:
            cursor = at + 1
            found |= {category for where, category in placed if at <= where < at + len(mine)}
        result.append(found)
    return result


def _scores(tp: int, fp: int, fn: int) -> dict[str, Any]:
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    f1 = (
        2 * precision * recall / (precision + recall)
        if precision is not None and recall is not None and precision + recall
        else None
    )
    return {"tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "f1": f1}


def sentence_findings(result: AuditResult) -> list[Finding]:
    """The audit's findings in sentences (clause checks left out), as the evaluation sees them:
    normalised sentence, the guide's category, and the span of the reported phrase."""
    found: list[Finding] = []
    for f in result.findings:
        if f.element is None and f.text:
            flat, start, end = _normalised_span(f.text, f.start, f.end)
            found.append((flat, CATEGORY.get(f.category, f.category), start, end, f.line))
    return found


def evaluate(split: str = "all") -> dict[str, Any]:
    documents = {
        slug: text
        for slug, text in contract_documents().items()
        if split == "all" or (slug in DEVELOPMENT) == (split == "dev")
    }
    findings: dict[str, list[Finding]] = {}
    elements: dict[tuple[str, str], bool] = {}
    for slug, text in documents.items():
        result = audit_text(contract_body(text), source=slug)
        findings[slug] = sentence_findings(result)
        for status in result.elements:
            elements[(slug, status.element)] = status.status != "absent"
    vague = Counter[str]()
    vague_without_notes = Counter[str]()
    per_category: dict[str, Counter[str]] = {}
    errors: list[dict[str, Any]] = []
    labels = [label for label in contract_sentences() if label["doc"] in documents]
    placed = {
        slug: iter(
            document_flags(
                contract_body(text),
                findings[slug],
                [str(label["sentence"]) for label in labels if label["doc"] == slug],
            )
        )
        for slug, text in documents.items()
    }
    for label in labels:
        flagged = next(placed[label["doc"]])
        truth = bool(label["vague"])
        outcome = "tp" if truth and flagged else "fp" if flagged else "fn" if truth else "tn"
        vague[outcome] += 1
        warned = bool(flagged - {"undefined_term"})
        vague_without_notes[
            "tp" if truth and warned else "fp" if warned else "fn" if truth else "tn"
        ] += 1
        if outcome in ("fp", "fn") or (truth and label["category"] not in flagged):
            errors.append(
                {
                    "doc": label["doc"],
                    "outcome": outcome,
                    "label": label["category"],
                    "flagged": sorted(flagged),
                    "sentence": label["sentence"],
                }
            )
        cats = set(CATEGORY.values())
        for category in cats:
            counts = per_category.setdefault(category, Counter())
            said = category in flagged
            real = truth and label["category"] == category
            counts["tp" if real and said else "fp" if said else "fn" if real else "tn"] += 1
    presence = Counter[str]()
    element_errors: list[dict[str, Any]] = []
    per_element: dict[str, Counter[str]] = {}
    for label in contract_elements():
        if label["doc"] not in documents:
            continue
        truth = label["present"] is not False
        said = elements.get((label["doc"], label["element"]), False)
        key = "tp" if truth and said else "fp" if said else "fn" if truth else "tn"
        presence[key] += 1
        if key in ("fp", "fn"):
            element_errors.append(
                {"doc": label["doc"], "element": label["element"], "outcome": key}
            )
        per_element.setdefault(label["element"], Counter())[key] += 1
    return {
        "split": split,
        "documents": len(documents),
        "sentences": sum(vague.values()),
        "vague": _scores(vague["tp"], vague["fp"], vague["fn"]),
        "vague_without_undefined_term_notes": _scores(
            vague_without_notes["tp"], vague_without_notes["fp"], vague_without_notes["fn"]
        ),
        "categories": {
            c: _scores(n["tp"], n["fp"], n["fn"]) for c, n in sorted(per_category.items())
        },
        "elements": _scores(presence["tp"], presence["fp"], presence["fn"])
        | {
            "tn": presence["tn"],
            "accuracy": (presence["tp"] + presence["tn"]) / sum(presence.values()),
        },
        "per_element": {
            e: _scores(n["tp"], n["fp"], n["fn"]) | {"tn": n["tn"]}
            for e, n in sorted(per_element.items())
        },
        "errors": errors,
        "element_errors": element_errors,
    }


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.0f}%"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--errors",
        action="store_true",
        help="list the wrong and missed sentences and elements (development split only)",
    )
    parser.add_argument(
        "--split",
        choices=["test", "dev", "all"],
        default="test",
        help="held-out contracts (the figures), development contracts, or all",
    )
    args = parser.parse_args(argv)
    if args.errors and args.split != "dev":
        parser.error("--errors lists mistakes on the development contracts only (--split dev)")
    figures = evaluate(args.split)
    v = figures["vague"]
    print(
        f"{args.split}: {figures['documents']} contracts; vague commitments "
        f"({figures['sentences']:,} sentences, {v['tp'] + v['fn']} vague): "
        f"precision {_pct(v['precision'])}, recall {_pct(v['recall'])}, F1 {_pct(v['f1'])}"
    )
    w = figures["vague_without_undefined_term_notes"]
    print(
        f"  without the undefined-term notes (CP609): precision {_pct(w['precision'])}, "
        f"recall {_pct(w['recall'])}, F1 {_pct(w['f1'])}"
    )
    for category, s in figures["categories"].items():
        print(
            f"  {category:24} labelled {s['tp'] + s['fn']:>3}  flagged {s['tp'] + s['fp']:>3}  "
            f"precision {_pct(s['precision']):>4}  recall {_pct(s['recall']):>4}"
        )
    e = figures["elements"]
    print(
        f"clause presence ({20 * figures['documents']} labels): precision {_pct(e['precision'])}, recall "
        f"{_pct(e['recall'])}, F1 {_pct(e['f1'])}, accuracy {_pct(e['accuracy'])}"
    )
    for element, s in figures["per_element"].items():
        print(
            f"  {element:42} present {s['tp'] + s['fn']:>3}  found {s['tp'] + s['fp']:>3}  "
            f"precision {_pct(s['precision']):>4}  recall {_pct(s['recall']):>4}"
        )
    if args.errors:
        for error in figures["errors"]:
            print(
                f"{error['outcome']} label={error['label']} flagged={','.join(error['flagged']) or '-'} "
                f"[{error['doc']}] {error['sentence']}"
            )
        for error in figures["element_errors"]:
            print(f"element {error['outcome']} {error['element']} [{error['doc']}]")
    if not args.json:
        figures.pop("errors")
        figures.pop("element_errors")
    if args.json:
        print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Precision and recall of the commitments ``clearpact gaps`` finds, on the labelled real
e-mails in ``tests/eval`` (Enron messages labelled from ``tests/eval/LABELLING.md``): the
held-out set (``emails/``, never used to develop the rules) or the development set
(``emails-dev/``).

    .venv/bin/python benchmarks/evaluate_gaps.py [--split test|dev] [--errors] [--json]

A found commitment matches a labelled one of the same file when one sentence contains the
other after whitespace is normalised; the kind is scored on the matched pairs.
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

from clearpact.gaps import find_commitments
from clearpact.ingest.emails import read_email_file
from tests.eval.load import EMAILS, EMAILS_DEV, email_commitments, normalise


def _same(a: str, b: str) -> bool:
    return bool(a) and bool(b) and (a in b or b in a)


def evaluate(split: str = "test", *, errors: bool = False) -> dict[str, Any]:
    folder = EMAILS_DEV if split == "dev" else EMAILS
    labels: dict[str, list[dict[str, Any]]] = {}
    mistakes: list[str] = []
    for record in email_commitments(split):
        labels.setdefault(record["file"], [])
        if not record.get("none"):
            labels[record["file"]].append(record)
    found_total = matched_found = matched_labels = 0
    kinds = Counter[str]()
    for name, wanted in sorted(labels.items()):
        email = read_email_file(folder / name)
        found = [c for message in email.messages for c in find_commitments(message)]
        texts = [normalise(c.text) for c in found]
        found_total += len(found)
        matched_found += sum(any(_same(t, normalise(w["sentence"])) for w in wanted) for t in texts)
        if errors:
            for c, t in zip(found, texts, strict=True):
                if not any(_same(t, normalise(w["sentence"])) for w in wanted):
                    mistakes.append(f"fp {c.kind} [{name}] {t}")
            for w in wanted:
                if not any(_same(t, normalise(w["sentence"])) for t in texts):
                    mistakes.append(f"fn {w['kind']} [{name}] {normalise(w['sentence'])}")
        for w in wanted:
            pair = next(
                (
                    c
                    for c, t in zip(found, texts, strict=True)
                    if _same(t, normalise(w["sentence"]))
                ),
                None,
            )
            if pair is not None:
                matched_labels += 1
                kinds["same kind" if str(pair.kind) == w["kind"] else "other kind"] += 1
    labelled = sum(len(w) for w in labels.values())
    precision = matched_found / found_total if found_total else None
    recall = matched_labels / labelled if labelled else None
    return {
        "split": split,
        "mistakes": mistakes,
        "emails": len(labels),
        "labelled": labelled,
        "found": found_total,
        "precision": precision,
        "recall": recall,
        "kind_agreement": kinds["same kind"] / matched_labels if matched_labels else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--split",
        choices=["test", "dev"],
        default="test",
        help="the held-out e-mails (the figures) or the development e-mails",
    )
    parser.add_argument(
        "--errors", action="store_true", help="list wrong and missed sentences (--split dev only)"
    )
    args = parser.parse_args(argv)
    if args.errors and args.split != "dev":
        parser.error("--errors lists mistakes on the development e-mails only (--split dev)")
    f = evaluate(args.split, errors=args.errors)
    for line in f.pop("mistakes"):
        print(line)

    def pct(value: float | None) -> str:
        return "—" if value is None else f"{100 * value:.0f}%"

    print(
        f"{f['split']}: {f['emails']} e-mails, {f['labelled']} labelled commitments, {f['found']} found: "
        f"precision {pct(f['precision'])}, recall {pct(f['recall'])}, "
        f"kind agrees on {pct(f['kind_agreement'])} of the matched"
    )
    if args.json:
        print(json.dumps(f))
    return 0


if __name__ == "__main__":
    sys.exit(main())

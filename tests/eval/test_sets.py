"""The evaluation sets are well-formed and match the counts in their README.

These checks read only the files' structure; they say nothing about any detector.
"""

from __future__ import annotations

import email
import json
import re
from collections import Counter
from email import policy
from pathlib import Path
from typing import Any

import pytest

from tests.eval import load

HEADER_KEYS = ("# source:", "# licence:", "# retrieved via:")


def _readme_counts() -> dict[str, Any]:
    text = (load.HERE / "README.md").read_text(encoding="utf-8")
    match = re.search(
        r"<!-- counts: begin -->\s*```json\n(.*?)```\s*<!-- counts: end -->", text, re.S
    )
    assert match, "README.md lacks the counts block"
    counts: dict[str, Any] = json.loads(match.group(1))
    return counts


def test_contract_files_have_headers_and_stay_small() -> None:
    docs = load.contract_documents()
    assert len(docs) >= 8
    total = 0
    for slug, text in docs.items():
        head = text.split("\n", 8)[:8]
        for key in HEADER_KEYS:
            assert any(line.startswith(key) for line in head), (slug, key)
        assert any("clearpact library index, 2026-11-30" in line for line in head), slug
        total += len(text.encode("utf-8"))
    emails_size = sum(p.stat().st_size for p in load.EMAILS.iterdir())
    assert total + emails_size < 3_000_000


def test_every_contract_sentence_is_in_its_document_in_order() -> None:
    docs = load.contract_documents()
    records = load.contract_sentences()
    by_doc: dict[str, list[str]] = {}
    for record in records:
        assert record["doc"] in docs, record
        sentence = record["sentence"]
        assert sentence == load.normalise(sentence), record
        assert sentence in load.normalise(load.contract_body(docs[record["doc"]])), record
        by_doc.setdefault(record["doc"], []).append(sentence)
    assert set(by_doc) == set(docs)
    for slug, text in docs.items():
        assert by_doc[slug] == load.split_sentences(load.contract_body(text)), slug


def test_contract_sentence_labels_are_consistent() -> None:
    for record in load.contract_sentences():
        assert set(record) <= {"doc", "sentence", "vague", "category", "note"}, record
        assert isinstance(record["vague"], bool), record
        if record["vague"]:
            assert record["category"] in load.CATEGORIES, record
        else:
            assert record["category"] is None, record
        assert "note" not in record or (isinstance(record["note"], str) and record["note"])


def test_contract_elements_cover_every_document_and_element() -> None:
    docs = load.contract_documents()
    sentences: dict[str, set[str]] = {}
    for record in load.contract_sentences():
        sentences.setdefault(record["doc"], set()).add(record["sentence"])
    seen: Counter[tuple[str, str]] = Counter()
    for record in load.contract_elements():
        assert set(record) <= {"doc", "element", "present", "evidence", "note"}, record
        assert record["doc"] in docs, record
        assert record["element"] in load.ELEMENTS, record
        assert record["present"] in (True, False, "redacted"), record
        if record["present"] is False:
            assert record["evidence"] is None, record
        else:
            assert record["evidence"] in sentences[record["doc"]], record
        seen[(record["doc"], record["element"])] += 1
    assert set(seen) == {(d, e) for d in docs for e in load.ELEMENTS}
    assert set(seen.values()) == {1}


@pytest.mark.parametrize("folder", [load.EMAILS, load.EMAILS_DEV], ids=["test", "dev"])
def test_every_email_parses_with_the_standard_library(folder: Path) -> None:
    paths = sorted(folder.glob("*.eml"))
    assert paths
    sources = (folder / "SOURCES.md").read_text(encoding="utf-8")
    for path in paths:
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        assert not message.defects, (path.name, message.defects)
        for header in ("From", "Date", "Subject", "Message-ID"):
            assert header in message, (path.name, header)  # one real Subject is empty
        assert message["From"].addresses, path.name
        assert message["Date"].datetime is not None, path.name
        assert isinstance(load.email_body(message), str), path.name
        assert f"`{path.name}`" in sources, path.name
        assert message["Message-ID"].strip() in sources, path.name


@pytest.mark.parametrize("split", ["test", "dev"])
def test_email_labels_cover_every_file_once(split: str) -> None:
    messages = load.email_files(load.EMAILS_DEV if split == "dev" else None)
    records = load.email_commitments(split)
    kinds: dict[str, list[str]] = {}
    for record in records:
        name = record["file"]
        assert name in messages, record
        if record.get("none"):
            assert set(record) <= {"file", "none", "note"}, record
            assert name not in kinds, name
            kinds[name] = []
            continue
        assert set(record) <= {"file", "sentence", "kind", "time_expression", "sender", "note"}
        assert kinds.get(name, [None]) != [], name  # no commitments after a "none" record
        message = messages[name]
        body = load.normalise(load.email_body(message))
        assert record["sentence"] == load.normalise(record["sentence"]), record
        assert record["sentence"] in body, record
        assert record["kind"] in load.EMAIL_KINDS, record
        time_expression = record["time_expression"]
        assert time_expression is None or time_expression in record["sentence"], record
        assert record["sender"] == message["From"].addresses[0].addr_spec, record
        kinds.setdefault(name, []).append(record["kind"])
    assert set(kinds) == set(messages)


def test_counts_match_the_readme() -> None:
    counts = _readme_counts()
    sentences = load.contract_sentences()
    vague = [r for r in sentences if r["vague"]]
    elements = load.contract_elements()
    commitments = [r for r in load.email_commitments() if not r.get("none")]
    without = [r for r in load.email_commitments() if r.get("none")]
    actual = {
        "contract_documents": len(load.contract_documents()),
        "contract_sentences": len(sentences),
        "contract_vague": len(vague),
        "contract_categories": dict(Counter(r["category"] for r in vague)),
        "contract_elements": len(elements),
        "elements_present": sum(r["present"] is True for r in elements),
        "elements_absent": sum(r["present"] is False for r in elements),
        "elements_redacted": sum(r["present"] == "redacted" for r in elements),
        "email_files": len(load.email_files()),
        "email_files_with_commitments": len({r["file"] for r in commitments}),
        "email_files_without": len(without),
        "email_commitments": len(commitments),
        "email_kinds": {k: sum(r["kind"] == k for r in commitments) for k in load.EMAIL_KINDS},
        "dev_email_files": len(load.email_files(load.EMAILS_DEV)),
        "dev_email_commitments": sum(not r.get("none") for r in load.email_commitments("dev")),
    }
    expected = dict(counts)
    expected["contract_categories"] = {k: v for k, v in counts["contract_categories"].items() if v}
    assert actual == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("See Sec. 4 of the Plan. It applies.", ["See Sec. 4 of the Plan.", "It applies."]),
        (
            "1. Scope. The Services apply; (a) first",
            ["1. Scope.", "The Services apply;", "(a) first"],
        ),
        ("3\n\n----\n\nA. Smith signs here.", ["A. Smith signs here."]),
    ],
)
def test_splitter_follows_the_guide(text: str, expected: list[str]) -> None:
    assert load.split_sentences(text) == expected


def test_second_labels_cover_the_same_sentences_and_elements_as_the_first() -> None:
    second = load.second_labels("sentences")
    docs = {r["doc"] for r in second}
    assert docs, "no second labels"
    texts = load.contract_documents()
    for doc in docs:
        mine = [r["sentence"] for r in second if r["doc"] == doc]
        assert mine == load.split_sentences(load.contract_body(texts[doc])), doc
    for record in second:
        assert record["vague"] == (record["category"] is not None), record
        assert record["category"] is None or record["category"] in load.CATEGORIES, record
    elements = load.second_labels("elements")
    assert {(r["doc"], r["element"]) for r in elements} == {
        (d, e) for d in docs for e in load.ELEMENTS
    }

"""Blocks, clauses and sentences: what contracts add to sentence splitting."""

from __future__ import annotations

import pytest

from clearpact.lint.prose.blocks import looks_like_heading, pdf_blocks, text_blocks
from clearpact.lint.prose.document import BlockKind, Document
from clearpact.lint.prose.sentences import Structure, split_text, structure


def sentences_of(text: str, *, markdown: bool = False) -> list[str]:
    return [s.text for s in parse(text, markdown=markdown).sentences]


def parse(text: str, *, markdown: bool = False) -> Structure:
    return structure(Document(tuple(text_blocks(text, markdown=markdown))))


@pytest.mark.parametrize(
    "text",
    [
        "As set out in Sec. 4.2 the Provider shall act.",
        "Under Art. 30(2)(a) of the Regulation the description is complete.",
        "Backups, e.g. daily snapshots, are kept for 90 days.",
        "Services, i.e. the helpdesk and patching, start on 1 May.",
        "Printers, scanners etc. are in scope for the Customer.",
        "The support window closes at 5 p.m. UK time on Fridays.",
        "Acme Inc. and its affiliates receive the Services.",
        "Availability is 99.9% in each month, per No. 5 of Annex 2.",
    ],
)
def test_abbreviations_and_numbers_do_not_end_a_sentence(text: str) -> None:
    assert sentences_of(text) == [text]


def test_two_sentences_split_and_keep_their_exact_words() -> None:
    text = "The Provider shall respond within 4 hours.  The Customer pays EUR 1,200.50 per month."
    assert [text[a:b] for a, b in split_text(text)] == [
        "The Provider shall respond within 4 hours.",
        "The Customer pays EUR 1,200.50 per month.",
    ]


def test_numbered_clauses_build_a_tree_with_titles() -> None:
    parsed = parse(
        "4. SERVICE LEVELS\n"
        "4.1 Availability. The Provider shall ensure 99.9% availability.\n"
        "4.2 The Provider shall report monthly.\n"
        "5. FEES\n"
        "The Customer pays monthly."
    )
    labels = [(c.label, c.parent) for c in parsed.clauses[1:]]
    assert labels == [
        ("4 SERVICE LEVELS", None),
        ("4.1 Availability", 1),
        ("4.2", 1),
        ("5 FEES", None),
    ]
    first = parsed.sentences[0]
    assert (
        first.text == "The Provider shall ensure 99.9% availability."
    )  # number and title left out
    assert parsed.clause_of(first).number == "4.1"
    assert [s.text for s in parsed.section_of(first)] == [
        "The Provider shall ensure 99.9% availability.",
        "The Provider shall report monthly.",
    ]


def test_list_items_under_a_colon_stay_in_their_clause_and_keep_the_lead_in() -> None:
    parsed = parse(
        "3. SUPPORT\nThe Provider shall:\n1. answer the phone;\n2. log every call.\n(a) and keep records."
    )
    assert [c.label for c in parsed.clauses[1:]] == ["3 SUPPORT"]
    items = parsed.sentences[1:]
    assert [s.text for s in items] == ["answer the phone;", "log every call.", "and keep records."]
    assert {s.lead_in for s in items} == {"The Provider shall:"}


def test_markdown_headings_tables_and_emphasis_are_read() -> None:
    blocks = text_blocks(
        "## 2. Services\n\n**Scope.** The *Provider* shall act.\n\n| P | Response |\n|---|---|\n| P1 | 1 hour |\n",
        markdown=True,
    )
    assert [(b.kind, b.text, b.line) for b in blocks] == [
        (BlockKind.HEADING, "2. Services", 1),
        (BlockKind.PARAGRAPH, "Scope. The *Provider* shall act.", 3),
        (BlockKind.TABLE_ROW, "P | Response", 5),
        (BlockKind.TABLE_ROW, "P1 | 1 hour", 7),
    ]


def test_redaction_stars_survive_markdown_emphasis() -> None:
    assert sentences_of("A credit of [***] applies.", markdown=True) == [
        "A credit of [***] applies."
    ]


def test_form_feeds_are_pages_and_lines_count_from_one() -> None:
    parsed = parse("First page text.\n\fSecond page text.\nStill page two.")
    assert [(s.page, s.line) for s in parsed.sentences] == [(1, 1), (2, 2), (2, 3)]


def test_wrapped_lines_join_into_one_paragraph_until_a_short_closing_line() -> None:
    text = (
        "The Provider shall respond to every incident reported through the portal within the\n"
        "targets set out below and keep the Customer informed.\n"
        "The Customer shall report incidents through the portal only and never by e-mail to\n"
        "an engineer."
    )
    blocks = text_blocks(text)
    assert [b.text[:20] for b in blocks] == ["The Provider shall r", "The Customer shall r"]


def test_pdf_pages_drop_running_headers_and_page_numbers_and_join_split_paragraphs() -> None:
    pages = [
        "ACME MSA\nThe Provider shall respond to every incident within the targets and keep\n1",
        "ACME MSA\nthe Customer informed of progress.\nThe Customer pays.\n2",
        "ACME MSA\nThe end.\n3",
    ]
    blocks = pdf_blocks(pages)
    assert [(b.page, b.text) for b in blocks] == [
        (
            1,
            "The Provider shall respond to every incident within the targets and keep the Customer informed of progress.",
        ),
        (2, "The Customer pays."),
        (3, "The end."),
    ]


def test_a_paragraph_in_capitals_cut_inside_a_word_is_one_block_across_pages() -> None:
    # A disclaimer in capitals, hyphenated by the typesetter: a line that ends inside a word
    # ("AGREE-") is no heading, and a page that ends inside a word continues on the next one.
    pages = [
        "EXCEPT AS STATED ABOVE, THE PROVIDER'S OBLIGATIONS UNDER THIS AGREE-\n"
        "MENT ARE IN LIEU OF ALL OTHER WARRANTIES, INCLUDING, WITHOUT LIMITATION, ANY WARRAN-",
        "TY OF FITNESS. THE END.",
    ]
    blocks = pdf_blocks(pages)
    assert [(b.page, b.kind.value) for b in blocks] == [(1, "paragraph")]
    assert blocks[0].text.startswith("EXCEPT AS STATED ABOVE, THE PROVIDER'S OBLIGATIONS UNDER")
    assert blocks[0].text.endswith(
        "ANY WARRAN-TY OF FITNESS. THE END."
    )  # which hyphen is whose, capitals do not tell


@pytest.mark.parametrize(
    ("pages", "texts"),
    [
        # a defined term or a party in capitals whose sentence goes on in lower case
        (
            ["The following terms apply.\nRPO\nmeans the recovery point objective of 4 hours."],
            ["The following terms apply. RPO means the recovery point objective of 4 hours."],
        ),
        (
            ["Services.\nNORDLICHT CLOUD GMBH\nshall provide the services in Schedule 1."],
            ["Services. NORDLICHT CLOUD GMBH shall provide the services in Schedule 1."],
        ),
        # a page that ends inside a word: a soft hyphen, or a hyphen before a line that would
        # otherwise read as a heading
        (
            ["The Provider shall act as desig\u00ad", "nated by the Customer."],
            ["The Provider shall act as designated by the Customer."],
        ),
        (
            ["(a) compliance with Anti-", "Bribery Laws; and"],
            ["(a) compliance with Anti-Bribery Laws; and"],
        ),
        # where the typesetter marks its own hyphens (U+2010), a "-" at a line end is the
        # word's own: "decision-making" stays whole
        (
            [
                "Representatives with decision-\nmaking authority shall meet. The pro\u2010\nvider acts."
            ],
            ["Representatives with decision-making authority shall meet. The provider acts."],
        ),
    ],
)
def test_pdf_lines_join_into_the_words_and_sentences_they_were(
    pages: list[str], texts: list[str]
) -> None:
    from clearpact.ingest.documents import _plain

    assert [b.text for b in pdf_blocks([_plain(page) for page in pages])] == texts


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("SCHEDULE 2 – SERVICE LEVELS", True),
        ("Schedule 2 Service Levels", True),
        ("12.3 Limitation of Liability", True),
        ("Definitions", True),
        ("The Provider shall act.", False),
        ("P1 Critical 30 minutes 4 hours", False),
        ("the service levels apply", False),
    ],
)
def test_headings_are_short_lines_that_name_a_section(line: str, heading: bool) -> None:
    assert looks_like_heading(line) is heading


@pytest.mark.parametrize(
    ("paragraph", "sentence"),
    [
        ("24 x 7 emergency phone support.", "24 x 7 emergency phone support."),
        ("30 days' notice is required.", "30 days' notice is required."),
        ("5 Business Days apply.", "5 Business Days apply."),
        ("24 X 7 support is given.", "24 X 7 support is given."),
        ("9 AM - 5 PM EST is the support window.", "9 AM - 5 PM EST is the support window."),
        ("2 (two) hours' notice is required.", "2 (two) hours' notice is required."),
        ("5 Business Continuity plans are kept.", "Business Continuity plans are kept."),
        ("12 Term of the Agreement runs one year.", "Term of the Agreement runs one year."),
        ("4.2 The Provider shall act.", "The Provider shall act."),
    ],
)
def test_a_leading_number_is_a_marker_only_before_a_capitalised_word(
    paragraph: str, sentence: str
) -> None:
    assert sentences_of(paragraph) == [sentence]


def test_no_words_vanish_between_sentences() -> None:
    text = "First one. (a) Second one. Third one without end"
    spans = split_text(text)
    assert "".join(text[a:b] for a, b in spans).replace(" ", "") == text.replace(" ", "")


def test_a_wrapped_line_that_starts_with_a_priority_stays_in_its_paragraph() -> None:
    text = (
        "The Provider shall acknowledge every incident within the targets below and respond to\n"
        "P1 incidents within one hour of the first call from the Customer's service desk staff.\n"
        "P1 30 minutes 4 hours"
    )
    assert [b.text[:16] for b in text_blocks(text)] == ["The Provider sha", "P1 30 minutes 4 "]


def test_a_very_long_paragraph_is_split_like_a_short_one() -> None:
    sentence = "The Provider shall respond to every request under Sec. 4.2, e.g. by phone."
    spans = split_text(" ".join([sentence] * 120))  # about 9,000 characters in one block
    assert len(spans) == 120
    assert {(b - a) for a, b in spans} == {len(sentence)}

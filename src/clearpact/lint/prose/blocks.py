"""Plain text into blocks: paragraphs, headings, list items and table rows, with pages and lines.

Used for text and Markdown files, for what a PDF's text layer gives per page, and by
:func:`clearpact.lint.prose.audit_text`. Pure: strings in, :class:`Block` values out.

The rules, in order, for each line: a blank line ends a paragraph; a Markdown heading (``#``) or
a table row (``| … |``) is a block of its own; a line that opens with a clause number
(``4.2``), a list marker (``(a)``, ``-``, ``1)``) or a heading word (``Schedule 2``) starts a
block; a short line without closing punctuation, in capitals or title case, standing alone, is
a heading; a line that opens with a priority and holds two durations (``P1 30 minutes 4
hours``, a table row a PDF flattened) starts a block; in wrapped text (PDF pages, hard-wrapped files) a line that ends a
sentence well short of the page width ends its paragraph. A form feed starts a new page.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace

from clearpact.lint.prose.document import Block, BlockKind

COUNTED = (
    r"\s+(?:\([\w\s-]{1,30}\)\s+)?(?i:x|percent|per|a\.?m\.?|p\.?m\.?|hours?|days?|minutes?|"
    r"weeks?|months?|years?|(?:business|working|calendar)\s+(?:days?|hours?))(?!\w)"
)
"""What follows a number that counts something: ``24 x 7``, ``9 AM``, ``2 (two) hours``,
``5 Business Days``; such a number starting a line is neither a clause number nor a list marker."""
CLAUSE_NUMBER = re.compile(
    r"^(\d{1,3}(?:\.\d{1,3})*)\.?(?=\s+[A-Z(“\"‘'])"
    rf"(?!(?:(?<=^\d)|(?<=^\d\d)|(?<=^\d\d\d)){COUNTED})"
)
"""A clause number at the start of a line, before a capital or a bracket: ``4``, ``4.``,
``4.2``, ``4.2.1`` (``4 hours`` at the start of a wrapped line is not one, nor is the ``5`` of
``5 Business Days``)."""

_HEADING_WORD = re.compile(
    r"^(schedule|annex|appendix|exhibit|attachment|article|section|clause|part)\s+"
    r"(\d+(\.\d+)*|[A-Z]{1,4}|[IVX]+)\b",
    re.IGNORECASE,
)
_LIST_MARKER = re.compile(
    r"^\s*([-*•·▪◦–]|\(\s*[a-z]{1,4}\s*\)|\(\s*\d{1,2}\s*\)|[a-z]\)|\d{1,2}\)|[a-z]\.(?=\s)|\d{1,2}\.(?=\s)"
    r"|[ivx]{1,5}\.(?=\s))\s+"
)
_ROW_START = re.compile(
    r"^(P|Priority|Prio|Severity|Sev)\s?-?\s?[1-5]\b(?=(.*?\b\d+(\.\d+)?\s*(business\s+|working\s+)?"
    r"(minutes?|mins?|hours?|hrs?|days?|weeks?)\b){2})"
)
"""A line that opens with a priority and holds two durations (``P1 30 minutes 4 hours``): a
table row a PDF flattened. ``P1 incidents …`` at the start of a wrapped line is not one."""
_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_TABLE = re.compile(r"^\s*\|.*\|\s*$")
_MD_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_PAGE_NUMBER = re.compile(
    r"^\s*(page\s+)?\d{1,4}(\s+(of|/)\s+\d{1,4})?\s*$|^\s*-\s*\d{1,4}\s*-\s*$", re.I
)
_BROKEN_WORD = re.compile(r"[^\W\d_][-\u2010]$")
"""Text that ends inside a word broken at a hyphen ("AGREE-", "Out-of-"): no heading, and the
next page goes on with it."""
_SMALL_WORDS = {"of", "and", "the", "for", "to", "in", "on", "a", "an", "or", "with", "by", "at"}
_MD_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1|`([^`]+)`")


def looks_like_heading(line: str) -> bool:
    """True for a short line that names a section rather than saying something.

    >>> looks_like_heading("4.2 Service Levels"), looks_like_heading("SERVICE CREDITS")
    (True, True)
    >>> looks_like_heading("The Provider shall respond within 4 hours.")
    False
    """
    text = line.strip()
    if (
        not text
        or len(text) > 90
        or text[-1] in ".,;:!?"
        or _BROKEN_WORD.search(text)
        or not (text[0].isupper() or text[0].isdigit())
    ):
        return False
    body = CLAUSE_NUMBER.sub("", text).strip()
    if _HEADING_WORD.match(text):
        return len(text.split()) <= 12
    words = re.findall(r"[A-Za-z][A-Za-z'’&/-]*", body)
    if not words or len(words) > 10:
        return False
    letters = [c for c in body if c.isalpha()]
    if len(letters) >= 3 and all(c.isupper() for c in letters):
        return True
    significant = [w for w in words if w.lower() not in _SMALL_WORDS]
    if not significant:
        return False
    capitalised = sum(1 for w in significant if w[0].isupper())
    return len(words) <= 8 and capitalised / len(significant) >= 0.75


def _heading_level(text: str) -> int:
    number = CLAUSE_NUMBER.match(text.strip())
    return number.group(1).count(".") + 1 if number else 1


def text_blocks(
    text: str, *, markdown: bool = False, wrapped: bool | None = None, first_page: int = 1
) -> list[Block]:
    """The blocks of a text, one page per form feed, with 1-based lines.

    ``markdown`` reads ``#`` headings, ``| … |`` table rows and emphasis marks; ``wrapped``
    (guessed when None: lines of 60 characters or more) ends a paragraph at a short line that
    ends a sentence.

    >>> [(b.kind.value, b.text) for b in text_blocks("1. SCOPE\\nThe Provider shall do X.\\n(a) one;\\n(b) two.")]
    [('heading', '1. SCOPE'), ('paragraph', 'The Provider shall do X.'), ('list_item', '(a) one;'), ('list_item', '(b) two.')]
    """
    blocks: list[Block] = []
    line_number = 1
    for offset, page_text in enumerate(text.split("\f")):
        blocks.extend(
            _page_blocks(
                page_text, first_page + offset, line_number, markdown=markdown, wrapped=wrapped
            )
        )
        line_number += page_text.count("\n")
    return _settled(_without_page_furniture(blocks))


def _furniture_key(block: Block) -> str:
    return re.sub(r"\d+", "#", block.text.lower())


def _without_page_furniture(blocks: list[Block]) -> list[Block]:
    """The blocks without running headers and footers: a paragraph that comes back three times
    or more with at most its numbers changed ("Source: ACME, 10-Q, 11/8/2019", "Commercial in
    Confidence Page 25"), as text exports of paginated contracts carry: it holds a number or six
    words or more, so a repeated cell such as "Included" stays. (A paragraph such a line cut in
    two stays in two blocks, so that every block keeps its exact source lines.)

    >>> text = "\\n\\n".join(["The Provider shall:", "Page 1", "(a) respond;", "Page 2", "(b) fix.", "Page 3"])
    >>> [b.text for b in text_blocks(text)]
    ['The Provider shall:', '(a) respond;', '(b) fix.']
    """
    counts = Counter(_furniture_key(b) for b in blocks if b.kind is not BlockKind.TABLE_ROW)
    furniture = {
        key
        for key, n in counts.items()
        if n >= 3 and re.search(r"[a-z]{2}", key) and ("#" in key or len(key.split()) >= 6)
    }
    return [
        b for b in blocks if b.kind is BlockKind.TABLE_ROW or _furniture_key(b) not in furniture
    ]


def _page_blocks(
    text: str,
    page: int,
    first_line: int,
    *,
    markdown: bool,
    wrapped: bool | None,
    width: int | None = None,
    marked_hyphens: bool = False,
) -> list[Block]:
    lines = text.split("\n")
    if width is None:
        width = max((len(line.rstrip()) for line in lines if line.strip()), default=0)
    is_wrapped = (width >= 60) if wrapped is None else wrapped
    blocks: list[Block] = []
    current: list[str] = []
    current_kind = BlockKind.PARAGRAPH
    current_line = first_line
    current_level = 0

    def flush() -> None:
        nonlocal current
        if current:
            joined, starts = _join_lines(current, marked_hyphens=marked_hyphens)
            if joined:
                blocks.append(
                    Block(joined, page, current_kind, current_level, current_line, starts)
                )
        current = []

    def start(kind: BlockKind, number: int, level: int = 0) -> None:
        nonlocal current_kind, current_line, current_level
        flush()
        current_kind, current_line, current_level = kind, number, level

    for i, raw in enumerate(lines):
        number = first_line + i
        line = _MD_EMPHASIS.sub(lambda m: m.group(2) or m.group(3), raw) if markdown else raw
        stripped = line.strip()
        if not stripped:
            flush()
            continue
        if markdown and (heading := _MD_HEADING.match(line)):
            start(BlockKind.HEADING, number, len(heading.group(1)))
            current.append(heading.group(2))
            flush()
            continue
        if markdown and _MD_TABLE.match(line):
            flush()
            if not _MD_TABLE_RULE.match(line):
                cells = [c.strip() for c in stripped.strip("|").split("|")]
                blocks.append(Block(" | ".join(cells), page, BlockKind.TABLE_ROW, 0, number))
            continue
        previous = lines[i - 1].strip() if i > 0 else ""
        following = lines[i + 1].strip() if i + 1 < len(lines) else ""
        alone = not current or _ends_sentence(previous)
        if (
            alone
            and looks_like_heading(stripped)
            and not (is_wrapped and following and len(stripped) >= 0.8 * width)
            and (not following or not _continues(stripped, following))
        ):
            start(BlockKind.HEADING, number, _heading_level(stripped))
            current.append(stripped)
            flush()
            continue
        if (marker := _LIST_MARKER.match(line)) and not CLAUSE_NUMBER.match(stripped):
            start(BlockKind.LIST_ITEM, number, len(marker.group(0)) - len(marker.group(0).lstrip()))
        elif (
            CLAUSE_NUMBER.match(stripped)
            or _HEADING_WORD.match(stripped)
            or _ROW_START.match(stripped)
            or not current
            or (is_wrapped and _ends_sentence(previous) and len(previous) < 0.7 * width)
        ):
            start(BlockKind.PARAGRAPH, number)
        current.append(stripped)
    flush()
    return blocks


def _ends_sentence(line: str) -> bool:
    return bool(line) and line.rstrip()[-1] in ".:;!?"


_GOES_ON = re.compile(
    r"^(means|mean|shall|will|may|must|is|are|was|were|has|have|agrees?|acknowledges?|warrants?|"
    r"represents?|undertakes?|and|or|of|to|for|in|on|by|with|hereby|which|who|that)\b"
)


def _continues(line: str, following: str) -> bool:
    """True when ``following`` reads as the rest of ``line``'s sentence: a lower-case start.
    After a line of two or more words in capitals, only a start that carries the sentence on
    ("shall", "means", "and", …) does: "LIMITATION OF LIABILITY" over "i-on will not …" stays a
    heading, "NORDLICHT CLOUD GMBH" over "shall provide …" and "RPO" over "means …" do not.

    >>> _continues("Payment Terms and", "conditions apply"), _continues("OF LIABILITY", "i-on is")
    (True, False)
    >>> _continues("NORDLICHT CLOUD GMBH", "shall provide"), _continues("RPO", "means 4 hours")
    (True, True)
    """
    if not following[0].islower():
        return False
    letters = [c for c in line if c.isalpha()]
    capitals = len(letters) >= 3 and all(c.isupper() for c in letters)
    return not capitals or len(line.split()) < 2 or bool(_GOES_ON.match(following))


def _join_lines(
    lines: Iterable[str], *, marked_hyphens: bool = False
) -> tuple[str, tuple[int, ...]]:
    """Lines of one block as one string (broken words joined, spaces folded), and the offset
    where each line after the first begins. The typesetter's hyphen U+2010 at a line end goes;
    a "-" goes before a lower-case line unless the word already holds one (``out-of-`` +
    ``scope``), and stays without a space before a capital (``Out-of-`` + ``Pocket``). With
    ``marked_hyphens`` (the document marks the typesetter's hyphens with U+2010), every "-"
    is the word's own and stays.

    >>> _join_lines(["commercially reason-", "able Out-of-", "Pocket Costs and out-of-", "scope LI\u2010", "ABLE"])[0]
    'commercially reasonable Out-of-Pocket Costs and out-of-scope LIABLE'
    """
    text = ""
    starts: list[int] = []
    for raw in lines:
        line = re.sub(r"\s+", " ", raw).strip()
        if not line:
            continue
        broken = _BROKEN_WORD.search(text)
        if broken and (
            text.endswith("\u2010") or (not marked_hyphens and _dropped_hyphen(text, line))
        ):
            text = text[:-1]
            starts.append(len(text))
            text += line
        elif broken:
            starts.append(len(text))
            text += line
        elif text:
            starts.append(len(text) + 1)
            text = f"{text} {line}"
        else:
            text = line
    # inside the text the mark has done its work; at the end it still tells pdf_blocks that the
    # next page goes on with the word (_settled writes it "-" once pages are joined)
    return text[:-1].replace("\u2010", "-") + text[-1:], tuple(starts)


def _dropped_hyphen(text: str, line: str) -> bool:
    """True when the "-" ending ``text`` only broke a word: the next line goes on in lower case
    and the word holds no other hyphen."""
    word = text.rsplit(" ", 1)[-1]
    return line[:1].islower() and "-" not in word[:-1]


def pdf_blocks(pages: list[str]) -> list[Block]:
    """The blocks of a PDF from the text of each page: running headers and footers (a line
    repeated on at least half of three or more pages) and page numbers are dropped, and a
    paragraph cut by a page break (it ends without a full stop, and the next page opens in lower
    case or inside a hyphenated word) is joined onto its first page.

    >>> [b.text for b in pdf_blocks(["The Customer reimburses reasonable Out-of-", "Pocket Costs."])]
    ['The Customer reimburses reasonable Out-of-Pocket Costs.']
    """
    repeated: set[str] = set()
    if len(pages) >= 3:
        counts = Counter(
            line.strip()
            for page in pages
            for line in {ln.strip() for ln in page.split("\n")}
            if line.strip()
        )
        repeated = {line for line, n in counts.items() if n >= max(2, len(pages) / 2)}
    width = max((len(line.strip()) for page in pages for line in page.split("\n")), default=0)
    marked = any(re.search("\u2010[ \t]*(\n|$)", page) for page in pages)
    blocks: list[Block] = []
    for number, page in enumerate(pages, start=1):
        kept = [
            line
            for line in page.split("\n")
            if line.strip() not in repeated and not _PAGE_NUMBER.match(line)
        ]
        page_blocks = _page_blocks(
            "\n".join(kept), number, 1, markdown=False, wrapped=None, width=width,
            marked_hyphens=marked,
        )  # fmt: skip
        page_blocks = [Block(b.text, b.page, b.kind, b.level, None) for b in page_blocks]
        if (
            blocks
            and page_blocks
            and blocks[-1].kind is not BlockKind.HEADING
            and not _ends_sentence(blocks[-1].text)
            and (
                _BROKEN_WORD.search(blocks[-1].text)
                or (
                    page_blocks[0].kind is BlockKind.PARAGRAPH and page_blocks[0].text[:1].islower()
                )
            )
        ):
            last = blocks.pop()
            joined, _ = _join_lines([last.text, page_blocks[0].text], marked_hyphens=marked)
            blocks.append(Block(joined, last.page, last.kind, last.level))
            page_blocks = page_blocks[1:]
        blocks.extend(page_blocks)
    return _settled(blocks)


def _settled(blocks: list[Block]) -> list[Block]:
    """The blocks with a typesetter's hyphen left at a block's end written "-"."""
    return [replace(b, text=b.text[:-1] + "-") if b.text.endswith("\u2010") else b for b in blocks]

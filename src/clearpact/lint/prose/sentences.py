"""Blocks into clauses and sentences: pysbd (rule-based, the Golden Rules of sentence
boundaries) with care for what contracts add to them.

Before pysbd sees a block, the full stops that end nothing are hidden: ``Sec. 4.2``,
``Art. 30(2)``, ``No. 5``, ``e.g.``, ``i.e.``, ``etc.`` before a lower-case word, ``Inc.`` or
``Ltd.`` inside a sentence, ``5 p.m. UK time``. A segment that is only an enumerator (``(a)``) joins the next one.
A clause number or list marker that opens a block is not part of its first sentence; a short
title after the number (``4.2 Availability. The Provider …``) is the clause's title. A table row
is one sentence. Pure: no files; pysbd is a pure-Python library.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache, cached_property
from typing import TYPE_CHECKING

from clearpact.lint.prose.blocks import CLAUSE_NUMBER, COUNTED, looks_like_heading
from clearpact.lint.prose.document import Block, BlockKind, Clause, Document, Sentence

if TYPE_CHECKING:
    import pysbd

_HIDDEN_DOT = "\u2024"  # one dot leader: same length as ".", so pysbd's spans stay valid
_PROTECTED = re.compile(
    r"\b(?:Secs?|Sect|Arts?|Nos?|Paras?|para|Cl|Sch|Ch|App|Ex|Fig|Vol|pp?|Reg|Regs|Dir)\.(?=\s*[\d(])"
    r"|\b(?:e\.g|i\.e|cf|viz|vs|approx|incl|excl|esp|resp|min|max|Mr|Mrs|Ms|Dr|Prof|St)\.(?=\s*\S)"
    r"|\b(?:etc|Inc|Ltd|Corp|Co|Pty|Plc|plc|LLC|GmbH|AG|NV|BV|SA|S\.A|N\.V|B\.V)\.(?=\s*[a-z,;:)(\"“”])"
    r"|\b(?:[A-Z]\.){2,}(?=\s*[a-z,;:)])"
    r"|\b[ap]\.m\.(?=\s*(?:[a-z,;:)]|[A-Z]{2,}\b))",
)
_ENUMERATOR_ONLY = re.compile(r"^\s*(\(?[0-9a-zA-Z]{1,4}[.)]|\([ivxIVX]{1,5}\)|\d+(\.\d+)+\.?)\s*$")
_LEADING_MARKER = re.compile(
    r"^\s*(?:\d{1,3}(?:\.\d{1,3})+\.?(?=\s+\S)|\d{1,3}\.(?=\s+\S)"
    # a bare number is a marker before a capitalised word, not before what it counts
    # ("24 x 7 support", "30 days' notice", "5 Business Days")
    rf"|\d{{1,3}}(?=\s+[A-Z(])(?!{COUNTED})"
    r"|[-*•·▪◦–]|\(\s*[a-zA-Z0-9]{1,4}\s*\)|[a-zA-Z0-9]{1,2}\)"
    r"|[a-z]\.(?=\s)|[ivx]{1,5}\.(?=\s))\s+"
)
_LIST_NUMBER = re.compile(r"^\d{1,2}[.)]\s")


@cache
def _segmenter() -> pysbd.Segmenter:
    import pysbd  # loaded when a contract is first split, not by every command

    return pysbd.Segmenter(language="en", clean=False, char_span=True)


def _hide_dots(text: str) -> str:
    return _PROTECTED.sub(lambda m: m.group(0).replace(".", _HIDDEN_DOT), text)


def split_text(text: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` spans of the sentences of one block, whitespace trimmed.

    >>> text = "As in Sec. 4.2, e.g. backups, the Provider shall act. The Customer pays."
    >>> [text[a:b] for a, b in split_text(text)]
    ['As in Sec. 4.2, e.g. backups, the Provider shall act.', 'The Customer pays.']
    """
    if not text.strip():
        return []
    if not re.search(r"[.!?;:][\"”’')\]]*\s", text.rstrip()):
        # nothing inside could end a sentence: one sentence, without pysbd's cost
        start = len(text) - len(text.lstrip())
        return [(start, len(text.rstrip()))]
    spans: list[tuple[int, int]] = []
    hidden = _hide_dots(text)
    for offset, chunk in _chunks(hidden):
        for segment in _segmenter().segment(chunk):
            _add_span(text, spans, offset + segment.start, offset + segment.end)
    return _cover_gaps(text, spans)


_CHUNK = 2000
_SAFE_CUT = re.compile(r"[.!?][\"”’')\]]*\s+(?=[A-Z(“\"])")


def _chunks(text: str) -> list[tuple[int, str]]:
    """A long block in pieces of about 2,000 characters, cut only after a full stop before a
    capital: pysbd slows down more than linearly on long texts (a PDF paragraph that never
    ended)."""
    if len(text) <= _CHUNK:
        return [(0, text)]
    pieces: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > _CHUNK:
        cut = None
        for found in _SAFE_CUT.finditer(text, start + _CHUNK // 2, start + _CHUNK):
            cut = found.end()
        if cut is None:
            later = _SAFE_CUT.search(text, start + _CHUNK)
            cut = later.end() if later else len(text)
        pieces.append((start, text[start:cut]))
        start = cut
    if start < len(text):
        pieces.append((start, text[start:]))
    return pieces


def _add_span(text: str, spans: list[tuple[int, int]], start: int, end: int) -> None:
    """Add one pysbd segment, trimmed; a segment that is only an enumerator joins the next."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return
    if spans and _ENUMERATOR_ONLY.match(text[spans[-1][0] : spans[-1][1]]):
        start = spans.pop()[0]
    spans.append((start, end))


def _cover_gaps(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """pysbd may drop characters between segments; no word of the contract may vanish."""
    fixed: list[tuple[int, int]] = []
    position = 0
    for start, end in spans:
        if start < position:
            start = position
        if text[position:start].strip() and fixed:
            fixed[-1] = (fixed[-1][0], start)
        fixed.append((start, end))
        position = end
    if fixed and text[position:].strip():
        fixed[-1] = (fixed[-1][0], len(text.rstrip()))
    return [(a, b) for a, b in fixed if a < b]


@dataclass(frozen=True)
class Structure:
    """A document's clauses and sentences, in reading order."""

    clauses: tuple[Clause, ...]
    sentences: tuple[Sentence, ...]

    def clause_of(self, sentence: Sentence) -> Clause:
        """The clause a sentence belongs to."""
        return self.clauses[sentence.clause]

    @cached_property
    def _by_clause(self) -> dict[int, list[Sentence]]:
        found: dict[int, list[Sentence]] = {}
        for sentence in self.sentences:
            found.setdefault(sentence.clause, []).append(sentence)
        return found

    @cached_property
    def _children(self) -> dict[int, list[int]]:
        found: dict[int, list[int]] = {}
        for clause in self.clauses:
            if clause.parent is not None:
                found.setdefault(clause.parent, []).append(clause.index)
        return found

    def sentences_in(self, clause: int, *, below: bool = False) -> list[Sentence]:
        """The sentences of clause ``clause`` (and of every clause under it, with ``below``),
        in reading order."""
        members = {clause} | (self.descendants(clause) if below else set())
        return sorted(
            (s for index in members for s in self._by_clause.get(index, [])), key=lambda s: s.index
        )

    def section_of(self, sentence: Sentence) -> list[Sentence]:
        """The sentences of a sentence's clause and of every clause in the same parent: the
        context in which a number finds its period or definition (``4.1`` sees ``4.2``)."""
        clause = self.clauses[sentence.clause]
        root = clause.parent if clause.parent is not None else clause.index
        return self.sentences_in(root, below=True)

    def descendants(self, index: int) -> set[int]:
        """The indices of every clause below clause ``index``."""
        found: set[int] = set()
        todo = list(self._children.get(index, []))
        while todo:
            child = todo.pop()
            found.add(child)
            todo.extend(self._children.get(child, []))
        return found


def structure(document: Document) -> Structure:
    """The clauses and sentences of ``document``.

    A heading or a paragraph that opens with a clause number starts a clause; its level is the
    depth of its number (``4.2`` is 2) or the heading's level. A single number after a block
    that ends with a colon (``… as follows:`` then ``1. …``) is a list item, not a clause. The
    items of a list keep the sentence that introduced it (``lead_in``).
    """
    clauses = [Clause(0, None, None, 0, 1, 1, None)]
    stack: list[Clause] = []
    sentences: list[Sentence] = []
    previous: Block | None = None
    lead_in: str | None = None
    for paragraph, block in enumerate(document.blocks, start=1):
        text = block.text
        opens = _opening_clause(block, previous)
        previous = block
        if opens is not None:
            number, level = opens
            title: str | None = None
            body = text
            if block.kind is BlockKind.HEADING:
                title = CLAUSE_NUMBER.sub("", text, count=1).strip() if number else text.strip()
                body = ""
            else:
                body = CLAUSE_NUMBER.sub("", text, count=1).lstrip(" .")
                title, body = _run_in_title(body)
            while stack and stack[-1].level >= level:
                stack.pop()
            clause = Clause(
                len(clauses), number, title or None, level, block.page, paragraph,
                stack[-1].index if stack else None,
            )  # fmt: skip
            clauses.append(clause)
            stack.append(clause)
            if not body:
                continue
            offset = len(text) - len(body)
        else:
            if block.kind is BlockKind.HEADING:
                continue
            offset = 0
        current = stack[-1].index if stack else 0
        found = _sentences(block, paragraph, current, offset, len(sentences))
        if block.kind is BlockKind.LIST_ITEM and lead_in is not None:
            found = [replace(s, lead_in=lead_in) for s in found]
        elif block.kind is not BlockKind.LIST_ITEM:
            lead_in = found[-1].text if found and found[-1].text.endswith(":") else None
        sentences.extend(found)
    return Structure(tuple(clauses), tuple(sentences))


def _opening_clause(block: Block, previous: Block | None) -> tuple[str | None, int] | None:
    """``(number, level)`` when ``block`` starts a clause, else None."""
    number_match = CLAUSE_NUMBER.match(block.text)
    number = number_match.group(1) if number_match else None
    if block.kind is BlockKind.HEADING:
        if number:
            return number, number.count(".") + 1
        return None, max(block.level, 1)
    if block.kind is not BlockKind.PARAGRAPH or number is None:
        return None
    if "." not in number and _LIST_NUMBER.match(block.text) and previous is not None:
        after_colon = previous.text.rstrip().endswith(":")
        in_list = previous.kind is BlockKind.LIST_ITEM or (
            previous.kind is BlockKind.PARAGRAPH and _LIST_NUMBER.match(previous.text) is not None
            and previous.text.rstrip().endswith(";")
        )  # fmt: skip
        if after_colon or in_list:
            return None
    return number, number.count(".") + 1


def _run_in_title(body: str) -> tuple[str | None, str]:
    """``("Availability", "The Provider …")`` for ``"Availability. The Provider …"``."""
    match = re.match(r"^([^.;:]{2,60})[.:]\s+(?=[A-Z(“\"])", body)
    if match and len(match.group(1).split()) <= 6 and looks_like_heading(match.group(1)):
        return match.group(1).strip(), body[match.end() :]
    if looks_like_heading(body):
        return body.strip(), ""
    return None, body


def _sentences(
    block: Block, paragraph: int, clause: int, offset: int, count: int
) -> list[Sentence]:
    text = block.text[offset:]
    if block.kind is BlockKind.TABLE_ROW:
        spans = [(0, len(text))] if text.strip() else []
    else:
        spans = split_text(text)
    found: list[Sentence] = []
    for i, (start, end) in enumerate(spans):
        words = text[start:end]
        if i == 0 and block.kind is not BlockKind.TABLE_ROW:
            words = _LEADING_MARKER.sub("", words, count=1)
        words = re.sub(r"\s+", " ", words).strip()
        if not words or _ENUMERATOR_ONLY.match(words):
            continue
        line = block.line_at(offset + start)
        found.append(
            Sentence(count + len(found) + 1, words, block.page, paragraph, clause, block.kind, line)
        )
    return found

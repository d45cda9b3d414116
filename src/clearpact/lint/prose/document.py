"""The shapes a prose contract takes on its way through the audit: blocks as read from the file
(with page and paragraph), clauses (numbered or headed sections) and sentences.

Pure data: the readers in :mod:`clearpact.ingest.documents` build a :class:`Document`; the audit
reads it. Nothing here reads files.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class BlockKind(StrEnum):
    """What a block of the source is."""

    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    TABLE_ROW = "table_row"


@dataclass(frozen=True)
class Block:
    """One paragraph, heading, list item or table row of the source, as the reader found it.

    ``page`` is 1-based (a DOCX file stores no pages: its page is counted from the page breaks
    it stores, see :attr:`Document.exact_pages`). ``level`` is a heading's depth (1 is the top)
    or a list item's indent, 0 otherwise. ``line`` is the 1-based line of the block's first
    character in a text or Markdown file, None for PDF and DOCX; ``line_starts`` the offsets in
    ``text`` where each following source line begins. A table row's cells are joined with
    `` | ``.
    """

    text: str
    page: int = 1
    kind: BlockKind = BlockKind.PARAGRAPH
    level: int = 0
    line: int | None = None
    line_starts: tuple[int, ...] = ()

    def line_at(self, offset: int) -> int | None:
        """The source line of the character at ``offset`` in ``text``.

        >>> Block("One. Two.", line=7, line_starts=(5,)).line_at(5)
        8
        """
        if self.line is None:
            return None
        return self.line + sum(1 for start in self.line_starts if start <= offset)


@dataclass(frozen=True)
class Document:
    """A contract as a sequence of blocks; a block's paragraph number is its 1-based index.

    ``format`` is ``pdf``, ``docx``, ``text`` or ``markdown``; ``exact_pages`` is False when
    page numbers are estimated (DOCX). ``notes`` are what the reader could not use and the
    audit should say (PDF pages without a text layer).
    """

    blocks: tuple[Block, ...]
    source: str = "<text>"
    format: str = "text"
    pages: int = 1
    exact_pages: bool = True
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Clause:
    """A numbered or headed section: ``4.2 Availability`` is number ``4.2``, title
    ``Availability``. ``parent`` is the index of the enclosing clause (``4`` for ``4.2``), None at
    the top. Clause 0 is the preamble: whatever comes before the first heading or number.
    """

    index: int
    number: str | None
    title: str | None
    level: int
    page: int
    paragraph: int
    parent: int | None = None

    @property
    def label(self) -> str:
        """How a reader names the clause: ``4.2 Availability``, ``4.2``, ``Availability``."""
        parts = [p for p in (self.number, self.title) if p]
        return " ".join(parts) if parts else "preamble"


@dataclass(frozen=True)
class Sentence:
    """One sentence of the contract, exactly as written (whitespace runs folded to one space).

    ``index`` is 1-based across the document; ``paragraph`` is the block it came from; ``line``
    the source line for text and Markdown files; ``clause`` the index of its clause. A table
    row is one sentence. ``lead_in`` is, for a list item, the sentence that introduces the list
    ("The Provider shall:"), which makes each item a commitment.
    """

    index: int
    text: str
    page: int
    paragraph: int
    clause: int
    kind: BlockKind = BlockKind.PARAGRAPH
    line: int | None = None
    lead_in: str | None = None

    @property
    def where(self) -> str:
        """``p. 3, ¶ 12`` — how the findings point at it."""
        return f"p. {self.page}, ¶ {self.paragraph}"

"""The plain-language schedule as neutral data: sections of paragraphs, lists, tables, gaps and
worked examples, which ``render`` turns into text, Markdown or HTML.

Every string here is plain text in the reader's words, never markup: each renderer escapes it for
its own format. Pure data; imports nothing from clearpact.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of running text."""

    text: str


@dataclass(frozen=True)
class Quote:
    """The agreement's own words, shown as a quotation next to the plain-language reading."""

    text: str


@dataclass(frozen=True)
class Bullets:
    """A list of short statements, with an optional lead-in line."""

    items: list[str]
    lead: str | None = None


@dataclass(frozen=True)
class Table:
    """A table: one header row, then rows of the same width."""

    header: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Gap:
    """Something a reader needs that the agreement does not say ("The agreement does not say …").

    Gaps are also gathered into the schedule's last section, so both sides see them in one place.
    """

    text: str


@dataclass(frozen=True)
class WorkedExample:
    """One ticket measured by the SLA clock: the situation, each step of the arithmetic (from the
    clock's trace segments) and the outcome."""

    title: str
    setup: str
    steps: list[str]
    outcome: str


Block = Paragraph | Quote | Bullets | Table | Gap | WorkedExample


@dataclass
class Section:
    """A titled part of the schedule; ``subsections`` nest one level (a service, an SLA)."""

    title: str
    blocks: list[Block] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)

    def add(self, *blocks: Block | None) -> None:
        """Append the blocks that are not ``None`` (builders return ``None`` for "nothing to
        say")."""
        self.blocks.extend(block for block in blocks if block is not None)

    def gaps(self) -> list[tuple[str, str]]:
        """Every gap in this section and its subsections, in reading order, each with the title
        of the section it is in."""
        found = [(self.title, block.text) for block in self.blocks if isinstance(block, Gap)]
        for subsection in self.subsections:
            found.extend(subsection.gaps())
        return found


@dataclass
class Document:
    """The whole schedule: a title, an introduction and the sections in reading order."""

    title: str
    intro: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)

    def gaps(self) -> list[tuple[str, str]]:
        """Every gap of every section, in reading order, with its section's title."""
        return [gap for section in self.sections for gap in section.gaps()]

"""Render a schedule (:class:`~clearpact.explain.document.Document`) as terminal text (Rich),
Markdown or a self-contained HTML page.

Every string of the document is plain text and is escaped here for its format: Rich ``Text``
objects (never markup), Markdown backslash escapes, and :func:`html.escape`. The HTML page has its
style inline and loads nothing from the network.
"""

from __future__ import annotations

import html
import io
import re

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table as RichTable
from rich.text import Text

from clearpact.explain.document import (
    Block,
    Bullets,
    Document,
    Gap,
    Paragraph,
    Quote,
    Section,
    Table,
)

GAP_LABEL = "Not stated:"

# -- text -----------------------------------------------------------------------------------------


def text_renderables(document: Document) -> list[RenderableType]:
    """The document as Rich renderables, for printing to a terminal in colour."""
    out: list[RenderableType] = [Text(document.title, style="bold"), Rule(style="dim")]
    for block in document.intro:
        out.extend([_rich_block(block), Text("")])
    for section in document.sections:
        out.extend(_rich_section(section, level=2))
    return out


def render_text(document: Document, *, width: int = 100) -> str:
    """The document as plain text (no colours), ``width`` columns wide, without trailing
    spaces."""
    buffer = io.StringIO()
    console = Console(
        file=buffer, width=width, color_system=None, force_terminal=False, highlight=False
    )
    for renderable in text_renderables(document):
        console.print(renderable)
    lines = [line.rstrip() for line in buffer.getvalue().splitlines()]
    return "\n".join(lines).rstrip("\n") + "\n"


def _rich_section(section: Section, level: int) -> list[RenderableType]:
    heading: RenderableType
    if level == 2:
        heading = Rule(Text(section.title, style="bold"), align="left", style="cyan")
    else:
        heading = Text(section.title, style="bold underline")
    out: list[RenderableType] = [heading, Text("")]
    for block in section.blocks:
        out.extend([_rich_block(block), Text("")])
    for subsection in section.subsections:
        out.extend(_rich_section(subsection, level + 1))
    return out


def _rich_list(items: list[str], marker: str = "•") -> RenderableType:
    """Items with a hanging indent: wrapped lines align with the text, not the marker."""
    grid = RichTable.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column()
    for number, item in enumerate(items, start=1):
        grid.add_row(f"{number}." if marker == "1." else marker, Text(item))
    return Padding(grid, (0, 0, 0, 2), expand=False)


def _rich_block(block: Block) -> RenderableType:
    if isinstance(block, Paragraph):
        return Text(block.text)
    if isinstance(block, Quote):
        return Padding(Text(f"“{block.text}”", style="italic"), (0, 0, 0, 2), expand=False)
    if isinstance(block, Gap):
        return Text.assemble((f"{GAP_LABEL} ", "bold yellow"), block.text)
    if isinstance(block, Bullets):
        if block.lead:
            return Group(Text(block.lead), _rich_list(block.items))
        return _rich_list(block.items)
    if isinstance(block, Table):
        table = RichTable(box=box.SIMPLE_HEAD, show_edge=False, header_style="bold")
        for name in block.header:
            table.add_column(name, overflow="fold")
        for row in block.rows:
            table.add_row(*(Text(cell) for cell in row))
        return table
    return Panel(
        Group(Text(block.setup), _rich_list(block.steps, "1."), Text(block.outcome, style="bold")),
        title=Text(f"Example: {block.title}", style="bold"),
        title_align="left",
        box=box.ROUNDED,
    )


# -- Markdown -------------------------------------------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def markdown_escape(text: str) -> str:
    """Plain text made literal in Markdown: the characters that start emphasis, code, links,
    HTML or table cells get a backslash.

    >>> markdown_escape("a_b *c* <d> | e")
    'a\\\\_b \\\\*c\\\\* \\\\<d\\\\> \\\\| e'
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def render_markdown(document: Document) -> str:
    """The document as GitHub-flavoured Markdown, one line per paragraph."""
    lines = [f"# {markdown_escape(document.title)}", ""]
    for block in document.intro:
        lines.extend(_markdown_block(block))
    for section in document.sections:
        lines.extend(_markdown_section(section, level=2))
    return "\n".join(lines).rstrip("\n") + "\n"


def _markdown_section(section: Section, level: int) -> list[str]:
    lines = [f"{'#' * level} {markdown_escape(section.title)}", ""]
    for block in section.blocks:
        lines.extend(_markdown_block(block))
    for subsection in section.subsections:
        lines.extend(_markdown_section(subsection, level + 1))
    return lines


def _markdown_block(block: Block) -> list[str]:
    e = markdown_escape
    if isinstance(block, Paragraph):
        return [e(block.text), ""]
    if isinstance(block, Quote):
        return [f"> “{e(block.text)}”", ""]
    if isinstance(block, Gap):
        return [f"> **{GAP_LABEL}** {e(block.text)}", ""]
    if isinstance(block, Bullets):
        lead = [e(block.lead), ""] if block.lead else []
        return [*lead, *(f"- {e(item)}" for item in block.items), ""]
    if isinstance(block, Table):
        rows = [block.header, ["---"] * len(block.header), *block.rows]
        return [
            "| " + " | ".join(cell if cell == "---" else e(cell) for cell in row) + " |"
            for row in rows
        ] + [""]
    return [
        f"**Example: {e(block.title)}.** {e(block.setup)}",
        "",
        *(f"{n}. {e(step)}" for n, step in enumerate(block.steps, start=1)),
        "",
        f"**{e(block.outcome)}**",
        "",
    ]


# -- HTML -----------------------------------------------------------------------------------------

_STYLE = """
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2430;
       margin: 0; background: #f6f7f9; }
main { max-width: 52rem; margin: 0 auto; padding: 2rem 1.5rem 4rem; background: #fff; }
h1 { font-size: 1.7rem; margin-top: 0; }
h2 { border-bottom: 2px solid #d8dde6; padding-bottom: .2rem; margin-top: 2.2rem; }
h3 { margin-top: 1.6rem; }
table { border-collapse: collapse; width: 100%; margin: .8rem 0; font-size: .92rem; }
th, td { border: 1px solid #d8dde6; padding: .35rem .5rem; text-align: left;
         vertical-align: top; }
th { background: #eef1f5; }
blockquote { margin: .8rem 0; padding: .2rem 1rem; border-left: 4px solid #b9c2d0;
             color: #44506a; font-style: italic; }
.gap { background: #fff6dd; border-left: 4px solid #e0a800; padding: .4rem .8rem; }
.example { border: 1px solid #cfd8e3; border-radius: 6px; padding: .2rem 1rem;
           margin: 1rem 0; background: #fafcff; }
.example h4 { margin: .6rem 0 .2rem; }
.outcome { font-weight: 600; }
"""


def render_html(document: Document) -> str:
    """The document as one self-contained HTML5 page (inline style, no scripts, no network)."""
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="clearpact explain">',
        f"<title>{e(document.title)}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{e(document.title)}</h1>",
    ]
    for block in document.intro:
        parts.append(_html_block(block))
    for section in document.sections:
        parts.extend(_html_section(section, level=2))
    parts.extend(["</main>", "</body>", "</html>"])
    return "\n".join(parts) + "\n"


def _html_section(section: Section, level: int) -> list[str]:
    parts = ["<section>", f"<h{level}>{html.escape(section.title)}</h{level}>"]
    parts.extend(_html_block(block) for block in section.blocks)
    for subsection in section.subsections:
        parts.extend(_html_section(subsection, level + 1))
    parts.append("</section>")
    return parts


def _html_block(block: Block) -> str:
    e = html.escape
    if isinstance(block, Paragraph):
        return f"<p>{e(block.text)}</p>"
    if isinstance(block, Quote):
        return f"<blockquote><p>“{e(block.text)}”</p></blockquote>"
    if isinstance(block, Gap):
        return f'<p class="gap"><strong>{GAP_LABEL}</strong> {e(block.text)}</p>'
    if isinstance(block, Bullets):
        lead = f"<p>{e(block.lead)}</p>\n" if block.lead else ""
        items = "\n".join(f"<li>{e(item)}</li>" for item in block.items)
        return f"{lead}<ul>\n{items}\n</ul>"
    if isinstance(block, Table):
        head = "".join(f"<th>{e(cell)}</th>" for cell in block.header)
        body = "\n".join(
            "<tr>" + "".join(f"<td>{e(cell)}</td>" for cell in row) + "</tr>" for row in block.rows
        )
        return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"
    steps = "\n".join(f"<li>{e(step)}</li>" for step in block.steps)
    return (
        f'<div class="example">\n<h4>Example: {e(block.title)}</h4>\n<p>{e(block.setup)}</p>\n'
        f'<ol>\n{steps}\n</ol>\n<p class="outcome">{e(block.outcome)}</p>\n</div>'
    )

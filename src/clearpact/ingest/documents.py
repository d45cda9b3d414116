"""Reading contract documents — PDF (pypdf), DOCX (python-docx), text and Markdown — into the
blocks the prose audit reads, with page and paragraph positions; and :func:`audit_document`,
which reads and audits in one call.

An adapter: the only place that opens contract files. A file that cannot be read raises
:class:`DocumentError` with one diagnostic (codes CP130–CP137, documented in ``docs/audit.md``);
nothing here crashes on a bad file.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from clearpact.diagnostics import Diagnostic, Severity, SourceLocation
from clearpact.ingest.text import utf16_as_utf8
from clearpact.lint.prose.audit import AuditResult, audit_document_model
from clearpact.lint.prose.blocks import looks_like_heading, pdf_blocks, text_blocks
from clearpact.lint.prose.document import Block, BlockKind, Document

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
"""Files larger than this (20 MiB) are refused unless the caller raises the limit."""

SUFFIXES = {".pdf": "pdf", ".docx": "docx", ".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown"}  # fmt: skip
_OLD_FORMATS = {
    ".doc": "save it as .docx (Word: File > Save As > Word Document)",
    ".rtf": "save it as .docx or .txt",
    ".odt": "save it as .docx (LibreOffice: File > Save As > Word 2007-365)",
    ".pages": "export it as .docx or .pdf",
}  # fmt: skip

_MIN_CHARS_PER_PAGE = 20


class DocumentError(Exception):
    """A contract file that cannot be read; ``diagnostic`` says why and what to do."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def _fail(path: Path, code: str, message: str, hint: str | None = None) -> DocumentError:
    return DocumentError(Diagnostic(code, Severity.ERROR, message, SourceLocation(str(path)), hint))


def parse_size(text: str) -> int:
    """A size in bytes from ``20MB``, ``500 KB``, ``1.5GiB`` or a plain number of bytes.

    Units are powers of 1024 (``MB`` and ``MiB`` alike), as file managers show them.

    >>> parse_size("20MB"), parse_size("512k"), parse_size("1000")
    (20971520, 524288, 1000)
    """
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmg]?)(i?b)?\s*", text, re.IGNORECASE)
    if not match:
        raise ValueError(f"'{text}' is not a size; write e.g. '20MB', '500KB' or '1GB'")
    factor = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[match.group(2).lower()]
    return int(float(match.group(1)) * factor)


def _megabytes(size: int) -> str:
    return f"{size / 1024**2:.1f} MB" if size >= 1024**2 else f"{size / 1024:.0f} KB"


def read_document(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """The blocks of a contract file, chosen by its suffix (``.pdf``, ``.docx``, ``.txt``,
    ``.md``).

    Raises :class:`DocumentError` for a missing or unreadable file, an unknown suffix, an empty
    file, a file over ``max_bytes``, an encrypted PDF (one that opens with an empty password is
    read), a PDF with no text layer (OCR is not supported), a damaged PDF or DOCX, and a
    document with no words.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        hint = _OLD_FORMATS.get(suffix, "clearpact audit reads .pdf, .docx, .txt and .md files")
        raise _fail(
            path, "CP131", f"cannot audit a '{suffix or 'file without a suffix'}' file", hint
        )
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise _fail(path, "CP130", "cannot read the file: it is not a file (a folder?)")
    except OSError as exc:
        raise _fail(path, "CP130", f"cannot read the file: {exc.strerror or exc}") from None
    if size == 0:
        raise _fail(path, "CP132", "the file is empty (0 bytes)")
    if size > max_bytes:
        raise _fail(
            path,
            "CP133",
            f"the file is {_megabytes(size)}, over the limit of {_megabytes(max_bytes)}",
            f"raise the limit with --max-size (e.g. --max-size {max(1, round(size / 1024**2 * 2))}MB) "
            "if the file is really a contract",
        )
    kind = SUFFIXES[suffix]
    try:
        if kind == "pdf":
            document = _read_pdf(path)
        elif kind == "docx":
            document = _read_docx(path)
        else:
            document = _read_text(path, markdown=kind == "markdown")
    except OSError as exc:
        raise _fail(path, "CP130", f"cannot read the file: {exc.strerror or exc}") from None
    if not any(b.text.strip() for b in document.blocks):
        raise _fail(path, "CP137", "the document contains no text to audit")
    return document


def audit_document(
    path: str | Path,
    *,
    profile: str = "blueprint",
    critical: bool = True,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> AuditResult:
    """Read a contract file (:func:`read_document`) and audit it
    (:func:`clearpact.lint.prose.audit_document_model`)."""
    return audit_document_model(
        read_document(path, max_bytes=max_bytes), profile=profile, critical=critical
    )


def _read_text(path: Path, *, markdown: bool) -> Document:
    data = path.read_bytes()
    try:
        data = utf16_as_utf8(data)
    except UnicodeDecodeError:
        raise _fail(
            path,
            "CP136",
            "the file starts as UTF-16 text but is not valid UTF-16",
            "open it in a text editor and save it again as UTF-8",
        ) from None
    if b"\x00" in data[:4096]:
        raise _fail(
            path,
            "CP136",
            "the file is not text (it holds binary data)",
            "is it really a .txt or .md file?",
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = data.decode("latin-1")
    text = _plain(text.replace("\r\n", "\n").replace("\r", "\n"))
    blocks = text_blocks(text, markdown=markdown)
    return Document(
        tuple(blocks), str(path), "markdown" if markdown else "text", text.count("\f") + 1, True
    )


def _read_pdf(path: Path) -> Document:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    damaged = (
        PdfReadError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        zipfile.BadZipFile,
    )
    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            try:
                opened = bool(reader.decrypt(""))
            except DependencyError:  # AES needs the `cryptography` package; treat it as locked
                opened = False
            if not opened:
                raise _fail(
                    path,
                    "CP134",
                    "the PDF is encrypted and needs a password to open",
                    "save an unencrypted copy (print to PDF, or remove the password) and audit that",
                )
        pages = [_plain(page.extract_text() or "") for page in reader.pages]
    except DocumentError:
        raise
    except FileNotDecryptedError:
        raise _fail(path, "CP134", "the PDF is encrypted and needs a password to open") from None
    except damaged as exc:
        raise _fail(
            path, "CP136", f"the file is not a readable PDF ({type(exc).__name__}: {exc})",
            "open it in a PDF viewer; if it opens, print it to a new PDF and audit that",
        ) from None  # fmt: skip
    if not pages:
        raise _fail(path, "CP136", "the PDF has no pages")
    letters = [sum(1 for c in text if c.isalnum()) for text in pages]
    if sum(letters) < _MIN_CHARS_PER_PAGE * len(pages) and max(letters) < _MIN_CHARS_PER_PAGE * 5:
        raise _fail(
            path,
            "CP135",
            "no text layer; OCR is not supported",
            "the PDF holds images of pages (a scan); run it through OCR (e.g. ocrmypdf) and audit the result",
        )
    blank = [str(n) for n, count in enumerate(letters, start=1) if count < 5]
    notes: tuple[str, ...] = ()
    if blank:
        notes = (
            f"page{'s' if len(blank) > 1 else ''} {', '.join(blank)} {'have' if len(blank) > 1 else 'has'} "
            "no text layer (a scan?); OCR is not supported, so nothing there is audited",
        )
    return Document(tuple(pdf_blocks(pages)), str(path), "pdf", len(pages), True, notes)


_LIGATURES = re.compile("[\ufb00-\ufb06]")
_SOFT_HYPHEN_AT_END = re.compile("\u00ad[ \t]*(?=\n|$)")
_TYPESET_HYPHEN_INSIDE = re.compile("\u2010(?![ \t]*(?:\n|$))")
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")


def _plain(text: str) -> str:
    r"""A PDF page's or text file's text with typesetting undone, line for line: ligatures
    spelled out (fonts set ff, fi, ffi as one glyph and the text layer keeps its code point,
    ``e\ufb00orts``); a soft hyphen that ends a line becomes the typesetter's hyphen U+2010,
    which :func:`~clearpact.lint.prose.blocks.pdf_blocks` drops when it joins the lines again
    (the one mark that tells a broken word from a compound); U+2010 inside a line and U+2011
    are written "-"; other soft hyphens and zero-width characters are removed.

    >>> _plain("reasonable e\ufb00orts, \ufb01ve days, ser\u00ad\nvice, twenty\u2010four")
    'reasonable efforts, five days, ser\u2010\nvice, twenty-four'
    """
    text = _LIGATURES.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    text = _SOFT_HYPHEN_AT_END.sub("\u2010", text)
    text = _TYPESET_HYPHEN_INSIDE.sub("-", text).replace("\u2011", "-")
    return _INVISIBLE.sub("", text)


def _read_docx(path: Path) -> Document:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        doc = docx.Document(str(path))
        blocks = _docx_blocks(doc)
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, AttributeError) as exc:
        raise _fail(
            path,
            "CP136",
            f"the file is not a readable DOCX document ({type(exc).__name__})",
            "open it in Word or LibreOffice and save it again as .docx",
        ) from None
    except Exception as exc:  # lxml's XMLSyntaxError and kin: a damaged part inside the zip
        if type(exc).__module__.startswith("lxml"):
            raise _fail(path, "CP136", "the DOCX document is damaged (bad XML inside)") from None
        raise
    pages = max((b.page for b in blocks), default=1)
    return Document(tuple(blocks), str(path), "docx", pages, exact_pages=False)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_MATH_TEXT = "{http://schemas.openxmlformats.org/officeDocument/2006/math}t"

# What Word shows once every tracked change is accepted, as the parties will sign it
# (ECMA-376 Part 1, 17.13.5 revisions; 17.5.2 content controls). python-docx's Paragraph.text
# reads only the runs directly under a paragraph, and its tables only the rows and cells
# directly under them, so text inside a tracked insertion, a content control, a simple field, a
# smart tag or custom XML would be lost; these are read.
_SKIPPED_TAGS = ("del", "moveFrom", "pPr", "rPr", "sdtPr", "sdtEndPr", "txbxContent", "drawing", "pict", "rt")  # fmt: skip
_SKIPPED = {f"{_W}{tag}" for tag in _SKIPPED_TAGS} | {_MC_FALLBACK}
"""Subtrees that are not the paragraph's own text: deleted or moved-away text, properties,
text boxes and pictures (not read), ruby annotations over the text, the fallback copy of
alternate content."""
_CHARS = {f"{_W}tab": "\t", f"{_W}ptab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n", f"{_W}noBreakHyphen": "-"}  # fmt: skip
_WRAPPERS = {f"{_W}{tag}" for tag in ("sdt", "sdtContent", "customXml", "ins", "moveTo")}
"""Elements that wrap paragraphs, tables, rows or cells without being text themselves."""
_TOC_STYLE = re.compile(r"^(toc\s*\d*|tocheading|tableofcontents|contents\s*\d*)$", re.IGNORECASE)


def _hidden_control(element: Any) -> bool:
    """True for a content control whose text is not the contract's: one that still shows its
    placeholder ("Click or tap here to enter text."), or a table of contents, whose entries
    repeat the clause titles with page numbers."""
    if element.tag != f"{_W}sdt":
        return False
    properties = element.find(f"{_W}sdtPr")
    if properties is None:
        return False
    if properties.find(f"{_W}showingPlcHdr") is not None:
        return True
    gallery = properties.find(f"{_W}docPartObj/{_W}docPartGallery")
    return gallery is not None and (gallery.get(f"{_W}val") or "").lower() == "table of contents"


def _visible(element: Any) -> Iterator[Any]:
    """The nodes of ``element`` in document order, without the subtrees in :data:`_SKIPPED`
    and without content controls that still show their placeholder."""
    for child in element:
        if child.tag in _SKIPPED or _hidden_control(child):
            continue
        yield child
        yield from _visible(child)


def _docx_text(paragraph: Any) -> str:
    """The text of a ``w:p`` element as Word shows it with every tracked change accepted."""
    parts: list[str] = []
    for node in _visible(paragraph):
        if node.tag in (f"{_W}t", _MATH_TEXT):  # text, and the text of an equation
            parts.append(node.text or "")
        elif node.tag in _CHARS:
            parts.append(_CHARS[node.tag])
    return "".join(parts)


def _children(container: Any, tags: tuple[str, ...]) -> Iterator[Any]:
    """The elements of ``container`` with one of ``tags`` (``w:p``, ``w:tbl``, ``w:tr``,
    ``w:tc``) in order, also inside content controls, custom XML and tracked insertions; not
    inside a table of contents or a placeholder."""
    for child in container:
        if child.tag in tags:
            yield child
        elif child.tag in _WRAPPERS and not _hidden_control(child):
            yield from _children(child, tags)


def _block_items(container: Any) -> Iterator[Any]:
    """The paragraphs and tables of a body or cell in order (a paragraph in a table-of-contents
    style is left out)."""
    for item in _children(container, (f"{_W}p", f"{_W}tbl")):
        style = item.find(f"{_W}pPr/{_W}pStyle")
        if style is not None and _TOC_STYLE.match(style.get(f"{_W}val") or ""):
            continue
        yield item


def _cell_text(cell: Any) -> str:
    """A table cell's text: its paragraphs, and the rows of any table nested in it."""
    texts: list[str] = []
    for item in _block_items(cell):
        if item.tag == f"{_W}p":
            texts.append(_docx_text(item))
        else:
            texts.extend(" ".join(row) for row in _table_rows(item))
    return " ".join(texts)


def _cell_property(cell: Any, tag: str) -> Any:
    return cell.find(f"{_W}tcPr/{_W}{tag}")


def _table_rows(table: Any) -> Iterator[list[str]]:
    """The rows of a ``w:tbl`` as lists of cell texts. A cell merged with the one above it
    (``w:vMerge``) repeats that cell's text, so every row reads whole; a cell that spans
    several grid columns counts once."""
    above: dict[int, str] = {}
    for row in _children(table, (f"{_W}tr",)):
        before = row.find(f"{_W}trPr/{_W}gridBefore")
        column = int(before.get(f"{_W}val") or 0) if before is not None else 0
        cells: list[str] = []
        for cell in _children(row, (f"{_W}tc",)):
            span = _cell_property(cell, "gridSpan")
            width = int(span.get(f"{_W}val") or 1) if span is not None else 1
            merge = _cell_property(cell, "vMerge")
            if merge is not None and merge.get(f"{_W}val") != "restart":
                text = above.get(column, "")
            else:
                text = re.sub(r"\s+", " ", _cell_text(cell)).strip()
                for taken in range(column, column + width):
                    above[taken] = text
            cells.append(text)
            column += width
        yield cells


def _docx_blocks(doc: Any) -> list[Block]:
    """Paragraphs and table rows in body order; pages counted from the breaks Word stored."""
    from docx.text.paragraph import Paragraph

    body = doc.element.body
    rendered = any(n.tag == f"{_W}lastRenderedPageBreak" for n in _visible(body))
    page = 1
    blocks: list[Block] = []
    for element in _block_items(body):
        if element.tag == f"{_W}tbl":
            for cells in _table_rows(element):
                if any(cells):
                    blocks.append(Block(" | ".join(cells), page, BlockKind.TABLE_ROW))
            continue
        item = Paragraph(element, doc._body)
        visible = list(_visible(element))
        breaks = [n for n in visible if n.tag == f"{_W}lastRenderedPageBreak"] if rendered else [
            n for n in visible if n.tag == f"{_W}br" and n.get(f"{_W}type") == "page"
        ]  # fmt: skip
        before = item.paragraph_format.page_break_before
        if before:
            page += 1
        text = re.sub(r"\s+", " ", _docx_text(element)).strip()
        leading = bool(breaks) and _break_before_text(element, breaks[0])
        if leading:
            page += 1
        if text:
            blocks.append(_docx_block(item, text, page))
        page += len(breaks) - (1 if leading else 0)
    return blocks


def _break_before_text(paragraph: Any, first_break: Any) -> bool:
    """True when the page break comes before any text of the paragraph."""
    for node in paragraph.iter(f"{_W}t", f"{_W}br", f"{_W}lastRenderedPageBreak"):
        if node is first_break:
            return True
        if node.tag == f"{_W}t" and (node.text or "").strip():
            return False
    return True


def _docx_block(paragraph: Any, text: str, page: int) -> Block:
    from docx.text.run import Run

    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    heading = re.match(r"^Heading\s*(\d)", style)
    if heading:
        return Block(text, page, BlockKind.HEADING, int(heading.group(1)))
    if style == "Title":
        return Block(text, page, BlockKind.HEADING, 1)
    properties = paragraph._p.pPr
    numbered = properties is not None and properties.numPr is not None
    if numbered or "List" in style:
        level = 0
        if numbered and properties.numPr.ilvl is not None:
            level = int(properties.numPr.ilvl.val)
        return Block(text, page, BlockKind.LIST_ITEM, level)
    runs = [Run(r, paragraph) for r in _visible(paragraph._p) if r.tag == f"{_W}r"]
    runs = [r for r in runs if r.text.strip()]
    if runs and all(r.bold for r in runs) and looks_like_heading(text):
        return Block(text, page, BlockKind.HEADING, 1)
    return Block(text, page, BlockKind.PARAGRAPH)

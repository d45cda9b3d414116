"""Reading contract files (PDF, DOCX, text, Markdown) with their positions, and every bad input
refused with a clear diagnostic instead of a crash."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

from clearpact.ingest.documents import DocumentError, audit_document, parse_size, read_document
from clearpact.lint.prose.document import BlockKind
from clearpact.lint.prose.elements import Presence
from tests.lint.prose.conftest import FIXTURES, write_pdf


def test_a_pdf_is_read_page_by_page(contract_pdf: Path) -> None:
    document = read_document(contract_pdf)
    assert (document.format, document.pages, document.exact_pages) == ("pdf", 2, True)
    assert [(b.page, b.kind, b.text) for b in document.blocks if b.kind is BlockKind.HEADING] == [
        (1, BlockKind.HEADING, "Hosting Services Agreement"),
        (1, BlockKind.HEADING, "1. Service Levels"),
        (2, BlockKind.HEADING, "2. Termination"),
    ]


def test_findings_in_a_pdf_name_their_page(contract_pdf: Path) -> None:
    result = audit_document(contract_pdf)
    found = {(f.category, f.match): f.page for f in result.findings if f.element is None}
    assert found[("open_time", "promptly")] == 1
    assert found[("number_words", "thirty (20)")] == 2
    assert found[("redacted", "[***]")] == 2


def test_a_docx_keeps_headings_lists_tables_and_page_breaks(contract_docx: Path) -> None:
    document = read_document(contract_docx)
    assert (document.format, document.exact_pages) == ("docx", False)
    kinds = [(b.page, b.kind.value, b.text) for b in document.blocks]
    assert kinds[0] == (1, "heading", "Hosting Services Agreement")
    assert (1, "list_item", "respond to P1 incidents promptly;") in kinds
    assert (1, "table_row", "P1 | 30 minutes | 4 hours") in kinds
    assert (2, "heading", "2. Termination") in kinds


def test_a_docx_audit_finds_list_items_and_table_targets(contract_docx: Path) -> None:
    result = audit_document(contract_docx)
    assert ("open_time", "promptly") in [(f.category, f.match) for f in result.findings]
    targets = {m: {k: v.value for k, v in t.items()} for m, t in result.terms.targets.items()}
    assert targets == {
        "first_response": {"P1": "30m", "P2": "2h"},
        "resolution": {"P1": "4h", "P2": "8h"},
    }


def _xml(markup: str) -> Any:
    """A WordprocessingML element from its markup, with the w: namespace declared."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    return parse_xml(re.sub(r"^<(w:\w+)", rf"<\1 {nsdecls('w')}", markup))


def test_a_docx_is_read_as_signed_with_every_tracked_change_accepted(tmp_path: Path) -> None:
    """The XML below is what Word writes (ECMA-376 Part 1, 17.13.5 revisions, 17.5.2 content
    controls). python-docx's own paragraph text keeps only the runs directly under a paragraph,
    which would lose the inserted "4 hours", the provider's name in its content control, the
    whole clause in a block content control, and the date in a simple field."""
    import docx

    document = docx.Document()
    revised = document.add_paragraph("The Provider shall resolve P1 incidents within ")
    revised._p.append(
        _xml(
            '<w:del w:id="1" w:author="Customer"><w:r><w:delText>8 hours</w:delText></w:r></w:del>'
        )
    )
    revised._p.append(
        _xml('<w:ins w:id="2" w:author="Customer"><w:r><w:t>4 hours</w:t></w:r></w:ins>')
    )
    revised.add_run(".")
    named = document.add_paragraph("Support is provided by ")
    named._p.append(
        _xml(
            '<w:sdt><w:sdtPr><w:alias w:val="Provider"/></w:sdtPr>'
            "<w:sdtContent><w:r><w:t>Nordlicht GmbH</w:t></w:r></w:sdtContent></w:sdt>"
        )
    )
    named.add_run(" from ")
    named._p.append(
        _xml('<w:fldSimple w:instr=" DATE "><w:r><w:t>1 March 2027</w:t></w:r></w:fldSimple>')
    )
    named.add_run(".")
    boxed = document.add_paragraph("Fees are due monthly.")
    boxed._p.append(
        _xml(
            "<w:r><w:pict><w:txbxContent><w:p><w:r><w:t>DRAFT</w:t></w:r></w:p></w:txbxContent>"
            "</w:pict></w:r>"
        )
    )
    document.element.body.insert(
        0,
        _xml(
            "<w:sdt><w:sdtContent><w:p><w:r><w:t>Either party may terminate this Agreement on "
            "90 days' written notice.</w:t></w:r></w:p></w:sdtContent></w:sdt>"
        ),
    )
    gone = document.add_paragraph()
    gone._p.append(
        _xml(
            '<w:del w:id="3" w:author="Provider"><w:r><w:delText>Provider may change the fees at '
            "any time.</w:delText></w:r></w:del>"
        )
    )
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "P2"
    table.rows[0].cells[1]._tc.append(
        _xml("<w:sdt><w:sdtContent><w:p><w:r><w:t>8 hours</w:t></w:r></w:p></w:sdtContent></w:sdt>")
    )
    path = tmp_path / "negotiated.docx"
    document.save(str(path))

    texts = [b.text for b in read_document(path).blocks]
    assert texts == [
        "Either party may terminate this Agreement on 90 days' written notice.",
        "The Provider shall resolve P1 incidents within 4 hours.",
        "Support is provided by Nordlicht GmbH from 1 March 2027.",
        "Fees are due monthly.",
        "P2 | 8 hours",
    ]
    result = audit_document(path)
    notice = next(s for s in result.elements if s.element == "termination_notice_period")
    assert notice.status == "present"


def test_docx_tables_and_controls_are_read_whole_and_a_table_of_contents_is_not(
    tmp_path: Path,
) -> None:
    """A table of contents (a content control in Word's "Table of Contents" gallery, or
    paragraphs in a TOC style) repeats the clause titles and must not become clauses; a
    placeholder still showing is not contract text; rows and cells inside content controls
    (a repeating section) are rows; a cell merged with the one above repeats its text; the
    text of an equation is read."""
    import docx

    document = docx.Document()
    body = document.element.body
    body.append(
        _xml(
            '<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/>'
            "</w:docPartObj></w:sdtPr><w:sdtContent>"
            "<w:p><w:r><w:t>3. Governing Law 4</w:t></w:r></w:p></w:sdtContent></w:sdt>"
        )
    )
    body.append(
        _xml(
            '<w:p><w:pPr><w:pStyle w:val="TOC1"/></w:pPr><w:r><w:t>4. Insurance 5</w:t></w:r></w:p>'
        )
    )
    named = document.add_paragraph("Provider: ")
    named._p.append(
        _xml(
            "<w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent><w:r>"
            "<w:t>Click or tap here to enter text.</w:t></w:r></w:sdtContent></w:sdt>"
        )
    )
    formula = document.add_paragraph("Availability = ")
    formula._p.append(
        _xml(
            '<m:oMath xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math">'
            "<m:r><m:t>(T - D) / T</m:t></m:r></m:oMath>"
        )
    )
    cell = "<w:tc><w:tcPr>{}</w:tcPr><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>"
    body.append(
        _xml(
            "<w:tbl><w:tr>"
            + cell.format("", "Priority")
            + cell.format("", "Resolution")
            + "</w:tr>"
            "<w:sdt><w:sdtContent><w:tr>"
            + cell.format('<w:vMerge w:val="restart"/>', "P1")
            + "<w:sdt><w:sdtContent>"
            + cell.format("", "4 hours")
            + "</w:sdtContent></w:sdt>"
            "</w:tr></w:sdtContent></w:sdt>"
            "<w:tr>"
            + cell.format("<w:vMerge/>", "")
            + cell.format("", "8 hours on site")
            + "</w:tr>"
            "</w:tbl>"
        )
    )
    path = tmp_path / "template.docx"
    document.save(str(path))

    texts = [b.text for b in read_document(path).blocks]
    assert texts == [
        "Provider:",
        "Availability = (T - D) / T",
        "Priority | Resolution",
        "P1 | 4 hours",
        "P1 | 8 hours on site",
    ]
    result = audit_document(path)
    assert {e.element: e.status for e in result.elements}["governing_law"] is Presence.ABSENT


def test_ligatures_in_a_pdf_text_layer_are_spelled_out(tmp_path: Path) -> None:
    """Fonts set "ff", "fi", "ffi" as one glyph and the text layer keeps its code point
    (U+FB00 for "ff"), so "efforts" reads "e\ufb00orts" and the effort wording was missed."""
    html = (
        '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><p>The Provider '
        "shall use commercially reasonable e\ufb00orts to restore the service within "
        "\ufb01ve (5) days and shall keep a sta\ufb03ng plan.</p></body></html>"
    )
    document = read_document(write_pdf(tmp_path / "typeset.pdf", html))
    assert [b.text for b in document.blocks] == [
        "The Provider shall use commercially reasonable efforts to restore the service "
        "within five (5) days and shall keep a staffing plan."
    ]
    found = [(f.category, f.match) for f in audit_document(tmp_path / "typeset.pdf").findings]
    assert ("effort", "commercially reasonable efforts") in found


def test_a_pdf_set_with_hyphenation_and_capital_headings_reads_as_its_text(
    tmp_path: Path,
) -> None:
    """Justified, hyphenated text (the typesetter breaks words with U+2010 at line ends) and a
    heading in capitals over a paragraph that starts in lower case, as many filed contracts are
    set. The words must come back whole and the heading must stay a heading."""
    words = (
        "acme-net shall host the designated applications and shall use commercially reasonable "
        "efforts to maintain the availability of the infrastructure. "
    )
    html = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><style>'
        "@page { size: A6; margin: 8mm; } p { text-align: justify; hyphens: auto; "
        'font-family: "DejaVu Serif"; font-size: 9pt; }</style></head><body>'
        f"<p>LIMITATION OF LIABILITY</p><p>{words * 3}</p></body></html>"
    )
    pdf = tmp_path / "typeset.pdf"
    write_pdf(pdf, html)
    from pypdf import PdfReader

    layer = PdfReader(pdf).pages[0].extract_text()
    assert "\u2010\n" in layer  # the typesetter did hyphenate, so the test tests something
    blocks = read_document(pdf).blocks
    assert (blocks[0].kind, blocks[0].text) == (BlockKind.HEADING, "LIMITATION OF LIABILITY")
    assert blocks[1].text == (words * 3).strip()


def test_soft_hyphens_and_zero_width_spaces_in_text_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / "pasted.txt"
    path.write_text("The Provider shall use best ef\u00adforts\u200b to respond.\nLine two.\n")
    blocks = read_document(path).blocks
    assert blocks[0].text == "The Provider shall use best efforts to respond. Line two."
    assert ("effort", "best efforts") in [
        (f.category, f.match) for f in audit_document(path).findings
    ]


def test_text_in_windows_encoding_with_crlf_is_read(tmp_path: Path) -> None:
    path = tmp_path / "contract.txt"
    path.write_bytes(
        "The Provider shall respond promptly – café hours.\r\nSecond line.\r\n".encode("cp1252")
    )
    document = read_document(path)
    assert document.blocks[0].text.startswith("The Provider shall respond promptly – café")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_text_saved_as_unicode_by_notepad_is_read(tmp_path: Path, encoding: str) -> None:
    # Notepad's "Unicode" is UTF-16 with a byte-order mark: every other byte of English text
    # is NUL, which must not be taken for a binary file.
    path = tmp_path / "contract.txt"
    text = "The Provider shall respond promptly – café hours.\r\n"
    data = text.encode(encoding)
    path.write_bytes(data if encoding == "utf-16" else b"\xfe\xff" + data)
    document = read_document(path)
    assert document.blocks[0].text == "The Provider shall respond promptly – café hours."


def test_markdown_is_read_by_its_suffix() -> None:
    document = read_document(FIXTURES / "vague-msa.md")
    assert document.format == "markdown"
    assert document.blocks[0].kind is BlockKind.HEADING


def test_a_pdf_with_an_empty_user_password_is_read(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    plain = write_pdf(tmp_path / "plain.pdf")
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password="", owner_password="owner-secret")
    locked = tmp_path / "restricted.pdf"
    with locked.open("wb") as handle:
        writer.write(handle)
    assert read_document(locked).pages == 2


def bad_input(tmp_path: Path, case: str) -> Path:
    """A file that clearpact must refuse, as a user might hand it over."""
    from pypdf import PdfReader, PdfWriter

    if case == "encrypted-pdf":
        writer = PdfWriter(clone_from=PdfReader(write_pdf(tmp_path / "plain.pdf")))
        writer.encrypt(user_password="secret", owner_password="secret")
        path = tmp_path / "encrypted.pdf"
        with path.open("wb") as handle:
            writer.write(handle)
        return path
    if case == "scanned-pdf":
        writer = PdfWriter()
        writer.add_blank_page(width=595, height=842)
        writer.add_blank_page(width=595, height=842)
        path = tmp_path / "scan.pdf"
        with path.open("wb") as handle:
            writer.write(handle)
        return path
    if case == "broken-pdf":
        path = tmp_path / "broken.pdf"
        path.write_text("this is not a PDF at all, just text with a .pdf suffix")
        return path
    if case == "truncated-pdf":
        data = write_pdf(tmp_path / "whole.pdf").read_bytes()
        path = tmp_path / "truncated.pdf"
        path.write_bytes(data[: len(data) // 3])
        return path
    if case == "broken-docx":
        path = tmp_path / "broken.docx"
        path.write_bytes(b"PK\x03\x04 not really a zip archive")
        return path
    if case == "docx-without-document":
        path = tmp_path / "hollow.docx"
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("hello.txt", "no word/document.xml here")
        return path
    if case == "empty":
        path = tmp_path / "empty.txt"
        path.write_bytes(b"")
        return path
    if case == "blank-text":
        path = tmp_path / "blank.md"
        path.write_text("\n\n   \n")
        return path
    if case == "binary-text":
        path = tmp_path / "image.txt"
        path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
        return path
    if case == "broken-utf16":
        path = tmp_path / "half.txt"
        path.write_bytes(b"\xff\xfeT\x00h\x00\x00\xd8")  # a lone high surrogate at the end
        return path
    if case == "unknown-suffix":
        path = tmp_path / "contract.xlsx"
        path.write_bytes(b"data")
        return path
    if case == "old-word":
        path = tmp_path / "contract.doc"
        path.write_bytes(b"\xd0\xcf\x11\xe0")
        return path
    if case == "missing":
        return tmp_path / "nowhere.pdf"
    if case == "folder":
        path = tmp_path / "folder.pdf"
        path.mkdir()
        return path
    raise AssertionError(case)


@pytest.mark.parametrize(
    ("case", "code", "words"),
    [
        ("encrypted-pdf", "CP134", "the PDF is encrypted and needs a password to open"),
        ("scanned-pdf", "CP135", "no text layer; OCR is not supported"),
        ("broken-pdf", "CP136", "not a readable PDF"),
        ("truncated-pdf", "CP136", "not a readable PDF"),
        ("broken-docx", "CP136", "not a readable DOCX document"),
        ("docx-without-document", "CP136", "not a readable DOCX document"),
        ("empty", "CP132", "the file is empty (0 bytes)"),
        ("blank-text", "CP137", "the document contains no text to audit"),
        ("binary-text", "CP136", "the file is not text"),
        ("broken-utf16", "CP136", "starts as UTF-16 text but is not valid UTF-16"),
        ("unknown-suffix", "CP131", "cannot audit a '.xlsx' file"),
        ("old-word", "CP131", "cannot audit a '.doc' file"),
        ("missing", "CP130", "cannot read the file: No such file or directory"),
        ("folder", "CP130", "cannot read the file"),
    ],
)
def test_a_bad_input_is_refused_with_a_diagnostic(
    tmp_path: Path, case: str, code: str, words: str
) -> None:
    path = bad_input(tmp_path, case)
    with pytest.raises(DocumentError) as caught:
        read_document(path)
    diagnostic = caught.value.diagnostic
    assert diagnostic.code == code
    assert words in diagnostic.message
    assert diagnostic.location is not None
    assert diagnostic.location.file == str(path)


def test_the_hint_for_an_old_word_file_says_to_save_as_docx(tmp_path: Path) -> None:
    with pytest.raises(DocumentError) as caught:
        read_document(bad_input(tmp_path, "old-word"))
    assert caught.value.diagnostic.hint is not None
    assert ".docx" in caught.value.diagnostic.hint


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_text("The Provider shall act. " * 100_000)  # 2.4 MB
    with pytest.raises(DocumentError) as caught:
        read_document(path, max_bytes=parse_size("1MB"))
    diagnostic = caught.value.diagnostic
    assert diagnostic.code == "CP133"
    assert diagnostic.message == "the file is 2.3 MB, over the limit of 1.0 MB"
    assert diagnostic.hint is not None
    assert "--max-size" in diagnostic.hint


def test_the_size_limit_is_configurable() -> None:
    assert parse_size("20MB") == 20 * 1024 * 1024
    assert parse_size("1.5 GiB") == int(1.5 * 1024**3)
    with pytest.raises(ValueError, match="not a size"):
        parse_size("big")


def test_a_pdf_with_some_pages_scanned_says_which_pages_were_not_read(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(write_pdf(tmp_path / "plain.pdf")))
    writer.add_blank_page(width=420, height=595)
    path = tmp_path / "mixed.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    document = read_document(path)
    assert document.notes == (
        "page 3 has no text layer (a scan?); OCR is not supported, so nothing there is audited",
    )


def test_a_table_a_pdf_flattened_still_gives_targets(tmp_path: Path) -> None:
    html = (
        "<h2>4. Service Levels</h2><p>4.1 The Provider shall meet these targets:</p><table>"
        "<tr><th>Priority</th><th>Response</th><th>Resolution</th></tr>"
        "<tr><td>P1</td><td>30 minutes</td><td>4 hours</td></tr>"
        "<tr><td>P2</td><td>2 hours</td><td>8 hours</td></tr></table>"
    )
    result = audit_document(write_pdf(tmp_path / "table.pdf", html))
    assert [s.text for s in result.sentences][-2:] == [
        "P1 30 minutes 4 hours",
        "P2 2 hours 8 hours",
    ]
    targets = {m: {k: v.value for k, v in t.items()} for m, t in result.terms.targets.items()}
    assert targets == {
        "first_response": {"P1": "30m", "P2": "2h"},
        "resolution": {"P1": "4h", "P2": "8h"},
    }

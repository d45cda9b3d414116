"""Contract documents the audit tests read: text fixtures on disk, and PDF and DOCX files built
in the test from the same words (WeasyPrint for PDF, python-docx for DOCX)."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN = Path(__file__).parent / "golden"

PDF_HTML = """<!DOCTYPE html><html><head><meta charset="utf-8"><style>
@page { size: A5; margin: 15mm; } body { font-family: "DejaVu Sans", sans-serif; font-size: 10pt; }
.break { page-break-before: always; }</style></head><body>
<h1>Hosting Services Agreement</h1>
<p>This Agreement is made between Nordlicht Cloud Services GmbH ("Provider") and Hafenbank AG ("Customer").</p>
<h2>1. Service Levels</h2>
<p>1.1 The Provider shall ensure 99.9% availability.</p>
<p>1.2 The Provider shall respond to P1 incidents promptly.</p>
<h2 class="break">2. Termination</h2>
<p>2.1 Either party may terminate this Agreement on thirty (20) days' written notice.</p>
<p>2.2 Service Credits of [***] apply.</p>
</body></html>"""


def write_pdf(path: Path, html: str = PDF_HTML) -> Path:
    """A PDF with a text layer, rendered from HTML by WeasyPrint (a clearpact dependency)."""
    from weasyprint import HTML

    HTML(string=html).write_pdf(path)
    return path


@pytest.fixture(scope="session")
def contract_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A two-page PDF contract: service levels on page 1, termination on page 2."""
    return write_pdf(tmp_path_factory.mktemp("pdf") / "hosting.pdf")


def write_docx(path: Path) -> Path:
    """A DOCX contract with styled headings, a numbered list, a page break and an SLA table."""
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    document.add_heading("Hosting Services Agreement", level=0)
    document.add_paragraph(
        'This Agreement is made between Nordlicht Cloud Services GmbH ("Provider") and '
        'Hafenbank AG ("Customer").'
    )
    document.add_heading("1. Service Levels", level=1)
    document.add_paragraph("The Provider shall ensure 99.9% availability in each calendar month.")
    document.add_paragraph("The Provider shall:")
    document.add_paragraph("respond to P1 incidents promptly;", style="List Number")
    document.add_paragraph("resolve them as soon as possible.", style="List Number")
    table = document.add_table(rows=3, cols=3)
    for row, cells in zip(
        table.rows,
        [
            ("Priority", "Response", "Resolution"),
            ("P1", "30 minutes", "4 hours"),
            ("P2", "2 hours", "8 hours"),
        ],
        strict=True,
    ):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    paragraph = document.add_paragraph()
    paragraph.add_run().add_break(WD_BREAK.PAGE)
    document.add_heading("2. Termination", level=1)
    document.add_paragraph(
        "Either party may terminate this Agreement on thirty (20) days' written notice."
    )
    document.save(str(path))
    return path


@pytest.fixture(scope="session")
def contract_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A DOCX contract: SLA table on page 1, termination after a page break."""
    return write_docx(tmp_path_factory.mktemp("docx") / "hosting.docx")

"""``clearpact audit``: a prose contract (PDF, DOCX, text, Markdown) checked for vague or
unmeasurable commitments and for the clauses a profile requires, with a draft agreement."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from clearpact.agreement import AgreementError, load_text
from clearpact.cli.app import SEVERITY_STYLE, OutputFormat, app
from clearpact.exit_codes import ExitCode
from clearpact.ingest.documents import DocumentError, audit_document, parse_size
from clearpact.lint.prose import AuditResult, Presence, draft_agreement
from clearpact.lint.prose.audit import rules_in
from clearpact.lint.prose.export import audit_json
from clearpact.lint.prose.findings import ProseFinding
from clearpact.lint.sarif import audit_to_sarif

_STATUS_STYLE = {Presence.PRESENT: "green", Presence.ABSENT: "bold red", Presence.REDACTED: "cyan"}


class AuditProfile(StrEnum):
    """Which required clauses ``clearpact audit`` checks."""

    BLUEPRINT = "blueprint"
    DORA = "dora"


@app.command()
def audit(
    contract: Annotated[
        Path, typer.Argument(help="The contract: .pdf, .docx, .txt or .md.", show_default=False)
    ],
    profile: Annotated[
        AuditProfile,
        typer.Option("--profile", help="blueprint, or dora (the blueprint plus DORA Art. 30)."),
    ] = AuditProfile.BLUEPRINT,
    critical: Annotated[
        bool,
        typer.Option(
            "--critical/--not-critical",
            help="dora: the ICT services support critical or important functions (Art. 30(3) applies).",
        ),
    ] = True,
    output: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="text, json or sarif.")
    ] = OutputFormat.TEXT,
    html: Annotated[
        Path | None, typer.Option("--html", help="Also write the audit as an HTML page here.")
    ] = None,
    draft: Annotated[
        Path | None,
        typer.Option("--draft-agreement", help="Write a draft agreement YAML of the terms found."),
    ] = None,
    max_size: Annotated[
        str, typer.Option("--max-size", help="Refuse larger files, e.g. 20MB, 500KB.")
    ] = "20MB",
    show_elements: Annotated[
        bool, typer.Option("--elements/--no-elements", help="text: list every element found.")
    ] = True,
) -> None:
    """Audit a prose contract: vague or unmeasurable commitments, undefined terms, numbers that
    disagree, redactions, and the clauses the profile requires.

    Exits 1 when a finding is an error, 2 when the file cannot be read.
    """
    console = Console(soft_wrap=True)
    errors = Console(stderr=True, soft_wrap=True)
    try:
        limit = parse_size(max_size)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--max-size") from None
    try:
        # about 16 s per MB of text on one core: say what is happening on a large file
        with errors.status(f"auditing {escape(contract.name)}"):
            result = audit_document(
                contract, profile=profile.value, critical=critical, max_bytes=limit
            )
    except DocumentError as exc:
        _print_error(exc, output, errors)
        raise typer.Exit(ExitCode.USAGE) from None
    if output is OutputFormat.JSON:
        print(json.dumps(audit_json(result), indent=2, ensure_ascii=False))
    elif output is OutputFormat.SARIF:
        print(json.dumps(audit_to_sarif(result, rules_in(result.profile)), indent=2))
    else:
        _print_text(console, result, show_elements=show_elements)
    said = console if output is OutputFormat.TEXT else errors
    if html is not None:
        from clearpact.report.audit_html import render_audit_html

        html.write_text(render_audit_html(result), encoding="utf-8")
        said.print(f"wrote {escape(str(html))}", highlight=False)
    if draft is not None:
        text = draft_agreement(result)
        try:
            load_text(text, str(draft))
        except AgreementError as exc:  # a bug: the draft is built to load
            for diagnostic in exc.diagnostics:
                errors.print(diagnostic.render(), markup=False, highlight=False)
            errors.print("the draft agreement does not load; please report this with the contract")
        draft.write_text(text, encoding="utf-8")
        said.print(
            f"wrote {escape(str(draft))} (a draft: check every TODO, then `clearpact lint {escape(str(draft))}`)",
            highlight=False,
        )
    if result.errors:
        raise typer.Exit(ExitCode.FINDINGS)


def _print_error(exc: DocumentError, output: OutputFormat, console: Console) -> None:
    d = exc.diagnostic
    if output is OutputFormat.TEXT:
        console.print(d.render(), markup=False, highlight=False)
        return
    print(
        json.dumps(
            {
                "file": d.location.file if d.location else None,
                "error": {
                    "code": d.code,
                    "severity": d.severity.value,
                    "message": d.message,
                    "hint": d.hint,
                },
            },
            indent=2,
        )
    )


def _where(result: AuditResult, f: ProseFinding) -> str:
    source = result.document.source
    if f.line is not None:
        return f"{source}:{f.line}"
    if f.page is None:
        return source
    page = f"p. {f.page}" if result.document.exact_pages else f"p. ~{f.page}"
    return f"{source} ({page}, ¶ {f.paragraph})"


def _print_text(console: Console, result: AuditResult, *, show_elements: bool) -> None:
    for note in result.document.notes:
        console.print(f"[yellow]note:[/] {escape(note)}", highlight=False)
    for f in result.findings:
        style = SEVERITY_STYLE[f.severity]
        console.print(
            f"[bold]{escape(_where(result, f))}[/]: [{style}]{f.rule} {f.severity}[/] "
            f"[dim]({f.name})[/]: {escape(f.message)}",
            highlight=False,
        )
        if f.text:
            sentence = Text("  │ ", style="dim")
            body = Text(f.text)
            if f.start is not None and f.end is not None:
                body.stylize("bold reverse", f.start, f.end)
            sentence.append_text(body)
            console.print(sentence, highlight=False)
        console.print(f"  [dim]hint:[/] {escape(f.hint)}", highlight=False)
    if show_elements:
        table = Table(
            "element", "status", "where", "evidence", title="Elements", title_justify="left"
        )
        for e in result.elements:
            s = e.sentence
            evidence = "" if s is None else (s.text if len(s.text) <= 90 else s.text[:89] + "…")
            where = "" if s is None else f"p. {s.page}, ¶ {s.paragraph}"
            table.add_row(
                e.element,
                f"[{_STATUS_STYLE[e.status]}]{e.status}[/]",
                where,
                escape(evidence),
            )
        console.print(table)
    present = sum(1 for e in result.elements if e.present)
    redacted = sum(1 for e in result.elements if e.present is None)
    notes = len(result.findings) - result.errors - result.warnings
    scope = ""
    if result.profile == "dora":
        scope = ", critical or important functions" if result.critical else ", Art. 30(2) only"
    console.print(
        f"\n{escape(result.document.source)}: {result.errors} errors, {result.warnings} warnings, "
        f"{notes} notes in {len(result.sentences)} sentences; {present} of {len(result.elements)} "
        f"elements present{f', {redacted} redacted' if redacted else ''} "
        f"(profile {result.profile}{scope}; lexicon {result.lexicon_version})",
        highlight=False,
    )

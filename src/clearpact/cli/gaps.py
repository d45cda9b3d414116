"""The ``gaps`` command: commitments in e-mails compared with the agreement."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.markup import escape

from clearpact.cli.app import OutputFormat, app, load_or_exit, usage_error
from clearpact.exit_codes import ExitCode
from clearpact.explain.wording import moment_words
from clearpact.gaps import Assessment, assess
from clearpact.gaps.times import TimeTerm
from clearpact.ingest.emails import (
    DEFAULT_MAX_BYTES,
    EmailFileError,
    parse_size,
    read_emails,
    size_words,
)


class GapsFormat(StrEnum):
    """How ``gaps`` prints its results."""

    TEXT = "text"
    JSON = "json"


_GAP_STYLE = {
    "stricter": "bold red",
    "out_of_scope": "bold magenta",
    "contradicts_policy": "bold red",
    "vague": "yellow",
}


def _iso(instant: dt.datetime | None) -> str | None:
    return instant.isoformat() if instant is not None else None


def _term_row(term: TimeTerm | None) -> dict[str, Any] | None:
    """The time expression as read: its form and, as they apply, the length in seconds, the
    number of working days, the local day and the local time (None: end of business)."""
    if term is None:
        return None
    return {
        "form": term.form.value,
        "seconds": term.seconds or None,
        "days": term.days or None,
        "day": term.day.isoformat() if term.day else None,
        "at": term.at.strftime("%H:%M") if term.at else None,
        "first_thing": term.first_thing,
    }


def assessment_row(assessment: Assessment) -> dict[str, Any]:
    """One commitment as the JSON output lists it."""
    commitment, gap = assessment.commitment, assessment.gap
    return {
        "text": commitment.text,
        "kind": commitment.kind.value,
        "time_expression": commitment.time_expression,
        "sender": commitment.sender,
        "date": _iso(commitment.date),
        "gap": gap.kind.value if gap else None,
        "clause": assessment.clause,
        "suggestion": gap.suggestion if gap else None,
        "amendment": gap.amendment if gap else None,
        "reason": gap.reason if gap else None,
        "note": assessment.note,
        "source": commitment.source,
        "party": assessment.party.value,
        "measure": commitment.measure.value if commitment.measure else None,
        "priority": assessment.priority.key if assessment.priority else None,
        "priority_basis": assessment.priority.basis.value if assessment.priority else None,
        "time": _term_row(commitment.time),
        "promised_by": _iso(assessment.promised_by),
        "agreement_due": _iso(assessment.agreement_due),
    }


def _when(date: dt.datetime | None, zone: ZoneInfo) -> str:
    """The message date in the agreement's zone, in words; as written when it cannot be moved
    there (a year at the edge of the calendar)."""
    if date is None:
        return "date unknown"
    try:
        return moment_words(date.astimezone(zone))
    except (OverflowError, ValueError):
        return date.isoformat()


def _print_errors(errors: list[EmailFileError]) -> None:
    stderr = Console(stderr=True, soft_wrap=True)
    for error in errors:
        stderr.print(f"[bold red]error:[/] {escape(str(error))}", highlight=False)
        if error.hint:
            stderr.print(f"  [dim]hint:[/] {escape(error.hint)}", highlight=False)


def _print_text(
    console: Console,
    assessments: list[Assessment],
    show_all: bool,
    notes: list[tuple[str, str]],
    zone: ZoneInfo,
) -> None:
    for source, note in notes:
        console.print(f"[yellow]note:[/] {escape(source)}: {escape(note)}", highlight=False)
    if notes:
        console.print()
    for assessment in assessments:
        commitment, gap = assessment.commitment, assessment.gap
        if gap is None and not show_all:
            continue
        when = _when(commitment.date, zone)
        who = commitment.sender or "sender unknown"
        console.print(
            f"[bold]{escape(commitment.source)}[/] [dim]— {escape(who)}, {escape(when)}[/]",
            highlight=False,
        )
        label = gap.kind.value if gap else "consistent"
        style = _GAP_STYLE.get(label, "green")
        console.print(f"  [{style}]{label}[/] “{escape(commitment.text)}”", highlight=False)
        console.print(
            f"  [dim]kind:[/] {commitment.kind.value}"
            + (
                f"   [dim]time:[/] {escape(commitment.time_expression)}"
                if commitment.time_expression
                else ""
            )
            + (f"   [dim]clause:[/] {escape(assessment.clause)}" if assessment.clause else ""),
            highlight=False,
        )
        if gap is not None:
            console.print(f"  [dim]why:[/] {escape(gap.reason)}", highlight=False)
            console.print(f"  [dim]reply:[/] {escape(gap.suggestion)}", highlight=False)
            if gap.amendment:
                console.print(f"  [dim]or amend:[/] {escape(gap.amendment)}", highlight=False)
        elif assessment.note:
            console.print(f"  [dim]note:[/] {escape(assessment.note)}", highlight=False)
        console.print()


def _summary(assessments: list[Assessment], messages: int, files: int) -> str:
    gaps = Counter(a.gap.kind.value for a in assessments if a.gap is not None)
    total = sum(gaps.values())
    parts = ", ".join(f"{count} {kind}" for kind, count in sorted(gaps.items()))
    found = f"{total} gap(s): {parts}" if total else "no gaps"
    return (
        f"{len(assessments)} commitment(s) in {messages} message(s) from {files} file(s); {found}"
    )


@app.command()
def gaps(
    agreement: Annotated[Path, typer.Argument(help="The agreement YAML file.", show_default=False)],
    emails: Annotated[
        list[Path],
        typer.Argument(
            help="E-mail files (.eml, .mbox, Outlook .msg, .txt) or folders of them.",
            show_default=False,
        ),
    ],
    output: Annotated[
        GapsFormat, typer.Option("--format", "-f", help="text or json.")
    ] = GapsFormat.TEXT,
    max_size: Annotated[
        str, typer.Option("--max-size", help="Refuse files larger than this, e.g. 50MB.")
    ] = size_words(DEFAULT_MAX_BYTES).replace(" ", ""),
    show_all: Annotated[
        bool, typer.Option("--all", help="Also show commitments that match the agreement.")
    ] = False,
) -> None:
    """Commitments in e-mails (promised times, coverage, guarantees) compared with the agreement.

    Exits 1 when a commitment departs from the agreement, 2 when a file cannot be read.
    """
    console = Console(soft_wrap=True)
    document = load_or_exit(
        agreement, OutputFormat.JSON if output is GapsFormat.JSON else OutputFormat.TEXT, console
    )
    try:
        limit = parse_size(max_size)
    except ValueError as exc:
        usage_error(f"--max-size: {exc}")
    files, errors = read_emails(emails, max_bytes=limit)
    _print_errors(errors)
    if not files:
        raise typer.Exit(ExitCode.USAGE)
    messages = [message for file in files for message in file.messages]
    notes = [(str(file.path), note) for file in files for note in file.notes]
    notes += [(message.source, note) for message in messages for note in message.notes]
    with Console(stderr=True).status(f"reading {len(messages):,} message(s)"):
        assessments = assess(document.agreement, messages)
    if output is GapsFormat.JSON:
        payload = {
            "agreement": str(agreement),
            "messages": len(messages),
            "gaps": sum(1 for a in assessments if a.gap is not None),
            "commitments": [assessment_row(a) for a in assessments],
            "notes": [{"source": source, "note": note} for source, note in notes],
            "errors": [{"file": e.path, "message": e.problem, "hint": e.hint} for e in errors],
        }
        print(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        zone = ZoneInfo(document.agreement.home_zone)
        _print_text(console, assessments, show_all, notes, zone)
        console.print(_summary(assessments, len(messages), len(files)), highlight=False)
    if errors:
        raise typer.Exit(ExitCode.USAGE)
    if any(a.gap is not None for a in assessments):
        raise typer.Exit(ExitCode.FINDINGS)

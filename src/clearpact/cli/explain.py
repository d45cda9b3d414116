"""Commands that explain: ``explain`` (the agreement in plain language) and ``explain-ticket``
(why one ticket met or missed each SLA).
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from clearpact.cli.app import (
    AsOf,
    ClosedStatuses,
    OutputFormat,
    ResolvedStatuses,
    Timezone,
    app,
    as_of_or_exit,
    load_or_exit,
    status_meanings,
    usage_error,
)
from clearpact.clock import NotSupportedError
from clearpact.clock.evidence import describe, explain_ticket
from clearpact.explain import (
    explain_agreement,
    render_html,
    render_markdown,
    render_text,
    text_renderables,
)
from clearpact.ingest.canonical import CanonicalFileError, read_events, read_tickets


class ExplainFormat(StrEnum):
    """How ``explain`` prints the plain-language schedule."""

    TEXT = "text"
    MARKDOWN = "markdown"
    HTML = "html"


@app.command()
def explain(
    agreement: Annotated[Path, typer.Argument(help="The agreement YAML file.", show_default=False)],
    output: Annotated[
        ExplainFormat, typer.Option("--format", "-f", help="text, markdown or html.")
    ] = ExplainFormat.TEXT,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """The agreement in plain language, with worked examples measured by the SLA clock.

    Exits 1 when the agreement is invalid, 2 when it cannot be read (as `lint` does).
    """
    loaded = load_or_exit(agreement, OutputFormat.TEXT, Console(soft_wrap=True))  # errors as `lint`
    document = explain_agreement(loaded.agreement)
    if output is ExplainFormat.TEXT and out is None:
        console = Console()
        for renderable in text_renderables(document):
            console.print(renderable)
        return
    render = {
        ExplainFormat.TEXT: render_text,
        ExplainFormat.MARKDOWN: render_markdown,
        ExplainFormat.HTML: render_html,
    }[output]
    text = render(document)
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        print(f"wrote {out}")


@app.command("explain-ticket")
def explain_ticket_command(
    agreement: Annotated[Path, typer.Argument(help="The agreement file (YAML).")],
    ticket: Annotated[str, typer.Argument(help="The ticket id.")],
    tickets: Annotated[
        Path, typer.Option("--tickets", help="Canonical tickets table (.parquet or .csv).")
    ],
    events: Annotated[
        Path, typer.Option("--events", help="Canonical events table (.parquet or .csv).")
    ],
    as_of: AsOf = None,
    timezone: Timezone = None,
    resolved: ResolvedStatuses = None,
    closed: ClosedStatuses = None,
) -> None:
    """Why a ticket met or missed each SLA: its segments, business time, target and clause."""
    console = Console(soft_wrap=True)
    document = load_or_exit(agreement, OutputFormat.TEXT, console)
    now = as_of_or_exit(as_of, timezone)
    statuses = status_meanings(resolved, closed)
    try:
        ticket_table = read_tickets(tickets, zone=timezone)
        event_table = read_events(events, zone=timezone)
    except CanonicalFileError as exc:
        usage_error(str(exc))
    try:
        explanations = explain_ticket(
            document.agreement, ticket_table, event_table, ticket, as_of=now, statuses=statuses
        )
    except KeyError:
        usage_error(f"{tickets}: no ticket with id {ticket!r}")
    except NotSupportedError as exc:
        usage_error(f"{agreement}: {exc}")
    for explanation in explanations:
        for line in describe(explanation):
            console.print(line, highlight=False, markup=False)
        console.print()

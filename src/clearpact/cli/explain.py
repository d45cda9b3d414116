"""Commands that explain: ``explain`` (the agreement in plain language) and ``explain-ticket``
(why one ticket met or missed each SLA).
"""

from __future__ import annotations

import datetime as dt
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from clearpact.cli.app import (
    OutputFormat,
    app,
    instant_or_exit,
    load_or_exit,
    usage_error,
    zone_or_exit,
)
from clearpact.clock import NotSupportedError, StatusMeanings
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
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Measure open clocks up to this instant (ISO 8601); now."),
    ] = None,
    timezone: Annotated[
        str | None,
        typer.Option("--timezone", help="Zone of times written without an offset."),
    ] = None,
    resolved: Annotated[
        list[str] | None,
        typer.Option("--resolved-status", help="A status that resolves a ticket (repeatable)."),
    ] = None,
    closed: Annotated[
        list[str] | None,
        typer.Option("--closed-status", help="A status that closes a ticket (repeatable)."),
    ] = None,
) -> None:
    """Why a ticket met or missed each SLA: its segments, business time, target and clause."""
    console = Console(soft_wrap=True)
    document = load_or_exit(agreement, OutputFormat.TEXT, console)
    try:
        ticket_table = read_tickets(tickets, zone=timezone)
        event_table = read_events(events, zone=timezone)
    except CanonicalFileError as exc:
        usage_error(str(exc))
    now = dt.datetime.now(dt.UTC)
    if as_of is not None:
        now = instant_or_exit("--as-of", as_of, zone_or_exit("--timezone", timezone)).at
    defaults = StatusMeanings()
    statuses = StatusMeanings(
        resolved=frozenset(resolved) if resolved else defaults.resolved,
        closed=frozenset(closed) if closed else defaults.closed,
    )
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

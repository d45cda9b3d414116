"""The Typer application, its global options, and what every command shares: loading an
agreement (printing load errors as ``lint`` does) and one-line usage errors (exit 2).
"""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.markup import escape

from clearpact import __version__
from clearpact.agreement import AgreementDocument, AgreementError, load_document
from clearpact.calendar.queries import Instant, QueryError, read_instant, zone_named
from clearpact.clock.tables import StatusMeanings
from clearpact.diagnostics import Diagnostic, Severity
from clearpact.exit_codes import ExitCode

app = typer.Typer(
    help="Managed-service agreements as code: validate, lint and explain them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


class OutputFormat(StrEnum):
    """How ``lint`` prints its findings."""

    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"


def _version(value: bool) -> None:
    if value:
        print(f"clearpact {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """clearpact: one YAML file holds the whole agreement; clearpact checks it is clear."""


def load_or_exit(agreement: Path, output: OutputFormat, console: Console) -> AgreementDocument:
    """The agreement, or its load diagnostics printed and the process ended: exit 2 when the
    file cannot be read (CP107), 1 when it is read but invalid."""
    try:
        return load_document(agreement)
    except AgreementError as exc:
        print_load_errors(exc, output, console)
        raise typer.Exit(
            ExitCode.USAGE if exc.diagnostics[0].code == "CP107" else ExitCode.FINDINGS
        ) from None


def print_load_errors(exc: AgreementError, output: OutputFormat, console: Console) -> None:
    if output is OutputFormat.TEXT:
        for diagnostic in exc.diagnostics:
            console.print(diagnostic.render(), highlight=False, markup=False)
        console.print(f"\n{len(exc.diagnostics)} problem(s): the agreement could not be loaded.")
        return
    rows = [
        {
            "rule": d.code,
            "severity": d.severity.value,
            "section": "load",
            "message": d.message,
            "hint": d.hint,
            "path": d.location.path if d.location else "",
            "line": d.location.line if d.location else None,
            "column": d.location.column if d.location else None,
        }
        for d in exc.diagnostics
    ]
    print(json.dumps({"score": None, "findings": rows}, indent=2))


def print_diagnostics(diagnostics: list[Diagnostic]) -> None:
    """Diagnostics compiler style on stderr, one per line with its hint."""
    stderr = Console(stderr=True, soft_wrap=True)
    for diagnostic in diagnostics:
        stderr.print(diagnostic.render(), highlight=False, markup=False)


def usage_error(message: str) -> NoReturn:
    """One line on stderr, exit 2."""
    Console(stderr=True, soft_wrap=True).print(
        f"[bold red]error:[/] {escape(message)}", highlight=False
    )
    raise typer.Exit(ExitCode.USAGE)


AsOf = Annotated[
    str | None,
    typer.Option("--as-of", help="Measure open clocks up to this instant (ISO 8601); now."),
]
Timezone = Annotated[
    str | None, typer.Option("--timezone", help="Zone of times written without an offset.")
]
ResolvedStatuses = Annotated[
    list[str] | None,
    typer.Option("--resolved-status", help="A status that resolves a ticket (repeatable)."),
]
ClosedStatuses = Annotated[
    list[str] | None,
    typer.Option("--closed-status", help="A status that closes a ticket (repeatable)."),
]
"""Options the commands that run the clock share."""


def as_of_or_exit(as_of: str | None, timezone: str | None) -> dt.datetime:
    """``--as-of`` read in ``--timezone`` (both checked; a usage error names the option), or
    now to the second."""
    zone = zone_or_exit("--timezone", timezone)
    if as_of is None:
        return dt.datetime.now(dt.UTC).replace(microsecond=0)
    return instant_or_exit("--as-of", as_of, zone).at


def status_meanings(resolved: list[str] | None, closed: list[str] | None) -> StatusMeanings:
    """The statuses given with ``--resolved-status`` / ``--closed-status``, else the defaults."""
    defaults = StatusMeanings()
    return StatusMeanings(
        resolved=frozenset(resolved) if resolved else defaults.resolved,
        closed=frozenset(closed) if closed else defaults.closed,
    )


def zone_or_exit(name: str, zone: str | None) -> ZoneInfo:
    """The IANA zone given to option ``name`` (UTC when none), or a usage error naming the
    nearest known zone."""
    try:
        return zone_named(zone or "UTC")
    except QueryError as exc:
        usage_error(f"{name}: {exc}")


def instant_or_exit(name: str, text: str, zone: ZoneInfo) -> Instant:
    try:
        return read_instant(text, zone)
    except QueryError as exc:
        usage_error(f"{name}: {exc}")

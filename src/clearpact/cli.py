"""The ``clearpact`` command: parse the command line, call one library function, render.

Commands so far: ``lint``, ``schema``, ``init``, ``explain``, ``explain-ticket``, and the
``calendar`` group (``elapsed``, ``due``). Exit codes: :class:`clearpact.exit_codes.ExitCode`.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from clearpact import __version__
from clearpact.agreement import AgreementDocument, AgreementError, load_document, load_text
from clearpact.agreement.schema import agreement_schema
from clearpact.agreement.starter import StarterAnswers, render_starter
from clearpact.calendar import Calendar
from clearpact.calendar.business import US, to_micros
from clearpact.calendar.queries import (
    Batch,
    Instant,
    QueryError,
    amendments_to_calendar,
    business_duration_text,
    calendar_named,
    describe_instant,
    due_rows,
    elapsed_rows,
    read_business_duration,
    read_instant,
    seconds_text,
    zone_named,
)
from clearpact.clock import NotSupportedError, StatusMeanings
from clearpact.clock.evidence import describe, explain_ticket
from clearpact.diagnostics import Severity
from clearpact.exit_codes import ExitCode
from clearpact.explain import (
    explain_agreement,
    render_html,
    render_markdown,
    render_text,
    text_renderables,
)
from clearpact.ingest.canonical import CanonicalFileError, read_events, read_tickets
from clearpact.kpi.catalogue import FORMULAS
from clearpact.lint import RULES, lint_agreement
from clearpact.lint.sarif import to_sarif

app = typer.Typer(
    help="Managed-service agreements as code: validate, lint and explain them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


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


@app.command()
def lint(
    agreement: Annotated[
        Path | None, typer.Argument(help="The agreement YAML file.", show_default=False)
    ] = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="text, json or sarif.")
    ] = OutputFormat.TEXT,
    disable: Annotated[
        list[str] | None, typer.Option("--disable", help="Rule id to skip; repeatable.")
    ] = None,
    list_rules: Annotated[
        bool, typer.Option("--list-rules", help="Print every rule and exit.")
    ] = False,
    list_kpis: Annotated[
        bool, typer.Option("--list-kpis", help="Print the KPI formula ids and exit.")
    ] = False,
) -> None:
    """Validate an agreement and report what is missing, unmeasurable, inconsistent or vague.

    Exits 1 when the agreement is invalid or a finding is an error.
    """
    console = Console(soft_wrap=True)
    if list_rules:
        _print_rules(console, output)
        return
    if list_kpis:
        for formula in FORMULAS.values():
            print(f"{formula.id:32} {formula.unit:9} {formula.description}")
        return
    if agreement is None:
        raise typer.BadParameter("give the agreement file, or --list-rules", param_hint="AGREEMENT")
    unknown = [d for d in disable or [] if d not in RULES]
    if unknown:
        raise typer.BadParameter(f"no such rule: {', '.join(unknown)}", param_hint="--disable")
    document = _load(agreement, output, console)
    result = lint_agreement(document.agreement, disabled=disable or [])
    located = [(f, document.locate(f.path)) for f in result.findings]
    if output is OutputFormat.JSON:
        payload = {
            "file": str(agreement),
            "score": result.score,
            "findings": [
                {
                    "rule": f.rule,
                    "name": f.name,
                    "severity": f.severity.value,
                    "section": f.section.value,
                    "message": f.message,
                    "hint": f.hint,
                    "path": f.path,
                    "line": loc.line,
                    "column": loc.column,
                }
                for f, loc in located
            ],
        }
        print(json.dumps(payload, indent=2))
    elif output is OutputFormat.SARIF:
        active = [r for r in RULES.values() if r.id not in set(disable or [])]
        print(json.dumps(to_sarif(located, active), indent=2))
    else:
        for finding, location in located:
            console.print(
                f"[bold]{location}[/]: [{_STYLE[finding.severity]}]{finding.rule} "
                f"{finding.severity}[/] [dim]({finding.name})[/]: {escape(finding.message)}",
                highlight=False,
            )
            console.print(f"  [dim]hint:[/] {escape(finding.hint)}", highlight=False)
        colour = "green" if result.score >= 90 else "yellow" if result.score >= 70 else "red"
        console.print(
            f"\n{escape(str(agreement))}: [bold]clarity score [{colour}]{result.score}/100[/][/] — "
            f"{result.errors} errors, {result.warnings} warnings, "
            f"{len(result.findings) - result.errors - result.warnings} notes "
            f"({len(RULES) - len(disable or [])} rules)",
            highlight=False,
        )
    if result.errors:
        raise typer.Exit(ExitCode.FINDINGS)


def _print_rules(console: Console, output: OutputFormat) -> None:
    if output is OutputFormat.JSON:
        rows = [
            {
                "rule": r.id,
                "name": r.name,
                "severity": r.severity.value,
                "family": r.family.value,
                "section": r.section.value,
                "summary": r.summary,
                "hint": r.hint,
            }
            for r in RULES.values()
        ]
        print(json.dumps(rows, indent=2))
        return
    table = Table("id", "name", "severity", "family", "section", "checks", show_lines=False)
    for r in RULES.values():
        table.add_row(
            r.id, r.name, r.severity.value, r.family.value, r.section.value, escape(r.summary)
        )
    console.print(table)


def _load(agreement: Path, output: OutputFormat, console: Console) -> AgreementDocument:
    """The agreement, or its load diagnostics printed and the process ended: exit 2 when the
    file cannot be read (CP107), 1 when it is read but invalid."""
    try:
        return load_document(agreement)
    except AgreementError as exc:
        _print_load_errors(exc, output, console)
        raise typer.Exit(
            ExitCode.USAGE if exc.diagnostics[0].code == "CP107" else ExitCode.FINDINGS
        ) from None


def _print_load_errors(exc: AgreementError, output: OutputFormat, console: Console) -> None:
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


@app.command()
def schema(
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """Print the JSON Schema of the agreement file, for editors (completion and checking)."""
    text = json.dumps(agreement_schema(), indent=2) + "\n"
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        print(f"wrote {out}")


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the agreement.")] = Path(
        "agreement.yaml"
    ),
    interactive: Annotated[
        bool, typer.Option("--interactive", "-i", help="Ask for names, fee, time zone, holidays.")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starter agreement that loads and lints."""
    if path.exists() and not force:
        raise typer.BadParameter(f"{path} exists; use --force to overwrite it", param_hint="PATH")
    answers = StarterAnswers()
    if interactive:
        answers = StarterAnswers(
            provider=typer.prompt("Provider (your company)", default=answers.provider),
            customer=typer.prompt("Customer", default=answers.customer),
            currency=typer.prompt("Currency (ISO 4217)", default=answers.currency).upper(),
            monthly_fee=typer.prompt("Monthly fee", default=answers.monthly_fee, type=int),
            timezone=typer.prompt("Time zone of business hours", default=answers.timezone),
            holiday_country=typer.prompt(
                "Public holidays of country (ISO code)", default=answers.holiday_country
            ).upper(),
            start=typer.prompt("Start date (YYYY-MM-DD)", default=answers.start),
        )
    text = render_starter(answers)
    try:
        load_text(text, str(path))
    except AgreementError as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic.render())
        print("the answers above do not make a valid agreement; nothing was written")
        raise typer.Exit(ExitCode.FINDINGS) from None
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}; next: clearpact lint {path}")


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
    loaded = _load(agreement, OutputFormat.TEXT, Console(soft_wrap=True))  # errors as `lint`
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


calendar_app = typer.Typer(
    help="Business time on an agreement's calendars: time elapsed, and when something is due.",
    no_args_is_help=True,
)
app.add_typer(calendar_app, name="calendar")


class AnswerFormat(StrEnum):
    """How a ``calendar`` command prints a single answer."""

    TEXT = "text"
    JSON = "json"


AgreementArg = Annotated[Path, typer.Argument(help="The agreement YAML file.", show_default=False)]
CalendarArg = Annotated[
    str, typer.Argument(help="A calendar name under `calendars:`.", show_default=False)
]
ZoneOption = Annotated[
    str | None,
    typer.Option(
        "--timezone",
        "-z",
        help="IANA zone for timestamps without an offset. Default: the calendar's zone.",
        show_default=False,
    ),
]
CsvOption = Annotated[
    Path | None,
    typer.Option("--csv", help="Answer every row of this CSV file instead.", show_default=False),
]
OutOption = Annotated[
    Path | None,
    typer.Option(
        "--out", "-o", help="With --csv: write the CSV here, not to stdout.", show_default=False
    ),
]
FormatOption = Annotated[
    AnswerFormat, typer.Option("--format", "-f", help="text or json (one pair, not --csv).")
]


@calendar_app.command("elapsed")
def calendar_elapsed(
    agreement: AgreementArg,
    calendar: CalendarArg,
    start: Annotated[
        str | None, typer.Argument(help="ISO 8601 timestamp.", show_default=False)
    ] = None,
    end: Annotated[
        str | None, typer.Argument(help="ISO 8601 timestamp.", show_default=False)
    ] = None,
    timezone: ZoneOption = None,
    csv_in: CsvOption = None,
    out: OutOption = None,
    output: FormatOption = AnswerFormat.TEXT,
) -> None:
    """Business time between START and END on CALENDAR (negative if END is earlier).

    With --csv FILE, each row's `start` and `end` columns instead; the CSV gains
    `elapsed_business_s`, `elapsed` and `error`. Exits 1 if a row could not be read.
    """
    console = Console(soft_wrap=True)
    pair = _pair("START END", start, end, csv_in, out, output)
    cal, zone = _calendar(agreement, calendar, timezone, output, console)
    if isinstance(pair, Path):
        _answer_csv(pair, out, lambda header, rows: elapsed_rows(cal, header, rows, zone))
        return
    first, last = _instant("START", pair[0], zone), _instant("END", pair[1], zone)
    micros = to_micros(last.at) - to_micros(first.at)  # wall-clock µs, for the comparison
    elapsed = cal.elapsed(first.at, last.at) // dt.timedelta(microseconds=1)
    if output is AnswerFormat.JSON:
        payload = {
            **_context(agreement, calendar, cal),
            "start": _instant_json(first, cal),
            "end": _instant_json(last, cal),
            "elapsed_business_s": _json_seconds(elapsed),
            "elapsed": business_duration_text(elapsed),
            "elapsed_wall_clock_s": _json_seconds(micros),
        }
        print(json.dumps(payload, indent=2))
        return
    _print_instant(console, "start", first, cal)
    _print_instant(console, "end", last, cal)
    console.print(
        f"[bold]{business_duration_text(elapsed)}[/] of business time on '{escape(calendar)}' "
        f"({seconds_text(elapsed)} s; {business_duration_text(micros)} on the wall clock)",
        highlight=False,
    )


@calendar_app.command("due")
def calendar_due(
    agreement: AgreementArg,
    calendar: CalendarArg,
    start: Annotated[
        str | None, typer.Argument(help="ISO 8601 timestamp.", show_default=False)
    ] = None,
    duration: Annotated[
        str | None,
        typer.Argument(help="Business time to add: 30m, 4h, 1h30m.", show_default=False),
    ] = None,
    timezone: ZoneOption = None,
    csv_in: CsvOption = None,
    out: OutOption = None,
    output: FormatOption = AnswerFormat.TEXT,
) -> None:
    """When DURATION of business time on CALENDAR has passed since START: the due instant.

    With --csv FILE, each row's `start` and `duration` columns instead; the CSV gains `due_at`
    and `error`. Exits 1 if a row could not be read.
    """
    console = Console(soft_wrap=True)
    pair = _pair("START DURATION", start, duration, csv_in, out, output)
    cal, zone = _calendar(agreement, calendar, timezone, output, console)
    if isinstance(pair, Path):
        _answer_csv(pair, out, lambda header, rows: due_rows(cal, header, rows, zone))
        return
    opened, duration = _instant("START", pair[0], zone), pair[1].strip()
    try:
        length = read_business_duration(duration)
        due = cal.add(opened.at, length)
    except (QueryError, ValueError) as exc:
        _usage_error(f"DURATION: {exc}")
    if output is AnswerFormat.JSON:
        payload = {
            **_context(agreement, calendar, cal),
            "start": _instant_json(opened, cal),
            "duration": duration,
            "duration_s": _json_seconds(length // dt.timedelta(microseconds=1)),
            "due_at": due.isoformat(),
            "due": describe_instant(due),
        }
        print(json.dumps(payload, indent=2))
        return
    _print_instant(console, "start", opened, cal)
    console.print(
        f"due    [bold]{describe_instant(due)}[/]  ({due.isoformat()}), after "
        f"{escape(duration)} of business time on '{escape(calendar)}'",
        highlight=False,
    )


def _pair(
    names: str,
    first: str | None,
    second: str | None,
    csv_in: Path | None,
    out: Path | None,
    output: AnswerFormat,
) -> tuple[str, str] | Path:
    """The pair given on the command line, or the --csv file: never both, never half."""
    if csv_in is not None:
        if first is not None or second is not None:
            _usage_error(f"give {names} or --csv FILE, not both")
        if output is not AnswerFormat.TEXT:
            _usage_error("--format answers one pair; with --csv the answer is a CSV file")
        return csv_in
    if first is None or second is None:
        _usage_error(f"give {names}, or --csv FILE")
    if out is not None:
        _usage_error("--out writes the CSV of --csv; give --csv FILE too")
    return first, second


def _calendar(
    agreement: Path, name: str, timezone: str | None, output: AnswerFormat, console: Console
) -> tuple[Calendar, ZoneInfo]:
    """The named calendar and the zone that timestamps without an offset are read in; load
    errors are printed as ``lint`` prints them."""
    document = _load(agreement, OutputFormat(output.value), console)
    try:
        cal = calendar_named(document.agreement.calendars, name)
        zone = cal.zone if timezone is None else zone_named(timezone)
    except QueryError as exc:
        _usage_error(f"{agreement}: {exc}" if timezone is None else f"--timezone: {exc}")
    amended = amendments_to_calendar(document.agreement, name)
    if amended:
        Console(stderr=True, soft_wrap=True).print(
            f"note: amendment {', '.join(amended)} changes this calendar; the answer uses the "
            "calendar as first written",
            highlight=False,
            markup=False,
        )
    return cal, zone


def _instant(name: str, text: str, zone: ZoneInfo) -> Instant:
    try:
        return read_instant(text, zone)
    except QueryError as exc:
        _usage_error(f"{name}: {exc}")


def _usage_error(message: str) -> NoReturn:
    """One line on stderr, exit 2."""
    Console(stderr=True, soft_wrap=True).print(
        f"[bold red]error:[/] {escape(message)}", highlight=False
    )
    raise typer.Exit(ExitCode.USAGE)


def _answer_csv(
    path: Path, out: Path | None, answer: Callable[[list[str], list[list[str]]], Batch]
) -> None:
    """Read the CSV (UTF-8, a byte-order mark allowed; every cell kept as text), answer it,
    write the answer to ``out`` or stdout, and report rejected rows on stderr (exit 1)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as file:
            table = list(csv.reader(file))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        _usage_error(f"{path}: cannot read the CSV: {reason}")
    if not table:
        _usage_error(f"{path}: the CSV is empty; it needs a header row")
    try:
        batch = answer(table[0], table[1:])
    except QueryError as exc:
        _usage_error(f"{path}: {exc}")
    if out is None:
        csv.writer(sys.stdout, lineterminator="\n").writerows([batch.header, *batch.rows])
    else:
        with out.open("w", encoding="utf-8", newline="") as file:
            csv.writer(file, lineterminator="\n").writerows([batch.header, *batch.rows])
    stderr = Console(stderr=True, soft_wrap=True)
    if out is not None:
        stderr.print(f"wrote {escape(str(out))} ({len(batch.rows)} rows)", highlight=False)
    if batch.rejected:
        stderr.print(
            f"[bold red]{batch.rejected} of {len(batch.rows)} rows rejected[/]: they are kept "
            "with an empty answer and the reason in the 'error' column",
            highlight=False,
        )
        raise typer.Exit(ExitCode.FINDINGS)


def _context(agreement: Path, name: str, cal: Calendar) -> dict[str, str]:
    return {"agreement": str(agreement), "calendar": name, "timezone": cal.zone.key}


def _instant_json(instant: Instant, cal: Calendar) -> dict[str, str | None]:
    local = instant.at.astimezone(cal.zone)
    return {
        "input": instant.text,
        "read_as": instant.read_as,
        "at": local.isoformat(),
        "readable": describe_instant(local),
    }


def _json_seconds(micros: int) -> int | float:
    """Whole seconds as an integer; otherwise a float, exact to the microsecond."""
    return micros // US if micros % US == 0 else micros / US


def _print_instant(console: Console, label: str, instant: Instant, cal: Calendar) -> None:
    local = instant.at.astimezone(cal.zone)
    how = f"read as {instant.read_as} local time" if instant.read_as else "offset given"
    console.print(
        f"{label:6} {describe_instant(local)}  ({local.isoformat()}; "
        f"{escape(repr(instant.text))} {how})",
        highlight=False,
    )


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
    document = _load(agreement, OutputFormat.TEXT, console)
    try:
        ticket_table = read_tickets(tickets, zone=timezone)
        event_table = read_events(events, zone=timezone)
    except CanonicalFileError as exc:
        _usage_error(str(exc))
    now = dt.datetime.now(dt.UTC)
    if as_of is not None:
        now = _instant("--as-of", as_of, ZoneInfo(timezone or "UTC")).at
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
        _usage_error(f"{tickets}: no ticket with id {ticket!r}")
    except NotSupportedError as exc:
        _usage_error(f"{agreement}: {exc}")
    for explanation in explanations:
        for line in describe(explanation):
            console.print(line, highlight=False, markup=False)
        console.print()


def main() -> None:
    """Console-script entry point."""
    app()

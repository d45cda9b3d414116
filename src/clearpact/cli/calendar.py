"""The ``calendar`` command group: business time on an agreement's calendars."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.markup import escape

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
    seconds_text,
    zone_named,
)
from clearpact.cli.app import OutputFormat, app, instant_or_exit, load_or_exit, usage_error
from clearpact.exit_codes import ExitCode

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
    first, last = instant_or_exit("START", pair[0], zone), instant_or_exit("END", pair[1], zone)
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
    opened, duration = instant_or_exit("START", pair[0], zone), pair[1].strip()
    try:
        length = read_business_duration(duration)
        due = cal.add(opened.at, length)
    except (QueryError, ValueError) as exc:
        usage_error(f"DURATION: {exc}")
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
            usage_error(f"give {names} or --csv FILE, not both")
        if output is not AnswerFormat.TEXT:
            usage_error("--format answers one pair; with --csv the answer is a CSV file")
        return csv_in
    if first is None or second is None:
        usage_error(f"give {names}, or --csv FILE")
    if out is not None:
        usage_error("--out writes the CSV of --csv; give --csv FILE too")
    return first, second


def _calendar(
    agreement: Path, name: str, timezone: str | None, output: AnswerFormat, console: Console
) -> tuple[Calendar, ZoneInfo]:
    """The named calendar and the zone that timestamps without an offset are read in; load
    errors are printed as ``lint`` prints them."""
    document = load_or_exit(agreement, OutputFormat(output.value), console)
    try:
        cal = calendar_named(document.agreement.calendars, name)
        zone = cal.zone if timezone is None else zone_named(timezone)
    except QueryError as exc:
        usage_error(f"{agreement}: {exc}" if timezone is None else f"--timezone: {exc}")
    amended = amendments_to_calendar(document.agreement, name)
    if amended:
        Console(stderr=True, soft_wrap=True).print(
            f"note: amendment {', '.join(amended)} changes this calendar; the answer uses the "
            "calendar as first written",
            highlight=False,
            markup=False,
        )
    return cal, zone


def _answer_csv(
    path: Path, out: Path | None, answer: Callable[[list[str], list[list[str]]], Batch]
) -> None:
    """Read the CSV (UTF-8, a byte-order mark allowed; every cell kept as text; separated by
    commas, or by semicolons or tabs as spreadsheets in many locales write them), answer it,
    write the answer to ``out`` or stdout with the same separator, and report rejected rows on
    stderr (exit 1)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as file:
            header = file.readline()
            delimiter = _delimiter(header)
            file.seek(0)  # the utf-8-sig decoder drops a byte-order mark again
            table = list(csv.reader(file, delimiter=delimiter))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        usage_error(f"{path}: cannot read the CSV: {reason}")
    if not table:
        usage_error(f"{path}: the CSV is empty; it needs a header row")
    try:
        batch = answer(table[0], table[1:])
    except QueryError as exc:
        usage_error(f"{path}: {exc}")
    if out is None:
        writer = csv.writer(sys.stdout, delimiter=delimiter, lineterminator="\n")
        writer.writerows([batch.header, *batch.rows])
    else:
        with out.open("w", encoding="utf-8", newline="") as file:
            writer = csv.writer(file, delimiter=delimiter, lineterminator="\n")
            writer.writerows([batch.header, *batch.rows])
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


def _delimiter(header: str) -> str:
    """The separator of a CSV, from its header row: a comma unless the header holds none and
    holds semicolons or tabs (column names never contain them)."""
    if "," in header:
        return ","
    for candidate in (";", "\t"):
        if candidate in header:
            return candidate
    return ","


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

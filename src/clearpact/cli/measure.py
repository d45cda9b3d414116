"""``clearpact measure``: the SLA clock over canonical tickets and events, with a progress bar,
result files and a summary.

Reads a tool's export through an import profile (``--profile``: imported into a store first),
a store an import wrote, a folder of canonical tables (``tickets`` and ``events``, Parquet or
CSV) or a DuckDB file.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Annotated, Any, cast
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import typer
from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from clearpact.agreement.model import Agreement
from clearpact.agreement.slas import TicketSla
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
from clearpact.cli.ingest import import_or_exit
from clearpact.clock import ClockRun, NotSupportedError, StatusMeanings
from clearpact.clock.runner import (
    CanonicalSource,
    of_customer,
    run_duckdb,
    run_parquet,
    run_tables,
)
from clearpact.ingest.canonical import CanonicalFileError, read_events, read_tickets
from clearpact.ingest.importer import as_json
from clearpact.ingest.schema import QUARANTINE
from clearpact.ingest.store import Store, read_store_table
from clearpact.kpi.attainment import Period, attainment, clocks_by_state
from clearpact.kpi.availability import agreement_availability


@app.command()
def measure(
    agreement: Annotated[Path, typer.Argument(help="The agreement file (YAML).")],
    data: Annotated[
        Path,
        typer.Option(
            "--data",
            help="With --profile: the tool's export (folder or file). Without: a store, a folder "
            "with tickets and events tables (.parquet or .csv), or a .duckdb file.",
        ),
    ],
    out: Annotated[Path, typer.Option("--out", help="Folder for the result files.")],
    profile: Annotated[
        str | None,
        typer.Option(
            "--profile",
            help="Import --data through this profile first (a built-in name or a profile file).",
        ),
    ] = None,
    store: Annotated[
        Path | None,
        typer.Option("--store", help="With --profile: the store to import into; OUT/store."),
    ] = None,
    customer: Annotated[
        str | None,
        typer.Option(
            "--customer", help="Measure only this customer's tickets (as the data names it)."
        ),
    ] = None,
    as_of: AsOf = None,
    timezone: Timezone = None,
    resolved: ResolvedStatuses = None,
    closed: ClosedStatuses = None,
    period: Annotated[
        str,
        typer.Option(
            "--period", help="Attainment periods in attainment.csv: month, quarter or year."
        ),
    ] = "month",
    workers: Annotated[
        int | None, typer.Option("--workers", min=1, help="Threads to measure on; every core.")
    ] = None,
    results_csv: Annotated[
        bool, typer.Option("--results-csv", help="Also write the result rows as results.csv.")
    ] = False,
) -> None:
    """Measure every ticket against the agreement: result rows, rejected events, attainment."""
    console = Console(soft_wrap=True)
    document = load_or_exit(agreement, OutputFormat.TEXT, console)
    if period not in ("month", "quarter", "year"):
        usage_error(f"--period: expected month, quarter or year, not {period!r}")
    now = as_of_or_exit(as_of, timezone)  # the zone is checked before any file is read
    imported: dict[str, Any] | None = None
    if profile is not None:
        result, _ = import_or_exit(data, profile, store or out / "store", timezone, console)
        data = store or out / "store"
        imported = as_json(result)
    try:
        source = CanonicalSource.find(data)
    except ValueError as exc:
        usage_error(str(exc))
    kept = Store.open(data) if not source.database else None
    if kept is not None and imported is None:
        imported = kept.manifest.get("last_import")
    if kept is not None and not resolved and not closed:
        statuses = kept.status_meanings()  # what the imported tool's statuses mean
    else:
        statuses = status_meanings(resolved, closed)
    began = time.perf_counter()
    progress = Progress(
        TextColumn("measuring"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("tickets"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task = progress.add_task("measuring", total=source.tickets_count())

    def advance(tickets: int) -> None:  # called from the worker threads
        progress.advance(task, tickets)

    with progress:
        try:
            run = _run(
                document.agreement, source, now, timezone, statuses, workers, advance, customer
            )
        except NotSupportedError as exc:
            usage_error(f"{agreement}: {exc}")
        except (CanonicalFileError, ValueError, TypeError, FileNotFoundError) as exc:
            usage_error(str(exc))  # the input, not the program: each names its file or column

    seconds = time.perf_counter() - began
    periods = cast(Period, period)  # checked above
    table = attainment(run.results, zone=document.agreement.home_zone, period=periods)
    out.mkdir(parents=True, exist_ok=True)
    pq.write_table(run.results, out / "results.parquet")
    if results_csv:  # text, for a spreadsheet: the dictionary columns decoded
        plain = run.results.cast(
            pa.schema(
                pa.field(f.name, pa.string()) if pa.types.is_dictionary(f.type) else f
                for f in run.results.schema
            )
        )
        pacsv.write_csv(plain, out / "results.csv")
    quarantine = _quarantine(run, source)
    imported_rows = kept.quarantine() if kept is not None else QUARANTINE.empty_table()
    pq.write_table(pa.concat_tables([imported_rows, quarantine]), out / "quarantine.parquet")
    pacsv.write_csv(table, out / "attainment.csv")
    summary = _summary(document.agreement, run, quarantine, now, seconds, source)
    summary["customer"] = customer
    summary["import"] = imported
    summary["months"] = _recent_periods(table)
    available = _availability(document.agreement, data, now)
    if available is not None:
        pacsv.write_csv(available, out / "availability.csv")
        summary["availability"] = [
            {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}
            for row in available.select(
                ["sla", "service", "period", "availability", "target", "downtime_seconds"]
            ).to_pylist()
        ]
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    _print(console, document.agreement, run, summary, out)


def _run(
    agreement: Agreement,
    source: CanonicalSource,
    as_of: dt.datetime,
    zone: str | None,
    statuses: StatusMeanings,
    workers: int | None,
    advance: Callable[[int], None],
    customer: str | None = None,
) -> ClockRun:
    """The clock over ``source``: Parquet with zoned times is read by the streaming runner;
    CSV, times that need ``zone``, or one customer's tickets, through the canonical readers."""
    measure: Callable[..., ClockRun]
    if customer is not None and source.database:
        raise ValueError("--customer: not yet supported for a DuckDB file; use a store folder")
    if source.database:
        measure = partial(run_duckdb, agreement, source.tickets)
    elif source.aware() and customer is None:
        measure = partial(run_parquet, agreement, source.tickets, source.events)
    else:
        tickets = read_tickets(source.tickets, zone=zone)
        events = read_events(source.events, zone=zone)
        if customer is not None:
            tickets, events = of_customer(tickets, events, customer)
        measure = partial(run_tables, agreement, tickets, events)
    return measure(as_of=as_of, statuses=statuses, workers=workers, progress=advance)


def _recent_periods(table: pa.Table, count: int = 12) -> list[dict[str, Any]]:
    """Attainment of each SLA (all priorities) in the last ``count`` periods with judged clocks."""
    rows = [r for r in table.to_pylist() if r["period_start"] is not None]
    periods = sorted({r["period_start"] for r in rows})[-count:]
    totals: dict[tuple[Any, str], list[int]] = {}
    for r in rows:
        if r["period_start"] in periods:
            met_breached = totals.setdefault((r["period_start"], r["sla"]), [0, 0])
            met_breached[0] += int(r["met"])
            met_breached[1] += int(r["breached"])
    return [
        {
            "period_start": start.isoformat(),
            "sla": sla,
            "met": met,
            "breached": breached,
            "attainment": met / (met + breached) if met + breached else None,
        }
        for (start, sla), (met, breached) in sorted(totals.items())
    ]


def _quarantine(run: ClockRun, source: CanonicalSource) -> pa.Table:
    """Events the clock could not use, with the file (or table) and row they came from, and
    why, in the import's quarantine schema."""
    rejected = run.rejected_events.sort_by("row")
    where = f"{source.events}:events" if source.database else str(source.events)
    n = rejected.num_rows
    return pa.table(
        {
            "file": pa.array([where] * n, pa.string()),
            "row": pc.cast(pc.add(rejected["row"], 1), pa.string()),  # 1-based, as imports say
            "ticket_id": pa.nulls(n, pa.string()),
            "field": pa.array(["(event)"] * n, pa.string()),
            "value": pa.nulls(n, pa.string()),
            "reason": rejected["reason"],
            "whole_row": pa.array([True] * n, pa.bool_()),
        },
        schema=QUARANTINE,
    )


def _summary(
    agreement: Agreement,
    run: ClockRun,
    quarantine: pa.Table,
    as_of: dt.datetime,
    seconds: float,
    source: CanonicalSource,
) -> dict[str, Any]:
    report = run.report
    results = run.results
    reasons = quarantine.group_by("reason").aggregate([("row", "count")]).to_pylist()
    counted = clocks_by_state(results).to_pylist()
    slas = []
    for key, sla in agreement.slas.items():
        if not isinstance(sla, TicketSla):
            continue
        target = sla.attainment.target / 100 if sla.attainment else None
        rows = [row | {"target": target} for row in counted if row["sla"] == key]
        total = next((row for row in rows if row["all_priorities"]), None)
        empty = {"rows": 0, "met": 0, "breached": 0, "open": 0, "at_risk": 0, "no_target": 0}
        summary = {"sla": key, **(empty if total is None else total), "target": target}
        for name in ("priority", "all_priorities"):
            summary.pop(name, None)
        summary["attainment"] = _share(summary)
        summary["priorities"] = [
            {k: v for k, v in row.items() if k not in ("sla", "all_priorities")}
            | {"attainment": _share(row)}
            for row in rows
            if not row["all_priorities"]
        ]
        slas.append(summary)
    return {
        "agreement": agreement.id,
        "as_of": as_of.isoformat(),
        "source": str(source.tickets if source.database else source.tickets.parent),
        "seconds": round(seconds, 3),
        "tickets": report.tickets,
        "tickets_after_as_of": report.tickets_after_as_of,
        "events": report.events,
        "events_after_as_of": report.events_after_as_of,
        "events_quarantined": quarantine.num_rows,
        "quarantine_reasons": {row["reason"]: row["row_count"] for row in reasons},
        "events_duplicated": report.events_duplicated,
        "events_before_creation": report.events_before_creation,
        "result_rows": results.num_rows,
        "results_before_term": _before_term(agreement, results),
        "slas": slas,
    }


def _before_term(agreement: Agreement, results: pa.Table) -> int:
    """Result rows of clocks started before the agreement's first day (in its zone): measured
    by terms that did not apply yet."""
    if agreement.term is None or results.num_rows == 0:
        return 0
    first = dt.datetime.combine(agreement.term.start, dt.time(), ZoneInfo(agreement.home_zone))
    early = pc.less(results["start_at"], pa.scalar(first, pa.timestamp("us", tz="UTC")))
    return int(pc.sum(pc.fill_null(early, False)).as_py() or 0)


def _share(row: dict[str, Any]) -> float | None:
    """Attainment: met / (met + breached), None when nothing was judged."""
    met, breached = int(row["met"]), int(row["breached"])
    return met / (met + breached) if met + breached else None


def _print(
    console: Console,
    agreement: Agreement,
    run: ClockRun,
    summary: dict[str, Any],
    out: Path,
) -> None:
    console.print(
        f"Measured {summary['tickets']:,} tickets and {summary['events']:,} events against "
        f"{agreement.id}, as of {summary['as_of']}, in {summary['seconds']:.1f} s.",
        highlight=False,
    )
    later = int(summary["tickets_after_as_of"])
    if later:
        console.print(f"{later:,} tickets opened after that instant were left out.")
    early = int(summary["results_before_term"])
    if early and agreement.term is not None:
        console.print(
            f"[yellow]{early:,} clocks started before the agreement's term began "
            f"({agreement.term.start:%d %B %Y}): they were measured by terms that did not "
            "apply yet.[/]",
            highlight=False,
        )
    table = Table(box=box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False)
    table.add_column("SLA / priority", no_wrap=True)
    for name in ("met", "breached", "open", "at risk", "attainment", "target"):
        table.add_column(name, justify="right", min_width=len(name))
    for sla in summary["slas"]:
        for row in [sla, *sla["priorities"]]:
            share, target = row["attainment"], row["target"]
            below = share is not None and target is not None and share < target
            shown = "—" if share is None else f"{share:.1%}"
            table.add_row(
                f"  {row['priority'] or '(no priority)'}"
                if row is not sla
                else f"[bold]{sla['sla']}[/]",
                f"{row['met']:,}",
                f"{row['breached']:,}",
                f"{row['open']:,}",
                f"{row['at_risk']:,}",
                f"[bold red]{shown}[/]" if below else shown,
                "—" if target is None else f"{target:.1%}",
            )
    console.print(table)
    _print_periods(console, summary["months"])
    _print_availability(console, summary.get("availability"))
    quarantined = int(summary["events_quarantined"])
    if quarantined:
        reasons = ", ".join(
            f"{count:,} {reason}" for reason, count in summary["quarantine_reasons"].items()
        )
        console.print(f"{quarantined:,} events could not be used ({reasons}): quarantine.parquet")
    console.print(
        f"Written to {out}: results.parquet ({run.results.num_rows:,} rows), quarantine.parquet, "
        "attainment.csv (per SLA, priority and period), summary.json.",
        highlight=False,
    )


def _print_periods(console: Console, periods: list[dict[str, Any]]) -> None:
    """Attainment per SLA (all priorities) in each recent period: one row a period."""
    if not periods:
        return
    slas = sorted({row["sla"] for row in periods})
    table = Table(box=box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False, title_justify="left")
    table.add_column("period", no_wrap=True)
    for sla in slas:
        table.add_column(f"{sla} (breached)", justify="right")
    by_period: dict[str, dict[str, dict[str, Any]]] = {}
    for row in periods:
        by_period.setdefault(row["period_start"], {})[row["sla"]] = row
    for start, cells in sorted(by_period.items()):
        shown = []
        for sla in slas:
            cell = cells.get(sla)
            share = None if cell is None else cell["attainment"]
            shown.append(
                "—" if cell is None or share is None else f"{share:.1%} ({cell['breached']:,})"
            )
        table.add_row(start, *shown)
    console.print(table)


def _availability(agreement: Agreement, data: Path, as_of: dt.datetime) -> pa.Table | None:
    """Availability per SLA, service and period when the store holds monitoring data."""
    if not (data / "outages.parquet").is_file():
        return None
    outages, checks = read_store_table(data, "outages"), read_store_table(data, "checks")
    return agreement_availability(agreement, outages, checks, as_of=as_of)


def _print_availability(console: Console, rows: list[dict[str, Any]] | None) -> None:
    """Availability per SLA, service and period against the SLA's target."""
    if not rows:
        return
    table = Table(box=box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False)
    for name in ("availability SLA", "service", "period", "available", "down", "target"):
        table.add_column(
            name, justify="left" if name in ("availability SLA", "service") else "right"
        )
    for row in rows:
        share, target = row["availability"], row["target"]
        below = share is not None and target is not None and share < target
        shown = "—" if share is None else f"{share:.3f}%"
        table.add_row(
            row["sla"],
            row["service"],
            row["period"],
            f"[bold red]{shown}[/]" if below else shown,
            f"{row['downtime_seconds'] / 60:,.0f} min",
            "—" if target is None else f"{target}%",
        )
    console.print(table)

"""``clearpact report`` (the monthly report or the quarterly business review of one agreement)
and ``clearpact demo`` (the whole path on generated data, in one command)."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from clearpact.cli.app import OutputFormat, app, load_or_exit, print_diagnostics, usage_error
from clearpact.exit_codes import ExitCode
from clearpact.ingest.register import RegisterError, register_path
from clearpact.report.data import ReportData, gather
from clearpact.report.period import PeriodError, ReportPeriod
from clearpact.report.render import write_report


@app.command("report")
def report_command(
    agreement: Annotated[Path, typer.Argument(help="The agreement file (YAML).")],
    data: Annotated[
        Path, typer.Option("--data", help="A store (clearpact import) or canonical tables.")
    ],
    out: Annotated[Path, typer.Option("--out", help="Folder for report.html, .pdf, evidence.")],
    period: Annotated[
        str | None, typer.Option("--period", help="The month, YYYY-MM (a monthly report).")
    ] = None,
    quarter: Annotated[
        str | None, typer.Option("--quarter", help="The quarter, YYYYQn (a business review).")
    ] = None,
    customer: Annotated[
        str | None, typer.Option("--customer", help="Only this customer's tickets.")
    ] = None,
    pdf: Annotated[bool, typer.Option("--pdf/--no-pdf", help="Also write report.pdf.")] = True,
    register: Annotated[
        Path | None,
        typer.Option("--register", help="The evidence register; <agreement>.register.yaml."),
    ] = None,
) -> None:
    """Write the service report of one month (--period) or quarter (--quarter); governance
    obligations are judged against the evidence register when there is one."""
    console = Console(soft_wrap=True)
    document = load_or_exit(agreement, OutputFormat.TEXT, console)
    if (period is None) == (quarter is None):
        usage_error("give one of --period YYYY-MM or --quarter YYYYQn")
    zone = document.agreement.home_zone
    try:
        chosen = (
            ReportPeriod.parse_month(period, zone)
            if period is not None
            else ReportPeriod.parse_quarter(quarter or "", zone)
        )
    except PeriodError as exc:
        usage_error(str(exc))
    began = time.perf_counter()
    with console.status(f"measuring and writing the report for {chosen.label}"):
        try:
            report = gather(
                document.agreement,
                data,
                chosen,
                customer=customer,
                register=register or register_path(agreement),
            )
        except RegisterError as exc:
            print_diagnostics(exc.diagnostics)
            raise typer.Exit(ExitCode.FINDINGS) from None
        except (ValueError, FileNotFoundError) as exc:
            usage_error(str(exc))
        files = write_report(report, out, pdf=pdf)
    _said(console, report, files, time.perf_counter() - began)


def _said(console: Console, report: ReportData, files: dict[str, Path], seconds: float) -> None:
    missed = [r for r in report.rows if r.priority is None and r.status == "missed"]
    slas = [r for r in report.rows if r.priority is None]
    console.print(
        f"{report.period.label}: {len(slas)} SLAs, {len(missed)} missed, "
        f"{report.breaches_total:,} breaches; written in "
        f"{seconds:.1f} s: " + ", ".join(str(path) for path in files.values()),
        highlight=False,
    )


@app.command("demo")
def demo_command(
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Folder to write everything into; a new temporary one."),
    ] = None,
    scale: Annotated[float, typer.Option("--scale", min=0.01, help="Ticket volume.")] = 1.0,
) -> None:
    """Generate the demo MSP, lint its agreements, import its exports, measure, and write one
    customer's monthly report and quarterly review."""
    from clearpact.demo import generate_demo
    from clearpact.ingest.importer import counts_line, import_export
    from clearpact.ingest.monitoring import read_uptime_kuma
    from clearpact.ingest.store import write_monitoring, write_store
    from clearpact.lint import lint_agreement

    console = Console(soft_wrap=True)
    folder = out or Path(tempfile.mkdtemp(prefix="clearpact-demo-"))
    began = time.perf_counter()
    with console.status("generating the demo MSP"):
        manifest = generate_demo(folder / "data", scale=scale)
    console.print(
        f"Generated {sum(c.tickets for c in manifest.customers):,} tickets of "
        f"{len(manifest.customers)} customers ({manifest.start} to {manifest.end})."
    )
    customer = manifest.customers[0]
    agreement_path = folder / "data" / customer.agreement
    document = load_or_exit(agreement_path, OutputFormat.TEXT, console)
    linted = lint_agreement(document.agreement)
    console.print(
        f"Linted {agreement_path.name}: {linted.errors} errors, clarity score {linted.score}/100."
    )
    store = folder / "store" / customer.tool
    with console.status(f"importing the {customer.tool} export"):
        result = import_export(
            folder / "data" / customer.tool, folder / "data" / "profiles" / f"{customer.tool}.yaml"
        )
        write_store(result, store, source=str(folder / "data" / customer.tool))
        services = {m.name: m.service for m in manifest.monitors if m.customer == customer.slug}
        kuma = read_uptime_kuma(folder / "data" / "uptime-kuma" / "kuma.db", services=services)
        write_monitoring(kuma, store, source="uptime-kuma/kuma.db")
        surveys = import_export(
            folder / "data" / "surveys", folder / "data" / "profiles" / "csat.yaml"
        )
        write_store(surveys, store, source=str(folder / "data" / "surveys"))
    console.print(f"Imported {customer.tool}: {counts_line(result)}.")
    zone = document.agreement.home_zone
    last_month = manifest.end[:7]
    month = ReportPeriod.parse_month(last_month, zone).previous()
    quarter = ReportPeriod.parse_quarter(
        f"{month.start.year}Q{(month.start.month - 1) // 3 + 1}", zone
    )
    if quarter.end > month.end:  # the last whole quarter
        quarter = quarter.previous()
    reports = folder / "reports"
    for chosen, name in ((month, "monthly"), (quarter, "quarterly")):
        with console.status(f"writing the {name} report for {chosen.label}"):
            report = gather(document.agreement, store, chosen, customer=customer.customer_id)
            files = write_report(report, reports / name)
        console.print(f"{name.capitalize()} report, {chosen.label}: {files['pdf']}")
    shutil.copy(agreement_path, reports / agreement_path.name)
    console.print(
        f"Done in {time.perf_counter() - began:.0f} s. Everything is in {folder} "
        f"(reports in {reports})."
    )

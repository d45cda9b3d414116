"""``clearpact import``, ``clearpact monitoring`` and ``clearpact profiles``: a ticketing tool's
export, or monitoring data, into the store.

``import_or_exit`` is shared with ``clearpact measure --profile``.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from clearpact.cli.app import Timezone, app, usage_error
from clearpact.ingest.importer import ImportFailed, ImportResult, counts_line, import_export
from clearpact.ingest.monitoring import read_outage_csv, read_prometheus, read_uptime_kuma
from clearpact.ingest.profile import ProfileError, builtin_profiles, load_profile
from clearpact.ingest.store import Store, StoreError, write_monitoring, write_store

Profile = Annotated[
    str,
    typer.Option(
        "--profile",
        help="The export's import profile: a built-in name (clearpact profiles) or a profile "
        "file (YAML).",
    ),
]


@app.command("import")
def import_command(
    export: Annotated[Path, typer.Argument(help="The export: a folder or a file.")],
    profile: Profile,
    store: Annotated[Path, typer.Option("--store", help="The store folder to import into.")],
    timezone: Timezone = None,
) -> None:
    """Import a ticketing tool's export into a store; every row is stored or quarantined."""
    import_or_exit(export, profile, store, timezone, Console(soft_wrap=True))


class MonitoringFormat(StrEnum):
    """The monitoring exports ``clearpact monitoring`` reads."""

    KUMA = "uptime-kuma"
    PROMETHEUS = "prometheus"
    OUTAGES = "outage-csv"


@app.command("monitoring")
def monitoring_command(
    source: Annotated[Path, typer.Argument(help="The monitoring export (file).")],
    kind: Annotated[
        MonitoringFormat,
        typer.Option(
            "--format",
            help="uptime-kuma (kuma.db or a heartbeat CSV), prometheus (a query_range answer "
            "for up / probe_success) or outage-csv (UptimeRobot or Pingdom).",
        ),
    ],
    store: Annotated[Path, typer.Option("--store", help="The store folder to import into.")],
    service: Annotated[
        list[str] | None,
        typer.Option(
            "--service",
            help="MONITOR=SERVICE: the agreement's service id of a monitor (repeatable).",
        ),
    ] = None,
    timezone: Timezone = None,
) -> None:
    """Import monitoring data (checks and outages) into a store, for availability SLAs."""
    console = Console(soft_wrap=True)
    services = {}
    for pair in service or []:
        monitor, sep, name = pair.partition("=")
        if not sep or not monitor or not name:
            usage_error(f"--service: expected MONITOR=SERVICE, not {pair!r}")
        services[monitor] = name
    try:
        if kind is MonitoringFormat.KUMA:
            result = read_uptime_kuma(source, services=services, timezone=timezone)
        elif kind is MonitoringFormat.PROMETHEUS:
            result = read_prometheus(source, services=services)
        else:
            result = read_outage_csv(source, timezone=timezone, services=services)
        write_monitoring(result, store, source=str(source))
    except (ValueError, OSError) as exc:
        usage_error(str(exc))
    stored = result.rows_in - result.rows_quarantined
    console.print(
        f"Imported {source}: {result.rows_in:,} rows in = {stored:,} stored + "
        f"{result.rows_quarantined:,} quarantined; {result.checks.num_rows:,} checks, "
        f"{result.outages.num_rows:,} outages → {store}",
        highlight=False,
    )


@app.command("demo-data")
def demo_data_command(
    out: Annotated[Path, typer.Argument(help="The folder to write the demo exports into.")],
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same files.")] = 7,
    months: Annotated[int, typer.Option("--months", min=1, help="Months of tickets.")] = 12,
    scale: Annotated[
        float, typer.Option("--scale", min=0.01, help="Ticket volume; 1.0 is about 3,000.")
    ] = 1.0,
) -> None:
    """Write a demo MSP's exports (ConnectWise, Zendesk, Uptime Kuma, CSAT), its three
    agreements, import profiles and ground truth, for trying the import and measure commands."""
    from clearpact.demo import generate_demo  # only this command needs the generator

    console = Console(soft_wrap=True)
    with console.status(f"writing the demo into {out}"):
        manifest = generate_demo(out, seed=seed, months=months, scale=scale)
    tickets = sum(c.tickets for c in manifest.customers)
    console.print(
        f"Wrote {tickets:,} tickets of {len(manifest.customers)} customers "
        f"({manifest.start} to {manifest.end}) into {out}; {out / 'README.md'} says how to "
        "import and measure them.",
        highlight=False,
    )


@app.command("profiles")
def profiles_command() -> None:
    """List the built-in import profiles."""
    table = Table(box=box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False)
    for name in ("profile", "tool", "times without offset"):
        table.add_column(name)
    for name, path in builtin_profiles().items():
        profile = load_profile(path)
        table.add_row(name, profile.tool, profile.timezone or "--timezone needed")
    Console(soft_wrap=True).print(table)


def import_or_exit(
    export: Path, profile: str, store: Path, timezone: str | None, console: Console
) -> tuple[ImportResult, Store]:
    """Import ``export`` through ``profile`` into ``store`` and report it; a usage error (exit
    2, nothing written) when the export or profile cannot be read at all."""
    try:
        chosen = load_profile(profile)
        with console.status(f"importing {export} ({chosen.tool})"):
            result = import_export(export, chosen, timezone=timezone)
            written = write_store(result, store, source=str(export))
    except (ProfileError, ImportFailed, StoreError) as exc:
        usage_error(str(exc))
    console.print(f"Imported {export} through profile {chosen.name}: {counts_line(result)}.")
    counts = result.counts()
    console.print(
        f"{counts['tickets']:,} tickets, {counts['events']:,} events "
        f"({counts['events_status']:,} status, {counts['events_priority']:,} priority, "
        f"{counts['events_reply']:,} reply, {counts['events_assignment']:,} assignment), "
        f"{counts['surveys']:,} surveys → {store}",
        highlight=False,
    )
    if result.quarantine.num_rows:
        reasons = result.quarantine.group_by("field").aggregate([("row", "count")])
        listed = ", ".join(
            f"{row['row_count']:,} {row['field']}"
            for row in sorted(reasons.to_pylist(), key=lambda r: -int(r["row_count"]))
        )
        console.print(
            f"[yellow]{result.quarantine.num_rows:,} values quarantined[/] ({listed}): "
            f"{store / 'quarantine.parquet'} says which file, row and why.",
            highlight=False,
        )
    for reason, count in result.ignored.items():
        console.print(f"{count:,} rows ignored: {reason}.", highlight=False)
    return result, written

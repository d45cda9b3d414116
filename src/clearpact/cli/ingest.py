"""``clearpact import`` and ``clearpact profiles``: a ticketing tool's export into the store.

``import_or_exit`` is shared with ``clearpact measure --profile``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from clearpact.cli.app import Timezone, app, usage_error
from clearpact.ingest.importer import ImportFailed, ImportResult, counts_line, import_export
from clearpact.ingest.profile import ProfileError, builtin_profiles, load_profile
from clearpact.ingest.store import Store, StoreError, write_store

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

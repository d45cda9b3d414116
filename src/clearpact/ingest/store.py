"""The embedded store: a folder of canonical Parquet tables that imports write and ``measure``
reads.

``STORE/tickets.parquet`` and ``STORE/events.parquet`` (with the dense ``ticket_key`` the clock
runner streams by: tickets by creation time, events clustered by ticket), ``surveys.parquet``,
``quarantine.parquet`` and ``import.json`` (the profile, its status meanings and the last
import's counts). One store holds one tool's tickets: ids of two tools may collide. Monitoring
imports add ``checks.parquet``, ``outages.parquet`` and ``monitoring_quarantine.parquet``.

An import is all or nothing: the new store is written beside the old one and swapped in by
renaming, so a failed import leaves the store as it was. Importing the same export again gives
the same tables: a ticket imported again replaces its earlier rows (its events, its quarantined
rows), so later exports update a store and never duplicate it.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from clearpact.clock.tables import EVENTS, TICKETS, StatusMeanings
from clearpact.ingest.importer import ImportResult, as_json
from clearpact.ingest.monitoring import MonitoringImport
from clearpact.ingest.schema import CHECKS, OUTAGES, QUARANTINE, SURVEYS

MANIFEST = "import.json"
ROW_GROUP = 1 << 20
"""Rows per Parquet row group: the runner reads and measures a group at a time."""


class StoreError(ValueError):
    """A store that cannot take this import (another tool's), or cannot be read."""


@dataclass(frozen=True)
class Store:
    """An existing store folder and what its manifest says."""

    folder: Path
    manifest: dict[str, Any]

    @classmethod
    def open(cls, folder: str | Path) -> Store | None:
        """The store at ``folder``, or None when the folder holds no import."""
        path = Path(folder)
        manifest = path / MANIFEST
        if not manifest.is_file():
            return None
        return cls(path, json.loads(manifest.read_text(encoding="utf-8")))

    def status_meanings(self) -> StatusMeanings:
        """The imported profile's resolving and closing statuses."""
        statuses: dict[str, str] = self.manifest.get("statuses", {})
        return StatusMeanings(
            resolved=frozenset(s for s, m in statuses.items() if m == "resolved"),
            closed=frozenset(s for s, m in statuses.items() if m == "closed"),
        )

    def quarantine(self) -> pa.Table:
        """The rows the imports could not use."""
        return pq.read_table(self.folder / "quarantine.parquet").cast(QUARANTINE)


OPTIONAL_TABLES = {"surveys": SURVEYS, "outages": OUTAGES, "checks": CHECKS}
"""Tables a store may hold besides tickets and events; absent ones read as empty."""


def read_store_table(folder: str | Path, name: str) -> pa.Table:
    """The store's ``surveys``, ``outages`` or ``checks`` table in its canonical schema, empty
    when the store (or a folder of canonical tables) does not hold it."""
    schema = OPTIONAL_TABLES[name]
    path = Path(folder) / f"{name}.parquet"
    return pq.read_table(path).cast(schema) if path.is_file() else schema.empty_table()


def write_store(result: ImportResult, folder: str | Path, *, source: str) -> Store:
    """Merge ``result`` into the store at ``folder`` (created when absent) and return it.

    Tickets in ``result`` replace the store's rows of the same ids; the rest of the store is
    kept. Raises :class:`StoreError` when the store holds another profile's tickets (an import
    of survey answers only may join any store).
    """
    target = Path(folder)
    existing = Store.open(target)
    profile = result.profile
    held = None if existing is None else existing.manifest.get("profile")
    surveys_only = result.tickets.num_rows == 0 and result.events.num_rows == 0
    if held is not None and held != profile.name and not surveys_only:
        raise StoreError(
            f"{target}: holds an import through profile {held!r}, "
            f"not {profile.name!r}; hint: import each tool into its own store (--store)"
        )
    if target.exists() and existing is None and any(target.iterdir()):
        raise StoreError(f"{target}: a folder that is not a clearpact store and not empty")
    staging = _staging(target, existing)
    try:
        _write(result, existing, staging)
        manifest = {**(existing.manifest if existing is not None else {})}
        if surveys_only and held is not None:  # survey answers beside another tool's tickets
            manifest["last_surveys_import"] = {"source": source, **as_json(result)}
        else:
            manifest |= {
                "profile": profile.name,
                "tool": profile.tool,
                "statuses": dict(profile.statuses),
                "last_import": {"source": source, **as_json(result)},
            }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        _swap(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Store(target, manifest)


def _write(result: ImportResult, existing: Store | None, staging: Path) -> None:
    with duckdb.connect() as con:
        con.execute("SET TimeZone = 'UTC'")
        con.register("new_tickets", result.tickets)
        con.register("new_events", result.events)
        con.register("new_surveys", result.surveys)
        con.register("new_quarantine", result.quarantine)
        empty = {
            "tickets": TICKETS.empty_table(),
            "events": EVENTS.append(pa.field("ticket_key", pa.int64())).empty_table(),
            "surveys": SURVEYS.empty_table(),
            "quarantine": QUARANTINE.empty_table(),
        }
        for name, nothing in empty.items():
            path = None if existing is None else existing.folder / f"{name}.parquet"
            con.register(f"old_{name}", pq.read_table(path) if path and path.is_file() else nothing)
        con.execute(_MERGE_SQL)
        tickets = con.sql(
            "SELECT ticket_id, created_at, priority, status, customer, service, ticket_key "
            "FROM tickets ORDER BY ticket_key"
        ).to_arrow_table()
        events = con.sql(
            'SELECT ticket_id, "at", kind, value, channel, ticket_key FROM events '
            'ORDER BY ticket_key, "at", kind, value NULLS FIRST'
        ).to_arrow_table()
        surveys = con.sql('SELECT * FROM surveys ORDER BY "at", survey_id').to_arrow_table()
        quarantine = con.sql(
            "SELECT * FROM quarantine ORDER BY file, try_cast(row AS BIGINT) NULLS LAST, row, field"
        ).to_arrow_table()
    keyed = pa.field("ticket_key", pa.int64(), nullable=False)
    for name in ("tickets", "events", "surveys", "quarantine"):
        (staging / f"{name}.parquet").unlink(missing_ok=True)  # hard links to the old store
    pq.write_table(tickets.cast(TICKETS.append(keyed)), staging / "tickets.parquet")
    pq.write_table(
        events.cast(EVENTS.append(keyed)), staging / "events.parquet", row_group_size=ROW_GROUP
    )
    pq.write_table(surveys.cast(SURVEYS), staging / "surveys.parquet")
    pq.write_table(quarantine.cast(QUARANTINE), staging / "quarantine.parquet")


_MERGE_SQL = """
CREATE TEMP TABLE tickets AS
WITH merged AS (
    SELECT ticket_id, created_at, priority, status, customer, service FROM new_tickets
    UNION ALL
    SELECT ticket_id, created_at, priority, status, customer, service FROM old_tickets
    WHERE ticket_id NOT IN (SELECT ticket_id FROM new_tickets)
)
SELECT *, row_number() OVER (ORDER BY created_at, ticket_id) - 1 AS ticket_key FROM merged;

CREATE TEMP TABLE events AS
SELECT e.ticket_id, e."at", e.kind, e.value, e.channel, t.ticket_key
FROM (
    SELECT ticket_id, "at", kind, value, channel FROM new_events
    UNION ALL
    SELECT ticket_id, "at", kind, value, channel FROM old_events
    WHERE ticket_id NOT IN (SELECT ticket_id FROM new_tickets)
) e JOIN tickets t USING (ticket_id);

CREATE TEMP TABLE surveys AS
SELECT * FROM new_surveys
UNION ALL
SELECT * FROM old_surveys WHERE survey_id NOT IN (SELECT survey_id FROM new_surveys);

CREATE TEMP TABLE quarantine AS
SELECT * FROM new_quarantine
UNION ALL
SELECT * FROM old_quarantine o
WHERE NOT EXISTS (SELECT 1 FROM new_quarantine n WHERE n.file = o.file AND n.row = o.row)
  AND (o.ticket_id IS NULL OR o.ticket_id NOT IN (SELECT ticket_id FROM new_tickets));
"""


def write_monitoring(result: MonitoringImport, folder: str | Path, *, source: str) -> Store:
    """Put a monitoring import's ``checks``, ``outages`` and quarantine into the store at
    ``folder`` (created when absent; tickets there are kept). The services in ``result``
    replace their earlier rows; other services are kept. All or nothing, like
    :func:`write_store`."""
    target = Path(folder)
    existing = Store.open(target)
    if target.exists() and existing is None and any(target.iterdir()):
        raise StoreError(f"{target}: a folder that is not a clearpact store and not empty")
    staging = _staging(target, existing)
    try:
        for name, schema, new in (
            ("checks", CHECKS, result.checks),
            ("outages", OUTAGES, result.outages),
        ):
            path = staging / f"{name}.parquet"
            services = pa.array(sorted(set(new["service"].to_pylist())), pa.string())
            parts = [new]
            if path.is_file():
                old = pq.read_table(path).cast(schema)
                parts.insert(0, old.filter(pc.invert(pc.is_in(old["service"], services))))
            merged = pa.concat_tables(parts).cast(schema)
            path.unlink(missing_ok=True)  # a hard link to the old store's file: never written
            pq.write_table(merged, path)
        path = staging / "monitoring_quarantine.parquet"
        path.unlink(missing_ok=True)
        pq.write_table(result.quarantine.cast(QUARANTINE), path)
        manifest = {
            **(existing.manifest if existing is not None else {}),
            "last_monitoring_import": {
                "source": source,
                "rows_in": result.rows_in,
                "rows_quarantined": result.rows_quarantined,
                "checks": result.checks.num_rows,
                "outages": result.outages.num_rows,
            },
        }
        (staging / MANIFEST).unlink(missing_ok=True)
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        _swap(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Store(target, manifest)


def _staging(target: Path, existing: Store | None) -> Path:
    """A folder beside ``target`` to build the new store in: the old store's files hard-linked
    (nothing copied; every writer unlinks a file before writing it), or empty."""
    staging = target.parent / f".{target.name}.importing-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    if existing is not None:
        shutil.copytree(existing.folder, staging, copy_function=os.link)
    else:
        staging.mkdir(parents=True)
    return staging


def _swap(staging: Path, target: Path) -> None:
    """Put ``staging`` where ``target`` is; the old store is removed only once the new one is
    in place."""
    if not target.exists():
        staging.rename(target)
        return
    retired = target.parent / f".{target.name}.retired-{os.getpid()}"
    shutil.rmtree(retired, ignore_errors=True)
    target.rename(retired)
    staging.rename(target)
    shutil.rmtree(retired, ignore_errors=True)

"""Import throughput: an export through its profile into the store, in rows a second, next to
reading the same files with pyarrow alone (the floor).

Two exports: the real ServiceNow incident log (141,712 rows, ``servicenow_log`` profile) and a
synthetic generic CSV export of N tickets from the clock benchmark's workload (tickets.csv and
events.csv with zoneless Europe/Berlin wall times, mapped by a ``table`` profile).

    .venv/bin/python benchmarks/ingest.py --tickets 1000000
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the `benchmarks` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from benchmarks.clock import machine
from benchmarks.workload import PRIORITIES, generate
from clearpact.ingest.importer import counts_line, import_export
from clearpact.ingest.profile import read_profile
from clearpact.ingest.store import write_store

LOG = Path(__file__).resolve().parents[2] / "shared" / "data" / "uci498_incident_event_log.zip"

PROFILE = """\
version: clearpact-profile/v1
name: benchmark-csv
tool: The clock benchmark's workload as a help desk's CSV export
reader: table
timezone: Europe/Berlin
statuses:
  New: running
  In progress: running
  Waiting on customer: paused
  Waiting on third party: paused
  Resolved: resolved
  Closed: closed
priorities: {Critical: P1, High: P2, Normal: P3, Low: P4}
tables:
  tickets:
    file: tickets.csv
    columns: {ticket_id: Id, created_at: Opened, priority: Priority, status: Status, customer: Company, service: Service}
  events:
    - file: events.csv
      columns: {ticket_id: Ticket, at: When, kind: Kind, value: Value, channel: Channel}
"""
LABELS = dict(zip(PRIORITIES, ("Critical", "High", "Normal", "Low"), strict=True))


def write_export(tickets: int, folder: Path) -> int:
    """The workload as CSV files with local wall times; returns the data rows written."""
    workload = generate(tickets)
    folder.mkdir(parents=True, exist_ok=True)
    table = workload.tickets_table()
    labels = pa.array([LABELS[p] for p in PRIORITIES])
    priority = labels.take(pc.index_in(table["priority"], value_set=pa.array(PRIORITIES)))
    pacsv.write_csv(
        pa.table(
            {
                "Id": table["ticket_id"],
                "Opened": _wall(table["created_at"]),
                "Priority": priority,
                "Status": table["status"],
                "Company": table["customer"],
                "Service": table["service"],
            }
        ),
        folder / "tickets.csv",
    )
    events = workload.events_table()
    value = events["value"]
    as_label = labels.take(pc.index_in(value, value_set=pa.array(PRIORITIES)))
    value = pc.if_else(pc.equal(events["kind"], "priority"), as_label, value)
    pacsv.write_csv(
        pa.table(
            {
                "Ticket": events["ticket_id"],
                "When": _wall(events["at"]),
                "Kind": events["kind"],
                "Value": value,
                "Channel": events["channel"],
            }
        ),
        folder / "events.csv",
    )
    (folder / "profile.yaml").write_text(PROFILE, encoding="utf-8")
    return int(table.num_rows + events.num_rows)


def _wall(instants: pa.ChunkedArray) -> pa.Array:
    """UTC instants as Berlin wall times without a zone, to the millisecond."""
    local = pc.local_timestamp(pc.cast(instants, pa.timestamp("us", tz="Europe/Berlin")))
    return pc.strftime(local, format="%Y-%m-%d %H:%M:%S")  # Arrow writes the fraction


def measure(
    label: str, export: Path, profile: Any, zone: str | None, floor: float
) -> dict[str, Any]:
    """Import ``export`` and write a store, timed; with the floor measured beside it."""
    with tempfile.TemporaryDirectory() as scratch:
        began = time.perf_counter()
        result = import_export(export, profile, timezone=zone)
        imported = time.perf_counter() - began
        write_store(result, Path(scratch) / "store", source=str(export))
        total = time.perf_counter() - began
    return {
        "export": label,
        "rows_in": result.rows_in,
        "accounting": counts_line(result),
        "import_s": round(imported, 2),
        "import_and_store_s": round(total, 2),
        "rows_per_s": round(result.rows_in / total),
        "floor_read_s": round(floor, 2),
        "x_floor": round(total / floor, 1),
    }


def _floor(paths: list[Path]) -> float:
    """Reading the export's files with pyarrow, every column as text: the least an import does."""
    began = time.perf_counter()
    for path in paths:
        if path.suffix == ".zip":
            import zipfile

            with zipfile.ZipFile(path) as archive:
                name = next(n for n in archive.namelist() if n.endswith(".csv"))
                data = archive.read(name)
            pacsv.read_csv(pa.BufferReader(data))
        else:
            pacsv.read_csv(path)
    return time.perf_counter() - began


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--workdir", type=Path, default=Path("out/benchmarks/ingest"))
    args = parser.parse_args(argv)
    runs = []
    if LOG.is_file():
        runs.append(measure("ServiceNow log (real)", LOG, "servicenow_log", "UTC", _floor([LOG])))
    folder = args.workdir / f"csv-{args.tickets}"
    shutil.rmtree(folder, ignore_errors=True)
    written = write_export(args.tickets, folder)
    profile = read_profile(PROFILE, "profile.yaml")
    floor = _floor([folder / "tickets.csv", folder / "events.csv"])
    run = measure(f"synthetic CSV, {args.tickets:,} tickets", folder, profile, None, floor)
    assert run["rows_in"] == written
    runs.append(run)
    for run in runs:
        print(
            f"{run['export']}: {run['accounting']}; {run['import_and_store_s']} s "
            f"({run['rows_per_s']:,} rows/s; import {run['import_s']} s), "
            f"{run['x_floor']}× reading the files alone ({run['floor_read_s']} s)"
        )
    print(json.dumps({"machine": machine(), "runs": runs}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How long a report takes for a customer with many tickets in the period: the clock benchmark's
workload squeezed into one month (every instant mapped linearly into October 2026), written as
canonical tables, then ``gather`` (measure, attainment, breaches traced) and ``write_report``
(HTML, charts, PDF) timed side by side with the measuring alone.

    .venv/bin/python benchmarks/report.py --tickets 100000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the `benchmarks` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from benchmarks.clock import AGREEMENT, machine
from benchmarks.workload import generate
from clearpact.agreement.loader import load
from clearpact.clock.runner import run_tables
from clearpact.clock.tables import INSTANT
from clearpact.report.data import gather
from clearpact.report.period import ReportPeriod
from clearpact.report.render import write_report

MONTH = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
SQUEEZE = 36  # three years of workload into one month


def write_month(tickets: int, folder: Path) -> None:
    """The workload's tickets and events with every instant mapped into October 2026."""
    workload = generate(tickets)
    t = workload.tickets_table()
    e = workload.events_table()
    origin = int(np.min(t["created_at"].cast(pa.int64()).to_numpy()))
    start = int(MONTH.timestamp() * 1_000_000)

    def squeeze(column: pa.ChunkedArray) -> pa.Array:
        micros = column.cast(pa.int64()).to_numpy()
        return pa.array(start + (micros - origin) // SQUEEZE, pa.int64()).cast(INSTANT)

    folder.mkdir(parents=True, exist_ok=True)
    t = t.set_column(t.schema.get_field_index("created_at"), "created_at", squeeze(t["created_at"]))
    e = e.set_column(e.schema.get_field_index("at"), "at", squeeze(e["at"]))
    pq.write_table(t, folder / "tickets.parquet")
    pq.write_table(e, folder / "events.parquet")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--workdir", type=Path, default=Path("out/benchmarks/report"))
    args = parser.parse_args(argv)
    data = args.workdir / f"month-{args.tickets}"
    shutil.rmtree(data, ignore_errors=True)
    write_month(args.tickets, data)
    agreement = load(AGREEMENT)
    period = ReportPeriod.parse_month("2026-10", agreement.home_zone)
    tickets = pq.read_table(data / "tickets.parquet")
    events = pq.read_table(data / "events.parquet")
    began = time.perf_counter()
    run_tables(agreement, tickets, events, as_of=period.end_at)
    measure = time.perf_counter() - began
    began = time.perf_counter()
    report = gather(agreement, data, period)
    gathered = time.perf_counter() - began
    files = write_report(report, args.workdir / "out")
    total = time.perf_counter() - began
    figures = {
        "tickets": args.tickets,
        "clocks_in_period": report.evidence.num_rows,
        "breaches": report.breaches_total,
        "measure_only_s": round(measure, 2),
        "gather_s": round(gathered, 2),
        "report_with_pdf_s": round(total, 2),
        "x_measure": round(total / measure, 1),
        "pdf_bytes": files["pdf"].stat().st_size,
    }
    print(
        f"{args.tickets:,} tickets in October 2026: report (HTML + PDF) in {total:.1f} s "
        f"(gather {gathered:.1f} s; measuring alone {measure:.1f} s, ×{total / measure:.1f})"
    )
    print(json.dumps({"machine": machine(), **figures}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark the SLA clock engine against its floor and its naive reference, in one run.

    python benchmarks/clock.py --tickets 1000000 [--json] [--sample 2000] [--workdir DIR]

Generates the workload (or reuses the cached one), then runs each part in a fresh process: the
floor, the engine end to end (the local runner on every core, and one kernel call), the naive
per-ticket reference on a sample; and compares each engine's rows with the reference's on that
sample. Prints a table; with ``--json`` the last line of stdout is one JSON object. Exits 1 when
rows differ or no engine ran. Imports the other ``benchmarks`` modules and Rich.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the `benchmarks` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from benchmarks import parts
from benchmarks.compare import Mismatches, compare_results
from benchmarks.workload import AS_OF, SEED, WorkloadFiles, ensure, ticket_ids_at

ROOT = Path(__file__).resolve().parent.parent
AGREEMENT = ROOT / "benchmarks" / "agreement.yaml"
GIB = 1 << 30

ENGINES: dict[str, tuple[str, Callable[[parts.Job], parts.Measurement]]] = {
    "runner": ("runner, every core", parts.runner),
    "kernel": ("kernel, one call", parts.kernel),
}
"""The engines measured, by name: a label and the part. The first that runs gives the headline
figures."""


@dataclass(frozen=True)
class Target:
    """A goal the engine is held to; ``limit`` is a maximum, or a minimum when ``at_least``."""

    name: str
    value: float
    limit: float
    at_least: bool = False

    @property
    def met(self) -> bool:
        return self.value >= self.limit if self.at_least else self.value <= self.limit


@dataclass(frozen=True)
class EngineRun:
    """One engine's outcome: its measurement and comparison, or why it could not run."""

    name: str
    measurement: parts.Measurement | None
    mismatches: Mismatches | None = None
    error: str | None = None


def main(argv: list[str] | None = None) -> int:
    """Parse the options, run the benchmark, print the table (and the JSON line)."""
    args = _parser().parse_args(argv)
    out, err = Console(), Console(stderr=True)
    directory = args.workdir / f"tickets-{args.tickets}-seed{args.seed}"
    with Progress(
        TextColumn("{task.description:<18}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as progress:
        task = progress.add_task("workload", total=1.0)
        files, reused = ensure(
            args.tickets,
            directory,
            seed=args.seed,
            progress=lambda what, done: progress.update(task, description=what, completed=done),
        )
    _warm_cache(files)

    k = min(args.sample, args.tickets)
    rng = np.random.default_rng([args.seed, 3])
    chosen = np.sort(rng.choice(args.tickets, size=k, replace=False))
    sample = tuple(ticket_ids_at(chosen, args.tickets).to_pylist())
    job = parts.Job(files.tickets_path, files.events_path, args.agreement, AS_OF, sample)
    limit = int(args.memory_limit * GIB)
    wanted = 1.5 * args.tickets / 1e6 if args.prefault is None else args.prefault
    prefault = int(min(wanted, args.memory_limit / 2) * GIB)

    with err.status("floor: reading Parquet and one binary search"):
        floor = _best_of(args.repeat, parts.floor, job, limit, prefault)
    measured: list[tuple[str, parts.Measurement | None, str | None]] = []
    for name in args.engines:
        label, part = ENGINES[name]
        with err.status(f"{label}: from Parquet to results"):
            try:
                out_job = _with_out(job, directory / f"{name}-sample.parquet")
                best = _best_of(args.repeat, part, out_job, limit, prefault)
                measured.append((name, best, None))
            except Exception as error:  # reported, not raised: the other figures still stand
                reason = f"{type(error).__name__} (memory limit {args.memory_limit:g} GiB): {error}"
                measured.append((name, None, reason))
    reference_rows = directory / "naive-sample.parquet"
    with err.status(f"naive reference on {k:,} tickets"):
        naive = parts.isolated(
            parts.naive, _with_out(job, reference_rows), memory_limit=limit, prefault=prefault
        )
    reference = pq.read_table(reference_rows)
    runs = [
        EngineRun(
            name,
            measurement,
            None
            if measurement is None
            else compare_results(pq.read_table(directory / f"{name}-sample.parquet"), reference),
            error,
        )
        for name, measurement, error in measured
    ]

    summary = summarise(files, reused, floor, runs, naive, k, args.repeat)
    summary["prefault_gib"] = round(prefault / GIB, 2)
    out.print(render(summary, runs))
    if args.json:
        sys.stdout.write(json.dumps(summary) + "\n")
    return 0 if summary["mismatches"] == 0 else 1


def summarise(
    files: WorkloadFiles,
    reused: bool,
    floor: parts.Measurement,
    runs: list[EngineRun],
    naive: parts.Measurement,
    sample: int,
    repeat: int,
) -> dict[str, Any]:
    """The figures of one run, as the JSON object (see benchmarks/README.md for each). The
    headline figures are those of the first engine that ran (null when none did);
    ``mismatches`` adds up every engine's."""
    naive_per_s = sample / naive.wall_s
    engines = {run.name: _engine_figures(run, files, floor, naive_per_s) for run in runs}
    headline = next((run for run in runs if run.measurement is not None), None)
    figures = engines[headline.name] if headline else {}
    compared = [run.mismatches for run in runs if run.mismatches is not None]
    summary: dict[str, Any] = {
        "tickets": files.tickets,
        "events": files.events,
        "events_per_ticket": round(files.events / files.tickets, 4),
        "duplicated_events": files.duplicates,
        "engine": headline.name if headline else None,
        "wall_s": figures.get("wall_s"),
        "floor_s": round(floor.wall_s, 4),
        "ratio_to_floor": figures.get("ratio_to_floor"),
        "tickets_per_s": figures.get("tickets_per_s"),
        "events_per_s": figures.get("events_per_s"),
        "peak_rss_bytes": figures.get("peak_rss_bytes"),
        "floor_peak_rss_bytes": floor.peak_rss_bytes,
        "sample": sample,
        "naive_s": round(naive.wall_s, 3),
        "naive_tickets_per_s": round(naive_per_s, 1),
        "naive_events_per_s": round(naive.counts.get("events", 0) / naive.wall_s, 1),
        "naive_peak_rss_bytes": naive.peak_rss_bytes,
        "speedup_vs_naive": figures.get("speedup_vs_naive"),
        "mismatches": sum(found.rows for found in compared) if compared else None,
        "targets": {},
        "engines": engines,
        "repeat": repeat,
        "generation_s": round(files.generation_s, 2),
        "workload_reused": reused,
        "as_of": AS_OF.isoformat(),
        "commit": _commit(),
        "machine": machine(),
    }
    if headline and headline.measurement:
        targets = targets_for(
            files.tickets,
            ratio_to_floor=figures["ratio_to_floor"],
            peak_rss_bytes=figures["peak_rss_bytes"],
            speedup_vs_naive=figures["speedup_vs_naive"],
            mismatches=summary["mismatches"],
        )
        summary["targets"] = {
            target.name: {"limit": target.limit, "value": target.value, "met": target.met}
            for target in targets
        }
    return summary


def _engine_figures(
    run: EngineRun, files: WorkloadFiles, floor: parts.Measurement, naive_per_s: float
) -> dict[str, Any]:
    measured, found = run.measurement, run.mismatches
    if measured is None or found is None:
        return {"error": run.error}
    tickets_per_s = files.tickets / measured.wall_s
    return {
        "wall_s": round(measured.wall_s, 4),
        "ratio_to_floor": round(measured.wall_s / floor.wall_s, 3),
        "tickets_per_s": round(tickets_per_s),
        "events_per_s": round(files.events / measured.wall_s),
        "peak_rss_bytes": measured.peak_rss_bytes,
        "speedup_vs_naive": round(tickets_per_s / naive_per_s, 1),
        "result_rows": measured.rows,
        "mismatches": found.rows,
        "mismatched_fields": dict(sorted(found.fields.items())),
        "compared_rows": found.compared,
        "counts": measured.counts,
    }


def targets_for(
    tickets: int,
    *,
    ratio_to_floor: float,
    peak_rss_bytes: int,
    speedup_vs_naive: float,
    mismatches: int,
) -> list[Target]:
    """The goals that apply at this size: within 2x the floor (2.5x and under 4 GiB from 10M
    tickets), 250x the naive loop per ticket, no differing rows.

    >>> [t.name for t in targets_for(10_000_000, ratio_to_floor=2.2, peak_rss_bytes=1 << 30,
    ...                               speedup_vs_naive=300, mismatches=0) if not t.met]
    []
    """
    large = tickets >= 10_000_000
    targets = [
        Target("ratio_to_floor", round(ratio_to_floor, 3), 2.5 if large else 2.0),
        Target("speedup_vs_naive", round(speedup_vs_naive, 1), 250, at_least=True),
        Target("mismatches", mismatches, 0),
    ]
    if large:
        targets.append(Target("peak_rss_gib", round(peak_rss_bytes / GIB, 3), 4.0))
    return targets


def render(summary: dict[str, Any], runs: list[EngineRun]) -> Table:
    """The run as a Rich table: one row per part; comparisons and targets in the caption."""
    tickets, events, sample = summary["tickets"], summary["events"], summary["sample"]
    table = Table(
        title=f"SLA clock, {tickets:,} tickets, {events:,} events "
        f"({summary['events_per_ticket']:.2f} per ticket)",
        caption=_caption(summary, runs),
    )
    for name in ("part", "wall s", "tickets/s", "events/s", "peak RSS", "× floor"):
        table.add_column(name, justify="left" if name == "part" else "right")
    floor_s = summary["floor_s"]
    table.add_row(
        "floor (read + 1 search)",
        f"{floor_s:.3f}",
        f"{tickets / floor_s:,.0f}",
        f"{events / floor_s:,.0f}",
        _bytes(summary["floor_peak_rss_bytes"]),
        "1.00",
    )
    for run in runs:
        figures = summary["engines"][run.name]
        label = ENGINES[run.name][0]
        if run.measurement is None:
            table.add_row(label, "failed", "", "", "", "")
            continue
        table.add_row(
            label,
            f"{figures['wall_s']:.3f}",
            f"{figures['tickets_per_s']:,}",
            f"{figures['events_per_s']:,}",
            _bytes(figures["peak_rss_bytes"]),
            f"{figures['ratio_to_floor']:.2f}",
        )
    table.add_row(
        f"naive ({sample:,} tickets)",
        f"{summary['naive_s']:.3f}",
        f"{summary['naive_tickets_per_s']:,.1f}",
        f"{summary['naive_events_per_s']:,.0f}",
        _bytes(summary["naive_peak_rss_bytes"]),
        "",
    )
    return table


def machine() -> dict[str, Any]:
    """What the figures were measured on: CPU model, cores, memory, load and library versions."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_bytes": os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "pyarrow": pa.__version__,
    }


def _caption(summary: dict[str, Any], runs: list[EngineRun]) -> str:
    lines = []
    for run in runs:
        if run.mismatches is None:
            lines.append(f"{run.name} failed: {run.error}")
            continue
        figures = summary["engines"][run.name]
        lines.append(
            f"{run.name}: {figures['speedup_vs_naive']:,.0f}× the naive loop per ticket; "
            f"{run.mismatches.rows} differing rows of {run.mismatches.compared:,} compared on "
            f"{summary['sample']:,} sampled tickets"
        )
        lines += [f"  {example}" for example in run.mismatches.examples]
    verdicts = ", ".join(
        f"{name} {'met' if goal['met'] else 'MISSED'} ({goal['value']} vs {goal['limit']})"
        for name, goal in summary["targets"].items()
    )
    lines.append(f"targets ({summary['engine']}): {verdicts or 'not measured'}")
    source = "reused" if summary["workload_reused"] else "generated"
    lines.append(
        f"workload {source} (generation {summary['generation_s']:.1f} s); "
        f"{summary['machine']['cpu']}, {summary['machine']['cores']} cores, "
        f"load {summary['machine']['load_average_1m']}"
    )
    return "\n".join(lines)


def _best_of(
    repeat: int,
    part: Callable[[parts.Job], parts.Measurement],
    job: parts.Job,
    memory_limit: int,
    prefault: int,
) -> parts.Measurement:
    """The fastest of ``repeat`` runs, each in a fresh process, with the highest peak seen."""
    runs = [
        parts.isolated(part, job, memory_limit=memory_limit, prefault=prefault)
        for _ in range(max(repeat, 1))
    ]
    best = min(runs, key=lambda run: run.wall_s)
    peak = max(run.peak_rss_bytes for run in runs)
    return parts.Measurement(best.wall_s, peak, best.rows, best.counts)


def _with_out(job: parts.Job, path: Path) -> parts.Job:
    return parts.Job(
        job.tickets_path, job.events_path, job.agreement_path, job.as_of, job.sample, path
    )


def _warm_cache(files: WorkloadFiles) -> None:
    """Read both files once so that no part pays for a cold page cache and the next does not."""
    for path in (files.tickets_path, files.events_path):
        with path.open("rb") as handle:
            while handle.read(1 << 24):
                pass


def _commit() -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return done.stdout.strip() or None


def _bytes(count: int) -> str:
    return f"{count / GIB:.2f} GiB" if count >= GIB else f"{count / (1 << 20):.0f} MiB"


def _engine_names(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in ENGINES]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"expected some of {', '.join(ENGINES)}, got {text!r}")
    return names


def _default_memory_limit() -> float:
    return round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") * 2 / 3 / GIB, 1)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="benchmarks/clock.py",
        description="Benchmark the SLA clock engine against its floor and the naive reference.",
    )
    parser.add_argument("--tickets", type=int, required=True, help="tickets in the workload")
    parser.add_argument(
        "--json", action="store_true", help="end stdout with one line of JSON with every figure"
    )
    parser.add_argument(
        "--sample",
        type=int,
        default=2000,
        help="tickets run through the naive reference and compared (default 2000)",
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=ROOT / "out" / "benchmarks",
        help="where workloads are cached (default out/benchmarks)",
    )
    parser.add_argument("--seed", type=int, default=SEED, help="the generator's seed")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="runs of the floor and the engine; the fastest counts (default 1)",
    )
    parser.add_argument(
        "--engines",
        type=_engine_names,
        default=list(ENGINES),
        help="comma-separated engines to measure, of: runner, kernel (default both); the kernel "
        "holds every ticket at once, so leave it out where memory is short",
    )
    parser.add_argument(
        "--memory-limit",
        type=float,
        default=_default_memory_limit(),
        help="GiB of address space each part may take; beyond, it fails instead of pushing the "
        "machine into its out-of-memory killer (default: two thirds of the memory)",
    )
    parser.add_argument(
        "--prefault",
        type=float,
        default=None,
        help="GiB of memory each part touches and frees before its clock starts, so a virtual "
        "machine that backs memory on first touch charges every part alike (default: 1.5 per "
        "million tickets, at most half the memory limit; 0 turns it off)",
    )
    parser.add_argument("--agreement", type=Path, default=AGREEMENT, help=argparse.SUPPRESS)
    return parser


if __name__ == "__main__":
    sys.exit(main())

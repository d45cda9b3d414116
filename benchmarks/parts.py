"""The measured parts of the clock benchmark: the floor, the runner, the kernel and the naive
reference.

Each part runs alone in a fresh process (:func:`isolated`), so its peak memory is its own and not
the generator's. Imports pyarrow, NumPy, the agreement loader, the calendar and the clock.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import multiprocessing
import resource
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from clearpact.agreement import load
from clearpact.calendar import Calendar
from clearpact.calendar.business import to_micros
from clearpact.clock import ClockRun, compute
from clearpact.clock.reference import compute_reference
from clearpact.clock.runner import (
    TICKET_COLUMNS,
    event_columns,
    read_parquet,
    run_parquet,
)

FLOOR_CALENDAR = "office"
"""The calendar whose window boundaries the floor searches: the one most SLAs use."""


@dataclass(frozen=True)
class Job:
    """What a part reads: the workload's files, the agreement, "now", and the sample of tickets
    whose result rows are written to ``sample_out`` for the comparison."""

    tickets_path: Path
    events_path: Path
    agreement_path: Path
    as_of: dt.datetime
    sample: tuple[str, ...] = ()
    sample_out: Path | None = None


@dataclass(frozen=True)
class Measurement:
    """One part's run: wall time of the measured work only (reading Parquet included, loading
    the agreement and writing the sample's rows excluded), the process's peak resident memory
    (VmHWM) and how many rows it produced."""

    wall_s: float
    peak_rss_bytes: int
    rows: int
    counts: dict[str, int] = field(default_factory=dict)


def isolated(
    part: Callable[[Job], Measurement],
    job: Job,
    *,
    memory_limit: int | None = None,
    prefault: int = 0,
) -> Measurement:
    """Run ``part(job)`` in a new spawned interpreter and return its measurement. With
    ``memory_limit`` (bytes of address space), a part that needs more raises MemoryError here
    instead of pushing the machine into its out-of-memory killer. With ``prefault`` (bytes), the
    interpreter first touches and frees that much memory (see :func:`_prefault`)."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=1,
        mp_context=context,
        initializer=_prepare,
        initargs=(memory_limit, prefault),
    ) as pool:
        return pool.submit(part, job).result()


def _prepare(limit: int | None, prefault: int) -> None:
    _limit_memory(limit)
    if prefault:
        _prefault(prefault)


def _prefault(size: int) -> None:
    """Touch ``size`` bytes of fresh memory and free them, then reset the peak-memory mark.

    A virtual machine may back its memory only when first touched: on the machine the README's
    figures come from, about 3 ms per MiB (12 GiB took 36 s), ten times the cost of the work on
    it. Touched once, the pages stay backed for a while after they are freed, so the part that
    follows measures the software, not the hypervisor. Every part gets the same treatment."""
    block = np.ones(size // 8, dtype=np.int64)
    del block
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM (Linux ≥ 4.0)


def _limit_memory(limit: int | None) -> None:
    if limit is not None:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def read(job: Job) -> tuple[pa.Table, pa.Table]:
    """Both files, the columns the local runner reads, read exactly as it reads them
    (``clearpact.clock.runner.read_parquet``): the canonical columns and the import's
    ``ticket_key`` (the events' ``ticket_id`` not, as keys match them), the columns of few
    distinct values dictionary-encoded, as Parquet stores them, so their strings are never
    decoded."""
    return (
        read_parquet(job.tickets_path, TICKET_COLUMNS),
        read_parquet(job.events_path, event_columns(job.tickets_path, job.events_path)),
    )


def floor(job: Job) -> Measurement:
    """The least any engine must do: read the same Parquet columns (:func:`read`), and find every
    timestamp (creations and events) among the sorted window boundaries of one calendar, in one
    ``np.searchsorted`` pass. The boundaries are compiled before the clock starts."""
    agreement = load(job.agreement_path)
    calendar = Calendar(agreement.calendars[FLOOR_CALENDAR])
    calendar.prepare(to_micros(dt.datetime(2020, 1, 1, tzinfo=dt.UTC)), to_micros(job.as_of))
    boundaries = np.column_stack((calendar.starts, calendar.ends)).ravel()
    began = time.perf_counter()
    tickets, events = read(job)
    instants = np.concatenate((_micros(tickets["created_at"]), _micros(events["at"])))
    positions = np.searchsorted(boundaries, instants, side="right")
    wall = time.perf_counter() - began
    inside = int(np.count_nonzero(positions % 2))  # odd: between a window's start and its end
    return Measurement(wall, _peak_rss(), int(positions.size), {"inside_windows": inside})


def kernel(job: Job) -> Measurement:
    """One ``clearpact.clock.compute`` call over all tickets, from reading the files
    (:func:`read`) to the result table in memory."""
    agreement = load(job.agreement_path)
    began = time.perf_counter()
    tickets, events = read(job)
    run = compute(agreement, tickets, events, as_of=job.as_of)
    wall = time.perf_counter() - began
    return _finish(run, wall, job)


def runner(job: Job) -> Measurement:
    """``clearpact.clock.runner.run_parquet`` on every core, from the files to the result table in
    memory. Its workers are threads of this process, so VmHWM covers them."""
    agreement = load(job.agreement_path)
    began = time.perf_counter()
    run = run_parquet(agreement, job.tickets_path, job.events_path, as_of=job.as_of)
    wall = time.perf_counter() - began
    return _finish(run, wall, job)


def _finish(run: ClockRun, wall: float, job: Job) -> Measurement:
    """The measurement of an engine's run; its rows for the sample go to ``job.sample_out``."""
    peak = _peak_rss()
    _write_sample(run.results, job)
    counts = {
        "duplicates_dropped": run.report.events_duplicated,
        "events_out_of_order": run.report.events_out_of_order,
        "rejected_events": run.rejected_events.num_rows,
    }
    return Measurement(wall, peak, run.results.num_rows, counts)


def naive(job: Job) -> Measurement:
    """``clearpact.clock.reference.compute_reference`` on the sample's tickets only; reading and
    selecting them is not timed."""
    agreement = load(job.agreement_path)
    wanted = pc.field("ticket_id").isin(pa.array(job.sample, type=pa.string()))
    tickets = pq.read_table(job.tickets_path, filters=wanted)
    events = pq.read_table(job.events_path, filters=wanted)
    began = time.perf_counter()
    results = compute_reference(agreement, tickets, events, as_of=job.as_of)
    wall = time.perf_counter() - began
    _write_sample(results, job)
    counts = {"tickets": tickets.num_rows, "events": events.num_rows}
    return Measurement(wall, _peak_rss(), results.num_rows, counts)


def _write_sample(results: pa.Table, job: Job) -> None:
    if job.sample_out is None:
        return
    wanted = pa.array(job.sample, type=pa.string())
    pq.write_table(results.filter(pc.is_in(results["ticket_id"], wanted)), job.sample_out)


def _micros(column: pa.ChunkedArray) -> npt.NDArray[np.int64]:
    values: npt.NDArray[np.int64] = column.to_numpy().view(np.int64)
    return values


def _peak_rss() -> int:
    """This process's peak resident memory in bytes: VmHWM, or ru_maxrss where there is no
    /proc."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

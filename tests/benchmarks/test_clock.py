"""The clock benchmark: its comparison, its parts, and one whole run on a tiny workload."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pytest

from benchmarks import clock, parts
from benchmarks.compare import Mismatches, compare_results
from benchmarks.workload import AS_OF, WorkloadFiles, ensure, generate
from clearpact.agreement import load
from clearpact.clock import compute
from clearpact.clock.reference import compute_reference
from clearpact.clock.tables import RESULTS

REQUIRED = {
    "tickets",
    "events",
    "wall_s",
    "floor_s",
    "naive_tickets_per_s",
    "tickets_per_s",
    "events_per_s",
    "peak_rss_bytes",
    "mismatches",
    "ratio_to_floor",
    "speedup_vs_naive",
    "machine",
}


def result(**changes: object) -> dict[str, object]:
    row: dict[str, object] = {
        "ticket_id": "T0000001",
        "sla": "resolution",
        "metric": "resolution",
        "cycle": 0,
        "elapsed_business_s": 3600.0,
        "state": "met",
        "at_risk": False,
    }
    return {**row, **changes}


def results(*rows: dict[str, object]) -> pa.Table:
    return pa.Table.from_pylist(list(rows), schema=RESULTS)


def test_identical_results_have_no_mismatches() -> None:
    table = results(result(), result(sla="first-response", metric="first_response"))
    assert compare_results(table, table).rows == 0


def test_each_differing_field_is_counted_with_no_tolerance() -> None:
    engine = results(result(elapsed_business_s=3600.000001, state="breached"), result(cycle=1))
    reference = results(result(), result(cycle=1))
    found = compare_results(engine, reference)
    assert (found.rows, found.compared) == (1, 2)
    assert found.fields == {"elapsed_business_s": 1, "state": 1}
    assert "T0000001/resolution/0" in found.examples[0]


def test_rows_on_one_side_only_or_repeated_are_mismatches() -> None:
    engine = results(result(), result(), result(ticket_id="T0000002"))
    reference = results(result(), result(ticket_id="T0000003"))
    found = compare_results(engine, reference)
    # one repeated key, one row only in the engine, one only in the reference
    assert (found.rows, found.only_engine, found.only_reference) == (3, 1, 1)


def test_the_engine_matches_the_reference_on_the_benchmark_workload() -> None:
    workload = generate(400, seed=11)
    agreement = load(clock.AGREEMENT)
    tickets, events = workload.tickets_table(), workload.events_table()
    engine = compute(agreement, tickets, events, as_of=AS_OF).results
    reference = compute_reference(agreement, tickets, events, as_of=AS_OF)
    found = compare_results(engine, reference)
    assert found.rows == 0, found.examples
    assert found.compared == reference.num_rows > 3 * 400  # reopened tickets add cycles


def test_the_floor_reads_and_searches_every_timestamp(tmp_path: Path) -> None:
    files, _ = ensure(300, tmp_path)
    job = parts.Job(files.tickets_path, files.events_path, clock.AGREEMENT, AS_OF)
    measured = parts.floor(job)
    assert measured.rows == files.tickets + files.events
    assert 0 < measured.counts["inside_windows"] < measured.rows
    assert measured.wall_s > 0
    assert measured.peak_rss_bytes > 0


@pytest.mark.slow
def test_a_whole_run_ends_stdout_with_one_json_object(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--tickets", "300", "--sample", "60", "--json", "--workdir", str(tmp_path)]
    assert clock.main(argv) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    figures = json.loads(last)
    assert set(figures) >= REQUIRED
    assert (figures["tickets"], figures["sample"], figures["mismatches"]) == (300, 60, 0)
    assert figures["engine"] == "runner"
    assert set(figures["engines"]) == {"runner", "kernel"}
    assert figures["engines"]["kernel"]["compared_rows"] >= 3 * 60
    assert figures["machine"]["cores"] >= 1


def test_an_engine_that_failed_leaves_the_headline_to_the_next_and_none_means_no_figures(
    tmp_path: Path,
) -> None:
    files = WorkloadFiles(
        tmp_path, tickets=1_000, events=4_400, duplicates=22, seed=1, generation_s=0.1
    )
    floor = parts.Measurement(wall_s=0.5, peak_rss_bytes=1 << 28, rows=5_400)
    naive = parts.Measurement(wall_s=2.0, peak_rss_bytes=1 << 27, rows=300, counts={"events": 440})
    kernel = parts.Measurement(wall_s=1.0, peak_rss_bytes=1 << 29, rows=3_000)
    found = Mismatches(rows=0, compared=300, only_engine=0, only_reference=0)
    failed = clock.EngineRun("runner", None, error="MemoryError")
    summary = clock.summarise(
        files, True, floor, [failed, clock.EngineRun("kernel", kernel, found)], naive, 100, 1
    )
    # 1,000 tickets in 1 s against 100 in 2 s: 1,000 / 50 = 20x
    assert (summary["engine"], summary["ratio_to_floor"], summary["speedup_vs_naive"]) == (
        "kernel",
        2.0,
        20.0,
    )
    assert summary["engines"]["runner"] == {"error": "MemoryError"}
    alone = clock.summarise(files, True, floor, [failed], naive, 100, 1)
    assert (alone["engine"], alone["wall_s"], alone["mismatches"], alone["targets"]) == (
        None,
        None,
        None,
        {},
    )

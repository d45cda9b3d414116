"""The benchmark workload: deterministic, in the canonical schemas, with the stated shape."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from benchmarks.workload import (
    AS_OF,
    KEYED_EVENTS,
    KEYED_TICKETS,
    PAUSES,
    ZONE,
    Workload,
    ensure,
    generate,
    ticket_ids,
    ticket_ids_at,
    write,
)
from clearpact.agreement import load
from clearpact.agreement.slas import TargetSpec, TicketSla
from clearpact.clock.tables import TICKETS

TICKETS_N = 20_000
BLOCK = 5_000  # tickets whose events are shuffled together (the benchmark's blocks are larger)
AGREEMENT = Path(__file__).resolve().parents[2] / "benchmarks" / "agreement.yaml"


@pytest.fixture(scope="module")
def workload() -> Workload:
    return generate(TICKETS_N, block_tickets=BLOCK)


@pytest.fixture(scope="module")
def tickets(workload: Workload) -> pa.Table:
    return workload.tickets_table()


@pytest.fixture(scope="module")
def events(workload: Workload) -> pa.Table:
    return workload.events_table()


@pytest.fixture(scope="module")
def distinct_events(events: pa.Table) -> pa.Table:
    """The events without their duplicated rows."""
    return events.group_by(events.column_names, use_threads=False).aggregate([])


def share_with(events: pa.Table, kind: str, value: str, *, at_least: int = 1) -> float:
    """The share of all tickets with at least ``at_least`` events of this kind and value."""
    rows = events.filter(pc.and_(pc.equal(events["kind"], kind), pc.equal(events["value"], value)))
    counts = rows.group_by("ticket_id").aggregate([("ticket_id", "count")])
    return pc.sum(pc.greater_equal(counts["ticket_id_count"], at_least)).as_py() / TICKETS_N


def test_the_same_seed_gives_the_same_workload() -> None:
    first, again, other = generate(2_000), generate(2_000), generate(2_000, seed=7)
    assert first.events_table().equals(again.events_table())
    assert first.tickets_table().equals(again.tickets_table())
    assert not first.events_table().equals(other.events_table())


def test_written_files_have_the_canonical_schemas_plus_the_import_key(tmp_path: Path) -> None:
    small = generate(500)
    files = write(small, tmp_path, row_group_size=1_000)
    assert pq.read_schema(files.tickets_path).remove_metadata().equals(KEYED_TICKETS)
    assert pq.read_schema(files.events_path).remove_metadata().equals(KEYED_EVENTS)
    assert KEYED_TICKETS.remove(KEYED_TICKETS.get_field_index("ticket_key")).equals(TICKETS)
    assert pq.ParquetFile(files.events_path).metadata.num_row_groups == -(-small.events // 1_000)
    assert pq.read_table(files.events_path).equals(small.events_table())
    manifest = json.loads(files.manifest_path.read_text())
    assert manifest["events"] == small.events
    assert manifest["as_of"] == AS_OF.isoformat()


def test_a_complete_cached_workload_is_reused_and_another_size_is_not(tmp_path: Path) -> None:
    made, reused = ensure(300, tmp_path)
    again, reused_again = ensure(300, tmp_path)
    other, reused_other = ensure(301, tmp_path)
    assert (reused, reused_again, reused_other) == (False, True, False)
    assert again.events == made.events
    assert other.tickets == 301


def test_ticket_ids_count_from_one_and_widen_past_seven_digits() -> None:
    assert ticket_ids(2).to_pylist() == ["T0000001", "T0000002"]
    last = ticket_ids_at(np.array([9_999_999]), 10_000_000).to_pylist()
    assert last == ["T10000000"]


def test_tickets_are_in_creation_order_over_three_years(tickets: pa.Table) -> None:
    created = tickets["created_at"].to_numpy()
    assert (np.diff(created.view(np.int64)) >= 0).all()
    first, last = tickets["created_at"][0].as_py(), tickets["created_at"][-1].as_py()
    assert dt.datetime(2023, 1, 1, tzinfo=ZONE) <= first < dt.datetime(2023, 1, 8, tzinfo=ZONE)
    assert dt.datetime(2025, 12, 24, tzinfo=ZONE) < last < dt.datetime(2026, 1, 1, tzinfo=ZONE)
    assert pc.count_distinct(tickets["ticket_id"]).as_py() == TICKETS_N


def test_priorities_and_initial_statuses_hold_their_shares(tickets: pa.Table) -> None:
    counts = {
        row["values"]: row["counts"] for row in pc.value_counts(tickets["priority"]).to_pylist()
    }
    shares = [counts[name] / TICKETS_N for name in ("P1", "P2", "P3", "P4")]
    assert shares == pytest.approx([0.05, 0.20, 0.45, 0.30], abs=0.015)
    waiting = pc.sum(pc.equal(tickets["status"], "Waiting on customer")).as_py() / TICKETS_N
    assert waiting == pytest.approx(0.02, abs=0.005)
    assert set(tickets["status"].to_pylist()) == {"New", "Waiting on customer"}


def test_most_tickets_are_created_in_berlin_office_hours(tickets: pa.Table) -> None:
    local = [t.astimezone(ZONE) for t in tickets["created_at"].to_pylist()]
    inside = sum(1 for t in local if t.weekday() < 5 and 8 <= t.hour < 18) / TICKETS_N
    # 85% are placed in office hours; of the 15% placed at any time, 50 h of 168 h a week land
    # there too: 0.85 + 0.15 × 50/168 = 0.8946
    assert inside == pytest.approx(0.85 + 0.15 * 50 / 168, abs=0.01)


def test_replies_are_mostly_by_agents_some_automatic_or_internal(events: pa.Table) -> None:
    assert share_with(events, "reply", "agent") == pytest.approx(0.97, abs=0.01)
    assert share_with(events, "reply", "automation") == pytest.approx(0.20, abs=0.015)
    assert share_with(events, "reply", "internal") == pytest.approx(0.10, abs=0.01)


def test_pauses_priority_changes_reopenings_resolutions_and_closures(
    distinct_events: pa.Table,
) -> None:
    events = distinct_events
    waiting = events.filter(
        pc.is_in(events["value"], pa.array(["Waiting on customer", "Waiting on third party"]))
    )
    per_ticket = waiting.group_by("ticket_id").aggregate([("ticket_id", "count")])
    pauses = np.bincount(per_ticket["ticket_id_count"].to_numpy(), minlength=5)
    pauses[0] = TICKETS_N - per_ticket.num_rows
    assert pauses.size == 5  # never more than four pauses
    assert pauses / TICKETS_N == pytest.approx(PAUSES, abs=0.012)
    priority_changed = pc.count_distinct(
        events.filter(pc.equal(events["kind"], "priority"))["ticket_id"]
    )
    assert priority_changed.as_py() / TICKETS_N == pytest.approx(0.05, abs=0.01)
    # Tickets of the last days of 2025 may not be resolved or closed yet at the export.
    assert share_with(events, "status", "Resolved") == pytest.approx(0.90, abs=0.01)
    assert share_with(events, "status", "Resolved", at_least=2) == pytest.approx(0.03, abs=0.005)
    assert share_with(events, "status", "Closed") == pytest.approx(0.90 * 0.80, abs=0.015)


def test_about_four_point_four_events_per_ticket_with_half_a_percent_duplicated(
    workload: Workload, events: pa.Table, distinct_events: pa.Table
) -> None:
    assert events.num_rows / TICKETS_N == pytest.approx(4.4, abs=0.1)
    assert events.num_rows - distinct_events.num_rows == workload.duplicates
    assert workload.duplicates / events.num_rows == pytest.approx(0.005, abs=0.0015)


def test_events_are_shuffled_within_blocks_of_tickets_and_each_history_is_in_time_order(
    tickets: pa.Table, distinct_events: pa.Table, events: pa.Table
) -> None:
    ids = events["ticket_id"].to_numpy(zero_copy_only=False)
    assert np.mean(ids[1:] == ids[:-1]) < 0.01  # rows of one ticket are not together
    # … but each block of BLOCK tickets has its rows together, blocks in ticket order.
    block = np.array([int(i[1:]) - 1 for i in ids]) // BLOCK
    assert (np.diff(block) >= 0).all()
    assert np.unique(block).size == TICKETS_N // BLOCK
    ordered = distinct_events.sort_by([("ticket_id", "ascending"), ("at", "ascending")])
    same_ticket = ordered["ticket_id"].to_numpy(zero_copy_only=False)
    at = ordered["at"].to_numpy().view(np.int64)
    follows = same_ticket[1:] == same_ticket[:-1]
    assert (np.diff(at)[follows] >= 1_000_000).all()  # a second apart at least: no ties
    created = dict(
        zip(tickets["ticket_id"].to_pylist(), tickets["created_at"].to_pylist(), strict=True)
    )
    first = ordered.group_by("ticket_id").aggregate([("at", "min")]).to_pylist()
    assert all(row["at_min"] > created[row["ticket_id"]] for row in first)
    assert pc.max(events["at"]).as_py() <= AS_OF


def test_the_benchmark_agreement_loads_with_three_calendars_and_a_night_sla() -> None:
    agreement = load(AGREEMENT)
    assert set(agreement.calendars) == {"office", "night", "always"}
    assert agreement.calendars["night"].timezone == "America/New_York"
    slas = {key: sla for key, sla in agreement.slas.items() if isinstance(sla, TicketSla)}
    assert {"first-response", "resolution"} <= set(slas)
    assert any(sla.calendar == "night" for sla in slas.values())
    assert isinstance(slas["first-response"].targets["P1"], TargetSpec)
    assert slas["first-response"].calendar_for("P1") == "always"
    assert slas["resolution"].pause_statuses == ["Waiting on customer", "Waiting on third party"]

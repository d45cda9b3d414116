"""The ServiceNow audit-log reader: a hand-written fixture for every reject rule, then the real log
(UCI data set 498, in ``shared/data``) for counts, a hand-checked incident and time zones."""

from __future__ import annotations

import csv
import gzip
import io
import re
import shutil
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from clearpact.clock.tables import EVENTS, TICKETS
from clearpact.ingest.servicenow_log import (
    REJECTS,
    STATUS_MEANINGS,
    ImportResult,
    read_servicenow_log,
)
from tests.conftest import require_shared_data

TINY = Path(__file__).parent / "servicenow_log" / "tiny.csv"
LOG_NAME = "uci498_incident_event_log.zip"


def utc(text: str) -> datetime:
    """``"2016-03-01 12:30"`` as an aware UTC datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def events_of(result: ImportResult, ticket_id: str) -> list[tuple[datetime, str, str | None]]:
    rows = result.events.filter(pc.equal(result.events["ticket_id"], ticket_id))
    return [(r["at"], r["kind"], r["value"]) for r in rows.to_pylist()]


# --- the hand-written fixture: every reject rule, exactly ------------------------------------


@pytest.fixture(scope="module")
def tiny() -> ImportResult:
    """tiny.csv read in São Paulo time (UTC−3 in March 2016: 09:00 local is 12:00Z)."""
    return read_servicenow_log(TINY, timezone="America/Sao_Paulo")


def test_tables_have_the_canonical_schemas(tiny: ImportResult) -> None:
    assert tiny.tickets.schema == TICKETS
    assert tiny.events.schema == EVENTS
    assert tiny.rejects.schema == REJECTS


def test_every_bad_value_is_rejected_with_its_row_and_reason(tiny: ImportResult) -> None:
    unreadable = "unreadable (expected d/m/YYYY HH:MM)"
    assert tiny.rejects.to_pylist() == [
        {
            "source_row": 3,
            "field": "incident_state",
            "value": "-100",
            "reason": "incident_state is not a state name; the snapshot's state is ignored",
        },
        {
            "source_row": 3,
            "field": "priority",
            "value": "5 - Planning",
            "reason": "priority not in priority_map; the snapshot's priority is ignored",
        },
        {
            "source_row": 4,
            "field": "sys_mod_count",
            "value": "x",
            "reason": "sys_mod_count is not an integer; the snapshot is ordered last among those "
            "at the same sys_updated_at",
        },
        {
            "source_row": 5,
            "field": "sys_updated_at",
            "value": "2016-03-01 11:00",
            "reason": f"sys_updated_at {unreadable}; the snapshot is left out",
        },
        {
            "source_row": 8,
            "field": "opened_at",
            "value": "?",
            "reason": f"opened_at {unreadable}; incident INC9000002 rejected whole",
        },
        {
            "source_row": 9,
            "field": "opened_at",
            "value": "?",
            "reason": f"opened_at {unreadable}; incident INC9000002 rejected whole",
        },
        {
            "source_row": 10,
            "field": "opened_at",
            "value": "1/3/2016 09:20",
            "reason": "opened_at differs between the rows of incident INC9000003; rejected whole",
        },
        {
            "source_row": 11,
            "field": "opened_at",
            "value": "1/3/2016 09:21",
            "reason": "opened_at differs between the rows of incident INC9000003; rejected whole",
        },
        {
            "source_row": 12,
            "field": "number",
            "value": "?",
            "reason": "missing incident number; the row belongs to no incident",
        },
        {
            "source_row": 13,
            "field": "priority",
            "value": "9 - Whatever",
            "reason": "priority not in priority_map; the snapshot's priority is ignored",
        },
        {
            "source_row": 14,
            "field": "sys_updated_at",
            "value": "1/3/16 09:50",  # a two-digit year is not read as the year 16
            "reason": f"sys_updated_at {unreadable}; the snapshot is left out",
        },
        {
            "source_row": 16,
            "field": "opened_at",
            "value": "1/3/2016 09:50",
            "reason": "opened_at unreadable on another row of incident INC9000005; rejected whole",
        },
        {
            "source_row": 17,
            "field": "opened_at",
            "value": "31/2/2016 09:50",  # no 31 February
            "reason": f"opened_at {unreadable}; incident INC9000005 rejected whole",
        },
    ]


def test_rejected_incidents_have_no_ticket_and_no_events(tiny: ImportResult) -> None:
    assert tiny.rows_read == 17
    assert tiny.tickets.to_pylist() == [
        {
            "ticket_id": "INC9000001",
            "created_at": utc("2016-03-01 12:00"),
            "priority": "P3",
            "status": "New",
            "customer": "Caller 1",
            "service": "Category 1",
        },
        {
            "ticket_id": "INC9000004",
            "created_at": utc("2016-03-01 12:40"),
            "priority": None,  # its first snapshot's priority was rejected
            "status": "New",
            "customer": None,
            "service": None,
        },
    ]
    assert set(tiny.events["ticket_id"].to_pylist()) == {"INC9000001", "INC9000004"}


def test_junk_values_make_no_events_and_break_no_sequence(tiny: ImportResult) -> None:
    # Rows 3 (-100, 5 - Planning) and 4 (Active, 2 - High, same as before row 3) change nothing;
    # row 5 is left out; row 6 unassigns, which is no event.
    assert events_of(tiny, "INC9000001") == [
        (utc("2016-03-01 12:30"), "status", "Active"),
        (utc("2016-03-01 12:30"), "priority", "P2"),
        (utc("2016-03-01 12:30"), "assignment", "Resolver 7"),
        (utc("2016-03-01 15:00"), "status", "Resolved"),
        (utc("2016-03-06 15:00"), "status", "Closed"),
    ]


def test_a_first_known_priority_after_an_unknown_one_is_a_priority_event(
    tiny: ImportResult,
) -> None:
    assert events_of(tiny, "INC9000004") == [
        (utc("2016-03-01 12:40"), "assignment", "Resolver 3"),  # assigned on its first snapshot
        (utc("2016-03-01 13:00"), "status", "Active"),
        (utc("2016-03-01 13:00"), "priority", "P4"),
    ]


def test_counts_and_summary_name_every_figure(tiny: ImportResult) -> None:
    counts = tiny.counts()
    assert counts["tickets"] == 2
    assert counts["events"] == 8
    assert counts["events_status"] == 4
    assert counts["events_priority"] == 2
    assert counts["events_assignment"] == 2
    assert counts["rejects"] == 13
    assert counts["rows_with_rejects"] == 12
    assert "rejects: 13" in tiny.summary().splitlines()


def test_a_priority_map_that_merges_labels_makes_no_event_between_them() -> None:
    result = read_servicenow_log(
        TINY,
        timezone="America/Sao_Paulo",
        priority_map={"3 - Moderate": "standard", "2 - High": "standard", "4 - Low": "low"},
    )
    assert result.tickets["priority"].to_pylist() == ["standard", None]
    assert [e[2] for e in events_of(result, "INC9000001") if e[1] == "priority"] == []


@pytest.mark.parametrize("suffix", [".zip", ".csv.gz"])
def test_zip_and_gzip_read_like_the_plain_file(
    tiny: ImportResult, tmp_path: Path, suffix: str
) -> None:
    packed = tmp_path / f"export{suffix}"
    if suffix == ".zip":
        with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(TINY, "incident_event_log.csv")
    else:
        with TINY.open("rb") as source, gzip.open(packed, "wb") as target:
            shutil.copyfileobj(source, target)
    result = read_servicenow_log(packed, timezone="America/Sao_Paulo")
    assert result == tiny


def test_a_zip_without_exactly_one_csv_is_refused(tmp_path: Path) -> None:
    packed = tmp_path / "two.zip"
    with zipfile.ZipFile(packed, "w") as archive:
        archive.write(TINY, "a.csv")
        archive.write(TINY, "b.csv")
    with pytest.raises(ValueError, match=r"exactly one \.csv inside the zip, found 2"):
        read_servicenow_log(packed, timezone="UTC")


def test_a_file_without_the_needed_columns_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.csv"
    other.write_text("number,state\nINC1,New\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"missing column.*incident_state.*sys_updated_at"):
        read_servicenow_log(other, timezone="UTC")


def test_an_unknown_zone_is_refused_with_a_hint() -> None:
    with pytest.raises(ValueError, match=r"unknown time zone 'Lisbon'; hint: .*IANA"):
        read_servicenow_log(TINY, timezone="Lisbon")


def test_repeated_and_skipped_wall_times_take_fold_0_and_are_counted(tmp_path: Path) -> None:
    # Lisbon, 2016: clocks went 01:00 → 02:00 on 27 March (01:30 never happened) and
    # 02:00 → 01:00 on 30 October (01:30 happened twice, first at UTC+1).
    header = TINY.read_text(encoding="utf-8").splitlines()[0]
    rows = [
        "INC1,New,0,true,C,27/3/2016 01:30,27/3/2016 01:30,S,3 - Moderate,?,?,?",
        "INC2,New,0,true,C,30/10/2016 01:30,30/10/2016 01:30,S,3 - Moderate,?,?,?",
        "INC2,Active,1,true,C,30/10/2016 01:30,30/10/2016 03:00,S,3 - Moderate,?,?,?",
    ]
    log = tmp_path / "dst.csv"
    log.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    result = read_servicenow_log(log, timezone="Europe/Lisbon")
    # 01:30 skipped: read at the offset before the change, UTC+0 → 01:30Z (02:30 summer time).
    # 01:30 repeated: its first occurrence, UTC+1 → 00:30Z. 03:00 is plain winter time, 03:00Z.
    assert result.tickets["created_at"].to_pylist() == [
        utc("2016-03-27 01:30"),
        utc("2016-10-30 00:30"),
    ]
    assert events_of(result, "INC2") == [(utc("2016-10-30 03:00"), "status", "Active")]
    # Each counted once per ticket creation and once per kept snapshot.
    assert (result.nonexistent_local_times, result.ambiguous_local_times) == (2, 2)


IMPORTS_INGEST = re.compile(r"^\s*(from|import)\s+clearpact\.ingest\b", re.MULTILINE)


def test_the_core_never_imports_ingest() -> None:
    package = Path(__file__).resolve().parents[2] / "src" / "clearpact"
    core = ["agreement", "calendar", "clock", "kpi", "lint"]
    importers = [
        path.relative_to(package)
        for name in core
        for path in (package / name).rglob("*.py")
        if IMPORTS_INGEST.search(path.read_text(encoding="utf-8"))
    ]
    assert importers == []


# --- the real log ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def log_path() -> Path:
    """The real ServiceNow log; skipped when shared/data is absent, but never in CI."""
    log = require_shared_data() / LOG_NAME
    if not log.is_file():
        pytest.fail(f"{log} is missing; CI must run the real-data tests")
    return log


@pytest.fixture(scope="module")
def log_sao_paulo(log_path: Path) -> ImportResult:
    """The real log read in São Paulo time (the data set comes from a Brazilian company)."""
    return read_servicenow_log(log_path, timezone="America/Sao_Paulo")


@pytest.fixture(scope="module")
def numbers_by_row(log_path: Path) -> list[str]:
    """The ``number`` column of the real log, row by row, read with the csv module as an
    independent check on the reader."""
    with zipfile.ZipFile(log_path) as archive, archive.open("incident_event_log.csv") as raw:
        rows = csv.reader(io.TextIOWrapper(raw, encoding="utf-8"))
        column = next(rows).index("number")
        return [row[column] for row in rows]


def test_every_incident_in_the_log_is_a_ticket_or_rejected(
    log_sao_paulo: ImportResult, numbers_by_row: list[str]
) -> None:
    assert log_sao_paulo.rows_read == len(numbers_by_row) == 141_712
    tickets = set(log_sao_paulo.tickets["ticket_id"].to_pylist())
    rejected = {numbers_by_row[row - 1] for row in log_sao_paulo.rejects["source_row"].to_pylist()}
    assert tickets | rejected == set(numbers_by_row)
    # No opened_at in the log is unreadable, so no incident is rejected whole.
    assert len(tickets) == log_sao_paulo.tickets.num_rows == 24_918
    assert log_sao_paulo.tickets.schema == TICKETS


def test_the_five_minus_100_states_are_the_only_rejects(log_sao_paulo: ImportResult) -> None:
    rejects = log_sao_paulo.rejects
    assert rejects["source_row"].to_pylist() == [115642, 115643, 124508, 124509, 124510]
    assert set(rejects["field"].to_pylist()) == {"incident_state"}
    assert set(rejects["value"].to_pylist()) == {"-100"}
    assert "-100" not in log_sao_paulo.events["value"].to_pylist()


def test_the_state_before_a_junk_state_still_holds(log_sao_paulo: ImportResult) -> None:
    # INC0030413: New, New, Active 15/6 17:05, Active, -100, -100, -100, Resolved 21/6 17:28,
    # Closed 26/6 18:00 (São Paulo, UTC−3): Active → Resolved with nothing in between.
    statuses = [e for e in events_of(log_sao_paulo, "INC0030413") if e[1] == "status"]
    assert statuses == [
        (utc("2016-06-15 20:05"), "status", "Active"),
        (utc("2016-06-21 20:28"), "status", "Resolved"),
        (utc("2016-06-26 21:00"), "status", "Closed"),
    ]


def test_priority_changes_within_383_incidents(log_sao_paulo: ImportResult) -> None:
    events = log_sao_paulo.events
    changed = events.filter(pc.equal(events["kind"], "priority"))
    assert len(set(changed["ticket_id"].to_pylist())) == 383  # as the data README says
    assert changed.num_rows == 436


def test_every_incident_reaches_resolved_or_closed(log_sao_paulo: ImportResult) -> None:
    ends = pa.array(sorted(STATUS_MEANINGS.resolved | STATUS_MEANINGS.closed))
    events, tickets = log_sao_paulo.events, log_sao_paulo.tickets
    ending = pc.and_(pc.equal(events["kind"], "status"), pc.is_in(events["value"], ends))
    reached = set(events.filter(ending)["ticket_id"].to_pylist())
    reached |= set(tickets.filter(pc.is_in(tickets["status"], ends))["ticket_id"].to_pylist())
    assert len(reached) == 24_918


def test_one_incident_checked_by_hand(log_sao_paulo: ImportResult) -> None:
    # `unzip -p uci498_incident_event_log.zip | grep -n '^INC0020806,' | cut -d, -f1,2,6,8,10,14,17,23,25`
    # (line = source_row + 1; number, incident_state, sys_mod_count, caller_id, opened_at,
    # sys_updated_at, category, priority, assigned_to):
    #   86919: INC0020806,New,0,Caller 5331,19/4/2016 10:18,19/4/2016 10:20,Category 24,2 - High,Resolver 125
    #   86920: INC0020806,Active,1,Caller 5331,19/4/2016 10:18,19/4/2016 14:45,Category 24,2 - High,Resolver 239
    #   86921: INC0020806,Active,2,Caller 5331,19/4/2016 10:18,19/4/2016 14:45,Category 24,3 - Moderate,Resolver 239
    #   86922: INC0020806,Active,3,Caller 5331,19/4/2016 10:18,19/4/2016 14:45,Category 24,3 - Moderate,?
    #   86923: INC0020806,Resolved,4,Caller 5331,19/4/2016 10:18,20/4/2016 08:50,Category 24,3 - Moderate,Resolver 125
    #   86924: INC0020806,Closed,5,Caller 5331,19/4/2016 10:18,25/4/2016 09:07,Category 24,3 - Moderate,Resolver 125
    # São Paulo in April 2016 is UTC−3 (no summer time), so local + 3 h = UTC:
    #   created 19/4 10:18 → 13:18Z, P2 ("2 - High"), New, Caller 5331, Category 24.
    #   10:20 → 13:20Z assigned Resolver 125 (nobody was assigned before the first snapshot).
    #   14:45 → 17:45Z, three snapshots ordered by sys_mod_count 1, 2, 3: Active and
    #     Resolver 239 (mod 1); P3 (mod 2); unassigned (mod 3): no event.
    #   20/4 08:50 → 11:50Z Resolved and Resolver 125 again; 25/4 09:07 → 12:07Z Closed.
    #   resolved_at (20/4/2016 08:50, on every row) is not read: the status event carries it.
    ticket = log_sao_paulo.tickets.filter(
        pc.equal(log_sao_paulo.tickets["ticket_id"], "INC0020806")
    )
    assert ticket.to_pylist() == [
        {
            "ticket_id": "INC0020806",
            "created_at": utc("2016-04-19 13:18"),
            "priority": "P2",
            "status": "New",
            "customer": "Caller 5331",
            "service": "Category 24",
        }
    ]
    assert events_of(log_sao_paulo, "INC0020806") == [
        (utc("2016-04-19 13:20"), "assignment", "Resolver 125"),
        (utc("2016-04-19 17:45"), "status", "Active"),
        (utc("2016-04-19 17:45"), "assignment", "Resolver 239"),
        (utc("2016-04-19 17:45"), "priority", "P3"),
        (utc("2016-04-20 11:50"), "status", "Resolved"),
        (utc("2016-04-20 11:50"), "assignment", "Resolver 125"),
        (utc("2016-04-25 12:07"), "status", "Closed"),
    ]


def test_the_zone_shifts_created_at_by_the_difference_of_offsets(
    log_path: Path, log_sao_paulo: ImportResult
) -> None:
    lisbon = read_servicenow_log(log_path, timezone="Europe/Lisbon")
    created_sp = {t["ticket_id"]: t["created_at"] for t in log_sao_paulo.tickets.to_pylist()}
    created_lx = {t["ticket_id"]: t["created_at"] for t in lisbon.tickets.to_pylist()}

    def shift(ticket_id: str) -> timedelta:
        difference: timedelta = created_sp[ticket_id] - created_lx[ticket_id]
        return difference

    hours = timedelta(hours=1)
    # opened 29/2/2016 01:16: Lisbon UTC+0 (winter), São Paulo UTC−3 (summer time ended 21/2)
    assert shift("INC0000045") == 3 * hours
    # opened 4/7/2016 10:29: Lisbon UTC+1 (summer), São Paulo UTC−3
    assert shift("INC0044114") == 4 * hours
    # opened 17/10/2016 14:23: Lisbon UTC+1, São Paulo UTC−2 (its summer time began 16/10)
    assert shift("INC0077515") == 3 * hours
    # opened 1/11/2016 10:52: Lisbon UTC+0 (winter from 30/10), São Paulo UTC−2
    assert shift("INC0082574") == 2 * hours
    shifts = [shift(t) for t in created_sp]
    assert {s: shifts.count(s) for s in set(shifts)} == {
        2 * hours: 212,
        3 * hours: 7_551,
        4 * hours: 17_155,
    }
    # Six snapshots were written at Lisbon wall times that never happened (27/3/2016 01:xx);
    # São Paulo's own gap (16/10/2016 00:xx) and overlap (18/2/2017 23:xx) hold none.
    assert (lisbon.nonexistent_local_times, lisbon.ambiguous_local_times) == (6, 0)
    assert (log_sao_paulo.nonexistent_local_times, log_sao_paulo.ambiguous_local_times) == (0, 0)

"""The built-in ServiceNow profile (Table API) on its fixture: the canonical rows of
``fixtures/servicenow/expected.json``, every source record accounted for, and a missing file."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from clearpact.ingest.importer import ImportFailed, ImportResult, import_export
from clearpact.ingest.profile import load_profile
from tests.ingest.vendor import fixture, iso

FIXTURE = fixture("servicenow")
READ = ("incident_raw.json", "sys_audit.json", "sys_choice.json", "sys_user.json")
"""The files the reader reads; incident_display.json (display values) is deliberately not."""


@pytest.fixture(scope="module")
def expected() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURE / "expected.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def result() -> ImportResult:
    return import_export(FIXTURE, "servicenow")


def test_tickets_are_the_expected_rows(result: ImportResult, expected: dict[str, Any]) -> None:
    tickets = [
        {
            "ticket_id": row["ticket_id"],
            "created_at": iso(row["created_at"]),
            "priority": row["priority"],
            "status": row["status"],
            "customer": row["customer"],
        }
        for row in result.tickets.to_pylist()
    ]
    assert tickets == expected["tickets"]


def test_events_are_the_expected_rows_in_order(
    result: ImportResult, expected: dict[str, Any]
) -> None:
    events = [{**row, "at": iso(row["at"])} for row in result.events.to_pylist()]
    assert events == expected["events"]


def test_quarantine_names_the_expected_file_row_ticket_and_field(
    result: ImportResult, expected: dict[str, Any]
) -> None:
    found = Counter(
        (row["file"], row["row"], row["ticket_id"], row["field"])
        for row in result.quarantine.to_pylist()
    )
    wanted = Counter(
        (row["file"], row["locator"], row["ticket_id"], row["field"])
        for row in expected["quarantine"]
    )
    assert found == wanted


def test_quarantined_values_are_the_raw_values_expected_names(
    result: ImportResult, expected: dict[str, Any]
) -> None:
    values = {(row["file"], row["row"]): row["value"] for row in result.quarantine.to_pylist()}
    for row in expected["quarantine"]:
        if row["value"]:
            assert values[row["file"], row["locator"]] == row["value"], row["locator"]
        else:
            # expected.json leaves the value of a rejected ticket's audit rows empty; the
            # importer names the ticket the documentkey points to (the incident's number).
            assert values[row["file"], row["locator"]] == row["ticket_id"], row["locator"]


def test_every_record_of_the_files_read_is_counted_once(result: ImportResult) -> None:
    records = sum(
        len(json.loads((FIXTURE / name).read_text(encoding="utf-8"))["result"]) for name in READ
    )
    assert records == 79  # 7 incidents + 44 audit rows + 21 choices + 7 users
    assert result.rows_in == records
    assert result.rows_in == result.rows_stored + result.rows_quarantined + result.rows_ignored


def test_legacy_mirrors_and_lookups_are_ignored_not_quarantined(result: ImportResult) -> None:
    assert result.ignored == {
        "field 'incident_state' is not read by this reader": 2,
        "field 'hold_reason' is not read by this reader": 2,
        "field 'impact' is not read by this reader": 1,
        "field 'urgency' is not read by this reader": 1,
        "field 'reopen_count' is not read by this reader": 1,
        "a sys_choice label (lookup)": 21,
        "a sys_user name (lookup)": 7,
    }


def test_profile_meanings_are_the_expected_defaults(expected: dict[str, Any]) -> None:
    profile = load_profile("servicenow")
    meanings = profile.status_meanings()
    assert meanings.resolved == frozenset(expected["status_meanings"]["resolved"])
    assert meanings.closed == frozenset(expected["status_meanings"]["closed"])
    assert profile.paused_statuses() == frozenset(expected["pause_statuses"])
    assert profile.priorities == expected["priority_map"]


def test_a_missing_audit_file_stops_the_import_naming_it(tmp_path: Path) -> None:
    export = tmp_path / "export"
    shutil.copytree(FIXTURE, export)
    (export / "sys_audit.json").unlink()
    with pytest.raises(ImportFailed, match=r"sys_audit\.json: no such file"):
        import_export(export, "servicenow")


def test_a_login_page_saved_instead_of_json_stops_the_import_naming_it(tmp_path: Path) -> None:
    (tmp_path / "incident_raw.json").write_text("<html>login</html>", encoding="utf-8")
    with pytest.raises(ImportFailed, match=r"incident_raw\.json: not a JSON file"):
        import_export(tmp_path, "servicenow")

"""The built-in HaloPSA profile on the HaloPSA fixture: tickets, events and quarantine exactly
as ``fixtures/halopsa/expected.json`` lists them, and every source record accounted for."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from clearpact.ingest.importer import ImportFailed, ImportResult, import_export
from clearpact.ingest.profile import load_profile
from tests.ingest.vendor import (
    expected_of,
    fixture,
    iso,
    quarantine_expected,
    quarantine_found,
    with_iso_times,
)

FIXTURE = fixture("halopsa")
EXPECTED = expected_of("halopsa")


@pytest.fixture(scope="module")
def result() -> ImportResult:
    return import_export(FIXTURE, "halopsa")


def test_tickets_are_the_expected_rows_with_status_and_priority_at_creation(
    result: ImportResult,
) -> None:
    tickets = with_iso_times(result.tickets.drop_columns(["service"]).to_pylist(), "created_at")
    assert tickets == EXPECTED["tickets"]


def test_events_are_the_expected_rows_in_the_expected_order(result: ImportResult) -> None:
    assert with_iso_times(result.events.to_pylist(), "at") == EXPECTED["events"]


def test_quarantine_names_the_expected_file_row_ticket_and_field(result: ImportResult) -> None:
    found = quarantine_found(result)
    expected = quarantine_expected(EXPECTED)
    assert found == expected


def test_quarantine_keeps_the_raw_value_expected_names(result: ImportResult) -> None:
    # Rows of a rejected ticket have value "" in expected.json (nothing of theirs is wrong);
    # the importer writes the ticket reference there, so only non-empty values are compared.
    values = {(q["file"], q["row"], q["field"]): q["value"] for q in result.quarantine.to_pylist()}
    for q in EXPECTED["quarantine"]:
        if q["value"]:
            assert values[(q["file"], q["locator"], q["field"])] == q["value"]


def count_records() -> int:
    """Every record of the files the reader reads as rows: tickets and actions (the status list
    is a lookup, not rows)."""
    tickets = json.loads((FIXTURE / "tickets.json").read_text(encoding="utf-8"))["tickets"]
    actions = [
        json.loads(path.read_text(encoding="utf-8"))["actions"]
        for path in sorted((FIXTURE / "actions").glob("*.json"))
    ]
    return len(tickets) + sum(len(records) for records in actions)


def test_every_record_is_stored_quarantined_or_ignored(result: ImportResult) -> None:
    assert result.rows_in == result.rows_stored + result.rows_quarantined + result.rows_ignored
    assert result.rows_in == count_records()  # 7 tickets + 35 actions = 42
    # 7 log actions; 2207's is quarantined with its rejected ticket. Every other action says
    # something.
    assert result.ignored == {"the log action: the ticket's values at creation": 6}


def test_profile_means_what_expected_declares() -> None:
    profile = load_profile("halopsa")
    meanings = profile.status_meanings()
    assert sorted(meanings.resolved) == sorted(EXPECTED["status_meanings"]["resolved"])
    assert sorted(meanings.closed) == sorted(EXPECTED["status_meanings"]["closed"])
    assert sorted(profile.paused_statuses()) == sorted(EXPECTED["pause_statuses"])
    assert profile.priorities == EXPECTED["priority_map"]


def test_creation_may_be_when_the_ticket_was_logged_instead_of_when_it_occurred() -> None:
    # 2202 was back-dated: it occurred at 08:45 and was logged at 09:00.
    profile = load_profile("halopsa")
    logged = profile.model_copy(
        update={"options": {**profile.options, "created_field": "datecreated"}}
    )
    tickets = import_export(FIXTURE, logged).tickets.to_pylist()
    assert iso(next(t for t in tickets if t["ticket_id"] == "2202")["created_at"]) == (
        "2025-03-04T09:00:00Z"
    )


def test_a_missing_actions_file_stops_the_import_naming_it(tmp_path: Path) -> None:
    export = tmp_path / "halopsa"
    shutil.copytree(FIXTURE, export)
    (export / "actions" / "2203.json").unlink()
    with pytest.raises(ImportFailed, match=r"^actions/2203\.json: no such file"):
        import_export(export, "halopsa")


def test_a_tickets_file_that_is_not_json_stops_the_import_naming_it(tmp_path: Path) -> None:
    export = tmp_path / "halopsa"
    shutil.copytree(FIXTURE, export)
    (export / "tickets.json").write_text("<html>rate limited</html>")
    with pytest.raises(ImportFailed, match=r"^tickets\.json: not a JSON file"):
        import_export(export, "halopsa")

"""The built-in Autotask profile on the Autotask fixture: tickets, events and quarantine exactly
as ``fixtures/autotask/expected.json`` lists them, and every source record accounted for."""

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
    quarantine_expected,
    quarantine_found,
    with_iso_times,
)

FIXTURE = fixture("autotask")
EXPECTED = expected_of("autotask")


@pytest.fixture(scope="module")
def result() -> ImportResult:
    return import_export(FIXTURE, "autotask")


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
    """Every record of the files the reader reads as rows: tickets, history, notes (the
    picklists and resources are lookups, not rows)."""
    files = [FIXTURE / "tickets.json", FIXTURE / "ticket_notes.json"]
    files += sorted((FIXTURE / "ticket_history").glob("*.json"))
    return sum(len(json.loads(path.read_text(encoding="utf-8"))["items"]) for path in files)


def test_every_record_is_stored_quarantined_or_ignored(result: ImportResult) -> None:
    assert result.rows_in == result.rows_stored + result.rows_quarantined + result.rows_ignored
    assert result.rows_in == count_records()  # 7 tickets + 29 history rows + 14 notes = 50
    assert result.ignored == {
        # 7 Created rows, one of them the rejected T20250306.0007's: quarantined with it
        "history action 'Created' is not read by this profile": 6,
        "history action 'Edited' is not read by this profile": 1,
    }


def test_profile_means_what_expected_declares() -> None:
    profile = load_profile("autotask")
    meanings = profile.status_meanings()
    assert sorted(meanings.resolved) == sorted(EXPECTED["status_meanings"]["resolved"])
    assert sorted(meanings.closed) == sorted(EXPECTED["status_meanings"]["closed"])
    assert sorted(profile.paused_statuses()) == sorted(EXPECTED["pause_statuses"])
    assert profile.priorities == EXPECTED["priority_map"]


def test_automation_author_may_be_named_by_resource_name(result: ImportResult) -> None:
    profile = load_profile("autotask").model_copy(
        update={"automation_authors": ["Service Desk Acknowledger"]}
    )
    assert import_export(FIXTURE, profile).events == result.events


def test_a_missing_notes_file_stops_the_import_naming_it(tmp_path: Path) -> None:
    export = tmp_path / "autotask"
    shutil.copytree(FIXTURE, export)
    (export / "ticket_notes.json").unlink()
    with pytest.raises(ImportFailed, match=r"^ticket_notes\.json: no such file"):
        import_export(export, "autotask")


def test_a_history_file_that_is_not_json_stops_the_import_naming_it(tmp_path: Path) -> None:
    export = tmp_path / "autotask"
    shutil.copytree(FIXTURE, export)
    (export / "ticket_history" / "7003.json").write_text("<html>rate limited</html>")
    with pytest.raises(ImportFailed, match=r"^ticket_history/7003\.json: not a JSON file"):
        import_export(export, "autotask")

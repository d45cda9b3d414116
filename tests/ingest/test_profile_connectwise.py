"""The built-in ConnectWise PSA profile (REST 3.0) on its fixture: the canonical rows of
``fixtures/connectwise/expected.json``, every source record accounted for, and the failures and
settings a user meets (a missing notes file, the automation members, an unexpected audit text)."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow.compute as pc
import pytest

from clearpact.ingest.importer import ImportFailed, ImportResult, import_export
from clearpact.ingest.profile import load_profile
from tests.ingest.vendor import fixture, iso

FIXTURE = fixture("connectwise")

REFERENCE_FIELDS = {
    ("audittrail/48217.json", "enteredDate=2025-03-06T11:00:00Z"): ("text", "id"),
    ("notes/48217.json", "id=90701"): ("dateCreated", "ticketId"),
}
"""Deviations from expected.json: rows of a rejected ticket are quarantined naming the field
that refers to the ticket (the importer's rule, as for the other tools' fixtures), not the
field expected.json names (neither ``text`` nor ``dateCreated`` says which ticket a row is of).
An audit entry has no such field: its ticket is its file's id, the endpoint's ``id`` parameter."""


@pytest.fixture(scope="module")
def expected() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURE / "expected.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def result() -> ImportResult:
    return import_export(FIXTURE, "connectwise")


@pytest.fixture
def export(tmp_path: Path) -> Path:
    """A copy of the fixture folder, to change."""
    folder = tmp_path / "export"
    shutil.copytree(FIXTURE, folder)
    return folder


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
    wanted: Counter[tuple[str, str, str, str]] = Counter()
    for row in expected["quarantine"]:
        field = row["field"]
        expected_field, reference = REFERENCE_FIELDS.get(
            (row["file"], row["locator"]), (field, field)
        )
        assert field == expected_field  # the deviation is still the one described above
        wanted[row["file"], row["locator"], row["ticket_id"], reference] += 1
    assert found == wanted


def test_quarantined_values_are_the_raw_values_expected_names(
    result: ImportResult, expected: dict[str, Any]
) -> None:
    values = {(row["file"], row["row"]): row["value"] for row in result.quarantine.to_pylist()}
    for row in expected["quarantine"]:
        if row["value"]:
            assert values[row["file"], row["locator"]] == row["value"], row["locator"]
        else:
            # expected.json leaves a rejected ticket's rows without a value; the importer
            # gives the ticket id the row refers to.
            assert values[row["file"], row["locator"]] == row["ticket_id"], row["locator"]


def test_every_record_of_the_export_is_counted_once(result: ImportResult) -> None:
    files = [FIXTURE / "service_tickets.json"]
    files += sorted((FIXTURE / "notes").glob("*.json"))
    files += sorted((FIXTURE / "audittrail").glob("*.json"))
    records = sum(len(json.loads(path.read_text(encoding="utf-8"))) for path in files)
    assert records == 46  # 7 tickets + 16 notes + 23 audit entries
    assert result.rows_in == records
    assert result.rows_in == result.rows_stored + result.rows_quarantined + result.rows_ignored


def test_the_descriptions_are_ignored_not_replies(result: ImportResult) -> None:
    # notes 90101 and 90301: the contact's first Discussion note, at the ticket's creation
    assert result.ignored == {"the ticket's description (its first note)": 2}


def test_profile_meanings_are_the_expected_defaults(expected: dict[str, Any]) -> None:
    profile = load_profile("connectwise")
    meanings = profile.status_meanings()
    assert meanings.resolved == frozenset(expected["status_meanings"]["resolved"])
    assert meanings.closed == frozenset(expected["status_meanings"]["closed"])
    assert profile.paused_statuses() == frozenset(expected["pause_statuses"])
    assert profile.priorities == expected["priority_map"]


def test_a_missing_notes_file_stops_the_import_naming_it(export: Path) -> None:
    (export / "notes" / "48213.json").unlink()
    with pytest.raises(ImportFailed, match=r"notes/48213\.json: no such file"):
        import_export(export, "connectwise")


def test_without_ackbot_among_the_automation_authors_its_note_is_an_agent_reply(
    export: Path,
) -> None:
    profile = load_profile("connectwise").model_copy(update={"automation_authors": []})
    result = import_export(export, profile)
    replies = result.events.filter(pc.equal(result.events["kind"], "reply"))
    first = replies.filter(pc.equal(replies["ticket_id"], "48211")).to_pylist()[0]
    assert (iso(first["at"]), first["value"]) == ("2025-03-07T14:00:30Z", "agent")


def test_an_audit_text_of_another_wording_is_quarantined_with_its_text(export: Path) -> None:
    path = export / "audittrail" / "48212.json"
    entries = json.loads(path.read_text(encoding="utf-8"))
    entries[2]["text"] = "Priorität geändert: Priority 1 - Emergency Response"
    path.write_text(json.dumps(entries), encoding="utf-8")
    result = import_export(export, "connectwise")
    rows = [r for r in result.quarantine.to_pylist() if r["file"] == "audittrail/48212.json"]
    assert [(r["row"], r["field"], r["value"]) for r in rows] == [
        ("enteredDate=2025-03-04T09:30:00Z", "text", entries[2]["text"])
    ]
    assert result.rows_in == result.rows_stored + result.rows_quarantined + result.rows_ignored

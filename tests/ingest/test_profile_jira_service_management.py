"""The built-in Jira Service Management profile on its fixture
(tests/ingest/fixtures/jira_service_management): tickets, events, quarantine and row accounting
against its expected.json, and a missing file."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from clearpact.ingest.importer import ImportFailed, ImportResult, import_export
from clearpact.ingest.profile import load_profile
from tests.ingest.vendor import expected_of, fixture, rows

FIXTURE = fixture("jira_service_management")
EXPECTED = expected_of("jira_service_management")


@pytest.fixture(scope="module")
def result() -> ImportResult:
    return import_export(FIXTURE, "jira_service_management")


def test_tickets_are_the_expected_tickets(result: ImportResult) -> None:
    columns = ["ticket_id", "created_at", "priority", "status", "customer"]
    assert rows(result.tickets, columns) == EXPECTED["tickets"]


def test_events_are_the_expected_events_in_the_same_order(result: ImportResult) -> None:
    columns = ["ticket_id", "at", "kind", "value", "channel"]
    assert rows(result.events, columns) == EXPECTED["events"]


def test_times_with_offsets_across_the_dst_change_are_read_as_instants(
    result: ImportResult,
) -> None:
    # ITS-101: the customer's comment is written "2025-03-10T09:15:00.000-0400" (after the US
    # change on 9 March), the creation "2025-03-07T09:00:00.000-0500": 13:15Z and 14:00Z.
    ticket = rows(result.tickets, ["ticket_id", "created_at"])[0]
    assert ticket == {"ticket_id": "ITS-101", "created_at": "2025-03-07T14:00:00Z"}
    replies = [
        row["at"]
        for row in rows(result.events, ["ticket_id", "at", "value"])
        if row == {"ticket_id": "ITS-101", "at": row["at"], "value": "customer"}
    ]
    assert replies == ["2025-03-10T13:15:00Z"]


def test_quarantine_names_the_expected_rows_and_values(result: ImportResult) -> None:
    found = result.quarantine.to_pylist()
    assert Counter((q["file"], q["row"], q["ticket_id"], q["field"]) for q in found) == Counter(
        (q["file"], q["locator"], q["ticket_id"], q["field"]) for q in EXPECTED["quarantine"]
    )
    values = {(q["file"], q["row"]): q["value"] for q in found}
    for q in EXPECTED["quarantine"]:
        if q["value"]:  # "" in expected.json: no value to compare (rows of a rejected ticket)
            assert values[(q["file"], q["locator"])] == q["value"]


def test_every_record_read_is_stored_quarantined_or_ignored(result: ImportResult) -> None:
    records = len(json.loads((FIXTURE / "statuses.json").read_text(encoding="utf-8")))
    for page in sorted(FIXTURE.glob("search_page*.json")):
        for issue in json.loads(page.read_text(encoding="utf-8"))["issues"]:
            records += 1 + len(issue["changelog"]["histories"])
            records += len(issue["fields"]["comment"]["comments"])
    assert result.rows_in == records == 7 + 19 + 14 + 6
    assert result.rows_in == result.rows_stored + result.rows_quarantined + result.rows_ignored
    assert result.ignored == {"a status definition: read to name changelog status ids": 6}


def test_profile_meanings_are_the_expected_meanings() -> None:
    profile = load_profile("jira_service_management")
    meanings = profile.status_meanings()
    assert meanings.resolved == frozenset(EXPECTED["status_meanings"]["resolved"])
    assert meanings.closed == frozenset(EXPECTED["status_meanings"]["closed"])
    assert profile.paused_statuses() == frozenset(EXPECTED["pause_statuses"])
    assert profile.priorities == EXPECTED["priority_map"]


def test_a_changelog_cut_short_by_the_search_page_is_quarantined_not_silent(
    tmp_path: Path,
) -> None:
    export = tmp_path / "export"
    shutil.copytree(FIXTURE, export)
    page = export / "search_page1.json"
    data = json.loads(page.read_text(encoding="utf-8"))
    data["issues"][0]["changelog"]["total"] = 150  # /search embeds at most 100 histories
    page.write_text(json.dumps(data), encoding="utf-8")
    found = import_export(export, "jira_service_management").quarantine.to_pylist()
    short = [q for q in found if q["field"] == "changelog.total"]
    assert [(q["row"], q["value"]) for q in short] == [("key=ITS-101", "150")]
    assert "holds 5 of 150 histories" in short[0]["reason"]


def test_a_missing_statuses_file_stops_the_import_and_names_it(tmp_path: Path) -> None:
    export = tmp_path / "export"
    shutil.copytree(FIXTURE, export)
    (export / "statuses.json").unlink()
    with pytest.raises(ImportFailed, match=r"statuses\.json: no such file"):
        import_export(export, "jira_service_management")

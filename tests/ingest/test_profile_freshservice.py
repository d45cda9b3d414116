"""The built-in Freshservice profile on the fixture export (``fixtures/freshservice``): the
canonical rows, the quarantine and the row accounting equal ``expected.json``, except where a
comment says why not."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from clearpact.ingest.importer import ImportFailed, ImportResult, import_export
from clearpact.ingest.profile import load_profile
from tests.ingest.vendor import expected_of, fixture, iso

FIXTURE = fixture("freshservice")
EXPECTED = expected_of("freshservice")


@pytest.fixture(scope="module")
def result() -> ImportResult:
    return import_export(FIXTURE, "freshservice")


def test_tickets_are_the_expected_rows(result: ImportResult) -> None:
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
    assert tickets == EXPECTED["tickets"]


def test_events_are_the_expected_rows_in_the_expected_order(result: ImportResult) -> None:
    events = [{**row, "at": iso(row["at"])} for row in result.events.to_pylist()]
    assert events == EXPECTED["events"]


def test_quarantine_names_the_expected_files_rows_tickets_and_fields(result: ImportResult) -> None:
    found = Counter(
        (row["file"], row["row"], row["ticket_id"], row["field"])
        for row in result.quarantine.to_pylist()
    )
    expected = Counter(
        (row["file"], row["locator"], row["ticket_id"], row["field"])
        for row in EXPECTED["quarantine"]
    )
    # The creation activity of the rejected ticket 8807 is quarantined with it.
    assert expected - found == Counter()
    assert found - expected == Counter()


def test_quarantined_values_are_the_raw_values(result: ImportResult) -> None:
    found = {(row["file"], row["row"]): row["value"] for row in result.quarantine.to_pylist()}
    for row in EXPECTED["quarantine"]:
        key = (row["file"], row["locator"])
        if not row["value"] or key not in found:
            continue  # "" gives no value (a row of a rejected ticket); see the test above
        if row["field"] == "sub_contents":
            # Deviation: the importer judges the status *name*, so it quarantines the name the
            # line sets ("Awaiting Vendor"), not the whole activity line.
            assert found[key] == row["value"].removeprefix(" set Status as ")
        else:
            assert found[key] == row["value"]


def test_every_record_read_is_stored_quarantined_or_ignored(result: ImportResult) -> None:
    records = len(json.loads((FIXTURE / "tickets.json").read_text())["tickets"])
    for folder, key in (("activities", "activities"), ("conversations", "conversations")):
        for path in (FIXTURE / folder).glob("*.json"):
            records += len(json.loads(path.read_text())[key])
    assert records == 7 + 26 + 14  # tickets + activities + conversations
    assert result.rows_in == records
    assert result.rows_in == result.rows_stored + result.rows_quarantined + result.rows_ignored
    # 7 creation activities; the rejected 8807's is quarantined with its ticket.
    assert result.ignored == {"the creation activity (its values are the ticket's)": 6}


def test_status_meanings_and_pauses_are_the_expected_defaults() -> None:
    profile = load_profile("freshservice")
    meanings = profile.status_meanings()
    assert sorted(meanings.resolved) == EXPECTED["status_meanings"]["resolved"]
    assert sorted(meanings.closed) == EXPECTED["status_meanings"]["closed"]
    assert sorted(profile.paused_statuses()) == EXPECTED["pause_statuses"]


def test_priority_ids_map_as_the_expected_priority_map() -> None:
    priorities = load_profile("freshservice").priorities
    assert {key: priorities[key] for key in EXPECTED["priority_map"]} == EXPECTED["priority_map"]


def test_the_bot_is_an_agent_when_the_profile_names_no_automation_author() -> None:
    profile = load_profile("freshservice").model_copy(update={"automation_authors": []})
    first = import_export(FIXTURE, profile).events.to_pylist()[0]
    assert (first["ticket_id"], iso(first["at"]), first["value"]) == (
        "8801",
        "2025-03-07T14:00:30Z",
        "agent",
    )


def test_without_a_creation_activity_the_ticket_keeps_its_current_values(tmp_path: Path) -> None:
    export = tmp_path / "export"
    shutil.copytree(FIXTURE, export)
    # 8802 loses its creation activity (Open, Medium); its current values remain:
    # status id 4 → Resolved, priority id 4 (Urgent) → P1.
    activities = export / "activities" / "8802.json"
    data = json.loads(activities.read_text())
    assert data["activities"][-1]["content"] == " created a new ticket"
    data["activities"] = data["activities"][:-1]
    activities.write_text(json.dumps(data))
    tickets = import_export(export, "freshservice").tickets.to_pylist()
    ticket = next(row for row in tickets if row["ticket_id"] == "8802")
    assert (ticket["status"], ticket["priority"]) == ("Resolved", "P1")


def test_files_of_a_ticket_the_list_lacks_are_quarantined_not_lost(tmp_path: Path) -> None:
    export = tmp_path / "export"
    shutil.copytree(FIXTURE, export)
    tickets = json.loads((export / "tickets.json").read_text())
    tickets["tickets"] = [t for t in tickets["tickets"] if t["id"] != 8805]
    (export / "tickets.json").write_text(json.dumps(tickets))
    result = import_export(export, "freshservice")
    lost = [row for row in result.quarantine.to_pylist() if row["ticket_id"] == "8805"]
    # 8805: the assignment activity and two conversations; its creation activity is ignored.
    assert sorted((row["file"], row["row"]) for row in lost) == [
        ("activities/8805.json", "created_at=2025-03-06T16:20:00Z"),
        ("conversations/8805.json", "id=41401"),
        ("conversations/8805.json", "id=41402"),
    ]
    assert {row["reason"] for row in lost} == {"no such ticket '8805'"}
    assert result.rows_in == 47 - 1  # every record but the ticket taken out


def test_an_activity_that_only_sets_the_source_is_ignored_with_its_reason(
    tmp_path: Path,
) -> None:
    export = tmp_path / "export"
    shutil.copytree(FIXTURE, export)
    activities = export / "activities" / "8805.json"
    data = json.loads(activities.read_text())
    data["activities"].insert(
        0,
        {
            "actor": {"id": 21000000012, "name": "Alice Nguyen"},
            "content": " set Source as Chat",
            "sub_contents": [],
            "created_at": "2025-03-06T16:30:00Z",
        },
    )
    activities.write_text(json.dumps(data))
    result = import_export(export, "freshservice")
    assert result.ignored == {
        "the creation activity (its values are the ticket's)": 6,
        "an activity that sets Source, not read": 1,
    }
    assert result.rows_in == 47 + 1


def test_a_missing_activities_file_stops_the_import_and_names_it(tmp_path: Path) -> None:
    export = tmp_path / "export"
    shutil.copytree(FIXTURE, export)
    (export / "activities" / "8803.json").unlink()
    with pytest.raises(ImportFailed, match=r"activities/8803\.json: no such file"):
        import_export(export, "freshservice")


def test_a_conversations_file_that_is_not_json_stops_the_import_and_names_it(
    tmp_path: Path,
) -> None:
    export = tmp_path / "export"
    shutil.copytree(FIXTURE, export)
    (export / "conversations" / "8802.json").write_text("<html>rate limited</html>")
    with pytest.raises(ImportFailed, match=r"conversations/8802\.json: not JSON"):
        import_export(export, "freshservice")

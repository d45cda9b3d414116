"""The generic reader (``reader: table``) on small hand-written exports under
``fixtures/generic`` and workbooks built in the test: every canonical row worked out by hand,
the row accounting, and the errors a user meets (no zone, a profile typo, a missing file)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from clearpact.ingest.importer import ImportFailed, ImportResult, import_export
from clearpact.ingest.profile import Profile, ProfileError, load_profile, read_profile


def profile_text(tables: str, **extra: str) -> Profile:
    """A small table profile: ``tables`` is the YAML under ``tables:`` (indented 2)."""
    head = "\n".join(f"{key}: {value}" for key, value in extra.items())
    text = f"""version: clearpact-profile/v1
name: scratch
tool: a test export
reader: table
{head}
tables:
{tables}"""
    return read_profile(text, "scratch.yaml")


GENERIC = Path(__file__).parent / "fixtures" / "generic"


def utc(text: str) -> datetime:
    """``"2025-03-07 14:00"`` as an aware UTC instant."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def imported(case: str, root: Path | None = None, **kwargs: str) -> ImportResult:
    """The export ``fixtures/generic/<case>/`` (or ``root``) through ``<case>.yaml``."""
    return import_export(root or GENERIC / case, load_profile(GENERIC / f"{case}.yaml"), **kwargs)


def tickets_of(result: ImportResult) -> list[tuple[object, ...]]:
    return [
        (t["ticket_id"], t["created_at"], t["priority"], t["status"], t["customer"])
        for t in result.tickets.to_pylist()
    ]


def events_of(result: ImportResult) -> list[tuple[object, ...]]:
    return [
        (e["ticket_id"], e["at"], e["kind"], e["value"], e["channel"])
        for e in result.events.to_pylist()
    ]


def quarantine_of(result: ImportResult) -> list[tuple[object, ...]]:
    """(file, row, ticket, field, value, reason), in the importer's order (file, row)."""
    return [
        (q["file"], q["row"], q["ticket_id"], q["field"], q["value"], q["reason"])
        for q in result.quarantine.to_pylist()
    ]


def assert_quarantine(result: ImportResult, expected: list[tuple[object, ...]]) -> None:
    """The quarantine rows equal ``expected`` (file, row, ticket, field, value, a part of
    the reason): the exact wording of the importer's reasons is its own test's business."""
    found = quarantine_of(result)
    assert [row[:5] for row in found] == [row[:5] for row in expected]
    for row, want in zip(found, expected, strict=True):
        assert str(want[5]) in str(row[5]), (row, want)


def assert_every_row_accounted(result: ImportResult, data_rows: int) -> None:
    assert result.rows_in == data_rows
    assert result.rows_in == result.rows_stored + result.rows_quarantined + result.rows_ignored


# --- a semicolon CSV with an audit file (Berlin wall times) -------------------------------
# Europe/Berlin in March 2025: CET = UTC+1 until Sunday 30 March 02:00, then CEST = UTC+2
# (02:00–03:00 that night does not exist).


@pytest.fixture(scope="module")
def helpdesk() -> ImportResult:
    return imported("helpdesk_csv")


def test_semicolon_csv_tickets_are_read_in_the_profiles_zone(helpdesk: ImportResult) -> None:
    # The separator is found although subjects hold commas and a quoted ';'.
    assert tickets_of(helpdesk) == [
        # 07.03.2025 15:00 CET (UTC+1) → 14:00Z
        ("1001", utc("2025-03-07 14:00"), "P2", "New", "Acme Dental"),
        # 28.03.2025 09:00 CET → 08:00Z
        ("1002", utc("2025-03-28 08:00"), "P2", "New", "Birch Logistics"),
        # 31.03.2025 09:00 CEST (UTC+2, the day after the change) → 07:00Z
        ("1003", utc("2025-03-31 07:00"), "P3", "New", "Cobalt Legal"),
        # 1004 (31 February) is rejected; 1005 is kept with neither its unknown priority
        # '9 - Planning' nor its unknown status 'Triage'. 03.03.2025 08:00 CET → 07:00Z
        ("1005", utc("2025-03-03 07:00"), None, None, "Acme Dental"),
    ]


def test_audit_rows_of_read_fields_are_events_in_utc(helpdesk: ImportResult) -> None:
    assert events_of(helpdesk) == [
        # audit rows 1–2: 07.03 15:20 CET → 14:20Z (assignment before status: kind order)
        ("1001", utc("2025-03-07 14:20"), "assignment", "alice", None),
        ("1001", utc("2025-03-07 14:20"), "status", "In Progress", None),
        # row 3: 15:40 CET → 14:40Z (row 5 is the same change again)
        ("1001", utc("2025-03-07 14:40"), "status", "On Hold", None),
        # rows 6–7: 10.03 14:15 and 16:00 CET → 13:15Z and 15:00Z
        ("1001", utc("2025-03-10 13:15"), "status", "In Progress", None),
        ("1001", utc("2025-03-10 15:00"), "status", "Resolved", None),
        # row 8: 28.03 09:30 CET → 08:30Z; '1 - Critical' → P1
        ("1002", utc("2025-03-28 08:30"), "priority", "P1", None),
        # rows 9–10 straddle the change: 01:30 CET → 00:30Z, 03:30 CEST → 01:30Z; two
        # hours apart on the wall clock, one hour apart in fact
        ("1002", utc("2025-03-30 00:30"), "status", "In Progress", None),
        ("1002", utc("2025-03-30 01:30"), "status", "Resolved", None),
        # row 13 has its own offset, which wins over the profile's zone: 10:00+02:00 → 08:00Z
        ("1003", utc("2025-03-31 08:00"), "status", "Resolved", None),
    ]


def test_semicolon_csv_quarantine_names_file_row_and_column(helpdesk: ImportResult) -> None:
    assert_quarantine(
        helpdesk,
        [
            ("audit.csv", "5", "1001", "New value", "On Hold", "same status event as audit.csv row 3"),
            # 31.03 08:30 CEST → 06:30Z, half an hour before 1003 was opened (07:00Z)
            ("audit.csv", "12", "1003", "Changed at", "31.03.2025 08:30", "before the ticket was created (2025-03-31T07:00:00Z)"),
            ("audit.csv", "14", "1004", "Ticket", "1004", "the ticket was rejected"),
            ("audit.csv", "15", "1005", "New value", "Awaiting Vendor", "unknown status"),
            ("audit.csv", "16", "1005", "Changed at", "32.03.2025 09:00", "unreadable time"),
            ("audit.csv", "17", "1099", "Ticket", "1099", "no such ticket '1099'"),
            # the second listing of 1002 (data row 6) is a duplicate of the first
            ("tickets.csv", "Ticket=1002 (row 6)", "1002", "ticket_id", "1002", "the same ticket id as tickets.csv row Ticket=1002 (kept)"),
            ("tickets.csv", "Ticket=1004", "1004", "Opened", "31.02.2025 10:00", "unreadable time"),
            ("tickets.csv", "Ticket=1005", "1005", "Priority", "9 - Planning", "unknown priority"),
            ("tickets.csv", "Ticket=1005", "1005", "State", "Triage", "unknown status"),
        ],
    )  # fmt: skip


def test_ignored_audit_fields_are_counted_with_their_reason(helpdesk: ImportResult) -> None:
    # audit rows 4 (Impact) and 11 (Category): fields the profile does not read
    assert helpdesk.ignored == {
        "field 'Impact' is not read by this profile": 1,
        "field 'Category' is not read by this profile": 1,
    }


def test_semicolon_csv_accounts_for_every_data_row(helpdesk: ImportResult) -> None:
    # tickets.csv: 6 data rows — stored 1001, 1002, 1003, 1005; quarantined 1004 and the
    # second 1002. audit.csv: 17 data rows — ignored 4, 11; quarantined 5, 12, 14–17; the
    # other 9 stored. 4 + 9 = 13 stored, 2 + 6 = 8 quarantined, 2 ignored.
    assert_every_row_accounted(helpdesk, 6 + 17)
    assert (helpdesk.rows_stored, helpdesk.rows_quarantined, helpdesk.rows_ignored) == (13, 8, 2)


def test_times_without_a_zone_and_no_zone_stated_stop_the_import_naming_file_row_column() -> None:
    profile = load_profile(GENERIC / "helpdesk_csv.yaml").model_copy(update={"timezone": None})
    with pytest.raises(
        ImportFailed,
        match=r"^tickets\.csv: row Ticket=1001: Opened: times such as '07\.03\.2025 15:00' carry no zone",
    ):
        import_export(GENERIC / "helpdesk_csv", profile)


def test_the_timezone_argument_states_the_zone_of_zoneless_times() -> None:
    profile = load_profile(GENERIC / "helpdesk_csv.yaml").model_copy(update={"timezone": None})
    result = import_export(GENERIC / "helpdesk_csv", profile, timezone="UTC")
    # 07.03.2025 15:00 read as UTC is 15:00Z (in Berlin it was 14:00Z)
    assert tickets_of(result)[0][:2] == ("1001", utc("2025-03-07 15:00"))


# --- a JSON export: records at data.items, nested fields by dotted path (New York) ---------
# America/New_York: EST = UTC−5 until Sunday 9 March 2025 02:00, then EDT = UTC−4.


@pytest.fixture(scope="module")
def json_export() -> ImportResult:
    return imported("json_export")


def test_json_tickets_read_nested_fields_by_dotted_path(json_export: ImportResult) -> None:
    assert tickets_of(json_export) == [
        # 09:00-05:00 → 14:00Z; priority.label High → P2; company.name
        ("T-1", utc("2025-03-07 14:00"), "P2", "Open", "Acme Dental"),
        # "2025-03-08 23:30:00" has no offset: 23:30 EST (UTC−5) → 04:30Z on the 9th
        ("T-2", utc("2025-03-09 04:30"), "P1", "Open", "Birch Logistics"),
        # T-3 (opened null) is rejected; T-4 has "company": null and "priority": null,
        # so neither customer nor priority — a missing value is not an unknown one
        ("T-4", utc("2025-03-10 08:00"), None, "Open", None),
    ]


def test_json_events_from_a_kind_column_and_from_a_file_of_replies(
    json_export: ImportResult,
) -> None:
    assert events_of(json_export) == [
        # comment 9001: 09:00:30-05:00 → 14:00:30Z; author.role bot → automation; via
        ("T-1", utc("2025-03-07 14:00:30"), "reply", "automation", "email"),
        # history 501: 09:20-05:00 → 14:20Z
        ("T-1", utc("2025-03-07 14:20"), "status", "In Progress", None),
        # comment 9002 and history 502: 09:40-05:00 → 14:40Z
        ("T-1", utc("2025-03-07 14:40"), "reply", "agent", "web"),
        ("T-1", utc("2025-03-07 14:40"), "status", "Waiting on Customer", None),
        # comment 9003: 09:15-04:00 → 13:15Z; history 503 "2025-03-10T09:15:00" has no
        # offset: 10 March is after the change, 09:15 EDT (UTC−4) → 13:15Z, the same instant
        ("T-1", utc("2025-03-10 13:15"), "reply", "customer", "email"),
        ("T-1", utc("2025-03-10 13:15"), "status", "In Progress", None),
        # history 504: 11:00-04:00 → 15:00Z
        ("T-1", utc("2025-03-10 15:00"), "status", "Solved", None),
        # history 506: 01:45 on 9 March is still EST → 06:45Z; assignee → assignment
        ("T-2", utc("2025-03-09 06:45"), "assignment", "u-17", None),
        # history 505: 03:30 on 9 March is EDT (02:00 jumped to 03:00) → 07:30Z; 45 minutes
        # after 506 although the wall clock says 1 h 45; High → P2
        ("T-2", utc("2025-03-09 07:30"), "priority", "P2", None),
        # comment 9004: 03:40-04:00 → 07:40Z; private → internal
        ("T-2", utc("2025-03-09 07:40"), "reply", "internal", "web"),
    ]


def test_json_quarantine(json_export: ImportResult) -> None:
    assert_quarantine(
        json_export,
        [
            ("comments.json", "id=9005", "T-2", "author.role", "vendor", "unknown reply author kind 'vendor'"),
            ("history.json", "id=507", "T-2", "kind", "tags", "unknown event kind 'tags'"),
            ("history.json", "id=508", "T-3", "ticket.id", "T-3", "the ticket was rejected: no time"),
            ("tickets.json", "id=T-3", "T-3", "opened", None, "no time; the ticket is rejected"),
        ],
    )  # fmt: skip


def test_json_accounts_for_every_record(json_export: ImportResult) -> None:
    # 4 tickets + 8 history items + 5 comments; quarantined: T-3, 507, 508, 9005
    assert_every_row_accounted(json_export, 4 + 8 + 5)
    assert (json_export.rows_stored, json_export.rows_quarantined) == (13, 4)


# --- an Excel workbook built here: two sheets (Asia/Kolkata, UTC+05:30, no DST) ------------


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    tickets = book.active
    tickets.title = "Tickets"
    tickets.append(["Ref", "Raised", "Priority", "Status", "Client"])
    tickets.append(["INC-1", datetime(2025, 3, 7, 19, 30), 2, "Logged", "Acme Dental"])
    tickets.append(["INC-2", "2025-03-04 14:30", 1, "Logged", "Birch Logistics"])  # text
    tickets.append(["INC-3", date(2025, 3, 5), 3, "Logged", "Cobalt Legal"])  # a date only
    tickets.append([None, None, None, None, None])  # a blank line is no row
    tickets.append(["INC-4", datetime(2025, 3, 6, 21, 30), 4, "Logged", None])
    updates = book.create_sheet("Updates")
    updates.append(["Ref", "When", "What", "Value"])
    updates.append(["INC-1", datetime(2025, 3, 7, 19, 50), "Status", "Working"])
    updates.append(["INC-1", datetime(2025, 3, 7, 20, 10), "Owner", "alice"])
    updates.append(["INC-2", datetime(2025, 3, 4, 15, 0), "Priority", 2])
    updates.append(["INC-1", "2025-03-10T20:30:00+05:30", "Status", "Done"])
    updates.append(["INC-3", datetime(2025, 3, 5, 12, 0), "Status", "Working"])
    updates.append(["INC-4", datetime(2025, 3, 6, 21, 0), "Status", "Working"])
    folder = tmp_path_factory.mktemp("excel")
    book.save(folder / "tickets.xlsx")
    return folder


def test_excel_sheets_are_read_with_cells_as_text(workbook: Path) -> None:
    result = imported("excel_workbook", workbook)
    assert tickets_of(result) == [
        # a datetime cell 19:30 IST (UTC+05:30) → 14:00Z; the number 2 → "2" → P2
        ("INC-1", utc("2025-03-07 14:00"), "P2", "Logged", "Acme Dental"),
        # a text cell "2025-03-04 14:30" IST → 09:00Z
        ("INC-2", utc("2025-03-04 09:00"), "P1", "Logged", "Birch Logistics"),
        # INC-3 is a date cell with no time of day: rejected. 21:30 IST → 16:00Z
        ("INC-4", utc("2025-03-06 16:00"), "P4", "Logged", None),
    ]
    assert events_of(result) == [
        ("INC-1", utc("2025-03-07 14:20"), "status", "Working", None),  # 19:50 IST
        ("INC-1", utc("2025-03-07 14:40"), "assignment", "alice", None),  # 20:10 IST
        ("INC-1", utc("2025-03-10 15:00"), "status", "Done", None),  # 20:30+05:30
        ("INC-2", utc("2025-03-04 09:30"), "priority", "P2", None),  # 15:00 IST
    ]
    assert_quarantine(
        result,
        [
            ("tickets.xlsx[Tickets]", "Ref=INC-3", "INC-3", "Raised", "2025-03-05", "a date without a time"),
            ("tickets.xlsx[Updates]", "5", "INC-3", "Ref", "INC-3", "the ticket was rejected"),
            # 21:00 IST → 15:30Z, before INC-4 was raised at 16:00Z
            ("tickets.xlsx[Updates]", "6", "INC-4", "When", "2025-03-06T21:00:00", "before the ticket was created"),
        ],
    )  # fmt: skip
    # 4 ticket rows (the blank line is none) + 6 updates; quarantined: INC-3 and updates 5, 6
    assert_every_row_accounted(result, 4 + 6)
    assert (result.rows_stored, result.rows_quarantined) == (7, 3)


# --- surveys with rating words (Australia/Sydney) -----------------------------------------
# AEDT = UTC+11 until Sunday 6 April 2025 03:00, then AEST = UTC+10: 02:00–03:00 that
# morning happens twice, and the importer reads such a time as the first (AEDT).


@pytest.fixture(scope="module")
def surveys() -> ImportResult:
    return imported("surveys_csv")


def test_survey_ratings_are_mapped_from_words_and_numbers_pass(surveys: ImportResult) -> None:
    assert [
        (s["survey_id"], s["ticket_id"], s["customer"], s["at"], s["rating"], s["comment"])
        for s in surveys.surveys.to_pylist()
    ] == [
        # 08/03 10:00 AEDT (UTC+11) → 23:00Z the day before; positive → 5
        ("S-1", "1001", "Acme Dental", utc("2025-03-07 23:00"), 5, "Quick, friendly fix"),
        # 05/03 09:30 AEDT → 22:30Z on the 4th; neutral → 3; an empty comment is none
        ("S-2", "1002", "Birch Logistics", utc("2025-03-04 22:30"), 3, None),
        # 07/04 10:00 AEST (UTC+10) → 00:00Z; negative → 1; a quoted comment with a ';'
        # and a line break is one value
        ("S-3", "1003", "Cobalt Legal", utc("2025-04-07 00:00"), 1, "Took two days;\nstill flaky"),
        # 06/04 02:30 happens twice; the first, AEDT: 02:30 − 11 h → 15:30Z on the 5th
        ("S-4", "1005", "Acme Dental", utc("2025-04-05 15:30"), 4, "Fine"),
    ]  # fmt: skip


def test_survey_quarantine_and_accounting(surveys: ImportResult) -> None:
    assert_quarantine(
        surveys,
        [
            ("surveys.csv", "Response ID=S-1 (row 7)", "1001", "survey_id", "S-1", "the same survey id"),
            ("surveys.csv", "Response ID=S-5", "1006", "Rating", "great", "a rating must be a whole number from 1 to 5"),
            ("surveys.csv", "Response ID=S-6", "1007", "Rating", "7", "a rating must be a whole number from 1 to 5"),
            ("surveys.csv", "Response ID=S-8", "1008", "Submitted", "31/04/2025 10:00", "unreadable time"),
        ],
    )  # fmt: skip
    # 8 data rows (S-3's comment spans two lines of the file but is one row)
    assert_every_row_accounted(surveys, 8)
    assert (surveys.rows_stored, surveys.rows_quarantined) == (4, 4)


# --- profile files ------------------------------------------------------------------------


def test_the_fixture_profiles_load() -> None:
    for case in ("helpdesk_csv", "json_export", "excel_workbook", "surveys_csv"):
        assert load_profile(GENERIC / f"{case}.yaml").reader == "table"


def test_unknown_keys_in_a_profile_file_are_named_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "typo.yaml"
    path.write_text(
        "version: clearpact-profile/v1\n"
        "name: typo\n"
        "tool: a help desk\n"
        "reader: table\n"
        "timezon: Europe/Berlin\n"  # line 5: timezone, misspelt
        "tables:\n"
        "  tickets:\n"
        "    file: tickets.csv\n"
        "    columns:\n"
        "      ticket_id: Ticket\n"
        "      created: Opened\n",  # line 11: created_at, misspelt
        encoding="utf-8",
    )
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    lines = str(caught.value).splitlines()
    assert sorted(lines) == sorted(
        [
            f"{path}:5:10: timezon: Extra inputs are not permitted",
            f"{path}:11:16: tables.tickets.columns.created: Extra inputs are not permitted",
        ]
    )


# --- what the reader fixed: each a case a user met (one commit each) ---------------------
# (formerly: errors a user meets) ----------------------------------------------------------------


def test_a_missing_export_file_stops_the_import_as_import_failed_naming_it(
    tmp_path: Path,
) -> None:
    profile = profile_text(
        "  tickets:\n    file: tickets.csv\n    columns: {ticket_id: id, created_at: opened}\n"
    )
    with pytest.raises(ImportFailed, match=r"no file matches 'tickets\.csv'"):
        import_export(tmp_path, profile)


def test_a_csv_of_one_column_is_read_and_its_missing_columns_named(tmp_path: Path) -> None:
    # A wrong file (only ids): the CSV sniffer finds no delimiter in it, which must not end
    # the import with a bare csv.Error that names no file.
    (tmp_path / "tickets.csv").write_text("id\n1001\n1002\n", encoding="utf-8")
    profile = profile_text(
        "  tickets:\n    file: tickets.csv\n    columns: {ticket_id: id, created_at: opened}\n"
    )
    with pytest.raises(ImportFailed, match=r"tickets\.csv: no column 'opened'"):
        import_export(tmp_path, profile)


def test_a_row_id_listed_twice_still_counts_two_rows(tmp_path: Path) -> None:
    # Ticket 7 appears twice (two pages of an export overlapped): 3 data rows in, the second
    # 7 is a duplicate and names the kept row; without its own label it merged with it.
    (tmp_path / "tickets.csv").write_text(
        "id,opened\n7,2025-03-07T14:00:00Z\n8,2025-03-07T15:00:00Z\n7,2025-03-07T14:00:00Z\n",
        encoding="utf-8",
    )
    profile = profile_text(
        "  tickets:\n    file: tickets.csv\n    row_id: id\n"
        "    columns: {ticket_id: id, created_at: opened}\n"
    )
    result = import_export(tmp_path, profile)
    assert (result.rows_in, result.rows_stored, result.rows_quarantined) == (3, 2, 1)
    assert [(q["row"], q["reason"]) for q in result.quarantine.to_pylist()] == [
        ("id=7 (row 3)", "the same ticket id as tickets.csv row id=7 (kept)")
    ]


def test_an_unmapped_event_kind_or_reply_author_is_quarantined_with_its_raw_value(
    tmp_path: Path,
) -> None:
    (tmp_path / "tickets.csv").write_text("id,opened\n7,2025-03-07T14:00:00Z\n", encoding="utf-8")
    (tmp_path / "events.csv").write_text(
        "ticket,at,type,value\n"
        "7,2025-03-07T14:10:00Z,Reply,Staff\n"  # → reply, agent
        "7,2025-03-07T14:20:00Z,Reply,Vendor\n"  # no such author type in `replies`
        "7,2025-03-07T14:30:00Z,Tag added,network\n",  # no such kind in `kinds`
        encoding="utf-8",
    )
    profile = profile_text(
        "  tickets:\n    file: tickets.csv\n    columns: {ticket_id: id, created_at: opened}\n"
        "  events:\n    - file: events.csv\n"
        "      columns: {ticket_id: ticket, at: at, kind: type, value: value}\n"
        "      kinds: {Reply: reply}\n      replies: {Staff: agent}\n"
    )
    result = import_export(tmp_path, profile)
    assert [(e["kind"], e["value"]) for e in result.events.to_pylist()] == [("reply", "agent")]
    assert [
        (q["row"], q["field"], q["value"], q["reason"]) for q in result.quarantine.to_pylist()
    ] == [
        ("2", "value", "Vendor", "unknown reply author kind 'Vendor'"),
        ("3", "kind", "Tag added", "unknown event kind 'Tag added'"),
    ]


def test_an_excel_date_cell_without_a_time_is_rejected_not_read_as_midnight(
    tmp_path: Path,
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "opened"])
    sheet.append(["7", datetime(2025, 3, 5, 10, 0)])  # shown as yyyy-mm-dd h:mm:ss
    sheet.append(["8", date(2025, 3, 5)])  # shown as yyyy-mm-dd: no time of day
    book.save(tmp_path / "tickets.xlsx")
    profile = profile_text(
        "  tickets:\n    file: tickets.xlsx\n    columns: {ticket_id: id, created_at: opened}\n",
        timezone="UTC",
    )
    result = import_export(tmp_path, profile)
    assert result.tickets.column("ticket_id").to_pylist() == ["7"]
    assert [(q["row"], q["value"]) for q in result.quarantine.to_pylist()] == [("2", "2025-03-05")]


def test_a_file_named_xlsx_that_is_no_workbook_stops_the_import_naming_it(tmp_path: Path) -> None:
    (tmp_path / "tickets.xlsx").write_text("id,opened\n", encoding="utf-8")  # a CSV, renamed
    profile = profile_text(
        "  tickets:\n    file: tickets.xlsx\n    columns: {ticket_id: id, created_at: opened}\n"
    )
    with pytest.raises(ImportFailed, match=r"tickets\.xlsx: not an Excel workbook"):
        import_export(tmp_path, profile)


def test_a_json_file_with_no_records_is_an_empty_table_not_a_missing_column(
    tmp_path: Path,
) -> None:
    # A quiet week: no comments. An empty list names no fields, so none can be "missing".
    (tmp_path / "tickets.json").write_text(
        '{"data": {"items": [{"id": "T-1", "opened": "2025-03-07T14:00:00Z"}]}}', encoding="utf-8"
    )
    (tmp_path / "comments.json").write_text('{"data": {"items": []}}', encoding="utf-8")
    profile = profile_text(
        "  tickets:\n    file: tickets.json\n    records: data.items\n"
        "    columns: {ticket_id: id, created_at: opened}\n"
        "  events:\n    - file: comments.json\n      records: data.items\n      kind: reply\n"
        "      columns: {ticket_id: ticket_id, at: created, value: role}\n"
    )
    result = import_export(tmp_path, profile)
    assert (result.tickets.num_rows, result.events.num_rows, result.rows_in) == (1, 0, 1)


def test_a_json_item_that_is_no_record_is_counted_and_later_rows_keep_their_numbers(
    tmp_path: Path,
) -> None:
    (tmp_path / "tickets.json").write_text(
        '[{"id": "T-1", "opened": "2025-03-07T14:00:00Z"}, "stray text",'
        ' {"id": "T-3", "opened": "07/03/2025"}]',
        encoding="utf-8",
    )
    profile = profile_text(
        "  tickets:\n    file: tickets.json\n    columns: {ticket_id: id, created_at: opened}\n"
    )
    result = import_export(tmp_path, profile)
    assert (result.rows_in, result.rows_stored, result.rows_quarantined) == (3, 1, 2)
    assert [(q["row"], q["reason"]) for q in result.quarantine.to_pylist()] == [
        ("2", "no ticket id; the ticket is rejected with every row of it"),
        ("3", "unreadable time '07/03/2025'; the ticket is rejected with every row of it"),
    ]


def test_two_sheets_of_one_workbook_are_told_apart_in_rows_and_messages(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    tickets = book.active
    tickets.title = "Tickets"
    tickets.append(["id", "opened"])
    tickets.append(["7", "2025-03-07T14:00:00Z"])
    updates = book.create_sheet("Updates")
    updates.append(["id", "at", "status"])
    updates.append(["7", "2025-03-07T13:00:00Z", "Working"])  # before the ticket was opened
    book.save(tmp_path / "book.xlsx")
    profile = profile_text(
        "  tickets:\n    file: book.xlsx\n    sheet: Tickets\n"
        "    columns: {ticket_id: id, created_at: opened}\n"
        "  events:\n    - file: book.xlsx\n      sheet: Updates\n      kind: status\n"
        "      columns: {ticket_id: id, at: at, value: status}\n"
    )
    result = import_export(tmp_path, profile)
    # Row 1 of each sheet is its own row: 2 in, the ticket stored, the update quarantined.
    assert (result.rows_in, result.rows_stored, result.rows_quarantined) == (2, 1, 1)
    assert [(q["file"], q["row"]) for q in result.quarantine.to_pylist()] == [
        ("book.xlsx[Updates]", "1")
    ]

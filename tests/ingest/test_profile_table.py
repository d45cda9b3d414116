"""The generic reader (``reader: table``) on small hand-written exports under
``fixtures/generic`` and workbooks built in the test: every canonical row worked out by hand,
the row accounting, and the errors a user meets (no zone, a profile typo, a missing file)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from clearpact.ingest.importer import ImportFailed, import_export
from clearpact.ingest.profile import Profile, read_profile


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


# --- errors a user meets ----------------------------------------------------------------


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

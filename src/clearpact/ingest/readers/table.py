"""The generic reader: flat CSV, JSON or Excel files mapped to the canonical tables in YAML.

The profile's ``tables`` says which files hold tickets, events (a kind and a value per row),
audit rows (a changed field and its new value per row) and surveys, and which column is which
(``docs/import-profiles.md``). Rows are named by ``row_id`` (``id=…``) or by their 1-based data
row (the header not counted); a worksheet's rows by its file and sheet (``book.xlsx[Updates]``).
Every cell is read as text; the importer judges it.
"""

from __future__ import annotations

import csv
import json
import re
import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from clearpact.ingest.export import Export
from clearpact.ingest.importer import ImportFailed
from clearpact.ingest.profile import Profile, TableMapping


class ExportFileError(ImportFailed):
    """A file of the export that cannot be read at all (missing, not CSV / JSON / Excel, a
    mapped column absent); the message names it. An :class:`ImportFailed`, as every reader's."""


def read(root: Path, profile: Profile, export: Export) -> None:
    """Read every file the profile's ``tables`` names under the folder ``root`` (or ``root``
    itself when it is a single file matching the tickets mapping)."""
    tables = profile.tables
    if tables is None:
        raise ExportFileError(f"profile {profile.name!r}: reader 'table' needs 'tables'")
    if tables.tickets is not None:
        for name, table in _files(root, tables.tickets):
            export.add_tickets(_tickets(name, table, tables.tickets))
    for mapping in tables.events:
        for name, table in _files(root, mapping):
            export.add_events(_events(name, table, mapping))
    for mapping in tables.audit:
        for name, table in _files(root, mapping):
            rows, events = _audit(name, table, mapping)
            export.add_rows(rows)
            export.add_events(events)
    if tables.surveys is not None:
        for name, table in _files(root, tables.surveys):
            export.add_surveys(_surveys(name, table, tables.surveys))


def _files(root: Path, mapping: TableMapping) -> Iterator[tuple[str, pa.Table]]:
    if root.is_file():
        paths = [root] if root.match(mapping.file) else []
        base = root.parent
    else:
        paths = sorted(root.glob(mapping.file))
        base = root
    if not paths:
        raise ExportFileError(f"{root}: no file matches {mapping.file!r}")
    for path in paths:
        name = str(path.relative_to(base))
        if mapping.sheet is not None:  # sheets of one workbook number their rows apart
            name = f"{name}[{mapping.sheet}]"
        yield name, _read(path, mapping)


def _read(path: Path, mapping: TableMapping) -> pa.Table:
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".tsv", ".txt"):
            return _read_csv(path)
        if suffix == ".json":
            return _read_json(path, mapping.records)
        if suffix in (".xlsx", ".xlsm"):
            return _read_excel(path, mapping.sheet)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, pa.ArrowInvalid) as exc:
        raise ExportFileError(f"{path}: {exc}") from None
    raise ExportFileError(f"{path}: expected a .csv, .json or .xlsx file")


def _read_csv(path: Path) -> pa.Table:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        sample = handle.read(65536)
    try:
        dialect: type[csv.Dialect] = (
            csv.Sniffer().sniff(sample, delimiters=",;\t|") if sample else csv.excel
        )
    except csv.Error:  # no delimiter to find: a file of one column
        dialect = csv.excel
    header = next(csv.reader([sample.splitlines()[0] if sample else ""], dialect))
    options = pacsv.ConvertOptions(
        column_types={name: pa.string() for name in header}, strings_can_be_null=True
    )
    parse = pacsv.ParseOptions(delimiter=dialect.delimiter, newlines_in_values=True)
    return pacsv.read_csv(path, parse_options=parse, convert_options=options)


def _read_json(path: Path, records: str | None) -> pa.Table:
    data: Any = json.loads(path.read_text(encoding="utf-8-sig"))
    for part in (records or "").split("."):
        if part:
            if not isinstance(data, dict) or part not in data:
                raise ExportFileError(f"{path}: no {records!r} in the JSON")
            data = data[part]
    if not isinstance(data, list):
        raise ExportFileError(f"{path}: expected a list of records at {records or 'the top'!r}")
    # An item that is no record stays a (blank) row: counted, quarantined, and the rows after
    # it keep their positions in messages.
    return _rows_table([_flatten(item) if isinstance(item, dict) else {} for item in data])


def _read_excel(path: Path, sheet: str | None) -> pa.Table:
    import openpyxl  # only Excel exports need it

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError) as exc:  # not a workbook / a part of one missing
        raise ExportFileError(f"{path}: not an Excel workbook ({exc})") from None
    try:
        pages = book[sheet] if sheet else book.worksheets[0]
    except KeyError:
        raise ExportFileError(f"{path}: no worksheet {sheet!r}") from None
    lines = [
        [_cell(cell.value, getattr(cell, "number_format", None)) for cell in line]
        for line in pages.iter_rows()
    ]
    book.close()
    if not lines:
        return pa.table({})
    header = [str(cell) for cell in lines[0]]
    rows = [
        dict(zip(header, line, strict=False))
        for line in lines[1:]
        if any(value is not None for value in line)
    ]
    return _rows_table(rows, header)


def _cell(value: object, number_format: str | None = None) -> str | None:
    """A cell as text; a date cell whose format shows no time of day as the date alone
    (``2025-03-05``), so the importer rejects it instead of reading midnight."""
    if value is None:
        return None
    if isinstance(value, datetime) and number_format and not _shows_time(number_format):
        return value.date().isoformat()
    isoformat = getattr(value, "isoformat", None)
    return str(isoformat()) if callable(isoformat) else str(value)


def _shows_time(number_format: str) -> bool:
    """Whether an Excel number format shows a time of day (``yyyy-mm-dd h:mm`` does,
    ``dd/mm/yyyy`` does not): hours, seconds or AM/PM outside quotes and brackets. A format
    that says nothing (``General``) is taken to show it.

    >>> _shows_time("yyyy-mm-dd h:mm"), _shows_time("dd/mm/yyyy"), _shows_time('yyyy "h"')
    (True, False, False)
    """
    bare = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", number_format.lower())
    return bare in ("general", "@") or any(token in bare for token in ("h", "s", "am/pm", "a/p"))


def _flatten(record: dict[str, Any], prefix: str = "") -> dict[str, str | None]:
    """``{"company": {"value": "x"}}`` → ``{"company.value": "x"}``; lists stay JSON text."""
    flat: dict[str, str | None] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
        elif isinstance(value, list):
            flat[name] = json.dumps(value)
        elif value is None:
            flat[name] = None
        elif isinstance(value, bool):
            flat[name] = "true" if value else "false"
        else:
            flat[name] = str(value)
    return flat


def _rows_table(rows: list[dict[str, str | None]], header: list[str] | None = None) -> pa.Table:
    names = header or list(dict.fromkeys(key for row in rows for key in row))
    return pa.table(
        {name: pa.array([row.get(name) for row in rows], pa.string()) for name in names}
    )


def _column(table: pa.Table, name: str | None, path: str, file: str) -> pa.Array:
    if name is None:
        return pa.nulls(table.num_rows, pa.string())
    if name not in table.column_names:
        if table.num_rows == 0:  # a JSON list with no records names no columns at all
            return pa.nulls(0, pa.string())
        raise ExportFileError(f"{file}: no column {name!r} (mapped to {path})")
    return table[name].combine_chunks()


def _labels(name: str, table: pa.Table, mapping: TableMapping) -> dict[str, Any]:
    n = table.num_rows
    if mapping.row_id is not None:
        ids = _column(table, mapping.row_id, "row_id", name)
        label = pc.binary_join_element_wise(pa.array([f"{mapping.row_id}="] * n), ids, "")
        fallback = pa.array([str(i + 1) for i in range(n)], pa.string())
        return {"file": [name] * n, "row": _unique(pc.coalesce(label, fallback))}
    return {"file": [name] * n, "row": [str(i + 1) for i in range(n)]}


def _unique(labels: pa.Array) -> pa.Array:
    """Row labels that name one row each: a ``row_id`` seen before in the file (a ticket listed
    twice) gets its 1-based data row, ``id=7 (row 12)``, so the row is counted on its own."""
    if pc.count_distinct(labels).as_py() == len(labels):
        return labels
    seen: set[str] = set()
    unique = []
    for index, label in enumerate(labels.to_pylist()):
        unique.append(label if label not in seen else f"{label} (row {index + 1})")
        seen.add(label)
    return pa.array(unique, pa.string())


def _tickets(name: str, table: pa.Table, mapping: TableMapping) -> pa.Table:
    c = mapping.columns
    columns = _labels(name, table, mapping)
    for canonical in ("ticket_id", "created_at", "priority", "status", "customer", "service"):
        columns[canonical] = _column(table, getattr(c, canonical), f"tickets.{canonical}", name)
    for canonical in ("created_at", "priority", "status"):
        columns[f"{canonical}_field"] = [getattr(c, canonical) or canonical] * table.num_rows
    return pa.table(columns)


def _events(name: str, table: pa.Table, mapping: TableMapping) -> pa.Table:
    c = mapping.columns
    n = table.num_rows
    columns = _labels(name, table, mapping)
    columns["ticket_id"] = _column(table, c.ticket_id, "events.ticket_id", name)
    columns["at"] = _column(table, c.at, "events.at", name)
    if mapping.kind is not None:
        kinds: pa.Array = pa.array([mapping.kind] * n, pa.string())
    else:
        # A kind the mapping lacks stays as written, so its quarantine row names it.
        raw_kinds = _column(table, c.kind, "events.kind", name)
        kinds = pc.coalesce(_mapped(raw_kinds, mapping.kinds), raw_kinds)
    columns["kind"] = kinds
    values = _column(table, c.value, "events.value", name)
    if mapping.replies:
        replies = pc.coalesce(_mapped(values, mapping.replies), values)
        values = pc.if_else(pc.equal(kinds, "reply"), replies, values)
    columns["value"] = values
    columns["channel"] = _column(table, c.channel, "events.channel", name)
    columns["ticket_field"] = [c.ticket_id or "ticket_id"] * n
    columns["at_field"] = [c.at or "at"] * n
    columns["value_field"] = [c.value or "value"] * n
    return pa.table(columns)


def _audit(name: str, table: pa.Table, mapping: TableMapping) -> tuple[pa.Table, pa.Table]:
    """Audit rows of a field the mapping reads become events; the others are ignored rows."""
    c = mapping.columns
    fields = _column(table, c.field, "audit.field", name)
    kinds = _mapped(fields, mapping.fields)
    labels = _labels(name, table, mapping)
    read = pc.fill_null(pc.is_valid(kinds), False)
    reason = pc.binary_join_element_wise(
        pa.array(["field '"] * table.num_rows),
        pc.fill_null(fields, "(none)"),
        pa.array(["' is not read by this profile"] * table.num_rows),
        "",
    )
    rows = pa.table(
        {
            "file": labels["file"],
            "row": labels["row"],
            "ignored": pc.if_else(read, pa.nulls(table.num_rows, pa.string()), reason),
        }
    )
    return rows, _audit_events(name, table, mapping, kinds, read)


def _audit_events(
    name: str, table: pa.Table, mapping: TableMapping, kinds: pa.Array, read: pa.Array
) -> pa.Table:
    # Read as one kind (so no reply mapping applies), then each row gets its field's kind.
    events = _events(name, table, mapping.model_copy(update={"kind": "status"}))
    events = events.set_column(events.schema.get_field_index("kind"), "kind", kinds)
    return events.filter(read)


def _surveys(name: str, table: pa.Table, mapping: TableMapping) -> pa.Table:
    c = mapping.columns
    columns = _labels(name, table, mapping)
    for canonical in ("survey_id", "ticket_id", "customer", "at", "comment"):
        columns[canonical] = _column(table, getattr(c, canonical), f"surveys.{canonical}", name)
    ratings = _column(table, c.rating, "surveys.rating", name)
    if mapping.ratings:
        labels = {key: str(value) for key, value in mapping.ratings.items()}
        ratings = pc.coalesce(_mapped(ratings, labels), ratings)
    columns["rating"] = ratings
    columns["at_field"] = [c.at or "at"] * table.num_rows
    columns["rating_field"] = [c.rating or "rating"] * table.num_rows
    return pa.table(columns)


def _mapped(values: pa.Array, mapping: dict[str, str]) -> pa.Array:
    """Each value through ``mapping`` (null where it has no entry); unchanged when empty."""
    if not mapping:
        return values
    keys = pa.array(list(mapping), pa.string())
    found = pc.index_in(values, value_set=keys)
    return pa.array(list(mapping.values()), pa.string()).take(found)

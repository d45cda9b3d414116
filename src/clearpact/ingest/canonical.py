"""Read canonical ``tickets`` / ``events`` tables from Parquet or CSV files.

Timestamps with an offset are instants; timestamps without one are read in the zone the caller
states (``zone``), never silently as UTC. Columns beyond the canonical ones are kept.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from clearpact.clock.tables import EVENTS, INSTANT, TICKETS


class CanonicalFileError(ValueError):
    """A canonical table file that cannot be read; the message names the file and column."""


def read_tickets(path: str | Path, *, zone: str | None = None) -> pa.Table:
    """A :data:`~clearpact.clock.tables.TICKETS` table from ``.parquet`` or ``.csv``."""
    return _read(Path(path), TICKETS, ("created_at",), zone)


def read_events(path: str | Path, *, zone: str | None = None) -> pa.Table:
    """An :data:`~clearpact.clock.tables.EVENTS` table from ``.parquet`` or ``.csv``."""
    return _read(Path(path), EVENTS, ("at",), zone)


def _read(path: Path, schema: pa.Schema, times: tuple[str, ...], zone: str | None) -> pa.Table:
    if not path.is_file():
        raise CanonicalFileError(f"{path}: no such file")
    if path.suffix == ".parquet":
        table = pq.read_table(path)
    elif path.suffix == ".csv":
        strings = {name: pa.string() for name in schema.names}
        # An empty cell is no value (no priority, no channel), not a name of its own.
        options = pacsv.ConvertOptions(column_types=strings, strings_can_be_null=True)
        table = pacsv.read_csv(path, convert_options=options)
    else:
        raise CanonicalFileError(f"{path}: expected a .parquet or .csv file")
    # Events that carry the ticket_key an import assigns are matched by it and need no id.
    keyed = schema is EVENTS and "ticket_key" in table.column_names
    absent = {"ticket_id"} if keyed and "ticket_id" not in table.column_names else set()
    missing = [
        f.name
        for f in schema
        if not f.nullable and f.name not in table.column_names and f.name not in absent
    ]
    if missing:
        raise CanonicalFileError(f"{path}: missing column(s) {', '.join(missing)}")
    columns = {}
    for field in schema:
        if field.name in absent:
            continue
        if field.name not in table.column_names:
            columns[field.name] = pa.nulls(table.num_rows, field.type)
        elif field.name in times:
            columns[field.name] = _instants(path, field.name, table[field.name], zone)
        else:
            columns[field.name] = pc.cast(table[field.name], field.type)
    extra = {name: table[name] for name in table.column_names if name not in schema.names}
    return pa.table({**columns, **extra})


def _instants(path: Path, name: str, column: pa.ChunkedArray, zone: str | None) -> pa.ChunkedArray:
    if pa.types.is_timestamp(column.type):
        if column.type.tz is not None:
            return pc.cast(column, INSTANT)
        naive = column
    else:
        try:
            return pc.cast(column, INSTANT)
        except pa.ArrowInvalid:
            pass
        try:
            naive = pc.cast(column, pa.timestamp("us"))
        except pa.ArrowInvalid as exc:
            raise CanonicalFileError(f"{path}: column {name}: {exc}") from None
    if zone is None:
        raise CanonicalFileError(
            f"{path}: column {name} has times without a zone offset; state the zone they were "
            "written in (--timezone)"
        )
    local = pc.assume_timezone(naive, zone, ambiguous="earliest", nonexistent="earliest")
    return pc.cast(local, INSTANT)

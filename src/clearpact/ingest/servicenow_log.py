"""Read a ServiceNow incident audit log (UCI data set 498) into the canonical tickets and events.

May import pyarrow, DuckDB, the standard library and :mod:`clearpact.clock.tables`; nothing in
the core imports it. The ``servicenow_log`` import profile
(:mod:`clearpact.ingest.readers.servicenow_log`) runs it and hands its rows to the importer.

The log has one row per update snapshot of an incident: ``incident_state``, ``priority``,
``assigned_to``… as they were at ``sys_updated_at``. ``?`` (or an empty cell) means missing.
What is derived, and how:

- **Local times.** ``opened_at`` and ``sys_updated_at`` are ``d/m/YYYY HH:MM`` wall times with no
  zone, so the zone is a required argument. Each wall time becomes a UTC instant with
  :mod:`zoneinfo`, ``fold=0``: an ambiguous time (the hour repeated in autumn) is its first
  occurrence; a nonexistent one (the hour skipped in spring) is read with the offset in force
  before the change, so it lands that much after the change. Both kinds are counted in
  :meth:`ImportResult.counts`.
- **Snapshot order.** The snapshots of one incident are ordered by ``sys_updated_at``, then
  ``sys_mod_count``, then the CSV row (the log has 5 incidents whose ``sys_mod_count`` goes
  backwards in time; time wins).
- **Tickets.** One per incident ``number``: ``created_at`` = ``opened_at`` (the same on every row
  of an incident, else the incident is rejected); ``priority`` = the first snapshot's priority
  through ``priority_map`` (default ``1 - Critical`` → ``P1`` … ``4 - Low`` → ``P4``);
  ``status`` = the first snapshot's ``incident_state``; ``customer`` = its ``caller_id``;
  ``service`` = its ``category`` (null when missing there).
- **Events**, from consecutive snapshots, each at the snapshot's ``sys_updated_at``:
  ``status`` when ``incident_state`` differs from the last readable state before it;
  ``priority`` when the mapped priority differs from the last known one before it (two raw values
  mapped to one priority are no change); ``assignment`` when ``assigned_to`` goes from missing to
  a name, or from one name to another. Before the first snapshot nobody is assigned, so an
  incident assigned on its first snapshot gets an assignment event there. A name going back to
  missing makes no event. States keep ServiceNow's names (:data:`STATUS_MEANINGS` says which
  resolve and close); ``resolved_at`` and ``closed_at`` are not read: the status events carry
  resolution, and no event is invented when no snapshot shows it.
- **Rejects** (``source_row`` is the 1-based data row, header not counted; physical line =
  ``source_row + 1``). Bad values never vanish, each is one row of ``rejects``:
  a missing ``number`` (the row belongs to no incident); an ``opened_at`` that is unreadable or
  differs between an incident's rows (the whole incident is rejected: all its rows listed, no
  ticket); an unreadable ``sys_updated_at`` (the snapshot is left out); an ``incident_state``
  with no letter in it, such as ``-100`` (the snapshot's state is ignored: no status event, the
  state before it still holds); a priority ``priority_map`` does not know (the snapshot's
  priority is ignored likewise); an unreadable ``sys_mod_count`` (the snapshot is kept and
  ordered last among those at the same time). Every incident number in the file is a ticket or
  appears in ``rejects``.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import IO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv

from clearpact.clock.tables import EVENTS, INSTANT, TICKETS, StatusMeanings

STATUS_MEANINGS = StatusMeanings(resolved=frozenset({"Resolved"}), closed=frozenset({"Closed"}))
"""In this log ``Resolved`` resolves an incident and ``Closed`` (about 120 h later) closes it."""

DEFAULT_PRIORITY_MAP: Mapping[str, str] = MappingProxyType(
    {"1 - Critical": "P1", "2 - High": "P2", "3 - Moderate": "P3", "4 - Low": "P4"}
)
"""ServiceNow's priority labels → the agreement's priority names."""

TIME_FORMAT = "%d/%m/%Y %H:%M"
"""The log's wall-time format (``29/2/2016 01:16``); the year must have four digits."""

COLUMNS = (
    "number",
    "incident_state",
    "sys_mod_count",
    "caller_id",
    "opened_at",
    "sys_updated_at",
    "category",
    "priority",
    "assigned_to",
)
"""The columns this reader uses; the other columns of the export are not read."""

REJECTS = pa.schema(
    [
        pa.field("source_row", pa.int64(), nullable=False),
        pa.field("field", pa.string(), nullable=False),
        pa.field("value", pa.string()),
        pa.field("reason", pa.string(), nullable=False),
    ]
)
"""One row per rejected value: the 1-based data row of the CSV, the column, its raw text, why."""

_TIME_PATTERN = r"[0-9]{1,2}/[0-9]{1,2}/[0-9]{4} [0-9]{1,2}:[0-9]{2}"
_EPOCH = datetime(1970, 1, 1)
_MICROSECOND = timedelta(microseconds=1)


@dataclass(frozen=True)
class ImportResult:
    """The canonical tables read from one log, what was rejected, and how much was read."""

    tickets: pa.Table
    """Schema :data:`~clearpact.clock.tables.TICKETS`, sorted by ``ticket_id``."""
    events: pa.Table
    """Schema :data:`~clearpact.clock.tables.EVENTS`, sorted by ticket, time and snapshot."""
    rejects: pa.Table
    """Schema :data:`REJECTS`, sorted by ``source_row``."""
    rows_read: int
    """Data rows in the CSV (the header not counted)."""
    ambiguous_local_times: int = 0
    """Ticket creations and kept snapshots whose wall time fell in a repeated hour."""
    nonexistent_local_times: int = 0
    """Ticket creations and kept snapshots whose wall time fell in a skipped hour."""
    ticket_rows: pa.Array | None = None
    """For each ticket, the data row of its first snapshot (the row its values come from)."""
    event_rows: pa.Array | None = None
    """For each event, the data row of the snapshot that shows it."""
    reject_tickets: pa.Array | None = None
    """For each reject, the incident it belongs to (null for a row without a number)."""

    def counts(self) -> dict[str, int]:
        """The figures of this import by name, events counted per kind.

        >>> empty = ImportResult(TICKETS.empty_table(), EVENTS.empty_table(), REJECTS.empty_table(), 0)
        >>> empty.counts()["events_status"]
        0
        """
        kinds = self.events.column("kind").to_pylist()
        rejected_rows = len(set(self.rejects.column("source_row").to_pylist()))
        return {
            "rows_read": self.rows_read,
            "tickets": self.tickets.num_rows,
            "events": self.events.num_rows,
            "events_status": kinds.count("status"),
            "events_priority": kinds.count("priority"),
            "events_assignment": kinds.count("assignment"),
            "rejects": self.rejects.num_rows,
            "rows_with_rejects": rejected_rows,
            "ambiguous_local_times": self.ambiguous_local_times,
            "nonexistent_local_times": self.nonexistent_local_times,
        }

    def summary(self) -> str:
        """One ``name: value`` line per count, for a terminal or a log.

        >>> empty = ImportResult(TICKETS.empty_table(), EVENTS.empty_table(), REJECTS.empty_table(), 0)
        >>> print(empty.summary().splitlines()[0])
        rows_read: 0
        """
        return "\n".join(f"{name}: {value:,}" for name, value in self.counts().items())


def read_servicenow_log(
    path: str | Path, *, timezone: str, priority_map: Mapping[str, str] | None = None
) -> ImportResult:
    """Read the log at ``path`` (a ``.csv``, ``.csv.gz``, or a ``.zip`` holding one ``.csv``).

    ``timezone`` is the IANA zone the export's wall times are in (the file does not say; there
    is no default so that UTC is never assumed silently). ``priority_map`` maps the raw
    ``priority`` labels to the agreement's names; unknown labels are rejected. The module
    docstring lists every derivation and reject rule. Raises ``ValueError`` for an unknown zone
    or a file without the needed columns; bad values inside the file never raise.
    """
    zone = _zone(timezone)
    mapping = DEFAULT_PRIORITY_MAP if priority_map is None else priority_map
    raw = _read_columns(Path(path))
    with duckdb.connect() as con:
        con.register("raw", raw)
        con.register(
            "priority_map",
            pa.table(
                {"raw": list(mapping.keys()), "mapped": list(mapping.values())},
                schema=pa.schema([("raw", pa.string()), ("mapped", pa.string())]),
            ),
        )
        con.execute(_PARSE_SQL)
        local = con.sql("SELECT DISTINCT local_us FROM wall_times WHERE local_us IS NOT NULL")
        con.register("zone_map", _localise(local.to_arrow_table().column(0).to_pylist(), zone))
        con.execute(_DERIVE_SQL)
        tickets = con.sql(_TICKETS_SQL).to_arrow_table()
        events = con.sql(_EVENTS_SQL).to_arrow_table()
        rejects = con.sql(_REJECTS_SQL).to_arrow_table()
        ambiguous, nonexistent = con.sql(_FOLDS_SQL).fetchall()[0]
    return ImportResult(
        tickets=_conform(tickets, TICKETS),
        events=_conform(events, EVENTS),
        rejects=_conform(rejects, REJECTS),
        rows_read=raw.num_rows,
        ambiguous_local_times=int(ambiguous),
        nonexistent_local_times=int(nonexistent),
        ticket_rows=tickets["source_row"].combine_chunks(),
        event_rows=events["source_row"].combine_chunks(),
        reject_tickets=rejects["ticket_id"].combine_chunks(),
    )


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(
            f"unknown time zone {name!r}; hint: give the IANA name of the zone the export's "
            "times are in, such as 'America/Sao_Paulo' or 'Europe/Lisbon'"
        ) from error


@contextmanager
def _open_csv(path: Path) -> Iterator[IO[bytes]]:
    """The CSV's bytes: the file itself (``.gz`` and the like decompressed by pyarrow), or the one
    ``.csv`` inside a ``.zip``."""
    if path.suffix.lower() != ".zip":
        with pa.input_stream(str(path), compression="detect") as stream:
            yield stream
        return
    with zipfile.ZipFile(path) as archive:
        names = [n for n in archive.namelist() if n.lower().endswith(".csv")]
        if len(names) != 1:
            raise ValueError(
                f"{path}: expected exactly one .csv inside the zip, found {len(names)}: {names}"
            )
        with archive.open(names[0]) as member:
            yield member


def _read_columns(path: Path) -> pa.Table:
    """The needed columns as raw strings (nothing converted, empty stays ``""``), plus
    ``source_row``, the 1-based data row."""
    with _open_csv(path) as stream:
        start = stream.read(1 << 16).decode("utf-8-sig", errors="replace")
    header = next(csv.reader(io.StringIO(start)), [])
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ValueError(
            f"{path}: not a ServiceNow incident log: missing column(s) {', '.join(missing)}; "
            f"hint: the reader needs {', '.join(COLUMNS)}"
        )
    with _open_csv(path) as stream:
        table = pacsv.read_csv(
            stream,
            convert_options=pacsv.ConvertOptions(
                include_columns=list(COLUMNS),
                column_types=dict.fromkeys(COLUMNS, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    return table.append_column(
        "source_row", pa.array(range(1, table.num_rows + 1), type=pa.int64())
    )


def _localise(local_us: list[int], zone: ZoneInfo) -> pa.Table:
    """UTC instants (epoch µs) for wall times (epoch µs of the naive reading), ``fold=0``.

    >>> t = _localise([0, 1_459_040_400_000_000, 1_477_789_200_000_000], ZoneInfo("Europe/Lisbon"))
    >>> t.column("utc_us").to_pylist()  # Lisbon: UTC+1 in 1970; 27/3/2016 01:00 skipped; 30/10 repeated
    [-3600000000, 1459040400000000, 1477785600000000]
    >>> t.column("nonexistent").to_pylist(), t.column("ambiguous").to_pylist()
    ([False, True, False], [False, False, True])
    """
    utc_us: list[int] = []
    ambiguous: list[bool] = []
    nonexistent: list[bool] = []
    for value in local_us:
        wall = _EPOCH + timedelta(microseconds=value)
        first = wall.replace(tzinfo=zone)  # fold=0
        offset = first.utcoffset() or timedelta(0)
        utc_us.append(value - offset // _MICROSECOND)
        if offset == wall.replace(tzinfo=zone, fold=1).utcoffset():
            ambiguous.append(False)
            nonexistent.append(False)
        else:
            exists = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == wall
            ambiguous.append(exists)
            nonexistent.append(not exists)
    return pa.table(
        {
            "local_us": local_us,
            "utc_us": utc_us,
            "ambiguous": ambiguous,
            "nonexistent": nonexistent,
        },
        schema=pa.schema(
            [
                ("local_us", pa.int64()),
                ("utc_us", pa.int64()),
                ("ambiguous", pa.bool_()),
                ("nonexistent", pa.bool_()),
            ]
        ),
    )


def _conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """``table`` with ``schema``'s exact types; epoch-µs integer columns become instants."""
    columns = []
    for field in schema:
        column = table.column(field.name)
        if field.type == INSTANT:
            column = column.cast(pa.int64()).cast(INSTANT)  # epoch µs, reinterpreted
        columns.append(column.cast(field.type))
    return pa.Table.from_arrays(columns, schema=schema)


# Wall times parsed to epoch µs of their naive reading; the zone is applied through zone_map.
_PARSE_SQL = f"""
CREATE TEMP TABLE parsed AS
SELECT
    source_row,
    number,
    CASE WHEN number IN ('?', '') THEN NULL ELSE number END AS ticket_id,
    opened_at,
    CASE WHEN regexp_full_match(opened_at, '{_TIME_PATTERN}')
         THEN epoch_us(try_strptime(opened_at, '{TIME_FORMAT}')) END AS opened_local,
    sys_updated_at,
    CASE WHEN regexp_full_match(sys_updated_at, '{_TIME_PATTERN}')
         THEN epoch_us(try_strptime(sys_updated_at, '{TIME_FORMAT}')) END AS updated_local,
    sys_mod_count,
    try_cast(sys_mod_count AS BIGINT) AS mod_count,
    incident_state,
    CASE WHEN incident_state IN ('?', '') THEN NULL ELSE incident_state END AS state_given,
    priority,
    CASE WHEN priority IN ('?', '') THEN NULL ELSE priority END AS priority_given,
    CASE WHEN assigned_to IN ('?', '') THEN NULL ELSE assigned_to END AS assignee,
    CASE WHEN caller_id IN ('?', '') THEN NULL ELSE caller_id END AS customer,
    CASE WHEN category IN ('?', '') THEN NULL ELSE category END AS service
FROM raw;

CREATE TEMP VIEW wall_times AS
SELECT opened_local AS local_us FROM parsed
UNION
SELECT updated_local FROM parsed;
"""

_DERIVE_SQL = """
CREATE TEMP TABLE rows AS
SELECT
    p.*,
    o.utc_us AS opened_us,
    coalesce(o.ambiguous, false) AS opened_ambiguous,
    coalesce(o.nonexistent, false) AS opened_nonexistent,
    u.utc_us AS updated_us,
    coalesce(u.ambiguous, false) AS updated_ambiguous,
    coalesce(u.nonexistent, false) AS updated_nonexistent,
    state_given IS NOT NULL AND NOT regexp_matches(state_given, '[A-Za-z]') AS state_junk,
    m.mapped AS priority_mapped
FROM parsed p
LEFT JOIN zone_map o ON o.local_us = p.opened_local
LEFT JOIN zone_map u ON u.local_us = p.updated_local
LEFT JOIN priority_map m ON m.raw = p.priority_given;

CREATE TEMP TABLE incidents AS
SELECT
    ticket_id,
    bool_or(opened_us IS NULL) AS opened_unreadable,
    count(DISTINCT opened_local) > 1 AS opened_differs,
    min(opened_us) AS created_us,
    bool_or(opened_ambiguous) AS created_ambiguous,
    bool_or(opened_nonexistent) AS created_nonexistent
FROM rows
WHERE ticket_id IS NOT NULL
GROUP BY ticket_id;

CREATE TEMP TABLE snapshots AS
SELECT
    r.ticket_id,
    r.source_row,
    r.updated_us AS at_us,
    r.updated_ambiguous,
    r.updated_nonexistent,
    CASE WHEN NOT r.state_junk THEN r.state_given END AS state,
    r.priority_mapped AS priority,
    r.assignee,
    r.customer,
    r.service,
    row_number() OVER (
        PARTITION BY r.ticket_id ORDER BY r.updated_us, r.mod_count NULLS LAST, r.source_row
    ) AS seq
FROM rows r
JOIN incidents i USING (ticket_id)
WHERE NOT i.opened_unreadable AND NOT i.opened_differs AND r.updated_us IS NOT NULL;

CREATE TEMP TABLE changes AS
SELECT
    *,
    last_value(state IGNORE NULLS) OVER before AS state_before,
    last_value(priority IGNORE NULLS) OVER before AS priority_before,
    lag(assignee) OVER (PARTITION BY ticket_id ORDER BY seq) AS assignee_before
FROM snapshots
WINDOW before AS (
    PARTITION BY ticket_id ORDER BY seq ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
);
"""

_TICKETS_SQL = """
SELECT
    i.ticket_id,
    i.created_us AS created_at,
    f.priority,
    f.state AS status,
    f.customer,
    f.service,
    f.source_row
FROM incidents i
LEFT JOIN snapshots f ON f.ticket_id = i.ticket_id AND f.seq = 1
WHERE NOT i.opened_unreadable AND NOT i.opened_differs
ORDER BY i.ticket_id
"""

_EVENTS_SQL = """
SELECT ticket_id, at_us AS "at", kind, value, NULL::VARCHAR AS channel, source_row
FROM (
    SELECT ticket_id, at_us, seq, source_row, 1 AS k, 'status' AS kind, state AS value
    FROM changes
    WHERE seq > 1 AND state IS NOT NULL AND state IS DISTINCT FROM state_before
    UNION ALL
    SELECT ticket_id, at_us, seq, source_row, 2, 'priority', priority
    FROM changes
    WHERE seq > 1 AND priority IS NOT NULL AND priority IS DISTINCT FROM priority_before
    UNION ALL
    SELECT ticket_id, at_us, seq, source_row, 3, 'assignment', assignee
    FROM changes
    WHERE assignee IS NOT NULL AND assignee IS DISTINCT FROM assignee_before
)
ORDER BY ticket_id, seq, k
"""

_REJECTS_SQL = """
SELECT source_row, field, value, reason, ticket_id
FROM (
    SELECT source_row, 'number' AS field, number AS value,
           'missing incident number; the row belongs to no incident' AS reason,
           NULL AS ticket_id
    FROM rows
    WHERE ticket_id IS NULL
    UNION ALL
    SELECT r.source_row, 'opened_at', r.opened_at,
           CASE
               WHEN r.opened_us IS NULL
               THEN 'opened_at unreadable (expected d/m/YYYY HH:MM); incident '
                    || r.ticket_id || ' rejected whole'
               WHEN i.opened_unreadable
               THEN 'opened_at unreadable on another row of incident '
                    || r.ticket_id || '; rejected whole'
               ELSE 'opened_at differs between the rows of incident '
                    || r.ticket_id || '; rejected whole'
           END,
           r.ticket_id
    FROM rows r
    JOIN incidents i USING (ticket_id)
    WHERE i.opened_unreadable OR i.opened_differs
    UNION ALL
    SELECT r.source_row, 'sys_updated_at', r.sys_updated_at,
           'sys_updated_at unreadable (expected d/m/YYYY HH:MM); the snapshot is left out',
           r.ticket_id
    FROM rows r
    JOIN incidents i USING (ticket_id)
    WHERE NOT i.opened_unreadable AND NOT i.opened_differs AND r.updated_us IS NULL
    UNION ALL
    SELECT r.source_row, 'incident_state', r.incident_state,
           'incident_state is not a state name; the snapshot''s state is ignored',
           r.ticket_id
    FROM rows r
    JOIN incidents i USING (ticket_id)
    WHERE NOT i.opened_unreadable AND NOT i.opened_differs AND r.updated_us IS NOT NULL
      AND r.state_junk
    UNION ALL
    SELECT r.source_row, 'priority', r.priority,
           'priority not in priority_map; the snapshot''s priority is ignored',
           r.ticket_id
    FROM rows r
    JOIN incidents i USING (ticket_id)
    WHERE NOT i.opened_unreadable AND NOT i.opened_differs AND r.updated_us IS NOT NULL
      AND r.priority_given IS NOT NULL AND r.priority_mapped IS NULL
    UNION ALL
    SELECT r.source_row, 'sys_mod_count', r.sys_mod_count,
           'sys_mod_count is not an integer; the snapshot is ordered last among those at '
           || 'the same sys_updated_at',
           r.ticket_id
    FROM rows r
    JOIN incidents i USING (ticket_id)
    WHERE NOT i.opened_unreadable AND NOT i.opened_differs AND r.updated_us IS NOT NULL
      AND r.mod_count IS NULL
)
ORDER BY source_row, field
"""

_FOLDS_SQL = """
SELECT
    (SELECT count(*) FILTER (WHERE created_ambiguous) FROM incidents
        WHERE NOT opened_unreadable AND NOT opened_differs)
    + (SELECT count(*) FILTER (WHERE updated_ambiguous) FROM snapshots),
    (SELECT count(*) FILTER (WHERE created_nonexistent) FROM incidents
        WHERE NOT opened_unreadable AND NOT opened_differs)
    + (SELECT count(*) FILTER (WHERE updated_nonexistent) FROM snapshots)
"""

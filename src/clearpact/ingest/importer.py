"""Import an export through its profile: read, judge every value, and account for every row.

``import_export`` runs the profile's reader (:mod:`clearpact.ingest.readers`), then judges what
it found, the same way for every tool:

- **Tickets.** No id, or a creation time that cannot be read → the ticket is rejected with every
  row that belongs to it. The same id twice → the later rows are quarantined as duplicates. A
  priority label the profile does not map, or a status it does not list, is quarantined as a
  value; the ticket is kept with no priority / status.
- **Events.** Of no ticket, of a rejected ticket, with an unreadable time, of an unknown kind, a
  status the profile does not list, a priority it does not map, a reply author kind that is not
  ``agent | automation | internal | customer``, before the ticket was created, or the same as an
  earlier event (ticket, time, kind, value, channel) → quarantined.
- **Surveys.** No id, an unreadable time, a rating that is not 1–5, or an id seen before →
  quarantined.
- **Rows.** Every source row is stored (something in it was kept, or it said nothing new),
  quarantined (all it said was quarantined, or it belongs to a rejected ticket), or ignored
  (the reader says why it holds nothing a clock reads). ``rows_in == rows_stored + rows_quarantined + rows_ignored``, always.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from clearpact.clock.tables import EVENTS, REPLY_AUTHORS, TICKETS
from clearpact.ingest.export import Export
from clearpact.ingest.profile import Profile, load_profile
from clearpact.ingest.schema import EVENT_KINDS, QUARANTINE, SURVEYS
from clearpact.ingest.times import ZoneNeeded, parse_times


class ImportFailed(ValueError):
    """The export cannot be imported at all (no zone for its times, a file missing); the message
    names the file, row and field. Nothing is written."""


@dataclass(frozen=True)
class ImportResult:
    """The canonical tables of one export, what was quarantined, and the row accounting."""

    profile: Profile
    tickets: pa.Table
    """:data:`~clearpact.clock.tables.TICKETS`, in the order the export lists them."""
    events: pa.Table
    """:data:`~clearpact.clock.tables.EVENTS`, by ticket (in ticket order), time, kind, value."""
    surveys: pa.Table
    """:data:`~clearpact.ingest.schema.SURVEYS`."""
    quarantine: pa.Table
    """:data:`~clearpact.ingest.schema.QUARANTINE`, by file and row."""
    rows_in: int
    rows_stored: int
    rows_quarantined: int
    rows_ignored: int
    ignored: dict[str, int] = field(default_factory=dict)
    """Ignored rows by the reader's reason."""

    def counts(self) -> dict[str, int]:
        """The figures of this import by name (events counted per kind)."""
        kinds = Counter(self.events.column("kind").to_pylist())
        return {
            "rows_in": self.rows_in,
            "rows_stored": self.rows_stored,
            "rows_quarantined": self.rows_quarantined,
            "rows_ignored": self.rows_ignored,
            "tickets": self.tickets.num_rows,
            "events": self.events.num_rows,
            **{f"events_{kind}": kinds.get(kind, 0) for kind in EVENT_KINDS},
            "surveys": self.surveys.num_rows,
            "quarantined_values": self.quarantine.num_rows,
        }


def import_export(
    path: str | Path, profile: str | Path | Profile, *, timezone: str | None = None
) -> ImportResult:
    """Import the export at ``path`` (a folder or a file, as the profile's reader expects).

    ``timezone`` is the zone of times written without an offset; the profile's default applies
    when it is None, and with neither such times stop the import (:class:`ImportFailed`).
    Bad values never raise: they are quarantined (module docstring).
    """
    from clearpact.ingest.readers import reader_for  # the readers import this module's types

    chosen = profile if isinstance(profile, Profile) else load_profile(profile)
    if timezone is not None:  # the readers see the zone in force
        chosen = chosen.model_copy(update={"timezone": timezone})
    source = Path(path)
    if not source.exists():
        raise ImportFailed(f"{source}: no such file or folder")
    export = Export()
    reader_for(chosen)(source, chosen, export)
    return judge(export, chosen, zone=chosen.timezone)


def judge(export: Export, profile: Profile, *, zone: str | None) -> ImportResult:
    """Judge the raw rows a reader found (module docstring) into an :class:`ImportResult`."""
    raw = export.tables()
    tickets = _with_times(raw["tickets"], "created_at", zone, profile.time_formats)
    events = _with_times(raw["events"], "at", zone, profile.time_formats)
    surveys = _with_times(raw["surveys"], "at", zone, profile.time_formats)
    with duckdb.connect() as con:
        con.execute("SET TimeZone = 'UTC'")
        con.register("raw_tickets", tickets)
        con.register("raw_events", events)
        con.register("raw_surveys", surveys)
        con.register("raw_rejects", raw["rejects"])
        con.register("raw_rows", raw["rows"])
        con.register("statuses", _map_table(list(profile.statuses), list(profile.statuses)))
        con.register(
            "priorities", _map_table(list(profile.priorities), list(profile.priorities.values()))
        )
        con.execute(
            _JUDGE_SQL.format(
                check_statuses=bool(profile.statuses),
                map_priorities=bool(profile.priorities),
                kinds=_sql_list(EVENT_KINDS),
                authors=_sql_list(REPLY_AUTHORS),
            )
        )
        kept_tickets = con.sql(_TICKETS_OUT).to_arrow_table()
        kept_events = con.sql(_EVENTS_OUT).to_arrow_table()
        kept_surveys = con.sql(_SURVEYS_OUT).to_arrow_table()
        quarantine = con.sql(_QUARANTINE_OUT).to_arrow_table()
        counts = dict(con.sql(_ROW_COUNTS).fetchall())
        ignored = dict(con.sql(_IGNORED).fetchall())
    return ImportResult(
        profile=profile,
        tickets=kept_tickets.cast(TICKETS),
        events=kept_events.cast(EVENTS),
        surveys=kept_surveys.cast(SURVEYS),
        quarantine=quarantine.cast(QUARANTINE),
        rows_in=sum(counts.values()),
        rows_stored=counts.get("stored", 0),
        rows_quarantined=counts.get("quarantined", 0),
        rows_ignored=counts.get("ignored", 0),
        ignored={str(k): int(v) for k, v in ignored.items()},
    )


def _with_times(table: pa.Table, name: str, zone: str | None, formats: list[str]) -> pa.Table:
    """``table`` with ``<name>_us`` (the instant) and ``<name>_why`` (why not) and ``ord``."""
    try:
        parsed = parse_times(table[name], zone=zone, formats=formats)
    except ZoneNeeded as exc:
        index = pc.index(table[name], exc.text).as_py()
        row = table.slice(index, 1).to_pylist()[0]
        field_name = row.get(f"{name}_field") or name
        raise ImportFailed(f"{row['file']}: row {row['row']}: {field_name}: {exc}") from None
    return (
        table.append_column(f"{name}_at", parsed.instants)
        .append_column(f"{name}_why", parsed.reasons)
        .append_column("ord", pa.array(range(table.num_rows), pa.int64()))
    )


def _map_table(keys: list[str], values: list[str]) -> pa.Table:
    return pa.table({"raw": pa.array(keys, pa.string()), "mapped": pa.array(values, pa.string())})


def _sql_list(names: tuple[str, ...]) -> str:
    return ", ".join(f"'{name}'" for name in names)


_JUDGE_SQL = """
-- tickets: the first readable row of each id is the ticket
CREATE TEMP TABLE t AS
SELECT *,
    CASE WHEN ticket_id IS NULL OR trim(ticket_id) = '' THEN 'no ticket id'
         WHEN created_at_why IS NOT NULL THEN created_at_why END AS bad
FROM raw_tickets;
CREATE TEMP TABLE t_ranked AS
SELECT *, CASE WHEN bad IS NULL
               THEN row_number() OVER (PARTITION BY ticket_id, bad IS NULL ORDER BY ord) END AS nth
FROM t;
CREATE TEMP TABLE first_row AS SELECT ticket_id, file, row FROM t_ranked WHERE nth = 1;
CREATE TEMP TABLE rejected AS
SELECT ticket_id, min_by(bad, ord) AS why FROM t
WHERE bad IS NOT NULL AND ticket_id IS NOT NULL AND trim(ticket_id) <> ''
  AND ticket_id NOT IN (SELECT ticket_id FROM first_row)
GROUP BY ticket_id;
CREATE TEMP TABLE kept_tickets AS
SELECT r.ticket_id, r.created_at_at AS created_at, r.ord, r.file, r.row,
    CASE WHEN NOT {map_priorities} THEN r.priority ELSE p.mapped END AS priority,
    CASE WHEN NOT {check_statuses} OR s.raw IS NOT NULL THEN r.status END AS status,
    r.customer, r.service,
    r.priority IS NOT NULL AND {map_priorities} AND p.mapped IS NULL AS bad_priority,
    r.status IS NOT NULL AND {check_statuses} AND s.raw IS NULL AS bad_status,
    r.priority AS raw_priority, r.priority_field, r.status AS raw_status, r.status_field
FROM t_ranked r
LEFT JOIN priorities p ON p.raw = r.priority
LEFT JOIN statuses s ON s.raw = r.status
WHERE r.nth = 1;

-- events
CREATE TEMP TABLE e AS
SELECT e.*, k.created_at AS ticket_created,
    CASE WHEN e.kind = 'priority' AND {map_priorities} THEN p.mapped ELSE e.value END AS mapped,
    CASE
      WHEN k.ticket_id IS NULL AND rj.ticket_id IS NOT NULL
        THEN 'the ticket was rejected: ' || rj.why
      WHEN k.ticket_id IS NULL THEN 'no such ticket ' || coalesce('''' || e.ticket_id || '''', '(none)')
      WHEN e.at_why IS NOT NULL THEN e.at_why
      WHEN e.kind IS NULL OR e.kind NOT IN ({kinds}) THEN 'unknown event kind ' || coalesce('''' || e.kind || '''', '(none)')
      WHEN e.kind IN ('status', 'priority') AND e.value IS NULL THEN 'a ' || e.kind || ' change naming no ' || e.kind
      WHEN e.kind = 'status' AND {check_statuses} AND s.raw IS NULL
        THEN 'unknown status ''' || e.value || ''' (not among the profile''s statuses); the status before still holds'
      WHEN e.kind = 'priority' AND {map_priorities} AND p.mapped IS NULL
        THEN 'unknown priority ''' || e.value || ''' (not in the profile''s priorities); the priority before still holds'
      WHEN e.kind = 'reply' AND (e.value IS NULL OR e.value NOT IN ({authors}))
        THEN 'unknown reply author kind ' || coalesce('''' || e.value || '''', '(none)')
      WHEN e.at_at < k.created_at
        THEN 'before the ticket was created (' || strftime(k.created_at, '%Y-%m-%dT%H:%M:%SZ') || ')'
    END AS bad,
    CASE
      WHEN k.ticket_id IS NULL THEN e.ticket_field
      WHEN e.at_why IS NOT NULL OR e.at_at < k.created_at THEN e.at_field
      WHEN e.kind IS NULL OR e.kind NOT IN ({kinds}) THEN 'kind'
      ELSE e.value_field
    END AS bad_field,
    k.ord AS ticket_ord
FROM raw_events e
LEFT JOIN kept_tickets k ON k.ticket_id = e.ticket_id
LEFT JOIN rejected rj ON rj.ticket_id = e.ticket_id
LEFT JOIN statuses s ON e.kind = 'status' AND s.raw = e.value
LEFT JOIN priorities p ON e.kind = 'priority' AND p.raw = e.value;
CREATE TEMP TABLE e_ranked AS
SELECT *, CASE WHEN bad IS NULL THEN row_number() OVER (
    PARTITION BY ticket_id, at_at, kind, mapped, channel, bad IS NULL ORDER BY ord) END AS nth
FROM e;
CREATE TEMP TABLE e_first AS
SELECT ticket_id, at_at, kind, mapped, channel, file, row FROM e_ranked WHERE nth = 1;

-- surveys
CREATE TEMP TABLE sv AS
SELECT *,
    CASE WHEN survey_id IS NULL OR trim(survey_id) = '' THEN 'no survey id'
         WHEN at_why IS NOT NULL THEN at_why
         WHEN try_cast(rating AS TINYINT) IS NULL OR try_cast(rating AS TINYINT) NOT BETWEEN 1 AND 5
           THEN 'a rating must be a whole number from 1 to 5, not ' || coalesce('''' || rating || '''', '(none)')
    END AS bad,
    CASE WHEN survey_id IS NULL OR trim(survey_id) = '' THEN 'survey_id'
         WHEN at_why IS NOT NULL THEN at_field ELSE rating_field END AS bad_field
FROM raw_surveys;
CREATE TEMP TABLE sv_ranked AS
SELECT *, CASE WHEN bad IS NULL
               THEN row_number() OVER (PARTITION BY survey_id, bad IS NULL ORDER BY ord) END AS nth
FROM sv;

-- everything quarantined, one row per value
CREATE TEMP TABLE q AS
SELECT file, row, ticket_id, coalesce(CASE WHEN bad = 'no ticket id' THEN 'ticket_id' END,
       created_at_field) AS field,
       CASE WHEN bad = 'no ticket id' THEN ticket_id ELSE created_at END AS value,
       bad || '; the ticket is rejected with every row of it' AS reason
FROM t WHERE bad IS NOT NULL AND (ticket_id IS NULL OR ticket_id NOT IN (SELECT ticket_id FROM first_row))
UNION ALL
SELECT t.file, t.row, t.ticket_id, 'ticket_id', t.ticket_id,
       'the same ticket id as ' || f.file || ' row ' || f.row || ' (kept)'
FROM t_ranked t JOIN first_row f USING (ticket_id) WHERE t.nth > 1
UNION ALL
SELECT file, row, ticket_id, created_at_field, created_at,
       bad || '; another row of the ticket was read'
FROM t WHERE bad IS NOT NULL AND ticket_id IN (SELECT ticket_id FROM first_row)
UNION ALL
SELECT file, row, ticket_id, priority_field, raw_priority,
       'unknown priority ''' || raw_priority || ''' (not in the profile''s priorities); the ticket has no priority'
FROM kept_tickets WHERE bad_priority
UNION ALL
SELECT file, row, ticket_id, status_field, raw_status,
       'unknown status ''' || raw_status || ''' (not among the profile''s statuses)'
FROM kept_tickets WHERE bad_status
UNION ALL
SELECT file, row, ticket_id, bad_field,
       CASE WHEN bad_field = ticket_field THEN ticket_id
            WHEN bad_field = at_field THEN "at"
            WHEN bad_field = 'kind' THEN kind ELSE value END,
       bad
FROM e WHERE bad IS NOT NULL
UNION ALL
SELECT r.file, r.row, r.ticket_id, r.value_field, r.value,
       'the same ' || r.kind || ' event as ' || f.file || ' row ' || f.row || ' (kept)'
FROM e_ranked r JOIN e_first f
  ON f.ticket_id = r.ticket_id AND f.at_at = r.at_at AND f.kind = r.kind
 AND f.mapped IS NOT DISTINCT FROM r.mapped AND f.channel IS NOT DISTINCT FROM r.channel
WHERE r.nth > 1
UNION ALL
SELECT file, row, ticket_id, bad_field,
       CASE WHEN bad_field = 'survey_id' THEN survey_id WHEN bad_field = at_field THEN "at" ELSE rating END,
       bad
FROM sv WHERE bad IS NOT NULL
UNION ALL
SELECT file, row, ticket_id, 'survey_id', survey_id, 'the same survey id as an earlier row'
FROM sv_ranked WHERE nth > 1
UNION ALL
SELECT file, row, ticket_id, field, value, reason FROM raw_rejects
UNION ALL
SELECT r.file, r.row, r.ticket_id, r.ticket_field, r.ticket_id, 'the ticket was rejected: ' || rj.why
FROM raw_rows r JOIN rejected rj USING (ticket_id) WHERE r.ignored IS NOT NULL;

-- every source row once, and what became of it
CREATE TEMP TABLE contributions AS
SELECT file, row, nth = 1 AS kept FROM t_ranked
UNION ALL SELECT file, row, nth = 1 AS kept FROM e_ranked
UNION ALL SELECT file, row, nth = 1 AS kept FROM sv_ranked
UNION ALL SELECT file, row, NOT coalesce(whole_row, true) FROM raw_rejects
UNION ALL SELECT file, row, false FROM raw_rows JOIN rejected USING (ticket_id)
  WHERE ignored IS NOT NULL;
CREATE TEMP TABLE row_fate AS
WITH c AS (SELECT file, row, bool_or(coalesce(kept, false)) AS any_kept, count(*) AS n
           FROM contributions GROUP BY ALL),
     r AS (SELECT file, row, max(ignored) AS ignored FROM raw_rows GROUP BY ALL)
SELECT file, row, r.ignored,
       CASE WHEN c.n IS NULL AND r.ignored IS NOT NULL THEN 'ignored'
            WHEN c.n IS NOT NULL AND NOT c.any_kept THEN 'quarantined'
            ELSE 'stored' END AS fate
FROM c FULL JOIN r USING (file, row);
"""

_TICKETS_OUT = """
SELECT ticket_id, created_at, priority, status, customer, service
FROM kept_tickets ORDER BY ord
"""

_EVENTS_OUT = """
SELECT ticket_id, at_at AS at, kind, mapped AS value, channel
FROM e_ranked WHERE nth = 1
ORDER BY ticket_ord, at_at, kind, mapped NULLS FIRST, ord
"""

_SURVEYS_OUT = """
SELECT survey_id, ticket_id, customer, at_at AS at, CAST(rating AS TINYINT) AS rating, comment
FROM sv_ranked WHERE nth = 1 ORDER BY ord
"""

_QUARANTINE_OUT = """
SELECT q.file, q.row, q.ticket_id, coalesce(q.field, '(row)') AS field, q.value, q.reason,
       f.fate = 'quarantined' AS whole_row
FROM q JOIN row_fate f USING (file, row)
ORDER BY q.file, try_cast(q.row AS BIGINT) NULLS LAST, q.row, q.field
"""

_ROW_COUNTS = "SELECT fate, count(*) FROM row_fate GROUP BY fate"
_IGNORED = "SELECT ignored, count(*) FROM row_fate WHERE fate = 'ignored' GROUP BY ignored"


def counts_line(result: ImportResult) -> str:
    """``rows in = stored + quarantined + ignored`` with the figures, for a terminal."""
    return (
        f"{result.rows_in:,} rows in = {result.rows_stored:,} stored + "
        f"{result.rows_quarantined:,} quarantined + {result.rows_ignored:,} ignored"
    )


def as_json(result: ImportResult) -> dict[str, Any]:
    """The import's figures for ``summary.json``."""
    return {"profile": result.profile.name, **result.counts(), "ignored": result.ignored}

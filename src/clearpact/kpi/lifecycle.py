"""What happened to each ticket, read from its status, reply and assignment events — resolved when,
reopened or not, how many agent replies and assignees — and the KPIs built on it: first contact
resolution (gross and net), reopen rate, and the backlog with its age buckets. DuckDB SQL.

The rules (``docs/kpis.md`` has them with their sources):

- a ticket is **done** while its status is one of ``statuses.resolved`` or ``statuses.closed``
  (the names the ticketing tool uses, as for the clock); it is **resolved** at its first move
  from a working status into a done one (a ticket created done is resolved at creation), and
  **reopened** when it later moves from a done status back to a working one;
- a ticket counts in the period (in ``periods.zone``) of its first resolution; what happens to it
  later, up to ``as_of``, still counts (a reopening next month makes this month's ticket
  reopened), so the latest periods can still change as tickets are reopened;
- **first contact**: resolved with at most one public agent reply (``reply`` events of author
  ``agent``; automatic messages, internal notes and customer replies are not contacts), at most
  one distinct assignee (no reassignment), and never reopened;
- **could not be resolved at first contact**: the ticket was at some time in one of
  ``beyond_first_contact`` statuses (waiting on a vendor, a visit, a change window …). Net first
  contact resolution leaves those tickets out of both counts;
- events are read as the clock reads them: events after ``as_of`` are ignored, events before the
  ticket's creation count at its creation, exact duplicates count once, ties keep input order;
  events of unknown tickets are ignored.
Imports DuckDB (through :mod:`clearpact.kpi.sql`) and pyarrow; reads no files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

import pyarrow as pa

from clearpact.clock.tables import INSTANT, StatusMeanings
from clearpact.kpi.periods import PERIODS, Periods
from clearpact.kpi.sql import run

LIFECYCLES = pa.schema(
    [
        pa.field("ticket_id", pa.string(), nullable=False),
        pa.field("created_at", INSTANT, nullable=False),
        pa.field("resolved_at", INSTANT),  # first move into a done status; null if never
        pa.field("reopened", pa.bool_(), nullable=False),  # left a done status for a working one
        pa.field("agent_replies", pa.int64(), nullable=False),  # public replies by a person
        pa.field("assignees", pa.int64(), nullable=False),  # distinct assignees
        pa.field("beyond_first_contact", pa.bool_(), nullable=False),  # was in such a status
        pa.field("first_contact", pa.bool_(), nullable=False),  # resolved at first contact
    ]
)
"""One row per ticket created by ``as_of``: the facts first contact resolution and the reopen rate
are counted from, so that each count can be traced to its tickets."""

FIRST_CONTACT = pa.schema(
    [
        pa.field("period_start", pa.date32(), nullable=False),
        pa.field("resolved", pa.int64(), nullable=False),  # first resolved in the period
        pa.field("first_contact", pa.int64(), nullable=False),
        pa.field("eligible", pa.int64(), nullable=False),  # resolved, not beyond first contact
        pa.field("first_contact_eligible", pa.int64(), nullable=False),
        pa.field("gross", pa.float64()),  # percent: first_contact / resolved
        pa.field("net", pa.float64()),  # percent: first_contact_eligible / eligible
    ]
)

REOPENS = pa.schema(
    [
        pa.field("period_start", pa.date32(), nullable=False),
        pa.field("resolved", pa.int64(), nullable=False),  # first resolved in the period
        pa.field("reopened", pa.int64(), nullable=False),  # of those, reopened by as_of
        pa.field("rate", pa.float64()),  # percent
    ]
)

BACKLOG = pa.schema(
    [
        pa.field("period_start", pa.date32(), nullable=False),
        pa.field("counted_at", INSTANT, nullable=False),  # the period's end, or as_of
        pa.field("examined", pa.int64(), nullable=False),  # tickets created by then
        pa.field("open", pa.int64(), nullable=False),
        pa.field("under_10d", pa.int64(), nullable=False),  # age < 10 days
        pa.field("from_10_to_30d", pa.int64(), nullable=False),  # 10 days ≤ age ≤ 30 days
        pa.field("over_30d", pa.int64(), nullable=False),  # age > 30 days
        pa.field("oldest_days", pa.float64()),  # null when nothing is open
    ]
)

OPEN_TICKETS = pa.schema(
    [
        pa.field("ticket_id", pa.string(), nullable=False),
        pa.field("created_at", INSTANT, nullable=False),
        pa.field("status", pa.string()),  # the status at the instant (null: as created, unnamed)
        pa.field("age_days", pa.float64(), nullable=False),  # 24-hour days since creation
        pa.field("bucket", pa.string(), nullable=False),  # "<10d", "10-30d" or ">30d"
    ]
)

_DAY = 86400

_HISTORY = """
WITH t AS (
    SELECT ticket_id::VARCHAR AS ticket_id, created_at, status::VARCHAR AS status
    FROM tickets WHERE created_at <= $as_of
),
raw AS (
    SELECT ticket_id::VARCHAR AS ticket_id, "at", _row, kind::VARCHAR AS kind,
        value::VARCHAR AS value, {channel} AS channel
    FROM events WHERE "at" <= $as_of
),
e AS (  -- one row per distinct event, moved to the ticket's creation when it came earlier
    SELECT raw.ticket_id, greatest(raw."at", t.created_at) AS "at", min(raw._row) AS row,
        raw.kind, raw.value
    FROM raw JOIN t ON raw.ticket_id = t.ticket_id
    GROUP BY raw.ticket_id, raw."at", t.created_at, raw.kind, raw.value, raw.channel
),
status_rows AS (
    SELECT ticket_id, created_at AS "at", -1 AS row, status, created_at FROM t
    UNION ALL
    SELECT e.ticket_id, e."at", e.row, e.value, t.created_at
    FROM e JOIN t ON e.ticket_id = t.ticket_id
    WHERE e.kind = 'status' AND e.value IS NOT NULL
),
history AS (  -- each status a ticket had, from `at` until `next_at`
    SELECT ticket_id, "at", created_at, status,
        coalesce(list_contains($done, status), false) AS done,
        lag(coalesce(list_contains($done, status), false)) OVER w AS was_done,
        lead("at") OVER w AS next_at
    FROM status_rows
    WINDOW w AS (PARTITION BY ticket_id ORDER BY "at", row)
)
"""

_LIFECYCLES = (
    _HISTORY
    + """,
life AS (
    SELECT ticket_id, min(created_at) AS created_at,
        min("at") FILTER (WHERE done AND NOT coalesce(was_done, false)) AS resolved_at,
        coalesce(bool_or(NOT done AND coalesce(was_done, false)), false) AS reopened,
        coalesce(bool_or(coalesce(list_contains($beyond, status), false)), false) AS beyond
    FROM history GROUP BY ticket_id
),
contacts AS (
    SELECT ticket_id,
        count(*) FILTER (WHERE kind = 'reply' AND value = 'agent') AS agent_replies,
        count(DISTINCT value) FILTER (WHERE kind = 'assignment') AS assignees
    FROM e GROUP BY ticket_id
)
SELECT l.ticket_id, l.created_at, l.resolved_at, l.reopened,
    coalesce(c.agent_replies, 0) AS agent_replies,
    coalesce(c.assignees, 0) AS assignees,
    l.beyond AS beyond_first_contact,
    l.resolved_at IS NOT NULL AND NOT l.reopened
        AND coalesce(c.agent_replies, 0) <= 1 AND coalesce(c.assignees, 0) <= 1 AS first_contact
FROM life l LEFT JOIN contacts c ON c.ticket_id = l.ticket_id
ORDER BY l.created_at, l.ticket_id
"""
)


def _sql_inputs(
    tickets: pa.Table, events: pa.Table, as_of: dt.datetime, statuses: StatusMeanings | None
) -> tuple[dict[str, pa.Table], dict[str, object], str]:
    """The tables (events numbered in input order), parameters and channel column of a query."""
    meanings = statuses or StatusMeanings()
    numbered = events.append_column("_row", pa.array(range(events.num_rows), pa.int64()))
    channel = "channel::VARCHAR" if "channel" in events.column_names else "NULL::VARCHAR"
    done = sorted(meanings.resolved | meanings.closed)
    return {"tickets": tickets, "events": numbered}, {"as_of": as_of, "done": done}, channel


def ticket_lifecycles(
    tickets: pa.Table,
    events: pa.Table,
    *,
    as_of: dt.datetime,
    statuses: StatusMeanings | None = None,
    beyond_first_contact: Collection[str] = (),
) -> pa.Table:
    """A :data:`LIFECYCLES` row for each ticket of a ``TICKETS`` table created by ``as_of``
    (aware), from an ``EVENTS`` table. ``statuses`` says which status names are resolved and
    closed (the clock's default: Resolved, Solved; Closed); ``beyond_first_contact`` are the
    status names that show a ticket could not be resolved at first contact.

    >>> from clearpact.clock.tables import events_table, tickets_table
    >>> at = lambda h: dt.datetime(2026, 3, 2, h, tzinfo=dt.UTC)
    >>> tickets = tickets_table([{"ticket_id": "T1", "created_at": at(9)}])
    >>> events = events_table([
    ...     {"ticket_id": "T1", "at": at(10), "kind": "reply", "value": "agent"},
    ...     {"ticket_id": "T1", "at": at(11), "kind": "status", "value": "Resolved"},
    ...     {"ticket_id": "T1", "at": at(12), "kind": "status", "value": "In progress"}])
    >>> row = ticket_lifecycles(tickets, events, as_of=at(13)).to_pylist()[0]
    >>> row["resolved_at"].hour, row["reopened"], row["agent_replies"], row["first_contact"]
    (11, True, 1, False)
    """
    tables, params, channel = _sql_inputs(tickets, events, as_of, statuses)
    params["beyond"] = sorted(beyond_first_contact)
    return run(_LIFECYCLES.format(channel=channel), tables, params).cast(LIFECYCLES)


_FIRST_CONTACT = """
WITH counts AS (
    SELECT p.period_start,
        count(l.ticket_id) AS n_resolved,
        count(l.ticket_id) FILTER (WHERE l.first_contact) AS n_first_contact,
        count(l.ticket_id) FILTER (WHERE NOT l.beyond_first_contact) AS n_eligible,
        count(l.ticket_id) FILTER (WHERE l.first_contact AND NOT l.beyond_first_contact)
            AS n_first_contact_eligible
    FROM periods p
    LEFT JOIN lifecycles l ON l.resolved_at >= p.opens_at AND l.resolved_at < p.closes_at
    GROUP BY p.period_start
)
SELECT period_start, n_resolved AS resolved, n_first_contact AS first_contact,
    n_eligible AS eligible, n_first_contact_eligible AS first_contact_eligible,
    100.0 * n_first_contact / nullif(n_resolved, 0) AS gross,
    100.0 * n_first_contact_eligible / nullif(n_eligible, 0) AS net
FROM counts
ORDER BY period_start
"""


def first_contact_resolution(lifecycles: pa.Table, *, periods: Periods) -> pa.Table:
    """Gross and net first contact resolution (percent) per period, from
    :func:`ticket_lifecycles`: gross = first-contact tickets / tickets first resolved in the
    period; net = the same, both counts leaving out tickets that went beyond first contact.
    A percentage is null when its denominator is 0.

    >>> at = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
    >>> rows = [{"ticket_id": f"T{i}", "created_at": at, "resolved_at": at, "reopened": False,
    ...          "agent_replies": 1, "assignees": 1, "beyond_first_contact": i == 3,
    ...          "first_contact": i < 2} for i in range(4)]
    >>> periods = Periods("UTC", "month", at.date(), at.date(), as_of=at)
    >>> out = first_contact_resolution(pa.Table.from_pylist(rows, schema=LIFECYCLES),
    ...                                periods=periods).to_pylist()[0]
    >>> out["gross"], round(out["net"], 4)   # 2 of 4; 2 of the 3 that could be
    (50.0, 66.6667)
    """
    tables = {"lifecycles": lifecycles, "periods": periods.table()}
    return run(_FIRST_CONTACT, tables, {}).cast(FIRST_CONTACT)


_REOPENS = """
WITH counts AS (
    SELECT p.period_start,
        count(l.ticket_id) AS n_resolved,
        count(l.ticket_id) FILTER (WHERE l.reopened) AS n_reopened
    FROM periods p
    LEFT JOIN lifecycles l ON l.resolved_at >= p.opens_at AND l.resolved_at < p.closes_at
    GROUP BY p.period_start
)
SELECT period_start, n_resolved AS resolved, n_reopened AS reopened,
    100.0 * n_reopened / nullif(n_resolved, 0) AS rate
FROM counts
ORDER BY period_start
"""


def reopen_rate(lifecycles: pa.Table, *, periods: Periods) -> pa.Table:
    """Reopen rate (percent) per period, from :func:`ticket_lifecycles`: tickets first resolved
    in the period that were reopened by ``as_of`` / tickets first resolved in the period; null
    when none was resolved.

    >>> at = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
    >>> rows = [{"ticket_id": f"T{i}", "created_at": at, "resolved_at": at, "reopened": i == 0,
    ...          "agent_replies": 1, "assignees": 1, "beyond_first_contact": False,
    ...          "first_contact": i != 0} for i in range(4)]
    >>> periods = Periods("UTC", "month", at.date(), at.date(), as_of=at)
    >>> reopen_rate(pa.Table.from_pylist(rows, schema=LIFECYCLES), periods=periods)["rate"][0]
    <pyarrow.DoubleScalar: 25.0>
    """
    tables = {"lifecycles": lifecycles, "periods": periods.table()}
    return run(_REOPENS, tables, {}).cast(REOPENS)


_OPEN = """,
open_rows AS (  -- the status each ticket had when the period closed, when it was not done
    SELECT p.period_start, h.ticket_id, h.created_at, h.status,
        epoch(p.counted_at) - epoch(h.created_at) AS age_s
    FROM periods p JOIN history h
      ON h."at" < p.closes_at AND (h.next_at IS NULL OR h.next_at >= p.closes_at) AND NOT h.done
)
"""

_BACKLOG = (
    _HISTORY
    + _OPEN
    + """,
examined AS (
    SELECT p.period_start, count(t.ticket_id) AS examined
    FROM periods p LEFT JOIN t ON t.created_at < p.closes_at
    GROUP BY p.period_start
)
SELECT p.period_start, p.counted_at, x.examined,
    count(o.age_s) AS open,
    count(o.age_s) FILTER (WHERE o.age_s < 10 * $day) AS under_10d,
    count(o.age_s) FILTER (WHERE o.age_s >= 10 * $day AND o.age_s <= 30 * $day) AS from_10_to_30d,
    count(o.age_s) FILTER (WHERE o.age_s > 30 * $day) AS over_30d,
    max(o.age_s) / $day AS oldest_days
FROM periods p
JOIN examined x ON x.period_start = p.period_start
LEFT JOIN open_rows o ON o.period_start = p.period_start
GROUP BY ALL
ORDER BY p.period_start
"""
)


def backlog_age_buckets(
    tickets: pa.Table,
    events: pa.Table,
    *,
    periods: Periods,
    statuses: StatusMeanings | None = None,
) -> pa.Table:
    """The backlog at the end of each period (at ``as_of`` for the period in progress): tickets
    created before the period closed that were not in a done status after every event before it
    closed (and by ``as_of``), counted whole and by age since creation in 24-hour days —
    under 10 days, 10 to 30 days (both included), over 30 days. ``examined`` is every ticket
    created by then, the population the backlog was picked from.

    >>> from clearpact.clock.tables import events_table, tickets_table
    >>> day = lambda d: dt.datetime(2026, 3, d, tzinfo=dt.UTC)
    >>> tickets = tickets_table([{"ticket_id": "old", "created_at": day(1)},
    ...                          {"ticket_id": "done", "created_at": day(2)},
    ...                          {"ticket_id": "new", "created_at": day(25)}])
    >>> events = events_table([{"ticket_id": "done", "at": day(3), "kind": "status",
    ...                         "value": "Closed"}])
    >>> periods = Periods("UTC", "month", day(1).date(), day(1).date(), as_of=day(31))
    >>> row = backlog_age_buckets(tickets, events, periods=periods).to_pylist()[0]
    >>> row["open"], row["under_10d"], row["from_10_to_30d"], row["over_30d"], row["oldest_days"]
    (2, 1, 1, 0, 30.0)
    """
    tables, params, channel = _sql_inputs(tickets, events, periods.as_of, statuses)
    tables["periods"] = periods.table()
    params["day"] = _DAY
    return run(_BACKLOG.format(channel=channel), tables, params).cast(BACKLOG)


_OPEN_AT = (
    _HISTORY
    + _OPEN
    + """
SELECT ticket_id, created_at, status, age_s / $day AS age_days,
    CASE WHEN age_s < 10 * $day THEN '<10d' WHEN age_s <= 30 * $day THEN '10-30d' ELSE '>30d' END
        AS bucket
FROM open_rows
ORDER BY created_at, ticket_id
"""
)


def backlog(
    tickets: pa.Table,
    events: pa.Table,
    *,
    at: dt.datetime,
    statuses: StatusMeanings | None = None,
) -> pa.Table:
    """The tickets open at the instant ``at`` (aware): created at or before it and not in a done
    status after every event up to and including it, as :data:`OPEN_TICKETS` rows with their
    age in 24-hour days and age bucket, oldest first.

    >>> from clearpact.clock.tables import events_table, tickets_table
    >>> day = lambda d: dt.datetime(2026, 3, d, tzinfo=dt.UTC)
    >>> tickets = tickets_table([{"ticket_id": "T1", "created_at": day(1), "status": "New"}])
    >>> backlog(tickets, events_table([]), at=day(21)).to_pylist()[0]["bucket"]
    '10-30d'
    """
    tables, params, channel = _sql_inputs(tickets, events, at, statuses)
    closes = at.astimezone(dt.UTC) + dt.timedelta(microseconds=1)  # events at `at` count
    instant = {"period_start": at.date(), "opens_at": at, "closes_at": closes, "counted_at": at}
    tables["periods"] = pa.Table.from_pylist([instant], schema=PERIODS)
    params["day"] = _DAY
    return run(_OPEN_AT.format(channel=channel), tables, params).cast(OPEN_TICKETS)

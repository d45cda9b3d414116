"""Ticket volume per period, per covered user and per covered device, with its change from the
period before (the trend), in DuckDB SQL; and the covered population an agreement states.

A ticket counts in the period (in ``periods.zone``) in which it was created, when created by
``as_of``. Covered users and devices come from the agreement's ``services.<id>.coverage``; the
numbers are the largest any one service states, because services of one agreement usually cover
the same people and devices (a service desk for 60 users and security for the same 60 users are
60 users, not 120). Imports DuckDB (through :mod:`clearpact.kpi.sql`) and pyarrow; reads no files.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from clearpact.agreement.model import Agreement
from clearpact.kpi.periods import Periods
from clearpact.kpi.sql import run

VOLUME = pa.schema(
    [
        pa.field("period_start", pa.date32(), nullable=False),
        pa.field("tickets", pa.int64(), nullable=False),  # created in the period
        pa.field("per_user", pa.float64()),  # null when the covered users are unknown or 0
        pa.field("per_device", pa.float64()),  # null when the covered devices are unknown or 0
        pa.field("change", pa.int64()),  # tickets − the previous period's; null for the first
        pa.field("change_percent", pa.float64()),  # null for the first, or after a period of 0
    ]
)
"""One row per begun period, periods without tickets included (0 tickets is a value)."""


@dataclass(frozen=True)
class Covered:
    """The users and devices an agreement covers; None when no service states a number."""

    users: int | None
    devices: int | None


def covered_population(agreement: Agreement) -> Covered:
    """The covered users and devices: the largest number any service's ``coverage`` states.

    >>> a = Agreement.model_validate({"version": "clearpact/v1", "title": "t",
    ...     "parties": {"provider": {"name": "P"}, "customer": {"name": "C"}},
    ...     "services": {"desk": {"name": "Desk", "coverage": {"users": 60, "devices": 75}},
    ...                  "security": {"name": "Sec", "coverage": {"users": 60, "devices": 77}},
    ...                  "servers": {"name": "Servers", "coverage": {"devices": 2}}}})
    >>> covered_population(a)
    Covered(users=60, devices=77)
    """
    users = [s.coverage.users for s in agreement.services.values() if s.coverage is not None]
    devices = [s.coverage.devices for s in agreement.services.values() if s.coverage is not None]
    known_users = [n for n in users if n is not None]
    known_devices = [n for n in devices if n is not None]
    return Covered(
        users=max(known_users) if known_users else None,
        devices=max(known_devices) if known_devices else None,
    )


_SQL = """
WITH counts AS (
    SELECT p.period_start, count(t.created_at) AS n
    FROM periods p
    LEFT JOIN (SELECT created_at FROM tickets WHERE created_at <= $as_of) t
      ON t.created_at >= p.opens_at AND t.created_at < p.closes_at
    GROUP BY p.period_start
)
SELECT period_start, n AS tickets,
    n / nullif($users, 0) AS per_user,
    n / nullif($devices, 0) AS per_device,
    n - lag(n) OVER (ORDER BY period_start) AS change,
    100.0 * (n - lag(n) OVER (ORDER BY period_start))
        / nullif(lag(n) OVER (ORDER BY period_start), 0) AS change_percent
FROM counts
ORDER BY period_start
"""


def volume_per_user_device(
    tickets: pa.Table, *, periods: Periods, users: int | None, devices: int | None
) -> pa.Table:
    """Tickets created in each period of ``periods``, per covered user and per covered device
    (``users``/``devices``, e.g. from :func:`covered_population`), and the change from the
    period before: ``change`` in tickets and ``change_percent`` of the previous period's count.

    >>> import datetime as dt
    >>> from clearpact.clock.tables import tickets_table
    >>> day = lambda m, d: dt.datetime(2026, m, d, tzinfo=dt.UTC)
    >>> tickets = tickets_table([{"ticket_id": f"T{i}", "created_at": day(m, 3)}
    ...                          for i, m in enumerate([1, 1, 1, 1, 2, 2, 2, 2, 2])])
    >>> periods = Periods("UTC", "month", dt.date(2026, 1, 1), dt.date(2026, 2, 1),
    ...                   as_of=day(3, 1))
    >>> [(r["tickets"], r["per_user"], r["change_percent"]) for r in volume_per_user_device(
    ...     tickets, periods=periods, users=20, devices=None).to_pylist()]
    [(4, 0.2, None), (5, 0.25, 25.0)]
    """
    params = {
        "as_of": periods.as_of,
        "users": None if users is None else float(users),
        "devices": None if devices is None else float(devices),
    }
    return run(_SQL, {"tickets": tickets, "periods": periods.table()}, params).cast(VOLUME)

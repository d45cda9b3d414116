"""Attainment per SLA, priority and month, worked out by hand from a handful of result rows."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

from clearpact.clock.tables import RESULTS
from clearpact.kpi.attainment import attainment

UTC = dt.UTC


def result(
    state: str, *, stop: dt.datetime | None = None, breach: dt.datetime | None = None
) -> dict[str, object]:
    return {
        "ticket_id": f"T{state}{stop}{breach}",
        "sla": "resolution",
        "metric": "resolution",
        "cycle": 0,
        "priority": "P2",
        "state": state,
        "at_risk": False,
        "stop_at": stop,
        "breached_at": breach,
    }


def test_clocks_count_in_the_month_they_stopped_or_breached() -> None:
    # January: one met (10 Jan), one breached (20 Jan) → 1 / 2 = 50%.
    # February: one met (5 Feb), one still open but already breached on 10 Feb → 1 / 2 = 50%.
    # One open clock within its target is not judged (no month); a no-target row is ignored.
    rows = [
        result("met", stop=dt.datetime(2026, 1, 10, 12, tzinfo=UTC)),
        result(
            "breached",
            stop=dt.datetime(2026, 1, 20, 12, tzinfo=UTC),
            breach=dt.datetime(2026, 1, 19, tzinfo=UTC),
        ),
        result("met", stop=dt.datetime(2026, 2, 5, 12, tzinfo=UTC)),
        result("open_breached", breach=dt.datetime(2026, 2, 10, 12, tzinfo=UTC)),
        result("open"),
        result("no_target", stop=dt.datetime(2026, 2, 6, tzinfo=UTC)),
    ]
    table = attainment(pa.Table.from_pylist(rows, schema=RESULTS), zone="Europe/Berlin")
    assert [
        (r["period_start"], r["met"], r["breached"], r["open"], r["attainment"])
        for r in table.to_pylist()
    ] == [
        (dt.date(2026, 1, 1), 1, 1, 0, 0.5),
        (dt.date(2026, 2, 1), 1, 1, 0, 0.5),
        (None, 0, 0, 1, None),
    ]


def test_a_quarter_gathers_its_months() -> None:
    rows = [
        result("met", stop=dt.datetime(2026, 1, 10, tzinfo=UTC)),
        result("met", stop=dt.datetime(2026, 3, 10, tzinfo=UTC)),
        result("breached", stop=dt.datetime(2026, 3, 31, 23, 30, tzinfo=UTC)),  # 1 Apr in Berlin
    ]
    table = attainment(
        pa.Table.from_pylist(rows, schema=RESULTS), zone="Europe/Berlin", period="quarter"
    )
    assert [(r["period_start"], r["met"], r["breached"]) for r in table.to_pylist()] == [
        (dt.date(2026, 1, 1), 2, 0),
        (dt.date(2026, 4, 1), 0, 1),
    ]

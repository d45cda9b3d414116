"""Every KPI of the library against values worked out by hand on a small fixture.

The fixture: an agreement in Europe/Berlin (office hours Mon–Fri 09:00–17:00, no holidays), a
first-response SLA, a resolution SLA that pauses in "Waiting on customer" and "Waiting on
vendor" (targets P2 8h, P3 16h, attainment minimum 3 clocks), an availability SLA, and one KPI
per formula. Thirteen tickets, February to April 2026; ``as_of`` is 10 April 12:00 UTC, so April
is in progress and May has not begun. Times below are Berlin local time unless marked UTC;
Berlin is UTC+1 until 29 March 02:00, UTC+2 after. Clock durations are business seconds on the
office calendar (8 business hours a day).

| ticket | prio | created | first agent reply → FR | resolved → resolution (business) |
|---|---|---|---|---|
| T9  | P3 | Mon 2 Feb 10:00 | 10:30 → 1800 | never (open; breached Wed 4 Feb 10:00) |
| T1  | P2 | Mon 2 Mar 09:00 | 09:30 → 1800 | 10:00 → 3600 |
| T2  | P2 | Mon 2 Mar 16:00 | Tue 09:30 → 1h + 30m = 5400 | Tue 12:00 → 1h + 3h = 14400; reassigned A → B |
| T3  | P2 | Tue 3 Mar 10:00 | 10:15 → 900 | Wed 11:00 → 20m + 1h = 4800 (waited on customer Tue 10:20 → Wed 10:00); 2 agent replies |
| T4  | P2 | Wed 4 Mar 09:00 | 10:00 → 3600 (auto-reply 09:01 is no response) | 13:00, reopened Thu 09:00, resolved Thu 10:00 → 4h + 1h = 18000 |
| T5  | P3 | Thu 5 Mar 09:00 | 09:10 → 600 (internal note 09:05 is none) | Closed 09:40 → 2400 |
| T6  | P3 | Fri 6 Mar 14:00 | 14:30 → 1800 | Mon 9 10:00 → 1h + 1h = 7200 (waited on vendor Fri 15:00 → Mon 09:00) |
| T7  | P2 | Mon 9 Mar 09:00 | 12:00 → 10800 | Tue 10:00 → 8h + 1h = 32400 > 8h: breached |
| T8  | P3 | Mon 16 Mar 10:00 | 10:55 → 3300 | 11:00 → 3600 |
| T10 | P2 | Fri 20 Mar 09:00 | 09:45 → 2700 | Thu 2 Apr 10:00 → 8+40+16+8+1 = 73h = 262800: breached; 2 agent replies |
| T11 | P3 | Wed 25 Mar 09:00 | 09:05 → 300 | Wed 1 Apr 09:00 → 8+16+16 = 40h = 144000: breached |
| T12 | P2 | Mon 30 Mar 13:00 | 13:30 → 1800 | never (open; breached Tue 31 Mar 13:00) |
| T13 | P3 | Tue 7 Apr 09:00 | 09:20 → 1200 | 10:00 → 3600 |
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import pytest

from clearpact.agreement.model import Agreement
from clearpact.clock import compute, events_table, tickets_table
from clearpact.clock.tables import RESULTS
from clearpact.ingest.schema import CHECKS, OUTAGES, SURVEYS
from clearpact.kpi.library import (
    KpiValue,
    Periods,
    backlog,
    business_durations,
    compute_kpis,
    covered_population,
    ticket_lifecycles,
    volume_per_user_device,
)

BERLIN = ZoneInfo("Europe/Berlin")
UTC = dt.UTC
AS_OF = dt.datetime(2026, 4, 10, 12, tzinfo=UTC)
FEB, MAR, APR, MAY = (dt.date(2026, m, 1) for m in (2, 3, 4, 5))
HOUR = 3600.0


def local(month: int, day: int, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, second, tzinfo=BERLIN)


def kpi(formula: str, target: object, direction: str | None, **extra: object) -> dict[str, Any]:
    spec: dict[str, Any] = {"name": formula.replace("_", " "), "formula": formula}
    if target is not None:
        spec["target"] = target
    if direction is not None:
        spec["direction"] = direction
    return spec | extra


def agreement_data() -> dict[str, Any]:
    office = {day: ["09:00-17:00"] for day in ("mon", "tue", "wed", "thu", "fri")}
    return {
        "version": "clearpact/v1",
        "title": "KPI fixture",
        "parties": {"provider": {"name": "Provider"}, "customer": {"name": "Customer"}},
        "services": {"desk": {"name": "Service desk", "coverage": {"users": 40}}},
        "calendars": {"office": {"timezone": "Europe/Berlin", "hours": office}},
        "slas": {
            "response": {
                "metric": "first_response",
                "start": "created",
                "stop": "first_response",
                "response": {
                    "author": "human_agent",
                    "excludes": ["automatic_acknowledgement", "internal_note"],
                },
                "calendar": "office",
                "targets": {"P2": "1h", "P3": "4h"},
            },
            "resolution": {
                "metric": "resolution",
                "start": "created",
                "stop": "resolved",
                "pause_statuses": ["Waiting on customer", "Waiting on vendor"],
                "calendar": "office",
                "targets": {"P2": "8h", "P3": "16h"},
                "attainment": {"target": "90%", "period": "month", "minimum_tickets": 3},
                "reopen": {"policy": "resume"},
            },
            "uptime": {
                "metric": "availability",
                "services": ["desk"],
                "target": "99.5%",
                "period": "month",
            },
        },
        "kpis": {
            "attainment": kpi("sla_attainment", "90%", "higher_is_better", sla="resolution"),
            "frt": kpi("first_response_time_mean", "1h", "lower_is_better", period="month"),
            "frt-p90": kpi("first_response_time_p90", "2h", "lower_is_better"),
            "mttr": kpi("mttr_mean", "4h", "lower_is_better"),
            "mttr-p90": kpi("mttr_p90", "8h", "lower_is_better"),
            "response-as-mttr": kpi("mttr_mean", "1h", "lower_is_better", sla="response"),
            "fcr": kpi("first_contact_resolution_gross", "60%", "higher_is_better"),
            "fcr-net": kpi("first_contact_resolution_net", "70%", None),
            "reopens": kpi("reopen_rate", "10%", "lower_is_better"),
            "backlog": kpi("backlog_count", 5, "lower_is_better"),
            "aged": kpi("backlog_over_30d", 0, "lower_is_better"),
            "per-user": kpi("tickets_per_user", 0.25, "lower_is_better"),
            "per-device": kpi("tickets_per_device", 0.2, "lower_is_better"),
            "csat": kpi("csat_mean", 4.5, "higher_is_better"),
            "csat-quarter": kpi("csat_mean", 4.5, "higher_is_better", period="quarter"),
            "satisfied": kpi("csat_satisfied_share", "80%", "higher_is_better"),
            "uptime": kpi("availability", "99.5%", "higher_is_better", sla="uptime"),
            "patches": kpi("patch_compliance", "95%", "higher_is_better"),
            "backups": kpi("backup_success_rate", "100%", "higher_is_better"),
            "mismatch": kpi("reopen_rate", "8h", "lower_is_better"),
        },
    }


def status(ticket: str, at: dt.datetime, value: str) -> dict[str, object]:
    return {"ticket_id": ticket, "at": at, "kind": "status", "value": value}


def reply(ticket: str, at: dt.datetime, author: str = "agent") -> dict[str, object]:
    return {"ticket_id": ticket, "at": at, "kind": "reply", "value": author}


def assign(ticket: str, at: dt.datetime, who: str) -> dict[str, object]:
    return {"ticket_id": ticket, "at": at, "kind": "assignment", "value": who}


CREATED = {
    "T9": ("P3", local(2, 2, 10)),
    "T1": ("P2", local(3, 2, 9)),
    "T2": ("P2", local(3, 2, 16)),
    "T3": ("P2", local(3, 3, 10)),
    "T4": ("P2", local(3, 4, 9)),
    "T5": ("P3", local(3, 5, 9)),
    "T6": ("P3", local(3, 6, 14)),
    "T7": ("P2", local(3, 9, 9)),
    "T8": ("P3", local(3, 16, 10)),
    "T10": ("P2", local(3, 20, 9)),
    "T11": ("P3", local(3, 25, 9)),
    "T12": ("P2", local(3, 30, 13)),
    "T13": ("P3", local(4, 7, 9)),
}

EVENTS = [
    reply("T9", local(2, 2, 10, 30)),
    status("T9", local(2, 2, 10, 31), "In progress"),
    assign("T1", local(3, 2, 9, 5), "ana"),
    reply("T1", local(3, 2, 9, 30)),
    status("T1", local(3, 2, 10), "Resolved"),
    assign("T2", local(3, 2, 16, 5), "ana"),
    assign("T2", local(3, 3, 9), "ben"),  # reassigned: not first contact
    reply("T2", local(3, 3, 9, 30)),
    status("T2", local(3, 3, 12), "Resolved"),
    reply("T3", local(3, 3, 10, 15)),
    status("T3", local(3, 3, 10, 20), "Waiting on customer"),
    reply("T3", local(3, 3, 16), "customer"),
    status("T3", local(3, 4, 10), "In progress"),
    reply("T3", local(3, 4, 11)),  # a second agent reply
    status("T3", local(3, 4, 11), "Resolved"),
    reply("T4", local(3, 4, 9, 1), "automation"),
    reply("T4", local(3, 4, 10)),
    status("T4", local(3, 4, 13), "Resolved"),
    status("T4", local(3, 5, 9), "In progress"),  # reopened
    status("T4", local(3, 5, 10), "Resolved"),
    assign("T5", local(3, 5, 9, 1), "ana"),
    reply("T5", local(3, 5, 9, 5), "internal"),
    reply("T5", local(3, 5, 9, 10)),
    assign("T5", local(3, 5, 9, 20), "ana"),  # the same assignee again is no reassignment
    status("T5", local(3, 5, 9, 40), "Closed"),
    reply("T6", local(3, 6, 14, 30)),
    status("T6", local(3, 6, 15), "Waiting on vendor"),
    status("T6", local(3, 9, 9), "In progress"),
    status("T6", local(3, 9, 10), "Resolved"),
    reply("T7", local(3, 9, 12)),
    status("T7", local(3, 10, 10), "Resolved"),
    assign("T8", local(3, 16, 9, 55), "ana"),  # before creation: counts at creation
    reply("T8", local(3, 16, 10, 55)),
    reply("T8", local(3, 16, 10, 55)),  # an exact duplicate counts once
    status("T8", local(3, 16, 11), "Resolved"),
    reply("T10", local(3, 20, 9, 45)),
    reply("T10", local(4, 2, 10)),
    status("T10", local(4, 2, 10), "Resolved"),
    reply("T11", local(3, 25, 9, 5)),
    status("T11", local(4, 1, 9), "Resolved"),
    reply("T12", local(3, 30, 13, 30)),
    status("T12", local(3, 30, 13, 31), "In progress"),
    reply("T13", local(4, 7, 9, 20)),
    status("T13", local(4, 7, 10), "Resolved"),
    reply("T13", local(4, 20, 9)),  # after as_of: ignored everywhere
]


@pytest.fixture(scope="module")
def agreement() -> Agreement:
    return Agreement.model_validate(agreement_data())


@pytest.fixture(scope="module")
def tickets() -> pa.Table:
    return tickets_table(
        [
            {"ticket_id": key, "created_at": created, "priority": priority, "status": "New"}
            for key, (priority, created) in CREATED.items()
        ]
    )


@pytest.fixture(scope="module")
def events() -> pa.Table:
    return events_table(EVENTS)


@pytest.fixture(scope="module")
def results(agreement: Agreement, tickets: pa.Table, events: pa.Table) -> pa.Table:
    return compute(agreement, tickets, events, as_of=AS_OF).results


@pytest.fixture(scope="module")
def surveys() -> pa.Table:
    # March: 5, 5, 4, 3, 2 on the scale and a 7 that is not; April: a 5 (and a 1 after as_of);
    # February: none.
    ratings = [(3, 2, 5), (3, 3, 5), (3, 9, 4), (3, 17, 3), (3, 31, 2), (3, 20, 7), (4, 8, 5)]
    ratings.append((4, 20, 1))
    rows = [
        {"survey_id": f"S{i}", "at": local(month, day, 12), "rating": rating}
        for i, (month, day, rating) in enumerate(ratings)
    ]
    return pa.Table.from_pylist(rows, schema=SURVEYS)


@pytest.fixture(scope="module")
def outages() -> pa.Table:
    # 7.43 h of downtime = 7 h 25 m 48 s, on 10 March.
    down = {
        "service": "desk",
        "start_at": dt.datetime(2026, 3, 10, 10, tzinfo=UTC),
        "end_at": dt.datetime(2026, 3, 10, 17, 25, 48, tzinfo=UTC),
        "planned": False,
    }
    return pa.Table.from_pylist([down], schema=OUTAGES)


@pytest.fixture(scope="module")
def checks() -> pa.Table:
    # Monitoring looked from 1 March 00:00 Berlin to as_of.
    rows = [
        {"service": "desk", "at": local(3, 1, 0), "up": True, "maintenance": False},
        {"service": "desk", "at": AS_OF, "up": True, "maintenance": False},
    ]
    return pa.Table.from_pylist(rows, schema=CHECKS)


@pytest.fixture(scope="module")
def values(
    agreement: Agreement,
    results: pa.Table,
    tickets: pa.Table,
    events: pa.Table,
    surveys: pa.Table,
    outages: pa.Table,
    checks: pa.Table,
) -> dict[tuple[str, dt.date], KpiValue]:
    computed = compute_kpis(
        agreement,
        results=results,
        tickets=tickets,
        events=events,
        surveys=surveys,
        outages=outages,
        checks=checks,
        first=dt.date(2026, 2, 14),
        last=dt.date(2026, 5, 3),
        as_of=AS_OF,
    )
    return {(v.kpi, v.period_start): v for v in computed}


def test_the_fixture_clocks_measure_the_hand_worked_business_seconds(results: pa.Table) -> None:
    rows = {(r["sla"], r["ticket_id"]): r for r in results.to_pylist()}
    first_response = {
        "T9": 1800, "T1": 1800, "T2": 5400, "T3": 900, "T4": 3600, "T5": 600, "T6": 1800,
        "T7": 10800, "T8": 3300, "T10": 2700, "T11": 300, "T12": 1800, "T13": 1200,
    }  # fmt: skip
    resolution = {
        "T1": 3600, "T2": 14400, "T3": 4800, "T4": 18000, "T5": 2400, "T6": 7200,
        "T7": 32400, "T8": 3600, "T10": 262800, "T11": 144000, "T13": 3600,
    }  # fmt: skip
    for ticket, seconds in first_response.items():
        assert rows[("response", ticket)]["elapsed_business_s"] == seconds, ticket
    for ticket, seconds in resolution.items():
        assert rows[("resolution", ticket)]["elapsed_business_s"] == seconds, ticket
    assert [rows[("resolution", t)]["state"] for t in ("T7", "T9", "T10", "T11", "T12")] == [
        "breached",
        "open_breached",
        "breached",
        "breached",
        "open_breached",
    ]
    assert rows[("resolution", "T12")]["breached_at"] == local(3, 31, 13)  # 4h Mon + 4h Tue


def test_first_response_time_counts_each_clock_in_the_month_it_stopped(
    values: dict[tuple[str, dt.date], KpiValue],
) -> None:
    # February: T9 alone, 1800 s. March: 11 clocks (T1–T8, T10–T12), sum
    # 1800+5400+900+3600+600+1800+10800+3300+2700+300+1800 = 33000 → mean 3000 s ≤ 1h: met.
    # Sorted: 300 600 900 1800 1800 1800 2700 3300 3600 5400 10800; p90 at rank (11−1)·0.9 = 9
    # → 5400 s ≤ 2h: met. April: T13 alone, 1200 s.
    assert [values[("frt", m)].value for m in (FEB, MAR, APR)] == [1800, 3000, 1200]
    assert [values[("frt", m)].basis for m in (FEB, MAR, APR)] == [1, 11, 1]
    assert values[("frt", MAR)].met is True
    assert values[("frt", MAR)].target == HOUR
    assert values[("frt-p90", MAR)].value == 5400
    assert values[("frt-p90", MAR)].met is True
    assert values[("frt", MAR)].unit == "duration"


def test_mttr_uses_the_resolution_clock_with_paused_time_left_out(
    values: dict[tuple[str, dt.date], KpiValue],
) -> None:
    # March: the 8 clocks that stopped (T1–T8; T4's stops at its second resolution, 5 March):
    # 3600+14400+4800+18000+2400+7200+32400+3600 = 86400 → mean 10800 s = 3h ≤ 4h: met.
    # Sorted: 2400 3600 3600 4800 7200 14400 18000 32400; p90 at rank 7·0.9 = 6.3
    # → 18000 + 0.3·(32400 − 18000) = 22320 s ≤ 8h (28800): met.
    # April: T10, T11, T13: (262800 + 144000 + 3600) / 3 = 136800 s = 38h > 4h: not met.
    # February: no resolution clock stopped.
    assert values[("mttr", MAR)].value == 10800
    assert values[("mttr", MAR)].basis == 8
    assert values[("mttr", MAR)].met is True
    assert values[("mttr-p90", MAR)].value == pytest.approx(22320)
    assert values[("mttr", APR)].value == 136800
    assert values[("mttr", APR)].met is False
    feb = values[("mttr", FEB)]
    assert (feb.value, feb.basis, feb.met) == (None, 0, None)
    assert feb.note == "no clocks of SLA 'resolution' stopped in the period"


def test_a_duration_kpi_naming_an_sla_uses_that_slas_clocks(
    values: dict[tuple[str, dt.date], KpiValue],
) -> None:
    # `sla: response` on an mttr_mean KPI: the first-response clocks, March mean 3000 s.
    assert values[("response-as-mttr", MAR)].value == 3000


def test_percentiles_interpolate_linearly_between_the_nearest_ranks() -> None:
    # 1h 2h 3h 10h: p50 at rank 3·0.5 = 1.5 → 2h + 0.5·1h = 2.5h;
    # p90 at rank 3·0.9 = 2.7 → 3h + 0.7·7h = 7.9h — numpy's default (linear) method.
    # One clock is its own p50 and p90. Each month stands alone.
    def row(ticket: str, stop: dt.datetime, hours: float) -> dict[str, object]:
        return {
            "ticket_id": ticket, "sla": "fix", "metric": "resolution", "cycle": 0,
            "state": "met", "at_risk": False, "stop_at": stop, "elapsed_business_s": hours * HOUR,
        }  # fmt: skip

    rows = [row(f"T{h}", local(3, 5, 12), h) for h in (3, 1, 10, 2)]
    rows.append(row("T5", local(4, 1, 0, 0, 1), 5))  # 1 April 00:00:01 Berlin: April
    rows.append(row("T6", local(4, 2, 12), 7))
    rows[0]["sla"] = "other"  # not this SLA's clock
    rows.append(row("T3", local(3, 5, 12), 3))
    table = pa.Table.from_pylist(rows, schema=RESULTS)
    periods = Periods("Europe/Berlin", "month", MAR, APR, as_of=AS_OF)
    out = business_durations(table, sla="fix", periods=periods).to_pylist()
    march, april = out
    assert march["clocks"] == 4
    assert march["p50_s"] == pytest.approx(2.5 * HOUR)
    assert march["p90_s"] == pytest.approx(7.9 * HOUR)
    assert march["p90_s"] == pytest.approx(np.percentile([1, 2, 3, 10], 90) * HOUR)
    # April: 5h and 7h → p50 6h, p90 5 + 0.9·2 = 6.8h.
    assert (april["p50_s"], april["p90_s"]) == pytest.approx((6 * HOUR, 6.8 * HOUR))
    single = business_durations(table.slice(4, 1), sla="fix", periods=periods).to_pylist()
    assert [(r["clocks"], r["p50_s"], r["p90_s"]) for r in single] == [
        (0, None, None),
        (1, 5 * HOUR, 5 * HOUR),
    ]


def test_sla_attainment_pools_priorities_and_counts_an_open_breach_in_the_month_it_breached(
    values: dict[tuple[str, dt.date], KpiValue],
) -> None:
    # February: T9 breached on 4 Feb while still open → 0 / 1 = 0%, but 1 clock is fewer than
    # the SLA's minimum of 3: reported, not judged.
    # March: met T1 T2 T3 T4 T5 T6 T8 = 7; breached T7 and T12 (open, breached 31 March)
    # → 7 / 9 = 77.8% < 90%: not met. April: met T13; breached T10, T11 → 1 / 3 = 33.3%.
    feb, mar, apr = (values[("attainment", m)] for m in (FEB, MAR, APR))
    assert (feb.value, feb.basis, feb.met) == (0.0, 1, None)
    assert feb.note == "1 clock, fewer than the SLA's minimum of 3: reported, not judged"
    assert (mar.value, mar.basis, mar.met) == (pytest.approx(700 / 9), 9, False)
    assert (apr.value, apr.basis, apr.met) == (pytest.approx(100 / 3), 3, False)
    assert mar.target == 90.0
    assert mar.unit == "percent"


def test_first_contact_resolution_gross_and_net(
    values: dict[tuple[str, dt.date], KpiValue],
) -> None:
    # March, first resolved: T1 T2 T3 T4 T5 T6 T7 T8 = 8.
    # At first contact (≤ 1 agent reply, ≤ 1 assignee, never reopened): T1, T5 (the internal
    # note and the repeated assignee do not count), T6, T7, T8 (the duplicate reply counts
    # once) = 5; not: T2 (reassigned), T3 (2 replies), T4 (reopened) → gross 5 / 8 = 62.5% ≥ 60%.
    # Net leaves out the tickets that waited on someone (the pause statuses): T3 and T6
    # → 4 (T1 T5 T7 T8) / 6 (T1 T2 T4 T5 T7 T8) = 66.7%; no direction stated: not judged.
    # April: T11, T13 of T10 T11 T13 (T10 had 2 replies) → 2 / 3.
    mar, apr = values[("fcr", MAR)], values[("fcr", APR)]
    assert (mar.value, mar.basis, mar.met) == (62.5, 8, True)
    assert (apr.value, apr.basis) == (pytest.approx(200 / 3), 3)
    net = values[("fcr-net", MAR)]
    assert (net.value, net.basis, net.met) == (pytest.approx(200 / 3), 6, None)
    assert net.note == "no direction stated: not judged"
    feb = values[("fcr", FEB)]
    assert (feb.value, feb.basis, feb.note) == (None, 0, "no tickets resolved in the period")


def test_reopen_rate_counts_a_ticket_in_the_month_of_its_first_resolution(
    values: dict[tuple[str, dt.date], KpiValue],
) -> None:
    # March: T4 of the 8 first resolved went back to "In progress" → 1 / 8 = 12.5% > 10%.
    # April: none of 3. February: none resolved.
    assert (values[("reopens", MAR)].value, values[("reopens", MAR)].met) == (12.5, False)
    assert (values[("reopens", APR)].value, values[("reopens", APR)].met) == (0.0, True)
    assert values[("reopens", FEB)].value is None


def test_backlog_and_its_age_buckets_are_counted_at_each_month_end_in_the_agreement_zone(
    agreement: Agreement, tickets: pa.Table, events: pa.Table
) -> None:
    from clearpact.kpi.library import backlog_age_buckets

    periods = Periods(agreement.home_zone, "month", FEB, APR, as_of=AS_OF)
    rows = backlog_age_buckets(tickets, events, periods=periods).to_pylist()
    # End of February = 1 March 00:00 Berlin = 28 Feb 23:00 UTC: T9 open, created 2 Feb 09:00
    # UTC → 26 d 14 h old → 10–30 days.
    # End of March = 1 April 00:00 Berlin (summer time) = 31 March 22:00 UTC, 12 tickets created:
    # open T9 (57 d 13 h: > 30), T10 (20 Mar 08:00 UTC: 11 d 14 h: 10–30), T11 (25 Mar 08:00
    # UTC: 6 d 14 h: < 10), T12 (30 Mar 11:00 UTC: 1 d 11 h: < 10). T4's reopening was over.
    # April is in progress, counted at as_of (10 April 12:00 UTC), 13 tickets: open T9 (67 d
    # 3 h: > 30), T12 (11 d 1 h: 10–30).
    assert [
        (r["examined"], r["open"], r["under_10d"], r["from_10_to_30d"], r["over_30d"]) for r in rows
    ] == [(1, 1, 0, 1, 0), (12, 4, 2, 1, 1), (13, 2, 0, 1, 1)]
    assert rows[0]["oldest_days"] == pytest.approx(26 + 14 / 24)
    assert rows[1]["counted_at"] == dt.datetime(2026, 3, 31, 22, tzinfo=UTC)
    assert rows[2]["counted_at"] == AS_OF


def test_backlog_kpis_judge_the_month_end_counts(
    values: dict[tuple[str, dt.date], KpiValue],
) -> None:
    # backlog_count ≤ 5: 1, 4, 2 all met. backlog_over_30d ≤ 0: March's T9 misses it.
    assert [values[("backlog", m)].value for m in (FEB, MAR, APR)] == [1, 4, 2]
    assert [values[("backlog", m)].basis for m in (FEB, MAR, APR)] == [1, 12, 13]
    assert [values[("aged", m)].met for m in (FEB, MAR, APR)] == [True, False, False]


def test_backlog_lists_the_open_tickets_at_an_instant(tickets: pa.Table, events: pa.Table) -> None:
    # On 31 March 13:30 Berlin (11:30 UTC): T9 (2 Feb 09:00 UTC → 57 d 2 h 30 m), T10 (11 d
    # 3 h 30 m), T11 (6 d 3 h 30 m) and T12 (created 30 March 13:00, in progress: 1 d 30 m).
    rows = backlog(tickets, events, at=local(3, 31, 13, 30)).to_pylist()
    assert [(r["ticket_id"], r["bucket"]) for r in rows] == [
        ("T9", ">30d"),
        ("T10", "10-30d"),
        ("T11", "<10d"),
        ("T12", "<10d"),
    ]
    assert rows[0]["age_days"] == pytest.approx(57 + 2.5 / 24)
    assert rows[-1]["status"] == "In progress"
    # At 1 April 09:00 Berlin exactly T11 was resolved: an event at the instant counts.
    assert "T11" not in backlog(tickets, events, at=local(4, 1, 9)).column("ticket_id").to_pylist()


def test_ticket_volume_per_user_and_its_trend(
    agreement: Agreement, tickets: pa.Table, values: dict[tuple[str, dt.date], KpiValue]
) -> None:
    # Created: February 1 (T9), March 11 (T1–T8, T10–T12), April 1 (T13); 40 covered users.
    # Per user: 1/40 = 0.025, 11/40 = 0.275 (> 0.25: not met), 1/40 = 0.025.
    assert [values[("per-user", m)].value for m in (FEB, MAR, APR)] == [0.025, 0.275, 0.025]
    assert values[("per-user", MAR)].met is False
    assert values[("per-user", MAR)].basis == 11
    covered = covered_population(agreement)
    periods = Periods(agreement.home_zone, "month", FEB, APR, as_of=AS_OF)
    rows = volume_per_user_device(
        tickets, periods=periods, users=covered.users, devices=covered.devices
    ).to_pylist()
    # Trend: +10 tickets (+1000%) into March, then −10 (−10/11 = −90.9%) into April.
    assert [(r["change"], r["change_percent"]) for r in rows] == [
        (None, None),
        (10, 1000.0),
        (-10, pytest.approx(-1000 / 11)),
    ]
    assert [r["per_device"] for r in rows] == [None, None, None]


def test_tickets_per_device_without_a_device_count_has_no_value(
    values: dict[tuple[str, dt.date], KpiValue],
) -> None:
    value = values[("per-device", MAR)]
    assert (value.value, value.met, value.basis) == (None, None, 0)
    assert value.note == (
        "not yet supported: no covered-device count in the agreement "
        "(services.<id>.coverage.devices)"
    )


def test_csat_mean_and_satisfied_share_leave_out_ratings_off_the_scale(
    values: dict[tuple[str, dt.date], KpiValue],
) -> None:
    # March: 5 5 4 3 2 (the 7 is off the 1–5 scale) → mean 19 / 5 = 3.8 < 4.5; 4s and 5s:
    # 3 of 5 = 60% < 80%. April: one 5 → 5.0, 100%. February: no answers.
    mar = values[("csat", MAR)]
    assert (mar.value, mar.basis, mar.met) == (3.8, 5, False)
    assert mar.note == "1 rating outside 1–5 left out"
    assert (values[("satisfied", MAR)].value, values[("satisfied", MAR)].met) == (60.0, False)
    assert (values[("csat", APR)].value, values[("satisfied", APR)].value) == (5.0, 100.0)
    assert values[("csat", FEB)].note == "no survey answers in the period"


def test_a_kpi_with_its_own_period_is_computed_over_it(
    values: dict[tuple[str, dt.date], KpiValue],
) -> None:
    # csat-quarter: Q1 (1 January) holds March's 5 answers → 3.8; Q2 (1 April) April's → 5.0.
    # The call's first and last (14 Feb, 3 May) fall in Q1 and Q2: two periods, no months.
    assert [k for k in values if k[0] == "csat-quarter"] == [
        ("csat-quarter", dt.date(2026, 1, 1)),
        ("csat-quarter", APR),
    ]
    assert values[("csat-quarter", dt.date(2026, 1, 1))].value == 3.8
    assert values[("csat-quarter", APR)].met is True


def test_availability_is_net_of_downtime_over_the_local_month(
    values: dict[tuple[str, dt.date], KpiValue],
) -> None:
    # March in Berlin lasts 31 × 24 h − 1 h (summer time) = 743 h; 7.43 h down
    # → (743 − 7.43) / 743 = 99.0% < 99.5%. April (to as_of): no downtime → 100%.
    # February: monitoring had not started → no value.
    mar = values[("uptime", MAR)]
    assert (mar.value, mar.basis, mar.met) == (pytest.approx(99.0), 1, False)
    assert values[("uptime", APR)].value == 100.0
    assert values[("uptime", FEB)].value is None
    assert values[("uptime", FEB)].note == "no monitoring data for the period"


def test_formulas_without_data_say_why_instead_of_giving_a_number(
    values: dict[tuple[str, dt.date], KpiValue],
    agreement: Agreement,
    results: pa.Table,
    tickets: pa.Table,
    events: pa.Table,
) -> None:
    assert values[("patches", MAR)].value is None
    assert values[("patches", MAR)].note == "not yet supported: no patch data"
    assert values[("backups", MAR)].note == "not yet supported: no backup job data"
    assert values[("backups", MAR)].met is None
    bare = {
        (v.kpi, v.period_start): v
        for v in compute_kpis(
            agreement,
            results=results,
            tickets=tickets,
            events=events,
            first=MAR,
            last=MAR,
            as_of=AS_OF,
        )
    }
    assert (bare[("csat", MAR)].value, bare[("csat", MAR)].note) == (None, "no survey data")
    assert (bare[("uptime", MAR)].value, bare[("uptime", MAR)].note) == (None, "no outage data")


def test_availability_without_checks_says_it_saw_only_the_outages(
    agreement: Agreement,
    results: pa.Table,
    tickets: pa.Table,
    events: pa.Table,
    outages: pa.Table,
) -> None:
    # Without checks, monitoring is known only from 10 March 10:00 to 17:25:48 UTC — all of it
    # down, so 0%: the note says why the number is what it is.
    (value,) = [
        v
        for v in compute_kpis(
            agreement,
            results=results,
            tickets=tickets,
            events=events,
            outages=outages,
            first=MAR,
            last=MAR,
            as_of=AS_OF,
        )
        if v.kpi == "uptime"
    ]
    assert value.value == 0.0
    assert value.note == (
        "no checks given: measured only between the first outage and the last outage's end"
    )


def test_a_target_in_another_unit_than_the_formula_is_not_judged(
    values: dict[tuple[str, dt.date], KpiValue],
) -> None:
    value = values[("mismatch", MAR)]
    assert (value.value, value.target, value.met) == (12.5, 8 * HOUR, None)
    assert value.note == "target '8h' is a duration, but the formula yields a percent: not judged"


def test_a_period_after_as_of_has_no_value_and_the_current_one_is_in_progress(
    values: dict[tuple[str, dt.date], KpiValue],
) -> None:
    # first = 14 Feb, last = 3 May: February to May, every KPI, one row each.
    assert sorted({k[1] for k in values if k[0] == "frt"}) == [FEB, MAR, APR, MAY]
    may = values[("frt", MAY)]
    assert (may.value, may.met, may.note) == (None, None, "the period begins after as_of")
    april = values[("frt", APR)]
    assert april.note == "period in progress: measured up to 2026-04-10T12:00:00+00:00"
    assert values[("frt", MAR)].note is None
    assert values[("frt", MAR)].direction == "lower_is_better"


def test_a_kpi_without_a_known_formula_has_no_value(
    results: pa.Table, tickets: pa.Table, events: pa.Table
) -> None:
    data = agreement_data()
    data["kpis"] = {
        "typo": kpi("mttr_avg", "4h", "lower_is_better"),
        "none": {"name": "Happiness", "target": "90%", "direction": "higher_is_better"},
    }
    out = compute_kpis(
        Agreement.model_validate(data),
        results=results,
        tickets=tickets,
        events=events,
        first=MAR,
        last=MAR,
        as_of=AS_OF,
    )
    assert [(v.kpi, v.formula, v.value, v.unit, v.note) for v in out] == [
        (
            "typo",
            "mttr_avg",
            None,
            "duration",
            "unknown formula 'mttr_avg' (`clearpact lint --list-kpis` lists them)",
        ),
        ("none", "", None, "percent", "the KPI names no formula"),
    ]


def test_ticket_lifecycles_read_events_as_the_clock_does(
    tickets: pa.Table, events: pa.Table
) -> None:
    rows = {r["ticket_id"]: r for r in ticket_lifecycles(tickets, events, as_of=AS_OF).to_pylist()}
    # T8: the duplicate reply counts once; the assignment before creation counts.
    assert (rows["T8"]["agent_replies"], rows["T8"]["assignees"]) == (1, 1)
    # T13's reply on 20 April is after as_of.
    assert rows["T13"]["agent_replies"] == 1
    assert rows["T4"]["resolved_at"] == local(3, 4, 13)  # the first resolution
    assert rows["T5"]["resolved_at"] == local(3, 5, 9, 40)  # Closed is done too
    assert rows["T9"]["resolved_at"] is None
    # Without beyond_first_contact statuses nothing is beyond first contact.
    assert not any(r["beyond_first_contact"] for r in rows.values())
    # A resolution and a reopening at the same instant keep their input order.
    tie = events_table(
        [status("T1", local(3, 2, 10), "In progress"), status("T1", local(3, 2, 10), "Resolved")]
    )
    only = ticket_lifecycles(tickets.slice(1, 1), tie, as_of=AS_OF).to_pylist()[0]
    assert (only["resolved_at"], only["reopened"]) == (local(3, 2, 10), False)


def test_every_catalogue_formula_is_computed_and_documented() -> None:
    from clearpact.kpi.catalogue import FORMULAS
    from clearpact.kpi.library import _FORMULAS
    from tests.conftest import ROOT

    assert set(_FORMULAS) == set(FORMULAS)
    text = (ROOT / "docs" / "kpis.md").read_text(encoding="utf-8")
    headings = [line for line in text.splitlines() if line.startswith("### ")]
    for formula in FORMULAS:
        assert any(f"`{formula}`" in h for h in headings), f"docs/kpis.md lacks {formula}"


def test_periods_refuse_what_they_cannot_mean() -> None:
    with pytest.raises(ValueError, match="before first"):
        Periods("UTC", "month", MAR, FEB, as_of=AS_OF)
    with pytest.raises(ValueError, match="time zone"):
        Periods("UTC", "month", FEB, MAR, as_of=dt.datetime(2026, 4, 1))

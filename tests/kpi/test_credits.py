"""Service credits worked out by hand: each case shows its arithmetic in the comments.

The attainment tables are made up in the shape of :func:`clearpact.kpi.attainment.attainment`
(``sla``, ``priority``, ``period_start``, ``met``, ``breached``, ``open``, ``attainment``) and the
availability tables in the shape of ``agreement_availability`` (the columns credits read).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pyarrow as pa
import pytest

from clearpact.agreement.model import Agreement
from clearpact.kpi.credits import CreditStatement, EarnBackState, compute_credits
from tests.conftest import build

JAN, FEB, MAR, APR = (dt.date(2026, m, 1) for m in (1, 2, 3, 4))

ATTAINMENT = pa.schema(
    [
        ("sla", pa.string()),
        ("priority", pa.string()),
        ("period_start", pa.date32()),
        ("met", pa.int64()),
        ("breached", pa.int64()),
        ("open", pa.int64()),
        ("attainment", pa.float64()),
    ]
)
AVAILABILITY = pa.schema(
    [
        ("sla", pa.string()),
        ("service", pa.string()),
        ("period", pa.date32()),
        ("availability", pa.float64()),
    ]
)

SLAS: dict[str, Any] = {
    "resolution": {
        "metric": "resolution",
        "attainment": {
            "target": "90%",
            "period": "month",
            "per_priority": True,
            "minimum_tickets": 5,
        },
    },
    "response": {
        "metric": "first_response",
        "attainment": {"target": "95%", "period": "month", "per_priority": False},
    },
    "uptime": {
        "metric": "availability",
        "services": ["files", "cad"],
        "target": "99.5%",
        "period": "month",
    },
}


def agreement(credits: dict[str, Any], *, fee: str | None = "1000") -> Agreement:
    data: dict[str, Any] = {
        "version": "clearpact/v1",
        "title": "Credits test",
        "parties": {"provider": {"name": "Provider"}, "customer": {"name": "Customer"}},
        "slas": SLAS,
        "service_credits": credits,
    }
    if fee is not None:
        data["commercials"] = {"currency": "EUR", "monthly_fee": fee}
    return build(data)


def tickets(*rows: tuple[str, str | None, dt.date, int, int]) -> pa.Table:
    """Attainment rows: (sla, priority, period_start, met, breached)."""
    return pa.Table.from_pylist(
        [
            {
                "sla": sla,
                "priority": priority,
                "period_start": day,
                "met": met,
                "breached": breached,
                "open": 0,
                "attainment": met / (met + breached),
            }
            for sla, priority, day, met, breached in rows
        ],
        schema=ATTAINMENT,
    )


def uptime(*rows: tuple[str, dt.date, float | None], sla: str = "uptime") -> pa.Table:
    """Availability rows of one SLA: (service, period, availability)."""
    return pa.Table.from_pylist(
        [
            {"sla": sla, "service": service, "period": day, "availability": value}
            for service, day, value in rows
        ],
        schema=AVAILABILITY,
    )


RESOLUTION_TIERS = [
    {"sla": "resolution", "below": "90%", "credit": "4%"},
    {"sla": "resolution", "below": "80%", "credit": "7%"},
]


def credits_for(
    terms: dict[str, Any],
    table: pa.Table,
    *,
    day: dt.date = JAN,
    availability: pa.Table | None = None,
    **options: Any,
) -> CreditStatement:
    return compute_credits(agreement(terms), table, availability, period_start=day, **options)


# -- tiers ----------------------------------------------------------------------------------------


def test_a_single_tier_credits_its_share_of_the_monthly_fee() -> None:
    # P2: 17 met of 20 judged = 85% < 90% → tiers[0]: 4% × EUR 1000 = EUR 40.
    statement = credits_for(
        {"tiers": RESOLUTION_TIERS[:1]}, tickets(("resolution", "P2", JAN, 17, 3))
    )
    [line] = statement.lines
    assert (line.sla, line.priority, line.measured, line.threshold, line.tier) == (
        "resolution",
        "P2",
        85.0,
        90.0,
        0,
    )
    assert line.clause == "service_credits.tiers[0]: resolution below 90% → 4% of the monthly fee"
    assert (line.credit_percent, line.amount) == (4.0, Decimal(40))
    assert (statement.gross_percent, statement.due_percent, statement.due_amount) == (
        4.0,
        4.0,
        Decimal(40),
    )
    assert statement.currency == "EUR"
    assert statement.missed == ["resolution"]  # 85% < the 90% target


def test_only_the_deepest_tier_reached_applies() -> None:
    # 15 of 20 = 75%: under 90% and under 80%; the deepest (80%) applies alone:
    # 7% × 1000 = EUR 70, not (4% + 7%) = 11%.
    statement = credits_for({"tiers": RESOLUTION_TIERS}, tickets(("resolution", "P2", JAN, 15, 5)))
    [line] = statement.lines
    assert (line.tier, line.threshold, line.credit_percent, line.amount) == (1, 80.0, 7.0, 70)
    assert line.clause == "service_credits.tiers[1]: resolution below 80% → 7% of the monthly fee"
    assert statement.due_percent == 7.0


def test_attainment_exactly_at_a_threshold_is_not_below_it() -> None:
    # 16 of 20 = exactly 80%: not below 80% (tiers[1]), but below 90% → tiers[0], 4%.
    # 18 of 20 = exactly 90%: below nothing → no line at all.
    low = credits_for({"tiers": RESOLUTION_TIERS}, tickets(("resolution", "P2", JAN, 16, 4)))
    assert [(line.tier, line.measured) for line in low.lines] == [(0, 80.0)]
    high = credits_for({"tiers": RESOLUTION_TIERS}, tickets(("resolution", "P2", JAN, 18, 2)))
    assert high.lines == []
    assert high.due_percent == 0.0


def test_a_per_priority_sla_is_judged_on_its_worst_priority_once() -> None:
    # P1 9/10 = 90% (not below 90%), P2 17/20 = 85% (tiers[0]), P3 14/20 = 70% (tiers[1]).
    # One SLA, one credit: the worst priority, P3, in tiers[1] → 7%; P2's 4% does not add.
    statement = credits_for(
        {"tiers": RESOLUTION_TIERS},
        tickets(
            ("resolution", "P1", JAN, 9, 1),
            ("resolution", "P2", JAN, 17, 3),
            ("resolution", "P3", JAN, 14, 6),
        ),
    )
    assert [(line.priority, line.measured, line.tier) for line in statement.lines] == [
        ("P3", 70.0, 1)
    ]
    assert statement.due_percent == 7.0


def test_a_tier_naming_a_priority_and_a_tier_naming_none_add_up() -> None:
    # tiers[0]: resolution P1 below 90% → 5%; tiers[1]: resolution below 85% → 3%.
    # P1 8/10 = 80% < 90% → 5%. All priorities: worst is P2 14/20 = 70% < 85% → 3%.
    # Two groups, read as the schedule's worked month reads them: 5% + 3% = 8% → EUR 80.
    statement = credits_for(
        {
            "tiers": [
                {"sla": "resolution", "priority": "P1", "below": "90%", "credit": "5%"},
                {"sla": "resolution", "below": "85%", "credit": "3%"},
            ]
        },
        tickets(("resolution", "P1", JAN, 8, 2), ("resolution", "P2", JAN, 14, 6)),
    )
    assert [(line.tier, line.priority, line.measured) for line in statement.lines] == [
        (0, "P1", 80.0),
        (1, "P2", 70.0),
    ]
    assert (statement.gross_percent, statement.due_amount) == (8.0, Decimal(80))


def test_a_pooled_sla_sums_its_priorities() -> None:
    # response is not per priority: P1 9/10 and P2 8/10 pool to 17/20 = 85% < 95% → 10%.
    statement = credits_for(
        {"tiers": [{"sla": "response", "below": "95%", "credit": "10%"}]},
        tickets(("response", "P1", JAN, 9, 1), ("response", "P2", JAN, 8, 2)),
    )
    [line] = statement.lines
    assert (line.priority, line.measured, line.amount) == (None, 85.0, Decimal(100))


def test_availability_is_judged_on_the_worst_covered_service() -> None:
    # files 99.8%, cad 99.2%: the worst, cad, is below 99.5% but not below 99% → tiers[0], 4%.
    statement = credits_for(
        {
            "tiers": [
                {"sla": "uptime", "below": "99.5%", "credit": "4%"},
                {"sla": "uptime", "below": "99%", "credit": "8%"},
            ]
        },
        tickets(),
        availability=uptime(("files", JAN, 99.8), ("cad", JAN, 99.2)),
    )
    [line] = statement.lines
    assert (line.service, line.measured, line.threshold, line.tier, line.amount) == (
        "cad",
        99.2,
        99.5,
        0,
        Decimal(40),
    )
    assert statement.missed == ["uptime"]


# -- minimum tickets, missing fee -----------------------------------------------------------------


def test_fewer_than_minimum_tickets_are_not_judged() -> None:
    # P1: 1 met of 3 = 33.3% would reach tiers[1], but 3 tickets < minimum_tickets 5:
    # a zero line with the reason. P2 10/10 = 100%. Nothing is due and nothing is missed.
    statement = credits_for(
        {"tiers": RESOLUTION_TIERS},
        tickets(("resolution", "P1", JAN, 1, 2), ("resolution", "P2", JAN, 10, 0)),
    )
    [line] = statement.lines
    assert (line.priority, line.tier, line.credit_percent, line.amount) == ("P1", 1, 0.0, 0)
    assert line.measured == pytest.approx(100 / 3)
    assert line.note == "3 tickets, fewer than minimum_tickets (5): not judged"
    assert statement.due_percent == 0.0
    assert statement.missed == []


def test_without_a_monthly_fee_credits_are_percentages_only() -> None:
    # 15/20 = 75% → 7%; no commercials → no amounts.
    statement = compute_credits(
        agreement({"tiers": RESOLUTION_TIERS}, fee=None),
        tickets(("resolution", "P2", JAN, 15, 5)),
        None,
        period_start=JAN,
    )
    assert [(line.credit_percent, line.amount) for line in statement.lines] == [(7.0, None)]
    assert (statement.due_percent, statement.due_amount, statement.monthly_fee) == (7.0, None, None)
    assert statement.currency is None
    assert "no monthly fee" in statement.notes[0]


# -- cap ------------------------------------------------------------------------------------------

CAPPED = {
    "tiers": [
        {"sla": "response", "below": "95%", "credit": "10%"},
        {"sla": "resolution", "below": "80%", "credit": "8%"},
    ],
    "cap": "15%",
}


def test_the_cap_limits_the_sum_of_the_credits() -> None:
    # response 17/20 = 85% → 10%; resolution 15/20 = 75% → 8%. Gross 18% > cap 15%:
    # due 15% × 1000 = EUR 150. The lines keep their own amounts (100 + 80).
    statement = credits_for(
        CAPPED, tickets(("response", "P2", JAN, 17, 3), ("resolution", "P2", JAN, 15, 5))
    )
    assert [line.amount for line in statement.lines] == [100, 80]
    assert (statement.gross_percent, statement.cap_percent, statement.capped_percent) == (
        18.0,
        15.0,
        15.0,
    )
    assert (statement.due_percent, statement.due_amount) == (15.0, Decimal(150))


# -- earn-back ------------------------------------------------------------------------------------

EARN_BACK = {
    "periods": 2,
    "condition": "The SLA meets its attainment target in each of the next 2 months.",
}


def test_earn_back_waives_a_credit_met_in_the_following_periods() -> None:
    # January 15/20 = 75% → 7%. February 19/20 = 95% and March 18/20 = 90% both meet the 90%
    # target: earned back. Due 7% − 7% = 0%.
    statement = credits_for(
        {"tiers": RESOLUTION_TIERS, "earn_back": EARN_BACK},
        tickets(
            ("resolution", "P2", JAN, 15, 5),
            ("resolution", "P2", FEB, 19, 1),
            ("resolution", "P2", MAR, 18, 2),
        ),
    )
    [line] = statement.lines
    assert line.earn_back is EarnBackState.EARNED_BACK
    assert (line.credit_percent, line.amount) == (7.0, 70)  # the line still shows its credit
    assert (statement.gross_percent, statement.earned_back_percent) == (7.0, 7.0)
    assert (statement.due_percent, statement.due_amount) == (0.0, 0)


def test_earn_back_and_the_cap_the_cap_limits_what_remains() -> None:
    # response 85% → 10%, resolution 75% → 8%: gross 18%, capped at 15%.
    # resolution meets its target in February (10/10) and March (20/20): its 8% is earned back;
    # response misses again in February (18/20 = 90% < 95%): its 10% stands (forfeited).
    # Due = min(18% − 8%, 15%) = 10% → EUR 100 (15% would have been due without earn-back).
    statement = credits_for(
        {**CAPPED, "earn_back": EARN_BACK},
        tickets(
            ("response", "P2", JAN, 17, 3),
            ("resolution", "P2", JAN, 15, 5),
            ("response", "P2", FEB, 18, 2),
            ("resolution", "P2", FEB, 10, 0),
            ("response", "P2", MAR, 20, 0),
            ("resolution", "P2", MAR, 20, 0),
        ),
    )
    assert [line.earn_back for line in statement.lines] == [
        EarnBackState.FORFEITED,
        EarnBackState.EARNED_BACK,
    ]
    assert statement.lines[0].note == (
        "not earned back: response missed its target in the period of 2026-02-01"
    )
    assert statement.capped_percent == 15.0
    assert statement.earned_back_percent == 8.0
    assert (statement.due_percent, statement.due_amount) == (10.0, Decimal(100))


def test_earn_back_is_pending_while_the_following_periods_are_not_measured() -> None:
    # January 75% → 7%; February 19/20 = 95% met; March not measured yet (data ends in
    # February): pending, and the 7% is due for now.
    statement = credits_for(
        {"tiers": RESOLUTION_TIERS, "earn_back": EARN_BACK},
        tickets(("resolution", "P2", JAN, 15, 5), ("resolution", "P2", FEB, 19, 1)),
    )
    [line] = statement.lines
    assert line.earn_back is EarnBackState.PENDING
    assert line.note == (
        "pending earn-back: waived if resolution meets its target through the period of "
        "2026-03-01 (1 of 2 measured)"
    )
    assert (statement.earned_back_percent, statement.due_percent) == (0.0, 7.0)
    assert f"Earn-back condition: {EARN_BACK['condition']}" in statement.notes


def test_measured_through_holds_back_a_partial_period() -> None:
    # The same as the earned-back case, but the caller says March is not complete:
    # February met, March not measured → pending.
    statement = credits_for(
        {"tiers": RESOLUTION_TIERS, "earn_back": EARN_BACK},
        tickets(
            ("resolution", "P2", JAN, 15, 5),
            ("resolution", "P2", FEB, 19, 1),
            ("resolution", "P2", MAR, 18, 2),
        ),
        measured_through=FEB,
    )
    assert statement.lines[0].earn_back is EarnBackState.PENDING
    assert statement.due_percent == 7.0


# -- at-risk pool ---------------------------------------------------------------------------------


def test_the_at_risk_pool_limits_and_pays_allocated_slas() -> None:
    # Pool 10% of the fee: resolution 60% of it (6%), response 40% (4%).
    # resolution 15/20 = 75% → tiers[1] 7%, limited to its share 10% × 60% = 6% → EUR 60.
    # response has no tiers: 18/20 = 90% misses its 95% target → its whole share,
    # 10% × 40% = 4% → EUR 40. Gross 6% + 4% = 10% (the pool), under the 15% cap.
    statement = credits_for(
        {
            "tiers": RESOLUTION_TIERS,
            "cap": "15%",
            "at_risk": {"pool": "10%", "allocation": {"resolution": "60%", "response": "40%"}},
        },
        tickets(("resolution", "P2", JAN, 15, 5), ("response", "P3", JAN, 18, 2)),
    )
    tiered, pooled = statement.lines
    assert (tiered.tier, tiered.credit_percent, tiered.amount) == (1, 6.0, Decimal(60))
    assert tiered.note == (
        "7% limited to resolution's share of the at-risk pool (service_credits.at_risk): "
        "10% × 60% = 6%"
    )
    assert (pooled.sla, pooled.tier, pooled.measured, pooled.threshold) == (
        "response",
        None,
        90.0,
        95.0,
    )
    assert (pooled.credit_percent, pooled.amount) == (4.0, Decimal(40))
    assert pooled.clause == (
        "service_credits.at_risk.allocation.response: 40% of the 10% at-risk amount when "
        "response misses its 95% target"
    )
    assert (statement.gross_percent, statement.due_amount) == (10.0, Decimal(100))


def test_an_allocated_sla_that_meets_its_target_costs_nothing() -> None:
    # resolution 17/20 = 85% → tiers[0] 4%, under its 6% share: 4% stays.
    # response 19/20 = 95% is not below its 95% target: no line.
    statement = credits_for(
        {
            "tiers": RESOLUTION_TIERS,
            "at_risk": {"pool": "10%", "allocation": {"resolution": "60%", "response": "40%"}},
        },
        tickets(("resolution", "P2", JAN, 17, 3), ("response", "P2", JAN, 19, 1)),
    )
    assert [(line.sla, line.credit_percent, line.note) for line in statement.lines] == [
        ("resolution", 4.0, None)
    ]


# -- claims ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("window", "deadline"),
    [
        ("30d", dt.date(2026, 3, 2)),  # 31 January + 30 days: 28 February + 2 days
        ("45d", dt.date(2026, 3, 17)),  # 31 January + 45 days: 28 February + 17 days
        ("3mo", dt.date(2026, 4, 30)),  # the three months after January: February to April
    ],
)
def test_the_claim_deadline_counts_the_window_from_the_end_of_the_period(
    window: str, deadline: dt.date
) -> None:
    statement = credits_for(
        {"tiers": RESOLUTION_TIERS, "claim_window": window},
        tickets(("resolution", "P2", JAN, 15, 5)),
    )
    assert statement.period_end == dt.date(2026, 1, 31)
    assert statement.claim_deadline == deadline
    assert statement.automatic is False


def test_a_period_start_that_opens_no_period_is_refused() -> None:
    with pytest.raises(ValueError, match="does not start a month"):
        credits_for({"tiers": RESOLUTION_TIERS}, tickets(), day=dt.date(2026, 1, 15))


# -- chronic failure ------------------------------------------------------------------------------

CHRONIC = {
    "slas": ["resolution"],
    "misses": 3,
    "within": 3,
    "remedy": "The customer may terminate the agreement with 30 days' notice.",
}
MISSES = tickets(
    ("resolution", "P2", JAN, 15, 5),  # 75% < 90%: missed
    ("resolution", "P2", FEB, 17, 3),  # 85% < 90%: missed
    ("resolution", "P2", MAR, 10, 10),  # 50% < 90%: missed
    ("resolution", "P2", APR, 16, 4),  # 80% < 90%: missed
)


def test_chronic_failure_triggers_after_three_misses_in_three_periods() -> None:
    # March: January, February and March missed — 3 of the last 3.
    statement = credits_for(
        {"tiers": RESOLUTION_TIERS, "chronic_failure": CHRONIC}, MISSES, day=MAR
    )
    [trigger] = statement.chronic
    assert trigger.sla == "resolution"
    assert trigger.missed_periods == [JAN, FEB, MAR]
    assert (trigger.misses, trigger.within) == (3, 3)
    assert trigger.remedy == CHRONIC["remedy"]
    assert trigger.clause == (
        "service_credits.chronic_failure: 3 missed periods within 3 consecutive periods"
    )


def test_chronic_failure_does_not_trigger_after_two_misses() -> None:
    # February: December (no data, not judged), January and February missed — 2 of 3.
    statement = credits_for(
        {"tiers": RESOLUTION_TIERS, "chronic_failure": CHRONIC}, MISSES, day=FEB
    )
    assert statement.chronic == []


def test_chronic_failure_counts_only_the_last_periods() -> None:
    # April, with February met instead: the last 3 are February (met), March, April → 2 misses.
    table = tickets(
        ("resolution", "P2", JAN, 15, 5),
        ("resolution", "P2", FEB, 19, 1),
        ("resolution", "P2", MAR, 10, 10),
        ("resolution", "P2", APR, 16, 4),
    )
    statement = credits_for({"tiers": RESOLUTION_TIERS, "chronic_failure": CHRONIC}, table, day=APR)
    assert statement.chronic == []


# -- the example agreement ------------------------------------------------------------------------


def test_the_fully_managed_smb_example_in_a_made_up_february(smb_data: dict[str, Any]) -> None:
    # Terms: resolution below 90% → 4%, below 80% → 7%; availability-core below 99.5% → 4%,
    # below 99% → 8%; cap 15%; claim window 30d; fee EUR 7,800; resolution per priority with
    # minimum_tickets 5 and a 90% target.
    smb = build(smb_data)
    table = tickets(
        ("resolution", "P1", FEB, 3, 1),  # 75%, but 4 tickets < 5: not judged
        ("resolution", "P2", FEB, 9, 1),  # 90%: not below 90%
        ("resolution", "P3", FEB, 17, 3),  # 85%: the worst judged → tiers[0], 4%
        ("resolution", "P4", FEB, 12, 0),  # 100%
        ("first-response", "P2", FEB, 20, 0),  # 100%, and it has no tiers
        ("resolution", "P3", JAN, 20, 0),  # January met: one miss in the last three
    )
    # availability-core covers one service: 98.9% in February.
    availability = uptime(("servers-and-cloud", FEB, 98.9), sla="availability-core")
    statement = compute_credits(smb, table, availability, period_start=FEB)
    assert [
        (line.sla, line.priority, line.service, line.measured, line.tier)
        for line in statement.lines
    ] == [
        ("resolution", "P3", None, 85.0, 0),
        ("availability-core", None, "servers-and-cloud", 98.9, 3),
    ]
    # 4% × 7800 = EUR 312; 98.9% < 99% → tiers[3], 8% × 7800 = EUR 624.
    assert [line.amount for line in statement.lines] == [312, 624]
    assert statement.lines[1].clause == (
        "service_credits.tiers[3]: availability-core below 99% → 8% of the monthly fee"
    )
    # 4% + 8% = 12% ≤ 15% cap → EUR 936.
    assert (statement.gross_percent, statement.capped_percent, statement.due_percent) == (
        12.0,
        12.0,
        12.0,
    )
    assert (statement.due_amount, statement.currency) == (Decimal(936), "EUR")
    # 28 February + 30 days = 30 March; a claim, not automatic.
    assert statement.claim_deadline == dt.date(2026, 3, 30)
    assert statement.automatic is False
    assert statement.missed == ["resolution", "availability-core"]
    assert statement.chronic == []  # resolution missed February only of Dec–Feb

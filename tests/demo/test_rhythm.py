"""When the demo's tickets arrive: office hours, busy Mondays, the priority mix, the season."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import numpy as np

from clearpact.agreement.loader import load_text
from clearpact.demo import connectwise
from clearpact.demo.cast import HARTWELL
from clearpact.demo.generate import agreement_text
from clearpact.demo.rhythm import arrivals, season
from clearpact.demo.stories import Terms, staffing
from clearpact.durations import add_months


def test_a_year_of_arrivals_keeps_office_hours_busy_mondays_and_the_priority_mix() -> None:
    start = dt.date(2025, 12, 1)
    agreement = load_text(agreement_text(HARTWELL, start)).agreement
    terms = Terms(agreement, HARTWELL, connectwise.STATUS_NAMES)
    tickets = arrivals(HARTWELL, terms, np.random.default_rng(3), start, add_months(start, 12), 1.0)
    local = [t.created.astimezone(terms.zone) for t in tickets]
    weekdays = Counter(moment.weekday() for moment in local)
    priorities = Counter(t.priority for t in tickets)
    # 5.2 a day x ~252 open days x ~1.04 (weekday mix) ≈ 1,360, plus a trickle on closed days
    assert 1200 < len(tickets) < 1550
    assert sum(t.in_hours for t in tickets) / len(tickets) > 0.85
    assert weekdays[0] > weekdays[1] > weekdays[4]  # Monday > Tuesday > Friday
    assert (weekdays[5] + weekdays[6]) / len(tickets) < 0.05
    assert 0.03 < priorities["P1"] / len(tickets) < 0.09
    assert 0.42 < priorities["P3"] / len(tickets) < 0.56
    assert tickets == sorted(tickets, key=lambda t: t.created)


def test_winter_is_half_as_busy_again_as_summer_and_august_is_short_staffed() -> None:
    # 1 + 0.2 cos(0) = 1.2 on 20 January; 1 + 0.2 cos(π) = 0.8 half a year later: 1.2 / 0.8 = 1.5
    assert round(season(dt.date(2026, 1, 20)) / season(dt.date(2026, 7, 21)), 2) == 1.5
    assert staffing(dt.datetime(2026, 8, 14, tzinfo=dt.UTC)) == 1.9
    assert staffing(dt.datetime(2025, 12, 24, tzinfo=dt.UTC)) == 1.4
    assert staffing(dt.datetime(2026, 1, 3, tzinfo=dt.UTC)) == 1.0

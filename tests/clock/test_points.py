"""The two index tricks the kernel relies on, against the obvious NumPy call."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from clearpact.calendar import Calendar
from clearpact.clock.points import _ticket_time_order

US = 1_000_000


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 20), st.integers(0, 50), st.sampled_from([US, 1000, 1])),
        max_size=200,
    ),
    st.booleans(),
)
def test_event_order_is_a_stable_sort_by_ticket_then_time(
    rows: list[tuple[int, int, int]], huge: bool
) -> None:
    # Few distinct times, so ties are common; `huge` spreads times over centuries in µs so the
    # packed key no longer fits and the lexsort fallback runs.
    tickets = np.array([t for t, _, _ in rows], dtype=np.int64)
    unit = rows[0][2] if rows else US
    scale = 10**16 if huge else unit
    at = np.array([a * scale + (a % 3) * unit for _, a, _ in rows], dtype=np.int64)
    order = _ticket_time_order(tickets, at, 21)
    assert order.tolist() == np.lexsort((at, tickets)).tolist()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(1_700_000_000 * US, 1_850_000_000 * US), min_size=1, max_size=300))
def test_hourly_window_index_equals_a_binary_search(instants: list[int]) -> None:
    # Closures cut the day into several windows starting within one hour ("crowded" hours).
    calendar = Calendar.from_dict(
        {
            "timezone": "Europe/Berlin",
            "hours": {"mon": ["08:00-08:20", "08:30-08:40", "08:50-18:00"], "sat": ["22:00-02:00"]},
            "closures": {"2026-03-02": ["09:00-09:15", "09:30-09:45"]},
        }
    )
    points = np.array(instants, dtype=np.int64)
    calendar.prepare(int(points.min()), int(points.max()))
    table = calendar._table
    assert (
        table.count(points).tolist() == np.searchsorted(table.starts, points, side="right").tolist()
    )

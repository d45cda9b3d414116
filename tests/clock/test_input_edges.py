"""Odd but legal input: what a review of the kernel found, each pinned down.

Office calendar as in the SMB example; 2026-11-23 is a Monday.
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.compute as pc

from clearpact.clock import compute, events_table, tickets_table
from clearpact.clock.reference import compute_reference
from tests.clock.conftest import BERLIN, agreement_with
from tests.clock.test_against_reference import FIRST_RESPONSE
from tests.conftest import build

AS_OF = dt.datetime(2026, 11, 24, 12, tzinfo=BERLIN)


def at(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, tzinfo=BERLIN)


def rows(table: pa.Table, sla: str) -> list[dict[str, object]]:
    return [r for r in table.to_pylist() if r["sla"] == sla]


def test_a_reply_on_another_channel_at_the_same_instant_is_not_a_duplicate() -> None:
    # Only e-mail replies count. Two agent replies at Mon 10:00, by phone then by e-mail: the
    # e-mail one answers the ticket after 1h (09:00 → 10:00); neither is a duplicate.
    agreement = agreement_with(
        **{
            "first-response": FIRST_RESPONSE
            | {"response": {"author": "human_agent", "channels": ["email"]}}
        }
    )
    tickets = tickets_table([{"ticket_id": "T1", "created_at": at(23, 9), "priority": "P3"}])
    events = events_table(
        [
            {"ticket_id": "T1", "at": at(23, 10), "kind": "reply", "value": "agent", "channel": c}
            for c in ("phone", "email")
        ]
    )
    fast = compute(agreement, tickets, events, as_of=AS_OF)
    (row,) = rows(fast.results, "first-response")
    assert (row["elapsed_business_s"], row["state"], row["note"]) == (3600.0, "met", None)
    assert fast.report.events_duplicated == 0
    assert rows(compute_reference(agreement, tickets, events, as_of=AS_OF), "first-response") == [
        row
    ]


def test_very_long_open_clocks_in_one_call_do_not_wrap_the_running_sum() -> None:
    # 2,400 P1 tickets open on the 24x7 calendar since 1900 hold ~9.6e18 µs of running time in
    # total, past int64; a normal P1 opened Mon 09:00 still reads 27h at Tue 12:00 (4h target:
    # due Mon 13:00).
    agreement = agreement_with()
    old = [
        {
            "ticket_id": f"O{i}",
            "created_at": dt.datetime(1900, 1, 1, tzinfo=dt.UTC),
            "priority": "P1",
        }
        for i in range(2400)
    ]
    new = {"ticket_id": "N1", "created_at": at(23, 9), "priority": "P1"}
    results = compute(agreement, tickets_table([*old, new]), events_table([]), as_of=AS_OF).results
    (row,) = [r for r in rows(results, "resolution") if r["ticket_id"] == "N1"]
    assert row["elapsed_business_s"] == 27 * 3600
    assert row["due_at"] == at(23, 13)


def test_dictionary_columns_read_like_plain_strings_nulls_and_small_indices_included() -> None:
    # Paused Mon 10:00; a status event without a value at 12:00 is rejected; resumed Tue
    # 09:00. As plain strings, and as dictionaries with uint8 indices and a null entry.
    agreement = agreement_with()
    tickets = tickets_table([{"ticket_id": "T1", "created_at": at(23, 9), "priority": "P3"}])
    events = events_table(
        [
            {"ticket_id": "T1", "at": at(23, 10), "kind": "status", "value": "Waiting on customer"},
            {"ticket_id": "T1", "at": at(23, 12), "kind": "status", "value": None},
            {"ticket_id": "T1", "at": at(24, 9), "kind": "status", "value": "In progress"},
        ]
    )
    plain = compute(agreement, tickets, events, as_of=AS_OF).results
    values = pa.DictionaryArray.from_arrays(
        pa.array([0, 1, 2], pa.uint8()), pa.array(["Waiting on customer", None, "In progress"])
    )
    encoded = events.set_column(events.schema.get_field_index("value"), "value", values)
    dictionary = compute(agreement, tickets, encoded, as_of=AS_OF)
    assert dictionary.results.to_pylist() == plain.to_pylist()
    assert dictionary.rejected_events.to_pylist() == [
        {"row": 1, "reason": "a status or priority event without a value"}
    ]
    (row,) = rows(plain, "resolution")
    # Running Mon 09–10 (1h) and Tue 09–12 (3h); paused Mon 10–18 and Tue 08–09 (9h).
    assert (row["elapsed_business_s"], row["paused_business_s"]) == (4 * 3600, 9 * 3600)


def test_nanosecond_timestamps_are_read_to_the_microsecond() -> None:
    agreement = agreement_with()
    tickets = tickets_table([{"ticket_id": "T1", "created_at": at(23, 9), "priority": "P3"}])
    created = pc.cast(tickets["created_at"], pa.timestamp("ns", tz="UTC"))
    nanos = tickets.set_column(1, "created_at", pc.add(created, pa.scalar(1, pa.duration("ns"))))
    results = compute(agreement, nanos, events_table([]), as_of=AS_OF).results
    assert [r["start_at"] for r in rows(results, "resolution")] == [at(23, 9)]


def test_events_of_unknown_tickets_alone_are_rejected_without_a_crash() -> None:
    events = events_table(
        [{"ticket_id": "T9", "at": at(23, 10), "kind": "status", "value": "Resolved"}]
    )
    run = compute(agreement_with(), tickets_table([]), events, as_of=AS_OF)
    assert run.results.num_rows == 0
    assert run.rejected_events.to_pylist() == [{"row": 0, "reason": "no ticket has this ticket_id"}]


def test_a_calendar_without_hours_measures_nothing_and_sets_no_due_time() -> None:
    agreement = agreement_with(
        resolution={
            "metric": "resolution",
            "stop": "resolved",
            "calendar": "closed",
            "targets": {"P3": "4h"},
        }
    )
    data = agreement.model_dump(mode="json", exclude_defaults=True)
    data["calendars"]["closed"] = {"timezone": "UTC", "hours": {}}
    agreement = build(data)
    tickets = tickets_table([{"ticket_id": "T1", "created_at": at(23, 9), "priority": "P3"}])
    (row,) = rows(compute(agreement, tickets, events_table([]), as_of=AS_OF).results, "resolution")
    assert (row["elapsed_business_s"], row["state"], row["due_at"]) == (0.0, "open", None)
    slow = compute_reference(agreement, tickets, events_table([]), as_of=AS_OF)
    assert rows(slow, "resolution") == [row]


def test_a_history_that_begins_resolved_is_noted_on_every_row() -> None:
    # An export that starts late: T1's first record already says Resolved. Its clocks stop at
    # creation (nothing elapsed, met), and every row says why, so a report need not count it as
    # a success; T2, opened normally, carries no such note. The reference agrees.
    agreement = agreement_with()
    tickets = tickets_table(
        [
            {"ticket_id": "T1", "created_at": at(23, 9), "priority": "P3", "status": "Resolved"},
            {"ticket_id": "T2", "created_at": at(23, 9), "priority": "P3", "status": "New"},
        ]
    )
    events = events_table(
        [{"ticket_id": "T2", "at": at(23, 10), "kind": "reply", "value": "agent"}]
    )
    fast = compute(agreement, tickets, events, as_of=AS_OF)
    late = [r for r in fast.results.to_pylist() if r["ticket_id"] == "T1"]
    assert late
    assert all(r["elapsed_business_s"] == 0 and r["state"] == "met" for r in late)
    assert all("history begins resolved or closed" in r["note"] for r in late)
    assert all(r["note"] is None for r in fast.results.to_pylist() if r["ticket_id"] == "T2")
    slow = compute_reference(agreement, tickets, events, as_of=AS_OF)
    key = lambda r: (r["sla"], r["ticket_id"])  # noqa: E731
    assert sorted(slow.to_pylist(), key=key) == sorted(fast.results.to_pylist(), key=key)

"""Each clock policy, on tickets worked out by hand.

Calendar ``office`` (from examples/fully-managed-smb.yaml): Mon–Fri 08:00–18:00 Europe/Berlin,
Bavarian public holidays, 24 and 31 December. Targets as written there (amendments removed):
first response P1 30m (24x7) / P2 1h / P3 4h / P4 8h; resolution P1 4h (24x7) / P2 8h / P3 20h /
P4 40h; pauses in "Waiting on customer" and "Waiting on third party"; at risk at 75%.
2026-11-23 is a Monday.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyarrow as pa

from clearpact.agreement import load
from clearpact.clock import ClockRun, compute, events_table, tickets_table
from tests.clock.conftest import BERLIN, agreement_with
from tests.clock.test_against_reference import FIRST_RESPONSE, RESOLUTION
from tests.conftest import EXAMPLES

HOUR = 3600.0


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=BERLIN)


def run(
    ticket: dict[str, Any],
    events: list[tuple[dt.datetime, str, str | None]],
    as_of: dt.datetime,
    agreement: Any = None,
) -> ClockRun:
    rows = [
        {"ticket_id": "T1", "at": when, "kind": kind, "value": value}
        for when, kind, value in events
    ]
    return compute(
        agreement or agreement_with(),
        tickets_table([{"ticket_id": "T1", "status": "New", **ticket}]),
        events_table(rows),
        as_of=as_of,
    )


def row(result: ClockRun, sla: str, cycle: int = 0) -> dict[str, Any]:
    rows = [r for r in result.results.to_pylist() if r["sla"] == sla and r["cycle"] == cycle]
    assert len(rows) == 1
    return rows[0]


def local(value: dt.datetime | None) -> dt.datetime | None:
    return value.astimezone(BERLIN) if value else None


def test_pause_extends_due_time_in_business_time() -> None:
    # P3 resolution, 20h. Running Mon 09–18 (9h) and Tue 08–10 (2h): 11h. Paused Tue 10:00 →
    # Thu 10:00: Tue 8h + Wed 10h + Thu 2h = 20h paused. 9h left from Thu 10:00: Thu 10–18 (8h),
    # Fri 08–09 (1h) → due Fri 27 09:00. As of Fri 12:00: 11h + 8h + 4h = 23h > 20h.
    result = run(
        {"created_at": at(23, 9), "priority": "P3"},
        [
            (at(24, 10), "status", "Waiting on customer"),
            (at(26, 10), "status", "In progress"),
        ],
        as_of=at(27, 12),
    )
    r = row(result, "resolution")
    assert local(r["due_at"]) == at(27, 9)
    assert r["paused_business_s"] == 20 * HOUR
    assert r["elapsed_business_s"] == 23 * HOUR
    assert r["state"] == "open_breached"
    assert local(r["breached_at"]) == at(27, 9)


def test_ticket_created_paused_starts_paused_and_pauses_are_clipped_to_the_clock() -> None:
    # Created Mon 09:00 in "Waiting on customer"; In progress 11:00; agent reply 12:00;
    # Waiting on customer again 14:00 → Tue 09:00; resolved Tue 10:00. The first-response clock
    # here also pauses while waiting on the customer.
    # First response (P3, 4h): running 11–12 = 1h; paused 09–11 = 2h; the later pause is after
    # the clock stopped and is not counted. Resolution: running 11–14 (3h) + Tue 09–10 (1h) = 4h,
    # paused 09–11 (2h) + Mon 14–18 (4h) + Tue 08–09 (1h) = 7h.
    agreement = agreement_with(
        **{"first-response": FIRST_RESPONSE | {"pause_statuses": ["Waiting on customer"]}}
    )
    result = run(
        {"created_at": at(23, 9), "priority": "P3", "status": "Waiting on customer"},
        [
            (at(23, 11), "status", "In progress"),
            (at(23, 12), "reply", "agent"),
            (at(23, 14), "status", "Waiting on customer"),
            (at(24, 9), "status", "In progress"),
            (at(24, 10), "status", "Resolved"),
        ],
        as_of=at(27, 12),
        agreement=agreement,
    )
    first = row(result, "first-response")
    assert (first["elapsed_business_s"], first["paused_business_s"]) == (1 * HOUR, 2 * HOUR)
    assert first["state"] == "met"
    resolution = row(result, "resolution")
    assert (resolution["elapsed_business_s"], resolution["paused_business_s"]) == (
        4 * HOUR,
        7 * HOUR,
    )
    assert local(resolution["stop_at"]) == at(24, 10)


def test_response_definition_ignores_automatic_acknowledgement_and_internal_note() -> None:
    # P2 first response (1h, human agent): an auto-acknowledgement at 09:01 and an internal note
    # at 09:30 do not count; the agent's reply at 10:30 does: 1h30m > 1h → breached at 10:00.
    result = run(
        {"created_at": at(23, 9), "priority": "P2"},
        [
            (at(23, 9, 1), "reply", "automation"),
            (at(23, 9, 30), "reply", "internal"),
            (at(23, 10, 30), "reply", "agent"),
        ],
        as_of=at(27, 12),
    )
    r = row(result, "first-response")
    assert r["elapsed_business_s"] == 1.5 * HOUR
    assert r["state"] == "breached"
    assert local(r["breached_at"]) == at(23, 10)


def test_ticket_resolved_without_a_response() -> None:
    # P3 (4h) resolved Mon 11:00 with no reply. Unstated policy: the resolution stops the clock
    # (2h ≤ 4h: met) and the row says so. With `unanswered: breached` it is a breach at 11:00.
    events = [(at(23, 11), "status", "Resolved")]
    default = row(
        run({"created_at": at(23, 9), "priority": "P3"}, events, as_of=at(27, 12)),
        "first-response",
    )
    assert default["state"] == "met"
    assert default["elapsed_business_s"] == 2 * HOUR
    assert "without a recorded response" in default["note"]
    strict = agreement_with(**{"first-response": FIRST_RESPONSE | {"unanswered": "breached"}})
    breached = row(
        run({"created_at": at(23, 9), "priority": "P3"}, events, at(27, 12), strict),
        "first-response",
    )
    assert breached["state"] == "breached"
    assert local(breached["breached_at"]) == at(23, 11)


PRIORITY_RAISED = [(at(23, 15), "priority", "P2"), (at(24, 12), "status", "Resolved")]


def test_priority_raise_applies_the_new_target_from_the_original_start() -> None:
    # P3 opened Mon 09:00, raised to P2 (8h) at 15:00, resolved Tue 12:00.
    # Elapsed from the original start: Mon 9h + Tue 4h = 13h > 8h; due Mon 09:00 + 8h = Mon 17:00.
    r = row(
        run({"created_at": at(23, 9), "priority": "P3"}, PRIORITY_RAISED, at(27, 12)),
        "resolution",
    )
    assert (r["priority"], r["target_s"], r["elapsed_business_s"]) == ("P2", 8 * HOUR, 13 * HOUR)
    assert (r["state"], local(r["due_at"])) == ("breached", at(23, 17))


def test_priority_raise_restarts_the_clock_at_the_change() -> None:
    # Restart at 15:00 with P2 (8h): Mon 15–18 (3h) + Tue 08–12 (4h) = 7h ≤ 8h: met.
    # Due 15:00 + 8h: Mon 3h, Tue 5h → Tue 13:00.
    agreement = agreement_with(
        resolution=RESOLUTION | {"priority_change": {"policy": "restart_at_change"}}
    )
    r = row(
        run({"created_at": at(23, 9), "priority": "P3"}, PRIORITY_RAISED, at(27, 12), agreement),
        "resolution",
    )
    assert (r["elapsed_business_s"], r["state"], local(r["due_at"])) == (
        7 * HOUR,
        "met",
        at(24, 13),
    )
    assert local(r["start_at"]) == at(23, 15)


def test_priority_at_creation_kept_when_the_agreement_says_so() -> None:
    # P3 (20h) throughout: 13h: met; due Mon 09:00 + 20h = Mon 9h, Tue 10h, Wed 1h → Wed 09:00.
    agreement = agreement_with(
        resolution=RESOLUTION | {"priority_change": {"policy": "keep_original_priority"}}
    )
    r = row(
        run({"created_at": at(23, 9), "priority": "P3"}, PRIORITY_RAISED, at(27, 12), agreement),
        "resolution",
    )
    assert (r["priority"], r["state"], local(r["due_at"])) == ("P3", "met", at(25, 9))


def test_pause_time_survives_a_priority_change() -> None:
    # Paused Mon 10–12 (2h), raised to P2 at 15:00, resolved Tue 12:00, restart policy:
    # the clock counts 7h from 15:00, and the ticket's 2h of pause stay on the row.
    agreement = agreement_with(
        resolution=RESOLUTION | {"priority_change": {"policy": "restart_at_change"}}
    )
    events = [
        (at(23, 10), "status", "Waiting on customer"),
        (at(23, 12), "status", "In progress"),
        *PRIORITY_RAISED,
    ]
    r = row(
        run({"created_at": at(23, 9), "priority": "P3"}, events, at(27, 12), agreement),
        "resolution",
    )
    assert (r["elapsed_business_s"], r["paused_business_s"]) == (7 * HOUR, 2 * HOUR)


REOPENED = [
    (at(23, 12), "status", "Resolved"),
    (at(24, 10), "status", "In progress"),
    (at(24, 12), "status", "Resolved"),
]


def test_reopen_resumes_the_same_clock_without_the_time_while_resolved() -> None:
    # Mon 09–12 (3h) + Tue 10–12 (2h) = 5h; the 8h while resolved (Mon 12–18, Tue 08–10) do not
    # count; one row, stopped at the last resolution.
    result = run({"created_at": at(23, 9), "priority": "P3"}, REOPENED, at(27, 12))
    r = row(result, "resolution")
    assert (r["elapsed_business_s"], local(r["stop_at"])) == (5 * HOUR, at(24, 12))
    assert len([x for x in result.results.to_pylist() if x["sla"] == "resolution"]) == 1


def test_reopen_counts_time_while_resolved_when_the_agreement_says_so() -> None:
    # 5h + 6h (Mon 12–18) + 2h (Tue 08–10) = 13h.
    agreement = agreement_with(
        resolution=RESOLUTION | {"reopen": {"policy": "resume", "count_time_while_resolved": True}}
    )
    r = row(
        run({"created_at": at(23, 9), "priority": "P3"}, REOPENED, at(27, 12), agreement),
        "resolution",
    )
    assert r["elapsed_business_s"] == 13 * HOUR


def test_reopen_starts_a_new_cycle() -> None:
    # new_cycle: cycle 0 Mon 09–12 (3h); cycle 1 from the reopening Tue 10:00 to 12:00 (2h) with a
    # full 20h target: due Tue 10:00 + 20h = Tue 8h, Wed 10h, Thu 2h → Thu 10:00.
    agreement = agreement_with(resolution=RESOLUTION | {"reopen": {"policy": "new_cycle"}})
    result = run({"created_at": at(23, 9), "priority": "P3"}, REOPENED, at(27, 12), agreement)
    first, second = row(result, "resolution", 0), row(result, "resolution", 1)
    assert (first["elapsed_business_s"], local(first["stop_at"])) == (3 * HOUR, at(23, 12))
    assert (second["elapsed_business_s"], local(second["start_at"])) == (2 * HOUR, at(24, 10))
    assert local(second["due_at"]) == at(26, 10)


def test_reopen_later_than_the_window_is_measured_anew() -> None:
    # resume within 1d: reopened 22h after resolution → same clock; 46h after → a new cycle.
    agreement = agreement_with(
        resolution=RESOLUTION | {"reopen": {"policy": "resume", "within": "1d"}}
    )
    soon = run({"created_at": at(23, 9), "priority": "P3"}, REOPENED, at(27, 12), agreement)
    assert len([r for r in soon.results.to_pylist() if r["sla"] == "resolution"]) == 1
    late = [
        (at(23, 12), "status", "Resolved"),
        (at(25, 10), "status", "In progress"),
        (at(25, 12), "status", "Resolved"),
    ]
    later = run({"created_at": at(23, 9), "priority": "P3"}, late, at(27, 12), agreement)
    assert [r["cycle"] for r in later.results.to_pylist() if r["sla"] == "resolution"] == [0, 1]


def test_open_ticket_is_at_risk_from_the_stated_share_of_its_target() -> None:
    # P3 first response 4h, at risk at 75% = 3h: at 11:59 (2h59m) not yet, at 12:00 yes; due 13:00.
    before = row(
        run({"created_at": at(23, 9), "priority": "P3"}, [], at(23, 11, 59)), "first-response"
    )
    after = row(run({"created_at": at(23, 9), "priority": "P3"}, [], at(23, 12)), "first-response")
    assert (before["state"], before["at_risk"]) == ("open", False)
    assert (after["state"], after["at_risk"], local(after["due_at"])) == ("open", True, at(23, 13))


def test_due_skips_weekend_public_holidays_and_agreed_days_off() -> None:
    # P2 (1h) opened Wed 23 Dec 17:30: 30m on Wednesday; 24 Dec (agreed day off), 25 and 26 Dec
    # (Bavarian holidays) and the weekend have no hours; 30m more on Mon 28 Dec → 08:30.
    r = row(
        run({"created_at": at(23, 17, 30, month=12), "priority": "P2"}, [], at(30, 12, month=12)),
        "first-response",
    )
    assert local(r["due_at"]) == at(28, 8, 30, month=12)


def test_p1_on_the_round_the_clock_calendar_counts_real_hours_across_dst() -> None:
    # P1 resolution 4h on `always` (24x7 Berlin). Opened Sun 25 Oct 2026 00:30 CEST (22:30 UTC
    # on the 24th); the clocks go back at 03:00 CEST → 02:00 CET, so 4 real hours end at
    # 02:30 UTC = 03:30 CET.
    r = row(
        run({"created_at": at(25, 0, 30, month=10), "priority": "P1"}, [], at(26, 12, month=10)),
        "resolution",
    )
    assert r["due_at"] == dt.datetime(2026, 10, 25, 2, 30, tzinfo=dt.UTC)
    assert local(r["due_at"]).strftime("%H:%M %Z") == "03:30 CET"


def test_messy_input_is_handled_and_reported_never_dropped() -> None:
    # The clean history of the pause test, shuffled, with one duplicate, one event dated before
    # creation, one event of an unknown kind and one of a ticket that does not exist.
    clean = [
        (at(24, 10), "status", "Waiting on customer"),
        (at(26, 10), "status", "In progress"),
    ]
    messy = [
        clean[1],
        clean[0],
        clean[0],
        (at(22, 9), "reply", "customer"),
        (at(24, 11), "escalation", "level 2"),
    ]
    expected = run({"created_at": at(23, 9), "priority": "P3"}, clean, at(27, 12))
    rows = [{"ticket_id": "T1", "at": w, "kind": k, "value": v} for w, k, v in messy]
    rows.append({"ticket_id": "T404", "at": at(24, 9), "kind": "status", "value": "Resolved"})
    result = compute(
        agreement_with(),
        tickets_table(
            [{"ticket_id": "T1", "status": "New", "created_at": at(23, 9), "priority": "P3"}]
        ),
        events_table(rows),
        as_of=at(27, 12),
    )
    got, want = row(result, "resolution"), row(expected, "resolution")
    assert {k: got[k] for k in ("elapsed_business_s", "paused_business_s", "due_at", "state")} == {
        k: want[k] for k in ("elapsed_business_s", "paused_business_s", "due_at", "state")
    }
    report = result.report
    assert (report.events_duplicated, report.events_before_creation) == (1, 1)
    # In time order the rows are 3 (moved to creation), 1, 2 (its duplicate), 0: rows 1 and 0
    # each arrived after a row that happens later.
    assert (report.events_out_of_order, report.events_unknown_kind) == (2, 1)
    assert report.events_unknown_ticket == 1
    assert "duplicate" in got["note"]
    assert "before the ticket was created" in got["note"]
    assert sorted(result.rejected_events.to_pylist(), key=lambda r: r["row"]) == [
        {"row": 4, "reason": "unknown event kind"},
        {"row": 5, "reason": "no ticket has this ticket_id"},
    ]


def test_clock_from_assignment_that_stops_before_it_starts_counts_nothing() -> None:
    agreement = agreement_with(resolution=RESOLUTION | {"start": "assigned"})
    result = run(
        {"created_at": at(23, 9), "priority": "P3"},
        [(at(23, 10), "status", "Resolved"), (at(23, 11), "assignment", "jana")],
        at(27, 12),
        agreement,
    )
    r = row(result, "resolution")
    assert (r["elapsed_business_s"], r["state"]) == (0.0, "met")
    assert "stopped before it started" in r["note"]


def test_events_after_as_of_are_left_out_and_counted() -> None:
    # As of Mon 12:00 the resolution on Tuesday has not happened: open, 3h elapsed.
    result = run(
        {"created_at": at(23, 9), "priority": "P3"},
        [(at(24, 10), "status", "Resolved")],
        as_of=at(23, 12),
    )
    r = row(result, "resolution")
    assert (r["state"], r["elapsed_business_s"], r["stop_at"]) == ("open", 3 * HOUR, None)
    assert result.report.events_after_as_of == 1


def test_terms_in_force_when_the_ticket_was_opened_apply() -> None:
    # The example's amendment 1.1 (effective 2026-07-01) tightens P2 resolution from 8h to 6h.
    agreement = load(EXAMPLES / "fully-managed-smb.yaml")
    tickets = tickets_table(
        [
            {
                "ticket_id": "june",
                "created_at": dt.datetime(2026, 6, 30, 9, tzinfo=BERLIN),
                "priority": "P2",
            },
            {
                "ticket_id": "july",
                "created_at": dt.datetime(2026, 7, 1, 9, tzinfo=BERLIN),
                "priority": "P2",
            },
        ]
    )
    result = compute(agreement, tickets, events_table([]), as_of=at(27, 12))
    resolution = {
        r["ticket_id"]: (r["target_s"], r["agreement_version"])
        for r in result.results.to_pylist()
        if r["sla"] == "resolution"
    }
    assert resolution == {"june": (8 * HOUR, "1.0"), "july": (6 * HOUR, "1.1")}


def test_results_follow_the_canonical_schema() -> None:
    from clearpact.clock import RESULTS

    result = run({"created_at": at(23, 9), "priority": "P3"}, [], at(27, 12))
    assert result.results.schema == RESULTS
    assert isinstance(result.results, pa.Table)


def test_priority_kept_is_the_first_one_set_when_the_ticket_was_opened_without_one() -> None:
    # Opened Mon 09:00 with no priority, triaged P3 at 09:30, raised to P2 at 15:00, resolved Tue
    # 12:00. keep_original_priority: P3's 20h applies; 13h elapsed → met.
    agreement = agreement_with(
        resolution=RESOLUTION | {"priority_change": {"policy": "keep_original_priority"}}
    )
    events = [(at(23, 9, 30), "priority", "P3"), *PRIORITY_RAISED]
    r = row(
        run({"created_at": at(23, 9), "priority": None}, events, at(27, 12), agreement),
        "resolution",
    )
    assert (r["priority"], r["target_s"], r["state"]) == ("P3", 20 * HOUR, "met")

"""Each obligation state, worked by hand on the governance test agreement (term from
1 July 2026; see conftest.py)."""

from __future__ import annotations

import datetime as dt

from clearpact.agreement.model import Agreement
from clearpact.governance import Kind, ObligationStatus, State, obligations, obligations_for_period
from tests.governance.conftest import register_of

EMPTY = register_of("")


def rows(
    agreement: Agreement, register_yaml: str, as_of: dt.date, kind: Kind
) -> list[ObligationStatus]:
    found = obligations(agreement, register_of(register_yaml), as_of=as_of)
    return [r for r in found if r.kind is kind]


def states(found: list[ObligationStatus]) -> list[tuple[str | None, str, str]]:
    return [(r.period, r.due.isoformat() if r.due else "", r.state.value) for r in found]


def test_monthly_meeting_is_due_by_the_end_of_each_month(agreement: Agreement) -> None:
    meetings = "meetings:\n  - {name: Monthly review, date: 2026-08-12}\n"
    found = rows(agreement, meetings, dt.date(2026, 10, 20), Kind.MEETING)
    monthly = [r for r in found if r.name == "Monthly review"]
    # July: none held, due 31 July, and the register holds August's → overdue.
    # August: held on the 12th → done. September: none → overdue.
    # October: due 31 October, 11 days after 20 October (≤ 14) → due soon.
    assert states(monthly) == [
        ("July 2026", "2026-07-31", "overdue"),
        ("August 2026", "2026-08-31", "done"),
        ("September 2026", "2026-09-30", "overdue"),
        ("October 2026", "2026-10-31", "due_soon"),
    ]
    assert monthly[1].evidence == dt.date(2026, 8, 12)


def test_an_obligation_never_recorded_is_never_evidenced_once_due(agreement: Agreement) -> None:
    found = rows(agreement, "", dt.date(2026, 10, 20), Kind.MEETING)
    quarterly = [r for r in found if r.name == "Quarterly review"]
    # Q3 was due 30 September, nothing ever recorded; Q4 is due 31 December, 72 days away.
    assert states(quarterly) == [
        ("2026 Q3", "2026-09-30", "never_evidenced"),
        ("2026 Q4", "2026-12-31", "upcoming"),
    ]


def test_a_meeting_on_the_due_day_is_done_and_the_next_day_is_overdue(
    agreement: Agreement,
) -> None:
    on_time = "meetings:\n  - {name: quarterly REVIEW, date: 2026-09-30}\n"  # names ignore case
    (q3,) = [
        r
        for r in rows(agreement, on_time, dt.date(2026, 9, 30), Kind.MEETING)
        if "Quarterly" in r.name
    ]
    assert (q3.state, q3.evidence) == (State.DONE, dt.date(2026, 9, 30))
    monthly = "meetings:\n  - {name: Monthly review, date: 2026-08-03}\n"
    found = rows(agreement, monthly, dt.date(2026, 10, 1), Kind.MEETING)
    september = next(r for r in found if r.period == "September 2026")
    assert september.state is State.OVERDUE  # due 30 September, judged 1 October


def test_evidence_after_the_day_judged_is_ignored(agreement: Agreement) -> None:
    later = "meetings:\n  - {name: Quarterly review, date: 2026-09-20}\n"
    found = rows(agreement, later, dt.date(2026, 9, 10), Kind.MEETING)
    q3 = next(r for r in found if r.name == "Quarterly review")
    # Judged on 10 September the meeting of the 20th has not happened: Q3 is due on
    # 30 September, 20 days ahead (> 14) → upcoming, without evidence.
    assert (q3.state, q3.evidence) == (State.UPCOMING, None)


def test_report_is_due_within_its_due_within_of_the_period_end(agreement: Agreement) -> None:
    delivered = (
        "reports:\n"
        "  - {name: Monthly report, covers: 2026-07, delivered: 2026-08-05}\n"
        "  - {name: Monthly report, delivered: 2026-09-07}\n"  # covers August (the month before)
    )
    found = rows(agreement, delivered, dt.date(2026, 10, 3), Kind.REPORT)
    # July: due 31 July + 5d = 5 August, delivered that day → done.
    # August: due 5 September, delivered 7 September → failed, 2 days late.
    # September: due 5 October, nothing yet, 2 days ahead → due soon.
    # October: due 5 November → upcoming.
    assert states(found) == [
        ("July 2026", "2026-08-05", "done"),
        ("August 2026", "2026-09-05", "failed"),
        ("September 2026", "2026-10-05", "due_soon"),
        ("October 2026", "2026-11-05", "upcoming"),
    ]
    assert found[1].detail.startswith("2 day(s) late")


def test_dr_test_slower_than_the_rto_fails(agreement: Agreement) -> None:
    tests = (
        "dr_tests:\n"
        "  - {service: files, date: 2026-09-12, rto_achieved: 5h, rpo_achieved: 30m, result: pass}\n"
    )
    (h2,) = rows(agreement, tests, dt.date(2026, 10, 20), Kind.DR_TEST)
    # Semiannual: H2 2026 is due 31 December; a test on 12 September took 5h against a 4h RTO.
    assert (h2.period, h2.state, h2.evidence) == ("2026 H2", State.FAILED, dt.date(2026, 9, 12))
    assert h2.detail == "achieved RTO 5h exceeds the 4h objective"


def test_dr_test_within_rto_and_rpo_is_done_and_a_failed_result_fails(
    agreement: Agreement,
) -> None:
    passed = "dr_tests:\n  - {service: files, date: 2026-09-12, rto_achieved: 3h, rpo_achieved: 30m, result: pass}\n"
    (h2,) = rows(agreement, passed, dt.date(2026, 10, 20), Kind.DR_TEST)
    assert (h2.state, h2.detail) == (State.DONE, "passed (RTO 3h of 4h, RPO 30m of 1h)")
    failed = "dr_tests:\n  - {service: files, date: 2026-09-12, result: fail}\n"
    (h2,) = rows(agreement, failed, dt.date(2026, 10, 20), Kind.DR_TEST)
    assert h2.state is State.FAILED


def test_quarterly_restore_tests_bcp_and_exit_plan_reviews(agreement: Agreement) -> None:
    register = (
        "restore_tests:\n  - {date: 2026-08-20, result: pass}\n"
        "bcp_reviews:\n  - {date: 2026-03-01}\n"  # before the term: evidence of nothing due
    )
    as_of = dt.date(2027, 1, 10)
    restores = rows(agreement, register, as_of, Kind.RESTORE_TEST)
    assert states(restores) == [
        ("2026 Q3", "2026-09-30", "done"),
        ("2026 Q4", "2026-12-31", "overdue"),  # 10 days past, the register has Q3's
        ("2027 Q1", "2027-03-31", "upcoming"),
    ]
    bcp = rows(agreement, register, as_of, Kind.BCP_REVIEW)
    # 2026 was due 31 December: the only review (March 2026) is in 2026 → done.
    assert states(bcp) == [("2026", "2026-12-31", "done"), ("2027", "2027-12-31", "upcoming")]
    exit_reviews = rows(agreement, register, as_of, Kind.EXIT_PLAN_REVIEW)
    assert states(exit_reviews) == [
        ("2026", "2026-12-31", "never_evidenced"),
        ("2027", "2027-12-31", "upcoming"),
    ]


def test_certificate_expiring_within_the_window_is_due_soon(agreement: Agreement) -> None:
    held = "certifications:\n  - {framework: ISO 27001, expires: 2026-10-30}\n"
    (cert,) = rows(agreement, held, dt.date(2026, 10, 20), Kind.CERTIFICATION)
    assert (cert.state, cert.due, cert.detail) == (
        State.DUE_SOON,
        dt.date(2026, 10, 30),
        "expires in 10 day(s)",
    )
    (cert,) = rows(agreement, held, dt.date(2026, 10, 31), Kind.CERTIFICATION)
    assert cert.state is State.OVERDUE  # expired the day before
    (cert,) = rows(agreement, held, dt.date(2026, 10, 15), Kind.CERTIFICATION)
    assert cert.state is State.DONE  # 15 days ahead: beyond the 14-day window
    (cert,) = rows(agreement, "", dt.date(2026, 10, 15), Kind.CERTIFICATION)
    assert cert.state is State.NEVER_EVIDENCED


def test_escalation_is_answered_within_the_next_levels_time(agreement: Agreement) -> None:
    raised = (
        "escalations:\n"
        "  - {level: 1, raised: 2026-09-01T09:00, answered: 2026-09-01T12:30}\n"
        "  - {level: 1, raised: 2026-09-02T09:00, answered: 2026-09-02T13:30}\n"
        "  - {level: 2, raised: 2026-09-03T09:00}\n"
    )
    found = rows(agreement, raised, dt.date(2026, 9, 3), Kind.ESCALATION)
    # Level 1 must answer before level 2's 4h pass: by 13:00. 12:30 → done; 13:30 → 30m late.
    # Level 2 is the top: its own 4h, by 13:00 on 3 September; open on that day → due soon.
    assert [(r.state, r.detail.split(" (")[0]) for r in found] == [
        (State.DONE, "answered in time"),
        (State.FAILED, "answered 30m late"),
        (State.DUE_SOON, "open, answer due 2026-09-03 13:00"),
    ]
    later = rows(agreement, raised, dt.date(2026, 9, 4), Kind.ESCALATION)
    assert later[2].state is State.OVERDUE


ACTIONS = """\
meetings:
  - name: Monthly review
    date: 2026-08-12
    actions:
      - {id: A1, owner: Ann, due: 2026-08-31, text: Replace the switch}
      - {id: A2, owner: Bo, due: 2026-09-15, text: Write the runbook, closed: 2026-09-10}
      - {id: A3, owner: Ann, due: 2026-10-25, text: Order laptops}
"""


def test_open_action_items_past_due_are_overdue(agreement: Agreement) -> None:
    found = rows(agreement, ACTIONS, dt.date(2026, 10, 20), Kind.ACTION_ITEM)
    assert [(r.name, r.owner, r.state) for r in found] == [
        ("Replace the switch", "Ann", State.OVERDUE),  # due 31 August, still open
        ("Write the runbook", "Bo", State.DONE),
        ("Order laptops", "Ann", State.DUE_SOON),  # due in 5 days
    ]


def test_action_items_carry_over_into_later_periods_until_closed(agreement: Agreement) -> None:
    register = register_of(ACTIONS)

    def actions_in(start: dt.date, end: dt.date) -> list[str]:
        rows = obligations_for_period(agreement, register, start, end, end)
        return [r.name for r in rows if r.kind is Kind.ACTION_ITEM]

    # August: all three raised on 12 August. September: the runbook closed on 10 September
    # (inside it) still shows; A1 and A3 are open. October: the runbook closed before the
    # month began and drops out; A1 (overdue since August) carries over.
    assert actions_in(dt.date(2026, 8, 1), dt.date(2026, 9, 1)) == [
        "Replace the switch", "Write the runbook", "Order laptops",
    ]  # fmt: skip
    assert actions_in(dt.date(2026, 9, 1), dt.date(2026, 10, 1)) == [
        "Replace the switch", "Write the runbook", "Order laptops",
    ]  # fmt: skip
    assert actions_in(dt.date(2026, 10, 1), dt.date(2026, 11, 1)) == [
        "Replace the switch", "Order laptops",
    ]  # fmt: skip
    assert actions_in(dt.date(2026, 7, 1), dt.date(2026, 8, 1)) == []  # not raised yet


def test_a_period_shows_what_is_due_in_it_and_every_certificate(agreement: Agreement) -> None:
    rows = obligations_for_period(
        agreement, register_of(""), dt.date(2026, 9, 1), dt.date(2026, 10, 1), dt.date(2026, 10, 1)
    )
    # Due in September: the monthly and quarterly meetings (30th), the August report (5th), the
    # Q3 restore test (30th); the certificate always shows.
    assert sorted((r.kind.value, r.name, r.period or "") for r in rows) == [
        ("certification", "ISO 27001", ""),
        ("meeting", "Monthly review", "September 2026"),
        ("meeting", "Quarterly review", "2026 Q3"),
        ("report", "Monthly report", "August 2026"),
        ("restore_test", "Backup restore test", "2026 Q3"),
    ]


def test_register_since_leaves_earlier_occurrences_unjudged(agreement: Agreement) -> None:
    found = rows(agreement, "since: 2026-09-01\n", dt.date(2026, 10, 20), Kind.MEETING)
    assert [r.period for r in found if r.name == "Monthly review"] == [
        "September 2026",
        "October 2026",
    ]

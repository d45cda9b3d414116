"""Commitments compared with the agreement; times worked by hand on the SMB example
(office: Mon–Fri 08:00–18:00 Berlin; P1 on the 24x7 'always' calendar)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from clearpact.agreement.model import Agreement
from clearpact.gaps import Assessment, GapKind, Message, Party, assess, find_gaps
from tests.conftest import build
from tests.gaps.conftest import BERLIN, CUSTOMER, FRIDAY, message


def local(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=BERLIN)


@pytest.fixture
def smb(smb_data: dict[str, Any]) -> Agreement:
    return build(smb_data)


def only(agreement: Agreement, *messages: Message) -> Assessment:
    [result] = assess(agreement, list(messages))
    return result


def test_within_the_hour_on_friday_1630_is_stricter_than_p2_in_4_business_hours(
    smb_data: dict[str, Any],
) -> None:
    smb_data["slas"]["first-response"]["targets"]["P2"] = "4h"
    agreement = build(smb_data)
    result = only(agreement, message("Someone will get back to you within the hour.", subject="P2"))
    # Promised: Friday 16:30 + 1 hour of clock time = Friday 17:30.
    # Allowed: 4 business hours = Friday 16:30–18:00 (1.5 h) + Monday 08:00–10:30 (2.5 h).
    assert result.promised_by == local(2026, 11, 20, 17, 30)
    assert result.agreement_due == local(2026, 11, 23, 10, 30)
    assert result.gap is not None
    assert result.gap.kind is GapKind.STRICTER
    assert result.gap.clause == "slas.first-response.targets.P2"
    assert "Friday 20 November 2026 at 17:30 CET" in result.gap.reason
    assert "Monday 23 November 2026 at 10:30 CET" in result.gap.reason
    assert "4 business hours (Monday to Friday 08:00–18:00 Berlin time)" in result.gap.suggestion
    assert result.gap.amendment == "slas.first-response.targets.P2: {within: 1h, calendar: always}"


def test_within_the_hour_on_friday_1630_matches_a_one_business_hour_target(smb: Agreement) -> None:
    # The SMB example's P2 first response is 1 business hour: Friday 16:30 + 1 h = 17:30, the
    # same instant the promise names, so the promise asks for nothing more.
    result = only(smb, message("Someone will get back to you within the hour.", subject="P2"))
    assert result.gap is None
    assert result.promised_by == result.agreement_due == local(2026, 11, 20, 17, 30)
    assert result.note is not None
    assert result.note.startswith("within the High (P2) first response")


def test_the_same_promise_an_hour_later_is_stricter_because_the_office_closes(
    smb: Agreement,
) -> None:
    # Friday 17:30 + 1 business hour: 30 minutes on Friday, 30 on Monday → Monday 08:30.
    late = FRIDAY + dt.timedelta(hours=1)
    result = only(
        smb, message("Someone will get back to you within the hour.", date=late, subject="P2")
    )
    assert result.gap is not None
    assert result.gap.kind is GapKind.STRICTER
    assert result.agreement_due == local(2026, 11, 23, 8, 30)


def test_the_terms_in_force_on_the_message_date_are_used(smb: Agreement) -> None:
    # Resolution P2 is 8 business hours until 1 July 2026 and 6 hours from then (amendment 1.1).
    # "within 7 business hours" from Tuesday 09:00 is Tuesday 16:00.
    text = "We'll have it fixed within 7 business hours."
    may = dt.datetime(2026, 5, 12, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    november = dt.datetime(2026, 11, 17, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    before = only(smb, message(text, date=may, subject="P2"))
    after = only(smb, message(text, date=november, subject="P2"))
    assert before.gap is not None
    assert before.gap.kind is GapKind.STRICTER
    assert before.agreement_due == local(2026, 5, 12, 17)  # 09:00 + 8 h
    assert after.gap is None
    assert after.agreement_due == local(2026, 11, 17, 15)  # 09:00 + 6 h
    assert after.note is not None
    assert after.note.startswith("later than")


def test_a_deadline_after_a_dst_change_is_read_in_the_calendars_zone(smb: Agreement) -> None:
    # Sent Friday 23 October 2026 16:00 CEST (+02:00); clocks go back on Sunday 25 October, so
    # "Monday at 10:00" is 10:00 CET (+01:00), not 10:00 at the message's offset.
    friday = dt.datetime(2026, 10, 23, 16, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    result = only(
        smb, message("We'll have it fixed by Monday at 10:00.", date=friday, subject="P3")
    )
    assert result.promised_by == dt.datetime(2026, 10, 26, 9, 0, tzinfo=dt.UTC)
    # P3 resolution, 20 business hours: Friday 16:00–18:00 (2), Monday (10), Tuesday 08:00–16:00.
    assert result.agreement_due == local(2026, 10, 27, 16)
    assert result.gap is not None
    assert result.gap.kind is GapKind.STRICTER


def test_without_a_date_a_duration_shorter_than_the_target_is_stricter_whenever_sent(
    smb: Agreement,
) -> None:
    # No priority in the thread: P1 is assumed, whose first response is 30 minutes, 24x7.
    shorter = only(smb, message("We respond within 15 minutes.", sender=None, date=None))
    longer = only(smb, message("We respond within 45 minutes.", sender=None, date=None))
    assert shorter.gap is not None
    assert shorter.gap.kind is GapKind.STRICTER
    assert shorter.gap.clause == "slas.first-response.targets.P1"
    assert "whenever the message was sent" in shorter.gap.reason
    assert longer.gap is None


def test_an_arrival_promise_says_the_agreement_sets_no_arrival_time(smb: Agreement) -> None:
    late = FRIDAY + dt.timedelta(hours=1)
    result = only(smb, message("Someone will be on site within the hour.", date=late, subject="P2"))
    assert result.gap is not None
    assert "no arrival time" in result.gap.reason


def test_an_arrival_promise_slower_than_the_first_response_is_still_a_gap(smb: Agreement) -> None:
    # No priority named: P1 is assumed, first response 30 minutes around the clock. Arriving
    # within the hour is later than that, but the agreement promises no visit by any time, so
    # the customer is still told more than the agreement says.
    result = only(smb, message("We will have someone on site within the hour."))
    assert result.gap is not None
    assert result.gap.kind is GapKind.STRICTER
    assert result.gap.clause == "slas.first-response.targets.P1"
    assert "no arrival time" in result.gap.reason
    assert "not to a visit by a set time" in result.gap.suggestion


def test_a_reply_promise_slower_than_the_assumed_p1_target_is_no_gap(smb: Agreement) -> None:
    result = only(smb, message("We will get back to you within the hour."))
    assert result.gap is None


def test_a_promise_for_every_request_is_set_against_the_lowest_priority(smb: Agreement) -> None:
    # Friday 16:30 + 4 hours = 20:30. P4's first response is 8 business hours on the office
    # calendar (Mon-Fri 08:00-18:00): Friday 16:30-18:00 is 1.5 h, Monday 08:00-14:30 the other
    # 6.5 h, so due Monday 23 November 14:30; the promise comes first.
    result = only(smb, message("Every request will be answered within 4 hours."))
    assert result.gap is not None
    assert result.gap.kind is GapKind.STRICTER
    assert result.gap.clause == "slas.first-response.targets.P4"
    assert result.agreement_due == local(2026, 11, 23, 14, 30)
    assert "it is made for every ticket" in result.gap.reason


@pytest.mark.parametrize(
    ("sentence", "gap", "amendment"),
    [
        # the SMB example's RPO for servers-and-cloud is 24 hours
        ("Your data will never be lost.", True, None),
        (
            "We back up every hour, so you will never lose more than an hour of data.",
            True,
            "risk.disaster_recovery.0.rpo: 1h",
        ),
        ("We back up daily, so you will never lose more than a day of data.", False, None),
    ],
)
def test_a_data_loss_promise_is_set_against_the_recovery_point_objective(
    smb: Agreement, sentence: str, gap: bool, amendment: str | None
) -> None:
    result = only(smb, message(sentence))
    if not gap:
        assert result.gap is None
        return
    assert result.gap is not None
    assert result.gap.kind is GapKind.STRICTER
    assert result.gap.clause == "risk.disaster_recovery.0.rpo"
    assert "recovery point objective for servers-and-cloud is 24 hours" in result.gap.reason
    assert result.gap.amendment == amendment


@pytest.mark.parametrize(
    "sentence",
    [
        "If you have any questions, I'll get back to you within 2 hours.",
        "As always, we'll get back to you within 2 hours.",
    ],
)
def test_any_and_as_always_do_not_make_a_promise_hold_for_every_ticket(
    smb: Agreement, sentence: str
) -> None:
    # No priority named: P1 is assumed (30 minutes); 2 hours is later, so no gap.
    result = only(smb, message(sentence))
    assert result.gap is None
    assert result.note is not None
    assert "the thread names no priority" in result.note


def test_coverage_of_an_excluded_item_named_in_the_quoted_question_is_out_of_scope(
    smb: Agreement,
) -> None:
    body = "Yes, that's covered under your plan.\n\n> Can you set up my home printer?"
    result = only(smb, message(body))
    assert result.gap is not None
    assert result.gap.kind is GapKind.OUT_OF_SCOPE
    assert result.gap.clause == "services.service-desk.out_of_scope.0"
    assert "EUR 125 per hour" in result.gap.suggestion


def test_a_coverage_statement_that_names_its_object_does_not_borrow_the_next_sentence(
    smb: Agreement,
) -> None:
    # "server" in the sentence before matches the servers-and-cloud scope; the laptop set-up is
    # its own object, which no service lists, so the waiver is set against the out-of-scope rate.
    body = "We will restore the server tonight. Setting up the new laptop is free of charge."
    results = assess(smb, [message(body)])
    laptop = next(r for r in results if "laptop" in r.commitment.text)
    assert laptop.gap is not None
    assert laptop.gap.kind is GapKind.CONTRADICTS_POLICY
    assert laptop.gap.clause == "out_of_scope_work.rate"


def test_free_training_is_out_of_scope(smb: Agreement) -> None:
    result = only(smb, message("We can run the CAD training for your new starters at no charge."))
    assert result.gap is not None
    assert (result.gap.kind, result.gap.clause) == (
        GapKind.OUT_OF_SCOPE,
        "services.service-desk.out_of_scope.1",
    )


def test_free_work_that_no_service_includes_contradicts_the_billing_policy(smb: Agreement) -> None:
    result = only(smb, message("We'll migrate your old archive to the cloud for free."))
    assert result.gap is not None
    assert (result.gap.kind, result.gap.clause) == (
        GapKind.CONTRADICTS_POLICY,
        "out_of_scope_work.rate",
    )


def test_a_free_repair_is_what_the_fee_already_pays_for(smb: Agreement) -> None:
    assert only(smb, message("We'll fix the laptop at no charge.")).gap is None


def test_saying_an_in_scope_item_is_not_included_contradicts_the_agreement(smb: Agreement) -> None:
    result = only(smb, message("Patching isn't included in your plan, I'm afraid."))
    assert result.gap is not None
    assert result.gap.kind is GapKind.CONTRADICTS_POLICY
    assert result.gap.clause is not None
    assert ".in_scope." in result.gap.clause


def test_saying_an_excluded_item_is_not_included_is_consistent(smb: Agreement) -> None:
    result = only(smb, message("Home printers are not covered, but we can send a quote."))
    assert result.gap is None
    assert (
        result.note
        == "says correctly that it is not included (services.service-desk.out_of_scope.0)"
    )


def test_24_7_for_a_p2_matter_contradicts_the_office_calendar(smb: Agreement) -> None:
    body = "We're here for you 24/7."
    result = only(smb, message(body, subject="Plotter queue down before a submission deadline"))
    assert result.gap is not None
    assert (result.gap.kind, result.gap.clause) == (
        GapKind.CONTRADICTS_POLICY,
        "calendars.office.hours",
    )
    assert "only Critical (P1) is measured around the clock" in result.gap.reason


def test_24_7_for_critical_outages_is_what_the_agreement_says(smb: Agreement) -> None:
    result = only(smb, message("For critical outages we're here for you 24/7."))
    assert result.gap is None


def test_a_vague_promise_gets_the_targets_time_as_the_suggestion(smb: Agreement) -> None:
    result = only(smb, message("We'll sort it quickly.", subject="Outlook crashes for one user"))
    assert result.gap is not None
    assert (result.gap.kind, result.gap.clause) == (GapKind.VAGUE, "slas.resolution.targets.P3")
    # P3 resolution, 20 business hours from Friday 16:30: Friday 1.5 h, Monday 10 h, Tuesday
    # 08:00–16:30 (8.5 h).
    assert "20 business hours" in result.gap.suggestion
    assert "Tuesday 24 November 2026 at 16:30 CET" in result.gap.suggestion


def test_never_down_is_stricter_than_the_availability_target(smb: Agreement) -> None:
    result = only(smb, message("Your file server will never go down."))
    assert result.gap is not None
    assert (result.gap.kind, result.gap.clause) == (
        GapKind.STRICTER,
        "slas.availability-core.target",
    )
    assert "99.5%" in result.gap.reason


def test_an_uptime_percentage_is_compared_with_the_target(smb: Agreement) -> None:
    higher = only(smb, message("We guarantee 99.9% uptime."))
    lower = only(smb, message("We guarantee 99% uptime."))
    assert higher.gap is not None
    assert higher.gap.amendment == "slas.availability-core.target: 99.9%"
    assert lower.gap is None


def test_never_losing_a_file_is_stricter_than_the_recovery_point(smb: Agreement) -> None:
    result = only(smb, message("You'll never lose a file."))
    assert result.gap is not None
    assert (result.gap.kind, result.gap.clause) == (
        GapKind.STRICTER,
        "risk.disaster_recovery.0.rpo",
    )


def test_the_customers_own_promises_are_listed_but_not_compared(smb: Agreement) -> None:
    result = only(smb, message("We will pay the invoice within 15 minutes.", sender=CUSTOMER))
    assert (result.party, result.gap) == (Party.CUSTOMER, None)


def test_find_gaps_returns_only_the_departures(smb: Agreement) -> None:
    body = "We'll sort it quickly. We will get back to you within 4 business hours."
    found = find_gaps(smb, [message(body, subject="Outlook crashes for one user")])
    assert [g.commitment.text for g in found] == ["We'll sort it quickly."]


def test_a_date_the_calendar_cannot_answer_for_is_read_as_no_date(smb: Agreement) -> None:
    far = dt.datetime(9999, 11, 20, 16, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    result = only(smb, message("We'll fix it by Friday.", date=far))
    assert (result.gap, result.promised_by, result.agreement_due) == (None, None, None)
    assert result.note is not None
    assert result.note.endswith("the promise cannot be placed in time")


def test_a_promise_years_ahead_is_not_placed_in_time(smb: Agreement) -> None:
    result = only(smb, message("We'll have it fixed by 14 March 2031.", subject="P3"))
    assert (result.gap, result.promised_by) == (None, None)

"""Which sentences are commitments, of which kind, and never from quoted text."""

from __future__ import annotations

import pytest

from clearpact.gaps import CommitmentKind, Measure, find_commitments
from tests.gaps.conftest import FRIDAY, PROVIDER, message


def kinds(body: str) -> list[tuple[str, str]]:
    return [(c.text, c.kind.value) for c in find_commitments(message(body))]


@pytest.mark.parametrize(
    # kinds as LABELLING.md C.2 defines them: reply, get back, arrive or fix within a time is
    # response_time; send, deliver, prepare or complete something is deliver_by
    ("sentence", "kind", "time_expression", "measure"),
    [
        ("We'll have it fixed by Friday.", "response_time", "by Friday", Measure.FIX),
        (
            "Someone will be on site within the hour.",
            "response_time",
            "within the hour",
            Measure.ARRIVAL,
        ),
        ("We respond within 15 minutes.", "response_time", "within 15 minutes", Measure.RESPONSE),
        (
            "You can expect a reply by end of day.",
            "response_time",
            "by end of day",
            Measure.RESPONSE,
        ),
        ("That's covered under your plan.", "coverage", None, None),
        ("Yes, that's included.", "coverage", None, None),
        ("We'll do the CAD training at no charge.", "coverage", None, None),
        ("We're here for you 24/7.", "guarantee", "24/7", None),
        ("Your server will never go down.", "guarantee", "never", Measure.AVAILABILITY),
        ("We will make sure the backups run every night.", "other", None, None),
        ("We'll sort it quickly.", "response_time", "quickly", Measure.FIX),
        ("I'll look into it.", "response_time", None, Measure.RESPONSE),
        (
            "Your P3 tickets will get a response within 2 hours.",
            "response_time",
            "within 2 hours",
            Measure.RESPONSE,
        ),
        (
            "Every request will be answered within 4 hours.",
            "response_time",
            "within 4 hours",
            Measure.RESPONSE,
        ),
        (
            "We'll have a technician there first thing Monday.",
            "response_time",
            "first thing Monday",
            Measure.ARRIVAL,
        ),
    ],
)
def test_each_kind_of_promise_is_recognised(
    sentence: str, kind: str, time_expression: str | None, measure: Measure | None
) -> None:
    [found] = find_commitments(message(sentence))
    assert (found.text, found.kind.value, found.time_expression, found.measure) == (
        sentence,
        kind,
        time_expression,
        measure,
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "Can you send the logs by Friday?",
        "Please restart the laptop before 5pm.",
        "I restarted the server this morning.",
        "We can't guarantee it will be fixed today.",
        "The outage lasted 2 hours.",
        "Thanks for your patience.",
        "You will need to reboot twice.",
        "You will have to enter the last six digits of your account number.",
        "You should have received a copy at your closing.",
        "You should have access to those folders now.",
    ],
)
def test_questions_requests_reports_and_disclaimers_are_not_commitments(sentence: str) -> None:
    assert find_commitments(message(sentence)) == []


def test_quoted_promises_are_never_attributed_to_the_sender() -> None:
    body = (
        "Hi Tomas,\n\nnoted, thank you.\n\n"
        "On Fri, 20 Nov 2026 at 16:21, Tomas Lee <t.lee@harborlee.example> wrote:\n"
        "> You promised it would always be fixed within the hour.\n"
        "> We'll pay for the training.\n"
    )
    assert find_commitments(message(body)) == []


def test_a_promise_in_the_signature_or_a_forward_is_not_the_senders() -> None:
    body = (
        "Noted.\n\nRegards,\nJana\nAlways available: +49 89 1234 5678\n\n"
        "---------- Forwarded message ---------\nFrom: Vendor\n\n"
        "We guarantee a replacement disk within 4 hours, 24/7.\n"
    )
    assert find_commitments(message(body)) == []


def test_each_commitment_carries_its_sender_date_and_source() -> None:
    [found] = find_commitments(message("We'll be there within the hour."))
    assert (found.sender, found.date, found.source) == (PROVIDER, FRIDAY, "test")


def test_typographic_apostrophes_are_read_like_plain_ones() -> None:
    assert kinds("We’ll have it fixed by Monday.") == [
        ("We’ll have it fixed by Monday.", CommitmentKind.RESPONSE_TIME.value)
    ]


def test_a_negated_coverage_statement_is_marked_negated() -> None:
    [found] = find_commitments(message("Home printers are not covered, but we can send a quote."))
    assert found.kind is CommitmentKind.COVERAGE
    assert found.negated


def test_the_provider_by_name_is_a_promising_subject() -> None:
    body = "Brightline will send an engineer tomorrow."
    assert find_commitments(message(body)) == []  # without the name: no subject that promises
    [found] = find_commitments(message(body), provider="Brightline IT Services GmbH")
    assert (found.kind, found.measure) == (CommitmentKind.RESPONSE_TIME, Measure.ARRIVAL)


def test_round_the_clock_words_and_free_words_are_kept() -> None:
    [found] = find_commitments(message("We always respond within the hour, even at weekends."))
    assert (found.round_the_clock, found.guarantee) == ("at weekends", "always")
    [free] = find_commitments(message("We won't charge you for the visit."))
    assert free.free == "won't charge"


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Let me check and get back to you tomorrow.", "response_time"),
        ("Should be done by Friday.", "deliver_by"),
        ("The fix will be deployed tonight.", "deliver_by"),
        ("An engineer is scheduled to arrive at 10.", "response_time"),
        ("We've booked an engineer for Tuesday 9am.", "response_time"),
        ("We will be in touch shortly.", "response_time"),
        ("Will do.", "other"),
    ],
)
def test_promises_without_we_will_are_found_too(sentence: str, kind: str) -> None:
    [found] = find_commitments(message(sentence))
    assert found.kind.value == kind


@pytest.mark.parametrize(
    "sentence",
    ["Let me know if that works.", "It will be interesting to see.", "I'd be happy to help."],
)
def test_sentences_that_only_look_like_promises_are_not(sentence: str) -> None:
    assert find_commitments(message(sentence)) == []


def test_the_time_that_goes_with_the_promise_is_the_first_after_its_words() -> None:
    sentence = "The vendor ships the part today and we will install it tomorrow at 8am."
    [found] = find_commitments(message(sentence))
    assert (found.time_expression, found.measure) == ("tomorrow at 8am", Measure.FIX)


def test_a_request_followed_by_the_senders_undertaking_is_a_commitment() -> None:
    # LABELLING.md C.2: conditional undertakings count; a bare request does not
    assert kinds("Let me know if you need a new quote and I can send you one.") == [
        ("Let me know if you need a new quote and I can send you one.", "deliver_by")
    ]
    assert kinds("Let me know if you need a new quote.") == []


def test_hedged_intentions_whereabouts_and_beliefs_are_not_commitments() -> None:
    for body in (
        "I will try to send the quote tomorrow.",
        "I will be out of the office on Friday.",
        "I'll be on my cell after 4pm.",
        "I think we can get this deal done.",
    ):
        assert kinds(body) == [], body


def test_something_the_sender_makes_available_is_coverage_but_an_offer_to_talk_is_not() -> None:
    assert kinds("The remote support portal will be available from Monday.") == [
        ("The remote support portal will be available from Monday.", "coverage")
    ]
    assert kinds("We are available to discuss this on Friday.") == []


def test_a_hedge_takes_back_only_its_own_promise() -> None:
    assert [k for _, k in kinds("I will send the quote today; we may meet next week.")] == [
        "deliver_by"
    ]

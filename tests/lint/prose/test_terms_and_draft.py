"""Measurable terms found in prose, and the draft agreement made of them: it always loads, every
value says where it came from, and TODO marks the gaps."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from clearpact.agreement import load_text
from clearpact.agreement.slas import AvailabilitySla, TicketSla
from clearpact.ingest.documents import audit_document
from clearpact.lint.prose import audit_text, draft_agreement
from clearpact.lint.prose.quantities import durations, money, percentages, priorities
from tests.lint.prose.conftest import FIXTURES


def test_quantities_are_read_with_units_currencies_and_priorities() -> None:
    text = "P1: within thirty (30) minutes; Severity 2 within 2 business days; 99.5% uptime; EUR 1,200 per month."
    assert [(str(q.value), q.unit, q.qualifier) for q in durations(text)] == [
        ("30", "minutes", None),
        ("2", "days", "business"),
    ]
    assert [str(q.value) for q in percentages(text)] == ["99.5"]
    assert [(str(q.value), q.unit, q.per) for q in money(text)] == [("1200", "EUR", "month")]
    assert [(int(q.value), q.unit) for q in priorities(text)] == [(1, "P"), (2, "Severity")]


def test_targets_come_from_sentences_and_from_table_rows() -> None:
    result = audit_text(
        "The Provider shall respond to P1 incidents within 30 minutes and resolve them within 4 hours.\n\n"
        "| Priority | Response | Resolution |\n|---|---|---|\n| P2 | 1 hour | 8 hours |\n| P3 | 4 hours | 3 days |\n",
        markdown=True,
    )
    targets = {m: {k: v.value for k, v in t.items()} for m, t in result.terms.targets.items()}
    assert targets == {
        "first_response": {"P1": "30m", "P2": "1h", "P3": "4h"},
        "resolution": {"P1": "4h", "P2": "8h", "P3": "3d"},
    }


def test_every_number_is_listed_with_its_sentence() -> None:
    result = audit_text(
        "The Provider shall ensure 99.9% availability per calendar month at EUR 500 per month."
    )
    kinds = [(t.kind, t.value) for t in result.terms.all]
    assert ("percent", "99.9%") in kinds
    assert ("money", "EUR 500 per month") in kinds
    assert ("period", "per calendar month") in kinds
    assert {t.sentence.index for t in result.terms.all} == {1}


DRAFTS = ["complete-msa.txt", "vague-msa.md"]


@pytest.mark.parametrize("name", DRAFTS)
def test_the_draft_agreement_loads(name: str) -> None:
    text = draft_agreement(audit_document(FIXTURES / name))
    agreement = load_text(text, f"{name}.yaml").agreement
    assert agreement.version == "clearpact/v1"


@pytest.mark.parametrize(
    "text",
    [
        "A letter with no terms at all.",
        "The Provider shall respond within thirty (20) minutes to P1 and within [***] hours to P2.",
        "Support 24/7. The Provider shall resolve P1 incidents within 5 business days.",
        "Business hours are Monday to Friday 9 a.m. to 5 p.m. CET. Availability is 99.5% per quarter.",
    ],
)
def test_the_draft_loads_whatever_the_contract_leaves_out(text: str) -> None:
    load_text(draft_agreement(audit_text(text)), "draft.yaml")


def test_the_complete_contract_fills_the_draft() -> None:
    agreement = load_text(
        draft_agreement(audit_document(FIXTURES / "complete-msa.txt")), "d.yaml"
    ).agreement
    assert (agreement.parties.provider.name, agreement.parties.customer.name) == (
        "Nordlicht Cloud Services GmbH",
        "Hafenbank AG",
    )
    assert agreement.commercials is not None
    assert (agreement.commercials.currency, str(agreement.commercials.monthly_fee)) == (
        "EUR",
        "12000",
    )
    response = agreement.slas["first-response"]
    assert isinstance(response, TicketSla)
    assert {k: str(v) for k, v in response.targets.items()} == {"P1": "30m", "P2": "2h"}
    availability = agreement.slas["availability"]
    assert isinstance(availability, AvailabilitySla)
    assert availability.target == 99.9
    assert availability.period is not None
    assert availability.period.value == "month"
    assert availability.downtime_definition
    assert "two consecutive checks" in availability.downtime_definition
    assert agreement.calendars["office"].timezone == "Europe/Berlin"
    assert agreement.exit is not None
    assert str(agreement.exit.notice) == "6mo"
    assert agreement.service_credits is not None
    assert agreement.service_credits.cap == 15
    assert agreement.definitions["Business Day"].startswith("Monday to Friday")


def test_every_value_in_the_draft_points_at_its_page_and_sentence() -> None:
    text = draft_agreement(audit_document(FIXTURES / "complete-msa.txt"))
    for line in text.splitlines():
        if line.startswith("#") or not line.strip() or line.strip().startswith("#"):
            continue
        if re.match(r"^\s*[-\w\"' ]+:\s*$", line) or line == "version: clearpact/v1":
            continue  # a mapping key that opens a section
        assert "#" in line, line
    assert '# p. 1, ¶ 16, s. 11: "The Provider shall respond to P1 Incidents' in text


def test_gaps_are_todo_comments_and_placeholders_are_marked() -> None:
    text = draft_agreement(audit_text("The Provider shall respond to P1 within 4 hours."))
    assert 'name: "TODO: provider name"' in text
    assert "# TODO: calendar: no service hours found" in text
    assert "#   Blueprint 3: DR/BCP: business_continuity_or_disaster_recovery (absent)" in text


def test_a_guessed_zone_and_words_that_disagree_are_todo() -> None:
    text = draft_agreement(
        audit_text(
            "Support hours are Monday to Friday, 09:00 to 17:00 CET.\n"
            "The Provider shall respond to P2 incidents within thirty (20) minutes."
        )
    )
    assert re.search(r"timezone: Europe/Berlin .*TODO: 'CET' read as Europe/Berlin", text)
    assert re.search(r"P2: 20m .*TODO: the words say 30, the digits 20", text)


def test_a_priority_whose_hours_say_24x7_runs_on_the_always_calendar() -> None:
    contract = (
        "Severity 1: response within 2 hours (24x7). Severity 2: response within 8 hours "
        "(9AM-5PM PST). Severity 3: response within 2 days (9AM-5PM PST)."
    )
    text = draft_agreement(audit_text(contract))
    agreement = load_text(text, "draft.yaml").agreement
    sla = agreement.slas["first-response"]
    assert isinstance(sla, TicketSla)
    # P1 is measured around the clock, P2 and P3 on the office hours the contract names
    # (9:00-17:00 Pacific, Monday to Friday assumed and marked TODO).
    assert sla.calendar == "office"
    assert [sla.calendar_for(p) for p in ("P1", "P2", "P3")] == ["always", "office", "office"]
    assert agreement.calendars["office"].timezone == "America/Los_Angeles"
    assert "'9AM-5PM PST' names no days; Monday to Friday assumed" in text
    assert 'mon: ["09:00-17:00"]' in text


@pytest.mark.parametrize(
    ("preamble", "provider", "customer"),
    [
        # both roles named
        (
            'Made between QuickFix IT Ltd ("Supplier") and Meadow Dental ("Customer").',
            "QuickFix IT Ltd",
            "Meadow Dental",
        ),
        # one role named: the other party has the other role
        (
            "This Agreement is made by and between International Business Machines Corporation "
            '("IBM") and Bluefly, Inc., a Delaware corporation ("Customer").',
            "International Business Machines Corporation",
            "Bluefly, Inc.",
        ),
        # "Company" is no role: the contractor is the provider
        (
            'Entered into between Clear Capital, a Nevada corporation ("Company"), and '
            'RadialSpark, LLC, a Colorado limited liability company ("Contractor").',
            "RadialSpark, LLC",
            "Clear Capital",
        ),
        # names only: the party that shall provide the services is the provider
        (
            "Entered into by and between Diplomat Direct Marketing Corporation, a Delaware "
            'corporation ("Diplomat"), and Tadeo E-Commerce Corp., a Delaware corporation '
            '("Tadeo"). Tadeo shall provide the Services. Tadeo shall host the site. Diplomat '
            "shall pay the fees.",
            "Tadeo E-Commerce Corp.",
            "Diplomat Direct Marketing Corporation",
        ),
    ],
)
def test_the_parties_are_read_from_the_preamble(
    preamble: str, provider: str, customer: str
) -> None:
    terms = audit_text(preamble).terms
    assert terms.provider is not None
    assert terms.customer is not None
    assert (terms.provider.value, terms.customer.value) == (provider, customer)


def test_a_provider_found_by_its_duties_is_marked_todo() -> None:
    text = draft_agreement(
        audit_text(
            'Made between Diplomat Corp., a Delaware corporation ("Diplomat"), and Tadeo Corp., '
            'a Delaware corporation ("Tadeo"). Tadeo shall provide the Services.'
        )
    )
    assert re.search(r'name: "Tadeo Corp\." .*TODO: read as the provider because', text)


@pytest.mark.parametrize(
    "sentence",
    [
        "Customer and/or its users may call support 9 a.m. to 5 p.m. EST.",
        "Customer And/Or its users may call support 9 a.m. to 5 p.m. EST.",
        "The Supplier/Contractor shall respond between 9am and 5pm EST, Monday to Friday.",
    ],
)
def test_a_word_pair_with_a_slash_is_not_a_time_zone(sentence: str) -> None:
    terms = audit_text(sentence).terms
    assert terms.timezone is not None
    assert terms.timezone.value == "America/New_York"
    assert terms.business_hours is not None
    assert terms.business_hours.value == "mon,tue,wed,thu,fri=09:00-17:00"


def test_each_target_takes_the_hours_written_after_its_own_priority() -> None:
    # Both targets are "2 hours": P2's words are found after "Severity 2", not at P1's.
    text = draft_agreement(
        audit_text(
            "Severity 1: response within 2 hours (24x7); Severity 2: response within 2 hours "
            "(9AM-5PM PST)."
        )
    )
    assert re.search(r"^      P1: \{within: 2h, calendar: always\}", text, re.M)
    assert re.search(r"^      P2: 2h ", text, re.M)


def test_a_transition_period_is_the_duration_after_its_words() -> None:
    terms = audit_text(
        "On termination, the Provider shall return all Customer Data within 30 days and "
        "provide transition services for 3 months."
    ).terms
    assert terms.data_return_deadline is not None
    assert terms.transition_period is not None
    assert (terms.data_return_deadline.value, terms.transition_period.value) == ("30d", "3mo")


def test_the_notice_period_is_the_duration_next_to_notice() -> None:
    # The sentence holds two durations: the one-year term and the 180 days' notice.
    result = audit_text(
        "This Agreement shall continue for one (1) year and renew for successive one (1) year "
        "terms unless a Party gives written notice of termination at least one hundred eighty "
        "(180) days prior to the expiration of the then-current term."
    )
    assert result.terms.termination_notice is not None
    assert result.terms.termination_notice.value == "180d"


def test_the_term_is_read_with_its_start_end_renewal_and_notice() -> None:
    text = draft_agreement(
        audit_text(
            "This Agreement starts on 1 January 2027 and continues for 36 months. It renews "
            "automatically for successive 12 month periods. Either party may terminate this "
            "Agreement by giving 90 days' written notice."
        )
    )
    term = load_text(text, "draft.yaml").agreement.term
    assert term is not None
    # 36 months from 1 January 2027: the last day is 31 December 2029.
    assert (term.start, term.end) == (dt.date(2027, 1, 1), dt.date(2029, 12, 31))
    assert term.renewal is not None
    assert term.renewal.period is not None
    assert term.renewal.period.months == 12
    assert term.notice_period is not None
    assert term.notice_period.text == "90d"


@pytest.mark.parametrize(
    ("sentence", "start"),
    [
        ('This Agreement is entered into as of October 29, 1999 ("Effective Date").', "1999-10-29"),
        ("This Agreement is made on the 5th day of February, 2020.", "2020-02-05"),
        ("The services commence on 2027-03-01.", "2027-03-01"),
    ],
)
def test_a_start_date_is_read_in_the_common_forms(sentence: str, start: str) -> None:
    found = audit_text(sentence).terms.term_start
    assert found is not None
    assert found.value == start


def test_an_end_date_is_not_read_as_the_start() -> None:
    terms = audit_text(
        "The term shall be commencing on the date hereof and concluding on December 1, 2022."
    ).terms
    assert terms.term_start is None


def test_without_a_start_date_the_term_stays_a_comment() -> None:
    text = draft_agreement(audit_text("This Agreement continues for 2 years."))
    assert "# TODO: term: the start date is not read" in text
    load_text(text, "draft.yaml")


def test_a_credit_tier_and_its_cap_in_one_sentence() -> None:
    terms = audit_text(
        "If availability falls below 99.9% in a month, the Client is entitled to a service "
        "credit of 5% of the monthly fee, capped at 15% of the monthly fee."
    ).terms
    assert terms.credit_cap is not None
    assert terms.credit_cap.value == "15%"
    [(below, credit)] = terms.credit_tiers
    assert (below.value, credit.value) == ("99.9%", "5%")


def test_a_priority_put_on_24x7_by_its_own_sentence_runs_on_the_always_calendar() -> None:
    contract = (
        "Support hours are Monday to Friday, 8:00 to 18:00 UK time. Priority 1 incidents are "
        "supported 24x7.\n\n| Priority | Response |\n|---|---|\n| P1 | 30 minutes |\n"
        "| P2 | 2 hours |\n"
    )
    sla = load_text(draft_agreement(audit_text(contract, markdown=True)), "d.yaml").agreement.slas[
        "first-response"
    ]
    assert isinstance(sla, TicketSla)
    assert (sla.calendar_for("P1"), sla.calendar_for("P2")) == ("always", "office")


def test_business_days_are_flagged_because_d_means_24_business_hours() -> None:
    text = draft_agreement(
        audit_text("The Provider shall resolve P3 incidents within 2 business days.")
    )
    assert re.search(r"P3: 2d .*TODO: '2 business days' are business days", text)


def test_the_draft_of_a_pdf_names_pages(contract_pdf: Path) -> None:
    text = draft_agreement(audit_document(contract_pdf))
    load_text(text, "pdf-draft.yaml")
    assert "# p. 2, ¶" in text  # the termination notice is on page 2

"""The weak-phrase lexicon: every entry cites a source, and finds what it is meant to find."""

from __future__ import annotations

import pytest

from clearpact.lint.lexicon import load_lexicon

# One sentence per entry that must match it, and one close sentence that must not.
SAMPLES = {
    "best-efforts": ("We use best efforts.", "We make the best of it."),
    "reasonable-efforts": ("Using commercially reasonable efforts.", "Using the agreed steps."),
    "endeavour": (
        "The provider will endeavour to restore service.",
        "The provider will restore service.",
    ),
    "be-able-to": ("Staff will be able to log in.", "Staff log in within 5 minutes."),
    "promptly": ("We respond promptly.", "We respond within 30 minutes."),
    "asap": ("Fixed as soon as possible.", "Fixed within 8 business hours."),
    "timely": ("Reports are delivered in a timely manner.", "Reports are delivered by the 5th."),
    "undue-delay": (
        "Breaches are notified without undue delay.",
        "Breaches are notified within 24 hours.",
    ),
    "quickly": ("Tickets are handled quickly.", "Tickets are handled within 4h."),
    "regularly": ("Backups are tested regularly.", "Backups are tested quarterly."),
    "reasonable": ("Within a reasonable time.", "Within 4 hours."),
    "adequate": ("Adequate staffing.", "Two engineers on shift."),
    "appropriate": ("Patches are applied as appropriate.", "Patches are applied within 14 days."),
    "industry-standard": ("Industry standard security.", "ISO/IEC 27001:2022 controls."),
    "high-quality": ("A professional service.", "CSAT of 4.5 or higher."),
    "minimal": ("Downtime is minimised.", "Downtime is under 2 hours a month."),
    "normal": ("Support during normal business hours.", "Support on the 'office' calendar."),
    "not-limited-to": (
        "Services including but not limited to backup.",
        "Services: backup and patching.",
    ),
    "etc": ("Printers, scanners etc.", "Printers and scanners."),
    "and-or": ("Phone and/or e-mail.", "Phone, e-mail or both."),
    "as-required": ("Site visits as required.", "Two site visits a month."),
    "any-other": ("And any other services.", "And the services listed above."),
    "sole-discretion": ("At the provider's sole discretion.", "When both sides agree in writing."),
    "as-determined-by": (
        "Uptime as measured by the provider.",
        "Uptime as measured by Uptime Kuma.",
    ),
    "may-at-any-time": (
        "The provider may change these terms at any time.",
        "Changes need a signed amendment.",
    ),
    "reasonable-charges": ("Billed at reasonable charges.", "Billed at EUR 120 per hour."),
    "then-current": ("At then-current rates.", "At EUR 120 per hour."),
    "at-cost": (
        "Billed on time and materials.",
        "Billed on time and materials at EUR 120 per hour.",
    ),
    "round-the-clock": ("24/7 support.", "Support Monday to Friday."),
    # prose only (clearpact audit)
    "aims-to": ("The Supplier aims to restore service.", "The Supplier restores service in 4h."),
    "good-faith-efforts": ("It will use all reasonable steps.", "It will follow the runbook."),
    "reasonable-time": ("Fixed within a reasonable time.", "Fixed within 5 business days."),
    "in-due-course": ("A report follows in due course.", "A report follows within 5 days."),
    "to-the-satisfaction": (
        "Completed to the satisfaction of the Provider.",
        "Completed when the tests in Annex 2 pass.",
    ),
    "provider-opinion": ("If, in its reasonable opinion, a fix exists.", "If a fix exists."),
    "provider-records": (
        "Uptime as recorded by Provider's monitoring tools.",
        "Uptime as recorded by the Customer's probes.",
    ),
    "reserves-the-right": (
        "The Provider reserves the right to change the hours.",
        "The hours change only by signed amendment.",
    ),
    "party-discretion": (
        "The provider may, at its option, repair or replace the part.",
        "The provider shall repair the part within 2 days.",
    ),
    "party-decides": (
        "The provider may elect to repair or exchange the hardware.",
        "The provider shall exchange the hardware within 1 day.",
    ),
    "party-may-change": (
        "The provider may change the prices on 90 days' notice.",
        "The prices may change only by a written amendment signed by both parties.",
    ),
    "subject-to-acceptance": (
        "Swap equipment is subject to availability.",
        "Swap equipment is delivered within 1 business day.",
    ),
    "every-attempt": (
        "The Provider will make every attempt to call back within 30 minutes.",
        "The Provider calls back within 30 minutes.",
    ),
    "earliest-possible": (
        "Updates are shipped at the earliest possible date.",
        "Updates are shipped within 10 business days of release.",
    ),
    "good-order": (
        "Hardware is kept in good working order.",
        "Hardware faults are repaired within 1 business day.",
    ),
    "all-necessary": (
        "Provider shall give Customer all necessary assistance with the transition.",
        "Provider shall give Customer up to 40 hours of transition assistance at the Schedule C"
        " rates.",
    ),
    "past-practice": (
        "Provider shall perform the Services consistent with past practice.",
        "Provider shall resolve 95% of P2 incidents within 8 business hours each month.",
    ),
    "qualified-staff": (
        "Support is given by qualified engineers.",
        "Support is given by engineers certified to CompTIA A+.",
    ),
    "subject-to-approval": (
        "Visits are subject to the approval of the Provider.",
        "Visits are made within 4 business hours of a request.",
    ),
    "expenses-without-amount": (
        "The Customer shall reimburse travel expenses.",
        "The Customer shall reimburse travel expenses up to EUR 200 a visit.",
    ),
    "attorneys-fees": (
        "The Customer shall pay the Provider's reasonable attorneys' fees.",
        "The Customer shall pay the Provider's legal fees up to EUR 10,000.",
    ),
    "reasonable-notice": (
        "The Provider gives reasonable advance notice of maintenance.",
        "The Provider gives 5 business days' notice of maintenance.",
    ),
    "done-immediately": (
        "Urgent changes must be processed immediately.",
        "Urgent changes must be processed within 2 hours.",
    ),
    "agreed-later-time": (
        "Reviews take place at an agreed upon frequency.",
        "Reviews take place every quarter.",
    ),
    "immediately-act": (
        "The Provider shall immediately notify the Customer of a breach.",
        "The Provider shall notify the Customer of a breach within 24 hours.",
    ),
    "other-charges": (
        "The Customer pays any other charges that arise.",
        "The Customer pays only the charges listed in Schedule 2.",
    ),
    "separate-quotation": (
        "On-site support is subject to a separate quotation.",
        "On-site support is billed at EUR 120 per hour.",
    ),
    "up-to-party": (
        "It is up to the Provider to decide which priority applies.",
        "The priority follows the impact and urgency table in Annex 2.",
    ),
    "equitable-adjustment": (
        "Changes to the scope lead to an equitable adjustment of the fees.",
        "Each extra site adds EUR 300 to the monthly fee.",
    ),
    "negotiate-price": (
        "The parties shall negotiate in good faith the price of extra sites.",
        "Each extra site costs EUR 300 a month.",
    ),
    "increase-reflecting": (
        "The fee is increased by a percentage that reflects the provider's cost increases.",
        "The fee rises each January by the CPI, at most 3% a year.",
    ),
    "published-rates": ("Billed at the published rates.", "Billed at EUR 120 per hour."),
    "to-be-agreed": ("Fees to be agreed.", "Fees of EUR 500 per month."),
    "redacted-stars": ("A credit of [***] of the fee.", "A credit of 5% of the fee."),
    "redacted-label": ("Fees: [Confidential Treatment Requested].", "Fees: EUR 500."),
    "redacted-blank": ("The rate is $______ per hour.", "The rate is $90 per hour."),
    "redacted-blocks": ("The rate is ████.", "The rate is EUR 90."),
    "redacted-paragraph": (
        "5.7. The information in this paragraph is intentionally omitted.",
        "5.7. Credits are 5% of the monthly fee.",
    ),
}


def test_every_entry_cites_a_known_source_and_has_a_sample() -> None:
    lexicon = load_lexicon()
    assert sorted(e.id for e in lexicon.entries) == sorted(SAMPLES)
    for entry in lexicon.entries:
        assert entry.sources
        assert all(s in lexicon.sources for s in entry.sources)
        assert entry.why
        assert entry.instead


@pytest.mark.parametrize("entry_id", sorted(SAMPLES))
def test_entry_matches_its_sample_and_not_the_precise_version(entry_id: str) -> None:
    entry = next(e for e in load_lexicon().entries if e.id == entry_id)
    vague, precise = SAMPLES[entry_id]
    assert entry.search(vague) is not None
    assert entry.search(precise) is None


def test_lexicon_is_versioned() -> None:
    assert load_lexicon().version


def test_every_category_is_declared_with_a_known_source() -> None:
    lexicon = load_lexicon()
    assert {e.category for e in lexicon.entries} <= set(lexicon.categories)
    for category in lexicon.categories.values():
        assert category.summary
        assert category.sources
        assert all(s in lexicon.sources for s in category.sources)


def test_prose_only_entries_stay_out_of_agreement_lint() -> None:
    lexicon = load_lexicon()
    agreement = {e.id for e in lexicon.for_use("agreement")}
    assert "aims-to" not in agreement
    assert "redacted-stars" not in agreement
    assert "promptly" in agreement
    assert [e.id for e, _ in lexicon.find("We aim to respond promptly.")] == ["promptly"]


@pytest.mark.parametrize(
    ("entry_id", "legal_phrase"),
    [
        ("minimal", "A material breach of this Agreement."),
        ("high-quality", "Professional indemnity insurance of EUR 1m."),
        ("regularly", "The policy as amended from time to time."),
        ("quickly", "The Customer may terminate immediately."),
    ],
)
def test_fixed_legal_phrases_are_not_weak_in_prose(entry_id: str, legal_phrase: str) -> None:
    entry = next(e for e in load_lexicon().entries if e.id == entry_id)
    assert entry.search(legal_phrase) is not None  # the agreement lint still sees the words
    assert list(entry.spans_in_prose(legal_phrase)) == []

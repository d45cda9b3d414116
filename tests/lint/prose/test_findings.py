"""The audit's findings in sentences: each category, and the rules that keep false positives down
(commitments only, negation, numeric backstops, fixed legal phrases)."""

from __future__ import annotations

import pytest

from clearpact.diagnostics import Severity
from clearpact.lint.lexicon import load_lexicon
from clearpact.lint.prose import PROSE_RULES, audit_text


def sentence_findings(text: str, *, markdown: bool = False) -> list[tuple[str, str | None]]:
    """``(category, matched words)`` of every finding tied to a sentence (clause checks left out)."""
    result = audit_text(text, markdown=markdown)
    return [(f.category, f.match) for f in result.findings if f.element is None]


@pytest.mark.parametrize(
    ("sentence", "category", "words"),
    [
        ("The Provider shall use best efforts to restore service.", "effort", "best efforts"),
        ("The Supplier will endeavour to respond within 4 hours.", "effort", "will endeavour to"),
        ("The Supplier aims to restore service within 4 hours.", "effort", "aims to"),
        ("The Provider shall respond promptly.", "open_time", "promptly"),
        (
            "The Provider shall notify the Customer without undue delay.",
            "open_time",
            "without undue delay",
        ),
        (
            "The Provider shall fix defects within a reasonable time.",
            "open_time",
            "within a reasonable time",
        ),
        ("The Provider shall maintain adequate staffing.", "subjective", "adequate"),
        ("The Provider shall apply patches as appropriate.", "subjective", "as appropriate"),
        ("The Provider shall follow industry standards.", "subjective", "industry standards"),
        (
            "The Provider shall support all devices, including but not limited to laptops.",
            "open_scope",
            "including but not limited to",
        ),
        (
            "Availability is calculated as determined by Provider.",
            "discretion",
            "as determined by Provider",
        ),
        (
            "Uptime as measured by the Supplier is final.",
            "discretion",
            "as measured by the Supplier",
        ),
        (
            "Credits are granted at the Provider's sole discretion.",
            "discretion",
            "at the Provider's sole discretion",
        ),
        ("Extra work is billed at reasonable charges.", "open_cost", "reasonable charges"),
        ("Extra work is billed at the then-current rates.", "open_cost", "then-current rates"),
    ],
)
def test_each_category_is_found_with_the_exact_words(
    sentence: str, category: str, words: str
) -> None:
    assert (category, words) in sentence_findings(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Support staff are adequate and appropriate.",  # no commitment
        "The Provider responded promptly last year.",
        "Reasonable efforts were made by the previous supplier.",
        "Services, including but not limited to backup, are described in Annex 1.",
    ],
)
def test_commitment_categories_stay_quiet_outside_a_commitment(sentence: str) -> None:
    assert sentence_findings(sentence) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "The Provider shall not be required to respond promptly to P4 requests.",
        "Consent shall not be unreasonably withheld and shall not be given quickly.",
        "The Customer shall pay no additional charges for incident assistance.",
        "The Provider shall never apply patches as appropriate without approval.",
    ],
)
def test_a_negated_phrase_is_not_a_finding(sentence: str) -> None:
    assert sentence_findings(sentence) == []


def test_a_negation_in_a_relative_clause_does_not_reach_the_main_clause() -> None:
    text = "Downtime means any period in which the platform cannot be reached, as determined by Provider."
    assert ("discretion", "as determined by Provider") in sentence_findings(text)


@pytest.mark.parametrize(
    "sentence",
    [
        "The Provider shall respond promptly, and in any event within 24 hours.",
        "The Provider shall respond promptly and no later than 4 business hours after the call.",
        "The Provider shall notify the Customer without undue delay and at the latest within 72 hours.",
        "The Provider shall test backups regularly, at least once a month.",
    ],
)
def test_a_numeric_backstop_clears_open_time(sentence: str) -> None:
    assert sentence_findings(sentence) == []


def test_a_number_for_another_obligation_does_not_clear_open_time() -> None:
    text = "The Provider shall resolve P1 within 4 hours and shall respond to P4 promptly."
    assert ("open_time", "promptly") in sentence_findings(text)


def test_a_price_in_the_same_sentence_clears_open_cost() -> None:
    assert (
        sentence_findings("Extra work is billed at reasonable charges of EUR 120 per hour.") == []
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "The Customer may terminate if the Provider commits a material breach.",
        "The Provider shall maintain professional indemnity insurance of EUR 1m.",
        "The Provider shall comply with the policy as amended from time to time.",
        "The Customer may terminate immediately on written notice.",
        "Neither party shall be liable for delays caused by events beyond its reasonable control.",
        "Acme shall not be liable for failures beyond Acme's reasonable control.",
        "Each party shall keep confidential what would reasonably be considered confidential.",
        "The Customer shall sell all or substantially all of its assets only to a Permitted Buyer.",
        "Either party may seek relief in any appropriate forum.",
    ],
)
def test_fixed_legal_phrases_are_not_vague(sentence: str) -> None:
    assert sentence_findings(sentence) == []


def test_reasonable_care_is_a_standard_without_a_measure() -> None:
    # LABELLING.md A.3: "reasonable" used as the standard ("reasonable care") is a weak phrase;
    # the settled legal tests are force majeure, "not unreasonably withheld", "a reasonable person".
    found = sentence_findings("Each party shall protect the information with reasonable care.")
    assert found == [("subjective", "reasonable")]


def test_list_items_inherit_the_commitment_of_their_lead_in() -> None:
    found = sentence_findings("The Provider shall:\n(a) respond promptly;\n(b) report monthly.")
    assert found == [("open_time", "promptly")]


def test_words_and_digits_that_disagree_are_an_error() -> None:
    result = audit_text(
        "Either party may terminate on thirty (20) days' notice. Fees are five (5) euros."
    )
    found = [f for f in result.findings if f.category == "number_words"]
    assert [(f.match, f.severity) for f in found] == [("thirty (20)", Severity.ERROR)]
    assert "the words say 30, the digits 20" in found[0].message


@pytest.mark.parametrize(
    ("sentence", "flagged"),
    [
        # 1.2 million is 1,200,000; the words make 1,000,000 + 20 x 1,000 = 1,020,000
        (
            "The fee of NTD 1.2 million (SAY ONE MILLION AND TWENTY THOUSAND ONLY) is due.",
            "1.2 million (SAY ONE MILLION AND TWENTY THOUSAND ONLY)",
        ),
        # 25 x 1,000 = 25,000, not 20,000
        (
            "Acme shall pay $20,000 (Twenty Five Thousand U.S. Dollars) on signing.",
            "$20,000 (Twenty Five Thousand U.S. Dollars)",
        ),
        ("The rate is $147.14.00 per Mbps.", "$147.14.00"),  # two decimal points
        ("Payment is due within 30 (twenty) days.", "30 (twenty)"),
        # agreeing: 1,000,000 + 2 x 100 x 1,000 = 1,200,000; 6 x 1,000,000 written around
        # its digits; 30 and thirty
        ("The fee is $1,200,000 (One Million Two Hundred Thousand Dollars) a year.", None),
        ("Licensee receives Six (6,000,000) Million shares.", None),
        ("Payment is due within 30 (thirty) days of Release 2.1.3.", None),
    ],
)
def test_amounts_in_digits_and_words_that_disagree_are_an_error(
    sentence: str, flagged: str | None
) -> None:
    found = [f.match for f in audit_text(sentence).findings if f.category == "number_words"]
    assert found == ([flagged] if flagged else [])


def test_a_redacted_number_is_reported_as_redacted_not_as_a_mismatch() -> None:
    found = sentence_findings("The notice period is thirty ([***]) days.")
    assert found == [("redacted", "[***]")]


@pytest.mark.parametrize(
    "mark",
    [
        "***",
        "[***]",
        "[*]",
        "[REDACTED]",
        "[Confidential Treatment Requested]",
        "[***Confidential Treatment Requested***]",
    ],
)
def test_every_redaction_mark_is_reported_as_redacted(mark: str) -> None:
    result = audit_text(f"The Provider shall pay a credit of {mark} per month.")
    found = [f for f in result.findings if f.category == "redacted"]
    assert len(found) == 1
    assert found[0].severity is Severity.INFO
    assert mark.strip("*") in (found[0].match or "")


def test_availability_without_period_or_downtime_definition_is_unmeasurable() -> None:
    result = audit_text("3. SERVICE LEVELS\n3.1 The Provider shall ensure 99.9% uptime.")
    (finding,) = [f for f in result.findings if f.category == "number_without_basis"]
    assert finding.match == "99.9%"
    assert "no measurement period" in finding.message
    assert "no definition of downtime" in finding.message


def test_availability_is_measurable_with_a_period_and_a_definition_in_its_clause() -> None:
    text = (
        '1. DEFINITIONS\n"Downtime" means any minute in which two checks fail.\n'
        "3. SERVICE LEVELS\n3.1 The Provider shall ensure 99.9% uptime.\n"
        "3.2 Availability is measured per calendar month by the Customer's probes.\n"
        "3.3 Reports are issued by the fifth day of each month."
    )
    assert [f for f in audit_text(text).findings if f.category == "number_without_basis"] == []


def test_a_month_said_of_reports_is_not_the_period_of_availability() -> None:
    text = (
        "3. SERVICE LEVELS\n3.1 The Provider shall ensure 99.9% uptime, with downtime measured by Pingdom.\n"
        "3.2 Reports are issued in each month."
    )
    (finding,) = [f for f in audit_text(text).findings if f.category == "number_without_basis"]
    assert "no measurement period" in finding.message
    assert "definition" not in finding.message


def test_a_number_without_a_unit_is_unmeasurable() -> None:
    found = sentence_findings("Reports will be issued within 4 of the end of the month.")
    assert ("number_without_basis", "within 4") in found
    assert sentence_findings("The Provider shall respond within 4 business hours.") == []


def test_an_undefined_capitalised_term_is_reported_once_at_first_use() -> None:
    text = (
        '"Business Day" means Monday to Friday.\n'
        "The Provider shall pay Service Credits within 2 Business Days.\n"
        "Service Credits are capped."
    )
    result = audit_text(text)
    found = [f for f in result.findings if f.category == "undefined_term"]
    assert [(f.match, f.sentence) for f in found] == [("Service Credits", 2)]
    assert "used 2 times" in found[0].message


def test_terms_defined_in_brackets_or_lists_are_not_undefined() -> None:
    text = (
        'This Agreement is made between Acme GmbH ("Provider") and Beta AG (the "Customer") for the '
        'managed services (the "Managed Services").\n'
        "1. DEFINITIONS\nResponse Time: the time to the first human reply.\n"
        "2. SERVICES\nThe Provider shall deliver the Managed Services within the Response Time."
    )
    assert [f for f in audit_text(text).findings if f.category == "undefined_term"] == []


def test_an_external_glossary_turns_undefined_terms_into_notes() -> None:
    text = (
        "Capitalised terms not defined herein have the meanings given in the Master Agreement.\n"
        "The Provider shall pay Service Credits monthly."
    )
    found = [f for f in audit_text(text).findings if f.category == "undefined_term"]
    assert "Service Credits" in [f.match for f in found]
    assert {f.severity for f in found} == {Severity.INFO}
    assert all("defined elsewhere" in f.message for f in found)


def test_one_phrase_gives_one_finding() -> None:
    found = sentence_findings("The Provider shall respond as soon as possible.")
    assert found == [("open_time", "as soon as possible")]


def test_findings_point_at_page_paragraph_sentence_and_line() -> None:
    result = audit_text(
        "Intro text here.\n\nThe Provider shall respond promptly.\fThe Provider shall act quickly."
    )
    found = [
        (f.page, f.paragraph, f.sentence, f.line, f.start, f.end)
        for f in result.findings
        if f.element is None
    ]
    assert found == [(1, 2, 2, 3, 27, 35), (2, 3, 3, 3, 23, 30)]


def test_every_rule_id_is_unique_and_every_category_is_in_the_lexicon() -> None:
    categories = set(load_lexicon().categories) | {"clause"}
    assert {r.category for r in PROSE_RULES.values()} <= categories
    assert len({r.name for r in PROSE_RULES.values()}) == len(PROSE_RULES)


def test_the_providers_own_name_makes_a_measure_one_sided() -> None:
    text = (
        'This Agreement is made between QuickFix IT Ltd ("Supplier") and Meadow Dental ("Customer").\n'
        "Uptime is calculated as determined by QuickFix."
    )
    assert ("discretion", "as determined by QuickFix") in sentence_findings(text)


def test_table_headers_in_title_case_are_not_undefined_terms() -> None:
    text = (
        "| Priority | Response Time | Resolution Time |\n|---|---|---|\n| P1 | 1 hour | 4 hours |\n"
    )
    assert [
        f for f in audit_text(text, markdown=True).findings if f.category == "undefined_term"
    ] == []


def test_an_undefined_term_counts_only_where_a_commitment_depends_on_it() -> None:
    text = (
        'This Agreement is made between International Business Machines ("IBM") and Acme '
        '("Customer").\n'
        "Support Plan Overview\n"
        "IBM Global Services will provide the Hosting Services in the Fee Schedule.\n"
        "Customer shall pay the Additional Fees (as defined in Exhibit A) monthly.\n"
        'IBM will identify them as Type I Materials or "Type II Materials," as agreed.\n'
        "IBM shall keep the Customer Portal available from 9:00 Eastern Time."
    )
    found = [f.match for f in audit_text(text).findings if f.category == "undefined_term"]
    assert found == ["Hosting Services", "Customer Portal"]


def test_the_parties_short_names_make_a_decision_one_sided() -> None:
    text = (
        'This Agreement is entered into by eGain Communications Corporation ("eGain") and Eliance '
        'Corporation ("Customer").\n'
        "eGain will provide the Hosting Services.\n"
        "eGain may adjust the monthly fee by providing written notice of the adjustment.\n"
        "Customer may choose to purchase additional hours at the same rates.\n"
        "Customer may in its sole discretion terminate this Agreement on 30 days' notice."
    )
    found = [(f.sentence, f.match) for f in audit_text(text).findings if f.category == "discretion"]
    assert found == [(3, "eGain may adjust the monthly fee")]


def test_each_redaction_mark_in_a_sentence_is_reported() -> None:
    found = sentence_findings(
        "Extra visits cost $[*] each, and visits beyond [***] per quarter are billed at [*]."
    )
    assert found == [("redacted", "[*]"), ("redacted", "[***]"), ("redacted", "[*]")]


@pytest.mark.parametrize(
    "legend",
    [
        "[***] Certain confidential portions of this exhibit were omitted and filed separately.",
        "[*] = confidential treatment requested for the omitted words.",
        "Confidential treatment has been requested for the portions marked [***].",
        "EXHIBIT 10.26 ***Confidential treatment requested pursuant to a request for confidential"
        " treatment filed with the Securities and Exchange Commission.",
        'CONFIDENTIAL TREATMENT REQUESTED WITH RESPECT TO CERTAIN PORTIONS HEREOF DENOTED WITH "***"',
        "REDACTED MATERIAL IS MARKED WITH [* * *] AND HAS BEEN FILED SEPARATELY WITH THE SEC.",
        "Confidential portions of this Exhibit are designated by [*****].",
        "[*] Designates portions of this document that have been omitted.",
    ],
)
def test_a_legend_that_explains_the_redaction_mark_is_not_a_redaction(legend: str) -> None:
    assert sentence_findings(legend) == []


def test_a_redaction_after_a_legend_sentence_is_still_reported() -> None:
    found = sentence_findings(
        "[*] Confidential portions omitted. The Provider shall pay a credit of [*] per hour."
    )
    assert found == [("redacted", "[*]")]


@pytest.mark.parametrize(
    ("sentence", "blank"),
    [
        ("The Customer shall pay a setup fee of $_______ on signature.", "$_______"),
        ("The Customer shall pay a setup fee of $[ ] on signature.", "$[ ]"),
        ("The Provider will host the shop at www.______.com for the Customer.", "______"),
    ],
)
def test_a_blank_left_for_a_term_is_reported_as_redacted(sentence: str, blank: str) -> None:
    assert sentence_findings(sentence) == [("redacted", blank)]


def test_signature_lines_are_not_blanks_for_a_term() -> None:
    result = audit_text("Signature: ___________ Date: ________\nName: __________ Title: ________")
    assert [f for f in result.findings if f.category == "redacted"] == []


@pytest.mark.parametrize(
    "sentence",
    [
        "The Provider shall back up all systems, including, without limitation, the mail server.",
        "The Provider shall patch all hosts, including, without limitations, the firewalls.",
    ],
)
def test_including_without_limitation_with_a_comma_is_open_scope(sentence: str) -> None:
    assert [c for c, _ in sentence_findings(sentence)] == ["open_scope"]


def test_such_as_before_a_verb_is_a_comparison_not_a_list() -> None:
    text = "The Provider shall pay the damages such as would be awarded by an arbitrator."
    assert sentence_findings(text) == []


def test_a_duty_a_party_is_solely_responsible_for_is_a_commitment() -> None:
    text = "The Customer is solely responsible for all data, including but not limited to backups."
    assert [c for c, _ in sentence_findings(text)] == ["open_scope"]


@pytest.mark.parametrize(
    "sentence",
    [
        "In no event shall the Provider be liable for indirect damages (including, without "
        "limitation, lost profits).",
        "The Provider shall indemnify the Customer against all claims, including but not "
        "limited to claims of infringement.",
    ],
)
def test_an_open_list_in_a_disclaimer_or_an_indemnity_is_not_open_scope(sentence: str) -> None:
    assert "open_scope" not in [c for c, _ in sentence_findings(sentence)]


def test_the_capitalised_end_of_a_defined_term_is_not_undefined() -> None:
    text = (
        '"cloud Storage Platform" means the servers and disks the Provider runs.\n\n'
        "The Provider shall keep the cloud Storage Platform patched within 30 days."
    )
    assert [c for c, _ in sentence_findings(text) if c == "undefined_term"] == []


def test_words_of_an_agreement_title_under_an_exhibit_number_are_not_undefined() -> None:
    text = (
        "# Exhibit 4.2\n\n# MANAGED NETWORK SERVICE AGREEMENT\n\n"
        "The Provider shall keep the Managed Network Service available within 5 minutes of a fault."
    )
    result = audit_text(text, markdown=True)
    assert [f for f in result.findings if f.category == "undefined_term"] == []


@pytest.mark.parametrize(
    ("text", "category", "words"),
    [
        # a customer deciding alone what the provider owes is discretion too (LABELLING.md A.3)
        (
            "The Provider shall store the records at such location as designated by the Customer.",
            "discretion",
            "as designated by the Customer",
        ),
        (
            "Brightline shall install the agents. Brightline will patch the servers. "
            "Brightline may review the logs. Brightline reserves the right to change the hours.",
            "discretion",
            "Brightline reserves the right to",
        ),
        (
            "The Provider shall give reasonable advance notice of maintenance.",
            "open_time",
            "reasonable advance notice",
        ),
        (
            "The Provider shall immediately notify the Customer of a breach.",
            "open_time",
            "immediately notify",
        ),
        (
            "This includes, but is not limited to, monitoring and patching.",
            "open_scope",
            "includes, but is not limited to",
        ),
        (
            "The Provider will make every attempt to call back within 30 minutes.",
            "effort",
            "make every attempt",
        ),
        (
            "Scope changes lead to an equitable adjustment of the fees.",
            "open_cost",
            "an equitable adjustment of the fees",
        ),
    ],
)
def test_findings_added_from_the_development_contracts(
    text: str, category: str, words: str
) -> None:
    assert (category, words) in sentence_findings(text)


@pytest.mark.parametrize(
    "text",
    [
        # a definition owes nothing, whatever words it holds (LABELLING.md A.2)
        '"Initial Services" shall mean all Services requested by the Customer as appropriate.',
        'For purposes of this Agreement, "Normal Business Hours" shall mean 8:00 to 18:00.',
        # a capitalised name is not a weak word
        "The Provider shall deliver the Material within 5 business days.",
        # consent that may be withheld restricts the other side; it leaves nothing owed open
        "The Provider shall not publish the logo without the Customer's approval, which the "
        "Customer may withhold in its sole discretion.",
        # deeming and survival clauses and rights are not duties
        "Messages signed this way will be deemed writings and shall be binding as appropriate.",
        "The Customer shall have access to the data at reasonable times.",
    ],
)
def test_no_vague_commitment_where_nothing_is_owed(text: str) -> None:
    found = [c for c, _ in sentence_findings(text) if c not in ("undefined_term", "clause")]
    assert found == [], found


def test_long_runs_of_blanks_and_stars_do_not_stall_the_audit() -> None:
    """A regular expression with nested repeats can take exponential time on a long blank line
    ("Dated the ______…" without "day" after it). Run in a child process so that a regression
    fails here instead of hanging the suite."""
    import subprocess
    import sys

    code = (
        "from clearpact.lint.prose import audit_text\n"
        "blank = '_' * 400\n"
        "text = ('The Provider shall pay ' + blank + ' within ' + blank + ' as agreed. ') * 20\n"
        "text += 'Dated the ' + blank + ' of ' + blank + ' by ' + ' ' .join([blank] * 30)\n"
        "text += ' [' + ' * ' * 300 + ' and [*' + '*' * 500\n"
        "audit_text(text)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_running_footers_of_a_text_export_do_not_cut_a_list_from_its_lead_in() -> None:
    text = "\n\n".join(
        [
            "The Provider shall:",
            "Source: ACME CORP, 10-Q, 11/8/2019",
            "(a) respond promptly;",
            "Source: ACME CORP, 10-Q, 11/8/2019",
            "(b) fix defects.",
            "Source: ACME CORP, 10-Q, 11/8/2019",
            "Included in the fee.",
            "Included in the fee.",
            "Included in the fee.",
        ]
    )
    result = audit_text(text)
    assert [s.text for s in result.sentences if "Source:" in s.text] == []
    assert sum(s.text == "Included in the fee." for s in result.sentences) == 3
    assert ("open_time", "promptly") in sentence_findings(text)


def test_attorneys_fees_are_open_cost_only_outside_an_indemnity() -> None:
    # An indemnity's defence costs are bounded by the claims it covers; a bare duty to pay the
    # other side's lawyers is not.
    indemnity = (
        "The Provider shall indemnify and hold the Customer harmless from all claims, including"
        " reasonable attorneys' fees, arising from the Provider's negligence."
    )
    assert sentence_findings(indemnity) == []
    bare = "The Customer shall reimburse the Provider's reasonable attorneys' fees of collection."
    assert sentence_findings(bare) == [("open_cost", "reasonable attorneys' fees")]

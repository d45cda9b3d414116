"""The schedule's content: sections present only when the agreement has them, plain statements of
what it leaves open, and the numbers an office manager reads."""

from __future__ import annotations

from clearpact.agreement.slas import MeasurementPeriod
from clearpact.explain import Document, explain_agreement, render_markdown
from clearpact.explain.document import Bullets, Gap, Paragraph
from clearpact.explain.service_levels import allowed_downtime
from tests.conftest import build, example_data
from tests.explain.conftest import explained, subsection


def texts(document: Document) -> str:
    return render_markdown(document)


def test_vague_agreement_says_plainly_what_it_does_not_say(vague: Document) -> None:
    markdown = texts(vague)
    for statement in (
        "The agreement does not say what happens when a ticket is reopened",
        "The agreement does not say what happens at the end of the term.",
        "The agreement does not say what IT support excludes.",
        "The agreement does not say who sets a ticket's priority.",
        "The agreement does not say when a ticket is Urgent.",
        "The agreement does not say what counts as a response",
        "The agreement does not say how much credit one month can bring (no cap).",
        "The agreement does not say how problems are escalated, or to whom.",
    ):
        assert statement in markdown, statement
    summary = subsection(vague, "What the agreement does not say")
    (listed,) = [b for b in summary.blocks if isinstance(b, Bullets)]
    assert len(listed.items) == len(vague.gaps()) >= 20
    # Each point names where it comes from, so the two SLAs' identical gaps stay apart.
    assert (
        "First response ('response'): The agreement does not say what happens when a ticket is reopened; clearpact assumes the same clock continues."
        in listed.items
    )
    assert (
        "Resolution ('fix'): The agreement does not say what happens when a ticket is reopened; clearpact assumes the same clock continues."
        in listed.items
    )


def test_vague_agreement_days_on_an_office_calendar_are_spelled_out(vague: Document) -> None:
    # '1d' is 24 business hours: three 8-hour working days on a 09:00–17:00 calendar.
    markdown = texts(vague)
    assert (
        "A Normal ticket gets a response within 24 business hours (written '1d': on this "
        "calendar that is 3 working days of 8 hours, not 1 working day)" in markdown
    )
    assert "An Urgent ticket" in markdown
    assert "That is more than all of them, which no provider can meet." in markdown


def test_complete_example_has_every_section_and_leaves_nothing_open(smb: Document) -> None:
    titles = [s.title for s in smb.sections]
    assert titles == [
        "Who, for how long, and how the work is shared",
        "Business objectives",
        "Defined terms",
        "What is covered",
        "Priorities",
        "Business hours",
        "Service levels",
        "Key performance indicators",
        "Service credits",
        "Meetings, reports and escalation",
        "Disasters, backups and data",
        "When the agreement ends",
        "Versions and amendments",
    ]
    # The example lints clean, the `unanswered` policy included: nothing is left to assume, so
    # there is no "What the agreement does not say" section.
    assert smb.gaps() == []


def test_a_response_sla_without_an_unanswered_policy_is_an_open_point() -> None:
    data = example_data("fully-managed-smb.yaml")
    del data["slas"]["first-response"]["unanswered"]
    document = explain_agreement(build(data))
    assert [text for _, text in document.gaps()] == [
        "The agreement does not say what happens when a ticket is resolved before anyone "
        "replies; clearpact then counts the resolution as the response and flags the ticket."
    ]


def test_ticket_slas_read_as_sentences(smb: Document) -> None:
    first = subsection(smb, "First response ('first-response')")
    (targets,) = [b for b in first.blocks if isinstance(b, Bullets)][:1]
    assert targets.items[:2] == [
        "A Critical (P1) ticket gets a reply from an engineer within 30 minutes, at any time of "
        "day or week.",
        "A High (P2) ticket gets a reply from an engineer within 1 business hour, counting Monday "
        "to Friday 08:00–18:00 Berlin time (the 'office' calendar).",
    ]


def test_calendars_in_words(smb: Document, enterprise: Document) -> None:
    (hours,) = [b for b in subsection(smb, "Business hours").blocks if isinstance(b, Bullets)]
    assert hours.items == [
        "'office': Monday to Friday 08:00–18:00 Berlin time, except public holidays in Germany "
        "(Bayern) and 24 and 31 December each year.",
        "'always': every hour of every day (24x7), Berlin time.",
        "'maintenance': overnight from Saturday 22:00 to Sunday 04:00 Berlin time.",
    ]
    (us,) = [b for b in subsection(enterprise, "Business hours").blocks if isinstance(b, Bullets)]
    assert "except public holidays in the United States" in us.items[1]


def test_availability_target_in_minutes_per_month() -> None:
    # 30 days × 1,440 minutes = 43,200 minutes; 0.5% of that is 216 minutes (3h36m).
    assert allowed_downtime(99.5, MeasurementPeriod.MONTH).startswith(
        "99.5% of a 30-day month allows 216 minutes (3 hours 36 minutes) of downtime"
    )
    # 0.05% of 43,200 = 21.6 minutes; of 44,640 (31 days) = 22.32.
    text = allowed_downtime(99.95, MeasurementPeriod.MONTH)
    assert "21.6 minutes (21 minutes 36 seconds)" in text
    assert "22.32 minutes" in text


def test_worked_credit_month_shows_its_arithmetic(smb: Document) -> None:
    credits = subsection(smb, "Service credits")
    month = next(
        b for b in credits.blocks if isinstance(b, Bullets) and b.lead and "worked month" in b.lead
    )
    # Resolution tiers below 90% → 4% and below 80% → 7%: 85% lands in the first, 4% of
    # EUR 7,800 = EUR 312; availability 99.25% (between 99.5% and 99%) also 4% → EUR 312.
    assert month.items == [
        "resolution: attainment 85%, below 90% → 4% × EUR 7,800 = EUR 312",
        "availability ('availability-core'): attainment 99.25%, below 99.5% → 4% × EUR 7,800 = EUR 312",
        "Total 8% of the fee = EUR 624, within the 15% cap.",
    ]
    worst = [b.text for b in credits.blocks if isinstance(b, Paragraph) and "worst month" in b.text]
    assert worst == [
        "In the worst month every SLA lands in its deepest tier: resolution 7% + availability "
        "('availability-core') 8% = 15% of the fee (EUR 1,170), within the 15% cap."
    ]


def test_an_agreement_with_almost_nothing_still_explains() -> None:
    agreement = build(
        {
            "version": "clearpact/v1",
            "title": "Bare",
            "parties": {"provider": {"name": "P"}, "customer": {"name": "C"}},
        }
    )
    document = explain_agreement(agreement)
    gaps = [text for _, text in document.gaps()]
    assert "The agreement does not state its term: when it starts and how it ends." in gaps
    assert "The agreement sets no service levels." in gaps
    assert isinstance(subsection(document, "Business hours").blocks[0], Gap)


def test_the_explained_terms_are_those_of_the_first_day() -> None:
    # The SMB example's amendment 1.1 (1 July 2026) sets P2 resolution to 6h; the schedule
    # follows version 1.0 (8h) and lists the change with the value it replaces.
    document = explained("fully-managed-smb")
    markdown = texts(document)
    assert "A High (P2) ticket is resolved within 8 business hours" in markdown
    assert "slas.resolution.targets.P2: 6h (was 8h)" in markdown


def test_an_amendment_effective_on_the_first_day_is_explained() -> None:
    data = example_data("fully-managed-smb.yaml")
    data["versions"][0]["changes"] = {"slas.resolution.targets.P2": "7h"}
    markdown = texts(explain_agreement(build(data)))
    assert "A High (P2) ticket is resolved within 7 business hours" in markdown
    assert "Total 7h = the 7h target" in markdown


def test_output_is_the_same_every_time() -> None:
    agreement = build(example_data("co-managed-enterprise.yaml"))
    assert texts(explain_agreement(agreement)) == texts(explain_agreement(agreement))

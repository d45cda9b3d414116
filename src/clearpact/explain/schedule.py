"""The whole plain-language schedule of an agreement, section by section, ending with every point
the agreement leaves open.

Pure: the model in, a :class:`~clearpact.explain.document.Document` out; no dates from the clock on
the wall, so the same agreement always explains the same way.
"""

from __future__ import annotations

from clearpact.agreement.model import Agreement
from clearpact.agreement.slas import AvailabilitySla
from clearpact.agreement.versions import in_force, version_in_force
from clearpact.explain.credits import credits_section
from clearpact.explain.document import Bullets, Document, Gap, Paragraph, Section
from clearpact.explain.service_levels import (
    availability_section,
    calendars_section,
    kpis_section,
    ticket_sla_section,
)
from clearpact.explain.terms import (
    amendments_section,
    definitions_section,
    exit_section,
    governance_section,
    objectives_section,
    parties_section,
    priorities_section,
    responsibilities_gap,
    risk_section,
    scope_section,
)
from clearpact.explain.wording import date_words, plural
from clearpact.explain.worked import ReferenceDates, reference_dates


def explain_agreement(agreement: Agreement) -> Document:
    """The agreement in plain language, as both sides read it before signing.

    The terms explained are those in force on the term's first day (later amendments are listed
    in their own section). Worked examples happen in the agreement's first weeks — the first
    Friday of the term, its next public holiday, a quiet week after — so the output never
    depends on today's date; without a term they use :data:`~clearpact.explain.worked.
    FALLBACK_FRIDAY`.
    """
    dates = reference_dates(agreement)
    first_day = agreement.term.start if agreement.term else dates.friday
    terms = in_force(agreement, first_day)
    version = version_in_force(agreement, first_day)
    provider, customer = agreement.parties.provider.name, agreement.parties.customer.name
    follows = f"version {version}, " if version else ""
    document = Document(title=agreement.title)
    intro = (
        f"This is the agreement between {provider} (the provider) and {customer} (the "
        f"customer) in plain language, as both sides read it before signing. It follows the "
        f"terms in force on {date_words(first_day)} ({follows}the first day of the term). "
        "The worked examples were measured by clearpact's SLA clock on the agreement's own "
        "calendars."
    )
    scope = scope_section(terms)
    scope.add(responsibilities_gap(terms))
    sections = [
        parties_section(terms),
        objectives_section(terms),
        definitions_section(terms),
        scope,
        priorities_section(terms),
        calendars_section(terms),
        _service_levels(terms, dates),
        kpis_section(terms),
        credits_section(terms),
        governance_section(terms),
        risk_section(terms),
        exit_section(terms),
        amendments_section(agreement, version),
    ]
    document.sections = [s for s in sections if s is not None]
    gaps = document.gaps()
    intro += (
        " Where the agreement is silent on something a reader needs, this says so; the last "
        "section lists every such point."
        if gaps
        else " It leaves none of the points this schedule covers open."
    )
    document.intro.append(Paragraph(intro))
    if gaps:
        summary = Section("What the agreement does not say")
        summary.add(
            Paragraph(
                f"{plural(len(gaps), 'point')} a reader needs that the agreement leaves open; "
                "settle them before signing, or accept clearpact's stated assumption:"
            ),
            Bullets([f"{title}: {text}" for title, text in gaps]),
        )
        document.sections.append(summary)
    return document


def _service_levels(agreement: Agreement, dates: ReferenceDates) -> Section:
    section = Section("Service levels")
    if not agreement.slas:
        section.add(Gap("The agreement sets no service levels."))
        return section
    section.add(
        Paragraph(
            f"The worked examples below happen in the agreement's first weeks: on Friday "
            f"{date_words(dates.friday, weekday=False)}, before the next public holiday of each "
            f"calendar, and in the week of Monday {date_words(dates.monday, weekday=False)}."
        )
    )
    for key, sla in agreement.slas.items():
        if isinstance(sla, AvailabilitySla):
            section.subsections.append(availability_section(agreement, key, sla))
        else:
            section.subsections.append(ticket_sla_section(agreement, key, sla, dates))
    return section

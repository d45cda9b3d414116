"""The service-level sections of the schedule: business hours, each ticket SLA as sentences with
worked examples, availability in minutes per month, and KPIs.

Pure: builds :mod:`clearpact.explain.document` blocks from the model; the worked examples come
from the clock (``worked``).
"""

from __future__ import annotations

from decimal import Decimal

from clearpact.agreement.calendars import CalendarSpec
from clearpact.agreement.model import Agreement
from clearpact.agreement.slas import (
    AvailabilitySla,
    Direction,
    MeasurementPeriod,
    PriorityChangeRule,
    ReopenRule,
    ResponseAuthor,
    ResponseExclusion,
    StartEvent,
    StopEvent,
    TargetSpec,
    TicketSla,
    UnansweredRule,
)
from clearpact.clock.rules import DEFAULT_PRIORITY_CHANGE, DEFAULT_REOPEN, DEFAULT_STOP
from clearpact.explain.document import Bullets, Gap, Paragraph, Quote, Section, Table
from clearpact.explain.wording import (
    article,
    calendar_words,
    capital,
    hours_words,
    join_words,
    names,
    percent,
    period_words,
    plural,
    sentence,
    working_day_seconds,
)
from clearpact.explain.worked import (
    ReferenceDates,
    ordered_priorities,
    priority_label,
    worked_examples,
)

METRIC_TITLES = {
    "first_response": "First response",
    "resolution": "Resolution",
    "next_update": "Updates while a ticket is open",
    "restoration": "Restoration of service",
    "availability": "Availability",
}
PERIOD_WORDS = {
    MeasurementPeriod.MONTH: "month",
    MeasurementPeriod.QUARTER: "quarter",
    MeasurementPeriod.YEAR: "year",
}
PERIOD_DAYS = {
    MeasurementPeriod.MONTH: (30, 31),
    MeasurementPeriod.QUARTER: (90, 92),
    MeasurementPeriod.YEAR: (365, 366),
}
START_WORDS = {
    StartEvent.CREATED: "when the ticket is created",
    StartEvent.ASSIGNED: "when the ticket is first assigned to someone",
    StartEvent.PREVIOUS_PUBLIC_REPLY: "at each public reply",
}
STOP_WORDS = {
    StopEvent.FIRST_RESPONSE: "at the first response",
    StopEvent.NEXT_PUBLIC_REPLY: "at the next public reply",
    StopEvent.WORKAROUND: "when the service works again, with a workaround or a fix (a "
    "resolution also stops it)",
    StopEvent.RESOLVED: "when the ticket is resolved",
    StopEvent.CLOSED: "when the ticket is closed",
}
EXCLUSION_WORDS = {
    ResponseExclusion.AUTOMATIC_ACKNOWLEDGEMENT: "an automatic acknowledgement",
    ResponseExclusion.INTERNAL_NOTE: "an internal note",
    ResponseExclusion.STATUS_CHANGE: "a change of status",
    ResponseExclusion.ASSIGNMENT: "assigning the ticket to someone",
    ResponseExclusion.CUSTOMER_REPLY: "a reply from the customer",
}


# -- calendars ------------------------------------------------------------------------------------


def calendars_section(agreement: Agreement) -> Section:
    """Each calendar in words; the SLAs refer to them by name."""
    section = Section("Business hours")
    if not agreement.calendars:
        section.add(
            Gap(
                "The agreement defines no calendar, so it does not say which hours an SLA clock "
                "counts."
            )
        )
        return section
    section.add(Paragraph("The SLA clocks count time only in these hours:"))
    items = []
    for name, spec in agreement.calendars.items():
        purpose = f" ({spec.description})" if spec.description else ""
        items.append(f"'{name}'{purpose}: {calendar_words(spec)}.")
    section.add(Bullets(items))
    return section


# -- ticket SLAs ----------------------------------------------------------------------------------


def ticket_sla_section(
    agreement: Agreement, key: str, sla: TicketSla, dates: ReferenceDates
) -> Section:
    """One ticket SLA: its targets as sentences, how the clock runs, the policies, the
    attainment target and the worked examples."""
    section = Section(f"{METRIC_TITLES[sla.metric]} ('{key}')")
    if sla.description:
        section.add(Quote(sla.description))
    section.add(*_target_blocks(agreement, sla))
    section.add(*_clock_blocks(sla))
    section.add(*_policy_blocks(sla))
    section.add(_attainment_block(sla))
    if sla.exclusions:
        section.add(Bullets(list(sla.exclusions), lead="Not measured:"))
    if sla.at_risk is not None:
        section.add(
            Paragraph(
                f"An open ticket is flagged at risk once {percent(sla.at_risk)} of its target "
                "has passed."
            )
        )
    if sla.metric == "next_update" or sla.start == StartEvent.PREVIOUS_PUBLIC_REPLY:
        section.add(
            Paragraph(
                "No worked examples: clearpact's SLA clock does not measure clocks that restart "
                "at every reply yet."
            )
        )
        return section
    examples = worked_examples(agreement, key, sla, dates)
    if examples.lead:
        section.add(Paragraph(examples.lead))
    section.add(*examples.examples)
    if examples.notes:
        section.add(Paragraph(" ".join(examples.notes)))
    return section


def _who_replies(sla: TicketSla) -> str:
    response = sla.response
    if response is None:
        return "a response"
    if response.author == ResponseAuthor.HUMAN_AGENT:
        return "a reply from an engineer"
    return "a reply from the provider"


def _promise(agreement: Agreement, sla: TicketSla, priority: str, seconds: int) -> str:
    label = f"{capital(article(priority_label(agreement, priority)))} ticket"
    calendar_name = sla.calendar_for(priority)
    spec = agreement.calendars.get(calendar_name) if calendar_name else None
    always = spec is not None and spec.is_24x7 and not spec.holidays
    within = hours_words(seconds) if always else _business_words(seconds)
    days = _days_note(sla, priority, spec)
    if always:
        when = "at any time of day or week"
    elif spec is None:
        when = "on a calendar the agreement does not define"
    else:
        when = f"counting {calendar_words(spec, full=False)} (the '{calendar_name}' calendar)"
    what = {
        "first_response": f"gets {_who_replies(sla)} within {within}{days}",
        "resolution": f"is resolved within {within}{days}",
        "restoration": f"has its service working again (a workaround is enough) within "
        f"{within}{days}",
        "next_update": f"gets an update at least every {within}{days} while it is open",
    }[sla.metric]
    return f"{label} {what}, {when}."


def _business_words(seconds: int) -> str:
    if seconds % 3600 == 0:
        return plural(seconds // 3600, "business hour")
    if seconds < 3600:
        return plural(seconds // 60, "business minute")
    return f"{hours_words(seconds)} of business time"


def _days_note(sla: TicketSla, priority: str, spec: CalendarSpec | None) -> str:
    """For a target written in days on an office calendar: what it means in working days (a
    ``d`` is 24 hours of the clock's calendar, see lint rule CP318)."""
    target = sla.targets[priority]
    text = target.within.text if isinstance(target, TargetSpec) else target.text
    if "d" not in text or spec is None or spec.is_24x7:
        return ""
    seconds = sla.target_seconds(priority) or 0
    written = plural(seconds // 86400, "working day") if seconds % 86400 == 0 else "whole days"
    day = working_day_seconds(spec)
    if day:
        working_days = float(Decimal(seconds) / Decimal(day))
        return (
            f" (written '{text}': on this calendar that is {plural(working_days, 'working day')} "
            f"of {hours_words(day)}, not {written})"
        )
    return f" (written '{text}': that is {hours_words(seconds)} of business time, not {written})"


def _target_blocks(agreement: Agreement, sla: TicketSla) -> list[Paragraph | Bullets | Gap]:
    blocks: list[Paragraph | Bullets | Gap] = []
    if not sla.targets:
        blocks.append(Gap("The agreement sets no target for this SLA, so it cannot be measured."))
        return blocks
    promises = []
    for priority in ordered_priorities(agreement, sla):
        seconds = sla.target_seconds(priority)
        if seconds is not None:
            promises.append(_promise(agreement, sla, priority, seconds))
    blocks.append(Bullets(promises))
    levels = agreement.priorities.levels if agreement.priorities else {}
    for priority in levels:
        if priority not in sla.targets:
            blocks.append(
                Gap(
                    f"The agreement sets no {METRIC_TITLES[sla.metric].lower()} target for "
                    f"{priority_label(agreement, priority)} tickets."
                )
            )
    if sla.calendar is None and any(sla.calendar_for(p) is None for p in sla.targets):
        blocks.append(Gap("The agreement does not say which hours this SLA's clock counts."))
    return blocks


def _clock_blocks(sla: TicketSla) -> list[Paragraph | Gap]:
    blocks: list[Paragraph | Gap] = []
    start = START_WORDS[sla.start] if sla.start else None
    default_stop = DEFAULT_STOP.get(sla.metric)
    stop = STOP_WORDS[sla.stop] if sla.stop else None
    if start and stop:
        blocks.append(Paragraph(f"The clock starts {start} and stops {stop}."))
    if start is None:
        blocks.append(
            Gap(
                "The agreement does not say when the clock starts; clearpact starts it when the "
                "ticket is created."
            )
        )
    if stop is None:
        assumed = f"; clearpact stops it {STOP_WORDS[default_stop]}" if default_stop else ""
        blocks.append(Gap(f"The agreement does not say when the clock stops{assumed}."))
    if sla.pause_statuses:
        blocks.append(
            Paragraph(
                f"The clock pauses while the ticket's status is {names(sla.pause_statuses)}; "
                "paused time does not count."
            )
        )
    elif sla.metric == "first_response":
        blocks.append(Paragraph("The clock never pauses."))
    else:
        blocks.append(
            Paragraph(
                "The clock never pauses: the agreement names no status in which it stops, so time "
                "spent waiting on the customer or a supplier counts too."
            )
        )
    if sla.stop in (StopEvent.FIRST_RESPONSE, StopEvent.NEXT_PUBLIC_REPLY) or (
        sla.stop is None and sla.metric in ("first_response", "next_update")
    ):
        blocks.extend(_response_blocks(sla))
    return blocks


def _response_blocks(sla: TicketSla) -> list[Paragraph | Gap]:
    response = sla.response
    if response is None:
        return [
            Gap(
                "The agreement does not say what counts as a response, so an automatic "
                "acknowledgement could be read as one; clearpact counts only a public reply "
                "written by a person at the provider."
            )
        ]
    author = (
        "a public reply written by a person at the provider (not an automatic message)"
        if response.author == ResponseAuthor.HUMAN_AGENT
        else "a public reply from the provider, written by a person or sent automatically"
    )
    channels = (
        f", by {join_words(list(response.channels), last='or')}"
        if response.channels
        else ", on any channel"
    )
    noun = "an update" if sla.metric == "next_update" else "a response"
    text = f"What counts as {noun}: {author}{channels}."
    if response.excludes:
        text += " Never " + join_words([EXCLUSION_WORDS[e] for e in response.excludes], last="or")
        text += "."
    counted = [
        EXCLUSION_WORDS[ResponseExclusion(activity)]
        for activity in response.also_counts
        if ResponseExclusion(activity) not in response.excludes
    ]
    if counted:
        text += f" {join_words(counted, last='or').capitalize()} also counts as {noun}."
    blocks: list[Paragraph | Gap] = [Paragraph(text)]
    if sla.metric == "first_response":
        if sla.unanswered == UnansweredRule.BREACHED:
            blocks.append(
                Paragraph("A ticket resolved before anyone replies counts as a missed response.")
            )
        elif sla.unanswered == UnansweredRule.RESOLUTION_STOPS:
            blocks.append(
                Paragraph(
                    "A ticket resolved before anyone replies: the resolution is the response."
                )
            )
        else:
            blocks.append(
                Gap(
                    "The agreement does not say what happens when a ticket is resolved before "
                    "anyone replies; clearpact then counts the resolution as the response and "
                    "flags the ticket."
                )
            )
    return blocks


def _policy_blocks(sla: TicketSla) -> list[Paragraph | Gap]:
    blocks: list[Paragraph | Gap] = []
    change = sla.priority_change.policy if sla.priority_change else None
    change_words = {
        PriorityChangeRule.CURRENT_FROM_ORIGINAL_START: "If the priority changes, the target of "
        "the new priority applies, measured from when the ticket was opened: time already spent "
        "counts.",
        PriorityChangeRule.RESTART_AT_CHANGE: "If the priority changes, the clock starts again at "
        "the change with the new priority's full target; time before the change no longer "
        "counts.",
        PriorityChangeRule.KEEP_ORIGINAL: "If the priority changes, the target of the priority "
        "the ticket was opened with still applies.",
    }
    if change is not None:
        blocks.append(Paragraph(change_words[change]))
    else:
        assumed = change_words[DEFAULT_PRIORITY_CHANGE].split(", ", 1)[1]
        blocks.append(
            Gap(
                "The agreement does not say what happens to the clock when a ticket's priority "
                f"changes; clearpact assumes {assumed[0].lower()}{assumed[1:]}"
            )
        )
    reopen = sla.reopen
    if reopen is None:
        assumed_reopen = "the same clock continues" if DEFAULT_REOPEN == ReopenRule.RESUME else ""
        blocks.append(
            Gap(
                "The agreement does not say what happens when a ticket is reopened; clearpact "
                f"assumes {assumed_reopen}."
            )
        )
        return blocks
    resolved_time = (
        "the time while it was resolved counts too"
        if reopen.count_time_while_resolved
        else "the time while it was resolved does not count"
    )
    if reopen.policy == ReopenRule.NEW_CYCLE:
        blocks.append(
            Paragraph(
                "A reopened ticket starts a new clock with the full target from the moment it is "
                "reopened."
            )
        )
    elif reopen.within is not None:
        blocks.append(
            Paragraph(
                f"If a resolved ticket is reopened within {period_words(reopen.within)}, the same "
                f"clock continues where it stopped ({resolved_time}). Reopened later, it is "
                "measured as a new ticket with a full target."
            )
        )
    else:
        blocks.append(
            Paragraph(
                "If a resolved ticket is reopened, the same clock continues where it stopped "
                f"({resolved_time})."
            )
        )
        blocks.append(
            Gap(
                "The agreement does not say how long after resolution a reopening still "
                "continues the old clock."
            )
        )
    return blocks


def _attainment_block(sla: TicketSla) -> Paragraph | Gap:
    attainment = sla.attainment
    if attainment is None:
        return Gap(
            "The agreement does not say what share of tickets must meet the target, so a missed "
            "ticket cannot be judged against anything."
        )
    period = PERIOD_WORDS[attainment.period]
    text = f"At least {percent(attainment.target)} of tickets must meet their target each {period}"
    text += (
        ", for each priority separately" if attainment.per_priority else ", all priorities together"
    )
    text += "."
    if attainment.target > 100:
        text += " That is more than all of them, which no provider can meet."
    if attainment.minimum_tickets:
        group = "a priority" if attainment.per_priority else "the SLA"
        text += (
            f" In a {period} where {group} has fewer than "
            f"{plural(attainment.minimum_tickets, 'ticket')}, attainment is reported but not "
            "judged."
        )
    return Paragraph(text)


# -- availability ---------------------------------------------------------------------------------


def availability_section(agreement: Agreement, key: str, sla: AvailabilitySla) -> Section:
    """An availability SLA: the target, what it allows in minutes, downtime and maintenance."""
    section = Section(f"{METRIC_TITLES['availability']} ('{key}')")
    if sla.description:
        section.add(Quote(sla.description))
    services = [agreement.services[s].name if s in agreement.services else s for s in sla.services]
    covered = f" of {join_words(services)}" if services else ""
    if sla.target is None or sla.period is None:
        section.add(
            Gap("The agreement does not say what availability is required or over which period.")
        )
    else:
        period = PERIOD_WORDS[sla.period]
        section.add(
            Paragraph(
                f"The availability{covered} must be at least {percent(sla.target)} each {period}."
            )
        )
        section.add(Paragraph(allowed_downtime(sla.target, sla.period)))
    if not services:
        section.add(Gap("The agreement does not say which services this SLA covers."))
    if sla.downtime_definition:
        section.add(Paragraph(f"What counts as downtime: {sentence(sla.downtime_definition)}"))
    else:
        section.add(Gap("The agreement does not say what counts as downtime."))
    if sla.measurement_source:
        section.add(Paragraph(f"The data that decides: {sentence(sla.measurement_source)}"))
    else:
        section.add(Gap("The agreement does not say whose monitoring data decides."))
    maintenance = sla.maintenance
    if maintenance is None:
        section.add(Gap("The agreement does not say whether planned maintenance counts as down."))
    else:
        spec = agreement.calendars.get(maintenance.calendar)
        windows = (
            f"in the agreed windows ({calendar_words(spec)})"
            if spec
            else f"in the windows of calendar '{maintenance.calendar}', which is not defined"
        )
        text = (
            f"Planned maintenance does not count as downtime when it is done {windows} and "
            f"announced at least {period_words(maintenance.notice)} ahead"
        )
        if maintenance.max_per_period is not None and sla.period is not None:
            text += (
                f", up to {hours_words(maintenance.max_per_period.seconds)} per "
                f"{PERIOD_WORDS[sla.period]}; maintenance beyond that counts as downtime"
            )
        section.add(Paragraph(text + "."))
    if sla.exclusions:
        section.add(Bullets(list(sla.exclusions), lead="Also not downtime:"))
    return section


def allowed_downtime(target: float, period: MeasurementPeriod) -> str:
    """What an availability target allows, in minutes per period.

    >>> allowed_downtime(99.5, MeasurementPeriod.MONTH)
    '99.5% of a 30-day month allows 216 minutes (3 hours 36 minutes) of downtime: 30 days × 1,440 minutes × 0.5% = 216 minutes; in a 31-day month, 223.2 minutes.'
    """
    share = (Decimal(100) - Decimal(str(target))) / Decimal(100)
    short, long = PERIOD_DAYS[period]
    word = PERIOD_WORDS[period]
    minutes = Decimal(short * 1440) * share
    longer = Decimal(long * 1440) * share
    spent = percent(Decimal(100) - Decimal(str(target)))
    as_time = hours_words(int(minutes * 60))
    return (
        f"{percent(target)} of a {short}-day {word} allows {_number(minutes)} minutes "
        f"({as_time}) of downtime: {short} days × 1,440 minutes × {spent} = "
        f"{_number(minutes)} minutes; in a {long}-day {word}, {_number(longer)} minutes."
    )


def _number(value: Decimal) -> str:
    normal = value.normalize()
    text = f"{normal:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# -- KPIs -----------------------------------------------------------------------------------------


def kpis_section(agreement: Agreement) -> Section | None:
    """The KPIs as a table; ``None`` when the agreement has none."""
    if not agreement.kpis:
        return None
    rows = []
    for kpi in agreement.kpis.values():
        better = {
            Direction.HIGHER_IS_BETTER: "higher is better",
            Direction.LOWER_IS_BETTER: "lower is better",
            None: "",
        }[kpi.direction]
        rows.append(
            [
                kpi.name,
                str(kpi.target) if kpi.target is not None else "not stated",
                better,
                kpi.source or "not stated",
                f"every {PERIOD_WORDS[kpi.period]}" if kpi.period else "not stated",
            ]
        )
    section = Section("Key performance indicators")
    section.add(Table(["KPI", "target", "direction", "data from", "reported"], rows))
    return section


def sla_name(agreement: Agreement, key: str) -> str:
    """``resolution``, or ``availability ('availability-core')`` when the key says more."""
    sla = agreement.slas.get(key)
    if sla is None:
        return f"'{key}'"
    title = METRIC_TITLES[sla.metric].lower()
    return title if key.replace("-", " ") == title else f"{title} ('{key}')"

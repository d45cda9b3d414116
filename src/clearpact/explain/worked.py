"""Worked examples: a few tickets measured by the SLA clock (:func:`clearpact.clock.compute`) on
the agreement's own calendars, with the arithmetic read from the clock's trace segments.

Nothing here computes a due time or a business duration itself: the clock does. This module
chooses the tickets (a Friday afternoon, the eve of a public holiday, two days waiting on the
customer, a priority raised mid-way), and splits each traced segment into the calendar's business
windows to show where the time counted. Pure: imports the model, the calendar and the clock kernel.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from clearpact.agreement.model import Agreement
from clearpact.agreement.slas import (
    PriorityChangeRule,
    StartEvent,
    StopEvent,
    TicketSla,
)
from clearpact.calendar import Calendar
from clearpact.calendar.business import US, from_micros, to_micros
from clearpact.clock import ClockRun, NotSupportedError, compute, events_table, tickets_table
from clearpact.clock.rules import DEFAULT_PRIORITY_CHANGE, DEFAULT_STOP
from clearpact.explain.document import WorkedExample
from clearpact.explain.wording import (
    DAY_NAMES,
    article,
    capital,
    date_words,
    days_with_hours,
    moment_words,
    named_holidays,
    short_duration,
)

FALLBACK_FRIDAY = dt.date(2026, 1, 2)
"""The reference Friday of an agreement without a start date (fixed, so output never depends on
the day it is produced)."""

FRIDAY_AFTERNOON = dt.time(16, 30)
MONDAY_MORNING = dt.time(10, 0)
PAUSE_LENGTH = dt.timedelta(days=2)
MINUTE = 60 * US

Event = tuple[dt.datetime, str, str | None]


@dataclass(frozen=True)
class ReferenceDates:
    """The days the examples happen on, derived from the agreement's term.

    ``friday``: the first Friday on or after the start that is no calendar's holiday;
    ``monday``: the first Monday after it that starts a week without holidays on any calendar.
    """

    friday: dt.date
    monday: dt.date


@dataclass
class ExampleSet:
    """The worked examples of one ticket SLA, the priority they use, and why any were left out."""

    priority: str | None
    lead: str | None = None
    examples: list[WorkedExample] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Ticket:
    id: str
    title: str
    setup: str
    opened: dt.datetime
    priority: str
    events: list[Event]
    twin: str | None = None  # the same ticket without its priority change, to compare


def reference_dates(agreement: Agreement) -> ReferenceDates:
    """Where the examples happen: the week the agreement starts, or :data:`FALLBACK_FRIDAY`."""
    start = agreement.term.start if agreement.term else FALLBACK_FRIDAY
    horizon = start + dt.timedelta(days=3 * 366)
    off: set[dt.date] = set()
    for spec in agreement.calendars.values():
        off.update(named_holidays(spec, start, horizon))
    friday = start + dt.timedelta(days=(4 - start.weekday()) % 7)
    while friday in off and friday < horizon:
        friday += dt.timedelta(days=7)
    first_monday = monday = friday + dt.timedelta(days=3)
    while any(monday + dt.timedelta(days=n) in off for n in range(7)):
        monday += dt.timedelta(days=7)
        if monday > horizon:
            monday = first_monday
            break
    return ReferenceDates(friday=friday, monday=monday)


def ordered_priorities(agreement: Agreement, sla: TicketSla) -> list[str]:
    """The priorities the SLA has targets for, highest first (the order of
    ``priorities.levels``, then any the levels do not list)."""
    levels = list(agreement.priorities.levels) if agreement.priorities else []
    known = [p for p in levels if p in sla.targets]
    return known + [p for p in sla.targets if p not in known]


def example_priority(agreement: Agreement, sla: TicketSla) -> str | None:
    """The priority most tickets have: the second level (P2-like), or the only one."""
    ordered = ordered_priorities(agreement, sla)
    if not ordered:
        return None
    return ordered[1] if len(ordered) > 1 else ordered[0]


def priority_label(agreement: Agreement, priority: str) -> str:
    """``High (P2)``, or just ``P2`` when the level has no other name."""
    levels = agreement.priorities.levels if agreement.priorities else {}
    level = levels.get(priority)
    if level is None or level.name == priority:
        return priority
    return f"{level.name} ({priority})"


def worked_examples(
    terms: Agreement, key: str, sla: TicketSla, dates: ReferenceDates
) -> ExampleSet:
    """The worked examples of ticket SLA ``key``, measured by the clock on ``terms`` alone (the
    amendment log is set aside, so the examples follow exactly the terms being explained)."""
    priority = example_priority(terms, sla)
    if priority is None:
        return ExampleSet(None, notes=["No worked examples: the SLA sets no target."])
    calendar_name = sla.calendar_for(priority)
    target_s = sla.target_seconds(priority)
    if calendar_name not in terms.calendars or target_s is None:
        return ExampleSet(
            priority,
            notes=["No worked examples: the calendar this SLA is measured on is not defined."],
        )
    spec = terms.calendars[calendar_name]
    calendar = Calendar(spec)
    zone = ZoneInfo(spec.timezone)
    ordered = ordered_priorities(terms, sla)
    label = priority_label(terms, priority)
    which = (
        "the second of the agreement's priority levels, typical of most tickets"
        if len(ordered) > 1
        else "the only priority this SLA sets a target for"
    )
    result = ExampleSet(
        priority,
        lead=f"Worked examples for {label} tickets ({which}), whose target is "
        f"{short_duration(target_s)} on the '{calendar_name}' calendar. Each ticket was measured "
        "by clearpact's SLA clock; each line shows where business time counted.",
    )
    solo = terms.model_copy(update={"slas": {key: sla}, "versions": []})
    try:
        tickets = _scenarios(terms, sla, priority, calendar, zone, dates, target_s, result.notes)
        result.examples = _measure_all(terms, solo, key, sla, tickets)
    except (NotSupportedError, ValueError) as exc:  # e.g. a calendar without any hours
        result.examples = []
        result.notes = [f"No worked examples: {exc}."]
    return result


# -- the tickets ----------------------------------------------------------------------------------


def _scenarios(
    terms: Agreement,
    sla: TicketSla,
    priority: str,
    calendar: Calendar,
    zone: ZoneInfo,
    dates: ReferenceDates,
    target_s: int,
    notes: list[str],
) -> list[_Ticket]:
    label = priority_label(terms, priority)
    name = f"'{_calendar_name(sla, priority)}'"
    friday = dt.datetime.combine(dates.friday, FRIDAY_AFTERNOON, zone)
    tickets = [
        _Ticket(
            "friday",
            "Opened on a Friday afternoon",
            f"{capital(article(label))} ticket is opened on {moment_words(friday)} and stays open.",
            friday,
            priority,
            [],
        )
    ]
    eve = _holiday_eve(calendar, zone, dates.friday)
    if eve is None:
        notes.append(f"No holiday example: the {name} calendar has no holidays.")
    else:
        opened, holiday, holiday_name = eve
        tickets.append(
            _Ticket(
                "holiday",
                "Opened on the eve of a public holiday",
                f"{capital(article(label))} ticket is opened on {moment_words(opened)}, half an hour before the "
                f"{name} calendar's hours end on the last working day before "
                f"{date_words(holiday)} ({holiday_name}).",
                opened,
                priority,
                [],
            )
        )
    monday = dt.datetime.combine(dates.monday, MONDAY_MORNING, zone)
    if sla.pause_statuses:
        status = next((s for s in sla.pause_statuses if "customer" in s.lower()), None)
        status = status or sla.pause_statuses[0]
        working = _working_status(sla)
        asked = _after(calendar, monday, target_s * US // 2, zone)
        answered = (asked + PAUSE_LENGTH).astimezone(zone)
        tickets.append(
            _Ticket(
                "pause",
                "Waiting on the customer for two days",
                f"{capital(article(label))} ticket is opened on {moment_words(monday)}. On "
                f"{moment_words(asked)} the engineer needs an answer from the customer and sets "
                f"the status to '{status}'; the answer comes two days later, on "
                f"{moment_words(answered)}, and the status goes back to '{working}'.",
                monday,
                priority,
                [(asked, "status", status), (answered, "status", working)],
            )
        )
    else:
        notes.append("No pause example: the agreement names no status in which this clock pauses.")
    ordered = ordered_priorities(terms, sla)
    position = ordered.index(priority)
    if position == 0:
        notes.append("No priority-change example: there is no higher priority to raise it to.")
        return tickets
    higher = ordered[position - 1]
    quarter = max(MINUTE, target_s * US // 4 // MINUTE * MINUTE)
    raised = _after(calendar, monday, quarter, zone)
    tickets.append(
        _Ticket(
            "raise",
            "Priority raised mid-way",
            f"{capital(article(label))} ticket is opened on {moment_words(monday)}; on {moment_words(raised)} its "
            f"priority is raised to {priority_label(terms, higher)}.",
            monday,
            priority,
            [(raised, "priority", higher)],
            twin="unchanged",
        )
    )
    tickets.append(_Ticket("unchanged", "", "", monday, priority, []))
    return tickets


def _after(calendar: Calendar, start: dt.datetime, micros: int, zone: ZoneInfo) -> dt.datetime:
    """The instant at which ``micros`` of business time have passed since ``start``, with the
    calendar's ``F`` and ``F⁻¹`` exactly as the clock uses them (``accrued``, ``instants_at``)."""
    at = to_micros(start)
    calendar.prepare(at, at)
    reached = calendar.instants_at(calendar.accrued(np.array([at], dtype=np.int64)) + micros)
    return from_micros(int(reached[0]), zone)


def _calendar_name(sla: TicketSla, priority: str) -> str:
    return sla.calendar_for(priority) or ""


def _working_status(sla: TicketSla) -> str:
    for status in ("In progress", "Open", "Work in progress"):
        if status not in sla.pause_statuses:
            return status
    return "Working"


def _holiday_eve(
    calendar: Calendar, zone: ZoneInfo, friday: dt.date
) -> tuple[dt.datetime, dt.date, str] | None:
    """The last working day's closing time minus 30 minutes before the first holiday on or after
    ``friday`` that takes business hours away, with that holiday's date and name."""
    spec = calendar.spec
    open_days = days_with_hours(spec)
    off = named_holidays(spec, friday, friday + dt.timedelta(days=2 * 366))
    holiday = next((d for d in off if d.weekday() in open_days), None)
    if holiday is None:
        return None
    day = holiday - dt.timedelta(days=1)
    while day in off or day.weekday() not in open_days:
        day -= dt.timedelta(days=1)
    if isinstance(spec.hours, str):
        closing = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), zone)
    else:
        windows = next(ws for d, ws in spec.hours.items() if d.number == day.weekday() and ws)
        last = max(windows, key=lambda w: w.start)
        end_day = day + dt.timedelta(days=1 if last.crosses_midnight or last.end == 1440 else 0)
        end_minute = 0 if last.end == 1440 else last.end
        closing = dt.datetime.combine(end_day, dt.time(end_minute // 60, end_minute % 60), zone)
    opened = (closing - dt.timedelta(minutes=30)).astimezone(zone)
    return opened, holiday, off[holiday]


# -- measuring ------------------------------------------------------------------------------------


def _run(solo: Agreement, sla: TicketSla, tickets: list[_Ticket], as_of: dt.datetime) -> ClockRun:
    assigned = sla.start == StartEvent.ASSIGNED
    status = "New" if "New" not in sla.pause_statuses else _working_status(sla)
    rows = [
        {"ticket_id": t.id, "created_at": t.opened, "priority": t.priority, "status": status}
        for t in tickets
    ]
    events = []
    for t in tickets:
        history = [(t.opened, "assignment", "engineer")] if assigned else []
        for when, kind, value in [*history, *t.events]:
            events.append({"ticket_id": t.id, "at": when, "kind": kind, "value": value})
    return compute(solo, tickets_table(rows), events_table(events), as_of=as_of, trace=True)


def _last_moment(ticket: _Ticket) -> dt.datetime:
    return max([ticket.opened, *(when for when, _, _ in ticket.events)])


def _measure_all(
    terms: Agreement, solo: Agreement, key: str, sla: TicketSla, tickets: list[_Ticket]
) -> list[WorkedExample]:
    """Two runs of the clock: the first finds each ticket's due instant; the second measures the
    ticket up to that instant (or its last event, if later), so every segment of its trace ends
    where the example ends and the totals shown are the clock's own."""
    first = _run(solo, sla, tickets, max(_last_moment(t) for t in tickets))
    due = {row["ticket_id"]: row["due_at"] for row in _rows(first, key)}
    examples = []
    for ticket in tickets:
        if ticket.id == "unchanged":
            continue
        if due.get(ticket.id) is None:
            raise ValueError(f"the clock found no due time for the '{ticket.id}' example")
        as_of = max(due[ticket.id], _last_moment(ticket))
        run = _run(solo, sla, [ticket], as_of)
        (row,) = _rows(run, key)
        segments = [s for s in run.traces[key].to_pylist() if s["cycle"] == 0]
        twin_due = due.get(ticket.twin) if ticket.twin else None
        examples.append(_example(terms, sla, ticket, row, segments, twin_due))
    return examples


def _rows(run: ClockRun, key: str) -> list[dict[str, Any]]:
    return [r for r in run.results.to_pylist() if r["sla"] == key and r["cycle"] == 0]


# -- the arithmetic -------------------------------------------------------------------------------


def _example(
    terms: Agreement,
    sla: TicketSla,
    ticket: _Ticket,
    row: dict[str, Any],
    segments: list[dict[str, Any]],
    twin_due: dt.datetime | None,
) -> WorkedExample:
    calendar_name = row["calendar"]
    spec = terms.calendars[calendar_name]
    calendar = Calendar(spec)
    zone = ZoneInfo(spec.timezone)
    points = [(ticket.opened, "created", None), *sorted(ticket.events, key=lambda e: e[0])]
    if sla.start == StartEvent.ASSIGNED:
        points.insert(1, (ticket.opened, "assignment", "engineer"))
    steps: list[str] = []
    policy = sla.priority_change.policy if sla.priority_change else DEFAULT_PRIORITY_CHANGE
    if ticket.events and any(kind == "priority" for _, kind, _ in ticket.events):
        steps.append(_policy_step(terms, row, policy, calendar_name))
    clock_start = row["start_at"].astimezone(zone)
    aligned = len(points) == len(segments)
    for index, segment in enumerate(segments):
        start, end = segment["from"].astimezone(zone), segment["to"].astimezone(zone)
        if aligned and index > 0:
            when, kind, value = points[index]
            if kind != "assignment":
                steps.append(_event_step(terms, when.astimezone(zone), kind, value, segment))
        if segment["clock"] == "running":
            steps.extend(_running_steps(calendar, spec.timezone, start, end, segment))
        elif segment["clock"] == "paused":
            held = segment["business_s"]
            counted = (
                f"the {short_duration(held)} of business hours in it do not count"
                if held
                else "no business hours fall in it"
            )
            steps.append(f"{_span(start, end)}: the clock is paused; {counted}.")
        elif (
            segment["clock"] in ("outside", "before restart")
            and aligned
            and points[index][0] < clock_start
        ):
            steps.append(
                f"{_span(points[index][0].astimezone(zone), clock_start)}: no longer counts; the "
                "clock restarted at the change of priority."
            )
    elapsed, target = row["elapsed_business_s"], row["target_s"]
    due = row["due_at"].astimezone(zone)
    if elapsed == target:
        steps.append(
            f"Total {short_duration(elapsed)} = the {short_duration(target)} target "
            f"→ due {moment_words(due)}."
        )
    else:
        steps.append(
            f"Total {short_duration(elapsed)}, more than the {short_duration(target)} target, "
            f"which was reached on {moment_words(due)}, before the priority was raised."
        )
    if elapsed > target:
        outcome = (
            f"Due {moment_words(due)}: already past when the priority was raised, so the ticket "
            "is late from that moment."
        )
    else:
        outcome = f"Due {moment_words(due)}: {_deadline_noun(sla)} must happen by then."
    if twin_due is not None:
        outcome += (
            f" Had the priority stayed {ticket.priority}, it would have been due "
            f"{moment_words(twin_due.astimezone(zone))}."
        )
    return WorkedExample(title=ticket.title, setup=ticket.setup, steps=steps, outcome=outcome)


def _policy_step(
    terms: Agreement, row: dict[str, Any], policy: PriorityChangeRule, calendar_name: str
) -> str:
    applied = priority_label(terms, row["priority"])
    if policy == PriorityChangeRule.CURRENT_FROM_ORIGINAL_START:
        return (
            f"Rule: the target of the new priority applies from when the ticket was opened, so the "
            f"whole ticket is measured as {applied} on the '{calendar_name}' calendar."
        )
    if policy == PriorityChangeRule.RESTART_AT_CHANGE:
        return (
            f"Rule: the clock starts again at the change, with the full target of {applied} on "
            f"the '{calendar_name}' calendar."
        )
    return f"Rule: the priority the ticket was opened with, {applied}, applies throughout."


def _event_step(
    terms: Agreement, when: dt.datetime, kind: str, value: str | None, segment: dict[str, Any]
) -> str:
    moment = f"{DAY_NAMES[when.weekday()]} {date_words(when.date(), weekday=False, year=False)}"
    moment += f" {when:%H:%M}"
    if kind == "status":
        effect = {
            "paused": "the clock pauses",
            "running": "the clock runs again",
        }.get(segment["clock"], "the clock stops")
        return f"{moment}: status set to '{value}'; {effect}."
    if kind == "priority" and value is not None:
        return f"{moment}: priority raised to {priority_label(terms, value)}."
    return f"{moment}: {kind} {value or ''}".rstrip() + "."


def _running_steps(
    calendar: Calendar,
    zone_name: str,
    start: dt.datetime,
    end: dt.datetime,
    segment: dict[str, Any],
) -> list[str]:
    """Where the running time of one segment counted: one line per business window it touches,
    with the holidays in between; the clock's own total when the windows do not add up to it."""
    zone = ZoneInfo(zone_name)
    a, b = to_micros(start), to_micros(end)
    business = round(segment["business_s"] * US)
    if b <= a:
        return []
    calendar.prepare(a, b)
    starts, ends = calendar.windows()
    mine = (starts < b) & (ends > a)
    pieces = [
        (max(int(s), a), min(int(e), b)) for s, e in zip(starts[mine], ends[mine], strict=True)
    ]
    if sum(e - s for s, e in pieces) != business:  # the clock's figure wins; say it plainly
        return [f"{_span(start, end)} counts {short_duration(business / US)}."]
    if not pieces:
        return [f"{_span(start, end)} counts nothing: it is outside the calendar's hours."]
    lines: list[tuple[int, str]] = []
    for s, e, count, length in _compress(pieces):
        first, last = from_micros(s, zone), from_micros(e, zone)
        if count == 1:
            lines.append((s, f"{_span(first, last)} counts {short_duration(length / US)}."))
        else:
            lines.append(
                (
                    s,
                    f"{_day(first)} to {_day(last)}: {count} × "
                    f"{short_duration(length / count / US)} = {short_duration(length / US)}.",
                )
            )
    open_days = days_with_hours(calendar.spec)
    inside = named_holidays(calendar.spec, start.date(), end.date())
    for day, name in inside.items():
        if day.weekday() in open_days and start.date() < day <= end.date():
            moment = to_micros(dt.datetime.combine(day, dt.time(), zone))
            lines.append((moment, f"{_day(day)} ({name}) counts nothing: a day off."))
    return [text for _, text in sorted(lines, key=lambda item: item[0])]


def _compress(pieces: list[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
    """Runs of three or more windows of equal length in the middle of a long segment become one
    line, so a target of several working days stays readable: (start, end, windows, µs)."""
    single = [(s, e, 1, e - s) for s, e in pieces]
    if len(pieces) <= 6:
        return single
    out = [single[0]]
    inner = pieces[1:-1]
    i = 0
    while i < len(inner):
        length = inner[i][1] - inner[i][0]
        j = i
        while j + 1 < len(inner) and inner[j + 1][1] - inner[j + 1][0] == length:
            j += 1
        count = j - i + 1
        if count >= 3:
            out.append((inner[i][0], inner[j][1], count, count * length))
        else:
            out.extend(single[1 + i : 2 + j])
        i = j + 1
    out.append(single[-1])
    return out


def _day(when: dt.datetime | dt.date) -> str:
    day = when.date() if isinstance(when, dt.datetime) else when
    return f"{DAY_NAMES[day.weekday()]} {date_words(day, weekday=False, year=False)}"


def _span(start: dt.datetime, end: dt.datetime) -> str:
    """``Friday 2 January 16:30–18:00``, or ``… 22:00 – Saturday 3 January 04:00`` across days;
    an end at midnight is written 24:00."""
    if end.date() == start.date():
        return f"{_day(start)} {start:%H:%M}–{end:%H:%M}"
    if end.time() == dt.time() and end.date() == start.date() + dt.timedelta(days=1):
        return f"{_day(start)} {start:%H:%M}–24:00"
    return f"{_day(start)} {start:%H:%M} – {_day(end)} {end:%H:%M}"


def _deadline_noun(sla: TicketSla) -> str:
    stop = sla.stop or DEFAULT_STOP.get(sla.metric)
    return (
        {
            StopEvent.FIRST_RESPONSE: "the first response",
            StopEvent.NEXT_PUBLIC_REPLY: "the next public reply",
            StopEvent.WORKAROUND: "the restoration (a workaround is enough)",
            StopEvent.RESOLVED: "the resolution",
            StopEvent.CLOSED: "the closing of the ticket",
        }.get(stop, "the stop of the clock")
        if stop
        else "the stop of the clock"
    )

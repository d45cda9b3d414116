"""The slow, obvious SLA clock: one ticket at a time, walking its events and the calendar's days.

It exists to check the kernel (tests and ``benchmarks/clock.py`` compare them row by row) and as
the baseline a hand-written tool would be. It shares no code with the kernel or with
``clearpact.calendar``: business time is found by walking local days and their windows, with the
same documented conventions (a window belongs to the day it starts; a skipped local time is the
instant of the change; a repeated one starts a window at its first occurrence and ends it at its
second). Only the compiled rules (plain data) are shared.
"""

from __future__ import annotations

import calendar as monthdays
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import holidays as holidays_lib
import pyarrow as pa

from clearpact.agreement.calendars import CalendarSpec, PublicHolidays, Weekday
from clearpact.agreement.model import Agreement
from clearpact.agreement.slas import (
    PriorityChangeRule,
    ReopenRule,
    StartEvent,
    StopEvent,
    UnansweredRule,
)
from clearpact.agreement.versions import in_force, version_in_force
from clearpact.clock.points import NOTES
from clearpact.clock.rules import SlaRule, compile_rules
from clearpact.clock.tables import RESULTS, StatusMeanings

UTC = dt.UTC
WEEKDAYS = {day.value: day.number for day in Weekday}


# -- business time by walking days ---------------------------------------------------------------


class DayWalker:
    """Business time of one calendar, found day by day (each day's windows cached once)."""

    def __init__(self, spec: CalendarSpec) -> None:
        self.spec = spec
        self.zone = ZoneInfo(spec.timezone)
        self._holiday_years: set[int] = set()
        self._holidays: set[dt.date] = set()

    def windows(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        """The UTC spans of the windows that start on local ``day``."""
        return _day_windows(self, day)

    def is_holiday(self, day: dt.date) -> bool:
        if day.year not in self._holiday_years:
            self._holiday_years.add(day.year)
            for entry in self.spec.holidays:
                if isinstance(entry, PublicHolidays):
                    table = holidays_lib.country_holidays(
                        entry.country, subdiv=entry.subdivision, years=[day.year]
                    )
                    self._holidays.update(table.keys())
                elif isinstance(entry, str):
                    month, mday = (int(x) for x in entry.split("-"))
                    if mday <= monthdays.monthrange(day.year, month)[1]:
                        self._holidays.add(dt.date(day.year, month, mday))
                else:
                    self._holidays.add(entry)
        return day in self._holidays

    def local_wall(self, wall: dt.datetime, *, first: bool) -> dt.datetime:
        """A local wall time as a UTC instant (see the module's conventions)."""
        early = wall.replace(tzinfo=self.zone, fold=0).astimezone(UTC)
        late = wall.replace(tzinfo=self.zone, fold=1).astimezone(UTC)
        if early == late:
            return early
        if early.astimezone(self.zone).replace(tzinfo=None) == wall:  # repeated hour
            return min(early, late) if first else max(early, late)
        # Skipped: step back a minute at a time to the last wall time that exists.
        probe = wall
        while True:
            probe -= dt.timedelta(minutes=1)
            instant = probe.replace(tzinfo=self.zone).astimezone(UTC)
            if instant.astimezone(self.zone).replace(tzinfo=None) == probe:
                return instant + dt.timedelta(minutes=1)

    def spans(self, a: dt.datetime, b: dt.datetime) -> list[tuple[dt.datetime, dt.datetime]]:
        """Window spans overlapping [a, b), clipped to it, in time order."""
        out = []
        day = a.astimezone(self.zone).date() - dt.timedelta(days=1)
        last = b.astimezone(self.zone).date()
        while day <= last:
            for start, end in self.windows(day):
                lo, hi = max(start, a), min(end, b)
                if hi > lo:
                    out.append((lo, hi))
            day += dt.timedelta(days=1)
        return sorted(out)

    def elapsed(self, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
        """Business time in [a, b); zero when b <= a. Overlapping windows count once."""
        total = dt.timedelta(0)
        cursor = a
        for lo, hi in self.spans(a, b):
            lo = max(lo, cursor)
            if hi > lo:
                total += hi - lo
                cursor = hi
        return total

    def add(self, a: dt.datetime, amount: dt.timedelta) -> dt.datetime:
        """The earliest instant at which ``amount`` of business time has passed since ``a``."""
        if amount <= dt.timedelta(0):
            return a
        day = a.astimezone(self.zone).date() - dt.timedelta(days=1)
        cursor = a
        for _ in range(366 * 400):
            for start, end in sorted(self.windows(day)):
                lo = max(start, cursor)
                if end <= lo:
                    continue
                if amount <= end - lo:
                    return lo + amount
                amount -= end - lo
                cursor = end
            day += dt.timedelta(days=1)
        raise ValueError("the calendar has too little business time to reach this duration")


@lru_cache(maxsize=200_000)
def _day_windows(walker: DayWalker, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    spec = walker.spec
    if walker.is_holiday(day):
        return []
    if isinstance(spec.hours, str):
        minutes = [(0, 1440)]
    else:
        minutes = []
        for name, windows in spec.hours.items():
            if WEEKDAYS[name] == day.weekday():
                minutes.extend((w.start, w.end) for w in windows)
    midnight = dt.datetime.combine(day, dt.time())
    cuts = []
    for closure in spec.closures.get(day, []):
        end_day = midnight + dt.timedelta(days=1 if closure.end <= closure.start else 0)
        cuts.append(
            (
                walker.local_wall(midnight + dt.timedelta(minutes=closure.start), first=True),
                walker.local_wall(end_day + dt.timedelta(minutes=closure.end), first=False),
            )
        )
    spans: list[tuple[dt.datetime, dt.datetime]] = []
    for start, end in minutes:
        end_day = midnight + dt.timedelta(days=1 if end <= start else 0)
        span = [
            (
                walker.local_wall(midnight + dt.timedelta(minutes=start), first=True),
                walker.local_wall(end_day + dt.timedelta(minutes=end), first=False),
            )
        ]
        for cut_start, cut_end in cuts:
            pieces = []
            for lo, hi in span:
                if cut_end <= lo or cut_start >= hi:
                    pieces.append((lo, hi))
                    continue
                if lo < cut_start:
                    pieces.append((lo, cut_start))
                if cut_end < hi:
                    pieces.append((cut_end, hi))
            span = pieces
        spans.extend(piece for piece in span if piece[1] > piece[0])
    return spans


# -- the clock, one ticket at a time -------------------------------------------------------------


@dataclass
class _Point:
    at: dt.datetime
    kind: str  # created | status | priority | reply | assignment | workaround
    value: str | None
    channel: str | None
    status: str | None = None  # after the point
    priority: str | None = None


def compute_reference(
    agreement: Agreement,
    tickets: pa.Table,
    events: pa.Table,
    *,
    as_of: dt.datetime,
    statuses: StatusMeanings | None = None,
) -> pa.Table:
    """The same result rows as :func:`clearpact.clock.compute`, computed one ticket at a time."""
    statuses = statuses or StatusMeanings()
    by_ticket: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for row_number, row in enumerate(events.to_pylist()):
        by_ticket.setdefault(row["ticket_id"], []).append((row_number, row))
    home = agreement.home_zone
    walkers = {name: DayWalker(spec) for name, spec in agreement.calendars.items()}
    terms_cache: dict[str | None, tuple[Agreement, list[SlaRule], dict[str, DayWalker]]] = {}
    rows = []
    for ticket in tickets.to_pylist():
        created = ticket["created_at"]
        if created > as_of:
            continue
        opened_on = created.astimezone(ZoneInfo(home)).date()
        label = version_in_force(agreement, opened_on)
        if label not in terms_cache:
            terms = in_force(agreement, opened_on)
            if terms != agreement:
                walkers_here = {n: DayWalker(s) for n, s in terms.calendars.items()}
            else:
                walkers_here = walkers
            terms_cache[label] = (terms, compile_rules(terms), walkers_here)
        terms, rules, walkers_here = terms_cache[label]
        points, notes = _ticket_points(
            ticket, by_ticket.get(ticket["ticket_id"], []), as_of, statuses
        )
        for rule in rules:
            for result in _measure_ticket(rule, points, statuses, walkers_here, as_of):
                note_bits = notes | result.pop("note_bits")
                text = "; ".join(t for bit, t in NOTES.items() if note_bits & bit)
                rows.append(
                    {
                        "ticket_id": ticket["ticket_id"],
                        "sla": rule.key,
                        "metric": rule.metric,
                        **result,
                        "agreement_version": label,
                        "customer": ticket.get("customer"),
                        "service": ticket.get("service"),
                        "note": text or None,
                    }
                )
    order = {rule_key: n for n, rule_key in enumerate(agreement.slas)}
    rows.sort(key=lambda r: (order[r["sla"]],))
    return pa.Table.from_pylist(rows, schema=RESULTS)


def _ticket_points(
    ticket: dict[str, Any],
    rows: list[tuple[int, dict[str, Any]]],
    as_of: dt.datetime,
    statuses: StatusMeanings,
) -> tuple[list[_Point], int]:
    from clearpact.clock.points import (
        KIND_CODES,
        NOTE_BEFORE_CREATION,
        NOTE_CREATED_STOPPED,
        NOTE_DUPLICATES,
    )

    created = ticket["created_at"]
    usable = [
        (row["at"], number, row)
        for number, row in rows
        if row["at"] is not None and row["kind"] in KIND_CODES and row["at"] <= as_of
    ]
    usable.sort(key=lambda item: (item[0], item[1]))
    notes = 0
    kept: list[tuple[dt.datetime, int, dict[str, Any]]] = []
    for at, number, row in usable:
        if kept and (at, row["kind"], row["value"], row.get("channel")) == (
            kept[-1][0],
            kept[-1][2]["kind"],
            kept[-1][2]["value"],
            kept[-1][2].get("channel"),
        ):
            notes |= NOTE_DUPLICATES
            continue
        kept.append((at, number, row))
    if ticket["status"] in statuses.resolved | statuses.closed:
        notes |= NOTE_CREATED_STOPPED
    points = [_Point(created, "created", None, None, ticket["status"], ticket["priority"])]
    for at, _number, row in kept:
        if at < created:
            notes |= NOTE_BEFORE_CREATION
            at = created
        last = points[-1]
        point = _Point(
            at, row["kind"], row["value"], row.get("channel"), last.status, last.priority
        )
        if row["kind"] == "status" and row["value"] is not None:
            point.status = row["value"]
        if row["kind"] == "priority" and row["value"] is not None:
            point.priority = row["value"]
        points.append(point)
    return points, notes


def _measure_ticket(
    rule: SlaRule,
    points: list[_Point],
    statuses: StatusMeanings,
    walkers: dict[str, DayWalker],
    as_of: dt.datetime,
) -> list[dict[str, Any]]:
    from clearpact.clock.points import (
        NOTE_NEVER_STARTED,
        NOTE_NO_PRIORITY,
        NOTE_NO_TARGET,
        NOTE_STOP_BEFORE_START,
        NOTE_UNANSWERED,
    )

    def life(status: str | None) -> str:
        if status in statuses.closed:
            return "closed"
        if status in statuses.resolved:
            return "resolved"
        return "open"

    # Which points leave the clock stopped, and which of them are responses.
    stopped: list[bool] = []
    responses: list[bool] = []
    seen = False
    for index, point in enumerate(points):
        state = life(point.status)
        if rule.stop == StopEvent.FIRST_RESPONSE:
            response = point.kind == "reply" and point.value in rule.reply_values
            if response and rule.channels and point.channel is not None:
                response = point.channel in rule.channels
            if rule.status_change_responds and point.kind == "status" and index > 0:
                changed = point.status != points[index - 1].status
                response = response or (changed and state == "open")
            if rule.assignment_responds and point.kind == "assignment":
                response = True
            seen = seen or response or state != "open"
            stopped.append(seen)
            responses.append(response)
        elif rule.stop == StopEvent.RESOLVED:
            stopped.append(state != "open")
        elif rule.stop == StopEvent.CLOSED:
            stopped.append(state == "closed")
        else:
            seen = seen or point.kind == "workaround"
            stopped.append(seen or state != "open")

    # Split into cycles at reopenings measured anew.
    cycles: list[list[int]] = [[]]
    last_stop_at: dt.datetime | None = None
    for index, point in enumerate(points):
        reopened = (
            index > 0
            and stopped[index - 1]
            and not stopped[index]
            and rule.stop != StopEvent.FIRST_RESPONSE
        )
        late = (
            rule.reopen_within_micros is not None
            and last_stop_at is not None
            and (point.at - last_stop_at) // dt.timedelta(microseconds=1)
            > rule.reopen_within_micros
        )
        if reopened and (rule.reopen == ReopenRule.NEW_CYCLE or late):
            cycles.append([])
        if stopped[index] and (index == 0 or not stopped[index - 1]):
            last_stop_at = point.at
        cycles[-1].append(index)

    first_assignment = min((p.at for p in points if p.kind == "assignment"), default=None)
    results = []
    for number, members in enumerate(cycles):
        note_bits = 0
        final = members[-1]
        entries = [i for i in members if stopped[i] and (i == 0 or not stopped[i - 1])]
        is_stopped = stopped[final]
        stop_index = entries[-1] if is_stopped else final
        stop = points[entries[-1]].at if is_stopped else as_of
        start: dt.datetime | None = points[members[0]].at
        if number == 0 and rule.start == StartEvent.ASSIGNED:
            start = first_assignment
        if start is None:
            note_bits |= NOTE_NEVER_STARTED
            start = stop
        elif stop < start:
            note_bits |= NOTE_STOP_BEFORE_START
            start = stop
        unanswered = (
            rule.stop == StopEvent.FIRST_RESPONSE and is_stopped and not responses[stop_index]
        )
        if unanswered:
            note_bits |= NOTE_UNANSWERED

        if rule.priority_change == PriorityChangeRule.KEEP_ORIGINAL:
            priority = next((q.priority for q in points if q.priority is not None), None)
        else:
            priority = points[stop_index].priority
        clock_start = start
        if rule.priority_change == PriorityChangeRule.RESTART_AT_CHANGE:
            changes = [
                i
                for i in members
                if i <= stop_index
                and i > 0
                and points[i].kind == "priority"
                and points[i].priority != points[i - 1].priority
            ]
            if changes:
                clock_start = min(max(start, points[changes[-1]].at), stop)
        target = rule.targets.get(priority) if priority is not None else None
        if priority is None:
            note_bits |= NOTE_NO_PRIORITY
        elif target is None:
            note_bits |= NOTE_NO_TARGET
        calendar_name = target.calendar if target else rule.calendar
        walker = walkers[calendar_name] if calendar_name else None

        elapsed = dt.timedelta(0)
        paused = dt.timedelta(0)
        due: dt.datetime | None = None
        goal = dt.timedelta(microseconds=target.micros) if target else None
        running_now = False
        for position, index in enumerate(members):
            point = points[index]
            end = points[members[position + 1]].at if position + 1 < len(members) else stop
            is_paused = point.status in rule.pause_statuses and not stopped[index]
            running = point.status not in rule.pause_statuses and (
                not stopped[index]
                or (rule.stop != StopEvent.FIRST_RESPONSE and rule.count_time_while_resolved)
            )
            if walker is None:
                continue
            if is_paused:
                lo = min(max(point.at, start), stop)
                hi = min(max(end, start), stop)
                paused += walker.elapsed(lo, hi)
            lo = min(max(point.at, clock_start), stop)
            hi = min(max(end, clock_start), stop)
            if running:
                piece = walker.elapsed(lo, hi)
                if (
                    goal is not None
                    and due is None
                    and goal > dt.timedelta(0)
                    and piece > dt.timedelta(0)
                    and elapsed < goal <= elapsed + piece
                ):
                    due = walker.add(lo, goal - elapsed)
                elapsed += piece
            if index == final:
                running_now = running
        beyond = due is None and (is_stopped or running_now)
        # (A calendar without weekly hours never reaches a target: no due instant.)
        if goal is not None and walker is not None and beyond and walker.spec.weekly_minutes():
            due = walker.add(stop, goal - elapsed)

        over = goal is not None and elapsed > goal
        forced = unanswered and rule.unanswered == UnansweredRule.BREACHED
        if goal is None:
            state = "no_target"
        elif is_stopped:
            state = "breached" if over or forced else "met"
        else:
            state = "open_breached" if over else "open"
        breached_at = None
        if goal is not None and over:
            breached_at = due
        elif goal is not None and forced:
            breached_at = min(due, stop) if due is not None else stop
        at_risk = bool(
            target is not None
            and rule.at_risk is not None
            and not is_stopped
            and not over
            and elapsed // dt.timedelta(microseconds=1) >= rule.at_risk * target.micros
        )
        results.append(
            {
                "cycle": number,
                "priority": priority,
                "calendar": calendar_name,
                "start_at": clock_start,
                "stop_at": stop if is_stopped else None,
                "elapsed_business_s": elapsed.total_seconds(),
                "paused_business_s": paused.total_seconds(),
                "target_s": goal.total_seconds() if goal is not None else None,
                "due_at": due,
                "state": state,
                "breached_at": breached_at,
                "at_risk": at_risk,
                "note_bits": note_bits,
            }
        )
    return results

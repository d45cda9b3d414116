"""Ticket lives in no tool's format: steps (who did what when), from creation to closure.

A *step* is one update: a note and/or a change of status, priority or assignee, at one instant
by one person (one Zendesk audit; one ConnectWise note plus its audit-trail entries). Agents work
in business time on the agreement's calendars (:class:`Terms`), customers answer in their office
hours, so most targets are met and some are missed for the reasons real tickets miss them: a
slow pick-up, a wait the agreement does not pause for, a priority raised late, a short-staffed
month. Statuses here are neutral names; each tool's writer names them its own way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from clearpact.agreement.model import Agreement
from clearpact.agreement.slas import TicketSla
from clearpact.agreement.versions import in_force, version_in_force
from clearpact.calendar import Calendar
from clearpact.demo import cast, issues
from clearpact.demo.cast import Channel, Customer, Person
from clearpact.demo.issues import Issue

NEW = "new"
IN_PROGRESS = "in_progress"
WAITING_CUSTOMER = "waiting_customer"
WAITING_VENDOR = "waiting_vendor"
SCHEDULED = "scheduled"
CUSTOMER_UPDATED = "customer_updated"
REOPENED = "reopened"
RESOLVED = "resolved"
CLOSED = "closed"
STATUSES = (
    NEW,
    IN_PROGRESS,
    WAITING_CUSTOMER,
    WAITING_VENDOR,
    SCHEDULED,
    CUSTOMER_UPDATED,
    REOPENED,
    RESOLVED,
    CLOSED,
)
PRIORITIES = ("P1", "P2", "P3", "P4")


@dataclass(frozen=True)
class Note:
    """A comment: ``public`` (the customer sees it) or internal."""

    text: str
    public: bool


@dataclass
class Step:
    """One update of a ticket. ``via`` is how it arrived: web, email, portal, api or rule."""

    at: dt.datetime
    actor: Person
    note: Note | None = None
    status: str | None = None
    priority: str | None = None
    assignee: Person | None = None
    via: str = "web"
    bad: str | None = None  # set by a writer that injects a deliberately bad row here


@dataclass
class Ticket:
    """One ticket's life. ``steps`` are sorted by time and end before the export's cut-off."""

    customer: Customer
    created: dt.datetime
    priority: str
    channel: Channel
    requester: Person
    submitter: Person
    issue: Issue
    subject: str
    description: str
    in_hours: bool
    words: dict[str, str]  # the values of the issue's placeholders for this ticket
    number: int = 0
    steps: list[Step] = field(default_factory=list)
    resolved_at: dt.datetime | None = None  # first resolution, when before the cut-off
    late: bool = False  # the generator's own view: a target was missed (drives survey ratings)
    reopened: bool = False
    monitor: str | None = None  # the monitor whose outage raised it
    restored_at: dt.datetime | None = None  # when that monitor was up again


@dataclass(frozen=True)
class Clock:
    """One SLA for one priority, as the simulation needs it: target and calendar."""

    target: dt.timedelta
    calendar: Calendar
    paused: frozenset[str]  # neutral statuses this SLA pauses in


class Terms:
    """The customer's agreement as the simulation reads it: targets and calendars per priority,
    on the terms in force on the ticket's creation date (amendments applied)."""

    def __init__(self, agreement: Agreement, customer: Customer, status_names: dict[str, str]):
        self.agreement = agreement
        self.customer = customer
        self.status_names = status_names
        self._calendars: dict[str, Calendar] = {}
        self._versions: dict[str | None, Agreement] = {}
        self.office = self.calendar(customer.office_calendar)
        self.zone = self.office.zone

    def calendar(self, name: str) -> Calendar:
        """The compiled calendar of that name (compiled once)."""
        if name not in self._calendars:
            self._calendars[name] = Calendar(self.agreement.calendars[name])
        return self._calendars[name]

    def clock(self, sla_key: str, priority: str, on: dt.datetime | None) -> Clock:
        """Target, calendar and pause statuses of ``sla_key`` for ``priority`` in the terms in
        force at ``on``; with ``on=None``, in the agreement as first signed."""
        if on is None:
            sla = self.agreement.slas[sla_key]
        else:
            day = on.astimezone(self.zone).date()
            label = version_in_force(self.agreement, day)
            if label not in self._versions:
                self._versions[label] = in_force(self.agreement, day)
            sla = self._versions[label].slas[sla_key]
        if not isinstance(sla, TicketSla):
            raise ValueError(f"the demo agreement's SLA {sla_key!r} is not a ticket SLA")
        seconds, calendar = sla.target_seconds(priority), sla.calendar_for(priority)
        if seconds is None or calendar is None:
            raise ValueError(f"the demo agreement's SLA {sla_key!r} has no {priority} target")
        pauses = set(sla.pause_statuses)
        paused = frozenset(n for n, name in self.status_names.items() if name in pauses)
        return Clock(dt.timedelta(seconds=seconds), self.calendar(calendar), paused)


def lognormal(rng: np.random.Generator, median: float, sigma: float) -> float:
    """A positive draw whose median is ``median``."""
    return float(median * np.exp(sigma * rng.standard_normal()))


def staffing(at: dt.datetime) -> float:
    """How much slower the MSP works at ``at``: August (holidays, two engineers away) and the
    days around Christmas are slow; every other day is ordinary."""
    if at.month == 8:
        return 1.9
    if (at.month == 12 and at.day >= 20) or (at.month == 1 and at.day <= 2):
        return 1.4
    return 1.0


def whole(at: dt.datetime) -> dt.datetime:
    """``at`` in UTC without its fractional second (every tool here writes whole seconds)."""
    return at.astimezone(dt.UTC).replace(microsecond=0)


class Life:
    """Builds the steps of one ticket; see the module docstring."""

    def __init__(
        self, ticket: Ticket, terms: Terms, rng: np.random.Generator, cut_off: dt.datetime
    ):
        self.t = ticket
        self.terms = terms
        self.rng = rng
        self.cut_off = cut_off
        customer = ticket.customer
        self.engineer = customer.engineers[int(rng.integers(len(customer.engineers)))]
        self.response = terms.clock(customer.response_sla, ticket.priority, ticket.created)
        self.resolution = terms.clock(customer.resolution_sla, ticket.priority, ticket.created)
        self.work = self.resolution.calendar
        # Engineers keep their habits when an amendment tightens a target: work is drawn against
        # the signed target, and measured (``late``) against the one in force.
        self.habit = terms.clock(customer.resolution_sla, ticket.priority, None).target
        self.steps: list[Step] = []
        self.pace = customer.pace * staffing(ticket.created)
        self.on_call = customer.on_call and not ticket.in_hours and ticket.priority == "P1"

    def add(
        self,
        at: dt.datetime,
        actor: Person,
        *,
        note: Note | None = None,
        status: str | None = None,
        priority: str | None = None,
        assignee: Person | None = None,
        via: str = "web",
    ) -> dt.datetime:
        """Append a step (at a whole second, after the creation) and return its time."""
        at = max(whole(at), whole(self.t.created) + dt.timedelta(seconds=1))
        self.steps.append(Step(at, actor, note, status, priority, assignee, via))
        return at

    def business(self, calendar: Calendar, start: dt.datetime, hours: float) -> dt.datetime:
        """The instant ``hours`` of business time (at least a minute) after ``start``."""
        return calendar.add(start, dt.timedelta(hours=max(hours, 1 / 60)))

    def say(self, template: str) -> str:
        """``template`` with this ticket's number and placeholder values."""
        return template.format(number=self.t.number, **self.t.words)

    def pick(self, options: tuple[str, ...]) -> str:
        """One of ``options``, drawn."""
        return options[int(self.rng.integers(len(options)))]

    def live(self) -> Ticket:
        """Fill the ticket's steps, its first resolution and whether it was late."""
        t, rng = self.t, self.rng
        if t.channel in ("email", "portal"):
            ack = t.created + dt.timedelta(seconds=float(rng.uniform(20, 90)))
            bot = cast.ZENDESK_BOT if t.customer.tool == "zendesk" else cast.ACKBOT
            self.add(ack, bot, note=Note(self.say(issues.ACKNOWLEDGEMENT), True), via="api")
        if t.priority in ("P3", "P4") and t.channel != "monitoring" and rng.random() < 0.03:
            self.quick_fix()
        else:
            self.work_on_it()
        self.steps.sort(key=lambda step: step.at)
        t.steps = [step for step in self.steps if step.at < self.cut_off]
        return t

    def quick_fix(self) -> None:
        """Fixed straight away with only an internal note: no public response at all."""
        hours = self.resolution.target.total_seconds() / 3600 * 0.1 * self.pace
        done = self.business(self.work, self.t.created, lognormal(self.rng, hours, 0.5))
        self.add(
            done - dt.timedelta(minutes=float(self.rng.uniform(2, 15))),
            self.engineer,
            note=Note(self.pick(issues.INTERNAL_NOTES), False),
        )
        done = self.add(done, self.engineer, status=RESOLVED)
        self.resolve(done, late=self.resolution_late(done))

    def work_on_it(self) -> None:
        """Pick-up and first reply against the response target, then work against the
        resolution budget with its interruptions, the resolution, internal notes on the way."""
        t, rng = self.t, self.rng
        target_h = self.response.target.total_seconds() / 3600
        share = 0.08 if t.channel in ("phone", "monitoring") else 0.3
        if self.on_call:  # the on-call engineer is woken up and calls back
            share = 0.55
        response_h = lognormal(rng, target_h * share * self.pace, 0.75)
        late = response_h > target_h
        reply_at = self.business(self.response.calendar, t.created, response_h)
        pick_at = self.business(
            self.response.calendar, t.created, response_h * rng.uniform(0.4, 0.95)
        )
        assignee = self.engineer
        self.add(pick_at, assignee, status=IN_PROGRESS, assignee=assignee)
        budget_h = lognormal(rng, self.habit.total_seconds() / 3600 * 0.3 * self.pace, 0.8)
        plan = self.interruptions()
        if "customer" in plan and rng.random() < 0.45:  # the first reply is already a question
            plan.remove("customer")
            self.add(
                reply_at,
                assignee,
                note=Note(self.say(t.issue.question), True),
                status=WAITING_CUSTOMER,
            )
            cursor = self.customer_answers(reply_at, assignee)
        else:
            first = (
                issues.FIRST_REPLIES
                if t.monitor is None
                else ("We are aware of the outage and are working on it.",)
            )
            cursor = self.add(reply_at, assignee, note=Note(self.pick(first), True))
        if cursor is None:
            return
        used_h = self.work.elapsed(t.created, reply_at).total_seconds() / 3600  # before any wait
        left_h = max(budget_h - used_h, 0.2)
        segments = left_h * rng.dirichlet(np.ones(len(plan) + 1))
        priority = t.priority
        for kind, hours in zip(plan, segments[:-1], strict=True):
            cursor = self.business(self.work, cursor, float(hours))
            if kind == "customer":
                self.add(
                    cursor,
                    assignee,
                    note=Note(self.say(t.issue.question), True),
                    status=WAITING_CUSTOMER,
                )
                answered = self.customer_answers(cursor, assignee)
                if answered is None:
                    return
                cursor = answered
            elif kind in ("vendor", "scheduled"):
                cursor = self.wait_for(kind, cursor, assignee)
            elif kind == "reassign":
                others = [e for e in t.customer.engineers if e != assignee]
                new = others[int(rng.integers(len(others)))]
                self.add(
                    cursor,
                    assignee,
                    assignee=new,
                    note=Note(f"Passing this to {new.name}, who knows this system.", False),
                )
                assignee = new
            elif kind == "priority":
                level = PRIORITIES.index(priority)
                raise_it = level == 3 or (level > 0 and rng.random() < 0.7)
                priority = PRIORITIES[level - 1 if raise_it else level + 1]
                self.add(
                    cursor,
                    assignee,
                    priority=priority,
                    note=Note(
                        f"We have changed the priority to {priority} now that the impact is clear.",
                        True,
                    ),
                )
            elif kind == "update":
                self.add(cursor, assignee, note=Note(self.pick(issues.UPDATES), True))
            else:  # "chime": the customer adds something while we work
                self.add(
                    cursor,
                    t.requester,
                    note=Note(self.pick(issues.CUSTOMER_CHIMES), True),
                    via="email",
                )
        done = self.business(self.work, cursor, float(segments[-1]))
        if t.restored_at is not None:  # a monitoring ticket is resolved once the service is up
            done = t.restored_at + dt.timedelta(minutes=float(rng.uniform(3, 20)))
            done = max(done, cursor + dt.timedelta(minutes=2))
        done = self.add(done, assignee, note=Note(self.say(t.issue.fix), True), status=RESOLVED)
        for _ in range(int(rng.poisson(0.7))):
            span = self.work.elapsed(pick_at, done)
            note_at = self.work.add(pick_at, span * float(rng.uniform(0.05, 0.95)))
            self.add(note_at, assignee, note=Note(self.pick(issues.INTERNAL_NOTES), False))
        self.resolve(done, late=late or self.resolution_late(done), assignee=assignee)

    def interruptions(self) -> list[str]:
        """What happens between the first reply and the resolution, in random order."""
        rng, pauses = self.rng, self.t.customer.pauses
        plan: list[str] = []
        if self.t.monitor is None:
            for kind in ("customer", "vendor", "scheduled"):
                if rng.random() < pauses[kind]:
                    plan.append(kind)
            if "customer" in plan and rng.random() < 0.25:
                plan.append("customer")
            if rng.random() < 0.12:
                plan.append("chime")
        if rng.random() < 0.15:
            plan.append("reassign")
        if rng.random() < 0.02:
            plan.append("priority")
        plan += ["update"] * int(rng.poisson(0.25 if self.t.priority in ("P3", "P4") else 0.8))
        order = rng.permutation(len(plan))
        return [plan[i] for i in order]

    def customer_answers(self, asked: dt.datetime, engineer: Person) -> dt.datetime | None:
        """The customer's answer in their office hours, or (8%) silence: the engineer resolves
        the ticket three office days later (returns None: the ticket is done)."""
        rng, office = self.rng, self.terms.office
        if rng.random() < 0.08:
            done = self.business(office, asked, 3 * 10)
            done = self.add(done, engineer, note=Note(issues.NO_ANSWER, True), status=RESOLVED)
            self.resolve(done, late=self.resolution_late(done))
            return None
        wait_h = min(lognormal(rng, 3.0, 1.1), 80.0)
        at = self.business(office, asked, wait_h)
        via = "portal" if rng.random() < 0.3 else "email"
        return self.add(
            at,
            self.t.requester,
            note=Note(self.pick(issues.CUSTOMER_ANSWERS), True),
            status=CUSTOMER_UPDATED,
            via=via,
        )

    def wait_for(self, kind: str, since: dt.datetime, engineer: Person) -> dt.datetime:
        """A wait on a vendor (1–5 office days) or for a booked visit (0.5–3 office days)."""
        rng = self.rng
        if kind == "vendor":
            self.add(
                since,
                engineer,
                status=WAITING_VENDOR,
                note=Note("Logged a case with the vendor; waiting for their answer.", False),
            )
            back = self.business(self.terms.office, since, lognormal(rng, 16.0, 0.6))
            return self.add(
                back,
                engineer,
                status=IN_PROGRESS,
                note=Note("The vendor has answered; continuing.", False),
            )
        self.add(
            since,
            engineer,
            status=SCHEDULED,
            note=Note("We have booked an engineer visit at the time you chose.", True),
        )
        visit = self.business(self.terms.office, since, float(rng.uniform(5, 30)))
        return self.add(visit, engineer, status=IN_PROGRESS, note=Note("On site now.", False))

    def resolution_late(self, done: dt.datetime) -> bool:
        """Whether the resolution clock ran past its target (pauses this SLA names excluded)."""
        clock = self.resolution
        running = clock.calendar.elapsed(self.t.created, done)
        status, since = NEW, self.t.created
        for step in sorted(self.steps, key=lambda s: s.at):
            if step.status is None or step.at > done:
                continue
            if status in clock.paused:
                running -= clock.calendar.elapsed(since, step.at)
            status, since = step.status, step.at
        return running > clock.target

    def resolve(self, done: dt.datetime, *, late: bool, assignee: Person | None = None) -> None:
        """After a resolution: maybe a reopening, then the automatic closure."""
        t, rng = self.t, self.rng
        t.late = late
        if done < self.cut_off:
            t.resolved_at = done
        close_after = (
            dt.timedelta(days=3) if t.customer.tool == "connectwise" else dt.timedelta(days=4)
        )
        if t.monitor is None and rng.random() < 0.04:
            back = self.business(self.terms.office, done, lognormal(rng, 4.0, 0.8))
            if back < done + close_after - dt.timedelta(hours=2):
                t.reopened = True
                self.add(
                    back,
                    t.requester,
                    note=Note(self.pick(issues.REOPENS), True),
                    status=REOPENED,
                    via="email",
                )
                hours = self.resolution.target.total_seconds() / 3600 * 0.15
                fixed = self.business(self.work, back, lognormal(rng, hours, 0.6))
                fix = Note(self.say(t.issue.fix), True)
                done = self.add(fixed, assignee or self.engineer, note=fix, status=RESOLVED)
        runs = (
            15 if t.customer.tool == "connectwise" else 60
        )  # the closing rule runs every N minutes
        close = done + close_after
        close += dt.timedelta(minutes=runs - close.minute % runs, seconds=-close.second)
        self.add(close, cast.SYSTEM, status=CLOSED, via="rule")


def fill(customer: Customer, rng: np.random.Generator) -> dict[str, str]:
    """Values for an issue's placeholders ({system}, {site}, {share}, {person})."""
    systems, sites = issues.SYSTEMS[customer.slug], issues.SITES[customer.slug]
    draws = rng.integers(0, 1000, size=4)
    return {
        "system": systems[draws[0] % len(systems)],
        "site": sites[draws[1] % len(sites)],
        "share": issues.SHARES[draws[2] % len(issues.SHARES)],
        "person": customer.contacts[draws[3] % len(customer.contacts)].name,
    }

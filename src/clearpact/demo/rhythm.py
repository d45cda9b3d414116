"""When tickets arrive, and what they are about: the rhythm of a customer's year.

Most tickets come in the customer's office hours (the agreement's calendar), with a morning peak;
Mondays are busiest and Fridays quietest; winter is about 20% busier than summer (peak in late
January); closed days (weekends, public holidays) see a trickle. Priorities are about 5/20/50/25%
P1..P4, more urgent out of hours. Pure functions of a random generator and the calendars.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np

from clearpact.demo import cast, issues
from clearpact.demo.cast import Channel, Customer
from clearpact.demo.stories import PRIORITIES, Terms, Ticket, fill

WEEKDAY = (1.35, 1.1, 1.0, 0.95, 0.8, 1.0, 1.0)
"""Arrival rate by weekday (Monday first) on open days; Saturday is scaled by its hours."""
IN_HOURS_PRIORITIES = (0.05, 0.20, 0.50, 0.25)
OUT_OF_HOURS_PRIORITIES = (0.12, 0.25, 0.43, 0.20)
CLOSED_DAY_RATE = 0.04
"""Share of an ordinary day's tickets that arrive on a closed day (weekend, holiday)."""


def season(day: dt.date) -> float:
    """Seasonal factor: 1.2 in late January, 0.8 in late July.

    >>> round(season(dt.date(2026, 1, 20)), 2), round(season(dt.date(2026, 7, 21)), 2)
    (1.2, 0.8)
    """
    return 1 + 0.2 * math.cos(2 * math.pi * (day.timetuple().tm_yday - 20) / 365.25)


def arrivals(
    customer: Customer,
    terms: Terms,
    rng: np.random.Generator,
    start: dt.date,
    end: dt.date,
    scale: float,
) -> list[Ticket]:
    """The tickets a customer raises on local days ``start`` (inclusive) to ``end`` (exclusive),
    in time order, without steps or numbers yet."""
    office, zone = terms.office, terms.zone
    days = [start + dt.timedelta(days=i) for i in range((end - start).days)]
    opening = []
    for day in days:
        midnight = dt.datetime.combine(day, dt.time(), zone)
        following = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), zone)
        opening.append((midnight, office.elapsed(midnight, following).total_seconds()))
    ordinary = max(seconds for _, seconds in opening[:14]) or 1.0
    tickets = []
    for day, (midnight, open_s) in zip(days, opening, strict=True):
        rate = customer.daily_tickets * scale * season(day)
        if open_s > 0:
            rate *= WEEKDAY[day.weekday()] * min(open_s / ordinary, 1.0)
        else:
            rate *= CLOSED_DAY_RATE
        for _ in range(int(rng.poisson(rate))):
            if open_s > 0 and rng.random() < 0.9:
                offset = dt.timedelta(seconds=open_s * float(rng.beta(1.6, 2.2)))
                at = office.add(midnight, offset)
            else:
                at = midnight.astimezone(dt.UTC) + dt.timedelta(hours=float(rng.uniform(6, 23)))
            at = at.astimezone(dt.UTC).replace(microsecond=0)
            in_hours = office.elapsed(at, at + dt.timedelta(minutes=1)) > dt.timedelta(0)
            tickets.append(_ticket(customer, at, in_hours, rng))
    tickets.sort(key=lambda ticket: ticket.created)
    return tickets


def _ticket(
    customer: Customer, at: dt.datetime, in_hours: bool, rng: np.random.Generator
) -> Ticket:
    weights = IN_HOURS_PRIORITIES if in_hours else OUT_OF_HOURS_PRIORITIES
    priority = PRIORITIES[int(rng.choice(4, p=weights))]
    channels = list(customer.channels)
    channel: Channel = channels[int(rng.choice(len(channels), p=list(customer.channels.values())))]
    if priority == "P1" and customer.tool == "connectwise" and rng.random() < 0.6:
        channel = "phone"  # urgent problems are phoned in
    matching = [issue for issue in issues.ISSUES if issue.priority == priority]
    pool = matching if rng.random() < 0.8 else list(issues.ISSUES)
    issue = pool[int(rng.integers(len(pool)))]
    requester = customer.contacts[int(rng.integers(len(customer.contacts)))]
    submitter = requester
    if channel == "phone":
        submitter = customer.engineers[int(rng.integers(len(customer.engineers)))]
    elif channel == "escalation":
        submitter = customer.it_staff[int(rng.integers(len(customer.it_staff)))]
    words = fill(customer, rng)
    return Ticket(
        customer=customer,
        created=at,
        priority=priority,
        channel=channel,
        requester=requester,
        submitter=submitter,
        issue=issue,
        subject=issue.subject.format(**words),
        description=issue.description.format(**words),
        in_hours=in_hours,
        words=words,
    )


def alert_ticket(
    customer: Customer,
    terms: Terms,
    monitor: str,
    service: str,
    down_at: dt.datetime,
    up_at: dt.datetime,
    rng: np.random.Generator,
) -> Ticket:
    """The P1 ticket the monitoring integration raises 2–4 minutes into an outage."""
    at = (down_at + dt.timedelta(seconds=float(rng.uniform(120, 240)))).replace(microsecond=0)
    in_hours = terms.office.elapsed(at, at + dt.timedelta(minutes=1)) > dt.timedelta(0)
    issue = issues.Issue(
        "P1",
        f"DOWN: {monitor}",
        f"Uptime Kuma reports {monitor} ({service}) DOWN.",
        "Can you confirm whether users at your site are affected?",
        f"{monitor} is back up; root cause recorded in the problem log.",
        "monitoring",
    )
    contact = customer.it_staff[0] if customer.it_staff else customer.contacts[0]
    submitter = cast.ZENDESK_BOT if customer.tool == "zendesk" else contact
    return Ticket(
        customer=customer,
        created=at,
        priority="P1",
        channel="monitoring",
        requester=contact,
        submitter=submitter,
        issue=issue,
        subject=issue.subject,
        description=issue.description,
        in_hours=in_hours,
        words={},
        monitor=monitor,
        restored_at=up_at,
    )

"""An agreement's ticket SLAs compiled to the plain rules the clock kernel applies.

Every default the kernel uses when the agreement is silent lives here, named, so that a result can
say which rule applied. Pure: imports the agreement model and the calendar only.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from clearpact.agreement.calendars import CalendarSpec
from clearpact.agreement.model import Agreement
from clearpact.agreement.slas import (
    PriorityChangeRule,
    ReopenRule,
    ResponseAuthor,
    ResponseExclusion,
    StartEvent,
    StopEvent,
    TicketSla,
    UnansweredRule,
)
from clearpact.calendar import Calendar

US = 1_000_000

DEFAULT_STOP = {
    "first_response": StopEvent.FIRST_RESPONSE,
    "resolution": StopEvent.RESOLVED,
    "restoration": StopEvent.WORKAROUND,
}
DEFAULT_PRIORITY_CHANGE = PriorityChangeRule.CURRENT_FROM_ORIGINAL_START
DEFAULT_REOPEN = ReopenRule.RESUME
DEFAULT_UNANSWERED = UnansweredRule.RESOLUTION_STOPS


class NotSupportedError(ValueError):
    """A clock the agreement defines that this version of clearpact cannot measure yet."""


@dataclass(frozen=True)
class Target:
    """One priority's target: business µs on a named calendar."""

    micros: int
    calendar: str


@dataclass(frozen=True)
class SlaRule:
    """One ticket SLA, with every policy decided (the agreement's, or the named default)."""

    key: str
    metric: str
    start: StartEvent
    stop: StopEvent
    pause_statuses: frozenset[str]
    reply_values: frozenset[str]  # canonical reply authors that count as a response
    status_change_responds: bool
    assignment_responds: bool
    channels: frozenset[str]  # empty: any channel
    targets: dict[str, Target]
    calendar: str | None  # the SLA's own calendar: elapsed time for priorities with no target
    priority_change: PriorityChangeRule
    reopen: ReopenRule
    count_time_while_resolved: bool
    reopen_within_micros: int | None  # reopened later than this: a new cycle
    unanswered: UnansweredRule
    at_risk: float | None  # fraction of the target

    @property
    def calendars(self) -> list[str]:
        """Names of every calendar this rule measures on, in a stable order."""
        names = {t.calendar for t in self.targets.values()}
        if self.calendar is not None:
            names.add(self.calendar)
        return sorted(names)


def compile_rule(key: str, sla: TicketSla) -> SlaRule:
    """The kernel's rule for one ticket SLA.

    Raises :class:`NotSupportedError` for clocks that restart on every customer reply
    (``next_update``, ``previous_public_reply``), which the kernel does not measure yet.
    """
    if sla.metric == "next_update" or sla.start == StartEvent.PREVIOUS_PUBLIC_REPLY:
        raise NotSupportedError(
            f"slas.{key}: clocks that restart at every customer reply (next_update) are not yet "
            "supported by the clock engine"
        )
    stop = sla.stop or DEFAULT_STOP[sla.metric]
    if stop == StopEvent.NEXT_PUBLIC_REPLY:
        raise NotSupportedError(f"slas.{key}: stop: next_public_reply is not yet supported")
    response = sla.response
    excludes = set(response.excludes) if response else set()
    replies = {"agent"}
    if (
        response is not None
        and response.author == ResponseAuthor.ANY_AGENT
        and ResponseExclusion.AUTOMATIC_ACKNOWLEDGEMENT not in excludes
    ):
        replies.add("automation")
    targets: dict[str, Target] = {}
    for priority in sla.targets:
        seconds = sla.target_seconds(priority)
        calendar = sla.calendar_for(priority)
        if seconds is not None and calendar is not None:
            targets[priority] = Target(seconds * US, calendar)
    reopen = sla.reopen
    return SlaRule(
        key=key,
        metric=sla.metric,
        start=sla.start or StartEvent.CREATED,
        stop=stop,
        pause_statuses=frozenset(sla.pause_statuses),
        reply_values=frozenset(replies),
        # A status change or an assignment counts only where the response definition says so
        # (ServiceNow-style "moved to In progress"), and an exclusion always wins.
        status_change_responds=response is not None
        and "status_change" in response.also_counts
        and ResponseExclusion.STATUS_CHANGE not in excludes,
        assignment_responds=response is not None
        and "assignment" in response.also_counts
        and ResponseExclusion.ASSIGNMENT not in excludes,
        channels=frozenset(response.channels) if response else frozenset(),
        targets=targets,
        calendar=sla.calendar,
        priority_change=sla.priority_change.policy
        if sla.priority_change
        else DEFAULT_PRIORITY_CHANGE,
        reopen=reopen.policy if reopen else DEFAULT_REOPEN,
        count_time_while_resolved=bool(reopen and reopen.count_time_while_resolved),
        # A reopening window in months counts a month as 30.44 days (Duration.approx_days).
        reopen_within_micros=round(reopen.within.approx_days() * 86400) * US
        if reopen and reopen.within
        else None,
        unanswered=sla.unanswered or DEFAULT_UNANSWERED,
        at_risk=sla.at_risk / 100 if sla.at_risk is not None else None,
    )


def compile_rules(agreement: Agreement) -> list[SlaRule]:
    """Rules for every ticket SLA of the agreement that the kernel measures, in file order."""
    rules = []
    for key, sla in agreement.slas.items():
        if isinstance(sla, TicketSla):
            rules.append(compile_rule(key, sla))
    return rules


def compile_calendars(agreement: Agreement, rules: list[SlaRule]) -> dict[str, Calendar]:
    """The compiled calendars the rules name (each compiled once, shared by every rule)."""
    names = sorted({name for rule in rules for name in rule.calendars})
    missing = [name for name in names if name not in agreement.calendars]
    if missing:
        raise ValueError(f"the SLAs name calendars the agreement does not define: {missing}")
    return {name: compiled_calendar(agreement.calendars[name]) for name in names}


_COMPILED: dict[str, Calendar] = {}
_COMPILED_LOCK = threading.Lock()


def compiled_calendar(spec: CalendarSpec) -> Calendar:
    """One shared compiled calendar per distinct spec, so partitions and repeated runs compile
    each calendar's years once (a calendar is safe to share between threads)."""
    key = spec.model_dump_json()
    with _COMPILED_LOCK:
        if key not in _COMPILED:
            if len(_COMPILED) > 256:  # a long-lived process measuring many agreements
                _COMPILED.clear()
            _COMPILED[key] = Calendar(spec)
        return _COMPILED[key]

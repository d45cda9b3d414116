"""Obligations due against obligations done: every recurring duty the agreement sets (meetings,
reports and their deadlines, DR tests per service, restore tests, BCP and exit-plan reviews),
every certificate it promises, every escalation raised and every action item decided, judged
against the evidence register on a day.

Pure: the agreement model and the register model in, :class:`ObligationStatus` rows out. The
states and their rules are documented in docs/register.md.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

from clearpact.agreement.fields import Cadence
from clearpact.agreement.model import Agreement
from clearpact.agreement.obligations import Report
from clearpact.durations import Duration, add_months, format_seconds
from clearpact.governance.periods import CadencePeriod, period_of, periods_between
from clearpact.governance.register import DrTest, Register, Result

DUE_SOON = dt.timedelta(days=14)
"""An obligation not yet evidenced whose due day is at most this far ahead is ``due_soon``."""


class State(StrEnum):
    """Where an obligation stands on the day it is judged."""

    DONE = "done"
    """Evidenced in time (and, for a test, passed)."""
    DUE_SOON = "due_soon"
    """Not evidenced yet; due within the window (14 days unless told), or an open escalation."""
    UPCOMING = "upcoming"
    """Not evidenced yet; due later than the window."""
    OVERDUE = "overdue"
    """Due day passed without evidence, though the register holds earlier evidence of it."""
    FAILED = "failed"
    """Evidenced, but not as the agreement asks: a test failed or missed its RTO or RPO, a
    report was delivered after its deadline, an escalation was answered late."""
    NEVER_EVIDENCED = "never_evidenced"
    """Due day passed and the register holds no evidence of this obligation at all."""


PROBLEMS = frozenset({State.OVERDUE, State.FAILED, State.NEVER_EVIDENCED})
"""The states ``clearpact obligations`` exits 1 for."""


class Kind(StrEnum):
    """What sort of obligation a row is."""

    MEETING = "meeting"
    REPORT = "report"
    ESCALATION = "escalation"
    DR_TEST = "dr_test"
    RESTORE_TEST = "restore_test"
    BCP_REVIEW = "bcp_review"
    EXIT_PLAN_REVIEW = "exit_plan_review"
    CERTIFICATION = "certification"
    ACTION_ITEM = "action_item"


@dataclass(frozen=True)
class ObligationStatus:
    """One occurrence of an obligation (one period of a cadence, one escalation, one action
    item, one certificate) and its state on the day judged."""

    kind: Kind
    name: str
    clause: str
    """Where it comes from: the agreement's path, or the register entry for action items."""
    state: State
    due: dt.date | None
    """The last day it may be done on (None: the agreement gives no date)."""
    evidence: dt.date | None = None
    """The day of the evidence that decided the state."""
    detail: str = ""
    period: str | None = None
    """The period it belongs to, e.g. 'October 2026'."""
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    """The period's last day (inclusive)."""
    owner: str | None = None
    raised: dt.date | None = None
    """For action items and escalations: the day they were raised."""

    def as_json(self) -> dict[str, object]:
        """The row as ``clearpact obligations --format json`` prints it (dates in ISO 8601)."""

        def day(value: dt.date | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "kind": self.kind.value,
            "name": self.name,
            "clause": self.clause,
            "period": self.period,
            "period_start": day(self.period_start),
            "period_end": day(self.period_end),
            "due": day(self.due),
            "state": self.state.value,
            "evidence": day(self.evidence),
            "owner": self.owner,
            "raised": day(self.raised),
            "detail": self.detail,
        }


def obligations(
    agreement: Agreement,
    register: Register,
    *,
    as_of: dt.date,
    window: dt.timedelta = DUE_SOON,
) -> list[ObligationStatus]:
    """Every obligation of ``agreement`` on ``as_of``, judged by the evidence in ``register``.

    Recurring obligations have one row per calendar period of their cadence, from the period
    holding the term's start (``as_of`` without a term) to the one holding ``as_of``; periods
    starting after the term's end, and occurrences due before the register's ``since``, are
    left out. Evidence dated after ``as_of`` is ignored, so a past day is judged as it stood.
    An obligation is due on its period's last day (a report: that day plus ``due_within``);
    it is overdue from the next day. Rows are sorted by due day.

    >>> from clearpact.agreement.loader import load_text
    >>> agreement = load_text('''version: clearpact/v1
    ... title: t
    ... parties: {provider: {name: P}, customer: {name: C}}
    ... term: {start: 2026-09-01}
    ... governance: {meetings: [{name: Review, level: operational, cadence: monthly}]}
    ... ''').agreement
    >>> register = Register(version="clearpact-register/v1",
    ...                     meetings=[{"name": "Review", "date": dt.date(2026, 9, 10)}])
    >>> [(r.period, r.state.value) for r in obligations(agreement, register,
    ...                                                 as_of=dt.date(2026, 10, 20))]
    [('September 2026', 'done'), ('October 2026', 'due_soon')]
    """
    judge = _Judge(agreement, register, as_of, window)
    rows = [
        *judge.meetings(),
        *judge.reports(),
        *judge.risk(),
        *judge.certifications(),
        *judge.escalations(),
        *judge.action_items(),
    ]
    return sorted(rows, key=lambda r: (r.due or dt.date.max, r.kind.value, r.name))


def obligations_for_period(
    agreement: Agreement,
    register: Register,
    start: dt.date,
    end: dt.date,
    as_of: dt.date,
    *,
    window: dt.timedelta = DUE_SOON,
) -> list[ObligationStatus]:
    """What a report of ``[start, end)`` shows, judged on ``as_of``: the occurrences due in
    the period, every certificate (a standing duty), and every action item open at some time
    in the period (raised before its end and not closed before its start: items carry over
    until closed)."""
    rows = []
    for row in obligations(agreement, register, as_of=as_of, window=window):
        if row.kind is Kind.ACTION_ITEM:
            raised = row.raised or start
            closed_before = row.state is State.DONE and row.evidence and row.evidence < start
            if raised < end and not closed_before:
                rows.append(row)
        elif row.kind is Kind.CERTIFICATION or row.due is None or start <= row.due < end:
            rows.append(row)
    return rows


def _same(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def _days_after(duration: Duration, day: dt.date) -> dt.date:
    """``day`` plus a ``due_within``: months as calendar months, exact lengths in whole days
    (rounded up: '36h' is 2 days)."""
    if not duration.is_exact:
        return add_months(day, duration.months)
    return day + dt.timedelta(days=math.ceil(duration.seconds / 86400))


class _Judge:
    """The day, the window and the evidence, shared by every kind of obligation."""

    def __init__(
        self, agreement: Agreement, register: Register, as_of: dt.date, window: dt.timedelta
    ) -> None:
        self.agreement = agreement
        self.register = register
        self.as_of = as_of
        self.window = window
        term = agreement.term
        self.anchor = term.start if term else as_of
        self.term_end = term.end if term else None
        self.zone = ZoneInfo(agreement.home_zone)

    def periods(self, cadence: Cadence) -> list[CadencePeriod]:
        periods = periods_between(cadence, self.anchor, self.as_of, anchor=self.anchor)
        if self.term_end is not None:
            periods = [p for p in periods if p.start <= self.term_end]
        return periods

    def judged(self, due: dt.date) -> bool:
        return self.register.since is None or due >= self.register.since

    def waiting(self, due: dt.date, ever: bool) -> tuple[State, str]:
        """The state of an occurrence without evidence: ``ever`` says whether the register
        holds any evidence of the obligation."""
        if self.as_of > due:
            late = (self.as_of - due).days
            if ever:
                return State.OVERDUE, f"no evidence; due {late} day(s) ago"
            return (
                State.NEVER_EVIDENCED,
                f"due {late} day(s) ago; the register has never recorded it",
            )
        if due - self.as_of <= self.window:
            return State.DUE_SOON, f"due in {(due - self.as_of).days} day(s)"
        return State.UPCOMING, f"due in {(due - self.as_of).days} day(s)"

    def recurring(
        self,
        kind: Kind,
        name: str,
        clause: str,
        cadence: Cadence,
        dates: Sequence[dt.date],
        verdict: Callable[[CadencePeriod, dt.date], tuple[State, str]] | None = None,
    ) -> Iterable[ObligationStatus]:
        """One row per period: done on the day of the period's last evidence (``verdict`` may
        say otherwise), else waiting."""
        seen = sorted(d for d in dates if d <= self.as_of)
        for period in self.periods(cadence):
            due = period.last_day
            if not self.judged(due):
                continue
            inside = [d for d in seen if period.contains(d)]
            if inside:
                state, detail = verdict(period, inside[-1]) if verdict else (State.DONE, "recorded")
                evidence: dt.date | None = inside[-1]
            else:
                state, detail = self.waiting(due, bool(seen))
                evidence = None
            yield ObligationStatus(
                kind, name, clause, state, due, evidence, detail,
                period.label, period.start, due,
            )  # fmt: skip

    def meetings(self) -> Iterable[ObligationStatus]:
        governance = self.agreement.governance
        for index, meeting in enumerate(governance.meetings if governance else []):
            held = [m.date for m in self.register.meetings if _same(m.name, meeting.name)]
            clause = f"governance.meetings[{index}]"
            yield from self.recurring(Kind.MEETING, meeting.name, clause, meeting.cadence, held)

    def reports(self) -> Iterable[ObligationStatus]:
        governance = self.agreement.governance
        for index, report in enumerate(governance.reports if governance else []):
            yield from self._report(index, report)

    def _report(self, index: int, report: Report) -> Iterable[ObligationStatus]:
        cadence = report.cadence
        delivered: dict[CadencePeriod, dt.date] = {}
        ever = False
        for entry in self.register.reports:
            if not _same(entry.name, report.name) or entry.delivered > self.as_of:
                continue
            ever = True
            covers = entry.covers
            if covers is None:  # the period before the one it was delivered in
                current = period_of(cadence, entry.delivered, anchor=self.anchor)
                covers = current.start - dt.timedelta(days=1)
            period = period_of(cadence, covers, anchor=self.anchor)
            delivered[period] = min(entry.delivered, delivered.get(period, dt.date.max))
        for period in self.periods(cadence):
            if report.due_within is not None:
                due = _days_after(report.due_within, period.last_day)
                rule = f"within {report.due_within} of the period's end"
            else:
                due = period.next().last_day
                rule = "by the end of the next period (no due_within)"
            if not self.judged(due):
                continue
            day = delivered.get(period)
            if day is None:
                state, detail = self.waiting(due, ever)
                detail += f"; {rule}"
            elif day > due:
                state, detail = State.FAILED, f"{(day - due).days} day(s) late ({rule})"
            else:
                state, detail = State.DONE, f"in time ({rule})"
            yield ObligationStatus(
                Kind.REPORT, report.name, f"governance.reports[{index}]", state, due, day,
                detail, period.label, period.start, period.last_day,
            )  # fmt: skip

    def risk(self) -> Iterable[ObligationStatus]:
        risk = self.agreement.risk
        if risk is not None:
            for index, dr in enumerate(risk.disaster_recovery):
                if dr.test_cadence is None:
                    continue
                tests = [t for t in self.register.dr_tests if t.service == dr.service]
                yield from self.recurring(
                    Kind.DR_TEST,
                    dr.service,
                    f"risk.disaster_recovery[{index}]",
                    dr.test_cadence,
                    [t.date for t in tests],
                    _dr_judge(tests, dr.rto, dr.rpo),
                )
            backups = risk.backups
            if backups is not None and backups.restore_test_cadence is not None:
                restores = self.register.restore_tests

                def restore_verdict(_period: CadencePeriod, day: dt.date) -> tuple[State, str]:
                    test = [t for t in restores if t.date == day][-1]
                    if test.result is Result.FAIL:
                        return State.FAILED, "the restore failed"
                    return State.DONE, "passed"

                yield from self.recurring(
                    Kind.RESTORE_TEST,
                    "Backup restore test",
                    "risk.backups.restore_test_cadence",
                    backups.restore_test_cadence,
                    [t.date for t in restores],
                    restore_verdict,
                )
            bcp = risk.business_continuity
            if bcp is not None and bcp.review_cadence is not None:
                yield from self.recurring(
                    Kind.BCP_REVIEW,
                    "Business continuity plan review",
                    "risk.business_continuity.review_cadence",
                    bcp.review_cadence,
                    [r.date for r in self.register.bcp_reviews],
                )
        exit_terms = self.agreement.exit
        if exit_terms is not None and exit_terms.plan_review_cadence is not None:
            yield from self.recurring(
                Kind.EXIT_PLAN_REVIEW,
                "Exit plan review",
                "exit.plan_review_cadence",
                exit_terms.plan_review_cadence,
                [r.date for r in self.register.exit_plan_reviews],
            )

    def certifications(self) -> Iterable[ObligationStatus]:
        risk = self.agreement.risk
        for index, promised in enumerate(risk.compliance if risk else []):
            if not promised.certified:
                continue
            clause = f"risk.compliance[{index}]"
            held = [
                c
                for c in self.register.certifications
                if _same(c.framework, promised.framework)
                and (c.issued is None or c.issued <= self.as_of)
            ]
            if not held:
                said = (
                    f"the agreement says it expires {promised.expires}; "
                    if promised.expires
                    else ""
                )
                yield ObligationStatus(
                    Kind.CERTIFICATION, promised.framework, clause, State.NEVER_EVIDENCED,
                    promised.expires, None, f"{said}no certificate recorded",
                )  # fmt: skip
                continue
            latest = max(held, key=lambda c: c.expires)
            expires = latest.expires
            if self.as_of > expires:
                state, detail = State.OVERDUE, f"expired on {expires}; no renewal recorded"
            elif expires - self.as_of <= self.window:
                state, detail = State.DUE_SOON, f"expires in {(expires - self.as_of).days} day(s)"
            else:
                state, detail = State.DONE, f"valid until {expires}"
            yield ObligationStatus(
                Kind.CERTIFICATION, promised.framework, clause, state, expires,
                latest.issued, detail,
            )  # fmt: skip

    def escalations(self) -> Iterable[ObligationStatus]:
        governance = self.agreement.governance
        levels = {e.level: e for e in (governance.escalation if governance else [])}
        for index, raised in enumerate(self.register.escalations):
            level = levels.get(raised.level)
            if level is None:
                continue  # reported by check_register
            start = self._local(raised.raised)
            if start.date() > self.as_of:
                continue
            # The level answers before the escalation would move on: the next level's `after`;
            # the top level within its own.
            allowed = levels.get(raised.level + 1, level).after.as_timedelta()
            deadline = start + allowed
            name = raised.subject or f"Escalation to level {raised.level}"
            clause = f"governance.escalation (level {raised.level}); register escalations[{index}]"
            limit = (
                f"{level.provider_contact} answers within {format_seconds(allowed.total_seconds())}"
            )
            answered = self._local(raised.answered) if raised.answered else None
            evidence = None
            if answered is not None and answered.date() <= self.as_of:
                evidence = answered.date()
                late = (answered - deadline).total_seconds()
                if late > 0:
                    state, detail = State.FAILED, f"answered {format_seconds(late)} late ({limit})"
                else:
                    state, detail = State.DONE, f"answered in time ({limit})"
            elif self.as_of > deadline.date():
                state, detail = State.OVERDUE, f"not answered ({limit})"
            else:
                state, detail = (
                    State.DUE_SOON,
                    f"open, answer due {deadline:%Y-%m-%d %H:%M} ({limit})",
                )
            yield ObligationStatus(
                Kind.ESCALATION, name, clause, state, deadline.date(), evidence, detail,
                raised=start.date(), owner=level.provider_contact,
            )  # fmt: skip

    def _local(self, instant: dt.datetime) -> dt.datetime:
        if instant.tzinfo is None:
            return instant.replace(tzinfo=self.zone)
        return instant.astimezone(self.zone)

    def action_items(self) -> Iterable[ObligationStatus]:
        for index, meeting in enumerate(self.register.meetings):
            if meeting.date > self.as_of:
                continue
            for number, item in enumerate(meeting.actions):
                clause = (
                    f"register meetings[{index}].actions[{number}] ({meeting.name}, {meeting.date})"
                )
                if item.closed is not None and item.closed <= self.as_of:
                    late = (item.closed - item.due).days
                    detail = "closed" + (f", {late} day(s) late" if late > 0 else " in time")
                    state, evidence = State.DONE, item.closed
                else:
                    state, detail = self.waiting(item.due, True)
                    detail = detail.replace("no evidence; ", "open; ")
                    evidence = None
                yield ObligationStatus(
                    Kind.ACTION_ITEM, item.text, clause, state, item.due, evidence, detail,
                    owner=item.owner, raised=meeting.date,
                )  # fmt: skip


def _dr_judge(
    tests: list[DrTest], rto: Duration | None, rpo: Duration | None
) -> Callable[[CadencePeriod, dt.date], tuple[State, str]]:
    """The verdict on a period's last DR test (the latest on its day)."""

    def verdict(_period: CadencePeriod, day: dt.date) -> tuple[State, str]:
        return _dr_verdict([t for t in tests if t.date == day][-1], rto, rpo)

    return verdict


def _dr_verdict(test: DrTest, rto: Duration | None, rpo: Duration | None) -> tuple[State, str]:
    """A DR test fails on its own result, or when it recovered slower than the RTO or lost
    more than the RPO."""
    misses = []
    if test.result is Result.FAIL:
        misses.append("the test failed")
    for label, achieved, objective in (
        ("RTO", test.rto_achieved, rto),
        ("RPO", test.rpo_achieved, rpo),
    ):
        if achieved is not None and objective is not None and achieved.seconds > objective.seconds:
            misses.append(f"achieved {label} {achieved} exceeds the {objective} objective")
    if misses:
        return State.FAILED, "; ".join(misses)
    parts = [
        f"{label} {achieved} of {objective}"
        for label, achieved, objective in (
            ("RTO", test.rto_achieved, rto),
            ("RPO", test.rpo_achieved, rpo),
        )
        if achieved is not None and objective is not None
    ]
    return State.DONE, "passed" + (f" ({', '.join(parts)})" if parts else "")

"""Commitments compared with the agreement in force on the message's date.

Each of the provider's commitments is either consistent with the agreement (no gap) or departs
from it in one way, checked in this order:

- ``out_of_scope``: it speaks of an item a service excludes, without saying it is excluded;
- ``contradicts_policy``: it promises hours the calendar does not have ("24/7" on office hours),
  free work the agreement bills, or says an in-scope item is not included;
- ``stricter``: it promises a time sooner than the SLA's target for the likely priority (both
  computed from the message's date: the promise in clock time or as it says, the target in
  business time on its calendar), or more availability or less data loss than agreed;
- ``vague``: it promises speed or certainty without a measure ("we'll sort it quickly"), or
  coverage of something the agreement does not name.

Pure: imports the agreement model, the calendar and the wording of ``explain``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

from clearpact.agreement.model import Agreement
from clearpact.agreement.slas import AvailabilitySla, TicketSla
from clearpact.calendar.business import Calendar
from clearpact.explain.service_levels import allowed_downtime
from clearpact.explain.wording import (
    article,
    calendar_words,
    days_with_hours,
    hours_words,
    join_words,
    moment_words,
    money,
    short_duration,
)
from clearpact.explain.worked import priority_label
from clearpact.gaps.commitments import Commitment, CommitmentKind, Measure, find_commitments
from clearpact.gaps.messages import Message, split_reply
from clearpact.gaps.priority import LikelyPriority, PriorityBasis, likely_priority, priority_keys
from clearpact.gaps.scope import ScopeMatch, distinctive, scope_match
from clearpact.gaps.times import TermForm, placeable
from clearpact.gaps.timing import (
    METRICS,
    Thread,
    Timing,
    measure_words,
    target_words,
    terms_on,
    timing_note,
    timing_of,
    within_words,
)


class GapKind(StrEnum):
    """How a commitment departs from the agreement."""

    STRICTER = "stricter"
    OUT_OF_SCOPE = "out_of_scope"
    CONTRADICTS_POLICY = "contradicts_policy"
    VAGUE = "vague"


class Party(StrEnum):
    """Who sent the message, by the domain of the agreement's contacts."""

    PROVIDER = "provider"
    CUSTOMER = "customer"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Gap:
    """A commitment that departs from the agreement: how (``kind``), the clause it departs from
    (a dotted path such as ``slas.resolution.targets.P3``; None when the agreement has no clause
    to point at), why, in words that state both sides (``reason``), a short reply that sets the
    expectation right (``suggestion``) and, where it fits, the amendment line that would make the
    agreement say what was promised (``amendment``)."""

    commitment: Commitment
    kind: GapKind
    clause: str | None
    reason: str
    suggestion: str
    amendment: str | None = None


@dataclass(frozen=True)
class Assessment:
    """A commitment and its comparison: the gap or None, who sent it, the likely priority, the
    clause compared with, the instant promised and the instant the agreement allows (when both
    can be placed in time), and a note on a consistent or uncompared commitment."""

    commitment: Commitment
    gap: Gap | None
    party: Party
    priority: LikelyPriority | None = None
    clause: str | None = None
    promised_by: dt.datetime | None = None
    agreement_due: dt.datetime | None = None
    note: str | None = None


_WEEKEND = re.compile(r"weekend|saturday|sunday", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(?:that|this|it|these|those|they|them)\b", re.IGNORECASE)
_PERCENT = re.compile(r"(\d{2,3}(?:\.\d+)?)\s?%")
_REPAIR = re.compile(  # incident work, which the monthly fee pays for
    r"\b(?:fix|repair|resolv|restor|solv|sort|troubleshoot|investigat|look\s+(?:at|into))\w*", re.I
)


def party_of(agreement: Agreement, message: Message) -> Party:
    """The provider or the customer, when the sender's address shares the domain of that
    party's contact in the agreement; unknown otherwise."""
    address = message.sender_address
    if address is None:
        return Party.UNKNOWN
    domain = address.rsplit("@", 1)[1]
    for party, organisation in (
        (Party.PROVIDER, agreement.parties.provider),
        (Party.CUSTOMER, agreement.parties.customer),
    ):
        contact = organisation.contact
        if contact and contact.email and contact.email.lower().rsplit("@", 1)[-1] == domain:
            return party
    return Party.UNKNOWN


def _stricter_gap(thread: Thread, commitment: Commitment, timing: Timing) -> Gap:
    label = priority_label(thread.terms, timing.priority)
    metric = measure_words(timing)
    target = target_words(thread, timing)
    term = commitment.time
    said = f"'{term.text}'" if term else "the promise"
    if timing.promised is not None and timing.due is not None and commitment.date is not None:
        after = hours_words(int((timing.promised - commitment.date).total_seconds()))
        reason = (
            f"{said} promises by {moment_words(timing.promised)} ({after} after the message); "
            f"the agreement's {label} {metric} target is {target}, due "
            f"{moment_words(timing.due)}"
        )
        when = f", which here is {moment_words(timing.due)}"
    else:
        reason = (
            f"{said} is shorter than the agreement's {label} {metric} target of {target}, "
            "whenever the message was sent (it has no date)"
        )
        when = ""
    if timing.blanket:
        reason += f"; it is made for every ticket, so it holds for {label} tickets too"
    if commitment.measure is Measure.ARRIVAL:
        reason += "; the agreement sets no arrival time at all, only a reply"
    suggestion = (
        f"To be exact: for {article(label)} ticket our agreement commits to {metric} within "
        f"{within_words(thread, timing)}{when}. We will try to be "
        "quicker, but that is the time we can promise."
    )
    return Gap(
        commitment,
        GapKind.STRICTER,
        timing.clause,
        reason,
        suggestion,
        _stricter_amendment(thread, commitment, timing),
    )


def _arrival_gap(thread: Thread, commitment: Commitment, timing: Timing) -> Gap:
    """A promise to be on site by a time that is no faster than the first-response target: the
    agreement still promises no visit by any time, so the customer is told more than it says."""
    label = priority_label(thread.terms, timing.priority)
    term = commitment.time
    said = f"'{term.text}'" if term else "the promise"
    reason = (
        f"{said} promises someone on site by a time, but the agreement sets no arrival time at "
        f"all; its nearest term is the {label} first response target ({target_words(thread, timing)}), "
        "which a call or an e-mail meets"
    )
    suggestion = (
        f"To be exact: for {article(label)} ticket our agreement commits to a first response "
        f"within {within_words(thread, timing)}, not to a visit by a set time. We will come on "
        "site as soon as we can."
    )
    return Gap(commitment, GapKind.STRICTER, timing.clause, reason, suggestion)


def _stricter_amendment(thread: Thread, commitment: Commitment, timing: Timing) -> str | None:
    """The target line that would make the promise part of the agreement: a clock-time promise
    as a target on a 24x7 calendar (when the agreement has one), any other as the business time
    it allowed."""
    line = f"slas.{timing.sla_key}.targets.{timing.priority}"
    term = commitment.time
    if term is not None and term.form is TermForm.DURATION:
        within = short_duration(term.seconds)
        spec = thread.terms.calendars.get(timing.calendar_name or "")
        if spec is None or spec.is_24x7:
            return f"{line}: {within}"
        always = next((n for n, s in thread.terms.calendars.items() if s.is_24x7), None)
        return f"{line}: {{within: {within}, calendar: {always}}}" if always else None
    if timing.promised_business:
        return f"{line}: {short_duration(timing.promised_business)}"
    return None


def _round_the_clock_gap(
    thread: Thread, commitment: Commitment, timing: Timing | None
) -> tuple[Gap | None, str | None]:
    """The hours check: a gap, or None with a note when the agreement covers those hours."""
    words = commitment.round_the_clock
    if words is None:
        return None, None
    weekend = bool(_WEEKEND.search(words))
    slas = (
        [(timing.sla_key, timing.sla)]
        if timing
        else [(k, s) for k, s in thread.terms.slas.items() if isinstance(s, TicketSla)]
    )
    named = likely_priority(thread.terms, commitment.text)
    if named is not None and named.basis is PriorityBasis.NAMED:
        priorities = [named.key]
    elif re.search(r"\bemergenc|\bcritical\b", commitment.text, re.I):
        priorities = priority_keys(thread.terms)[:1]
    elif thread.priority is not None and thread.priority.basis is not PriorityBasis.ASSUMED:
        priorities = [thread.priority.key]
    else:
        priorities = priority_keys(thread.terms)
    short: list[tuple[str, str, str]] = []  # (sla, priority, calendar) that do not cover it
    covered: list[str] = []  # priorities whose clock runs at those hours, of any SLA here
    for key, sla in slas:
        for priority in sla.targets:
            name = sla.calendar_for(priority)
            spec = thread.terms.calendars.get(name or "")
            # No calendar: the clock runs all the time.
            ok = spec is None or spec.is_24x7 or (weekend and {5, 6} <= days_with_hours(spec))
            if ok:
                covered.append(priority)
            elif priority in priorities:
                short.append((key, priority, name or ""))
    if not short:
        if not slas:
            return None, None
        return None, f"'{words}': the agreement's clock runs at those hours"
    key, _priority, name = short[0]
    spec = thread.terms.calendars[name]
    labels = join_words(list(dict.fromkeys(priority_label(thread.terms, p) for _, p, _ in short)))
    order = priority_keys(thread.terms)
    all_day = sorted(set(covered), key=lambda p: order.index(p) if p in order else len(order))
    reason = (
        f"'{words}' promises service at hours the agreement does not measure: {labels} tickets "
        f"are measured on '{name}' ({calendar_words(spec)})"
    )
    tail = ""
    if all_day:
        names = join_words([priority_label(thread.terms, p) for p in all_day])
        reason += f"; only {names} is measured around the clock"
        tail = f"; only {names} tickets are handled around the clock"
    suggestion = (
        f"To be exact: our agreed support hours are {calendar_words(spec, full=False)}{tail}. "
        "Outside them we help when we can, but we cannot promise it."
    )
    always = next((n for n, s in thread.terms.calendars.items() if s.is_24x7), None)
    amendment = f"slas.{key}.calendar: {always}" if always else None
    gap = Gap(
        commitment,
        GapKind.CONTRADICTS_POLICY,
        f"calendars.{name}.hours",
        reason,
        suggestion,
        amendment,
    )
    return gap, None


def _scope(thread: Thread, commitment: Commitment) -> ScopeMatch | None:
    texts = [commitment.text]
    # the neighbouring sentences, the subject and the quoted question say what "that" is, or
    # what a coverage statement without an object of its own ("it's included") is about; a
    # statement that names its object ("setting up the new laptop is free") stands alone
    unnamed = commitment.kind is CommitmentKind.COVERAGE and not distinctive(commitment.text)
    if unnamed or _PRONOUN.search(commitment.text):
        texts += [commitment.context, thread.subject, thread.quoted_head]
    for text in texts:
        match = scope_match(thread.terms, text) if text else None
        if match is not None:
            return match
    return None


def _rate_words(terms: Agreement) -> str:
    """``at EUR 125 per hour once a named customer approver accepts a written quote``, or ''."""
    work = terms.out_of_scope_work
    if work is None:
        return ""
    parts = []
    if work.rate is not None and work.unit in ("hour", "day"):
        currency = terms.commercials.currency if terms.commercials else ""
        parts.append(f"at {money(work.rate, currency).strip()} per {work.unit}")
    if work.approval:
        parts.append(f"once {work.approval[0].lower()}{work.approval[1:]}")
    return " ".join(parts)


def _scope_gap(
    thread: Thread, commitment: Commitment, match: ScopeMatch | None
) -> tuple[Gap | None, str | None]:
    terms = thread.terms
    if commitment.negated:
        if match is not None and not match.excluded:
            reason = (
                f"it says this is not included, but the agreement lists '{match.label}' in scope "
                f"({match.path})"
            )
            suggestion = f"Correction: '{match.label}' is part of the service we agreed; there is no extra charge for it."
            gap = Gap(commitment, GapKind.CONTRADICTS_POLICY, match.path, reason, suggestion)
            return gap, None
        where = f" ({match.path})" if match else ""
        return None, f"says correctly that it is not included{where}"
    if match is not None and match.excluded:
        said = join_words([f"'{w}'" for w in match.matched])
        reason = (
            f"it speaks of {said}, which the agreement excludes: "
            f"'{match.label}' is out of scope of the {terms.services[match.service].name.lower()} "
            f"service ({match.path})"
        )
        suggestion = (
            f"Correction: {match.label[0].lower()}{match.label[1:]} is not part of our agreement; "
            f"we can do it as out-of-scope work {_rate_words(terms)}".rstrip()
            + "."
        )
        amendment = (
            f"move '{match.label}' from services.{match.service}.out_of_scope to "
            f"services.{match.service}.in_scope"
        )
        return Gap(
            commitment, GapKind.OUT_OF_SCOPE, match.path, reason, suggestion, amendment
        ), None
    if commitment.free:
        if match is not None or _REPAIR.search(commitment.text):
            where = f" ({match.path})" if match else ""
            return None, f"'{commitment.free}': work the monthly fee covers{where}"
        if terms.out_of_scope_work is not None:
            clause = (
                "out_of_scope_work.rate" if terms.out_of_scope_work.rate else "out_of_scope_work"
            )
            rate = _rate_words(terms)
            reason = (
                f"'{commitment.free}' waives a charge, but no service of the agreement includes "
                f"this work, and the agreement bills work outside its scope {rate}".rstrip()
            )
            suggestion = (
                "To be exact: this is outside the services we agreed, so it is billed as "
                f"out-of-scope work {rate}".rstrip()
                + "; if we do waive it this time, it is a one-off."
            )
            return Gap(commitment, GapKind.CONTRADICTS_POLICY, clause, reason, suggestion), None
    return None, None


def _absolute_gap(thread: Thread, commitment: Commitment) -> Gap | None:
    terms = thread.terms
    if commitment.measure is Measure.AVAILABILITY:
        percent = _PERCENT.search(commitment.text)
        promised = float(percent.group(1)) if percent else 100.0
        for key, sla in terms.slas.items():
            if isinstance(sla, AvailabilitySla) and sla.target is not None:
                if promised <= sla.target:
                    return None
                allows = allowed_downtime(sla.target, sla.period) if sla.period else ""
                reason = (
                    f"it promises {promised:g}% availability; the agreement's target is "
                    f"{sla.target:g}%" + (f" ({allows})" if allows else "")
                )
                suggestion = (
                    f"To be exact: we commit to {sla.target:g}% availability"
                    + (f" per {sla.period.value}" if sla.period else "")
                    + ", net of agreed maintenance; we work to avoid any downtime but cannot promise none."
                )
                amendment = f"slas.{key}.target: {promised:g}%"
                return Gap(
                    commitment,
                    GapKind.STRICTER,
                    f"slas.{key}.target",
                    reason,
                    suggestion,
                    amendment,
                )
        reason = "it promises availability the agreement does not set at all (no availability SLA)"
        suggestion = "To be exact: our agreement sets no availability target; we will agree one if you need it."
        return Gap(commitment, GapKind.STRICTER, None, reason, suggestion)
    return None


_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "six": 6, "twelve": 12}
_UNIT_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}
_LOSS_WINDOW = re.compile(
    r"\b(?:more\s+than|over|at\s+most|up\s+to|beyond)\s+(?P<n>an?|one|two|three|four|six|twelve|\d+)"
    r"\s+(?P<u>minute|hour|day)s?\b|\bevery\s+(?P<n2>\d+\s+|few\s+)?(?P<u2>minute|hour|day)s?\b"
    r"|\b(?P<u3>hourly|daily)\b",
    re.IGNORECASE,
)


def _loss_window(text: str) -> int | None:
    """The most data a promise says can be lost, in seconds: "never lose more than an hour of
    data" and "we back up every 4 hours" say 1 and 4 hours; None when it names no window."""
    m = _LOSS_WINDOW.search(text)
    if m is None:
        return None
    if m.group("u3"):
        return 3600 if m.group("u3").lower() == "hourly" else 86400
    unit = (m.group("u") or m.group("u2")).lower()
    count = (m.group("n") or m.group("n2") or "1").strip().lower()
    if count == "few":
        return None
    return (int(count) if count.isdigit() else _NUMBERS[count]) * _UNIT_SECONDS[unit]


def _data_gap(thread: Thread, commitment: Commitment) -> Gap | None:
    """A promise about data loss against the recovery point objective: "no data loss" is
    stricter than any RPO; "never more than an hour of data" than an RPO over an hour."""
    terms = thread.terms
    if commitment.measure is not Measure.DATA or terms.risk is None:
        return None
    window = _loss_window(commitment.text)
    for index, recovery in enumerate(terms.risk.disaster_recovery):
        if recovery.rpo is None:
            continue
        rpo = hours_words(recovery.rpo.seconds)
        if window is None:
            said = f"'{commitment.guarantee or 'never'}' promises no data loss"
        elif window < recovery.rpo.seconds:
            said = f"it promises at most {hours_words(window)} of data lost"
        else:
            return None
        reason = (
            f"{said}; the agreement's recovery point objective for {recovery.service} is {rpo}, "
            f"so up to {rpo} of changes may be lost"
        )
        suggestion = (
            f"To be exact: backups let us restore your data as it was at most {rpo} "
            "before a failure; changes made since the last backup can be lost."
        )
        clause = f"risk.disaster_recovery.{index}.rpo"
        amendment = f"{clause}: {short_duration(window)}" if window else None
        return Gap(commitment, GapKind.STRICTER, clause, reason, suggestion, amendment)
    return None


def _vague_gap(
    thread: Thread, commitment: Commitment, timing: Timing | None, match: ScopeMatch | None
) -> Gap | None:
    if commitment.vague and commitment.time is None:
        if timing is not None:
            label = priority_label(thread.terms, timing.priority)
            due = f", here by {moment_words(timing.due)}" if timing.due else ""
            suggestion = (
                f"Say when instead: for {article(label)} ticket our agreement commits to "
                f"{measure_words(timing)} within {within_words(thread, timing)}{due}."
            )
            reason = (
                f"'{commitment.vague}' sets an expectation with no measure; the agreement's "
                f"{label} {measure_words(timing)} target is {target_words(thread, timing)}"
            )
            return Gap(commitment, GapKind.VAGUE, timing.clause, reason, suggestion)
        reason = f"'{commitment.vague}' sets an expectation with no measure the customer can check"
        suggestion = (
            "Give a time the customer can check, e.g. 'by Friday 17:00', or the agreement's target."
        )
        return Gap(commitment, GapKind.VAGUE, None, reason, suggestion)
    if (
        commitment.kind is CommitmentKind.COVERAGE
        and match is None
        and not commitment.free
        and not commitment.only_available  # "X is available" names no scope to check
    ):
        reason = (
            "it says something is included without naming it in the agreement's terms; no "
            "service lists it in scope"
        )
        suggestion = (
            "Name the service it falls under, or say it is outside the agreement and quote for it."
        )
        return Gap(commitment, GapKind.VAGUE, "services", reason, suggestion)
    if commitment.guarantee and commitment.time is None and commitment.measure is None:
        reason = f"'{commitment.guarantee}' is an absolute the agreement does not measure"
        suggestion = (
            "Replace the absolute with what the agreement measures (a target and its calendar)."
        )
        return Gap(commitment, GapKind.VAGUE, None, reason, suggestion)
    return None


def _assess(thread: Thread, commitment: Commitment, party: Party) -> Assessment:
    timing = timing_of(thread, commitment) if commitment.measure in METRICS else None
    match = _scope(thread, commitment)
    gap, note = _scope_gap(thread, commitment, match)
    if gap is None:
        gap, hours_note = _round_the_clock_gap(thread, commitment, timing)
        note = note or hours_note
    if gap is None and timing is not None and commitment.time is not None:
        if timing.stricter:
            gap = _stricter_gap(thread, commitment, timing)
        elif commitment.measure is Measure.ARRIVAL:
            gap = _arrival_gap(thread, commitment, timing)
    if gap is None:
        gap = _data_gap(thread, commitment)
    if gap is None and commitment.time is None:
        gap = _absolute_gap(thread, commitment)
    if gap is None:
        gap = _vague_gap(thread, commitment, timing, match)
    if gap is None and note is None and timing is not None and commitment.time is not None:
        note = timing_note(thread, timing)
    return Assessment(
        commitment=commitment,
        gap=gap,
        party=party,
        priority=thread.priority,
        clause=gap.clause if gap else (timing.clause if timing else None),
        promised_by=timing.promised if timing else None,
        agreement_due=timing.due if timing else None,
        note=note,
    )


def assess(agreement: Agreement, messages: Sequence[Message]) -> list[Assessment]:
    """Every commitment found in ``messages``, each compared with the terms of ``agreement``
    in force on its message's date (amendments applied), in message order.

    Commitments in messages from the customer's domain are listed but not compared: only the
    provider's promises can depart from what the provider agreed. A message from an unknown
    sender is read as the provider's.
    """
    results: list[Assessment] = []
    provider = agreement.parties.provider.name
    zone = ZoneInfo(agreement.home_zone)
    terms_by_day: dict[dt.date | None, Agreement] = {}
    compiled: dict[str, Calendar] = {}
    for message in messages:
        party = party_of(agreement, message)
        commitments = find_commitments(message, provider=provider)
        if not commitments:
            continue
        if party is Party.CUSTOMER:
            note = "the customer's own words; only the provider's promises are compared"
            results.extend(Assessment(c, None, party, note=note) for c in commitments)
            continue
        sent = placeable(message.date)
        day = sent.astimezone(zone).date() if sent else None
        if day not in terms_by_day:  # validating amended terms is costly; once per day will do
            terms_by_day[day] = terms_on(agreement, sent)
        terms = terms_by_day[day]
        reply = split_reply(message.body)
        head = reply.quoted[:1500]
        thread_text = " ".join(filter(None, [message.subject, reply.new_text, head]))
        priority = likely_priority(terms, thread_text)
        thread = Thread(terms, message, priority, message.subject or "", head, compiled)
        results.extend(_assess(thread, c, party) for c in commitments)
    return results


def find_gaps(agreement: Agreement, messages: Sequence[Message]) -> list[Gap]:
    """The commitments in ``messages`` that depart from ``agreement``, in message order; see
    :func:`assess` for every commitment with its comparison."""
    return [a.gap for a in assess(agreement, messages) if a.gap is not None]

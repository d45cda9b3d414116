"""A timed promise set against the SLA it concerns: which SLA, which priority, the instant
promised and the instant the agreement allows, and the words that say both.

Pure: imports the agreement model, the calendar and the wording of ``explain``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from clearpact.agreement.model import Agreement
from clearpact.agreement.slas import TicketSla
from clearpact.agreement.versions import in_force
from clearpact.calendar.business import Calendar
from clearpact.explain.wording import calendar_words, hours_words, plural
from clearpact.explain.worked import priority_label
from clearpact.gaps.commitments import Commitment, Measure
from clearpact.gaps.messages import Message
from clearpact.gaps.priority import LikelyPriority, PriorityBasis, priority_keys
from clearpact.gaps.times import TermForm, placeable, promised_by, working_day_seconds

METRICS = {
    Measure.RESPONSE: ("first_response",),
    Measure.ARRIVAL: ("first_response",),
    Measure.UPDATE: ("next_update",),
    Measure.FIX: ("resolution", "restoration"),
}
METRIC_WORDS = {
    "first_response": "first response",
    "resolution": "resolution",
    "restoration": "restoration of service",
    "next_update": "next update",
}


@dataclass
class Thread:
    """What every commitment of one message is compared in: the terms in force on its date,
    its likely priority and the text around the commitments."""

    terms: Agreement
    message: Message
    priority: LikelyPriority | None
    subject: str
    quoted_head: str
    compiled: dict[str, Calendar] = field(default_factory=dict)

    def calendar(self, name: str | None) -> Calendar | None:
        """The compiled calendar ``name``, None when undefined. ``compiled`` may be shared by
        the threads of one run: calendars are keyed by their whole definition, so an amendment
        that changes one never reuses the old table."""
        if name is None or name not in self.terms.calendars:
            return None
        spec = self.terms.calendars[name]
        key = spec.model_dump_json()
        if key not in self.compiled:
            self.compiled[key] = Calendar(spec)
        return self.compiled[key]

    def office(self, preferred: Iterable[str | None] = ()) -> Calendar | None:
        """The calendar that says what a business day is: the first of ``preferred``, then of
        the agreement, that is not 24x7."""
        for name in [*preferred, *self.terms.calendars]:
            calendar = self.calendar(name)
            if calendar is not None and not calendar.spec.is_24x7:
                return calendar
        return None


@dataclass(frozen=True)
class Timing:
    """A timed promise set against the SLA it concerns."""

    sla_key: str
    sla: TicketSla
    priority: str
    target: int
    calendar_name: str | None
    promised: dt.datetime | None
    due: dt.datetime | None
    stricter: bool | None
    promised_business: int | None
    blanket: bool = False
    """The promise holds for every ticket ("every request"), so it was set against the lowest
    priority."""

    @property
    def clause(self) -> str:
        return f"slas.{self.sla_key}.targets.{self.priority}"


def terms_on(agreement: Agreement, sent: dt.datetime | None) -> Agreement:
    """The terms in force on the agreement's local date of ``sent``; the agreement as written
    when the date is unknown."""
    if sent is None:
        return agreement
    return in_force(agreement, sent.astimezone(ZoneInfo(agreement.home_zone)).date())


def ticket_sla(terms: Agreement, measure: Measure | None) -> tuple[str, TicketSla] | None:
    """The first ticket SLA with targets whose metric ``measure`` concerns (a response or an
    arrival: first response; a fix: resolution, else restoration; an update: next update)."""
    if measure not in METRICS:
        return None
    for metric in METRICS[measure]:
        for key, sla in terms.slas.items():
            if isinstance(sla, TicketSla) and sla.metric == metric and sla.targets:
                return key, sla
    return None


def sla_priority(thread: Thread, sla: TicketSla, *, blanket: bool = False) -> str | None:
    """The thread's likely priority when ``sla`` has a target for it, else its highest one.

    A ``blanket`` promise ("every request will be answered within 4 hours") made with no
    priority named holds for every priority, so it is set against the lowest one, whose target
    is the longest: stricter than that is stricter than the agreement for those tickets."""
    keys = [k for k in priority_keys(thread.terms) if k in sla.targets] or list(sla.targets)
    assumed = thread.priority is None or thread.priority.basis is PriorityBasis.ASSUMED
    if blanket and assumed and keys:
        return keys[-1]
    if thread.priority is not None and thread.priority.key in sla.targets:
        return thread.priority.key
    return keys[0] if keys else None


_BLANKET = re.compile(
    # every ticket is the subject of the promise ("every request will be answered …"), or the
    # sender always does it ("we will always reply …"); "any questions" or "as always" is not
    r"\b(?:every|each|all)\s+(?:\w+\s+){0,2}?(?:tickets?|requests?|issues?|incidents?|calls?|"
    r"e-?mails?|problems?|cases?|queries|questions)(?:\s+will|'ll|\s+shall|\s+are|\s+get|\s+is)\b"
    r"|\bwe(?:'ll|\s+will|\s+shall)?\s+always\b",
    re.IGNORECASE,
)


def wall_zone(sent: dt.datetime, calendar: Calendar | None) -> dt.tzinfo:
    """The zone the sender's wall-clock words are read in: the calendar's when the message's
    offset agrees with it (so a deadline after a DST change is right), else the offset."""
    if calendar is not None and sent.utcoffset() == sent.astimezone(calendar.zone).utcoffset():
        return calendar.zone
    return sent.tzinfo or dt.UTC


def timing_of(thread: Thread, commitment: Commitment) -> Timing | None:
    """The commitment against its SLA's target for the likely priority, or None when no SLA
    or target concerns it.

    With a message date, the promise is placed in time by :func:`promised_by` (business terms
    and days on the office calendar) and the target by adding it to the date on the priority's
    calendar; it is stricter when it comes first. Without one, only a length can be compared,
    and only a shorter one decides (stricter); anything else is left undecided.
    """
    found = ticket_sla(thread.terms, commitment.measure)
    if found is None:
        return None
    key, sla = found
    blanket = _BLANKET.search(commitment.text) is not None
    priority = sla_priority(thread, sla, blanket=blanket)
    if priority is None:
        return None
    target = sla.target_seconds(priority)
    if target is None:
        return None
    name = sla.calendar_for(priority)
    calendar = thread.calendar(name)
    office = thread.office([name, sla.calendar])
    sent, term = placeable(commitment.date), commitment.time
    promised = due = None
    stricter: bool | None = None
    business: int | None = None
    if sent is not None:
        due = calendar.add(sent, dt.timedelta(seconds=target)) if calendar else None
        due = due or sent + dt.timedelta(seconds=target)
        if term is not None:
            promised = promised_by(term, sent, office, wall_zone(sent, office or calendar))
        if promised is not None:
            shown = calendar or office
            promised = promised.astimezone(shown.zone) if shown else promised
            stricter = promised < due
            span = calendar.elapsed(sent, promised) if calendar else promised - sent
            business = max(0, int(span.total_seconds()))
    elif term is not None:
        # Business time never runs faster than the clock, so a clock-time promise shorter than
        # the target is stricter whenever the message was sent; a business-time promise only
        # compares as a length on the target's own calendar.
        length: int | None = None
        if term.form is TermForm.DURATION:
            length = term.seconds
        elif calendar is not None and office is calendar:
            if term.form is TermForm.BUSINESS:
                length = term.seconds
            elif term.form is TermForm.BUSINESS_DAYS:
                length = term.days * working_day_seconds(office)
        if length is not None and length < target:
            stricter, business = True, length
    lowest = blanket and priority != sla_priority(thread, sla)
    return Timing(key, sla, priority, target, name, promised, due, stricter, business, lowest)


def target_words(thread: Thread, timing: Timing) -> str:
    """``4 business hours (Monday to Friday 08:00–18:00 Berlin time)``."""
    spec = thread.terms.calendars.get(timing.calendar_name or "")
    hours = hours_words(timing.target)
    if spec is None or spec.is_24x7:
        return f"{hours} around the clock"
    return (
        f"{hours} of business time on '{timing.calendar_name}' ({calendar_words(spec, full=False)})"
    )


def measure_words(timing: Timing) -> str:
    return METRIC_WORDS.get(timing.sla.metric, timing.sla.metric.replace("_", " "))


def within_words(thread: Thread, timing: Timing) -> str:
    """``6 business hours (Monday to Friday 08:00–18:00 Berlin time)`` or ``30 minutes, around
    the clock``: the target as a reply to the customer says it."""
    spec = thread.terms.calendars.get(timing.calendar_name or "")
    if spec is None or spec.is_24x7:
        return f"{hours_words(timing.target)}, around the clock"
    hours, rest = divmod(timing.target, 3600)
    amount = (
        plural(hours, "business hour")
        if not rest
        else f"{hours_words(timing.target)} of business time"
    )
    return f"{amount} ({calendar_words(spec, full=False)})"


def timing_note(thread: Thread, timing: Timing) -> str:
    label = priority_label(thread.terms, timing.priority)
    target = f"the {label} {measure_words(timing)} target ({target_words(thread, timing)})"
    if timing.stricter is None:
        return f"compared with {target}; the promise cannot be placed in time"
    if timing.promised is not None and timing.due is not None and timing.promised > timing.due:
        if thread.priority is not None and thread.priority.basis is PriorityBasis.ASSUMED:
            return (
                f"later than {target}, the strictest; the thread names no priority, and a lower "
                "one may allow it"
            )
        return f"later than {target}: the SLA would be missed if the promise is kept to the letter"
    return f"within {target}"

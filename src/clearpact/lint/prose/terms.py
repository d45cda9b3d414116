"""The measurable terms of a contract: every duration, percentage, amount, period and priority,
and the ones that fill an agreement (response and resolution targets per priority,
availability, fee, notice periods, business hours), each with the sentence it came from.

Pure: reads sentences; :mod:`clearpact.lint.prose.draft` turns the result into YAML.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from zoneinfo import available_timezones

from clearpact.lint.prose.commitments import is_negated
from clearpact.lint.prose.definitions import Definition, provider_parties
from clearpact.lint.prose.document import BlockKind, Sentence
from clearpact.lint.prose.quantities import (
    PERIOD,
    Quantity,
    durations,
    money,
    percentages,
    priorities,
)
from clearpact.lint.prose.sentences import Structure


@dataclass(frozen=True)
class MeasurableTerm:
    """One number found in the contract, with what it counts and where."""

    kind: str
    value: str
    text: str
    sentence: Sentence


@dataclass(frozen=True)
class Found:
    """A value for the draft agreement: the YAML scalar, its sentence and the words it came
    from, and a TODO note when it needs a reader's decision."""

    value: str
    sentence: Sentence
    words: str
    todo: str | None = None


@dataclass
class Terms:
    """What the contract says in numbers, ready to become a draft agreement."""

    all: list[MeasurableTerm] = field(default_factory=list)
    title: Found | None = None
    provider: Found | None = None
    customer: Found | None = None
    targets: dict[str, dict[str, Found]] = field(default_factory=dict)
    priorities: dict[str, Found] = field(default_factory=dict)
    availability: Found | None = None
    availability_period: Found | None = None
    downtime_definition: Found | None = None
    measurement_source: Found | None = None
    attainment: dict[str, Found] = field(default_factory=dict)
    currency: Found | None = None
    monthly_fee: Found | None = None
    hourly_rate: Found | None = None
    business_hours: Found | None = None
    always_on: Found | None = None
    always_for: dict[str, Found] = field(default_factory=dict)
    """Priorities a sentence of its own puts on 24x7 ("Priority 1 incidents are supported
    24x7")."""
    timezone: Found | None = None
    termination_notice: Found | None = None
    term_start: Found | None = None
    """The first day of the agreement, ISO (``2027-01-01``)."""
    initial_term: Found | None = None
    """The length of the initial term (``36mo``)."""
    renewal: Found | None = None
    """``automatic`` with the renewal period when stated (``automatic 12mo``)."""
    transition_period: Found | None = None
    data_return_deadline: Found | None = None
    rto: Found | None = None
    rpo: Found | None = None
    reports: list[tuple[str, Found]] = field(default_factory=list)
    credit_tiers: list[tuple[Found, Found]] = field(default_factory=list)
    credit_cap: Found | None = None
    named_parties: list[tuple[str, str, Sentence]] = field(default_factory=list)
    """The preamble's parties (full name, bracketed short name, sentence), roles unknown."""
    service_description: Found | None = None
    definitions: dict[str, Definition] = field(default_factory=dict)


def duration_value(q: Quantity, hours_per_day: Decimal | None = None) -> tuple[str, str | None]:
    """A duration in clearpact's notation, and a TODO note when the conversion needs a check.

    ``business days`` become hours when the business day's length is known; months and years
    stay calendar units (``3mo``), which SLA targets refuse.

    >>> from clearpact.lint.prose.quantities import durations
    >>> [duration_value(q)[0] for q in durations("30 minutes, 4 hours, 90 days, 3 months, 1.5 hours")]
    ['30m', '4h', '90d', '3mo', '90m']
    """
    value = q.value
    todo = q.note
    if q.unit == "minutes":
        return (f"{int(value)}m" if value == int(value) else f"{int(value * 60)}s"), todo
    if q.unit == "hours":
        if value == int(value):
            return f"{int(value)}h", todo
        return f"{int(value * 60)}m", todo
    if q.unit == "days":
        if q.qualifier in ("business", "working"):
            if hours_per_day:
                return f"{int(value * hours_per_day)}h", (
                    f"{q.text}: {value} business days of {hours_per_day} hours each"
                )
            todo = f"'{q.text}' are business days; clearpact's 'd' is 24 business hours (write hours instead)"
        return f"{int(value)}d", todo
    if q.unit == "weeks":
        return f"{int(value)}w", todo
    if q.unit == "months":
        return f"{int(value)}mo", todo
    return f"{int(value)}y", todo


def _percent_value(q: Quantity) -> str:
    text = format(q.value.normalize(), "f")
    return f"{text}%"


_RESPONSE = re.compile(r"\b(respon(d|ds|se|ses|ding)|acknowledg\w*)\b", re.I)
_RESOLUTION = re.compile(
    r"\b(resol(ve|ves|ved|ution|utions)|fix(ed|es)?|restor(e|ed|es|ation))\b", re.I
)
_AVAILABILITY = re.compile(r"\b(availab(le|ility)|uptime)\b", re.I)
# "Company" is either side (the company that engages a contractor, or the provider company), so
# it is neither role; the party's duties decide (_roles_by_duty).
_PROVIDER_ROLE = re.compile(
    r"\b(provider|supplier|vendor|contractor|msp|consultant|service\s+provider|licensor|operator|"
    r"manager|servicer|agent|repairer|outsourcer)\b",
    re.I,
)
_CUSTOMER_ROLE = re.compile(r"\b(customer|client|buyer|purchaser|recipient|licensee|owner)\b", re.I)
_DAY = r"mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:rs(?:day)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?"
_DAYS = re.compile(rf"\b(?P<d1>{_DAY})\b\s*(to|through|until|-|–)\s*\b(?P<d2>{_DAY})\b", re.I)
_HOURS = re.compile(
    r"\b(?P<h1>\d{1,2})(?:[:.](?P<m1>\d{2}))?\s*(?P<p1>a\.?m\.?|p\.?m\.?)?\s*(to|until|-|–|and)\s*"
    r"(?P<h2>\d{1,2})(?:[:.](?P<m2>\d{2}))?\s*(?P<p2>a\.?m\.?|p\.?m\.?)?(?!\s*(%|hours|days|minutes))",
    re.I,
)
_ALWAYS = re.compile(
    r"\b24\s*[x/×]\s*7\b|\b24\s*hours\s+a\s+day,?\s+(7|seven)\s+days\s+a\s+week\b|\bround[- ]the[- ]clock\b|\b24\s*[x/×]\s*365\b",
    re.I,
)
_ZONES = {
    "cet": "Europe/Berlin", "cest": "Europe/Berlin", "central european time": "Europe/Berlin",
    "gmt": "Europe/London", "uk time": "Europe/London", "bst": "Europe/London",
    "utc": "UTC", "est": "America/New_York", "eastern time": "America/New_York",
    "pst": "America/Los_Angeles", "pacific time": "America/Los_Angeles",
}  # fmt: skip
_ZONE = re.compile(  # an IANA name keeps its capitals; _zone_in keeps only real ones
    r"\b((?-i:[A-Z][a-z]+/[A-Z][A-Za-z_]+))\b|\b(" + "|".join(_ZONES) + r")\b", re.I
)


@cache
def known_zones() -> frozenset[str]:
    """The IANA time zone names this machine knows."""
    return frozenset(available_timezones())


def _zone_in(text: str) -> re.Match[str] | None:
    """The first time zone ``text`` names: an IANA name that exists ("Supplier/Contractor" and
    "And/Or" do not) or an abbreviation clearpact knows."""
    return next(
        (m for m in _ZONE.finditer(text) if m.group(2) or m.group(1) in known_zones()),
        None,
    )


_DAY_NAMES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_CADENCES = {
    "daily": "daily", "weekly": "weekly", "fortnightly": "biweekly", "monthly": "monthly",
    "quarterly": "quarterly", "annual": "annual", "annually": "annual", "yearly": "annual",
}  # fmt: skip
_REPORT = re.compile(
    r"\b(daily|weekly|fortnightly|monthly|quarterly|annual|yearly)\s+((?:service|performance|SLA|status|management|availability|incident)\s+)?reports?\b",
    re.I,
)
_CAP = re.compile(
    r"\b(shall\s+not\s+exceed|will\s+not\s+exceed|capped\s+at|maximum\s+of|up\s+to|in\s+aggregate|no\s+more\s+than|not\s+more\s+than)\b",
    re.I,
)
_BELOW = re.compile(r"\b(below|less\s+than|under|falls\s+short\s+of|lower\s+than)\s+$", re.I)


def extract_terms(
    structure: Structure, definitions: dict[str, Definition], service_sentence: Sentence | None
) -> Terms:
    """Every measurable term of the contract, and those that fill an agreement."""
    terms = Terms(definitions=definitions)
    if service_sentence is not None:
        terms.service_description = Found(
            service_sentence.text, service_sentence, service_sentence.text
        )
    header: tuple[int, list[str]] | None = None
    for sentence in structure.sentences:
        text = sentence.text
        for q in durations(text):
            terms.all.append(MeasurableTerm("duration", duration_value(q)[0], q.text, sentence))
        for q in percentages(text):
            terms.all.append(MeasurableTerm("percent", _percent_value(q), q.text, sentence))
        for q in money(text):
            per = f" per {q.per}" if q.per else ""
            terms.all.append(MeasurableTerm("money", f"{q.unit} {q.value}{per}", q.text, sentence))
        for m in PERIOD.finditer(text):
            terms.all.append(MeasurableTerm("period", m.group(0).lower(), m.group(0), sentence))
        for q in priorities(text):
            key = f"P{int(q.value)}"
            terms.all.append(MeasurableTerm("priority", key, q.text, sentence))
            terms.priorities.setdefault(key, Found(key, sentence, q.text))
        _parties(terms, sentence)
        _service_facts(terms, sentence)  # a table row may name hours or a fee as well
        if sentence.kind is BlockKind.TABLE_ROW:
            cells = [c.strip() for c in text.split(" | ")]
            if not durations(text) and (_RESPONSE.search(text) or _RESOLUTION.search(text)):
                header = (sentence.clause, cells)
                continue
            if header is not None and header[0] == sentence.clause:
                _table_targets(terms, sentence, cells, header[1])
                continue
        elif _flattened_row(terms, structure, sentence, header):
            continue
        elif not durations(text) and len(text.split()) <= 8 and _metrics_in_order(text):
            header = (sentence.clause, [text])  # a header line of a table a PDF flattened
        _sentence_targets(terms, sentence)
    _roles_by_duty(terms, structure)
    return terms


def _roles_by_duty(terms: Terms, structure: Structure) -> None:
    """When the preamble's short names are names, not roles ("Tadeo", "Diplomat"), the provider
    is the party that shall provide, perform or host (marked TODO: check it)."""
    if terms.provider is not None or terms.customer is not None or len(terms.named_parties) < 2:
        return
    (name_a, short_a, sentence), (name_b, short_b, _) = terms.named_parties[:2]
    chosen = provider_parties(structure, (short_a, short_b))
    if len(chosen) != 1:
        return
    provider, customer = (name_a, name_b) if chosen[0] == short_a else (name_b, name_a)
    todo = (
        f"read as the provider because '{chosen[0]}' is the party that shall provide the "
        "services; check"
    )
    words = sentence.text[:200]
    terms.provider = Found(provider, sentence, words, todo)
    terms.customer = Found(customer, sentence, words, todo)


def _metric_of(text: str) -> str | None:
    if _RESPONSE.search(text):
        return "first_response"
    if _RESOLUTION.search(text):
        return "resolution"
    return None


def _metrics_in_order(text: str) -> list[str]:
    """The metrics a header names, left to right: ``Response Resolution`` → both."""
    found = [(m.start(), "first_response") for m in _RESPONSE.finditer(text)]
    found += [(m.start(), "resolution") for m in _RESOLUTION.finditer(text)]
    return [metric for _, metric in sorted(found)]


_ROW = re.compile(r"^(P|Priority|Prio|Severity|Sev)\s?-?\s?[1-5]\b")


def _flattened_row(
    terms: Terms, structure: Structure, sentence: Sentence, header: tuple[int, list[str]] | None
) -> bool:
    """A table row a PDF turned into text, ``P1 30 minutes 4 hours``: a priority first, then
    durations and no metric word of its own, under a header line or a clause title that names
    the metrics (``Priority Response Resolution``); the durations map to them in order."""
    text = sentence.text
    spans = durations(text)
    if not _ROW.match(text) or not spans or _metric_of(text):
        return False
    metrics: list[str] = []
    if header is not None and header[0] == sentence.clause and len(header[1]) == 1:
        metrics = _metrics_in_order(header[1][0])
    title = structure.clause_of(sentence).title
    if not metrics and title:
        metrics = _metrics_in_order(title)
    if not metrics:
        return False
    key = f"P{int(priorities(text)[0].value)}"
    for metric, q in zip(metrics, spans, strict=False):
        value, todo = duration_value(q)
        terms.targets.setdefault(metric, {}).setdefault(key, Found(value, sentence, q.text, todo))
    return True


def _table_targets(terms: Terms, sentence: Sentence, cells: list[str], header: list[str]) -> None:
    found = priorities(sentence.text)
    if not found:
        return
    key = f"P{int(found[0].value)}"
    for i, cell in enumerate(cells):
        if i >= len(header):
            break
        metric = _metric_of(header[i])
        spans = durations(cell)
        if metric and spans:
            value, todo = duration_value(spans[0])
            terms.targets.setdefault(metric, {}).setdefault(
                key, Found(value, sentence, spans[0].text, todo)
            )


def _sentence_targets(terms: Terms, sentence: Sentence) -> None:
    """``respond to P1 incidents within 30 minutes`` → first_response P1 30m."""
    text = sentence.text
    levels = priorities(text)
    spans = durations(text)
    if not levels or not spans:
        return
    for q in spans:
        if q.unit in ("months", "years") or is_negated(text, q.start):
            continue
        before = text[: q.start]
        level = max((p for p in levels if p.start < q.start), key=lambda p: p.start, default=None)
        if level is None:
            level = levels[0] if len(levels) == 1 else None
        metrics = [(m.start(), "first_response") for m in _RESPONSE.finditer(before)]
        metrics += [(m.start(), "resolution") for m in _RESOLUTION.finditer(before)]
        if not metrics:
            after = text[q.end : q.end + 60]
            metric = _metric_of(after)
        else:
            metric = max(metrics)[1]
        if level is None or metric is None:
            continue
        value, todo = duration_value(q)
        key = f"P{int(level.value)}"
        terms.targets.setdefault(metric, {}).setdefault(key, Found(value, sentence, q.text, todo))


def provider_name(structure: Structure) -> str | None:
    """The provider's name from ``between X ("Provider") and Y ("Customer")``, if the contract
    has that sentence; the audit then also reads "as determined by X" as one-sided.

    >>> from clearpact.lint.prose.blocks import text_blocks
    >>> from clearpact.lint.prose.document import Document
    >>> from clearpact.lint.prose.sentences import structure
    >>> text = 'Made between QuickFix IT Ltd ("Supplier") and Meadow Dental ("Customer").'
    >>> provider_name(structure(Document(tuple(text_blocks(text)))))
    'QuickFix IT Ltd'
    """
    terms = Terms()
    for sentence in structure.sentences:
        _parties(terms, sentence)
        if terms.provider is not None:
            return terms.provider.value
    return None


def _parties(terms: Terms, sentence: Sentence) -> None:
    if terms.provider is not None and terms.customer is not None:
        return
    found = preamble_parties(sentence.text)
    if len(found) < 2:
        return
    words = sentence.text[:200]
    for name, role in found:
        if _PROVIDER_ROLE.search(role) and terms.provider is None:
            terms.provider = Found(name, sentence, words)
        elif _CUSTOMER_ROLE.search(role) and terms.customer is None:
            terms.customer = Found(name, sentence, words)
    if not terms.named_parties:
        terms.named_parties = [(name, role, sentence) for name, role in found]
        # one role word names the other party's role too: "IBM" and "Customer"
        (name_a, _), (name_b, _) = found[:2]
        if terms.provider is not None and terms.customer is None:
            other = name_b if terms.provider.value == name_a else name_a
            terms.customer = Found(other, sentence, words)
        elif terms.customer is not None and terms.provider is None:
            other = name_b if terms.customer.value == name_a else name_a
            terms.provider = Found(other, sentence, words)


_BETWEEN = re.compile(r"\b(?:between|among)\b\s*:?\s*", re.I)
_SHORT_NAME = re.compile(
    r"\((?:[^()\"“”]*?)[\"“](?:the\s+)?(?P<short>[^\"”]{1,40}?)[\"”]\s*\)", re.I
)
_FULL_NAME = re.compile(
    r"\s*(?:the\s+)?(?P<name>[^,()\"“”]{2,80}?(?:,?\s+(?:Inc|Corp|Co|Ltd|LLC|L\.?P|N\.A|plc|S\.A|B\.V)\.?)?)"
    r"(?=\s*[,(]|\s+(?-i:a|an|whose|having|with|located|organi[sz]ed|incorporated|registered)\s)",
    re.I,
)
_NEXT_PARTY = re.compile(r"[),]\s*,?\s*(?:and|&)\s+", re.I)


def preamble_parties(text: str) -> list[tuple[str, str]]:
    """The parties a preamble names, each with the short name it gives in brackets.

    >>> preamble_parties('Entered into by and between Diplomat Direct Corporation, a Delaware '
    ...     'corporation ("Diplomat"), and Tadeo E-Commerce Corp., a Delaware corporation ("Tadeo").')
    [('Diplomat Direct Corporation', 'Diplomat'), ('Tadeo E-Commerce Corp.', 'Tadeo')]
    >>> preamble_parties('Made between QuickFix IT Ltd ("Supplier") and Meadow Dental ("Customer").')
    [('QuickFix IT Ltd', 'Supplier'), ('Meadow Dental', 'Customer')]
    """
    between = _BETWEEN.search(text)
    if between is None:
        return []
    found: list[tuple[str, str]] = []
    at = between.end()
    for _ in range(2):
        name = _FULL_NAME.match(text, at)
        short = _SHORT_NAME.search(text, at)
        if name is None or short is None or short.start() - at > 300:
            break
        found.append((name.group("name").strip(), short.group("short").strip()))
        following = _NEXT_PARTY.search(text, short.end() - 1)
        if following is None or following.start() - short.end() > 120:
            break
        at = following.end()
    return found


def _service_facts(terms: Terms, sentence: Sentence) -> None:
    """Availability, fees, hours, notice periods, recovery objectives, reports and credits."""
    _availability(terms, sentence)
    _fees(terms, sentence)
    _hours(terms, sentence)
    _periods(terms, sentence)
    _term(terms, sentence)
    for m in _REPORT.finditer(sentence.text):
        cadence = _CADENCES[m.group(1).lower()]
        name = m.group(0)[0].upper() + m.group(0)[1:]
        if all(n.lower() != name.lower() for n, _ in terms.reports):
            terms.reports.append((name, Found(cadence, sentence, m.group(0))))
    if "credit" in sentence.text.lower():
        _credits(terms, sentence)


_MEASURED = re.compile(
    r"\b(measured|monitored)\s+(by|using|with|through)\s+(?P<src>[^.;,]{3,80})", re.I
)
_MONTHLY_FEE = re.compile(r"\bmonthly\s+(fee|charge|price|service\s+charge)s?\b", re.I)


def _availability(terms: Terms, sentence: Sentence) -> None:
    text = sentence.text
    credit = "credit" in text.lower()
    for q in percentages(text):
        window = text[max(0, q.start - 80) : q.end + 80]
        wanted = terms.availability is None and not credit and Decimal(90) <= q.value <= 100
        if wanted and _AVAILABILITY.search(window) and not _BELOW.search(text[: q.start]):
            terms.availability = Found(_percent_value(q), sentence, q.text)
    found = terms.availability
    if (
        found is not None
        and terms.availability_period is None
        and found.sentence.clause == sentence.clause
    ):
        period = PERIOD.search(text)
        if period and _AVAILABILITY.search(text):
            terms.availability_period = Found(
                _period_value(period.group(0)), sentence, period.group(0)
            )
    m = _MEASURED.search(text)
    if (
        terms.measurement_source is None
        and m
        and (_AVAILABILITY.search(text) or "downtime" in text.lower())
    ):
        terms.measurement_source = Found(m.group("src").strip(), sentence, m.group(0))


def _fees(terms: Terms, sentence: Sentence) -> None:
    text = sentence.text
    for q in money(text):
        if terms.currency is None:
            terms.currency = Found(q.unit, sentence, q.text)
        monthly = q.per == "month" or _MONTHLY_FEE.search(text[: q.start]) is not None
        if monthly and terms.monthly_fee is None and "credit" not in text.lower():
            terms.monthly_fee = Found(format(q.value.normalize(), "f"), sentence, q.text)
            terms.currency = Found(q.unit, sentence, q.text)
        if q.per == "hour" and terms.hourly_rate is None:
            terms.hourly_rate = Found(format(q.value.normalize(), "f"), sentence, q.text)


def _hours(terms: Terms, sentence: Sentence) -> None:
    text = sentence.text
    if m := _ALWAYS.search(text):
        if terms.always_on is None:
            terms.always_on = Found("24x7", sentence, m.group(0))
        levels = priorities(text)
        if levels and not durations(text):  # not a target row: a statement of hours
            for q in levels:
                terms.always_for.setdefault(f"P{int(q.value)}", Found("24x7", sentence, q.text))
    days, hours = _DAYS.search(text), _HOURS.search(text)
    zone = _zone_in(text)
    if terms.business_hours is None and hours and (window := _window(hours)):
        if days:
            first = _DAY_NAMES.index(days.group("d1")[:3].lower())
            last = _DAY_NAMES.index(days.group("d2")[:3].lower())
            span = ",".join(_DAY_NAMES[first : last + 1])
            terms.business_hours = Found(
                f"{span}={window}", sentence, f"{days.group(0)} {hours.group(0)}"
            )
        elif zone is not None and zone.start() - hours.end() in range(0, 3):
            # "9AM-5PM PST": clock hours with a zone and no days
            terms.business_hours = Found(
                f"{','.join(_DAY_NAMES[:5])}={window}",
                sentence,
                f"{hours.group(0)} {zone.group(0)}",
                f"'{hours.group(0)} {zone.group(0)}' names no days; Monday to Friday assumed",
            )
    if terms.timezone is None and (m := zone):
        if m.group(1):
            terms.timezone = Found(m.group(1), sentence, m.group(0))
        else:
            name = _ZONES[m.group(2).lower()]
            note = f"'{m.group(0)}' read as {name}; check the zone (an abbreviation names no place)"
            terms.timezone = Found(name, sentence, m.group(0), note)


_TERMINATION_NOTICE = (re.compile(r"\bterminat\w*", re.I), re.compile(r"\bnotice\b", re.I))
_TRANSITION = re.compile(
    r"\b(transition\w*|exit\s+(assistance|period)|termination\s+assistance|run-?off)\b", re.I
)
_DATA_RETURN = re.compile(r"\b(return|export|deliver)\w*\b[^.;]{0,60}\bdata\b", re.I)
_OBJECTIVES = {
    "rto": re.compile(r"\b(RTO|recovery\s+time\s+objective)\b", re.I),
    "rpo": re.compile(r"\b(RPO|recovery\s+point\s+objective)\b", re.I),
}


def _periods(terms: Terms, sentence: Sentence) -> None:
    """Notice, transition and data-return periods; RTO and RPO (the first duration after them).

    A notice period is the duration nearest any "notice" ("continues for one year … unless
    either party gives 90 days' notice" is 90 days); a transition period or data-return
    deadline the first duration after its words, else the nearest before them."""
    text = sentence.text
    spans = durations(text)
    if not spans:
        return

    def found(span: Quantity) -> Found:
        value, todo = duration_value(span)
        return Found(value, sentence, span.text, todo)

    def gap(q: Quantity, word: re.Match[str]) -> int:
        return max(q.start - word.end(), word.start() - q.end, 0)

    def nearest(word: re.Match[str]) -> Quantity:
        return min(spans, key=lambda q: gap(q, word))

    notices = list(_TERMINATION_NOTICE[1].finditer(text))
    if terms.termination_notice is None and notices and _TERMINATION_NOTICE[0].search(text):
        terms.termination_notice = found(min(spans, key=lambda q: min(gap(q, n) for n in notices)))
    for name, pattern in (
        ("transition_period", _TRANSITION),
        ("data_return_deadline", _DATA_RETURN),
    ):
        word = pattern.search(text)
        if word is None or getattr(terms, name) is not None:
            continue
        after = [q for q in spans if q.start >= word.start()]
        setattr(terms, name, found(after[0] if after else nearest(word)))
    for name, pattern in _OBJECTIVES.items():
        m = pattern.search(text)
        if m is None or getattr(terms, name) is not None:
            continue
        after = [q for q in spans if q.start > m.start()] or spans
        if after[0].unit not in ("months", "years"):
            value, todo = duration_value(after[0])
            setattr(terms, name, Found(value, sentence, after[0].text, todo))


_MONTHS = {
    m: i
    for i, names in enumerate(
        (("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
         ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
         ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")),
        start=1,
    )
    for m in names
}  # fmt: skip
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE = (
    rf"(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:day\s+of\s+)?(?P<m1>{_MONTH})\.?,?\s+(?P<y1>\d{{4}})"
    rf"|(?P<m2>{_MONTH})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}})"
    r"|(?P<y3>\d{4})-(?P<m3>\d{2})-(?P<d3>\d{2}))"
)
_MADE_ON = re.compile(  # the preamble: "This Agreement is entered into as of October 29, 1999"
    r"\b(?:agreement|contract)\b[^.;]{0,80}?\b(?:entered\s+into|made|dated|effective|executed|signed)\b"
    rf"[^.;]{{0,20}}?\b(?:on|as\s+of|from)?\s*(?:this\s+|the\s+)?{_DATE}",
    re.I,
)
_STARTS_ON = re.compile(  # "The Services commence on 1 March 2027" (not "… and expire on …")
    r"\b(?:commenc\w*|start\w*|begin\w*|becomes?\s+effective|takes?\s+effect)\b"
    r"(?:(?!\b(?:expir\w*|end|ends|ending|terminat\w*|conclud\w*|until|through)\b)[^.;]){0,40}?"
    rf"\b(?:on|as\s+of|from|with\s+effect\s+from)\s+(?:the\s+)?{_DATE}",
    re.I,
)
_INITIAL_TERM = re.compile(
    r"\b(?:agreement|contract)\b[^.;]{0,60}?\b(?:continue|continues|remain|remains|run|runs)\s+"
    r"(?:in\s+(?:full\s+)?(?:force|effect)(?:\s+and\s+effect)?\s+)?for\s+(?:an?\s+(?:initial\s+)?"
    r"(?:period|term)\s+of\s+)?"
    r"|\binitial\s+term\b(?:\s+of\s+this\s+agreement)?\s+(?:is|shall\s+be|will\s+be|of)\s+",
    re.I,
)
_AUTO_RENEW = re.compile(
    r"\b(?:automatically|auto-?)\s*renew\w*|\brenew\w*\s+automatically\b", re.I
)


def _date_value(m: re.Match[str]) -> str | None:
    """``2027-01-01`` from the groups of ``_DATE``, or None for an impossible date."""
    day, month, year = (
        (m.group("d1"), _MONTHS[m.group("m1").lower()], m.group("y1"))
        if m.group("y1")
        else (m.group("d2"), _MONTHS[m.group("m2").lower()], m.group("y2"))
        if m.group("y2")
        else (m.group("d3"), int(m.group("m3")), m.group("y3"))
    )
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _term(terms: Terms, sentence: Sentence) -> None:
    """The start date, the initial term's length and automatic renewal, from sentences about
    the agreement's term ("This Agreement starts on 1 January 2027 and continues for 36
    months"; "entered into as of October 29, 1999")."""
    text = sentence.text
    preamble = sentence.index <= 15  # later "an Agreement dated …" is usually another one
    m = _STARTS_ON.search(text) or (_MADE_ON.search(text) if preamble else None)
    if terms.term_start is None and m is not None:
        value = _date_value(m)
        if value is not None:
            terms.term_start = Found(value, sentence, m.group(0))
    if terms.initial_term is None and (m := _INITIAL_TERM.search(text)):
        after = [
            q for q in durations(text) if q.start == m.end() or q.start - m.end() in range(0, 4)
        ]
        if after and after[0].unit in ("months", "years"):
            value, todo = duration_value(after[0])
            terms.initial_term = Found(value, sentence, after[0].text, todo)
    if terms.renewal is None and _AUTO_RENEW.search(text):
        spans = [q for q in durations(text) if q.unit in ("months", "years")]
        renew = _AUTO_RENEW.search(text)
        assert renew is not None
        later = [q for q in spans if q.start > renew.start()]
        period = f" {duration_value(later[0])[0]}" if later else ""
        terms.renewal = Found(f"automatic{period}", sentence, renew.group(0))


def _credits(terms: Terms, sentence: Sentence) -> None:
    """Credit tiers (a threshold "below 99.9%" and the credit after it) and the cap ("capped at
    15%", the first percentage after the cap words, unless availability is named between
    them); one sentence may hold a tier and its cap."""
    text = sentence.text
    found = percentages(text)
    capped: Quantity | None = None
    cap_words = _CAP.search(text)
    if cap_words is not None:
        after = [q for q in found if q.start > cap_words.start()]
        if after and not _AVAILABILITY.search(text[cap_words.start() : after[0].start]):
            capped = after[0]
            if terms.credit_cap is None:
                terms.credit_cap = Found(_percent_value(capped), sentence, capped.text)
    thresholds = [q for q in found if _BELOW.search(text[: q.start])]
    credits = [q for q in found if q not in thresholds and q is not capped]
    if thresholds and credits:
        tier = (
            Found(_percent_value(thresholds[0]), sentence, thresholds[0].text),
            Found(_percent_value(credits[0]), sentence, credits[0].text),
        )
        terms.credit_tiers.append(tier)


def _period_value(words: str) -> str:
    lowered = words.lower()
    for unit in ("quarter", "year", "month"):
        if unit in lowered:
            return unit
    if "annual" in lowered:
        return "year"
    return "month"


def _window(m: re.Match[str]) -> str | None:
    """``09:00-17:00`` from ``9 a.m. to 5 p.m.``, or None when the numbers are not clock times."""
    h1, h2 = int(m.group("h1")), int(m.group("h2"))
    m1, m2 = int(m.group("m1") or 0), int(m.group("m2") or 0)
    p1 = (m.group("p1") or "").replace(".", "").lower()
    p2 = (m.group("p2") or "").replace(".", "").lower()
    if not (p1 or p2 or m.group("m1") or m.group("m2")):
        return None
    if p1 == "pm" and h1 < 12:
        h1 += 12
    if p2 == "pm" and h2 < 12:
        h2 += 12
    if p1 == "am" and h1 == 12:
        h1 = 0
    if not (0 <= h1 <= 23 and 0 <= h2 <= 24 and m1 < 60 and m2 < 60) or (h2, m2) <= (h1, m1):
        return None
    return f"{h1:02d}:{m1:02d}-{h2:02d}:{m2:02d}"

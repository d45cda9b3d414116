"""Numbers in contract prose: durations, percentages, amounts of money, periods, priorities, and
numbers written in words (``thirty (30) days``). Pure: regular expressions over one sentence.

Every function returns :class:`Quantity` values with their character span, so a finding or a
draft value can point at the exact words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
_NUMBER_WORD = "|".join(sorted([*_UNITS, *_SCALES], key=len, reverse=True))
_SCALE_AFTER = r"\s+(?:thousand|million|billion)\b"
"""A scale word after a number: ``6 million``, ``Six (6,000,000) Million``."""
NUMBER_WORDS = rf"(?:(?:{_NUMBER_WORD})(?:(?:\s+and\s+|[\s-]+)(?:{_NUMBER_WORD}))*)"
"""A regex for a number written in words: ``thirty``, ``twenty-four``, ``one hundred and twenty``."""

_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_AMOUNT = rf"(?:{_DIGITS}|{NUMBER_WORDS})"


def words_to_number(text: str) -> int | None:
    """The value of a number written in words, or None when it is not one.

    >>> words_to_number("thirty"), words_to_number("twenty-four"), words_to_number("one hundred and twenty")
    (30, 24, 120)
    >>> words_to_number("two thousand five hundred"), words_to_number("ninety nine"), words_to_number("soon")
    (2500, 99, None)
    """
    parts = [p for p in re.split(r"[\s-]+", text.lower().strip()) if p and p != "and"]
    if not parts:
        return None
    total = current = 0
    for part in parts:
        if part in _UNITS:
            current += _UNITS[part]
        elif part == "hundred":
            current = (current or 1) * 100
        elif part in _SCALES:
            total += (current or 1) * _SCALES[part]
            current = 0
        else:
            return None
    return total + current


def to_number(text: str) -> Decimal | None:
    """Digits (``1,200.50``) or words (``thirty``) as a number.

    >>> to_number("1,200.50"), to_number("forty-eight")
    (Decimal('1200.50'), Decimal('48'))
    """
    cleaned = text.replace(",", "").strip()
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        words = words_to_number(text)
        return None if words is None else Decimal(words)


@dataclass(frozen=True)
class Quantity:
    """A number with what it counts, found at ``start``–``end`` of a sentence.

    ``kind`` is ``duration`` (``unit`` minutes, hours, days, weeks, months or years;
    ``qualifier`` business, working, calendar or clock when written), ``percent``, ``money``
    (``unit`` an ISO 4217 code; ``per`` hour, month, … when written), or ``priority`` (``value``
    the level, ``unit`` the word used: P, Priority, Severity).
    """

    kind: str
    value: Decimal
    unit: str
    start: int
    end: int
    text: str
    qualifier: str | None = None
    per: str | None = None
    note: str | None = None


_DURATION_UNITS = {
    "minute": "minutes", "minutes": "minutes", "min": "minutes", "mins": "minutes",
    "hour": "hours", "hours": "hours", "hr": "hours", "hrs": "hours", "h": "hours",
    "day": "days", "days": "days", "week": "weeks", "weeks": "weeks",
    "month": "months", "months": "months", "year": "years", "years": "years",
}  # fmt: skip
_DURATION = re.compile(
    rf"(?<![\w.])(?P<n>{_AMOUNT})(?:\s*\((?P<d>[^)]{{1,20}})\))?[\s-]*"
    r"(?P<q>business|working|calendar|clock|consecutive)?[\s-]*"
    r"(?P<u>minutes?|mins?|hours?|hrs?|h|days?|weeks?|months?|years?)(?:['’]s?)?(?!\w)",
    re.IGNORECASE,
)
_PERCENT = re.compile(rf"(?<![\w.])(?P<n>{_DIGITS})\s*(?:%|per\s*cent\b|percent\b)", re.IGNORECASE)
_CURRENCY = {
    "eur": "EUR", "euro": "EUR", "euros": "EUR", "€": "EUR", "usd": "USD", "us$": "USD",
    "$": "USD", "dollars": "USD", "gbp": "GBP", "£": "GBP", "pounds": "GBP", "chf": "CHF",
    "sek": "SEK", "nok": "NOK", "dkk": "DKK", "pln": "PLN", "cad": "CAD", "aud": "AUD",
}  # fmt: skip
_CURRENCY_WORDS = r"EUR|USD|GBP|CHF|SEK|NOK|DKK|PLN|CAD|AUD|US\$|€|\$|£"
_PER = r"(?:\s*(?:per|a|each|/)\s*(?P<per>hour|day|month|quarter|year|annum|user|device|seat|incident|ticket))?"
_MONEY = re.compile(
    rf"(?:(?P<c1>{_CURRENCY_WORDS})\s?(?P<n1>{_DIGITS})(?:\s?(?P<m1>k|m|million|thousand)\b)?"
    rf"|(?P<n2>{_DIGITS})\s?(?P<c2>EUR|USD|GBP|CHF|SEK|NOK|DKK|PLN|CAD|AUD|euros?|dollars|pounds)\b){_PER}",
    re.IGNORECASE,
)
_PRIORITY = re.compile(
    r"\b(?P<w>P|Priority|Prio|Severity|Sev)\s?-?\s?(?P<n>[1-5])\b(?!\.\d|\s*(%|hours?|days?|minutes?))"
)
PERIOD = re.compile(
    r"\b(per|each|every|a|any|in\s+a|in\s+any|during\s+(a|any|each|the))\s+(calendar\s+)?"
    r"(month|quarter|year|week|day|measurement\s+period|billing\s+(period|cycle)|service\s+period)\b"
    r"|\b(monthly|quarterly|annually|annual|yearly|weekly|daily)\b"
    r"(?!\s+(fees?|charges?|prices?|invoices?|payments?|subscriptions?|rates?|service\s+(fees?|charges?)))"
    r"|\bmeasured\s+(over|across|on\s+a)\b|\bmeasurement\s+period\b|\breporting\s+period\b"
    r"|\brolling\s+\d+",
    re.IGNORECASE,
)
"""A measurement period: ``per calendar month``, ``monthly``, ``measured over``, ``in any quarter``
(``monthly fee`` is a price, not a period)."""


def durations(text: str) -> list[Quantity]:
    """Every duration in ``text``: ``4 hours``, ``thirty (30) days``, ``5 business days``.

    >>> [(q.value, q.unit, q.qualifier) for q in durations("within thirty (30) days or 4 business hours")]
    [(Decimal('30'), 'days', None), (Decimal('4'), 'hours', 'business')]
    """
    found = []
    for m in _DURATION.finditer(text):
        digits = m.group("d")
        written = to_number(m.group("n"))
        value = to_number(digits) if digits and to_number(digits) is not None else written
        if value is None:
            continue
        note = None
        if written is not None and value != written:
            note = f"the words say {written}, the digits {digits}; the digits are used"
        unit = _DURATION_UNITS[m.group("u").lower()]
        qualifier = (m.group("q") or "").lower() or None
        found.append(
            Quantity("duration", value, unit, m.start(), m.end(), m.group(0), qualifier, note=note)
        )
    return found


def percentages(text: str) -> list[Quantity]:
    """Every percentage: ``99.9%``, ``5 per cent``.

    >>> [q.value for q in percentages("99.9% uptime, 5 per cent credit")]
    [Decimal('99.9'), Decimal('5')]
    """
    found = []
    for m in _PERCENT.finditer(text):
        value = to_number(m.group("n"))
        if value is not None:
            found.append(Quantity("percent", value, "%", m.start(), m.end(), m.group(0)))
    return found


def money(text: str) -> list[Quantity]:
    """Every amount with its currency: ``EUR 7,800``, ``€120 per hour``, ``2,400 pounds``.

    >>> [(q.value, q.unit, q.per) for q in money("EUR 7,800 per month and £90/hour")]
    [(Decimal('7800'), 'EUR', 'month'), (Decimal('90'), 'GBP', 'hour')]
    """
    found = []
    for m in _MONEY.finditer(text):
        raw = m.group("n1") or m.group("n2")
        currency = (m.group("c1") or m.group("c2") or "").lower()
        value = to_number(raw)
        if value is None:
            continue
        scale = (m.group("m1") or "").lower()
        if scale in ("k", "thousand"):
            value *= 1000
        elif scale in ("m", "million"):
            value *= 1_000_000
        code = _CURRENCY.get(currency, currency.upper())
        per = m.group("per")
        found.append(
            Quantity(
                "money",
                value,
                code,
                m.start(),
                m.end(),
                m.group(0),
                per="year" if per == "annum" else per,
            )
        )
    return found


def priorities(text: str) -> list[Quantity]:
    """Every priority or severity level: ``P1``, ``Priority 2``, ``Severity 3``.

    >>> [(q.value, q.unit) for q in priorities("P1 and Severity 2 incidents")]
    [(Decimal('1'), 'P'), (Decimal('2'), 'Severity')]
    """
    return [
        Quantity("priority", Decimal(m.group("n")), m.group("w"), m.start(), m.end(), m.group(0))
        for m in _PRIORITY.finditer(text)
    ]


def has_period(text: str) -> bool:
    """True when ``text`` names a measurement period.

    >>> has_period("99.9% in each calendar month"), has_period("99.9% uptime")
    (True, False)
    """
    return PERIOD.search(text) is not None


_NUMBER_PAIR = re.compile(
    rf"\b(?P<words>{NUMBER_WORDS})(?P<pct>\s+per\s*cent|\s+percent)?\s*\(\s*(?P<digits>[^()]{{1,24}}?)\s*\)"
    rf"(?P<scale>{_SCALE_AFTER})?",
    re.IGNORECASE,
)
_CURRENCY_WORDS = (
    r"(?:(?:u\.?s\.?|united\s+states|us|canadian|australian|hong\s+kong|new\s+taiwan|singapore)\s+)?"
    r"(?:dollars?|euros?|pounds(?:\s+sterling)?|francs?|yen|yuan|rupees?|rand|cents?|sterling)"
)
_AMOUNT_PAIR = re.compile(
    rf"(?P<digits>(?:[$€£]\s?)?(?:{_DIGITS}))(?P<scale>{_SCALE_AFTER})?"
    rf"\s*\(\s*(?:say\s+)?(?P<words>{NUMBER_WORDS})(?:\s+{_CURRENCY_WORDS})?(?:\s+only)?\s*\)",
    re.IGNORECASE,
)
"""Digits followed by the same amount in words: ``$1,200,000 (One Million Two Hundred Thousand
Dollars)``, ``NTD 1.2 million (SAY ONE MILLION TWO HUNDRED THOUSAND ONLY)``, ``30 (thirty)``."""


@dataclass(frozen=True)
class NumberPair:
    """A number written twice, ``thirty (30)``: both readings and where they are."""

    words: str
    digits: str
    words_value: int | None
    digits_value: Decimal | None
    start: int
    end: int


def number_pairs(text: str) -> list[NumberPair]:
    """Every number written in words followed by digits in brackets, and every amount in digits
    followed by words in brackets.

    ``digits_value`` is None when the brackets hold no number (a redaction mark, ``[***]``).

    >>> [(p.words_value, p.digits_value) for p in number_pairs("thirty (20) days, five (5%) and ten ([***])")]
    [(30, Decimal('20')), (5, Decimal('5')), (10, None)]
    >>> [(p.words_value, p.digits_value) for p in number_pairs(
    ...     "a fee of $1.2 million (SAY ONE MILLION AND TWENTY THOUSAND ONLY) and Six (6,000,000) Million shares")]
    [(1020000, Decimal('1200000.0')), (6000000, Decimal('6000000'))]
    """
    pairs = []
    for m in _NUMBER_PAIR.finditer(text):
        digits = m.group("digits")
        cleaned = digits.rstrip("%").strip()
        value = to_number(cleaned) if re.fullmatch(_DIGITS, cleaned) else None
        words = words_to_number(m.group("words"))
        if m.group("scale") and words is not None and value != words:
            words *= _SCALES[m.group("scale").strip().lower()]  # "Six (6,000,000) Million"
        pairs.append(NumberPair(m.group("words"), digits, words, value, m.start(), m.end()))
    taken = [(p.start, p.end) for p in pairs]
    for m in _AMOUNT_PAIR.finditer(text):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        value = to_number(m.group("digits").lstrip("$€£ "))
        if value is not None and m.group("scale"):
            value *= _SCALES[m.group("scale").strip().lower()]
        digits = text[m.start("digits") : m.end("scale") if m.group("scale") else m.end("digits")]
        pairs.append(
            NumberPair(
                m.group("words"),
                digits,
                words_to_number(m.group("words")),
                value,
                m.start(),
                m.end(),
            )
        )
    return sorted(pairs, key=lambda p: p.start)

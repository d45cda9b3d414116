"""Time expressions in a promise ("within the hour", "by Friday", "next business day"), read into
a :class:`TimeTerm` and resolved to the instant they promise.

Durations, parts of the day and business days are read by the small parser here; calendar dates
("Friday", "14 March") by ``dateparser`` with the message date as its relative base, preferring
dates in the future. ``dateparser`` is given English and explicit settings only, so it never
detects languages or downloads anything. Pure: imports the compiled :class:`Calendar`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from clearpact.calendar.business import Calendar, from_micros, to_micros
from clearpact.calendar.queries import EARLIEST, LATEST

HORIZON = dt.timedelta(days=400)
"""Promises further ahead than this are not placed in time: they are no service level matter,
and a calendar compiled for centuries would cost minutes."""
CLOSE_OF_BUSINESS = dt.time(17, 0)
"""The end of a business day when no calendar says otherwise (a 24x7 calendar, or none)."""
START_OF_BUSINESS = dt.time(9, 0)
""""First thing" when no calendar says otherwise."""


class TermForm(StrEnum):
    """How a time expression measures its promise."""

    DURATION = "duration"
    """Clock time from the message: "within the hour", "in 2 hours"."""
    BUSINESS = "business_duration"
    """Business time on the agreement's calendar: "within 4 business hours"."""
    BUSINESS_DAYS = "business_days"
    """Working days, each as long as the calendar's working day: "within 2 working days"."""
    DEADLINE = "deadline"
    """A local day, and a time or the end of business: "by Friday", "by 3pm", "by end of day"."""
    NEXT_BUSINESS_DAY = "next_business_day"
    """By the end of the next day with business hours."""


@dataclass(frozen=True)
class TimeTerm:
    """A time expression as written (``text``) and what it measures.

    ``seconds`` is set for durations, ``days`` for working days, ``day`` (a local date of the
    sender) for deadlines; ``at`` is the local time of a deadline, ``None`` meaning the end of
    business that day; ``first_thing`` means the start of business that day. A deadline read
    from a message without a date has no ``day``: it cannot be placed in time.
    """

    text: str
    form: TermForm
    seconds: int = 0
    days: int = 0
    day: dt.date | None = None
    at: dt.time | None = None
    first_thing: bool = False


_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "the": 1,
    "two": 2,
    "couple of": 2,
    "a couple of": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "twenty-four": 24,
    "thirty": 30,
    "forty-five": 45,
    "forty five": 45,
    "sixty": 60,
    "ninety": 90,
    "half an": 0.5,
    "half a": 0.5,
}
_NUMBER = (
    r"(?P<num>\d+(?:\.\d+)?|half\s+an?|(?:a\s+)?couple\s+of|twenty-four|forty[- ]five|an?|one|two|"
    r"three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|sixty|ninety|the)"
)
_UNIT_SECONDS = {"minute": 60, "hour": 3600, "day": 86400, "week": 7 * 86400}
_UNIT = r"(?P<unit>minutes?|mins?|hours?|hrs?|h|days?|weeks?)"
_DURATION = re.compile(
    r"\b(?P<lead>within|in|under|inside(?:\s+of)?|(?:in\s+)?less\s+than|no\s+(?:later|more)\s+than|"
    r"in\s+under|at\s+(?:the\s+)?most|max(?:imum)?(?:\s+of)?)\s+(?:the\s+(?:next|coming)\s+|next\s+)?"
    + _NUMBER
    + r"(?:\s*(?:and\s+a\s+half|½))?\s*(?P<qual>business|working|office|work)?\s*"
    + _UNIT
    + r"(?P<half>\s+and\s+a\s+half)?(?![\w-])",
    re.IGNORECASE,
)
_ADJECTIVAL = re.compile(  # "a 15-minute response", "4 hour fix", "one-hour on-site"
    r"\b" + _NUMBER + r"[- ](?P<qual>business[- ]|working[- ])?(?P<unit>minute|min|hour|hr|day)[- ]"
    r"(?:guaranteed\s+)?(?:response|reply|fix|resolution|turnaround|call-?back|arrival|"
    r"on-?site|sla|target|restore|restoration|repair)\b",
    re.IGNORECASE,
)
_EVERY = re.compile(r"\bevery\s+" + _NUMBER + r"?\s*" + _UNIT + r"(?![\w-])", re.IGNORECASE)
_NEXT_BUSINESS_DAY = re.compile(
    r"\b(?:(?:by|on|within)\s+(?:the\s+)?)?(?:next\s+(?:business|working)\s+day|NBD|next[- ]day)\b",
    re.IGNORECASE,
)
_WITHIN_DAY = re.compile(r"\bwithin\s+the\s+(?P<unit>day|week)\b", re.IGNORECASE)

# Deadline pieces: found separately, then joined when only little words stand between them.
_WEEKDAYS = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|thu(?:rs?)?|fri)"
)
_MONTHS = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)"
)
_ORD = r"\d{1,2}(?:st|nd|rd|th)?"
_DAY_PIECES: list[tuple[str, re.Pattern[str]]] = [
    ("after_tomorrow", re.compile(r"\bthe\s+day\s+after\s+tomorrow\b", re.I)),
    ("tomorrow", re.compile(r"\b(?:tomorrow|tmrw|tmw)\b", re.I)),
    (
        "today",
        re.compile(
            r"\b(?:later\s+)?today\b|\bsame[- ]day\b|\bthis\s+(?=morning|afternoon|evening)", re.I
        ),
    ),
    ("tonight", re.compile(r"\btonight\b", re.I)),
    (
        "week",
        re.compile(
            r"\b(?:(?:the\s+)?end\s+of\s+(?:the|this)\s+week|this\s+week|the\s+weekend)\b", re.I
        ),
    ),
    (
        "date",
        re.compile(
            rf"\b(?:(?:next|this|coming)\s+)?{_WEEKDAYS}\b(?:,?\s+(?:the\s+)?{_ORD}(?![:.]?\d|\s*[ap]\.?m\b)(?:\s+{_MONTHS}\b)?)?"
            rf"|\b{_ORD}\s+(?:of\s+)?{_MONTHS}\b(?:\s+\d{{4}})?|\b{_MONTHS}\s+{_ORD}\b(?:,?\s+\d{{4}})?"
            r"|\bthe\s+\d{1,2}(?:st|nd|rd|th)\b|\b\d{4}-\d{2}-\d{2}\b"
            r"|\b(?!24/7\b)\d{1,2}/\d{1,2}(?:/\d{2,4})?\b(?!/)",
            re.I,
        ),
    ),
]
_TIME_PIECES: list[tuple[str, re.Pattern[str]]] = [
    (
        "eod",
        re.compile(
            r"\b(?:the\s+)?(?:end\s+of\s+(?:the\s+)?(?:business\s+|working\s+)?day|close\s+of\s+"
            r"(?:business|play)|end\s+of\s+(?:business|play)|COB|EOD|EOB)\b",
            re.I,
        ),
    ),
    (
        "clock",
        re.compile(
            r"\b(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<ampm>a\.?m\.?|p\.?m\.?)(?!\w)"
            r"|\b(?P<h24>[01]?\d|2[0-3])[:.](?P<m24>[0-5]\d)\b(?!\s*(?:%|hours|h\b))"
            r"|\b(?P<hoc>\d{1,2})\s*o'?clock\b",
            re.I,
        ),
    ),
    ("noon", re.compile(r"\b(?:noon|midday|lunch\s*time|lunch)\b", re.I)),
    ("morning", re.compile(r"\bmorning\b", re.I)),
    ("afternoon", re.compile(r"\bafternoon\b", re.I)),
    ("evening", re.compile(r"\bevening\b", re.I)),
    ("first_thing", re.compile(r"\bfirst\s+thing\b", re.I)),
    (
        "at_hour",
        # "at 10", only where no noun follows ("at 3 sites" is no time)
        re.compile(
            r"\bat\s+(?P<bare>\d{1,2})\b(?![:.]\d)(?=\s*(?:$|[,.;!?)]|on\b|tomorrow\b|today\b|"
            r"tonight\b|this\b|next\b|and\b|or\b|sharp\b|latest\b))",
            re.I,
        ),
    ),
]
_PART_TIMES = {
    "noon": dt.time(12, 0),
    "morning": dt.time(12, 0),
    "afternoon": dt.time(17, 0),
    "evening": dt.time(21, 0),
    "tonight": dt.time(21, 0),
}
_JOINER = re.compile(r"^[\s,]*(?:(?:on|at|by|before|in\s+the|the|of)\s*)?[\s,]*$", re.I)
_LEAD = re.compile(
    r"(?:no\s+later\s+than|at\s+the\s+latest\s+by|by|before|until|till|on|for|latest)\s+$", re.I
)


@dataclass(frozen=True)
class _Piece:
    start: int
    end: int
    kind: str
    match: re.Match[str]


def _number(text: str) -> float:
    key = re.sub(r"\s+", " ", text.lower())
    if key in _NUMBERS:
        return _NUMBERS[key]
    return float(key)


def _unit_seconds(unit: str) -> int:
    unit = unit.lower()
    if unit.startswith("min"):
        return 60
    if unit.startswith(("h", "hr")):
        return 3600
    if unit.startswith("d"):
        return 86400
    return 7 * 86400


def _duration_term(match: re.Match[str]) -> TimeTerm | None:
    number = match.group("num") or "a"  # "every hour"
    amount = _number(number)
    if "half" in match.group(0).lower() and "half" not in number.lower():
        amount += 0.5  # "one and a half hours", "an hour and a half"
    unit = match.group("unit").lower()
    qualifier = (match.groupdict().get("qual") or "").strip(" -")
    text = re.sub(r"\s+", " ", match.group(0).strip())
    if qualifier and unit.startswith("d"):
        return TimeTerm(text, TermForm.BUSINESS_DAYS, days=max(1, round(amount)))
    seconds = round(amount * _unit_seconds(unit))
    if qualifier:
        return TimeTerm(text, TermForm.BUSINESS, seconds=seconds)
    return TimeTerm(text, TermForm.DURATION, seconds=seconds)


def _pieces(sentence: str) -> list[_Piece]:
    found: list[_Piece] = []
    taken = bytearray(len(sentence))  # characters already in a piece (linear, not pairwise)
    for kind, pattern in [*_DAY_PIECES, *_TIME_PIECES]:
        for match in pattern.finditer(sentence):
            if match.end() == match.start() or any(taken[match.start() : match.end()]):
                continue
            found.append(_Piece(match.start(), match.end(), kind, match))
            taken[match.start() : match.end()] = b"\x01" * (match.end() - match.start())
    return sorted(found, key=lambda piece: piece.start)


def _groups(sentence: str, pieces: list[_Piece]) -> list[list[_Piece]]:
    groups: list[list[_Piece]] = []
    for piece in pieces:
        if groups and _JOINER.match(sentence[groups[-1][-1].end : piece.start]):
            groups[-1].append(piece)
        else:
            groups.append([piece])
    return groups


def _clock(match: re.Match[str]) -> dt.time | None:
    if match.group("h"):
        hour, minute = int(match.group("h")), int(match.group("m") or 0)
        pm = match.group("ampm").lower().startswith("p")
        if hour > 12 or minute > 59:
            return None
        hour = hour % 12 + (12 if pm else 0)
        return dt.time(hour, minute)
    if match.group("h24"):
        return dt.time(int(match.group("h24")), int(match.group("m24")))
    hour = int(match.group("hoc"))
    return _bare_hour(hour)


def _bare_hour(hour: int) -> dt.time | None:
    """ "at 9" is 09:00 and "at 3" is 15:00: working hours are the likely reading."""
    if hour == 0 or hour > 23:
        return None
    if hour <= 6:
        hour += 12
    return dt.time(hour, 0)


def _day_of_month(words: str, base: dt.datetime) -> dt.date | None:
    """ "the 14th": this month's, or next month's once it has passed (dateparser reads "the 3rd"
    as a month)."""
    number = int(re.sub(r"\D", "", words))
    year, month = base.year, base.month
    for _ in range(3):  # a month without that day (the 31st) moves on to the next that has it
        try:
            day = dt.date(year, month, number)
        except ValueError:
            day = None
        if day is not None and day >= base.date():
            return day
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def _dateparser_day(words: str, base: dt.datetime) -> dt.date | None:
    settings = {
        "RELATIVE_BASE": base.replace(tzinfo=None),
        "PREFER_DATES_FROM": "future",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    import dateparser  # loads its language data on import; only a deadline in words needs it

    parsed = dateparser.parse(words, languages=["en"], settings=settings)
    return parsed.date() if parsed is not None else None


def _end_of_week(today: dt.date) -> dt.date:
    ahead = (4 - today.weekday()) % 7 if today.weekday() <= 4 else 4 - today.weekday() + 7
    return today + dt.timedelta(days=ahead)


def _deadline_term(sentence: str, group: list[_Piece], sent: dt.datetime | None) -> TimeTerm | None:
    kinds = {piece.kind for piece in group}
    if kinds <= {"morning", "afternoon", "evening"}:
        return None  # "in the morning" alone is no deadline
    start, end = group[0].start, group[-1].end
    window = max(0, start - 40)  # a leading "no later than" is short; never search the whole text
    lead = _LEAD.search(sentence[window:start])
    text = sentence[window + lead.start() if lead else start : end].strip()
    if re.search(r"\d\s*[ap]m\.$", text, re.I):
        text = text[:-1]  # "by 9am." ends the sentence; "by 9 a.m." keeps its dot
    at: dt.time | None = None
    first_thing = False
    for piece in group:
        if piece.kind == "clock":
            at = _clock(piece.match) or at
        elif piece.kind == "at_hour":
            at = at or _bare_hour(int(piece.match.group("bare")))
        elif piece.kind in _PART_TIMES:
            at = at or _PART_TIMES[piece.kind]
        elif piece.kind == "tonight":
            at = at or _PART_TIMES["tonight"]
        elif piece.kind == "first_thing":
            first_thing = True
    if sent is None:
        return TimeTerm(text, TermForm.DEADLINE, at=at, first_thing=first_thing)
    today = sent.date()
    day: dt.date | None = None
    for piece in group:
        if piece.kind == "after_tomorrow":
            day = today + dt.timedelta(days=2)
        elif piece.kind == "tomorrow":
            day = today + dt.timedelta(days=1)
        elif piece.kind in ("today", "tonight"):
            day = today
        elif piece.kind == "week":
            day = _end_of_week(today)
        elif piece.kind == "date":
            words = piece.match.group(0)
            if re.fullmatch(r"the\s+\d{1,2}(?:st|nd|rd|th)", words, re.I):
                day = _day_of_month(words, sent)
            else:
                day = _dateparser_day(words, sent)
            if day is None:
                return TimeTerm(text, TermForm.DEADLINE, at=at, first_thing=first_thing)
    if day is None:  # a time or "end of day" alone: today, or tomorrow once that time has passed
        day = today
        if at is not None and at <= sent.time().replace(tzinfo=None):
            day = today + dt.timedelta(days=1)
    return TimeTerm(text, TermForm.DEADLINE, day=day, at=at, first_thing=first_thing)


def placeable(sent: dt.datetime | None) -> dt.datetime | None:
    """``sent`` when it can serve as the start of a promise (aware, from 1970 up to 2200, the
    span the calendar answers for), else None: such a message is read as having no date."""
    if sent is None or sent.tzinfo is None or not EARLIEST <= sent < LATEST:
        return None
    return sent


def find_time_term(sentence: str, sent: dt.datetime | None) -> TimeTerm | None:
    """The first time expression in ``sentence``, read relative to ``sent`` (the message's date
    in the sender's zone; ``None`` when unknown, then deadlines keep no ``day``).

    >>> friday = dt.datetime(2026, 11, 20, 16, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    >>> find_time_term("Someone will be on site within the hour.", friday)
    TimeTerm(text='within the hour', form=<TermForm.DURATION: 'duration'>, seconds=3600, days=0, day=None, at=None, first_thing=False)
    >>> find_time_term("We'll have it fixed by Monday at 10am.", friday).day
    datetime.date(2026, 11, 23)
    """
    sent = placeable(sent)
    candidates: list[tuple[int, TimeTerm]] = []
    for pattern in (_DURATION, _ADJECTIVAL, _EVERY):
        for match in pattern.finditer(sentence):
            unit = match.group("unit").lower()
            if (match.group("num") or "a").lower() == "the" and not unit.startswith("h"):
                continue  # "within the day" / "within the week" are deadlines, below
            term = _duration_term(match)
            if term is not None:
                candidates.append((match.start(), term))
                break  # only the first expression is wanted: the first of each form will do
    next_day = _NEXT_BUSINESS_DAY.search(sentence)
    if next_day:
        text = next_day.group(0).strip()
        candidates.append((next_day.start(), TimeTerm(text, TermForm.NEXT_BUSINESS_DAY, days=1)))
    within = _WITHIN_DAY.search(sentence)
    if within:
        today = sent.date() if sent else None
        day = None
        if today is not None:
            day = today if within.group("unit").lower() == "day" else _end_of_week(today)
        candidates.append((within.start(), TimeTerm(within.group(0), TermForm.DEADLINE, day=day)))
    covered = [(start, start + len(term.text)) for start, term in candidates]
    first = min((start for start, _ in candidates), default=len(sentence))
    for group in _groups(sentence, _pieces(sentence)):
        if group[0].start >= first:
            break
        if any(group[0].start < end and start < group[-1].end for start, end in covered):
            continue
        deadline = _deadline_term(sentence, group, sent)
        if deadline is not None:
            candidates.append((group[0].start, deadline))
            break
    if not candidates:
        return None
    return min(candidates, key=lambda item: item[0])[1]


# -- resolution -----------------------------------------------------------------------------------


def _windows_on(calendar: Calendar, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    """Business windows that start on the calendar's local ``day``."""
    start = dt.datetime.combine(day, dt.time(), tzinfo=calendar.zone)
    end = start + dt.timedelta(days=1)
    low, high = to_micros(start), to_micros(end)
    calendar.prepare(low, high)
    starts, ends = calendar.windows()
    result = []
    for window_start, window_end in zip(starts.tolist(), ends.tolist(), strict=True):
        if low <= window_start < high:
            result.append(
                (
                    from_micros(window_start, calendar.zone),
                    from_micros(window_end, calendar.zone),
                )
            )
    return result


def _weekly(calendar: Calendar | None) -> Calendar | None:
    """The calendar when it has business days to speak of (not 24x7), else None."""
    return calendar if calendar is not None and not calendar.spec.is_24x7 else None


def business_day_bounds(
    calendar: Calendar | None, day: dt.date, zone: dt.tzinfo
) -> tuple[dt.datetime, dt.datetime] | None:
    """Start of the first and end of the last business window on ``day`` (the calendar's
    local date), or None when the calendar has none that day. A 24x7 calendar or none at all
    gives the usual office day, :data:`START_OF_BUSINESS` to :data:`CLOSE_OF_BUSINESS` in
    ``zone``, on every day."""
    weekly = _weekly(calendar)
    if weekly is None:
        return (
            dt.datetime.combine(day, START_OF_BUSINESS, tzinfo=zone),
            dt.datetime.combine(day, CLOSE_OF_BUSINESS, tzinfo=zone),
        )
    windows = _windows_on(weekly, day)
    if not windows:
        return None
    return windows[0][0], max(end for _, end in windows)


def _next_business_day(calendar: Calendar | None, after: dt.date, zone: dt.tzinfo) -> dt.datetime:
    day = after
    for _ in range(60):
        day += dt.timedelta(days=1)
        if _weekly(calendar) is None and day.weekday() >= 5:
            continue  # without office hours a business day is still a weekday
        bounds = business_day_bounds(calendar, day, zone)
        if bounds is not None:
            return bounds[1]
    return dt.datetime.combine(after + dt.timedelta(days=1), CLOSE_OF_BUSINESS, tzinfo=zone)


def _beyond_horizon(term: TimeTerm, sent: dt.datetime) -> bool:
    if term.form in (TermForm.DURATION, TermForm.BUSINESS):
        return term.seconds > HORIZON.total_seconds()
    if term.form is TermForm.BUSINESS_DAYS:
        return term.days > HORIZON.days
    if term.day is not None:
        return not -1 <= (term.day - sent.date()).days <= HORIZON.days
    return False


def working_day_seconds(calendar: Calendar | None) -> int:
    """The length of one working day on ``calendar``: its day's business time when every open
    day is as long (an office calendar), else 24 hours."""
    if calendar is None or isinstance(calendar.spec.hours, str):
        return 86400
    lengths = {sum(w.minutes for w in ws) for ws in calendar.spec.hours.values() if ws}
    return lengths.pop() * 60 if len(lengths) == 1 else 86400


def promised_by(
    term: TimeTerm, sent: dt.datetime, calendar: Calendar | None, zone: dt.tzinfo
) -> dt.datetime | None:
    """The latest instant ``term`` allows, for a message sent at ``sent`` (aware).

    Durations count clock time from ``sent``; business durations and working days count business
    time on ``calendar`` (clock time without one); a deadline without a time is the end of
    business that day on ``calendar``, "first thing" its start. Local times are read in
    ``zone``. None when the term cannot be placed: a deadline read without a message date, a
    message date outside :func:`placeable`, or a promise beyond :data:`HORIZON`.
    """
    if placeable(sent) is None or _beyond_horizon(term, sent):
        return None
    if term.form is TermForm.DURATION:
        return sent + dt.timedelta(seconds=term.seconds)
    if term.form is TermForm.BUSINESS:
        if calendar is None:
            return sent + dt.timedelta(seconds=term.seconds)
        return calendar.add(sent, dt.timedelta(seconds=term.seconds))
    if term.form is TermForm.BUSINESS_DAYS:
        seconds = term.days * working_day_seconds(_weekly(calendar))
        if calendar is None:
            return sent + dt.timedelta(seconds=seconds)
        return calendar.add(sent, dt.timedelta(seconds=seconds))
    local = sent.astimezone(zone)
    if term.form is TermForm.NEXT_BUSINESS_DAY:
        return _next_business_day(calendar, local.date(), zone)
    if term.day is None:
        return None
    if term.at is not None:
        return dt.datetime.combine(term.day, term.at, tzinfo=zone)
    bounds = business_day_bounds(calendar, term.day, zone)
    if bounds is None:  # a day without business hours: the usual close of business
        time = START_OF_BUSINESS if term.first_thing else CLOSE_OF_BUSINESS
        return dt.datetime.combine(term.day, time, tzinfo=zone)
    return bounds[0] if term.first_thing else bounds[1]

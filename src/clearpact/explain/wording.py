"""Values of the agreement said in words: durations, periods, money, dates, time zones, weekly
hours and holidays ("Monday to Friday 08:00–18:00 Berlin time, except …").

Pure: imports the agreement model, ``clearpact.durations`` and the ``holidays`` library's tables.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal

import holidays as holidays_lib

from clearpact.agreement.calendars import CalendarSpec, PublicHolidays, Weekday
from clearpact.agreement.fields import Cadence, Party, Window
from clearpact.durations import Duration, format_seconds

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
CADENCE_WORDS = {
    Cadence.DAILY: "every day",
    Cadence.WEEKLY: "every week",
    Cadence.BIWEEKLY: "every two weeks",
    Cadence.MONTHLY: "every month",
    Cadence.QUARTERLY: "every quarter",
    Cadence.SEMIANNUAL: "every six months",
    Cadence.ANNUAL: "every year",
}
PARTY_WORDS = {
    Party.PROVIDER: "the provider",
    Party.CUSTOMER: "the customer",
    Party.JOINT: "both sides",
}


def join_words(items: Sequence[str], last: str = "and") -> str:
    """A list as a phrase.

    >>> join_words(["a", "b", "c"])
    'a, b and c'
    >>> join_words(["a"])
    'a'
    """
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def sentence(text: str) -> str:
    """``text`` with a capital first letter and a full stop, unless it already ends a sentence."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else f"{text}."


def capital(text: str) -> str:
    """``text`` with its first letter in upper case and the rest untouched.

    >>> capital("a High (P2) ticket")
    'A High (P2) ticket'
    """
    return text[:1].upper() + text[1:]


def article(phrase: str) -> str:
    """``phrase`` with "a" or "an" before it, by its first letter.

    >>> article("High (P2)"), article("Urgent")
    ('a High (P2)', 'an Urgent')
    """
    return f"{'an' if phrase[:1].lower() in 'aeiou' else 'a'} {phrase}"


def plural(count: int | float, word: str) -> str:
    """``"1 hour"``, ``"2 hours"``, ``"1.5 hours"``.

    >>> plural(1, "hour"), plural(21.6, "minute")
    ('1 hour', '21.6 minutes')
    """
    number = f"{count:,g}" if isinstance(count, float) else f"{count:,}"
    return f"{number} {word}" if count == 1 else f"{number} {word}s"


def zone_words(zone: str) -> str:
    """An IANA zone as people say it: ``Europe/Berlin`` → ``Berlin time``.

    >>> zone_words("America/New_York"), zone_words("UTC")
    ('New York time', 'UTC')
    """
    if "/" not in zone:
        return zone
    return zone.rsplit("/", 1)[1].replace("_", " ") + " time"


def date_words(day: dt.date, *, weekday: bool = True, year: bool = True) -> str:
    """``Friday 2 January 2026``.

    >>> date_words(dt.date(2026, 1, 2))
    'Friday 2 January 2026'
    """
    text = f"{day.day} {MONTH_NAMES[day.month - 1]}"
    if year:
        text += f" {day.year}"
    return f"{DAY_NAMES[day.weekday()]} {text}" if weekday else text


def moment_words(instant: dt.datetime) -> str:
    """A local instant with its weekday, date, time and zone abbreviation:
    ``Friday 2 January 2026 at 17:30 CET``."""
    return f"{date_words(instant.date())} at {instant:%H:%M} {instant:%Z}".rstrip()


def short_duration(seconds: float) -> str:
    """Business time in the compact form the worked examples use: ``1h30m`` (never days).

    >>> short_duration(5400), short_duration(86400)
    ('1h30m', '24h')
    """
    return format_seconds(seconds, days=False)


def hours_words(seconds: int) -> str:
    """A length in hours and minutes, in words.

    >>> hours_words(5400), hours_words(1800), hours_words(3600)
    ('1 hour 30 minutes', '30 minutes', '1 hour')
    """
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    if hours:
        parts.append(plural(hours, "hour"))
    if minutes:
        parts.append(plural(minutes, "minute"))
    if secs or not parts:
        parts.append(plural(secs, "second"))
    return " ".join(parts)


def period_words(period: Duration) -> str:
    """A period as written in the agreement, in words: ``90d`` → ``90 days``, ``12mo`` →
    ``12 months``, ``1y`` → ``1 year``, ``2w`` → ``2 weeks``.

    >>> from clearpact.durations import parse_duration
    >>> period_words(parse_duration("90d")), period_words(parse_duration("1y"))
    ('90 days', '1 year')
    """
    if period.months:
        if period.text.endswith("y") and period.months % 12 == 0:
            return plural(period.months // 12, "year")
        return plural(period.months, "month")
    seconds = period.seconds
    if period.text.endswith("w") and seconds % (7 * 86400) == 0:
        return plural(seconds // (7 * 86400), "week")
    if seconds % 86400 == 0:
        return plural(seconds // 86400, "day")
    return hours_words(seconds)


def money(amount: Decimal, currency: str) -> str:
    """``EUR 7,800`` or ``EUR 312.50``: whole amounts without cents.

    >>> money(Decimal("7800"), "EUR"), money(Decimal("312.5"), "EUR")
    ('EUR 7,800', 'EUR 312.50')
    """
    if amount == amount.to_integral_value():
        return f"{currency} {int(amount):,}"
    return f"{currency} {amount.quantize(Decimal('0.01')):,}"


def percent(value: float | Decimal) -> str:
    """A percentage as written: ``99.5%``, ``4%``."""
    return f"{Decimal(str(value)).normalize():f}%"


# -- calendars ------------------------------------------------------------------------------------


def _window_words(window: Window) -> str:
    start, end = window.text.split("-")
    if window.end == 1440:
        end = "24:00 (midnight)"
    return f"{start}–{end}"


def _day_range(first: int, last: int) -> str:
    if first == last:
        return DAY_NAMES[first]
    if last == first + 1:
        return f"{DAY_NAMES[first]} and {DAY_NAMES[last]}"
    return f"{DAY_NAMES[first]} to {DAY_NAMES[last]}"


def weekly_words(hours: dict[Weekday, list[Window]]) -> str:
    """Weekly windows in words; consecutive days with the same windows are grouped, and a window
    that runs past midnight says so.

    >>> from clearpact.agreement.fields import parse_window
    >>> office = {Weekday(d): [parse_window("08:00-18:00")] for d in ("mon", "tue", "wed", "thu", "fri")}
    >>> weekly_words(office)
    'Monday to Friday 08:00–18:00'
    >>> weekly_words({Weekday.SAT: [parse_window("22:00-04:00")]})
    'overnight from Saturday 22:00 to Sunday 04:00'
    >>> weekly_words({Weekday.MON: [parse_window("22:00-06:00")], Weekday.TUE: [parse_window("22:00-06:00")]})
    'Monday and Tuesday 22:00–06:00 the next morning'
    """
    by_day = {day.number: [w.text for w in windows] for day, windows in hours.items() if windows}
    windows_of = {day.number: windows for day, windows in hours.items() if windows}
    groups: list[tuple[int, int]] = []
    for number in sorted(by_day):
        if groups and groups[-1][1] == number - 1 and by_day[groups[-1][0]] == by_day[number]:
            groups[-1] = (groups[-1][0], number)
        else:
            groups.append((number, number))
    parts = []
    for first, last in groups:
        windows = windows_of[first]
        if first == last and len(windows) == 1 and windows[0].crosses_midnight:
            start, end = windows[0].text.split("-")
            following = DAY_NAMES[(first + 1) % 7]
            parts.append(f"overnight from {DAY_NAMES[first]} {start} to {following} {end}")
            continue
        spans = join_words(
            [
                f"{_window_words(w)} the next morning" if w.crosses_midnight else _window_words(w)
                for w in windows
            ]
        )
        parts.append(f"{_day_range(first, last)} {spans}")
    return "; ".join(parts)


def country_name(code: str) -> str:
    """A country's English name from its ISO code, as the ``holidays`` library lists it, with
    "the" where English needs it (``DE`` → ``Germany``, ``US`` → ``the United States``); the code
    itself when unknown."""
    try:
        from holidays.registry import COUNTRIES  # not in the library's typed API; names only

        for key, entry in COUNTRIES.items():
            if entry[1] == code:
                name = str(key).replace("_", " ").title()
                plural_name = name.startswith("United ") or name.endswith((" Republic", "lands"))
                return f"the {name}" if plural_name or name == "Philippines" else name
    except (ImportError, AttributeError, IndexError):  # pragma: no cover - the code is enough
        pass
    return code


def _subdivision_name(country: str, code: str) -> str:
    table = holidays_lib.country_holidays(country)
    aliases = getattr(table, "subdivisions_aliases", {}) or {}
    for name, alias_code in aliases.items():
        if alias_code == code:
            return str(name)
    return code


def public_holidays_words(entry: PublicHolidays) -> str:
    """``public holidays in Germany (Bayern)``."""
    country = country_name(entry.country)
    if entry.subdivision is None:
        return f"public holidays in {country}"
    return f"public holidays in {country} ({_subdivision_name(entry.country, entry.subdivision)})"


def _yearly_words(month_days: list[str]) -> str:
    by_month: dict[int, list[int]] = {}
    for text in sorted(month_days):
        month, day = (int(part) for part in text.split("-"))
        by_month.setdefault(month, []).append(day)
    parts = [
        f"{join_words([str(d) for d in days])} {MONTH_NAMES[month - 1]}"
        for month, days in by_month.items()
    ]
    return f"{join_words(parts)} each year"


def holidays_words(spec: CalendarSpec) -> str | None:
    """The days the calendar has no hours, in words, or ``None`` when it has none."""
    public = [public_holidays_words(e) for e in spec.holidays if isinstance(e, PublicHolidays)]
    yearly = [e for e in spec.holidays if isinstance(e, str)]
    dates = sorted(e for e in spec.holidays if isinstance(e, dt.date))
    parts = list(public)
    if yearly:
        parts.append(_yearly_words(yearly))
    if dates:
        parts.append(join_words([date_words(d, weekday=False) for d in dates]))
    return join_words(parts) if parts else None


def calendar_words(spec: CalendarSpec, *, full: bool = True) -> str:
    """A calendar in words: its hours and zone and, when ``full``, its holidays and closures.

    >>> calendar_words(CalendarSpec(timezone="Europe/Berlin", hours="24x7"))
    'every hour of every day (24x7), Berlin time'
    """
    zone = zone_words(spec.timezone)
    if isinstance(spec.hours, str):
        text = f"every hour of every day (24x7), {zone}"
    elif not any(spec.hours.values()):
        text = f"no hours at all ({zone})"
    else:
        text = f"{weekly_words(spec.hours)} {zone}"
    if not full:
        return text
    off = holidays_words(spec)
    if off:
        text += f", except {off}"
    for day, windows in sorted(spec.closures.items()):
        cut = join_words([_window_words(w) for w in windows])
        text += f"; closed {cut} on {date_words(day)}"
    return text


def working_day_seconds(spec: CalendarSpec) -> int | None:
    """The business seconds of one working day, when every open day has the same length (an
    office calendar); ``None`` for 24x7 or uneven days."""
    if isinstance(spec.hours, str):
        return None
    lengths = {sum(w.minutes for w in windows) for windows in spec.hours.values() if windows}
    return lengths.pop() * 60 if len(lengths) == 1 else None


def named_holidays(spec: CalendarSpec, first: dt.date, last: dt.date) -> dict[dt.date, str]:
    """The days from ``first`` to ``last`` that the calendar's ``holidays`` take out, with a name
    to show a reader (English where the ``holidays`` library has it)."""
    years = range(first.year, last.year + 1)
    found: dict[dt.date, str] = {}
    for entry in spec.holidays:
        if isinstance(entry, PublicHolidays):
            table = holidays_lib.country_holidays(entry.country, subdiv=entry.subdivision)
            language = "en_US" if "en_US" in table.supported_languages else None
            table = holidays_lib.country_holidays(
                entry.country, subdiv=entry.subdivision, years=years, language=language
            )
            for day, name in table.items():
                found.setdefault(day, str(name))
        elif isinstance(entry, str):
            month, mday = (int(part) for part in entry.split("-"))
            for year in years:
                try:
                    found.setdefault(dt.date(year, month, mday), "an agreed day off")
                except ValueError:  # 02-29 outside leap years
                    continue
        else:
            found.setdefault(entry, "an agreed day off")
    return {day: name for day, name in sorted(found.items()) if first <= day <= last}


def days_with_hours(spec: CalendarSpec) -> set[int]:
    """Weekday numbers (Monday 0) on which the calendar has at least one window."""
    if isinstance(spec.hours, str):
        return set(range(7))
    return {day.number for day, windows in spec.hours.items() if windows}


def cadence_words(cadence: Cadence) -> str:
    """``every month``."""
    return CADENCE_WORDS[cadence]


def names(items: Iterable[str]) -> str:
    """Quoted names joined as a phrase: ``'Waiting on customer' or 'Waiting on third party'``."""
    return join_words([f"'{item}'" for item in items], last="or")

"""Questions a user asks of one calendar: business time between two instants, and due instants,
for one pair or a table of rows, with every timestamp read in a stated time zone.

Pure: strings in, strings and numbers out; reading and writing files is the caller's job. Imports
the agreement model, ``clearpact.durations`` and the compiled :class:`Calendar`.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import numpy as np

from clearpact.agreement.calendars import CalendarSpec, check_zone_name
from clearpact.agreement.model import Agreement
from clearpact.calendar.business import US, Calendar, Micros, from_micros, to_micros
from clearpact.durations import DurationError, format_seconds, parse_duration

EARLIEST = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(2200, 1, 1, tzinfo=dt.UTC)
"""Instants are read from ``EARLIEST`` up to, not including, ``LATEST``: a year mistyped as 0026
or 2620 fails on its own row, instead of compiling centuries of calendar for the whole batch."""

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_EXAMPLE = "e.g. '2026-11-20T17:30' or '2026-11-20T17:30+01:00'"


class QueryError(ValueError):
    """A question that cannot be answered as asked; the message is one line and says what to
    write instead."""


@dataclass(frozen=True)
class Instant:
    """A timestamp as the user wrote it and the instant it was read as.

    ``read_as`` is the zone a timestamp without an offset was read in, and ``None`` when the text
    carried its own offset (then no zone was assumed).
    """

    text: str
    at: dt.datetime
    read_as: str | None


@dataclass(frozen=True)
class Batch:
    """A table of answers: the input columns, then the result columns and ``error``.

    Every input row is kept, in order. A row that cannot be read has empty results and an
    ``error`` naming its row number (data rows count from 1, the header not counted) and field;
    ``rejected`` counts those rows.
    """

    header: list[str]
    rows: list[list[str]]
    rejected: int


def calendar_named(calendars: Mapping[str, CalendarSpec], name: str) -> Calendar:
    """The compiled calendar ``name`` of an agreement's ``calendars:`` section; an unknown name
    raises :class:`QueryError` with the nearest defined name, as the loader suggests fields.

    >>> from clearpact.agreement.calendars import CalendarSpec
    >>> calendar_named({"office": CalendarSpec(timezone="UTC", hours="24x7")}, "ofice")
    Traceback (most recent call last):
    ...
    clearpact.calendar.queries.QueryError: no calendar 'ofice' in the agreement; did you mean 'office'?
    """
    if name in calendars:
        return Calendar(calendars[name])
    close = difflib.get_close_matches(name, list(calendars), n=1, cutoff=0.6)
    if close:
        hint = f"did you mean '{close[0]}'?"
    elif calendars:
        hint = "it defines " + ", ".join(f"'{n}'" for n in calendars)
    else:
        hint = "it defines none; add one under 'calendars:'"
    raise QueryError(f"no calendar '{name}' in the agreement; {hint}")


def zone_named(name: str) -> ZoneInfo:
    """The IANA zone ``name``; an unknown name raises :class:`QueryError` with the nearest one."""
    try:
        return ZoneInfo(check_zone_name(name))
    except ValueError as exc:
        raise QueryError(str(exc)) from None


def read_instant(text: str, zone: ZoneInfo) -> Instant:
    """Read an ISO 8601 timestamp. One with an offset (``+01:00``, ``Z``) is that instant;
    one without is local time in ``zone``.

    A local time the clocks skip (spring) or show twice (autumn) in ``zone`` is refused rather
    than guessed: the message asks for the offset. So is a date without a time, and an instant
    outside the years 1970–2199.

    >>> berlin = ZoneInfo("Europe/Berlin")
    >>> read_instant("2026-11-20T17:30", berlin).at.isoformat()
    '2026-11-20T17:30:00+01:00'
    >>> read_instant("2026-11-20T16:30Z", berlin).read_as is None
    True
    >>> read_instant("2026-10-25T02:30", berlin)
    Traceback (most recent call last):
    ...
    clearpact.calendar.queries.QueryError: '2026-10-25T02:30' happens twice in Europe/Berlin (the clocks go back); write its offset: '2026-10-25T02:30+02:00' is the first, '2026-10-25T02:30+01:00' the second
    """
    stripped = text.strip()
    if not stripped:
        raise QueryError(f"empty; write an ISO 8601 timestamp, {_EXAMPLE}")
    try:
        dt.date.fromisoformat(stripped)
    except ValueError:
        pass
    else:
        raise QueryError(f"'{stripped}' is a date without a time; write e.g. '{stripped}T00:00'")
    try:
        written = dt.datetime.fromisoformat(stripped)
    except ValueError:
        raise QueryError(
            f"'{stripped}' is not a valid timestamp; write ISO 8601, {_EXAMPLE}"
        ) from None
    if written.tzinfo is not None:
        instant = Instant(stripped, written, read_as=None)
    else:
        instant = Instant(stripped, _localize(stripped, written, zone), read_as=zone.key)
    if not EARLIEST <= instant.at < LATEST:
        raise QueryError(f"'{stripped}' is outside the years clearpact reads (1970–2199)")
    return instant


def _localize(text: str, wall: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    first, second = wall.replace(tzinfo=zone, fold=0), wall.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first
    offsets = [_offset(first), _offset(second)]
    if first.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) == wall:
        raise QueryError(
            f"'{text}' happens twice in {zone.key} (the clocks go back); write its offset: "
            f"'{text}{offsets[0]}' is the first, '{text}{offsets[1]}' the second"
        )
    raise QueryError(
        f"'{text}' does not exist in {zone.key} (the clocks skip it); write a time outside the "
        f"skipped hour, or an offset such as '{text}{offsets[0]}'"
    )


def _offset(instant: dt.datetime) -> str:
    """The UTC offset as ISO 8601 writes it after a time: ``+02:00``."""
    offset = instant.utcoffset()
    assert offset is not None  # an aware datetime in a ZoneInfo zone always has one
    minutes = offset // dt.timedelta(minutes=1)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def read_business_duration(text: str) -> dt.timedelta:
    """A duration to add on a business calendar, in the one duration syntax (``"4h"``,
    ``"1h30m"``). Months and years have no fixed length and are refused.

    >>> read_business_duration("1h30m")
    datetime.timedelta(seconds=5400)
    """
    try:
        duration = parse_duration(text.strip())
    except DurationError as exc:
        raise QueryError(str(exc)) from None
    if not duration.is_exact:
        raise QueryError(
            f"'{duration}' is in months or years, which have no fixed length; write business "
            "time in h and m, e.g. '4h' or '1h30m'"
        )
    return duration.as_timedelta()


def describe_instant(instant: dt.datetime) -> str:
    """An instant as a person reads it, in its own zone, independent of the locale.

    >>> describe_instant(dt.datetime(2026, 11, 30, 10, 30, tzinfo=ZoneInfo("Europe/Berlin")))
    'Monday 2026-11-30 10:30 CET'
    """
    clock = "%H:%M:%S" if instant.second or instant.microsecond else "%H:%M"
    return f"{_DAYS[instant.weekday()]} {instant.strftime(f'%Y-%m-%d {clock} %Z')}"


def seconds_text(micros: int) -> str:
    """Microseconds as exact decimal seconds, without trailing zeros.

    >>> seconds_text(5_400_000_000), seconds_text(-1_500_000)
    ('5400', '-1.5')
    """
    whole, fraction = divmod(abs(micros), US)
    text = f"{whole}.{fraction:06d}".rstrip("0").rstrip(".")
    return f"-{text}" if micros < 0 else text


def business_duration_text(micros: int) -> str:
    """Business time as hours and minutes, never days (``d`` reads as a working day).

    >>> business_duration_text(19_800_000_000)
    '5h 30m'
    """
    return format_seconds(micros / US, sep=" ", days=False)


def elapsed_rows(
    calendar: Calendar, header: Sequence[str], rows: Sequence[Sequence[str]], zone: ZoneInfo
) -> Batch:
    """Business time for each row's ``start`` and ``end`` columns (timestamps without an offset
    are read in ``zone``), computed in one vectorised pass. Adds ``elapsed_business_s`` (exact
    seconds; negative when ``end`` is earlier), ``elapsed`` (``"5h 30m"``) and ``error``.

    >>> cal = Calendar.from_dict({"timezone": "UTC", "hours": {"mon": ["09:00-17:00"]}})
    >>> batch = elapsed_rows(cal, ["id", "start", "end"],
    ...     [["a", "2026-11-23T16:00", "2026-11-30T10:00"], ["b", "2026-11-23", ""]], cal.zone)
    >>> batch.rows[0]   # 1h on Monday 23rd, 1h on Monday 30th
    ['a', '2026-11-23T16:00', '2026-11-30T10:00', '7200', '2h', '']
    >>> batch.rows[1][-1]
    "row 2, start: '2026-11-23' is a date without a time; write e.g. '2026-11-23T00:00'"
    """
    added = ("elapsed_business_s", "elapsed", "error")
    read = _read_rows(header, rows, ("start", "end"), added, zone)
    elapsed = calendar.elapsed_many(read.first, read.second).tolist()
    answers = {
        index: [seconds_text(micros), business_duration_text(micros)]
        for index, micros in zip(read.index, elapsed, strict=True)
    }
    return _batch(header, rows, added, answers, read.errors)


def due_rows(
    calendar: Calendar, header: Sequence[str], rows: Sequence[Sequence[str]], zone: ZoneInfo
) -> Batch:
    """The due instant for each row's ``start`` and business ``duration`` columns, computed in
    one vectorised pass. Adds ``due_at`` (ISO 8601 in the calendar's zone, with its offset) and
    ``error``.

    >>> cal = Calendar.from_dict({"timezone": "UTC", "hours": {"mon": ["09:00-17:00"]}})
    >>> batch = due_rows(
    ...     cal, ["start", "duration"], [["2026-11-23T16:00", "2h"], ["x", "3mo"]], cal.zone
    ... )
    >>> batch.rows[0]
    ['2026-11-23T16:00', '2h', '2026-11-30T10:00:00+00:00', '']
    >>> batch.rejected
    1
    """
    added = ("due_at", "error")
    read = _read_rows(header, rows, ("start", "duration"), added, zone)
    try:
        due = calendar.add_many(read.first, read.second).tolist()
    except ValueError:
        # Some row asks for more business time than the calendar holds in centuries; answer
        # row by row so that only those rows fail.
        due = []
        for position, start, micros in zip(read.index, read.first, read.second, strict=True):
            try:
                due.append(int(calendar.add_many(np.array([start]), np.array([micros]))[0]))
            except ValueError as exc:
                read.errors[position] = f"row {position + 1}, duration: {exc}"
                due.append(0)
    answers = {
        index: [from_micros(micros, calendar.zone).isoformat()]
        for index, micros in zip(read.index, due, strict=True)
        if index not in read.errors
    }
    return _batch(header, rows, added, answers, read.errors)


@dataclass(frozen=True)
class _Read:
    """The rows that could be read (their positions and two epoch-µs columns) and the errors of
    the others, by position."""

    index: list[int]
    first: Micros
    second: Micros
    errors: dict[int, str]


def _read_rows(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    needed: tuple[str, str],
    added: tuple[str, ...],
    zone: ZoneInfo,
) -> _Read:
    """Read ``start`` and the second needed column (``end`` or ``duration``) of every row."""
    _check_header(header, needed, added)
    columns = header.index(needed[0]), header.index(needed[1])
    index: list[int] = []
    first: list[int] = []
    second: list[int] = []
    errors: dict[int, str] = {}
    for position, row in enumerate(rows):
        number = position + 1
        if len(row) > len(header):
            errors[position] = (
                f"row {number}: {len(row)} cells but the header names {len(header)} columns; "
                "the cells past the last column are not copied"
            )
            continue
        cells = _padded(row, len(header))
        field = needed[0]
        try:
            start = to_micros(read_instant(cells[columns[0]], zone).at)
            field = needed[1]
            text = cells[columns[1]]
            if field == "duration":
                other = read_business_duration(text) // dt.timedelta(microseconds=1)
            else:
                other = to_micros(read_instant(text, zone).at)
        except QueryError as exc:
            errors[position] = f"row {number}, {field}: {exc}"
            continue
        index.append(position)
        first.append(start)
        second.append(other)
    return _Read(index, np.array(first, dtype=np.int64), np.array(second, dtype=np.int64), errors)


def _check_header(header: Sequence[str], needed: tuple[str, str], added: tuple[str, ...]) -> None:
    """A needed column missing, a column named twice, or one the answer would add: refused."""
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        names = ", ".join(repr(name) for name in repeated)
        raise QueryError(f"the CSV header repeats {names}; name each column once")
    clashing = [name for name in added if name in header]
    if clashing:
        raise QueryError(
            f"the CSV already has a column {clashing[0]!r}, which the answer adds; rename or drop it"
        )
    missing = [name for name in needed if name not in header]
    if missing:
        found = ", ".join(repr(name) for name in header) or "none"
        raise QueryError(
            f"the CSV has no column {missing[0]!r}; it needs {needed[0]!r} and {needed[1]!r} "
            f"(found: {found})"
        )


def _batch(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    added: tuple[str, ...],
    answers: dict[int, list[str]],
    errors: dict[int, str],
) -> Batch:
    empty = [""] * (len(added) - 1)
    out = [
        [*_padded(row, len(header))[: len(header)], *answers.get(i, empty), errors.get(i, "")]
        for i, row in enumerate(rows)
    ]
    return Batch([*header, *added], out, len(errors))


def _padded(row: Sequence[str], width: int) -> list[str]:
    """A short row (fewer cells than the header) filled with empty cells, as spreadsheets do."""
    return [*row, *([""] * (width - len(row)))]


def amendments_to_calendar(agreement: Agreement, name: str) -> list[str]:
    """Labels of the amendments that change calendar ``name`` (or the whole ``calendars:``
    section). Queries use the calendar as first written, so a caller can say when that is not
    the whole story."""
    labels = []
    for amendment in agreement.versions:
        for path in amendment.changes:
            parts = path.split(".")
            if parts[0] == "calendars" and (len(parts) == 1 or parts[1] == name):
                labels.append(f"{amendment.version} (effective {amendment.effective})")
                break
    return labels

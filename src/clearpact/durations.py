"""Durations written with units (``"4h"``, ``"30m"``, ``"1h30m"``, ``"2d"``, ``"3mo"``, ``"1y"``).

This is the one parser of duration strings in clearpact. Exact units are ``s``, ``m``
(minutes), ``h``, ``d`` (24 hours) and ``w`` (7 days); calendar units are ``mo`` and ``y``
(12 months), which have no fixed length and cannot be mixed with exact units.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_EXACT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_CALENDAR_MONTHS = {"mo": 1, "y": 12}
_PART = re.compile(r"(\d+)\s*(mo|y|w|d|h|m|s)")
_WHOLE = re.compile(r"^\s*(?:\d+\s*(?:mo|y|w|d|h|m|s)\s*)+$")


class DurationError(ValueError):
    """A duration string that cannot be read; the message says how to write it."""


@dataclass(frozen=True)
class Duration:
    """A parsed duration: either exact ``seconds`` or calendar ``months``, never both.

    ``text`` keeps what the user wrote, so messages and round trips show their words.
    """

    text: str
    seconds: int = 0
    months: int = 0

    @property
    def is_exact(self) -> bool:
        """True when the duration has a fixed length in seconds (no months or years)."""
        return self.months == 0

    def as_timedelta(self) -> timedelta:
        """The exact length; raises :class:`DurationError` for months and years."""
        if not self.is_exact:
            raise DurationError(f"'{self.text}' is in months or years, which have no fixed length")
        return timedelta(seconds=self.seconds)

    def approx_days(self) -> float:
        """Length in days, counting a month as 30.44 days (365.25 / 12); for comparisons only."""
        return self.seconds / 86400 + self.months * 365.25 / 12

    def __str__(self) -> str:
        return self.text


def parse_duration(text: str) -> Duration:
    """Read a duration such as ``"4h"``, ``"1h30m"``, ``"90d"`` or ``"3mo"``.

    ``d`` is always 24 hours of whatever clock the duration is applied to; on a
    business calendar ``"1d"`` therefore means 24 *business* hours, not one working day.

    >>> parse_duration("1h30m").seconds
    5400
    >>> parse_duration("3mo").months
    3
    """
    if not isinstance(text, str) or not _WHOLE.match(text):
        raise DurationError(
            f"'{text}' is not a duration; write a number and a unit, e.g. '30m', '4h', '1h30m', "
            "'2d', '90d', '3mo' or '1y' (units: s, m, h, d, w, mo, y)"
        )
    seconds = months = 0
    for amount, unit in _PART.findall(text):
        if unit in _EXACT_SECONDS:
            seconds += int(amount) * _EXACT_SECONDS[unit]
        else:
            months += int(amount) * _CALENDAR_MONTHS[unit]
    if seconds and months:
        raise DurationError(
            f"'{text}' mixes months/years with exact units; write one or the other, e.g. '3mo' or '90d'"
        )
    if seconds == 0 and months == 0:
        raise DurationError(f"'{text}' is zero; a duration must be longer than nothing")
    return Duration(text=text.strip(), seconds=seconds, months=months)


def format_seconds(seconds: float, *, sep: str = "", days: bool = True) -> str:
    """Seconds as a short duration string, largest units first, rounded to the whole second.

    ``sep`` goes between the parts. ``days=False`` stops at hours, which suits business time:
    there ``d`` would read as a working day (see lint rule CP318). A negative length gets a
    leading ``-``. The result reads back with :func:`parse_duration` (the sign aside).

    >>> format_seconds(5400)
    '1h30m'
    >>> format_seconds(0)
    '0s'
    >>> format_seconds(-93600 - 1800, sep=" ", days=False)
    '-26h 30m'
    """
    remaining = round(seconds)
    if remaining == 0:
        return "0s"
    sign, remaining = ("-" if remaining < 0 else ""), abs(remaining)
    sizes = (("d", 86400), ("h", 3600), ("m", 60), ("s", 1))
    parts = []
    for unit, size in sizes if days else sizes[1:]:
        count, remaining = divmod(remaining, size)
        if count:
            parts.append(f"{count}{unit}")
    return sign + sep.join(parts)


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole calendar months (back when negative), kept at the month's last
    day when that month is shorter.

    >>> add_months(date(2026, 1, 31), 1), add_months(date(2026, 3, 31), -1)
    (datetime.date(2026, 2, 28), datetime.date(2026, 2, 28))
    >>> add_months(date(2025, 12, 1), 12)
    datetime.date(2026, 12, 1)
    """
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    following = date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    return date(year, month + 1, min(day.day, (following - timedelta(days=1)).day))

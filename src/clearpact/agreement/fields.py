"""Value types of the agreement written as short strings: durations, percentages, time windows.

Each is an ``Annotated`` pydantic type with its own parser, serialiser and JSON Schema, so the
YAML, the typed model and the editor schema agree. Pure: imports only ``clearpact.durations``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any

from pydantic import ConfigDict, PlainSerializer, PlainValidator, WithJsonSchema

from clearpact.durations import Duration, DurationError, parse_duration

Strict = ConfigDict(extra="forbid", frozen=True)
"""Every section of the agreement: unknown keys are errors, and a loaded agreement never changes."""


def _duration(value: Any) -> Duration:
    if isinstance(value, Duration):
        return value
    if isinstance(value, int | float):  # bool is an int too
        raise ValueError(f"{value!r} has no unit; write it with one, e.g. '{value}h' or '{value}m'")
    try:
        return parse_duration(value)
    except DurationError as exc:
        raise ValueError(str(exc)) from None


def _exact_duration(value: Any) -> Duration:
    duration = _duration(value)
    if not duration.is_exact:
        raise ValueError(
            f"'{duration.text}' is in months or years, which have no fixed length here; "
            "use s, m, h, d or w"
        )
    return duration


_DURATION_PATTERN = r"^\s*(\d+\s*(mo|y|w|d|h|m|s)\s*)+$"
_EXACT_PATTERN = r"^\s*(\d+\s*(w|d|h|m|s)\s*)+$"

Period = Annotated[
    Duration,
    PlainValidator(_duration),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": _DURATION_PATTERN,
            "description": "A length with a unit: s, m, h, d, w, mo or y, e.g. '90d' or '3mo'.",
            "examples": ["90d", "3mo", "1y"],
        }
    ),
]
"""A length that may be in calendar months or years (terms, notice periods, retention)."""

ExactDuration = Annotated[
    Duration,
    PlainValidator(_exact_duration),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": _EXACT_PATTERN,
            "description": "An exact length with a unit: s, m, h, d (24h) or w, e.g. '4h', '1h30m'.",
            "examples": ["30m", "4h", "1h30m", "2d"],
        }
    ),
]
"""A length with a fixed number of seconds (SLA targets, RTO, RPO, escalation limits)."""


def _percent(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a percentage; write e.g. '95%'")
    if isinstance(value, int | float):
        raise ValueError(
            f"{value!r} has no percent sign; write '{value}%' if you mean {value} percent "
            "(a bare number could be read as a fraction or as a percentage)"
        )
    if isinstance(value, str):
        match = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*%\s*", value)
        if match:
            return float(match.group(1))
    raise ValueError(
        f"'{value}' is not a percentage; write a number and '%', e.g. '95%' or '99.9%'"
    )


def _format_percent(value: float) -> str:
    return f"{value:g}%"


Percent = Annotated[
    float,
    PlainValidator(_percent),
    PlainSerializer(_format_percent, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^-?\d+(\.\d+)?%$",
            "description": "A percentage written with its sign, e.g. '95%' or '99.9%'.",
            "examples": ["95%", "99.9%"],
        }
    ),
]
"""A percentage, stored as the number of percent (``"95%"`` → ``95.0``)."""

_CLOCK = re.compile(r"^(\d{2}):(\d{2})$")


@dataclass(frozen=True)
class Window:
    """A daily time window in local wall-clock minutes since midnight.

    ``end`` may be 1440 (``24:00``). A window whose end is not after its start runs into the
    next day (``22:00-06:00``) and belongs to the day it starts.
    """

    text: str
    start: int
    end: int

    @property
    def crosses_midnight(self) -> bool:
        """True when the window ends on the next day (``22:00-06:00``)."""
        return self.end <= self.start

    @property
    def minutes(self) -> int:
        """Length of the window in wall-clock minutes (before any DST change)."""
        return self.end - self.start if not self.crosses_midnight else 1440 - self.start + self.end

    def __str__(self) -> str:
        return self.text


def _clock_minutes(text: str, *, allow_24: bool) -> int:
    match = _CLOCK.match(text)
    if not match:
        raise ValueError(f"'{text}' is not a time; write HH:MM on a 24-hour clock, e.g. '08:00'")
    hours, minutes = int(match.group(1)), int(match.group(2))
    if hours == 24 and minutes == 0 and allow_24:
        return 1440
    if hours > 23 or minutes > 59:
        limit = "00:00 to 24:00" if allow_24 else "00:00 to 23:59"
        raise ValueError(f"'{text}' is not a time of day (valid: {limit})")
    return hours * 60 + minutes


def parse_window(value: Any) -> Window:
    """Read ``"HH:MM-HH:MM"``; ``24:00`` may end a window, ``22:00-06:00`` crosses midnight.

    >>> parse_window("22:00-06:00").crosses_midnight
    True
    >>> parse_window("08:00-24:00").minutes
    960
    """
    if isinstance(value, Window):
        return value
    if not isinstance(value, str) or value.count("-") != 1:
        raise ValueError(f"{value!r} is not a time window; write 'HH:MM-HH:MM', e.g. '08:00-17:00'")
    start_text, end_text = (part.strip() for part in value.split("-"))
    start = _clock_minutes(start_text, allow_24=False)
    end = _clock_minutes(end_text, allow_24=True)
    if start == end:
        raise ValueError(
            f"'{value}' starts and ends at the same time; for a whole day write '00:00-24:00'"
        )
    return Window(text=f"{start_text}-{end_text}", start=start, end=end)


TimeWindow = Annotated[
    Window,
    PlainValidator(parse_window),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^([01]\d|2[0-3]):[0-5]\d-(([01]\d|2[0-3]):[0-5]\d|24:00)$",
            "description": "A local time window 'HH:MM-HH:MM'; '24:00' may end it; "
            "'22:00-06:00' runs into the next day.",
            "examples": ["08:00-17:00", "22:00-06:00", "00:00-24:00"],
        }
    ),
]


class Cadence(StrEnum):
    """How often something recurs."""

    DAILY = "daily"
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    SEMIANNUAL = "semiannual"
    ANNUAL = "annual"

    @property
    def days(self) -> float:
        """Approximate interval in days, for comparing cadences."""
        return {
            "daily": 1,
            "weekly": 7,
            "biweekly": 14,
            "monthly": 30.44,
            "quarterly": 91.31,
            "semiannual": 182.6,
            "annual": 365.25,
        }[self.value]


class Party(StrEnum):
    """Which side of the agreement does something."""

    PROVIDER = "provider"
    CUSTOMER = "customer"
    JOINT = "joint"

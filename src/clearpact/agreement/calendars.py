"""The ``calendars:`` section: weekly windows, time zone, holidays and closures, validated.

This is the model and its validation only; ``clearpact.calendar`` does the time arithmetic.
Pure: reads the IANA zone database and the ``holidays`` library's country tables, nothing else.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from enum import StrEnum
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import holidays as holidays_lib
from pydantic import (
    BaseModel,
    Discriminator,
    Field,
    PlainSerializer,
    PlainValidator,
    Tag,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from clearpact.agreement.fields import Strict, TimeWindow, Window


class Weekday(StrEnum):
    """Days of the week as written in ``hours:``."""

    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"

    @property
    def number(self) -> int:
        """Monday is 0, as in :meth:`datetime.date.weekday`."""
        return list(Weekday).index(self)


_MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")


def _month_day(value: Any) -> str:
    if not isinstance(value, str) or not _MONTH_DAY.match(value):
        raise ValueError(f"{value!r} is not a yearly date; write 'MM-DD', e.g. '12-31'")
    month, day = (int(part) for part in value.split("-"))
    try:
        dt.date(2024, month, day)  # 2024 is a leap year, so 02-29 is accepted
    except ValueError:
        raise ValueError(f"'{value}' is not a day of the year") from None
    return value


MonthDay = Annotated[
    str,
    PlainValidator(_month_day),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {"type": "string", "pattern": r"^\d{2}-\d{2}$", "description": "A yearly date 'MM-DD'."}
    ),
]


class PublicHolidays(BaseModel):
    """Public holidays of a country (and optionally a subdivision), from the ``holidays`` library."""

    model_config = Strict

    country: str = Field(description="ISO 3166-1 alpha-2 country code, e.g. 'DE'.")
    subdivision: str | None = Field(
        default=None, description="Subdivision code as the `holidays` library names it, e.g. 'BY'."
    )

    @model_validator(mode="after")
    def _known_country(self) -> PublicHolidays:
        supported = holidays_lib.list_supported_countries()
        if self.country not in supported:
            raise ValueError(
                f"'{self.country}' is not a country the holidays library knows; "
                "use an ISO 3166-1 alpha-2 code such as 'DE', 'US' or 'GB'"
            )
        if self.subdivision is not None and self.subdivision not in supported[self.country]:
            known = ", ".join(supported[self.country][:20])
            raise ValueError(
                f"'{self.subdivision}' is not a subdivision of {self.country}; known: {known}"
            )
        return self


def _holiday_form(value: Any) -> str:
    if isinstance(value, dict | PublicHolidays):
        return "public-holidays"
    if isinstance(value, str) and _MONTH_DAY.match(value):
        return "yearly-date"
    return "date"


HolidayEntry = Annotated[
    Annotated[
        dt.date,
        Tag("date"),
        WithJsonSchema({"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}),
    ]
    | Annotated[MonthDay, Tag("yearly-date")]
    | Annotated[PublicHolidays, Tag("public-holidays")],
    Discriminator(_holiday_form),
]


def check_zone_name(value: Any) -> str:
    """``value`` if it is an IANA time zone name; otherwise a ``ValueError`` that suggests the
    nearest name (``'Europe/Berln'`` → ``'Europe/Berlin'``)."""
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a time zone name")
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        close = difflib.get_close_matches(value, sorted(available_timezones()), n=1)
        suggestion = f"did you mean '{close[0]}'?" if close else "e.g. 'Europe/Berlin' or 'UTC'"
        raise ValueError(f"'{value}' is not an IANA time zone name; {suggestion}") from None
    return value


TimeZoneName = Annotated[
    str,
    PlainValidator(check_zone_name),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "description": "IANA time zone name, e.g. 'Europe/Berlin'.",
            "examples": sorted(z for z in available_timezones() if z.startswith("Europe/"))[:5],
        }
    ),
]


def _week_intervals(hours: dict[Weekday, list[Window]]) -> list[tuple[int, int, str]]:
    """Each window as minutes since Monday 00:00, with the key path it came from."""
    spans = []
    for day, windows in hours.items():
        for position, window in enumerate(windows):
            start = day.number * 1440 + window.start
            spans.append((start, start + window.minutes, f"{day.value}[{position}]"))
    return sorted(spans)


def find_overlaps(hours: dict[Weekday, list[Window]]) -> list[tuple[str, str]]:
    """Pairs of windows (as ``day[i]`` paths) that share time, including across midnight and
    from Sunday night into Monday. Windows that only touch (12:00-13:00, 13:00-17:00) do not
    overlap."""
    spans = _week_intervals(hours)
    week = 7 * 1440
    overlaps = []
    # Unroll one extra week so that a Sunday-night window meets Monday's windows.
    unrolled = spans + [(start + week, end + week, name) for start, end, name in spans]
    unrolled.sort()
    for i, (_start_a, end_a, name_a) in enumerate(unrolled):
        if i >= len(spans):
            break
        for start_b, _end_b, name_b in unrolled[i + 1 :]:
            if start_b >= end_a:
                break
            overlaps.append((name_a, name_b))
    return overlaps


class CalendarSpec(BaseModel):
    """One business calendar: when the SLA clock may run."""

    model_config = Strict

    timezone: TimeZoneName = Field(description="IANA time zone the windows are written in.")
    hours: Annotated[
        Annotated[Literal["24x7"], Tag("24x7")]
        | Annotated[dict[Weekday, list[TimeWindow]], Tag("weekly")],
        Discriminator(lambda v: "weekly" if isinstance(v, dict) else "24x7"),
    ] = Field(
        description="'24x7', or per weekday a list of 'HH:MM-HH:MM' windows. A day left out is "
        "closed; '24:00' may end a window; a window like '22:00-06:00' runs into the next day "
        "and belongs to the day it starts."
    )
    holidays: list[HolidayEntry] = Field(
        default_factory=list,
        description="Days without business hours: dates (2026-12-24), yearly dates ('12-31'), "
        "or public holidays {country, subdivision} from the `holidays` library. A holiday "
        "removes the windows that start on its local date.",
    )
    closures: dict[dt.date, list[TimeWindow]] = Field(
        default_factory=dict,
        description="Partial closures: on a date, the listed times are cut out of the windows "
        "that start on that date (a window across midnight belongs to the day it starts).",
    )
    description: str | None = Field(default=None, description="What this calendar is for.")

    @field_validator("hours")
    @classmethod
    def _no_overlap(
        cls, hours: Literal["24x7"] | dict[Weekday, list[Window]]
    ) -> Literal["24x7"] | dict[Weekday, list[Window]]:
        if isinstance(hours, dict):
            overlaps = find_overlaps(hours)
            if overlaps:
                text = "; ".join(f"{a} and {b}" for a, b in overlaps)
                raise ValueError(f"windows overlap: {text}; each moment may belong to one window")
        return hours

    @property
    def is_24x7(self) -> bool:
        """True when the clock runs every second of every day (holidays aside)."""
        return self.hours == "24x7"

    def weekly_minutes(self) -> int:
        """Business minutes in an ordinary week (no holidays, no DST change)."""
        if isinstance(self.hours, str):
            return 7 * 1440
        return sum(window.minutes for windows in self.hours.values() for window in windows)

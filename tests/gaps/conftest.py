"""Fixtures for the gap finder: the SMB example's office calendar, a Friday afternoon in Munich
and messages built in a line."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from clearpact.calendar import Calendar
from clearpact.gaps import Message
from tests.conftest import example_data

BERLIN = ZoneInfo("Europe/Berlin")
FRIDAY = dt.datetime(2026, 11, 20, 16, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
"""Friday 20 November 2026, 16:30 CET, as a Date header gives it (a fixed offset)."""
PROVIDER = "Jana Vogel <jana.vogel@brightline.example>"
CUSTOMER = "Tomas Lee <t.lee@harborlee.example>"


@pytest.fixture
def office() -> Calendar:
    """examples/fully-managed-smb.yaml's 'office': Mon–Fri 08:00–18:00 Berlin, Bavarian public
    holidays, 24 and 31 December."""
    return Calendar.from_dict(example_data("fully-managed-smb.yaml")["calendars"]["office"])


def message(
    body: str,
    *,
    sender: str | None = PROVIDER,
    date: dt.datetime | None = FRIDAY,
    subject: str | None = None,
) -> Message:
    """A message from the provider on Friday 16:30 unless told otherwise."""
    return Message(body=body, sender=sender, date=date, subject=subject, source="test")

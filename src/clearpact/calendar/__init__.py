"""Business calendars: business time between instants and due instants, exact to the microsecond.

A calendar is compiled to sorted UTC windows with the cumulative business time before each, so
``elapsed`` and ``add`` are one binary search each, scalar or vectorised. Imports the agreement
model only.
"""

from __future__ import annotations

from clearpact.calendar.business import Calendar, NaiveDatetimeError

__all__ = ["Calendar", "NaiveDatetimeError"]

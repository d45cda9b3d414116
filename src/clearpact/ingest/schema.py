"""The canonical tables every import produces, in one place (Arrow schemas).

``tickets`` and ``events`` are the clock's own (:mod:`clearpact.clock.tables`, re-exported here);
this module adds what the rest of the product reads: availability (``outages`` and the raw
``checks`` they come from), satisfaction ``surveys``, and the ``quarantine`` of input that could
not be read. ``docs/canonical-schema.md`` describes every column for people.
"""

from __future__ import annotations

import pyarrow as pa

from clearpact.clock.tables import EVENT_KINDS, EVENTS, INSTANT, REPLY_AUTHORS, TICKETS

__all__ = [
    "CHECKS",
    "EVENTS",
    "EVENT_KINDS",
    "INSTANT",
    "OUTAGES",
    "QUARANTINE",
    "REPLY_AUTHORS",
    "STATUS_MEANINGS",
    "SURVEYS",
    "TICKETS",
]

STATUS_MEANINGS = ("running", "paused", "resolved", "closed")
"""What a tool's status means to an SLA clock. ``running``: the ticket is being worked or waits
on the provider; ``paused``: it waits on someone else (the customer, a vendor, a scheduled
date) — a clock pauses only if the agreement's SLA lists the status; ``resolved``: the provider
says it is fixed (stops a resolution clock; a later working status reopens it); ``closed``: the
ticket is finished for good."""

QUARANTINE = pa.schema(
    [
        pa.field("file", pa.string(), nullable=False),  # relative to the export's root
        pa.field("row", pa.string(), nullable=False),  # 1-based data row, or "id=…" in JSON
        pa.field("ticket_id", pa.string()),  # the ticket the row belongs to, when known
        pa.field("field", pa.string(), nullable=False),  # the field that could not be read
        pa.field("value", pa.string()),  # its raw text (null when absent)
        pa.field("reason", pa.string(), nullable=False),  # why, in the user's words
        pa.field("whole_row", pa.bool_(), nullable=False),  # false: only this value was left out
    ]
)
"""One row per value that could not be used. ``whole_row`` says whether the source row was
rejected entirely (its ticket unreadable, its time unreadable, a duplicate) or only this value
(an unknown status in an update that also assigned the ticket: the assignment is kept)."""

SURVEYS = pa.schema(
    [
        pa.field("survey_id", pa.string(), nullable=False),
        pa.field("ticket_id", pa.string()),  # null for surveys about the service in general
        pa.field("customer", pa.string()),
        pa.field("at", INSTANT, nullable=False),  # when the answer was given
        pa.field("rating", pa.int8(), nullable=False),  # 1 (worst) … 5 (best)
        pa.field("comment", pa.string()),
    ]
)
"""Customer-satisfaction answers on one scale, 1–5. A profile maps its tool's scale onto it
(for example good → 5, bad → 1) and says so."""

CHECKS = pa.schema(
    [
        pa.field("service", pa.string(), nullable=False),  # the agreement's service id or the
        pa.field("at", INSTANT, nullable=False),  # monitor's name, as the profile maps it
        pa.field("up", pa.bool_()),  # null: the check ran but could not decide (pending)
        pa.field("maintenance", pa.bool_(), nullable=False),  # the monitor was in maintenance
    ]
)
"""Monitoring samples (a heartbeat, a probe): the state found at ``at``, which holds until the
next sample of the same service."""

OUTAGES = pa.schema(
    [
        pa.field("service", pa.string(), nullable=False),
        pa.field("start_at", INSTANT, nullable=False),
        pa.field("end_at", INSTANT),  # null while the outage lasts
        pa.field("planned", pa.bool_(), nullable=False),  # announced maintenance
        pa.field("source", pa.string()),  # the monitor or report it came from
    ]
)
"""Intervals in which a service was down. Availability is computed from these and the
agreement's maintenance windows (``clearpact.kpi.availability``)."""

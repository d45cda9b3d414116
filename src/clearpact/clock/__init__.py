"""The SLA clock: canonical tables in, one result row per ticket per SLA out.

The kernel (``kernel.compute``) is pure NumPy over Arrow; runners around it read files and use
cores or engines; ``reference`` is the slow, obvious per-ticket loop that checks it.
"""

from __future__ import annotations

from clearpact.clock.kernel import ClockRun, compute
from clearpact.clock.points import ClockReport
from clearpact.clock.rules import NotSupportedError, SlaRule, compile_rules
from clearpact.clock.tables import (
    EVENTS,
    RESULTS,
    TICKETS,
    StatusMeanings,
    events_table,
    tickets_table,
)

__all__ = [
    "EVENTS",
    "RESULTS",
    "TICKETS",
    "ClockReport",
    "ClockRun",
    "NotSupportedError",
    "SlaRule",
    "StatusMeanings",
    "compile_rules",
    "compute",
    "events_table",
    "tickets_table",
]

"""The KPI formulas an agreement may name in ``kpis.<id>.formula``, with what each measures.

Pure data. The computations over measured results live beside this catalogue once built; lint
uses the catalogue to refuse formula ids nobody can compute.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Formula:
    """A KPI formula: its id, the kind of value it yields, and what it measures."""

    id: str
    unit: Literal["percent", "duration", "number"]
    description: str


FORMULAS: dict[str, Formula] = {
    f.id: f
    for f in (
        Formula(
            "sla_attainment", "percent", "Share of measured tickets that met the SLA's target."
        ),
        Formula("first_response_time_mean", "duration", "Mean business time to first response."),
        Formula(
            "first_response_time_p90",
            "duration",
            "90th percentile of business time to first response.",
        ),
        Formula("mttr_mean", "duration", "Mean business time to resolve (MTTR)."),
        Formula("mttr_p90", "duration", "90th percentile of business time to resolve."),
        Formula(
            "first_contact_resolution_gross",
            "percent",
            "Tickets resolved at first contact, of all tickets.",
        ),
        Formula(
            "first_contact_resolution_net",
            "percent",
            "Tickets resolved at first contact, of tickets that could be resolved at first contact.",
        ),
        Formula("reopen_rate", "percent", "Resolved tickets that were reopened."),
        Formula("backlog_count", "number", "Open tickets at the end of the period."),
        Formula(
            "backlog_over_30d",
            "number",
            "Open tickets older than 30 days at the end of the period.",
        ),
        Formula("tickets_per_user", "number", "Tickets in the period per covered user."),
        Formula("tickets_per_device", "number", "Tickets in the period per covered device."),
        Formula("csat_mean", "number", "Mean satisfaction score on a 1–5 scale."),
        Formula("csat_satisfied_share", "percent", "Survey answers of 4 or 5 on a 1–5 scale."),
        Formula("availability", "percent", "Time a service was up, net of agreed maintenance."),
        Formula(
            "patch_compliance",
            "percent",
            "Devices with all approved patches installed within the window.",
        ),
        Formula("backup_success_rate", "percent", "Backup jobs that completed successfully."),
    )
}

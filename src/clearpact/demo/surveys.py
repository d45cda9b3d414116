"""Customer-satisfaction answers as a SmileBack-style CSV export (``surveys/csat.csv``).

SmileBack asks the requester to rate a resolved ticket with one of three faces. Columns:

| column | meaning |
|---|---|
| ``review_id`` | the answer's id, ``SB-`` and a number |
| ``rated_at`` | when the answer was given, UTC, ``YYYY-MM-DDTHH:MM:SSZ`` |
| ``rating`` | ``positive``, ``neutral`` or ``negative`` (a profile maps them to 5, 3, 1) |
| ``comment`` | free text, often empty |
| ``ticket_system`` | ``connectwise`` or ``zendesk``: where ``ticket_id`` lives |
| ``ticket_id`` | the ticket's id in that system |
| ``company_id`` | the customer as that system's import sees it (CW company identifier, Zendesk organization id) |
| ``company`` | the customer's name |
| ``contact_email`` | who answered |
| ``agent`` | who resolved the ticket |

About a quarter of resolved tickets get an answer, a few hours after the resolution. Ratings
follow the service: a ticket the generator made miss a target, or that was reopened, is rated
worse.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import numpy as np

from clearpact.demo.manifest import instant
from clearpact.demo.stories import RESOLVED, Ticket, lognormal

RATINGS = ("positive", "neutral", "negative")
COMMENTS = {
    "positive": ("Quick and friendly, thank you!", "Sorted in no time.", "Great help as always."),
    "neutral": ("Fixed, but it took a while.", "OK in the end.", "Had to chase for an update."),
    "negative": (
        "Took far too long.",
        "Nobody told us what was happening.",
        "Still not happy with this.",
    ),
}
COLUMNS = (
    "review_id",
    "rated_at",
    "rating",
    "comment",
    "ticket_system",
    "ticket_id",
    "company_id",
    "company",
    "contact_email",
    "agent",
)


def write_surveys(
    path: Path,
    tickets: list[Ticket],
    rng: np.random.Generator,
    cut_off: dt.datetime,
    *,
    sour: Callable[[Ticket], float] | None = None,
) -> dict[str, int]:
    """Write the CSV for ``tickets`` (resolved ones may get an answer before ``cut_off``) and
    return how many answers each customer (by agreement slug) gave. ``sour`` gives, per
    ticket, the chance that its answer is one face worse (planted churn); it draws only when
    that chance is above 0."""
    rows = []
    for t in tickets:
        if t.resolved_at is None or t.monitor is not None or rng.random() >= t.customer.survey_rate:
            continue
        at = (t.resolved_at + dt.timedelta(hours=lognormal(rng, 1.5, 1.2))).replace(microsecond=0)
        if at >= cut_off:
            continue
        weights = (
            (0.5, 0.25, 0.25)
            if t.reopened
            else (0.55, 0.25, 0.20)
            if t.late
            else (0.84, 0.11, 0.05)
        )
        rating = RATINGS[int(rng.choice(3, p=weights))]
        chance = sour(t) if sour is not None else 0.0
        if chance > 0 and rng.random() < chance:
            rating = RATINGS[min(RATINGS.index(rating) + 1, len(RATINGS) - 1)]
        options = COMMENTS[rating]
        comment = options[int(rng.integers(len(options)))] if rng.random() < 0.35 else ""
        agent = next(step.actor.name for step in t.steps if step.status == RESOLVED)
        rows.append((at, t, rating, comment, agent))
    rows.sort(key=lambda row: (row[0], row[1].number))
    counts: dict[str, int] = {}
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        for number, (at, t, rating, comment, agent) in enumerate(rows, start=100001):
            customer = t.customer
            writer.writerow(
                [
                    f"SB-{number}",
                    instant(at),
                    rating,
                    comment,
                    customer.tool,
                    t.number,
                    customer.customer_id,
                    customer.name,
                    t.requester.email,
                    agent,
                ]
            )
            counts[customer.slug] = counts.get(customer.slug, 0) + 1
    return counts

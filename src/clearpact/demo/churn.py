"""Planted churn for the health evaluation: one customer whose service degrades and whose
ratings sour for months before it gives notice (``churned_on``), and, as noise, another customer
with one bad month and no churn. Off unless ``generate_demo(..., churn=True)``.

Plain functions of the seed (their own random generator, so the main draws are not shifted by
the plan itself).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from clearpact.demo.cast import CUSTOMERS
from clearpact.durations import add_months

PEAK_STRAIN = 2.5
"""How many times slower the MSP works for the churner at the end of its decline."""
PEAK_SOURNESS = 0.5
"""The chance, at the end of the decline, that an answer is one face worse than the service."""
BAD_MONTH_STRAIN = 2.5
BAD_MONTH_SOURNESS = 0.3


@dataclass(frozen=True)
class Story:
    """A planted story: ``churn`` (decline from ``begins``, notice on ``churned_on``, served
    until the data ends) or ``bad_month`` (``begins`` to ``ends``, then back to normal)."""

    customer: str  # slug
    kind: str  # churn | bad_month
    begins: str  # ISO date
    ends: str  # ISO date (exclusive); for churn, the day notice was given
    churned_on: str | None


def plan_stories(seed: int, start: dt.date, months: int) -> tuple[Story, ...]:
    """The churner (the customers take turns by seed), its notice date in the last three months
    of the data and the start of its decline 4–6 months before; another customer's bad month.

    >>> [s.kind for s in plan_stories(7, dt.date(2025, 12, 1), 12)]
    ['churn', 'bad_month']
    """
    if months < 8:
        raise ValueError("planting churn needs at least 8 months of data")
    rng = np.random.default_rng([seed, 20261])
    churner = CUSTOMERS[seed % len(CUSTOMERS)]
    noisy = CUSTOMERS[(seed + 1) % len(CUSTOMERS)]
    month = months - 1 - int(rng.integers(0, 3))
    churned = add_months(start, month) + dt.timedelta(days=int(rng.integers(0, 20)))
    begins = add_months(start, month - int(rng.integers(4, 7)))
    bad = add_months(start, int(rng.integers(2, months - 1)))
    return (
        Story(churner.slug, "churn", begins.isoformat(), churned.isoformat(), churned.isoformat()),
        Story(noisy.slug, "bad_month", bad.isoformat(), add_months(bad, 1).isoformat(), None),
    )


def _ramp(story: Story, at: dt.datetime) -> float:
    """0 before the story, rising to 1 at its end (churn: staying at 1 after the notice)."""
    begins = dt.datetime.fromisoformat(story.begins).replace(tzinfo=dt.UTC)
    ends = dt.datetime.fromisoformat(story.ends).replace(tzinfo=dt.UTC)
    if at < begins:
        return 0.0
    if story.kind == "bad_month":
        return 1.0 if at < ends else 0.0
    return min(1.0, (at - begins) / (ends - begins))


def strain(stories: tuple[Story, ...], slug: str, at: dt.datetime) -> float:
    """How many times slower the MSP works on a ticket of ``slug`` created at ``at``."""
    factor = 1.0
    for story in stories:
        if story.customer == slug:
            peak = PEAK_STRAIN if story.kind == "churn" else BAD_MONTH_STRAIN
            factor *= 1 + (peak - 1) * _ramp(story, at)
    return factor


def sourness(stories: tuple[Story, ...], slug: str, at: dt.datetime) -> float:
    """The chance that an answer about a ticket of ``slug`` resolved at ``at`` is one face
    worse than its service alone would make it."""
    chance = 0.0
    for story in stories:
        if story.customer == slug:
            peak = PEAK_SOURNESS if story.kind == "churn" else BAD_MONTH_SOURNESS
            chance = max(chance, peak * _ramp(story, at))
    return chance

"""Service credits for one period from the agreement's credit terms and measured attainment.

Pure domain logic: imports the agreement model and reads Arrow tables already computed by
:mod:`clearpact.kpi.attainment` and :mod:`clearpact.kpi.availability`; no files, no database.

The rules (docs/credits.md says the same in prose, with sources):

- **Measured value.** A ticket SLA's attainment is met / (met + breached) × 100, computed from
  the counts (exact, so 9 of 10 is exactly 90%, never 89.999…). An availability SLA uses the
  availability of each covered service; the *worst* covered service decides (the SLA promises
  every service it names). Availability is compared after rounding to 1e-9 percent (float noise
  of seconds arithmetic).
- **Which attainment a tier reads.** A tier that names a priority reads that priority's row. A
  tier without one reads the SLA as its ``attainment`` block defines it: with ``per_priority``
  each priority is judged on its own and the worst judged priority decides; otherwise the
  priorities are pooled (met and breached summed). Without an ``attainment`` block: pooled.
- **minimum_tickets.** A priority (or the pooled SLA) with fewer judged tickets than
  ``minimum_tickets`` is not judged: it earns no credit and is never a miss. When only such
  rows would have reached a tier, a zero line says so in its note.
- **Tiers.** Tiers are grouped by (SLA, priority). In a group, the tier that applies is the one
  with the lowest ``below`` that the measured value is strictly under: only the deepest tier
  counts, tiers do not add up. Different groups add up, even two of one SLA (one naming P1, one
  naming no priority), as the schedule's worked month reads them (``explain/credits.py``).
- **At-risk pool.** An SLA in ``at_risk.allocation`` may cost at most pool × its share of the
  monthly fee: its tier credit is limited to that (the allocation is its budget). An allocated
  SLA *without* tiers is credited its full pool × share when it misses its target (the classic
  at-risk-amount method). All allocated credits together never exceed the pool.
- **Earn-back.** A credit is earned back (waived) when its SLA meets its target in each of the
  ``earn_back.periods`` periods that follow; a period not judged is not a miss. Once one of
  those periods is a miss, the earn-back is forfeited; while some are not measured yet (after
  ``measured_through``) it is pending, and a pending credit is due.
- **Totals.** gross = the sum of the lines; capped = min(gross, cap); earned back = the sum of
  the waived lines; due = min(gross − earned back, cap): a waived credit is as if it never
  accrued, and the cap limits what remains. Amounts are fee × percent / 100, exact (round them
  in the invoice's currency); without a monthly fee they are ``None``.
- **Claim deadline.** The last day of the period plus ``claim_window`` (the agreement counts from
  the period's report, which is never earlier, so this is the earliest the window can close).
- **Chronic failure.** An SLA (of ``chronic_failure.slas``, all SLAs with a target when empty)
  missed — below its target, as judged above — in at least ``misses`` of the ``within``
  periods ending with this one triggers the remedy.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any, Literal

import pyarrow as pa

from clearpact.agreement.model import Agreement
from clearpact.agreement.slas import AvailabilitySla, CreditTier, TicketSla
from clearpact.kpi.attainment import Period

_MONTHS = {"month": 1, "quarter": 3, "year": 12}


class EarnBackState(StrEnum):
    """Where a credit stands against the agreement's earn-back terms."""

    EARNED_BACK = "earned_back"  # met in every following period: waived
    PENDING = "pending"  # no miss yet, but not every following period is measured: due for now
    FORFEITED = "forfeited"  # a following period missed: the credit stands


@dataclass(frozen=True)
class CreditLine:
    """One credit (or one credit not judged), traceable to its clause.

    ``measured`` and ``threshold`` are percent (0–100). ``tier`` indexes
    ``service_credits.tiers``; it is ``None`` for an at-risk line (an allocated SLA without
    tiers that missed its target: ``threshold`` is then the target). ``credit_percent`` is what
    the line adds to the gross, after the SLA's share of the at-risk pool.
    """

    period_start: dt.date
    sla: str
    priority: str | None  # the priority measured; None when priorities are pooled
    service: str | None  # availability: the (worst) service measured
    measured: float | None
    threshold: float
    tier: int | None
    clause: str
    credit_percent: float
    amount: Decimal | None
    note: str | None = None
    earn_back: EarnBackState | None = None


@dataclass(frozen=True)
class ChronicTrigger:
    """An SLA missed often enough to give the customer the chronic-failure remedy."""

    sla: str
    missed_periods: list[dt.date]  # first days of the missed periods, oldest first
    misses: int
    within: int
    remedy: str
    clause: str


@dataclass(frozen=True)
class CreditStatement:
    """The credits of one period: lines, totals, claim deadline and chronic-failure triggers.

    Percentages are of the monthly fee. ``due_percent`` = min(gross − earned back, cap);
    ``capped_percent`` = min(gross, cap) is what would be due without earn-back.
    """

    period_start: dt.date
    period_end: dt.date  # the period's last day
    currency: str | None
    monthly_fee: Decimal | None
    lines: list[CreditLine]
    gross_percent: float
    cap_percent: float | None
    capped_percent: float
    earned_back_percent: float
    due_percent: float
    due_amount: Decimal | None
    claim_deadline: dt.date | None
    automatic: bool
    chronic: list[ChronicTrigger]
    missed: list[str]  # SLAs below their target in the period
    notes: list[str] = field(default_factory=list)


Verdict = Literal["met", "missed", "not_judged", "no_target"]


@dataclass(frozen=True)
class _Measure:
    """One judged unit: a priority, the pooled SLA, or one service of an availability SLA."""

    priority: str | None
    service: str | None
    value: Fraction | None  # percent
    judged: bool
    why: str | None = None  # why it is not judged


@dataclass
class _Draft:
    """A line while pool limits and earn-back are applied."""

    line: CreditLine
    credit: Decimal
    notes: list[str] = field(default_factory=list)


def applicable_tier(tiers: list[tuple[int, CreditTier]], measured: Fraction) -> int | None:
    """The index of the tier that applies to ``measured`` (percent): the lowest ``below`` the
    value is strictly under; ``None`` when it is under none. On equal ``below`` the first
    listed wins. Tiers are given with their index in ``service_credits.tiers``.

    >>> tiers = [CreditTier(sla="r", below="90%", credit="4%"),
    ...          CreditTier(sla="r", below="80%", credit="7%")]
    >>> [applicable_tier(list(enumerate(tiers)), Fraction(v)) for v in (95, 90, 85, 79)]
    [None, None, 0, 1]
    """
    reached = [(tier.below, index) for index, tier in tiers if measured < _exact(tier.below)]
    return min(reached)[1] if reached else None


def compute_credits(
    agreement: Agreement,
    attainment: pa.Table,
    availability: pa.Table | None,
    *,
    period_start: dt.date,
    period: Period = "month",
    measured_through: dt.date | None = None,
) -> CreditStatement:
    """The credit statement of the period that starts on ``period_start``.

    ``attainment`` is :func:`clearpact.kpi.attainment.attainment`'s table (``sla``,
    ``priority``, ``period_start``, ``met``, ``breached``; rows without a period are ignored)
    and ``availability`` :func:`clearpact.kpi.availability.agreement_availability`'s (``sla``,
    ``service``, ``period``, ``availability``), both over every period measured: earlier
    periods feed chronic failure, later ones earn-back. ``measured_through`` is the first day of
    the last period the data covers (default: the latest period in either table); later periods
    are not measured yet. A period with no row for an SLA had nothing to judge. Pass the terms in
    force (:func:`clearpact.agreement.versions.in_force`) as ``agreement``.

    Raises ``ValueError`` when ``period_start`` does not open a ``period``.

    >>> agreement = Agreement.model_validate({
    ...     "version": "clearpact/v1", "title": "T",
    ...     "parties": {"provider": {"name": "P"}, "customer": {"name": "C"}},
    ...     "commercials": {"currency": "EUR", "monthly_fee": "1000"},
    ...     "slas": {"fix": {"metric": "resolution",
    ...                      "attainment": {"target": "90%", "period": "month"}}},
    ...     "service_credits": {"tiers": [{"sla": "fix", "below": "90%", "credit": "5%"}]}})
    >>> table = pa.Table.from_pylist([{"sla": "fix", "priority": "P1",
    ...     "period_start": dt.date(2026, 1, 1), "met": 8, "breached": 2}])
    >>> statement = compute_credits(agreement, table, None, period_start=dt.date(2026, 1, 1))
    >>> statement.lines[0].measured, statement.due_percent, statement.due_amount  # 8 / 10
    (80.0, 5.0, Decimal('50'))
    """
    months = _MONTHS[period]
    if period_start.day != 1 or (period_start.month - 1) % months:
        raise ValueError(f"{period_start.isoformat()} does not start a {period}")
    data = _Tables(attainment, availability)
    through = measured_through or data.latest()
    next_start = _shift(period_start, months)
    fee = agreement.commercials.monthly_fee if agreement.commercials else None
    currency = agreement.commercials.currency if agreement.commercials else None
    judge = _Judge(agreement, data)
    credits = agreement.service_credits
    notes: list[str] = []
    if fee is None:
        notes.append("The agreement states no monthly fee: credits are percentages only.")
    if credits is None:
        notes.append("The agreement has no service credits: nothing is owed.")
        return CreditStatement(
            period_start=period_start,
            period_end=next_start - dt.timedelta(days=1),
            currency=currency,
            monthly_fee=fee,
            lines=[],
            gross_percent=0.0,
            cap_percent=None,
            capped_percent=0.0,
            earned_back_percent=0.0,
            due_percent=0.0,
            due_amount=None if fee is None else Decimal(0),
            claim_deadline=None,
            automatic=False,
            chronic=[],
            missed=judge.missed(period_start),
            notes=notes,
        )

    drafts = _tier_lines(agreement, judge, period_start, notes)
    drafts += _pool(agreement, judge, period_start, drafts, notes)
    if credits.earn_back is not None:
        _earn_back(agreement, judge, drafts, months, through, notes)

    gross = sum((d.credit for d in drafts), Decimal(0))
    earned = sum(
        (d.credit for d in drafts if d.line.earn_back is EarnBackState.EARNED_BACK), Decimal(0)
    )
    cap = None if credits.cap is None else _dec(credits.cap)
    capped = gross if cap is None else min(gross, cap)
    due = gross - earned if cap is None else min(gross - earned, cap)
    if cap is not None and gross > cap:
        notes.append(
            f"The credits add up to {_pct(gross)}, above the {_pct(cap)} cap (service_credits.cap)."
        )
    lines = [
        replace(
            d.line,
            credit_percent=float(d.credit),
            amount=_amount(fee, d.credit),
            note="; ".join(d.notes) or None,
        )
        for d in drafts
    ]
    deadline = None
    if credits.claim_window is not None:
        deadline = _claim_deadline(
            next_start, credits.claim_window.seconds, credits.claim_window.months
        )
    if credits.automatic:
        notes.append("Credits are applied without a claim (service_credits.automatic).")
    elif credits.claim_window is None and gross:
        notes.append("The agreement states no claim window.")
    return CreditStatement(
        period_start=period_start,
        period_end=next_start - dt.timedelta(days=1),
        currency=currency,
        monthly_fee=fee,
        lines=lines,
        gross_percent=float(gross),
        cap_percent=None if cap is None else float(cap),
        capped_percent=float(capped),
        earned_back_percent=float(earned),
        due_percent=float(due),
        due_amount=_amount(fee, due),
        claim_deadline=deadline,
        automatic=credits.automatic,
        chronic=_chronic(agreement, judge, period_start, months),
        missed=judge.missed(period_start),
        notes=notes,
    )


# -- measuring ------------------------------------------------------------------------------------


class _Tables:
    """The attainment and availability rows, by SLA and period."""

    def __init__(self, attainment: pa.Table, availability: pa.Table | None) -> None:
        self.tickets: dict[tuple[str, dt.date], list[dict[str, Any]]] = defaultdict(list)
        for row in attainment.select(
            ["sla", "priority", "period_start", "met", "breached"]
        ).to_pylist():
            if row["period_start"] is not None:
                self.tickets[(row["sla"], row["period_start"])].append(row)
        self.has_availability = availability is not None
        self.uptime: dict[tuple[str, dt.date], list[dict[str, Any]]] = defaultdict(list)
        if availability is not None:
            for row in availability.select(
                ["sla", "service", "period", "availability"]
            ).to_pylist():
                self.uptime[(row["sla"], row["period"])].append(row)

    def latest(self) -> dt.date | None:
        days = [day for _, day in self.tickets] + [day for _, day in self.uptime]
        return max(days) if days else None


class _Judge:
    """Measures and verdicts of the agreement's SLAs per period."""

    def __init__(self, agreement: Agreement, data: _Tables) -> None:
        self.agreement = agreement
        self.data = data

    def measures(self, key: str, day: dt.date, priority: str | None = None) -> list[_Measure]:
        """The units a tier (naming ``priority`` or not) reads in the period."""
        sla = self.agreement.slas[key]
        if isinstance(sla, AvailabilitySla):
            return [
                _Measure(
                    None, row["service"], None, False, "the whole period was agreed maintenance"
                )
                if row["availability"] is None
                else _Measure(None, row["service"], _exact(row["availability"]), True)
                for row in self.data.uptime.get((key, day), [])
            ]
        rows = self.data.tickets.get((key, day), [])
        minimum = sla.attainment.minimum_tickets if sla.attainment else None
        if priority is not None:
            rows = [r for r in rows if r["priority"] == priority]
        elif not (sla.attainment and sla.attainment.per_priority):
            if not rows:
                return []
            met, breached = sum(r["met"] for r in rows), sum(r["breached"] for r in rows)
            return [_tickets(None, met, breached, minimum)]
        return [_tickets(r["priority"], r["met"], r["breached"], minimum) for r in rows]

    def target(self, key: str) -> Fraction | None:
        sla = self.agreement.slas[key]
        if isinstance(sla, TicketSla):
            return None if sla.attainment is None else _exact(sla.attainment.target)
        return None if sla.target is None else _exact(sla.target)

    def verdict(self, key: str, day: dt.date) -> Verdict:
        """Whether the SLA met its target in the period, read as the SLA defines it."""
        target = self.target(key)
        if target is None:
            return "no_target"
        judged = [m.value for m in self.measures(key, day) if m.judged and m.value is not None]
        if not judged:
            return "not_judged"
        return "missed" if min(judged) < target else "met"

    def missed(self, day: dt.date) -> list[str]:
        return [key for key in self.agreement.slas if self.verdict(key, day) == "missed"]


def _tickets(priority: str | None, met: int, breached: int, minimum: int | None) -> _Measure:
    judged_tickets = met + breached
    if judged_tickets == 0:
        return _Measure(priority, None, None, False, "no ticket was judged")
    value = Fraction(100 * met, judged_tickets)
    if minimum is not None and judged_tickets < minimum:
        why = f"{judged_tickets} tickets, fewer than minimum_tickets ({minimum}): not judged"
        return _Measure(priority, None, value, False, why)
    return _Measure(priority, None, value, True)


# -- lines ----------------------------------------------------------------------------------------


def _tier_lines(
    agreement: Agreement, judge: _Judge, day: dt.date, notes: list[str]
) -> list[_Draft]:
    """One line per tier group (SLA, priority) whose deepest reached tier applies, plus zero
    lines for rows that would have reached a tier but are not judged."""
    assert agreement.service_credits is not None
    groups: dict[tuple[str, str | None], list[tuple[int, CreditTier]]] = defaultdict(list)
    for index, tier in enumerate(agreement.service_credits.tiers):
        groups[(tier.sla, tier.priority)].append((index, tier))
    drafts: list[_Draft] = []
    for (key, priority), group in groups.items():
        name = key + (f" {priority}" if priority else "")
        sla = agreement.slas.get(key)
        if sla is None:
            notes.append(
                f"service_credits.tiers[{group[0][0]}] names SLA '{key}', which the agreement "
                "does not define: not computed."
            )
            continue
        if isinstance(sla, AvailabilitySla) and not judge.data.has_availability:
            notes.append(f"No availability was measured: {name} is not judged.")
            continue
        measures = judge.measures(key, day, priority)
        if not measures:
            notes.append(f"Nothing was measured for {name} in the period: no credit.")
            continue
        judged = [m for m in measures if m.judged and m.value is not None]
        if judged:
            worst = min(judged, key=lambda m: m.value or 0)
            assert worst.value is not None
            applies = applicable_tier(group, worst.value)
            if applies is not None:
                drafts.append(_tier_draft(agreement, day, key, worst, applies))
                continue
        for m in measures:
            if m.judged or m.value is None:
                continue
            applies = applicable_tier(group, m.value)
            if applies is not None:
                draft = _tier_draft(agreement, day, key, m, applies)
                draft.credit = Decimal(0)
                draft.notes.append(m.why or "not judged")
                drafts.append(draft)
    return drafts


def _tier_draft(
    agreement: Agreement, day: dt.date, key: str, measure: _Measure, index: int
) -> _Draft:
    assert agreement.service_credits is not None
    tier = agreement.service_credits.tiers[index]
    who = f" {tier.priority}" if tier.priority else ""
    clause = (
        f"service_credits.tiers[{index}]: {key}{who} below {tier.below:g}% → "
        f"{tier.credit:g}% of the monthly fee"
    )
    line = CreditLine(
        period_start=day,
        sla=key,
        priority=measure.priority,
        service=measure.service,
        measured=None if measure.value is None else float(measure.value),
        threshold=tier.below,
        tier=index,
        clause=clause,
        credit_percent=tier.credit,
        amount=None,
    )
    return _Draft(line, _dec(tier.credit))


def _pool(
    agreement: Agreement, judge: _Judge, day: dt.date, drafts: list[_Draft], notes: list[str]
) -> list[_Draft]:
    """Limit allocated SLAs' tier credits to their share of the at-risk pool (in line order),
    and add an at-risk line for each allocated SLA without tiers that missed its target.
    Returns the added lines."""
    credits = agreement.service_credits
    assert credits is not None
    if credits.at_risk is None:
        return []
    pool = _dec(credits.at_risk.pool)
    shares = {key: _dec(share) for key, share in credits.at_risk.allocation.items()}
    budget = {key: pool * share / 100 for key, share in shares.items()}
    left = pool
    for draft in drafts:
        key = draft.line.sla
        if key not in budget or not draft.credit:
            continue
        allowed = min(draft.credit, budget[key], left)
        if allowed < draft.credit:
            if allowed == budget[key]:
                draft.notes.append(
                    f"{_pct(draft.credit)} limited to {key}'s share of the at-risk pool "
                    f"(service_credits.at_risk): {_pct(pool)} × {_pct(shares[key])} = "
                    f"{_pct(budget[key])}"
                )
            else:
                draft.notes.append(
                    f"{_pct(draft.credit)} limited to what is left of the {_pct(pool)} at-risk "
                    f"pool: {_pct(allowed)}"
                )
        budget[key] -= allowed
        left -= allowed
        draft.credit = allowed
    tiered = {tier.sla for tier in credits.tiers}
    added: list[_Draft] = []
    for key, share in shares.items():
        if key in tiered:
            continue
        if key not in agreement.slas:
            notes.append(
                f"service_credits.at_risk.allocation names SLA '{key}', which the agreement does "
                "not define: not computed."
            )
            continue
        target = judge.target(key)
        if target is None:
            notes.append(f"{key} has a share of the at-risk pool but no target: not judged.")
            continue
        if judge.verdict(key, day) != "missed":
            continue
        judged = [m for m in judge.measures(key, day) if m.judged and m.value is not None]
        worst = min(judged, key=lambda m: m.value or 0)
        amount = min(pool * share / 100, left)
        left -= amount
        clause = (
            f"service_credits.at_risk.allocation.{key}: {_pct(share)} of the {_pct(pool)} "
            f"at-risk amount when {key} misses its {_pct(target)} target"
        )
        line = CreditLine(
            period_start=day,
            sla=key,
            priority=worst.priority,
            service=worst.service,
            measured=None if worst.value is None else float(worst.value),
            threshold=float(target),
            tier=None,
            clause=clause,
            credit_percent=float(amount),
            amount=None,
        )
        added.append(_Draft(line, amount))
    return added


def _earn_back(
    agreement: Agreement,
    judge: _Judge,
    drafts: list[_Draft],
    months: int,
    through: dt.date | None,
    notes: list[str],
) -> None:
    """Mark each credited line earned back, pending or forfeited from its SLA's verdicts in
    the following periods."""
    terms = agreement.service_credits.earn_back if agreement.service_credits else None
    assert terms is not None
    for draft in drafts:
        if not draft.credit:
            continue
        key, day = draft.line.sla, draft.line.period_start
        following = [_shift(day, months * k) for k in range(1, terms.periods + 1)]
        if judge.target(key) is None:
            draft.notes.append("earn-back not judged: the SLA has no target")
            continue
        measured = [d for d in following if through is not None and d <= through]
        verdicts = {d: judge.verdict(key, d) for d in measured}
        missed = [d for d, v in verdicts.items() if v == "missed"]
        if missed:
            state = EarnBackState.FORFEITED
            draft.notes.append(
                f"not earned back: {key} missed its target in the period of {missed[0].isoformat()}"
            )
        elif len(measured) == terms.periods:
            state = EarnBackState.EARNED_BACK
            draft.notes.append(
                f"earned back (service_credits.earn_back): {key} met its target in the "
                f"{terms.periods} following periods"
            )
        else:
            state = EarnBackState.PENDING
            draft.notes.append(
                f"pending earn-back: waived if {key} meets its target through the period of "
                f"{following[-1].isoformat()} ({len(measured)} of {terms.periods} measured)"
            )
        draft.line = replace(draft.line, earn_back=state)
    if any(d.line.earn_back is EarnBackState.PENDING for d in drafts):
        notes.append(f"Earn-back condition: {terms.condition}")


def _chronic(
    agreement: Agreement, judge: _Judge, day: dt.date, months: int
) -> list[ChronicTrigger]:
    """Chronic-failure triggers: SLAs missed in ``misses`` of the ``within`` periods ending
    with the period of ``day``."""
    terms = agreement.service_credits.chronic_failure if agreement.service_credits else None
    if terms is None:
        return []
    keys = terms.slas or [k for k in agreement.slas if judge.target(k) is not None]
    window = [_shift(day, -months * k) for k in range(terms.within - 1, -1, -1)]
    triggers = []
    for key in keys:
        if key not in agreement.slas:
            continue
        missed = [d for d in window if judge.verdict(key, d) == "missed"]
        if len(missed) >= terms.misses:
            clause = (
                f"service_credits.chronic_failure: {terms.misses} missed periods within "
                f"{terms.within} consecutive periods"
            )
            triggers.append(
                ChronicTrigger(key, missed, terms.misses, terms.within, terms.remedy, clause)
            )
    return triggers


# -- arithmetic -----------------------------------------------------------------------------------


def _exact(value: float) -> Fraction:
    """A percent from the agreement or a measured float as an exact fraction, float noise
    below 1e-9 percent rounded away."""
    return Fraction(str(round(value, 9)))


def _dec(value: float | Fraction) -> Decimal:
    if isinstance(value, Fraction):
        number = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        number = Decimal(str(value))
    # 5.0 reads as 5, so that amounts print as the agreement writes them (EUR 50, not 50.0)
    return (
        number.to_integral_value() if number == number.to_integral_value() else number.normalize()
    )


def _pct(value: Decimal | Fraction) -> str:
    number = _dec(value) if isinstance(value, Fraction) else value
    return f"{number.normalize():f}%"


def _amount(fee: Decimal | None, percent: Decimal) -> Decimal | None:
    return None if fee is None else fee * percent / 100


def _shift(day: dt.date, months: int) -> dt.date:
    """The first of the month ``months`` after ``day``'s month (negative: before)."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _claim_deadline(next_start: dt.date, seconds: int, months: int) -> dt.date:
    """The last day a claim is in time: the window counted from the period's end (midnight
    before ``next_start``), its closing instant's day, the instant itself excluded."""
    if months:
        return _shift(next_start, months) - dt.timedelta(days=1)
    closes = dt.datetime.combine(next_start, dt.time()) + dt.timedelta(seconds=seconds)
    return (closes - dt.timedelta(microseconds=1)).date()

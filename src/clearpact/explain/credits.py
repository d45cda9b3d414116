"""The service-credits section of the schedule: the tier table with amounts, the cap, claims,
the at-risk pool, earn-back, chronic failure and a worked month with its arithmetic.

Pure: builds :mod:`clearpact.explain.document` blocks from the model.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from clearpact.agreement.model import Agreement
from clearpact.agreement.slas import CreditTier
from clearpact.explain.document import Bullets, Gap, Paragraph, Quote, Section, Table
from clearpact.explain.service_levels import sla_name
from clearpact.explain.wording import join_words, money, percent, period_words, plural, sentence


def credits_section(agreement: Agreement) -> Section | None:
    """Tiers, cap, claims and a worked month; ``None`` when the agreement has no credits."""
    credits = agreement.service_credits
    if credits is None:
        return None
    section = Section("Service credits")
    fee = agreement.commercials.monthly_fee if agreement.commercials else None
    currency = agreement.commercials.currency if agreement.commercials else ""
    if credits.tiers:
        header = ["SLA", "priorities", "when attainment is below", "credit"]
        if fee is not None:
            header.append("amount")
        rows = []
        for tier in credits.tiers:
            row = [
                sla_name(agreement, tier.sla),
                tier.priority or "all",
                percent(tier.below),
                f"{percent(tier.credit)} of the monthly fee",
            ]
            if fee is not None:
                row.append(money(_share(fee, tier.credit), currency))
            rows.append(row)
        section.add(
            Paragraph(
                "When an SLA's attainment in a period falls below a threshold, the provider "
                "credits a share of the monthly fee:"
            ),
            Table(header, rows),
            Paragraph(
                "Read as: for each SLA the deepest tier reached applies (tiers do not add up "
                "within one SLA); credits of different SLAs add up."
            ),
        )
    else:
        section.add(Gap("The agreement sets up service credits but no tiers: nothing is owed."))
    if fee is None:
        section.add(Gap("The agreement does not state the monthly fee, so no amount follows."))
    if credits.cap is not None:
        amount = f" ({money(_share(fee, credits.cap), currency)})" if fee is not None else ""
        section.add(
            Paragraph(f"Credits are capped at {percent(credits.cap)} of the monthly fee{amount}.")
        )
    else:
        section.add(Gap("The agreement does not say how much credit one month can bring (no cap)."))
    if credits.automatic:
        section.add(Paragraph("Credits are applied automatically, without a claim."))
    if credits.claim_window is not None and credits.automatic:
        section.add(
            Paragraph(
                f"Claim window: {period_words(credits.claim_window)} after the period's report."
            )
        )
    elif credits.claim_window is not None:
        section.add(
            Paragraph(
                f"A credit must be claimed within {period_words(credits.claim_window)} after the "
                "period's report."
            )
        )
    elif not credits.automatic:
        section.add(Gap("The agreement does not say how long the customer has to claim a credit."))
    if credits.claim_process:
        section.add(Quote(credits.claim_process))
    elif not credits.automatic:
        section.add(Gap("The agreement does not say how a credit is claimed and paid."))
    if credits.at_risk is not None:
        pool = credits.at_risk
        shares = [
            f"{sla_name(agreement, sla)} {percent(share)}"
            + (f" ({money(_share(_share(fee, pool.pool), share), currency)})" if fee else "")
            for sla, share in pool.allocation.items()
        ]
        amount = f" ({money(_share(fee, pool.pool), currency)})" if fee is not None else ""
        section.add(
            Paragraph(
                f"At-risk amount: {percent(pool.pool)} of the monthly fee{amount}, shared as "
                f"{join_words(shares)}."
            )
        )
    if credits.earn_back is not None:
        section.add(
            Paragraph(
                f"Earn-back: the provider earns a credit back after "
                f"{plural(credits.earn_back.periods, 'period')} of good performance. "
                f"{sentence(credits.earn_back.condition)}"
            )
        )
    if credits.tiers and fee is not None:
        section.add(*worked_month(agreement, credits.tiers, fee, currency, credits.cap))
    chronic = credits.chronic_failure
    if chronic is not None:
        which = join_words([sla_name(agreement, s) for s in chronic.slas], last="or") or "any SLA"
        section.add(
            Paragraph(
                f"Chronic failure: when {which} misses its target in {chronic.misses} of "
                f"{plural(chronic.within, 'consecutive period')}, the agreement says:"
            ),
            Quote(chronic.remedy),
        )
    else:
        section.add(
            Gap("The agreement does not say what repeated failure allows the customer to do.")
        )
    return section


def worked_month(
    agreement: Agreement,
    tiers: list[CreditTier],
    fee: Decimal,
    currency: str,
    cap: float | None,
) -> list[Paragraph | Bullets]:
    """A month that misses: each credited SLA lands in the middle of its first tier; then the
    worst month, every SLA in its deepest tier, against the cap."""
    groups: dict[tuple[str, str | None], list[CreditTier]] = defaultdict(list)
    for tier in tiers:
        groups[(tier.sla, tier.priority)].append(tier)
    lines, total = [], Decimal(0)
    worst_lines, worst = [], Decimal(0)
    for (sla, priority), group in groups.items():
        ordered = sorted(group, key=lambda t: t.below, reverse=True)
        first = ordered[0]
        if len(ordered) > 1:
            attained = (Decimal(str(first.below)) + Decimal(str(ordered[1].below))) / 2
        else:
            attained = Decimal(str(first.below)) - 1
        applies = _deepest(group, attained)
        name = sla_name(agreement, sla) + (f" ({priority})" if priority else "")
        credit = Decimal(str(applies.credit))
        total += credit
        lines.append(
            f"{name}: attainment {percent(attained)}, below {percent(applies.below)} → "
            f"{percent(applies.credit)} × {money(fee, currency)} = "
            f"{money(_share(fee, applies.credit), currency)}"
        )
        deepest = max(group, key=lambda t: t.credit)
        worst += Decimal(str(deepest.credit))
        worst_lines.append(f"{name} {percent(deepest.credit)}")
    total_line = f"Total {percent(total)} of the fee = {money(fee * total / 100, currency)}"
    if cap is not None and total > Decimal(str(cap)):
        total_line += (
            f", above the {percent(cap)} cap, so {money(_share(fee, cap), currency)} is credited"
        )
    elif cap is not None:
        total_line += f", within the {percent(cap)} cap"
    lines.append(total_line + ".")
    blocks: list[Paragraph | Bullets] = [
        Bullets(lines, lead=f"A worked month, with a monthly fee of {money(fee, currency)}:")
    ]
    if len(groups) > 1 or cap is not None:
        text = (
            f"In the worst month every SLA lands in its deepest tier: "
            f"{join_words(worst_lines, last='+')} = {percent(worst)} of the fee"
        )
        if cap is not None and worst > Decimal(str(cap)):
            text += (
                f", but the cap limits the credit to {percent(cap)} "
                f"({money(_share(fee, cap), currency)})"
            )
        elif cap is not None:
            text += f" ({money(fee * worst / 100, currency)}), within the {percent(cap)} cap"
        blocks.append(Paragraph(text + "."))
    return blocks


def _deepest(group: list[CreditTier], attained: Decimal) -> CreditTier:
    reached = [t for t in group if attained < Decimal(str(t.below))]
    return min(reached, key=lambda t: t.below)


def _share(fee: Decimal | None, share: float) -> Decimal:
    return (fee or Decimal(0)) * Decimal(str(share)) / 100

"""The monthly health signals of one customer from its measured clocks, tickets and survey
answers, with the existing attainment, duration and CSAT code, and the contract dates from the
agreement's term.

Pure: tables in, signals out. ``clearpact.report.data.signals_from_store`` reads a store and
measures it; the score itself is :func:`clearpact.governance.health.health`. Governance comes
from the evidence register (:func:`~clearpact.governance.health.with_governance`); expectation
gaps are not counted yet, so that signal is left missing (its weight is redistributed).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.compute as pc

from clearpact.agreement.model import Agreement, RenewalType, Term
from clearpact.agreement.slas import TicketSla
from clearpact.durations import Duration, add_months
from clearpact.governance.health import CustomerSignals, MonthSignals
from clearpact.kpi.attainment import attainment
from clearpact.kpi.durations import business_durations, clock_sla
from clearpact.kpi.periods import Periods
from clearpact.kpi.satisfaction import csat


def _before(day: dt.date, length: Duration) -> dt.date:
    if length.months:
        return add_months(day, -length.months)
    return day - dt.timedelta(seconds=length.seconds)


def renewal_decisions(term: Term | None, until: dt.date) -> tuple[dt.date, ...]:
    """The last days on which notice can be given to end the agreement at the end of its term
    and of each automatic renewal, up to ``until`` (the term's end itself without a notice
    period; nothing without an end).

    >>> term = Term.model_validate({"start": "2025-12-01", "end": "2027-11-30",
    ...     "renewal": {"type": "automatic", "period": "12mo"}, "notice_period": "3mo"})
    >>> renewal_decisions(term, dt.date(2029, 1, 1))
    (datetime.date(2027, 8, 30), datetime.date(2028, 8, 30))
    """
    if term is None or term.end is None:
        return ()
    out: list[dt.date] = []
    end = term.end
    renewal = term.renewal
    while len(out) < 50:
        decision = _before(end, term.notice_period) if term.notice_period else end
        if decision > until:
            break
        out.append(decision)
        if renewal is None or renewal.type is not RenewalType.AUTOMATIC or renewal.period is None:
            break
        following = end + dt.timedelta(days=1)
        length = renewal.period
        if length.months:
            following = add_months(following, length.months)
        else:
            following += dt.timedelta(seconds=length.seconds)
        end = following - dt.timedelta(days=1)
    return tuple(out)


def signals_from_results(
    agreement: Agreement,
    *,
    tickets: pa.Table,
    results: pa.Table,
    surveys: pa.Table,
    customer: str | None,
    as_of: dt.date,
) -> CustomerSignals:
    """Every month of a customer's data (``customer`` None: all of it) up to ``as_of`` (a local
    day in the agreement's zone): clocks judged and breached over the agreement's ticket SLAs,
    attainment and the SLAs that missed their target, mean first-response and resolution times
    (business seconds), the CSAT mean of ``surveys``; the term start and renewal decision
    dates from the agreement. ``results`` are the clock's, run as of ``as_of``'s first
    instant over ``tickets``; ``surveys`` are the customer's answers."""
    zone = agreement.home_zone
    instant = dt.datetime.combine(as_of, dt.time(), ZoneInfo(zone)).astimezone(dt.UTC)
    created = pc.min(tickets["created_at"]).as_py() if tickets.num_rows else None
    term = agreement.term
    first = created.astimezone(ZoneInfo(zone)).date() if created else as_of
    if term is not None:
        first = min(first, term.start)
    last = add_months(as_of, -1)
    if last < first:
        return CustomerSignals(customer or "all", (), term.start if term else None)
    periods = Periods(zone, "month", first, last, instant)
    by_month = _attainment(agreement, results, zone)
    frt = _durations(agreement, results, periods, "first_response")
    ttr = _durations(agreement, results, periods, "resolution")
    ratings = _csat(surveys, periods)
    first_year_ends = add_months(term.start, 12) if term is not None else None
    months = []
    for start in periods.starts():
        if add_months(start, 1) > as_of:
            break
        judged, breached, missed = by_month.get(start, (0, 0, ()))
        mean_frt, n_frt = frt.get(start, (None, 0))
        mean_ttr, n_ttr = ttr.get(start, (None, 0))
        mean_csat, answers = ratings.get(start, (None, 0))
        months.append(
            MonthSignals(
                month=start,
                judged=judged,
                breached=breached,
                first_year=first_year_ends is not None and start < first_year_ends,
                attainment=100 * (judged - breached) / judged if judged else None,
                slas_missed=missed,
                first_response_s=mean_frt,
                first_response_clocks=n_frt,
                resolution_s=mean_ttr,
                resolution_clocks=n_ttr,
                csat_mean=mean_csat,
                csat_answers=answers,
            )
        )
    return CustomerSignals(
        customer=customer or "all",
        months=tuple(months),
        term_start=term.start if term is not None else None,
        decisions=renewal_decisions(term, add_months(as_of, 60)),
    )


def _attainment(
    agreement: Agreement, results: pa.Table, zone: str
) -> dict[dt.date, tuple[int, int, tuple[str, ...]]]:
    """Per month: clocks judged and breached over every ticket SLA with an attainment target
    (all ticket SLAs when none states one), and the SLAs below their target (with at least
    their minimum of tickets)."""
    slas = {k: s for k, s in agreement.slas.items() if isinstance(s, TicketSla)}
    targeted = {k for k, s in slas.items() if s.attainment is not None} or set(slas)
    counts: dict[tuple[dt.date, str], list[int]] = {}
    for row in attainment(results, zone=zone, period="month").to_pylist():
        if row["period_start"] is None or row["sla"] not in targeted:
            continue
        pair = counts.setdefault((row["period_start"], row["sla"]), [0, 0])
        pair[0] += row["met"]
        pair[1] += row["breached"]
    out: dict[dt.date, tuple[int, int, tuple[str, ...]]] = {}
    for (start, key), (met, breached) in sorted(counts.items()):
        judged, total_breached, missed = out.get(start, (0, 0, ()))
        rule = slas[key].attainment
        enough = rule is not None and (
            rule.minimum_tickets is None or met + breached >= rule.minimum_tickets
        )
        if (
            rule is not None
            and enough
            and met + breached
            and 100 * met / (met + breached) < rule.target
        ):
            missed = (*missed, key)
        out[start] = (judged + met + breached, total_breached + breached, missed)
    return out


def _durations(
    agreement: Agreement, results: pa.Table, periods: Periods, metric: str
) -> dict[dt.date, tuple[float | None, int]]:
    sla = clock_sla(agreement, metric)
    if sla is None:
        return {}
    table = business_durations(results, sla=sla, periods=periods)
    return {r["period_start"]: (r["mean_s"], r["clocks"]) for r in table.to_pylist()}


def _csat(surveys: pa.Table, periods: Periods) -> dict[dt.date, tuple[float | None, int]]:
    table = csat(surveys, periods=periods)
    return {r["period_start"]: (r["mean_rating"], r["answers"]) for r in table.to_pylist()}

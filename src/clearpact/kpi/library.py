"""The KPI library: every KPI an agreement names, computed per period from the measured data and
judged against the agreement's own target, direction and period (:func:`compute_kpis`), and the
plain per-formula functions the report calls for trends and percentiles (re-exported here).

``docs/kpis.md`` defines every formula with its unit, direction, edge cases and public source.
A formula the data cannot support yields no number: ``value`` is None and ``note`` says why.
Pure domain logic: Arrow tables and the typed agreement in, values out; reads no files. Imports
the agreement model, the clock's table schemas and the other ``kpi`` modules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import cast

import pyarrow as pa

from clearpact.agreement.model import Agreement
from clearpact.agreement.slas import AvailabilitySla, Kpi, KpiTarget, TicketSla
from clearpact.clock.tables import INSTANT, StatusMeanings
from clearpact.kpi.attainment import Period, attainment
from clearpact.kpi.availability import agreement_availability
from clearpact.kpi.catalogue import FORMULAS
from clearpact.kpi.durations import business_durations, clock_sla, first_response_times, mttr
from clearpact.kpi.lifecycle import (
    backlog,
    backlog_age_buckets,
    first_contact_resolution,
    reopen_rate,
    ticket_lifecycles,
)
from clearpact.kpi.periods import Periods, period_months, period_start
from clearpact.kpi.satisfaction import csat
from clearpact.kpi.volume import covered_population, volume_per_user_device

__all__ = [
    "POOLED_AVAILABILITY",
    "KpiValue",
    "Periods",
    "availability_by_period",
    "backlog",
    "backlog_age_buckets",
    "business_durations",
    "clock_sla",
    "compute_kpis",
    "covered_population",
    "csat",
    "first_contact_resolution",
    "first_response_times",
    "mttr",
    "reopen_rate",
    "ticket_lifecycles",
    "volume_per_user_device",
]


@dataclass(frozen=True)
class KpiValue:
    """One KPI of the agreement in one period: its value, the agreement's target and direction,
    and whether it was met."""

    kpi: str  # the agreement's KPI id
    name: str
    formula: str  # the catalogue id; "" when the KPI names none
    period_start: dt.date  # first local day of the period (agreement's zone)
    value: float | None  # None when there is no data (the note says why)
    unit: str  # "percent" (0–100) | "duration" (seconds) | "number"
    target: float | None  # percent as 0–100, duration in seconds, number
    direction: str | None  # higher_is_better | lower_is_better
    met: bool | None  # None without a target, a direction or a value, or when not judged
    basis: int  # how many items it was computed over (tickets, clocks, answers, services)
    note: str | None  # why there is no value or no judgement; that the period is in progress


POOLED_AVAILABILITY = pa.schema(
    [
        pa.field("period_start", pa.date32(), nullable=False),
        pa.field("services", pa.int64(), nullable=False),  # service-periods measured
        pa.field("measured_seconds", pa.float64(), nullable=False),  # net of maintenance
        pa.field("downtime_seconds", pa.float64(), nullable=False),
        pa.field("availability", pa.float64()),  # percent; null when nothing was measured
    ]
)


def availability_by_period(
    agreement: Agreement,
    outages: pa.Table,
    checks: pa.Table,
    *,
    periods: Periods,
    sla: str | None = None,
) -> pa.Table:
    """Availability (percent) per period of ``periods``, pooled over the services of the
    agreement's availability SLAs (only ``sla`` when given): Σ(measured − downtime) / Σ measured,
    with each service measured by :func:`clearpact.kpi.availability.agreement_availability`
    (net of agreed maintenance, only where monitoring looked, in the SLA's own periods). A
    period no service was measured in has 0 services and a null availability.

    Raises ValueError when an SLA measures in longer periods than ``periods`` asks for (a
    quarter's maintenance allowance cannot be split into months).
    """
    table = agreement_availability(agreement, outages, checks, as_of=periods.as_of)
    for key, spec in agreement.slas.items():
        if not isinstance(spec, AvailabilitySla) or (sla is not None and key != sla):
            continue
        own = cast(Period, str(spec.period or "month"))
        if period_months(own) > period_months(periods.period):
            raise ValueError(
                f"SLA '{key}' measures availability per {own}; it has no {periods.period}ly value"
            )
    pooled: dict[dt.date, list[float]] = {s: [0, 0.0, 0.0] for s in periods.starts()}
    for row in table.to_pylist():
        if sla is not None and row["sla"] != sla:
            continue
        bucket = pooled.get(period_start(row["period"], periods.period))
        if bucket is None:
            continue
        bucket[0] += 1
        bucket[1] += row["period_seconds"] - row["excluded_seconds"]
        bucket[2] += row["downtime_seconds"]
    rows = [
        {
            "period_start": start,
            "services": int(services),
            "measured_seconds": measured,
            "downtime_seconds": down,
            "availability": 100 * (measured - down) / measured if measured else None,
        }
        for start, (services, measured, down) in pooled.items()
        if periods.begun(start)
    ]
    return pa.Table.from_pylist(rows, schema=POOLED_AVAILABILITY)


# -- compute_kpis ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Measure:
    """A formula's value in one period before judgement."""

    value: float | None
    basis: int
    note: str | None = None
    judge: bool = True  # False: reported, not judged (e.g. fewer tickets than the SLA's minimum)


Measures = dict[dt.date, _Measure]
Formula = Callable[["_Inputs", Kpi, Periods], Measures]


@dataclass
class _Inputs:
    """The tables compute_kpis was given, with the intermediate tables several KPIs share."""

    agreement: Agreement
    results: pa.Table
    tickets: pa.Table
    events: pa.Table
    surveys: pa.Table | None
    outages: pa.Table | None
    checks: pa.Table | None
    statuses: StatusMeanings | None
    beyond_first_contact: Collection[str]
    as_of: dt.datetime
    cache: dict[tuple[object, ...], pa.Table] = field(default_factory=dict)

    def lifecycles(self) -> pa.Table:
        return self.once(
            ("lifecycles",),
            lambda: ticket_lifecycles(
                self.tickets,
                self.events,
                as_of=self.as_of,
                statuses=self.statuses,
                beyond_first_contact=self.beyond_first_contact,
            ),
        )

    def once(self, key: tuple[object, ...], make: Callable[[], pa.Table]) -> pa.Table:
        if key not in self.cache:
            self.cache[key] = make()
        return self.cache[key]


def _rows(table: pa.Table) -> dict[dt.date, dict[str, object]]:
    return {row["period_start"]: row for row in table.to_pylist()}


def _attainment(inputs: _Inputs, kpi: Kpi, periods: Periods) -> Measures:
    if kpi.sla is None:
        return _everywhere(periods, "the KPI names no SLA (`sla:`) to take attainment of")
    sla = inputs.agreement.slas.get(kpi.sla)
    if not isinstance(sla, TicketSla):
        return _everywhere(periods, f"'{kpi.sla}' is not a ticket SLA of the agreement")
    rows = attainment(inputs.results, zone=periods.zone, period=periods.period).to_pylist()
    counts: dict[dt.date, list[int]] = {}
    for row in rows:
        if row["sla"] == kpi.sla and row["period_start"] is not None:
            pair = counts.setdefault(row["period_start"], [0, 0])
            pair[0] += row["met"]
            pair[1] += row["breached"]
    minimum = sla.attainment.minimum_tickets if sla.attainment is not None else None
    out: Measures = {}
    for start in periods.starts():
        met, breached = counts.get(start, [0, 0])
        judged = met + breached
        if judged == 0:
            out[start] = _Measure(None, 0, f"no clocks of SLA '{kpi.sla}' judged in the period")
        elif minimum is not None and judged < minimum:
            note = (
                f"{_count(judged, 'clock')}, fewer than the SLA's minimum of {minimum}: "
                "reported, not judged"
            )
            out[start] = _Measure(100 * met / judged, judged, note, judge=False)
        else:
            out[start] = _Measure(100 * met / judged, judged)
    return out


def _durations(metric: str, statistic: str) -> Formula:
    def measure(inputs: _Inputs, kpi: Kpi, periods: Periods) -> Measures:
        sla = clock_sla(inputs.agreement, metric, kpi.sla)
        if sla is None:
            named = f"'{kpi.sla}' is not a ticket SLA" if kpi.sla else f"no {metric} SLA"
            return _everywhere(periods, f"{named} in the agreement; name one with `sla:`")
        table = inputs.once(
            ("durations", sla, periods.period),
            lambda: business_durations(inputs.results, sla=sla, periods=periods),
        )
        out: Measures = {}
        for start, row in _rows(table).items():
            clocks = cast(int, row["clocks"])
            note = None if clocks else f"no clocks of SLA '{sla}' stopped in the period"
            out[start] = _Measure(cast(float | None, row[statistic]), clocks, note)
        return out

    return measure


def _lifecycle_rate(column: str, basis: str, empty: str) -> Formula:
    def measure(inputs: _Inputs, kpi: Kpi, periods: Periods) -> Measures:
        if column == "rate":
            table = reopen_rate(inputs.lifecycles(), periods=periods)
        else:
            table = first_contact_resolution(inputs.lifecycles(), periods=periods)
        out: Measures = {}
        for start, row in _rows(table).items():
            count = cast(int, row[basis])
            out[start] = _Measure(cast(float | None, row[column]), count, None if count else empty)
        return out

    return measure


def _backlog(column: str) -> Formula:
    def measure(inputs: _Inputs, kpi: Kpi, periods: Periods) -> Measures:
        table = inputs.once(
            ("backlog", periods.period),
            lambda: backlog_age_buckets(
                inputs.tickets, inputs.events, periods=periods, statuses=inputs.statuses
            ),
        )
        out: Measures = {}
        for start, row in _rows(table).items():
            examined = cast(int, row["examined"])
            note = None if examined else "no tickets created by the end of the period"
            out[start] = _Measure(float(cast(int, row[column])), examined, note)
        return out

    return measure


def _volume(column: str) -> Formula:
    noun = column.removeprefix("per_")

    def measure(inputs: _Inputs, kpi: Kpi, periods: Periods) -> Measures:
        covered = covered_population(inputs.agreement)
        count = covered.users if noun == "user" else covered.devices
        if not count:
            return _everywhere(
                periods,
                f"not yet supported: no covered-{noun} count in the agreement "
                f"(services.<id>.coverage.{noun}s)",
            )
        table = volume_per_user_device(
            inputs.tickets, periods=periods, users=covered.users, devices=covered.devices
        )
        return {
            start: _Measure(cast(float, row[column]), cast(int, row["tickets"]))
            for start, row in _rows(table).items()
        }

    return measure


def _csat(column: str) -> Formula:
    def measure(inputs: _Inputs, kpi: Kpi, periods: Periods) -> Measures:
        if inputs.surveys is None:
            return _everywhere(periods, "no survey data")
        surveys = inputs.surveys
        table = inputs.once(("csat", periods.period), lambda: csat(surveys, periods=periods))
        out: Measures = {}
        for start, row in _rows(table).items():
            answers, odd = cast(int, row["answers"]), cast(int, row["out_of_scale"])
            notes = [] if answers else ["no survey answers in the period"]
            if odd:
                notes.append(f"{_count(odd, 'rating')} outside 1–5 left out")
            out[start] = _Measure(
                cast(float | None, row[column]), answers, "; ".join(notes) or None
            )
        return out

    return measure


def _availability(inputs: _Inputs, kpi: Kpi, periods: Periods) -> Measures:
    if inputs.outages is None:
        return _everywhere(periods, "no outage data")
    if kpi.sla is not None and not isinstance(inputs.agreement.slas.get(kpi.sla), AvailabilitySla):
        return _everywhere(periods, f"'{kpi.sla}' is not an availability SLA of the agreement")
    # Without checks, when monitoring looked is known from the outages alone, as in `measure`
    # (an empty table of the two columns read; kpi does not import ingest).
    no_checks = pa.table({"service": pa.array([], pa.string()), "at": pa.array([], INSTANT)})
    checks = inputs.checks if inputs.checks is not None else no_checks
    caveat = "no checks given: measured only between the first outage and the last outage's end"
    try:
        table = availability_by_period(
            inputs.agreement, inputs.outages, checks, periods=periods, sla=kpi.sla
        )
    except ValueError as exc:
        return _everywhere(periods, f"not supported: {exc}")
    out: Measures = {}
    for start, row in _rows(table).items():
        services = cast(int, row["services"])
        note = None if services else "no monitoring data for the period"
        if services and inputs.checks is None:
            note = caveat
        out[start] = _Measure(cast(float | None, row["availability"]), services, note)
    return out


def _not_supported(what: str) -> Formula:
    def measure(inputs: _Inputs, kpi: Kpi, periods: Periods) -> Measures:
        return _everywhere(periods, f"not yet supported: no {what} data")

    return measure


def _count(n: int, noun: str) -> str:
    """``1 clock``, ``3 clocks``."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _everywhere(periods: Periods, note: str) -> Measures:
    return {start: _Measure(None, 0, note) for start in periods.starts()}


_FORMULAS: dict[str, Formula] = {
    "sla_attainment": _attainment,
    "first_response_time_mean": _durations("first_response", "mean_s"),
    "first_response_time_p90": _durations("first_response", "p90_s"),
    "mttr_mean": _durations("resolution", "mean_s"),
    "mttr_p90": _durations("resolution", "p90_s"),
    "first_contact_resolution_gross": _lifecycle_rate(
        "gross", "resolved", "no tickets resolved in the period"
    ),
    "first_contact_resolution_net": _lifecycle_rate(
        "net", "eligible", "no tickets resolved in the period that could be at first contact"
    ),
    "reopen_rate": _lifecycle_rate("rate", "resolved", "no tickets resolved in the period"),
    "backlog_count": _backlog("open"),
    "backlog_over_30d": _backlog("over_30d"),
    "tickets_per_user": _volume("per_user"),
    "tickets_per_device": _volume("per_device"),
    "csat_mean": _csat("mean_rating"),
    "csat_satisfied_share": _csat("satisfied_percent"),
    "availability": _availability,
    "patch_compliance": _not_supported("patch"),
    "backup_success_rate": _not_supported("backup job"),
}


def compute_kpis(
    agreement: Agreement,
    *,
    results: pa.Table,
    tickets: pa.Table,
    events: pa.Table,
    surveys: pa.Table | None = None,
    outages: pa.Table | None = None,
    checks: pa.Table | None = None,
    period: Period = "month",
    first: dt.date,
    last: dt.date,
    as_of: dt.datetime,
    statuses: StatusMeanings | None = None,
    beyond_first_contact: Collection[str] | None = None,
) -> list[KpiValue]:
    """One :class:`KpiValue` per KPI of ``agreement.kpis`` (in the agreement's order) per period
    from the one holding ``first`` to the one holding ``last``, in ``agreement.home_zone``.

    Each KPI is computed over its own ``period`` when it states one, else over ``period``; its
    ``target`` and ``direction`` are the agreement's, and ``met`` is judged only when both are
    stated, the target has the formula's unit and there is a value (``value ≥ target`` when
    higher is better, ``value ≤ target`` when lower is). ``results`` are the clock's result rows
    (``clearpact.clock.compute``) for the same tickets; ``tickets`` and ``events`` the canonical
    tables; ``surveys``, ``outages`` and ``checks`` optional (without them the KPIs that need
    them have no value). ``as_of`` (aware) is "now": later data is ignored, a period that
    begins after it has no value, and the period that holds it is noted as in progress.
    ``statuses`` names the resolved and closed statuses (the clock's default without it);
    ``beyond_first_contact`` the statuses that show a ticket could not be resolved at first
    contact — by default every ``pause_statuses`` entry of the agreement's ticket SLAs (waiting
    on the customer, a vendor, a visit: the provider could not finish in one contact).
    """
    if beyond_first_contact is None:
        beyond_first_contact = sorted(
            {
                s
                for sla in agreement.slas.values()
                if isinstance(sla, TicketSla)
                for s in sla.pause_statuses
            }
        )
    inputs = _Inputs(
        agreement=agreement,
        results=results,
        tickets=tickets,
        events=events,
        surveys=surveys,
        outages=outages,
        checks=checks,
        statuses=statuses,
        beyond_first_contact=beyond_first_contact,
        as_of=as_of,
    )
    values: list[KpiValue] = []
    for key, kpi in agreement.kpis.items():
        own = cast(Period, str(kpi.period)) if kpi.period is not None else period
        periods = Periods(agreement.home_zone, own, first, last, as_of)
        formula = FORMULAS.get(kpi.formula or "")
        if kpi.formula is None:
            measures = _everywhere(periods, "the KPI names no formula")
        elif formula is None:
            note = f"unknown formula '{kpi.formula}' (`clearpact lint --list-kpis` lists them)"
            measures = _everywhere(periods, note)
        else:
            measures = _FORMULAS[formula.id](inputs, kpi, periods)
        unit = formula.unit if formula else (kpi.target.kind if kpi.target else "number")
        for start in periods.starts():
            values.append(_value(key, kpi, unit, start, periods, measures.get(start)))
    return values


def _value(
    key: str, kpi: Kpi, unit: str, start: dt.date, periods: Periods, measure: _Measure | None
) -> KpiValue:
    """The KpiValue of one period: the measure, judged against the KPI's target."""
    opens, closes = periods.bounds(start)
    if opens > periods.as_of:
        measure = _Measure(None, 0, "the period begins after as_of")
    elif measure is None:
        measure = _Measure(None, 0, "no data for the period")
    notes = [measure.note] if measure.note else []
    met, why = (
        _judge(measure.value, kpi.target, kpi.direction, unit) if measure.judge else (None, None)
    )
    if why:
        notes.append(why)
    if opens <= periods.as_of < closes:
        notes.append(f"period in progress: measured up to {periods.as_of.isoformat()}")
    return KpiValue(
        kpi=key,
        name=kpi.name,
        formula=kpi.formula or "",
        period_start=start,
        value=measure.value,
        unit=unit,
        target=kpi.target.value if kpi.target is not None else None,
        direction=str(kpi.direction) if kpi.direction is not None else None,
        met=met,
        basis=measure.basis,
        note="; ".join(notes) or None,
    )


def _judge(
    value: float | None, target: KpiTarget | None, direction: object, unit: str
) -> tuple[bool | None, str | None]:
    """Whether ``value`` meets ``target`` in ``direction``; None (with the reason when it is the
    agreement's) when it cannot be judged.

    >>> _judge(96.0, KpiTarget("percent", 95.0, "95%"), "higher_is_better", "percent")
    (True, None)
    >>> _judge(7200.0, KpiTarget("duration", 3600.0, "1h"), "lower_is_better", "duration")
    (False, None)
    >>> _judge(7200.0, KpiTarget("percent", 5.0, "5%"), "lower_is_better", "duration")
    (None, "target '5%' is a percent, but the formula yields a duration: not judged")
    """
    if value is None or target is None:
        return None, None
    if direction is None:
        return None, "no direction stated: not judged"
    if target.kind != unit:
        return (
            None,
            f"target '{target}' is a {target.kind}, but the formula yields a {unit}: not judged",
        )
    if str(direction) == "higher_is_better":
        return value >= target.value, None
    return value <= target.value, None

"""Customer health and churn risk, explained: a 0–100 score from weighted groups of monthly
signals (service quality, responsiveness, satisfaction, governance, expectation gaps,
commercial), its band and trend, what each group and signal contributed, which inputs were
missing and where their weight went, the worst driver and a recommended action.

Pure: monthly signals in (:class:`CustomerSignals`; ``clearpact.report.data.signals_from_store``
measures them from a store), a :class:`Health` out. The weights and thresholds are a
:class:`~clearpact.governance.health_profile.HealthProfile`; ``docs/health.md`` has the
arithmetic. The score is a heuristic: how well it predicts real churn is unproven.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from clearpact.durations import add_months
from clearpact.governance.health_profile import SIGNALS, HealthProfile, default_profile
from clearpact.governance.obligations import PROBLEMS, Kind, ObligationStatus

BANDS = ("healthy", "watch", "at_risk")


@dataclass(frozen=True)
class MonthSignals:
    """What was measured for one customer in one calendar month (agreement's zone).

    Durations are business seconds as the SLA clocks count them; ``None`` means not measured
    (no clocks stopped, no answers, no register). The governance and gap counts are as they
    stood at the month's end.
    """

    month: dt.date  # first day of the month
    judged: int = 0  # ticket-SLA clocks judged in the month (met + breached)
    breached: int = 0
    first_year: bool = False  # the month lies in the first year of the contract
    attainment: float | None = None  # percent of judged clocks that met their target
    slas_missed: tuple[str, ...] = ()  # ticket SLAs whose attainment missed their target
    first_response_s: float | None = None  # mean of the month's stopped first-response clocks
    first_response_clocks: int = 0
    resolution_s: float | None = None  # mean of the month's stopped resolution clocks
    resolution_clocks: int = 0
    csat_mean: float | None = None  # 1–5
    csat_answers: int = 0
    overdue_obligations: int | None = None  # from a governance register; None: none kept
    skipped_meetings: int | None = None
    unanswered_escalations: int | None = None
    open_gaps: int | None = None  # expectation gaps found in e-mails; None: not looked for


@dataclass(frozen=True)
class CustomerSignals:
    """One customer's months (oldest first) and the contract dates health needs."""

    customer: str
    months: tuple[MonthSignals, ...]
    term_start: dt.date | None = None
    decisions: tuple[dt.date, ...] = ()
    """Renewal decision dates (the last day notice can be given), ascending."""


@dataclass(frozen=True)
class SignalScore:
    """One signal: its raw value, its 0–1 score and what it did to the total. ``share`` is its
    weight in the total after redistribution (the shares of present signals add up to 1);
    ``points`` = 100 × share × score, ``lost`` = 100 × share × (1 − score)."""

    group: str
    name: str
    raw: float | None
    score: float | None
    weight: float  # the profile's weight within the group
    share: float
    points: float
    lost: float
    detail: str  # how the raw value was computed, or why it is missing

    @property
    def missing(self) -> bool:
        return self.score is None


@dataclass(frozen=True)
class GroupScore:
    """One group: its profile weight, its share of the total after redistribution, its 0–1
    score (the share-weighted mean of its present signals) and its signals."""

    name: str
    weight: float
    share: float
    score: float | None
    points: float
    lost: float
    signals: tuple[SignalScore, ...]

    @property
    def missing(self) -> bool:
        return self.score is None


@dataclass(frozen=True)
class Health:
    """A customer's health as of a date, with its explanation."""

    customer: str
    as_of: dt.date
    months: int  # complete months it was computed from
    score: float | None  # 0–100; None when no signal could be computed
    band: str  # healthy | watch | at_risk | unknown
    previous: float | None  # the score one month earlier
    trend: str  # improving | declining | steady | new
    groups: tuple[GroupScore, ...]
    redistributed: tuple[str, ...]  # each missing input and where its weight went
    worst: SignalScore | None
    action: str
    profile: str
    notes: tuple[str, ...] = field(default=())

    @property
    def missing(self) -> tuple[str, ...]:
        """Every missing signal as ``group.signal``."""
        return tuple(f"{s.group}.{s.name}" for g in self.groups for s in g.signals if s.missing)


# -- the raw signals ---------------------------------------------------------------------------

Raw = tuple[float | None, str]


class _Window:
    """The complete months health looks at, split into the recent window and own history."""

    def __init__(self, months: Sequence[MonthSignals], profile: HealthProfile):
        self.all = list(months)[-profile.history_months :]
        self.recent = self.all[-profile.recent_months :]
        self.history = self.all[: -profile.recent_months] if len(self.all) > 1 else []
        self.profile = profile

    def weighted_breaches(self, m: MonthSignals) -> float:
        return m.breached * (self.profile.first_year_factor if m.first_year else 1.0)


def _breach_rate(months: list[MonthSignals], w: _Window, label: str) -> Raw:
    judged = sum(m.judged for m in months)
    if not judged:
        return None, f"no clocks judged in the {label}"
    breached = sum(w.weighted_breaches(m) for m in months)
    first = sum(m.breached for m in months if m.first_year)
    note = f" ({first} in the first contract year counted ×{w.profile.first_year_factor:g})"
    return breached / judged, (
        f"{breached:g} weighted breaches / {judged} clocks judged in the {label}"
        + (note if first else "")
    )


def _recent_breach_rate(w: _Window, m: MonthSignals | None) -> Raw:
    return _breach_rate(w.recent, w, f"last {len(w.recent)} month(s)")


def _average_breach_rate(w: _Window, m: MonthSignals | None) -> Raw:
    return _breach_rate(w.all, w, f"last {len(w.all)} month(s)")


def _peak_breach_rate(w: _Window, m: MonthSignals | None) -> Raw:
    counted = [x for x in w.all if x.judged >= w.profile.min_judged]
    if not counted:
        return None, f"no month with at least {w.profile.min_judged} clocks judged"
    worst = max(counted, key=lambda x: w.weighted_breaches(x) / x.judged)
    rate = w.weighted_breaches(worst) / worst.judged
    return rate, f"{worst.month:%Y-%m}: {w.weighted_breaches(worst):g} / {worst.judged} clocks"


def _mean(months: list[MonthSignals], value: str, count: str) -> tuple[float | None, int]:
    """The count-weighted mean of a monthly mean, and the count."""
    pairs = [(getattr(m, value), getattr(m, count)) for m in months]
    pairs = [(v, n) for v, n in pairs if v is not None and n]
    total = sum(n for _, n in pairs)
    return (sum(v * n for v, n in pairs) / total if total else None), total


def _duration_trend(value: str, count: str, noun: str) -> Callable[[_Window, object], Raw]:
    def measure(w: _Window, m: object) -> Raw:
        recent, n = _mean(w.recent, value, count)
        history = [getattr(x, value) for x in w.history if getattr(x, value) is not None]
        if recent is None:
            return None, f"no {noun} clocks stopped in the recent window"
        if len(history) < w.profile.min_history_months:
            return None, (
                f"{len(history)} month(s) of own history, fewer than the "
                f"{w.profile.min_history_months} a trend needs"
            )
        usual = statistics.median(history)
        if usual <= 0:
            return None, f"the usual {noun} time is zero"
        return recent / usual, (
            f"recent mean {recent / 3600:.1f} h ({n} clocks) / usual {usual / 3600:.1f} h "
            f"(median of {len(history)} earlier months)"
        )

    return measure


def _csat_level(w: _Window, m: object) -> Raw:
    mean, n = _mean(w.recent, "csat_mean", "csat_answers")
    if mean is None or n < w.profile.min_answers:
        return None, f"{n} answer(s) in the recent window, fewer than {w.profile.min_answers}"
    return mean, f"mean of {n} answers in the last {len(w.recent)} month(s)"


def _csat_trend(w: _Window, m: object) -> Raw:
    recent, n = _mean(w.recent, "csat_mean", "csat_answers")
    before, k = _mean(w.history, "csat_mean", "csat_answers")
    need = w.profile.min_answers
    if recent is None or before is None or n < need or k < need:
        return None, f"{n} recent and {k} earlier answers; a trend needs {need} of each"
    return recent - before, f"recent mean {recent:.2f} ({n}) − earlier mean {before:.2f} ({k})"


def _latest(name: str, noun: str) -> Callable[[_Window, MonthSignals | None], Raw]:
    def measure(w: _Window, m: MonthSignals | None) -> Raw:
        value = None if m is None else getattr(m, name)
        if value is None:
            return None, f"no {noun} given"
        return float(value), f"{value} at the end of {m.month:%Y-%m}" if m else ""

    return measure


_MEASURES: dict[str, Callable[[_Window, MonthSignals | None], Raw]] = {
    "recent_breach_rate": _recent_breach_rate,
    "peak_breach_rate": _peak_breach_rate,
    "average_breach_rate": _average_breach_rate,
    "first_response_trend": _duration_trend("first_response_s", "first_response_clocks", "first-response"),
    "resolution_trend": _duration_trend("resolution_s", "resolution_clocks", "resolution"),
    "csat_level": _csat_level,
    "csat_trend": _csat_trend,
    "overdue_obligations": _latest("overdue_obligations", "obligations register"),
    "skipped_meetings": _latest("skipped_meetings", "meeting register"),
    "unanswered_escalations": _latest("unanswered_escalations", "escalation register"),
    "open_gaps": _latest("open_gaps", "expectation-gap count (clearpact gaps)"),
}  # fmt: skip


def _commercial(signals: CustomerSignals, name: str, as_of: dt.date) -> Raw:
    if name == "renewal_proximity":
        ahead = [d for d in signals.decisions if d >= as_of]
        if not ahead:
            return None, "no renewal decision date (the agreement states no term end)"
        return float((ahead[0] - as_of).days), f"notice due by {ahead[0]}"
    if signals.term_start is None:
        return None, "no term start in the agreement"
    months = (as_of - signals.term_start).days / (365.25 / 12)
    return months, f"term started {signals.term_start}"


# -- the score ---------------------------------------------------------------------------------


def health(
    signals: CustomerSignals,
    *,
    profile: HealthProfile | None = None,
    as_of: dt.date,
) -> Health:
    """The customer's health from the months that ended by ``as_of`` (a month counts once its
    last day is before ``as_of``), with the score of one month earlier for the trend.

    Each signal is scored 0–1 between the profile's ``bad`` and ``good``; a group's score is the
    weighted mean of its present signals, the total 100 × the weighted mean of the present
    groups. A missing signal's weight goes to the other signals of its group, a missing group's
    to the other groups, in proportion to their weights (``redistributed`` says so).
    """
    profile = profile or default_profile()
    current = _score(signals, profile, as_of)
    earlier = _score(signals, profile, add_months(as_of, -1))
    previous = earlier.score if earlier.months else None
    if current.score is None or previous is None:
        trend = "new"
    elif abs(current.score - previous) <= profile.steady_within:
        trend = "steady"
    else:
        trend = "improving" if current.score > previous else "declining"
    return Health(
        customer=current.customer,
        as_of=as_of,
        months=current.months,
        score=current.score,
        band=current.band,
        previous=previous,
        trend=trend,
        groups=current.groups,
        redistributed=current.redistributed,
        worst=current.worst,
        action=current.action,
        profile=profile.name,
        notes=current.notes,
    )


def band_of(score: float | None, profile: HealthProfile) -> str:
    """``healthy``, ``watch``, ``at_risk`` (or ``unknown`` without a score).

    >>> band_of(69.9, default_profile()), band_of(70, default_profile())
    ('watch', 'healthy')
    """
    if score is None:
        return "unknown"
    if score >= profile.bands.healthy:
        return "healthy"
    return "watch" if score >= profile.bands.watch else "at_risk"


def _score(signals: CustomerSignals, profile: HealthProfile, as_of: dt.date) -> Health:
    done = [m for m in signals.months if add_months(m.month, 1) <= as_of]
    window = _Window(done, profile)
    latest = done[-1] if done else None
    raw: dict[str, dict[str, tuple[float | None, float | None, str]]] = {}
    for group, names in SIGNALS.items():
        for name in names:
            spec = profile.signal(group, name)
            if spec is None or spec.weight == 0:
                continue
            if group == "commercial":
                value, detail = _commercial(signals, name, as_of)
            elif not done:
                value, detail = None, "no complete month of data"
            else:
                value, detail = _MEASURES[name](window, latest)
            score = None if value is None else spec.normalise(value)
            raw.setdefault(group, {})[name] = (value, score, detail)
    present_groups = {
        g: profile.groups[g].weight
        for g, found in raw.items()
        if profile.groups[g].weight > 0 and any(s is not None for _, s, _ in found.values())
    }
    total = sum(present_groups.values())
    groups: list[GroupScore] = []
    moved: list[str] = []
    for group in SIGNALS:
        if group not in raw:
            continue
        gspec = profile.groups[group]
        found = raw[group]
        inner = {n: gspec.signals[n].weight for n, (_, s, _) in found.items() if s is not None}
        inner_total = sum(inner.values())
        gshare = present_groups.get(group, 0.0) / total if total else 0.0
        scores = []
        for name, (value, score, detail) in found.items():
            share = gshare * inner[name] / inner_total if name in inner and inner_total else 0.0
            points = 100 * share * score if score is not None else 0.0
            lost = 100 * share * (1 - score) if score is not None else 0.0
            weight = gspec.signals[name].weight
            scores.append(
                SignalScore(group, name, value, score, weight, share, points, lost, detail)
            )
        gscore = (
            sum(inner[s.name] * (s.score or 0.0) for s in scores if s.name in inner) / inner_total
            if inner_total
            else None
        )
        groups.append(
            GroupScore(
                group,
                gspec.weight,
                gshare,
                gscore,
                sum(s.points for s in scores),
                sum(s.lost for s in scores),
                tuple(scores),
            )
        )
        missing = [s.name for s in scores if s.missing]
        if gscore is None and gspec.weight > 0:
            moved.append(
                f"{group} (weight {gspec.weight:g}) missing: its weight is shared among the "
                "other groups in proportion to their weights"
            )
        elif missing and inner_total:
            keep = ", ".join(sorted(inner))
            moved.append(
                f"{group}: {', '.join(missing)} missing; the group's weight goes to {keep}"
            )
    score = 100 * sum(g.share * (g.score or 0.0) for g in groups) if total else None
    if moved and total:
        shares = ", ".join(
            f"{g.name} {g.weight:g} → {100 * g.share:.1f}%" for g in groups if g.share
        )
        moved.append(f"group shares after redistribution: {shares}")
    present = [s for g in groups for s in g.signals if not s.missing]
    worst = max(present, key=lambda s: s.lost, default=None)
    if worst is None or worst.lost < 0.05:
        action = "No action: every signal is at its healthy level; keep the governance rhythm."
        if worst is None:
            action = "No signal could be measured: import tickets and surveys first."
        worst = None
    else:
        spec_action = profile.signal(worst.group, worst.name)
        action = spec_action.action if spec_action else ""
    notes: tuple[str, ...] = ()
    if done and len(done) < profile.recent_months:
        notes = (f"only {len(done)} complete month(s): the recent window is short",)
    return Health(
        customer=signals.customer,
        as_of=as_of,
        months=len(window.all),
        score=score,
        band=band_of(score, profile),
        previous=None,
        trend="new",
        groups=tuple(groups),
        redistributed=tuple(moved),
        worst=worst,
        action=action,
        profile=profile.name,
        notes=notes,
    )


def with_governance(
    signals: CustomerSignals, statuses: Sequence[ObligationStatus]
) -> CustomerSignals:
    """``signals`` with each month's governance counts from the register's judged obligations:
    obligations due in the month that ended overdue, failed or never evidenced (meetings among
    them counted again as skipped, escalations as unanswered). Months get counts of 0 when the
    register holds nothing wrong for them, so governance stops being a missing input.

    >>> import datetime as dt
    >>> from clearpact.governance.obligations import Kind, ObligationStatus, State
    >>> months = (MonthSignals(dt.date(2026, 9, 1)), MonthSignals(dt.date(2026, 10, 1)))
    >>> late = ObligationStatus(Kind.MEETING, "Monthly review", "governance.meetings[0]",
    ...                         State.OVERDUE, dt.date(2026, 10, 31))
    >>> marked = with_governance(CustomerSignals("C", months), [late]).months
    >>> [(m.overdue_obligations, m.skipped_meetings) for m in marked]
    [(0, 0), (1, 1)]
    """
    months = []
    for month in signals.months:
        end = (month.month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        wrong = [
            s
            for s in statuses
            if s.state in PROBLEMS and s.due is not None and month.month <= s.due < end
        ]
        months.append(
            replace(
                month,
                overdue_obligations=len(wrong),
                skipped_meetings=sum(s.kind is Kind.MEETING for s in wrong),
                unanswered_escalations=sum(s.kind is Kind.ESCALATION for s in wrong),
            )
        )
    return replace(signals, months=tuple(months))

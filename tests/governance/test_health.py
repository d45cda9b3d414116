"""The health score: its arithmetic worked by hand (profile weights × signals normalised between
``bad`` and ``good``), the redistribution of missing inputs, the explanation, bands, trend,
profile overrides; the demo's planted churn and the ``health`` command."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clearpact.cli import app
from clearpact.demo import DemoManifest, generate_demo
from clearpact.governance.health import CustomerSignals, MonthSignals, band_of, health
from clearpact.governance.health_profile import ProfileError, default_profile, load_profile
from clearpact.governance.health_signals import renewal_decisions
from clearpact.governance.health_view import health_html, health_view

AS_OF = dt.date(2026, 4, 1)


def month(day: str, **values: object) -> MonthSignals:
    return MonthSignals(month=dt.date.fromisoformat(day), **values)  # type: ignore[arg-type]


@pytest.fixture
def signals() -> CustomerSignals:
    """Three months, each 100 clocks judged and 10 breached, CSAT 4.0 from 10 answers; one
    overdue obligation at the end of March (none at the end of February); no durations, no
    gaps, no contract dates."""
    common = {"judged": 100, "breached": 10, "csat_mean": 4.0, "csat_answers": 10}
    return CustomerSignals(
        "acme",
        (
            month("2026-01-01", **common),
            month("2026-02-01", **common, overdue_obligations=0),
            month("2026-03-01", **common, overdue_obligations=1),
        ),
    )


def test_the_score_is_the_weighted_mean_of_normalised_signals(signals: CustomerSignals) -> None:
    result = health(signals, as_of=AS_OF)
    groups = {g.name: g for g in result.groups}
    # service quality: recent rate 30/300 = 0.10 → (0.30-0.10)/(0.30-0.05) = 0.8;
    # peak 0.10 → (0.45-0.10)/(0.45-0.10) = 1.0; average 0.10 → (0.25-0.10)/(0.25-0.05) = 0.75;
    # group = (45×0.8 + 35×1.0 + 20×0.75) / 100 = 0.86
    assert groups["service_quality"].score == pytest.approx(0.86)
    # satisfaction: level 4.0 → (3.5-4.0)/(3.5-4.5) = 0.5; the trend has no history
    assert groups["satisfaction"].score == pytest.approx(0.5)
    # governance: 1 overdue → (3-1)/(3-0) = 2/3; meetings and escalations not given
    assert groups["governance"].score == pytest.approx(2 / 3)
    # present groups weigh 30 + 20 + 15 = 65: 100 × (30×0.86 + 20×0.5 + 15×2/3) / 65 = 70.46
    assert result.score == pytest.approx(100 * (30 * 0.86 + 20 * 0.5 + 15 * 2 / 3) / 65)
    assert result.score == pytest.approx(70.4615, abs=1e-4)
    assert result.band == "healthy"
    assert sum(g.points for g in result.groups) == pytest.approx(result.score)
    assert sum(s.share for g in result.groups for s in g.signals) == pytest.approx(1.0)


def test_missing_inputs_give_their_weight_to_the_others_and_say_so(
    signals: CustomerSignals,
) -> None:
    result = health(signals, as_of=AS_OF)
    groups = {g.name: g for g in result.groups}
    assert groups["responsiveness"].missing
    assert groups["responsiveness"].share == 0
    assert groups["service_quality"].share == pytest.approx(30 / 65)  # 46.2%
    assert groups["governance"].share == pytest.approx(15 / 65)
    # within governance, overdue obligations carries the whole group's share
    overdue = next(s for s in groups["governance"].signals if s.name == "overdue_obligations")
    assert overdue.share == pytest.approx(15 / 65)
    assert "governance.skipped_meetings" in result.missing
    assert "expectation_gaps.open_gaps" in result.missing
    assert "commercial.renewal_proximity" in result.missing
    text = "\n".join(result.redistributed)
    assert "responsiveness (weight 15) missing" in text
    assert "expectation_gaps (weight 10) missing" in text
    assert "satisfaction: csat_trend missing; the group's weight goes to csat_level" in text
    assert "service_quality 30 → 46.2%" in text


def test_the_worst_driver_loses_the_most_points_and_brings_its_action(
    signals: CustomerSignals,
) -> None:
    result = health(signals, as_of=AS_OF)
    # lost points: csat_level 100 × 20/65 × (1-0.5) = 15.4; overdue 100 × 15/65 × 1/3 = 7.7;
    # recent breaches 100 × 30/65 × 0.45 × 0.2 = 4.2
    assert result.worst is not None
    assert (result.worst.group, result.worst.name) == ("satisfaction", "csat_level")
    assert result.worst.lost == pytest.approx(100 * 20 / 65 * 0.5)
    spec = default_profile().signal("satisfaction", "csat_level")
    assert spec is not None
    assert result.action == spec.action


def test_the_trend_compares_with_the_score_a_month_earlier(signals: CustomerSignals) -> None:
    result = health(signals, as_of=AS_OF)
    # as of 1 March: January and February; no overdue obligation then → governance scores 1:
    # 100 × (30×0.86 + 20×0.5 + 15×1) / 65 = 78.15
    assert result.previous == pytest.approx(100 * (30 * 0.86 + 20 * 0.5 + 15) / 65)
    assert result.trend == "declining"


def test_breaches_in_the_first_contract_year_weigh_more() -> None:
    months = tuple(
        month(f"2026-0{i}-01", judged=100, breached=10, first_year=True) for i in (1, 2, 3)
    )
    result = health(CustomerSignals("acme", months), as_of=AS_OF)
    recent = next(s for s in result.groups[0].signals if s.name == "recent_breach_rate")
    # 30 breaches × 1.5 / 300 clocks = 0.15 → (0.30-0.15)/0.25 = 0.6
    assert recent.raw == pytest.approx(0.15)
    assert recent.score == pytest.approx(0.6)


def test_bands_follow_the_profile_thresholds() -> None:
    profile = default_profile()
    assert [band_of(s, profile) for s in (70, 69.9, 50, 49.9, None)] == [
        "healthy",
        "watch",
        "watch",
        "at_risk",
        "unknown",
    ]


def test_a_profile_overrides_the_default_key_by_key(signals: CustomerSignals) -> None:
    stricter = load_profile("name: strict\nbands: {healthy: 75, watch: 60}\n", "strict.yaml")
    assert stricter.groups == default_profile().groups  # only the bands changed
    result = health(signals, profile=stricter, as_of=AS_OF)
    assert result.band == "watch"
    assert result.profile == "strict"
    no_csat = load_profile("groups: {satisfaction: {weight: 0}}")
    # 100 × (30×0.86 + 15×2/3) / 45 = 79.56
    assert health(signals, profile=no_csat, as_of=AS_OF).score == pytest.approx(
        100 * (30 * 0.86 + 15 * 2 / 3) / 45
    )


def test_a_profile_with_an_unknown_signal_is_refused_with_its_key() -> None:
    with pytest.raises(ProfileError, match=r"unknown signal 'satisfaction\.nps'"):
        load_profile(
            "groups: {satisfaction: {signals: {nps: {weight: 1, good: 50, bad: 0, action: x}}}}"
        )
    with pytest.raises(ProfileError, match=r"bands\.healthy"):
        load_profile("bands: {healthy: high}")


def test_without_any_data_there_is_no_score() -> None:
    result = health(CustomerSignals("acme", ()), as_of=AS_OF)
    assert (result.score, result.band, result.worst) == (None, "unknown", None)
    assert result.action.startswith("No signal could be measured")


def test_contract_signals_come_from_the_term(signals: CustomerSignals) -> None:
    dated = CustomerSignals(
        "acme",
        signals.months,
        term_start=dt.date(2025, 4, 1),
        decisions=(dt.date(2026, 3, 1), dt.date(2026, 6, 30)),
    )
    commercial = next(g for g in health(dated, as_of=AS_OF).groups if g.name == "commercial")
    proximity, age = commercial.signals
    # the next decision after 1 April is 30 June: 90 days → (30-90)/(30-180) = 0.4
    assert proximity.raw == 90
    assert proximity.score == pytest.approx(0.4)
    # 365 days = 11.99 months → (6-11.99)/(6-24) = 0.333
    assert age.score == pytest.approx((6 - 365 / (365.25 / 12)) / (6 - 24))


def test_renewal_decisions_follow_notice_and_automatic_renewal() -> None:
    from clearpact.agreement.model import Term

    term = Term.model_validate(
        {"start": "2025-12-01", "end": "2026-11-30", "notice_period": "90d",
         "renewal": {"type": "automatic", "period": "1y"}}
    )  # fmt: skip
    # 2026-11-30 − 90 days = 2026-09-01; the renewal runs to 2027-11-30 → 2027-09-01
    assert renewal_decisions(term, dt.date(2027, 12, 31)) == (
        dt.date(2026, 9, 1),
        dt.date(2027, 9, 1),
    )


def test_the_view_and_html_show_score_driver_action_and_caveat(
    signals: CustomerSignals,
) -> None:
    result = health(signals, as_of=AS_OF)
    view = health_view(result)
    assert view["score"] == 70.5
    assert view["band"] == "healthy"
    assert view["worst_driver"] == {
        "group": "satisfaction",
        "signal": "csat_level",
        "lost_points": 15.4,
    }
    assert "unproven" in view["caveat"]
    json.dumps(view)
    html = health_html(result)
    assert html.startswith('<section class="health health-healthy">')
    assert "Recommended action:" in html
    assert "unproven" in html


# -- the demo's planted churn, and the command ---------------------------------------------------


@pytest.fixture(scope="module")
def churn_demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoManifest]:
    out = tmp_path_factory.mktemp("churn")
    return out, generate_demo(out, seed=4, scale=0.05, months=8, churn=True)


def test_the_demo_plants_a_churner_and_a_bad_month_only_when_asked(
    churn_demo: tuple[Path, DemoManifest], tmp_path: Path
) -> None:
    out, manifest = churn_demo
    kinds = {s.kind: s for s in manifest.stories}
    assert set(kinds) == {"churn", "bad_month"}
    churner = manifest.customer(kinds["churn"].customer)
    assert churner.churned_on == kinds["churn"].churned_on
    assert kinds["churn"].begins < kinds["churn"].churned_on < manifest.end
    assert sum(c.churned_on is not None for c in manifest.customers) == 1
    assert DemoManifest.from_json((out / "manifest.json").read_text(encoding="utf-8")) == manifest
    plain = generate_demo(tmp_path, seed=4, scale=0.05, months=8)
    assert plain.stories == ()
    assert all(c.churned_on is None for c in plain.customers)


def test_the_health_command_prints_json_with_the_explanation(
    churn_demo: tuple[Path, DemoManifest],
) -> None:
    out, manifest = churn_demo
    truth = manifest.customers[0]
    args = ["health", str(out / truth.agreement), "--data", str(out / "truth" / truth.slug),
            "--as-of", manifest.end, "--format", "json"]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    view = json.loads(result.output)
    assert view["band"] in ("healthy", "watch", "at_risk")
    assert "governance.overdue_obligations" in view["missing"]
    text = CliRunner().invoke(app, args[:-2])
    assert text.exit_code == 0
    assert "Action:" in text.output


def test_the_health_command_refuses_a_bad_profile(
    churn_demo: tuple[Path, DemoManifest], tmp_path: Path
) -> None:
    out, manifest = churn_demo
    truth = manifest.customers[0]
    bad = tmp_path / "bad.yaml"
    bad.write_text("groups: {nonsense: {weight: 1}}\n", encoding="utf-8")
    result = CliRunner().invoke(
        app,
        ["health", str(out / truth.agreement), "--data", str(out / "truth" / truth.slug),
         "--profile", str(bad)],
    )  # fmt: skip
    assert result.exit_code == 2

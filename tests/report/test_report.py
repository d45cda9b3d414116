"""The service report: a small store worked by hand, every number in the HTML recounted from
evidence.csv, the PDF's pages rendered, and the periods."""

from __future__ import annotations

import csv
import datetime as dt
import statistics
from html.parser import HTMLParser
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from typer.testing import CliRunner

from clearpact.agreement.loader import load
from clearpact.cli import app
from clearpact.ingest.importer import import_export
from clearpact.ingest.profile import read_profile
from clearpact.ingest.store import write_store
from clearpact.report.data import ReportData, gather
from clearpact.report.period import PeriodError, ReportPeriod
from clearpact.report.render import write_report

AGREEMENT = """\
version: clearpact/v1
id: report-test
title: Report test agreement
parties:
  provider: {name: Provider Ltd}
  customer: {name: Customer plc}
term: {start: 2026-01-01, end: 2027-12-31}
definitions:
  Resolution: The ticket's status becomes Done.
priorities:
  levels:
    P1: {name: Critical, definition: Everyone is down.}
    P2: {name: High, definition: One team is down.}
calendars:
  always: {timezone: UTC, hours: "24x7"}
slas:
  resolution:
    metric: resolution
    description: Every ticket is resolved within the target.
    start: created
    stop: resolved
    pause_statuses: [Waiting]
    calendar: always
    targets: {P1: 4h, P2: 8h}
    attainment: {target: 90%, period: month}
kpis:
  fix-rate:
    name: Resolution attainment
    formula: sla_attainment
    sla: resolution
    target: 90%
    direction: higher_is_better
    period: month
  mttr:
    name: Mean time to resolve
    formula: mttr_mean
    target: 5h
    direction: lower_is_better
    period: month
  mttr-p90:
    name: MTTR, 90th percentile
    formula: mttr_p90
    period: month
commercials: {currency: EUR, monthly_fee: 1000}
service_credits:
  tiers:
    - {sla: resolution, below: 90%, credit: 5%}
    - {sla: resolution, below: 50%, credit: 10%}
  cap: 15%
  claim_window: 30d
governance:
  meetings:
    - {name: Monthly review, level: operational, cadence: monthly}
"""

PROFILE = """\
version: clearpact-profile/v1
name: desk
tool: A desk's CSV export
reader: table
timezone: UTC
statuses: {Open: running, Waiting: paused, Done: resolved}
priorities: {P1: P1, P2: P2}
tables:
  tickets:
    file: tickets.csv
    columns: {ticket_id: Id, created_at: Opened, priority: Prio, status: State, customer: Client}
  audit:
    - file: history.csv
      columns: {ticket_id: Ticket, at: When, field: Field, value: New}
      fields: {Status: status}
"""

# October 2026, 24x7 in UTC:
# A1 P1 opened 10-05 09:00, Done 12:00            → 3h of 4h: met
# A2 P1 opened 10-06 09:00, Done 15:00            → 6h of 4h: breached (due 13:00)
# A3 P2 opened 10-07 09:00, Waiting 10:00–20:00, Done 21:00 → 2h running, 10h paused: met
# A4 P2 opened 10-08 09:00, Done 10-08 19:00      → 10h of 8h: breached (due 17:00)
# A5 P2 opened 10-09 09:00, Done 10-09 10:00      → met
# B1 (another customer) P1 opened 10-05, Done +1h → not in the report (--customer Acme)
# September: S1 P1 opened 09-10 09:00, Done 10:00 → met (the previous period: 1/1 = 100%)
TICKETS = """Id,Opened,Prio,State,Client
S1,2026-09-10 09:00,P1,Open,Acme
A1,2026-10-05 09:00,P1,Open,Acme
A2,2026-10-06 09:00,P1,Open,Acme
A3,2026-10-07 09:00,P2,Open,Acme
A4,2026-10-08 09:00,P2,Open,Acme
A5,2026-10-09 09:00,P2,Open,Acme
B1,2026-10-05 09:00,P1,Open,Birch
"""
HISTORY = """Ticket,When,Field,New
S1,2026-09-10 10:00,Status,Done
A1,2026-10-05 12:00,Status,Done
A2,2026-10-06 15:00,Status,Done
A3,2026-10-07 10:00,Status,Waiting
A3,2026-10-07 20:00,Status,Open
A3,2026-10-07 21:00,Status,Done
A4,2026-10-08 19:00,Status,Done
A5,2026-10-09 10:00,Status,Done
B1,2026-10-05 10:00,Status,Done
"""


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("report")
    export = root / "export"
    export.mkdir()
    (export / "tickets.csv").write_text(TICKETS)
    (export / "history.csv").write_text(HISTORY)
    (root / "agreement.yaml").write_text(AGREEMENT)
    result = import_export(export, read_profile(PROFILE, "profile.yaml"))
    write_store(result, root / "store", source="export")
    return root


@pytest.fixture(scope="module")
def october(folder: Path) -> ReportData:
    agreement = load(folder / "agreement.yaml")
    period = ReportPeriod.parse_month("2026-10", agreement.home_zone)
    return gather(agreement, folder / "store", period, customer="Acme")


@pytest.fixture(scope="module")
def written(october: ReportData, folder: Path) -> dict[str, Path]:
    return write_report(october, folder / "out")


def test_attainment_of_the_month_is_worked_by_hand(october: ReportData) -> None:
    rows = {(r.sla, r.priority): r for r in october.rows}
    total = rows[("resolution", None)]
    assert (total.met, total.breached) == (3, 2)  # A1, A3, A5 met; A2, A4 breached
    assert total.attainment == pytest.approx(3 / 5)
    assert total.status == "missed"  # 60% < 90%
    assert (rows[("resolution", "P1")].met, rows[("resolution", "P1")].breached) == (1, 1)
    assert (rows[("resolution", "P2")].met, rows[("resolution", "P2")].breached) == (2, 1)
    before = {(r.sla, r.priority): r for r in october.previous_rows}
    assert before[("resolution", None)].attainment == 1.0  # S1 in September
    assert (october.tickets_opened, october.tickets_resolved) == (5, 5)
    assert october.breaches_total == 2
    elapsed = {b.result["ticket_id"]: b.result["elapsed_business_s"] for b in october.breaches}
    assert elapsed == {"A2": 6 * 3600, "A4": 10 * 3600}
    assert [o.name for o in october.obligations] == ["Monthly review"]
    kpi, mttr, p90 = october.kpis
    assert (kpi.value, kpi.met, kpi.basis) == (pytest.approx(60.0), False, 5)  # 3 / 5
    # Resolution clocks stopped in October: 3h, 6h, 2h, 10h, 1h → mean 22h / 5 = 4h24m (met,
    # under 5h); sorted 1, 2, 3, 6, 10: the 90th percentile by linear interpolation is
    # 6 + 0.6 × (10 − 6) = 8.4h.
    assert (mttr.value, mttr.met) == (22 * 3600 / 5, True)
    assert p90.value == pytest.approx(8.4 * 3600)
    (credits,) = october.credits
    # The worst priority decides: P1 1/2 = 50% is not below 50% (tier 1), but below 90%:
    # tier 0, 5% of EUR 1,000 = EUR 50; claim by 30 November (31 October + 30 days).
    assert [(line.priority, line.tier, line.credit_percent) for line in credits.lines] == [
        ("P1", 0, 5.0)
    ]
    assert (credits.due_percent, credits.due_amount) == (5.0, 50)
    assert credits.claim_deadline == dt.date(2026, 11, 30)


class _Numbers(HTMLParser):
    """Every ``<span class="n">`` with its evidence filter, measure and text."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str]] = []
        self._open: tuple[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "span" and a.get("class") == "n":
            self._open = (a.get("data-evidence") or "", a.get("data-measure") or "")

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self.found.append((*self._open, data))
            self._open = None


def recount(rows: list[dict[str, str]], key: str, measure: str) -> str:
    """Recompute a number of the report from evidence.csv rows."""
    chosen = rows
    if "stopped=true" in key:
        chosen = [r for r in chosen if r["stop_at"]]
        key = key.replace(";stopped=true", "")
    for part in key.split(";"):
        name, _, value = part.partition("=")
        if name == "state" and value == "breached":
            chosen = [r for r in chosen if r["state"] in ("breached", "open_breached")]
        elif name == "at_risk":
            chosen = [r for r in chosen if r["at_risk"] == value]
        else:
            chosen = [r for r in chosen if r[name] == value]
    if measure == "count":
        return f"{len(chosen):,}"
    if measure in ("mean", "p90"):
        seconds = [float(r["elapsed_business_s"]) for r in chosen]
        value = statistics.mean(seconds) if measure == "mean" else _p90(seconds)
        minutes = round(value / 60)
        return f"{minutes // 60}h {minutes % 60:02d}m" if minutes >= 60 else f"{minutes}m"
    met = sum(r["state"] == "met" for r in chosen)
    breached = sum(r["state"] in ("breached", "open_breached") for r in chosen)
    return f"{100 * met / (met + breached):.1f}%"


def _p90(values: list[float]) -> float:
    """The 90th percentile with linear interpolation between the closest ranks."""
    ordered = sorted(values)
    rank = 0.9 * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (rank - low) * (ordered[high] - ordered[low])


def test_every_number_in_the_report_is_recounted_from_its_evidence(
    written: dict[str, Path],
) -> None:
    parser = _Numbers()
    parser.feed(written["html"].read_text(encoding="utf-8"))
    with written["evidence"].open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["ticket_id"] for r in rows} == {"A1", "A2", "A3", "A4", "A5"}
    assert len(parser.found) >= 13
    assert {m for _, m, _ in parser.found} == {"count", "attainment", "mean", "p90"}
    for key, measure, text in parser.found:
        assert recount(rows, key, measure) == text, (key, measure)
    html = written["html"].read_text(encoding="utf-8")
    assert "missed its target of 90%" in html
    assert "due 5% of the monthly fee = EUR 50.00" in html
    with written["tickets"].open(encoding="utf-8") as handle:
        facts = {row["ticket_id"]: row for row in csv.DictReader(handle)}
    assert set(facts) == {"A1", "A2", "A3", "A4", "A5"}  # resolved in October; none open
    assert facts["A3"]["beyond_first_contact"] == "true"  # it waited on the customer
    assert "<svg" in html  # the charts are inline vector graphics
    assert "The ticket&#39;s status becomes Done." in html  # the glossary, from the agreement


def test_the_pdf_has_pages_that_render(written: dict[str, Path]) -> None:
    pdf = pdfium.PdfDocument(written["pdf"])
    assert 2 <= len(pdf) <= 6
    image = pdf[0].render(scale=0.5).to_pil().convert("L")
    dark = image.point(lambda value: 255 if value < 128 else 0).histogram()[255]
    assert dark > 300  # text, not a blank page (a blank one has none)


def test_periods_read_months_and_quarters() -> None:
    quarter = ReportPeriod.parse_quarter("2026Q3", "Europe/Berlin")
    assert (quarter.start, quarter.end, quarter.label) == (
        dt.date(2026, 7, 1),
        dt.date(2026, 10, 1),
        "2026 Q3",
    )
    assert quarter.previous().start == dt.date(2026, 4, 1)
    assert [p.start.month for p in ReportPeriod.parse_month("2026-02", "UTC").trend(3)] == [
        12,
        1,
        2,
    ]
    with pytest.raises(PeriodError, match="YYYY-MM"):
        ReportPeriod.parse_month("2026-13", "UTC")


def test_report_command_writes_the_files(folder: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["report", str(folder / "agreement.yaml"), "--data", str(folder / "store"),
         "--period", "2026-10", "--customer", "Acme", "--out", str(tmp_path), "--no-pdf"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (tmp_path / "report.html").is_file()
    assert "1 missed, 2 breaches" in result.output
    both = CliRunner().invoke(
        app,
        ["report", str(folder / "agreement.yaml"), "--data", str(folder / "store"),
         "--out", str(tmp_path)],
    )  # fmt: skip
    assert both.exit_code == 2
    assert "give one of --period" in both.output


def test_demo_runs_the_whole_path_and_writes_both_reports(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["demo", "--out", str(tmp_path), "--scale", "0.1"])
    assert result.exit_code == 0, result.output
    assert "Linted hartwell-ainsley.yaml: 0 errors" in result.output
    for name in ("monthly", "quarterly"):
        assert (tmp_path / "reports" / name / "report.pdf").stat().st_size > 10_000
        assert (tmp_path / "reports" / name / "evidence.csv").is_file()
    assert str(tmp_path) in result.output
    # The satisfaction KPI is the mean of the answers in evidence-surveys.csv.
    monthly = tmp_path / "reports" / "monthly"
    with (monthly / "evidence-surveys.csv").open(encoding="utf-8") as handle:
        ratings = [int(row["rating"]) for row in csv.DictReader(handle)]
    html = (monthly / "report.html").read_text(encoding="utf-8")
    shown = f"{statistics.mean(ratings):,.2f}".rstrip("0").rstrip(".")
    assert "<td>Customer satisfaction</td><td>" in html
    row = html[html.index("<td>Customer satisfaction</td>") :].split("</tr>")[0]
    assert f'<td class="r">{shown}</td>' in row
    assert f'<td class="r">{len(ratings):,}</td>' in row


def test_a_business_review_shows_the_customers_health(folder: Path) -> None:
    agreement = load(folder / "agreement.yaml")
    quarter = ReportPeriod.parse_quarter("2026Q4", agreement.home_zone)
    review = gather(agreement, folder / "store", quarter, customer="Acme")
    assert review.health is not None
    assert 0 <= review.health.score <= 100
    html = write_report(review, folder / "qbr", pdf=False)["html"].read_text(encoding="utf-8")
    assert html.count("Customer health") == 1
    assert "unproven" in html  # the score says how far it can be trusted

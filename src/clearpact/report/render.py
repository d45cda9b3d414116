"""Render a :class:`~clearpact.report.data.ReportData` as one self-contained HTML file (Jinja2,
charts inline as SVG), a PDF of it (WeasyPrint), and ``evidence.csv``.

Beside them: ``evidence-tickets.csv`` (per ticket resolved in the period or open at its end:
replies, assignees, reopened, first contact — behind first contact resolution, the reopen rate
and the backlog), ``evidence-surveys.csv`` (the answers behind CSAT), ``evidence-availability.csv``
(seconds up, down and excluded per service) and ``evidence-credits.csv`` (each credit line with
its measured value, threshold and clause). Every number about clocks is written as ``<span class="n" data-evidence="…" data-measure="…">``:
the filter on ``evidence.csv`` (``sla=…;priority=…;state=…``) and what to compute on the rows it
selects (``count`` or ``attainment``), so a reader — or a test — can recount it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.csv as pacsv
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from clearpact.durations import format_seconds
from clearpact.governance.health_view import health_html
from clearpact.kpi.credits import CreditStatement
from clearpact.kpi.durations import clock_sla
from clearpact.kpi.library import KpiValue
from clearpact.report.credits_view import credits_html
from clearpact.report.data import Breach, ReportData, SlaRow

TEMPLATES = Path(__file__).parent / "templates"


def write_report(report: ReportData, out: Path, *, pdf: bool = True) -> dict[str, Path]:
    """Write ``report.html``, ``evidence.csv`` and (``pdf``) ``report.pdf`` into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    html = render_html(report)
    files = {"html": out / "report.html", "evidence": out / "evidence.csv"}
    files["html"].write_text(html, encoding="utf-8")
    pacsv.write_csv(report.evidence, files["evidence"])
    if report.lifecycles is not None and report.lifecycles.num_rows:
        files["tickets"] = out / "evidence-tickets.csv"
        pacsv.write_csv(report.lifecycles, files["tickets"])
    if report.surveys is not None and report.surveys.num_rows:
        files["surveys"] = out / "evidence-surveys.csv"
        pacsv.write_csv(report.surveys, files["surveys"])
    if report.availability:
        files["availability"] = out / "evidence-availability.csv"
        pacsv.write_csv(pa.Table.from_pylist(report.availability), files["availability"])
    lines = [asdict(line) for statement in report.credits for line in statement.lines]
    if lines:
        files["credits"] = out / "evidence-credits.csv"
        for line in lines:
            line["amount"] = None if line["amount"] is None else str(line["amount"])
            line["earn_back"] = None if line["earn_back"] is None else str(line["earn_back"])
        pacsv.write_csv(pa.Table.from_pylist(lines), files["credits"])
    if pdf:
        from weasyprint import HTML  # the PDF engine loads only when a PDF is asked for

        files["pdf"] = out / "report.pdf"
        HTML(string=html, base_url=str(out)).write_pdf(files["pdf"])
    return files


def render_html(report: ReportData) -> str:
    """The report as one HTML document (no external files)."""
    from clearpact.report import charts  # Altair and its renderer load only to draw a report

    env = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"])
    )
    zone = ZoneInfo(report.period.zone)
    previous = {(r.sla, r.priority): r for r in report.previous_rows}
    trend = report.trend
    this_period = [p for p in trend if p["period"] == report.period.start.isoformat()]
    context: dict[str, Any] = {
        "title": f"{report.agreement.title} — {report.period.label}",
        "kind_label": "Monthly service report"
        if report.period.kind == "month"
        else "Quarterly business review",
        "agreement": report.agreement,
        "period": report.period,
        "customer": report.customer,
        "source": report.source,
        "as_of_text": _when(report.period.end_at, zone),
        "generated_text": f"{report.generated_at:%Y-%m-%d %H:%M} UTC",
        "css": (TEMPLATES / "report.css").read_text(encoding="utf-8"),
        "rows": report.rows,
        "summary": _summary(report),
        "charts": {
            "trend": charts.attainment_trend(trend),
            "by_priority": charts.attainment_by_priority(this_period),
            "availability": charts.availability_bars(report.availability),
        },
        "trend_count": len({p["period"] for p in trend if p["attainment"] is not None}),
        "availability": [_availability_view(a) for a in report.availability],
        "kpis": [_kpi_view(k, _kpi_evidence(report, k)) for k in report.kpis],
        "credits": _credits_html(report.credits),
        "breaches": [_breach_view(b, zone) for b in report.breaches],
        "breaches_total": report.breaches_total,
        "at_risk": [_risk_view(r, zone) for r in _soonest(report.at_risk)],
        "at_risk_total": len(report.at_risk),
        "obligations": report.obligations,
        "data_line": _data_line(report),
        "glossary": report.glossary,
        "health": None if report.health is None else Markup(health_html(report.health)),
        "n": _number,
        "pct": _percent,
        "ev": _evidence_key,
        "share": _share,
        "delta": lambda row: _delta(row, previous.get((row.sla, row.priority))),
    }
    return env.get_template("report.html.j2").render(**context)


def _evidence_key(row: SlaRow, state: str | None) -> str:
    parts = [f"sla={row.sla}"]
    if row.priority is not None:
        parts.append(f"priority={row.priority}")
    if state is not None:
        parts.append(f"state={state}")
    return ";".join(parts)


def _number(value: int, key: str) -> Markup:
    return Markup('<span class="n" data-evidence="{}" data-measure="count">{:,}</span>').format(
        key, value
    )


def _percent(value: float | None, key: str, measure: str) -> Markup:
    if value is None:
        return Markup("—")
    return Markup('<span class="n" data-evidence="{}" data-measure="{}">{}</span>').format(
        key, measure, f"{100 * value:.1f}%"
    )


def _share(value: float | None) -> str:
    if value is None:
        return "—"
    text = f"{100 * value:.1f}"
    return (text[:-2] if text.endswith(".0") else text) + "%"


def _delta(row: SlaRow, before: SlaRow | None) -> str:
    if before is None or before.attainment is None or row.attainment is None:
        return ""
    points = 100 * (row.attainment - before.attainment)
    return f"{points:+.1f} pts"


def _summary(report: ReportData) -> list[Markup]:
    """Plain-language lines: volume, each SLA against its target, availability, credits,
    what changed since the previous period."""
    period = report.period.label
    lines = [
        Markup("{} tickets were opened and {} resolved in {}.").format(
            f"{report.tickets_opened:,}", f"{report.tickets_resolved:,}", period
        )
    ]
    for amendment in report.agreement.versions:
        if report.period.contains(amendment.effective) and amendment.changes:
            lines.append(
                Markup("The terms changed: version {} took effect on {}: {}").format(
                    amendment.version, f"{amendment.effective:%d %B %Y}", amendment.summary
                )
            )
    previous = {r.sla: r for r in report.previous_rows if r.priority is None}
    for row in (r for r in report.rows if r.priority is None):
        key = _evidence_key(row, None)
        if row.attainment is None:
            lines.append(
                Markup("<strong>{}</strong>: no clock was judged in {}.").format(row.sla, period)
            )
            continue
        verdict = {
            "met": "met its target of",
            "missed": "missed its target of",
            "not judged": "is not judged (too few tickets) against",
            "no target": "has no attainment target",
        }.get(row.status, row.status)
        target = "" if row.target is None else _share(row.target)
        if row.per_priority and row.target is not None:
            target += " in every priority"
            if row.missed_priorities:
                target += f" (missed in {', '.join(row.missed_priorities)})"
        change = ""
        before = previous.get(row.sla)
        if before is not None and before.attainment is not None:
            points = 100 * (row.attainment - before.attainment)
            change = f"; {points:+.1f} points since {report.period.previous().label}"
        lines.append(
            Markup("<strong>{}</strong> {} {}: {} overall ({} met, {} breached){}.").format(
                row.sla,
                verdict,
                target,
                _percent(row.attainment, key, "attainment"),
                _number(row.met, _evidence_key(row, "met")),
                _number(row.breached, _evidence_key(row, "breached")),
                change,
            )
        )
        worst = [
            r
            for r in report.rows
            if r.sla == row.sla and r.priority is not None and r.status == "missed"
        ]
        for part in worst:
            lines.append(
                Markup("&nbsp;&nbsp;{} {} missed: {} against {}.").format(
                    row.sla,
                    part.priority,
                    _percent(part.attainment, _evidence_key(part, None), "attainment"),
                    _share(part.target),
                )
            )
    for a in report.availability:
        if a["availability"] is None or a["target"] is None:
            continue
        met = a["availability"] >= a["target"]
        when = f" in {a['period']:%B %Y}" if report.period.kind == "quarter" else ""
        lines.append(
            Markup("Availability of <strong>{}</strong>{} was {:.3f}% against {}%: {}.").format(
                a["service"],
                when,
                a["availability"],
                f"{a['target']:g}",
                "met" if met else "missed",
            )
        )
    for statement in report.credits:
        money = ""
        if statement.due_amount is not None:
            money = f" ({statement.currency or ''} {statement.due_amount:,.2f})"
        lines.append(
            Markup("Service credits for {}: {}% of the monthly fee{}.").format(
                f"{statement.period_start:%B %Y}", f"{statement.due_percent:g}", money
            )
        )
        for trigger in statement.chronic:
            lines.append(
                Markup("<strong>Chronic failure</strong> of {}: {}").format(
                    trigger.sla, trigger.remedy
                )
            )
    if report.at_risk:
        lines.append(
            Markup(
                "{} open clocks had used their at-risk share of the target at the end of {}."
            ).format(
                Markup(
                    '<span class="n" data-evidence="state=open;at_risk=true" data-measure="count">{}</span>'
                ).format(len(report.at_risk)),
                period,
            )
        )
    return lines


def _business(seconds: float | None) -> str:
    """Business time in hours and minutes (``47h 21m``): a business day is not 24 hours, so
    no days.

    >>> _business(170_460)  # 2,841 minutes
    '47h 21m'
    """
    minutes = round((seconds or 0) / 60)
    return f"{minutes // 60}h {minutes % 60:02d}m" if minutes >= 60 else f"{minutes}m"


AT_RISK_SHOWN = 40
"""Open clocks at risk listed in the report, soonest due first; all are in ``evidence.csv``."""


def _soonest(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    return sorted(rows, key=lambda r: r["due_at"] or far)[:AT_RISK_SHOWN]


def _when(value: dt.datetime | None, zone: dt.tzinfo) -> str:
    if value is None:
        return "—"
    return value.astimezone(zone).strftime("%a %d %b %Y %H:%M")


def _breach_view(breach: Breach, zone: dt.tzinfo) -> dict[str, Any]:
    r = breach.result
    start, stop = r["start_at"], r["stop_at"]
    segments = [s for s in breach.segments if s["from"] is not None and s["to"] is not None]
    total = sum((s["to"] - s["from"]).total_seconds() for s in segments) or 1.0
    views = []
    for s in segments:
        seconds = (s["to"] - s["from"]).total_seconds()
        views.append(
            {
                "clock": str(s["clock"]).replace(" ", "-"),
                "width": f"{100 * seconds / total:.3f}",
                "title": f"{s['clock']} {_when(s['from'], zone)} – {_when(s['to'], zone)}: "
                f"{s['status'] or ''} ({format_seconds(int(s['business_s'] or 0))} business)",
            }
        )
    end = (
        f"stopped {_when(stop, zone)}"
        if stop is not None
        else f"still open, breached {_when(r['breached_at'], zone)}"
    )
    return {
        "ticket": r["ticket_id"],
        "sla": r["sla"],
        "priority": r["priority"],
        "version": r["agreement_version"],
        "start": _when(start, zone),
        "due": _when(r["due_at"], zone),
        "end": end,
        "elapsed": _business(r["elapsed_business_s"]),
        "target": _business(r["target_s"]),
        "paused": _business(r["paused_business_s"]) if r["paused_business_s"] else "",
        "segments": views,
        "clause": breach.clause,
    }


def _risk_view(r: dict[str, Any], zone: dt.tzinfo) -> dict[str, Any]:
    used = ""
    if r["target_s"]:
        used = f"{100 * (r['elapsed_business_s'] or 0) / r['target_s']:.0f}%"
    return {
        "ticket": r["ticket_id"],
        "sla": r["sla"],
        "priority": r["priority"],
        "start": _when(r["start_at"], zone),
        "due": _when(r["due_at"], zone),
        "used": used,
    }


def _availability_view(a: dict[str, Any]) -> dict[str, Any]:
    value, target = a["availability"], a["target"]
    result = (
        "no target"
        if target is None
        else ("met" if value is not None and value >= target else "missed")
    )
    return {
        "sla": a["sla"],
        "service": a["service"],
        "hours": f"{a['period_seconds'] / 3600:,.1f} h",
        "excluded": f"{a['excluded_seconds'] / 60:,.0f} min",
        "down": f"{a['downtime_seconds'] / 60:,.0f} min",
        "value": "—" if value is None else f"{value:.3f}%",
        "target": "—" if target is None else f"{target:g}%",
        "result": result,
    }


_CLOCK_KPIS = {
    "sla_attainment": (None, "attainment"),
    "first_response_time_mean": ("first_response", "mean"),
    "first_response_time_p90": ("first_response", "p90"),
    "mttr_mean": ("resolution", "mean"),
    "mttr_p90": ("resolution", "p90"),
}
"""KPIs computed from clocks, and how ``evidence.csv`` recounts them."""


def _kpi_evidence(report: ReportData, k: KpiValue) -> tuple[str, str] | None:
    """The ``evidence.csv`` filter and measure of a KPI computed from clocks of this period."""
    kpi = report.agreement.kpis.get(k.kpi)
    if kpi is None or k.formula not in _CLOCK_KPIS or k.period_start != report.period.start:
        return None
    metric, measure = _CLOCK_KPIS[k.formula]
    sla = kpi.sla if metric is None else clock_sla(report.agreement, metric, kpi.sla)
    if sla is None:
        return None
    return (f"sla={sla}" if metric is None else f"sla={sla};stopped=true", measure)


def _kpi_view(k: KpiValue, evidence: tuple[str, str] | None) -> dict[str, Any]:
    unit = k.unit

    def show(value: float | None) -> str:
        if value is None:
            return "—"
        if unit == "percent":
            return f"{value:.1f}%"
        if unit == "duration":
            return _business(value)
        return f"{value:,.2f}".rstrip("0").rstrip(".")

    value: str | Markup = show(k.value)
    if evidence is not None and k.value is not None:
        value = Markup('<span class="n" data-evidence="{}" data-measure="{}">{}</span>').format(
            evidence[0], evidence[1], value
        )
    met = k.met
    return {
        "name": k.name,
        "period": f"{k.period_start:%b %Y}",
        "value": value,
        "target": show(k.target),
        "direction": (k.direction or "").replace("_", " "),
        "result": "—" if met is None else ("met" if met else "missed"),
        "basis": f"{k.basis:,}",
        "note": k.note or "",
    }


def _credits_html(credits: list[CreditStatement] | None) -> Markup | None:
    return None if not credits else credits_html(credits)


def _data_line(report: ReportData) -> Markup:
    imported = report.imported or {}
    parts = [Markup("Measured from <code>{}</code>").format(report.source)]
    if imported:
        parts.append(
            Markup(
                "imported through profile <code>{}</code>: {} rows in = {} stored + {} quarantined + {} ignored"
            ).format(
                imported.get("profile"),
                f"{imported.get('rows_in', 0):,}",
                f"{imported.get('rows_stored', 0):,}",
                f"{imported.get('rows_quarantined', 0):,}",
                f"{imported.get('rows_ignored', 0):,}",
            )
        )
    if report.quarantined:
        parts.append(
            Markup(
                "{} values are in the store's quarantine, each with its file, row and reason"
            ).format(f"{report.quarantined:,}")
        )
    return (
        Markup("; ").join(parts)
        + Markup(". ")
        + escape(
            "Times are shown in the agreement's zone; business time follows each SLA's calendar."
        )
    )

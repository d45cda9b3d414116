"""The report's charts: Vega-Lite specifications (Altair) rendered to SVG (vl-convert), so they
are real vector charts in the HTML file and in print.

Pure apart from the rendering call; data comes in as plain rows.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import vl_convert as vlc

WIDTH = 620
_FONT = "DejaVu Sans"


def _data(rows: list[dict[str, Any]]) -> alt.Data:
    return alt.Data(values=rows)  # type: ignore[no-untyped-call]  # Altair's generated class


def _svg(chart: alt.TopLevelMixin) -> str:
    spec = chart.configure(font=_FONT).configure_view(stroke=None).to_dict()
    svg: str = vlc.vegalite_to_svg(spec)
    return svg


def attainment_trend(points: list[dict[str, Any]]) -> str | None:
    """Attainment of each SLA (all priorities) in each period, with its target as a dashed
    line: one panel per SLA."""
    rows = [p for p in points if p["priority"] == "all" and p["attainment"] is not None]
    if not rows:
        return None
    base = alt.Chart(_data(rows))
    x = alt.X("label:O", sort=None, title=None, axis=alt.Axis(labelAngle=-40))
    line = base.mark_line(point=True, color="#1f5f8b").encode(
        x=x,
        y=alt.Y("attainment:Q", title="attainment %", scale=alt.Scale(zero=False)),
        tooltip=["label:O", "attainment:Q", "judged:Q"],
    )
    target = base.mark_line(strokeDash=[5, 4], color="#b03a2e").encode(x=x, y="target:Q")
    chart = (
        alt.layer(line, target)
        .properties(width=WIDTH - 60, height=130)
        .facet(row=alt.Row("sla:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left")))
        .resolve_scale(y="independent")
    )
    return _svg(chart)


def attainment_by_priority(rows: list[dict[str, Any]]) -> str | None:
    """This period's attainment per SLA and priority as bars, the target as a tick."""
    data = [r for r in rows if r["attainment"] is not None and r["priority"] != "all"]
    if not data:
        return None
    base = alt.Chart(_data(data))
    bars = base.mark_bar(color="#5b8db8").encode(
        x=alt.X("priority:N", title=None),
        y=alt.Y("attainment:Q", title="attainment %", scale=alt.Scale(domain=[0, 100])),
        tooltip=["sla:N", "priority:N", "attainment:Q", "judged:Q"],
    )
    tick = base.mark_tick(color="#b03a2e", thickness=2, size=28).encode(
        x="priority:N", y="target:Q"
    )
    chart = (
        alt.layer(bars, tick)
        .properties(width=120, height=140)
        .facet(column=alt.Column("sla:N", title=None))
    )
    return _svg(chart)


def availability_bars(rows: list[dict[str, Any]]) -> str | None:
    """Availability per service in the period against the target."""
    if not rows:
        return None
    data = [
        {"service": r["service"], "availability": r["availability"], "target": r["target"]}
        for r in rows
        if r["availability"] is not None
    ]
    if not data:
        return None
    low = min(min(d["availability"] for d in data), min((d["target"] or 100) for d in data))
    base = alt.Chart(_data(data))
    bars = base.mark_bar(color="#5b8db8", clip=True).encode(
        y=alt.Y("service:N", title=None),
        x=alt.X(
            "availability:Q",
            title="availability %",
            scale=alt.Scale(domain=[max(0, low - 0.5), 100]),
        ),
    )
    tick = base.mark_tick(color="#b03a2e", thickness=2).encode(y="service:N", x="target:Q")
    return _svg(alt.layer(bars, tick).properties(width=WIDTH - 160, height=max(60, 28 * len(data))))

"""A :class:`~clearpact.governance.health.Health` as plain data (:func:`health_view`, the JSON
the CLI prints and the report can use), as text lines for the terminal and as an HTML fragment
(:func:`health_html`) for the QBR. Pure: standard library only.
"""

from __future__ import annotations

from html import escape
from typing import Any

from clearpact.governance.health import Health

LABELS = {
    "service_quality": "Service quality",
    "responsiveness": "Responsiveness",
    "satisfaction": "Satisfaction (CSAT)",
    "governance": "Governance",
    "expectation_gaps": "Expectation gaps",
    "commercial": "Commercial",
}
CAVEAT = (
    "A heuristic from weighted signals; it flags planted churn in the demo data, but its "
    "accuracy on real customers is unproven."
)


def _round(value: float | None, places: int = 1) -> float | None:
    return None if value is None else round(value, places)


def health_view(health: Health) -> dict[str, Any]:
    """Everything the score shows, as JSON-ready data (shares and points in percent/points)."""
    worst = health.worst
    return {
        "customer": health.customer,
        "as_of": health.as_of.isoformat(),
        "score": _round(health.score),
        "band": health.band,
        "previous": _round(health.previous),
        "trend": health.trend,
        "months": health.months,
        "profile": health.profile,
        "worst_driver": None
        if worst is None
        else {"group": worst.group, "signal": worst.name, "lost_points": _round(worst.lost)},
        "action": health.action,
        "groups": [
            {
                "group": g.name,
                "weight": g.weight,
                "share_percent": _round(100 * g.share),
                "score": _round(g.score, 3),
                "points": _round(g.points),
                "lost_points": _round(g.lost),
                "signals": [
                    {
                        "signal": s.name,
                        "raw": _round(s.raw, 3),
                        "score": _round(s.score, 3),
                        "weight": s.weight,
                        "share_percent": _round(100 * s.share),
                        "points": _round(s.points),
                        "lost_points": _round(s.lost),
                        "detail": s.detail,
                    }
                    for s in g.signals
                ],
            }
            for g in health.groups
        ],
        "missing": list(health.missing),
        "redistributed": list(health.redistributed),
        "notes": list(health.notes),
        "caveat": CAVEAT,
    }


def _score_text(health: Health) -> str:
    if health.score is None:
        return "no score"
    previous = "" if health.previous is None else f", {health.previous:.0f} a month earlier"
    return f"{health.score:.0f}/100 {health.band} ({health.trend}{previous})"


def health_lines(health: Health) -> list[str]:
    """The terminal explanation: score, groups, worst driver, action, redistribution."""
    lines = [f"{health.customer} as of {health.as_of}: {_score_text(health)}"]
    for g in health.groups:
        if g.missing:
            lines.append(f"  {LABELS[g.name]:<22} missing (weight {g.weight:g} redistributed)")
            continue
        lines.append(
            f"  {LABELS[g.name]:<22} {100 * (g.score or 0):5.1f}% of its share "
            f"{100 * g.share:4.1f}% → {g.points:4.1f} points (lost {g.lost:.1f})"
        )
        for s in g.signals:
            shown = "missing" if s.raw is None else f"{s.raw:.3g} → {s.score:.2f}"
            lines.append(f"      {s.name:<24} {shown:<16} {s.detail}")
    if health.worst is not None:
        lines.append(
            f"Worst driver: {health.worst.group}.{health.worst.name} "
            f"({health.worst.lost:.1f} points lost)"
        )
    lines.append(f"Action: {health.action}")
    lines.extend(f"Redistributed: {line}" for line in health.redistributed)
    lines.extend(f"Note: {note}" for note in health.notes)
    lines.append(f"Profile: {health.profile}. {CAVEAT}")
    return lines


def health_html(health: Health) -> str:
    """An HTML fragment (a ``<section class="health">``) for the business review: the score,
    a table of groups and the action; no styles of its own beyond class names."""
    rows = []
    for g in health.groups:
        score = "missing" if g.missing else f"{100 * (g.score or 0):.0f}%"
        rows.append(
            f"<tr><td>{escape(LABELS[g.name])}</td><td>{g.weight:g}</td>"
            f"<td>{100 * g.share:.1f}%</td><td>{score}</td><td>{g.points:.1f}</td></tr>"
        )
    worst = ""
    if health.worst is not None:
        worst = (
            f'<p class="health-driver">Worst driver: {escape(LABELS[health.worst.group])} — '
            f"{escape(health.worst.name.replace('_', ' '))} ({health.worst.lost:.1f} points "
            "lost)</p>"
        )
    moved = "".join(f"<li>{escape(line)}</li>" for line in health.redistributed)
    return (
        f'<section class="health health-{escape(health.band)}">'
        f"<h2>Customer health</h2>"
        f'<p class="health-score">{escape(_score_text(health))}</p>'
        "<table><thead><tr><th>Group</th><th>Weight</th><th>Share</th><th>Score</th>"
        f"<th>Points</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f'{worst}<p class="health-action">Recommended action: {escape(health.action)}</p>'
        + (f'<ul class="health-redistributed">{moved}</ul>' if moved else "")
        + f'<p class="health-caveat">{escape(CAVEAT)}</p></section>'
    )

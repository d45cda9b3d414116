"""The credits section of a report: each month's credit lines with the measured value, the
threshold, the clause and the amount, the totals after the cap and earn-back, the claim
deadline and any chronic-failure trigger."""

from __future__ import annotations

from decimal import Decimal

from jinja2 import Environment, select_autoescape
from markupsafe import Markup

from clearpact.kpi.credits import CreditStatement

_TEMPLATE = """
{% for s in statements %}
<h3>{{ s.period_start.strftime('%B %Y') }}</h3>
{% if s.lines %}
<table class="grid">
<thead><tr><th>SLA</th><th>measured on</th><th class="r">measured</th><th class="r">below</th><th>clause</th><th class="r">credit</th><th class="r">amount</th><th>earn-back</th></tr></thead>
<tbody>
{% for l in s.lines %}<tr><td>{{ l.sla }}</td><td>{{ l.service or l.priority or 'all priorities' }}</td><td class="r">{{ pct(l.measured) }}</td><td class="r">{{ pct(l.threshold) }}</td><td class="note">{{ l.clause }}{% if l.note %}; {{ l.note }}{% endif %}</td><td class="r">{{ pct(l.credit_percent) }}</td><td class="r">{{ money(l.amount, s.currency) }}</td><td>{{ (l.earn_back.value if l.earn_back else '') | replace('_', ' ') }}</td></tr>
{% endfor %}
</tbody>
</table>
{% else %}<p>No service level fell below a credit threshold.</p>{% endif %}
<p>Gross {{ pct(s.gross_percent) }}{% if s.cap_percent is not none %}, cap {{ pct(s.cap_percent) }}{% endif %}{% if s.earned_back_percent %}, earned back {{ pct(s.earned_back_percent) }}{% endif %}: <strong>due {{ pct(s.due_percent) }} of the monthly fee{% if s.due_amount is not none %} = {{ money(s.due_amount, s.currency) }}{% endif %}</strong>{% if s.claim_deadline %}; {{ 'credited automatically' if s.automatic else 'to be claimed by ' ~ s.claim_deadline.strftime('%d %B %Y') }}{% endif %}.</p>
{% for c in s.chronic %}<p class="missed"><strong>Chronic failure:</strong> {{ c.sla }} missed in {{ c.missed_periods | length }} of the last {{ c.within }} periods ({{ c.clause }}): {{ c.remedy }}</p>
{% endfor %}
{% for n in s.notes %}<p class="note">{{ n }}</p>{% endfor %}
{% endfor %}
"""


def _pct(value: float | Decimal | None) -> str:
    if value is None:
        return "—"
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return f"{text}%"


def _money(value: Decimal | None, currency: str | None) -> str:
    if value is None:
        return "—"
    return f"{currency or ''} {value.quantize(Decimal('0.01')):,}".strip()


def credits_html(statements: list[CreditStatement]) -> Markup:
    """The statements as HTML (each month of the report's period)."""
    env = Environment(autoescape=select_autoescape(default_for_string=True))
    template = env.from_string(_TEMPLATE)
    return Markup(template.render(statements=statements, pct=_pct, money=_money))

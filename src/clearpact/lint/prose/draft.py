"""A draft agreement (``version: clearpact/v1``) from what an audit found in a prose contract.

Every value carries a YAML comment with the page, paragraph and sentence it came from; what the
contract does not say is a ``# TODO`` comment. The decision: **the draft always loads**
(:func:`clearpact.agreement.loader.load_text`). A required value the contract does not give is a
placeholder marked TODO (``"TODO: customer name"``; ``UTC`` for a calendar whose time zone is
not stated), and a section that cannot be completed (a term without a start date) is written
commented out with its TODO, so ``clearpact lint`` on the draft lists what is still missing.
Pure: returns the YAML text.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re

from clearpact.lint.prose.audit import AuditResult
from clearpact.lint.prose.document import Sentence
from clearpact.lint.prose.elements import Presence
from clearpact.lint.prose.quantities import priorities
from clearpact.lint.prose.terms import Found, Terms, known_zones

_METRIC_IDS = {"first_response": "first-response", "resolution": "resolution"}


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML 1.2)."""
    return json.dumps(text, ensure_ascii=False)


def where(sentence: Sentence, limit: int = 100) -> str:
    """``p. 3, ¶ 12, s. 41: "…sentence…"`` for a YAML comment (one line, shortened)."""
    text = sentence.text if len(sentence.text) <= limit else sentence.text[: limit - 1] + "…"
    return f'p. {sentence.page}, ¶ {sentence.paragraph}, s. {sentence.index}: "{text}"'.replace(
        "\n", " "
    )


def _line(
    indent: int, key: str, value: str, found: Found | None = None, todo: str | None = None
) -> str:
    comment = ""
    notes = []
    if found is not None:
        notes.append(where(found.sentence))
        todo = todo or found.todo
    if todo:
        notes.append(f"TODO: {todo}")
    if notes:
        comment = "  # " + " — ".join(notes)
    return f"{'  ' * indent}{key}: {value}{comment}"


def _todo(indent: int, text: str) -> str:
    return f"{'  ' * indent}# TODO: {text}"


def draft_agreement(result: AuditResult) -> str:
    """The draft agreement YAML for an audit result (see the module docstring for the rules)."""
    t = result.terms
    out: list[str] = [
        f"# Draft agreement extracted by `clearpact audit` from {result.document.source}.",
        "# Each value names the page (p.), paragraph (¶) and sentence (s.) it came from; TODO marks",
        "# what the contract does not say. It loads; `clearpact lint` on it lists what is missing.",
        "version: clearpact/v1",
    ]
    title = result.title
    if title == result.document.source:
        out.append(
            _line(
                0, "title", _q(f"TODO: title ({title})"), todo="the document has no title heading"
            )
        )
    else:
        out.append(f"title: {_q(title)}  # the document's first heading")
    out.append("parties:")
    for role, found in (("provider", t.provider), ("customer", t.customer)):
        out.append(f"  {role}:")
        if found is None:
            out.append(
                _line(
                    2,
                    "name",
                    _q(f"TODO: {role} name"),
                    todo='no "between X ("Provider") and Y ("Customer")" sentence found',
                )
            )
        else:
            out.append(_line(2, "name", _q(found.value), found))
    _term(out, t)
    if t.currency is not None and t.monthly_fee is not None:
        out.append("commercials:")
        out.append(_line(1, "currency", t.currency.value, t.currency))
        out.append(_line(1, "monthly_fee", t.monthly_fee.value, t.monthly_fee))
    else:
        out.append(
            _todo(0, "commercials: no monthly fee with its currency found (currency, monthly_fee)")
        )
    if result.definitions:
        out.append("definitions:")
        for definition in result.definitions.values():
            meaning = definition.meaning or "TODO: defined in the contract by its use in brackets"
            sentence = next(s for s in result.sentences if s.index == definition.sentence)
            out.append(f"  {_q(definition.term)}: {_q(meaning)}  # {where(sentence)}")
    service_id = "managed-services"
    out.append("services:")
    out.append(f"  {service_id}:")
    out.append(
        _line(
            2, "name", _q("TODO: the service's name"), todo="name the service as both sides call it"
        )
    )
    if t.service_description is not None:
        out.append(_line(2, "description", _q(t.service_description.value), t.service_description))
    else:
        out.append(_todo(2, "description: no description of the services found"))
    if t.priorities:
        out.append("priorities:")
        out.append("  levels:")
        for key in sorted(t.priorities):
            found = t.priorities[key]
            out.append(
                f"    {key}: {{name: {_q(key)}}}  # {where(found.sentence)} ({found.words!r} as written); TODO: definition and examples"
            )
    calendar = _calendar(out, t)
    _slas(out, result, calendar)
    _credits(out, result)
    if t.reports:
        out.append("governance:")
        out.append("  reports:")
        for name, found in t.reports:
            out.append(
                f"    - {{name: {_q(name)}, cadence: {found.value}}}  # {where(found.sentence)}"
            )
        out.append(_todo(1, "meetings and escalation: levels and contacts are not read from prose"))
    else:
        out.append(
            _todo(0, "governance: no recurring report found (reports, meetings, escalation)")
        )
    if t.rto is not None or t.rpo is not None:
        out.append("risk:")
        out.append("  disaster_recovery:")
        out.append(f"    - service: {service_id}  # the service above")
        for key, found in (("rto", t.rto), ("rpo", t.rpo)):
            if found is not None:
                out.append(_line(3, key, found.value, found))
    else:
        out.append(
            _todo(0, "risk: no RTO or RPO found (disaster_recovery, business_continuity, backups)")
        )
    _exit(out, result)
    _gaps(out, result)
    return "\n".join(out) + "\n"


def _term(out: list[str], t: Terms) -> None:
    """The term: its start, the end of the initial term, automatic renewal, the notice period;
    without a start date (the model needs one) the rest is written commented out."""
    lines: list[str] = []
    if t.initial_term is not None and t.term_start is not None:
        end = _term_end(t.term_start.value, t.initial_term.value)
        if end is not None:
            lines.append(
                _line(
                    1,
                    "end",
                    end,
                    t.initial_term,
                    f"the last day of {t.initial_term.value} from the start",
                )
            )
    if t.renewal is not None:
        kind, _, period = t.renewal.value.partition(" ")
        value = f"{{type: {kind}, period: {period}}}" if period else f"{{type: {kind}}}"
        lines.append(_line(1, "renewal", value, t.renewal))
    if t.termination_notice is not None:
        lines.append(_line(1, "notice_period", t.termination_notice.value, t.termination_notice))
    if t.term_start is not None:
        out.append("term:")
        out.append(_line(1, "start", t.term_start.value, t.term_start))
        out.extend(lines)
        return
    out.append(
        _todo(
            0, "term: the start date is not read from the contract; add `term: {start: YYYY-MM-DD}`"
        )
    )
    if lines:
        out.append("# term:")
        out.extend("# " + line for line in lines)


def _term_end(start: str, length: str) -> str | None:
    """The last day of a term of ``length`` (``36mo``, ``3y``) from ``start`` (ISO)."""
    m = re.fullmatch(r"(\d+)(mo|y)", length)
    if m is None:
        return None
    months = int(m.group(1)) * (12 if m.group(2) == "y" else 1)
    first = dt.date.fromisoformat(start)
    year, month = divmod(first.month - 1 + months, 12)
    day = min(first.day, calendar.monthrange(first.year + year, month + 1)[1])
    return (dt.date(first.year + year, month + 1, day) - dt.timedelta(days=1)).isoformat()


def _calendar(out: list[str], t: Terms) -> str | None:
    """The calendars the contract names: ``office`` (its business hours) and ``always`` (24x7),
    each when found; returns the one SLAs run on unless a target says otherwise (the office
    when there is one)."""
    zone = t.timezone if t.timezone is not None and t.timezone.value in known_zones() else None
    if t.business_hours is None and t.always_on is None:
        out.append(
            _todo(0, "calendars: no business hours found (e.g. 'Monday to Friday, 9:00 to 17:00')")
        )
        return None
    out.append("calendars:")
    if t.business_hours is not None:
        out.append("  office:")
        if zone is not None:
            out.append(_line(2, "timezone", zone.value, zone))
        else:
            out.append(
                _line(
                    2,
                    "timezone",
                    "UTC",
                    todo="the contract names no time zone; UTC is a placeholder",
                )
            )
        days, window = t.business_hours.value.split("=")
        note = f" — TODO: {t.business_hours.todo}" if t.business_hours.todo else ""
        out.append("    hours:")
        for day in days.split(","):
            out.append(f'      {day}: ["{window}"]  # {where(t.business_hours.sentence)}{note}')
        out.append(_todo(2, "holidays: which public holidays close the service?"))
    if t.always_on is not None:
        out.append("  always:")
        placeholder = None if zone else "the contract names no time zone; UTC is a placeholder"
        out.append(_line(2, "timezone", zone.value if zone else "UTC", zone, placeholder))
        out.append(_line(2, "hours", '"24x7"', t.always_on))
    return "office" if t.business_hours is not None else "always"


def _target_calendar(t: Terms, key: str, found: Found, default: str | None) -> str | None:
    """The calendar a target's own words name when it differs from ``default``: "Severity 1
    every 2 hours (24x7), Severity 2 every 8 hours (9AM-5PM PST)" runs P1 around the clock.
    The target's words are looked for after its own priority's label (``key`` is ``P2``)."""
    if default is None or t.business_hours is None or t.always_on is None:
        return None
    if key in t.always_for and default != "always":
        return "always"
    text = found.sentence.text
    labels = [q.start for q in priorities(text) if f"P{int(q.value)}" == key]
    at = text.find(found.words, labels[0] if labels else 0)
    if at < 0:
        return None
    after = text[at + len(found.words) :]
    after = after[: m.start()] if (m := _NEXT_PRIORITY.search(after)) else after[:60]
    if _ROUND_THE_CLOCK.search(after):
        named = "always"
    elif _CLOCK_HOURS.search(after):
        named = "office"
    else:
        return None
    return named if named != default else None


_NEXT_PRIORITY = re.compile(r"\b(severity|priority|level|sev|prio|P)\s*\d\b", re.I)
_ROUND_THE_CLOCK = re.compile(r"\b24\s*[x/×]\s*7\b|\bround[- ]the[- ]clock\b", re.I)
_CLOCK_HOURS = re.compile(r"\d\s*(a\.?m\.?|p\.?m\.?|:\d\d)\b|\bbusiness\s+hours\b", re.I)


def _slas(out: list[str], result: AuditResult, calendar: str | None) -> None:
    t = result.terms
    if not t.targets and t.availability is None:
        out.append(
            _todo(
                0,
                "slas: no response or resolution target per priority and no availability target found",
            )
        )
        return
    out.append("slas:")
    for metric, targets in t.targets.items():
        out.append(f"  {_METRIC_IDS[metric]}:")
        words = "respond" if metric == "first_response" else "resolve"
        out.append(f"    metric: {metric}  # the sentences of the targets below say '{words}'")
        out.append(
            _todo(
                2,
                "start, stop, pause_statuses, priority_change and reopen: the contract does not say",
            )
        )
        if calendar is not None:
            out.append(
                f"    calendar: {calendar}  # the contract's service hours; TODO: check this SLA runs on them"
            )
        else:
            out.append(_todo(2, "calendar: no service hours found"))
        out.append("    targets:")
        for key in sorted(targets):
            own = _target_calendar(t, key, targets[key], calendar)
            value = (
                f"{{within: {targets[key].value}, calendar: {own}}}" if own else targets[key].value
            )
            out.append(_line(3, key, value, targets[key]))
        out.append(
            _todo(2, "attainment: the share of tickets that must meet the target, per period")
        )
    if t.availability is not None:
        out.append("  availability:")
        out.append(f"    metric: availability  # {where(t.availability.sentence)}")
        out.append(_line(2, "target", _q(t.availability.value), t.availability))
        if t.availability_period is not None:
            out.append(_line(2, "period", t.availability_period.value, t.availability_period))
        else:
            out.append(
                _todo(2, "period: the contract gives no measurement period (month? quarter?)")
            )
        downtime = result.definitions.get("downtime")
        if downtime is not None and downtime.meaning:
            sentence = next(s for s in result.sentences if s.index == downtime.sentence)
            out.append(f"    downtime_definition: {_q(downtime.meaning)}  # {where(sentence)}")
        else:
            out.append(_todo(2, "downtime_definition: the contract does not define downtime"))
        if t.measurement_source is not None:
            out.append(
                _line(2, "measurement_source", _q(t.measurement_source.value), t.measurement_source)
            )
        else:
            out.append(_todo(2, "measurement_source: who measures availability, with what"))


def _credits(out: list[str], result: AuditResult) -> None:
    t = result.terms
    if not t.credit_tiers and t.credit_cap is None:
        status = result.element("service_credits_or_penalties").status
        note = (
            "redacted in the contract" if status is Presence.REDACTED else "no credit tiers found"
        )
        out.append(
            _todo(0, f"service_credits: {note} (tiers: below which attainment, what credit)")
        )
        return
    out.append("service_credits:")
    sla = "availability" if t.availability is not None else None
    if t.credit_tiers:
        out.append("  tiers:")
        for below, credit in t.credit_tiers:
            if sla is None:
                out.append(
                    f"    # - {{sla: TODO, below: {_q(below.value)}, credit: {_q(credit.value)}}}  # {where(below.sentence)}; TODO: which SLA?"
                )
            else:
                out.append(
                    f"    - {{sla: {sla}, below: {_q(below.value)}, credit: {_q(credit.value)}}}  # {where(below.sentence)}"
                )
    if t.credit_cap is not None:
        out.append(_line(1, "cap", _q(t.credit_cap.value), t.credit_cap))
    out.append(_todo(1, "claim_window and claim_process: how and by when a credit is claimed"))


def _exit(out: list[str], result: AuditResult) -> None:
    t = result.terms
    if (
        t.termination_notice is None
        and t.transition_period is None
        and t.data_return_deadline is None
    ):
        out.append(_todo(0, "exit: no notice, transition period or data-return deadline found"))
        return
    out.append("exit:")
    if t.termination_notice is not None:
        out.append(_line(1, "notice", t.termination_notice.value, t.termination_notice))
    if t.transition_period is not None:
        out.append("  transition_assistance:")
        out.append(_line(2, "period", t.transition_period.value, t.transition_period))
    else:
        out.append(_todo(1, "transition_assistance: no transition period found"))
    if t.data_return_deadline is not None:
        out.append("  data_return:")
        out.append(_line(2, "deadline", t.data_return_deadline.value, t.data_return_deadline))
    else:
        out.append(_todo(1, "data_return: no deadline for returning the data found"))


def _gaps(out: list[str], result: AuditResult) -> None:
    """A closing list of the profile's requirements the contract does not meet."""
    missing = [r for r in result.requirements if r.status is not Presence.PRESENT]
    if not missing:
        return
    out.append("")
    out.append(f"# TODO — what the audit ({result.profile}) did not find in the contract:")
    for status in missing:
        names = ", ".join(e.element for e in status.elements if e.status is not Presence.PRESENT)
        note = "redacted" if status.status is Presence.REDACTED else "absent"
        out.append(f"#   {status.requirement.citation}: {names} ({note})")

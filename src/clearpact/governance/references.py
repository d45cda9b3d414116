"""Register entries that name something the agreement does not have: a meeting, report,
service, escalation level or framework (a typo, or evidence of the wrong agreement).

Pure: returns paths into the register; ``clearpact.ingest.register`` locates them in the file.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from clearpact.agreement.model import Agreement
from clearpact.governance.register import Register


@dataclass(frozen=True)
class UnknownReference:
    """One entry's name the agreement does not know, with the names it does."""

    path: tuple[str | int, ...]
    message: str
    hint: str | None


def _check(
    path: tuple[str | int, ...], value: str, known: list[str], what: str
) -> UnknownReference | None:
    if any(value.strip().casefold() == k.strip().casefold() for k in known):
        return None
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.5)
    hint = (
        f"did you mean '{close[0]}'?"
        if close
        else (f"the agreement has: {', '.join(repr(k) for k in known)}" if known else None)
    )
    article = "an" if what[0] in "aeiou" else "a"
    return UnknownReference(path, f"'{value}' is not {article} {what} of the agreement", hint)


def unknown_references(agreement: Agreement, register: Register) -> list[UnknownReference]:
    """Every register entry whose meeting, report, DR service, escalation level or
    certification framework the agreement does not name (names compare without case).

    Such an entry is evidence of nothing: ``obligations`` ignores it, ``record`` refuses it.
    """
    governance, risk = agreement.governance, agreement.risk
    meetings = [m.name for m in governance.meetings] if governance else []
    reports = [r.name for r in governance.reports] if governance else []
    levels = [str(e.level) for e in governance.escalation] if governance else []
    services = [d.service for d in risk.disaster_recovery] if risk else []
    frameworks = [c.framework for c in risk.compliance] if risk else []
    found = [
        *(
            _check(("meetings", i, "name"), m.name, meetings, "meeting")
            for i, m in enumerate(register.meetings)
        ),
        *(
            _check(("reports", i, "name"), r.name, reports, "report")
            for i, r in enumerate(register.reports)
        ),
        *(
            _check(("escalations", i, "level"), str(e.level), levels, "escalation level")
            for i, e in enumerate(register.escalations)
        ),
        *(
            _check(("dr_tests", i, "service"), t.service, services, "service with DR terms")
            for i, t in enumerate(register.dr_tests)
        ),
        *(
            _check(("certifications", i, "framework"), c.framework, frameworks, "framework")
            for i, c in enumerate(register.certifications)
        ),
    ]
    return [f for f in found if f is not None]

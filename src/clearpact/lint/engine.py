"""The rule engine: rule objects, findings, the registry, and the clarity score.

Pure: rules read the typed agreement and yield findings with dotted key paths; turning a path
into a file position is the caller's job (``AgreementDocument.locate``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from clearpact.agreement.model import Agreement
from clearpact.diagnostics import Severity


class Section(StrEnum):
    """Where in the contracting blueprint a rule belongs."""

    FOUNDATION = "foundation"  # parties, term, commercials, definitions, versions
    OBJECTIVES = "objectives"  # blueprint 1
    ENGAGEMENT = "engagement"  # blueprint 1
    SCOPE = "scope"  # blueprint 1
    PRIORITIES = "priorities"  # blueprint 2
    SLAS = "slas"  # blueprint 2
    KPIS = "kpis"  # blueprint 2
    CREDITS = "credits"  # blueprint 2
    GOVERNANCE = "governance"  # blueprint 2
    RISK = "risk"  # blueprint 3
    EXIT = "exit"  # blueprint 3
    LANGUAGE = "language"  # clarity of free text, everywhere


class Family(StrEnum):
    """What kind of defect a rule finds."""

    COMPLETENESS = "completeness"
    MEASURABILITY = "measurability"
    CONSISTENCY = "consistency"
    LANGUAGE = "language"


Check = Callable[[Agreement], Iterable[tuple[str, str]]]


@dataclass(frozen=True)
class Rule:
    """One lint rule: a stable id, what it checks, and how to fix what it finds.

    ``check`` yields ``(path, message)`` pairs: the dotted key path of the problem and a
    sentence naming the specific thing that is wrong.
    """

    id: str
    name: str
    severity: Severity
    family: Family
    section: Section
    summary: str
    hint: str
    check: Check

    def run(self, agreement: Agreement) -> Iterator[Finding]:
        """The findings of this rule on one agreement."""
        for path, message in self.check(agreement):
            yield Finding(self.id, self.name, self.severity, self.section, message, path, self.hint)


@dataclass(frozen=True)
class Finding:
    """A problem found by a rule, at a dotted key path of the agreement."""

    rule: str
    name: str
    severity: Severity
    section: Section
    message: str
    path: str
    hint: str


RULES: dict[str, Rule] = {}


def rule(
    id: str,
    name: str,
    severity: Severity,
    family: Family,
    section: Section,
    summary: str,
    hint: str,
) -> Callable[[Check], Check]:
    """Register a check function as a rule; ids and names must be unique."""

    def register(check: Check) -> Check:
        if id in RULES or any(r.name == name for r in RULES.values()):
            raise ValueError(f"lint rule {id} ({name}) is registered twice")
        RULES[id] = Rule(id, name, severity, family, section, summary, hint, check)
        return check

    return register


def unset(section: object, *fields: str, empty_too: bool = False) -> list[str]:
    """The names among ``fields`` that ``section`` leaves unset (None; also empty if asked).

    >>> from clearpact.agreement.model import Engagement
    >>> unset(Engagement(model="co_managed", decides="joint"), "decides", "accountable")
    ['accountable']
    """
    return [
        name
        for name in fields
        if getattr(section, name) is None or (empty_too and not getattr(section, name))
    ]


WEIGHTS = {Severity.ERROR: 10, Severity.WARNING: 3, Severity.INFO: 1}


def clarity_score(findings: Iterable[Finding], rules: Iterable[Rule]) -> int:
    """The clarity score, 0–100: the weighted share of rules the agreement passes.

    ``score = round(100 × Σ w(r) for rules r with no finding / Σ w(r) for all rules)``, with
    weights error 10, warning 3, info 1. A rule counts once however often it fires, so a long
    agreement is not punished for its length; any error still fails the run (exit code 1).

    >>> clarity_score([], list(RULES.values()))
    100
    """
    rules = list(rules)
    failed = {finding.rule for finding in findings}
    total = sum(WEIGHTS[r.severity] for r in rules)
    passed = sum(WEIGHTS[r.severity] for r in rules if r.id not in failed)
    return round(100 * passed / total) if total else 100


@dataclass(frozen=True)
class LintResult:
    """All findings of a lint run, in rule order, and the clarity score."""

    findings: list[Finding]
    score: int

    @property
    def errors(self) -> int:
        """Number of error findings."""
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        """Number of warning findings."""
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)


def lint_agreement(agreement: Agreement, *, disabled: Iterable[str] = ()) -> LintResult:
    """Run every registered rule (except ``disabled`` ids) over ``agreement``."""
    skip = set(disabled)
    active = [r for r in RULES.values() if r.id not in skip]
    findings = [finding for r in active for finding in r.run(agreement)]
    return LintResult(findings, clarity_score(findings, active))

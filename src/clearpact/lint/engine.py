"""The rule engine: rule objects, findings, the registries per profile, and the clarity score.

Pure: rules read the typed agreement and yield findings with dotted key paths; turning a path
into a file position is the caller's job (``AgreementDocument.locate``). The ``blueprint``
profile runs ``RULES``; ``dora`` runs them and ``DORA_RULES`` (Regulation (EU) 2022/2554 Art. 30).
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
    REGULATORY = "regulatory"  # duties towards the customer's supervisor (DORA)


class Family(StrEnum):
    """What kind of defect a rule finds."""

    COMPLETENESS = "completeness"
    MEASURABILITY = "measurability"
    CONSISTENCY = "consistency"
    LANGUAGE = "language"
    REGULATORY = "regulatory"


class Profile(StrEnum):
    """Which rules ``lint`` runs: the blueprint's, or those plus a regulator's."""

    BLUEPRINT = "blueprint"
    DORA = "dora"  # the blueprint plus Regulation (EU) 2022/2554 Art. 30


Check = Callable[[Agreement], Iterable[tuple[str, str]]]


@dataclass(frozen=True)
class Rule:
    """One lint rule: a stable id, what it checks, and how to fix what it finds.

    ``check`` yields ``(path, message)`` pairs: the dotted key path of the problem and a
    sentence naming the specific thing that is wrong. A regulatory rule names the provision it
    checks in ``citation`` (``"DORA Art. 30(2)(a)"``), which each of its messages ends with;
    ``critical_only`` rules apply only to services that support critical or important functions.
    """

    id: str
    name: str
    severity: Severity
    family: Family
    section: Section
    summary: str
    hint: str
    check: Check
    profile: Profile = Profile.BLUEPRINT
    citation: str | None = None
    critical_only: bool = False

    def run(self, agreement: Agreement) -> Iterator[Finding]:
        """The findings of this rule on one agreement."""
        for path, message in self.check(agreement):
            if self.citation:
                message = f"{message} [{self.citation}]"
            yield Finding(
                self.id,
                self.name,
                self.severity,
                self.section,
                message,
                path,
                self.hint,
                self.citation,
            )


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
    citation: str | None = None


RULES: dict[str, Rule] = {}
"""The blueprint's rules (the ``blueprint`` profile, the default)."""

DORA_RULES: dict[str, Rule] = {}
"""What the ``dora`` profile adds to ``RULES``: DORA Art. 30(2), and 30(3) when critical."""

_REGISTRIES = {Profile.BLUEPRINT: RULES, Profile.DORA: DORA_RULES}


def rule(
    id: str,
    name: str,
    severity: Severity,
    family: Family,
    section: Section,
    summary: str,
    hint: str,
    *,
    profile: Profile = Profile.BLUEPRINT,
    citation: str | None = None,
    critical_only: bool = False,
) -> Callable[[Check], Check]:
    """Register a check function as a rule of ``profile``; ids and names are unique across
    every profile."""

    def register(check: Check) -> Check:
        every = [r for registry in _REGISTRIES.values() for r in registry.values()]
        if any(r.id == id or r.name == name for r in every):
            raise ValueError(f"lint rule {id} ({name}) is registered twice")
        _REGISTRIES[profile][id] = Rule(
            id,
            name,
            severity,
            family,
            section,
            summary,
            hint,
            check,
            profile,
            citation,
            critical_only,
        )
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


def is_critical(agreement: Agreement, critical: bool | None = None) -> bool:
    """Whether the services support critical or important functions (DORA Art. 30(3)):
    ``critical`` when given, else the agreement's ``regulatory.critical_or_important``, else
    True — the stricter reading, as ``clearpact audit`` assumes.

    >>> from clearpact.agreement.model import Agreement
    >>> minimal = {"version": "clearpact/v1", "title": "t",
    ...            "parties": {"provider": {"name": "P"}, "customer": {"name": "C"}}}
    >>> is_critical(Agreement.model_validate(minimal))
    True
    >>> is_critical(Agreement.model_validate(minimal), critical=False)
    False
    """
    if critical is not None:
        return critical
    regulatory = agreement.regulatory
    if regulatory is not None and regulatory.critical_or_important is not None:
        return regulatory.critical_or_important
    return True


def profile_rules(profile: Profile = Profile.BLUEPRINT, *, critical: bool = True) -> list[Rule]:
    """The rules ``profile`` runs, in order: the blueprint's, then the profile's own (without
    the ``critical_only`` ones when ``critical`` is False).

    >>> len(profile_rules()) == len(RULES)
    True
    """
    own = [] if profile is Profile.BLUEPRINT else list(_REGISTRIES[profile].values())
    return [*RULES.values(), *(r for r in own if critical or not r.critical_only)]


def lint_agreement(
    agreement: Agreement,
    *,
    disabled: Iterable[str] = (),
    profile: Profile = Profile.BLUEPRINT,
    critical: bool | None = None,
) -> LintResult:
    """Run the rules of ``profile`` (except ``disabled`` ids) over ``agreement``; the score is
    over the rules that ran. ``critical`` decides whether DORA Art. 30(3) applies (see
    :func:`is_critical`); the blueprint profile ignores it."""
    skip = set(disabled)
    rules = profile_rules(profile, critical=is_critical(agreement, critical))
    active = [r for r in rules if r.id not in skip]
    findings = [finding for r in active for finding in r.run(agreement)]
    return LintResult(findings, clarity_score(findings, active))

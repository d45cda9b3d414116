"""Language rules (CP5xx): vague words in the agreement's free text, from the weak-phrase
lexicon (``lexicon.yaml``, every entry with its source). Pure: reads the typed agreement and
the packaged lexicon.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import Enum

from pydantic import BaseModel

from clearpact.agreement.model import Agreement
from clearpact.agreement.slas import TicketSla
from clearpact.diagnostics import Severity
from clearpact.lint.engine import Family, Section, rule
from clearpact.lint.lexicon import LexiconEntry, load_lexicon

Found = Iterator[tuple[str, str]]
W = Severity.WARNING
L = Family.LANGUAGE

# Fields that hold names, ids or references, not prose; the lexicon does not apply to them.
_NOT_PROSE = {
    "id",
    "version",
    "formula",
    "calendar",
    "sla",
    "service",
    "timezone",
    "country",
    "subdivision",
    "metric",
    "name",
    "framework",
    "email",
    "phone",
    "item",
}


def free_text(node: object, path: str = "") -> Iterator[tuple[str, str]]:
    """Every prose string in the agreement with its dotted path (names and ids left out)."""
    if isinstance(node, Enum):
        return
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, BaseModel):
        for field in type(node).model_fields:
            if field not in _NOT_PROSE:
                yield from free_text(getattr(node, field), f"{path}.{field}" if path else field)
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from free_text(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from free_text(item, f"{path}[{i}]")


def _phrases(a: Agreement, category: str) -> Iterator[tuple[str, str, LexiconEntry, str]]:
    lexicon = load_lexicon()
    entries = [e for e in lexicon.for_use("agreement") if e.category == category]
    provider = a.parties.provider.name
    for path, text in free_text(a):
        for entry in entries:
            words = entry.search(text, provider)
            if words is not None:
                yield path, text, entry, words


def _finding(entry: LexiconEntry, words: str) -> str:
    return f"'{words}': {entry.why}; {entry.instead} [{entry.id}; {', '.join(entry.sources)}]"


def _category_rule(category: str) -> object:
    def check(a: Agreement) -> Found:
        for path, _text, entry, words in _phrases(a, category):
            yield path, _finding(entry, words)

    check.__name__ = f"vague_{category}"
    return check


_CATEGORIES = [
    (
        "CP501",
        "effort-language",
        "effort",
        "No promise of effort instead of result ('best efforts', 'endeavour to').",
    ),
    (
        "CP502",
        "open-time-language",
        "open_time",
        "No time word without a number ('promptly', 'as soon as possible', 'timely').",
    ),
    (
        "CP503",
        "subjective-language",
        "subjective",
        "No subjective quality words ('reasonable', 'adequate', 'appropriate', 'industry standard').",
    ),
    (
        "CP504",
        "open-scope-language",
        "open_scope",
        "No open-ended scope ('including but not limited to', 'etc.', 'and/or', 'as required').",
    ),
    (
        "CP505",
        "discretion-language",
        "discretion",
        "No one-sided discretion or measurement ('at its sole discretion', 'as determined by the provider').",
    ),
    (
        "CP506",
        "open-cost-language",
        "open_cost",
        "No price left open ('reasonable charges', 'then-current rates').",
    ),
]

for _id, _name, _category, _summary in _CATEGORIES:
    rule(
        _id,
        _name,
        W,
        L,
        Section.LANGUAGE,
        _summary,
        "replace the phrase with a number, a named party or a closed list (see the message)",
    )(
        _category_rule(_category)  # type: ignore[arg-type]
    )


@rule(
    "CP507",
    "round-the-clock-claim",
    Severity.ERROR,
    L,
    Section.SLAS,
    "A '24/7' claim matches the calendar: the SLA it describes runs on a 24x7 calendar.",
    "measure the SLA on a 24x7 calendar, or remove the round-the-clock claim",
)
def round_the_clock_claim(a: Agreement) -> Found:
    always = {name for name, calendar in a.calendars.items() if calendar.is_24x7}
    for path, _text, entry, words in _phrases(a, "round_the_clock"):
        owner = path.split(".")[1] if path.startswith("slas.") else None
        sla = a.slas.get(owner) if owner else None
        if isinstance(sla, TicketSla):
            calendars = {sla.calendar_for(p) for p in sla.targets} | {sla.calendar}
            if calendars - {None} <= always and calendars - {None}:
                continue
            yield (
                path,
                f"'{words}' but SLA '{owner}' is measured on a business-hours calendar; {entry.instead}",
            )
        elif not always:
            yield path, f"'{words}' but no calendar in the agreement is 24x7; {entry.instead}"

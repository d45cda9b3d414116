"""Which elements a contract contains (present, absent or redacted, with the evidence sentence),
and which profile requirements (the blueprint, DORA Art. 30) they meet.

The elements, their patterns and the profiles live in ``elements.yaml`` (versioned data; every
pattern's rationale in ``docs/audit.md``). Pure: reads only its own package data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, cached_property
from importlib import resources

from ruamel.yaml import YAML

from clearpact.diagnostics import Severity
from clearpact.lint.prose.commitments import is_definition
from clearpact.lint.prose.document import Sentence
from clearpact.lint.prose.quantities import durations, percentages
from clearpact.lint.prose.sentences import Structure


class Presence(StrEnum):
    """What the audit found of an element."""

    PRESENT = "present"
    ABSENT = "absent"
    REDACTED = "redacted"


@dataclass(frozen=True)
class Pattern:
    """One way to recognise an element in a sentence: every regex must match."""

    all: tuple[re.Pattern[str], ...]

    def matches(self, text: str) -> bool:
        """True when every regex occurs in ``text``."""
        return all(p.search(text) for p in self.all)


@dataclass(frozen=True)
class Element:
    """An element of a contract (``service_levels_quantitative``) and how to recognise it."""

    id: str
    name: str
    why: str
    how: str
    headings: tuple[re.Pattern[str], ...]
    under_heading: re.Pattern[str] | None
    sentences: tuple[Pattern, ...]
    quantity: str | None

    @cached_property
    def prefilter(self) -> re.Pattern[str] | None:
        """One regex that any sentence matching a pattern must match: the first regexes of all
        patterns as alternatives. Most sentences fail it, and one search replaces ~5."""
        if not self.sentences:
            return None
        return _regex("|".join(f"(?:{p.all[0].pattern})" for p in self.sentences))

    def matches(self, text: str) -> bool:
        """True when one of the element's sentence patterns matches ``text``."""
        if self.prefilter is None or not self.prefilter.search(text):
            return False
        return any(p.matches(text) for p in self.sentences)

    def has_quantity(self, text: str) -> bool:
        """True when ``text`` holds the number this element needs (or it needs none)."""
        if self.quantity is None:
            return True
        has_duration = bool(durations(text))
        has_percent = bool(percentages(text))
        if self.quantity == "duration":
            return has_duration
        if self.quantity == "percent":
            return has_percent
        return has_duration or has_percent


@dataclass(frozen=True)
class Requirement:
    """A requirement of a profile: the elements it needs, the citation, and how much it matters.

    ``critical_only`` requirements (DORA Art. 30(3)) apply only to ICT services that support
    critical or important functions.
    """

    id: str
    citation: str
    severity: Severity
    elements: tuple[str, ...]
    summary: str
    profile: str
    critical_only: bool = False


@dataclass(frozen=True)
class Profile:
    """A named set of requirements; ``dora`` extends ``blueprint``."""

    id: str
    name: str
    source: str
    requirements: tuple[Requirement, ...]


@dataclass(frozen=True)
class Catalogue:
    """The loaded ``elements.yaml``."""

    version: str
    sources: dict[str, str]
    elements: dict[str, Element]
    profiles: dict[str, Profile]


def _regex(text: object) -> re.Pattern[str]:
    return re.compile(str(text), re.IGNORECASE)


@cache
def load_catalogue() -> Catalogue:
    """The element catalogue shipped with clearpact (``clearpact/lint/prose/elements.yaml``).

    >>> sorted(load_catalogue().profiles)
    ['blueprint', 'dora']
    """
    text = resources.files("clearpact.lint.prose").joinpath("elements.yaml").read_text("utf-8")
    data = YAML(typ="safe").load(text)
    elements: dict[str, Element] = {}
    for element_id, item in data["elements"].items():
        patterns = []
        for pattern in item.get("sentences", []):
            regexes = pattern["all"] if isinstance(pattern, dict) else [pattern]
            patterns.append(Pattern(tuple(_regex(r) for r in regexes)))
        quantity = item.get("quantity")
        if quantity not in (None, "duration", "percent", "duration_or_percent"):
            raise ValueError(f"element {element_id}: unknown quantity {quantity!r}")
        under = item.get("under_heading")
        elements[str(element_id)] = Element(
            id=str(element_id),
            name=str(item["name"]),
            why=str(item["why"]),
            how=str(item["how"]),
            headings=tuple(_regex(h) for h in item.get("headings", [])),
            under_heading=None if under is None else _regex(under),
            sentences=tuple(patterns),
            quantity=quantity,
        )
    sources = {str(k): str(v) for k, v in data["sources"].items()}
    profiles: dict[str, Profile] = {}
    for profile_id, item in data["profiles"].items():
        inherited = profiles[item["extends"]].requirements if "extends" in item else ()
        if item["source"] not in sources:
            raise ValueError(f"profile {profile_id} cites unknown source {item['source']}")
        own = []
        for req in item["requirements"]:
            unknown = [e for e in req["elements"] if e not in elements]
            if unknown:
                raise ValueError(f"requirement {req['id']} names unknown elements {unknown}")
            own.append(
                Requirement(
                    id=str(req["id"]),
                    citation=str(req["citation"]),
                    severity=Severity(req["severity"]),
                    elements=tuple(str(e) for e in req["elements"]),
                    summary=str(req["summary"]),
                    profile=str(profile_id),
                    critical_only=bool(req.get("critical_only", False)),
                )
            )
        profiles[str(profile_id)] = Profile(
            str(profile_id), str(item["name"]), str(item["source"]), (*inherited, *own)
        )
    return Catalogue(str(data["version"]), sources, elements, profiles)


@dataclass(frozen=True)
class ElementStatus:
    """What the audit found of one element: present with its evidence sentence, redacted (the
    only evidence is redacted), or absent. ``via`` says how it was found: ``sentence`` (a
    sentence pattern) or ``heading`` (a clause title, then a sentence of that clause)."""

    element: str
    name: str
    status: Presence
    sentence: Sentence | None = None
    via: str | None = None

    @property
    def present(self) -> bool | None:
        """True, False, or None when redacted (neither seen nor missing)."""
        return {Presence.PRESENT: True, Presence.ABSENT: False, Presence.REDACTED: None}[
            self.status
        ]


def find_elements(structure: Structure, redacted: set[int]) -> list[ElementStatus]:
    """The status of every element in the catalogue, in catalogue order.

    ``redacted`` holds the indices of sentences that contain a redaction mark. Evidence is the
    first sentence that proves the element (its words, and its number when it needs one):
    sentences that match a pattern before definitions, before sentences under a matching
    heading, each in reading order. A sentence with a redaction mark still proves it when the
    words and the number are outside the mark. An element whose only candidates are redacted
    sentences is REDACTED.
    """
    found = []
    readings = _readings(structure)
    for element in load_catalogue().elements.values():
        candidates = _candidates(structure, readings, element)
        clean = [
            (s, via)
            for s, via in candidates
            if element.has_quantity(s.text) and not _only_marks(s.text) and _WORD.search(s.text)
        ]
        hidden = [s for s, _ in candidates if s.index in redacted]
        if clean:
            sentence, via = clean[0]
            found.append(ElementStatus(element.id, element.name, Presence.PRESENT, sentence, via))
        elif hidden:
            found.append(
                ElementStatus(element.id, element.name, Presence.REDACTED, hidden[0], "redacted")
            )
        else:
            found.append(ElementStatus(element.id, element.name, Presence.ABSENT))
    return found


def _candidates(
    structure: Structure, readings: list[str], element: Element
) -> list[tuple[Sentence, str]]:
    """Sentences that may prove ``element``, in reading order, with how they were found;
    ``readings`` are the sentences as :func:`_readings` gives them."""
    candidates: list[tuple[Sentence, str]] = []
    for clause in structure.clauses:
        if clause.title and any(h.search(clause.title) for h in element.headings):
            candidates.extend(
                (s, "heading")
                for s in structure.sentences_in(clause.index, below=True)
                if element.under_heading is None or element.under_heading.search(s.text)
            )
    candidates.extend(
        (s, "sentence")
        for s, read in zip(structure.sentences, readings, strict=True)
        if element.matches(read)
    )
    # Best evidence first: a sentence that says it, then a definition that names it, then a
    # sentence found under a matching heading.
    candidates.sort(key=lambda c: (c[1] != "sentence", is_definition(c[0].text), c[0].index))
    return candidates


_INLINE_ITEM = re.compile(r"\((?:[ivx]{1,5}|[a-z]|\d{1,2})\)\s", re.IGNORECASE)


def _readings(structure: Structure) -> list[str]:
    """Each sentence as element patterns read it: a list item with the words that introduce
    its list, which often hold the condition the element needs ("Upon termination of this
    Agreement (i) each Party shall return …" splits into two sentences)."""
    readings: list[str] = []
    lead: tuple[int, str] | None = None  # (paragraph, words) of an unfinished sentence
    for sentence in structure.sentences:
        text = sentence.text
        if sentence.lead_in is not None:
            readings.append(f"{sentence.lead_in} {text}")
            continue
        if _INLINE_ITEM.match(text):
            if lead is not None and lead[0] == sentence.paragraph:
                text = f"{lead[1]} {text}"
        else:
            lead = None if text.endswith((".", "!", "?")) else (sentence.paragraph, text)
        readings.append(text)
    return readings


_WORD = re.compile(r"[^\W\d_]{2}")  # evidence says something: "2 10.23" (a page footer) does not
_MARK_ONLY = re.compile(r"^[\W_]*(\[[^\]]*\]|\*+|█+|■+)[\W_]*$")


def _only_marks(text: str) -> bool:
    """True for a sentence that is nothing but a redaction mark (``[***]``)."""
    return _MARK_ONLY.match(text) is not None


@dataclass(frozen=True)
class RequirementStatus:
    """A profile requirement and what the audit found of each of its elements."""

    requirement: Requirement
    elements: tuple[ElementStatus, ...]

    @property
    def status(self) -> Presence:
        """Present when every element is; absent when any is absent; otherwise redacted."""
        states = {e.status for e in self.elements}
        if Presence.ABSENT in states:
            return Presence.ABSENT
        if Presence.REDACTED in states:
            return Presence.REDACTED
        return Presence.PRESENT


def check_profile(
    profile: str, elements: list[ElementStatus], *, critical: bool = True
) -> list[RequirementStatus]:
    """The requirements of ``profile`` with the status of their elements; ``critical`` False
    leaves out the requirements that apply only to critical or important functions."""
    catalogue = load_catalogue()
    if profile not in catalogue.profiles:
        raise ValueError(f"unknown profile {profile!r}; known: {', '.join(catalogue.profiles)}")
    by_id = {e.element: e for e in elements}
    return [
        RequirementStatus(req, tuple(by_id[e] for e in req.elements))
        for req in catalogue.profiles[profile].requirements
        if critical or not req.critical_only
    ]

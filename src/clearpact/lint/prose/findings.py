"""The audit's rules (CP6xx) and the findings they make on a contract's sentences.

Phrase rules come from the weak-phrase lexicon (``lint/lexicon.yaml``, the entries that apply to
prose): effort, open time, subjective words, open scope and open cost count only in a
commitment and not under a negation; discretion counts anywhere; an open time word with a
number in the same part of the sentence is cleared. Number rules (a measure without its basis,
words and digits that disagree), undefined terms and redaction marks look at every sentence.
Clause rules (CP620–CP622) report the profile's requirements. Pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from clearpact.diagnostics import Severity
from clearpact.lint.lexicon import LexiconEntry, load_lexicon
from clearpact.lint.prose.commitments import (
    has_time_backstop,
    is_commitment,
    is_definition,
    is_negated,
)
from clearpact.lint.prose.definitions import Definition, TermUse, in_capitals
from clearpact.lint.prose.document import BlockKind, Sentence
from clearpact.lint.prose.elements import Presence, RequirementStatus
from clearpact.lint.prose.quantities import PERIOD, number_pairs, percentages
from clearpact.lint.prose.sentences import Structure

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


@dataclass(frozen=True)
class ProseRule:
    """One audit rule: a stable id, the category it reports, and how to fix what it finds.

    ``commitment_only`` rules report a phrase only inside an obligation sentence.
    """

    id: str
    name: str
    category: str
    severity: Severity
    summary: str
    hint: str
    commitment_only: bool = False


PROSE_RULES: dict[str, ProseRule] = {
    r.id: r
    for r in [
        ProseRule("CP601", "effort-commitment", "effort", W, "A commitment promises a result, not an effort ('best efforts', 'endeavour to').", "state the result and its deadline", True),
        ProseRule("CP602", "open-time-commitment", "open_time", W, "A commitment's time word has a number behind it ('promptly' alone is not a deadline).", "add a duration, e.g. 'and in any event within 24 hours'", True),
        ProseRule("CP603", "subjective-commitment", "subjective", W, "A commitment has a criterion both sides can check, not a quality word ('adequate', 'appropriate').", "state the measure and the threshold", True),
        ProseRule("CP604", "open-scope-commitment", "open_scope", W, "A commitment's list bounds it ('including but not limited to', 'etc.', 'as required').", "list what is included and say the list is complete", True),
        ProseRule("CP605", "one-sided-measure", "discretion", W, "No side decides or measures alone ('as determined by Provider', 'at its sole discretion').", "name the criterion or the measurement source both sides can read"),
        ProseRule("CP606", "open-cost", "open_cost", W, "A price is stated, not left open ('reasonable charges', 'then-current rates').", "give the rate and the unit, or a cap"),
        ProseRule("CP607", "measure-without-basis", "number_without_basis", W, "A service-level number has its unit, period and definition ('99.9% uptime' per calendar month, with downtime defined).", "state the period, what counts as downtime and who measures it"),
        ProseRule("CP608", "words-and-digits-disagree", "number_words", E, "A number written in words and digits says the same twice ('thirty (30) days').", "correct one of the two; courts often prefer the words"),
        ProseRule("CP609", "undefined-term", "undefined_term", INFO, "A capitalised term used as a defined term is defined in the document.", "define the term, or write it in lower case"),
        ProseRule("CP610", "redacted-text", "redacted", INFO, "Redacted text is reported as redacted, never as missing.", "read the unredacted contract before relying on this sentence"),
        ProseRule("CP620", "blueprint-clause-missing", "clause", W, "The contract contains each element of the contracting blueprint.", "add the clause; clearpact's agreement format has a section for each element"),
        ProseRule("CP621", "dora-clause-missing", "clause", E, "The contract contains each provision of DORA Art. 30(2) (and 30(3) for critical or important functions).", "add the provision; see Regulation (EU) 2022/2554 Art. 30"),
        ProseRule("CP622", "clause-redacted", "clause", INFO, "An element found only in redacted text cannot be checked.", "read the unredacted contract to check this element"),
    ]
}  # fmt: skip

_PHRASE_RULES = {r.category: r for r in PROSE_RULES.values() if r.id <= "CP606"}


@dataclass(frozen=True)
class ProseFinding:
    """A problem in one sentence (or, for an absent element, in the whole document).

    ``text`` is the sentence exactly as the audit read it ("" for an absent element);
    ``start``/``end`` mark ``match`` inside it. Clause findings carry ``element``, ``present``
    (False when absent, None when redacted) and ``citation`` ("DORA Art. 30(2)(a)").
    """

    rule: str
    name: str
    category: str
    severity: Severity
    message: str
    hint: str
    text: str = ""
    page: int | None = None
    paragraph: int | None = None
    sentence: int | None = None
    line: int | None = None
    match: str | None = None
    start: int | None = None
    end: int | None = None
    entry: str | None = None
    sources: tuple[str, ...] = ()
    element: str | None = None
    present: bool | None = None
    citation: str | None = None


def _finding(
    rule: ProseRule,
    sentence: Sentence,
    message: str,
    span: tuple[int, int] | None = None,
    *,
    entry: LexiconEntry | None = None,
    severity: Severity | None = None,
    sources: tuple[str, ...] = (),
) -> ProseFinding:
    start, end = span if span else (None, None)
    return ProseFinding(
        rule=rule.id,
        name=rule.name,
        category=rule.category,
        severity=severity or rule.severity,
        message=message,
        hint=entry.instead if entry else rule.hint,
        text=sentence.text,
        page=sentence.page,
        paragraph=sentence.paragraph,
        sentence=sentence.index,
        line=sentence.line,
        match=sentence.text[start:end] if span else None,
        start=start,
        end=end,
        entry=entry.id if entry else None,
        sources=entry.sources if entry else sources,
    )


def committed(sentence: Sentence) -> bool:
    """True when the sentence is a commitment, or a list item under one ("The Provider shall:")."""
    if is_commitment(sentence.text):
        return True
    if (
        sentence.kind is BlockKind.LIST_ITEM or _ENUMERATED.match(sentence.text)
    ) and _DUTY_ITEM.match(sentence.text):
        return True
    lead_in = sentence.lead_in
    return lead_in is not None and (
        is_commitment(lead_in) or _CONDITION_LEAD_IN.search(lead_in) is not None
    )


_ENUMERATED = re.compile(r"^\W*(\(?([a-z]|[ivx]{1,5}|\d{1,2})\)|\d{1,2}(\.\d{1,2}){1,3}\.?)\s")
"""A sentence that starts with "(ii) ", "b) " or "2.3.5 ": an item of an enumerated list."""
_DUTY_ITEM = re.compile(
    r"^\W*(\(?([a-z]|[ivx]+|\d+)[.)]\s*)?(promptly\s+|immediately\s+|timely\s+|not\s+|also\s+)?"
    r"(provide|notify|return|deliver|maintain|keep|hold|make|use|give|pay|perform|ensure|comply|"
    r"cooperate|furnish|allow|permit|restrict|prohibit|take|inform|report|destroy|protect|submit|"
    r"obtain|respond|repair|replace|remit|store|disclose|advise|correct|install|supply|send|"
    r"forward|prepare|issue|record|retain|review|assist|implement|monitor|test|train|reimburse)\b",
    re.I,
)
"""A list item that is a bare duty ("promptly return all data …", "(x) notify the Customer …"):
the continuation of a "Vendor shall:" whose lead-in a page break or a footer separated."""
_CONDITION_LEAD_IN = re.compile(
    r"\b(provided\s+that|contingent\s+(up)?on|conditioned\s+(up)?on|on\s+condition\s+that)\b[^.;]{0,60}$",
    re.I,
)
"""A list of duties under a condition: "provided that Customer: 1. promptly notifies …"."""


def phrase_findings(
    sentence: Sentence,
    *,
    provider: str | None = None,
    parties: tuple[str, ...] = (),
    everyone: tuple[str, ...] = (),
) -> list[ProseFinding]:
    """The lexicon's findings in one sentence, at most one per overlapping span. ``parties``
    are the short names the contract gives the provider (``{provider}`` in the lexicon),
    ``everyone`` those of all its parties (``{party}``)."""
    text = sentence.text
    if is_definition(text):
        return []  # a definition says what a word means; it owes nothing (LABELLING.md A.2)
    commitment = committed(sentence)
    hits: list[tuple[int, int, LexiconEntry]] = []
    for entry in load_lexicon().for_use("prose"):
        if entry.category in _PHRASE_RULES:
            hits.extend(
                (start, end, entry)
                for start, end in entry.spans_in_prose(text, provider, parties, everyone)
            )
    # One phrase, one finding: the longest match at the earliest start wins, and the filters
    # below judge that phrase ("as soon as possible", not the "soon" inside it).
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    longest: list[tuple[int, int, LexiconEntry]] = []
    for start, end, entry in hits:
        if all(end <= a or start >= b for a, b, _ in longest):
            longest.append((start, end, entry))
    kept = []
    for start, end, entry in longest:
        rule = _PHRASE_RULES[entry.category]
        if rule.commitment_only and not (commitment or _SCOPE_SENTENCE.match(text)):
            continue
        if rule.category in _NAMED_TERM_CATEGORIES and in_capitalised_term(text, start, end):
            continue
        if is_negated(text, start):
            continue
        if rule.category == "open_time" and has_time_backstop(text, start, end):
            continue
        if rule.category == "open_cost" and _priced(text, end):
            continue
        if entry.id == "normal" and _HOURS_GIVEN.search(text):
            continue
        if rule.category == "open_scope" and (
            _DISCLAIMER.search(_part_before(text, start)) or _illustration(text, start, end)
        ):
            continue
        kept.append((start, end, entry))
    return [
        _finding(
            _PHRASE_RULES[entry.category],
            sentence,
            f"'{text[start:end]}': {entry.why}",
            (start, end),
            entry=entry,
        )
        for start, end, entry in kept
    ]


_SCOPE_SENTENCE = re.compile(
    r"^\W*(this|these|such|the\s+services?|services?|support|maintenance|the\s+work)\b"
    r"(?:(?!\b(?:not|no|never|may|might|can|could)\b)[^.;]){0,60}?"
    r"\b(includes?|covers?|consists?\s+of|comprises?)\b",
    re.I,
)
"""A sentence that says what an obligation comprises ("This includes, but is not limited to,
…"; "Such additional action includes …"; "This includes regular backups"): a vague word there
qualifies the obligation it describes."""
_HOURS_GIVEN = re.compile(
    r"\b(mon(day)?)\b[^.;]{0,20}\b(fri(day)?|sat(urday)?|sun(day)?)\b|\b\d{1,2}[.:]\d{2}\b|\b\d{1,2}\s*(am|pm|a\.m\.|p\.m\.)",
    re.I,
)
"""Days or times of day in the sentence: "normal business hours, Monday to Friday 8:00–18:00"
says what the normal hours are."""
_NAMED_TERM_CATEGORIES = frozenset({"subjective", "open_cost", "open_time", "open_scope"})


def in_capitalised_term(text: str, start: int, end: int) -> bool:
    """True when the phrase at ``start``–``end`` is part of a capitalised name, such as a defined
    term ("Normal Business Hours", "Additional Fees"): the term's definition, not the word,
    says what it means. A sentence in capitals throughout is not a name.

    >>> s = 'Credits apply to Downtime during Normal Business Hours.'
    >>> in_capitalised_term(s, s.index("Normal"), s.index("Normal") + 15)
    True
    >>> s = "Reasonable efforts will be used."
    >>> in_capitalised_term(s, 0, 18)
    False
    >>> s = "Vendor shall deliver the Material on time."
    >>> in_capitalised_term(s, s.index("Material"), s.index("Material") + 8)
    True
    """
    phrase = text[start:end]
    if not phrase[:1].isupper() or in_capitals(text):
        return False
    words = phrase.split()
    if len(words) > 1 and all(w[:1].isupper() for w in words):
        return True
    lead = text[:start].rstrip()
    if re.sub(r"^(\W|\d|\b[A-Za-z]\b|\b[ivx]+\b)*", "", lead) and not re.search(
        r"[.:;!?(\"“]$", lead
    ):
        return True  # a capital in the middle of a sentence: a name ("the Material and Services")
    after = re.match(r"\s+([A-Za-z][\w-]*)", text[end:])
    before = re.search(r"([A-Za-z][\w-]*)\s+$", text[:start])
    return bool(after and after.group(1)[0].isupper()) or bool(
        before and before.group(1)[0].isupper() and before.group(1).lower() not in _LEADING_WORDS
    )


_LEADING_WORDS = frozenset({"the", "a", "an", "any", "all", "each", "such"})


_DISCLAIMER = re.compile(
    r"\b(in\s+no\s+event|(shall|will|is|are)\s+not\s+be\s+liable|not\s+(be\s+)?liable|no\s+liability|"
    r"disclaims?|does\s+not\s+warrant|makes?\s+no\s+(representations?|warrant)|without\s+warrant(y|ies)|"
    r"neither\s+party\b|no\s+party\s+(shall|may|will)\b|"
    r"\bas[- ]is\b|"
    r"indemnif\w*|hold\s+\w+\s+harmless|hold\s+harmless|defend\b[^;]*\bagainst)",
    re.I,
)
"""A disclaimer, an exclusion of liability or an indemnity: an open list there widens what is
excluded or indemnified, it does not leave an obligation open (LABELLING.md A.3, open_scope)."""


def _illustration(text: str, start: int, end: int) -> bool:
    """True for "such as", "or similar" or "including without limitation" inside brackets: an
    example given in passing ("(such as HTML pages)", "(or similar breach)", "(including without
    limitation its intellectual property)"), not a list of what must be done."""
    if not re.fullmatch(
        r"such\s+as|(or|and)\s+similar|including,?\s+(but\s+)?(not\s+limited\s+to|without\s+limitations?)",
        text[start:end],
        re.I,
    ):
        return False
    before = text[:start]
    return before.rfind("(") > before.rfind(")")


def _part_before(text: str, start: int) -> str:
    """The part of the sentence before ``start``, back to the last semicolon."""
    return text[:start].rsplit(";", 1)[-1]


_PRICE = re.compile(r"(EUR|USD|GBP|CHF|€|\$|£)\s?\d|\d\s?(EUR|USD|GBP|CHF|euros?)\b", re.I)


def _priced(text: str, end: int) -> bool:
    """True when an amount of money follows the open-cost phrase in the same part."""
    tail = re.split(r"[;]", text[end:], maxsplit=1)[0]
    return _PRICE.search(tail) is not None


def redaction_findings(sentence: Sentence) -> list[ProseFinding]:
    """One info finding per redaction mark in a sentence (each mark withholds its own term:
    "$[*] per hour beyond [*] hours" hides a rate and a number of hours), the longest mark
    where two overlap."""
    rule = PROSE_RULES["CP610"]
    marks = sorted(
        (
            (start, end, entry)
            for entry in load_lexicon().for_use("prose")
            if entry.category == "redacted"
            for start, end in entry.spans_in_prose(sentence.text)
        ),
        key=lambda m: (m[0], -(m[1] - m[0])),
    )
    kept: list[tuple[int, int, LexiconEntry]] = []
    for start, end, entry in marks:
        if all(end <= a or start >= b for a, b, _ in kept):
            kept.append((start, end, entry))
    return [
        _finding(
            rule,
            sentence,
            f"'{sentence.text[start:end]}': redacted in the source; the terms here cannot be checked",
            (start, end),
            entry=entry,
        )
        for start, end, entry in kept
    ]


def redacted_sentences(structure: Structure) -> set[int]:
    """The indices of sentences that contain a redaction mark."""
    return {s.index for s in structure.sentences if redaction_findings(s)}


def number_word_findings(sentence: Sentence) -> list[ProseFinding]:
    """``thirty (20) days``, ``$1.2 million (one million and twenty thousand)``: the words and
    the digits disagree (an error); ``$147.14.00``: the digits are no amount."""
    rule = PROSE_RULES["CP608"]
    found = []
    for pair in number_pairs(sentence.text):
        if pair.digits_value is None or pair.words_value is None:
            continue  # a redaction mark or text in the brackets is not a second number
        if pair.digits_value != pair.words_value:
            found.append(
                _finding(
                    rule,
                    sentence,
                    f"'{sentence.text[pair.start : pair.end]}': the words say {pair.words_value:,}, "
                    f"the digits {pair.digits}",
                    (pair.start, pair.end),
                    sources=load_lexicon().categories["number_words"].sources,
                )
            )
    for m in _MALFORMED_AMOUNT.finditer(sentence.text):
        found.append(
            _finding(
                rule,
                sentence,
                f"'{m.group()}': not an amount (two decimal points); which one was meant?",
                m.span(),
                sources=load_lexicon().categories["number_words"].sources,
            )
        )
    return found


_MALFORMED_AMOUNT = re.compile(r"(?<![\w.])[$€£]\s?\d[\d,]*\.\d+\.\d+(?![\d.]*\d)")
"""An amount of money with two decimal points, ``$147.14.00``: a typing error that leaves the
price open."""


_AVAILABILITY = re.compile(
    r"\b(availab(le|ility)|uptime|up\s*time|service\s+level\s+availability)\b", re.I
)
_DOWNTIME_DEFINED = re.compile(
    r"\b(downtime|unavailab\w+|outage|available)\b[^.]{0,40}\b(means?|is\s+defined|shall\s+be\s+(calculated|measured)|"
    r"is\s+calculated|is\s+measured|occurs|excludes?|excluding|shall\s+not\s+include|does\s+not\s+include)\b"
    r"|\b(calculated|measured)\s+(as|by|using|from|with|on\s+the\s+basis)\b|\bmonitor\w*\b",
    re.I,
)
_ATTAINMENT = re.compile(
    r"%\s+of\s+(all\s+)?(the\s+)?(incidents|tickets|calls|requests|cases|issues|P\d)", re.I
)
_UNIT_AFTER = (
    r"per\s*cent|percent|business|working|calendar|clock|consecutive|minutes?|mins?|hours?|hrs?|"
    r"days?|weeks?|months?|years?|seconds?|secs?|times?|occasions?|incidents?|tickets?|calls?|"
    r"users?|devices?|sites?|or\s+more|eur|usd|gbp|[hmd]"
)
_BARE_NUMBER = re.compile(
    r"\b(?P<lead>within|no\s+later\s+than|not\s+later\s+than|every|in\s+less\s+than)\s+"
    r"(?P<n>\d+(?:[.,]\d+)?)"
    rf"(?![\w%./:-])(?!\s*(?:\(|€|\$|£|%|,\s*\d|(?:or|and|to)\s+\d|(?:{_UNIT_AFTER})\b))",
    re.I,
)


def measure_findings(
    sentence: Sentence, structure: Structure, defined: set[str]
) -> list[ProseFinding]:
    """Numbers that cannot be measured as written.

    - an availability or uptime percentage with no measurement period, or with no definition of
      downtime or measurement method, in its sentence or its clause (and no defined term
      *Downtime*, *Availability* or *Unavailability* in the document);
    - an attainment percentage ("95% of incidents") with no period in its sentence or clause;
    - a number with no unit after "within", "no later than", "every", … ("within 4 of the
      end of the month"), in a commitment or a table row.
    """
    rule = PROSE_RULES["CP607"]
    text = sentence.text
    found: list[ProseFinding] = []
    if is_definition(text):
        return found
    sources = load_lexicon().categories["number_without_basis"].sources
    found_percentages = percentages(text)
    section = structure.section_of(sentence) if found_percentages else []
    section_text = " ".join(s.text for s in section)
    own = [s.text for s in structure.sentences_in(sentence.clause)] if found_percentages else []
    # A period counts when it is said of availability (4.2 "Availability is measured per
    # calendar month"), not when another sentence of the section mentions "each month".
    about_availability = [
        s.text for s in section if _AVAILABILITY.search(s.text) or "downtime" in s.text.lower()
    ]
    for quantity in found_percentages:
        window = text[max(0, quantity.start - 80) : quantity.end + 80]
        if _AVAILABILITY.search(window):
            missing = []
            if not any(PERIOD.search(s) for s in [text, *about_availability]):
                missing.append("no measurement period")
            if not (
                _DOWNTIME_DEFINED.search(section_text)
                or {"downtime", "availability", "unavailability", "uptime", "service availability"}
                & defined
            ):
                missing.append("no definition of downtime or of how availability is measured")
            if missing:
                found.append(
                    _finding(
                        rule,
                        sentence,
                        f"'{quantity.text}' availability: {' and '.join(missing)} in the sentence or its clause",
                        (quantity.start, quantity.end),
                        sources=sources,
                    )
                )
        elif _ATTAINMENT.search(text[quantity.start : quantity.end + 40]) and not any(
            PERIOD.search(s) for s in [text, *own]
        ):
            found.append(
                _finding(
                    rule,
                    sentence,
                    f"'{quantity.text}': a share of tickets with no period (per month? per quarter?)",
                    (quantity.start, quantity.end),
                    sources=sources,
                )
            )
    if committed(sentence) or sentence.kind is BlockKind.TABLE_ROW:
        for m in _BARE_NUMBER.finditer(text):
            found.append(
                _finding(
                    rule,
                    sentence,
                    f"'{m.group(0)}': a number with no unit (minutes? hours? days?)",
                    m.span(),
                    sources=load_lexicon().categories["number_without_basis"].sources,
                )
            )
    return found


def undefined_term_findings(
    uses: list[TermUse], structure: Structure, external: str | None
) -> list[ProseFinding]:
    """One note per undefined term, at its first use (a note, not a warning: a reader checks
    it; on the labelled real contracts most such terms were not what made a commitment vague)."""
    rule = PROSE_RULES["CP609"]
    by_index = {s.index: s for s in structure.sentences}
    found = []
    for use in uses:
        times = f"used {use.count} times" if use.count > 1 else "used"
        message = f"'{use.term}' is {times} as a defined term but never defined in this document"
        if external:
            message += "; the document says such terms are defined elsewhere"
        found.append(
            _finding(
                rule,
                by_index[use.sentence],
                message,
                (use.start, use.end),
                sources=load_lexicon().categories["undefined_term"].sources,
            )
        )
    return found


def clause_findings(requirements: list[RequirementStatus]) -> list[ProseFinding]:
    """One finding per element a requirement misses (or finds only redacted), citing it."""
    found = []
    for status in requirements:
        req = status.requirement
        for element in status.elements:
            if element.status is Presence.PRESENT:
                continue
            if element.status is Presence.REDACTED:
                rule = PROSE_RULES["CP622"]
                severity = rule.severity
                message = f"{req.citation}: {element.name} ({element.element}) appears only in redacted text; it cannot be checked"
            else:
                rule = PROSE_RULES["CP621" if req.profile == "dora" else "CP620"]
                severity = req.severity
                message = f"{req.citation}: no {element.name.lower()} ({element.element}) found; the contract should state {req.summary}"
            sentence = element.sentence
            found.append(
                ProseFinding(
                    rule=rule.id,
                    name=rule.name,
                    category=rule.category,
                    severity=severity,
                    message=message,
                    hint=rule.hint,
                    text=sentence.text if sentence else "",
                    page=sentence.page if sentence else None,
                    paragraph=sentence.paragraph if sentence else None,
                    sentence=sentence.index if sentence else None,
                    line=sentence.line if sentence else None,
                    element=element.element,
                    present=element.present,
                    citation=req.citation,
                )
            )
    return found


def defined_keys(definitions: dict[str, Definition]) -> set[str]:
    """The lower-case keys of the defined terms, for quick membership tests."""
    return set(definitions)

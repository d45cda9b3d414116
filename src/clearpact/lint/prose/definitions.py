"""Defined terms: which capitalised terms a contract defines, and which it uses as defined terms
without ever defining them. Pure: reads sentences and clauses.

A term is defined by ``"Business Day" means …`` (or *shall mean*, *includes*, *refers to*,
*has the meaning*; anywhere in the sentence), by a quoted term in brackets (``(the "Services")``,
``(each a "Service Request")``, ``hereinafter "Provider"``), by any capitalised term in quotation
marks (``identified as "Type I Materials"``), by ``Business Day means …`` at the start of a
sentence, or by ``Business Day: …`` (a list or a table row) in a clause titled *Definitions* or
*Interpretation*.

A term is *used as a defined term* when two or more capitalised words (joined at most by
*of*, *and*, *for*, *to*) end in a noun that contracts define (*Day*, *Fees*, *Services*,
*Credit*, *Period*, …, the list below) and stand inside a sentence. Names of laws, of the
parties and of the document itself end in other words (*Regulation*, *Ltd*, *Agreement* after
*this*), which keeps them out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from clearpact.lint.prose.commitments import is_commitment, is_definition
from clearpact.lint.prose.document import BlockKind, Sentence
from clearpact.lint.prose.sentences import Structure

_QUOTE_OPEN = "\"“‘'"
_QUOTE_CLOSE = "\"”’'"
_MEANS = r"(?:shall\s+)?(?:means?|includes?|refers?\s+to|has\s+the\s+meaning|is\s+defined\s+as|shall\s+have\s+the\s+meaning)"
_QUOTED_DEFINITION = re.compile(
    rf"^\W*[{_QUOTE_OPEN}](?P<term>[^{_QUOTE_CLOSE}]{{1,80}})[{_QUOTE_CLOSE}]\s*,?\s*(?P<means>{_MEANS})\b\s*:?\s*(?P<body>.*)",
    re.IGNORECASE,
)
_BRACKETED = re.compile(
    r"\(\s*(?:(?:each|together|collectively|individually|jointly|hereinafter|herein|further|"
    r"referred\s+to\s+as|a|an|the|and|or|as|being)[\s,]+)*"
    rf"[{_QUOTE_OPEN}](?P<term>[^{_QUOTE_CLOSE}]{{1,80}})[{_QUOTE_CLOSE}]",
    re.IGNORECASE,
)
_REFERRED = re.compile(
    rf"\b(?:referred\s+to\s+(?:herein\s+)?as|hereinafter(?:\s+called)?|defined\s+as)\s+(?:the\s+|a\s+|an\s+)?"
    rf"[{_QUOTE_OPEN}](?P<term>[^{_QUOTE_CLOSE}]{{1,80}})[{_QUOTE_CLOSE}]",
    re.IGNORECASE,
)
_BARE_DEFINITION = re.compile(
    rf"^(?P<term>(?:[A-Z][\w'’&/-]*\s+){{0,5}}[A-Z][\w'’&/-]*)\s*(?P<means>{_MEANS})\b\s*:?\s*(?P<body>.*)"
)
_LIST_DEFINITION = re.compile(
    r"^(?P<term>(?:[A-Z][\w'’&/()-]*\s+){0,5}[A-Z][\w'’&/()-]*)\s*(?::|\||–|—|-)\s+(?P<body>.+)"
)
_INLINE_DEFINITION = re.compile(
    rf"[{_QUOTE_OPEN}](?P<term>[^{_QUOTE_CLOSE}]{{1,80}}?)[,.]?[{_QUOTE_CLOSE}]\s*,?\s*(?P<means>{_MEANS})\b",
    re.IGNORECASE,
)
_QUOTED = re.compile(rf"[{_QUOTE_OPEN}](?P<term>[^{_QUOTE_CLOSE}]{{1,80}}?)[{_QUOTE_CLOSE}]")
_ROLE = re.compile(
    r"^(customer|client|provider|supplier|vendor|contractor|company|party|licensee|licensor)$", re.I
)
"""Defined names of a role: "Customer Portal" is a term of its own, "IBM Global Services" the
name of one party's unit."""
_TIME_ZONE = re.compile(
    r"^(eastern|central|mountain|pacific|atlantic|greenwich(\s+mean)?|central\s+european|"
    r"british\s+summer|coordinated\s+universal)(\s+(standard|daylight|summer))?\s+time$",
    re.IGNORECASE,
)
_DEFINITIONS_TITLE = re.compile(r"\b(definitions?|interpretation|glossary|defined\s+terms)\b", re.I)
_EXTERNAL_GLOSSARY = re.compile(
    r"\b(capitali[sz]ed\s+terms|terms\s+(used\s+)?(but\s+)?not\s+(otherwise\s+)?defined)\b.*\bmeanings?\b",
    re.IGNORECASE,
)

DEFINED_HEADS = frozenset(
    {
        "day", "days", "hours", "hour", "fee", "fees", "charge", "charges", "price", "prices",
        "rate", "rates", "cost", "costs", "period", "periods", "date", "dates", "time", "times",
        "window", "windows", "service", "services", "level", "levels", "credit", "credits",
        "incident", "incidents", "request", "requests", "ticket", "tickets", "problem", "problems",
        "event", "events", "data", "information", "materials", "material", "deliverable",
        "deliverables", "documentation", "document", "documents", "policy", "policies", "procedure",
        "procedures", "process", "processes", "plan", "plans", "requirement", "requirements",
        "target", "targets", "downtime", "uptime", "availability", "report", "reports", "order",
        "orders", "work", "schedule", "notice", "term", "terms", "change", "changes", "equipment",
        "software", "systems", "system", "personnel", "staff", "priority", "priorities", "support",
        "month", "year", "quarter", "assistance", "failure", "failures", "breach", "breaches",
        "matrix", "manual", "handbook", "specification", "specifications", "standards", "standard",
        "objective", "objectives", "indicator", "indicators", "metric", "metrics", "regime", "exclusion", "exclusions", "maintenance", "release", "releases", "premises",
        "site", "sites", "users", "user", "account", "accounts", "location", "locations",
        "subcontractor", "subcontractors", "resources", "resource", "laws", "law", "team", "board",
        "committee", "manager", "representative", "representatives", "agreement", "addendum",
        "annex", "appendix", "exhibit", "platform", "portal", "application", "applications",
        "hardware", "infrastructure", "environment", "network", "desk", "tool", "tools",
    }
)  # fmt: skip
_CONNECTORS = {"of", "and", "for", "to", "&"}
_STARTERS = {
    "the", "this", "that", "these", "those", "each", "any", "all", "if", "in", "upon", "on",
    "such", "no", "where", "for", "a", "an", "as", "at", "by", "to", "with", "within", "under",
    "subject", "during", "after", "before", "unless", "when", "while", "both", "either", "neither",
    "save", "except", "notwithstanding", "following", "without", "our", "its", "their",
    "whenever", "wherever", "should", "whether", "although", "because", "once", "until",
}  # fmt: skip
_NOT_TERMS = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december",
}  # fmt: skip
_WORD = re.compile(r"[A-Za-z][A-Za-z'’&/-]*|\S")
_DOCUMENT_NAME = re.compile(
    r"\b(agreement|addendum|annex|appendix|exhibit|schedule|attachment|statement\s+of\s+work|"
    r"order\s+forms?|orders?|contract|policy|policies|manual|handbook|documentation)$",
    re.IGNORECASE,
)
"""The last words of a term that names a document: the term ties the commitment to that named
document (LABELLING.md A.3: a term "tied to another named document" is not undefined)."""
_NAMED_DOCUMENT = re.compile(r"(schedule|exhibit|appendix|annex|attachment|addendum)\b", re.I)
"""The first word of a term that names a document: *Schedule of Charges and Fees*."""
_ORDINARY_TERMS = frozenset({"effective date", "execution date"})
"""Terms with a settled meaning when a contract leaves them undefined: the date the signed
contract takes effect (or is signed)."""
_DEFINED_ELSEWHERE = re.compile(
    r"^\W{0,3}\(?\s*(as\s+)?(defined|described|specified|set\s+(out|forth))\s+(in|under|below|above)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Definition:
    """A term the contract defines, where, and (when the sentence says) what it means."""

    term: str
    meaning: str | None
    sentence: int
    page: int


@dataclass(frozen=True)
class TermUse:
    """A capitalised term used as a defined term: its first use and how often it occurs."""

    term: str
    sentence: int
    start: int
    end: int
    count: int


def term_key(term: str) -> str:
    """How two spellings of one term compare: case, spacing, a possessive and a plural ignored.

    >>> term_key("Service Credits") == term_key("service credit's") == term_key("Service Credit")
    True
    """
    words = re.sub(r"['’]s?$", "", term.strip()).lower().split()
    if words:
        last = words[-1]
        if last.endswith("ies") and len(last) > 4:
            last = last[:-3] + "y"
        elif last.endswith("s") and not last.endswith("ss") and len(last) > 3:
            last = last[:-1]
        words[-1] = last
    return " ".join(words)


def find_definitions(structure: Structure) -> dict[str, Definition]:
    """Every term the document defines, by :func:`term_key`, first definition first."""
    found: dict[str, Definition] = {}

    def add(term: str, meaning: str | None, sentence_index: int, page: int) -> None:
        term = term.strip().strip(",.;:").strip()
        if term and len(term) <= 80:
            found.setdefault(term_key(term), Definition(term, meaning, sentence_index, page))

    for sentence in structure.sentences:
        text = sentence.text
        clause = structure.clause_of(sentence)
        titles = [clause.title or ""]
        if clause.parent is not None:
            titles.append(structure.clauses[clause.parent].title or "")
        in_definitions = any(_DEFINITIONS_TITLE.search(t) for t in titles)
        match = _QUOTED_DEFINITION.match(text) or _BARE_DEFINITION.match(text)
        if match is None and in_definitions:
            match = _LIST_DEFINITION.match(text)
        if match is not None:
            add(
                match.group("term"),
                match.group("body").strip() or None,
                sentence.index,
                sentence.page,
            )
        for m in _INLINE_DEFINITION.finditer(text):  # For purposes of …, "X" shall mean …
            add(m.group("term"), None, sentence.index, sentence.page)
        for m in _QUOTED.finditer(text):  # identified as "Type I Materials," or "Type II …"
            term = m.group("term").strip(" ,.;:")
            if term[:1].isupper() and len(term.split()) <= 6:
                add(term, None, sentence.index, sentence.page)
        for m in _BRACKETED.finditer(text):
            add(m.group("term"), _antecedent(text[: m.start()]), sentence.index, sentence.page)
        for m in _REFERRED.finditer(text):
            add(m.group("term"), None, sentence.index, sentence.page)
    return found


def _antecedent(before: str) -> str | None:
    """What a bracketed definition names: the words before the bracket, back to "between",
    "and", a comma or a semicolon (``Brightline GmbH`` in ``between Brightline GmbH ("Provider")``).
    """
    words = re.split(r"\b(?:between|and|by)\b|[,;(]", before)[-1].strip()
    return words if 0 < len(words) <= 120 else None


_ORGANISATION = re.compile(
    r"\b(inc|incorporated|corp|corporation|company|co|ltd|limited|llc|llp|l\.?p|plc|gmbh|ag|sa|"
    r"s\.?a\.?r\.?l|b\.?v|n\.?v|pty)\b\.?[\s,]*(?:(?:a|an)\s+[\w\s]{0,40}?(?:corporation|company)[\s,]*)?$",
    re.IGNORECASE,
)


def party_names(structure: Structure) -> tuple[str, ...]:
    """The short names a contract gives its parties: a quoted name in brackets, or after
    "hereinafter referred to as", right after an organisation's name (``International Business
    Machines Corporation ("IBM")``, ``Tadeo E-Commerce Corp., a Delaware corporation
    ("Tadeo")``), in the first 40 sentences. Role words ("Customer") are returned as well.

    >>> from clearpact.lint.prose.blocks import text_blocks
    >>> from clearpact.lint.prose.document import Document
    >>> from clearpact.lint.prose.sentences import structure
    >>> text = 'Made by eGain Communications Corporation ("eGain") and Eliance Corp. ("Customer").'
    >>> party_names(structure(Document(tuple(text_blocks(text)))))
    ('eGain', 'Customer')
    """
    names: list[str] = []
    for sentence in structure.sentences[:40]:
        text = sentence.text
        for m in [*_BRACKETED.finditer(text), *_REFERRED.finditer(text)]:
            before = re.sub(r"[\s,(]*(hereinafter|referred\s+to\s+as|\s)*$", "", text[: m.start()])
            term = m.group("term").strip(" ,.")
            if _ORGANISATION.search(before) and 1 <= len(term.split()) <= 3 and term not in names:
                names.append(term)
    return tuple(names) + tuple(n for n in _acting_names(structure) if n not in names)


_ACTOR = re.compile(
    r"(?:^|[.;:(]\s+|\b(?:and|that|if|unless|then|where|when|provided)\s+|^\W*\(?\w{1,4}[.)]\s+)"
    r"(?P<name>[A-Z][\w&'’-]*(?:\s+(?:[A-Z][\w&'’.-]*)){0,2})\s+"
    r"(?:shall|will|may|can|agrees|must|warrants|represents|undertakes|acknowledges)\b"
)
_NOT_NAMES = frozenset({
    "the", "this", "that", "these", "those", "such", "each", "either", "neither", "both", "any",
    "all", "it", "they", "we", "you", "he", "she", "no", "none", "notice", "payment", "agreement",
    "party", "parties", "section", "article", "exhibit", "schedule", "in", "if", "upon", "on",
    "for", "except", "subject", "nothing",
})  # fmt: skip


def _acting_names(structure: Structure) -> list[str]:
    """Names that act in the contract's sentences ("Corio shall", "EuroTel may") at least
    three times and that the text never writes in lower case (so not "Payment shall"): the
    parties of a contract that never introduces them as ``Name ("Short")``.

    >>> from clearpact.lint.prose.blocks import text_blocks
    >>> from clearpact.lint.prose.document import Document
    >>> from clearpact.lint.prose.sentences import structure
    >>> text = "Corio shall pay. Corio will report. If Corio may not, Payment shall stop. Corio may audit."
    >>> _acting_names(structure(Document(tuple(text_blocks(text)))))
    ['Corio']
    """
    text = " ".join(s.text for s in structure.sentences)
    counts: dict[str, int] = {}
    for sentence in structure.sentences:
        for m in _ACTOR.finditer(sentence.text):
            name = m.group("name")
            if name.split()[0].lower() in _NOT_NAMES or (name.isupper() and len(name) > 12):
                continue
            counts[name] = counts.get(name, 0) + 1
    return [
        n
        for n, c in sorted(counts.items(), key=lambda item: -item[1])
        if c >= 3 and not re.search(rf"(?<![\w-]){re.escape(n.lower())}(?![\w-])", text)
    ][:4]


_ROLE_NAME = re.compile(r"^(the\s+)?(customer|client|buyer|purchaser|licensee|company)$", re.I)


def provider_parties(structure: Structure, names: tuple[str, ...]) -> tuple[str, ...]:
    """Which of the parties' short names (:func:`party_names`) is the provider: the one that
    is not a customer's role word and that most often *shall* or *will provide*, *perform*,
    *host*, *maintain* or *supply* something.

    >>> from clearpact.lint.prose.blocks import text_blocks
    >>> from clearpact.lint.prose.document import Document
    >>> from clearpact.lint.prose.sentences import structure
    >>> text = "Tadeo shall provide the Services. Diplomat will pay the fees."
    >>> provider_parties(structure(Document(tuple(text_blocks(text)))), ("Diplomat", "Tadeo"))
    ('Tadeo',)
    """
    candidates = [n for n in names if not _ROLE_NAME.match(n)]
    if len(candidates) <= 1:
        return tuple(candidates)
    text = " ".join(s.text for s in structure.sentences)
    counts = {
        n: len(
            re.findall(
                rf"\b{re.escape(n)}\s+(shall|will|agrees\s+to)\s+(provide|perform|host|maintain|supply|deliver)\b",
                text,
            )
        )
        for n in candidates
    }
    best = max(counts.values())
    return tuple(n for n in candidates if counts[n] == best) if best else ()


def refers_to_external_glossary(structure: Structure) -> str | None:
    """The sentence that sends undefined capitalised terms to another document, if any."""
    for sentence in structure.sentences:
        if _EXTERNAL_GLOSSARY.search(sentence.text):
            return sentence.text
    return None


def in_capitals(text: str) -> bool:
    """True for a sentence written mostly in capitals (a disclaimer), where a capital says
    nothing about names or defined terms.

    >>> in_capitals("THE SOFTWARE IS PROVIDED AS IS."), in_capitals("The Provider shall act.")
    (True, False)
    """
    return sum(1 for c in text if c.isupper()) > 0.5 * max(1, sum(1 for c in text if c.isalpha()))


def capitalised_terms(text: str) -> list[tuple[int, int, str]]:
    """The multi-word capitalised terms in one sentence that end in a defined-term noun.

    >>> [t for _, _, t in capitalised_terms("The Provider pays Service Credits under the Statement of Work.")]
    ['Service Credits', 'Statement of Work']
    >>> capitalised_terms("Acme Holdings Ltd is governed by the General Data Protection Regulation.")
    []
    """
    if in_capitals(text):
        return []  # a sentence in capitals (a disclaimer) says nothing about defined terms
    tokens = [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(text)]
    terms: list[tuple[int, int, str]] = []
    i = 0
    while i < len(tokens):
        run: list[tuple[int, int, str]] = []
        j = i
        while j < len(tokens):
            word = tokens[j][2]
            bridge = (
                word.lower() in _CONNECTORS
                and run
                and j + 1 < len(tokens)
                and _capitalised(tokens[j + 1][2])
            )
            if not (_capitalised(word) or bridge):
                break
            run.append(tokens[j])
            j += 1
        if run:
            if run[0][0] == _first_word_start(text) and run[0][2].lower() in _STARTERS:
                run = run[1:]
            while run and run[0][2].lower() in _STARTERS | _CONNECTORS:
                run = run[1:]
            capitals = [t for t in run if _capitalised(t[2])]
            if (
                len(capitals) >= 2
                and _head(run[-1][2]) in DEFINED_HEADS
                and not any(t[2].lower() in _NOT_TERMS for t in run)
            ):
                start, end = run[0][0], run[-1][1]
                terms.append((start, end, text[start:end]))
        i = max(j, i + 1)
    return terms


def _first_word_start(text: str) -> int:
    match = re.search(r"[A-Za-z]", text)
    return match.start() if match else 0


def _capitalised(word: str) -> bool:
    titled = len(word) > 1 and word[0].isupper() and any(c.islower() for c in word[1:])
    acronym = 2 <= len(word) <= 5 and word.isupper() and word.isalpha()
    return titled or acronym


def _head(word: str) -> str:
    return re.sub(r"['’]s?$", "", word).lower()


def _in_commitment(sentence: Sentence) -> bool:
    """True for a sentence that places a commitment on someone: not a heading, not a definition,
    and an obligation in the sentence or in the lead-in of its list."""
    if sentence.kind is BlockKind.HEADING or is_definition(sentence.text):
        return False
    if not re.search(r"\b[a-z]{4,}\b", sentence.text):
        return False  # a title in a list ("(a) Scope and Description of Services.")
    return is_commitment(sentence.text) or (
        sentence.lead_in is not None and is_commitment(sentence.lead_in)
    )


def _tied_or_named(term: str, after: str, definitions: dict[str, Definition]) -> bool:
    """True when the term names a document (*Fee Schedule*, *Statement of Work*), is followed
    by "(as defined in Exhibit A)", starts with a defined name that is not a role (*IBM Global
    Services* when *IBM* is defined: a name of that party's own), or joins defined terms (*Affiliates and
    Subcontractors*)."""
    if (
        _DOCUMENT_NAME.search(term)
        or _DEFINED_ELSEWHERE.match(after)
        or _NAMED_DOCUMENT.match(term)
    ):
        return True
    if term.lower() in _ORDINARY_TERMS:
        return True
    words = re.sub(r"['’]s\b", "", term).split()
    if term_key(words[0]) in definitions and not _ROLE.match(words[0]):
        return True
    parts = [p.strip() for p in re.split(r"\s+(?:and|&)\s+", term)]
    return len(parts) > 1 and all(term_key(p) in definitions for p in parts)


_ABBREVIATED = re.compile(r"\s*\((?:[A-Z][\w.&/-]*\s*){1,3}\)")
"""A name followed by its abbreviation, "Internet Information Service (IIS)": the text names the
thing there, as a definition would."""


def _labels_its_line(text: str, start: int, end: int) -> bool:
    """True for a label at the head of its sentence, "Revenue Sharing Fees: payments are due …"
    (a caption, like a table's header)."""
    return (
        not re.sub(r"[\W\d]|\b[A-Za-z]\b", "", text[:start])
        and re.match(r"\s*(:|-\s|–|—)", text[end:]) is not None
    )


def _ends_defined_term(key: str, before: str, definitions: dict[str, Definition]) -> bool:
    """True when the capitalised words are the end of a defined term whose first words are not
    capitalised and stand just before them (*Hosting Environment* in "the e-business Hosting
    Environment" when "e-business Hosting Environment" is defined)."""
    head = before.lower().rstrip()
    return any(
        defined.endswith(" " + key) and head.endswith(defined[: -len(key)].strip())
        for defined in definitions
    )


def undefined_terms(
    structure: Structure, definitions: dict[str, Definition], title: str
) -> list[TermUse]:
    """The capitalised terms a commitment depends on that the document neither defines nor ties
    to another named document, reported at their first use in a commitment (LABELLING.md A.3).

    Terms in the document's title, ``this … Agreement`` (the document naming itself) and table
    rows (headers and labels are in title case by convention) are not reported; nor are terms
    that name a document, are "as defined in" another one, begin with a defined name, or join
    defined terms (see :func:`_tied_or_named`). Uses outside commitments (headings, recitals,
    definitions, addresses) count towards the number of uses but are not reported.
    """
    title_key = title.lower()
    uses: dict[str, TermUse] = {}
    counts: dict[str, int] = {}
    for sentence in structure.sentences:
        if sentence.kind is BlockKind.TABLE_ROW:
            continue  # table headers and labels are in title case by convention
        committed = _in_commitment(sentence)
        text = sentence.text
        # a term in quotation marks is being named there ("Type I Materials"), not used
        quoted_spans = [m.span("term") for m in _QUOTED.finditer(text)]
        quoted_spans += [m.span("term") for m in _BRACKETED.finditer(text)]
        if match := _QUOTED_DEFINITION.match(text):
            quoted_spans.append(match.span("term"))
        for start, end, term in capitalised_terms(text):
            if any(a <= start and end <= b for a, b in quoted_spans):
                continue
            key = term_key(term)
            if key in definitions or term.lower() in title_key:
                continue
            if _ends_defined_term(key, text[:start], definitions):
                continue
            if re.search(r"\bthis\s+$", text[:start], re.I) and term.lower().endswith("agreement"):
                continue
            if _tied_or_named(term, text[end:], definitions) or _TIME_ZONE.match(term):
                continue
            if _ABBREVIATED.match(text[end:]) or _labels_its_line(text, start, end):
                continue
            counts[key] = counts.get(key, 0) + 1
            if key not in uses and committed:
                uses[key] = TermUse(term, sentence.index, start, end, 0)
    return [TermUse(u.term, u.sentence, u.start, u.end, counts[key]) for key, u in uses.items()]

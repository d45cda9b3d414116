"""Is a sentence a commitment, is a phrase in it negated, and does a number back a time word?

These three questions keep the audit's false positives down: a vague word matters where
someone promises something ("The Provider shall respond promptly"), not in a recital or a
definition; "shall not unreasonably withhold" promises nothing vague; and "promptly, and in any
event within 24 hours" has a deadline. Pure: regular expressions over one sentence.
"""

from __future__ import annotations

import re

from clearpact.lint.prose.quantities import durations

OBLIGATION = re.compile(
    r"\b(shall|must|will|agrees?\s+(\w+ly\s+)?to|undertakes?\s+to|commits?\s+to|covenants?\s+to|"
    r"guarantees?|warrants?|ensures?|(is|are|shall\s+be|will\s+be|remains?)\s+"
    r"((solely|fully|wholly|entirely|exclusively|jointly|primarily)\s+)?"
    r"(responsible|obliged|obligated|required|liable|bound)\s+(for|to)|"
    r"(is|are)\s+to\s+be|has\s+to|have\s+to|needs?\s+to|"
    r"(acknowledges?|accepts?|has|have|bears?|assumes?)\s+((its|their|the|sole|full)\s+)*responsibility\s+(to|for)|"
    r"(is|are)\s+responsible\s+to|"
    r"(endeavou?rs|strives|aims|seeks|tries|attempts)\s+to|"
    r"uses\s+(its\s+|their\s+)?(best|all|commercially|reasonable|good))\b",
    re.IGNORECASE,
)
"""The words that make a sentence an obligation: shall, will, must, agrees to, is responsible
for, undertakes to, warrants, ensures, … and the weak verbs that stand in for them ("aims to",
"endeavours to", "uses its best efforts")."""

_DEFINITION = re.compile(
    r"^\W*(([A-Z]{1,2}|[a-z]|\d{1,3}(\.\d{1,3})*|[ivx]{1,5})[.)]\s+)?"
    r"((for\s+(the\s+)?purposes?\s+of|as\s+used\s+in)\s[^,]{1,60},\s*)?(the\s+)?(terms?\s+)?"
    r"[\"“”'‘’][^\"“”'‘’]{1,80}[\"“”'‘’]\s*(,\s*as\s+used\s+[^,]{1,60},\s*)?((shall\s+|will\s+)?"
    r"(means?|includes?|refers?\s+to|has\s+the\s+meaning|is\s+defined\s+as|are\s+those|is\s+one)\b|[-–—:]\s)",
    re.IGNORECASE,
)
_NOT_AN_OBLIGATION = re.compile(
    r"\b(shall|will)\s+(be\s+(deemed|construed|interpreted|governed|considered)|survive|mean|"
    r"have\s+the\s+meanings?|prevail|inure|be\s+binding|"
    r"have\s+(the\s+)?(right|access|option|no\s+(obligation|liability|duty))|be\s+entitled|"
    r"(continue|remain)\s+(to\s+be\s+)?(in\s+(full\s+)?(force|effect)|effective|binding|in\s+effect)|"
    r"be\s+(a\s+continuing|effective|reinstated|void|null|invalid|unenforceable))\b",
    re.IGNORECASE,
)
""""shall be deemed", "will survive", "shall prevail": how the contract is read, not a duty; "shall
have the right", "shall be entitled": a right, not a duty."""
_CONDITION = re.compile(
    r"\b(provided\s+that|contingent\s+(up)?on|conditioned\s+(up)?on|on\s+condition\s+that)\b"
    r"[^.;]{0,80}\b(gives?|giving|notif(y|ies|ying)|provides?|providing|cooperat\w+|tenders?|"
    r"tendering|allows?|allowing|pays?|paying|delivers?|delivering)\b"
    r"|\b(upon|on|with|after|following|subject\s+to)\s+(the\s+)?(giving\s+(of\s+)?)?"
    r"((prior|advance|written)\s+)*reasonable\s+((prior|advance|written)\s+)*notice\b",
    re.IGNORECASE,
)
"""A duty stated as a condition: "provided that Customer gives prompt notice", "contingent upon
Customer giving written notice", a right used "upon reasonable prior notice" (LABELLING.md A.4:
still a duty placed on a party)."""
_NEGATION = re.compile(r"\b(not|no|never|neither|nor|cannot|without\s+any|n['’]t)\b", re.IGNORECASE)
_NOT_A_NEGATION = re.compile(
    r"\b(not|no)\s+(later|less|more|fewer|earlier|sooner|longer)\s+than\b|\bno\s+event\b"
    r"|\bwhether\s+or\s+not\b|\bnot\s+(only|limited\s+to)\b|\bnotwithstanding\b",
    re.IGNORECASE,
)
_BOUNDARY = re.compile(
    r"[;:,]|\bprovided\s+that\b|\bexcept\b|\bbut\b(?!\s+not\s+limited)|\b(and|or)\s+(shall|will|must|may)\b"
    r"|\b(which|that|who|whom|whose|where|when|if|unless|until|in\s+which)\b",
    re.I,
)
_BACKSTOP_CUE = re.compile(
    r"\b(in\s+any\s+(event|case)|at\s+the\s+latest|(no|not)\s+later\s+than|but\s+(in\s+any\s+(event|case)\s+)?within|"
    r"and\s+(in\s+any\s+(event|case)\s+)?within|within\s+a\s+maximum\s+of)\b",
    re.IGNORECASE,
)
_CADENCE = re.compile(
    r"\b(daily|weekly|fortnightly|monthly|quarterly|annually|yearly|every\s+\d+|each\s+(day|week|month|quarter|year)|"
    r"(once|twice)\s+(a|per|each)\s+(day|week|month|quarter|year)|at\s+least\s+(once|twice|\w+\s+times))\b",
    re.IGNORECASE,
)
_DATE = re.compile(
    r"\b\d{1,2}(st|nd|rd|th)?\s+(of\s+)?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|"
    r"\b\d{4}-\d{2}-\d{2}\b|\bby\s+the\s+\d{1,2}(st|nd|rd|th)\b|\b(\d{1,2}(:\d{2})?\s*(am|pm|a\.m\.|p\.m\.)|\d{1,2}:\d{2})\b",
    re.IGNORECASE,
)
_NEXT_OBLIGATION = re.compile(r"\b(and|or)\s+(shall|will|must)\b", re.IGNORECASE)


def is_definition(sentence: str) -> bool:
    """True for a sentence that defines a term (``"Downtime" means …``).

    >>> is_definition('"Business Day" means Monday to Friday.'), is_definition("Fees are due.")
    (True, False)
    """
    return _DEFINITION.match(sentence) is not None


def is_commitment(sentence: str) -> bool:
    """True when the sentence obliges someone: it has an obligation word and is not a definition.

    >>> is_commitment("The Provider shall respond promptly."), is_commitment("Support is available.")
    (True, False)
    >>> is_commitment('"Response Time" means the time the Provider will take.')
    False
    >>> is_commitment("Messages sent this way will be deemed writings.")
    False
    >>> is_commitment("The indemnity is contingent upon Customer giving prompt notice.")
    True
    >>> is_commitment("Customer may audit the records upon reasonable prior notice.")
    True
    """
    if is_definition(sentence):
        return False
    if _CONDITION.search(sentence):
        return True
    return OBLIGATION.search(_NOT_AN_OBLIGATION.sub(" ", sentence)) is not None


def is_negated(sentence: str, start: int) -> bool:
    """True when a negation governs the phrase at ``start``: "not", "no", "never", … earlier
    in the same part of the sentence (back to a comma, semicolon, colon, "provided that",
    "except", "but", a new obligation ("and shall") or a relative clause ("which", "that",
    "in which")), at most eight words before it. "No later than", "not less than" and
    "not limited to" are not negations.

    >>> s = "The Provider shall not be required to respond promptly."
    >>> is_negated(s, s.index("promptly"))
    True
    >>> s = "The Provider shall respond promptly and no later than 4 hours."
    >>> is_negated(s, s.index("promptly"))
    False
    """
    before = sentence[:start]
    cut = 0
    for boundary in _BOUNDARY.finditer(before):
        cut = boundary.end()
    window = before[cut:]
    words = window.split()
    window = " ".join(words[-8:])
    cleaned = _NOT_A_NEGATION.sub(" ", window)
    return _NEGATION.search(cleaned) is not None


def _segment(sentence: str, start: int, end: int) -> str:
    """The part of the sentence around a phrase up to the next obligation ("and shall …")."""
    left = 0
    for m in re.finditer(r";", sentence[:start]):
        left = m.end()
    for m in _NEXT_OBLIGATION.finditer(sentence[:start]):
        left = max(left, m.start())
    right = len(sentence)
    tail = sentence[end:]
    for stop in (re.search(r";", tail), _NEXT_OBLIGATION.search(tail)):
        if stop is not None:
            right = min(right, end + stop.start())
    return sentence[left:right]


def has_time_backstop(sentence: str, start: int, end: int) -> bool:
    """True when a number bounds the time word at ``start``–``end``: a duration, cadence, date
    or time of day in the same part of the sentence, or anywhere after "in any event", "at the
    latest", "no later than".

    >>> s = "The Provider shall respond promptly, and in any event within 24 hours."
    >>> has_time_backstop(s, s.index("promptly"), s.index("promptly") + 8)
    True
    >>> s = "The Provider shall resolve P1 within 4 hours and shall respond to others promptly."
    >>> has_time_backstop(s, s.index("promptly"), s.index("promptly") + 8)
    False
    """
    part = _segment(sentence, start, end)
    if durations(part) or _CADENCE.search(part) or _DATE.search(part):
        return True
    cue = _BACKSTOP_CUE.search(sentence)
    return cue is not None and bool(durations(sentence[cue.start() :]))

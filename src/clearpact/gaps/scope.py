"""Which service item a sentence speaks of: an in-scope line or an out-of-scope item of the
agreement, found by the distinctive words they share.

Words are compared in a crude stemmed form (plurals, "-ing", "-ed" cut off). A phrase matches
when two of its distinctive words occur (all of them when it has fewer); one word is enough when
it names an out-of-scope item and appears nowhere in the scope, or the other way round. Pure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from clearpact.agreement.model import Agreement

# Word lists read better as running text than one word a line.
# fmt: off
_STOPWORDS = frozenset((
    "a", "an", "the", "and", "or", "of", "for", "to", "in", "on", "at", "by", "with", "from",
    "into", "onto", "over", "under", "your", "our", "their", "my", "his", "her", "its", "we", "you",
    "i", "it", "is", "are", "be", "been", "was", "were", "will", "would", "can", "could", "should",
    "shall", "may", "might", "must", "that", "this", "these", "those", "not", "no", "nor", "all",
    "any", "each", "every", "some", "up", "per", "as", "than", "then", "so", "such", "etc", "e.g",
    "i.e", "also", "only", "just", "very", "more", "most", "less", "there", "here", "what", "which",
    "who", "whom", "when", "where", "how", "why", "do", "does", "did", "done", "have", "has", "had",
    "get", "got", "make", "made", "need", "needs", "use", "used", "using", "via", "within",
    "without", "about", "after", "before", "between", "both", "either", "one", "two", "three",
    "four", "five", "six", "seven", "eight", "nine", "ten", "yes", "ok", "okay", "please", "thanks",
    "thank", "hi", "hello", "dear", "let", "know", "sure",
))
_GENERIC_WORDS = (
    "support", "service", "device", "user", "customer", "staff", "member", "work", "issue",
    "problem", "system", "request", "new", "month", "day", "hour", "week", "year", "help", "ticket",
    "incident", "team", "office", "cover", "covered", "include", "included", "including", "plan",
    "contract", "agreement", "scope", "cost", "charge", "free", "quote", "set", "time", "provider",
    "management", "person", "people", "thing", "stuff", "part", "basis", "level", "standard",
    "normal", "general", "other", "extra", "additional", "listed", "operation", "operate",
)
# fmt: on
_WORD = re.compile(r"[A-Za-zÀ-ÿ0-9][A-Za-zÀ-ÿ0-9'+-]*")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A word in the crude form used for matching.

    >>> [stem(w) for w in ["Printers", "patching", "patches", "enrolled", "staff's"]]
    ['printer', 'patch', 'patch', 'enroll', 'staff']
    """
    word = word.lower().strip("'-")
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
    elif len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif word.endswith(("ches", "shes", "xes", "sses")):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    elif len(word) > 5 and word.endswith("ed"):
        word = word[:-2]
    return word


def words(text: str) -> set[str]:
    """The stemmed words of ``text`` that are not stop words."""
    return {stem(w) for w in _WORD.findall(text) if w.lower() not in _STOPWORDS} - {""}


@lru_cache(maxsize=4096)  # the agreement's phrases are read again for every sentence
def distinctive(text: str) -> frozenset[str]:
    """Words of ``text`` that can tell one service item from another (not generic IT words)."""
    return frozenset(w for w in words(text) if w not in _generic() and len(w) > 2)


@cache
def _generic() -> frozenset[str]:
    return frozenset(stem(w) for w in _GENERIC_WORDS)


@dataclass(frozen=True)
class ScopeMatch:
    """An item of the agreement that a text speaks of.

    ``path`` is its place in the agreement (``services.service-desk.out_of_scope.0``), ``label``
    its words, ``matched`` the words of the text that it shares (as the text writes them, in
    order), ``excluded`` whether it is out of scope.
    """

    path: str
    label: str
    service: str
    matched: tuple[str, ...]
    excluded: bool


@dataclass(frozen=True)
class _Phrase:
    path: str
    label: str
    service: str
    text: str
    excluded: bool
    headline: bool  # an item's own words (one unique word may match), not one of its examples


def _phrases(agreement: Agreement) -> list[_Phrase]:
    phrases = []
    for key, service in agreement.services.items():
        for index, item in enumerate(service.out_of_scope):
            path = f"services.{key}.out_of_scope.{index}"
            phrases.append(_Phrase(path, item.item, key, item.item, True, True))
            for example in item.examples:
                phrases.append(_Phrase(path, item.item, key, example, True, False))
        for index, line in enumerate(service.in_scope):
            path = f"services.{key}.in_scope.{index}"
            phrases.append(_Phrase(path, line, key, line, False, True))
    return phrases


def _vocabulary(phrases: Iterable[_Phrase], excluded: bool) -> set[str]:
    vocabulary: set[str] = set()
    for phrase in phrases:
        if phrase.excluded == excluded:
            vocabulary |= distinctive(phrase.text)
    return vocabulary


def scope_match(agreement: Agreement, text: str) -> ScopeMatch | None:
    """The service item ``text`` most clearly speaks of, or None.

    Out-of-scope items win a tie, since saying that excluded work is included is the costlier
    mistake. The service descriptions count as in scope too.
    """
    phrases = _phrases(agreement)
    for key, service in agreement.services.items():
        described = " ".join(filter(None, [service.name, service.description]))
        phrases.append(_Phrase(f"services.{key}", service.name, key, described, False, False))
    said = words(text)
    in_words = _vocabulary(phrases, excluded=False)
    out_words = _vocabulary(phrases, excluded=True)
    best: tuple[int, ScopeMatch] | None = None
    for phrase in phrases:
        own = distinctive(phrase.text)
        shared = own & said
        if not shared:
            continue
        enough = len(shared) >= min(2, len(own))
        unique = phrase.headline and any(
            w not in (in_words if phrase.excluded else out_words) for w in shared
        )
        if not (enough or unique):
            continue
        score = len(shared) * 2 + (1 if phrase.excluded else 0)
        written = dict.fromkeys(w for w in _WORD.findall(text) if stem(w) in shared)
        match = ScopeMatch(
            phrase.path, phrase.label, phrase.service, tuple(written), phrase.excluded
        )
        if best is None or score > best[0]:
            best = (score, match)
    return best[1] if best else None

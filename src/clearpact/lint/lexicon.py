"""The weak-phrase lexicon: words and phrases that make a commitment vague or unmeasurable.

The entries live in ``lexicon.yaml`` (versioned data, each with its source); this module loads
them once and matches them in text. ``clearpact lint`` uses the entries that apply to the agreement
(``applies`` has ``agreement``), ``clearpact audit`` those that apply to prose. Pure: reads only its
own package data.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from ruamel.yaml import YAML

_PROVIDER_WORDS = [
    "the provider",
    "provider",
    "the supplier",
    "supplier",
    "the msp",
    "msp",
    "the service provider",
    "service provider",
    "the vendor",
    "vendor",
    "the contractor",
    "contractor",
    "us",
    "we",
    "our",
]

_PARTY_WORDS = [
    "the customer",
    "customer",
    "the client",
    "client",
    "the licensee",
    "licensee",
    "the licensor",
    "licensor",
    "the company",
    "company",
    "either party",
    "each party",
    "a party",
    "the party",
    "it",
    "they",
]
"""Words that name any party, for ``{party}``: a customer deciding alone what it owes is as
open as a provider doing so (LABELLING.md A.3, discretion)."""


@dataclass(frozen=True)
class LexiconEntry:
    """One weak phrase: how to find it, why it is weak, what to write instead, and who says so.

    A pattern may contain ``{provider}``, which stands for the words that name the provider:
    generic ones ("the provider", "we") and, when known, the provider's own name and the short
    names the contract gives it ("IBM", "eGain"; ``parties``); and ``{party}``, which stands for
    any party: the provider's words, a customer's role words, "either party", "it", and every
    short name the contract gives its parties (``everyone``).
    """

    id: str
    category: str
    pattern_text: str
    why: str
    instead: str
    sources: tuple[str, ...]
    applies: tuple[str, ...] = ("agreement", "prose")
    prose_ignore: str | None = None

    def search(self, text: str, provider: str | None = None) -> str | None:
        """The words of ``text`` that this entry matches, or None."""
        match = _compiled(self.pattern_text, provider).search(text)
        return match.group(0) if match else None

    def spans_in_prose(
        self,
        text: str,
        provider: str | None = None,
        parties: tuple[str, ...] = (),
        everyone: tuple[str, ...] = (),
    ) -> Iterator[tuple[int, int]]:
        """Every ``(start, end)`` of this entry in a contract sentence, leaving out the matches
        that sit inside a fixed legal phrase of ``prose_ignore``.

        >>> entry = next(e for e in load_lexicon().entries if e.id == "minimal")
        >>> list(entry.spans_in_prose("A material breach; minimal downtime."))
        [(19, 26)]
        """
        ignored: list[tuple[int, int]] | None = None  # searched once the entry is found
        for match in _compiled(self.pattern_text, provider, parties, everyone).finditer(text):
            start, end = match.span()
            if end <= start:
                continue
            if ignored is None:
                ignored = []
                if self.prose_ignore:
                    ignore = _compiled(self.prose_ignore, provider, parties, everyone)
                    ignored = [m.span() for m in ignore.finditer(text)]
            if not any(a <= start and end <= b for a, b in ignored):
                yield start, end


def _alternation(names: list[str]) -> str:
    return "|".join(re.escape(n) for n in sorted(set(names), key=len, reverse=True))


@cache
def _compiled(
    pattern: str,
    provider: str | None,
    parties: tuple[str, ...] = (),
    everyone: tuple[str, ...] = (),
) -> re.Pattern[str]:
    names = list(_PROVIDER_WORDS)
    if provider:
        names += [provider, provider.split()[0]]
    names += parties
    anyone = [*names, *_PARTY_WORDS, *everyone]
    pattern = pattern.replace("{provider}", f"(?:{_alternation(names)})")
    return re.compile(pattern.replace("{party}", f"(?:{_alternation(anyone)})"), re.IGNORECASE)


@dataclass(frozen=True)
class Category:
    """A kind of weakness: what it is, and who says so (``categories:`` in the lexicon)."""

    id: str
    summary: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Lexicon:
    """The loaded lexicon: its version, its sources by key, its entries and its categories."""

    version: str
    sources: dict[str, str]
    entries: tuple[LexiconEntry, ...]
    categories: dict[str, Category] = field(default_factory=dict)

    def for_use(self, use: str) -> tuple[LexiconEntry, ...]:
        """The entries that apply to ``use``: ``"agreement"`` (lint) or ``"prose"`` (audit)."""
        return tuple(e for e in self.entries if use in e.applies)

    def find(self, text: str, provider: str | None = None) -> list[tuple[LexiconEntry, str]]:
        """Every entry for the agreement's free text that occurs in ``text``, with the words it
        matched, in entry order.

        >>> [(e.id, words) for e, words in load_lexicon().find("We respond promptly.")]
        [('promptly', 'promptly')]
        """
        hits = []
        for entry in self.for_use("agreement"):
            words = entry.search(text, provider)
            if words is not None:
                hits.append((entry, words))
        return hits


@cache
def load_lexicon() -> Lexicon:
    """The lexicon shipped with clearpact (``clearpact/lint/lexicon.yaml``)."""
    text = resources.files("clearpact.lint").joinpath("lexicon.yaml").read_text(encoding="utf-8")
    data = YAML(typ="safe").load(text)
    sources = {str(k): str(v) for k, v in data["sources"].items()}

    def cited(owner: str, keys: list[object]) -> tuple[str, ...]:
        names = tuple(str(s) for s in keys)
        unknown = [s for s in names if s not in sources]
        if unknown:
            raise ValueError(f"lexicon {owner} cites unknown sources {unknown}")
        return names

    categories = {
        str(key): Category(
            str(key), str(value["summary"]), cited(f"category {key}", value["sources"])
        )
        for key, value in data["categories"].items()
    }
    entries = []
    for item in data["entries"]:
        if item["category"] not in categories:
            raise ValueError(
                f"lexicon entry {item['id']} has undeclared category {item['category']}"
            )
        applies = tuple(str(a) for a in item.get("applies", ["agreement", "prose"]))
        if not set(applies) <= {"agreement", "prose"}:
            raise ValueError(f"lexicon entry {item['id']} applies to {applies}")
        ignore = item.get("prose_ignore")
        _compiled(str(item["pattern"]), None)  # a bad pattern fails at load, not mid-lint
        if ignore is not None:
            _compiled(str(ignore), None)
        entries.append(
            LexiconEntry(
                id=str(item["id"]),
                category=str(item["category"]),
                pattern_text=str(item["pattern"]),
                why=str(item["why"]),
                instead=str(item["instead"]),
                sources=cited(f"entry {item['id']}", item["sources"]),
                applies=applies,
                prose_ignore=None if ignore is None else str(ignore),
            )
        )
    return Lexicon(str(data["version"]), sources, tuple(entries), categories)

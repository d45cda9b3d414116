"""The weak-phrase lexicon: words and phrases that make a commitment vague or unmeasurable.

The entries live in ``lexicon.yaml`` (versioned data, each with its source); this module loads
them once and matches them in text. Pure: reads only its own package data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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
    "us",
    "we",
    "our",
]


@dataclass(frozen=True)
class LexiconEntry:
    """One weak phrase: how to find it, why it is weak, what to write instead, and who says so.

    A pattern may contain ``{provider}``, which stands for the words that name the provider:
    generic ones ("the provider", "we") and, when known, the provider's own name.
    """

    id: str
    category: str
    pattern_text: str
    why: str
    instead: str
    sources: tuple[str, ...]

    def search(self, text: str, provider: str | None = None) -> str | None:
        """The words of ``text`` that this entry matches, or None."""
        match = _compiled(self.pattern_text, provider).search(text)
        return match.group(0) if match else None


@cache
def _compiled(pattern: str, provider: str | None) -> re.Pattern[str]:
    names = list(_PROVIDER_WORDS)
    if provider:
        names += [provider, provider.split()[0]]
    alternation = "|".join(re.escape(n) for n in sorted(set(names), key=len, reverse=True))
    return re.compile(pattern.replace("{provider}", f"(?:{alternation})"), re.IGNORECASE)


@dataclass(frozen=True)
class Lexicon:
    """The loaded lexicon: its version, its sources by key, and its entries."""

    version: str
    sources: dict[str, str]
    entries: tuple[LexiconEntry, ...]

    def find(self, text: str, provider: str | None = None) -> list[tuple[LexiconEntry, str]]:
        """Every entry that occurs in ``text``, with the words it matched, in entry order.

        >>> [(e.id, words) for e, words in load_lexicon().find("We respond promptly.")]
        [('promptly', 'promptly')]
        """
        hits = []
        for entry in self.entries:
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
    entries = []
    for item in data["entries"]:
        cited = tuple(str(s) for s in item["sources"])
        unknown = [s for s in cited if s not in sources]
        if unknown:
            raise ValueError(f"lexicon entry {item['id']} cites unknown sources {unknown}")
        _compiled(str(item["pattern"]), None)  # a bad pattern fails at load, not mid-lint
        entries.append(
            LexiconEntry(
                id=str(item["id"]),
                category=str(item["category"]),
                pattern_text=str(item["pattern"]),
                why=str(item["why"]),
                instead=str(item["instead"]),
                sources=cited,
            )
        )
    return Lexicon(str(data["version"]), sources, tuple(entries))

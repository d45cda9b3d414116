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


@dataclass(frozen=True)
class LexiconEntry:
    """One weak phrase: how to find it, why it is weak, what to write instead, and who says so."""

    id: str
    category: str
    pattern: re.Pattern[str]
    why: str
    instead: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Lexicon:
    """The loaded lexicon: its version, its sources by key, and its entries."""

    version: str
    sources: dict[str, str]
    entries: tuple[LexiconEntry, ...]

    def find(self, text: str) -> list[tuple[LexiconEntry, str]]:
        """Every entry that occurs in ``text``, with the words it matched, in entry order.

        >>> [(e.id, words) for e, words in load_lexicon().find("We respond promptly.")]
        [('promptly', 'promptly')]
        """
        hits = []
        for entry in self.entries:
            match = entry.pattern.search(text)
            if match:
                hits.append((entry, match.group(0)))
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
        entries.append(
            LexiconEntry(
                id=str(item["id"]),
                category=str(item["category"]),
                pattern=re.compile(item["pattern"], re.IGNORECASE),
                why=str(item["why"]),
                instead=str(item["instead"]),
                sources=cited,
            )
        )
    return Lexicon(str(data["version"]), sources, tuple(entries))

"""The likely priority of the matter a message is about, from the words of the thread.

A priority named in the thread ("P2", "priority 2", "high priority") decides; otherwise the level
whose examples or definition the thread repeats most; otherwise none is known, and the highest
level is assumed, so that a promise is called stricter than the agreement only when it is
stricter than the agreement's fastest target. Pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from clearpact.agreement.model import Agreement
from clearpact.gaps.scope import distinctive, words


class PriorityBasis(StrEnum):
    """How the likely priority was chosen."""

    NAMED = "named"
    EXAMPLE = "example"
    ASSUMED = "assumed"


@dataclass(frozen=True)
class LikelyPriority:
    """A priority key of the agreement, how it was chosen and the words that chose it."""

    key: str
    basis: PriorityBasis
    evidence: str

    def describe(self, label: str) -> str:
        """Why this priority, in words: ``High (P2), named in the thread ('P2')``."""
        if self.basis is PriorityBasis.NAMED:
            return f"{label}, named in the thread ('{self.evidence}')"
        if self.basis is PriorityBasis.EXAMPLE:
            return f"{label}, as the thread matches its example '{self.evidence}'"
        return f"{label} assumed: nothing in the thread names a priority, so the strictest target is used"


def priority_keys(agreement: Agreement) -> list[str]:
    """The agreement's priority keys, highest first: its levels, else the targets' keys."""
    if agreement.priorities and agreement.priorities.levels:
        return list(agreement.priorities.levels)
    keys: list[str] = []
    for sla in agreement.slas.values():
        for key in getattr(sla, "targets", {}):
            if key not in keys:
                keys.append(key)
    return keys


def _named(agreement: Agreement, text: str) -> tuple[str, str] | None:
    keys = priority_keys(agreement)
    for key in keys:
        pattern = rf"\b{re.escape(key)}\b" if len(key) > 1 else rf"\bpriority\s+{re.escape(key)}\b"
        match = re.search(pattern, text, re.IGNORECASE if len(key) > 2 else 0)
        if match:
            return key, match.group(0)
        number = re.fullmatch(r"[Pp](\d)", key)
        if number:
            match = re.search(rf"\bpriority\s*(?:level\s*)?{number.group(1)}\b", text, re.I)
            if match:
                return key, match.group(0)
    if agreement.priorities:
        for key, level in agreement.priorities.levels.items():
            name = re.escape(level.name)
            match = re.search(
                rf"\b{name}\s+(?:priority|ticket|incident|issue)\b|\bpriority\s*(?:is\s+|of\s+)?{name}\b",
                text,
                re.IGNORECASE,
            )
            if match:
                return key, match.group(0)
    return None


def likely_priority(agreement: Agreement, text: str) -> LikelyPriority | None:
    """The likely priority of the matter ``text`` (the thread's subject and words) is about;
    None when the agreement has no priorities at all. A level's example or definition matches
    when the text shares two of its distinctive words (all of them when it has fewer); the one
    sharing most wins, the higher priority on a tie.
    """
    keys = priority_keys(agreement)
    if not keys:
        return None
    named = _named(agreement, text)
    if named:
        return LikelyPriority(named[0], PriorityBasis.NAMED, named[1])
    said = words(text)
    best: tuple[int, str, str] | None = None
    levels = agreement.priorities.levels if agreement.priorities else {}
    for position, (key, level) in enumerate(levels.items()):
        for phrase in [*level.examples, level.definition or ""]:
            own = distinctive(phrase)
            shared = own & said
            if not own or len(shared) < min(2, len(own)):
                continue
            score = len(shared) * 100 - position  # ties go to the higher priority
            if best is None or score > best[0]:
                best = (score, key, phrase)
    if best is not None:
        return LikelyPriority(best[1], PriorityBasis.EXAMPLE, best[2])
    return LikelyPriority(keys[0], PriorityBasis.ASSUMED, "")
